"""Decode: the bytes of a file (or of standard input) read within a size limit and turned into a string.

Byte-order marks name UTF-8, UTF-16 and UTF-32; otherwise the bytes are tried as UTF-8, then as
UTF-8 with a few stray Windows-1252 bytes, then given to a charset detector that is nudged
towards the Western code pages on near ties. Known binary formats and text holding binary
control characters are refused. Every problem is one `InputError` line.
"""

from __future__ import annotations

import codecs
import os
import re
import sys
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from provenance.errors import InputError

if TYPE_CHECKING:
    from charset_normalizer.models import CharsetMatch

DEFAULT_MAX_BYTES = 32 * 1024 * 1024
"""Files larger than this are refused unless the caller raises the limit (`--max-bytes`).

A comparison holds 45 to 75 bytes of memory per byte of input (the text, its words' offsets and
keys, the document's n-grams, the alignment): a 40 MB document peaked at 2.9 GB, so a 200 MB one
would need about 14 GB. 32 MiB (seven times the King James Bible) keeps a run under about 2.5 GB;
a larger file is refused before it is read."""

_BINARY_MAGIC = {
    b"%PDF-": "a PDF file",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"PK\x03\x04": "a ZIP archive (or an office document)",
    b"\x7fELF": "an executable",
    b"\x1f\x8b": "a gzip archive",
}
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_WESTERN = ("cp1252", "latin_1", "iso8859_15")


