"""The scan under hostile input and a broken machine (issue 17): report names, one bad item, resume
keys, its own output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_index import prose

from provenance.corpus.index import Index
from provenance.corpus.scan import scan


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
