"""Classify: each finding type of the taxonomy, impacts, verdicts, and what may not be flagged."""

from __future__ import annotations

import pytest

from provenance.comparator.align import Opcode
from provenance.comparator.attribution import name_words, source_names
from provenance.comparator.classify import (
    WORD_RULES,
    ChangedRegion,
    ChangedWords,
    MatchedRun,
    aligned_steps,
    judge_words,
)
from provenance.comparator.hidden import Holders, hidden_findings, hidden_message, hidden_runs
from provenance.comparator.placement import (
    DraftFinding,
    extent_options,
    following_starts,
    merge_neighbouring_normalizations,
    place_run,
)
from provenance.model import FindingType, Impact, Severity, Span, Verdict
from provenance.text import make_text, tokenize

from conftest import kinds, of_type, only, run, texts_of, validate

SOURCE = (
    "Harbour Notice, 14 March\n\n"
    "The council will not close the north harbour during the coming weeks to prepare for the spring "
    "repairs. In order to do this work, the crews are required to take certain measures to ensure that "
    "the traffic out of the harbour is moved in a safe and orderly manner. During this time, there will "
    "be an increase in boat traffic around the old pier, including 47 ferries and two security launches. "
    "We respect your patience and thank the residents of Dunmore for their understanding.\n"
)


def quote(text: str, *, before: str = "The notice said: ") -> str:
    return f"Intro paragraph.\n\n{before}“{text}”\n\nClosing paragraph.\n"


def test_identical_quotation_is_verbatim_with_no_findings() -> None:
    r = only(run(quote("the crews are required to take certain measures"), SOURCE))
    assert r.verdict is Verdict.VERBATIM
    assert r.findings == ()
    assert SOURCE[r.match.span.start:r.match.span.end] == "the crews are required to take certain measures"


def test_quotes_case_dashes_and_punctuation_are_normalisation_only() -> None:
    r = only(run(quote("During this time: there will be an INCREASE in boat-traffic -- around the old pier"),
                 SOURCE))
    assert r.verdict is Verdict.VERBATIM
    assert kinds(r) == []
    assert {f.severity for f in r.findings} == {Severity.INFO}


def test_editorial_insertion_and_substitution() -> None:
    r = only(run(quote("[the council] will not close the north harbour [i.e., the fishing port] during"), SOURCE))
    assert kinds(r) == ["editorial_substitution", "editorial_insertion"]
    assert texts_of(r.findings, "editorial_substitution") == [("[the council]", "The council")]
    assert texts_of(r.findings, "editorial_insertion") == [("[i.e., the fishing port]", "")]
    assert r.verdict is Verdict.FAITHFUL


@pytest.mark.parametrize("ellipsis", ["...", "…", "[...]", ". . ."])
def test_marked_omission(ellipsis: str) -> None:
    r = only(run(quote(f"there will be an increase in boat traffic {ellipsis} two security launches"), SOURCE))
    assert kinds(r) == ["marked_omission"]
    (f,) = of_type(r, "marked_omission")
    assert f.doc_text.strip() == ellipsis
    assert f.src_text.strip() == "around the old pier, including 47 ferries and"
    assert r.verdict is Verdict.FAITHFUL


def test_silent_omission_and_insertion() -> None:
    r = only(run(quote("the council will not close the north harbour during the coming weeks. In order to do "
                       "this hard work"), SOURCE))
    assert kinds(r) == ["silent_omission", "silent_insertion"]
    assert texts_of(r.findings, "silent_omission") == [("", "to prepare for the spring repairs")]
    assert texts_of(r.findings, "silent_insertion") == [("hard", "")]
    assert r.verdict is Verdict.ALTERED
    assert {f.severity for f in r.findings if f.type is not FindingType.NORMALIZATION} == {Severity.WARNING}


def test_substitution_transposition_and_transcription_errors() -> None:
    r = only(run(quote("the traffic out of the harbour is moved in a safe and tidy manner. During time this, "
                       "there will be an increase in boat trafic around the old pi er"), SOURCE))
    assert kinds(r) == ["substitution", "transposition", "transcription_error", "transcription_error"]
    assert texts_of(r.findings, "substitution") == [("tidy", "orderly")]
    assert texts_of(r.findings, "transposition") == [("time this", "this time")]
    assert texts_of(r.findings, "transcription_error") == [("trafic", "traffic"), ("pi er", "pier")]


