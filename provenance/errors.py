"""One exception hierarchy; only the CLI turns these into exit codes."""

from __future__ import annotations

import os
import re
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


def config_error(path: object, exc: Exception, schema: type | None = None) -> ConfigError:
    """A msgspec validation error (`… - at `$.documents[0].path``) as `FILE: documents[0].path: …`, said
    in plain words (`plain_validation_message`); with the file's `schema` (a msgspec Struct), a value
    that is not one of a key's choices, or an unknown key, lists what the key takes."""
    message, sep, at = str(exc).partition(" - at `$.")
    key = at.rstrip("`") if sep else ""
    return ConfigError(f"{path}: {key + ': ' if key else ''}{plain_validation_message(message, schema, key)}")


_TYPE_WORDS = {"str": "a string", "int": "a whole number", "float": "a number", "bool": "true or false",
               "array": "a list", "object": "a table", "null": "nothing", "datetime": "a date and time"}
_EXPECTED_RE = re.compile(r"^Expected `([^`]+)`(?:, got `([^`]+)`)?(?: (>=|<=|>|<) (\S+))?$")


def _type_words(spelled: str) -> str:
    """`float | null` as `a number`, `str` as `a string`."""
    kinds = [k.strip() for k in spelled.split("|") if k.strip() != "null"] or ["null"]
    return " or ".join(_TYPE_WORDS.get(k, k) for k in kinds)


def _number(text: str) -> str:
    """`0.0` as `0`, `1` as `1`."""
    try:
        return f"{float(text):g}"
    except ValueError:
        return text


def plain_validation_message(message: str, schema: type | None = None, key: str = "") -> str:
    """A msgspec validation message in plain words: `Expected `float` >= 0.0` is `must be a number of at least
    0`, `Expected `str`, got `int`` is `must be a string, not a whole number`, `Object contains unknown field
    `x`` is `unknown key 'x'`; `Invalid enum value 'al'` is `'al' is not one of quotations, whole` when the
    `schema` tells the choices of `key`. Anything else is left as it is."""
    found = _EXPECTED_RE.match(message)
    if found:
        wanted, got, op, bound = found.groups()
        text = f"must be {_type_words(wanted)}"
        if op:
            text += {">=": " of at least ", "<=": " of at most ", ">": " over ", "<": " under "}[op] + _number(bound)
        return text + (f", not {_type_words(got)}" if got else "")
    unknown = re.match(r"^Object contains unknown field `(.+)`$", message)
    if unknown:
        known = _choices(schema, key, fields=True)
        return f"unknown key {unknown.group(1)!r}" + (f" (the keys here: {', '.join(known)})" if known else "")
    missing = re.match(r"^Object missing required field `(.+)`$", message)
    if missing:
        return f"the key {missing.group(1)!r} is missing"
    bad = re.match(r"^Invalid enum value (.+)$", message)
    if bad:
        choices = _choices(schema, key)
        return f"{bad.group(1)} is not " + (f"one of {', '.join(choices)}" if choices else "a value this key takes")
    return message


def _choices(schema: type | None, key: str, *, fields: bool = False) -> list[str]:
    """The values the key `key` (`documents[0].mode`) of `schema` takes (or, with `fields`, the keys of the
    table it names), from the schema's types; empty when they cannot be told."""
    if schema is None:
        return []
    import msgspec

    info: object = msgspec.inspect.type_info(schema)
    for part in [p for p in re.split(r"\.|\[\d+\]", key) if p]:
        info = _unwrap(info)
        if not isinstance(info, msgspec.inspect.StructType):
            return []
        match = [f.type for f in info.fields if f.encode_name == part]
        if not match:
            return []
        info = match[0]
    info = _unwrap(info)
    if fields:
        return [f.encode_name for f in info.fields] if isinstance(info, msgspec.inspect.StructType) else []
    if isinstance(info, msgspec.inspect.EnumType):
        return [str(m.value) for m in info.cls]
    if isinstance(info, msgspec.inspect.LiteralType):
        return [str(v) for v in info.values]
    return []


def _unwrap(info: object) -> object:
    """Through lists, optional values and annotations to the type of one value."""
    import msgspec

    while True:
        if isinstance(info, (msgspec.inspect.ListType, msgspec.inspect.TupleType, msgspec.inspect.VarTupleType)):
            info = info.item_type if not isinstance(info, msgspec.inspect.TupleType) else info.item_types[0]
        elif isinstance(info, msgspec.inspect.UnionType):
            kinds = [t for t in info.types if not isinstance(t, msgspec.inspect.NoneType)]
            if len(kinds) != 1:
                return info
            info = kinds[0]
        elif isinstance(info, msgspec.inspect.Metadata):
            info = info.type
        else:
            return info


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
