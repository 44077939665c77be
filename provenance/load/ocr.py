"""Read a scan by OCR: an image file (PNG, JPEG, TIFF with its pages, WebP, BMP, GIF), or a PDF
page without a text layer, through Tesseract (`pytesseract`; Pillow opens the image).

Tesseract gives every word with its block, paragraph and line and its confidence; the words of
a line are joined by single spaces, a paragraph starts where Tesseract's paragraph changes, and
`provenance.load.layout` joins the lines as for a PDF (running headers and footers out,
hyphenations rejoined, wrapped lines joined). Words read with a confidence under
`UNSURE_BELOW` are kept in `Extracted.low_confidence`, so that a report can say a difference
there may be the scan's, not the transcriber's.

The language is English unless `PROVENANCE_OCR_LANG` names others as Tesseract does
(`eng+fra`); each needs its Tesseract data (`apt install tesseract-ocr-fra`). A PDF page is
rendered at `DPI` dots per inch, the resolution Tesseract is trained for.

Where it can fail: a scan under about 200 dpi, or skewed, or of a typewriter's faint letters,
gives misread words that come out as transcription slips; two columns may be read across;
handwriting is not read.
"""

from __future__ import annotations

import io
import os
from functools import cache
from typing import Any

from provenance.errors import InputError
from provenance.load.base import Extracted, Reader
from provenance.load.layout import Line, Row, join, page_lines, strip_furniture

DPI = 300
UNSURE_BELOW = 80.0
"""A word Tesseract gives less than this confidence (0..100) is recorded as unsure (clean print
at 300 dpi reads at 90 and over; a misread word often at 70 to 80)."""
_WORD_FIXES = {"|": "I"}
"""Whole words Tesseract is known to misread in running text: a capital I read as a bar."""

IMAGE_MAGIC = {
    b"\x89PNG\r\n\x1a\n": "PNG",
    b"\xff\xd8\xff": "JPEG",
    b"II*\x00": "TIFF",
    b"MM\x00*": "TIFF",
    b"GIF87a": "GIF",
    b"GIF89a": "GIF",
    b"BM": "BMP",
}
_INSTALL = ("reading a scan needs Tesseract OCR: install the program (Debian/Ubuntu: apt install "
            "tesseract-ocr tesseract-ocr-eng; macOS: brew install tesseract)")


def sniff(data: bytes) -> bool:
    """An image by its magic bytes (WebP: a RIFF file of type WEBP)."""
    return any(data.startswith(m) for m in IMAGE_MAGIC) or (data[:4] == b"RIFF" and data[8:12] == b"WEBP")


def missing(exc: InputError) -> bool:
    """Whether an error of this module says that Tesseract or pytesseract is not installed."""
    return _INSTALL in exc.message


def _tesseract() -> Any:
    try:
        import pytesseract
    except ImportError:
        raise InputError(_INSTALL + " and the Python package: pip install pytesseract") from None
    return pytesseract


def language() -> str:
    """The Tesseract language(s) used: `PROVENANCE_OCR_LANG`, else English."""
    return os.environ.get("PROVENANCE_OCR_LANG", "").strip() or "eng"


@cache
def version() -> str:
    """`tesseract 5.3.0`, for reports; an `InputError` naming what to install when it is missing."""
    tess = _tesseract()
    try:
        return f"tesseract {tess.get_tesseract_version()}"
    except tess.TesseractNotFoundError:
        raise InputError(_INSTALL) from None


def otsu_threshold(histogram: list[int]) -> int:
    """The grey level that best splits a 256-level histogram into ink and paper (Otsu's method:
    the split with the largest variance between the two classes)."""
    total = sum(histogram)
    weighted = sum(i * n for i, n in enumerate(histogram))
    below = below_weighted = 0
    best, level = -1.0, 127
    for i, n in enumerate(histogram):
        below += n
        below_weighted += i * n
        if not below or below == total:
            continue
        dark, light = below_weighted / below, (weighted - below_weighted) / (total - below)
        spread = below * (total - below) * (dark - light) ** 2
        if spread > best:
            best, level = spread, i
    return level


