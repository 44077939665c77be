"""The comparison as a pipeline of named stages over plain data.

Quotations in a document (`compare_texts`):

    encode words -> find passages (quoted, and reused without marks) -> plan the passages to check
    -> locate each in the sources -> judge each (matched / unmatched) -> number them -> Report

A whole document that transcribes one source (`compare_transcription`) takes the same stages with
the whole document as its one passage, aligned with the whole source.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

import provenance.meaning as meaning
from provenance.comparator.align import Opcode
from provenance.comparator.attribution import cue_subject, name_words, other_speaker, sentence_agents
from provenance.comparator.by_meaning import MeaningIndex
from provenance.comparator.citations import (
    KnownSource,
    Reference,
    claim_of,
    known_sources,
    paragraph_bounds,
    read_references,
)
from provenance.comparator.claims import CITATIONS, apply_claim, names_a_missing_source, not_checked_for
from provenance.comparator.classify import (
    PassageComparer,
    doubted_by_ocr,
    hidden_findings,
    misattribution,
    source_names,
    verdict_of,
)
from provenance.comparator.context import context_applies, context_findings, drop_quoted_context
from provenance.comparator.extract import (
    PARAGRAPH_BREAK_RE,
    extract_passages,
    markup_positions,
    passage_words,
    whole_passage,
)
from provenance.comparator.foreign import foreign_quotation
from provenance.comparator.impact import count_negations, figures
from provenance.comparator.locate import Fit, Vocabulary, Window, best_fit, candidate_windows, content_ids, fit
from provenance.comparator.paraphrase import Paraphrase, ParaphraseFinder, SentenceIndex
from provenance.comparator.reuse import find_reuse
from provenance.comparator.speakers import Turns, label_names, speaker_turns
from provenance.comparator.splice import GOOD_ENOUGH, cut_points, spliced_fit, split_halves
from provenance.comparator.tuning import (
    BRACKET_REACH,
    CUT_SENTENCE_WORDS,
    MIN_MATCHED_WORDS,
    MIN_QUOTE_WORDS,
    MIN_SIMILARITY,
    REWORDED_PLACES,
    REWORDED_SHARE,
)
from provenance.errors import UsageError
from provenance.load import load_source, load_text
from provenance.load.generated import load_answer
from provenance.load.registry import read_sidecar
from provenance.model import (
    Claim,
    Finding,
    FindingType,
    Markup,
    Match,
    NotChecked,
    Passage,
    PassageKind,
    PassageResult,
    Report,
    SourceEntry,
    Span,
    TextInfo,
    TranscriptionMetrics,
    Verdict,
)
from provenance.rules import PRONOUNS, SENTENCE_END_RE, STOPWORDS
from provenance.taxonomy import severity_of
from provenance.text import DEFAULT_MAX_BYTES, Text
from provenance.transcription.metrics import transcription_metrics


def _info(text: Text, id: str) -> TextInfo:
    """What the report says about a compared text: its id, path, checksum, size and encoding, and
    for a file other than plain text how it was read."""
    info = TextInfo(id=id, path=text.path, sha256=text.sha256, chars=len(text.original), encoding=text.encoding)
    origin = text.origin
    if origin is None:
        return info
    return replace(info, format=origin.format, extractor=origin.extractor, ocr=origin.ocr,
                   metadata=origin.metadata, warnings=origin.warnings, removed=origin.removed)


def _unique_ids(texts: Sequence[Text]) -> list[str]:
    """One id per source, its own or `source`, numbered `-2`, `-3`, ... where it repeats."""
    seen: dict[str, int] = {}
    out = []
    for t in texts:
        base = t.id or "source"
        k = seen.get(base, 0)
        seen[base] = k + 1
        out.append(base if k == 0 else f"{base}-{k + 1}")
    return out




# --- The data between the stages -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EncodedWords:
    """The words of the document and of every source as ids of one shared vocabulary."""

    vocabulary: Vocabulary
    document: list[int]
    """The id of each document token."""
    sources: list[list[int]]
    """The ids of each source's tokens, in source order."""


@dataclass(frozen=True)
class SourceSet:
    """The sources of one comparison, with what the stages ask about them."""

    texts: Sequence[Text]
    ids: list[str]
    """The id each source has in the report (unique)."""
    names: list[set[str]]
    """What each source may be called, for attribution cues."""
    entries: Sequence[SourceEntry | None] = ()
    """What is known about each source beyond its text (the manifest's `[[sources]]`, a sidecar)."""
    turns: Sequence[Turns] = ()
    """The speaker turns of each source that is a transcript (`NO_TURNS` for the others)."""
    finder: ParaphraseFinder | None = None
    """The paraphrase search to use instead of one over these sources (a scan's, over its whole index)."""
    _mentions: dict[int, set[str]] = field(default_factory=dict, repr=False, compare=False)

    def mentions(self, k: int) -> set[str]:
        """Every name source `k` mentions anywhere in its text, read the first time it is asked for
        (only a cue that names another source needs it)."""
        if k not in self._mentions:
            self._mentions[k] = name_words(self.texts[k].original)
        return self._mentions[k]

    @cached_property
    def sentences(self) -> ParaphraseFinder:
        """The paraphrase search: `finder` if given, else the sources' sentences indexed, built the
        first time it is needed."""
        return self.finder if self.finder is not None else SentenceIndex(self.texts)

    @cached_property
    def meanings(self) -> MeaningIndex | None:
        """The sources' sentences searched by meaning, or None when no model is installed (the
        lexical test then decides alone)."""
        encoder = meaning.default_encoder()
        if encoder is None:
            return None
        local = self.sentences if isinstance(self.sentences, SentenceIndex) else SentenceIndex(self.texts)
        return MeaningIndex(local, encoder, meaning.recruiting_encoder)

    def ends_sentence(self, source: int, token: int) -> bool:
        """Whether a sentence ends right after token `token` of source `source`."""
        tokens = self.texts[source].tokens
        if token < 0 or token + 1 >= len(tokens):
            return True
        return SENTENCE_END_RE.search(self.texts[source].original, tokens.ends[token],
                                       tokens.starts[token + 1]) is not None


