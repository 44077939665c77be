"""Transcription metrics: CER and WER equal jiwer's and dinglehopper's, each on its own definition."""

from __future__ import annotations

import math
import os
import random
import re
import subprocess
import sys
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


def test_empty_reference_follows_jiwers_convention() -> None:
    """jiwer 4.0 (README, "A note on empty references"): an empty reference gives 0 when the
    hypothesis is empty too, otherwise the number of insertions; the same for whitespace-only
    texts, which its transforms strip to nothing. dinglehopper says infinity, which JSON cannot hold."""
    r = measure("", "some words", "unicode-words")
    assert r.rate == 2.0 and r.insertions == 2
    d_wer, _ = word_error_rate_n("", "some words")
    assert math.isinf(d_wer)
    for reference, hypothesis in [("", ""), ("", "silence"), ("", "peaceful silence"), ("  \n\t ", "abc de"),
                                  (" ", " "), ("", "now defined behaviour"), ("abc", "   ")]:
        assert measure(reference, hypothesis, "whitespace").rate == jiwer.wer(reference, hypothesis)
        assert measure(reference, hypothesis, "codepoints").rate == jiwer.cer(reference, hypothesis)
    assert measure("", "abcde", "codepoints").rate == 5.0 and measure("", "", "codepoints").rate == 0.0
    assert measure("", "Foo", "graphemes").rate == 3.0  # dinglehopper: infinity
    assert all(r.rate is not None for r in transcription_metrics("", "a few words").rates)


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
    """dinglehopper's own alignment is O(n·m) and fails on large documents; our figures come from
    one bit-parallel rapidfuzz call on the whole, the minimal distance."""
    reference, hypothesis = _long_pair()
    reference, hypothesis = reference * 8, hypothesis * 8  # about 130,000 characters each
    start = time.perf_counter()
    metrics = transcription_metrics(reference, hypothesis)
    assert time.perf_counter() - start < 30
    assert all(r.rate is not None and 0 < r.rate < 0.1 for r in metrics.rates)
    for rate in metrics.rates[:4]:
        units = DEFINITIONS[rate.definition][2]
        assert rate.errors == Levenshtein.distance(units(reference), units(hypothesis)), rate.definition


def _shuffled_sentences(seed: int) -> tuple[str, str]:
    """The letter three times, and its sentences in a random order: long (the comparator's aligner
    anchors such texts) and with many coincidental anchors."""
    rng = random.Random(seed)
    parts = LETTER.split(".") * 3
    rng.shuffle(parts)
    return LETTER * 3, ".".join(parts)


@pytest.mark.parametrize("seed", [2, 3])
def test_long_texts_get_the_minimal_edit_count(seed: int) -> None:
    """A figure called CER or WER is the minimum edit distance, however long the texts (the
    anchored alignment counted 2,403 character edits here where 2,343 suffice), and its counts
    are jiwer's."""
    reference, hypothesis = _shuffled_sentences(seed)
    for definition, (_, _, units) in DEFINITIONS.items():
        assert measure(reference, hypothesis, definition).errors == Levenshtein.distance(
            units(reference), units(hypothesis)), definition
    _assert_jiwer(reference, hypothesis)


def _assert_jiwer(reference: str, hypothesis: str) -> None:
    """Our `codepoints` CER and `whitespace` WER, rates and counts, are jiwer's."""
    cp, ws = measure(reference, hypothesis, "codepoints"), measure(reference, hypothesis, "whitespace")
    jc, jw = jiwer.process_characters(reference, hypothesis), jiwer.process_words(reference, hypothesis)
    assert cp.rate == jc.cer and ws.rate == jw.wer
    assert (cp.substitutions, cp.deletions, cp.insertions, cp.hits) == (
        jc.substitutions, jc.deletions, jc.insertions, jc.hits)
    assert (ws.substitutions, ws.deletions, ws.insertions, ws.hits) == (
        jw.substitutions, jw.deletions, jw.insertions, jw.hits)


