"""Extract: quotation marks of every kind, block quotations, markup, attribution cues."""

from __future__ import annotations

import pytest

from provenance.comparator.extract import _classify_mark, extract_passages, find_markup, whole_passage
from provenance.model import PassageKind
from provenance.text import make_text


def quotes(document: str) -> list[str]:
    text = make_text(document)
    return [document[p.span.start:p.span.end] for p in extract_passages(text)]


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ('He said "the forces will move" today.', "the forces will move"),
        ("He said “the forces will move” today.", "the forces will move"),
        ("Il a dit « les forces vont bouger » hier.", "les forces vont bouger"),
        ("Er sagte „die Truppen ziehen ab“ gestern.", "die Truppen ziehen ab"),
        ("She wrote ‘the forces will move’ then.", "the forces will move"),
        ("He said 'the forces will move' today.", "the forces will move"),
        ("Sie sagte »die Truppen ziehen ab« gestern.", "die Truppen ziehen ab"),
        ('Smith said "We will not close the school\r\nthis year." Then.', "We will not close the school\r\nthis year."),
        ("He said 'The players' union will accept the offer' on Monday.", "The players' union will accept the offer"),
        ("He said '90 percent of schools will close' on Monday.", "90 percent of schools will close"),
    ],
)
def test_every_kind_of_quotation_mark(document: str, expected: str) -> None:
    assert quotes(document) == [expected]


def test_a_quotation_ending_in_a_plural_closes_when_the_next_mark_opens_another() -> None:
    # Hard-wrapped text without blank lines is one paragraph: `success'` followed by a lower-case
    # word looked like a plural possessive, the quotation never closed, and every later quotation
    # of the document was swallowed by it.
    doc = ("made it a crime to interfere\nwith 'military success' or obstruct 'recruiting and enlistment' into the\n"
           "military. The Court likened it to \"shouting fire in a crowded theater.\"\nThis case")
    assert quotes(doc) == ["military success", "recruiting and enlistment", "shouting fire in a crowded theater."]


def test_nested_quotes_stay_inside_the_outer_one() -> None:
    doc = "Milley said “the letter said ‘repositioning forces’ and that’s a draft” on Monday."
    assert quotes(doc) == ["the letter said ‘repositioning forces’ and that’s a draft"]


def test_apostrophes_are_not_quotation_marks() -> None:
    doc = "America's war in the '90s and the students' books. It’s “a quote” here."
    assert quotes(doc) == ["a quote"]


def test_a_quotation_over_several_paragraphs() -> None:
    doc = "He wrote:\n\n“First paragraph of the letter.\n\n“Second paragraph of it.”\n\nThen he left."
    text = make_text(doc)
    (p,) = extract_passages(text)
    assert doc[p.span.start:p.span.end] == "First paragraph of the letter.\n\n“Second paragraph of it."
    assert [m.kind for m in p.markup] == ["ignored"]
    assert doc[p.markup[0].span.start] == "“"


def test_an_unclosed_quote_does_not_swallow_the_next_paragraph() -> None:
    doc = "He said “this never closes.\n\nA new paragraph with “a real quote” in it."
    assert quotes(doc) == ["a real quote"]


def test_markdown_html_and_indented_block_quotations() -> None:
    doc = (
        "Intro.\n\n> The first line of the block\n> and its second line.\n\nMiddle.\n\n"
        "<blockquote><p>An HTML block quotation here.</p></blockquote>\n\n"
        "    An indented paragraph set off as a quotation.\n    It goes on.\n\nEnd."
    )
    text = make_text(doc)
    found = extract_passages(text)
    assert [p.kind for p in found] == [PassageKind.BLOCK] * 3
    first = found[0]
    assert doc[first.span.start:first.span.end] == "The first line of the block\n> and its second line."
    assert [m.kind for m in first.markup] == ["ignored"]
    assert doc[found[2].span.start:found[2].span.end].startswith("An indented paragraph")


@pytest.mark.parametrize(
    ("snippet", "kind"),
    [("...", "ellipsis"), ("…", "ellipsis"), ("[...]", "ellipsis"), ("[…]", "ellipsis"), (". . .", "ellipsis"),
     ("[i.e., moving]", "bracket"), ("[sic]", "bracket")],
)
def test_markup_inside_quotations(snippet: str, kind: str) -> None:
    s = f"forces {snippet} over days"
    (m,) = find_markup(s, 0, len(s))
    assert m.kind == kind
    assert s[m.span.start:m.span.end] == snippet


