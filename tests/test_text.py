"""Load: decoding, the comparison form and its map back, words and their keys, lines."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from provenance.errors import InputError
from provenance.load import load_text
from provenance.text import fold, fold_word, line_col, make_text, tokenize

LETTER = "Sir, in due deference to the sovereignty of the Republic of Iraq — “moving” forces.\n"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (LETTER.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + LETTER.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF16_LE + LETTER.encode("utf-16-le"), "utf-16-le"),
        (codecs.BOM_UTF16_BE + LETTER.encode("utf-16-be"), "utf-16-be"),
    ],
)
def test_decodes_unicode_with_and_without_bom(tmp_path: Path, data: bytes, encoding: str) -> None:
    text = load_text(write(tmp_path, "a.txt", data))
    assert text.original == LETTER  # the byte-order mark is gone, nothing else changed
    assert text.encoding == encoding


def test_detects_a_legacy_encoding(tmp_path: Path) -> None:
    sample = ("Café society’s “élite” — naïve, déjà vu. " * 20).encode("cp1252")
    text = load_text(write(tmp_path, "a.txt", sample))
    assert "Café society’s “élite” — naïve" in text.original
    assert text.encoding.replace("_", "").replace("-", "").lower() in {"cp1252", "windows1252"}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "is empty"),
        (b"   \n\t\n", "is empty"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "not a readable PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a PNG image"),
        (bytes(range(256)) * 40, "not a text file"),
        (b"... -- !!! ???", "holds no words"),
    ],
)
def test_refuses_what_is_not_text(tmp_path: Path, data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message) as info:
        load_text(write(tmp_path, "bad.txt", data), role="document")
    assert "\n" not in str(info.value)
    assert "document" in str(info.value)


def test_refuses_missing_files_directories_and_oversize(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_text(tmp_path / "nothere.txt")
    with pytest.raises(InputError, match="is a directory"):
        load_text(tmp_path)
    big = write(tmp_path, "big.txt", b"word " * 1000)
    with pytest.raises(InputError, match=r"over the limit of 100") as raised:
        load_text(big, max_bytes=100)
    assert raised.value.parameter == "max_bytes"


def test_word_keys_fold_what_is_not_spelling() -> None:
    assert fold_word("America’s") == fold_word("america's") == "america's"
    assert fold_word("yest\u200derday") == "yesterday"  # invisible characters
    assert fold_word("\u0430pple") == "apple"  # Cyrillic a inside a Latin word
    assert fold_word("ﬁnal") == "final"  # NFKC
    assert fold_word("STRASSE") == fold_word("straße")  # case folding, not just lower()
    assert fold_word("Москва") == "москва"  # a word of another script stays itself


def test_words_join_apostrophes_and_line_end_hyphenation() -> None:
    toks = tokenize("America's sec-\nurity and the students' '90s post-war")
    assert toks.keys == ["america's", "security", "and", "the", "students", "90s", "post", "war"]
    s = "America's sec-\nurity"
    assert s[toks.starts[1]:toks.ends[1]] == "sec-\nurity"


def test_fold_folds_quotes_dashes_and_whitespace() -> None:
    assert fold("“Sir” -- it’s\n\n  done—") == fold('"sir" - it\'s done-')


def test_comparison_form_maps_back_to_the_original() -> None:
    text = make_text("  “Moving” FORCES,\r\n  yest\u200derday  secu-\nrity.")
    form, offsets = text.comparison_form()
    assert form == "moving forces yesterday security"
    assert len(offsets) == len(form) + 1
    for word in form.split():
        k = form.index(word)
        assert text.original[offsets[k]].casefold() == word[0]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_lines_and_columns_with_any_line_ending(newline: str) -> None:
    s = newline.join(["first line", "second", "", "fourth word"])
    text = make_text(s)
    k = s.index("word")
    assert text.line_col(k) == (4, 8)
    assert line_col(text.line_starts, s.index("second")) == (2, 1)


def test_utf8_with_a_stray_windows_1252_byte(tmp_path: Path) -> None:
    data = "café résumé ".encode() + b"\x93quoted\x94 " + "naïve".encode()
    text = load_text(write(tmp_path, "a.txt", data))
    assert text.original == "café résumé “quoted” naïve"
    assert text.encoding == "utf-8+cp1252"


def test_utf8_with_a_pasted_windows_1252_line_keeps_its_offsets(tmp_path: Path) -> None:
    """B11: each stray byte is one character, so lines, columns and word offsets are the text's."""
    first = "He said “We will respect your decision” — café.\n"
    pasted = "“Très bien” déjà, François\n"
    text = load_text(write(tmp_path, "m.md", first.encode() + pasted.encode("cp1252") + b"end\n"))
    assert text.encoding == "utf-8+cp1252" and text.original == first + pasted + "end\n"
    k = text.original.index("François")
    assert text.line_col(k) == (2, pasted.index("François") + 1)
    assert k in text.tokens.starts and text.tokens.keys[text.tokens.starts.index(k)] == "françois"


def test_refuses_a_pipe(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="not a regular file"):
        load_text(fifo)


def test_the_line_index_costs_eight_bytes_a_line() -> None:
    """B10: a tuple of Python integers cost 36 bytes a line (576 MB for 16 million newlines)."""
    import tracemalloc

    from provenance.text import line_starts_of

    s = "\n" * 100_000 + "word"
    tracemalloc.start()
    try:
        starts = line_starts_of(s)
        held = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert len(starts) == 100_001 and make_text(s).line_col(100_000) == (100_001, 1)
    assert held < 9 * len(starts)


def test_tokenize_folds_each_spelling_once_and_past_its_cache_as_before(monkeypatch: pytest.MonkeyPatch) -> None:
    import provenance.text as text_module

    words = "The the THE Straße strasse café Cafe\u0301 se\u200bcurity America’s America's".split()
    text = " ".join(words * 3)
    expected = [text_module.fold_word(w) for w in words * 3]
    assert tokenize(text).keys == expected
    monkeypatch.setattr(text_module, "_FOLDED_CACHE", 2)  # most spellings past the cache
    assert tokenize(text).keys == expected
