"""Locate: find, for each passage, the best source and span among all sources.

Candidates come from word n-grams that the passage shares with a source: every source is read
once, keeping only the positions of n-grams some passage has, so the cost grows with the total
size of the sources and not with that times the number of passages. Hits vote for a diagonal
(source position minus passage position); the strongest diagonals give windows, and each window
is verified by aligning the passage with it (`fit`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel, Levenshtein

from provenance.align import Opcode, align, compact, gaps_to_marks, is_slip
from provenance.ngrams import (
    Stretch,
    diagonal_votes,
    ngram_postings,
    ngrams,
    positions_by_key,
    ranked_diagonals,
    word_postings,
)
from provenance.paraphrase import STOPWORDS

NGRAM = 3
"""Word n-gram length of the primary candidate search."""
MAX_OCCURRENCES = 64
"""An n-gram or word found more often than this in the sources votes for nothing."""
MAX_CANDIDATES = 4
"""How many windows per passage are verified by alignment."""


class Vocabulary:
    """Maps word keys to small integers shared by the document and all sources."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.words: list[str] = []
        """The key of each id."""

    def encode(self, keys: Sequence[str]) -> list[int]:
        """Ids of the keys, new keys numbered in order of first appearance."""
        ids = self.ids
        for k in dict.fromkeys(keys):
            if k not in ids:
                ids[k] = len(ids)
                self.words.append(k)
        return list(map(ids.__getitem__, keys))


@dataclass(frozen=True, slots=True)
class Window:
    """A stretch of a source, in tokens, that may hold a passage."""

    source: int
    lo: int
    hi: int
    votes: int


@dataclass(frozen=True, slots=True)
class Fit:
    """A passage aligned with the part of a window it matches."""

    source: int
    lo: int
    """First source token of the match."""
    hi: int
    """One past the last source token of the match."""
    ops: tuple[Opcode, ...]
    """Opcodes from passage tokens to source tokens `lo..hi` (source indices relative to `lo`)."""
    equal: int
    """Number of passage words matched in order."""
    similarity: float
    """Dice similarity of the two word sequences, 0..1."""


def candidate_windows(passages: Sequence[Sequence[int]], sources: Sequence[Sequence[int]],
                      *, content: frozenset[int] = frozenset()) -> list[list[Window]]:
    """For each passage, the source windows most likely to hold it, best first.

    Votes come from word trigrams and from single words that are not stop words (`content`);
    words or trigrams found more than `MAX_OCCURRENCES` times in the sources are ignored. The
    sources are scanned once for all passages.
    """
    trigram_queries = [positions_by_key(enumerate(ngrams(ids, NGRAM))) for ids in passages]
    word_queries = [{word: positions for word, positions in positions_by_key(enumerate(ids)).items()
                     if word in content} for ids in passages]
    trigram_hits = ngram_postings(sources, set().union(*trigram_queries), NGRAM, MAX_OCCURRENCES)
    word_hits = word_postings(sources, set().union(*word_queries), MAX_OCCURRENCES)
    result: list[list[Window]] = []
    for ids, trigrams, content_words in zip(passages, trigram_queries, word_queries, strict=True):
        # A shared trigram votes 3 for its diagonal, a shared content word 1.
        votes = diagonal_votes(trigrams, trigram_hits, weight=3)
        diagonal_votes(content_words, word_hits, votes=votes)
        result.append(_windows(ranked_diagonals(votes, len(ids), MAX_CANDIDATES), sources))
    return result


def _windows(stretches: Sequence[Stretch], sources: Sequence[Sequence[int]]) -> list[Window]:
    """The stretches as windows, cut at the end of their source; empty ones left out."""
    windows = [Window(s.source, s.lo, min(len(sources[s.source]), s.hi), s.votes) for s in stretches]
    return [w for w in windows if w.hi > w.lo]


EDGE_SLACK = 8
"""Extra source words considered beyond a passage's unmatched edge words."""


