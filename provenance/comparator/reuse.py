"""Reuse: find stretches of a document copied from a source without quotation marks.

The document's words outside quoted passages are cut into word n-grams (`REUSE_NGRAM`); every
source is read once and its n-grams looked up. Hits are chained along the document when they
follow each other in both texts (gaps allowed, so an omission or an insertion does not break a
copied paragraph in two). A chain becomes a passage of kind `passage` when it covers at least
`MIN_REUSE_WORDS` words of the document.

Threshold: 12 matching words. Set phrases ("the United States of America", "in the course of")
run to 4 to 6 words and a repeated title to fewer than 10; a copied sentence is almost always
longer. A single copied short sentence of under 12 words is therefore not reported as reuse.

Splices. A chain only spans `REUSE_SOURCE_GAP` skipped source words, so an excerpt that skips more
(two sentences far apart joined with no mark, or an excerpt whose `...` stands for paragraphs) was
two passages, and what it skips was never reported. Chains of one source that follow each other
in both texts, with at most `SPLICE_DOCUMENT_GAP` document words between them, are joined into one
passage (`join_splices`), whose comparison then reports the skipped source words as an omission,
marked or silent. Across a paragraph break they are joined only where an ellipsis marks the
junction: two pasted paragraphs from two places are two passages. The second part of a splice may
be a short sentence (`MIN_SPLICE_PART_WORDS`) that alone would not count as reuse.
Where it can fail: parts that are each under `MIN_SPLICE_PART_WORDS` words, and an excerpt whose
parts come from the source in the reverse order (two passages, nothing reported between them).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from provenance.comparator.extract import PARAGRAPH_BREAK_RE, find_markup
from provenance.comparator.ngrams import ngram_postings, ngrams
from provenance.comparator.tuning import (
    LEAD_WORDS,
    MIN_REUSE_WORDS,
    MIN_SPLICE_PART_WORDS,
    REUSE_COMMON_LIMIT,
    REUSE_DOCUMENT_GAP,
    REUSE_NGRAM,
    REUSE_SOURCE_GAP,
    SPLICE_DOCUMENT_GAP,
)
from provenance.model import Passage, PassageKind, Span
from provenance.rules import BRACKET_PATTERN, ELLIPSIS_PATTERN
from provenance.text import Text

_BRACKET_AFTER_RE = re.compile(rf"[ \t]*{BRACKET_PATTERN}")
_ELLIPSIS_RE = re.compile(ELLIPSIS_PATTERN)
_LEAD_STOP_RE = re.compile(r"[.!?:;\u2026]")
_BRACKET_BEFORE_RE = re.compile(rf"{BRACKET_PATTERN}[ \t]*$")

NGram = tuple[int, ...]
"""Word ids of `REUSE_NGRAM` consecutive words."""
Hit = tuple[int, int]
"""An n-gram both texts have: its position among the document's eligible words, then in the source.
A plain tuple, not a class: there are many, and they are sorted document position first."""


@dataclass(frozen=True, slots=True)
class EligibleWords:
    """The document words that may be reused text: those outside quotations and brackets.

    Positions in `ids` are positions in this sequence of eligible words, not token indices.
    """

    tokens: list[int]
    """The document token index of each eligible word."""
    ids: list[int]
    """The word id of each eligible word."""
    cuts_before: list[int]
    """`cuts_before[k]`: how many quotations were left out between eligible words before position k."""


@dataclass(slots=True)
class Chain:
    """Hits that follow each other in the document and in one source: a candidate copied stretch.

    A chain grows as hits are read in document order, so it is mutable while chaining.
    """

    source: int
    """Index of the source the hits are in."""
    doc_first: int
    """Eligible-word position of the chain's first n-gram in the document."""
    doc_last: int
    """Eligible-word position of the chain's last n-gram in the document."""
    source_first: int
    """Word position of the chain's first n-gram in the source."""
    source_last: int
    """Word position of the chain's last n-gram in the source."""
    covered: int
    """How many document words the chain's n-grams cover."""

    def accepts(self, doc_pos: int, source_pos: int) -> bool:
        """Whether a hit at these positions may continue the chain: close enough after its end in
        both texts (overlapping n-grams allowed), and past its start."""
        doc_step, source_step = doc_pos - self.doc_last, source_pos - self.source_last
        return (-REUSE_NGRAM < doc_step <= REUSE_DOCUMENT_GAP and -REUSE_NGRAM < source_step <= REUSE_SOURCE_GAP
                and source_pos > self.source_first and doc_pos > self.doc_first)

    def extend(self, doc_pos: int, source_pos: int) -> None:
        """Add a hit to the chain, counting the document words it covers beyond the chain's end."""
        if doc_pos > self.doc_last:
            self.covered += min(REUSE_NGRAM, doc_pos - self.doc_last)
        self.doc_last, self.source_last = max(self.doc_last, doc_pos), max(self.source_last, source_pos)

    def overlaps(self, other: Chain) -> bool:
        """Whether the two chains' n-grams share a document word."""
        return not (self.doc_last + REUSE_NGRAM <= other.doc_first or other.doc_last + REUSE_NGRAM <= self.doc_first)


