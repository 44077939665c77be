"""Paraphrase found by meaning (provenance.meaning, provenance.comparator.by_meaning), and the
lexical test it falls back to when no model is installed."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

from provenance import meaning
from provenance.meaning import ModelError, Weights, sha256_of
from provenance.model import Verdict
from provenance.report.json_report import render_json

from conftest import kinds, only, run

FAREWELL = (
    "Farewell address, January 1961\n\n"
    "A vital element in keeping the peace is our military establishment. Until the latest of our world "
    "conflicts, the United States had no armaments industry. Today, the solitary inventor, tinkering in his "
    "shop, has been over shadowed by task forces of scientists in laboratories and testing fields. In the same "
    "fashion, the free university, historically the fountainhead of free ideas and scientific discovery, has "
    "experienced a revolution in the conduct of research.\n"
)
REWORDED = "before the most recent world war, America had no arms industry at all"
"""A rewording of the second sentence that shares too few words with it for the lexical test."""
SPLICED = "the solitary inventor in his shop will always remain the fountainhead of scientific discovery"
"""A made-up claim from the words of the third and fourth sentences: no paraphrase of either."""

MODEL = meaning.default_encoder()
needs_model = pytest.mark.skipif(MODEL is None and not os.environ.get("CI"),
                                 reason="the all-MiniLM-L6-v2 weights are not installed (see the README)")


def article(quotation: str) -> str:
    return f"Notes.\n\nAs Eisenhower put it, “{quotation}”\n\nMore notes.\n"


@pytest.fixture
def lexical_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """The comparison as on a machine without the model."""
    monkeypatch.setattr(meaning, "default_encoder", lambda: None)


@needs_model
def test_the_model_is_installed_in_ci_and_encodes_unit_rows() -> None:
    assert MODEL is not None, "CI installs the model: the paraphrase search by meaning must be tested"
    assert MODEL is meaning.default_encoder()  # loaded once per process
    assert MODEL.name.startswith("all-MiniLM-L6-v2@") and MODEL.dim == 384
    rows = MODEL.encode(["We hold these truths to be self-evident.", "It is obvious to us.", ""])
    assert rows.dtype == np.float32 and rows.shape == (3, 384)
    assert np.allclose(np.linalg.norm(rows[:2], axis=1), 1.0, atol=1e-5)
    related = float(rows[0] @ rows[1])
    unrelated = float(rows[0] @ MODEL.encode(["The ferry leaves the pier at nine."])[0])
    assert related > unrelated + 0.1


@needs_model
def test_a_rewording_with_other_words_is_a_paraphrase_found_by_meaning() -> None:
    r = only(run(article(REWORDED), FAREWELL))
    assert r.verdict is Verdict.PARAPHRASE and kinds(r) == ["paraphrase"]
    finding = r.findings[0]
    assert finding.src_text == "Until the latest of our world conflicts, the United States had no armaments industry"
    assert r.match is not None and r.match.meaning is not None and r.match.meaning >= 0.64
    assert r.match.model == MODEL.name if MODEL else False
    assert "meaning similarity" in finding.message


def test_without_the_model_the_same_rewording_is_unsourced(lexical_only: None) -> None:
    r = only(run(article(REWORDED), FAREWELL))
    assert r.verdict is Verdict.UNSOURCED
    assert r.match is None


@needs_model
def test_a_claim_spliced_from_the_words_of_two_sentences_is_unsourced() -> None:
    r = only(run(article(SPLICED), FAREWELL))
    assert r.verdict is Verdict.UNSOURCED


def test_the_lexical_fallback_takes_the_spliced_claim_for_a_paraphrase(lexical_only: None) -> None:
    """What the model fixes: the lexical test sees the shared rare words and nothing else."""
    r = only(run(article(SPLICED), FAREWELL))
    assert r.verdict is Verdict.PARAPHRASE
    assert r.match is not None and r.match.meaning is None and r.match.model is None


@needs_model
def test_a_rewording_that_drops_the_negation_or_changes_a_figure_is_no_paraphrase() -> None:
    source = ("Library statement\n\nNo branch library will close this year. The change saves about £180,000 a year, "
              "which is roughly the cost of keeping the two branch libraries open.\n")
    for quotation in ("a branch library will close this year to save money",
                      "the new hours will save close to £1.8 million every year"):
        r = only(run(f"Notes.\n\nThe director said: “{quotation}”\n", source))
        assert r.verdict is not Verdict.PARAPHRASE, quotation


@needs_model
def test_a_statement_is_never_the_paraphrase_of_a_question() -> None:
    source = "Briefing\n\nQ: How long will the outbreak last in the northern districts?\n\nA: We cannot say yet.\n"
    r = only(run("Notes.\n\nThe officer said: “the outbreak will last in the northern districts”\n", source))
    assert r.verdict is not Verdict.PARAPHRASE


@needs_model
def test_the_json_report_gives_the_cosine_and_the_model() -> None:
    data = json.loads(render_json(run(article(REWORDED), FAREWELL)))
    match = data["passages"][0]["match"]
    assert match["meaning"] >= 0.64 and match["model"].startswith("all-MiniLM-L6-v2@")


def test_weights_that_differ_from_the_measured_ones_are_refused(tmp_path: Path) -> None:
    (tmp_path / "w.safetensors").write_bytes(b"not the weights")
    (tmp_path / "tok.json").write_text("{}", encoding="utf-8")
    good = Weights("m", "pkg", "w.safetensors", sha256_of(tmp_path / "w.safetensors"),
                   "tok.json", sha256_of(tmp_path / "tok.json"))
    assert good.verified(tmp_path) == (tmp_path / "w.safetensors", tmp_path / "tok.json")
    bad = Weights("m", "pkg", "w.safetensors", "0" * 64, "tok.json", good.tokenizer_sha256)
    with pytest.raises(ModelError, match="sha256"):
        bad.verified(tmp_path)


def test_a_missing_package_or_the_off_switch_gives_no_encoder(monkeypatch: pytest.MonkeyPatch) -> None:
    assert meaning.load(Weights("m", "no_such_package_here", "w", "", "t", "")) is None
    monkeypatch.setenv("PROVENANCE_MEANING", "off")
    meaning.default_encoder.cache_clear()
    try:
        assert meaning.default_encoder() is None
    finally:
        monkeypatch.delenv("PROVENANCE_MEANING")
        meaning.default_encoder.cache_clear()


STATIC = meaning.recruiting_encoder()
DECLARATION = Path(__file__).resolve().parents[2] / "benchmarks" / "paraphrase" / "sources" / \
    "declaration-of-independence.txt"
NO_SHARED_STEM = ("proper regard for the views of humanity demands that they explain the reasons driving them "
                  "to separate")
"""A rewording of the Declaration's first sentence that shares one content word with it ("separate")."""