def binarise(image: Any) -> Any:
    """The page in black and white at its own Otsu threshold: anti-aliased or grey print reads
    with fewer misread letters than in greys."""
    grey = image.convert("L")
    level = otsu_threshold(grey.histogram())
    return grey.point(lambda v: 255 if v > level else 0)


def _lines(image: Any, page: int, label: str) -> list[Line]:
    """The lines Tesseract reads on one page image."""
    tess = _tesseract()
    version()
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # Tesseract's threads slow it down tenfold on a busy machine
    try:
        data = tess.image_to_data(binarise(image), lang=language(), output_type=tess.Output.DICT)
    except tess.TesseractError as err:
        message = " ".join(str(err.message if hasattr(err, "message") else err).split())
        raise InputError(f"{label}: OCR failed on page {page} ({message[:200]})") from None
    rows: list[Row] = []
    breaks: set[int] = set()
    key: tuple[int, int, int] | None = None
    words: list[tuple[str, float]] = []
    top = 0.0

    def close() -> None:
        if not words:
            return
        text = ""
        unsure: list[tuple[int, int, float]] = []
        for word, conf in words:
            if text:
                text += " "
            if 0 <= conf < UNSURE_BELOW:
                unsure.append((len(text), len(text) + len(word), conf))
            text += word
        rows.append(Row(top, text, tuple(unsure)))

    for i, raw in enumerate(data["text"]):
        word = " ".join(str(raw).split())
        if not word:
            continue
        word = _WORD_FIXES.get(word, word)
        here = (int(data["block_num"][i]), int(data["par_num"][i]), int(data["line_num"][i]))
        if here != key:
            close()
            if key is None or here[:2] != key[:2]:
                breaks.add(len(rows))
            key, words, top = here, [], float(data["top"][i])
        words.append((word, float(data["conf"][i])))
    close()
    return page_lines(rows, page, breaks=breaks)


def read_page(page: Any, number: int, label: str) -> list[Line]:
    """The lines of a PDF page (a pypdfium2 page) that has no text layer, rendered and OCR'd."""
    image = page.render(scale=DPI / 72).to_pil()
    return _lines(image, number, label)


def read(data: bytes, label: str) -> Extracted:
    """Read an image file (every frame of a TIFF or GIF a page) by OCR into `Extracted`."""
    from PIL import Image, ImageSequence, UnidentifiedImageError

    what = next((name for magic, name in IMAGE_MAGIC.items() if data.startswith(magic)), "WebP")
    try:
        image = Image.open(io.BytesIO(data))
        frames = [frame.copy() for frame in ImageSequence.Iterator(image)]
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise InputError(f"{label}: this is a {what} image that cannot be read: it is damaged or cut short") from None
    pages = [_lines(frame, n, label) for n, frame in enumerate(frames, start=1)]
    lines, removed = strip_furniture(pages)
    if not lines:
        raise InputError(f"{label}: OCR found no words in this {what} image")
    text, places, unsure = join(lines)
    info = image.info
    dpi = info.get("dpi")
    warnings = ["read by OCR: check its words against the scan"]
    if isinstance(dpi, tuple) and dpi and 0 < float(dpi[0]) < 200:
        warnings.append(f"the scan is {float(dpi[0]):.0f} dpi: under 200 dpi OCR misreads more words")
    metadata = (("image", f"{what} {image.width}x{image.height}, {len(frames)} page(s)"),
                ("ocr_language", language()))
    return Extracted(text=text, format="image", extractor=version(), places=places, removed=tuple(removed),
                     ocr=True, low_confidence=unsure, metadata=metadata, warnings=tuple(warnings))


IMAGE_READER = Reader(format="image", extensions=(".png", ".jpg", ".jpeg", ".tif", ".tiff", ".webp", ".bmp", ".gif"),
                      sniff=sniff, read=read, description="a scan read by OCR (Tesseract)")