@dataclass(frozen=True, slots=True)
class PassagePlan:
    """A passage ready to be located: its words and the source windows that may hold it."""

    passage: Passage
    text: str
    """The passage's text in the document."""
    tokens: list[int]
    """The document tokens it is compared on (words inside its markup left out)."""
    word_ids: list[int]
    """The vocabulary id of each of those tokens."""
    windows: Sequence[Window]
    """Candidate source windows, best first (none for a whole transcription)."""
    marked_gaps: frozenset[int]
    """Word positions before which an ellipsis or a bracket stands."""


# --- Entry points ----------------------------------------------------------------------------


def compare_texts(document: Text, sources: Sequence[Text], *, whole: bool = False,
                  find_unmarked: bool = True, entries: Sequence[SourceEntry | None] | None = None,
                  paraphrases: ParaphraseFinder | None = None) -> Report:
    """Compare a loaded document with loaded sources; the library's main entry point.

    With `whole`, the document is one transcription of the first source (`compare_transcription`).
    Otherwise its quotations, and with `find_unmarked` its passages copied without quotation
    marks, are each located in the sources and judged. With no source at all (a scan whose index
    has no candidate for the document), every quotation is unsourced; `compare` and the command
    line still ask for a source. `entries` say what is known of each source (its title, author,
    aliases), for the document's citations to name it by. `paraphrases` is the paraphrase search
    to use instead of one over `sources` (a scan's, over every indexed source).
    """
    if whole:
        if not sources:
            raise UsageError("no source given", parameter="sources")
        return compare_transcription(document, sources[0], other_sources=sources[1:])
    source_set = replace(source_set_of(sources, entries), finder=paraphrases)
    words = encode_words(document, sources)
    refs = read_references(document.original)
    passages = find_passages(document, words, find_unmarked=find_unmarked, refs=refs)
    plans = plan_quotations(document, passages, words)
    claims = claims_of(document, plans, source_set, refs)
    located = [locate_claimed(plan, claim, document, words, source_set)
               for plan, claim in zip(plans, claims, strict=True)]
    if source_set.finder is not None:  # a scan: the quotations left unmatched searched in one pass over the vectors
        unmatched = [plan.text for plan, fit in zip(plans, located, strict=True) if _judged_unmatched(plan, fit)]
        if unmatched and source_set.meanings is not None:
            source_set.finder.prefetch(unmatched)
    results = [judge_quotation(plan, fit, document, source_set) for plan, fit in zip(plans, located, strict=True)]
    results = said_by_another(results, document, source_set)
    results, uncited = judge_claims(plans, claims, results, source_set)
    results = drop_quoted_context(document, split_halves(document, results, source_set.texts))
    not_checked = sorted([*_not_checked(document, passages, plans, results, skip=uncited), *uncited.values()],
                         key=lambda n: n.span.start)
    return replace(build_report(document, source_set, number_passages(results)), not_checked=tuple(not_checked))


def _not_checked(document: Text, passages: Sequence[Passage], plans: Sequence[PassagePlan],
                 results: Sequence[PassageResult | None], *, skip: dict[Span, NotChecked] | None = None
                 ) -> tuple[NotChecked, ...]:
    """The inline quotations given no verdict: one word (never looked up), or under
    `MIN_QUOTE_WORDS` words that no source holds (those in `skip` are listed for another reason)."""
    planned = {plan.passage.span for plan in plans}
    skip = skip or {}
    kept = [(plan, result) for plan, result in zip(plans, results, strict=True) if plan.passage.span not in skip]
    plans, results = [plan for plan, _ in kept], [result for _, result in kept]
    skipped = [NotChecked(document.original[p.span.start:p.span.end], p.span, "one word: a term or a scare quote")
               for p in passages if p.kind is PassageKind.INLINE and p.span not in planned
               and passage_words(document, p)]
    skipped.extend(NotChecked(plan.text, plan.passage.span, f"under {MIN_QUOTE_WORDS} words, and in no source")
                   for plan, result in zip(plans, results, strict=True)
                   if result is None and plan.passage.kind is PassageKind.INLINE and plan.word_ids)
    return tuple(sorted(skipped, key=lambda n: n.span.start))


def compare_transcription(document: Text, source: Text, *, other_sources: Sequence[Text] = ()) -> Report:
    """Compare a whole document, as one passage, with the whole source it transcribes.

    The report also carries character and word error rates. `other_sources` are listed in the
    report beside `source` (as the command line's further `--source`s are) but not compared.
    """
    sources = [source, *other_sources]
    source_set = source_set_of(sources)
    words = encode_words(document, sources)
    plan = plan_passage(document, whole_passage(document), words, windows=())
    result = judge_transcription(plan, locate_transcription(plan, words), document, source_set)
    metrics = transcription_metrics(source.original, document.original, reference_id=source_set.ids[0])
    return build_report(document, source_set, number_passages([result]), metrics)


# --- The stages ------------------------------------------------------------------------------


def known_names(sources: Sequence[Text], entries: Sequence[SourceEntry | None] | None = None) -> list[KnownSource]:
    """What citations may call each source (file, id, title, people, aliases), as a comparison sees them."""
    source_set = source_set_of(sources, entries)
    return known_sources(source_set.texts, source_set.entries, source_set.ids, [t.speakers() for t in source_set.turns])


def source_set_of(sources: Sequence[Text], entries: Sequence[SourceEntry | None] | None = None) -> SourceSet:
    """The sources with their report ids and the names attribution cues may use for them: their
    file name and first line, the author and aliases their entry gives, and the speakers of a
    transcript."""
    given = list(entries or [None] * len(sources))
    if len(given) != len(sources):
        raise UsageError(f"{len(given)} source entries for {len(sources)} sources", parameter="sources")
    names = []
    turns = [speaker_turns(text.original) for text in sources]
    for text, entry, turn in zip(sources, given, turns, strict=True):
        known = source_names(text)
        for name in ((entry.author, entry.title, *entry.aliases, *entry.speakers) if entry else ()):
            known |= {w.casefold() for w in (name or "").split() if len(w) >= 3}
        for label in turn.speakers():
            known |= label_names(label)
        names.append(known)
    return SourceSet(sources, _unique_ids(sources), names, tuple(given), tuple(turns))