def find_reuse(doc: Text, doc_ids: Sequence[int], sources: Sequence[Sequence[int]],
               masked: Sequence[Span]) -> list[Passage]:
    """Unmarked passages of the document copied from a source, in document order.

    `doc_ids` and `sources` are the word ids of the document and of each source in one shared
    vocabulary; `masked` are the spans of the quotations already found, left out here.
    """
    eligible = eligible_words(doc, doc_ids, masked)
    grams = document_ngrams(eligible)
    wanted = rare_ngrams(grams)  # once for every source
    chains = [chain for index, source_ids in enumerate(sources)
              for chain in chain_hits(shared_hits(grams, source_ids, wanted), index)]
    excerpts = join_splices(doc, eligible, choose_chains(chains), chains)
    return [copied_passage(doc, eligible, _with_lead(doc, eligible, chain, sources[chain.source]))
            for chain in excerpts]


def _token_mask(doc: Text, spans: Iterable[Span]) -> list[bool]:
    """For each document token, whether it lies inside one of the spans."""
    inside = [False] * len(doc.tokens)
    for span in spans:
        for token in doc.tokens.within(span.start, span.end):
            inside[token] = True
    return inside


def eligible_words(doc: Text, doc_ids: Sequence[int], masked: Sequence[Span]) -> EligibleWords:
    """The document words outside the masked quotations and outside brackets, with where the
    left-out quotations cut that sequence."""
    quoted = _token_mask(doc, masked)
    # Words inside brackets are the copier's own: leave them out too, so that a long bracketed
    # insertion does not break a copied stretch in two.
    brackets = [mark.span for mark in find_markup(doc.original, 0, len(doc.original)) if mark.kind == "bracket"]
    in_bracket = _token_mask(doc, brackets)
    tokens = [t for t in range(len(doc_ids)) if not (quoted[t] or in_bracket[t])]
    # A quotation left out between two eligible words cuts the sequence there.
    cuts_before = [0]
    for k, token in enumerate(tokens):
        cut = k > 0 and any(quoted[t] for t in range(tokens[k - 1] + 1, token))
        cuts_before.append(cuts_before[-1] + cut)
    return EligibleWords(tokens, [doc_ids[t] for t in tokens], cuts_before)


def document_ngrams(eligible: EligibleWords) -> dict[NGram, list[int]]:
    """The positions of each n-gram of eligible document words; none runs across a left-out quotation."""
    n = REUSE_NGRAM
    ids, cuts_before = eligible.ids, eligible.cuts_before
    grams: dict[NGram, list[int]] = defaultdict(list)
    for pos, gram in enumerate(ngrams(ids, n)):
        if cuts_before[pos + n] == cuts_before[pos + 1]:
            grams[gram].append(pos)
    return grams


def rare_ngrams(grams: dict[NGram, list[int]]) -> set[NGram]:
    """The document n-grams not too common in it to anchor a copied passage (`REUSE_COMMON_LIMIT`)."""
    return {gram for gram, doc_positions in grams.items() if len(doc_positions) <= REUSE_COMMON_LIMIT}


