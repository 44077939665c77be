"""Scan with the real models: an index built where the meaning model is installed stores the fast
static vectors of every sentence, and a scan brings in the source of a paraphrase that neither the
n-grams nor the lexical search find, so that it reports what compare against every source reports."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from provenance import meaning
from provenance.cli import main
from provenance.corpus.index import Index
from provenance.load import load_text

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "benchmarks" / "paraphrase" / "sources"
DOCUMENT = ("# Notes on the founding\n\nThe authors wrote that \u201cproper regard for the views of humanity demands "
            "that they explain the reasons driving them to separate\u201d, a line often quoted.\n\n"
            "Elsewhere \u201cthe orchestra will tour four cities next summer\u201d, one reader claimed.\n")
"""A rewording of the Declaration's first sentence (sharing one content word with it), and a claim no
source makes."""

pytestmark = pytest.mark.skipif(meaning.recruiting_encoder() is None and not os.environ.get("CI"),
                                reason="the meaning model and wordllama are not installed (see the README)")


@pytest.fixture
def corpus(tmp_path: Path) -> tuple[Path, Path]:
    src = tmp_path / "src"
    shutil.copytree(SOURCES, src)
    doc = tmp_path / "doc.md"
    doc.write_text(DOCUMENT, encoding="utf-8")
    return src, doc


def _passages(path: Path) -> list[tuple[str, str | None]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [(p["verdict"], p["match"]["source"] if p.get("match") else None) for p in data["passages"]]


def _scanned(out: Path) -> Path:
    return next(p for p in out.rglob("*.json") if p.name != "summary.json" and ".provenance" not in p.parts)


def test_scan_finds_the_paraphrase_compare_finds_through_the_index_vectors(
        corpus: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src, doc = corpus
    assert main(["compare", str(doc), "--source", str(src), "--format", "json", "--no-timestamp",
                 "--output", str(tmp_path / "compare.json")]) == 0
    want = _passages(tmp_path / "compare.json")
    assert want == [("paraphrase", "declaration-of-independence"), ("unsourced", None)]

    assert main(["index", "build", str(src), "--index", str(tmp_path / "v.db")]) == 0
    assert "sentence vectors of wordllama-l2-supercat-256/64@" in capsys.readouterr().out
    with Index.open(tmp_path / "v.db") as index:
        assert index.stats()["vector_bytes"] == int(index.stats()["sentence_units"]) * 64 * 4
        assert not index.candidates(load_text(str(doc), id="document", role="document"))  # the n-grams choose no source
    assert main(["scan", str(doc), "--index", str(tmp_path / "v.db"), "--output", str(tmp_path / "out"),
                 "--jobs", "1", "--no-timestamp"]) == 0
    assert _passages(_scanned(tmp_path / "out")) == want

    # Without the vectors, the scan's lexical search does not find the source: the rewording is unsourced.
    assert main(["index", "build", str(src), "--index", str(tmp_path / "nv.db"), "--no-vectors"]) == 0
    assert main(["scan", str(doc), "--index", str(tmp_path / "nv.db"), "--output", str(tmp_path / "out2"),
                 "--jobs", "1", "--no-timestamp"]) == 0
    assert _passages(_scanned(tmp_path / "out2")) == [("unsourced", None), ("unsourced", None)]


def test_index_add_keeps_an_index_without_vectors_so_and_no_vectors_is_refused_on_one_with_them(
        corpus: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src, _ = corpus
    files = sorted(src.iterdir())
    bare, full = tmp_path / "bare.db", tmp_path / "full.db"
    assert main(["index", "build", str(files[0]), "--index", str(bare), "--no-vectors"]) == 0
    assert main(["index", "add", str(files[1]), "--index", str(bare)]) == 0
    with Index.open(bare) as index:
        assert index.encoder() is None and index.stats()["sources"] == 2
    assert main(["index", "build", str(files[0]), "--index", str(full)]) == 0
    assert main(["index", "add", str(files[1]), "--index", str(full)]) == 0
    with Index.open(full) as index:
        assert index.encoder() == meaning.recruiting_encoder().name  # type: ignore[union-attr]
        assert index.stats()["vector_bytes"] == int(index.stats()["sentence_units"]) * 64 * 4
    capsys.readouterr()
    assert main(["index", "add", str(files[2]), "--index", str(full), "--no-vectors"]) == 2
    err = capsys.readouterr().err.strip()
    assert "holds sentence vectors" in err and len(err.splitlines()) == 1
    # A vector-less index built again by default (the model installed) gets the vectors of all its sources.
    assert main(["index", "build", str(files[0]), str(files[1]), "--index", str(bare)]) == 0
    with Index.open(bare) as index:
        assert index.stats()["vector_bytes"] == int(index.stats()["sentence_units"]) * 64 * 4
