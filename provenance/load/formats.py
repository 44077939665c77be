"""Load: which reader reads a file. By content first (magic bytes, markup, headers), then by the
file name's ending, then as plain text; `--format-in` (`format_in`) overrides both.

Each reader lives in its own module and is imported when first needed, so that a plain-text
comparison never loads a PDF library. A file that no reader takes and that is not text is
refused in one line naming what is supported.
"""

from __future__ import annotations

import importlib
from functools import cache
from pathlib import PurePath

from provenance.decode import BINARY_MAGIC
from provenance.errors import InputError, UsageError
from provenance.load.base import Reader

_READERS: tuple[tuple[str, str], ...] = (
    ("provenance.load.pdf", "PDF_READER"),
    ("provenance.load.docx", "DOCX_READER"),
    ("provenance.load.rtf", "RTF_READER"),
    ("provenance.load.captions", "VTT_READER"),
    ("provenance.load.captions", "SRT_READER"),
    ("provenance.load.email", "EMAIL_READER"),
    ("provenance.load.html", "HTML_READER"),
    ("provenance.load.ocr", "IMAGE_READER"),
    ("provenance.load.plain", "TEXT_READER"),
)
"""(module, attribute) of each reader, in the order their sniffers are tried; plain text is the fallback."""

_UNSUPPORTED_MAGIC = {
    **BINARY_MAGIC,
    b"\xd0\xcf\x11\xe0": "an old-style Office file (.doc, .xls)",
    b"%!PS": "a PostScript file",
    b"7z\xbc\xaf": "a 7-Zip archive",
    b"Rar!": "a RAR archive",
    b"MZ": "a Windows executable",
    b"ID3": "an MP3 file",
    b"OggS": "an Ogg media file",
    b"\x1aE\xdf\xa3": "a Matroska or WebM video",
}
"""What a file no reader took may be: the binaries `decode` refuses as text, and more that a
text file could start with by chance but that are refused here only when no reader claims them
(a PDF or a Word file never gets here: its reader's sniffer takes it first)."""


@cache
def readers() -> tuple[Reader, ...]:
    """Every reader, in the order their sniffers are tried."""
    return tuple(getattr(importlib.import_module(module), name) for module, name in _READERS)


def format_names() -> tuple[str, ...]:
    """The names `--format-in` accepts."""
    return tuple(r.format for r in readers())


def supported() -> str:
    """One phrase naming what can be read, for error messages."""
    return ", ".join(f"{r.format} ({r.description})" for r in readers())


def reader_named(name: str) -> Reader:
    """The reader of a `--format-in` name; an unknown name is a usage error naming the known ones."""
    for reader in readers():
        if reader.format == name.lower():
            return reader
    raise UsageError(f"unknown input format {name!r}: use one of {', '.join(format_names())}", parameter="format_in")


def choose_reader(data: bytes, name: str, format_in: str | None = None) -> Reader:
    """The reader for these bytes: `format_in`, else the first whose sniffer knows the content,
    else the one whose extension the name has, else plain text."""
    if format_in:
        return reader_named(format_in)
    everyone = readers()
    for reader in everyone:
        if reader.sniff(data):
            return reader
    suffix = "".join(PurePath(name).suffixes[-1:]).lower()
    for reader in everyone:
        if suffix and suffix in reader.extensions:
            return reader
    return next(r for r in everyone if r.format == "text")


def refuse_unsupported(data: bytes, label: str) -> None:
    """One line for a binary format no reader takes, naming the ones supported."""
    for magic, what in _UNSUPPORTED_MAGIC.items():
        if data.startswith(magic):
            names = ", ".join(format_names())
            raise InputError(f"{label}: this is {what}, which provenance does not read; it reads {names}",
                             parameter="format_in")
