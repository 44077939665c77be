"""Classify: turn a word alignment into findings under the most specific type of the taxonomy.

The findings of a passage account for every difference: replacing each finding's source span by
its document text, in order, turns the source span into the passage exactly (hidden characters
are reported on their own as well, inside the finding that covers them, if any).

How a passage is judged, in the order of this module:
1. the alignment is walked into runs of matched words and the changed regions between them
   (`aligned_steps`), after merging nearby insertions and deletions of the same words into
   transpositions;
2. each changed region yields its markup findings (ellipses, brackets), then its words are judged
   by `provenance.comparator.word_rules.WORD_RULES`, the taxonomy as an ordered list of rules where the first
   that applies wins, with the changes of meaning of `provenance.comparator.impact`;
3. omissions and insertions are placed and every remaining difference of the raw text is
   covered (`PassageComparer.place`, with the helpers of `provenance.comparator.placement`);
4. hidden characters are added (`provenance.comparator.hidden`).
Attribution (who a passage is said to come from) lives in `provenance.comparator.attribution`.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import replace
from itertools import accumulate
from typing import NamedTuple

from provenance.comparator.align import Opcode
from provenance.comparator.attribution import misattribution, name_words, source_names
from provenance.comparator.compound import whole_tokens
from provenance.comparator.extract import markup_positions
from provenance.comparator.hidden import hidden_findings, hidden_message
from provenance.comparator.impact import reads_as_name, unit_signs, word_impact
from provenance.comparator.placement import (
    DraftFinding,
    Offsets,
    following_starts,
    merge_neighbouring_normalizations,
    place_run,
)
from provenance.comparator.tuning import TRANSPOSITION_REACH
from provenance.comparator.variants import same_spelling
from provenance.comparator.word_rules import WORD_PAIR_RULES, WORD_RULES, ChangedWords, judge_words
from provenance.model import (
    Finding,
    FindingType,
    Impact,
    Markup,
    Severity,
    Span,
    Verdict,
)
from provenance.taxonomy import severity_of
from provenance.text import HIDDEN_RE, HOMOGLYPHS, Text, fix_mojibake, fold_word

BESIDE_THE_TEXT = frozenset({FindingType.MISATTRIBUTION, FindingType.OUT_OF_CONTEXT})
"""Findings about a matched passage that are not differences of its text (who it is credited to,
what the source says around it): they leave its verdict and its rebuilding alone."""


def verdict_of(findings: Sequence[Finding]) -> Verdict:
    """The verdict of a matched passage from its findings (attribution and context aside: they are
    not the text)."""
    findings = [f for f in findings if f.type not in BESIDE_THE_TEXT]
    types = {f.type for f in findings}
    if FindingType.PARAPHRASE in types:
        return Verdict.PARAPHRASE
    if FindingType.UNSOURCED in types:
        return Verdict.UNSOURCED
    if all(f.type is FindingType.NORMALIZATION for f in findings):
        return Verdict.VERBATIM
    if all(f.severity is Severity.INFO for f in findings):
        return Verdict.FAITHFUL
    return Verdict.ALTERED


def doubted_by_ocr(findings: Sequence[Finding], source: Text) -> list[Finding]:
    """The findings with those that fall on a word the source's OCR was unsure of made info, and
    said to be a possible misreading of the scan rather than the transcriber's change: the
    document may be right and the OCR wrong. A normalisation stays as it is."""
    origin = source.origin
    if origin is None or not origin.low_confidence:
        return list(findings)
    out: list[Finding] = []
    for f in findings:
        confidence = origin.confidence_at(f.src_span) if f.src_span is not None else None
        if confidence is None or f.type is FindingType.NORMALIZATION:
            out.append(f)
            continue
        out.append(replace(f, severity=Severity.INFO,
                           message=f"{f.message}; possibly an OCR misreading of the scan, not a change: the "
                                   f"source word was read with confidence {confidence:.0f} of 100 (check the image)"))
    return out


_HOMOGLYPH_TABLE = str.maketrans(HOMOGLYPHS)


def mojibake_message(doc_text: str, src_text: str) -> str | None:
    """Say so when one side is the other's text decoded with the wrong encoding (mojibake)."""
    for side, damaged in (("document", doc_text), ("source", src_text)):
        repaired = fix_mojibake(damaged)
        if repaired is not None:
            return (f"mojibake: the {side} has {' '.join(damaged.split())[:60]!r}, which is "
                    f"{' '.join(repaired.split())[:60]!r} decoded with the wrong encoding "
                    "(UTF-8 read as Windows-1252 or Latin-1)")
    return None