def _assert_dinglehopper(reference: str, hypothesis: str) -> None:
    """Our `graphemes` CER and `unicode-words` WER are dinglehopper's, where it gives a finite figure."""
    gr, uw = measure(reference, hypothesis, "graphemes"), measure(reference, hypothesis, "unicode-words")
    d_cer, d_n = character_error_rate_n(reference, hypothesis)
    d_wer, d_wn = word_error_rate_n(reference, hypothesis)
    if _PUA_RE.search(reference + hypothesis):  # dinglehopper's words as it means them (see below)
        ref_words, hyp_words = _dinglehoppers_words(reference), _dinglehoppers_words(hypothesis)
        d_wer, d_wn = word_error_rate_n(ref_words, hyp_words)
    assert (gr.reference_length, uw.reference_length) == (d_n, d_wn)
    if not math.isinf(d_cer):
        assert gr.rate == d_cer
    if not math.isinf(d_wer):
        assert uw.rate == d_wer


# The pairs of jiwer's own test suite (jitsi/jiwer 4.0.0, tests/, Apache-2.0), each with the figure
# its test states where it states one. A list case there is a corpus of sentence pairs: each pair
# is here on its own, and the corpus figure is checked from the sums of our counts.
JIWER_WER = [
    ("This is a test", "This is a test", 0.0), ("This is a test", "", 1.0), ("This is a test", "This test", 0.5),
    ("i am a short ground truth", "i am a considerably longer and very much incorrect hypothesis", 7 / 6),
    ("X", "X", 0.0), ("X", "X X Y Y", 3.0), ("X Y X", "X Z", 2 / 3), ("X", "Y", 1.0), ("X", "Y Z", 2.0),
    ("hello this sentence is fractured", "this sentence", 0.6),
    ("i am i good", "i am i good", 0.0), ("am i good i", "i good i am", 0.5),
    ("i like monthy python what do you mean african or european swallow",
     "i like python what you mean or swallow", None),
    ("", "", 0.0), ("", "hello", 1.0), *(("", " ".join(str(j) for j in range(i)), float(i)) for i in range(2, 11)),
    ("hello", "", 1.0), ("hello world", "hello world", 0.0), ("", "done", 1.0),
    ("this is a", "this is a test", None), ("this is a test", "this is a", None),
    ("this is a test", "this was a test", None), ("this is a test of skill", "this was a messy test", None),
    ("this test will  have a high word error rate", "no it will not", None), ("empty", "", None),
    ("one", "1", None), ("two", "2", None), ("perfect", "perfect", None), ("three", "three", None),
    ("", "inserted", None), ("this sentence could be split", "this sentence will be split by ai", None),
    ("this is a test", "this iz a test", None),
    *(("sub", h, 1.0) for h in ("bus", "usb", "bsu")), ("this was", "this was ins", 0.5), ("del", "", 1.0),
    ("hit", "hit", 0.0),
    (" ".join(["same"] * 50 + ["ref_only"] * 50), " ".join(["same"] * 50 + ["hyp_only"] * 50), 0.5),
    *((f"word{i}", f"word{i + 557056}", 1.0) for i in (0, 1, 99_999, 557_055)),
    *(("a" * i, "b" * i, 1.0) for i in (1, 2, 500, 1000)),
]
JIWER_CER = [
    ("This is a test", "This is a test", 0.0), ("This is a test", "", 1.0), ("This is a test", "This test", 5 / 14),
    ("X", "X", 0.0), ("X", "X X Y Y", 6.0), ("X Y X", "X Z", 3 / 5), ("X", "Y", 1.0), ("X", "Y Z", 3.0),
    ("", "", 0.0), ("", "a", 1.0), ("", "abd", 3.0), ("a", "", 1.0), ("abc", "", 1.0),
    ("this test will  have a high word error rate", "no it will not", 33 / 43),
]
JIWER_CORPORA = [  # (reference sentences, hypothesis sentences, measure, figure)
    (["i", "am i good"], ["i am", "i good"], "cer", 0.6), (["am i good", "i"], ["i good", "i am"], "cer", 0.6),
    (["i", "am i good"], ["i am", "i good"], "wer", 0.5), (["am i good", "i"], ["i good", "i am"], "wer", 0.5),
    (["hello world", ""], ["hello world", "done"], "wer", 0.5),
]


