"""Paraphrase found by meaning: the source sentence or clause whose sentence vector is nearest the
quotation's, when the two are near enough.

The units are the lexical index's (`provenance.comparator.paraphrase.SentenceIndex`: sentences,
cut at semicolons); each run of two to `CLAUSE_RUN` of those that a sentence's semicolons cut it
into, so that a quotation rewording both sides of a semicolon is compared with both; and, for a
unit longer than `CLAUSE_SPLIT_WORDS` words, each run of one to `CLAUSE_RUN` of its comma, colon
or dash clauses (never cut at the comma of a figure, `1,100`), so that a quotation rewording half
of a long sentence is compared with that half. Units are encoded the first time a quotation needs them.
A comparison with more than `MEANING_ALL_UNITS` units (a book-length source, many sources) compares
a quotation only with the units of the `MEANING_CANDIDATES` sentences that share most rare content
words with it and of the `MEANING_NEAREST` sentences nearest it by the fast static vectors of
`provenance.meaning.recruiting_encoder` (all the sentences encoded once, at about 15,000 a
second), so that its cost stays bounded and a rewording sharing no content word is still found;
without the static encoder only the lexical candidates are compared.

Units over `MEANING_MAX_WORDS` words (pieces of a text without sentence ends) are left to the
lexical test. The decision (thresholds measured on benchmarks/paraphrase, see its README):

- the nearest unit's cosine reaches `MEANING_PARAPHRASE` (`MEANING_SHORT_MARGIN` more for a
  quotation of fewer than `MEANING_SHORT_WORDS` words, whose cosines scatter more), less a
  penalty for words spliced in from other sentences (`MeaningIndex.support`): a paraphrase of
  that unit (never of a question, for a quotation that asks none);
- else the lexical test finds a sentence, the cosine with it reaches `MEANING_LEXICAL` and at most
  one of the quotation's words comes from another sentence of the source: a paraphrase of that
  sentence (the words agree and the meaning is not far off);
- else none: a quotation sharing a source's words but saying something else is unsourced.

The comparison then still refuses a paraphrase that negates what its sentence does not, or gives a
figure it does not (`pipeline._says_otherwise`). Where it fails: a near miss that keeps the
sentence's words and topic but turns one word to its opposite ("severe damage" as "slight
damage", "the best" as "the worst") has a cosine as high as a true paraphrase, and can pass.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np

from provenance.comparator.impact import count_negations, figures
from provenance.comparator.paraphrase import Paraphrase, SentenceIndex, content_stems
from provenance.comparator.tuning import (
    CLAUSE_RUN,
    CLAUSE_SPLIT_WORDS,
    MEANING_ALL_UNITS,
    MEANING_CANDIDATES,
    MEANING_LEXICAL,
    MEANING_MAX_WORDS,
    MEANING_NEAREST,
    MEANING_PARAPHRASE,
    MEANING_SHORT_MARGIN,
    MEANING_SHORT_WORDS,
    SPLICED_PENALTY,
)
from provenance.corpus.vectors import encode_rows, top_k
from provenance.meaning import Encoder, Matrix
from provenance.rules import SENTENCE_END_RE

CLAUSE_MARK_RE = re.compile(r"[,:;]|--|[—–]")
NOT_UN_PREFIXES = ("under", "uni", "unti")
"""Words opening with `un` that do not negate (`under`, `united`, `university`, `until`)."""


def _thousands(text: str, end: int, start: int) -> bool:
    """Whether the gap between two tokens is the comma of a figure (`1,100`), no clause mark."""
    return text[end:start] == "," and text[end - 1:end].isdigit() and text[start:start + 1].isdigit()


def _negations(keys: Sequence[str]) -> tuple[int, int]:
    """The least and the most negations a run of words may carry: its negation words, less the
    `not` of `or not` (`whether it seeks it or not`), which negates nothing; at most that plus its
    `un-` words (`unfed` for `not fed`, `unalienable` for `no one can take away`), which a
    rewording may put for a negation or the reverse."""
    least = count_negations(keys) - sum(1 for a, b in zip(keys, keys[1:], strict=False) if a == "or" and b == "not")
    prefixed = sum(1 for w in keys if len(w) > 4 and w.startswith("un") and not w.startswith(NOT_UN_PREFIXES))
    return least, least + prefixed


def _valued(found: Counter[str]) -> Counter[str]:
    """Figures with a value (digits, `twelve`), without words that only count (`single`, `first`,
    `twice`), which a rewording may put for a figure."""
    return Counter({f: c for f, c in found.items() if any(ch.isdigit() for ch in f)})


class MeaningIndex:
    """The units of the sources' sentences, encoded on demand, searched by cosine."""

    def __init__(self, lexical: SentenceIndex, encoder: Encoder,
                 static: Callable[[], Encoder | None] | None = None) -> None:
        self.lexical = lexical
        self.encoder = encoder
        self.static = static
        """What gives the fast encoder that finds the nearest sentences in a large comparison, asked for
        (and so loaded) only there (none, or None from it: lexical candidates only)."""
        self._static_rows: Matrix | None = None
        self.units: list[tuple[int, int, int]] = []
        self.of_sentence: list[list[int]] = []
        """The units of each lexical unit (itself first, then its clause runs)."""
        self.sentence: list[int] = []
        """The lexical unit each unit is part of."""
        for s, (si, lo, hi) in enumerate(lexical.units):
            mine = [len(self.units)]
            self.units.append((si, lo, hi))
            for run in self._clause_runs(si, lo, hi):
                mine.append(len(self.units))
                self.units.append(run)
            self.of_sentence.append(mine)
            self.sentence.extend([s] * len(mine))
        for s in range(len(lexical.units)):
            for length in self._joined_runs(s):
                for v in range(s, s + length):
                    self.of_sentence[v].append(len(self.units))
                si, lo, _ = lexical.units[s]
                self.units.append((si, lo, lexical.units[s + length - 1][2]))
                self.sentence.append(s)
        self._vectors: dict[int, Matrix] = {}
        self._queries: dict[str, Matrix] = {}

    def _joined_runs(self, s: int) -> list[int]:
        """The lengths (2 to `CLAUSE_RUN` lexical units) of the runs of units that lexical unit `s` opens
        within its sentence, when semicolons cut the sentence into several: a quotation rewording both
        sides of a semicolon is compared with both."""
        units = self.lexical.units
        si = units[s][0]
        out: list[int] = []
        end = s
        while len(out) < CLAUSE_RUN - 1 and end + 1 < len(units) and units[end + 1][0] == si \
                and units[end][2] == units[end + 1][1] and not self._sentence_ends_after(si, units[end][2] - 1):
            end += 1
            out.append(end - s + 1)
        return out

    def _clause_runs(self, si: int, lo: int, hi: int) -> list[tuple[int, int, int]]:
        """The runs of one to `CLAUSE_RUN` consecutive clauses of a long unit (its comma, colon and
        dash clauses), each at least four words and shorter than the unit."""
        if hi - lo <= CLAUSE_SPLIT_WORDS:
            return []
        toks, text = self.lexical.sources[si].tokens, self.lexical.sources[si].original
        cuts = [lo] + [t + 1 for t in range(lo, hi - 1)
                       if CLAUSE_MARK_RE.search(text, toks.ends[t], toks.starts[t + 1])
                       and not _thousands(text, toks.ends[t], toks.starts[t + 1])] + [hi]
        runs = []
        for i in range(len(cuts) - 1):
            for j in range(i + 1, min(i + CLAUSE_RUN, len(cuts) - 1) + 1):
                a, b = cuts[i], cuts[j]
                if b - a >= 4 and (a, b) != (lo, hi):
                    runs.append((si, a, b))
        return runs

    def text_of(self, u: int) -> str:
        si, lo, hi = self.units[u]
        toks = self.lexical.sources[si].tokens
        return self.lexical.sources[si].original[toks.starts[lo]:toks.ends[hi - 1]]

    def _encoded(self, units: Sequence[int]) -> Matrix:
        """The vectors of `units`, encoding those not yet encoded in one batch."""
        missing = [u for u in units if u not in self._vectors]
        if missing:
            for u, v in zip(missing, self.encoder.encode([self.text_of(u) for u in missing]), strict=True):
                self._vectors[u] = v
        return np.stack([self._vectors[u] for u in units]) if units else np.zeros((0, self.encoder.dim), np.float32)

    def _query(self, text: str) -> Matrix:
        if text not in self._queries:
            self._queries[text] = self.encoder.encode([text])[0]
        return self._queries[text]

    def _candidates(self, keys: Sequence[str], text: str) -> list[int]:
        """The units a quotation is compared with: all, or those of its lexical candidates and of the
        sentences nearest it by static vectors."""
        if len(self.units) <= MEANING_ALL_UNITS:
            return list(range(len(self.units)))
        q = Counter(content_stems(keys))
        acc = self.lexical._candidates(q) if q else {}
        best = {s for s, _ in sorted(acc.items(), key=lambda kv: (-kv[1], kv[0]))[:MEANING_CANDIDATES]}
        best.update(s for s, _ in self.nearest_sentences(text, MEANING_NEAREST))
        return sorted(u for s in best for u in self.of_sentence[s])

    def nearest_sentences(self, text: str, k: int) -> list[tuple[int, float]]:
        """The `k` lexical units nearest `text` by the static encoder (all of them encoded the first
        time), best first; none without it."""
        static = self.static() if self.static is not None else None
        if static is None:
            return []
        if self._static_rows is None:
            self._static_rows = encode_rows(static, [self.lexical.unit_text(s) for s in range(len(self.lexical.units))])
        return top_k(self._static_rows, encode_rows(static, [text]), k)[0]

    def find(self, text: str, keys: Sequence[str]) -> Paraphrase | None:
        """The source unit the quotation (its text and word keys) says in other words, if any."""
        units = self._candidates(keys, text)
        if not units:
            return None
        sims = self._encoded(units) @ self._query(text)
        if "?" not in text:  # a statement says nothing a question says
            sims = np.where([self._asks(u) for u in units], np.float32(-1.0), sims)
        sims = np.where([self._words(u) > MEANING_MAX_WORDS for u in units], np.float32(-1.0), sims)
        k = int(np.argmax(sims))
        least = MEANING_PARAPHRASE + (MEANING_SHORT_MARGIN if len(keys) < MEANING_SHORT_WORDS else 0.0)
        if self.support(units[k], float(sims[k]), keys) >= least:
            return self._paraphrase(units[k], float(sims[k]), keys)
        lexical = self.lexical.find(keys)
        if lexical is None:
            return None
        u = self.of_sentence[self._sentence_of(lexical)][0]
        if self._words(u) > MEANING_MAX_WORDS:
            return lexical  # a text without sentence ends: the lexical test's window decides
        if "?" not in text and self._asks(u):
            return None
        sim = float(self._encoded([u])[0] @ self._query(text))
        if sim >= MEANING_LEXICAL and self.spliced(u, keys) < 2:
            return self._paraphrase(u, sim, keys)
        return None

    def support(self, u: int, sim: float, keys: Sequence[str]) -> float:
        """The cosine, less `SPLICED_PENALTY` times the share of the quotation's content stems
        spliced in from other sentences (`spliced`) when there are two or more of them (one such
        word is as likely chance): a claim put together from words of several sentences of a
        source is no paraphrase of one of them, while a rewording's new words (synonyms) are mostly
        not in its source at all."""
        stems = set(content_stems(keys))
        elsewhere = self.spliced(u, keys)
        return sim - SPLICED_PENALTY * elsewhere / len(stems) if elsewhere >= 2 else sim

    def spliced(self, u: int, keys: Sequence[str]) -> int:
        """How many of the quotation's content stems unit `u` lacks but another sentence of the
        same source has."""
        si, lo, hi = self.units[u]
        mine = set(content_stems(self.lexical.sources[si].tokens.keys[lo:hi]))
        here = self.sentence[u]
        units = self.lexical.units

        def elsewhere(v: int) -> bool:  # another unit of the source, not one the unit is joined from
            return v != here and units[v][0] == si and not (lo <= units[v][1] and units[v][2] <= hi)

        return sum(1 for st in set(content_stems(keys)) - mine
                   if any(elsewhere(v) for v in self.lexical.postings.get(st, ())))

    def otherwise(self, found: Paraphrase, keys: Sequence[str]) -> str | None:
        """Why the sentence holding a paraphrase found by meaning says something else than the
        quotation: one negates what the other does not, or each gives a figure the other lacks (a
        figure changed; a figure only reworded, `1 April` for `the first of April`, is not). The
        whole sentence is compared, not the clause found, which may leave its negation or figure out."""
        si, lo, hi = self._whole_sentence(self.sentence[self._unit_of(found)])
        words = self.lexical.sources[si].tokens.keys[lo:hi]
        (q_least, q_most), (s_least, s_most) = _negations(keys), _negations(words)
        if q_least > s_most:
            return "does not negate it as the quotation does"
        if s_least > q_most:
            return "negates what the quotation says"
        mine, theirs = _valued(figures(keys)), _valued(figures(words))
        extra, lacking = mine - theirs, theirs - mine
        if extra and lacking:
            return f"gives {', '.join(sorted(lacking))} where the quotation gives {', '.join(sorted(extra))}"
        return None

    def _words(self, u: int) -> int:
        return self.units[u][2] - self.units[u][1]

    def _asks(self, u: int) -> bool:
        """Whether unit `u` is part of a question (its sentence ends with a question mark)."""
        si, _, hi = self._whole_sentence(self.sentence[u])
        toks, text = self.lexical.sources[si].tokens, self.lexical.sources[si].original
        after = text[toks.ends[hi - 1]:toks.starts[hi] if hi < len(toks) else len(text)]
        return "?" in after

    def _whole_sentence(self, s: int) -> tuple[int, int, int]:
        """Lexical unit `s` with the units it is joined to by semicolons: its whole sentence."""
        units = self.lexical.units
        si, lo, hi = units[s]
        a, b = s, s
        while a > 0 and units[a - 1][0] == si and units[a - 1][2] == units[a][1] \
                and not self._sentence_ends_after(si, units[a - 1][2] - 1):
            a -= 1
        while b + 1 < len(units) and units[b + 1][0] == si and units[b][2] == units[b + 1][1] \
                and not self._sentence_ends_after(si, units[b][2] - 1):
            b += 1
        return si, units[a][1], units[b][2]

    def _sentence_ends_after(self, si: int, t: int) -> bool:
        toks, text = self.lexical.sources[si].tokens, self.lexical.sources[si].original
        return t + 1 >= len(toks) or SENTENCE_END_RE.search(text, toks.ends[t], toks.starts[t + 1]) is not None

    def _unit_of(self, found: Paraphrase) -> int:
        """The unit a paraphrase found by meaning names."""
        return self.units.index((found.source, found.lo, found.hi))

    def _sentence_of(self, found: Paraphrase) -> int:
        """The lexical unit holding a lexical paraphrase's window."""
        for s, (si, lo, hi) in enumerate(self.lexical.units):
            if si == found.source and lo <= found.lo < hi:
                return s
        raise ValueError("a lexical paraphrase outside every unit")

    def _paraphrase(self, u: int, sim: float, keys: Sequence[str]) -> Paraphrase:
        si, lo, hi = self.units[u]
        unit_stems = set(content_stems(self.lexical.sources[si].tokens.keys[lo:hi]))
        shared = tuple(sorted(set(content_stems(keys)) & unit_stems))
        return Paraphrase(si, lo, hi, round(sim, 4), shared, round(sim, 4))
