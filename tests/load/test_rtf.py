"""The RTF reader on an RTF of the example letter written here by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

import provenance
from provenance.errors import InputError
from provenance.load.rtf import RTF_READER

from conftest import finding_keys

ROOT = Path(__file__).resolve().parents[2]
LETTER = ROOT / "inputs" / "letter-2020-01-06.txt"
ARTICLE = ROOT / "inputs" / "article.md"


def _escape(text: str) -> str:
    out = []
    for ch in text:
        if ch == "\u2013":
            out.append("\\endash ")
        elif ord(ch) > 127:
            out.append(f"\\u{ord(ch)}?")
        elif ch in "\\{}":
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


def _letter_rtf() -> bytes:
    paragraphs = LETTER.read_text(encoding="utf-8").strip().split("\n\n")
    body = "\\par\n".join(_escape(p).replace("\n", "\\line ") for p in paragraphs)
    return ("{\\rtf1\\ansi\\ansicpg1252{\\fonttbl{\\f0 Times;}}\\f0\n" + body + "\\par\n}").encode("ascii")


def test_rtf_escapes_and_paragraphs() -> None:
    data = (rb"{\rtf1\ansi\ansicpg1252 Don\'92t and don\u8217?t \ldblquote q\rdblquote \emdash  x"
            rb"\par\par Two\line lines\par}")
    assert RTF_READER.sniff(data)
    got = RTF_READER.read(data, "x.rtf")
    assert got.text == "Don\u2019t and don\u2019t \u201cq\u201d\u2014 x\n\nTwo\nlines\n"
    second = got.place_of(got.text.index("Two"))
    assert second is not None and second.paragraph == 3
    assert got.extractor.startswith("striprtf ")


def test_rtf_gives_the_same_findings_as_the_text(tmp_path: Path) -> None:
    got = RTF_READER.read(_letter_rtf(), "letter.rtf")
    assert got.text == LETTER.read_text(encoding="utf-8")
    extracted = tmp_path / "letter.txt"
    extracted.write_text(got.text, encoding="utf-8")
    expected = finding_keys(provenance.compare(ARTICLE, [LETTER]))
    assert expected
    assert finding_keys(provenance.compare(ARTICLE, [extracted])) == expected


def test_not_rtf_is_one_input_error() -> None:
    with pytest.raises(InputError, match="not an RTF file"):
        RTF_READER.read(b"plain words", "x.rtf")
