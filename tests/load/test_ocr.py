"""The OCR reader: scans of the example letter, made here by rendering a PDF of it at 300 dpi.

Needs the Tesseract program (`.ci/run` installs Debian's `tesseract-ocr`); where it is absent the
tests that run it skip, except under CI, where they fail.
"""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pytest

from provenance.cli import main
from provenance.errors import InputError
from provenance.load import load_text, ocr
from provenance.load.formats import choose_reader

from conftest import finding_keys

fpdf = pytest.importorskip("fpdf")
pdfium = pytest.importorskip("pypdfium2")
ROOT = Path(__file__).resolve().parents[2]
LETTER = ROOT / "inputs" / "letter-2020-01-06.txt"
ARTICLE = ROOT / "inputs" / "article.md"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


@pytest.fixture(scope="module")
def tesseract() -> None:
    if shutil.which("tesseract") is None:
        if os.environ.get("CI"):
            pytest.fail("tesseract is missing: .ci/run installs it")
        pytest.skip("the Tesseract program is not installed")


def _pdf(paragraphs: list[str], *, header: str | None = None) -> bytes:
    if not FONT.exists():
        pytest.skip("DejaVuSans is not installed")
    doc = fpdf.FPDF()
    doc.add_font("dv", fname=str(FONT))
    doc.set_auto_page_break(True, margin=20)
    for chunk in paragraphs:
        doc.add_page()
        if header:
            doc.set_font("dv", size=9)
            doc.cell(0, 8, header, new_x="LMARGIN", new_y="NEXT")
        doc.set_font("dv", size=11)
        for para in chunk.split("\n\n"):
            doc.multi_cell(0, 6, para, new_x="LMARGIN", new_y="NEXT")
            doc.ln(6)
    return bytes(doc.output())


def _pages(data: bytes) -> list[object]:
    doc = pdfium.PdfDocument(data)
    return [doc[i].render(scale=300 / 72).to_pil().convert("L") for i in range(len(doc))]


def _letter() -> str:
    return LETTER.read_text(encoding="utf-8").strip()


def _png(data: bytes) -> bytes:
    buf = io.BytesIO()
    _pages(data)[0].save(buf, format="PNG", dpi=(300, 300))  # type: ignore[attr-defined]
    return buf.getvalue()


def test_images_are_sniffed_by_content() -> None:
    for start in (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xe0", b"II*\x00", b"MM\x00*", b"GIF89a", b"BM",
                  b"RIFF\x00\x00\x00\x00WEBPVP8 "):
        assert choose_reader(start + bytes(30), "scan.txt").format == "image"
    assert choose_reader(b"RIFF\x00\x00\x00\x00WAVEfmt ", "sound.txt").format == "text"


def test_otsu_threshold_splits_ink_from_paper() -> None:
    histogram = [0] * 256
    histogram[30], histogram[40], histogram[220], histogram[230] = 50, 50, 400, 400
    assert 40 <= ocr.otsu_threshold(histogram) < 220
    assert ocr.otsu_threshold([0] * 255 + [10]) == 127  # a blank page: no split, the middle


def test_a_damaged_image_is_one_line(tmp_path: Path) -> None:
    message = r"^scan: this is a PNG image that cannot be read: it is damaged or cut short$"
    with pytest.raises(InputError, match=message):
        ocr.read(b"\x89PNG\r\n\x1a\n" + bytes(60), "scan")


def test_missing_tesseract_names_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    pytesseract = pytest.importorskip("pytesseract")
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "/nonexistent/tesseract")
    ocr.version.cache_clear()
    try:
        with pytest.raises(InputError, match="apt install tesseract-ocr"):
            ocr.version()
    finally:
        ocr.version.cache_clear()


def test_a_scan_of_the_letter_gives_the_findings_of_its_text(tesseract: None, tmp_path: Path) -> None:
    from provenance import compare

    scan = tmp_path / "letter-scan.png"
    scan.write_bytes(_png(_pdf([_letter()])))
    as_scan, as_text = compare(ARTICLE, [scan]), compare(ARTICLE, [LETTER])
    source = as_scan.sources[0]
    assert source.format == "image" and source.ocr and source.extractor.startswith("tesseract ")

    # OCR reads the letter's en dash as a hyphen and `sLTG` as `SLTG`: those change a
    # normalisation's source text, never a finding that matters.
    def kept(report: object) -> list[tuple[str, str, str, str]]:
        return [k for k in finding_keys(report, fold_source_spacing=True)  # type: ignore[arg-type]
                if k[0] != "normalization"]

    assert kept(as_scan) == kept(as_text) and len(kept(as_text)) > 20
    assert [p.verdict for p in as_scan.passages] == [p.verdict for p in as_text.passages]