@pytest.mark.parametrize(
    ("quoted", "impact", "doc", "src"),
    [
        ("The council will close the north harbour", Impact.NEGATION, "", "not"),
        ("including 48 ferries and two security launches", Impact.NUMBER, "48", "47"),
        ("including 47 ferries and three security launches", Impact.NUMBER, "three", "two"),
        ("thank the residents of Kilmore for their understanding", Impact.NAME, "Kilmore", "Dunmore"),
    ],
)
def test_changes_of_meaning_carry_impact_and_are_errors(quoted: str, impact: Impact, doc: str, src: str) -> None:
    r = only(run(quote(quoted), SOURCE))
    (f,) = [f for f in r.findings if f.type is not FindingType.NORMALIZATION]
    assert impact in f.impact
    assert f.severity is Severity.ERROR
    assert (f.doc_text.strip(), f.src_text.strip()) == (doc, src)


def test_a_substituted_common_word_has_no_name_impact() -> None:
    r = only(run(quote("We respect your kindness and thank the residents"), SOURCE))
    (f,) = of_type(r, "substitution")
    assert f.impact == ()


def test_hidden_characters_are_reported_and_nothing_else() -> None:
    r = only(run(quote("the crews are re\u200dquired to take certain mea\u202esures"), SOURCE))
    assert kinds(r) == ["hidden_character", "hidden_character"]
    assert [f.doc_text for f in r.findings] == ["\u200d", "\u202e"]
    assert "zero-width joiner" in r.findings[0].message
    assert r.verdict is Verdict.ALTERED


def test_homoglyph_from_another_script_is_a_hidden_character() -> None:
    r = only(run(quote("the crews are required to t\u0430ke certain measures"), SOURCE))
    assert kinds(r) == ["hidden_character"]
    assert "Latin 'a'" in r.findings[0].message


def test_contractions_are_normalisation() -> None:
    src = "We do not expect delays, and we will not accept them at the pier."
    r = only(run(quote("We don't expect delays, and we won't accept them at the pier"), src))
    assert r.verdict is Verdict.VERBATIM


def test_unsourced_quotation() -> None:
    r = only(run(quote("Nobody here has ever seen a storm like the one that came last winter"), SOURCE))
    assert r.verdict is Verdict.UNSOURCED
    assert r.match is None
    assert kinds(r) == ["unsourced"]


def test_short_scare_quotes_found_nowhere_are_left_out() -> None:
    report = run(quote("temporary", before="A so-called "), SOURCE)
    assert report.passages == ()


def test_paraphrase_presented_as_a_quotation() -> None:
    r = only(run(quote("while this happens boat traffic near the old pier will go up, with 47 ferries and two "
                       "security launches"), SOURCE))
    assert r.verdict is Verdict.PARAPHRASE
    assert kinds(r) == ["paraphrase"]
    assert r.findings[0].severity is Severity.ERROR


def test_misattribution_names_the_other_source() -> None:
    wire = "Coastal Wire\n\nFerry operators said the storm damaged three boats at the southern quay overnight.\n"
    doc = "Intro.\n\nAccording to Coastal Wire, “the crews are required to take certain measures” there.\n"
    report = run(doc, SOURCE, wire)
    r = only(report)
    assert r.match is not None and r.match.source == 0
    assert kinds(r) == ["misattribution"]
    assert r.findings[0].doc_text == "the crews are required to take certain measures"  # on the quoted words
    assert "'According to Coastal Wire'" in r.findings[0].message  # the cue in the message
    assert r.verdict is Verdict.VERBATIM  # the words are right; the attribution is not


@pytest.mark.parametrize(("cue", "wrong"), [
    ("As Coastal Wire put it,", True),
    ("The warning came from Andrew Okafor, who told Coastal Wire:", False),  # Coastal Wire is whom he told
    ("He told Coastal Wire:", False),
    ("The line comes from a reporter of Coastal Wire, who wrote:", False),  # the clause may be the reporter's
])
def test_a_misattribution_is_read_from_the_cues_subject(cue: str, wrong: bool) -> None:
    wire = "Coastal Wire\n\nFerry operators said the storm damaged three boats overnight.\n"
    doc = f"Intro.\n\n{cue} “the crews are required to take certain measures” there.\n"
    r = only(run(doc, SOURCE, wire))
    assert ("misattribution" in kinds(r)) is wrong, r.findings


