"""The PDF reader on PDFs built here with fpdf2 from the example letter."""

from __future__ import annotations

from pathlib import Path

import pytest

from provenance.errors import InputError
from provenance.load.pdf import PDF_READER

from conftest import finding_keys

fpdf = pytest.importorskip("fpdf")
ROOT = Path(__file__).resolve().parents[2]
LETTER = ROOT / "inputs" / "letter-2020-01-06.txt"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


class _Doc(fpdf.FPDF):  # type: ignore[misc]
    def header(self) -> None:
        self.set_font("dv", size=9)
        self.cell(0, 8, "CJTF-OIR Official Correspondence", new_x="LMARGIN", new_y="NEXT")
        self.ln(4)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("dv", size=9)
        self.cell(0, 8, str(self.page_no()), align="C")


def _build(paragraphs: list[str], *, furniture: bool = True) -> bytes:
    """A PDF of the paragraphs, with a running header and page numbers (`furniture`) or without."""
    if not FONT.exists():
        pytest.skip("DejaVuSans is not installed")
    doc = _Doc() if furniture else fpdf.FPDF()
    doc.add_font("dv", fname=str(FONT))
    doc.set_font("dv", size=11)
    doc.add_page()
    for para in paragraphs:
        doc.multi_cell(0, 6, para, new_x="LMARGIN", new_y="NEXT")
        doc.ln(6)
    return bytes(doc.output())


def _paragraphs() -> list[str]:
    return LETTER.read_text(encoding="utf-8").strip().split("\n\n")


def test_letter_round_trip_and_furniture() -> None:
    paras = _paragraphs() * 3  # over two pages and more
    got = PDF_READER.read(_build(paras), "source 'x.pdf'")
    assert got.text.split() == " ".join(paras).split()
    assert got.text.endswith("\n") and not got.text.endswith("\n\n")
    assert "CJTF-OIR Official Correspondence" not in got.text
    assert any(r.startswith("page 2 header: 'CJTF-OIR") for r in got.removed)
    assert "page 2 footer: '2'" in got.removed
    pages = {p.page for p in got.places}
    assert len(pages) >= 2 and got.places[0].line == 2 and got.places[0].start == 0


def test_hyphen_and_ligature() -> None:
    got = PDF_READER.read(_build(["The transcrip-\ntion is \ufb01ne.", "Next."]), "s")
    assert "transcription is fine." in got.text
    assert PDF_READER.sniff(b"%PDF-1.7") and not PDF_READER.sniff(b"<html>")


def test_broken_pdf_is_one_line() -> None:
    with pytest.raises(InputError):
        PDF_READER.read(b"%PDF-1.4\nnot really", "source 'bad.pdf'")


def test_same_findings_as_text(tmp_path: Path) -> None:
    from provenance import compare

    src = tmp_path / "letter.pdf"
    src.write_bytes(_build(_paragraphs(), furniture=False))
    article = ROOT / "inputs" / "article.md"

    as_pdf = compare(article, [src])
    assert as_pdf.sources[0].format == "pdf" and as_pdf.sources[0].extractor.startswith("pypdfium2")
    assert finding_keys(as_pdf, fold_source_spacing=True) == finding_keys(compare(article, [LETTER]),
                                                                   fold_source_spacing=True)
    assert len(finding_keys(as_pdf)) > 20


def test_the_article_as_a_pdf_gives_the_findings_of_its_text(tmp_path: Path) -> None:
    """The quoting document itself as a PDF of several pages: its wrapped lines rejoined, the same
    findings and verdicts as the Markdown it was printed from."""
    from provenance import compare

    if not FONT.exists():
        pytest.skip("DejaVuSans is not installed")
    article = ROOT / "inputs" / "article.md"
    doc = fpdf.FPDF()
    doc.add_font("dv", fname=str(FONT))
    doc.set_font("dv", size=10)
    doc.add_page()
    for para in article.read_text(encoding="utf-8").split("\n\n"):
        doc.multi_cell(0, 5, para.strip("\n"), new_x="LMARGIN", new_y="NEXT")
        doc.ln(5)
    printed = tmp_path / "article.pdf"
    printed.write_bytes(bytes(doc.output()))
    sources = [LETTER, ROOT / "inputs" / "wire-report.txt"]
    as_pdf, as_text = compare(printed, sources), compare(article, sources)
    assert as_pdf.document.format == "pdf" and len(doc.pages) > 1
    assert finding_keys(as_pdf) == finding_keys(as_text) and len(finding_keys(as_text)) > 20
    assert [p.verdict for p in as_pdf.passages] == [p.verdict for p in as_text.passages]