@pytest.mark.parametrize(("reference", "hypothesis", "figure"), JIWER_WER)
def test_wer_is_jiwers_on_jiwers_test_pairs(reference: str, hypothesis: str, figure: float | None) -> None:
    _assert_jiwer(reference, hypothesis)
    if figure is not None:
        assert measure(reference, hypothesis, "whitespace").rate == pytest.approx(figure, abs=1e-12)


@pytest.mark.parametrize(("reference", "hypothesis", "figure"), JIWER_CER)
def test_cer_is_jiwers_on_jiwers_test_pairs(reference: str, hypothesis: str, figure: float) -> None:
    _assert_jiwer(reference, hypothesis)
    assert measure(reference, hypothesis, "codepoints").rate == pytest.approx(figure, abs=1e-12)


@pytest.mark.parametrize(("references", "hypotheses", "kind", "figure"), JIWER_CORPORA)
def test_corpus_figures_of_jiwers_tests_from_our_counts(references: list[str], hypotheses: list[str], kind: str,
                                                        figure: float) -> None:
    definition = "codepoints" if kind == "cer" else "whitespace"
    rates = [measure(r, h, definition) for r, h in zip(references, hypotheses, strict=True)]
    total = sum(r.errors for r in rates) / sum(r.reference_length for r in rates)
    own = jiwer.cer(references, hypotheses) if kind == "cer" else jiwer.wer(references, hypotheses)
    assert total == pytest.approx(own, abs=1e-12) and total == pytest.approx(figure, abs=1e-12)


def test_counts_of_jiwers_alignment_test() -> None:
    """jiwer's tests/test_alignment.py states this summary for the characters of one pair."""
    r = measure("this test will  have a high word error rate", "no it will not", "codepoints")
    assert (r.substitutions, r.deletions, r.insertions, r.hits) == (4, 29, 0, 10)


# The pairs of dinglehopper's own test suite (qurator-spk/dinglehopper 0.11, src/dinglehopper/tests,
# Apache-2.0) with the figure each test states; None where it states infinity (an empty reference).
_SCHLYN, _SCHLYM = "Schly\u00f1", "Schlym\u0303"
DINGLEHOPPER_CER = [
    ("a", "a", 0.0), ("a", "b", 1.0), ("Foo", "Bar", 1.0), ("Foo", "", 1.0), ("", "", 0.0), ("", "Foo", None),
    ("Foo", "Food", 1 / 3), ("Fnord", "Food", 2 / 5), ("Müll", "Mull", 1 / 4), ("Abstand", "Sand", 4 / 7),
    (unicodedata.normalize("NFC", "Schlyñ lorem ipsum."), unicodedata.normalize("NFD", "Schlyñ lorem ipsum!"), 1 / 19),
    (_SCHLYM, _SCHLYN, 1 / 6), (_SCHLYN, _SCHLYM, 1 / 6),
    (unicodedata.normalize("NFC", _SCHLYN), unicodedata.normalize("NFD", _SCHLYN), 0.0),
    ("o\u0364de", "\u00f6de", 1 / 3), ("n\u0303", "\u00f1", 0.0),
]
DINGLEHOPPER_WER = [
    ("Dies ist ein Beispielsatz!", "Dies ist ein Beispielsatz!", 0.0),
    ("Dies. ist ein Beispielsatz!", "Dies ist ein Beispielsatz!", 0.0),
    ("Dies. ist ein Beispielsatz!", "Dies ist ein Beispielsatz.", 0.0),
    ("Dies ist ein Beispielsatz!", "Dies ist ein Beispielsarz:", 1 / 4),
    ("Dies ist ein Beispielsatz!", "Dies ein ist Beispielsatz!", 2 / 4),
    ("Dies ist ein Beispielsatz!", "", 1.0), ("", "Dies ist ein Beispielsatz!", None), ("", "", 0.0),
    ("Schlyñ lorem ipsum dolor sit amet,", "Schlym̃ lorem ipsum dolor sit amet.", 1 / 6),
]


