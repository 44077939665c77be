"""Quotations out of context: cut source words that negate, condition, question or attribute a
verbatim quotation (`provenance.comparator.context`)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from provenance.comparator.context import CUES, OTHERS, REPORTING, Place, sentence_bounds
from provenance.model import FindingType, Impact, Severity, Verdict
from provenance.text import make_text

from conftest import ROOT, SHARED, of_type, only, run


def _context(document: str, source: str) -> list[tuple[str, str, tuple[Impact, ...]]]:
    """The out_of_context findings of a one-quotation document: cut words, message, impact."""
    result = only(run(document, source, reuse=False))
    return [(f.src_text, f.message, f.impact) for f in of_type(result, "out_of_context")]


@pytest.mark.parametrize(("source", "quoted", "cut", "does"), [
    ("I never said the mine would reopen next spring.", "the mine would reopen next spring", "I never said",
     "negates them"),
    ("It is false that the vaccine causes infertility.", "the vaccine causes infertility", "It is false that",
     "calls them false"),
    ("That the club is in debt is simply not true.", "the club is in debt", "is simply not true", "negates them"),
])
def test_a_cut_that_reverses_the_words_is_an_error_with_impact_negation(source: str, quoted: str, cut: str,
                                                                          does: str) -> None:
    result = only(run(f"She said “{quoted}” on Monday.", source, reuse=False))
    [finding] = of_type(result, "out_of_context")
    assert finding.src_text == cut and does in finding.message
    assert finding.impact == (Impact.NEGATION,) and finding.severity is Severity.ERROR
    assert finding.src_span is not None and source[finding.src_span.start:finding.src_span.end] == cut
    assert result.verdict is Verdict.VERBATIM  # the verdict judges the words, which are the source's


@pytest.mark.parametrize(("source", "quoted", "cut", "does"), [
    ("Every district met its target except the two largest.", "Every district met its target.",
     "except the two largest", "makes an exception"),
    ("The treatment is safe for adults when taken with food.", "The treatment is safe for adults",
     "when taken with food", "conditional"),
    ("The budget will balance only if the state keeps its promise.", "The budget will balance",
     "only if the state keeps its promise", "conditional"),
    ("Unless the banks lend again, the recovery will stall.", "the recovery will stall", "Unless the banks lend again",
     "conditional"),
    ("The reform will create jobs, but not in the first decade.", "The reform will create jobs.",
     "but not in the first decade", "contrast"),
    ("Opponents claim the new bypass will cost the town its shops.", "the new bypass will cost the town its shops",
     "Opponents claim", "someone else"),
    ("The plan is affordable, according to its supporters.", "The plan is affordable", "according to its supporters",
     "someone else"),
    ("We doubt that the new stadium will be ready by August.", "the new stadium will be ready by August",
     "We doubt that", "doubt"),
    ("Whether the glacier will recover is unclear.", "the glacier will recover", "Whether", "doubt"),
    ("It is not the case that taxes will rise.", "taxes will rise", "It is not the case that", "calls them false"),
])
def test_a_cut_that_conditions_questions_or_attributes_the_words_is_named(source: str, quoted: str, cut: str,
                                                                           does: str) -> None:
    [(words, message, _)] = _context(f"The statement says “{quoted}”", source)
    assert words == cut and does in message


def test_the_message_says_when_the_quotation_closes_the_sentence_the_source_goes_on() -> None:
    source = "Every district met its target except the two largest."
    [(_, closed, _)] = _context("She said: “Every district met its target.”", source)
    [(_, open_, _)] = _context("She said “every district met its target” in the end", source)
    assert "closes the sentence" in closed and "closes the sentence" not in open_


def test_a_source_question_quoted_as_a_statement() -> None:
    source = "Is it true that the water is safe to drink? The engineers say so."
    [(sentence, message, impact)] = _context("The mayor stated that “the water is safe to drink”.", source)
    assert sentence == "Is it true that the water is safe to drink?" and "question" in message and not impact
    assert _context("The mayor asked: “Is it true that the water is safe to drink?”", source) == []


def test_both_sides_cut_give_two_findings() -> None:
    source = "Some patients believe the tablets cure migraines, but the trials found no such effect."
    found = _context("She said “the tablets cure migraines” to us.", source)
    assert [words for words, _, _ in found] == ["Some patients believe", "but the trials found no such effect"]


@pytest.mark.parametrize(("source", "quoted"), [
    ("The library will open on Saturdays from March.", "The library will open on Saturdays from March."),
    ("We have hired twelve new teachers, and the school roof is finally fixed.", "the school roof is finally fixed"),
    ("In January, the council approved the new market hall.", "the council approved the new market hall"),
    ("The footbridge will be repaired this summer, the engineers told us.", "The footbridge will be repaired"),
    ("As I told the committee, the deficit is smaller than forecast.", "the deficit is smaller than forecast"),
    ("I believe the new rules will help small firms.", "the new rules will help small firms"),
    ("I have no doubt that the harbour will prosper.", "the harbour will prosper"),
    ("I do not deny that the harbour will prosper.", "the harbour will prosper"),
    ("I do not want to keep you long, so I will be brief: the harbour will get its new crane.",
     "the harbour will get its new crane"),
    ("The ferry, which did not run last winter, will sail every day from May.", "will sail every day from May"),
    ("Most side effects pass within two days, and none of them is serious.", "Most side effects pass within two days"),
    ("That is not all. The town will get a new pool.", "The town will get a new pool."),
    ("The rain was heavy, but the match went ahead.", "the match went ahead"),
    ("U.S. officials said the talks went well.", "the talks went well"),
])
def test_a_whole_sentence_or_neutral_cut_words_get_nothing(source: str, quoted: str) -> None:
    assert _context(f"We read that “{quoted}”", source) == []


def test_words_after_the_sources_own_quotation_are_the_narrators() -> None:
    source = 'The councillor called the closure "an inconvenience, not an emergency", but warned of worse.'
    assert _context("A councillor called it “an inconvenience, not an emergency” last week.", source) == []


def test_a_cut_the_document_quotes_or_gives_itself_is_not_a_finding() -> None:
    source = "The plan is good, but it costs far too much money."
    split = run("“The plan is good,” she said, “but it costs far too much money.”", source, reuse=False)
    assert not [f for p in split.passages for f in p.findings if f.type is FindingType.OUT_OF_CONTEXT]
    given_words = run("She said “The plan is good”, but it costs far too much money, she added.", source,
                      reuse=False)
    assert not [f for p in given_words.passages for f in p.findings if f.type is FindingType.OUT_OF_CONTEXT]


@pytest.mark.parametrize(("document", "source"), [
    ("If the rains fail, the minister said, “it will be longer, and I will not pretend otherwise.”",
     "If they are not, it will be longer, and I will not pretend otherwise."),
    ("Odell warned against trying to “pretend to a power it does not have”.",
     "Odell said the council should not pretend to a power it does not have, and sat down."),
])
def test_a_cut_the_documents_own_lead_in_restates_is_not_a_finding(document: str, source: str) -> None:
    assert _context(document, source) == []
    # the same quotation without the lead-in's condition or negation is out of context
    bare = re.sub(r"^.*?(?=“)", "The minister said ", document)
    assert _context(bare, source) != []


@pytest.mark.parametrize("document", [
    "Odell, who never minces words, said the council should \u201cpretend to a power it does not have\u201d.",
    "Odell didn't hesitate: the council should \u201cpretend to a power it does not have\u201d.",
])
def test_a_negation_in_another_clause_of_the_lead_in_restates_nothing(document: str) -> None:
    source = "Odell said the council should not pretend to a power it does not have, and sat down."
    assert [impact for _, _, impact in _context(document, source)] == [(Impact.NEGATION,)]


def test_an_altered_quotation_is_judged_on_its_alterations_not_its_context() -> None:
    result = only(run("She said “the mine would surely reopen next spring”.",
                      "I never said the mine would reopen next spring.", reuse=False))
    assert of_type(result, "silent_insertion") and not of_type(result, "out_of_context")


def test_the_sentence_ends_where_a_stop_meets_a_capital_or_a_blank_line() -> None:
    text = make_text("One. U.S. officials met. Then 3.5 per cent fell\n\nNext line")
    keys = text.tokens.keys
    cut = sentence_bounds(text, keys.index("officials"), keys.index("officials") + 1)
    assert (keys[cut.start], keys[cut.end - 1]) == ("u", "met")
    cut = sentence_bounds(text, keys.index("cent"), keys.index("cent") + 1)
    assert (keys[cut.start], keys[cut.end - 1]) == ("then", "fell")


def test_the_cue_table_is_documented() -> None:
    page = (ROOT / "docs" / "findings.md").read_text(encoding="utf-8")
    section = page.split("## Quotations out of context", 1)[1].split("\n## ", 1)[0]
    assert "Where it fails" in section
    assert {cue.place for cue in CUES} == set(Place)
    assert OTHERS and REPORTING and "critics" in section


# -- the property: a verbatim whole sentence never gets out_of_context --------------------------

_WORDS = ["the", "mine", "would", "reopen", "not", "never", "unless", "except", "but", "critics", "say", "whether",
          "is", "false", "that", "only", "if", "according", "to", "council", "harbour", "will", "close", "doubt"]


@st.composite
def _sources(draw: st.DrawFn) -> tuple[str, str]:
    """A source of a few sentences drawn from words full of cues, and one of its sentences."""
    sentences = []
    for _ in range(draw(st.integers(2, 4))):
        words = draw(st.lists(st.sampled_from(_WORDS), min_size=3, max_size=10))
        joints = [draw(st.sampled_from([" ", " ", " ", ", ", "; "])) for _ in words[1:]]
        body = words[0] + "".join(j + w for j, w in zip(joints, words[1:], strict=True))
        sentences.append(body[0].upper() + body[1:] + draw(st.sampled_from([".", "!", "."])))
    pick = draw(st.integers(0, len(sentences) - 1))
    return " ".join(sentences), sentences[pick]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_sources())
def test_a_verbatim_whole_sentence_never_gets_out_of_context(drawn: tuple[str, str]) -> None:
    source, sentence = drawn
    report = run(f"It reads: “{sentence}” and nothing more.", source, reuse=False)
    assert not [f for p in report.passages for f in p.findings if f.type is FindingType.OUT_OF_CONTEXT]


# -- the labelled set and the command line -------------------------------------------------------

def test_the_labelled_set_scores_at_least_0_9(tmp_path: pytest.TempPathFactory) -> None:
    scorer = SHARED / "eval" / "score.py"
    if not scorer.exists():
        pytest.skip("../shared/eval is not here")
    summary = tmp_path / "summary.json"  # type: ignore[operator]
    subprocess.run([sys.executable, str(scorer), "--cases", str(ROOT / "benchmarks" / "out_of_context" / "cases"),
                    "--cmd", f"{sys.executable} -m provenance", "--json", str(summary)],
                   check=True, capture_output=True, text=True, timeout=600)
    figures = json.loads(summary.read_text(encoding="utf-8"))  # type: ignore[attr-defined]
    assert figures["failed_runs"] == 0
    assert figures["precision"] >= 0.9 and figures["recall"] >= 0.9, figures


def test_every_report_format_shows_the_finding(tmp_path: pytest.TempPathFactory) -> None:
    base = tmp_path  # type: ignore[assignment]
    source = base / "speech.txt"  # type: ignore[operator]
    document = base / "article.md"  # type: ignore[operator]
    source.write_text("I never said the mine would reopen next spring. We will study it.\n", encoding="utf-8")
    document.write_text("The mayor said “the mine would reopen next spring”, we hear.\n", encoding="utf-8")
    command = [sys.executable, "-m", "provenance"]
    terminal = subprocess.run([*command, "compare", str(document), "-s", str(source), "--width", "120"],
                              capture_output=True, text=True, timeout=120, env={**os.environ, "NO_COLOR": "1"})
    assert terminal.returncode == 0, terminal.stderr
    assert "out_of_context" in terminal.stdout and "I never said" in terminal.stdout
    report = base / "article.json"  # type: ignore[operator]
    subprocess.run([*command, "compare", str(document), "-s", str(source), "--format", "json", "-o", str(report)],
                   check=True, timeout=120)
    data = json.loads(report.read_text(encoding="utf-8"))
    [finding] = [f for p in data["passages"] for f in p["findings"] if f["type"] == "out_of_context"]
    assert finding["src_text"] == "I never said" and finding["impact"] == ["negation"]
    assert finding["severity"] == "error"
    for fmt in ("html", "markdown", "sarif", "junit"):
        rendered = subprocess.run([*command, "report", str(report), "--format", fmt], capture_output=True,
                                  text=True, timeout=120, cwd=str(base))
        assert rendered.returncode in (0, 1), rendered.stderr  # 1: the finding fails the default policy
        assert "out_of_context" in rendered.stdout or "OutOfContext" in rendered.stdout, fmt
        assert re.search(r"I never said", rendered.stdout), fmt