def claims_of(document: Text, plans: Sequence[PassagePlan], sources: SourceSet,
              refs: dict[str, Reference] | None = None) -> list[Claim | None]:
    """Where the document says each planned quotation comes from (`provenance.comparator.citations`),
    by its reference list (`refs`, read here when not given); None for a passage found by reuse,
    which makes no claim."""
    refs = read_references(document.original) if refs is None else refs
    known = known_sources(sources.texts, sources.entries, sources.ids, [t.speakers() for t in sources.turns])
    bounds = paragraph_bounds(document.original)
    starts = [b[0] for b in bounds]
    spans = sorted((plan.passage.span for plan in plans if plan.passage.kind is not PassageKind.PASSAGE),
                   key=lambda sp: (sp.start, sp.end))
    span_starts = [sp.start for sp in spans]
    out: list[Claim | None] = []
    named: tuple[int, str] | None = None  # the last cue naming someone: its paragraph, and the cue
    for plan in plans:
        passage = plan.passage
        if passage.kind not in (PassageKind.INLINE, PassageKind.BLOCK):
            out.append(None)
            continue
        k = max(0, bisect_right(starts, passage.span.start) - 1)
        k_end = max(k, bisect_right(starts, max(passage.span.start, passage.span.end - 1)) - 1)
        following = bounds[min(k_end + 1, len(bounds) - 1)][1]
        i = bisect_right(span_starts, passage.span.start)
        # the end of the nearest quotation before (a few back: one may hold this one), never all of them
        floor = max((sp.end + 1 for sp in spans[max(0, i - 9):i - 1] if sp.end <= passage.span.start), default=0)
        ceiling = spans[i].start - 1 if i < len(spans) else None
        claim = claim_of(document, passage, refs, known, (bounds[k][0], bounds[k_end][1]), following,
                         floor=floor, ceiling=ceiling)
        if claim is not None and claim.speaker:
            named = (k, claim.speaker)
        elif (claim is not None and named is not None and named[0] == k
              and _PRONOUN_CUE_RE.match(passage.attribution or "")):
            # `she conceded that`: the person the paragraph's last cue named
            claim = replace(claim, speaker=f"{passage.attribution} ({named[1]})")
        out.append(claim)
    return out


_PRONOUN_CUE_RE = re.compile(r"(?:[Hh]e|[Ss]he|[Tt]hey)\b")


def locate_claimed(plan: PassagePlan, claim: Claim | None, document: Text, words: EncodedWords,
                   sources: SourceSet) -> Fit | None:
    """Where a quotation stands: in the source it cites when that source holds it well enough,
    else wherever `locate_quotation` finds it best."""
    if claim is not None and claim.kind in CITATIONS and claim.source is not None:
        windows = [w for w in plan.windows if w.source == claim.source]
        if windows:
            best = best_fit(plan.word_ids, words.sources, windows, words.vocabulary.words,
                            marked_gaps=plan.marked_gaps, sentence_end=sources.ends_sentence)
            if best is not None and _has_enough_matching_words(best, plan) and best.similarity >= MIN_SIMILARITY:
                return _bracket_edges(best, document, plan.passage, plan.tokens, words.sources[best.source],
                                      words.vocabulary.ids)
    return locate_quotation(plan, document, words, sources)


def judge_claims(plans: Sequence[PassagePlan], claims: Sequence[Claim | None], results: Sequence[PassageResult | None],
                 sources: SourceSet) -> tuple[list[PassageResult | None], dict[Span, NotChecked]]:
    """Each result judged against its claim (`provenance.comparator.claims`); a quotation whose
    citation names no given source is taken out of the verdicts and listed as not checked."""
    out: list[PassageResult | None] = []
    uncited: dict[Span, NotChecked] = {}
    for plan, claim, result in zip(plans, claims, results, strict=True):
        if claim is not None and names_a_missing_source(claim):
            uncited[plan.passage.span] = not_checked_for(claim, plan.text, plan.passage.span)
            out.append(None)
        elif result is None:
            out.append(None)
        else:
            out.append(apply_claim(result, claim, sources.ids, sources.turns))
    return out, uncited


def encode_words(document: Text, sources: Sequence[Text]) -> EncodedWords:
    """Number the words of the document, then of each source, in one vocabulary."""
    vocabulary = Vocabulary()
    document_ids = vocabulary.encode(document.tokens.keys)
    return EncodedWords(vocabulary, document_ids, [vocabulary.encode(s.tokens.keys) for s in sources])


def find_passages(document: Text, words: EncodedWords, *, find_unmarked: bool,
                  refs: dict[str, Reference] | None = None) -> list[Passage]:
    """The document's quotations and, with `find_unmarked`, the stretches it copies from a source
    without quotation marks, in document order; none inside an entry of its reference list (`refs`,
    read here when not given)."""
    refs = read_references(document.original) if refs is None else refs
    entries = sorted((r.span.start, r.span.end) for r in refs.values())
    passages = [p for p in extract_passages(document) if not _in_entry(p.span, entries)]
    if not find_unmarked:
        return passages
    reused = find_reuse(document, words.document, words.sources, [p.span for p in passages])
    reused = [p for p in reused if not _in_entry(p.span, entries)]
    return sorted([*passages, *reused], key=lambda p: (p.span.start, p.span.end))


def _in_entry(span: Span, entries: Sequence[tuple[int, int]]) -> bool:
    """Whether a span lies within an entry of the reference list: a quoted or copied title there
    names a source, it does not quote one."""
    k = bisect_right(entries, (span.start, 1 << 62)) - 1
    return k >= 0 and entries[k][0] <= span.start and span.end <= entries[k][1]


