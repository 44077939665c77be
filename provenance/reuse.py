"""Reuse: find stretches of a document copied from a source without quotation marks.

The document's words outside quoted passages are cut into word n-grams (`REUSE_NGRAM`); every
source is read once and its n-grams looked up. Hits are chained along the document when they
follow each other in both texts (gaps allowed, so an omission or an insertion does not break a
copied paragraph in two). A chain becomes a passage of kind `passage` when it covers at least
`MIN_REUSE_WORDS` words of the document.

Threshold: 12 matching words. Set phrases ("the United States of America", "in the course of")
run to 4 to 6 words and a repeated title to fewer than 10; a copied sentence is almost always
longer. A single copied short sentence of under 12 words is therefore not reported as reuse.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import compress, count

from provenance.extract import find_markup
from provenance.model import Passage, PassageKind, Span
from provenance.text import Text

REUSE_NGRAM = 4
MIN_REUSE_WORDS = 12
MAX_DOC_GAP = 12
"""Most document words between two hits of one chain (an insertion, a bracket's words)."""
MAX_SRC_GAP = 60
"""Most source words between two hits of one chain (a silently dropped sentence)."""
MAX_HITS = 8
"""An n-gram found more often than this in a text is too common to anchor anything."""

_BRACKET_AFTER_RE = re.compile(r"[ \t]*\[[^\[\]\n]{1,400}\]")
_BRACKET_BEFORE_RE = re.compile(r"\[[^\[\]\n]{1,400}\][ \t]*$")


@dataclass(slots=True)
class _Chain:
    source: int
    d0: int
    d1: int
    s0: int
    s1: int
    covered: int


def find_reuse(doc: Text, doc_ids: Sequence[int], sources: Sequence[Sequence[int]],
               masked: Sequence[Span]) -> list[Passage]:
    """Unmarked passages of the document copied from a source, in document order."""
    n = REUSE_NGRAM
    quoted = [False] * len(doc_ids)
    for span in masked:
        for t in doc.tokens.within(span.start, span.end):
            quoted[t] = True
    # Words inside brackets are the copier's own: leave them out too, so that a long bracketed
    # insertion does not break a copied stretch in two.
    blocked = list(quoted)
    for mark in find_markup(doc.original, 0, len(doc.original)):
        if mark.kind == "bracket":
            for t in doc.tokens.within(mark.span.start, mark.span.end):
                blocked[t] = True
    # Positions below are in the sequence of eligible words; `where` maps them back to tokens.
    # A quotation left out between two eligible words cuts the sequence there.
    where = [t for t in range(len(doc_ids)) if not blocked[t]]
    seq = [doc_ids[t] for t in where]
    cut = {k for k in range(1, len(where)) if any(quoted[t] for t in range(where[k - 1] + 1, where[k]))}
    cuts_before = [0] * (len(seq) + 1)  # cuts_before[k]: cuts at positions < k
    for k in range(1, len(seq) + 1):
        cuts_before[k] = cuts_before[k - 1] + (k - 1 in cut)
    grams: dict[tuple[int, ...], list[int]] = defaultdict(list)
    for pos, gram in enumerate(zip(*(seq[k:] for k in range(n)), strict=False)):
        if cuts_before[pos + n] != cuts_before[pos + 1]:
            continue  # an n-gram never runs across a quoted passage
        grams[gram].append(pos)
    chains: list[_Chain] = []
    for si, ids in enumerate(sources):
        hits: list[tuple[int, int]] = []
        occ: dict[tuple[int, ...], list[int]] = defaultdict(list)
        shifted = [ids[k:] for k in range(n)]
        for pos in compress(count(), map(grams.__contains__, zip(*shifted, strict=False))):
            occ[tuple(ids[pos:pos + n])].append(pos)
        for g, spos_list in occ.items():
            dpos_list = grams[g]
            if len(spos_list) > MAX_HITS or len(dpos_list) > MAX_HITS:
                continue
            hits.extend((d, s) for d in dpos_list for s in spos_list)
        hits.sort()
        active: list[_Chain] = []
        for d, s in hits:
            best: _Chain | None = None
            best_cost = 0
            for c in active:
                dd, ds = d - c.d1, s - c.s1
                if -n < dd <= MAX_DOC_GAP and -n < ds <= MAX_SRC_GAP and s > c.s0 and d > c.d0:
                    cost = abs(ds - dd)
                    if best is None or cost < best_cost:
                        best, best_cost = c, cost
            if best is not None:
                best.covered += min(n, d - best.d1) if d > best.d1 else 0
                best.d1, best.s1 = max(best.d1, d), max(best.s1, s)
            else:
                c = _Chain(si, d, d, s, s, n)
                active.append(c)
                chains.append(c)
            active = [c for c in active if d - c.d1 <= MAX_DOC_GAP]
    kept = [c for c in chains if c.covered >= MIN_REUSE_WORDS]
    kept.sort(key=lambda c: (-c.covered, c.d0, c.source))
    chosen: list[_Chain] = []
    for c in kept:
        if all(c.d1 + n <= o.d0 or o.d1 + n <= c.d0 for o in chosen):
            chosen.append(c)
    chosen.sort(key=lambda c: c.d0)
    passages: list[Passage] = []
    text = doc.original
    for c in chosen:
        start = doc.tokens.starts[where[c.d0]]
        end = doc.tokens.ends[where[min(c.d1 + n - 1, len(where) - 1)]]
        # Brackets right before or after the copied words are the copier's, part of the passage.
        while True:
            m = _BRACKET_AFTER_RE.match(text, end)
            if not m:
                break
            end = m.end()
        line_start = text.rfind("\n", 0, start) + 1
        m = _BRACKET_BEFORE_RE.search(text, line_start, start)
        if m:
            start = m.start()
        # Closing punctuation attached to the last word belongs to the sentence copied.
        while end < len(text) and text[end] in ".,;:!?)\u201d\u2019\"'":
            end += 1
        passages.append(Passage(PassageKind.PASSAGE, Span(start, end), find_markup(text, start, end),
                                None, c.source))
    return passages
