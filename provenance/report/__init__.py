"""Report: render a `Report` in each output format; every format reads the same model."""

from __future__ import annotations

from collections.abc import Callable

from provenance.model import Report
from provenance.report.json_report import render_json
from provenance.report.terminal import render_terminal

Renderer = Callable[[Report, "RenderOptions"], str]


class RenderOptions:
    """What a renderer may be told besides the report."""

    def __init__(self, *, timestamp: str | None = None, width: int | None = None, color: bool | None = None) -> None:
        self.timestamp = timestamp
        self.width = width
        self.color = color


FORMATS: dict[str, Renderer] = {
    "terminal": lambda report, opts: render_terminal(report, width=opts.width, color=opts.color),
    "json": lambda report, opts: render_json(report, timestamp=opts.timestamp),
}
"""Output formats by name, as `--format` offers them."""

__all__ = ["FORMATS", "RenderOptions", "Renderer", "render_json", "render_terminal"]