def _edge_ops(a: Sequence[int], b: Sequence[int], ai: int, bj: int) -> list[Opcode]:
    return [Opcode(op.tag, op.src_start + ai, op.src_end + ai, op.dest_start + bj, op.dest_end + bj)
            for op in Levenshtein.opcodes(a, b)] if a or b else []


def _edge_take(edge: Sequence[int], avail: Sequence[int], words: Sequence[str], stops: Sequence[bool], *,
               leading: bool) -> int:
    """How many source words next to the matched core an unmatched edge of the passage covers.

    `stops[r]` tells whether a sentence ends between `avail[r]` and the core. Preferred, in
    order: the same words in another order (a transposition); the most content words matched
    (`great war` for `great battle-field of that war` drops three words rather than change
    `war`); not reaching across the end of a sentence for nothing better; the most words matched;
    the fewest word edits; a slip of the same word (`pi er` for `pier`); as many source words as the edge has
    (a changed edge word is a substitution); the fewest source words.
    """
    best_key: tuple[int, ...] | None = None
    best = 0
    k = len(edge)
    edge_count = Counter(edge)
    edge_text = "".join(words[x] for x in edge) if k <= 2 else ""
    part_count: Counter[int] = Counter()
    common = content = 0
    for m in range(0, min(len(avail), k + EDGE_SLACK) + 1):
        if m:
            x = avail[len(avail) - m] if leading else avail[m - 1]
            part_count[x] += 1
            if part_count[x] <= edge_count.get(x, 0):
                common += 1
                content += words[x] not in STOPWORDS
        part = avail[len(avail) - m:] if leading else avail[:m]
        anagram = m == k and k > 1 and common == k
        cost = Levenshtein.distance(edge, part)
        in_order = (k + m - Indel.distance(edge, part)) // 2  # words matched in the same order
        slip = bool(edge_text) and 0 < m <= 2 and is_slip(edge_text, "".join(words[x] for x in part))
        crosses = stops[len(avail) - m] if leading and m else (stops[m - 1] if m else False)
        key = (not anagram, -content, crosses, -(content + in_order), cost, not slip, abs(m - k), m)
        if best_key is None or key < best_key:
            best_key, best = key, m
    return best


SOLID = 3
"""Equal runs of at least this many words anchor a match; shorter ones at the edges may be chance."""
MARKED_REACH = 80
"""Most source words an ellipsis at a passage's core may stand for."""


def _marked_edge(edge: Sequence[int], avail: Sequence[int], *, leading: bool) -> tuple[int, int]:
    """Where edge words separated from the core by an ellipsis stand in the source.

    Returns the slice `avail[s:e]` they align with; the source words between it and the core
    are the marked omission. Fewest edits first, then the shortest omission; no match at all
    takes nothing.
    """
    k = len(edge)
    best: tuple[int, int, int, int] | None = None  # (cost, omitted, s, e)
    for e in range(len(avail), -1, -1) if leading else range(0, len(avail) + 1):
        for width in range(max(1, k - 2), k + 3):
            if leading:
                s_, e_ = e - width, e
                omitted = len(avail) - e
            else:
                s_, e_ = e, e + width
                omitted = e
            if s_ < 0 or e_ > len(avail):
                continue
            cost = Levenshtein.distance(edge, avail[s_:e_])
            if cost >= k:
                continue
            key = (cost, omitted, s_, e_)
            if best is None or key < best:
                best = key
    if best is None:
        return (len(avail), len(avail)) if leading else (0, 0)
    return best[2], best[3]