@pytest.mark.parametrize(("reference", "hypothesis", "figure"), DINGLEHOPPER_CER)
def test_cer_is_dinglehoppers_on_its_test_pairs(reference: str, hypothesis: str, figure: float | None) -> None:
    _assert_dinglehopper(reference, hypothesis)
    rate = measure(reference, hypothesis, "graphemes").rate
    assert rate == (pytest.approx(figure, abs=1e-12) if figure is not None else len(graphemes(hypothesis)))


@pytest.mark.parametrize(("reference", "hypothesis", "figure"), DINGLEHOPPER_WER)
def test_wer_is_dinglehoppers_on_its_test_pairs(reference: str, hypothesis: str, figure: float | None) -> None:
    _assert_dinglehopper(reference, hypothesis)
    rate = measure(reference, hypothesis, "unicode-words").rate
    assert rate == (pytest.approx(figure, abs=1e-12) if figure is not None else len(unicode_words(hypothesis)))


def test_words_of_dinglehoppers_tests() -> None:
    assert unicode_words("Der schnelle [„braune“] Fuchs kann keine 3,14 Meter springen, oder?") == [
        "Der", "schnelle", "braune", "Fuchs", "kann", "keine", "3,14", "Meter", "springen", "oder"]


def test_private_use_characters_are_letters_as_in_dinglehopper() -> None:
    """dinglehopper's `test_words_private_use_area`: MUFI characters (Private Use Area) of early
    printed texts are letters inside their word. dinglehopper gets it by patching uniseg, which
    uniseg 0.10 ignores (its own test fails there); ours passes the property to uniseg."""
    text = ("\ue72bber die vielen Sorgen wegen de\ueba6elben verga\u00df Hartkopf, der Frau "
            "Amtm\ue42cnnin das ver\u2e17\n\u017fpro\uf502ene zu \ue72bberliefern.")
    assert unicode_words(text) == [
        "\ue72bber", "die", "vielen", "Sorgen", "wegen", "de\ueba6elben", "verga\u00df", "Hartkopf", "der", "Frau",
        "Amtm\ue42cnnin", "das", "ver", "\u017fpro\uf502ene", "zu", "\ue72bberliefern"]
    assert measure("de\ueba6elben Frau", "deelben Frau", "unicode-words").rate == 0.5


@pytest.mark.parametrize(("gt", "ocr", "figure"), [
    ("", "Lorem ipsum", None), ("Lorem ipsum", "", 1.0), ("\ufeff", "Lorem ipsum", None),
    ("Lorem ipsum", "\ufeff", 1.0), ("", "", 0.0), ("\ufeff", "", 0.0), ("", "\ufeff", 0.0)])
def test_dinglehoppers_empty_files(gt: str, ocr: str, figure: float | None) -> None:
    """dinglehopper's `test_integ_empty_files`: a file holding only a byte-order mark is empty."""
    from provenance.decode import decode

    reference, hypothesis = (decode(t.encode("utf-8"), "f")[0] for t in (gt, ocr))
    rate = measure(reference, hypothesis, "graphemes").rate
    assert rate == (figure if figure is not None else len(graphemes(hypothesis)))


