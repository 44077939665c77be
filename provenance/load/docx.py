"""DOCX reader (python-docx): body paragraphs, then table cells, then footnotes.

Tables come after the body (python-docx lists them apart from paragraphs), each cell's paragraphs
in row order; footnotes after the tables, separator footnotes skipped. A paragraph's text is read
from its XML, so a word split over runs comes back whole; `w:noBreakHyphen` is "-", `w:softHyphen`
is dropped, `w:tab` is a space and `w:br` a newline.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator
from typing import Any

from provenance.errors import InputError
from provenance.load.base import Extracted, Place, QuoteMark, Reader
from provenance.model import Span

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
QUOTE_STYLES = ("quote", "intense quote", "block text")


def sniff(data: bytes) -> bool:
    """A zip holding `word/document.xml`."""
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def _piece(element: Any) -> str:
    tag = element.tag
    if tag == W + "t":
        return str(element.text or "")
    if tag == W + "noBreakHyphen":
        return "-"
    if tag == W + "tab":
        return " "
    if tag in (W + "br", W + "cr"):
        return "\n"
    return ""


def paragraph_text(p_element: Any) -> str:
    """The text of one `w:p` element, runs joined without spaces."""
    text = "".join(_piece(e) for e in p_element.iter())
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def _style_name(paragraph: Any) -> str:
    try:
        return str(paragraph.style.name or "")
    except (AttributeError, KeyError, ValueError):
        return ""


def _table_paragraphs(tables: Iterable[Any]) -> Iterator[Any]:
    for table in tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs
                yield from _table_paragraphs(cell.tables)


def _footnotes(package: Any) -> list[tuple[str, str]]:
    for part in package.parts:
        if str(part.partname) == "/word/footnotes.xml":
            from docx.oxml import parse_xml

            root = parse_xml(part.blob)
            notes = []
            for note in root.iter(W + "footnote"):
                if note.get(W + "type") in ("separator", "continuationSeparator", "continuationNotice"):
                    continue
                text = "\n".join(t for t in (paragraph_text(p) for p in note.iter(W + "p")) if t)
                if text:
                    notes.append((str(note.get(W + "id")), text))
            return notes
    return []


def _metadata(document: Any) -> tuple[tuple[str, str], ...]:
    core = document.core_properties
    pairs = [("title", core.title), ("author", core.author), ("created", core.created)]
    return tuple((k, v.isoformat() if hasattr(v, "isoformat") else str(v)) for k, v in pairs if v)


def _open(data: bytes, label: str) -> Any:
    try:
        import docx
    except ImportError:  # pragma: no cover - a declared dependency
        raise InputError(f"{label}: reading DOCX needs python-docx (pip install python-docx)") from None
    try:
        return docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds on a broken package
        raise InputError(f"{label}: not a readable DOCX file ({type(exc).__name__})") from None


def read(data: bytes, label: str) -> Extracted:
    """Read a DOCX file; paragraphs separated by a blank line."""
    import docx

    document = _open(data, label)
    chunks: list[tuple[str, str | None, bool]] = []
    for paragraph in [*document.paragraphs, *_table_paragraphs(document.tables)]:
        chunks.append((paragraph_text(paragraph._p), None, _style_name(paragraph).lower() in QUOTE_STYLES))
    chunks += [(text, f"footnote {n}", False) for n, text in _footnotes(document.part.package)]
    pieces, places, quotes, offset = [], [], [], 0
    for number, (text, part, quoted) in enumerate(chunks, start=1):
        if not text:
            continue
        places.append(Place(offset, paragraph=number, part=part))
        if quoted:
            quotes.append(QuoteMark("blockquote", Span(offset, offset + len(text))))
        pieces.append(text)
        offset += len(text) + 2
    if not pieces:
        raise InputError(f"{label}: the DOCX file holds no text")
    return Extracted(text="\n\n".join(pieces) + "\n", format="docx",
                     extractor=f"python-docx {docx.__version__}", places=tuple(places),
                     quotes=tuple(quotes), metadata=_metadata(document))


DOCX_READER = Reader(format="docx", extensions=(".docx",), sniff=sniff, read=read,
                     description="Word documents (python-docx): body, tables, footnotes")
