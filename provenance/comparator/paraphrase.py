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
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from provenance.comparator.tuning import LONG_SENTENCE, MIN_SHARED_CONTENT, PARAPHRASE_COMMON_LIMIT, PARAPHRASE_SCORE
from provenance.rules import CLAUSE_END_RE, STOPWORDS
from provenance.text import Text


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


def _pieces_of(source: int, lo: int, hi: int) -> list[tuple[int, int, int]]:
    """A sentence as units: itself, or, when longer than `LONG_SENTENCE` words (a text without
    sentence ends, a phrase repeated), overlapping pieces of that length, half a piece apart, so
    that the windows of a quotation searched in one unit stay bounded."""
    if hi - lo <= LONG_SENTENCE:
        return [(source, lo, hi)]
    step = LONG_SENTENCE // 2
    return [(source, start, min(hi, start + LONG_SENTENCE)) for start in range(lo, hi - step, step)]


def _decimal_point(text: str, end: int, start: int) -> bool:
    """Whether the gap between two tokens is the point of a decimal figure (`3.2`), no clause end."""
    return text[end:start] == "." and text[end - 1:end].isdigit() and text[start:start + 1].isdigit()


class SentenceIndex:
    """Source sentences indexed by the stems of their content words."""

    def __init__(self, sources: Sequence[Text]) -> None:
        self.sources = sources
        self.units: list[tuple[int, int, int]] = []
        postings: dict[str, list[int]] = defaultdict(list)
        for si, src in enumerate(sources):
            toks = src.tokens
            s = src.original
            lo = 0
            n = len(toks)
            for t in range(n):
                end = t + 1 == n or (CLAUSE_END_RE.search(s, toks.ends[t], toks.starts[t + 1]) is not None
                                     and not _decimal_point(s, toks.ends[t], toks.starts[t + 1]))
                if end:
                    self.units.extend(_pieces_of(si, lo, t + 1))
                    lo = t + 1
        self.unit_stems: list[frozenset[str]] = []
        """The content stems of each unit."""
        for u, (si, lo, hi) in enumerate(self.units):
            stems = frozenset(content_stems(sources[si].tokens.keys[lo:hi]))
            self.unit_stems.append(stems)
            for st in sorted(stems):
                postings[st].append(u)
        self.postings = postings
        self.n = max(len(self.units), 1)
        self._found: dict[tuple[str, ...], Paraphrase | None] = {}
        self._weights: dict[str, float] = {}

    def weight(self, st: str) -> float:
        """Rarity of a stem across source sentences (computed once per stem)."""
        found = self._weights.get(st)
        if found is None:
            found = self._weights[st] = math.log((self.n + 1) / (len(self.postings.get(st, ())) + 0.5)) + 0.1
        return found

    def find(self, keys: Sequence[str]) -> Paraphrase | None:
        """The source sentence the quotation (word keys) paraphrases, if any (searched once per
        distinct quotation)."""
        key = tuple(keys)
        if key not in self._found:
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
            units = self.postings.get(st, ())
            if len(units) > PARAPHRASE_COMMON_LIMIT:
                common.append(st)
                continue
            w = self.weight(st)
            for u in units:
                acc[u] += w
        if common:
            found = set(acc).union(*(self.postings[st][:PARAPHRASE_COMMON_LIMIT] for st in common))
            for u in sorted(found):
                stems = self.unit_stems[u]
                for st in common:
                    if st in stems:
                        acc[u] += self.weight(st)
        return acc

    def _find(self, keys: Sequence[str]) -> Paraphrase | None:
        """The search behind `find`."""
        q = Counter(content_stems(keys))
        if not q:
            return None
        acc = self._candidates(q)
        best: Paraphrase | None = None
        for u, _ in sorted(acc.items(), key=lambda kv: (-kv[1], kv[0]))[:20]:
            si, lo, hi = self.units[u]
            cand = self._score(keys, q, si, lo, hi)
            if cand is not None and (best is None or cand.score > best.score):
                best = cand
        if best is None or best.score < PARAPHRASE_SCORE or len(best.shared) < MIN_SHARED_CONTENT:
            return None
        return best

    def _score(self, keys: Sequence[str], q: Counter[str], si: int, lo: int, hi: int) -> Paraphrase | None:
        """The best-scoring window of the unit `lo..hi` of source `si` for the quotation: the unit
        itself, or, for a unit much longer than the quotation, windows of about its length."""
        src_keys = self.sources[si].tokens.keys
        width = max(8, int(len(keys) * 1.5))
        best: Paraphrase | None = None
        starts = [lo] if hi - lo <= int(len(keys) * 2.5) else list(range(lo, max(lo + 1, hi - width + 1), 3))
        all_q = Counter(stem(k) for k in keys)
        wq = sum(self.weight(st) * c for st, c in q.items())
        scored: dict[tuple[str, ...], tuple[float, tuple[str, ...]]] = {}  # windows of the same words score alike
        for start in starts:
            end = hi if len(starts) == 1 else min(hi, start + width)
            window = tuple(src_keys[start:end])
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
