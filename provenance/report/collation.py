"""The output formats of `provenance collate`, by name. Kept apart from `provenance.report`, which
does not import collation: a comparison's reports load without `provenance.transcription.collate`."""

from __future__ import annotations

from collections.abc import Callable

from provenance.report.formats import RenderOptions
from provenance.transcription.collate import Collation

CollationRenderer = Callable[[Collation, RenderOptions], str]
"""Renders a collation in one format."""


def _terminal(collation: Collation, options: RenderOptions) -> str:
    """The variant table for a terminal."""
    from provenance.report.collation_terminal import render_collation_terminal

    return render_collation_terminal(collation, width=options.width, color=options.color)


def _json(collation: Collation, options: RenderOptions) -> str:
    """The collation as JSON."""
    from provenance.report.collation_json import render_collation_json

    return render_collation_json(collation)


def _html(collation: Collation, options: RenderOptions) -> str:
    """The collation as an HTML page (jinja2 is loaded here, only for it)."""
    from provenance.report.collation_html import render_collation_html

    return render_collation_html(collation)


def _tei(collation: Collation, options: RenderOptions) -> str:
    """The collation as TEI XML."""
    from provenance.report.collation_tei import render_collation_tei

    return render_collation_tei(collation)


COLLATION_FORMATS: dict[str, CollationRenderer] = {
    "terminal": _terminal,
    "json": _json,
    "html": _html,
    "tei": _tei,
}
"""Output formats of `provenance collate` by name."""

__all__ = ["COLLATION_FORMATS", "CollationRenderer"]
