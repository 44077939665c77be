"""The DOCX reader on a Word file of the example letter built here with python-docx."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest

import provenance
from provenance.errors import InputError
from provenance.load.docx import DOCX_READER, paragraph_text

from conftest import finding_keys

ROOT = Path(__file__).resolve().parents[2]
LETTER = ROOT / "inputs" / "letter-2020-01-06.txt"
ARTICLE = ROOT / "inputs" / "article.md"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
FOOTNOTES = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes xmlns:w="{W_NS}">'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:id="1"><w:p><w:r><w:t>Signed in Bagh</w:t></w:r><w:r><w:t>dad.</w:t></w:r></w:p></w:footnote>'
    "</w:footnotes>"
)


def _letter_docx(extra: bool) -> bytes:
    document = docx.Document()
    document.core_properties.title = "Letter of 6 January 2020"
    for paragraph in LETTER.read_text(encoding="utf-8").split("\n\n"):
        text = paragraph.strip()
        p = document.add_paragraph()
        if "CH-47" in text and extra:  # a word split over two runs and a non-breaking hyphen
            head, _, tail = text.partition("helicopter travel")
            p.add_run(head + "heli")
            run = p.add_run("copter travel" + tail.split("CH-47")[0] + "CH")
            run._r.append(run._r.makeelement(f"{{{W_NS}}}noBreakHyphen", {}))
            p.add_run("47" + tail.split("CH-47")[1])
        else:
            lines = text.split("\n")
            run = p.add_run(lines[0])
            for line in lines[1:]:
                run.add_break()
                run.add_text(line)
    if extra:
        document.add_paragraph("We respect your sovereign decision.", style="Quote")
        document.add_table(rows=1, cols=1).cell(0, 0).text = "Table cell text"
    buffer = io.BytesIO()
    document.save(buffer)
    if not extra:
        return buffer.getvalue()
    return _with_footnotes(buffer.getvalue())


def _with_footnotes(data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "[Content_Types].xml":
                body = body.replace(b"</Types>", b'<Override PartName="/word/footnotes.xml" ContentType='
                                    b'"application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes'
                                    b'+xml"/></Types>')
            if item.filename == "word/_rels/document.xml.rels":
                body = body.replace(b"</Relationships>", b'<Relationship Id="rIdFn" Type="http://schemas.'
                                    b'openxmlformats.org/officeDocument/2006/relationships/footnotes" '
                                    b'Target="footnotes.xml"/></Relationships>')
            dst.writestr(item, body)
        dst.writestr("word/footnotes.xml", FOOTNOTES)
    return out.getvalue()


def test_docx_text_places_quotes_and_footnote() -> None:
    data = _letter_docx(extra=True)
    assert DOCX_READER.sniff(data)
    got = DOCX_READER.read(data, "source 'letter.docx'")
    assert "increase in helicopter travel" in got.text
    assert "include CH-47, UH-60" in got.text
    assert got.text.endswith("Table cell text\n\nSigned in Baghdad.\n")
    assert ("title", "Letter of 6 January 2020") in got.metadata
    assert got.extractor.startswith("python-docx ")
    quote = got.quotes[0]
    assert quote.kind == "blockquote"
    assert got.text[quote.span.start:quote.span.end] == "We respect your sovereign decision."
    last = got.place_of(len(got.text) - 3)
    assert last is not None and last.part == "footnote 1"
    first = got.place_of(0)
    assert first is not None and first.paragraph == 1
    cell = got.place_of(got.text.index("Table cell"))
    assert cell is not None and cell.paragraph == 11  # 9 letter paragraphs, the quote, then the cell


def test_docx_gives_the_same_findings_as_the_text(tmp_path: Path) -> None:
    got = DOCX_READER.read(_letter_docx(extra=False), "letter.docx")
    extracted = tmp_path / "letter.txt"
    extracted.write_text(got.text, encoding="utf-8")
    expected = finding_keys(provenance.compare(ARTICLE, [LETTER]))
    assert expected
    assert finding_keys(provenance.compare(ARTICLE, [extracted])) == expected


@pytest.mark.parametrize("data", [b"PK\x03\x04 broken", b"not a zip"])
def test_broken_docx_is_one_input_error(data: bytes) -> None:
    assert not DOCX_READER.sniff(data)
    with pytest.raises(InputError, match="not a readable DOCX"):
        DOCX_READER.read(data, "x.docx")


def test_paragraph_xml_pieces() -> None:
    p = docx.oxml.parse_xml(
        f'<w:p xmlns:w="{W_NS}"><w:r><w:t>re</w:t><w:softHyphen/><w:t>position</w:t><w:tab/>'
        '<w:t>CH</w:t><w:noBreakHyphen/><w:t>47</w:t><w:br/><w:t xml:space="preserve">next  line </w:t></w:r></w:p>'
    )
    assert paragraph_text(p) == "reposition CH-47\nnext line"