def fit(passage: Sequence[int], source: Sequence[int], si: int, lo: int, hi: int, words: Sequence[str], *,
        trim: bool = True, marked_gaps: frozenset[int] = frozenset(),
        sentence_end: Callable[[int], bool] | None = None, narrow: bool = True) -> Fit | None:
    """Align a passage with a source window and keep the part of the window it matches.

    The match is anchored on the first and last runs of at least `SOLID` matching words (the
    core); the words of the passage before and after the core are then placed against the
    source words next to it, the fewest edits winning, so that a changed first word is a
    substitution, an added one an insertion, and a common word matched far away ("And", "It")
    is not taken for the start of the quotation. `marked_gaps` are the passage positions before
    which an ellipsis or a bracket stands: source words skipped there are expected.
    """
    if narrow and trim and not marked_gaps and hi - lo > len(passage) + 2 * EDGE_SLACK:
        # Narrow the window to the stretch that best matches the passage as a whole, so that a
        # phrase repeated nearby ("ask not what your country ... ask not what America") cannot
        # pull the alignment apart: alignments of equal cost need not keep the words together.
        # A passage that leaves out whole sentences may need the wide window after all: the
        # better of the two is kept.
        where = fuzz.partial_ratio_alignment(passage, source[lo:hi])
        if where is not None:
            margin = len(passage) // 2 + EDGE_SLACK
            n_lo, n_hi = max(lo, lo + where.dest_start - margin), min(hi, lo + where.dest_end + margin)
            tight = fit(passage, source, si, n_lo, n_hi, words, sentence_end=sentence_end, narrow=False)
            if tight is not None and tight.equal >= len(passage) - 3:
                return tight
            wide = fit(passage, source, si, lo, hi, words, sentence_end=sentence_end, narrow=False)
            if wide is None or (tight is not None and (tight.equal, tight.similarity) >= (wide.equal,
                                                                                            wide.similarity)):
                return tight
            return wide
    window = source[lo:hi]
    ops = compact(align(passage, window), passage, window)
    runs = [k for k, op in enumerate(ops) if op.tag == "equal"]
    if not runs:
        return None
    if not trim:
        equal = sum(op.i2 - op.i1 for op in ops if op.tag == "equal")
        return Fit(si, lo, hi, tuple(ops), equal, 2 * equal / (len(passage) + len(window)))
    ends = sentence_end or (lambda t: False)
    solid = [k for k in runs if ops[k].i2 - ops[k].i1 >= SOLID]
    if not solid:
        solid = [max(runs, key=lambda k: (ops[k].i2 - ops[k].i1, -k))]

    def crosses(j_from: int, j_to: int) -> bool:
        return any(ends(lo + j) for j in range(j_from, j_to))

    # A short run cut off from the rest by skipped source words across a sentence end is a
    # chance repetition ("the people" in the sentence before), not the start or end of the quote.
    while len(solid) > 1:
        a, b = ops[solid[0]], ops[solid[1]]
        if a.i2 - a.i1 <= SOLID and a.i2 not in marked_gaps and b.j1 - a.j2 - (b.i1 - a.i2) >= 3 \
                and crosses(a.j2 - 1, b.j1):
            solid.pop(0)
            continue
        a, b = ops[solid[-1]], ops[solid[-2]]
        if a.i2 - a.i1 <= SOLID and a.i1 not in marked_gaps and a.j1 - b.j2 - (a.i1 - b.i2) >= 3 \
                and crosses(b.j2 - 1, a.j1):
            solid.pop()
            continue
        break
    first, last = ops[solid[0]], ops[solid[-1]]

    def edge_stops(base: int, length: int, leading: bool) -> list[bool]:
        stops = [False] * length
        seen = False
        order = range(length - 1, -1, -1) if leading else range(length)
        for r in order:
            seen = seen or ends(base + r if leading else base + r - 1)
            stops[r] = seen
        return stops

    # Ops below use positions in the window; they are made relative to the match at the end.
    lead_ops: list[Opcode] = []
    anchor = first.j1
    cuts = sorted({0, first.i1, *(g for g in marked_gaps if 0 < g < first.i1)})
    for sa, sb in reversed(list(zip(cuts, cuts[1:], strict=False))):  # segments between ellipses, core outward
        edge = passage[sa:sb]
        if sb in marked_gaps:
            a0 = max(0, anchor - MARKED_REACH)
            s_, e_ = _marked_edge(edge, window[a0:anchor], leading=True)
            seg = _edge_ops(edge, window[a0 + s_:a0 + e_], sa, a0 + s_)
            if a0 + e_ < anchor:
                seg.append(Opcode("insert", sb, sb, a0 + e_, anchor))
            anchor = a0 + s_
        else:
            avail = window[max(0, anchor - len(edge) - EDGE_SLACK):anchor]
            stops = edge_stops(lo + anchor - len(avail), len(avail), True)
            take = _edge_take(edge, avail, words, stops, leading=True)
            seg = _edge_ops(edge, window[anchor - take:anchor], sa, anchor - take)
            anchor -= take
        lead_ops = seg + lead_ops
    s_lo = anchor
    tail_ops: list[Opcode] = []
    anchor = last.j2
    cuts = sorted({last.i2, len(passage), *(g for g in marked_gaps if last.i2 < g < len(passage))})
    for sa, sb in zip(cuts, cuts[1:], strict=False):  # segments between ellipses, core outward
        edge = passage[sa:sb]
        if sa in marked_gaps:
            a1 = min(len(window), anchor + MARKED_REACH)
            s_, e_ = _marked_edge(edge, window[anchor:a1], leading=False)
            if s_ > 0:
                tail_ops.append(Opcode("insert", sa, sa, anchor, anchor + s_))
            tail_ops += _edge_ops(edge, window[anchor + s_:anchor + e_], sa, anchor + s_)
            anchor += e_
        else:
            avail = window[anchor:anchor + len(edge) + EDGE_SLACK]
            stops = edge_stops(lo + anchor, len(avail), False)
            take = _edge_take(edge, avail, words, stops, leading=False)
            tail_ops += _edge_ops(edge, window[anchor:anchor + take], sa, anchor)
            anchor += take
    s_hi = anchor
    rel: list[Opcode] = [Opcode(op.tag, op.i1, op.i2, op.j1 - s_lo, op.j2 - s_lo) for op in lead_ops]
    for op in ops[solid[0]:solid[-1] + 1]:
        rel.append(Opcode(op.tag, op.i1, op.i2, op.j1 - s_lo, op.j2 - s_lo))
    rel.extend(Opcode(op.tag, op.i1, op.i2, op.j1 - s_lo, op.j2 - s_lo) for op in tail_ops)
    rel = compact(rel, passage, window[s_lo:s_hi])
    if marked_gaps:
        rel = gaps_to_marks(rel, passage, window[s_lo:s_hi], marked_gaps)
    equal = sum(op.i2 - op.i1 for op in rel if op.tag == "equal")
    # Source words left out at an ellipsis are declared by the quotation: they do not count against it.
    declared = sum(op.j2 - op.j1 for op in rel if op.i1 == op.i2 and op.i1 in marked_gaps)
    similarity = 2 * equal / (len(passage) + (s_hi - s_lo) - declared)
    return Fit(si, lo + s_lo, lo + s_hi, tuple(rel), equal, min(1.0, similarity))


def best_fit(passage: Sequence[int], sources: Sequence[Sequence[int]], windows: Sequence[Window],
             words: Sequence[str], *, marked_gaps: frozenset[int] = frozenset(),
             sentence_end: Callable[[int, int], bool] | None = None) -> Fit | None:
    """The best verified match among the candidate windows (ties: earlier source, earlier place)."""
    best: Fit | None = None
    for w in windows:
        ends = (lambda t, si=w.source: sentence_end(si, t)) if sentence_end is not None else None
        f = fit(passage, sources[w.source], w.source, w.lo, w.hi, words, marked_gaps=marked_gaps,
                sentence_end=ends)
        if f is None:
            continue
        if best is None or (f.equal, f.similarity) > (best.equal, best.similarity):
            best = f
    return best


def content_ids(vocab: Vocabulary) -> frozenset[int]:
    """Ids of the words that are not stop words, for candidate votes of single words."""
    return frozenset(v for k, v in vocab.ids.items() if k not in STOPWORDS and len(k) > 2)
