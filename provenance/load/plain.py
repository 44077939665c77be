"""Load: a plain-text file (Markdown included), decoded by `provenance.decode`; its positions are its own lines."""

from __future__ import annotations

from provenance.decode import decode
from provenance.load.base import Extracted, Reader


def read_plain(data: bytes, label: str) -> Extracted:
    """The decoded text, as it stands: no map, the report counts the file's own lines."""
    text, encoding = decode(data, label)
    return Extracted(text=text, format="text", extractor="provenance", encoding=encoding)


def sniff_plain(data: bytes) -> bool:
    """Plain text is what is left when no other reader claims the bytes: never chosen by content."""
    return False


TEXT_READER = Reader(format="text", extensions=(".txt", ".md", ".markdown", ".text", ".rst", ""),
                     sniff=sniff_plain, read=read_plain, description="plain text or Markdown, any common encoding")
