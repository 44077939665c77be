"""Locate, second try: a quotation spliced from two places of a source.

A reporter joins two sentences that stand far apart in the source into one quotation, with no
ellipsis (`"The harbour will close at dusk, and the ferries will stop only for the spring tides"`
from the first and the fifth sentence of a statement). No one window of the source holds both,
so the first try finds half of it, or calls it a paraphrase. Here the quotation is cut at each
clause boundary (a comma, a semicolon, a colon, a full stop, or before `and`/`but`), each part is
located on its own, and when both parts are found, in order, in one source, with source words
between them, the two fits become one: the skipped source words are a silent omission, a joining
word the source lacks a silent insertion.

The same holds for a quotation split by a speech tag (`"The harbour will close," she said, "and
the ferries will stop."`): when its two halves are found in one source but not side by side,
the source words between them are left out, and the second half says so.

Where it can fail: a quotation made of three or more far-apart pieces (only one cut is tried);
parts under `MIN_PART_WORDS` words; two parts found in the source in the reverse order (reported
as the better half's fit, the other half as inserted words).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace

from provenance.comparator.align import Opcode
from provenance.comparator.classify import verdict_of
from provenance.comparator.extract import PARAGRAPH_BREAK_RE
from provenance.comparator.locate import Fit, best_fit, candidate_windows
from provenance.model import Finding, FindingType, PassageKind, PassageResult, Span
from provenance.taxonomy import severity_of
from provenance.text import Text

MIN_PART_WORDS = 4
"""The fewest words each part of a spliced quotation must have."""
MIN_PART_SIMILARITY = 0.85
"""How closely each part must match its place in the source."""
GOOD_ENOUGH = 0.9
"""A first fit this similar is kept: no splice is looked for."""
MAX_CUTS = 8
"""The most cut points tried for one quotation."""

_CLAUSE_BREAK_RE = re.compile(r"[,;:.!?\u2014\u2013]")
_JOINING_WORDS = frozenset({"and", "but", "or", "so", "then", "while", "because", "yet"})


def cut_points(text: str, starts: Sequence[int], ends: Sequence[int], keys: Sequence[str]) -> list[int]:
    """Word positions where a quotation may have been spliced: after a clause break, or before a
    joining word; the ones nearest the middle first."""
    n = len(keys)
    cuts = []
    for k in range(MIN_PART_WORDS, n - MIN_PART_WORDS + 1):
        between = text[ends[k - 1]:starts[k]]
        if _CLAUSE_BREAK_RE.search(between) or keys[k] in _JOINING_WORDS:
            cuts.append(k)
    cuts.sort(key=lambda k: abs(n / 2 - k))
    return cuts[:MAX_CUTS]


def _shifted(ops: Sequence[Opcode], di: int, dj: int) -> list[Opcode]:
    return [Opcode(op.tag, op.i1 + di, op.i2 + di, op.j1 + dj, op.j2 + dj) for op in ops]


def _joined(first: Fit, second: Fit, cut: int, n_words: int) -> Fit:
    """Two fits of the parts of one quotation as one, the source words between them deleted; its
    similarity that of the parts (the skipped words are a finding, not a weaker match)."""
    gap = Opcode("delete", cut, cut, first.hi - first.lo, second.lo - first.lo)
    ops = (*first.ops, gap, *_shifted(second.ops, cut, second.lo - first.lo))
    equal = first.equal + second.equal
    matched = (first.hi - first.lo) + (second.hi - second.lo)
    return Fit(first.source, first.lo, second.hi, ops, equal, min(1.0, 2 * equal / max(1, n_words + matched)))


def spliced_fit(word_ids: Sequence[int], cuts: Sequence[int], sources: Sequence[Sequence[int]],
                words: Sequence[str], content: frozenset[int], first_try: Fit | None,
                sentence_end: Callable[[int, int], bool] | None = None) -> Fit | None:
    """The fit of a quotation as two far-apart parts of one source, when it is better than the first
    try (the caller tries only where the first fit is under `GOOD_ENOUGH`)."""
    if not cuts:
        return None
    parts = [list(word_ids[:k]) for k in cuts] + [list(word_ids[k:]) for k in cuts]
    windows = candidate_windows(parts, sources, content=content)
    best: Fit | None = None
    for n, cut in enumerate(cuts):
        head = best_fit(parts[n], sources, windows[n], words, sentence_end=sentence_end)
        tail = best_fit(parts[len(cuts) + n], sources, windows[len(cuts) + n], words, sentence_end=sentence_end)
        if head is None or tail is None or head.source != tail.source or tail.lo <= head.hi:
            continue
        if min(head.similarity, tail.similarity) < MIN_PART_SIMILARITY:
            continue
        joined = _joined(head, tail, cut, len(word_ids))
        if best is None or (joined.equal, joined.similarity) > (best.equal, best.similarity):
            best = joined
    if best is None or (first_try is not None and (best.equal + 2 < first_try.equal
                                                   or best.similarity < first_try.similarity + 0.1)):
        return None
    return best


_SPEECH_TAG_RE = re.compile(r"^[\s,.;:\u2014\u2013\"'\u201c\u201d\u2018\u2019]*(?:[\w.\u2019'-]+\s+){0,5}[\w.\u2019'-]+"
                            r"[\s,:\u2014\u2013\"'\u201c\u201d\u2018\u2019]*$")
MAX_TAG_GAP_WORDS = 400
"""Halves farther apart than this in the source are two quotations, not one split by a speech tag."""


def split_halves(document: Text, results: Sequence[PassageResult | None], sources: Sequence[Text]
                 ) -> list[PassageResult | None]:
    """A quotation split by a speech tag (`"The harbour will close," she said, "and the ferries
    will stop."`) whose halves are both found in one source but not side by side: the second half
    gets a silent omission of the source words between them."""
    out = list(results)
    previous: int | None = None
    for k, result in enumerate(out):
        if result is None or result.passage.kind is not PassageKind.INLINE or result.match is None:
            previous = None if result is not None else previous
            continue
        if previous is not None:
            out[k] = _with_gap(document, out[previous], result, sources)  # type: ignore[arg-type]
        previous = k
    return out


def _with_gap(document: Text, first: PassageResult, second: PassageResult, sources: Sequence[Text]
              ) -> PassageResult:
    assert first.match is not None and second.match is not None
    between = document.original[first.passage.span.end:second.passage.span.start]
    if first.match.source != second.match.source or "\n\n" in between or not _SPEECH_TAG_RE.match(between):
        return second
    tags = [p.attribution_span for p in (first.passage, second.passage) if p.attribution_span is not None]
    if not any(first.passage.span.end <= t.start and t.end <= second.passage.span.start for t in tags):
        return second  # words between two quotations, but no speech tag: two quotations
    source = sources[second.match.source]
    if second.match.span.start <= first.match.span.end:
        return second  # side by side, overlapping, or in the other order
    if PARAGRAPH_BREAK_RE.search(source.original, first.match.span.end, second.match.span.start):
        return second  # two paragraphs of the source (two turns of a transcript): two quotations
    words = source.tokens.within(first.match.span.end, second.match.span.start)
    if not len(words) or len(words) > MAX_TAG_GAP_WORDS:
        return second
    resumes = second.match.span.start
    if any(f.type is FindingType.SILENT_OMISSION and f.src_span is not None and f.src_span.end >= resumes - 1
           for f in second.findings):
        return second
    start = source.tokens.starts[words[0]]
    end = source.tokens.ends[words[-1]]
    omission = Finding(FindingType.SILENT_OMISSION, severity_of(FindingType.SILENT_OMISSION),
                       Span(second.passage.span.start, second.passage.span.start), Span(start, end), "",
                       source.original[start:end],
                       f"the quotation, split by {' '.join(between.split()).strip(chr(34) + ', ')!r}, leaves out "
                       f"{len(words)} source words between its halves")
    findings = (omission, *second.findings)
    return replace(second, findings=findings, verdict=verdict_of(findings))