def _peer_file(repo: str, path: str) -> bytes:
    """A file of a peer project's repository: from a checkout or a bare copy (`owner+name/repo`,
    as the workplace's fetch leaves it) under $PROVENANCE_PEERS or a `.mirror` beside the
    checkout; the test skips when there is none."""
    env = os.environ.get("PROVENANCE_PEERS")
    root = Path(__file__).resolve().parents[2]
    bases = [Path(env)] if env else [root.parent / ".mirror", root.parent.parent / ".mirror"]
    for base in bases:
        checkout = base / repo.split("/")[1] / path
        if checkout.is_file():
            return checkout.read_bytes()
        git_dir = base / repo.replace("/", "+") / "repo"
        if git_dir.is_dir():
            proc = subprocess.run(["git", "--git-dir", str(git_dir), "show", f"HEAD:{path}"],
                                  capture_output=True, check=False)
            if proc.returncode == 0:
                return proc.stdout
    pytest.skip(f"{repo} is not available (set PROVENANCE_PEERS to a folder holding a checkout)")


_DH_DATA = "src/dinglehopper/tests/data/"
DINGLEHOPPER_FILES = [  # the ground truth and OCR pairs of dinglehopper's test data
    ("test-gt.page2018.xml", "test-fake-ocr.page2018.xml"),
    ("lorem-ipsum/lorem-ipsum-scan.gt.page.xml", "lorem-ipsum/lorem-ipsum-scan.ocr.tesseract.alto.xml"),
    ("lorem-ipsum/lorem-ipsum-scan-bad.gt.page.xml", "lorem-ipsum/lorem-ipsum-scan-bad.ocr.tesseract.alto.xml"),
    ("bigger-texts/00008228/00008228.gt.xml", "bigger-texts/00008228/00008228-00236534.gt4hist.xml"),
    ("actevedef_718448162/OCR-D-GT-PAGE/00000024.page.xml",
     "actevedef_718448162/OCR-D-OCR-CALAMARI/OCR-D-OCR-CALAMARI_0001.xml"),
    ("actevedef_718448162/OCR-D-GT-PAGE/00000024.page.xml",
     "actevedef_718448162/OCR-D-OCR-TESS/OCR-D-OCR-TESS_0001.xml"),
    ("brochrnx_73075507X/00000139.gt.page.xml", "brochrnx_73075507X/00000139.ocrd-tess.ocr.page.xml"),
    ("directory-test/gt/2.xml", "directory-test/ocr/2.xml"),
    ("line_dirs/basic/gt/a.gt.txt", "line_dirs/basic/ocr/a.some-ocr.txt"),
    ("line_dirs/basic/gt/b.gt.txt", "line_dirs/basic/ocr/b.some-ocr.txt"),
    ("unused-larex-indexed-textequiv-jkamlah/OCR-D-GT_0008.xml",
     "unused-larex-indexed-textequiv-jkamlah/OCR-D-OCR-TESS_0008.xml"),
    ("table-order/table-order-0001.xml", "table-order/table-order-0002.xml"),
]


@pytest.mark.parametrize(("gt", "ocr"), DINGLEHOPPER_FILES, ids=[p[1].split("/")[-1] for p in DINGLEHOPPER_FILES])
def test_dinglehoppers_test_files(gt: str, ocr: str, tmp_path: Path) -> None:
    """Every ground-truth and OCR pair of dinglehopper's test data, read by dinglehopper's own
    extraction: all four figures equal the tools'; on the 67,000-character newspaper page the
    anchored alignment gave a CER of 0.6052 where both give 0.4912."""
    from dinglehopper.ocr_files import text as extracted_text

    texts = []
    for name in (gt, ocr):
        path = tmp_path / name.replace("/", "_")
        path.write_bytes(_peer_file("qurator-spk/dinglehopper", _DH_DATA + name))
        texts.append(extracted_text(str(path)))
    _assert_jiwer(*texts)
    _assert_dinglehopper(*texts)


