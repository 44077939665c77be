"""RTF reader (striprtf): each `\\par` a paragraph, paragraphs separated by a blank line.

striprtf decodes `\\'92` (the document's code page), `\\u8217?` and the named punctuation
(`\\emdash`, `\\ldblquote`); the tests check it on each. It turns `\\par` and `\\line` both into a
newline, so `\\line` is first rewritten to U+2028 and comes back as a line break inside its
paragraph. Empty paragraphs (`\\par\\par`) are skipped; places are paragraph numbers counting them.
"""

from __future__ import annotations

import re
from importlib.metadata import version

from provenance.errors import InputError
from provenance.load.base import Extracted, Place, Reader

_LINE = re.compile(r"\\line(?![a-z])")


def sniff(data: bytes) -> bool:
    """Starts with `{\\rtf`."""
    return data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{\\rtf")


def read(data: bytes, label: str) -> Extracted:
    """Read an RTF file into paragraphs."""
    from striprtf.striprtf import rtf_to_text

    if not sniff(data):
        raise InputError(f"{label}: not an RTF file (it does not start with {{\\rtf)")
    source = data.decode("latin-1")  # RTF is 7-bit; 8-bit bytes come through as \' escapes
    try:
        plain = rtf_to_text(_LINE.sub(r"\\u8232?", source), errors="replace")  # type: ignore[no-untyped-call]
    except Exception as exc:  # striprtf has no error type of its own
        raise InputError(f"{label}: not a readable RTF file ({type(exc).__name__})") from None
    pieces: list[str] = []
    places: list[Place] = []
    offset = 0
    for number, paragraph in enumerate(plain.split("\n"), start=1):
        lines = [" ".join(line.split()) for line in paragraph.split("\u2028")]
        text = "\n".join(line for line in lines if line)
        if not text:
            continue
        places.append(Place(offset, paragraph=number))
        pieces.append(text)
        offset += len(text) + 2
    if not pieces:
        raise InputError(f"{label}: the RTF file holds no text")
    return Extracted(text="\n\n".join(pieces) + "\n", format="rtf", extractor=f"striprtf {version('striprtf')}",
                     places=tuple(places))


RTF_READER = Reader(format="rtf", extensions=(".rtf",), sniff=sniff, read=read,
                    description="Rich Text Format (striprtf)")
