"""Placement: where omissions and insertions stand, so that findings cover every difference.

Classification says what changed word by word; an omission then has no document side yet and an
insertion no source side. Placing one means choosing how much of the text around its words it
takes (the words alone, or with the spaces or punctuation before or after them) and the point on
the other side facing it, so that what is left between findings lines up on both sides.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from provenance.model import FindingType, Impact

Offsets = tuple[int, int]
"""A half-open (start, end) range of code points in the document or in the source."""


class DraftFinding(NamedTuple):
    """A finding in the making, or a matched word (no type); a side of None is a point still to
    be placed. (A named tuple: one is made for every matched word, and it is cheap to make.)"""

    type: FindingType | None
    """The finding type, or None for a word matched in both texts."""
    doc: Offsets | None
    """Where it stands in the document; None for an omission not placed yet."""
    src: Offsets | None
    """Where it stands in the source; None for an insertion not placed yet."""
    message: str = ""
    """What the finding says to a reader."""
    impact: tuple[Impact, ...] = ()
    """The changes of meaning it brings."""


def following_starts(drafts: Sequence[DraftFinding], doc_end: int, src_end: int) -> list[Offsets]:
    """For each draft, where the next draft with a document side starts and where the next one with
    a source side starts (the passage's ends when none follows): how far a placement may reach."""
    starts = [(doc_end, src_end)] * len(drafts)
    next_doc, next_src = doc_end, src_end
    for k in range(len(drafts) - 1, -1, -1):
        starts[k] = (next_doc, next_src)
        doc, src = drafts[k].doc, drafts[k].src
        if doc is not None:
            next_doc = doc[0]
        if src is not None:
            next_src = src[0]
    return starts


def extent_options(text: str, words: Offsets, floor: int, ceiling: int) -> list[Offsets]:
    """The ways a run of words may be cut out of `text`, in order of preference: the words alone,
    with the spaces before them, with all the spaces and punctuation before them, then the same
    after them; never reaching before `floor` or past `ceiling`, and without repeats."""
    start, end = words
    space_start = start
    while space_start > floor and text[space_start - 1] in " \t":
        space_start -= 1
    mark_start = space_start
    while mark_start > floor and not text[mark_start - 1].isalnum():
        mark_start -= 1
    space_end = end
    while space_end < ceiling and text[space_end] in " \t":
        space_end += 1
    mark_end = space_end
    while mark_end < ceiling and not text[mark_end].isalnum():
        mark_end += 1
    options = [words]
    for option in ((space_start, end), (mark_start, end), (start, space_end), (start, mark_end)):
        if option not in options:
            options.append(option)
    return options


def _fit(here: str, extent: Offsets, here_span: Offsets, there: str, there_span: Offsets) -> tuple[int, int]:
    """How well cutting `extent` out of `here` lines the two sides up, and the point it faces.

    The text before the extent must stand on the other side too (score 2), and better still the
    text after it up to the next draft (score 3). Failing that (score 0), the point goes after
    what the two sides have in common.
    """
    pos, here_next = here_span
    other_pos, there_next = there_span
    lead = here[pos:extent[0]]
    if there.startswith(lead, other_pos) and other_pos + len(lead) <= there_next:
        point = other_pos + len(lead)
        return 2 + (here[extent[1]:here_next] == there[point:there_next]), point
    common = 0
    while (other_pos + common < there_next and pos + common < extent[0]
           and here[pos + common] == there[other_pos + common]):
        common += 1
    return 0, other_pos + common


def place_run(here: str, words: Offsets, here_span: Offsets, there: str, there_span: Offsets
              ) -> tuple[Offsets, int]:
    """Place a run of words found on one side only: the extent of `here` it covers, and the point
    of `there` facing it.

    `here_span` runs from where this side's text is still to be covered to where the next draft
    with this side starts; `there_span` is the same on the other side. Of the extents offered by
    `extent_options`, the first that fits best wins.
    """
    best: tuple[int, Offsets, int] | None = None
    for extent in extent_options(here, words, *here_span):
        score, point = _fit(here, extent, here_span, there, there_span)
        if best is None or score > best[0]:
            best = (score, extent, point)
    assert best is not None
    return best[1], best[2]


def _touching_normalizations(first: DraftFinding, second: DraftFinding) -> bool:
    """Whether two normalisations follow each other with nothing between them, on both sides."""
    return (first.type is FindingType.NORMALIZATION and second.type is FindingType.NORMALIZATION
            and first.doc is not None and second.doc is not None and first.src is not None
            and second.src is not None and first.doc[1] == second.doc[0] and first.src[1] == second.src[0])


def merge_neighbouring_normalizations(drafts: Sequence[DraftFinding]) -> list[DraftFinding]:
    """Join normalisations that touch on both sides into one: they read better as one. A mojibake
    message wins over another, since the encoding damage is what a reader must learn."""
    merged: list[DraftFinding] = []
    for draft in drafts:
        last = merged[-1] if merged else None
        if last is None or not _touching_normalizations(last, draft):
            merged.append(draft)
            continue
        assert last.doc is not None and last.src is not None and draft.doc is not None and draft.src is not None
        message = last.message
        if draft.message.startswith("mojibake") and not last.message.startswith("mojibake"):
            message = draft.message
        # min and max: a line end the source writes CR and the document CRLF can place the two out of order
        merged[-1] = last._replace(doc=(min(last.doc[0], draft.doc[0]), max(last.doc[1], draft.doc[1])),
                                   src=(min(last.src[0], draft.src[0]), max(last.src[1], draft.src[1])),
                                   message=message)
    return merged


__all__ = ["DraftFinding", "Offsets", "extent_options", "following_starts", "merge_neighbouring_normalizations",
           "place_run"]