def plan_passage(document: Text, passage: Passage, words: EncodedWords, windows: Sequence[Window]) -> PassagePlan:
    """A passage's words, their ids and the positions of its markup, with its candidate windows."""
    tokens, ids = rejoined_words(document, passage, passage_words(document, passage), words)
    return _plan(document, passage, tokens, ids, windows)


def rejoined_words(document: Text, passage: Passage, tokens: list[int], words: EncodedWords
                   ) -> tuple[list[int], list[int]]:
    """A passage's words and their ids, a word that a bracket splits rejoined: `con[Pg 262]vinced`
    is compared as `convinced`, the bracket reported on its own, not as `con` for `convinced` and
    an added `vinced`. The word keeps the first half's token (its offsets); the second half's is
    left out. Only a bracket with a letter or digit touching it on both sides splits a word."""
    text = document.original
    splits = {m.span.start: m.span.end for m in passage.markup
              if m.kind == "bracket" and 0 < m.span.start and m.span.end < len(text)
              and text[m.span.start - 1].isalnum() and text[m.span.end].isalnum()}
    ids = [words.document[t] for t in tokens]
    if not splits:
        return tokens, ids
    starts, ends, keys = document.tokens.starts, document.tokens.ends, document.tokens.keys
    kept_tokens: list[int] = []
    kept_ids: list[int] = []
    k = 0
    while k < len(tokens):
        t = tokens[k]
        after = splits.get(ends[t])
        if after is not None and k + 1 < len(tokens) and starts[tokens[k + 1]] == after:
            kept_tokens.append(t)
            kept_ids.append(words.vocabulary.encode([keys[t] + keys[tokens[k + 1]]])[0])
            k += 2
            continue
        kept_tokens.append(t)
        kept_ids.append(ids[k])
        k += 1
    return kept_tokens, kept_ids


def _plan(document: Text, passage: Passage, tokens: list[int], word_ids: list[int],
          windows: Sequence[Window]) -> PassagePlan:
    """The plan of a passage whose words are already known."""
    text = document.original[passage.span.start:passage.span.end]
    return PassagePlan(passage, text, tokens, word_ids, windows, _marked_gaps(document, passage, tokens))


def plan_quotations(document: Text, passages: Sequence[Passage], words: EncodedWords) -> list[PassagePlan]:
    """The passages worth checking, each with the source windows most likely to hold it.

    Candidate windows are searched for all passages at once, every source read once.
    """
    token_lists, id_lists = [], []
    for p in passages:
        tokens, ids = rejoined_words(document, p, passage_words(document, p), words)
        token_lists.append(tokens)
        id_lists.append(ids)
    windows = candidate_windows(id_lists, words.sources, content=content_ids(words.vocabulary))
    return [_plan(document, passage, tokens, ids, candidates)
            for passage, tokens, ids, candidates in zip(passages, token_lists, id_lists, windows, strict=True)
            # a one-word quotation is a term or a scare quote, not a quotation to check
            if not (passage.kind is PassageKind.INLINE and len(ids) < MIN_MATCHED_WORDS)]


def locate_quotation(plan: PassagePlan, document: Text, words: EncodedWords, sources: SourceSet) -> Fit | None:
    """The best alignment of a passage with one of its candidate windows, widened over the source
    words that brackets at its edges stand for; None where no window aligns at all.

    A reused passage is looked for only in the source it was found in, if that source has a window for it.
    """
    passage = plan.passage
    windows = plan.windows
    if passage.kind is PassageKind.PASSAGE and passage.source_hint is not None:
        windows = [w for w in windows if w.source == passage.source_hint] or windows
    best = best_fit(plan.word_ids, words.sources, windows, words.vocabulary.words, marked_gaps=plan.marked_gaps,
                    sentence_end=sources.ends_sentence)
    if not plan.marked_gaps:
        # a reused passage too: reuse joins the parts of a spliced excerpt (`reuse.join_splices`)
        best = _spliced(plan, document, words, sources, best) or best
    if best is None:
        return None
    return _bracket_edges(best, document, passage, plan.tokens, words.sources[best.source], words.vocabulary.ids)


def _spliced(plan: PassagePlan, document: Text, words: EncodedWords, sources: SourceSet,
             first_try: Fit | None) -> Fit | None:
    """The quotation as two far-apart parts of one source (`provenance.comparator.splice`), when
    that fits better than the first try."""
    if first_try is not None and first_try.similarity >= GOOD_ENOUGH:
        return None
    tokens = document.tokens
    starts = [tokens.starts[t] for t in plan.tokens]
    ends = [tokens.ends[t] for t in plan.tokens]
    cuts = cut_points(document.original, starts, ends, [tokens.keys[t] for t in plan.tokens])
    return spliced_fit(plan.word_ids, cuts, words.sources, words.vocabulary.words, content_ids(words.vocabulary),
                       first_try, sentence_end=sources.ends_sentence)


def locate_transcription(plan: PassagePlan, words: EncodedWords) -> Fit | None:
    """The alignment of a whole transcription with the whole of the first source, untrimmed."""
    source = words.sources[0]
    return fit(plan.word_ids, source, 0, 0, len(source), words.vocabulary.words, trim=False)


def _has_enough_matching_words(aligned: Fit, plan: PassagePlan) -> bool:
    """Whether at least `MIN_MATCHED_WORDS` of the passage's words (all, if it has fewer) match in order."""
    return aligned.equal >= min(MIN_MATCHED_WORDS, len(plan.word_ids))


def judge_quotation(plan: PassagePlan, located: Fit | None, document: Text,
                    sources: SourceSet) -> PassageResult | None:
    """The verdict and findings of a located quotation or reused passage; None for one left out
    of the report (an unconfirmed reuse, a short unsourced term)."""
    if located is not None and _matched(plan, located):
        return judge_matched_quotation(plan, located, document, sources)
    if plan.passage.kind is PassageKind.PASSAGE:
        return None  # found by reuse but not confirmed word by word: nothing to report
    if plan.passage.kind is PassageKind.INLINE and len(plan.word_ids) < MIN_QUOTE_WORDS:
        return None  # a scare quote or a term, not a quotation
    return judge_unmatched(plan, document, sources)


