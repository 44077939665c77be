"""Word rules: the taxonomy of changed words as an ordered list of small rules.

A changed region of a passage (document words where the source has other words, no markup among
them) is judged by `WORD_RULES`, most specific first: the first rule that applies gives the
findings. Read top to bottom, the list is the taxonomy of `docs/findings.md` for words.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from provenance.comparator.align import char_changes, is_slip, ocr_confusion
from provenance.comparator.impact import expand_contractions, word_impact
from provenance.comparator.placement import DraftFinding, Offsets
from provenance.comparator.variants import same_number, same_spelling, same_title, stage_direction
from provenance.model import FindingType, Impact
from provenance.rules import NUMBER_VALUES


@dataclass(frozen=True, slots=True)
class ChangedWords:
    """Document words standing where the source has other words, with no markup among them
    (one side may have no words at all)."""

    doc_text: str
    """The whole document."""
    src_text: str
    """The whole source."""
    doc_keys: tuple[str, ...]
    """Comparison keys of the document words."""
    src_keys: tuple[str, ...]
    """Comparison keys of the source words."""
    doc_words: tuple[Offsets, ...]
    """Where each document word stands."""
    src_words: tuple[Offsets, ...]
    """Where each source word stands."""
    doc_names: tuple[bool, ...]
    """Whether each document word reads as a name."""
    src_names: tuple[bool, ...]
    """Whether each source word reads as a name."""

    @property
    def doc_span(self) -> Offsets | None:
        """From the first document word to the last, None if there is none."""
        return (self.doc_words[0][0], self.doc_words[-1][1]) if self.doc_words else None

    @property
    def src_span(self) -> Offsets | None:
        """From the first source word to the last, None if there is none."""
        return (self.src_words[0][0], self.src_words[-1][1]) if self.src_words else None

    def texts(self) -> tuple[str, str]:
        """The document and source text from the first word to the last of each side."""
        doc, src = self.doc_span, self.src_span
        return (self.doc_text[doc[0]:doc[1]] if doc else "", self.src_text[src[0]:src[1]] if src else "")


WordRule = Callable[[ChangedWords], list[DraftFinding] | None]
"""A rule of the taxonomy: the findings for some changed words, or None if it does not apply."""


def inserted_words(words: ChangedWords) -> list[DraftFinding] | None:
    """Silent insertion: quotation words where the source has none."""
    if words.src_keys:
        return None
    return [DraftFinding(FindingType.SILENT_INSERTION, words.doc_span, None,
                         "words in the quotation that the source does not have", word_impact(words.doc_keys, []))]


def not_the_speakers_words(words: ChangedWords) -> list[DraftFinding] | None:
    """Normalisation: a transcript's stage direction or speaker label left out (`(Applause.)`,
    `THE PRESIDENT:`): no words of the speaker are omitted."""
    span = words.src_span
    if words.doc_keys or span is None:
        return None
    what = stage_direction(words.src_text, *span)
    if what is None:
        return None
    return [DraftFinding(FindingType.NORMALIZATION, None, span, f"{what} of the transcript left out: not the "
                         "speaker's words")]


def omitted_words(words: ChangedWords) -> list[DraftFinding] | None:
    """Silent omission: source words the quotation leaves out with no ellipsis."""
    if words.doc_keys:
        return None
    return [DraftFinding(FindingType.SILENT_OMISSION, None, words.src_span,
                         "source words left out without an ellipsis", word_impact([], words.src_keys))]


def reordered_words(words: ChangedWords) -> list[DraftFinding] | None:
    """Transposition: the same words in another order."""
    if Counter(words.doc_keys) != Counter(words.src_keys):
        return None
    return [DraftFinding(FindingType.TRANSPOSITION, words.doc_span, words.src_span, "the same words in another order",
                         word_impact(words.doc_keys, words.src_keys))]


def contraction(words: ChangedWords) -> list[DraftFinding] | None:
    """Normalisation: a contraction written out or shortened (`can't` for `can not`)."""
    if expand_contractions(words.doc_keys) != expand_contractions(words.src_keys):
        return None
    return [DraftFinding(FindingType.NORMALIZATION, words.doc_span, words.src_span,
                         "contraction written out or shortened")]


def number_in_words(words: ChangedWords) -> list[DraftFinding] | None:
    """Normalisation: a number in words for figures, or the other way, over several words
    (`twenty-five` for `25`, `one thousand two hundred` for `1,200`)."""
    if not same_number(words.doc_keys, words.src_keys):
        return None
    return [DraftFinding(FindingType.NORMALIZATION, words.doc_span, words.src_span, "a number written another way")]


def figure_written_differently(words: ChangedWords) -> list[DraftFinding] | None:
    """Substitution of a figure: the same characters cut into other words (5.2 for 52, 1-5 for
    15, -3.5% for 3.5): the figure changed, whatever the digits say."""
    joined = "".join(words.doc_keys)
    if joined != "".join(words.src_keys) or not any(c.isdigit() for c in joined):
        return None
    return [DraftFinding(FindingType.SUBSTITUTION, words.doc_span, words.src_span, "a figure written differently",
                         (Impact.NUMBER,))]


def hyphenation(words: ChangedWords) -> list[DraftFinding] | None:
    """Normalisation: the same letters joined or split by a hyphen only (`to-day` for `today`)."""
    if "".join(words.doc_keys) != "".join(words.src_keys):
        return None
    doc, src = words.texts()
    gaps = doc if len(words.doc_keys) > 1 else src
    if not all(ch in "-\u2010\u2011\u00ad" or ch.isalnum() for ch in gaps):
        return None
    return [DraftFinding(FindingType.NORMALIZATION, words.doc_span, words.src_span, "hyphenation differs")]


def split_or_joined_words(words: ChangedWords) -> list[DraftFinding] | None:
    """Transcription error: the same letters with a word split in two or two words run together."""
    if "".join(words.doc_keys) != "".join(words.src_keys):
        return None
    what = "a word split" if len(words.doc_keys) > len(words.src_keys) else "words joined"
    return [DraftFinding(FindingType.TRANSCRIPTION_ERROR, words.doc_span, words.src_span,
                         f"{what}: {char_changes(*words.texts())}", word_impact(words.doc_keys, words.src_keys))]


def slip_across_words(words: ChangedWords) -> list[DraftFinding] | None:
    """Transcription error: a slip that also moves a word boundary (`sec urity` for `security`)."""
    joined_doc, joined_src = "".join(words.doc_keys), "".join(words.src_keys)
    if len(words.doc_keys) == len(words.src_keys) or not is_slip(joined_doc, joined_src) or len(joined_src) < 6:
        return None
    return [DraftFinding(FindingType.TRANSCRIPTION_ERROR, words.doc_span, words.src_span,
                         f"a slip across words: {char_changes(*words.texts())}",
                         word_impact(words.doc_keys, words.src_keys))]


_ORDINAL_WORDS = {
    "first": "1", "second": "2", "third": "3", "fourth": "4", "fifth": "5", "sixth": "6", "seventh": "7",
    "eighth": "8", "ninth": "9", "tenth": "10", "eleventh": "11", "twelfth": "12", "thirteenth": "13",
    "fourteenth": "14", "fifteenth": "15", "sixteenth": "16", "seventeenth": "17", "eighteenth": "18",
    "nineteenth": "19", "twentieth": "20", "thirtieth": "30",
}
_ORDINAL_FIGURE_RE = re.compile(r"(\d+)(?:st|nd|rd|th)")


def _ordinal_value(key: str) -> str | None:
    """The figure an ordinal stands for (`7th`, `seventh`: `7`), else None."""
    m = _ORDINAL_FIGURE_RE.fullmatch(key)
    return m.group(1) if m else _ORDINAL_WORDS.get(key)


def _same_day(doc_key: str, src_key: str) -> bool:
    """An ordinal and a figure (or another ordinal) of one value: `7th`, `seventh`, `7`."""
    doc, src = _ordinal_value(doc_key), _ordinal_value(src_key)
    if doc is None and src is None:
        return False
    doc = doc if doc is not None else (doc_key if doc_key.isdigit() else None)
    src = src if src is not None else (src_key if src_key.isdigit() else None)
    return doc is not None and doc == src


def number_written_another_way(words: ChangedWords, k: int) -> DraftFinding | None:
    """Normalisation of word k: a number written in figures for words or the other way (12, twelve),
    or a day of the month written as an ordinal against a figure (`December 7th`, `December seventh`
    for `December 7`). An ordinal against a cardinal word (`seventh` for `seven`) is not one."""
    doc_key, src_key = words.doc_keys[k], words.src_keys[k]
    if NUMBER_VALUES.get(doc_key, doc_key) != NUMBER_VALUES.get(src_key, src_key) and not _same_day(doc_key, src_key):
        return None
    return DraftFinding(FindingType.NORMALIZATION, words.doc_words[k], words.src_words[k],
                        "a number written another way")


def spelled_another_way(words: ChangedWords, k: int) -> DraftFinding | None:
    """Normalisation of word k: British for American spelling or the other way (`colour`,
    `color`), or a title written out or abbreviated (`Mister` for `Mr.`)."""
    doc_key, src_key = words.doc_keys[k], words.src_keys[k]
    if same_spelling(doc_key, src_key):
        message = "British and American spelling"
    elif same_title(doc_key, src_key):
        message = "a title abbreviated or written out"
    else:
        return None
    return DraftFinding(FindingType.NORMALIZATION, words.doc_words[k], words.src_words[k], message)


def slip_inside_word(words: ChangedWords, k: int) -> DraftFinding | None:
    """Transcription error in word k: a typo or an OCR confusion inside the word."""
    doc_key, src_key = words.doc_keys[k], words.src_keys[k]
    if not is_slip(doc_key, src_key):
        return None
    # a misspelt word is not a changed figure: only changed digits are
    digits = ([c for c in doc_key if c.isdigit()] != [c for c in src_key if c.isdigit()]
              and not ocr_confusion(doc_key, src_key))
    impact = word_impact([doc_key], [src_key])
    if not digits:
        impact = tuple(kind for kind in impact if kind is not Impact.NUMBER)
    (doc_start, doc_end), (src_start, src_end) = words.doc_words[k], words.src_words[k]
    changes = char_changes(words.doc_text[doc_start:doc_end], words.src_text[src_start:src_end])
    return DraftFinding(FindingType.TRANSCRIPTION_ERROR, words.doc_words[k], words.src_words[k],
                        f"a slip inside a word: {changes}", impact)


def different_word(words: ChangedWords, k: int) -> DraftFinding | None:
    """Substitution of word k: another word in its place."""
    impact = word_impact([words.doc_keys[k]], [words.src_keys[k]], names=True,
                         doc_names=[words.doc_names[k]], src_names=[words.src_names[k]])
    return DraftFinding(FindingType.SUBSTITUTION, words.doc_words[k], words.src_words[k],
                        "quotation words in place of different source words", impact)


WORD_PAIR_RULES: tuple[Callable[[ChangedWords, int], DraftFinding | None], ...] = (
    number_written_another_way,
    spelled_another_way,
    slip_inside_word,
    different_word,
)
"""The taxonomy of one word for another, in order: the first rule that applies wins."""


def judge_word_pair(words: ChangedWords, k: int) -> DraftFinding:
    """The finding for word k of each side under the first rule of `WORD_PAIR_RULES` that applies."""
    for rule in WORD_PAIR_RULES:
        found = rule(words, k)
        if found is not None:
            return found
    raise AssertionError("different_word applies to any pair of words")


def join_neighbouring_substitutions(drafts: Sequence[DraftFinding], doc_text: str, src_text: str
                                    ) -> list[DraftFinding]:
    """Substituted words separated by spaces only, on both sides, are one substitution."""
    joined: list[DraftFinding] = []
    for draft in drafts:
        last = joined[-1] if joined else None
        if (last is not None and last.type is FindingType.SUBSTITUTION and draft.type is FindingType.SUBSTITUTION
                and last.doc and last.src and draft.doc and draft.src
                and not doc_text[last.doc[1]:draft.doc[0]].strip() and not src_text[last.src[1]:draft.src[0]].strip()):
            joined[-1] = last._replace(doc=(last.doc[0], draft.doc[1]), src=(last.src[0], draft.src[1]),
                                       impact=tuple(dict.fromkeys((*last.impact, *draft.impact))))
            continue
        joined.append(draft)
    return joined


def word_for_word(words: ChangedWords) -> list[DraftFinding] | None:
    """As many words on each side: each pair judged on its own by `WORD_PAIR_RULES`."""
    if len(words.doc_keys) != len(words.src_keys):
        return None
    drafts = [judge_word_pair(words, k) for k in range(len(words.doc_keys))]
    return join_neighbouring_substitutions(drafts, words.doc_text, words.src_text)


def _slice(words: ChangedWords, doc: slice, src: slice) -> ChangedWords:
    return ChangedWords(words.doc_text, words.src_text, words.doc_keys[doc], words.src_keys[src],
                        words.doc_words[doc], words.src_words[src], words.doc_names[doc], words.src_names[src])


def _light_pair(words: ChangedWords, k: int) -> DraftFinding | None:
    """The finding of word k of each side when it is the same word written another way or a slip."""
    for rule in (number_written_another_way, spelled_another_way, slip_inside_word):
        found = rule(words, k)
        if found is not None:
            return found
    return None


def same_words_at_the_edges(words: ChangedWords) -> list[DraftFinding] | None:
    """Other numbers of words on each side, the first (or last) of which is one word written
    another way or a slip (`organized one thousand` for `organised 1,000`): that pair on its own,
    and the rest judged again."""
    if not words.doc_keys or not words.src_keys or len(words.doc_keys) == len(words.src_keys):
        return None
    first = _light_pair(words, 0)
    if first is not None:
        return [first, *judge_words(_slice(words, slice(1, None), slice(1, None)))]
    tail = _slice(words, slice(-1, None), slice(-1, None))
    last = _light_pair(tail, 0)
    if last is not None:
        return [*judge_words(_slice(words, slice(None, -1), slice(None, -1))), last]
    return None


JOINING_WORDS = frozenset({"and", "but", "or", "so", "then", "while", "yet", "because", "as"})
"""Words a quoter puts where a stretch of the source is skipped (`..., and the ferries will stop`)."""


def joined_over_an_omission(words: ChangedWords) -> list[DraftFinding] | None:
    """Silent omission and insertion: a long stretch of the source left out, a joining word or two
    (`and`) put in its place, as where two far-apart sentences are spliced into one quotation."""
    if not words.doc_keys or len(words.doc_keys) > 2 or len(words.src_keys) < 6:
        return None
    if not all(k in JOINING_WORDS for k in words.doc_keys):
        return None
    return [DraftFinding(FindingType.SILENT_OMISSION, None, words.src_span,
                         f"{len(words.src_keys)} source words left out without an ellipsis, the quotation joining "
                         "over them", word_impact([], words.src_keys)),
            DraftFinding(FindingType.SILENT_INSERTION, words.doc_span, None,
                         "a joining word the source does not have where its words are left out")]


def different_words(words: ChangedWords) -> list[DraftFinding] | None:
    """Substitution: other words, and another number of them, in place of the source's."""
    return [DraftFinding(FindingType.SUBSTITUTION, words.doc_span, words.src_span,
                         "quotation words in place of different source words",
                         word_impact(words.doc_keys, words.src_keys, names=True, doc_names=words.doc_names,
                                     src_names=words.src_names))]


WORD_RULES: tuple[WordRule, ...] = (
    inserted_words,              # silent insertion
    not_the_speakers_words,      # normalisation: a transcript's stage direction or label left out
    omitted_words,               # silent omission
    reordered_words,             # transposition
    contraction,                 # normalisation
    number_in_words,             # normalisation
    figure_written_differently,  # substitution of a figure
    hyphenation,                 # normalisation
    split_or_joined_words,       # transcription error
    slip_across_words,           # transcription error
    word_for_word,               # per word: normalisation, transcription error or substitution
    same_words_at_the_edges,     # a word written another way beside other changed words
    joined_over_an_omission,     # silent omission with a joining word in its place
    different_words,             # substitution
)
"""The taxonomy of changed words, most specific first: the first rule that applies wins."""


def judge_words(words: ChangedWords) -> list[DraftFinding]:
    """The findings of some changed words under the first rule of `WORD_RULES` that applies."""
    for rule in WORD_RULES:
        found = rule(words)
        if found is not None:
            return found
    raise AssertionError("different_words applies to any words")
