"""Classify: words written another way (spelling, titles, numbers, transcript furniture) and whole tokens."""

from __future__ import annotations

import pytest

from provenance.comparator.variants import american, number_of_words, same_number, stage_direction

from conftest import kinds, of_type, only, run

SOURCE = ("The growth rate was 3.6 percent last year, and the task force CJTF-OIR will fly UH-60 helicopters over "
          "the zone. Senator Smith said I have seen the colour of the centre. We counted twenty-five boats. "
          "(Applause.) Thank you all for coming tonight to the harbour, and we organised 1,200 chairs.")


@pytest.mark.parametrize(("british", "us"), [
    ("colour", "color"), ("honours", "honors"), ("centre", "center"), ("theatres", "theaters"),
    ("organised", "organized"), ("realisation", "realization"), ("analyse", "analyze"), ("travelled", "traveled"),
    ("defence", "defense"), ("catalogue", "catalog"), ("grey", "gray"), ("programme", "program"),
])
def test_british_and_american_spelling_meet(british: str, us: str) -> None:
    assert american(british) == american(us)


@pytest.mark.parametrize(("one", "other"), [("four", "for"), ("filled", "filed"), ("hour", "hor"), ("our", "or"),
                                            ("acre", "acer"), ("rise", "rize")])
def test_spelling_rules_never_join_two_different_words(one: str, other: str) -> None:
    assert american(one) != american(other)


def test_number_words_have_their_value() -> None:
    assert number_of_words(["twenty", "five"]) == 25
    assert number_of_words(["one", "hundred", "and", "twelve"]) == 112
    assert number_of_words(["three", "thousand", "two", "hundred"]) == 3200
    assert number_of_words(["and"]) is None and number_of_words(["twenty", "boats"]) is None
    assert same_number(["1", "200"], ["one", "thousand", "two", "hundred"])
    assert not same_number(["25"], ["twenty", "six"]) and not same_number(["25"], ["25"])


def test_stage_directions_and_speaker_labels() -> None:
    text = "we will win. (Applause.) THE PRESIDENT: Thank you. (Sustained Reforms.) [inaudible] done"
    assert stage_direction(text, text.index("Applause"), text.index("Applause") + 8) == "a stage direction"
    assert stage_direction(text, text.index("THE"), text.index(":")) == "a speaker's label"
    assert stage_direction(text, text.index("inaudible"), text.index("inaudible") + 9) == "a stage direction"
    assert stage_direction(text, text.index("Sustained"), text.index("Reforms") + 7) is None
    assert stage_direction(text, text.index("Thank"), text.index("you") + 3) is None


def test_spelling_titles_numbers_and_stage_directions_are_only_normalisation() -> None:
    doc = ('He said "Sen. Smith said I have seen the color of the center. We counted 25 boats. '
           'Thank you all for coming tonight to the harbor, and we organized one thousand two hundred chairs."')
    result = only(run(doc, SOURCE))
    assert kinds(result) == [], [(f.type.value, f.doc_text, f.src_text) for f in result.findings]
    messages = {f.message for f in of_type(result, "normalization")}
    assert {"British and American spelling", "a title abbreviated or written out",
            "a number written another way"} <= messages
    assert any("stage direction" in m for m in messages)
    assert result.verdict.value == "verbatim"


def test_a_real_omission_beside_a_stage_direction_is_still_an_omission() -> None:
    doc = 'He said "We counted twenty-five boats. Thank you all for coming to the harbour."'
    result = only(run(doc, SOURCE))
    assert [(f.doc_text, f.src_text.strip()) for f in of_type(result, "silent_omission")] == [("", "tonight")]


def test_a_changed_figure_is_reported_on_the_whole_figure() -> None:
    result = only(run('He said "The growth rate was 3.8 percent last year."', SOURCE))
    (finding,) = of_type(result, "substitution")
    assert (finding.doc_text, finding.src_text) == ("3.8", "3.6")
    assert "number" in [i.value for i in finding.impact] and "'8' for '6'" in finding.message


def test_a_changed_code_is_reported_on_the_whole_code() -> None:
    doc = 'They said "the task force CTJF-OIR will fly UP-I-60 helicopters over the zone."'
    result = only(run(doc, SOURCE))
    pairs = [(f.type.value, f.doc_text, f.src_text) for f in result.findings if f.type.value != "normalization"]
    assert pairs == [("transcription_error", "CTJF-OIR", "CJTF-OIR"), ("substitution", "UP-I-60", "UH-60")]
    assert "letters swapped" in result.findings[0].message


def test_a_word_changed_next_to_a_hyphen_outside_a_code_is_unchanged() -> None:
    result = only(run('They said "the task force CJTF-OIR will fly UH-60 planes over the zone."', SOURCE))
    assert [(f.doc_text, f.src_text) for f in of_type(result, "substitution")] == [("planes", "helicopters")]


