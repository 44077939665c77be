"""Reuse: passages copied without quotation marks are found; short common phrases are not."""

from __future__ import annotations

from provenance.model import PassageKind, Verdict

from conftest import kinds, run

SOURCE = (
    "During this time, there will be an increase in boat traffic around the old pier, including "
    "ferries and two security launches. Crews will take appropriate measures to minimise the disturbance "
    "to the public. We respect your patience and thank the residents for their understanding."
)


def test_a_pasted_paragraph_is_a_passage() -> None:
    doc = ("Here is what the notice says.\n\nCrews will take appropriate measures to minimise the disturbance "
           "to the public. We respect your patience [sic] and thank the residents for their understanding.\n\n"
           "That is all.\n")
    report = run(doc, SOURCE)
    (p,) = report.passages
    assert p.passage.kind is PassageKind.PASSAGE
    assert p.text.startswith("Crews will take") and p.text.endswith("understanding.")
    assert kinds(p) == ["editorial_insertion"]
    assert p.verdict is Verdict.FAITHFUL


def test_a_copied_stretch_with_a_silent_omission_stays_one_passage() -> None:
    doc = ("Notes.\n\nDuring this time, there will be an increase in boat traffic around the old pier. Crews will "
           "take appropriate measures to minimise the disturbance to the public.\n")
    (p,) = run(doc, SOURCE).passages
    assert kinds(p) == ["silent_omission"]
    assert p.findings[0].src_text == ", including ferries and two security launches"


def test_a_short_common_phrase_is_not_reuse() -> None:
    doc = "Our town saw an increase in boat traffic this year, and the residents were glad.\n"
    assert run(doc, SOURCE).passages == ()


def test_quoted_text_is_not_also_reported_as_reuse() -> None:
    doc = "The notice: “Crews will take appropriate measures to minimise the disturbance to the public.”\n"
    (p,) = run(doc, SOURCE).passages
    assert p.passage.kind is PassageKind.INLINE


def test_reuse_can_be_switched_off() -> None:
    doc = "Crews will take appropriate measures to minimise the disturbance to the public, they said.\n"
    assert run(doc, SOURCE, reuse=False).passages == ()


_FIRST = "The harbour will close to all shipping at dusk on Friday while the engineers inspect the old sea wall."
_MIDDLE = " ".join(f"Item {n} of the notice concerns berth number {n} and the moorings listed under it."
                   for n in range(1, 6))
_LAST = "The ferries will run again when the inspection ends, and the council will publish the report."
_SHORT = "Residents may collect permits at the harbour office."
LONG_SOURCE = f"{_FIRST} {_MIDDLE} {_LAST} {_SHORT}"


def test_an_excerpt_spliced_from_far_apart_sentences_is_one_passage_with_the_omission() -> None:
    # the two sentences stand 75 source words apart, past the 60 one chain of n-grams spans
    doc = f"From the notice.\n\n{_FIRST} {_LAST}\n\nThat is all.\n"
    (p,) = run(doc, LONG_SOURCE).passages
    assert p.passage.kind is PassageKind.PASSAGE
    assert kinds(p) == ["silent_omission"]
    assert p.findings[0].src_text.strip(" .").startswith("Item 1 of the notice")
    assert p.verdict is Verdict.ALTERED


def test_an_ellipsis_at_a_paragraph_break_joins_the_excerpt_and_marks_the_omission() -> None:
    doc = f"From the notice.\n\n{_FIRST} ...\n\n{_LAST}\n\nThat is all.\n"
    (p,) = run(doc, LONG_SOURCE).passages
    assert kinds(p) == ["marked_omission"]
    assert p.verdict is Verdict.FAITHFUL


def test_two_pasted_paragraphs_without_an_ellipsis_stay_two_passages() -> None:
    doc = f"From the notice.\n\n{_FIRST}\n\n{_LAST}\n\nThat is all.\n"
    report = run(doc, LONG_SOURCE)
    assert [kinds(p) for p in report.passages] == [[], []]


def test_a_short_sentence_spliced_onto_a_copied_one_is_part_of_the_excerpt() -> None:
    # the short sentence alone (8 words) would not be reuse
    doc = f"From the notice.\n\n{_FIRST} {_SHORT}\n\nThat is all.\n"
    (p,) = run(doc, LONG_SOURCE).passages
    assert p.text.endswith("harbour office.")
    assert kinds(p) == ["silent_omission"]


def test_an_excerpt_cut_off_before_its_last_words_reports_them() -> None:
    # the pasted paragraph stops on `ends,` ... `publish the` with no full stop, and the page goes on
    cut = "The ferries will run again when the inspection ends, and the council will publish"
    doc = f"From the notice.\n\n{_FIRST} {_MIDDLE} {cut}\n\nThat is all.\n"
    (p,) = run(doc, LONG_SOURCE).passages
    assert kinds(p) == ["silent_omission"]
    assert p.findings[-1].src_text == "the report"


def test_an_excerpt_the_file_ends_inside_is_not_cut_by_the_page() -> None:
    cut = "The ferries will run again when the inspection ends, and the council will publish"
    doc = f"From the notice.\n\n{_FIRST} {_MIDDLE} {cut}\n"
    (p,) = run(doc, LONG_SOURCE).passages
    assert kinds(p) == []


def test_a_changed_word_among_a_pasted_sentences_first_words_is_compared() -> None:
    # the first intact n-gram is `close to all shipping`: the words before it on the line, one
    # changed (`shall` for `will`), are the start of the copied sentence
    doc = "Notes.\n\nThe harbour shall close to all shipping at dusk on Friday while the engineers inspect the wall.\n"
    source = "The harbour will close to all shipping at dusk on Friday while the engineers inspect the wall."
    (p,) = run(doc, source).passages
    assert p.text.startswith("The harbour shall close")
    assert [(f.type.value, f.doc_text) for f in p.findings if f.type.value != "normalization"] == [
        ("substitution", "shall")]


def test_the_writers_own_words_before_a_pasted_sentence_stay_out() -> None:
    doc = f"Notes.\n\nAs the council told us, {_LAST}\n"
    (p,) = run(doc, LONG_SOURCE).passages
    assert p.text.startswith("The ferries will run")
    assert kinds(p) == []

