"""The output formats of `provenance collate`, by name. Kept apart from `provenance.report`, which
does not import collation: a comparison's reports load without `provenance.transcription.collate`."""

from __future__ import annotations

from collections.abc import Callable

from provenance.report.formats import RenderOptions, renderer_in
from provenance.transcription.collate import Collation

CollationRenderer = Callable[[Collation, RenderOptions], str]
"""Renders a collation in one format."""


def _terminal(collation: Collation, options: RenderOptions) -> str:
    """The variant table for a terminal."""
    from provenance.report.collation_terminal import render_collation_terminal

    return render_collation_terminal(collation, width=options.width, color=options.color)


COLLATION_FORMATS: dict[str, CollationRenderer] = {
    "terminal": _terminal,
    "json": renderer_in("provenance.report.collation_json", "render_collation_json"),
    "html": renderer_in("provenance.report.collation_html", "render_collation_html"),  # jinja2: only when asked
    "tei": renderer_in("provenance.report.collation_tei", "render_collation_tei"),
}
"""Output formats of `provenance collate` by name."""

__all__ = ["COLLATION_FORMATS", "CollationRenderer"]
