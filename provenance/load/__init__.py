"""Load: read any supported file (plain text, web page, e-mail, PDF, Word, RTF, captions, scan)
into a `Text` with a map back to the original.

`load_text` reads the bytes (a file or standard input, within the size limit), lets
`provenance.load.formats` choose the reader (by content, then extension; `format_in` overrides)
and builds the `Text` the comparator reads. A plain-text file is decoded exactly as before, its
positions its own lines; any other format keeps its `Extracted` as the text's `origin`, so that a
report can give each position in the original's terms and name the format and extractor.
"""

from __future__ import annotations

from pathlib import Path

from provenance.decode import read_file_bytes, read_standard_input
from provenance.errors import InputError
from provenance.load.base import Extracted
from provenance.load.formats import choose_reader, refuse_unsupported
from provenance.text import DEFAULT_MAX_BYTES, Text, make_text, text_from_bytes

__all__ = ["load_text", "text_of_bytes"]


def load_text(path: str | Path, *, id: str | None = None, role: str = "file", max_bytes: int = DEFAULT_MAX_BYTES,
              allow_empty: bool = False, format_in: str | None = None) -> Text:
    """Read a file (`-`: standard input) of any supported format into a `Text`; every problem is
    one `InputError` line."""
    if str(path) == "-":
        label = f"{role} from standard input"
        data = read_standard_input(label, max_bytes)
        return text_of_bytes(data, label, path="-", id=id or "stdin", allow_empty=allow_empty, format_in=format_in)
    label = f"{role} {str(path)!r}" if role else repr(str(path))
    data = read_file_bytes(Path(path), label, max_bytes)
    return text_of_bytes(data, label, path=str(path), id=id or Path(path).stem, allow_empty=allow_empty,
                         format_in=format_in)


def text_of_bytes(data: bytes, label: str, *, path: str, id: str, allow_empty: bool = False,
                  format_in: str | None = None) -> Text:
    """A `Text` from the bytes of a file of any supported format, read by the reader `formats` chooses."""
    reader = choose_reader(data, path, format_in)
    if reader.format == "text":
        if not format_in:
            refuse_unsupported(data, label)
        return text_from_bytes(data, label, path=path, id=id, allow_empty=allow_empty)
    if not data.strip():
        raise InputError(f"{label}: is empty")
    return _text_of_extracted(reader.read(data, label), data, label, path=path, id=id, allow_empty=allow_empty)


def _text_of_extracted(extracted: Extracted, data: bytes, label: str, *, path: str, id: str,
                       allow_empty: bool) -> Text:
    text = make_text(extracted.text, path=path, id=id, encoding=extracted.encoding, data=data, origin=extracted)
    if not text.tokens.keys and not allow_empty:
        raise InputError(f"{label}: holds no words ({extracted.format} read by {extracted.extractor})")
    return text
