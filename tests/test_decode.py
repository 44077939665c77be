"""Decode: byte-order marks, UTF-8 with stray bytes, binary refusal, reading within a size limit."""

from __future__ import annotations

import codecs
import io
from pathlib import Path

import pytest

from provenance.decode import decode, read_bounded, read_file_bytes, read_standard_input
from provenance.errors import InputError

WORDS = "Four score and seven years ago — “our fathers”.\n"


@pytest.mark.parametrize(
    ("bom", "encoding"),
    [
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ],
)
def test_a_byte_order_mark_names_the_encoding_and_is_left_out(bom: bytes, encoding: str) -> None:
    assert decode(bom + WORDS.encode(encoding), "doc") == (WORDS, encoding)


def test_bytes_that_break_their_byte_order_mark_are_refused() -> None:
    with pytest.raises(InputError, match=r"doc: not valid utf-8 despite its byte-order mark \(byte 4\)"):
        decode(codecs.BOM_UTF8 + b"a\xffb", "doc")


def test_plain_utf8_is_read_as_utf8() -> None:
    assert decode(WORDS.encode("utf-8"), "doc") == (WORDS, "utf-8")


def test_a_stray_windows_1252_byte_in_utf8_is_read_as_windows_1252() -> None:
    data = "naïve ".encode() * 10 + b"\x93quoted\x94"
    text, encoding = decode(data, "doc")
    assert encoding == "utf-8+cp1252"
    assert text.endswith("\u201cquoted\u201d") and text.startswith("naïve")


def test_a_western_code_page_is_detected() -> None:
    text, encoding = decode(("Café society’s “élite” — naïve, déjà vu. " * 20).encode("cp1252"), "doc")
    assert encoding == "cp1252" and text.startswith("Café society’s “élite” — naïve")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"%PDF-1.7\n", "doc: this is a PDF file, not a text file"),
        (b"\x1f\x8b\x08\x00", "doc: this is a gzip archive, not a text file"),
        (b"text " * 100 + b"\x01\x02\x03\x04" * 100, "doc: not a text file"),
    ],
)
def test_binary_data_is_refused(data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        decode(data, "doc")


def test_read_bounded_stops_one_byte_past_the_limit() -> None:
    stream = io.BytesIO(b"x" * 10_000)
    assert len(read_bounded(stream, 100)) == 101
    assert read_bounded(io.BytesIO(b"short"), 100) == b"short"
    assert read_bounded(io.BytesIO(b"exact"), 5, expected=5) == b"exact"


def test_read_file_bytes_refuses_what_is_not_a_readable_small_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="^doc: no such file$"):
        read_file_bytes(tmp_path / "missing.txt", "doc", 100)
    with pytest.raises(InputError, match="^doc: is a directory, not a file$"):
        read_file_bytes(tmp_path, "doc", 100)
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 101)
    with pytest.raises(InputError, match="^doc: 101 bytes is over the limit of 100"):
        read_file_bytes(big, "doc", 100)
    assert read_file_bytes(big, "doc", 101) == b"x" * 101


def test_read_standard_input_refuses_input_over_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"y" * 50)))
    with pytest.raises(InputError, match="^stdin: over the limit of 10 bytes"):
        read_standard_input("stdin", 10)
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"y" * 50)))
    assert read_standard_input("stdin", 50) == b"y" * 50


GREEK = "Ελληνικά κείμενα εδώ και εκεί, πολλές λέξεις. "


@pytest.mark.parametrize("text", [
    GREEK[:12] + "\x00",  # a trailing NUL (a C string written whole): was read as UTF-16-LE
    GREEK[:9] + "\x00",  # was read as UTF-16-BE
    GREEK[:9] + "\x00" + GREEK[9:],
    "Fo\x00ur score and seven years ago",  # was named cp1252
    "Café \x00 society",
    "\x00" + WORDS,
])
def test_valid_utf8_with_a_stray_nul_is_utf8(text: str) -> None:
    """A text file with one stray NUL byte is text: read as the UTF-8 it is, the NUL kept (an
    invisible character the comparator reports), every offset where it was."""
    assert decode(text.encode("utf-8"), "doc") == (text, "utf-8")


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("text", ["Hello world, this is a text in UTF-16 without a byte-order mark.",
                                  "Привет мир, как дела сегодня", GREEK * 3, "東京都は日本の首都です。"])
def test_utf16_without_a_byte_order_mark_is_still_detected(text: str, encoding: str) -> None:
    """UTF-16 without a mark is valid UTF-8 when its characters are ASCII or Cyrillic (`П` is
    1F 04): its NUL and other control bytes tell it apart; the Western second guess does not
    apply to bytes that would read as control characters (Cyrillic was refused as binary)."""
    assert decode(text.encode(encoding), "doc") == (text, encoding)


