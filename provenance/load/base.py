"""Load, first half: what a reader of one file format gives back, before it becomes a `Text`.

A reader turns the bytes of a web page, an e-mail, a PDF, a Word file, a caption file or a scan
into `Extracted`: the plain text a person reads there, and a map from each of its offsets back to
the original (`places`). Reports give positions in the original's own terms through that map
(the line and column of a page's source, the page and line of a PDF, a DOCX paragraph, an e-mail
part and its line, a caption cue's time). A reader also hands on what the format says about
quotation (`<q>`, `<blockquote cite=…>`, an e-mail's `>` lines) and, for OCR, which words the
engine was unsure of.

Readers depend on nothing above the core; `provenance.load.formats` chooses one by content, then
by extension, and `provenance.load` turns `Extracted` into a `Text`.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from provenance.model import Span


@dataclass(frozen=True, slots=True)
class Place:
    """Where a stretch of the extracted text stands in the original file.

    A stretch runs from `start` to the next place's `start`. Fields that do not apply to a format
    are None. With `linear`, each extracted character inside the stretch is one character of the
    original on the same line, so the column of a later offset is `column + (offset - start)`
    (an HTML text node with no entity in it; a plain-text line). Without it, every offset of the
    stretch is given the stretch's own place (a PDF line rebuilt from glyphs, an OCR word).
    """

    start: int
    """First offset of the stretch in the extracted text."""
    line: int | None = None
    """1-based line in the original: of the page source (HTML), of the page (PDF, scan), of the
    MIME part (e-mail), of the file (captions, plain text)."""
    column: int | None = None
    """1-based column, in code points, of the stretch's first character on that line."""
    page: int | None = None
    """1-based page (PDF, a scanned page)."""
    paragraph: int | None = None
    """1-based paragraph (DOCX, RTF), counting table cells and footnotes after the body."""
    part: str | None = None
    """The e-mail part (`1`, `1.2`) and its type, as `1.2 text/plain`; or a DOCX story such as
    `footnote 3`."""
    cue: str | None = None
    """A caption cue's start time, `HH:MM:SS.mmm`."""
    linear: bool = False

    def describe(self) -> str:
        """The place as a reader says it: `page 3, line 12`, `line 40, column 7`, `cue 00:01:02.500`."""
        bits: list[str] = []
        if self.part is not None:
            bits.append(f"part {self.part}")
        if self.page is not None:
            bits.append(f"page {self.page}")
        if self.paragraph is not None:
            bits.append(f"paragraph {self.paragraph}")
        if self.cue is not None:
            bits.append(f"cue {self.cue}")
        if self.line is not None:
            bits.append(f"line {self.line}")
        if self.column is not None:
            bits.append(f"column {self.column}")
        return ", ".join(bits)


@dataclass(frozen=True, slots=True)
class QuoteMark:
    """Quotation that the format marks itself, as opposed to quotation marks in the text."""

    kind: str
    """`q` (an inline `<q>`), `blockquote` (HTML `<blockquote>`, a DOCX/RTF quotation style) or
    `reply` (the `>` lines of an e-mail)."""
    span: Span
    """The quoted text in the extracted text, without any marks the reader added around it."""
    cite: str | None = None
    """What the markup says the words come from: a `cite=` URL, the text of a `<cite>` or a
    credit line, the `From:` of the quoted message."""


@dataclass(frozen=True, slots=True)
class Extracted:
    """The text of one file as its reader found it, with the way back to the original."""

    text: str
    format: str
    """`text`, `html`, `email`, `pdf`, `docx`, `rtf`, `vtt`, `srt` or `image`."""
    extractor: str
    """The library or engine that did the work, with its version: `trafilatura 2.3.1`,
    `pypdfium2 5.15.2`, `tesseract 5.3.0`, `provenance` for a reader of our own."""
    places: tuple[Place, ...] = ()
    """Sorted by `start`; the first starts at 0. Empty: positions are the text's own lines."""
    quotes: tuple[QuoteMark, ...] = ()
    metadata: tuple[tuple[str, str], ...] = ()
    """Pairs such as (`from`, …), (`date`, …), (`subject`, …), (`title`, …), (`url`, …),
    (`retrieved`, …), in the order the reader found them."""
    encoding: str = "utf-8"
    """The character encoding the text was decoded from, where the format had one."""
    removed: tuple[str, ...] = ()
    """Furniture taken out of the text but recorded: running headers and footers, page numbers,
    each as it stood (`page 3 header: 'SECRET // REL USA'`)."""
    ocr: bool = False
    """The text was read from an image by OCR."""
    low_confidence: tuple[tuple[Span, float], ...] = ()
    """OCR words the engine was unsure of, each with its confidence (0..100), sorted by start."""
    warnings: tuple[str, ...] = ()
    """One line each, for the report: what the reader could not do (a page with no text layer
    read by OCR, an HTML part preferred to an empty text part)."""

    _starts: tuple[int, ...] = field(default=(), repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_starts", tuple(p.start for p in self.places))

    def place_of(self, offset: int) -> Place | None:
        """The place in the original of one offset of `text`, or None when the reader gave no map."""
        if not self.places:
            return None
        i = max(0, bisect.bisect_right(self._starts, offset) - 1)
        place = self.places[i]
        if place.linear and place.column is not None:
            return replace(place, start=offset, column=place.column + (offset - place.start))
        return replace(place, start=offset)

    def confidence_at(self, span: Span) -> float | None:
        """The lowest OCR confidence among the unsure words that overlap `span`, or None."""
        lowest: float | None = None
        for word, confidence in self.low_confidence:
            if word.start < span.end and span.start < word.end or word.start == span.start:
                lowest = confidence if lowest is None else min(lowest, confidence)
        return lowest


@dataclass(frozen=True, slots=True)
class Reader:
    """One file format: how to recognise it and how to read it."""

    format: str
    """The name used by `--format-in` and in reports."""
    extensions: tuple[str, ...]
    """File name endings, lower case with the dot: (`.html`, `.htm`)."""
    sniff: Callable[[bytes], bool]
    """True when the bytes are this format by their content (magic bytes, markup), whatever
    the file is called."""
    read: Callable[[bytes, str], Extracted]
    """Read the bytes; the second argument is the label for error messages (`source 'x.pdf'`).
    Every problem is one `InputError` line; a missing optional library or program is one line
    naming what to install."""
    description: str = ""


def places_of_lines(text: str, *, first_line: int = 1, **fields: object) -> tuple[Place, ...]:
    """One linear place per line of `text`: the map of a text that is the original's own lines
    (a plain-text file, an e-mail's decoded text part), `fields` added to each (a `part`)."""
    places: list[Place] = []
    start, line = 0, first_line
    for piece in text.splitlines(keepends=True):
        places.append(Place(start, line=line, column=1, linear=True, **fields))  # type: ignore[arg-type]
        start += len(piece)
        line += 1
    if not places:
        places.append(Place(0, line=first_line, column=1, linear=True, **fields))  # type: ignore[arg-type]
    return tuple(places)


def sorted_places(places: Sequence[Place]) -> tuple[Place, ...]:
    """The places in order of `start`, later ones winning a tie, the first moved to 0."""
    by_start: dict[int, Place] = {}
    for place in places:
        by_start[place.start] = place
    ordered = [by_start[k] for k in sorted(by_start)]
    if ordered and ordered[0].start != 0:
        ordered[0] = replace(ordered[0], start=0)
    return tuple(ordered)