@needs_model
def test_the_recruiting_encoder_is_wordllama_cut_to_64_dimensions_and_fast_to_load() -> None:
    assert STATIC is not None, "CI installs wordllama with the meaning extra"
    assert STATIC is meaning.recruiting_encoder()
    assert STATIC.name.startswith("wordllama-l2-supercat-256/64@") and STATIC.dim == meaning.RECRUIT_DIMS
    rows = STATIC.encode(["We hold these truths to be self-evident.", "These truths are obvious to us.",
                          "The ferry leaves the pier at nine.", ""])
    assert rows.shape == (4, 64) and np.allclose(np.linalg.norm(rows[:3], axis=1), 1.0) and not rows[3].any()
    assert float(rows[0] @ rows[1]) > float(rows[0] @ rows[2])
    # The cut vectors are the full ones' first 64 dimensions, normalised again.
    full = meaning.load(meaning.WORDLLAMA)
    assert full is not None and full.dim == 256
    cut = full.encode(["We hold these truths to be self-evident."])[0, :64]
    assert np.allclose(cut / np.linalg.norm(cut), rows[0], atol=1e-5)


@needs_model
def test_a_large_comparison_gives_the_decision_the_sentences_nearest_by_static_vectors() -> None:
    """Over `MEANING_ALL_UNITS` units the model sees only candidates: the lexical ones are eight of
    twelve filler sentences holding more of the quotation's rare words than the source sentence does,
    so only the static vectors bring the sentence the quotation rewords."""
    import random

    from provenance import make_text
    from provenance.comparator.by_meaning import MeaningIndex
    from provenance.comparator.paraphrase import SentenceIndex
    from provenance.comparator.tuning import MEANING_ALL_UNITS
    from provenance.text import tokenize

    rng = random.Random(3)
    bait = [f"{rng.choice(['The harbour board', 'The ferry company', 'The county council'])} "
            f"{rng.choice(['gave proper regard to', 'heard the demand for', 'took a separate view of'])} "
            f"{rng.choice(['the winter timetable', 'the bridge tolls', 'the storm repairs'])}, and the regard and "
            "demand and separate reason were explained." for _ in range(12)]
    words = ("harbour ferry pier storm winter budget railway bridge mayor market county station engineer "
             "timetable tender village repair lights tolls board meeting").split()
    filler = " ".join(" ".join(rng.choice(words) for _ in range(rng.randint(6, 14))).capitalize() + "."
                      for _ in range(MEANING_ALL_UNITS + 200))
    texts = [make_text(filler), make_text(" ".join(bait)),
                                                             make_text(DECLARATION.read_text(encoding="utf-8"))]
    local = SentenceIndex(texts)
    assert len(local.units) > MEANING_ALL_UNITS
    keys = tokenize(NO_SHARED_STEM).keys
    assert MODEL is not None
    found = MeaningIndex(local, MODEL, lambda: STATIC).find(NO_SHARED_STEM, keys)
    assert found is not None and found.source == 2 and found.meaning is not None and found.meaning > 0.7
    assert "a decent respect to the opinions of mankind" in local.unit_text(local.units.index(
        next(u for u in local.units if u[0] == 2 and u[1] <= found.lo < u[2])))
    assert MeaningIndex(local, MODEL, None).find(NO_SHARED_STEM, keys) is None, "the lexical candidates alone"