def shared_hits(grams: dict[NGram, list[int]], source_ids: Sequence[int],
                wanted: set[NGram] | None = None) -> list[Hit]:
    """Every pairing of a document n-gram with the same n-gram in the source, in document order.

    The source is read once; n-grams too common in either text (`REUSE_COMMON_LIMIT`) anchor nothing.
    `wanted` is `rare_ngrams(grams)`, when the caller reads many sources against one document.
    """
    wanted = rare_ngrams(grams) if wanted is None else wanted
    in_source = ngram_postings([source_ids], wanted, REUSE_NGRAM, REUSE_COMMON_LIMIT)
    hits: list[Hit] = []
    for gram, postings in in_source.items():
        hits.extend((doc_pos, source_pos) for doc_pos in grams[gram] for _, source_pos in postings)
    hits.sort()
    return hits


def chain_hits(hits: Sequence[Hit], source: int) -> list[Chain]:
    """The chains one source's hits form, read in document order: a hit continues the open chain
    it fits best (`Chain.accepts`, least change of diagonal) or starts a chain of its own."""
    chains: list[Chain] = []
    open_chains: list[Chain] = []
    for doc_pos, source_pos in hits:
        closest = _closest_chain(open_chains, doc_pos, source_pos)
        if closest is not None:
            closest.extend(doc_pos, source_pos)
        else:
            chain = Chain(source, doc_pos, doc_pos, source_pos, source_pos, REUSE_NGRAM)
            open_chains.append(chain)
            chains.append(chain)
        # A chain that has fallen too far behind can take no later hit.
        open_chains = [c for c in open_chains if doc_pos - c.doc_last <= REUSE_DOCUMENT_GAP]
    return chains


def _closest_chain(chains: Sequence[Chain], doc_pos: int, source_pos: int) -> Chain | None:
    """The chain that may take the hit with the least change of diagonal (ties: the older chain)."""
    closest: Chain | None = None
    closest_cost = 0
    for chain in chains:
        if chain.accepts(doc_pos, source_pos):
            cost = abs((source_pos - chain.source_last) - (doc_pos - chain.doc_last))
            if closest is None or cost < closest_cost:
                closest, closest_cost = chain, cost
    return closest


def choose_chains(chains: Sequence[Chain]) -> list[Chain]:
    """The chains long enough to be reuse (`MIN_REUSE_WORDS`), the longest first where they
    overlap in the document, in document order."""
    long_enough = [c for c in chains if c.covered >= MIN_REUSE_WORDS]
    long_enough.sort(key=lambda c: (-c.covered, c.doc_first, c.source))
    chosen: list[Chain] = []
    for chain in long_enough:
        if not any(chain.overlaps(other) for other in chosen):
            chosen.append(chain)
    chosen.sort(key=lambda c: c.doc_first)
    return chosen


def join_splices(doc: Text, eligible: EligibleWords, chosen: Sequence[Chain], chains: Sequence[Chain]) -> list[Chain]:
    """The chosen chains, with those that continue one another in one source joined: one chain per
    copied excerpt, in document order. Short chains (`MIN_SPLICE_PART_WORDS` or more words) may be
    a part of such an excerpt, never an excerpt on their own."""
    short = [c for c in chains if MIN_SPLICE_PART_WORDS <= c.covered < MIN_REUSE_WORDS
             and not any(c.overlaps(other) for other in chosen)]
    parts = sorted([*chosen, *short], key=lambda c: (c.doc_first, c.source))
    groups: list[list[Chain]] = []
    for chain in parts:
        if groups and _continues(doc, eligible, groups[-1][-1], chain):
            groups[-1].append(chain)
        else:
            groups.append([chain])
    joined = []
    for group in groups:
        if not any(c.covered >= MIN_REUSE_WORDS for c in group):
            continue  # short chains only: not reuse
        first, last = group[0], group[-1]
        joined.append(Chain(first.source, first.doc_first, last.doc_last, first.source_first, last.source_last,
                            sum(c.covered for c in group)))
    return joined


