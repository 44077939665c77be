"""Decode: the bytes of a file (or of standard input) read within a size limit and turned into a string.

Byte-order marks name UTF-8, UTF-16 and UTF-32; otherwise the bytes are tried as UTF-8, then as
UTF-8 with stray Windows-1252 bytes or lines (`_utf8_with_cp1252` says when), then given to a
charset detector that is nudged towards the Western code pages on near ties. Known binary
formats and text holding binary control characters are refused. Every problem is one `InputError` line.
"""

from __future__ import annotations

import codecs
import os
import re
import sys
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from provenance.errors import ConfigError, InputError, ProvenanceError

if TYPE_CHECKING:
    from charset_normalizer.models import CharsetMatch

DEFAULT_MAX_BYTES = 32 * 1024 * 1024
"""Files larger than this are refused unless the caller raises the limit (`--max-bytes`).

A comparison holds 45 to 75 bytes of memory per byte of input (the text, its words' offsets and
keys, the document's n-grams, the alignment): a 40 MB document peaked at 2.9 GB, so a 200 MB one
would need about 14 GB. 32 MiB (seven times the King James Bible) keeps a run under about 2.5 GB;
a larger file is refused before it is read."""

BINARY_MAGIC = {
    b"%PDF-": "a PDF file",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"PK\x03\x04": "a ZIP archive (or an office document)",
    b"\x7fELF": "an executable",
    b"\x1f\x8b": "a gzip archive",
}
"""Starts of binary files no text file has, and what each is: a file read as text that starts so is refused."""
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def utf8_without_bom(data: bytes, path: Path, kind: str, error: type[ProvenanceError] = ConfigError) -> bytes:
    """The bytes of a manifest or a baseline as UTF-8 without a byte-order mark: a UTF-8 mark (as Notepad
    writes) is dropped, a UTF-16 or UTF-32 file with its mark is re-encoded; a file that is not what its
    mark says is one `error` line."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            if encoding == "utf-8":
                return data[len(bom):]
            family = encoding[:6].upper()  # UTF-16 or UTF-32, as people name them
            try:
                return data[len(bom):].decode(encoding).encode("utf-8")
            except UnicodeDecodeError as exc:
                raise error(f"{path}: not a {kind}: it starts with a {family} byte-order mark but is not "
                            f"{family} ({exc.reason} at byte {exc.start + len(bom)})") from None
    return data
_WESTERN = ("cp1252", "latin_1", "iso8859_15")


_ESCAPED_RE = re.compile("[\udc80-\udcff]+")
"""Bytes that are not UTF-8, as `surrogateescape` keeps them (one lone surrogate each)."""
_UTF8_CHAR_RE = re.compile("[^\x00-\x7f\udc80-\udcff]")
_UTF8_PUNCTUATION_RE = re.compile("[\u2000-\u206f\u20ac]")
"""What UTF-8 writes as E2 80-82 xx (curly quotes, dashes, ellipsis, euro): read in a single-byte
code page those bytes are `â€œ`, `вЃ`, `β€`, never text, so they are UTF-8 for sure."""
_UTF8_LATIN_RE = re.compile("[\u00c0-\u017f]")
"""Accented Latin letters, UTF-8 C3-C5 xx: `Ã©` in Windows-1252, but `Ді` in Windows-1251."""
_STRAY_PER_LATIN = 20
"""Bytes not UTF-8 that one valid UTF-8 accented letter vouches for: a Windows-1252 file has a
valid pair only by accident (`Å”`), among many accented letters that are not."""
_STRAY_SHARE = 0.3
"""At most this share of the characters may be stray bytes: Windows-1252 pasted into UTF-8 is
Western text, mostly ASCII; a Cyrillic or Greek code page is mostly high bytes."""


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
    mixed = _utf8_with_cp1252(data) if utf8 is None else None
    if mixed is not None and (not has_nul or _few_controls(mixed)):
        return _check_controls(mixed, name), "utf-8+cp1252"
    text, encoding = _detect_encoding(data, name)
    return _check_controls(text, name), codecs.lookup(encoding).name


def _refuse_known_binary(data: bytes, name: str) -> None:
    """Refuse bytes that start like a known binary format (PDF, images, archives, executables)."""
    for magic, what in BINARY_MAGIC.items():
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


def _utf8_with_cp1252(data: bytes) -> str | None:
    """Invalid UTF-8 read as UTF-8 where it is valid and as Windows-1252 where it is not, when
    that is what it is (a curly quote or a few lines pasted from an old editor); else None.

    The rule: every byte that is not UTF-8 is a Windows-1252 character (none of its five
    undefined bytes), and valid multi-byte UTF-8 vouches for them: any General Punctuation or
    euro sign (never text in a single-byte code page), or accented Latin letters, one for every
    `_STRAY_PER_LATIN` stray bytes, or any non-ASCII character for at most a few stray bytes (one
    in a thousand, or three). Stray bytes above `_STRAY_SHARE` of the text are another code page.
    Each stray byte becomes one character, so offsets count the text as read."""
    escaped = data.decode("utf-8", errors="surrogateescape")
    runs = list(_ESCAPED_RE.finditer(escaped))
    stray = sum(m.end() - m.start() for m in runs)
    if stray > _STRAY_SHARE * len(escaped) or _UTF8_CHAR_RE.search(escaped) is None:
        return None
    if (stray > max(3, len(data) // 1000) and _UTF8_PUNCTUATION_RE.search(escaped) is None
            and len(_UTF8_LATIN_RE.findall(escaped)) * _STRAY_PER_LATIN < stray):
        return None
    parts: list[str] = []
    pos = 0
    for m in runs:
        try:
            stray_text = m.group().encode("utf-8", errors="surrogateescape").decode("cp1252")
        except UnicodeDecodeError:
            return None  # 81, 8D, 8F, 90 or 9D: no Windows-1252
        parts += (escaped[pos:m.start()], stray_text)
        pos = m.end()
    parts.append(escaped[pos:])
    return "".join(parts)


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
    western = next((m for m in results if m.encoding in _WESTERN and _near_tie(m, best)), None)
    return western or best


def _near_tie(match: CharsetMatch, best: CharsetMatch) -> bool:
    """Whether `match` is about as good a guess as `best`: close on both the detector's measures,
    or as coherent (the language models cannot tell the two apart) and a little more chaotic
    (`Très bien, déjà vu, “élite”` is Baltic `Trčs bien, déją vu` by 0.17 of chaos)."""
    if match.coherence >= best.coherence:
        return match.chaos <= best.chaos + 0.2
    return match.chaos <= best.chaos + 0.15 and match.coherence >= best.coherence - 0.1


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
