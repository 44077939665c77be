"""Sentence vectors in the index, with a test double of an encoder (hashed bags of content stems):
storage, search, refusal of another encoder's vectors, and the scan's recruiting of sources by them.
The end-to-end scan with the real models is in test_scan_meaning.py."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from test_index import prose
from test_scan_paraphrase import DOCUMENT, HARBOUR

from provenance.cli import main
from provenance.comparator.paraphrase import SentenceIndex, unit_text
from provenance.corpus import scan as scan_module
from provenance.corpus import vectors
from provenance.corpus.hashed_encoder import HashedStemEncoder
from provenance.corpus.index import Index
from provenance.corpus.scan import IndexFinder
from provenance.errors import UsageError

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


def test_the_scan_finder_recruits_the_sources_of_units_near_by_vectors(corpus: tuple[Path, list[Path], Path],
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The units of the whole index nearest a quotation: those of the comparison's sources numbered in
    it, the sources of the others kept to join it, when the decision model finds them alike enough."""
    db, paths, doc_path = corpus
    # The double as the decision model: the filler units share up to 0.46 of its cosine with the quotation
    # by design, the harbour's sentence 0.87; the least cosine is set between them.
    monkeypatch.setattr(scan_module, "RECRUIT_MEANING", 0.6)
    quote = DOCUMENT.split("\u201c")[1].split("\u201d")[0]
    with Index.open(db) as index:
        rowids = [r.rowid for r in index.sources()]
        harbour = rowids[-1]
        search = index.sentences(ENCODER)
        unjudged = IndexFinder(search, [])
        assert unjudged.nearest_units(quote) == []
        near = search.nearest_units(quote)
        assert len(near) == 10 and near[0].source == harbour
        assert unjudged.missed == {n.source for n in near}  # no judge: every source near by vectors joins
        judged = IndexFinder(search, [], judge=ENCODER)  # the double as the decision model
        judged.nearest_units(quote)
        assert judged.missed == {harbour}, "only the source the judge finds alike joins the comparison"
        everything = [index.text(r) for r in rowids]
        inside = IndexFinder(search, rowids, judge=ENCODER)
        assert inside.nearest_units(quote) == SentenceIndex(everything, ENCODER).nearest_units(quote)
        assert inside.missed == set()


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


def test_a_documents_unmatched_quotations_are_searched_in_one_pass(corpus: tuple[Path, list[Path], Path],
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    db, _, _ = corpus
    quotes = ["the engineers of the harbour warned of winter storms", "a new ferry timetable in March",
              "the engineers of the harbour warned of winter storms", "the county budget for bridges"]
    with Index.open(db) as index:
        alone = [index.sentences(ENCODER).nearest_units(q) for q in quotes]
    with Index.open(db) as index:
        search = index.sentences(ENCODER)
        assert search.store is not None
        passes: list[int] = []
        real = search.store.nearest
        monkeypatch.setattr(search.store, "nearest", lambda texts, k: passes.append(len(texts)) or real(texts, k))
        finder = IndexFinder(search, [r.rowid for r in index.sources()])
        finder.prefetch(quotes)
        assert passes == [3]  # the three distinct quotations, in one matrix product
        assert [search.nearest_units(q) for q in quotes] == alone and passes == [3]
