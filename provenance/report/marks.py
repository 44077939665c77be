"""What every rendered view of a report shares: passage text cut into marked pieces, hidden and
control characters made visible (`report/visible.py`), positions spelled `line:column`, counts
and plurals spelled one way."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from provenance.model import FindingType, Severity
from provenance.report.records import ClaimRecord, FindingRecord, PassageRecord, SpanRecord
from provenance.report.visible import SHOWN_CHARS, SHOWN_RE, visible
from provenance.taxonomy import is_whole_passage

Side = Literal["doc", "src"]
"""One side of a passage: the document's text or the source's."""


def codepoint(ch: str) -> str:
    """A character's code point, spelled `U+200B`."""
    return f"U+{ord(ch):04X}"


def split_visible(text: str) -> list[tuple[str, bool]]:
    """Text cut into runs of ordinary text (False) and runs of one character that `visible` shows
    by code point (True)."""
    out: list[tuple[str, bool]] = []
    pos = 0
    for m in SHOWN_RE.finditer(text):
        if m.start() > pos:
            out.append((text[pos:m.start()], False))
        out.append((m.group(), True))
        pos = m.end()
    if pos < len(text):
        out.append((text[pos:], False))
    return out


_SPACING_RE = re.compile(f"[^\\S{re.escape(SHOWN_CHARS)}]+")
"""Spacing a reader sees (spaces, tabs, line ends, no-break and ideographic spaces). Not the characters
`visible` shows, which `str.split` also takes for spaces (U+2028, U+2029, NEL, VT, FF, U+001C-U+001F)."""


def fold_spacing(text: str) -> str:
    """Text on one line: each run of spacing one space, none at the ends; the characters `visible` shows
    are kept."""
    return _SPACING_RE.sub(" ", text).strip(" ")


def one_line(text: str, limit: int = 160) -> str:
    """Text on one line, spacing folded, invisible characters shown, cut at `limit` characters."""
    flat = visible(fold_spacing(text))
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def where(span: SpanRecord | None) -> str:
    """A span as `line:column` or `line:column–line:column` (nothing for no span), followed, for a
    text read from another format than plain text, by where it starts in the original file:
    `3:1–3:40 (page 2, line 7)`."""
    if span is None:
        return ""
    start = f"{span.line}:{span.column}"
    end_line, end_column = span.end_position
    text = start if (end_line, end_column) == (span.line, span.column) else f"{start}–{end_line}:{end_column}"
    return f"{text} ({span.origin.where})" if span.origin else text


def location(passage: PassageRecord, finding: FindingRecord) -> SpanRecord:
    """Where a finding stands in the document: its own span, or its passage's when it has none."""
    return finding.doc_span or passage.doc_span


def impacts(finding: FindingRecord) -> str:
    """The finding's changes of meaning, spelled `negation, number` (empty when it has none)."""
    return ", ".join(i.value for i in finding.impact)


def plural(count: int, noun: str, plural_noun: str | None = None) -> str:
    """`1 finding`, `2 findings` (or the plural given, `2 entries`)."""
    return f"{count} {noun if count == 1 else plural_noun or noun + 's'}"


def breaking(count: int) -> str:
    """`1 finding breaks the policy`, `2 findings break the policy`."""
    return f"{plural(count, 'finding')} break{'s' if count == 1 else ''} the policy"


def failing_text(findings: int, rates: int = 0) -> str:
    """What fails a check, in words: `2 findings break the policy; 1 error rate of a transcription over its
    limit`, or `no finding breaks the policy`."""
    parts = [breaking(findings)] if findings else []
    if rates:
        parts.append(f"{plural(rates, 'error rate')} of a transcription over {'its' if rates == 1 else 'their'} limit")
    return "; ".join(parts) or "no finding breaks the policy"


