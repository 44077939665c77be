"""Hidden characters: invisible characters and look-alike letters of other scripts in a passage.

They are reported on their own, even inside a finding that already covers them, because a reader
cannot see them: a zero-width space, a right-to-left override or a Cyrillic `а` in a Latin word
changes what a search, a copy or a machine reads without changing what a person sees.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from provenance.model import Finding, FindingType, Severity, Span
from provenance.text import HIDDEN_RE, HOMOGLYPHS

_HIDDEN_NAMES = {
    "\u00ad": "soft hyphen", "\u200b": "zero-width space", "\u200c": "zero-width non-joiner",
    "\u200d": "zero-width joiner", "\u200e": "left-to-right mark", "\u200f": "right-to-left mark",
    "\u202a": "left-to-right embedding", "\u202b": "right-to-left embedding",
    "\u202c": "pop directional formatting", "\u202d": "left-to-right override",
    "\u202e": "right-to-left override", "\u2060": "word joiner", "\u2066": "left-to-right isolate",
    "\u2067": "right-to-left isolate", "\u2068": "first strong isolate",
    "\u2069": "pop directional isolate", "\ufeff": "zero-width no-break space (byte-order mark)",
    "\u061c": "Arabic letter mark",
}
_MIXED_SCRIPT_WORD_RE = re.compile(r"\w+")
_HIDDEN_RUN_RE = re.compile(f"(?:{HIDDEN_RE.pattern})+")

Anchor = tuple[tuple[int, int], tuple[int, int]]
"""A matched word: its (start, end) offsets in the document, then in the source."""


class Host(NamedTuple):
    """A finding with both sides that may hold hidden characters."""

    start: int
    """Where the finding starts in the document."""
    end: int
    """Where it ends in the document."""
    src_start: int
    """Where it starts in the source: a hidden character inside it points there."""


@dataclass(frozen=True, slots=True)
class Holders:
    """What holds each offset of a passage: a host finding, else a matched word, else nothing."""

    hosts: list[Host]
    """Findings with both sides and some document text, in document order."""
    host_starts: list[int]
    """The document start of each host, for bisecting."""
    anchors: list[Anchor]
    """Matched words, in document order."""
    anchor_starts: list[int]
    """The document start of each matched word, for bisecting."""

    @classmethod
    def of(cls, others: Sequence[Finding], anchors: Sequence[Anchor]) -> Holders:
        """Index the findings with both sides and the matched words of a passage."""
        hosts = sorted(Host(f.doc_span.start, f.doc_span.end, f.src_span.start) for f in others
                       if f.doc_span is not None and f.src_span is not None and f.doc_span.end > f.doc_span.start)
        ordered = sorted(anchors)
        return cls(hosts, [host.start for host in hosts], ordered, [doc[0] for doc, _ in ordered])

    def host_at(self, offset: int) -> Host | None:
        """The host finding whose document span holds `offset`, if any."""
        k = bisect.bisect_right(self.host_starts, offset) - 1
        return self.hosts[k] if k >= 0 and offset < self.hosts[k].end else None

    def anchor_at(self, offset: int) -> Anchor | None:
        """The matched word holding `offset`, if any (a host finding holding it comes first)."""
        k = bisect.bisect_right(self.anchor_starts, offset) - 1
        return self.anchors[k] if k >= 0 and offset < self.anchors[k][0][1] else None

    def end_of_holder(self, offset: int) -> int | None:
        """Where the host finding or matched word holding `offset` ends, if something holds it."""
        host = self.host_at(offset)
        if host is not None:
            return host.end
        anchor = self.anchor_at(offset)
        return anchor[0][1] if anchor is not None else None


def _hidden_label(ch: str) -> str:
    """The name and code point of one invisible character."""
    return f"{_HIDDEN_NAMES.get(ch, 'invisible character')} (U+{ord(ch):04X})"


def hidden_message(run: str) -> str:
    """What a run of invisible characters is, naming each kind (a long run is one finding)."""
    if len(run) == 1:
        return f"{_hidden_label(run)} hidden in the text"
    kinds = list(dict.fromkeys(run))
    if len(kinds) == 1:
        return f"{len(run):,} × {_hidden_label(run[0])} hidden in the text"
    listed = ", ".join(_hidden_label(c) for c in kinds[:4]) + (", …" if len(kinds) > 4 else "")
    return f"a run of {len(run):,} invisible characters hidden in the text: {listed}"


def hidden_runs(text: str, span: Span, holders: Holders) -> list[tuple[int, int]]:
    """The runs of invisible characters in `text[span]`, each cut where the finding or matched
    word holding it ends: a run never straddles that end."""
    runs: list[tuple[int, int]] = []
    for match in _HIDDEN_RUN_RE.finditer(text, span.start, span.end):
        start, end = match.start(), match.end()
        while start < end:
            holder_end = holders.end_of_holder(start)
            cut = end if holder_end is None else min(end, holder_end)
            runs.append((start, cut))
            start = cut
    return runs


def look_alike_findings(text: str, span: Span, src_point: Span | None) -> list[Finding]:
    """A finding for each letter of another script standing in a Latin word of `text[span]`."""
    found: list[Finding] = []
    for match in _MIXED_SCRIPT_WORD_RE.finditer(text, span.start, span.end):
        word = match.group()
        if word.isascii() or not any("a" <= c.lower() <= "z" for c in word):
            continue
        for k, ch in enumerate(word):
            if ch in HOMOGLYPHS:
                pos = match.start() + k
                found.append(Finding(FindingType.HIDDEN_CHARACTER, Severity.ERROR, Span(pos, pos + 1),
                                     src_point, ch, "",
                                     f"U+{ord(ch):04X} from another script looks like Latin "
                                     f"'{HOMOGLYPHS[ch]}' in '{word[:80]}'"))
    return found


def _at_source_point(finding: Finding, point: int, width: int, source_text: str | None) -> Finding:
    """The finding with its source side set to `width` characters (0 or 1) at `point`."""
    return Finding(finding.type, finding.severity, finding.doc_span, Span(point, point + width), finding.doc_text,
                   source_text[point:point + width] if source_text is not None else "", finding.message)


def point_at_source(finding: Finding, text: str, holders: Holders, hidden_at: Sequence[int], *,
                    has_anchors: bool, source_text: str | None) -> Finding | None:
    """Point the source side of a hidden-character finding where the surrounding finding or the
    alignment puts it: inside a host finding, at its source start; inside a matched word, at the
    same offset less the invisible characters before. None when nothing is hidden after all
    (the source has the same character there)."""
    assert finding.doc_span is not None
    offset = finding.doc_span.start
    host = holders.host_at(offset)
    if host is not None:
        return _at_source_point(finding, host.src_start, 0, source_text)
    anchor = holders.anchor_at(offset)
    if anchor is None:
        # Every difference outside the matched words is covered by a finding; a character
        # in no finding and in no matched word stands in the source too.
        return None if has_anchors else finding
    (doc_start, doc_end), (src_start, src_end) = anchor
    if source_text is not None and text[doc_start:doc_end] == source_text[src_start:src_end]:
        return None  # the source has the same character here: nothing hidden
    hidden_before = bisect.bisect_left(hidden_at, offset) - bisect.bisect_left(hidden_at, doc_start)
    width = 1 if HIDDEN_RE.sub("", finding.doc_text) else 0
    return _at_source_point(finding, src_start + (offset - doc_start) - hidden_before, width, source_text)


def hidden_findings(text: str, span: Span, src_span: Span | None, others: Sequence[Finding],
                    anchors: Sequence[Anchor] = (), source_text: str | None = None) -> list[Finding]:
    """Invisible characters (a run of them as one finding) and look-alike letters of other
    scripts inside a passage."""
    src_point = Span(src_span.start, src_span.start) if src_span is not None else None
    holders = Holders.of(others, anchors)
    found = [Finding(FindingType.HIDDEN_CHARACTER, Severity.ERROR, Span(start, end), src_point, text[start:end], "",
                     hidden_message(text[start:end])) for start, end in hidden_runs(text, span, holders)]
    found.extend(look_alike_findings(text, span, src_point))
    hidden_at = [m.start() for m in HIDDEN_RE.finditer(text, span.start, span.end)]
    pointed = (point_at_source(f, text, holders, hidden_at, has_anchors=bool(anchors), source_text=source_text)
               for f in found)
    return [f for f in pointed if f is not None]


__all__ = ["Anchor", "Holders", "Host", "hidden_findings", "hidden_message", "hidden_runs", "look_alike_findings",
           "point_at_source"]