@pytest.mark.parametrize(
    ("document", "cue"),
    [
        ("Milley told reporters: “That letter is a draft.”", "Milley told reporters"),
        ("“That letter is a draft,” he told reporters.", "he told reporters"),
        ("According to Reuters, “the troops will stay put.”", "According to Reuters"),
        ("As Roosevelt put it, “a date which will live in infamy.”", "As Roosevelt put it"),
        ("“A date which will live in infamy,” in the words of Roosevelt, is remembered.",
         "in the words of Roosevelt"),
        ("Reuters reported that “the troops will stay put.”", "Reuters reported that"),
        ("The phrase came from Thoreau, who said: ‘Nothing is as much to be feared as fear.’",
         "Thoreau, who said"),
        ("I spoke to Ada Lovelace, who wrote: “the engine might compose music.”", "Ada Lovelace, who wrote"),
        ("It comes from a law partner of Lincoln, who wrote: “his ambition was a little engine.”", None),
        ("It comes from a law partner of Abraham Lincoln, who wrote: “his ambition was a little engine.”", None),
        ("It was “a date which will live” long.", None),
    ],
)
def test_attribution_cues(document: str, cue: str | None) -> None:
    text = make_text(document)
    (p,) = extract_passages(text)
    assert p.attribution == cue
    if cue is not None:
        assert p.attribution_span is not None
        assert document[p.attribution_span.start:p.attribution_span.end] == cue


def test_whole_passage_spans_the_trimmed_document() -> None:
    doc = "\n  Four score [sic] and seven ... years.  \n"
    text = make_text(doc)
    p = whole_passage(text)
    assert doc[p.span.start:p.span.end] == "Four score [sic] and seven ... years."
    assert [m.kind for m in p.markup] == ["bracket", "ellipsis"]


def test_a_cue_after_a_quotation_that_ended_its_sentence_belongs_to_the_next() -> None:
    doc = 'The mayor was clear: "Taxes will rise." According to Reuters, "the ferry stops."'
    found = extract_passages(make_text(doc))
    assert [p.attribution for p in found] == [None, "According to Reuters"]


def test_crlf_paragraphs_and_indented_blocks_keep_their_cue() -> None:
    doc = "The mayor wrote:\r\n\r\n    We will not close the school this year.\r\n\r\nEnd."
    (p,) = extract_passages(make_text(doc))
    assert p.kind is PassageKind.BLOCK and p.attribution == "The mayor wrote"


def test_swedish_quotes_and_single_quotes_over_paragraphs() -> None:
    assert quotes("Hon sa ”vi stänger inte skolan” i går.") == ["vi stänger inte skolan"]
    doc = "He wrote:\n\n‘First paragraph of it.\n\n‘Second paragraph.’\n\nEnd."
    assert quotes(doc) == ["First paragraph of it.\n\n‘Second paragraph."]


@pytest.mark.parametrize(
    ("text", "index", "kind"),
    [
        ("America's", 7, "apostrophe"),
        ("rock 'n' roll", 5, "apostrophe"),
        ('a "b', 2, "open"),
        ('a" b', 1, "close"),
        ('x "', 2, "either"),
        ("x ' y", 2, "apostrophe"),
        ('x " y', 2, "either"),
        ("\u201cso", 0, "open"),
        ("so\u201c.", 2, "either"),
        ("\u201eso", 0, "open"),
        ("so\u201d ", 2, "close"),
        (" \u201dså", 1, "open"),
        ("so\u2019 ", 2, "close"),
        (" \u00bbso", 1, "open"),
        ("so\u00bb ", 2, "close"),
        ("so\u00ab ", 2, "close"),
        (" \u00abso", 1, "open"),
    ],
)
def test_each_quotation_mark_is_classified_by_its_context(text: str, index: int, kind: str) -> None:
    assert _classify_mark(text, index) == kind


def test_a_first_line_indent_of_hard_wrapped_text_is_not_a_block() -> None:
    # a transcript in hard-wrapped lines: the indented line goes on unindented, and the inline
    # quotation in it is a quotation of its own
    doc = ("It was Sunday afternoon in the east.\n"
           "    And.. \"The date that will live in infamy\" speech- I'll say I remember! I had all my\n"
           "pupils lined up the next day in the classroom.\n")
    (p,) = extract_passages(make_text(doc))
    assert p.kind is PassageKind.INLINE
    assert doc[p.span.start:p.span.end] == "The date that will live in infamy"