def test_best_source_among_several() -> None:
    other = "An unrelated text about ferries and the weather, the harbour and the pier, and nothing else."
    report = run(quote("crews are required to take certain measures to ensure that the traffic"), other, SOURCE)
    r = only(report)
    assert r.match is not None and report.sources[r.match.source].id == "src2"


def test_whole_transcription_reports_edges_too() -> None:
    doc = SOURCE.replace("Harbour Notice, 14 March\n\n", "").replace("Dunmore", "Dunmore too")
    r = only(run(doc, SOURCE, whole=True))
    assert kinds(r) == ["silent_omission", "silent_insertion"]
    assert texts_of(r.findings, "silent_omission")[0][1].startswith("Harbour Notice, 14 March")


def test_every_report_validates_against_the_schema() -> None:
    validate(run(quote("the crews are re\u200dquired to take [certain] measures ... in a safe manner"), SOURCE))


def test_a_whole_sentence_left_out_between_two_quoted_ones() -> None:
    src = ("The mayor said the council would not raise taxes this year. She promised that the new bridge, "
           "which will cost 12 million dollars, would open in 2025 after a review by independent engineers.\n\n"
           "The budget also sets aside money for libraries, parks and the repair of the old harbour wall.")
    r = only(run(quote("The mayor said the council would not raise taxes this year. The budget also sets aside "
                       "money for libraries, parks and the repair of the old harbour wall."), src))
    assert kinds(r) == ["silent_omission"]
    assert r.findings[-1].src_text.strip().startswith("She promised")


def test_brackets_the_source_has_too_are_text() -> None:
    src = "The court held in Smith v Jones [2019] EWCA Civ 12 [34] that the duty was owed."
    r = only(run(quote("The court held in Smith v Jones [2019] EWCA Civ 12 [34] that the duty was owed."), src))
    assert r.verdict is Verdict.VERBATIM


@pytest.mark.parametrize(
    ("quoted", "kind", "impact"),
    [
        ("the budget grew to 5.2 million dollars", "substitution", Impact.NUMBER),
        ("the budget grew to fifty-three million dollars", "substitution", Impact.NUMBER),
        ("the budget grew to 52 milion dollars", "transcription_error", None),
    ],
)
def test_figures(quoted: str, kind: str, impact: Impact | None) -> None:
    r = only(run(quote(quoted), "Officials said the budget grew to 52 million dollars in 2024."))
    (f,) = [f for f in r.findings if f.type is not FindingType.NORMALIZATION]
    assert f.type.value == kind
    assert (impact in f.impact) if impact else f.impact == ()


def test_a_figure_in_words_with_the_same_value_is_normalisation() -> None:
    r = only(run(quote("the budget grew to fifty-two million dollars"),
                 "Officials said the budget grew to 52 million dollars in 2024."))
    assert kinds(r) == [] and r.verdict is Verdict.VERBATIM


def test_a_bracket_inside_a_word_is_editorial() -> None:
    r = only(run(quote("[T]he council will be reposition[ing] the north harbour"),
                 "Officials said the council will be repositioning the north harbour soon."))
    assert kinds(r) == ["editorial_substitution", "editorial_substitution"]
    assert r.verdict is Verdict.FAITHFUL


def test_a_sign_on_a_figure_is_a_changed_number() -> None:
    r = only(run(quote("the budget grew by -3.5% of GDP"), "Officials said the budget grew by 3.5 of GDP."))
    assert {f.type.value for f in r.findings} == {"substitution"}
    assert all(Impact.NUMBER in f.impact for f in r.findings)
    dash = only(run(quote("in 1941 -- a date"), "It was in 1941 — a date to remember."))
    assert dash.verdict is Verdict.VERBATIM


# -- the helpers the classifier is built from ------------------------------------------------