def _matched(plan: PassagePlan, located: Fit | None) -> bool:
    """Whether a located quotation is judged against the span it was located in."""
    return located is not None and _has_enough_matching_words(located, plan) and located.similarity >= MIN_SIMILARITY


def _judged_unmatched(plan: PassagePlan, located: Fit | None) -> bool:
    """Whether `judge_quotation` gives the passage to `judge_unmatched` (as a claim's plan may be
    judged otherwise, this is what to prepare for, not a promise)."""
    if _matched(plan, located) or plan.passage.kind is PassageKind.PASSAGE:
        return False
    return not (plan.passage.kind is PassageKind.INLINE and len(plan.word_ids) < MIN_QUOTE_WORDS)


def judge_transcription(plan: PassagePlan, aligned: Fit | None, document: Text, sources: SourceSet) -> PassageResult:
    """The verdict and findings of a whole transcription aligned with its source.

    Unlike a quotation, it counts as matched at any similarity, and it is never judged reworded
    or misattributed (it has no attribution cue).
    """
    source = sources.texts[0]
    if aligned is None and not plan.word_ids and not len(source.tokens):
        # no word on either side (a line of dashes, its mojibake): nothing to align, the
        # transcription is its source's punctuation, compared as such
        aligned = Fit(0, 0, 0, (), 0, 1.0)
    if aligned is None or not _has_enough_matching_words(aligned, plan):
        return judge_unmatched(plan, document, sources)
    source = sources.texts[aligned.source]
    findings, match = _aligned_findings(plan, aligned, document, source, Span(*source.content_span()))
    return PassageResult("", plan.passage, plan.text, match, verdict_of(findings), tuple(findings))


def judge_matched_quotation(plan: PassagePlan, located: Fit, document: Text, sources: SourceSet) -> PassageResult:
    """The findings of a quotation that matches a source span: its alterations, or a paraphrase
    where it rewords the source in many places, plus a misattribution where its cue names
    another source, and, for a quotation whose words are the source's, the source words cut
    around it that change what it says (`provenance.comparator.context`)."""
    passage = plan.passage
    source = sources.texts[located.source]
    source_span = _src_span(source, located.lo, located.hi, document, passage, plan.tokens)
    findings, match = _aligned_findings(plan, located, document, source, source_span)
    foreign = foreign_quotation(document, passage, plan.tokens, located, source, findings)
    if foreign is not None:
        return _single_finding(FindingType.UNSOURCED, passage, plan.text, document, None, None,
                               f"no source supports this quotation: it shares words with {match.text!r} in "
                               f"{sources.ids[located.source]!r}, but {foreign}")
    if _reworded(findings, len(plan.word_ids)):
        if PARAGRAPH_BREAK_RE.search(source.original, *_token_chars(source, located.lo, located.hi)):
            return _single_finding(FindingType.UNSOURCED, passage, plan.text, document, None, None,
                                   "no source supports this quotation: the nearest source words, in "
                                   f"{sources.ids[located.source]!r}, are few, reworded and run over a "
                                   "paragraph break (another speaker's turn, another point)")
        if sources.meanings is not None:  # reworded: whether it says the same is for its meaning to tell
            return judge_unmatched(plan, document, sources)
        return _single_finding(FindingType.PARAPHRASE, passage, plan.text, document, source, match,
                               "the source reworded in many places, presented as a quotation")
    cut = cut_sentence(passage, located, document, sources)
    if cut is not None:
        findings.append(cut)
    wrong = misattribution(passage.attribution, passage.span, document, located.source, sources.names,
                           sources.mentions, sources.ids)
    if wrong is not None:
        findings = sorted([*findings, wrong], key=lambda f: f.doc_span.start if f.doc_span is not None else 0)
    if context_applies(passage.kind, findings):
        findings = [*findings, *context_findings(document, passage.span, source, located.lo, located.hi)]
    return PassageResult("", passage, plan.text, match, verdict_of(findings), tuple(findings))


def cut_sentence(passage: Passage, located: Fit, document: Text, sources: SourceSet) -> Finding | None:
    """The source words an unmarked excerpt leaves off the end of its last sentence: a silent
    omission, where the excerpt's paragraph stops on a word with no closing punctuation, more text
    follows it, and the source sentence ends within `CUT_SENTENCE_WORDS` words.

    `...so that security and liberty may prosper` then a blank line and the poster's credit: the
    source's `together.` is left out. A reused passage's end is where the copying stops, so the
    comparison never saw it. Not reported: a quotation in quotation marks (its end is the quoter's
    choice, marked), an excerpt ending in punctuation, and one cut by the end of the document (the
    file may be an excerpt of the page). Where it can fail: a heading or a list item copied
    without its last words, if a paragraph follows it, is reported too.
    """
    if passage.kind is not PassageKind.PASSAGE:
        return None
    text, end = document.original, passage.span.end
    if not text[end - 1].isalnum():
        return None
    rest = text[end:]
    after_line = rest.split("\n", 1)
    if after_line[0].strip() or len(after_line) < 2:
        return None  # more words on the line, or the document ends here
    following = after_line[1]
    if following.split("\n", 1)[0].strip() or not following.strip():
        return None  # no blank line after it, or nothing after that: not a paragraph's end
    source = sources.texts[located.source]
    last = located.hi - 1
    if sources.ends_sentence(located.source, last):
        return None
    for missing_last in range(located.hi, min(located.hi + CUT_SENTENCE_WORDS, len(source.tokens))):
        if sources.ends_sentence(located.source, missing_last):
            start, stop = source.tokens.starts[located.hi], source.tokens.ends[missing_last]
            words = missing_last - located.hi + 1
            left_out = "its last word" if words == 1 else f"its last {words} words"
            return Finding(FindingType.SILENT_OMISSION, severity_of(FindingType.SILENT_OMISSION), Span(end, end),
                           Span(start, stop), "", source.original[start:stop],
                           f"the excerpt stops inside a source sentence: {left_out} left out without an ellipsis")
    return None


