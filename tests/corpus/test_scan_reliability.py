"""The scan under hostile input and a broken machine (issue 17): report names, one bad item, resume
keys, its own output."""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import os
import signal
import socket
import sqlite3
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from test_index import prose

from provenance.cli import main
from provenance.corpus import scan as scan_module
from provenance.corpus.index import Index
from provenance.corpus.scan import scan
from provenance.errors import ProvenanceError


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """An index of two sources, and a folder of documents that each quote one of them; runs in tmp_path."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "src").mkdir()
    for k in range(2):
        (tmp_path / "src" / f"s{k}.txt").write_text(prose(k, 300), encoding="utf-8")
    db = tmp_path / "idx.db"
    with Index.create(db) as idx:
        idx.add([tmp_path / "src"])
    docs = tmp_path / "docs"
    docs.mkdir()
    return db, docs


def quote(k: int, start: int = 10) -> str:
    words = prose(k, 300).split()
    return f"She said \u201c{' '.join(words[start:start + 12])}\u201d and left.\n"


def summary(out: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    return data


def test_report_names_never_collide_and_survive_reruns(corpus: tuple[Path, Path], tmp_path: Path) -> None:
    db, docs = corpus
    (docs / "sub").mkdir()
    for name, k in [("a", 0), ("sub/a", 1), ("a-2", 1), ("summary", 0)]:
        (docs / name).write_text(quote(k, 5 + len(name)), encoding="utf-8")
    out = tmp_path / "out"
    result = scan(["docs"], db, out, jobs=1)
    reports = [o.report for o in result.outcomes]
    assert len(set(reports)) == len(reports) == 4
    assert "summary.json" not in reports
    for o in result.outcomes:
        assert json.loads((out / o.report).read_text(encoding="utf-8"))["document"]["path"] == o.document
    data = summary(out)
    assert data["schema"] == "provenance.scan/1"
    # A rerun with fewer documents, or in another order, keeps every document's report name.
    again = scan(["docs/a-2", "docs/sub/a"], db, out, jobs=1)
    assert {o.document: o.report for o in again.outcomes} == {o.document: o.report for o in result.outcomes
                                                             if o.document in ("docs/a-2", "docs/sub/a")}
    assert {o.status for o in again.outcomes} == {"skipped"}


def test_a_file_name_that_is_not_utf8_fails_alone(corpus: tuple[Path, Path], tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    db, docs = corpus
    (docs / "good.md").write_text(quote(0), encoding="utf-8")
    bad = os.fsdecode(bytes(docs) + b"/bad\xe9.md")
    Path(bad).write_text(quote(1), encoding="utf-8")
    code = main(["scan", "docs", "--index", str(db), "--output", "out", "--no-timestamp"])
    out, err = capsys.readouterr()
    assert code == 2 and out.startswith("1 compared, 0 up to date, 1 failed"), (out, err)
    assert err.count("\n") == 1 and "bad\\xe9.md" in err and "not valid UTF-8" in err, err
    data = summary(tmp_path / "out")
    assert data["totals"] == {"compared": 1, "failed": 1}


def test_a_killed_worker_fails_its_document_alone(corpus: tuple[Path, Path], tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    if multiprocessing.get_start_method() != "fork":
        pytest.skip("the workers must inherit the patched comparison (fork)")
    db, docs = corpus
    for k in range(5):
        (docs / f"d{k}.md").write_text(quote(k % 2, 10 + k), encoding="utf-8")
    real = scan_module.compare_document

    def oom_killer(document: Any, *args: Any) -> Any:
        if document.path.endswith("d2.md"):
            os.kill(os.getpid(), signal.SIGKILL)
        return real(document, *args)

    monkeypatch.setattr(scan_module, "compare_document", oom_killer)
    result = scan(["docs"], db, tmp_path / "out", jobs=2)
    statuses = {Path(o.document).name: o.status for o in result.outcomes}
    assert statuses == {"d0.md": "compared", "d1.md": "compared", "d2.md": "failed", "d3.md": "compared",
                        "d4.md": "compared"}
    assert "worker process" in (result.failed[0].error or "")
    assert summary(tmp_path / "out")["totals"] == {"compared": 4, "failed": 1}


def test_a_bug_on_one_document_fails_it_alone(corpus: tuple[Path, Path], tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    db, docs = corpus
    for k in range(3):
        (docs / f"d{k}.md").write_text(quote(k % 2, 10 + k), encoding="utf-8")
    real = scan_module.compare_document

    def buggy(document: Any, *args: Any) -> Any:
        if document.path.endswith("d1.md"):
            raise RecursionError("maximum recursion depth exceeded")
        return real(document, *args)

    monkeypatch.setattr(scan_module, "compare_document", buggy)
    result = scan(["docs"], db, tmp_path / "out", jobs=1)
    assert [o.status for o in result.outcomes] == ["compared", "failed", "compared"]
    assert "internal error" in (result.outcomes[1].error or "")


def _damage_blob(db: Path, path_part: str, blob: bytes) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE sources SET content = ? WHERE path LIKE ?", (blob, f"%{path_part}"))


@pytest.mark.parametrize(("blob", "message"), [
    (b"\x78\x9c not zlib at all", "is damaged"),
    (zlib.compress(b"other words entirely " * 50), "does not match its sha256"),
    (zlib.compress(prose(1, 300).encode())[:-20], "cut short"),
])
def test_a_damaged_blob_fails_the_documents_that_need_it(corpus: tuple[Path, Path], tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str], blob: bytes,
                                                         message: str) -> None:
    db, docs = corpus
    (docs / "zero.md").write_text(quote(0), encoding="utf-8")
    (docs / "one.md").write_text(quote(1), encoding="utf-8")
    _damage_blob(db, "s1.txt", blob)
    code = main(["scan", "docs", "--index", str(db), "--output", "out", "--jobs", "1"])
    out, err = capsys.readouterr()
    assert code == 2 and out.startswith("1 compared, 0 up to date, 1 failed"), (out, err)
    assert err.count("\n") == 1 and message in err and "s1.txt" in err, err
    assert summary(tmp_path / "out")["totals"] == {"compared": 1, "failed": 1}
    assert main(["index", "stats", "--index", str(db)]) == 0
    assert main(["index", "add", "src", "--index", str(db)]) == 0


def test_a_blob_that_inflates_beyond_max_bytes_is_refused(corpus: tuple[Path, Path], tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    db, docs = corpus
    (docs / "one.md").write_text(quote(1), encoding="utf-8")
    _damage_blob(db, "s1.txt", zlib.compress(b"a" * (64 << 20), 9))  # 64 MiB in about 64 KiB
    code = main(["scan", "docs", "--index", str(db), "--output", "out", "--max-bytes", "100000"])
    _, err = capsys.readouterr()
    assert code == 2 and "over the limit of 100,000 bytes (raise it with --max-bytes)" in err, err


def _damage_pages(db: Path, table: str) -> None:
    """Overwrite the B-tree pages of `table` with garbage (as a failing disk would)."""
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode = DELETE")
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    with open(db, "r+b") as fh:
        fh.seek((root - 1) * page_size)
        fh.write(b"\xa5" * page_size)


@pytest.mark.parametrize("table", ["shingles", "sources"])
def test_a_damaged_page_is_one_line(corpus: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                    table: str) -> None:
    db, docs = corpus
    (docs / "one.md").write_text(quote(1), encoding="utf-8")
    _damage_pages(db, table)
    for argv in (["scan", "docs", "--index", str(db), "--output", "out", "--jobs", "1"],
                 ["index", "stats", "--index", str(db)], ["index", "add", "src", "--index", str(db)]):
        code = main(argv)
        _, err = capsys.readouterr()
        assert code == 2 and err.count("\n") == 1 and "internal error" not in err, (argv, err)


def test_the_resume_key_holds_the_timestamp_choice(corpus: tuple[Path, Path], tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    db, docs = corpus
    (docs / "one.md").write_text(quote(1), encoding="utf-8")
    report = tmp_path / "out" / "docs" / "one.md.json"

    def run(*extra: str) -> str:
        assert main(["scan", "docs", "--index", str(db), "--output", "out", "--jobs", "1", *extra]) == 0
        out = capsys.readouterr().out
        return "compared" if out.startswith("1 compared") else "skipped"

    def stamp() -> object:
        return json.loads(report.read_text(encoding="utf-8")).get("generated_at")

    assert run("--no-timestamp") == "compared" and stamp() is None
    assert run("--no-timestamp") == "skipped"
    assert run() == "compared" and isinstance(stamp(), str)
    assert run() == "skipped"  # the time of the run alone does not redo a report
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert run() == "compared" and stamp() == "2023-11-14T22:13:20Z"
    assert run() == "skipped"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1600000000")
    assert run() == "compared" and stamp() == "2020-09-13T12:26:40Z"
    assert run("--no-timestamp") == "compared" and stamp() is None
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert run() == "compared" and stamp() not in (None, "2020-09-13T12:26:40Z")


def test_the_scan_never_reads_its_own_output(corpus: tuple[Path, Path], tmp_path: Path) -> None:
    db, docs = corpus
    (docs / "a.txt").write_text(quote(0), encoding="utf-8")
    moved = docs / "idx.db"
    db.rename(moved)  # the index inside the folder of documents, too
    for _ in range(3):
        result = scan(["docs", "docs/a.txt"], moved, docs / "out", jobs=1)
        assert [o.document for o in result.outcomes] == ["docs/a.txt"]
    written = sorted(p.relative_to(docs / "out").as_posix() for p in (docs / "out").rglob("*") if p.is_file())
    assert written == [".provenance-scan/docs/a.txt.json.key", "docs/a.txt.json", "summary.json"]
    with pytest.raises(ProvenanceError, match="the output folder and the index are not documents"):
        scan(["docs/out"], moved, docs / "out", jobs=1)


@pytest.fixture
def bad_scheduler() -> Iterator[Callable[[bytes | None], str]]:
    """A TCP port that accepts and then says nothing (None) or sends garbage; gives its address."""
    servers: list[socket.socket] = []
    accepted: list[socket.socket] = []

    def start(garbage: bytes | None) -> str:
        server = socket.create_server(("127.0.0.1", 0))
        servers.append(server)

        def serve() -> None:
            while True:
                try:
                    conn, _ = server.accept()
                except OSError:
                    return
                accepted.append(conn)
                if garbage is not None:
                    with contextlib.suppress(OSError):
                        conn.sendall(garbage)

        threading.Thread(target=serve, daemon=True).start()
        return f"tcp://127.0.0.1:{server.getsockname()[1]}"

    yield start
    for s in servers + accepted:
        s.close()


@pytest.mark.parametrize("garbage", [None, b"\xff" * 64 + b"HTTP/1.1 200 OK\r\n\r\n" * 20])
def test_a_scheduler_that_never_answers_is_one_line_in_time(corpus: tuple[Path, Path], tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str],
                                                            monkeypatch: pytest.MonkeyPatch,
                                                            bad_scheduler: Callable[[bytes | None], str],
                                                            garbage: bytes | None) -> None:
    pytest.importorskip("distributed")
    db, docs = corpus
    (docs / "one.md").write_text(quote(1), encoding="utf-8")
    monkeypatch.setattr(scan_module, "CONNECT_TIMEOUT", 1.0)
    address = bad_scheduler(garbage)
    started = time.monotonic()
    code = main(["scan", "docs", "--index", str(db), "--output", "out", "--engine", "dask", "--scheduler", address])
    _, err = capsys.readouterr()
    assert time.monotonic() - started < 8
    assert code == 2 and err.count("\n") == 1, err
    assert f"cannot reach a Dask scheduler at '{address}' within 1 s" in err, err


@pytest.mark.parametrize("address", ["tls://127.0.0.1:8786", "ucx://127.0.0.1:8786", "inproc://x"])
def test_schemes_a_scan_cannot_use_are_one_line(corpus: tuple[Path, Path], capsys: pytest.CaptureFixture[str],
                                                address: str) -> None:
    pytest.importorskip("distributed")
    db, docs = corpus
    (docs / "one.md").write_text(quote(1), encoding="utf-8")
    code = main(["scan", "docs", "--index", str(db), "--output", "out", "--engine", "dask", "--scheduler", address])
    _, err = capsys.readouterr()
    assert code == 2 and err.count("\n") == 1 and "tcp://HOST:PORT only" in err, err