BRIDGE = ("Bridge notice.\n\nThe council met on Monday. The old bridge will stay closed to all traffic until the end "
          "of March; the ferry will carry foot passengers free of charge until then. The market moves to the school "
          "yard.\n")


@needs_model
def test_a_rewording_of_both_sides_of_a_semicolon_names_the_whole_sentence() -> None:
    from provenance import make_text
    from provenance.comparator.by_meaning import MeaningIndex
    from provenance.comparator.paraphrase import SentenceIndex
    from provenance.text import tokenize

    assert MODEL is not None
    text = make_text(BRIDGE)
    index = MeaningIndex(SentenceIndex([text]), MODEL)
    for quote in ("the old bridge stays shut to every vehicle until late March, and until then the ferry takes "
                  "people on foot at no cost",
                  "no car may cross the old bridge before the end of March, and till then walkers ride the ferry "
                  "for free"):
        found = index.find(quote, tokenize(quote).keys)
        assert found is not None, quote
        said = text.original[text.tokens.starts[found.lo]:text.tokens.ends[found.hi - 1]]
        assert said.startswith("The old bridge") and said.endswith("free of charge until then"), said


def test_semicolon_halves_are_joined_and_a_figures_comma_cuts_no_clause() -> None:
    """The units the model compares: each half of a semicolon sentence, both halves together, and the
    clauses of a long sentence, never cut at the comma inside `2,400`."""
    from provenance import make_text
    from provenance.comparator.by_meaning import MeaningIndex
    from provenance.comparator.paraphrase import SentenceIndex
    from provenance.corpus.hashed_encoder import HashedStemEncoder

    museum = make_text("Museum report.\n\nAttendance this summer reached about 2,400 visitors a week, 400 more than "
                       "last summer, and the cafe doubled its takings in the new wing.\n")
    index = MeaningIndex(SentenceIndex([museum]), HashedStemEncoder(64))
    texts = [index.text_of(u) for u in range(len(index.units))]
    assert "400 more than last summer" in texts and not [t for t in texts if t.startswith("400 visitors")]
    bridge = MeaningIndex(SentenceIndex([make_text(BRIDGE)]), HashedStemEncoder(64))
    texts = [bridge.text_of(u) for u in range(len(bridge.units))]
    assert "The old bridge will stay closed to all traffic until the end of March" in texts
    assert ("The old bridge will stay closed to all traffic until the end of March; the ferry will carry foot "
            "passengers free of charge until then") in texts
    assert not [t for t in texts if "Monday" in t and "bridge" in t], "no run across a sentence end"


def test_the_pronoun_one_is_no_figure_a_paraphrase_lacks() -> None:
    from provenance.comparator.pipeline import _says_otherwise
    from provenance.text import tokenize

    source = tokenize("It is safe to assert that no government proper ever had a provision for its own end.").keys
    assert _says_otherwise(tokenize("one may safely say that no real government ever had a clause to end "
                                    "itself").keys, source) is None
    assert _says_otherwise(tokenize("two governments had a provision for their own end").keys, source) is not None


def _quoted_then(cue: str, quotation: str = REWORDED) -> str:
    return ("Notes.\n\nEisenhower said in 1961: “A vital element in keeping the peace is our military "
            f"establishment.” The thought is older than the speech. {cue}: “{quotation}”\n\nMore notes.\n")


