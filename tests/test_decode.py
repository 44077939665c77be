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
