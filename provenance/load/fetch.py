"""URL sources: fetch a page once, keep its exact bytes, and compare against that pinned copy.

A source named by URL is fetched with httpx (redirects followed, a User-Agent naming provenance,
a timeout, a streaming size limit) and stored in a cache folder, one folder per URL:

```
<cache>/<sha256 of the URL>/
    pin.json           {"url", "final_url", "sha256", "retrieved", "content_type", "status"}
    content            the exact bytes received
    pin.previous.json  the pin a refresh replaced when the bytes had changed
    content.previous   the bytes of that previous pin
```

Every file is written to a temporary file in the same folder and moved into place with
`os.replace`, the pin last, so a reader sees the old pin or the new one, never half of one; the
stored bytes are checked against the pin's sha256 whenever they are used. Without `refresh` a
present pin is used as it is and the network is not touched: a run is repeatable offline and
a page that changes cannot change a report behind the user's back. `verify_pin` is what a check
uses to fail when the pinned bytes are not the ones a manifest recorded.

Every problem (a scheme other than http or https, a name that does not resolve, a refused
connection, a timeout, an HTTP error status, a body past `max_bytes`, a damaged cache) is one
`InputError` line naming the URL.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    import httpx

from provenance.errors import InputError

SCHEMES = ("http", "https")
"""The URL schemes that are fetched; any other `scheme://` is refused by name."""

_URL_LIKE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_PIN_KEYS = ("url", "final_url", "sha256", "retrieved", "content_type", "status")
_CHUNK = 64 * 1024


@dataclass(frozen=True, slots=True)
class Pin:
    """One URL source as it was fetched and stored."""

    url: str
    """The URL as the user gave it."""
    final_url: str
    """The URL the bytes came from, after redirects."""
    sha256: str
    """Hex SHA-256 of the stored bytes."""
    retrieved: str
    """When the bytes were fetched: ISO-8601 UTC, `2026-12-03T07:30:00Z`."""
    content_type: str
    """The server's Content-Type header, as sent (`text/html; charset=utf-8`), or empty."""
    path: Path
    """The stored bytes in the cache."""
    changed: bool = False
    """A refresh found other bytes than the pin it replaced."""
    previous_sha256: str | None = None
    """The sha256 of the pin this call replaced (a refresh over an existing pin), else None."""


def is_url(s: str) -> bool:
    """True when `s` is written as a URL (`scheme://…`) rather than a file name.

    Any scheme counts, so that `ftp://host/x` is refused as a URL that cannot be fetched instead
    of being looked for as a file called `ftp:`."""
    return bool(_URL_LIKE.match(s))


def user_agent() -> str:
    """The User-Agent sent with every request: provenance, its version and what it is."""
    import httpx

    try:
        ours = version("provenance")
    except PackageNotFoundError:  # a source tree that is not installed
        ours = "0.1.0"
    return f"provenance/{ours} (quotation checker; httpx/{httpx.__version__})"


def pin_folder(url: str, cache: Path) -> Path:
    """The cache folder of one URL: named by the SHA-256 of the URL as given."""
    return Path(cache) / hashlib.sha256(url.encode("utf-8")).hexdigest()


def pin_source(url: str, *, cache: Path, refresh: bool = False, timeout: float = 30.0, max_bytes: int) -> Pin:
    """The pinned copy of a URL source: the stored one, or fetched and stored when there is none
    (or `refresh` asks for a new fetch). A refresh that finds other bytes keeps the old pin as
    `pin.previous.json` and returns `changed=True`."""
    _check_scheme(url)
    folder = pin_folder(url, cache)
    old = _load_pin(url, folder, missing_ok=True, damaged_ok=refresh)
    if old is not None and not refresh:
        return old
    status, final_url, content_type, data = _fetch(url, timeout=timeout, max_bytes=max_bytes)
    digest = hashlib.sha256(data).hexdigest()
    record = {"url": url, "final_url": final_url, "sha256": digest, "retrieved": _now(),
              "content_type": content_type, "status": status}
    changed = old is not None and old.sha256 != digest
    _store(folder, record, data, keep_previous=changed)
    return _pin_of(record, folder, changed=changed, previous=old.sha256 if old is not None else None)


def verify_pin(url: str, expected_sha256: str, cache: Path) -> Pin:
    """The stored pin of `url`, when its bytes are still the ones recorded as `expected_sha256`;
    otherwise one `InputError` line saying what changed and when. No network is used."""
    pin = _load_pin(url, pin_folder(url, cache), missing_ok=False, damaged_ok=False)
    assert pin is not None  # missing_ok=False raises instead
    if pin.sha256 != expected_sha256.lower():
        raise InputError(f"source {url} changed since it was pinned (sha256 {expected_sha256[:12]}… → "
                         f"{pin.sha256[:12]}…, retrieved {pin.retrieved}): refresh the pinned sources "
                         "to accept it", parameter="refresh")
    return pin