def _seen(text: str) -> str:
    """Text as a reader sees it: invisible characters gone, look-alike letters as the Latin ones."""
    text = HIDDEN_RE.sub("", text)
    return text.translate(_HOMOGLYPH_TABLE) if not text.isascii() else text


# -- walking an alignment ---------------------------------------------------------------------

class MatchedRun(NamedTuple):
    """Consecutive passage words aligned with equal source words, with no markup between them."""

    doc_start: int
    """The index of the first among the passage's words."""
    src_start: int
    """The index of the first among the source span's words."""
    length: int
    """How many words the run has."""


class ChangedRegion(NamedTuple):
    """The words between two matched words (either side may be empty)."""

    doc_words: range
    """Indices of the passage's words in the region."""
    src_words: range
    """Indices of the source span's words in the region."""
    transposed: bool
    """Whether the region is one transposition (it then stands alone)."""
    after: int
    """The matched (or transposed) word before the region, -1 at the start: the region's markup
    stands in the gaps after it (gap k lies before word k)."""
    before: int
    """The last gap whose markup belongs to the region."""


def _region(doc_words: list[int], src_words: list[int], transposed: bool, after: int, before: int) -> ChangedRegion:
    """A changed region from the word indices gathered for it."""
    return ChangedRegion(range(doc_words[0], doc_words[-1] + 1) if doc_words else range(0),
                         range(src_words[0], src_words[-1] + 1) if src_words else range(0),
                         transposed, after, before)


def aligned_steps(ops: Sequence[Opcode], doc_count: int, marked_gaps: Sequence[int] = ()
                  ) -> Iterator[MatchedRun | ChangedRegion]:
    """Walk an alignment of `doc_count` passage words: runs of matched words, each preceded by
    the region of changed words before it if there is one, and a last region after the last run.
    A transposition is a region of its own. Markup (`marked_gaps`, sorted: gap k lies before
    word k) belongs to the region it stands in, and cuts a run, leaving a region of no words."""
    after = -1
    doc_words: list[int] = []
    src_words: list[int] = []
    for op in ops:
        if op.tag == "equal":
            start = op.i1
            for cut in _run_cuts(marked_gaps, op.i1, op.i2):
                if doc_words or src_words or _marked_between(marked_gaps, after, start):
                    yield _region(doc_words, src_words, False, after, start)
                    doc_words, src_words = [], []
                yield MatchedRun(start, op.j1 + start - op.i1, cut - start)
                after, start = cut - 1, cut
            continue
        if op.tag == "transpose" and (doc_words or src_words):
            yield _region(doc_words, src_words, False, after, op.i1)
            doc_words, src_words = [], []
        doc_words.extend(range(op.i1, op.i2))
        src_words.extend(range(op.j1, op.j2))
        if op.tag == "transpose":
            last_word = op.i2 - 1 if op.i2 > op.i1 else op.i1
            yield _region(doc_words, src_words, True, after, last_word)
            doc_words, src_words = [], []
            after = op.i2 - 1 if op.i2 > op.i1 else after
    if doc_words or src_words or _marked_between(marked_gaps, after, doc_count):
        yield _region(doc_words, src_words, False, after, doc_count)


def _run_cuts(marked_gaps: Sequence[int], first: int, end: int) -> list[int]:
    """Where markup cuts the run of matched words `first..end - 1`: before each word but the first
    with markup in the gap before it; then the run's end."""
    inside = marked_gaps[bisect.bisect_right(marked_gaps, first):bisect.bisect_left(marked_gaps, end)]
    return [*dict.fromkeys(inside), end]


