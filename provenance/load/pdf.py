"""Read a PDF: per page, its lines in reading order from the text layer; a page without one read
by OCR (`provenance.load.ocr`) when Tesseract is installed.

Library: pypdfium2 (PDFium, the PDF engine of Chromium, with its own wheels). It gives each
page's text in reading order with its line breaks, and each character's box, from which the top
of each line is taken for the paragraph gaps. It replaced pypdf, whose text extraction in pure
Python took 28.5 s for a 300-page letter where PDFium takes under a second
(`python benchmarks/load_formats.py`), with the same text.

PDFium marks a hyphen it takes for a line-end hyphenation with U+FFFE instead of ending the
line; the line is ended there with its hyphen, and `provenance.load.layout` decides, by the same
rule as for every laid-out page, whether the word is rejoined. The rest of the clean-up
(ligatures, paragraphs, running headers and footers, wrapped lines) is `provenance.load.layout`.
"""

from __future__ import annotations

from provenance.errors import InputError
from provenance.load.base import Extracted, Reader
from provenance.load.layout import Line, Row, join, page_lines, strip_furniture

_SOFT_HYPHEN = "\ufffe"
_SAMPLE = 12
"""Characters of a line whose boxes give its top: enough to reach a capital or an ascender."""


def sniff(data: bytes) -> bool:
    """A PDF begins with `%PDF-`."""
    return data.startswith(b"%PDF-")


def _rows(textpage: object, height: float) -> list[Row]:
    """(top, text) of each line of a page, top first, as PDFium gives them."""
    text: str = textpage.get_text_range()  # type: ignore[attr-defined]
    count: int = textpage.count_chars()  # type: ignore[attr-defined]
    rows: list[Row] = []
    index = 0
    for raw in text.replace("\r\n", "\n").split("\n"):
        pieces = raw.split(_SOFT_HYPHEN)
        for k, piece in enumerate(pieces):
            top = 0.0
            for i in range(index, min(index + min(len(piece), _SAMPLE), count)):
                if not piece[i - index].isspace():
                    top = max(top, float(textpage.get_charbox(i)[3]))  # type: ignore[attr-defined]
            shown = piece + ("-" if k < len(pieces) - 1 else "")
            rows.append(Row(height - top, shown))
            index += len(piece) + 1
        index += 1
    return rows


def _open(data: bytes, label: str) -> object:
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(data)
        _ = len(doc)
    except pdfium.PdfiumError as err:
        if "password" in str(err).lower():
            raise InputError(f"{label}: the PDF is encrypted and needs a password, so it cannot be read") from None
        raise InputError(f"{label}: not a readable PDF ({err})") from None
    return doc


def version() -> str:
    """The extractor's name and version, for reports."""
    from importlib.metadata import version as installed

    return f"pypdfium2 {installed('pypdfium2')}"


def read(data: bytes, label: str) -> Extracted:
    """Read a PDF's text into `Extracted`, one place per line (page and line on the page)."""
    import pypdfium2 as pdfium

    doc = _open(data, label)
    pages: list[list[Line]] = []
    warnings: list[str] = []
    scanned: list[int] = []
    blank: list[int] = []  # pages not read: no text layer, and no OCR installed
    no_ocr = ""  # what to install, when a page needed OCR and it was missing
    try:
        for n in range(1, len(doc) + 1):  # type: ignore[arg-type]
            page = doc[n - 1]  # type: ignore[index]
            rows = _rows(page.get_textpage(), float(page.get_height()))
            if any(r.text.strip() for r in rows):
                pages.append(page_lines(rows, n))
                continue
            from provenance.load import ocr

            try:
                lines = ocr.read_page(page, n, label)
            except InputError as exc:
                if not ocr.missing(exc):
                    raise
                blank.append(n)
                no_ocr = exc.message
                lines = []
                warnings.append(f"page {n} has no text layer and was not read: {exc.message}")
            if lines:
                scanned.append(n)
                pages.append(lines)
            else:
                if n not in blank:
                    warnings.append(f"page {n} has no text layer and OCR found no words on it")
                pages.append([])
    except pdfium.PdfiumError as err:
        raise InputError(f"{label}: the PDF is damaged ({err})") from None
    finally:
        doc.close()  # type: ignore[attr-defined]
    lines, removed = strip_furniture(pages)
    if not lines and blank:
        raise InputError(f"{label}: no page has a text layer, and {no_ocr}")
    text, places, unsure = join(lines)
    extractor = version()
    if scanned:
        from provenance.load import ocr

        extractor += f", {ocr.version()}"
        warnings.append(f"{_pages(scanned)} read by OCR (no text layer): check its words against the scan")
    return Extracted(text=text, format="pdf", extractor=extractor, places=places, removed=tuple(removed),
                     warnings=tuple(warnings), ocr=bool(scanned), low_confidence=unsure)


def _pages(numbers: list[int]) -> str:
    if len(numbers) == 1:
        return f"page {numbers[0]}"
    return f"{len(numbers)} pages ({', '.join(map(str, numbers[:10]))}{', …' if len(numbers) > 10 else ''})"


PDF_READER = Reader(format="pdf", extensions=(".pdf",), sniff=sniff, read=read,
                    description="PDF; pages without a text layer by OCR (pypdfium2, Tesseract)")
