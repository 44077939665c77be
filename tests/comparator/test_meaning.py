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