def _marked_between(marked_gaps: Sequence[int], after: int, before: int) -> bool:
    """Whether markup stands in a gap after word `after` and up to the gap before word `before`."""
    return bisect.bisect_right(marked_gaps, after) < bisect.bisect_right(marked_gaps, before)


def _marked_inside(marked: Sequence[int], start: int, end: int) -> bool:
    """Whether a gap holding markup lies strictly between words `start` and `end` (sorted gaps)."""
    return bisect.bisect_right(marked, start) < bisect.bisect_left(marked, end)


# -- covering the text between findings --------------------------------------------------------

def gap_finding(doc_text: str, src_text: str, doc_start: int, doc_end: int, src_start: int, src_end: int
                ) -> DraftFinding | None:
    """The finding for the text between two findings or matched words, if the two sides differ
    there: a sign on a figure changed is a substitution, anything else a normalisation."""
    # Raw text: an invisible character between words is a difference the finding covers.
    if doc_text[doc_start:doc_end] == src_text[src_start:src_end]:
        return None
    doc_gap, src_gap = (doc_start, doc_end), (src_start, src_end)
    if unit_signs(doc_text, doc_start, doc_end) != unit_signs(src_text, src_start, src_end):
        # a percent, currency or minus sign on a figure changes the figure
        return DraftFinding(FindingType.SUBSTITUTION, doc_gap, src_gap, "a sign on a figure changed",
                            (Impact.NUMBER,))
    message = mojibake_message(doc_text[doc_start:doc_end], src_text[src_start:src_end])
    return DraftFinding(FindingType.NORMALIZATION, doc_gap, src_gap, message or "punctuation, case or spacing differs")


def matched_word_finding(doc_text: str, src_text: str, doc_word: Offsets, src_word: Offsets) -> DraftFinding | None:
    """A normalisation for two matched words whose raw text differs (case, spelling form, mojibake)
    beyond the invisible characters the document adds: those are reported on their own, while a
    source word with its own is covered whole."""
    doc, src = doc_text[doc_word[0]:doc_word[1]], src_text[src_word[0]:src_word[1]]
    if doc == src:
        return None
    seen_src = _seen(src)
    if _seen(doc) == seen_src and seen_src == src:
        return None
    if doc_text.startswith("[", doc_word[1]) and fold_word(src).startswith(fold_word(doc)):
        # the first half of a word a bracket splits (`con[Pg 262]vinced`), compared whole
        return DraftFinding(FindingType.NORMALIZATION, doc_word, src_word, "a word split by a bracket")
    spelling = "British and American spelling" if same_spelling(fold_word(doc), fold_word(src)) else None
    return DraftFinding(FindingType.NORMALIZATION, doc_word, src_word,
                        mojibake_message(doc, src) or spelling or "case or spelling form differs")