def changed(doc: str, src: str) -> ChangedWords:
    """The words of two short texts as one changed region (no name is at a sentence start)."""
    doc_tokens, src_tokens = tokenize(doc), tokenize(src)
    doc_words = tuple(zip(doc_tokens.starts, doc_tokens.ends, strict=True))
    src_words = tuple(zip(src_tokens.starts, src_tokens.ends, strict=True))
    return ChangedWords(doc, src, tuple(doc_tokens.keys), tuple(src_tokens.keys), doc_words, src_words,
                        tuple(False for _ in doc_words), tuple(False for _ in src_words))


@pytest.mark.parametrize(
    ("doc", "src", "kind", "message"),
    [
        ("very", "", FindingType.SILENT_INSERTION, "words in the quotation"),
        ("", "very", FindingType.SILENT_OMISSION, "left out"),
        ("time this", "this time", FindingType.TRANSPOSITION, "another order"),
        ("can't", "can not", FindingType.NORMALIZATION, "contraction"),
        ("5.2", "52", FindingType.SUBSTITUTION, "a figure written differently"),
        ("to-day", "today", FindingType.NORMALIZATION, "hyphenation"),
        ("pi er", "pier", FindingType.TRANSCRIPTION_ERROR, "a word split"),
        ("sec urlty", "security", FindingType.TRANSCRIPTION_ERROR, "a slip across words"),
        ("twelve", "12", FindingType.NORMALIZATION, "a number written another way"),
        ("trafic", "traffic", FindingType.TRANSCRIPTION_ERROR, "a slip inside a word"),
        ("tidy", "orderly", FindingType.SUBSTITUTION, "in place of different"),
        ("a tidy one", "orderly", FindingType.SUBSTITUTION, "in place of different"),
    ],
)
def test_the_first_word_rule_that_applies_names_the_change(doc: str, src: str, kind: FindingType,
                                                           message: str) -> None:
    (draft,) = judge_words(changed(doc, src))
    assert draft.type is kind
    assert message in draft.message


def test_word_rules_read_as_the_taxonomy_most_specific_first() -> None:
    names = [rule.__name__ for rule in WORD_RULES]
    assert names[:4] == ["inserted_words", "not_the_speakers_words", "omitted_words", "reordered_words"]
    assert names.index("number_in_words") < names.index("figure_written_differently")
    assert names[-1] == "different_words"  # the rule that applies to any words comes last
    assert names.index("hyphenation") < names.index("split_or_joined_words")


def test_neighbouring_substituted_words_are_one_substitution() -> None:
    drafts = judge_words(changed("a tidy and calm way", "a safe and orderly way"))
    assert [(d.type, d.doc, d.src) for d in drafts if d.type is FindingType.SUBSTITUTION] == [
        (FindingType.SUBSTITUTION, (2, 6), (2, 6)), (FindingType.SUBSTITUTION, (11, 15), (11, 18))]
    joined = judge_words(changed("tidy calm", "safe orderly"))
    assert [(d.doc, d.src) for d in joined] == [((0, 9), (0, 12))]


def test_aligned_steps_give_matched_runs_and_the_regions_between() -> None:
    ops = [Opcode("equal", 0, 3, 0, 3), Opcode("replace", 3, 4, 3, 5), Opcode("transpose", 4, 6, 5, 7)]
    assert list(aligned_steps(ops, 6)) == [
        MatchedRun(0, 0, 3),
        ChangedRegion(range(3, 4), range(3, 5), False, 2, 4),
        ChangedRegion(range(4, 6), range(5, 7), True, 2, 5),
    ]
    # markup before word 1 (twice) and after the last word: the run is cut, each mark has a region
    assert list(aligned_steps(ops[:1], 3, [1, 1, 3])) == [
        MatchedRun(0, 0, 1), ChangedRegion(range(0), range(0), False, 0, 1), MatchedRun(1, 1, 2),
        ChangedRegion(range(0), range(0), False, 2, 3),
    ]


def test_following_starts_say_how_far_each_placement_may_reach() -> None:
    drafts = [DraftFinding(None, (0, 3), (0, 3)), DraftFinding(FindingType.SILENT_OMISSION, None, (4, 9)),
              DraftFinding(FindingType.SILENT_INSERTION, (4, 8), None)]
    assert following_starts(drafts, 20, 30) == [(4, 4), (4, 30), (20, 30)]


