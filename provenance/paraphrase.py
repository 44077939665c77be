"""A lexical test for paraphrase: the source's content in other words.

A quotation that does not align with any source word for word may still say what a source
says. The test here is lexical, by design simple and predictable: it compares the stems of
the quotation's words with those of the best source window of about the same length, weighting
each word by how rare it is in the sources (a shared "nation" counts less than a shared
"poverty"). It finds paraphrases that keep some of the source's rarer words and its structure;
it cannot see a paraphrase that replaces every content word by a synonym, and it can mistake a
new sentence on the same topic, built from the same rare words, for a paraphrase.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had
    has have having he her here hers herself him himself his how i if in into is it its itself just
    me more most my myself no nor not now of off on once only or other our ours ourselves out over
    own same she should so some such than that the their theirs them themselves then there these
    they this those through to too under until up very was we were what when where which while who
    whom why will with would you your yours yourself yourselves shall may might must upon us""".split()
)


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


class Idf:
    """Inverse document frequency of stems, counted over windows of the sources."""

    def __init__(self, sources: Sequence[Sequence[str]], window: int = 25) -> None:
        df: Counter[str] = Counter()
        n = 0
        for keys in sources:
            stems = content_stems(keys)
            for start in range(0, max(1, len(stems)), window):
                df.update(set(stems[start:start + window]))
                n += 1
        self.df = df
        self.n = max(n, 1)

    def weight(self, s: str) -> float:
        return math.log((self.n + 1) / (self.df.get(s, 0) + 0.5))


def overlap(quote: Sequence[str], window: Sequence[str], idf: Idf) -> float:
    """Share of the quotation's content, weighted by rarity, that the window also has (0..1)."""
    q = Counter(content_stems(quote))
    w = Counter(content_stems(window))
    total = sum(idf.weight(s) * c for s, c in q.items())
    if total <= 0:
        return 0.0
    shared = sum(idf.weight(s) * min(c, w[s]) for s, c in q.items() if s in w)
    return shared / total