class PassageComparer:
    """Builds the findings of one passage aligned with one source span."""

    def __init__(self, doc: Text, src: Text, doc_tokens: Sequence[int], src_first: int,
                 markup: Sequence[Markup], span: Span, src_span: Span) -> None:
        self.doc = doc
        self.src = src
        self.doc_text = doc.original
        self.src_text = src.original
        self.doc_tokens = doc_tokens
        """The document token of each passage word."""
        self.src_first = src_first
        """The source token of the first word of the source span."""
        self.markup = [m for m in markup if m.kind != "ignored"]
        self.span = span
        self.src_span = src_span

    # -- words -------------------------------------------------------------------------------
    def doc_word(self, i: int) -> Offsets:
        """Where passage word i stands in the document."""
        token = self.doc_tokens[i]
        return self.doc.tokens.starts[token], self.doc.tokens.ends[token]

    def src_word(self, j: int) -> Offsets:
        """Where word j of the source span stands in the source."""
        token = self.src_first + j
        return self.src.tokens.starts[token], self.src.tokens.ends[token]

    def doc_key(self, i: int) -> str:
        """The comparison key of passage word i."""
        return self.doc.tokens.keys[self.doc_tokens[i]]

    def src_key(self, j: int) -> str:
        """The comparison key of word j of the source span."""
        return self.src.tokens.keys[self.src_first + j]

    def _src_span_of(self, src_words: range) -> Offsets | None:
        """From the first of some source words to the last, None if there are none."""
        return (self.src_word(src_words[0])[0], self.src_word(src_words[-1])[1]) if src_words else None

    def changed_words(self, doc_words: range, src_words: range) -> ChangedWords:
        """The passage words `doc_words` and source words `src_words`, ready for the word rules."""
        doc_offsets = tuple(self.doc_word(i) for i in doc_words)
        src_offsets = tuple(self.src_word(j) for j in src_words)
        return ChangedWords(
            self.doc_text, self.src_text,
            tuple(self.doc_key(i) for i in doc_words), tuple(self.src_key(j) for j in src_words),
            doc_offsets, src_offsets,
            tuple(reads_as_name(self.doc_text, start, end, self.span.start) for start, end in doc_offsets),
            tuple(reads_as_name(self.src_text, start, end, self.src_span.start) for start, end in src_offsets),
        )

    # -- alignment post-processing -------------------------------------------------------
    def _same_words(self, doc_start: int, doc_end: int, src_start: int, src_end: int) -> bool:
        """Whether passage words `doc_start:doc_end` are source words `src_start:src_end` in some order."""
        return (Counter(self.doc_key(i) for i in range(doc_start, doc_end))
                == Counter(self.src_key(j) for j in range(src_start, src_end)))

    def _swapped_in_place(self, op: Opcode, marked: Sequence[int]) -> Opcode | None:
        """A replaced block of several words that are the source's in another order, as a transposition."""
        if (op.tag == "replace" and self._same_words(op.i1, op.i2, op.j1, op.j2) and op.i2 - op.i1 > 1
                and not _marked_inside(marked, op.i1, op.i2)):
            return Opcode("transpose", op.i1, op.i2, op.j1, op.j2)
        return None

    def _swapped_nearby(self, op: Opcode, middle: Opcode, following: Opcode, marked: Sequence[int]
                        ) -> Opcode | None:
        """A change, a few equal words, and another change that together hold the same words on
        both sides, as one transposition."""
        if (op.tag in ("insert", "delete", "replace") and middle.tag == "equal"
                and middle.i2 - middle.i1 <= TRANSPOSITION_REACH and following.tag != "equal"
                and self._same_words(op.i1, following.i2, op.j1, following.j2)
                and not _marked_inside(marked, op.i1, following.i2)):
            return Opcode("transpose", op.i1, following.i2, op.j1, following.j2)
        return None

    def merge_transpositions(self, ops: list[Opcode], gaps: set[int] | None = None) -> list[Opcode]:
        """Merge an insertion and a deletion of the same words close by into a transposition.

        Never across markup: words on either side of a bracket or an ellipsis are not swapped.
        """
        marked = sorted(gaps or ())
        out = list(ops)
        k = 0
        while k < len(out):
            swapped = self._swapped_in_place(out[k], marked)
            if swapped is not None:
                out[k] = swapped
                k += 1
                continue
            if k + 2 < len(out):
                swapped = self._swapped_nearby(out[k], out[k + 1], out[k + 2], marked)
                if swapped is not None:
                    out[k:k + 3] = [swapped]
                    continue
            k += 1
        return out

    # -- classification of one changed region ----------------------------------------------
    def word_findings(self, doc_words: range, src_words: range) -> list[DraftFinding]:
        """Findings for passage words standing where the source has other words (no markup)."""
        if not doc_words and not src_words:
            return []
        return judge_words(self.changed_words(doc_words, src_words))

    def _attached_bracket(self, doc_words: range, src_words: range, marks: Sequence[Markup]
                          ) -> tuple[DraftFinding, Markup] | None:
        """`[T]he` for `the`, `reposition[ing]` for `repositioning`: a bracket inside a word, with
        the bracket it takes up."""
        if len(doc_words) != 1 or len(src_words) != 1:
            return None
        doc_start, doc_end = self.doc_word(doc_words[0])
        for mark in marks:
            if mark.kind != "bracket" or not (mark.span.end == doc_start or mark.span.start == doc_end):
                continue
            inner = self.doc_text[mark.span.start + 1:mark.span.end - 1]
            word = self.doc_text[doc_start:doc_end]
            combined = inner + word if mark.span.end == doc_start else word + inner
            if fold_word(combined) == self.src_key(src_words[0]):
                extent = (min(doc_start, mark.span.start), max(doc_end, mark.span.end))
                return DraftFinding(FindingType.EDITORIAL_SUBSTITUTION, extent, self.src_word(src_words[0]),
                                    "a bracketed change inside a word"), mark
        return None

    @staticmethod
    def _consumer(marks: Sequence[Markup], doc_words: range, src_words: range) -> Markup | None:
        """The markup that stands for the region's source words: an ellipsis, or a bracket when
        the quotation has no words of its own there."""
        if not src_words:
            return None
        ellipses = [m for m in marks if m.kind == "ellipsis"]
        brackets = [m for m in marks if m.kind == "bracket"]
        if ellipses:
            return ellipses[0]
        if brackets and not doc_words:
            return brackets[0]
        return None

    def _bracket_in_source(self, bracket: Markup, src_words: range) -> bool:
        """Whether the source has the same brackets around the same words: `[2019] EWCA Civ 12
        [34]` quoted from a source that has them is text, not markup."""
        src_span = self._src_span_of(src_words)
        if src_span is None:
            return False
        bracketed = self.doc_text[bracket.span.start + 1:bracket.span.end - 1]
        return (self.src_text[src_span[0] - 1:src_span[0]] == "[" and self.src_text[src_span[1]:src_span[1] + 1] == "]"
                and " ".join(fold_word(w) for w in bracketed.split()) == " ".join(self.src_key(j) for j in src_words))

    def _markup_finding(self, mark: Markup, consumed: range | None) -> DraftFinding:
        """The finding of one piece of markup; `consumed` are the source words it stands for, if
        it is the region's consumer."""
        extent = (mark.span.start, mark.span.end)
        if consumed is None:
            if mark.kind == "bracket":
                return DraftFinding(FindingType.EDITORIAL_INSERTION, extent, None, "words added in square brackets")
            return DraftFinding(FindingType.NORMALIZATION, extent, None, "an ellipsis where nothing is left out")
        src_span = self._src_span_of(consumed)
        if mark.kind == "ellipsis":
            return DraftFinding(FindingType.MARKED_OMISSION, extent, src_span,
                                "source words left out where the quotation has an ellipsis")
        bracket_keys = [self.doc.tokens.keys[t] for t in self.doc.tokens.within(*extent)]
        return DraftFinding(FindingType.EDITORIAL_SUBSTITUTION, extent, src_span,
                            "bracketed words standing in for source words",
                            word_impact(bracket_keys, [self.src_key(j) for j in consumed]))

    def _transposition(self, doc_words: range, src_words: range) -> DraftFinding:
        """The finding of a region that is one transposition."""
        doc_span = (self.doc_word(doc_words[0])[0], self.doc_word(doc_words[-1])[1])
        return DraftFinding(FindingType.TRANSPOSITION, doc_span, self._src_span_of(src_words),
                            "the same words in another order",
                            word_impact([self.doc_key(i) for i in doc_words], [self.src_key(j) for j in src_words]))

    def _words_between_markup(self, doc_words: range, src_words: range, marks: Sequence[Markup]
                              ) -> list[DraftFinding]:
        """Findings for the words of a region, the words on either side of a piece of markup being
        separate changes; the source words go with the first group."""
        groups: list[list[int]] = []
        for i in doc_words:
            if groups and not any(self.doc_word(groups[-1][-1])[1] <= m.span.start < self.doc_word(i)[0]
                                  for m in marks):
                groups[-1].append(i)
            else:
                groups.append([i])
        if not groups:
            return self.word_findings(range(0), src_words)
        drafts: list[DraftFinding] = []
        for group in groups:
            drafts.extend(self.word_findings(range(group[0], group[-1] + 1), src_words))
            src_words = range(0)
        return drafts

    def region_findings(self, doc_words: range, src_words: range, marks: Sequence[Markup],
                        transposed: bool) -> list[DraftFinding]:
        """Findings for one region between two matching words: its markup, then its words."""
        drafts: list[DraftFinding] = []
        marks = list(marks)
        attached = None if transposed else self._attached_bracket(doc_words, src_words, marks)
        if attached is not None:
            drafts.append(attached[0])
            marks.remove(attached[1])
            doc_words, src_words = range(0), range(0)
        consumer = None if transposed else self._consumer(marks, doc_words, src_words)
        if (consumer is not None and consumer.kind == "bracket" and not doc_words
                and self._bracket_in_source(consumer, src_words)):
            marks = [m for m in marks if m is not consumer]
            consumer, src_words = None, range(0)
        drafts.extend(self._markup_finding(m, src_words if m is consumer else None) for m in marks)
        if transposed:
            drafts.append(self._transposition(doc_words, src_words))
        else:
            drafts.extend(self._words_between_markup(doc_words, range(0) if consumer is not None else src_words,
                                                     marks))
        return _in_document_order(drafts)

    # -- placing points and covering every difference ------------------------------------
    def _place_one_sided(self, draft: DraftFinding, doc_reach: Offsets, src_reach: Offsets) -> DraftFinding:
        """An omission or insertion with both sides placed by `place_run`, within the reaches: from
        where each side's text is still to be covered to where its next draft starts."""
        if draft.doc is not None:
            (start, end), point = place_run(self.doc_text, draft.doc, doc_reach, self.src_text, src_reach)
            return draft._replace(doc=(start, end), src=(point, point))
        assert draft.src is not None
        (start, end), point = place_run(self.src_text, draft.src, src_reach, self.doc_text, doc_reach)
        return draft._replace(doc=(point, point), src=(start, end))

    def place(self, drafts: list[DraftFinding]) -> list[Finding]:
        """Turn the drafts of a passage, in document order, into findings that cover every difference.

        Each draft is settled on both sides: a matched word stays as it is (a normalisation if its
        raw text differs, nothing if not), an omission or insertion is placed (`_place_one_sided`).
        The raw text between one draft and the next is compared, and a difference there becomes a
        finding of its own (`gap_finding`). Touching normalisations are then joined.
        """
        doc_text, src_text = self.doc_text, self.src_text
        settled: list[DraftFinding] = []
        doc_pos, src_pos = self.span.start, self.src_span.start
        reaches = following_starts(drafts, self.span.end, self.src_span.end)
        for draft, (next_doc, next_src) in zip(drafts, reaches, strict=True):
            placed: DraftFinding | None = draft
            if draft.doc is None or draft.src is None:
                placed = self._place_one_sided(draft, (doc_pos, next_doc), (src_pos, next_src))
            elif draft.type is None:
                placed = matched_word_finding(doc_text, src_text, draft.doc, draft.src)
            where = placed if placed is not None else draft
            doc_span, src_span = where.doc, where.src
            assert doc_span is not None and src_span is not None
            # a finding placed wider than its ops (a CR line end against a CRLF) may end past the next
            # one's start: the gap between them is then empty, never reversed
            between = gap_finding(doc_text, src_text, min(doc_pos, doc_span[0]), doc_span[0], min(src_pos, src_span[0]),
                                  src_span[0])
            if between is not None:
                settled.append(between)
            if placed is not None:
                settled.append(placed)
            doc_pos, src_pos = doc_span[1], src_span[1]
        last = gap_finding(doc_text, src_text, min(doc_pos, self.span.end), self.span.end,
                           min(src_pos, self.src_span.end), self.src_span.end)
        if last is not None:
            settled.append(last)
        return [self._finding(draft) for draft in merge_neighbouring_normalizations(settled)]

    def _finding(self, draft: DraftFinding) -> Finding:
        """The finding a placed draft stands for."""
        assert draft.type is not None and draft.doc is not None and draft.src is not None
        return Finding(
            type=draft.type,
            severity=severity_of(draft.type, draft.impact),
            doc_span=Span(*draft.doc),
            src_span=Span(*draft.src),
            doc_text=self.doc_text[draft.doc[0]:draft.doc[1]],
            src_text=self.src_text[draft.src[0]:draft.src[1]],
            message=draft.message,
            impact=draft.impact,
        )

    def compare(self, ops: list[Opcode]) -> list[Finding]:
        """All findings of the passage, in document order."""
        word_count = len(self.doc_tokens)
        # Which gap each piece of markup stands in: gap k lies before doc word k.
        marks_by_gap = sorted(markup_positions([self.doc_word(i)[0] for i in range(word_count)], self.markup),
                              key=lambda gap_mark: gap_mark[0])
        marked_gaps = [k for k, _ in marks_by_gap]
        drafts: list[DraftFinding] = []
        for step in aligned_steps(self.merge_transpositions(ops, set(marked_gaps)), word_count, marked_gaps):
            if isinstance(step, MatchedRun):
                drafts.extend(DraftFinding(None, self.doc_word(step.doc_start + k), self.src_word(step.src_start + k))
                              for k in range(step.length))
                continue
            first, last = bisect.bisect_right(marked_gaps, step.after), bisect.bisect_right(marked_gaps, step.before)
            marks = [mark for _, mark in marks_by_gap[first:last]]
            drafts.extend(self.region_findings(step.doc_words, step.src_words, marks, step.transposed))
        anchors = [(draft.doc, draft.src) for draft in drafts
                   if draft.type is None and draft.doc is not None and draft.src is not None]
        findings = whole_tokens(self.place(drafts), self.doc_text, self.src_text)
        findings.extend(hidden_findings(self.doc_text, self.span, self.src_span, findings, anchors, self.src_text))
        findings.sort(key=lambda f: (f.doc_span.start if f.doc_span is not None else 0,
                                     f.type is FindingType.HIDDEN_CHARACTER))
        return findings


