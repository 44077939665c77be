"""The collation as a self-contained HTML page: the consensus, then the variant table.

Rendered from a jinja2 template with autoescaping on: witness text is never trusted as markup.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader

from provenance.collate import Collation


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(loader=PackageLoader("provenance", "report/templates"), autoescape=True,
                       keep_trailing_newline=True)


def _cell_class(collation: Collation, k: int, w: int) -> str:
    segment = collation.segments[k]
    if segment.agreement:
        return "agree"
    if segment.tie:
        return "tie"
    if segment.cells[w] is None:
        return "gap" if collation.witnesses[w].id not in segment.chosen().witnesses else "same"
    return "same" if collation.witnesses[w].id in segment.chosen().witnesses else "differs"


def render_collation_html(collation: Collation) -> str:
    """The HTML page as text."""
    segments: list[dict[str, Any]] = []
    for k, s in enumerate(collation.segments, 1):
        chosen = s.chosen().text
        tied = [s.readings[i].text.strip() or "∅" for i in s.consensus]
        title = "; ".join(f"{r.text.strip() or '(omitted)'}: {', '.join(r.witnesses)}" for r in s.readings)
        segments.append({"id": f"s{k}", "agreement": s.agreement, "tie": s.tie, "text": chosen, "tied": tied,
                         "after": chosen[len(chosen.rstrip()):], "title": title})
    rows = []
    for w, witness in enumerate(collation.witnesses):
        cells = []
        for k, s in enumerate(collation.segments):
            text = s.cells[w]
            cells.append({"text": "–" if text is None else text, "css": _cell_class(collation, k, w)})
        rows.append({"id": witness.id, "cells": cells})
    template = _environment().get_template("collation.html.j2")
    return template.render(witnesses=collation.witnesses, base=collation.base, segments=segments, rows=rows,
                           variants=len(collation.variants), ties=len(collation.ties))


__all__ = ["render_collation_html"]
