"""Transcription metrics: CER and WER equal jiwer's and dinglehopper's, each on its own definition."""

from __future__ import annotations

import math
import random
import time
import unicodedata
from pathlib import Path

import jiwer
import pytest
from dinglehopper.character_error_rate import character_error_rate_n
from dinglehopper.word_error_rate import word_error_rate_n, words_normalized
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import Levenshtein

from provenance.transcription.metrics import (
    DEFINITIONS,
    graphemes,
    measure,
    transcription_metrics,
    unicode_words,
    whitespace_words,
)

from conftest import run, validate

LETTER = (Path(__file__).resolve().parents[2] / "inputs" / "letter-2020-01-06.txt").read_text(encoding="utf-8")


def _long_pair() -> tuple[str, str]:
    rng = random.Random(7)
    words = LETTER.split() * 12
    copy = list(words)
    for _ in range(60):
        k = rng.randrange(len(copy))
        action = rng.choice(["drop", "dup", "swap", "typo"])
        if action == "drop":
            del copy[k]
        elif action == "dup":
            copy.insert(k, copy[k])
        elif action == "swap" and k + 1 < len(copy):
            copy[k], copy[k + 1] = copy[k + 1], copy[k]
        else:
            w = copy[k]
            copy[k] = w[:1] + "x" + w[2:]
    return " ".join(words), " ".join(copy)


PAIRS: list[tuple[str, str]] = [
    ("the cat sat on the mat", "the cat sat on the mat"),
    ("the cat sat on the mat", "the cat sat on a mat"),
    ("the cat sat on the mat", "cat sat on the mat today"),
    ("Sir, in due deference to the sovereignty", "Sir: In due deference to the sovreignty"),
    ("security escort helicopters", "sec urity escort helicopters"),
    ("these operations during hours of darkness", "these missions during hours of darkness"),
    ("café au lait", "cafe\u0301 au lait"),  # precomposed vs combining acute: one grapheme, two code points
    ("naïve re\u0301sume\u0301", "naive résumé"),
    ("Iraq – Ministry of Defense", "Iraq — Ministry of Defense"),
    ("“Quoted,” she said — twice.", '"Quoted," she said -- twice.'),
    ("Hello, world! How are you?", "Hello world How are you"),
    ("東京都は日本の首都です。", "東京都は日本の首府です。"),
    ("日本語のテキストを比較する", "日本語テキストを比較"),
    ("I like 👍🏽 and 👨‍👩‍👧 emoji", "I like 👍 and 👨‍👩‍👧‍👦 emoji"),
    ("a", "b"),
    ("x", "xyz abc"),
    ("   padded   text  ", "padded text"),
    ("line one\nline two\n\nline three", "line one line two line three"),
    ("tab\tseparated words", "tab separated  words"),
    ("It's the U.S.-led coalition's 3.5 km route", "Its the US led coalitions 3,5 km route"),
    ("Ελληνικά κείμενα εδώ", "Ελληνικα κειμενα εδω"),
    ("مرحبا بالعالم", "مرحبا بالعالم الجميل"),
    ("CH-47, UH-60, and AH-64", "CH-47, VH-00, and AH-64"),
    ("word", ""),
    ("\u00ad soft hyphen and zero\u200bwidth", "soft hyphen and zerowidth"),
    _long_pair(),
]


@pytest.mark.parametrize(("reference", "hypothesis"), PAIRS, ids=[f"pair{k}" for k in range(len(PAIRS))])
def test_cer_and_wer_equal_jiwer_and_dinglehopper(reference: str, hypothesis: str) -> None:
    cp = measure(reference, hypothesis, "codepoints")
    ws = measure(reference, hypothesis, "whitespace")
    gr = measure(reference, hypothesis, "graphemes")
    uw = measure(reference, hypothesis, "unicode-words")
    jc = jiwer.process_characters(reference, hypothesis)
    jw = jiwer.process_words(reference, hypothesis)
    assert cp.rate == pytest.approx(jc.cer, abs=1e-9)
    assert ws.rate == pytest.approx(jw.wer, abs=1e-9)
    # the counts too: both run rapidfuzz's opcodes over the same units
    assert (cp.substitutions, cp.deletions, cp.insertions, cp.hits) == (
        jc.substitutions, jc.deletions, jc.insertions, jc.hits)
    assert (ws.substitutions, ws.deletions, ws.insertions, ws.hits) == (
        jw.substitutions, jw.deletions, jw.insertions, jw.hits)
    d_cer, d_n = character_error_rate_n(reference, hypothesis)
    d_wer, d_wn = word_error_rate_n(reference, hypothesis)
    assert gr.reference_length == d_n and uw.reference_length == d_wn
    assert gr.rate == pytest.approx(d_cer, abs=1e-9)
    assert uw.rate == pytest.approx(d_wer, abs=1e-9)


def test_the_pairs_tell_the_definitions_apart() -> None:
    """The cross-check is worth something only if the two definitions differ on some pairs."""
    differ_cer = sum(measure(r, h, "codepoints").rate != measure(r, h, "graphemes").rate for r, h in PAIRS)
    differ_wer = sum(measure(r, h, "whitespace").rate != measure(r, h, "unicode-words").rate for r, h in PAIRS)
    assert differ_cer >= 3 and differ_wer >= 8


def test_empty_reference() -> None:
    """jiwer refuses an empty reference and dinglehopper says infinity: the rate is undefined."""
    r = measure("", "some words", "unicode-words")
    assert r.rate is None and r.insertions == 2
    d_wer, _ = word_error_rate_n("", "some words")
    assert math.isinf(d_wer)
    assert measure("", "", "codepoints").rate == 0.0


