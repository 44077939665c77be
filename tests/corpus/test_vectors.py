"""Sentence vectors in the index, with a test double of an encoder (hashed bags of content stems):
storage, search, refusal of another encoder's vectors, and the scan's hook for a decision by meaning."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from test_index import prose
from test_scan_paraphrase import DOCUMENT, HARBOUR

from provenance.cli import main
from provenance.comparator import pipeline
from provenance.comparator.paraphrase import Candidate, Paraphrase, SentenceIndex, unit_text
from provenance.comparator.pipeline import compare_texts
from provenance.corpus import scan as scan_module
from provenance.corpus import vectors
from provenance.corpus.hashed_encoder import HashedStemEncoder
from provenance.corpus.index import Index
from provenance.corpus.scan import IndexFinder, scan
from provenance.errors import UsageError
from provenance.load import load_text
from provenance.model import Verdict
from provenance.report.json_report import render_json

ENCODER = HashedStemEncoder(1024)


@pytest.fixture
def corpus(tmp_path: Path) -> tuple[Path, list[Path], Path]:
    src = tmp_path / "src"
    src.mkdir()
    paths = []
    for k in range(3):
        p = src / f"filler-{k}.txt"
        p.write_text(prose(k, 600), encoding="utf-8")
        paths.append(p)
    (src / "harbour.txt").write_text(HARBOUR, encoding="utf-8")
    paths.append(src / "harbour.txt")
    db = tmp_path / "idx.db"
    with Index.create(db) as index:
        index.add(paths, encoder=ENCODER)
    doc = tmp_path / "doc.md"
    doc.write_text(DOCUMENT, encoding="utf-8")
    return db, paths, doc


def test_the_encoder_double_gives_normalised_rows() -> None:
    rows = ENCODER.encode(["the harbour engineers warned", "", "storms storms"])
    assert rows.dtype == np.float32 and rows.shape == (3, 1024)
    assert np.allclose(np.linalg.norm(rows[[0, 2]], axis=1), 1.0) and not rows[1].any()
    assert np.array_equal(rows, ENCODER.encode(["the harbour engineers warned", "", "storms storms"]))


def test_vectors_are_stored_per_source_with_the_encoders_name(corpus: tuple[Path, list[Path], Path]) -> None:
    db, _, _ = corpus
    with Index.open(db) as index:
        stats = index.stats()
        assert stats["encoder"] == ENCODER.name and index.encoder() == ENCODER.name
        assert stats["vector_bytes"] == int(stats["sentence_units"]) * 1024 * 4
        rows = index.conn.execute("SELECT source, first_unit, count, matrix FROM vectors ORDER BY source").fetchall()
        assert [r[0] for r in rows] == [r.rowid for r in index.sources()]
        for rowid, first, count, blob in rows:
            text = index.text(rowid)
            units = index.conn.execute("SELECT id, lo, hi FROM units WHERE source = ? ORDER BY id", (rowid,)).fetchall()
            assert [u for u, _, _ in units] == list(range(first, first + count))
            want = ENCODER.encode([unit_text(text, lo, hi) for _, lo, hi in units])
            assert np.array_equal(np.frombuffer(blob, dtype="<f4").reshape(count, 1024), want)


def test_the_index_search_by_vectors_equals_the_in_memory_one(corpus: tuple[Path, list[Path], Path]) -> None:
    db, _, _ = corpus
    with Index.open(db) as index:
        records = index.sources()
        texts = [index.text(r.rowid) for r in records]
        memory = SentenceIndex(texts, ENCODER)
        indexed = index.sentences(ENCODER)
        queries = [unit_text(texts[si], lo, hi) for si, lo, hi in memory.units[::7]]
        for q in [*queries, "the engineers of the harbour warned of winter storms"]:
            a = [(records[si].rowid, lo, hi, s) for si, lo, hi, s in
                 ((*memory.unit(u), s) for u, s in memory.nearest(q, 5))]
            b = [(*indexed.unit(u), s) for u, s in indexed.nearest(q, 5)]
            assert a == b, q
        # A unit's own text is nearest itself.
        first = memory.units[3]
        near = memory.nearest(unit_text(texts[first[0]], first[1], first[2]), 1)
        assert memory.unit(near[0][0]) == first and near[0][1] == pytest.approx(1.0, abs=1e-5)


def _decide(keys: Sequence[str], text: str, near: Sequence[Candidate]) -> Paraphrase | None:
    """A stand-in for the decision by meaning: the nearest unit if its similarity is at least 0.15 (the
    double gives 0.17 for one content word in three shared)."""
    if not near or near[0].similarity < 0.15:
        return None
    c = near[0]
    return Paraphrase(c.source, c.lo, c.hi, c.similarity, ())


def test_the_scan_hook_gives_the_decision_the_nearest_units_of_the_whole_index(
        corpus: tuple[Path, list[Path], Path]) -> None:
    db, paths, doc_path = corpus
    quote = DOCUMENT.split("\u201c")[1].split("\u201d")[0]
    keys = load_text(str(doc_path)).tokens.keys  # any keys: the stand-in decides by the text's vector
    with Index.open(db) as index:
        harbour = index.sources()[-1].rowid
        search = index.sentences(ENCODER)
        seen: list[Sequence[Candidate]] = []
        finder = IndexFinder(search, [])
        assert finder.find_by_meaning(keys, quote, lambda k, t, n: seen.append(n) or _decide(k, t, n)) is None
        assert seen[0][0].source == harbour and "breakwater" in seen[0][0].text and len(seen[0]) == 10
        assert finder.missed == {harbour}  # the scan compares again with that source
        rowids = [r.rowid for r in index.sources()]
        everything = [index.text(r) for r in rowids]
        found = IndexFinder(search, rowids).find_by_meaning(keys, quote, _decide)
        assert found == SentenceIndex(everything, ENCODER).find_by_meaning(keys, quote, _decide)
        assert found is not None and found.source == len(rowids) - 1


def test_scan_with_a_decision_by_meaning_equals_compare(corpus: tuple[Path, list[Path], Path], tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """With a pipeline that asks the decision by meaning (the stand-in) where the lexical search finds
    nothing, a scan reports what compare against every source with the same encoder reports."""
    db, paths, doc_path = corpus
    original = pipeline.judge_unmatched

    def by_meaning(plan: pipeline.PassagePlan, document: object, sources: pipeline.SourceSet) -> object:
        result = original(plan, document, sources)  # type: ignore[arg-type]
        keys = [document.tokens.keys[t] for t in plan.tokens]  # type: ignore[attr-defined]
        if result.verdict.value == "unsourced" and sources.sentences.find_by_meaning(keys, plan.text, _decide):
            return replace(result, verdict=Verdict.PARAPHRASE)
        return result

    # A quotation sharing one content word with the source: lexically unsourced (two are needed).
    doc_path.write_text("# The harbour\n\nThe chair read out that \u201cthe breakwater is crumbling fast\u201d.\n",
                        encoding="utf-8")
    doc = load_text(str(doc_path), id="document", role="document")
    with Index.open(db) as index:
        everything = [index.text(r.rowid) for r in index.sources()]
    assert [p.verdict.value for p in compare_texts(doc, everything).passages] == ["unsourced"]
    monkeypatch.setattr(pipeline, "judge_unmatched", by_meaning)
    monkeypatch.setattr(scan_module, "default_encoder", lambda: ENCODER)
    result = scan([str(doc_path)], db, tmp_path / "out", jobs=1)
    outcome = result.outcomes[0]
    assert outcome.status == "compared" and outcome.sources == (str(paths[-1]),)
    full = render_json(compare_texts(doc, everything, paraphrases=SentenceIndex(everything, ENCODER)))
    scanned = json.loads((tmp_path / "out" / outcome.report).read_text(encoding="utf-8"))
    assert scanned["passages"] == json.loads(full)["passages"]
    assert [p["verdict"] for p in scanned["passages"]] == ["paraphrase"]


def test_another_encoders_vectors_are_refused_an_index_without_any_is_searched_lexically(
        corpus: tuple[Path, list[Path], Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    db, paths, doc_path = corpus
    other = HashedStemEncoder(1024, salt="b")
    with Index.open(db) as index, pytest.raises(UsageError, match="holds the vectors of 'test-hashed-stems-1024'"):
        index.sentences(other)
    with Index.create(db) as index, pytest.raises(UsageError, match="no encoder to add sources with"):
        index.add(paths)
    # scan: the installation's encoder must be the index's; one line, exit 2, before any worker starts.
    monkeypatch.setattr(scan_module, "default_encoder", lambda: other)
    code = main(["scan", str(doc_path), "--index", str(db), "--output", str(tmp_path / "out"), "--jobs", "1"])
    err = capsys.readouterr().err
    assert code == 2 and "not those of this installation's encoder 'test-hashed-stems-1024-b'" in err
    assert len(err.strip().splitlines()) == 1
    # An index with no vectors (built without --vectors) and an installation with an encoder: the lexical
    # search across the index, meaning judged among each document's sources.
    bare = tmp_path / "bare.db"
    with Index.create(bare) as index:
        index.add(paths)
    code = main(["scan", str(doc_path), "--index", str(bare), "--output", str(tmp_path / "out2"), "--jobs", "1"])
    assert code == 0, capsys.readouterr().err
    # No encoder in the installation: the lexical search, the vectors left alone.
    monkeypatch.setattr(scan_module, "default_encoder", lambda: None)
    assert main(["scan", str(doc_path), "--index", str(db), "--output", str(tmp_path / "out3"), "--jobs", "1"]) == 0


def test_a_new_encoder_encodes_every_source_again(corpus: tuple[Path, list[Path], Path]) -> None:
    db, paths, _ = corpus
    other = HashedStemEncoder(32, salt="c")
    with Index.create(db) as index:
        index.add(paths[:1], encoder=other)  # nothing new to index: the vectors are made again all the same
        assert index.encoder() == other.name
        assert index.stats()["vector_bytes"] == int(index.stats()["sentence_units"]) * 32 * 4
        assert index.sentences(other).nearest("harbour engineers warned breakwater", 1)


def test_default_encoder_is_none_without_provenance_meaning(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    real = importlib.import_module

    def no_meaning(name: str, package: str | None = None) -> object:
        if name == "provenance.meaning":
            raise ModuleNotFoundError(name=name)
        return real(name, package)

    monkeypatch.setattr(vectors.importlib, "import_module", no_meaning)
    assert vectors.default_encoder() is None
