"""Report: render a `Report` in each output format; every format reads the same model."""

from __future__ import annotations

from collections.abc import Callable

from provenance.collate import Collation
from provenance.model import Report
from provenance.report.collation_json import render_collation_json
from provenance.report.collation_tei import render_collation_tei
from provenance.report.collation_terminal import render_collation_terminal
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

CollationRenderer = Callable[[Collation, RenderOptions], str]


def _collation_html(collation: Collation, opts: RenderOptions) -> str:
    from provenance.report.collation_html import render_collation_html  # jinja2: only when asked for

    return render_collation_html(collation)


COLLATION_FORMATS: dict[str, CollationRenderer] = {
    "terminal": lambda collation, opts: render_collation_terminal(collation, width=opts.width, color=opts.color),
    "json": lambda collation, opts: render_collation_json(collation),
    "html": _collation_html,
    "tei": lambda collation, opts: render_collation_tei(collation),
}
"""Output formats of `provenance collate` by name."""

__all__ = ["COLLATION_FORMATS", "FORMATS", "RenderOptions", "Renderer", "render_json", "render_terminal"]