@pytest.mark.parametrize("data", [
    b"text " * 100 + b"\x00" * 400,
    b"".join(b"word %d\x00\x00" % k for k in range(200)),
    b"\x00" * 1000,
])
def test_binary_data_with_nul_bytes_is_refused(data: bytes) -> None:
    with pytest.raises(InputError, match="^doc: not a text file"):
        decode(data, "doc")


@pytest.mark.parametrize(("bom", "encoding"), [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                                               (codecs.BOM_UTF16_BE, "utf-16-be"), (codecs.BOM_UTF32_LE, "utf-32-le")])
def test_only_the_first_byte_order_mark_is_left_out(bom: bytes, encoding: str) -> None:
    """One byte-order mark at the very start is not text; a second one, or one further on, is a
    U+FEFF of the text (a hidden character the comparator reports), and every offset counts it."""
    from provenance.text import text_from_bytes

    for text in ("\ufeff" + WORDS, WORDS[:10] + "\ufeff" + WORDS[10:], "\ufeff\ufeff" + WORDS):
        data = bom + text.encode(encoding)
        assert decode(data, "doc") == (text, encoding)
        loaded = text_from_bytes(data, "doc", path="doc.txt", id="doc")
        assert loaded.original == text
        assert loaded.tokens.ends[0] == text.index("Four") + len("Four")


@pytest.mark.parametrize("data", [b"\x01\x02" * 300, b"text " * 50 + bytes(range(1, 32)) * 20])
def test_control_bytes_without_nul_are_binary_not_utf16(data: bytes) -> None:
    """Bytes without NUL are no UTF-16 text (a space is 00 20): control bytes make them binary."""
    with pytest.raises(InputError, match=r"^doc: not a text file \(it holds binary control characters\)$"):
        decode(data, "doc")


@pytest.mark.parametrize("text", ["\x00" + WORDS, "\x00\x00" + WORDS])
def test_utf16_le_whose_first_character_is_nul_is_not_taken_for_utf32(text: str) -> None:
    """FF FE 00 00 starts UTF-32-LE, and UTF-16-LE whose first character is a (stray) NUL: when
    the bytes are no UTF-32, they are the UTF-16 their first two bytes name."""
    assert decode(codecs.BOM_UTF16_LE + text.encode("utf-16-le"), "doc") == (text, "utf-16-le")


def test_vertical_tabs_of_office_exports_are_text() -> None:
    """Word and PowerPoint write a manual line break as a vertical tab (0B) in exported text: a
    text with many of them is text (it was refused as binary), the tabs kept where they are."""
    text = "Minutes of the meeting\x0bHeld on Monday\x0bPresent: the council\n" * 40
    assert decode(text.encode("utf-8"), "doc") == (text, "utf-8")


UTF8_LINE = "He said “We will respect your sovereign decision to order our departure” — café.\n"


@pytest.mark.parametrize(
    "pasted",
    [
        "“Très bien” déjà\n",  # one line with quotes and accents (more stray bytes than UTF-8 ones)
        "“Très bien” déjà\nÀ bientôt, François; Zoë Brontë, Müller and Ångström.\nNaïve élite façade\n",
        "\u201d",  # a stray closing quote
        "Signed: José Núñez, Søren Kierkegaard, Björk Guðmundsdóttir, Dvořák\n".replace("ř", "r"),
    ],
)
def test_utf8_with_pasted_windows_1252_lines_is_read_as_both(pasted: str) -> None:
    """B11: a UTF-8 file with a line or several of Windows-1252 pasted in is read as both: the
    valid UTF-8 as UTF-8, the bytes that are not UTF-8 as Windows-1252; offsets are those of the
    text so read (one code point for each character of either part)."""
    for parts in ([UTF8_LINE, pasted], [pasted, UTF8_LINE], [UTF8_LINE, pasted, UTF8_LINE]):
        data = b"".join(p.encode("cp1252") if p is pasted else p.encode() for p in parts)
        text, encoding = decode(data, "doc")
        assert (text, encoding) == ("".join(parts), "utf-8+cp1252")


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Très bien, déjà vu, “élite” café. " * 20, "cp1252"),
        ("Café society’s “élite” — naïve, déjà vu. " * 20, "cp1252"),
        ("Le café, la crème brûlée et l'été. " * 5, "latin-1"),
        ("Съешь же ещё этих мягких французских булок, да выпей чаю. Від Дід. " * 5, "cp1251"),
        ("Zażółć gęślą jaźń, powiedział Łukasz w Łodzi. " * 5, "cp1250"),
    ],
)
def test_a_single_code_page_is_not_read_as_utf8_with_stray_bytes(text: str, encoding: str) -> None:
    """Bytes of one code page with no valid multi-byte UTF-8 are still given to the detector
    (`Від` in Windows-1251 holds C2 B3, valid UTF-8 `³`, and is still Ukrainian)."""
    decoded, found = decode(text.encode(encoding), "doc")
    assert decoded == text and found != "utf-8+cp1252"
