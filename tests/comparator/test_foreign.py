"""Quotations of another text that share words with a source (issue 12, "False matches"): they are
`unsourced`, not the source altered; controls that are the source altered must stay `altered`."""

from __future__ import annotations

import pytest

from provenance import compare_texts, make_text
from provenance.model import FindingType, PassageResult, Verdict

SPEECH = (
    "Remarks at the harbour, 1953.\n\n"
    "We have resolved not to be afraid of the sea. Every gun that is made, every warship launched, "
    "signifies in the final sense a theft from those who hunger. Under the cloud of threatening war, it is "
    "humanity hanging from a cross of iron. The only thing we have to fear is fear itself. We shall not be "
    "moved.\n"
)

HEADLINE = "The Chance for Peace\n\nDelivered before the editors, April 16, 1953.\n\n" + SPEECH


def only(document: str, source: str = SPEECH, source_name: str = "speech.txt") -> PassageResult:
    report = compare_texts(make_text(document, path="d.txt", id="document"),
                           [make_text(source, path=source_name, id=source_name.rsplit(".", 1)[0])])
    (result,) = report.passages
    return result


def wording(result: PassageResult) -> list[tuple[str, str, str]]:
    return [(f.type.value, f.doc_text.strip(), f.src_text.strip()) for f in result.findings
            if f.type is not FindingType.NORMALIZATION]


@pytest.mark.parametrize("document", [
    # chance: the shared words are function words only, and no more than the words the source lacks
    'As Hamlet asked, "to be or not to be." And so on.\n',
    # a name: title case where the source has lower case, a possessive before, a word for a work in it
    'In Eisenhower\'s "Cross of Iron Speech," he warned of arms.\n',
    # a name: a word for a work after the closing mark; the shared words in lower case in the source
    'Nobody remembers the "Cross of Gold" speech now.\n',
    # another text named in the quotation's sentence
    'In the original draft, the line read "Every gun that is built, every warship launched."\n',
    'In Jefferson\'s rough draft, he wrote "the only thing we ever have to fear is fear itself."\n',
    'An earlier version of the text, now lost, had "under the cloud of a threatening war" instead.\n',
])
def test_a_quotation_of_another_text_sharing_words_with_the_source_is_unsourced(document: str) -> None:
    result = only(document)
    assert result.verdict is Verdict.UNSOURCED, wording(result)
    assert result.match is None
    (finding,) = [f for f in result.findings if f.type is FindingType.UNSOURCED]
    assert finding.message.startswith("no source supports this quotation: it shares words with ")


def test_an_earlier_version_quoted_as_a_block_is_unsourced() -> None:
    document = ("The speech went through many hands. An earlier version of the text ran:\n\n"
                "> Every gun that is built, every warship launched, signifies in the end a theft.\n\n"
                "It was cut.\n")
    result = only(document)
    assert result.verdict is Verdict.UNSOURCED, wording(result)


@pytest.mark.parametrize(("document", "expected"), [
    # a real quotation with one inserted word
    ('He said "the only thing we really have to fear is fear itself."\n',
     [("silent_insertion", "really", "")]),
    # function words only in common, but more of them than words of its own: the source misquoted
    ('He said "we shall not be beaten."\n', [("substitution", "beaten", "moved")]),
    # title case without any mark of a name: a headline quoting the speech, altered
    ('Headline: "Humanity Hanging On A Cross Of Iron"\n', [("substitution", "On", "from")]),
    # a cue in another sentence does not reach the quotation
    ('The first draft was lost. He said "Every gun that is built, every warship launched."\n',
     [("substitution", "built", "made")]),
    # the final text is the source itself, not another one
    ('The final version reads "Every gun that is built, every warship launched."\n',
     [("substitution", "built", "made")]),
])
def test_the_source_altered_stays_altered(document: str, expected: list[tuple[str, str, str]]) -> None:
    result = only(document)
    assert result.verdict is Verdict.ALTERED
    assert wording(result) == expected


def test_a_title_case_quotation_of_a_title_case_source_line_stays_altered() -> None:
    result = only('It was Eisenhower\'s "The Chance for Peace Address" that the editors heard.\n', HEADLINE)
    assert result.verdict is Verdict.ALTERED
    assert wording(result) == [("silent_insertion", "Address", "")]


def test_a_draft_cue_when_the_source_is_the_draft_stays_altered() -> None:
    source = "Original draft of the harbour remarks\n\n" + SPEECH
    result = only('In the original draft, the line read "Every gun that is built, every warship launched."\n',
                  source, "harbour-draft.txt")
    assert result.verdict is Verdict.ALTERED
    assert wording(result) == [("substitution", "built", "made")]


@pytest.mark.parametrize("document", [
    'In Eisenhower\'s "Cross of Iron" speech, he warned of arms.\n',
    'In the original draft, the line read "Every gun that is made, every warship launched."\n',
])
def test_the_source_words_word_for_word_stay_verbatim(document: str) -> None:
    assert only(document).verdict is Verdict.VERBATIM


def test_a_quotation_of_another_source_given_altered_stays_altered_against_it() -> None:
    other = "Address to the growers, 1954.\n\nThe harvest will be late this year, and the price of grain will rise.\n"
    document = 'In another speech, he said "the harvest will be very late this year."\n'
    report = compare_texts(make_text(document, path="d.txt", id="document"),
                           [make_text(SPEECH, path="speech.txt", id="speech"),
                            make_text(other, path="growers.txt", id="growers")])
    (result,) = report.passages
    assert result.verdict is Verdict.ALTERED
    assert result.match is not None and result.match.source == 1
    assert wording(result) == [("silent_insertion", "very", "")]


def test_a_nickname_is_unsourced_where_the_same_words_quoted_in_lower_case_stay_altered() -> None:
    source = ("In the future days, which we seek to make secure, we look forward to a world founded upon four "
              "essential human freedoms. The first is freedom of speech and expression.\n")
    document = ('Roosevelt\'s "Four Freedoms" speech was given in 1941. He spoke of "four essential freedoms" '
                "then.\n")
    report = compare_texts(make_text(document, path="d.txt", id="document"),
                           [make_text(source, path="freedoms.txt", id="freedoms")])
    name, quotation = report.passages
    assert name.verdict is Verdict.UNSOURCED
    assert quotation.verdict is Verdict.ALTERED
    assert wording(quotation) == [("silent_omission", "", "human")]
