"""Impact: the changes of wording that change meaning (a negation, a figure, a name).

A finding carrying an impact is an error whatever its type (`taxonomy.severity_of`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from provenance.model import Impact
from provenance.rules import CONTRACTIONS, FIGURE_SIGN_RE, NEGATIONS, NUMBER_VALUES, NUMBER_WORDS


def expand_contractions(words: Sequence[str]) -> str:
    """Words joined with their contractions written out (`can't` as `can not`)."""
    text = " ".join(words)
    for short, full in CONTRACTIONS:
        text = text.replace(short, full)
    return " ".join(text.split())


def count_negations(words: Sequence[str]) -> int:
    """How many of the words negate (`not`, `never`, `don't`...)."""
    n = 0
    for w in words:
        if w in NEGATIONS or w.endswith("n't"):
            n += 1
    return n



def figures(words: Sequence[str]) -> Counter[str]:
    """The figures of a run of words, number words read as their value (`twelve` is `12`)."""
    return Counter(NUMBER_VALUES.get(w, w) for w in words if w in NUMBER_WORDS or any(c.isdigit() for c in w))


def word_impact(doc_words: Sequence[str], src_words: Sequence[str], *, names: bool = False,
                doc_names: Sequence[bool] = (), src_names: Sequence[bool] = ()) -> tuple[Impact, ...]:
    """The changes of meaning between two runs of words (keys)."""
    impact: list[Impact] = []
    if count_negations(doc_words) != count_negations(src_words):
        impact.append(Impact.NEGATION)
    if figures(doc_words) != figures(src_words):
        impact.append(Impact.NUMBER)
    if names and (any(doc_names) or any(src_names)):
        impact.append(Impact.NAME)
    return tuple(impact)



def unit_signs(text: str, a: int, b: int) -> list[str]:
    """Percent, currency and minus signs attached to figures in text[a:b] (looking one
    character past each end, where the figures stand)."""
    lo, hi = max(0, a - 1), min(len(text), b + 1)
    return [m.group().strip().replace("\u2212", "-") for m in FIGURE_SIGN_RE.finditer(text, lo, hi)
            if m.start() < b and m.end() > a]



def reads_as_name(text: str, start: int, end: int, lo: int) -> bool:
    """Whether the word `text[start:end]` reads as a name: capitalised, and not at the start of a
    sentence (looking back no further than `lo`, where the passage starts)."""
    word = text[start:end]
    if not word[:1].isupper():
        return False
    k = start - 1
    while k >= lo and text[k] in " \t\u201c\u201d\"'\u2018\u2019([":
        k -= 1
    if k < lo or text[k] in ".!?:\n\r":
        return False  # capital at a sentence start says nothing
    return True
