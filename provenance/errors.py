"""One exception hierarchy; only the CLI turns these into exit codes."""

from __future__ import annotations

import os
import stat
from pathlib import Path


class ProvenanceError(Exception):
    """An error the user can fix, carrying a one-line message.

    The message speaks in the library's terms. When the error is about one argument of the call,
    `parameter` names it as the library spells it (`max_bytes`, `sources`), so that a front end can
    point at its own spelling of it (the command line adds `--max-bytes`); the library never names a flag.
    """

    exit_code = 2

    def __init__(self, message: str, *, parameter: str | None = None) -> None:
        super().__init__(" ".join(message.split()))
        self.message = " ".join(message.split())
        self.parameter = parameter


class InputError(ProvenanceError):
    """A file that cannot be read as a text: missing, a directory, binary, empty, undecodable."""


class UsageError(ProvenanceError):
    """Arguments that do not make a comparison (no source, a bad option value)."""


class ConfigError(ProvenanceError):
    """A manifest or baseline that cannot be used: unreadable, not TOML/JSON, an unknown key, a wrong type."""


def config_error(path: object, exc: Exception) -> ConfigError:
    """A msgspec validation error (`… - at `$.documents[0].path``) as `FILE: documents[0].path: …`."""
    message, sep, at = str(exc).partition(" - at `$.")
    return ConfigError(f"{path}: {at.rstrip('`') + ': ' if sep else ''}{message}")


SMALL_FILE_LIMIT = 64 * 1024 * 1024
"""The most bytes read from a manifest, a baseline or a JSON report: far beyond any real one, far short
of what a mistyped path (a disk image, `/dev/zero`) would make the tool read."""


def read_named_file(path: Path, kind: str, error: type[ProvenanceError] = ConfigError, *,
                    limit: int = SMALL_FILE_LIMIT) -> bytes:
    """The bytes of a small file the user named (a manifest, a baseline, a report): a missing file, a
    directory, a device, a pipe, a file over `limit` bytes or a read error is one `error` line naming the
    file and what it should have been. Nothing is read from what is not a regular file, so a FIFO cannot
    hang the tool and a device cannot make it read without end."""
    path = Path(path)
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise error(f"{path}: no such {kind}") from None
    except OSError as exc:
        raise error(f"{path}: cannot read the {kind}: {exc.strerror or exc}") from None
    if stat.S_ISDIR(mode):
        raise error(f"{path}: is a directory, not a {kind}")
    if not stat.S_ISREG(mode):
        raise error(f"{path}: not a regular file (a device, a pipe or a socket), not a {kind}")
    try:
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise error(f"{path}: cannot read the {kind}: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise error(f"{path}: over {limit:,} bytes: too large for a {kind}")
    return data


def shown_name(name: str | Path) -> str:
    """A file name as a message can hold it: bytes that are not UTF-8 (which Python keeps as lone
    surrogates) written as `\\xe9`."""
    return os.fsencode(str(name)).decode("utf-8", "backslashreplace")


def require_utf8_name(name: str | Path, role: str) -> None:
    """Refuse a file whose name is not valid UTF-8: no report (JSON, HTML, SARIF, a baseline) can name it.
    One `InputError` line giving the name with the bad byte written `\\xe9`."""
    text = str(name)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        bad = ord(text[exc.start])
        what = f"byte 0x{bad - 0xDC00:02X}" if 0xDC80 <= bad <= 0xDCFF else f"U+{bad:04X}"
        raise InputError(f"{role} '{shown_name(text)}': its file name is not valid UTF-8 ({what}), so no report "
                         "can name it: rename the file") from None


def value_error_reason(exc: ValueError) -> str:
    """What a `ValueError` from a parser says, in one short phrase the same on every Python: a number
    past Python's limit on digits (CVE-2020-10735) is spelled out, whatever the version's wording."""
    message = str(exc)
    if "integer string conversion" in message:
        return "a number has more than 4,300 digits"
    return message.split(";")[0]