@needs_model
def test_a_paraphrase_the_document_gives_to_another_speaker_is_unsourced() -> None:
    report = run(_quoted_then("It goes back to Smedley Butler, who said"), FAREWELL)
    quoted, other = report.passages
    assert quoted.verdict is Verdict.VERBATIM
    assert other.verdict is Verdict.UNSOURCED and kinds(other) == ["unsourced"] and other.match is None
    message = other.findings[0].message
    assert "another speaker" in message and "'Smedley Butler, who said'" in message and "(eisenhower)" in message


@needs_model
@pytest.mark.parametrize("cue", ["Eisenhower also said", "He said", "It goes back to the general, who said",
                                 "It goes back to the President, who said"])
def test_a_paraphrase_given_to_the_same_speaker_or_to_nobody_by_name_stays_a_paraphrase(cue: str) -> None:
    report = run(_quoted_then(cue), FAREWELL)
    assert report.passages[1].verdict is Verdict.PARAPHRASE, report.passages[1].findings


VITAL = "A vital element in keeping the peace is our military establishment."


@needs_model
@pytest.mark.parametrize("document", [
    f"Merkel said in 2015: “{VITAL}” The thought is older. She said: “{REWORDED}”",  # a pronoun is nobody's name
    f"Acme said in a statement: “{VITAL}” They added: “{REWORDED}”",
    f"Eisenhower said in 1961: “{VITAL}” He told NBC: “{REWORDED}”",  # NBC is whom he told
    f"Blinken said on Tuesday: “{VITAL}” The Secretary of State also said: “{REWORDED}”",  # a title
    # the quoted words given to a pronoun: the document never says by name whose they are
    f"In his Farewell Address, he said: “{VITAL}” Eisenhower also warned that “{REWORDED}.”",
    f"Speaking from the Oval Office, he said: “{VITAL}” Eisenhower also warned: “{REWORDED}.”",
    f"Eisenhower warned: “{REWORDED}.” Later in the speech he said: “{VITAL}”",
    # the source's words copied without quotation marks have no cue: their lead-in says nothing
    "The Pentagon kept growing. Today, the solitary inventor, tinkering in his shop, has been over shadowed by "
    f"task forces of scientists in laboratories and testing fields.\n\nEisenhower warned: “{REWORDED}.”",
    # capitalised words that are nobody: a sentence's first word, a place, an institution
    f"Decades later, the line is still quoted: “{VITAL}” Eisenhower also warned that “{REWORDED}.”",
    f"Eisenhower gave his farewell address in 1961. Much of it concerns the Pentagon: “{VITAL}” "
    f"Eisenhower also warned that “{REWORDED}.”",
    # the quoted words given to somebody who repeats them
    f"“{VITAL[:-1]},” Austin told the cadets, quoting President Dwight D. Eisenhower’s farewell address. "
    f"Eisenhower also warned in that speech that “{REWORDED}.”",
    f"“{VITAL[:-1]},” Biden said at West Point, citing the 1961 farewell address. Eisenhower also warned "
    f"that “{REWORDED}.”",
    # guillemets: the sentence before is not the quotation's
    f"Austin spoke at West Point on Tuesday. «{VITAL[:-1]}», the president said in 1961. Eisenhower also "
    f"warned that «{REWORDED}».",
])
def test_the_document_naming_nobody_else_keeps_the_paraphrase(document: str) -> None:
    report = run(f"Notes.\n\n{document}\n\nMore notes.\n", FAREWELL)
    verdicts = [p.verdict for p in report.passages]
    assert Verdict.PARAPHRASE in verdicts and Verdict.UNSOURCED not in verdicts, report.passages


@needs_model
def test_a_paraphrase_given_to_a_name_when_the_document_never_says_whose_the_source_is_stays_one() -> None:
    r = only(run(f"Notes.\n\nIt goes back to Smedley Butler, who said: “{REWORDED}”\n\nMore.\n", FAREWELL))
    assert r.verdict is Verdict.PARAPHRASE


@needs_model
def test_a_paraphrase_given_to_a_name_the_source_bears_stays_a_paraphrase() -> None:
    source = FAREWELL.replace("Farewell address", "Dwight Eisenhower, farewell address")
    report = run(_quoted_then("It goes back to Dwight, who said").replace("Eisenhower said", "Ike said"), source)
    assert report.passages[1].verdict is Verdict.PARAPHRASE
