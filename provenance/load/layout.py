"""Load: the text of laid-out pages (a PDF's text layer, an OCR'd scan) from their lines.

A page reader gives, per page, its lines top first, each with its vertical position; this module
turns them into one text the way a person reads it:
- paragraphs split where the gap between two lines is wider than the page's usual spacing;
- running headers and footers (the same first or last line, digits masked, on most pages) and
  bare page numbers taken out, and listed as `page 3 header: 'X'`;
- a word split by a hyphen at a line end (`transcrip-` / `tion`) rejoined when the line ends in
  a letter and a hyphen and the next line starts lower case (`CJTF-` / `OIR` keeps its hyphen);
- a line the layout wrapped (nearly as long as the longest lines) joined to the next by a space;
  a short line ends where its writer broke it, and keeps its line break.

Where it can fail: a page of two columns whose reader gives the lines across both columns; a
header that changes on every page (a chapter title) stays in the text; a poem of long lines is
joined into one paragraph of prose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from provenance.load.base import Place
from provenance.model import Span

LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
             "\ufb05": "st", "\ufb06": "st"}
_LIGATURE_TABLE = str.maketrans(LIGATURES)
_PAGE_NUMBER = re.compile(r"^\s*(?:page\s+)?\d{1,5}(?:\s*(?:/|of)\s*\d{1,5})?\s*$", re.IGNORECASE)
_HYPHEN_END = re.compile(r"[^\W\d_]-$")


@dataclass(frozen=True, slots=True)
class Row:
    """One line of a page as its reader found it: the distance of its top from the page's top
    (any unit, the same on the page), and its text."""

    top: float
    text: str
    unsure: tuple[tuple[int, int, float], ...] = ()
    """Words an OCR engine was unsure of: (start, end) in `text`, and its confidence (0..100);
    `text` must then be clean already (single spaces, no ligatures)."""


@dataclass(frozen=True, slots=True)
class Line:
    """One line of a page: its text, its page, its 1-based line on the page, a paragraph start."""

    text: str
    page: int
    number: int
    starts_paragraph: bool
    unsure: tuple[tuple[int, int, float], ...] = ()
    """Words an OCR engine was unsure of: (start, end) in `text`, and its confidence (0..100)."""


def clean(text: str) -> str:
    """A line's text with ligatures unfolded and runs of spacing made one space."""
    return " ".join(text.translate(_LIGATURE_TABLE).split())


def page_lines(rows: list[Row], page: int, *, breaks: set[int] | None = None) -> list[Line]:
    """The lines of one page, each marked where a paragraph starts: after a gap wider than 1.4
    times the page's usual line spacing, or at a row whose index is in `breaks` (a reader that
    knows the paragraphs, as OCR does)."""
    kept = [r if r.unsure else Row(r.top, clean(r.text)) for r in rows]
    kept = [r for r in kept if r.text]
    gaps = sorted(b.top - a.top for a, b in zip(kept, kept[1:], strict=False) if b.top - a.top > 0.5)
    usual = gaps[len(gaps) // 4] if gaps else 0.0
    out: list[Line] = []
    for i, row in enumerate(kept):
        gap = row.top - kept[i - 1].top if i else 0.0
        starts = i == 0 or (breaks is not None and i in breaks) or (breaks is None and gap > usual * 1.4)
        out.append(Line(row.text, page, i + 1, starts, row.unsure))
    return out


def _mask(text: str) -> str:
    return re.sub(r"\d+", "#", text)


def _furniture(pages: list[list[Line]], index: int) -> set[str]:
    """Masked first (index 0) or last (-1) lines that recur on most pages."""
    counts: dict[str, int] = {}
    for lines in pages:
        if lines:
            key = _mask(lines[index].text)
            counts[key] = counts.get(key, 0) + 1
    need = max(2, (len(pages) + 1) // 2)
    return {k for k, n in counts.items() if n >= need} if len(pages) > 1 else set()


def strip_furniture(pages: list[list[Line]]) -> tuple[list[Line], list[str]]:
    """The lines of all pages without their running headers, footers and page numbers, and a
    record of each line taken out."""
    heads, feet = _furniture(pages, 0), _furniture(pages, -1)
    kept: list[Line] = []
    removed: list[str] = []
    for lines in pages:
        body = list(lines)
        if body and _mask(body[0].text) in heads:
            removed.append(f"page {body[0].page} header: {body.pop(0).text!r}")
        if body and (_mask(body[-1].text) in feet or _PAGE_NUMBER.match(body[-1].text)):
            removed.append(f"page {body[-1].page} footer: {body.pop().text!r}")
        if body and _PAGE_NUMBER.match(body[0].text):
            removed.append(f"page {body[0].page} header: {body.pop(0).text!r}")
        if body and not body[0].starts_paragraph:
            body[0] = replace(body[0], starts_paragraph=True)
        kept.extend(body)
    return kept, removed


def _wrapped_at(lines: list[Line]) -> float:
    """How long a line must be to have been wrapped by the layout (the next line goes on with its
    sentence): nearly as long as the longest lines."""
    lengths = sorted(len(line.text) for line in lines)
    return 0.8 * lengths[int(len(lengths) * 0.9)] if lengths else 0.0


Joined = tuple[str, tuple[Place, ...], tuple[tuple[Span, float], ...]]


def join(lines: list[Line], *, pages_break_paragraphs: bool = False) -> Joined:
    """The text, paragraphs split by a blank line, hyphenated line ends rejoined, lines the layout
    wrapped joined by a space; one place per line (its page and line on the page); the spans of
    the words OCR was unsure of, with their confidence. A paragraph that runs on over a page
    break goes on, unless `pages_break_paragraphs`."""
    text = ""
    places: list[Place] = []
    unsure: list[tuple[Span, float]] = []
    wrapped = _wrapped_at(lines)
    for i, line in enumerate(lines):
        piece = line.text
        new_page = bool(i) and line.page != lines[i - 1].page
        starts = line.starts_paragraph and (not new_page or pages_break_paragraphs
                                            or len(lines[i - 1].text) < wrapped)
        if i and starts:
            text += "\n\n"
        elif i and _HYPHEN_END.search(text[-2:]) and piece[:1].islower():
            text = text[:-1]
        elif i:
            text += " " if len(lines[i - 1].text) >= wrapped else "\n"
        places.append(Place(len(text), line=line.number, page=line.page))
        unsure.extend((Span(len(text) + a, len(text) + b), conf) for a, b, conf in line.unsure)
        text += piece
    return text + "\n", tuple(places), tuple(unsure)