def test_dinglehoppers_stated_figures(tmp_path: Path) -> None:
    from dinglehopper.ocr_files import text as extracted_text

    def read(name: str) -> str:
        path = tmp_path / name.replace("/", "_")
        path.write_bytes(_peer_file("qurator-spk/dinglehopper", _DH_DATA + name))
        return str(extracted_text(str(path)))

    gt, ocr = read("test-gt.page2018.xml"), read("test-fake-ocr.page2018.xml")
    assert measure(gt, ocr, "graphemes").errors == 2 and measure(gt, ocr, "unicode-words").errors == 2
    assert measure(gt, ocr, "unicode-words").reference_length == 130
    bad = "lorem-ipsum/lorem-ipsum-scan-bad."
    gt, ocr = read(bad + "gt.page.xml"), read(bad + "ocr.tesseract.alto.xml")
    assert measure(gt, ocr, "graphemes").rate == 8 / 591 and measure(gt, ocr, "unicode-words").rate == 7 / 100
    gt, ocr = read("bigger-texts/00008228/00008228.gt.xml"), read("bigger-texts/00008228/00008228-00236534.gt4hist.xml")
    for definition in ("graphemes", "codepoints"):
        assert round(measure(gt, ocr, definition).rate or 0, 4) == 0.4912


def test_diff_match_patch_speed_test() -> None:
    """diff-match-patch's speed test (two versions of a 13,000-character article): the anchored
    alignment counted 8,233 character edits where the minimum is 6,288."""
    repo = "google/diff-match-patch"
    reference = _peer_file(repo, "python3/tests/speedtest1.txt").decode("utf-8")
    hypothesis = _peer_file(repo, "python3/tests/speedtest2.txt").decode("utf-8")
    assert measure(reference, hypothesis, "codepoints").errors == 6288
    assert measure(reference, hypothesis, "graphemes").errors == 6288
    _assert_jiwer(reference, hypothesis)
    _assert_dinglehopper(reference, hypothesis)


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
    assert unicode_words(text) == _dinglehoppers_words(text)


_PUA_RE = re.compile("[\ue000-\uf8ff]")


def _dinglehoppers_words(text: str) -> list[str]:
    """dinglehopper's words as it means them: its own function, or where the text holds Private
    Use characters (its uniseg patch no longer works) uniseg's segments of the text with each of
    them replaced by a Latin letter (the ALetter it patches them to), cut from the original."""
    if not _PUA_RE.search(unicodedata.normalize("NFC", text)):
        return list(words_normalized(text))
    from dinglehopper.word_error_rate import words as dinglehopper_words
    from uniseg.wordbreak import words as uniseg_words

    text = unicodedata.normalize("NFC", text)
    out, pos = [], 0
    for segment in uniseg_words(_PUA_RE.sub("a", text)):
        piece = text[pos:pos + len(segment)]
        pos += len(segment)
        if _PUA_RE.search(piece) or list(dinglehopper_words(piece)):
            out.append(piece)
    return out


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


_PAIR_ALPHABET = "ab c\n\t\r.,'é\u0301日👍🏽\u200b\x1c\x85\xa0\u2028\u3000\ue000"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=_PAIR_ALPHABET, max_size=30), st.text(alphabet=_PAIR_ALPHABET, max_size=30))
def test_random_pairs_equal_jiwer_and_dinglehopper(reference: str, hypothesis: str) -> None:
    """Counts and rates on any pair: jiwer's, one for one; dinglehopper's rates where finite."""
    _assert_jiwer(reference, hypothesis)
    _assert_dinglehopper(reference, hypothesis)


def test_metrics_benchmark_quick_run() -> None:
    """The benchmark runs (a smoke run: its timings are read by people; its figures must equal jiwer's)."""
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.run([sys.executable, str(root / "benchmarks" / "metrics.py"), "--quick"],
                          capture_output=True, text=True, check=False, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "worst ratio (ours / jiwer)" in proc.stdout and "figures equal to jiwer's: all" in proc.stdout
