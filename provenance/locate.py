"""Locate: find, for each passage, the best source and span among all sources.

Candidates come from word n-grams that the passage shares with a source: every source is read
once, keeping only the positions of n-grams some passage has, so the cost grows with the total
size of the sources and not with that times the number of passages. Hits vote for a diagonal
(source position minus passage position); the strongest diagonals give windows, and each window
is verified by aligning the passage with it (`fit`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rapidfuzz.distance import Indel, Levenshtein

from provenance.align import Opcode, align, compact
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
        ids = self.ids
        words = self.words
        out: list[int] = []
        append = out.append
        for k in keys:
            v = ids.get(k)
            if v is None:
                v = ids[k] = len(ids)
                words.append(k)
            append(v)
        return out


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
    words or trigrams too common in the sources are ignored.
    """
    wanted3: dict[tuple[int, int, int], list[tuple[int, int]]] = defaultdict(list)
    wanted1: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for pi, ids in enumerate(passages):
        for pos in range(len(ids) - NGRAM + 1):
            wanted3[(ids[pos], ids[pos + 1], ids[pos + 2])].append((pi, pos))
        for pos, x in enumerate(ids):
            if x in content:
                wanted1[x].append((pi, pos))
    occ3: dict[tuple[int, int, int], list[tuple[int, int]]] = defaultdict(list)
    occ1: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for si, ids in enumerate(sources):
        get3 = wanted3.__contains__
        for pos, gram in enumerate(zip(ids, ids[1:], ids[2:], strict=False)):
            if get3(gram):
                lst = occ3[gram]
                if len(lst) <= MAX_OCCURRENCES:
                    lst.append((si, pos))
        get1 = wanted1.__contains__
        for pos, x in enumerate(ids):
            if get1(x):
                lst1 = occ1[x]
                if len(lst1) <= MAX_OCCURRENCES:
                    lst1.append((si, pos))
    votes: list[dict[tuple[int, int], set[int]]] = [defaultdict(set) for _ in passages]
    for gram, hits in occ3.items():
        if len(hits) > MAX_OCCURRENCES:
            continue
        for pi, ppos in wanted3[gram]:
            v = votes[pi]
            for si, spos in hits:
                v[(si, spos - ppos)].update((ppos, ppos + 1, ppos + 2))
    for x, hits in occ1.items():
        if len(hits) > MAX_OCCURRENCES:
            continue
        for pi, ppos in wanted1[x]:
            v = votes[pi]
            for si, spos in hits:
                v[(si, spos - ppos)].add(ppos)
    result: list[list[Window]] = []
    for pi, v in enumerate(votes):
        n = len(passages[pi])
        tol = 4 + n // 4
        # Diagonals drift with every omission or insertion; an ellipsis may skip a paragraph.
        reach = 2 * n + 10
        clusters: list[tuple[int, int, int, set[int]]] = []
        for (si, diag) in sorted(v):
            if clusters and clusters[-1][0] == si and diag - clusters[-1][2] <= reach:
                c = clusters[-1]
                clusters[-1] = (si, c[1], diag, c[3] | v[(si, diag)])
            else:
                clusters.append((si, diag, diag, set(v[(si, diag)])))
        ranked = sorted(clusters, key=lambda c: (-len(c[3]), c[0], c[1]))[:MAX_CANDIDATES]
        windows = []
        for si, d0, d1, covered in ranked:
            lo = max(0, d0 - tol)
            hi = min(len(sources[si]), d1 + n + tol)
            if hi > lo:
                windows.append(Window(si, lo, hi, len(covered)))
        result.append(windows)
    return result


EDGE_SLACK = 3
"""Extra source words considered beyond a passage's unmatched edge words."""


def _edge_ops(a: Sequence[int], b: Sequence[int], ai: int, bj: int) -> list[Opcode]:
    return [Opcode(op.tag, op.src_start + ai, op.src_end + ai, op.dest_start + bj, op.dest_end + bj)
            for op in Levenshtein.opcodes(a, b)] if a or b else []