def _continues(doc: Text, eligible: EligibleWords, before: Chain, after: Chain) -> bool:
    """Whether `after` takes up the excerpt where `before` leaves off: one source, later in it, at
    most `SPLICE_DOCUMENT_GAP` words on in the document with no quotation between, and an
    ellipsis at the junction if a paragraph break stands there."""
    end = before.doc_last + REUSE_NGRAM  # eligible position after `before`'s last word
    if after.source != before.source or after.source_first < before.source_last + REUSE_NGRAM:
        return False
    if not end <= after.doc_first <= end + SPLICE_DOCUMENT_GAP:
        return False
    if eligible.cuts_before[after.doc_first] != eligible.cuts_before[end - 1]:
        return False  # a quotation stands between them
    tokens = eligible.tokens
    between = doc.original[doc.tokens.ends[tokens[end - 1]]:doc.tokens.starts[tokens[after.doc_first]]]
    return PARAGRAPH_BREAK_RE.search(between) is None or _ELLIPSIS_RE.search(between) is not None


def _with_lead(doc: Text, eligible: EligibleWords, chain: Chain, source_ids: Sequence[int]) -> Chain:
    """The chain, its start moved back over the words of its line that come before its first
    shared n-gram when they are the source's words before it with a change among them.

    A chain starts at its first intact n-gram, so a changed word in a sentence's first words
    (`December 7th, 1941, a date that will live in infamy` for `..., a date which will live`) was
    left outside the passage and never compared. The words looked at stay on the chain's line,
    after the last sentence end, colon or quotation before it, at most `LEAD_WORDS` of them; they
    are taken from the first one the source has before the chain's start on, when at least half of
    them are the source's words in order. The writer's own words before a pasted sentence
    (`Roosevelt told Congress that`) are not the source's, and stay out.
    Where it can fail: a changed word that is the line's first (`Tomorrow the ferries` for `Then
    the ferries`) is not told from the writer's own and stays out; a writer's words that happen to
    be the source's words before the sentence are taken in.
    """
    k = chain.doc_first
    if k == 0:
        return chain
    text, tokens = doc.original, eligible.tokens
    line_start = text.rfind("\n", 0, doc.tokens.starts[tokens[k]]) + 1
    first = k
    while (first > 0 and k - first < LEAD_WORDS and eligible.cuts_before[first] == eligible.cuts_before[k]
           and doc.tokens.starts[tokens[first - 1]] >= line_start
           and not _LEAD_STOP_RE.search(text, doc.tokens.ends[tokens[first - 1]], doc.tokens.starts[tokens[first]])):
        first -= 1
    if first == k:
        return chain
    before = list(source_ids[max(0, chain.source_first - (k - first) - 2):chain.source_first])
    for start in range(first, k):
        lead = eligible.ids[start:k]
        blocks = SequenceMatcher(None, lead, before, autojunk=False).get_matching_blocks()
        matched = sum(b.size for b in blocks)
        if blocks and blocks[0].a == 0 and blocks[0].size and 2 * matched >= len(lead):
            return Chain(chain.source, start, chain.doc_last, chain.source_first, chain.source_last,
                         chain.covered + (k - start))
    return chain


def copied_passage(doc: Text, eligible: EligibleWords, chain: Chain) -> Passage:
    """The passage a chain marks in the document, widened over the copier's brackets at its
    edges and over the closing punctuation of its last word."""
    text = doc.original
    tokens = eligible.tokens
    start = doc.tokens.starts[tokens[chain.doc_first]]
    end = doc.tokens.ends[tokens[min(chain.doc_last + REUSE_NGRAM - 1, len(tokens) - 1)]]
    # Brackets right before or after the copied words are the copier's, part of the passage.
    while (after := _BRACKET_AFTER_RE.match(text, end)) is not None:
        end = after.end()
    line_start = text.rfind("\n", 0, start) + 1
    before = _BRACKET_BEFORE_RE.search(text, line_start, start)
    if before is not None:
        start = before.start()
    # Closing punctuation attached to the last word belongs to the sentence copied.
    while end < len(text) and text[end] in ".,;:!?)\u201d\u2019\"'":
        end += 1
    return Passage(PassageKind.PASSAGE, Span(start, end), find_markup(text, start, end), None, chain.source)
