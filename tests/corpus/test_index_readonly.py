"""An index on read-only media (issue 17): read it, refuse to write it, in one line."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_index import prose

from provenance.corpus.index import Index

NOBODY = 65534
SETPRIV = shutil.which("setpriv")


@pytest.fixture
def read_only() -> Iterator[Path]:
    """A folder holding an index (made in WAL mode, as `index build` makes it) and a document, that the
    tests' runs cannot write: its mode is 555, and as root the runs are made as the user nobody."""
    if os.geteuid() == 0 and SETPRIV is None:  # pragma: no cover
        pytest.skip("running as root without setpriv: cannot drop root's rights")
    top = Path(tempfile.mkdtemp(prefix="provenance-ro-"))
    try:
        top.chmod(0o755)
        ro = top / "ro"
        ro.mkdir()
        (ro / "s.txt").write_text(prose(0, 300), encoding="utf-8")
        words = prose(0, 300).split()
        (ro / "doc.md").write_text(f"He said \u201c{' '.join(words[20:32])}\u201d.\n", encoding="utf-8")
        with Index.create(ro / "idx.db") as idx:
            idx.add([ro / "s.txt"])
        assert not (ro / "idx.db-wal").exists() and not (ro / "idx.db-shm").exists()
        out = top / "out"
        out.mkdir()
        out.chmod(0o777)
        for f in ro.iterdir():
            f.chmod(0o444)
        ro.chmod(0o555)
        yield top
    finally:
        for p in (top / "ro",):
            if p.exists():
                p.chmod(0o755)
        shutil.rmtree(top, ignore_errors=True)


def run(*argv: str) -> subprocess.CompletedProcess[str]:
    """The command line in a process that has no right to write the folder (root's rights dropped)."""
    drop = [SETPRIV, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"] if os.geteuid() == 0 else []
    return subprocess.run([*drop, sys.executable, "-m", "provenance", *argv], capture_output=True, text=True,
                          cwd="/", timeout=120, check=False,
                          env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])})


def test_a_read_only_index_is_read(read_only: Path) -> None:
    index = str(read_only / "ro" / "idx.db")
    stats = run("index", "stats", "--index", index)
    assert stats.returncode == 0, stats.stderr
    assert "sources: 1" in stats.stdout
    scanned = run("scan", str(read_only / "ro" / "doc.md"), "--index", index, "--output", str(read_only / "out"))
    assert scanned.returncode == 0, scanned.stderr
    assert (read_only / "out" / "summary.json").exists()


def test_writing_a_read_only_index_is_one_line(read_only: Path) -> None:
    index = str(read_only / "ro" / "idx.db")
    for command in ("build", "add"):
        done = run("index", command, str(read_only / "ro" / "doc.md"), "--index", index)
        assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
        assert done.stderr.startswith(f"provenance: error: cannot write index {index!r}: "), done.stderr