def _aligned_findings(plan: PassagePlan, aligned: Fit, document: Text, source: Text,
                      source_span: Span) -> tuple[list[Finding], Match]:
    """The findings of a passage word by word against the source span it is aligned with, and
    the match the report gives for it."""
    passage = plan.passage
    comparer = PassageComparer(document, source, plan.tokens, aligned.lo, passage.markup, passage.span, source_span)
    findings = doubted_by_ocr(comparer.compare(list(aligned.ops)), source)
    match = Match(aligned.source, source_span, round(aligned.similarity, 4),
                  source.original[source_span.start:source_span.end])
    return findings, match


def judge_unmatched(plan: PassagePlan, document: Text, sources: SourceSet) -> PassageResult:
    """A passage no source has word for word: a paraphrase of a source sentence, or unsourced."""
    keys = [document.tokens.keys[t] for t in plan.tokens]
    paraphrase = None
    if len(plan.tokens) >= MIN_QUOTE_WORDS:
        meanings = sources.meanings
        if meanings is not None and sources.finder is not None:
            # a scan: a source outside the comparison that holds a paraphrase joins it, whether its
            # sentence shares the quotation's rare words or is near it by the index's vectors
            sources.finder.find(keys)
            sources.finder.nearest_units(plan.text)
        paraphrase = sources.sentences.find(keys) if meanings is None else meanings.find(plan.text, keys)
    if paraphrase is None:
        return _single_finding(FindingType.UNSOURCED, plan.passage, plan.text, document, None, None,
                               "no source supports this quotation")
    by_meaning = sources.meanings if paraphrase.meaning is not None else None
    otherwise = by_meaning.otherwise(paraphrase, keys) if by_meaning is not None else \
        _says_otherwise(keys, sources.texts[paraphrase.source].tokens.keys[paraphrase.lo:paraphrase.hi])
    if otherwise:
        return _single_finding(FindingType.UNSOURCED, plan.passage, plan.text, document, None, None,
                               f"no source supports this quotation: the nearest source sentence, in "
                               f"{sources.ids[paraphrase.source]!r}, {otherwise}")
    return _paraphrase_result(plan, paraphrase, keys, document, sources)


def _says_otherwise(quoted: Sequence[str], sentence: Sequence[str]) -> str | None:
    """Why a source sentence sharing a quotation's words is no paraphrase of it: one negates what
    the other does not, or the quotation gives a figure the sentence does not. A paraphrase says
    the same in other words; these say something else."""
    if count_negations(quoted) != count_negations(sentence):
        return "does not negate it as the quotation does" if count_negations(quoted) > count_negations(sentence) \
            else "negates what the quotation says"
    extra = figures([w for w in quoted if w != "one"]) - figures(sentence)  # "one" as a pronoun: `one may say`
    if extra:
        return f"does not give the quotation's {', '.join(sorted(extra))}"
    return None


def _paraphrase_result(plan: PassagePlan, paraphrase: Paraphrase, keys: Sequence[str], document: Text,
                       sources: SourceSet) -> PassageResult:
    """The report of a passage that says what a source sentence says in other words."""
    source = sources.texts[paraphrase.source]
    source_span = Span(source.tokens.starts[paraphrase.lo], source.tokens.ends[paraphrase.hi - 1])
    match = Match(paraphrase.source, source_span, _dice(keys, source.tokens.keys[paraphrase.lo:paraphrase.hi]),
                  source.original[source_span.start:source_span.end], paraphrase.meaning,
                  sources.meanings.encoder.name if paraphrase.meaning is not None and sources.meanings else None)
    said = f"shares {', '.join(paraphrase.shared[:8])}" if paraphrase.shared else "shares no content word"
    if paraphrase.meaning is not None:
        said = f"meaning similarity {paraphrase.meaning:.2f}; {said}"
    return _single_finding(FindingType.PARAPHRASE, plan.passage, plan.text, document, source, match,
                           f"the source's content in other words ({said}), presented as a quotation")


def said_by_another(results: Sequence[PassageResult | None], document: Text,
                    sources: SourceSet) -> list[PassageResult | None]:
    """Paraphrases that the document gives to somebody else (`attribution.other_speaker`) made
    unsourced: the nearest source sentence is like them in meaning, but the document says whose
    the source's words are, and says these are another's.

    Whose the source's words are is read from the document's quotations in quotation marks found
    word for word in it: the subjects of their cues and the names their sentences give them to
    (`by Roosevelt`, `Roosevelt's`), less the source's own names (its title is no speaker). One
    given to a pronoun (`he said`) leaves it unknown, as does one whose sentence says somebody
    repeats them (`quoting`, `citing`, `reading from`): the speaker may be anybody."""
    quoted_as: dict[int, set[str]] = {}
    unknown: set[int] = set()
    for r in results:
        if r is None or r.match is None or r.verdict in (Verdict.PARAPHRASE, Verdict.UNSOURCED) \
                or r.passage.kind is PassageKind.PASSAGE or r.match.source >= len(sources.names):
            continue
        k = r.match.source
        subject = cue_subject(r.passage.attribution)
        agents = sentence_agents(document, r.passage.span.start, r.passage.span.end)
        if subject.pronoun or agents.quoting:
            unknown.add(k)
        names = quoted_as.setdefault(k, set())
        names |= (agents.names | subject.names) - sources.names[k]
    out: list[PassageResult | None] = []
    for r in results:
        if r is not None and r.verdict is Verdict.PARAPHRASE and r.match is not None \
                and quoted_as.get(r.match.source) and r.match.source not in unknown:
            k = r.match.source
            other = other_speaker(cue_subject(r.passage.attribution), sources.names[k], sources.mentions(k),
                                  quoted_as[k])
            if other:
                r = _single_finding(FindingType.UNSOURCED, r.passage, r.text, document, None, None,
                                    f"no source supports this quotation: its meaning is near {r.match.text!r} "
                                    f"in {sources.ids[k]!r}, but the document gives it to another speaker "
                                    f"({' '.join((r.passage.attribution or '').split())!r}) than the words it "
                                    f"quotes from there ({', '.join(sorted(quoted_as[k]))})")
        out.append(r)
    return out