def test_short_quotations_in_no_source_are_listed_as_not_checked(capsys: pytest.CaptureFixture[str]) -> None:
    from provenance.report.json_report import render_json
    from provenance.report.terminal import render_terminal

    doc = ('Critics called it "a fiasco" and "theatre". The senator said "I have seen the colour of the centre."'
           ' She called it "the zone".')
    report = run(doc, SOURCE)
    assert [n.text for n in report.not_checked] == ["a fiasco", "theatre"]
    assert [n.reason for n in report.not_checked] == ["under 3 words, and in no source",
                                                      "one word: a term or a scare quote"]
    assert [p.text for p in report.passages] == ["I have seen the colour of the centre.", "the zone"]
    import json

    data = json.loads(render_json(report))
    assert [n["text"] for n in data["not_checked"]] == ["a fiasco", "theatre"]
    assert data["not_checked"][0]["doc_span"]["line"] == 1
    shown = render_terminal(report, width=200)
    assert "Not checked: 2 quotations under 3 words" in shown and "“a fiasco”" in shown
    assert "not_checked" not in json.loads(render_json(run('She said "I have seen the colour."', SOURCE)))


HARBOUR = ("The harbour will close at dusk on Friday. Engineers have inspected the breakwater and found two cracks in "
           "the eastern caissons, which will take three weeks to repair. The council has asked the ferry company to "
           "publish a new timetable. Passengers with tickets can claim a refund at any terminal office. After the "
           "repairs, the ferries will stop only for the spring tides. We expect the harbour to reopen in March.")


def test_two_far_apart_sentences_spliced_into_one_quotation_are_a_silent_omission() -> None:
    doc = '"The harbour will close at dusk on Friday, and the ferries will stop only for the spring tides," she said.'
    result = only(run(doc, HARBOUR))
    assert result.verdict.value == "altered"
    (omitted,) = of_type(result, "silent_omission")
    assert omitted.src_text.strip(" .").startswith("Engineers have inspected")
    assert omitted.src_text.rstrip(" ,").endswith("After the repairs")
    assert [f.doc_text.strip() for f in of_type(result, "silent_insertion")] == ["and"]


def test_a_quotation_of_one_stretch_is_not_taken_for_a_splice() -> None:
    doc = '"Passengers with tickets can claim a refund at any terminal office," she said.'
    result = only(run(doc, HARBOUR))
    assert result.verdict.value == "verbatim" and not of_type(result, "silent_omission")


def test_halves_of_a_quotation_split_by_a_speech_tag_that_are_not_side_by_side_omit_what_lies_between() -> None:
    doc = ('"The harbour will close at dusk on Friday," she said, "and passengers with tickets can claim a refund '
           'at any terminal office."')
    first, second = run(doc, HARBOUR).passages
    assert first.verdict.value == "verbatim"
    (omitted,) = of_type(second, "silent_omission")
    assert omitted.src_text.startswith("Engineers have inspected") and "split by 'she said'" in omitted.message
    side_by_side = ('"The council has asked the ferry company to publish a new timetable," she said. "Passengers '
                    'with tickets can claim a refund at any terminal office."')
    assert not any(of_type(r, "silent_omission") for r in run(side_by_side, HARBOUR).passages)
    no_tag = '"The harbour will close at dusk on Friday" and "Passengers with tickets can claim a refund"'
    assert not any(of_type(r, "silent_omission") for r in run(no_tag, HARBOUR).passages)


def test_a_spelling_variant_aligns_as_the_same_word() -> None:
    # `theater` for `theatre` at a quotation's end: aligned as one word, the added `crowded` is an
    # insertion, not `crowded theater` in place of `theatre and`.
    source = ("The most stringent protection would not protect a man in falsely shouting fire in a theatre "
              "and causing a panic.")
    result = only(run('The phrase "shouting fire in a crowded theater" is famous.', source))
    assert [(f.type.value, f.doc_text.strip()) for f in result.findings if f.type.value != "normalization"] == [
        ("silent_insertion", "crowded")]
    assert any(f.message == "British and American spelling" for f in of_type(result, "normalization"))


def test_a_day_written_as_an_ordinal_is_a_number_written_another_way() -> None:
    source = "Yesterday, December 7, 1941, a date which will live in infamy, the nation was attacked."
    for day in ("7th", "seventh"):
        result = only(run(f'He said "Yesterday, December {day}, 1941, a date which will live in infamy" then.', source))
        assert kinds(result) == [], day
        assert "a number written another way" in {f.message for f in of_type(result, "normalization")}
    changed = only(run('He said "Yesterday, December 8th, 1941, a date which will live in infamy" then.', source))
    assert kinds(changed) == ["substitution"]
    seven = only(run('He said "we counted seventh boats in the bay at dusk" then.',
                     "we counted seven boats in the bay at dusk"))
    assert kinds(seven) == ["substitution"]  # an ordinal for a cardinal word is another word
