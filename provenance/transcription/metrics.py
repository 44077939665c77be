"""Metrics: character and word error rates of a transcription against its source.

People who check transcriptions (archives, OCR and HTR projects) speak in error rates, and two
tools set the figures they quote. Each definition here is named after what it counts, and gives
the same figure as the tool that uses it:

- `codepoints` (CER) and `whitespace` (WER), as jiwer computes them: CER over the code points of
  the texts stripped at both ends; WER over the words left by jiwer's default transform: runs of
  two or more whitespace characters become one space, the ends are stripped, and the text is
  split on single spaces (so a lone line break or tab does not separate two words, as in jiwer).
- `graphemes` (CER) and `unicode-words` (WER), as dinglehopper computes them: CER over the
  extended grapheme clusters of the NFC-normalised texts; WER over the words of Unicode word
  segmentation (UAX #29, as `uniseg` gives it) of the NFC texts, leaving out the segments made only of
  whitespace, punctuation, symbols, marks and control or format characters.

Each figure is given raw and after normalisation: both texts folded as the comparator folds them
for comparison (`text.fold`: Unicode compatibility form, case, quotation marks, dashes,
whitespace, invisible characters, line-end hyphenation), then measured the same way.

Edit distances are the true minimum: rapidfuzz's Levenshtein opcodes over the whole of both
sequences of units (each unit given an integer id, as jiwer does), one bit-parallel call with no
heuristic, so a 67,000-character page takes a fraction of a second. The comparator's own aligner
(`align.align`, which anchors long texts on unique n-grams to stay fast on a book) is never used
for a figure: an anchor that is a coincidence makes its edit count exceed the minimum. Several
scripts of minimal cost can exist; the substitution, deletion, insertion and hit counts are
those of rapidfuzz's script, the one jiwer reports, so they equal jiwer's one for one (on texts
past 100,000 units each, where rapidfuzz is helped by a hint, the script is one of the same cost,
possibly another: see `JIWER_SCRIPT_LIMIT`).

With an empty reference (an empty or whitespace-only text) the rate follows jiwer's documented
convention (since jiwer 4.0): 0 when the transcription is empty too, otherwise the number of
insertions (every unit of the transcription counts as an error, over a reference counted as one);
dinglehopper gives infinity there, which no report format can carry.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from functools import lru_cache

from rapidfuzz.distance import Levenshtein
from uniseg.graphemecluster import grapheme_clusters
from uniseg.wordbreak import WordBreak
from uniseg.wordbreak import word_break as uax29_word_break
from uniseg.wordbreak import words as uax29_words

from provenance.model import ErrorRate, TranscriptionMetrics
from provenance.text import fold

_MULTIPLE_SPACES_RE = re.compile(r"\s\s+")
_UNWANTED_CATEGORIES = frozenset("MPZS")
_UNWANTED_SUBCATEGORIES = frozenset(("Cc", "Cf"))
_SAFE_AFTER_SPACE = frozenset(("Lu", "Ll", "Lt", "Lm", "Lo", "Nd", "Nl", "No", "Pc", "Pd", "Ps", "Pe", "Pi", "Pf",
                               "Po", "Sm", "Sc", "So"))


def codepoints(text: str) -> list[str]:
    """Units of the `codepoints` CER: the code points of the text stripped at both ends."""
    return list(text.strip())


# Runs that need the full UAX #29 grapheme rules: anything but ASCII, and the CR of a CR LF pair.
_SPECIAL_RUN_RE = re.compile(r"[^\x00-\x0c\x0e-\x7f]+")


def graphemes(text: str) -> list[str]:
    """Units of the `graphemes` CER: extended grapheme clusters (UAX #29, by uniseg) of the NFC text.

    uniseg walks the rules in Python, a few microseconds a character; between two ASCII
    characters other than CR LF there is always a boundary, so only the other runs, with one
    character of context on each side, are handed to it.
    """
    text = unicodedata.normalize("NFC", text)
    if text.isascii() and "\r" not in text:
        return list(text)
    out: list[str] = []
    pos = 0
    runs = [(max(0, m.start() - 1), min(len(text), m.end() + 1)) for m in _SPECIAL_RUN_RE.finditer(text)]
    merged: list[list[int]] = []
    for start, end in runs:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    for start, end in merged:
        out.extend(text[pos:start])
        out.extend(grapheme_clusters(text[start:end]))
        pos = end
    out.extend(text[pos:])
    return out


def whitespace_words(text: str) -> list[str]:
    """Units of the `whitespace` WER: jiwer's default words (see the module docstring)."""
    return [w for w in _MULTIPLE_SPACES_RE.sub(" ", text).strip().split(" ") if w]


def _is_word(segment: str) -> bool:
    """Whether a UAX #29 segment holds something besides spacing, punctuation, symbols and marks."""
    for ch in segment:
        category = unicodedata.category(ch)
        if category[0] not in _UNWANTED_CATEGORIES and category not in _UNWANTED_SUBCATEGORIES:
            return True
    return False


_WHITESPACE_RUN_RE = re.compile(r"\s+")


def _word_break(ch: str) -> WordBreak:
    """The UAX #29 Word_Break property, with the Private Use Area read as letters (ALetter), as
    dinglehopper means it (its test `test_words_private_use_area`): MUFI characters of early
    printed texts (`deelben` with a PUA ligature) stay inside their word. dinglehopper patches
    uniseg for it, a patch uniseg 0.10 no longer sees; here the property is passed to uniseg."""
    if "\ue000" <= ch <= "\uf8ff":
        return WordBreak.ALETTER
    return uax29_word_break(ch)


@lru_cache(maxsize=1 << 16)
def _piece_words(piece: str) -> tuple[str, ...]:
    return tuple(w for w in uax29_words(piece, property=_word_break) if _is_word(w))


def unicode_words(text: str) -> list[str]:
    """Units of the `unicode-words` WER: UAX #29 words of the NFC text, punctuation left out.

    uniseg walks the rules in Python; a run of whitespace is always a word boundary when the
    character after it is a letter, a digit, punctuation or a non-modifier symbol (no rule joins
    across it), so the text is cut there and each piece, mostly a recurring word, is segmented
    once.
    """
    text = unicodedata.normalize("NFC", text)
    out: list[str] = []
    pos = 0
    for m in _WHITESPACE_RUN_RE.finditer(text):
        after = text[m.end():m.end() + 1]
        if after and unicodedata.category(after) not in _SAFE_AFTER_SPACE:
            continue
        out.extend(_piece_words(text[pos:m.start()]))
        pos = m.end()
    out.extend(_piece_words(text[pos:]))
    return out


DEFINITIONS: dict[str, tuple[str, str, Callable[[str], list[str]]]] = {
    "codepoints": ("cer", "jiwer", codepoints),
    "graphemes": ("cer", "dinglehopper", graphemes),
    "whitespace": ("wer", "jiwer", whitespace_words),
    "unicode-words": ("wer", "dinglehopper", unicode_words),
}
"""Each definition by name: the measure it gives, the tool it matches, how it cuts a text into units."""


JIWER_SCRIPT_LIMIT = 10_000_000_000
"""Largest product of the two lengths (in units) whose edit script is computed exactly as jiwer does.

Beyond it (two texts of 100,000 units each) rapidfuzz is given a hint of the distance, which makes
it fast on texts that mostly agree (a 580,000-character transcription with 1 % of errors: 1 s
instead of 30 s a figure): the distance is the same minimum, but where several scripts of minimal
cost exist the hinted search can return another one, with another split into substitutions,
deletions and insertions than jiwer's."""


def edit_counts(reference: Sequence[str], hypothesis: Sequence[str]) -> tuple[int, int, int, int]:
    """Substitutions, deletions, insertions and hits of a minimal edit script: rapidfuzz's, the
    one jiwer reports (beyond `JIWER_SCRIPT_LIMIT`, one of the same cost)."""
    ids: dict[str, int] = {}
    ref_ids = [ids.setdefault(u, len(ids)) for u in reference]
    hyp_ids = [ids.setdefault(u, len(ids)) for u in hypothesis]
    hint = None
    if len(ref_ids) * len(hyp_ids) > JIWER_SCRIPT_LIMIT:
        hint = max(31, abs(len(ref_ids) - len(hyp_ids)))  # a lower bound; rapidfuzz doubles it as needed
    hits = substitutions = deletions = insertions = 0
    # rapidfuzz's replace blocks pair units one for one (i2 - i1 == j2 - j1)
    for op in Levenshtein.opcodes(ref_ids, hyp_ids, score_hint=hint):
        if op.tag == "equal":
            hits += op.src_end - op.src_start
        elif op.tag == "replace":
            substitutions += op.src_end - op.src_start
        elif op.tag == "delete":
            deletions += op.src_end - op.src_start
        else:
            insertions += op.dest_end - op.dest_start
    return substitutions, deletions, insertions, hits


def error_rate(reference: Sequence[str], hypothesis: Sequence[str], *, measure: str, definition: str,
               normalized: bool) -> ErrorRate:
    """Counts and rate of the fewest edits turning the reference units into the hypothesis units.

    The rate is errors over reference units; with an empty reference it is, as in jiwer, the
    number of insertions (0 when the hypothesis is empty too).
    """
    substitutions, deletions, insertions, hits = edit_counts(reference, hypothesis)
    errors = substitutions + deletions + insertions
    n = len(reference)
    rate = errors / n if n else float(errors)
    return ErrorRate(measure=measure, definition=definition, matches=DEFINITIONS[definition][1],
                     normalized=normalized, rate=rate, substitutions=substitutions, deletions=deletions,
                     insertions=insertions, hits=hits, reference_length=n, hypothesis_length=len(hypothesis))


def measure(reference: str, hypothesis: str, definition: str, *, normalized: bool = False) -> ErrorRate:
    """One figure: the error rate of `hypothesis` against `reference` under a named definition."""
    if definition not in DEFINITIONS:
        raise ValueError(f"unknown definition {definition!r}; one of {', '.join(DEFINITIONS)}")
    kind, _, units = DEFINITIONS[definition]
    if normalized:
        reference, hypothesis = fold(reference), fold(hypothesis)
    return error_rate(units(reference), units(hypothesis), measure=kind, definition=definition,
                      normalized=normalized)


def transcription_metrics(reference: str, hypothesis: str, *, reference_id: str = "source") -> TranscriptionMetrics:
    """CER and WER under both definitions, raw and normalised: eight figures, in a fixed order."""
    rates = tuple(measure(reference, hypothesis, definition, normalized=normalized)
                  for normalized in (False, True) for definition in DEFINITIONS)
    return TranscriptionMetrics(reference=reference_id, rates=rates)


__all__ = ["DEFINITIONS", "JIWER_SCRIPT_LIMIT", "codepoints", "edit_counts", "error_rate", "graphemes", "measure",
           "transcription_metrics", "unicode_words", "whitespace_words"]