def number_passages(results: Iterable[PassageResult | None]) -> tuple[PassageResult, ...]:
    """Number the reported passages p1, p2, ... in document order, left-out ones (None) leaving no gap."""
    reported = [r for r in results if r is not None]
    return tuple(replace(r, id=f"p{k}") for k, r in enumerate(reported, 1))


def build_report(document: Text, sources: SourceSet, passages: tuple[PassageResult, ...],
                 metrics: TranscriptionMetrics | None = None) -> Report:
    """The report: what was compared, the numbered passages, and the line starts of every text."""
    doc_info = _info(document, document.id)
    src_infos = tuple(_info(s, i) for i, s in zip(sources.ids, sources.texts, strict=True))
    line_starts = {"document": document.line_starts,
                   **{i: s.line_starts for i, s in zip(sources.ids, sources.texts, strict=False)}}
    texts = {"document": document, **dict(zip(sources.ids, sources.texts, strict=False))}
    origins = {i: t.origin for i, t in texts.items() if t.origin is not None}
    return Report(doc_info, src_infos, passages, line_starts, metrics, origins)


# --- Brackets at a passage's edges -----------------------------------------------------------


def _bracket_edges(best: Fit, doc: Text, passage: Passage, tokens: Sequence[int], source_ids: Sequence[int],
                   vocabulary_ids: dict[str, int]) -> Fit:
    """Widen a match over the source words that a bracket at the passage's edge stands for.

    `[The council] will not close` quotes `The council will not close`: the bracket's own words
    say which source words it replaces. Without a shared word, the bracket is an insertion.
    `tokens` are the passage's document tokens, `source_ids` the word ids of the matched source.
    """
    if not tokens:
        return best
    first, last = doc.tokens.starts[tokens[0]], doc.tokens.ends[tokens[-1]]
    lead = [m for m in passage.markup if m.kind == "bracket" and m.span.end <= first]
    tail = [m for m in passage.markup if m.kind == "bracket" and m.span.start >= last]
    lo = _widened_start(best.lo, source_ids, doc, passage, lead[-1], vocabulary_ids) if lead else best.lo
    hi = _widened_end(best.hi, source_ids, doc, tail[0], vocabulary_ids) if tail else best.hi
    return _with_edges(best, lo, hi, len(tokens))


def _bracket_word_ids(doc: Text, bracket: Markup, vocabulary_ids: dict[str, int]) -> tuple[set[int], set[int]]:
    """The ids of a bracket's words: all of them, and those that are not stop words."""
    keys = [doc.tokens.keys[t] for t in doc.tokens.within(bracket.span.start, bracket.span.end)]
    every = {vocabulary_ids[k] for k in keys if k in vocabulary_ids}
    return every, {vocabulary_ids[k] for k in keys if k in vocabulary_ids and k not in STOPWORDS}


def _widened_start(lo: int, source_ids: Sequence[int], doc: Text, passage: Passage, bracket: Markup,
                   vocabulary_ids: dict[str, int]) -> int:
    """The first source word of a match once the bracket before the passage's first word takes
    the source words just before it that it stands for."""
    every, content = _bracket_word_ids(doc, bracket, vocabulary_ids)
    before = [source_ids[lo - k] for k in range(1, BRACKET_REACH + 1) if lo - k >= 0]
    if any(word in content for word in before):
        return lo - max(k for k, word in enumerate(before, 1) if word in every)
    if before and _names_a_pronoun(before[0], doc, passage, bracket, vocabulary_ids):
        return lo - 1
    return lo


def _names_a_pronoun(word: int, doc: Text, passage: Passage, bracket: Markup, vocabulary_ids: dict[str, int]) -> bool:
    """Whether a bracket opening the passage stands for the pronoun just before the match:
    `[the coalition] will` for `we will`."""
    pronouns = {vocabulary_ids[w] for w in PRONOUNS if w in vocabulary_ids}
    return (word in pronouns and passage.markup[0].kind == "bracket"
            and not doc.original[passage.span.start:bracket.span.start].strip())


def _widened_end(hi: int, source_ids: Sequence[int], doc: Text, bracket: Markup,
                 vocabulary_ids: dict[str, int]) -> int:
    """One past the last source word of a match once the bracket after the passage's last word
    takes the source words just after it that it stands for."""
    every, content = _bracket_word_ids(doc, bracket, vocabulary_ids)
    after = [source_ids[hi + k] for k in range(BRACKET_REACH) if hi + k < len(source_ids)]
    if any(word in content for word in after):
        return hi + max(k for k, word in enumerate(after, 1) if word in every)
    return hi


def _with_edges(best: Fit, lo: int, hi: int, n_words: int) -> Fit:
    """The match moved to source words lo..hi, the source words it gains at either edge
    aligned as insertions (they are what the brackets replace)."""
    if (lo, hi) == (best.lo, best.hi):
        return best
    shift = best.lo - lo
    ops = [Opcode("insert", 0, 0, 0, shift)] if shift else []
    ops += [Opcode(op.tag, op.i1, op.i2, op.j1 + shift, op.j2 + shift) for op in best.ops]
    if hi > best.hi:
        end = best.hi - lo
        ops.append(Opcode("insert", n_words, n_words, end, end + hi - best.hi))
    return Fit(best.source, lo, hi, tuple(ops), best.equal, best.similarity)


# --- Spans ------------------------------------------------------------------------------------