def _cp1252_bytes(exc: UnicodeError) -> tuple[str, int]:
    """Decoding error handler: read the bytes that are not UTF-8 as Windows-1252."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return exc.object[exc.start:exc.end].decode("cp1252", errors="replace"), exc.end


codecs.register_error("provenance-cp1252", _cp1252_bytes)
# Binary control characters: C0 controls but tab, line feed, vertical tab (a manual line break in
# office exports), form feed and carriage return; and DEL.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def decode(data: bytes, name: str) -> tuple[str, str]:
    """Decode the bytes of a file, detecting the encoding; return the text and the encoding."""
    _refuse_known_binary(data, name)
    with_bom = _decode_with_bom(data, name)
    if with_bom is not None:
        return with_bom
    # UTF-8 is UTF-8, a stray NUL or two included (a text file with one NUL is text). With NUL
    # bytes that make it read as binary, it may be UTF-16 or UTF-32 without a mark (whose ASCII
    # and Cyrillic are valid UTF-8, `П` being 1F 04): the detector decides. Without NUL bytes it
    # is no UTF-16 (a space is 00 20), and too many control characters make it binary.
    has_nul = b"\x00" in data
    utf8 = _strict_utf8(data)
    if utf8 is not None and (not has_nul or _few_controls(utf8)):
        return _check_controls(utf8, name), "utf-8"
    if utf8 is None and _is_utf8_with_stray_bytes(data):
        text = data.decode("utf-8", errors="provenance-cp1252")
        if not has_nul or _few_controls(text):
            return _check_controls(text, name), "utf-8+cp1252"
    text, encoding = _detect_encoding(data, name)
    return _check_controls(text, name), codecs.lookup(encoding).name


def _refuse_known_binary(data: bytes, name: str) -> None:
    """Refuse bytes that start like a known binary format (PDF, images, archives, executables)."""
    for magic, what in _BINARY_MAGIC.items():
        if data.startswith(magic):
            raise InputError(f"{name}: this is {what}, not a text file")


def _decode_with_bom(data: bytes, name: str) -> tuple[str, str] | None:
    """The text and encoding named by a byte-order mark at the start of `data` (the mark left
    out), or None when there is none; bytes that break the encoding their mark names are refused.

    FF FE 00 00 is the UTF-32-LE mark, and also the UTF-16-LE one followed by a NUL character:
    bytes that are no UTF-32 are tried as UTF-16-LE before they are refused."""
    failure: tuple[str, int] | None = None
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding), encoding
            except UnicodeDecodeError as exc:
                failure = failure or (encoding, exc.start + len(bom))
    if failure is not None:
        raise InputError(f"{name}: not valid {failure[0]} despite its byte-order mark (byte {failure[1]})")
    return None


def _strict_utf8(data: bytes) -> str | None:
    """`data` decoded as UTF-8, or None if it is not valid UTF-8."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _is_utf8_with_stray_bytes(data: bytes) -> bool:
    """Whether invalid UTF-8 is UTF-8 apart from a few stray bytes, and not plain ASCII otherwise.

    UTF-8 with a few stray Windows-1252 bytes (a curly quote pasted from an old editor) is the
    commonest damage: when the rest is UTF-8, just those bytes are read as Windows-1252."""
    bad = data.decode("utf-8", errors="replace").count("\ufffd")
    return bad <= max(3, len(data) // 1000) and not data.decode("utf-8", errors="ignore").isascii()


def _detect_encoding(data: bytes, name: str) -> tuple[str, str]:
    """The text and encoding the charset detector finds for `data`, second-guessed towards
    Windows-1252 for Western text; bytes that fit no text encoding are refused."""
    from charset_normalizer import from_bytes

    results = list(from_bytes(data))
    if not results:
        bad = _first_bad_utf8(data)
        raise InputError(f"{name}: not a text file: not valid UTF-8 (byte {bad}) and no other "
                         "text encoding fits its bytes")
    chosen = _prefer_western(results)
    return _second_guess_western(data, str(chosen), chosen.encoding)


def _prefer_western(results: list[CharsetMatch]) -> CharsetMatch:
    """The detector's best guess, or a Western code page that nearly ties with it.

    On short texts the detector can hesitate between Western and Baltic or Central European
    code pages; Windows-1252 is by far the most common of them (WHATWG reads Latin-1 as it), so
    it wins any near tie."""
    best = results[0]
    western = next((m for m in results if m.encoding in _WESTERN and m.chaos <= best.chaos + 0.15
                    and m.coherence >= best.coherence - 0.1), None)
    return western or best


def _second_guess_western(data: bytes, text: str, encoding: str) -> tuple[str, str]:
    """The detected text and encoding, or Windows-1252 where the bytes read as Western text."""
    if encoding not in _WESTERN and not _latin_letters_only(text) and _reads_as_western(data):
        # On a short Western text (`Ça va? Très bien`) the detector can pick a Japanese or Arabic
        # code page, turning `é` into a letter of another script: Windows-1252 reads it as Latin.
        return data.decode("cp1252"), "cp1252"
    if encoding != "cp1252" and _reads_as_western(data) and data.decode("cp1252") == text:
        return text, "cp1252"  # the same text either way: name the code page it most likely is
    return text, encoding


def _latin_letters_only(text: str) -> bool:
    """Whether every letter of `text` is a Latin one."""
    return all(unicodedata.name(ch, "").startswith("LATIN") for ch in set(text) if not ch.isascii() and ch.isalpha())


def _reads_as_western(data: bytes) -> bool:
    """Whether the bytes read as Windows-1252 give mostly ASCII with Latin letters and common
    punctuation in between: what Western European text in that code page looks like."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return False
    if not _few_controls(text):
        return False  # UTF-16 without a mark (Cyrillic `П` is 1F 04) is no Western text
    high = [ch for ch in text if not ch.isascii()]
    if len(high) > 0.3 * len(text):
        return False
    return all(unicodedata.category(ch)[0] in "PSZ" or unicodedata.name(ch, "").startswith("LATIN") for ch in high)


_WINDOW = 65536


def _few_controls(text: str) -> bool:
    """Whether every stretch of `text` holds only a few binary control characters (a form feed, a
    stray escape or NUL): a text with binary data appended is not a text."""
    for start in range(0, len(text), _WINDOW):
        controls = len(_CONTROL_RE.findall(text, start, start + _WINDOW))
        if controls > max(2, min(_WINDOW, len(text) - start) // 200):
            return False
    return True


def _check_controls(text: str, name: str) -> str:
    """`text`, refused when it holds binary control characters (see `_few_controls`)."""
    if not _few_controls(text):
        raise InputError(f"{name}: not a text file (it holds binary control characters)")
    return text


def _first_bad_utf8(data: bytes) -> int:
    """Offset of the first byte that is not valid UTF-8, or -1 if all are."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start
    return -1


_CHUNK = 1 << 20


def read_bounded(stream: BinaryIO, limit: int, *, expected: int = 0) -> bytes:
    """At most `limit` + 1 bytes of a stream: one past the limit tells that it is passed.

    Never more than that in memory, even from a file that grows or lies about its size (/proc),
    and no buffer of the limit's size allocated up front (the limit may be huge)."""
    parts: list[bytes] = []
    total = 0
    want = min(limit + 1, expected + 1) if expected else min(limit + 1, _CHUNK)
    while total <= limit:
        part = stream.read(want)
        if not part:
            break
        parts.append(part)
        total += len(part)
        want = min(limit + 1 - total, _CHUNK)
        if want <= 0:
            break
    return b"".join(parts)


def _refuse_over_limit(data: bytes, label: str, max_bytes: int) -> None:
    """Refuse what was read when it passed the limit (`read_bounded` reads one byte past it)."""
    if len(data) > max_bytes:
        raise InputError(f"{label}: over the limit of {max_bytes:,} bytes", parameter="max_bytes")


def read_standard_input(label: str, max_bytes: int) -> bytes:
    """The bytes of standard input, refused (as `label`) past `max_bytes`."""
    data = read_bounded(sys.stdin.buffer, max_bytes)
    _refuse_over_limit(data, label, max_bytes)
    return data


def read_file_bytes(path: Path, label: str, max_bytes: int) -> bytes:
    """The bytes of a regular file, refused (as `label`) when missing, not a regular file,
    unreadable or over `max_bytes`; a file too large by its size is refused before it is read."""
    try:
        os.stat(path)
    except FileNotFoundError:
        raise InputError(f"{label}: no such file") from None
    except OSError as exc:  # a name too long, a loop of links, a folder that cannot be searched
        raise InputError(f"{label}: {(exc.strerror or str(exc)).lower()}") from None
    if path.is_dir():
        raise InputError(f"{label}: is a directory, not a file")
    if not path.is_file():
        raise InputError(f"{label}: not a regular file (a device, a pipe or a socket)")
    try:
        with open(path, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            if size > max_bytes:
                raise InputError(f"{label}: {size:,} bytes is over the limit of {max_bytes:,}",
                                 parameter="max_bytes")
            data = read_bounded(fh, max_bytes, expected=size)
        _refuse_over_limit(data, label, max_bytes)
    except PermissionError:
        raise InputError(f"{label}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{label}: cannot be read ({exc.strerror or exc})") from None
    return data
