"""URL sources: fetched once from a local server, reused offline, refreshed, refused with one line."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from provenance.errors import InputError
from provenance.load.fetch import is_url, pin_source, verify_pin

BODY = {"/letter": b"6 JAN 2020\n\nYour Excellency,\n"}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (the http.server name)
        if self.path == "/moved":
            self.send_response(302)
            self.send_header("Location", "/letter")
            self.end_headers()
            return
        body = BODY.get(self.path)
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[ThreadingHTTPServer]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def base(httpd: ThreadingHTTPServer) -> str:
    return f"http://127.0.0.1:{httpd.server_address[1]}"


def test_fetch_reuse_offline_and_refresh(server: ThreadingHTTPServer, tmp_path: Path) -> None:
    url = base(server) + "/letter"
    first = pin_source(url, cache=tmp_path, max_bytes=1000)
    assert first.path.read_bytes() == BODY["/letter"] and not first.changed
    server.shutdown()
    server.server_close()
    again = pin_source(url, cache=tmp_path, max_bytes=1000)  # no server: the pin is used
    assert again.sha256 == first.sha256


def test_refresh_with_changed_bytes(server: ThreadingHTTPServer, tmp_path: Path) -> None:
    url = base(server) + "/letter"
    first = pin_source(url, cache=tmp_path, max_bytes=1000)
    BODY["/letter"] = b"6 JAN 2020\n\nYour Excellency, changed\n"
    try:
        new = pin_source(url, cache=tmp_path, refresh=True, max_bytes=1000)
    finally:
        BODY["/letter"] = b"6 JAN 2020\n\nYour Excellency,\n"
    assert new.changed and new.previous_sha256 == first.sha256
    assert (new.path.parent / "pin.previous.json").exists()
    with pytest.raises(InputError, match="changed since it was pinned"):
        verify_pin(url, first.sha256, tmp_path)
    assert verify_pin(url, new.sha256, tmp_path).sha256 == new.sha256


def test_errors_are_one_line(server: ThreadingHTTPServer, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="HTTP 404"):
        pin_source(base(server) + "/absent", cache=tmp_path, max_bytes=1000)
    with pytest.raises(InputError, match="over the limit of 5 bytes"):
        pin_source(base(server) + "/letter", cache=tmp_path, max_bytes=5)
    with pytest.raises(InputError, match="only http and https"):
        pin_source("ftp://example.org/x", cache=tmp_path, max_bytes=1000)
    moved = pin_source(base(server) + "/moved", cache=tmp_path, max_bytes=1000)
    assert moved.final_url.endswith("/letter")
    assert is_url("https://x.org/a") and not is_url("inputs/letter.txt")