def _marked_gaps(doc: Text, passage: Passage, tokens: Sequence[int]) -> frozenset[int]:
    """Passage word positions before which an ellipsis or a bracket stands."""
    return frozenset(k for k, _ in markup_positions([doc.tokens.starts[t] for t in tokens], passage.markup))


def _src_span(source: Text, lo: int, hi: int, doc: Text, passage: Passage, tokens: Sequence[int]) -> Span:
    """Character span of source tokens lo..hi, widened over as many punctuation characters as the
    passage has characters before its first word and after its last (`tokens`)."""
    start, end = _token_chars(source, lo, hi)
    if not tokens:
        return Span(start, end)
    lead = doc.original[passage.span.start:doc.tokens.starts[tokens[0]]]
    tail = doc.original[doc.tokens.ends[tokens[-1]]:passage.span.end]
    return Span(start - _punctuation_before(source.original, start, len(lead)),
                end + _punctuation_after(source.original, end, len(tail)))


def _token_chars(source: Text, lo: int, hi: int) -> tuple[int, int]:
    """Character offsets of source tokens lo..hi; for no token, the empty span after token lo - 1."""
    if hi > lo:
        return source.tokens.starts[lo], source.tokens.ends[hi - 1]
    start = source.tokens.ends[lo - 1] if lo else 0
    return start, start


def _is_punctuation(char: str) -> bool:
    """Whether a character is neither white space nor a letter or digit."""
    return not char.isspace() and not char.isalnum()


def _punctuation_before(text: str, start: int, limit: int) -> int:
    """How many punctuation characters, at most `limit`, stand right before `start`."""
    k = 0
    while k < limit and start - k - 1 >= 0 and _is_punctuation(text[start - k - 1]):
        k += 1
    return k


def _punctuation_after(text: str, end: int, limit: int) -> int:
    """How many punctuation characters, at most `limit`, stand right from `end` on."""
    k = 0
    while k < limit and end + k < len(text) and _is_punctuation(text[end + k]):
        k += 1
    return k


# --- Findings of a passage judged as a whole ---------------------------------------------------


def _dice(a: Sequence[str], b: Sequence[str]) -> float:
    """Share of words two texts have in common (Dice coefficient over word counts)."""
    common = sum((Counter(a) & Counter(b)).values())
    return round(2 * common / max(1, len(a) + len(b)), 4)


def _reworded(findings: Sequence[Finding], n_words: int) -> bool:
    """Whether a matched quotation changes so many of its words, in so many places, that it is
    the source reworded rather than quoted with a few alterations."""
    wording = (FindingType.SUBSTITUTION, FindingType.SILENT_INSERTION, FindingType.SILENT_OMISSION)
    changes = [f for f in findings if f.type in wording]
    words = sum(len(f.doc_text.split()) for f in changes)
    return len(changes) >= REWORDED_PLACES and words >= REWORDED_SHARE * max(1, n_words)


def _single_finding(kind: FindingType, passage: Passage, text: str, document: Text, src: Text | None,
                    match: Match | None, message: str) -> PassageResult:
    """A passage judged as a whole (paraphrase, unsourced): one finding, plus its hidden characters."""
    src_text = src.original[match.span.start:match.span.end] if src is not None and match is not None else ""
    finding = Finding(kind, severity_of(kind), passage.span, match.span if match is not None else None, text,
                      src_text, message)
    extra = hidden_findings(document.original, passage.span, None, [])
    ordered = sorted((finding, *extra), key=lambda f: (f.doc_span.start if f.doc_span is not None else 0,
                                                       f.type is not kind))
    verdict = Verdict.PARAPHRASE if kind is FindingType.PARAPHRASE else Verdict.UNSOURCED
    return PassageResult("", passage, text, match, verdict, tuple(ordered))


def quotations_of(document: Text, sources: Sequence[Text] = (),
                  entries: Sequence[SourceEntry | None] | None = None) -> list[tuple[Passage, Claim | None]]:
    """Every quotation of a document with where it says the words come from, before any source is
    compared: what a fact-checker has to verify. Claims are resolved to `sources` where given."""
    source_set = source_set_of(sources, entries)
    words = encode_words(document, sources)
    refs = read_references(document.original)
    passages = find_passages(document, words, find_unmarked=False, refs=refs)
    plans = [_plan(document, p, tokens, [words.document[t] for t in tokens], ())
             for p in passages if (tokens := passage_words(document, p))]
    claims = claims_of(document, plans, source_set, refs)
    return [(plan.passage, claim) for plan, claim in zip(plans, claims, strict=True)]


def compare(document: str | Path, sources: Sequence[str | Path], *, whole: bool = False,
            find_unmarked: bool = True, max_bytes: int = DEFAULT_MAX_BYTES, format_in: str | None = None,
            cache: Path | None = None, refresh: bool = False) -> Report:
    """Compare a document file with source files and return the report; `format_in` reads every
    file as that format (`provenance.load.formats`) instead of choosing by content and name. A
    source may be an `http(s)://` URL, read from its copy pinned in `cache` (`refresh`: fetched again).
    A source file's sidecar (`provenance.load.registry`) says what citations may call it. A
    generated answer in JSON (`provenance.load.generated`) brings its own sources, added to these."""
    answer = None if whole or format_in else load_answer(document, max_bytes=max_bytes)
    if not sources and (answer is None or not answer.sources):
        raise UsageError("no source given", parameter="sources")
    doc = answer.document if answer is not None else load_text(
        document, id="document", role="document", max_bytes=max_bytes, allow_empty=whole, format_in=format_in)
    srcs = [load_source(s, role="source", max_bytes=max_bytes, allow_empty=whole, format_in=format_in, cache=cache,
                        refresh=refresh) for s in sources]
    entries: list[SourceEntry | None] = [read_sidecar(s) for s in sources]
    if answer is not None:
        srcs, entries = answer.after(srcs, entries)
    return compare_texts(doc, srcs, whole=whole, find_unmarked=find_unmarked, entries=entries)
