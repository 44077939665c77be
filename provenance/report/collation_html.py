"""The collation as a self-contained HTML page: the consensus, then the variant table.

Rendered from a jinja2 template with autoescaping on: witness text is never trusted as markup.
Control, invisible and bidirectional-control characters in witness text, paths and ids are shown
as labelled boxes (`U+202E`), never written raw (`report/visible.py`): an override would reorder
the page's own text, and most controls are not allowed in HTML at all.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader
from markupsafe import Markup, escape

from provenance.report.visible import SHOWN_RE, shown_label, visible
from provenance.transcription.collate import Collation


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(loader=PackageLoader("provenance", "report/templates"), autoescape=True,
                       keep_trailing_newline=True)


def _shown(text: str) -> Markup:
    """Escaped text (lone CRs as line ends, as `visible` does) with each run of a shown character
    as a labelled box."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    out: list[Markup] = []
    pos = 0
    for m in SHOWN_RE.finditer(text):
        out.append(escape(text[pos:m.start()]))
        out.append(Markup('<span class="hidden-char" title="invisible or control character {0}">{0}</span>').format(
            shown_label(m.group())))
        pos = m.end()
    out.append(escape(text[pos:]))
    return Markup("").join(out)


def _shown_name(name: str) -> Markup:
    """A witness's path or id as one line: `_shown`, and its tabs and line ends by code point too."""
    return _shown("".join(f"\u27e8U+{ord(ch):04X}\u27e9" if ch in "\t\n\r" else ch for ch in name))


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
        tied = [_shown(s.readings[i].text.strip()) or "∅" for i in s.consensus]
        title = "; ".join(f"{visible(r.text.strip()) or '(omitted)'}: {', '.join(map(visible, r.witnesses))}"
                          for r in s.readings)
        segments.append({"id": f"s{k}", "agreement": s.agreement, "tie": s.tie, "text": _shown(chosen), "tied": tied,
                         "after": _shown(chosen[len(chosen.rstrip()):]), "title": title})
    rows = []
    for w, witness in enumerate(collation.witnesses):
        cells = []
        for k, s in enumerate(collation.segments):
            text = s.cells[w]
            cells.append({"text": "–" if text is None else _shown(text), "css": _cell_class(collation, k, w)})
        rows.append({"id": _shown(witness.id), "cells": cells})
    witnesses = [{"id": _shown_name(w.id), "path": _shown_name(w.path), "words": w.words} for w in collation.witnesses]
    template = _environment().get_template("collation.html.j2")
    return template.render(witnesses=witnesses, base=_shown(collation.base), segments=segments, rows=rows,
                           variants=len(collation.variants), ties=len(collation.ties))


__all__ = ["render_collation_html"]
