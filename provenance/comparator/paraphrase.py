"""A lexical test for paraphrase: a quotation that says what a source says in other words.

The test is lexical, simple and predictable. Sources are cut into sentences (long ones into
windows about the quotation's length). For a quotation that matches no source word for word,
the sentence that shares most of its content words (stems, weighted by rarity: a shared
"poverty" counts more than a shared "nation") is scored twice: how much of the quotation's
rare content it has and how much of its content is in the quotation (a weighted F-measure), and
what share of all the quotation's words, function words included, it has (so that a quotation
keeping the source's sentence structure scores higher). The quotation is a paraphrase when the
sum of the two reaches `PARAPHRASE_SCORE` and it shares at least two content words.

Where it fails: a paraphrase that replaces every content word by a synonym and rebuilds the
sentence ("we take it as obvious that every person is born equal" for "We hold these truths to
be self-evident, that all men are created equal") shares too little to be found, and comes out
`unsourced`; a new sentence built from the same rare words as a source sentence can pass for a
paraphrase of it.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Protocol

from provenance.comparator.tuning import LONG_SENTENCE, MIN_SHARED_CONTENT, PARAPHRASE_COMMON_LIMIT, PARAPHRASE_SCORE
from provenance.corpus.vectors import Encoder, encode_rows, top_k
from provenance.rules import CLAUSE_END_RE, STOPWORDS
from provenance.text import Text

if TYPE_CHECKING:
    import numpy
    from numpy.typing import NDArray


@lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """A crude English stem: enough to match `Americans` with `American`, `tests` with `testing`."""
    w = word.split("'")[0]
    for suffix in ("ingly", "edly", "ing", "ies", "ied", "ed", "es", "ly", "s"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)]
            if suffix in ("ies", "ied"):
                w += "y"
            break
    return w


def content_stems(keys: Sequence[str]) -> list[str]:
    """Stems of the words that carry content (no stop words, no one-letter words)."""
    return [stem(k) for k in keys if k not in STOPWORDS and len(k) > 1]


NEAREST = 10
"""How many source units nearest a quotation by their vectors a search gives (`nearest_units`)."""


@dataclass(frozen=True, slots=True)
class Near:
    """A source unit near a quotation by its vector (the index's, or the comparison's fast encoder's)."""

    source: int
    """The source's number in the search (in the comparison for `SentenceIndex` and a scan's finder,
    the rowid for an index's own search)."""
    lo: int
    """First source token of the unit."""
    hi: int
    """One past its last token."""
    similarity: float
    """Cosine similarity of its vector and the quotation's."""


class ParaphraseFinder(Protocol):
    """What the comparison asks of a paraphrase search: the source sentence a quotation rewords."""

    def find(self, keys: Sequence[str]) -> Paraphrase | None:
        """The source sentence the quotation (its word keys) paraphrases, if any; its `source` is the
        number of the source in the comparison."""
        ...

    def nearest_units(self, text: str, k: int = NEAREST) -> list[Near]:
        """The `k` source units nearest the quotation (`text`) by their vectors, best first, numbered in
        the comparison; none without vectors."""
        ...

    def prefetch(self, texts: Sequence[str], k: int = NEAREST) -> None:
        """Prepare `nearest_units` of each of `texts` at once (one pass over the vectors)."""
        ...


@dataclass(frozen=True, slots=True)
class Paraphrase:
    """The source sentence a quotation paraphrases."""

    source: int
    lo: int
    """First source token of the sentence."""
    hi: int
    """One past its last token."""
    score: float
    shared: tuple[str, ...]
    """Content stems the quotation and the sentence share."""
    meaning: float | None = None
    """The cosine of the quotation's and the sentence's meaning vectors, when found by meaning
    (`provenance.comparator.by_meaning`); None for the lexical test."""


def sentence_units(text: Text) -> list[tuple[int, int]]:
    """The units (first token, one past the last) a source is searched in for paraphrases: its
    clauses (`CLAUSE_END_RE` between two words ends one), long ones cut by `_pieces_of`."""
    toks = text.tokens
    n = len(toks)
    if n == 0:
        return []
    starts, ends = toks.starts, toks.ends
    cut: list[int] = []
    """Tokens after which a clause ends (the gaps holding a clause end), in order."""
    for m in CLAUSE_END_RE.finditer(text.original, ends[0]):
        t = bisect_right(ends, m.start()) - 1  # the last token ending at or before the match
        if t + 1 < n and m.end() <= starts[t + 1] and (not cut or cut[-1] != t) \
                and not _decimal_point(text.original, ends[t], starts[t + 1]):
            cut.append(t)
    out: list[tuple[int, int]] = []
    lo = 0
    for t in [*cut, n - 1]:
        if t + 1 > lo:
            out.extend(_pieces_of(lo, t + 1))
        lo = t + 1
    return out


def unit_text(text: Text, lo: int, hi: int) -> str:
    """The original text of the unit of tokens `lo..hi` (what an encoder is given)."""
    return text.original[text.tokens.starts[lo]:text.tokens.ends[hi - 1]]


def _pieces_of(lo: int, hi: int) -> list[tuple[int, int]]:
    """A sentence as units: itself, or, when longer than `LONG_SENTENCE` words (a text without
    sentence ends, a phrase repeated), overlapping pieces of that length, half a piece apart, so
    that the windows of a quotation searched in one unit stay bounded."""
    if hi - lo <= LONG_SENTENCE:
        return [(lo, hi)]
    step = LONG_SENTENCE // 2
    return [(start, min(hi, start + LONG_SENTENCE)) for start in range(lo, hi - step, step)]


def _decimal_point(text: str, end: int, start: int) -> bool:
    """Whether the gap between two tokens is the point of a decimal figure (`3.2`), no clause end."""
    return text[end:start] == "." and text[end - 1:end].isdigit() and text[start:start + 1].isdigit()


class SentenceSearch:
    """The lexical paraphrase search over source units, whatever holds them.

    A subclass says how many units there are (`n`), which units hold a content stem (`units_with`),
    whether one unit holds one (`has_stem`), and where a unit is and what its words are (`unit`,
    `unit_keys`). `SentenceIndex` keeps them in memory for one comparison; the corpus index keeps them
    in its SQLite file (`provenance.corpus.sentences`), so that a scan searches every indexed source
    with the rarity weights of all of them and finds what `compare` against all of them finds.
    """

    n: int
    """The number of units (at least 1)."""

    def __init__(self) -> None:
        self._found: dict[tuple[str, ...], Paraphrase | None] = {}
        self._weights: dict[str, float] = {}
        self._near: dict[tuple[str, int], list[Near]] = {}

    def count(self, st: str) -> int:
        """How many units hold content stem `st`."""
        raise NotImplementedError

    def first_units(self, st: str, limit: int) -> Sequence[int]:
        """The first `limit` units, in unit order, that hold content stem `st`."""
        raise NotImplementedError

    def has_stem(self, u: int, st: str) -> bool:
        """Whether unit `u` holds content stem `st`."""
        raise NotImplementedError

    def units_holding(self, st: str, units: Sequence[int]) -> list[int]:
        """Those of `units` (in order) that hold content stem `st`."""
        return [u for u in units if self.has_stem(u, st)]

    def unit(self, u: int) -> tuple[int, int, int]:
        """Unit `u` as (source, first token, one past its last token)."""
        raise NotImplementedError

    def unit_keys(self, u: int) -> Sequence[str]:
        """The word keys of unit `u`."""
        raise NotImplementedError

    def nearest(self, text: str, k: int) -> list[tuple[int, float]]:
        """The `k` units nearest `text` by meaning (unit, similarity), best first; none without an encoder."""
        return []

    def unit_text(self, u: int) -> str:
        """The original text of unit `u`."""
        raise NotImplementedError

    def nearest_many(self, texts: Sequence[str], k: int) -> list[list[tuple[int, float]]]:
        """`nearest` of each text (a subclass may search them all in one pass)."""
        return [self.nearest(t, k) for t in texts]

    def nearest_units(self, text: str, k: int = NEAREST) -> list[Near]:
        """The `k` units nearest `text` by their vectors, best first (searched once per text and k)."""
        self.prefetch([text], k)
        return self._near[(text, k)]

    def prefetch(self, texts: Sequence[str], k: int = NEAREST) -> None:
        """Search the units nearest each of `texts` not searched yet, all in one pass (`nearest_many`),
        for `nearest_units` to give: the quotations of a document left unmatched, asked for together."""
        missing = [t for t in dict.fromkeys(texts) if (t, k) not in self._near]
        if not missing:
            return
        if len(self._near) + len(missing) > 4096:
            self._near.clear()
        for text, found in zip(missing, self.nearest_many(missing, k), strict=True):
            self._near[(text, k)] = [Near(*self.unit(u), similarity) for u, similarity in found]

    def weight(self, st: str) -> float:
        """Rarity of a stem across source sentences (computed once per stem)."""
        found = self._weights.get(st)
        if found is None:
            found = self._weights[st] = math.log((self.n + 1) / (self.count(st) + 0.5)) + 0.1
        return found

    def find(self, keys: Sequence[str]) -> Paraphrase | None:
        """The source sentence the quotation (word keys) paraphrases, if any (searched once per
        distinct quotation)."""
        key = tuple(keys)
        if key not in self._found:
            if len(self._found) >= 4096:  # a search kept for many documents (a scan) stays bounded
                self._found.clear()
            self._found[key] = self._find(keys)
        return self._found[key]

    def _candidates(self, q: Counter[str]) -> dict[int, float]:
        """The units sharing content stems with the quotation, each with the summed rarity of
        the stems it shares.

        A stem in more than `PARAPHRASE_COMMON_LIMIT` units (a sentence repeated in its source)
        does not walk its units: it adds its weight to the units the rarer stems found and to its
        own first `PARAPHRASE_COMMON_LIMIT` units, so that the work per quotation is bounded.
        """
        acc: dict[int, float] = defaultdict(float)
        common: list[str] = []
        for st in q:
            df = self.count(st)
            if df > PARAPHRASE_COMMON_LIMIT:
                common.append(st)
                continue
            w = self.weight(st)
            for u in self.first_units(st, df):
                acc[u] += w
        if common:
            found = sorted(set(acc).union(*(self.first_units(st, PARAPHRASE_COMMON_LIMIT) for st in common)))
            for st in common:  # each unit adds the common stems' weights in the same order as ever
                w = self.weight(st)
                for u in self.units_holding(st, found):
                    acc[u] += w
        return acc

    def _find(self, keys: Sequence[str]) -> Paraphrase | None:
        """The search behind `find`."""
        q = Counter(content_stems(keys))
        if not q:
            return None
        acc = self._candidates(q)
        best: Paraphrase | None = None
        for u, _ in sorted(acc.items(), key=lambda kv: (-kv[1], kv[0]))[:20]:
            cand = self._score(keys, q, u)
            if cand is not None and (best is None or cand.score > best.score):
                best = cand
        if best is None or best.score < PARAPHRASE_SCORE or len(best.shared) < MIN_SHARED_CONTENT:
            return None
        return best

    def _score(self, keys: Sequence[str], q: Counter[str], u: int) -> Paraphrase | None:
        """The best-scoring window of unit `u` for the quotation: the unit itself, or, for a unit much
        longer than the quotation, windows of about its length."""
        si, lo, hi = self.unit(u)
        unit_keys = self.unit_keys(u)
        width = max(8, int(len(keys) * 1.5))
        best: Paraphrase | None = None
        starts = [lo] if hi - lo <= int(len(keys) * 2.5) else list(range(lo, max(lo + 1, hi - width + 1), 3))
        all_q = Counter(stem(k) for k in keys)
        wq = sum(self.weight(st) * c for st, c in q.items())
        scored: dict[tuple[str, ...], tuple[float, tuple[str, ...]]] = {}  # windows of the same words score alike
        for start in starts:
            end = hi if len(starts) == 1 else min(hi, start + width)
            window = tuple(unit_keys[start - lo:end - lo])
            if window not in scored:
                scored[window] = self._window_score(window, q, all_q, wq)
            score, shared = scored[window]
            if best is None or score > best.score:
                best = Paraphrase(si, start, end, round(score, 4), shared)
        return best

    def _window_score(self, window: Sequence[str], q: Counter[str], all_q: Counter[str],
                      wq: float) -> tuple[float, tuple[str, ...]]:
        """The score of one source window for the quotation (content stems `q`, all stems `all_q`,
        `wq` the weight of `q`), and the content stems they share."""
        w = Counter(content_stems(window))
        shared = {st: min(c, w[st]) for st, c in q.items() if st in w}
        ww = sum(self.weight(st) * c for st, c in w.items())
        ws = sum(self.weight(st) * c for st, c in shared.items())
        rec = ws / wq if wq else 0.0
        prec = ws / ww if ww else 0.0
        f = 2 * rec * prec / (rec + prec) if rec + prec else 0.0
        all_w = Counter(stem(k) for k in window)
        share_all = sum(min(c, all_w[st]) for st, c in all_q.items()) / max(1, sum(all_q.values()))
        return f + share_all, tuple(sorted(shared))


class SentenceIndex(SentenceSearch):
    """Source sentences, in memory, indexed by the stems of their content words."""

    def __init__(self, sources: Sequence[Text], encoder: Encoder | None = None) -> None:
        super().__init__()
        self.sources = sources
        self.encoder = encoder
        self._matrix: NDArray[numpy.float32] | None = None
        self.units: list[tuple[int, int, int]] = [(si, lo, hi) for si, src in enumerate(sources)
                                                  for lo, hi in sentence_units(src)]
        self.unit_stems: list[frozenset[str]] = []
        """The content stems of each unit."""
        postings: dict[str, list[int]] = defaultdict(list)
        for u, (si, lo, hi) in enumerate(self.units):
            stems = frozenset(content_stems(sources[si].tokens.keys[lo:hi]))
            self.unit_stems.append(stems)
            for st in sorted(stems):
                postings[st].append(u)
        self.postings = postings
        self.n = max(len(self.units), 1)

    def count(self, st: str) -> int:
        return len(self.postings.get(st, ()))

    def first_units(self, st: str, limit: int) -> Sequence[int]:
        units = self.postings.get(st, [])
        return units if len(units) <= limit else units[:limit]

    def has_stem(self, u: int, st: str) -> bool:
        return st in self.unit_stems[u]

    def unit(self, u: int) -> tuple[int, int, int]:
        return self.units[u]

    def unit_keys(self, u: int) -> Sequence[str]:
        si, lo, hi = self.units[u]
        return self.sources[si].tokens.keys[lo:hi]

    def unit_text(self, u: int) -> str:
        si, lo, hi = self.units[u]
        return unit_text(self.sources[si], lo, hi)

    def nearest(self, text: str, k: int) -> list[tuple[int, float]]:
        """The units nearest `text` by the encoder's vectors (the units encoded the first time)."""
        if self.encoder is None:
            return []
        if self._matrix is None:
            self._matrix = encode_rows(self.encoder, [self.unit_text(u) for u in range(len(self.units))])
        return top_k(self._matrix, encode_rows(self.encoder, [text]), k)[0]
