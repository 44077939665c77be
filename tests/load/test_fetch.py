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


def test_compare_against_a_url_source_pins_it_and_reads_the_pin_offline(
        server: ThreadingHTTPServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from provenance.cli import main

    root = Path(__file__).resolve().parents[2]
    letter = (root / "inputs" / "letter-2020-01-06.txt").read_bytes()
    BODY["/letter.txt"] = letter
    url = base(server) + "/letter.txt"
    cache = tmp_path / "pins"
    args = ["compare", str(root / "inputs" / "article.md"), "-s", url, "--cache-dir", str(cache), "-f", "json",
            "--no-timestamp"]
    assert main(args) == 0
    first = json.loads(capsys.readouterr().out)
    (source,) = first["sources"]
    assert source["path"] == url and source["id"] == "letter"
    assert source["metadata"]["url"] == url and source["metadata"]["pinned_sha256"] == source["sha256"]
    assert any(p["match"] for p in first["passages"])
    server.shutdown()
    server.server_close()
    assert main(args) == 0  # the server is gone: the pinned copy is read
    assert json.loads(capsys.readouterr().out) == first


def test_a_refresh_that_finds_a_changed_page_says_so(server: ThreadingHTTPServer, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    from provenance.load import load_source

    BODY["/page"] = b"The harbour will close at dusk on Friday."
    url = base(server) + "/page"
    assert not load_source(url, cache=tmp_path).origin.warnings  # type: ignore[union-attr]
    BODY["/page"] = b"The harbour will close at dawn on Friday."
    refreshed = load_source(url, cache=tmp_path, refresh=True)
    assert refreshed.original.startswith("The harbour will close at dawn")
    assert "changed since it was pinned" in refreshed.origin.warnings[0]  # type: ignore[union-attr]
    BODY["/page"] = b"The harbour will close at noon on Friday."
    with pytest.raises(InputError, match="changed since it was pinned"):
        load_source(url, cache=tmp_path, refresh=True, fail_on_change=True)


def test_a_manifest_names_a_url_source_and_check_fails_when_it_changed(
        server: ThreadingHTTPServer, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    from provenance.cli import main

    BODY["/statement"] = b"The harbour will close at dusk on Friday, the harbour master said.\n"
    url = base(server) + "/statement"
    (tmp_path / "note.md").write_text('# Harbour\n\nShe said "the harbour will close at dusk on Friday".\n',
                                      encoding="utf-8")
    (tmp_path / "provenance.toml").write_text(
        f'[reports]\nformats = ["json"]\n\n[[documents]]\npath = "note.md"\nsources = ["{url}"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    args = ["check", "--no-timestamp"]
    assert main(args) == 0
    report = json.loads((tmp_path / "reports" / "note.md.json").read_text(encoding="utf-8"))
    assert report["sources"][0]["path"] == url and report["passages"][0]["verdict"] == "verbatim"
    assert (tmp_path / ".provenance" / "sources").is_dir()
    capsys.readouterr()

    BODY["/statement"] = b"The harbour will close at dawn on Friday, the harbour master said.\n"
    assert main(args) == 0  # read from the pin: the change is not seen until a refresh
    capsys.readouterr()
    assert main([*args, "--refresh-sources"]) == 2
    err = capsys.readouterr().err
    assert f"source {url} changed since it was pinned" in err and "note.md" in err
    assert main(args) == 1  # the new copy is pinned: the quotation now differs from it
