"""Which way the quoting goes: a cheap check that the document quotes the source, and not the source
the document (`compare SOURCE -s DOCUMENT`, the two swapped).

The heuristic: the source's own quotations (inline and block, of `MIN_WORDS` words or more) are
looked for in the document, word for word as the comparator folds words (case, quotation marks,
dashes), by their first or their last `EDGE_WORDS` words (a quotation altered in its middle, or
at one end, is still found). When more of the source's quotations are
found in the document than the document has quotations matched in that source, the source is taken
to quote the document. Linear in the two texts; it only warns, it never changes the report.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from provenance.comparator.extract import extract_passages, passage_words
from provenance.model import PassageKind, PassageResult
from provenance.text import Text

MIN_WORDS = 4
"""Words a quotation of the source needs to count: fewer could be a phrase both texts use."""
EDGE_WORDS = 5
"""Words at each end of a quotation looked for in the document."""


def _grams(keys: Sequence[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(keys[k:k + n]) for k in range(len(keys) - n + 1)}


def quotations_found_in(quoting: Text, quoted: Text) -> int:
    """How many quotations of `quoting` (of `MIN_WORDS` words or more) `quoted` holds, by their first
    or last `EDGE_WORDS` words."""
    found = 0
    grams: dict[int, set[tuple[str, ...]]] = {}
    for passage in extract_passages(quoting, min_words=MIN_WORDS):
        if passage.kind not in (PassageKind.INLINE, PassageKind.BLOCK):
            continue
        keys = [quoting.tokens.keys[k] for k in passage_words(quoting, passage)]
        if len(keys) < MIN_WORDS:
            continue
        n = min(EDGE_WORDS, len(keys))
        if n not in grams:
            grams[n] = _grams(quoted.tokens.keys, n)
        if tuple(keys[:n]) in grams[n] or tuple(keys[-n:]) in grams[n]:
            found += 1
    return found


def quoted_from(passages: Iterable[PassageResult], source_index: int) -> int:
    """How many of the document's marked quotations were found in the source at `source_index`."""
    return sum(1 for p in passages if p.passage.kind in (PassageKind.INLINE, PassageKind.BLOCK)
               and p.match is not None and p.match.source == source_index)


def swapped(document: Text, source: Text, passages: Iterable[PassageResult], source_index: int) -> int:
    """The number of the source's quotations found in the document when that is more than the document's
    quotations found in the source (the two look swapped), else 0."""
    reverse = quotations_found_in(source, document)
    return reverse if reverse > quoted_from(passages, source_index) else 0


__all__ = ["EDGE_WORDS", "MIN_WORDS", "quotations_found_in", "quoted_from", "swapped"]