def _in_document_order(drafts: Sequence[DraftFinding]) -> list[DraftFinding]:
    """Document order; a draft with no document side goes first, where its region's words are."""
    with_doc = sorted((draft for draft in drafts if draft.doc is not None),
                      key=lambda draft: draft.doc[0] if draft.doc else 0)
    return [draft for draft in drafts if draft.doc is None] + with_doc


def _applied_findings(findings: Sequence[Finding]) -> list[Finding]:
    """The findings that rebuilding applies: those with both sides, attribution and context aside, and a
    hidden character only where no other finding already covers it (a hidden character inside
    a changed word is covered by the outer finding and not applied twice)."""
    spans = [f for f in findings if f.doc_span is not None and f.src_span is not None
             and f.type not in BESIDE_THE_TEXT]
    outer = sorted((f.doc_span.start, f.doc_span.end) for f in spans
                   if f.type is not FindingType.HIDDEN_CHARACTER and f.doc_span is not None)
    outer_starts = [start for start, _ in outer]
    reach = list(accumulate((end for _, end in outer), max))  # furthest end among the outer spans so far

    def nested(finding: Finding) -> bool:
        """Whether the finding lies inside an outer finding."""
        assert finding.doc_span is not None
        k = bisect.bisect_right(outer_starts, finding.doc_span.start) - 1
        return k >= 0 and finding.doc_span.end <= reach[k]

    return [f for f in spans if f.type is not FindingType.HIDDEN_CHARACTER or not nested(f)]


def rebuild(source_text: str, src_span: Span, findings: Sequence[Finding]) -> str:
    """Apply findings to the source span: the result is the passage exactly, if they are complete.

    A finding whose document span lies inside another's (a hidden character inside a changed
    word) is already covered by the outer one and is not applied twice.
    """
    applied = sorted(_applied_findings(findings),
                     key=lambda f: (f.src_span.start if f.src_span else 0, f.doc_span.start if f.doc_span else 0))
    out: list[str] = []
    pos = src_span.start
    for finding in applied:
        assert finding.src_span is not None
        out.append(source_text[pos:finding.src_span.start])
        out.append(finding.doc_text)
        pos = max(pos, finding.src_span.end)
    out.append(source_text[pos:src_span.end])
    return "".join(out)


__all__ = ["BESIDE_THE_TEXT", "ChangedWords", "DraftFinding", "PassageComparer", "WORD_PAIR_RULES", "WORD_RULES",
           "aligned_steps", "hidden_findings", "hidden_message", "judge_words", "misattribution", "name_words",
           "rebuild", "severity_of", "source_names", "verdict_of", "word_impact"]