def _edge_take(edge: Sequence[int], avail: Sequence[int], words: Sequence[str], stops: Sequence[bool], *,
               leading: bool) -> int:
    """How many source words next to the matched core an unmatched edge of the passage covers.

    `stops[k]` tells whether a sentence ends between `avail[k]` and the core. Preferred, in
    order: the same words in another order (a transposition); the fewest word edits; the most
    words matched; a slip of the same word (`pi er` for `pier`); not reaching across the end of
    a sentence; as many source words as the edge has (a changed edge word is a substitution);
    the fewest source words.
    """
    from collections import Counter

    from provenance.classify import is_slip

    best_key: tuple[int, ...] | None = None
    best = 0
    edge_words = [words[x] for x in edge]
    k = len(edge)
    for m in range(0, min(len(avail), k + EDGE_SLACK) + 1):
        part = avail[len(avail) - m:] if leading else avail[:m]
        part_words = [words[x] for x in part]
        anagram = m == k and k > 1 and Counter(edge) == Counter(part)
        cost = Levenshtein.distance(edge, part)
        matches = (k + m - Indel.distance(edge, part)) // 2
        slip = bool(part) and is_slip("".join(edge_words), "".join(part_words))
        reach = range(len(avail) - m, len(avail)) if leading else range(m)
        crosses = any(stops[r] for r in reach)
        key = (not anagram, cost, -matches, not slip, crosses, abs(m - k), m)
        if best_key is None or key < best_key:
            best_key, best = key, m
    return best


def fit(passage: Sequence[int], source: Sequence[int], si: int, lo: int, hi: int, words: Sequence[str], *,
        trim: bool = True, marked_gaps: frozenset[int] = frozenset(),
        sentence_end: Callable[[int], bool] | None = None) -> Fit | None:
    """Align a passage with a source window and keep the part of the window it matches.

    Source words beyond the passage's first and last matching words are dropped, except those
    that the passage's unmatched edge words stand for (so a changed first word is a
    substitution, not an insertion). `marked_gaps` are the passage positions before which an
    ellipsis or a bracket stands: source words skipped there are expected, not a chance match.
    """
    window = source[lo:hi]
    ops = compact(align(passage, window), passage, window)
    equal_ops = [k for k, op in enumerate(ops) if op.tag == "equal"]
    if not equal_ops:
        return None
    if not trim:
        equal = sum(op.i2 - op.i1 for op in ops if op.tag == "equal")
        return Fit(si, lo, hi, tuple(ops), equal, 2 * equal / (len(passage) + len(window)))
    # A word or two matched at an edge, far from the rest across a run of skipped source words,
    # is a chance match of a common word ("And", "the"), not where the passage starts or ends.
    while len(equal_ops) > 1:
        e0, e1 = ops[equal_ops[0]], ops[equal_ops[1]]
        run = e0.i2 - e0.i1
        marked = any(e0.i2 <= g <= e1.i1 for g in marked_gaps)
        if run <= 2 and not marked and (e1.j1 - e0.j2) - (e1.i1 - e0.i2) >= max(3, 2 * run):
            equal_ops.pop(0)
            continue
        e0, e1 = ops[equal_ops[-1]], ops[equal_ops[-2]]
        run = e0.i2 - e0.i1
        marked = any(e1.i2 <= g <= e0.i1 for g in marked_gaps)
        if run <= 2 and not marked and (e0.j1 - e1.j2) - (e0.i1 - e1.i2) >= max(3, 2 * run):
            equal_ops.pop()
            continue
        break
    first, last = ops[equal_ops[0]], ops[equal_ops[-1]]
    k_lead = first.i1
    k_tail = len(passage) - last.i2
    ends = sentence_end or (lambda t: False)
    take_lead = take_tail = 0
    if k_lead:
        avail = window[max(0, first.j1 - k_lead - EDGE_SLACK):first.j1]
        base = lo + first.j1 - len(avail)
        # a sentence end between avail[k] and the core: after any of the source words k..end
        stops = [any(ends(base + t) for t in range(r, len(avail))) for r in range(len(avail))]
        take_lead = _edge_take(passage[:k_lead], avail, words, stops, leading=True)
    if k_tail:
        avail = window[last.j2:last.j2 + k_tail + EDGE_SLACK]
        base = lo + last.j2
        stops = [any(ends(base + t - 1) for t in range(0, r + 1)) for r in range(len(avail))]
        take_tail = _edge_take(passage[last.i2:], avail, words, stops, leading=False)
    s_lo = first.j1 - take_lead
    s_hi = last.j2 + take_tail
    rel: list[Opcode] = []
    rel.extend(_edge_ops(passage[:k_lead], window[s_lo:first.j1], 0, 0))
    for op in ops[equal_ops[0]:equal_ops[-1] + 1]:
        rel.append(Opcode(op.tag, op.i1, op.i2, op.j1 - s_lo, op.j2 - s_lo))
    rel.extend(_edge_ops(passage[last.i2:], window[last.j2:s_hi], last.i2, last.j2 - s_lo))
    rel = compact(rel, passage, window[s_lo:s_hi])
    equal = sum(op.i2 - op.i1 for op in rel if op.tag == "equal")
    similarity = 2 * equal / (len(passage) + (s_hi - s_lo))
    return Fit(si, lo + s_lo, lo + s_hi, tuple(rel), equal, similarity)


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
