"""Load: read any supported file (plain text, web page, e-mail, PDF, Word, RTF, captions, scan)
into a `Text` with a map back to the original.

`load_text` reads the bytes (a file or standard input, within the size limit), lets
`provenance.load.formats` choose the reader (by content, then extension; `format_in` overrides)
and builds the `Text` the comparator reads. A plain-text file is decoded exactly as before, its
positions its own lines; any other format keeps its `Extracted` as the text's `origin`, so that a
report can give each position in the original's terms and name the format and extractor.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from provenance.decode import read_file_bytes, read_standard_input
from provenance.errors import InputError
from provenance.load.base import Extracted
from provenance.load.formats import choose_reader, refuse_unsupported
from provenance.text import DEFAULT_MAX_BYTES, Text, make_text, text_from_bytes

__all__ = ["load_source", "load_text", "text_of_bytes"]


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


DEFAULT_CACHE = Path(".provenance") / "sources"
"""Where URL sources are pinned when no cache folder is named: beside the working directory."""


def load_source(spec: str | Path, *, role: str = "source", max_bytes: int = DEFAULT_MAX_BYTES,
                allow_empty: bool = False, format_in: str | None = None, cache: Path | None = None,
                refresh: bool = False, fail_on_change: bool = False) -> Text:
    """A source named by a path or by an `http(s)://` URL. A URL is read from its pinned copy
    (`provenance.load.fetch`: fetched and pinned on first use, fetched again with `refresh`); the
    text's metadata gives the URL, when it was retrieved and the pinned sha256. A refresh that finds
    other bytes is a warning of the report, or with `fail_on_change` an `InputError` (the new copy
    is pinned all the same)."""
    from provenance.load.fetch import is_url, pin_source

    if not is_url(str(spec)):
        return load_text(spec, role=role, max_bytes=max_bytes, allow_empty=allow_empty, format_in=format_in)
    url = str(spec)
    pin = pin_source(url, cache=cache or DEFAULT_CACHE, refresh=refresh, max_bytes=max_bytes)
    changed = ""
    if pin.changed:
        changed = (f"source {url} changed since it was pinned (sha256 {(pin.previous_sha256 or '')[:12]}… → "
                   f"{pin.sha256[:12]}…); the copy retrieved {pin.retrieved} is pinned now")
        if fail_on_change:
            raise InputError(changed + ": check again to compare against it")
    data = pin.path.read_bytes()
    text = text_of_bytes(data, f"{role} {url}", path=url, id=_id_of_url(pin.final_url or url),
                         allow_empty=allow_empty, format_in=format_in)
    about = (("url", url), ("retrieved", pin.retrieved), ("pinned_sha256", pin.sha256))
    origin = text.origin or Extracted(text=text.original, format="text", extractor="provenance",
                                      encoding=text.encoding)
    origin = replace(origin, metadata=(*origin.metadata, *about),
                     warnings=(*origin.warnings, *((changed,) if changed else ())))
    return replace(text, origin=origin)


def _id_of_url(url: str) -> str:
    """A source id from a URL: its last path segment without extension, else its host."""
    parts = urlsplit(url)
    last = PurePosixPath(parts.path).stem
    return last or parts.hostname or "source"