def counts_by_type(findings: Iterable[FindingRecord]) -> list[tuple[tuple[FindingType, Severity], int]]:
    """Findings counted by type and severity, in the order of the taxonomy's types, then by severity name."""
    counts = Counter((f.type, f.severity) for f in findings)
    order = {kind: k for k, kind in enumerate(FindingType)}
    return sorted(counts.items(), key=lambda item: (order[item[0][0]], item[0][1].value))


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of passage text: unchanged (`finding` None) or under one finding."""

    text: str
    finding: int | None = None
    """Index of the finding in the passage's list."""

    @property
    def point(self) -> bool:
        """A finding with no text on this side (an omission seen from the document, an insertion
        seen from the source)."""
        return self.finding is not None and not self.text


def cut(text: str, marks: Sequence[tuple[int, int, int]]) -> list[Piece]:
    """`text` cut at `marks` (start, end, finding index; offsets into `text`), taken in the order given.

    A mark that starts before the end of one already placed (nested in it, or a second one at the
    same place) is left to that one; a mark outside the text is left out. Unchanged runs between
    marks are pieces without a finding; empty ones are not made.
    """
    out: list[Piece] = []
    pos = 0
    for start, end, index in marks:
        if start < pos or end > len(text) or start < 0:
            continue
        if start > pos:
            out.append(Piece(text[pos:start]))
        out.append(Piece(text[start:end], index))
        pos = end
    if pos < len(text):
        out.append(Piece(text[pos:]))
    return out


def side_text(passage: PassageRecord, side: Side) -> tuple[str, int] | None:
    """A passage's text on one side with the offset where it starts; None for the source side of a
    passage without a match, or of a report too old to give the source text."""
    if side == "doc":
        return passage.text, passage.doc_span.start
    match = passage.match
    if match is None or not isinstance(match.text, str):
        return None
    return match.text, match.src_span.start


def marked_spans(passage: PassageRecord, side: Side, base: int) -> list[tuple[int, int, int]]:
    """The findings that mark text on one side, as (start, end, finding index) relative to `base`, in
    passage order; whole-passage findings mark nothing."""
    spans = []
    for index, finding in enumerate(passage.findings):
        span = finding.doc_span if side == "doc" else finding.src_span
        if span is not None and not is_whole_passage(finding.type):
            spans.append((span.start - base, span.end - base, index))
    return spans


def pieces(passage: PassageRecord, side: Side) -> list[Piece]:
    """The passage text on one side (`doc` or `src`) cut at the findings that cover it.

    At one place, a point (an omission seen from the document) comes before a marked word, and a
    longer mark before a shorter one: findings nested inside another one (a hidden character
    inside a substituted word) are left to the outer one, which shows the character anyway.
    """
    located = side_text(passage, side)
    if located is None:
        return []
    text, base = located
    marks = sorted(marked_spans(passage, side, base), key=lambda m: (m[0], m[1] > m[0], m[0] - m[1], m[2]))
    return cut(text, marks)


__all__ = ["Piece", "Side", "breaking", "codepoint", "counts_by_type", "cut", "failing_text", "fold_spacing", "impacts",
           "location", "marked_spans", "one_line", "pieces", "plural", "side_text", "split_visible", "visible", "where"]


CITATION_KINDS = frozenset({"numbered", "footnote", "link", "cite", "author_year", "credit"})
"""Claims shown on a line of their own (a cue is shown as the passage's attribution)."""


def claim_line(passage: PassageRecord) -> str | None:
    """The passage's claim as one line: what it cites, the source that is, where the words were
    found and whether the two agree; None for no claim or a plain attribution cue."""
    claim = passage.claim
    if not isinstance(claim, ClaimRecord) or claim.kind.value not in CITATION_KINDS:
        return None
    entry = f" \u2018{one_line(claim.entry, 50)}\u2019" if claim.entry and claim.entry != claim.text else ""
    if claim.cites is None:
        return f"cites {one_line(claim.text, 40)}{entry}: not among the given sources"
    line = f"cites {one_line(claim.text, 40)}{entry} = {claim.cites}"
    if claim.found_in is not None and claim.found_in != claim.cites:
        line += f"; found in {claim.found_in}"
    if claim.agrees is True:
        line += ", agrees"
    elif claim.agrees is False:
        line += ", does not agree"
    return line