def test_pages_of_a_tiff_and_a_running_header(tesseract: None) -> None:
    paragraphs = _letter().split("\n\n")
    data = _pdf(["\n\n".join(paragraphs[:4]), "\n\n".join(paragraphs[4:])], header="CJTF-OIR Official Correspondence")
    frames = _pages(data)
    buf = io.BytesIO()
    frames[0].save(buf, format="TIFF", save_all=True, append_images=frames[1:], dpi=(300, 300))  # type: ignore[attr-defined]
    got = ocr.read(buf.getvalue(), "scan")
    assert got.ocr and got.format == "image"
    assert "CJTF-OIR Official Correspondence" not in got.text
    assert any(r.startswith("page 2 header:") for r in got.removed)
    assert {p.page for p in got.places} == {1, 2}
    assert "security escort helicopters" in got.text and "\n\n" in got.text


def test_a_pdf_page_without_a_text_layer_is_read_by_ocr(tesseract: None, tmp_path: Path) -> None:
    image = tmp_path / "page.png"
    image.write_bytes(_png(_pdf([_letter()])))
    doc = fpdf.FPDF()
    doc.add_page()
    doc.image(str(image), x=0, y=0, w=210)
    scanned = tmp_path / "scanned-letter.pdf"
    scanned.write_bytes(bytes(doc.output()))
    text = load_text(scanned, role="source")
    assert text.origin is not None and text.origin.ocr and "tesseract" in text.origin.extractor
    assert any("read by OCR" in w for w in text.origin.warnings)
    assert "Coalition Forces are required to take certain measures" in text.original


def test_compare_against_a_scan_from_the_command_line(tesseract: None, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    import json

    scan = tmp_path / "letter.png"
    scan.write_bytes(_png(_pdf([_letter()])))
    code = main(["compare", str(ARTICLE), "-s", str(scan), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0
    (source,) = report["sources"]
    assert source["format"] == "image" and source["extractor"].startswith("tesseract")
    assert any("read by OCR" in w for w in source["warnings"])
    assert any(p["verdict"] != "verbatim" for p in report["passages"])


def _scanned_source(words: str, unsure: str, confidence: float) -> object:
    from provenance.load.base import Extracted
    from provenance.model import Span
    from provenance.text import make_text

    start = words.index(unsure)
    origin = Extracted(text=words, format="image", extractor="tesseract 5.3.0", ocr=True,
                       low_confidence=((Span(start, start + len(unsure)), confidence),))
    return make_text(words, path="scan.png", id="scan", origin=origin)


def test_a_difference_on_a_word_ocr_was_unsure_of_is_a_possible_misreading() -> None:
    from provenance.comparator.pipeline import compare_texts
    from provenance.model import Severity
    from provenance.text import make_text

    source = "The ferry service will resume on Tuesday morning after the storm has passed, the harbour master said.\n"
    document = make_text('# Ferries\n\nThe harbour master said "the ferry service will resume on Tuesday morning after '
                         'the storm has passed".\n', path="article.md", id="article")
    misread = source.replace("Tuesday", "Tnesday")
    doubted = compare_texts(document, [_scanned_source(misread, "Tnesday", 62.0)])  # type: ignore[list-item]
    (finding,) = [f for p in doubted.passages for f in p.findings if f.type.value != "normalization"]
    assert finding.severity is Severity.INFO and "possibly an OCR misreading" in finding.message
    assert "confidence 62 of 100" in finding.message
    assert doubted.passages[0].verdict.value == "faithful"

    sure = compare_texts(document, [make_text(misread, path="typed.txt", id="typed")])
    (blamed,) = [f for p in sure.passages for f in p.findings if f.type.value != "normalization"]
    assert blamed.severity is not Severity.INFO and "OCR" not in blamed.message
    elsewhere = compare_texts(document, [_scanned_source(misread, "storm", 50.0)])  # type: ignore[list-item]
    (kept,) = [f for p in elsewhere.passages for f in p.findings if f.type.value != "normalization"]
    assert kept.severity is blamed.severity and "OCR" not in kept.message


def test_a_blank_page_of_a_text_pdf_without_tesseract_is_a_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    from provenance.load.pdf import PDF_READER

    def no_tesseract(*_args: object) -> list[object]:
        raise InputError(ocr._INSTALL)

    monkeypatch.setattr(ocr, "read_page", no_tesseract)
    if not FONT.exists():
        pytest.skip("DejaVuSans is not installed")
    doc = fpdf.FPDF()
    doc.add_font("dv", fname=str(FONT))
    doc.set_font("dv", size=11)
    doc.add_page()
    doc.multi_cell(0, 6, _letter().split("\n\n")[0])
    doc.add_page()  # blank
    got = PDF_READER.read(bytes(doc.output()), "source 'x.pdf'")
    assert "Your Excellency" in got.text or got.text.strip()
    assert any(w.startswith("page 2 has no text layer and was not read") for w in got.warnings)
    only_blank = fpdf.FPDF()
    only_blank.add_page()
    with pytest.raises(InputError, match="no page has a text layer"):
        PDF_READER.read(bytes(only_blank.output()), "source 'scan.pdf'")