def test_extent_options_take_the_spaces_then_the_punctuation_around_a_run() -> None:
    text = "one, two three"
    assert extent_options(text, (5, 8), 0, len(text)) == [(5, 8), (4, 8), (3, 8), (5, 9)]


def test_a_run_is_placed_where_the_text_around_it_lines_up() -> None:
    # "the old pier" quoted as "the pier": " old" goes, facing the point after "the", so that
    # what follows (" pier") is the same on both sides
    src, doc = "the old pier", "the pier"
    assert place_run(src, (4, 7), (0, len(src)), doc, (0, len(doc))) == ((3, 7), 3)
    # with nothing after it to line up, the words alone do
    assert place_run("the old", (4, 7), (0, 7), "the ", (0, 4)) == ((4, 7), 4)


def test_touching_normalisations_merge_and_mojibake_wins() -> None:
    first = DraftFinding(FindingType.NORMALIZATION, (0, 2), (0, 2), "punctuation, case or spacing differs")
    second = DraftFinding(FindingType.NORMALIZATION, (2, 5), (2, 4), "mojibake: the document has ...")
    apart = DraftFinding(FindingType.NORMALIZATION, (6, 7), (5, 6), "case or spelling form differs")
    merged = merge_neighbouring_normalizations([first, second, apart])
    assert [(d.doc, d.src, d.message[:8]) for d in merged] == [((0, 5), (0, 4), "mojibake"),
                                                               ((6, 7), (5, 6), "case or ")]


def test_a_run_of_hidden_characters_is_cut_where_its_word_ends() -> None:
    text = "ab\u200b\u200b cd"
    holders = Holders.of([], [((0, 3), (0, 2))])  # the matched word `ab\u200b`, one hidden character in it
    assert hidden_runs(text, Span(0, len(text)), holders) == [(2, 3), (3, 4)]
    assert hidden_message("\u200b\u200b") == "2 × zero-width space (U+200B) hidden in the text"


def test_a_hidden_character_the_source_has_too_is_not_reported() -> None:
    text = "ab\u200b cd"
    both = hidden_findings(text, Span(0, len(text)), Span(0, len(text)), [], [((0, 3), (0, 3))], text)
    assert both == []
    only_doc = hidden_findings(text, Span(0, len(text)), Span(0, 5), [], [((0, 3), (0, 2))], "ab cd")
    assert [(f.doc_span, f.src_span) for f in only_doc] == [(Span(2, 3), Span(2, 2))]


def test_names_of_a_cue_and_of_a_source() -> None:
    assert name_words("According to the Coastal Wire, Smith's report") == {"coastal", "smith"}
    notice = make_text("Harbour Notice, 14 March\n\nThe council will not close...", id="dunmore-notice_2024")
    assert source_names(notice) == {"dunmore", "notice", "harbour"}  # generic words (wire, march) left out


def test_a_word_split_by_a_bracket_is_compared_whole() -> None:
    # a page marker inside a word (`con[Pg 262]vinced`): the bracket is an editorial insertion, the
    # word is `convinced`, not `con` in place of it and an added `vinced`
    source = "In every dark hour a leadership has met with support. I am convinced that you will again give it."
    result = only(run('He wrote: "I am con[Pg 262]vinced that you will again give it."', source))
    assert kinds(result) == ["editorial_insertion"]
    assert {f.message for f in of_type(result, "normalization")} >= {"a word split by a bracket"}


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_the_sentence_around_a_quotation_stops_at_a_paragraph_break_of_any_line_ending(newline: str) -> None:
    from provenance.comparator.attribution import sentence_agents
    from provenance.text import make_text

    text = f"A memoir written by Jane Doe{newline}{newline}The line reads: “the crews are required”"
    doc = make_text(text)
    start = text.index("the crews")
    assert sentence_agents(doc, start, start + len("the crews are required")).names == frozenset()
    joined = make_text(text.replace(newline * 2, " "))  # one paragraph: the memoir's author leads into it
    start = joined.original.index("the crews")
    assert sentence_agents(joined, start, start + len("the crews are required")).names == {"jane", "doe"}
