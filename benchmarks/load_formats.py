"""Benchmark of the load stage: pages per second of the PDF, web-page and OCR readers, and the
time a 300-page PDF source takes to load (target: under 10 s here).

    python benchmarks/load_formats.py [--pages 300] [--ocr-pages 5] [--quick]

OCR needs the Tesseract program; where it is missing, that line says so.

The PDF is built here with fpdf2 from the example letter, repeated page after page with a
running header and page numbers; the web page is the example's saved page, `inputs/article.html`.
The baseline each figure is set beside is reading the same text as plain text.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LETTER = ROOT / "inputs" / "letter-2020-01-06.txt"
PAGE = ROOT / "inputs" / "article.html"


def _pdf(pages: int) -> bytes:
    """A PDF of `pages` pages of the letter, each with a running header and its number."""
    import fpdf

    class Doc(fpdf.FPDF):  # type: ignore[misc]
        def header(self) -> None:
            self.set_font("helvetica", size=9)
            self.cell(0, 8, "CJTF-OIR Official Correspondence", new_x="LMARGIN", new_y="NEXT")

        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("helvetica", size=9)
            self.cell(0, 8, str(self.page_no()), align="C")

    text = LETTER.read_text(encoding="utf-8").replace("\u2013", "-").replace("\u2019", "'")
    doc = Doc()
    doc.set_font("helvetica", size=10)
    for _ in range(pages):
        doc.add_page()
        doc.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
    return bytes(doc.output())


def _timed(read: object, data: bytes, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        read(data, "benchmark")  # type: ignore[operator]
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--ocr-pages", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="20 pages, one run, one page OCR'd: a smoke test")
    args = parser.parse_args()
    pages = 20 if args.quick else args.pages
    from provenance.load.html import read_html
    from provenance.load.pdf import PDF_READER
    from provenance.load.plain import read_plain

    pdf = _pdf(pages)
    extracted = PDF_READER.read(pdf, "benchmark")
    plain = extracted.text.encode("utf-8")
    pdf_s = _timed(PDF_READER.read, pdf, 1 if args.quick else 3)
    plain_s = _timed(read_plain, plain, 3)
    print(f"pdf: {pages} pages ({len(pdf):,} bytes) loaded in {pdf_s:.2f} s: {pages / pdf_s:.0f} pages/s "
          f"(target for 300 pages: under 10 s); {len(extracted.removed)} headers, footers and page numbers removed")
    print(f"pdf: the same text as plain text in {plain_s * 1000:.1f} ms: the PDF costs {pdf_s / plain_s:.0f}x")
    page = PAGE.read_bytes()
    html_s = _timed(read_html, page, 5)
    print(f"html: {PAGE.name} ({len(page):,} bytes) in {html_s * 1000:.1f} ms: {1 / html_s:.0f} pages/s")
    _ocr(pdf, 1 if args.quick else args.ocr_pages, pdf_s / pages)


def _ocr(pdf: bytes, pages: int, text_layer_s: float) -> None:
    """OCR pages per second: pages of the PDF rendered at 300 dpi and saved as one TIFF scan."""
    import io
    import shutil

    import pypdfium2 as pdfium

    from provenance.load import ocr

    if shutil.which("tesseract") is None:
        print("ocr: not measured: the Tesseract program is not installed")
        return
    doc = pdfium.PdfDocument(pdf)
    frames = [doc[i].render(scale=ocr.DPI / 72).to_pil().convert("L") for i in range(pages)]
    buf = io.BytesIO()
    frames[0].save(buf, format="TIFF", save_all=True, append_images=frames[1:], dpi=(ocr.DPI, ocr.DPI))
    ocr.version()
    ocr_s = _timed(ocr.read, buf.getvalue(), 1)
    print(f"ocr: {pages} scanned pages at {ocr.DPI} dpi in {ocr_s:.2f} s: {pages / ocr_s:.2f} pages/s "
          f"({ocr.version()}); a page's text layer reads {ocr_s / pages / text_layer_s:.0f}x faster")


if __name__ == "__main__":
    main()