def _check_scheme(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme.lower() not in SCHEMES:
        raise InputError(f"source {url}: only http and https URLs can be fetched, not {parts.scheme}:")
    if not parts.hostname:
        raise InputError(f"source {url}: the URL names no host")


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _fetch(url: str, *, timeout: float, max_bytes: int) -> tuple[int, str, str, bytes]:
    """Status, final URL, Content-Type and body of a GET, or one `InputError` line."""
    import httpx

    try:
        with httpx.Client(follow_redirects=True, timeout=timeout,
                          headers={"User-Agent": user_agent()}) as client:
            with client.stream("GET", url) as response:
                if response.status_code >= 400:
                    raise InputError(f"source {url}: HTTP {response.status_code}"
                                     f"{' ' + response.reason_phrase if response.reason_phrase else ''}")
                data = _read_limited(response, url, max_bytes)
                return (response.status_code, str(response.url),
                        response.headers.get("content-type", ""), data)
    except httpx.TimeoutException:
        raise InputError(f"source {url}: no answer within {timeout:g} seconds") from None
    except httpx.TooManyRedirects:
        raise InputError(f"source {url}: too many redirects") from None
    except httpx.UnsupportedProtocol as exc:
        raise InputError(f"source {url}: redirected to a URL that cannot be fetched ({exc})") from None
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        raise InputError(f"source {url}: {_network_reason(exc)}") from None


def _read_limited(response: httpx.Response, url: str, max_bytes: int) -> bytes:
    """The body, refused as soon as it passes `max_bytes` (by its Content-Length, or while streaming)."""
    too_big = InputError(f"source {url}: over the limit of {max_bytes:,} bytes", parameter="max_bytes")
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise too_big
    parts: list[bytes] = []
    total = 0
    for chunk in response.iter_bytes(_CHUNK):
        total += len(chunk)
        if total > max_bytes:
            raise too_big
        parts.append(chunk)
    return b"".join(parts)


def _network_reason(exc: Exception) -> str:
    """What went wrong on the network, in a few words: `cannot connect (Name or service not known)`."""
    import httpx

    detail = " ".join(str(exc).split()) or type(exc).__name__
    if isinstance(exc, httpx.ConnectError):
        return f"cannot connect ({detail})"
    return detail


def _load_pin(url: str, folder: Path, *, missing_ok: bool, damaged_ok: bool) -> Pin | None:
    """The pin stored in `folder`, its bytes checked against its sha256. A missing pin is None or
    an error; a damaged one (bad JSON, bytes that do not match) is None under `damaged_ok`."""
    pin_path, content = folder / "pin.json", folder / "content"
    if not pin_path.exists():
        if missing_ok:
            return None
        raise InputError(f"source {url} has no pinned copy in {folder.parent}: fetch it first", parameter="refresh")
    try:
        record = json.loads(pin_path.read_text(encoding="utf-8"))
        if not isinstance(record, dict) or any(key not in record for key in _PIN_KEYS):
            raise ValueError("keys missing")
        digest = hashlib.sha256(content.read_bytes()).hexdigest()
    except (OSError, ValueError) as exc:
        if damaged_ok:
            return None
        raise InputError(f"source {url}: the pinned copy in {folder} cannot be read ({exc}): refresh it",
                         parameter="refresh") from None
    if digest != record["sha256"]:
        if damaged_ok:
            return None
        raise InputError(f"source {url}: the pinned copy in {folder} does not match its sha256 "
                         f"{str(record['sha256'])[:12]}…: refresh it", parameter="refresh")
    return _pin_of(record, folder)


def _pin_of(record: dict[str, object], folder: Path, *, changed: bool = False, previous: str | None = None) -> Pin:
    return Pin(url=str(record["url"]), final_url=str(record["final_url"]), sha256=str(record["sha256"]),
               retrieved=str(record["retrieved"]), content_type=str(record["content_type"]),
               path=folder / "content", changed=changed, previous_sha256=previous)


def _store(folder: Path, record: dict[str, object], data: bytes, *, keep_previous: bool) -> None:
    """Write the bytes, then the pin, each atomically; with `keep_previous` the old pair is moved aside first."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if keep_previous:
            _write_atomic(folder / "content.previous", (folder / "content").read_bytes())
            _write_atomic(folder / "pin.previous.json", (folder / "pin.json").read_bytes())
        _write_atomic(folder / "content", data)
        pin_text = json.dumps(record, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        _write_atomic(folder / "pin.json", pin_text.encode("utf-8"))
    except OSError as exc:
        raise InputError(f"source {record['url']}: cannot store it in {folder}: {exc.strerror or exc}") from None


def _write_atomic(path: Path, data: bytes) -> None:
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
