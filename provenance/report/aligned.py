"""A passage's two sides cut into rows that line up: the document's text and the source's, each row
holding what corresponds on both, with the line each side's row starts on.

The text between two findings is the same on both sides (the comparator reports every difference), so
a line break there is a line break on both: the rows break at those. A finding with as many line
breaks on both sides is cut at them too (a comma for a colon at the end of a line); one with more on
one side stays whole in its row, line breaks and all (a block quotation's `\\n> ` against a source's
space). When the two sides cannot be paired this way (a paraphrase, a report without the source
text, findings that overlap), `rows` gives None and a renderer shows each side as one block.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from provenance.report.marks import side_text
from provenance.report.records import FindingRecord, PassageRecord
from provenance.taxonomy import is_whole_passage

LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")
"""What ends a line, as the JSON report counts lines: CRLF, CR, LF."""


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of the passage on both sides: text both share (`finding` None) or a finding's two texts."""

    doc: str
    src: str
    finding: int | None = None
    """Index of the finding in the passage's list."""
    part: bool = False
    """A line of a finding cut at its line breaks: empty, it is no point of its own."""


@dataclass(slots=True)
class Row:
    """One aligned row: the segments it holds and the line each side starts on."""

    doc_line: int
    src_line: int
    segments: list[Segment] = field(default_factory=list)


def _paired(finding: FindingRecord) -> bool:
    """Whether a finding marks text (or a point) on both sides."""
    return finding.doc_span is not None and finding.src_span is not None and not is_whole_passage(finding.type)


def _marks(passage: PassageRecord, doc_base: int, src_base: int) -> list[tuple[int, int, int, int, int]]:
    """The paired findings as (doc start, doc end, src start, src end, index), relative to each side's
    start, in document order (a point before a marked word at one place, as `marks.pieces` orders them)."""
    out = []
    for index, f in enumerate(passage.findings):
        if _paired(f) and f.doc_span is not None and f.src_span is not None:
            out.append((f.doc_span.start - doc_base, f.doc_span.end - doc_base,
                        f.src_span.start - src_base, f.src_span.end - src_base, index))
    return sorted(out, key=lambda m: (m[0], m[1] > m[0], m[0] - m[1], m[4]))


def _cuts_crlf(text: str, pos: int) -> bool:
    """Whether `pos` falls between the CR and the LF of a line end."""
    return 0 < pos < len(text) and text[pos - 1] == "\r" and text[pos] == "\n"


def segments(passage: PassageRecord) -> list[Segment] | None:
    """The passage as segments both sides share, or None when its sides cannot be paired."""
    doc, src = side_text(passage, "doc"), side_text(passage, "src")
    if doc is None or src is None:
        return None
    (dt, d0), (st, s0) = doc, src
    out: list[Segment] = []
    dp = sp = 0
    for ds, de, ss, se, index in _marks(passage, d0, s0):
        if ds < dp or ss < sp:
            continue  # nested in a finding already placed, which shows it
        if not (0 <= ds <= de <= len(dt) and 0 <= ss <= se <= len(st)) or dt[dp:ds] != st[sp:ss]:
            return None
        if any(_cuts_crlf(t, p) for t, p in ((dt, ds), (dt, de), (st, ss), (st, se))):
            return None
        if ds > dp:
            out.append(Segment(dt[dp:ds], st[sp:ss]))
        out.append(Segment(dt[ds:de], st[ss:se], index))
        dp, sp = de, se
    if dt[dp:] != st[sp:]:
        return None
    if dp < len(dt):
        out.append(Segment(dt[dp:], st[sp:]))
    return out


def _breaks(text: str) -> int:
    """How many lines end in `text`."""
    return len(LINE_BREAK_RE.findall(text))


def rows(passage: PassageRecord) -> list[Row] | None:
    """The passage in aligned rows, each a line on both sides (a finding spanning a line break stays in
    the row it starts in), or None when its sides cannot be paired."""
    found = segments(passage)
    if found is None or passage.match is None:
        return None
    doc_line, src_line = passage.doc_span.line, passage.match.src_span.line
    row = Row(doc_line, src_line)
    out = [row]
    for seg in found:
        if seg.finding is not None and _breaks(seg.doc) != _breaks(seg.src):
            row.segments.append(seg)  # kept whole in its row, its line breaks inside it
            doc_line, src_line = doc_line + _breaks(seg.doc), src_line + _breaks(seg.src)
            continue
        doc_parts, src_parts = LINE_BREAK_RE.split(seg.doc), LINE_BREAK_RE.split(seg.src)
        for k, (doc_part, src_part) in enumerate(zip(doc_parts, src_parts, strict=True)):
            if k:
                doc_line, src_line = doc_line + 1, src_line + 1
                row = Row(doc_line, src_line)
                out.append(row)
            if seg.finding is None and doc_part:
                row.segments.append(Segment(doc_part, src_part))
            elif seg.finding is not None and (doc_part or src_part or len(doc_parts) == 1):
                row.segments.append(Segment(doc_part, src_part, seg.finding, part=len(doc_parts) > 1))
    return out


__all__ = ["LINE_BREAK_RE", "Row", "Segment", "rows", "segments"]
