"""The comparison's stages and its two entry points (quotations, whole transcriptions)."""

from __future__ import annotations

import dataclasses

import pytest

import provenance
from provenance.comparator.pipeline import (
    compare_texts,
    compare_transcription,
    encode_words,
    find_passages,
    judge_quotation,
    locate_quotation,
    number_passages,
    plan_quotations,
    source_set_of,
)
from provenance.errors import UsageError
from provenance.model import FindingType, PassageKind, Verdict
from provenance.text import make_text

from conftest import ALTERED, LETTER, kinds, validate

PASTED = ("Notes.\n\nRepairs to the eastern pier will cost 40,000 pounds and take six weeks, the engineer said, "
          "and the council agreed.\n")


def test_compare_transcription_is_what_whole_mode_gives() -> None:
    doc = make_text("The council will not close the bridge before the spring.\n", id="document")
    source = make_text(LETTER, path="letter.txt", id="letter")
    other = make_text("Another text altogether.\n", path="other.txt", id="other")
    report = compare_transcription(doc, source, other_sources=[other])
    assert report == compare_texts(doc, [source, other], whole=True)
    assert [s.id for s in report.sources] == ["letter", "other"]
    assert report.metrics is not None
    (result,) = report.passages
    assert result.id == "p1" and result.passage.kind is PassageKind.WHOLE
    assert result.match is not None and result.match.source == 0
    assert "silent_omission" in kinds(result)
    validate(report)


def test_compare_transcription_is_public() -> None:
    assert provenance.compare_transcription is compare_transcription
    assert "compare_transcription" in provenance.__all__


def test_whole_mode_without_a_source_is_a_usage_error() -> None:
    with pytest.raises(UsageError):
        compare_texts(make_text("Some text.\n"), [], whole=True)


def test_an_unrelated_transcription_is_unsourced() -> None:
    doc = make_text("Entirely different words about gardens and rainfall in May.\n", id="document")
    report = compare_transcription(doc, make_text(LETTER, id="letter"))
    (result,) = report.passages
    assert result.verdict is Verdict.UNSOURCED and result.match is None


def test_find_passages_adds_reuse_in_document_order_unless_switched_off() -> None:
    doc = make_text('He wrote "the council will close the northern bridge".\n\n' + PASTED, id="document")
    sources = [make_text(LETTER, id="letter")]
    words = encode_words(doc, sources)
    with_reuse = find_passages(doc, words, find_unmarked=True)
    assert [p.kind for p in with_reuse] == [PassageKind.INLINE, PassageKind.PASSAGE]
    assert with_reuse[1].source_hint == 0
    assert [p.kind for p in find_passages(doc, words, find_unmarked=False)] == [PassageKind.INLINE]


def test_encode_words_shares_one_vocabulary() -> None:
    doc = make_text("the bridge", id="document")
    words = encode_words(doc, [make_text("a bridge"), make_text("the end")])
    assert words.document == [0, 1]
    assert words.sources == [[2, 1], [0, 3]]
    assert words.vocabulary.words == ["the", "bridge", "a", "end"]


def test_plan_quotations_leaves_out_one_word_quotations() -> None:
    doc = make_text('A "term" here, and "the council will close the northern bridge" there.\n', id="document")
    sources = [make_text(LETTER)]
    words = encode_words(doc, sources)
    plans = plan_quotations(doc, find_passages(doc, words, find_unmarked=False), words)
    assert [plan.text for plan in plans] == ["the council will close the northern bridge"]
    (plan,) = plans
    assert len(plan.tokens) == len(plan.word_ids) == 7
    assert plan.windows and plan.windows[0].source == 0


def test_locate_and_judge_a_quotation() -> None:
    doc = make_text(ALTERED, id="document")
    sources = [make_text(LETTER, id="letter")]
    source_set = source_set_of(sources)
    words = encode_words(doc, sources)
    plans = plan_quotations(doc, find_passages(doc, words, find_unmarked=False), words)
    located = [locate_quotation(plan, doc, words, source_set) for plan in plans]
    assert all(fit is not None and fit.source == 0 for fit in located)
    results = [judge_quotation(plan, fit, doc, source_set) for plan, fit in zip(plans, located, strict=True)]
    first = results[0]
    assert first is not None and first.verdict is Verdict.ALTERED
    assert [f.type for f in first.findings if f.type is not FindingType.NORMALIZATION] == [FindingType.SILENT_OMISSION]


def test_an_unconfirmed_reuse_or_a_short_unsourced_quotation_is_left_out() -> None:
    doc = make_text('Call it "pure folly" and "a long sentence that no source has anywhere at all".\n',
                    id="document")
    sources = [make_text(LETTER)]
    source_set = source_set_of(sources)
    words = encode_words(doc, sources)
    plans = plan_quotations(doc, find_passages(doc, words, find_unmarked=False), words)
    results = [judge_quotation(plan, None, doc, source_set) for plan in plans]
    assert results[0] is None
    assert results[1] is not None and results[1].verdict is Verdict.UNSOURCED


def test_number_passages_leaves_no_gap() -> None:
    report = compare_texts(make_text(ALTERED, id="document"), [make_text(LETTER)])
    unnumbered = [dataclasses.replace(r, id="") for r in report.passages]
    numbered = number_passages([unnumbered[0], None, unnumbered[1]])
    assert [r.id for r in numbered] == ["p1", "p2"]
    assert numbered == report.passages


BRIDGE = "Last year we said it plainly. We will not close the northern bridge before the spring, the engineer said.\n"


def test_a_leading_bracket_may_name_the_pronoun_it_replaces() -> None:
    report = compare_texts(make_text('They wrote: "[the council] will not close the northern bridge."\n'),
                           [make_text(BRIDGE)])
    (result,) = report.passages
    assert result.match is not None and result.match.text == "We will not close the northern bridge"
    assert [(f.doc_text, f.src_text) for f in result.findings
            if f.type is FindingType.EDITORIAL_SUBSTITUTION] == [("[the council]", "We")]


def test_a_trailing_bracket_takes_the_source_words_it_stands_for() -> None:
    report = compare_texts(make_text('They wrote: "We will not close [the bridge]."\n'), [make_text(BRIDGE)])
    (result,) = report.passages
    assert result.match is not None and result.match.text == "We will not close the northern bridge"
    assert kinds(result) == ["editorial_substitution"]


def test_the_source_span_takes_the_punctuation_the_passage_has() -> None:
    report = compare_texts(make_text('They wrote: "We will not close the northern bridge before the spring."\n'),
                           [make_text(BRIDGE)])
    (result,) = report.passages
    assert result.match is not None and result.match.text == "We will not close the northern bridge before the spring,"


def test_a_quotation_that_opens_with_two_source_words_run_together_reports_them_whole() -> None:
    source = make_text("Address.\n\nFour score and seven years ago our fathers brought forth on this continent a new "
                       "nation.\n", path="address.txt", id="address")
    doc = make_text("It begins: \u201cFourscore and seven years ago our fathers brought forth on this "
                    "continent.\u201d\n", id="document")
    (result,) = compare_texts(doc, [source]).passages
    changed = [f for f in result.findings if f.type is not FindingType.NORMALIZATION]
    assert [(f.type, f.doc_text, f.src_text) for f in changed] == [
        (FindingType.TRANSCRIPTION_ERROR, "Fourscore", "Four score")]