def test_word_definitions() -> None:
    assert whitespace_words(" a\nb  c\td ") == ["a\nb", "c\td"]  # jiwer splits on spaces only
    assert unicode_words("It's 3.5 km—the U.S. (IZ)!") == ["It's", "3.5", "km", "the", "U.S", "IZ"]
    assert unicode_words("e\u0301t\u00e9") == ["\u00e9t\u00e9"]  # NFC first


def test_normalised_figures_forgive_what_the_comparator_calls_normalisation() -> None:
    reference, hypothesis = "“Sir,” in due deference — to", '"sir," In due  deference -- to'
    assert measure(reference, hypothesis, "codepoints").rate > 0  # type: ignore[operator]
    for definition in ("codepoints", "graphemes", "whitespace", "unicode-words"):
        assert measure(reference, hypothesis, definition, normalized=True).rate == 0.0
    # a real slip survives normalisation
    assert measure("security", "sec urity", "whitespace", normalized=True).rate == 2.0


def test_long_texts_are_fast_and_exact() -> None:
    """dinglehopper's own alignment is O(n·m) and fails on large documents; ours anchors long texts
    first, and its distance is still the minimal one rapidfuzz computes on the whole."""
    reference, hypothesis = _long_pair()
    reference, hypothesis = reference * 8, hypothesis * 8  # about 130,000 characters each
    start = time.perf_counter()
    metrics = transcription_metrics(reference, hypothesis)
    assert time.perf_counter() - start < 30
    assert all(r.rate is not None and 0 < r.rate < 0.1 for r in metrics.rates)
    for rate in metrics.rates[:4]:
        units = DEFINITIONS[rate.definition][2]
        assert rate.errors == Levenshtein.distance(units(reference), units(hypothesis)), rate.definition


def test_whole_report_carries_the_metrics() -> None:
    report = run("Sir: In due deference to the sovreignty.", "Sir, in due deference to the sovereignty.",
                 whole=True)
    data = validate(report)
    metrics = data["metrics"]
    assert isinstance(metrics, dict) and metrics["reference"] == "src1"
    rates = {(r["measure"], r["definition"], r["normalized"]): r for r in metrics["rates"]}
    assert len(rates) == 8
    raw = rates[("wer", "whitespace", False)]
    assert (raw["substitutions"], raw["reference_length"]) == (3, 7)  # "Sir:", "In", "sovreignty."
    assert rates[("wer", "whitespace", True)]["substitutions"] == 2  # "sir:" and "sovreignty."
    assert rates[("wer", "unicode-words", True)]["substitutions"] == 1  # only the misspelling
    assert raw["rate"] == pytest.approx(jiwer.wer("Sir, in due deference to the sovereignty.",
                                                  "Sir: In due deference to the sovreignty."), abs=1e-9)


def test_reports_without_whole_carry_no_metrics() -> None:
    data = validate(run('He said "in due deference to the sovereignty" today.',
                        "Sir, in due deference to the sovereignty of Iraq."))
    assert "metrics" not in data


def test_campaign_blog_copy(shared: Path) -> None:
    """The issue's figures for the letter's campaign-blog copy (WER 0.090 jiwer, 0.067 dinglehopper)."""
    copies = sorted(p for p in (shared / "seeds").iterdir() if "blog" in p.name or "campaign" in p.name)
    if not copies:
        pytest.skip("no campaign-blog copy of the letter in ../shared/seeds")
    letter = (shared / "seeds" / "letter-2020-01-06.txt").read_text(encoding="utf-8")
    copy = copies[0].read_text(encoding="utf-8")
    assert round(measure(letter, copy, "whitespace").rate or 0, 3) == 0.090
    assert round(measure(letter, copy, "unicode-words").rate or 0, 3) == 0.067


_ALPHABET = ("aZx3 ,.'’-\n\t\r:;_()\"“éΩ\u0301\u0308日本ア한🇫🇷👍🏽\u200d👩\u0915\u094d\u0937\u093f\u05d0\u05f3\u05f4"
             "\u00ad\u200b\u0600\u1100\u1161\u11a8\ue000")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(_ALPHABET) | st.characters(), max_size=40))
def test_segmentation_is_dinglehoppers(text: str) -> None:
    """The fast paths (ASCII runs for graphemes, `regex` for words) cut text as uniseg does."""
    from uniseg.graphemecluster import grapheme_clusters

    assert graphemes(text) == list(grapheme_clusters(unicodedata.normalize("NFC", text)))
    assert unicode_words(text) == list(words_normalized(text))


def test_terminal_view_ends_with_the_figures() -> None:
    from provenance.report.terminal import render_terminal

    report = run("Sir: In due deference to the sovreignty.", "Sir, in due deference to the sovereignty.",
                 whole=True)
    out = render_terminal(report, width=120, color=False)
    table = out[out.index("transcription accuracy against src1"):]
    assert table.count("whitespace (jiwer)") == 2 and table.count("unicode-words (dinglehopper)") == 2
    wer = measure("Sir, in due deference to the sovereignty.", "Sir: In due deference to the sovreignty.",
                  "whitespace")
    assert f"{wer.rate:.4f}" in table
    plain = run('He said "in due deference to the sovereignty" today.', "Sir, in due deference to the sovereignty.")
    assert "transcription accuracy" not in render_terminal(plain, width=120, color=False)
