"""Paraphrase across the whole index: the index's sentence search equals compare's, and scan finds
what compare against every indexed source finds."""

from __future__ import annotations

import importlib.util
import json
import random
import sqlite3
import sys
from pathlib import Path

import pytest
from test_index import prose

from provenance.comparator.paraphrase import SentenceIndex, content_stems
from provenance.comparator.pipeline import compare_texts
from provenance.corpus.index import Index
from provenance.corpus.scan import scan
from provenance.errors import InputError
from provenance.load import load_text
from provenance.report.json_report import render_json

ROOT = Path(__file__).resolve().parents[2]

HARBOUR = ("Harbour notes for the season.\n\nHarbour engineers warned that the northern breakwater needs urgent "
           "repairs before the winter storms arrive. The ferry company will publish a new timetable in March.\n")
DOCUMENT = ("# The harbour\n\nAt the meeting, the chair read out that \u201cthe breakwater to the north urgently "
            "needs repair work before storms arrive this winter, warned the engineers of the harbour\u201d and "
            "moved on.\n")


def _agreement_module() -> object:
    spec = importlib.util.spec_from_file_location("scan_agreement", ROOT / "benchmarks" / "scan_agreement.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["scan_agreement"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def harbour(tmp_path: Path) -> tuple[Path, list[Path], Path]:
    """An index of four filler sources (stems in far more than 64 sentences) and one source holding the
    sentence the document paraphrases; the document."""
    src = tmp_path / "src"
    src.mkdir()
    paths = []
    for k in range(4):
        p = src / f"filler-{k}.txt"
        p.write_text(prose(k, 1500), encoding="utf-8")
        paths.append(p)
    (src / "harbour.txt").write_text(HARBOUR, encoding="utf-8")
    paths.append(src / "harbour.txt")
    db = tmp_path / "idx.db"
    with Index.create(db) as index:
        index.add(paths)
    doc = tmp_path / "doc.md"
    doc.write_text(DOCUMENT, encoding="utf-8")
    return db, paths, doc


def _passages(report_json: str) -> list[tuple[str, str | None, list[str]]]:
    data = json.loads(report_json)
    path_of = {s["id"]: s["path"] for s in data["sources"]}
    return [(p["verdict"], path_of.get((p.get("match") or {}).get("source")), [f["type"] for f in p["findings"]])
            for p in data["passages"]]


def test_scan_finds_a_paraphrase_the_ngrams_did_not_choose(harbour: tuple[Path, list[Path], Path],
                                                           tmp_path: Path) -> None:
    db, paths, doc_path = harbour
    doc = load_text(str(doc_path), id="document", role="document")
    with Index.open(db) as index:
        assert index.candidates(doc) == []  # no trigram of the rewording is in the source
        everything = [index.text(r.rowid) for r in index.sources()]
    # Against only the candidates (none), the quotation is unsourced; against all, a paraphrase.
    assert [v for v, _, _ in _passages(render_json(compare_texts(doc, [])))] == ["unsourced"]
    full = render_json(compare_texts(doc, everything))
    assert _passages(full) == [("paraphrase", str(paths[-1]), ["paraphrase"])]
    result = scan([str(doc_path)], db, tmp_path / "out", jobs=1)
    outcome = result.outcomes[0]
    assert outcome.status == "compared" and outcome.sources == (str(paths[-1]),)
    scanned = (tmp_path / "out" / outcome.report).read_text(encoding="utf-8")
    assert json.loads(scanned)["passages"] == json.loads(full)["passages"]


def _queries(texts: list[list[str]], rng: random.Random, n: int) -> list[list[str]]:
    """Quotations to search: source stretches, shuffled, with words dropped or doubled."""
    out = []
    for _ in range(n):
        keys = rng.choice(texts)
        lo = rng.randrange(max(1, len(keys) - 30))
        q = keys[lo:lo + rng.randint(4, 30)]
        rng.shuffle(q)
        out.append([w for w in q if rng.random() > 0.2] + rng.sample(q, min(2, len(q))))
    return out


def _same_search(index: Index, rng: random.Random) -> int:
    """How many queries found a paraphrase; asserts the index's search equals compare's on each."""
    records = index.sources()
    texts = [index.text(r.rowid) for r in records]
    memory = SentenceIndex(texts)
    indexed = index.sentences()
    assert indexed.n == memory.n
    found = 0
    for q in _queries([t.tokens.keys for t in texts], rng, 300):
        a, b = memory.find(q), indexed.find(q)
        if a is None or b is None:
            assert a is b, q
            continue
        found += 1
        assert (records[a.source].rowid, a.lo, a.hi, a.score, a.shared) == (b.source, b.lo, b.hi, b.score, b.shared)
    return found


def test_the_index_search_equals_compares_search(harbour: tuple[Path, list[Path], Path], tmp_path: Path) -> None:
    db, paths, _ = harbour
    rng = random.Random(13)
    with Index.open(db) as index:
        assert _same_search(index, rng) > 30
    # Re-indexing a changed source and removing one keep the tables what a fresh index would hold.
    paths[1].write_text(prose(99, 900), encoding="utf-8")
    with Index.create(db) as index:
        index.add(paths[1:], replace=True)
        assert _same_search(index, rng) > 30
        stored = dict(index.conn.execute("SELECT stem, df FROM stems"))
        counted: dict[str, int] = {}
        for (keys,) in index.conn.execute("SELECT keys FROM units"):
            for st in set(content_stems(keys.split(" "))):
                counted[st] = counted.get(st, 0) + 1
        assert stored == counted
        assert index.conn.execute("SELECT count(*) FROM stem_units").fetchone()[0] == sum(counted.values())


def test_an_index_of_the_previous_schema_is_refused_in_one_line(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    conn = sqlite3.connect(db)
    conn.executescript("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
                       "INSERT INTO meta VALUES ('schema', 'provenance.index/1');")
    conn.close()
    with pytest.raises(InputError, match="another version of provenance.*build it again"):
        Index.open(db)


def test_scan_of_the_evaluation_articles_equals_compare(shared: Path, tmp_path: Path) -> None:
    """Every evaluation article, scanned against an index of all the cases' sources, gets the findings
    of compare against all those sources."""
    module = _agreement_module()
    results = module.agreement(shared / "eval" / "cases" / "generated", tmp_path)  # type: ignore[attr-defined]
    assert len(results) >= 14
    assert [a.document for a in results if not a.agrees] == []
    assert any("paraphrase" in line for a in results for line in a.scan)


def test_a_scan_in_the_same_process_sees_the_index_as_it_is_now(tmp_path: Path) -> None:
    """A process that scans again after the index changed (a Dask worker kept between scans, a library
    caller) compares against the index as it is then, not as it was read the first time."""
    src = tmp_path / "src"
    src.mkdir()
    fillers = []
    for k in range(2):
        fillers.append(src / f"filler-{k}.txt")
        fillers[-1].write_text(prose(k, 300), encoding="utf-8")
    db = tmp_path / "idx.db"
    with Index.create(db) as index:
        index.add(fillers)
    doc = tmp_path / "doc.md"
    doc.write_text(DOCUMENT, encoding="utf-8")

    def verdicts(out: Path) -> list[str]:
        scan([doc], db, out, jobs=1)
        (report,) = out.glob("**/doc.md.json")
        return [p["verdict"] for p in json.loads(report.read_text(encoding="utf-8"))["passages"]]

    assert verdicts(tmp_path / "out1") == ["unsourced"]
    (src / "harbour.txt").write_text(HARBOUR, encoding="utf-8")
    with Index.create(db) as index:
        index.add([*fillers, src / "harbour.txt"])
    assert verdicts(tmp_path / "out2") == ["paraphrase"]
    # an index deleted and built anew at the same path is read anew too
    for f in tmp_path.glob("idx.db*"):
        f.unlink()
    with Index.create(db) as index:
        index.add(fillers)
    assert verdicts(tmp_path / "out3") == ["unsourced"]
