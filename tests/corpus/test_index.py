"""The source index: build, add, stats, no-op rebuilds, changed sources, lookups, errors."""

from __future__ import annotations

import json
import random
import sqlite3
from pathlib import Path

import pytest

from provenance.cli import main
from provenance.corpus.index import Index, shingles
from provenance.errors import InputError
from provenance.load import load_text
from provenance.model import SourceEntry
from provenance.text import tokenize

ROOT = Path(__file__).resolve().parents[2]
LETTER = ROOT / "inputs" / "letter-2020-01-06.txt"
WIRE = ROOT / "inputs" / "wire-report.txt"

WORDS = ("harbour council ferry winter budget river bridge station market school doctor tender mayor "
         "village county engineer railway storm repair meeting").split()


def prose(seed: int, n: int) -> str:
    """Deterministic filler prose of `n` words."""
    rng = random.Random(seed)
    out = []
    for k in range(n):
        w = rng.choice(WORDS) + rng.choice(("", "s", "ed", "ing"))
        out.append(w + ("." if k % 11 == 10 else ""))
    return " ".join(out) + "\n"


@pytest.fixture
def corpus(tmp_path: Path) -> list[Path]:
    """The two real sources of inputs/ and three filler sources."""
    paths = [tmp_path / "letter.txt", tmp_path / "wire.txt"]
    paths[0].write_bytes(LETTER.read_bytes())
    paths[1].write_bytes(WIRE.read_bytes())
    for k in range(3):
        p = tmp_path / f"filler-{k}.txt"
        p.write_text(prose(k, 400), encoding="utf-8")
        paths.append(p)
    return paths


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_shingles_skip_stop_word_trigrams_and_are_stable() -> None:
    keys = tokenize("People of the and the harbour council").keys
    grams = shingles(keys)
    # "of the and" and "the and the" are stop words only: too common to store.
    assert [pos for _, pos in grams] == [0, 3, 4]
    assert grams == shingles(list(keys))  # same keys, same hashes
    assert all(0 <= h < 2**63 for h, _ in grams)
    assert shingles(tokenize("and the of").keys) == []


def test_build_stats_and_noop_rebuild(tmp_path: Path, corpus: list[Path], capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "idx.db"
    code, out, err = cli(capsys, "index", "build", *map(str, corpus), "--index", str(db))
    assert code == 0, err
    assert out.startswith("5 added, 0 re-indexed (changed), 0 unchanged, 0 removed")
    with Index.open(db) as idx:
        before = (idx.sources(), idx.stats(), idx.fingerprint())
    assert before[1]["sources"] == 5
    words = sum(len(load_text(p).tokens) for p in corpus)
    assert before[1]["words"] == words
    code, out, _ = cli(capsys, "index", "build", *map(str, corpus), "--index", str(db))
    assert code == 0 and out.startswith("0 added, 0 re-indexed (changed), 5 unchanged, 0 removed")
    with Index.open(db) as idx:
        assert (idx.sources(), idx.stats()["shingles"], idx.fingerprint()) == (before[0], before[1]["shingles"],
                                                                                before[2])
    code, out, _ = cli(capsys, "index", "stats", "--index", str(db), "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["sources"] == 5 and data["words"] == words and data["changed_sources"] == []
    code, out, _ = cli(capsys, "index", "stats", "--index", str(db))
    assert "sources: 5" in out and "changed_sources: 0" in out


def test_add_and_build_replace(tmp_path: Path, corpus: list[Path], capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "idx.db"
    assert cli(capsys, "index", "build", *map(str, corpus[:2]), "--index", str(db))[0] == 0
    code, out, _ = cli(capsys, "index", "add", *map(str, corpus[1:]), "--index", str(db))
    assert code == 0 and out.startswith("3 added, 0 re-indexed (changed), 1 unchanged;")
    with Index.open(db) as idx:
        assert [Path(r.path).name for r in idx.sources()] == [p.name for p in corpus]
        rows_all = idx.stats()["shingles"]
    # build makes the index hold exactly what it is given: the others go, with their shingles.
    code, out, _ = cli(capsys, "index", "build", str(corpus[0]), "--index", str(db))
    assert code == 0 and out.startswith("0 added, 0 re-indexed (changed), 1 unchanged, 4 removed")
    with Index.open(db) as idx:
        assert [Path(r.path).name for r in idx.sources()] == ["letter.txt"]
        rows_one = idx.stats()["shingles"]
        assert rows_one == len(shingles(load_text(corpus[0]).tokens.keys)) < rows_all
        assert not idx.lookup(tokenize(WIRE.read_text(encoding="utf-8")).keys[:30])


def test_directories_are_expanded(tmp_path: Path, corpus: list[Path], capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "x.txt").write_text(prose(9, 50), encoding="utf-8")
    db = tmp_path / "sub" / "idx.db"
    db.parent.mkdir()
    code, out, _ = cli(capsys, "index", "build", str(tmp_path), "--index", str(db))
    assert code == 0 and out.startswith("5 added")


def test_a_link_leading_out_of_a_folder_is_not_followed(tmp_path: Path, corpus: list[Path],
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    outside = tmp_path.parent / f"{tmp_path.name}-outside.txt"
    outside.write_text(prose(7, 50), encoding="utf-8")
    (tmp_path / "secret.txt").symlink_to(outside)  # a folder of sources someone else made
    (tmp_path / "again.txt").symlink_to(corpus[0])  # a link inside the folder is kept
    db = tmp_path / "sub" / "idx.db"
    db.parent.mkdir()
    code, out, _ = cli(capsys, "index", "build", str(tmp_path), "--index", str(db))
    assert code == 0 and out.startswith("6 added"), out
    with Index.open(db) as idx:
        assert "secret.txt" not in {Path(r.path).name for r in idx.sources()}
    outside.unlink()


def test_changed_source_is_detected_and_reindexed(tmp_path: Path, corpus: list[Path],
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "idx.db"
    assert cli(capsys, "index", "build", *map(str, corpus), "--index", str(db))[0] == 0
    with Index.open(db) as idx:
        old_sha = idx.sources()[2].sha256
        fingerprint = idx.fingerprint()
    corpus[2].write_text(prose(99, 300), encoding="utf-8")
    corpus[3].unlink()
    with Index.open(db) as idx:
        changed = idx.changed()
    assert [(Path(c.path).name, c.indexed_sha256, c.current_sha256 is None) for c in changed] == [
        ("filler-0.txt", old_sha, False), ("filler-1.txt", changed[1].indexed_sha256, True)]
    code, out, _ = cli(capsys, "index", "stats", "--index", str(db))
    assert "changed_sources: 2" in out and "filler-1.txt: missing or unreadable" in out
    code, out, _ = cli(capsys, "index", "add", str(corpus[2]), "--index", str(db))
    assert code == 0 and out.startswith("0 added, 1 re-indexed (changed), 0 unchanged")
    with Index.open(db) as idx:
        assert [Path(c.path).name for c in idx.changed()] == ["filler-1.txt"]
        assert idx.fingerprint() != fingerprint
        text = idx.text(next(r.rowid for r in idx.sources() if r.path == str(corpus[2])))
        assert text == load_text(corpus[2])  # the stored text is exactly what load_text reads


def _orphans(db: Path) -> dict[str, int]:
    """Rows of each table that belong to no indexed source."""
    conn = sqlite3.connect(db)
    try:
        query = "SELECT count(*) FROM {} WHERE source NOT IN (SELECT rowid FROM sources)"
        return {t: conn.execute(query.format(t)).fetchone()[0] for t in ("shingles", "units")}
    finally:
        conn.close()


def test_a_re_index_that_fails_keeps_the_old_rows_of_the_changed_source(
        tmp_path: Path, corpus: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """The old rows of a changed source are removed in the transaction that writes its new ones, so
    a write that fails leaves the index as it was, not without the source."""
    from provenance.corpus import index as index_module

    db = tmp_path / "idx.db"
    with Index.create(db) as idx:
        idx.add(corpus)
        before = [(r.path, r.sha256) for r in idx.sources()]
        quote = load_text(corpus[2]).original.split(".")[3]
        assert idx.lookup(tokenize(quote).keys)
    corpus[2].write_text(prose(99, 300), encoding="utf-8")

    def fail(self: object, rowid: int, text: object) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(index_module.SentenceWriter, "add", fail)
    with Index.open(db, writable=True) as idx, pytest.raises(Exception, match="cannot write index"):
        idx.add(corpus)
    monkeypatch.undo()
    with Index.open(db) as idx:
        assert [(r.path, r.sha256) for r in idx.sources()] == before
        hits = idx.lookup(tokenize(quote).keys)
        assert hits and hits[0].source == idx.sources()[2].rowid
    assert _orphans(db) == {"shingles": 0, "units": 0}


def test_a_re_index_interrupted_by_any_error_rolls_back_and_can_be_retried_on_the_same_index(
        tmp_path: Path, corpus: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """An error that is not SQLite's (an encoder's, Ctrl-C) still rolls the transaction back: a
    retry on the same open index re-indexes the changed source instead of reading its own
    uncommitted rows and calling it unchanged."""
    from provenance.corpus import index as index_module

    db = tmp_path / "idx.db"
    with Index.create(db) as idx:
        idx.add(corpus)
    corpus[1].write_text(prose(98, 300), encoding="utf-8")
    real = index_module.SentenceWriter.add

    def interrupted(self: object, rowid: int, text: object) -> None:
        raise KeyboardInterrupt

    with Index.open(db, writable=True) as idx:
        monkeypatch.setattr(index_module.SentenceWriter, "add", interrupted)
        with pytest.raises(KeyboardInterrupt):
            idx.add(corpus)
        assert not idx.conn.in_transaction
        monkeypatch.setattr(index_module.SentenceWriter, "add", real)
        result = idx.add(corpus)
        assert str(corpus[1]) not in [str(p) for p in result.unchanged]
    with Index.open(db) as idx:
        assert load_text(corpus[1]).sha256 in [r.sha256 for r in idx.sources()]
    assert _orphans(db) == {"shingles": 0, "units": 0}


def test_a_re_index_reads_only_the_changed_sources_into_texts(
        tmp_path: Path, corpus: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """An unchanged source is known by the hash of its bytes; only a new or changed one is decoded
    and tokenized again."""
    from provenance.corpus import index as index_module

    db = tmp_path / "idx.db"
    with Index.create(db) as idx:
        idx.add(corpus)
    read: list[str] = []
    real = index_module.text_of_bytes

    def counting(data: bytes, label: str, **kw: object) -> object:
        read.append(Path(str(kw["path"])).name)
        return real(data, label, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(index_module, "text_of_bytes", counting)
    corpus[3].write_text(prose(77, 300), encoding="utf-8")
    with Index.open(db, writable=True) as idx:
        result = idx.add(corpus)
    assert read == ["filler-1.txt"]
    assert [Path(p).name for p in result.updated] == ["filler-1.txt"] and len(result.unchanged) == 4
    with Index.open(db) as idx:
        text = idx.text(next(r.rowid for r in idx.sources() if r.path == str(corpus[3])))
        assert text == load_text(corpus[3])


def test_removing_many_sources_at_once_leaves_no_rows_of_theirs(
        tmp_path: Path, corpus: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """`build` (replace) removes the sources not named in statements of a few sources each; none of
    their shingles, units or stems is left behind, and the others are still found."""
    from provenance.corpus import index as index_module

    monkeypatch.setattr(index_module, "_DELETE_CHUNK", 2)
    extra = []
    for k in range(5):
        p = tmp_path / f"extra-{k}.txt"
        p.write_text(prose(50 + k, 300), encoding="utf-8")
        extra.append(p)
    db = tmp_path / "idx.db"
    with Index.create(db) as idx:
        idx.add([*corpus, *extra])
    for k in range(3):  # the three filler sources change too: re-indexed in the same batch
        corpus[2 + k].write_text(prose(200 + k, 300), encoding="utf-8")
    with Index.open(db, writable=True) as idx:
        result = idx.add(corpus, replace=True)
        assert sorted(Path(p).name for p in result.removed) == [f"extra-{k}.txt" for k in range(5)]
        assert len(result.updated) == 3
        assert [Path(r.path).name for r in idx.sources()] == [p.name for p in corpus]
        for p in corpus[2:]:
            quote = load_text(p).original.split(".")[2]
            hits = idx.lookup(tokenize(quote).keys)
            assert hits and hits[0].source == next(r.rowid for r in idx.sources() if r.path == str(p))
    assert _orphans(db) == {"shingles": 0, "units": 0}
    conn = sqlite3.connect(db)
    try:
        left = conn.execute("SELECT count(*) FROM stem_units WHERE unit NOT IN (SELECT id FROM units)").fetchone()[0]
        assert left == 0
    finally:
        conn.close()


def _edit(words: list[str]) -> list[str]:
    """Substitute, drop and insert a word, about ten words apart, and swap two."""
    out = list(words)
    out[5] = "rhubarb"
    del out[15]
    out.insert(24, "allegedly")
    out[30], out[31] = out[31], out[30]
    return out


@pytest.mark.parametrize("start", [0, 80, 150])
def test_lookup_finds_the_span_of_an_edited_quotation(tmp_path: Path, corpus: list[Path], start: int) -> None:
    db = tmp_path / "idx.db"
    with Index.create(db) as idx:
        idx.add(corpus)
    letter = load_text(corpus[0])
    words = letter.original[letter.tokens.starts[start]:letter.tokens.ends[start + 35]].split()
    quote = " ".join(_edit(words))
    with Index.open(db) as idx:
        hits = idx.lookup(tokenize(quote).keys)
        letter_id = idx.sources()[0].rowid
    assert hits, quote
    best = hits[0]
    assert best.source == letter_id
    assert best.lo <= start and best.hi >= start + 35  # the window covers the quoted words
    assert best.hi - best.lo < 3 * 36  # and is not the whole source


def test_lookup_with_a_word_changed_in_every_four(tmp_path: Path, corpus: list[Path]) -> None:
    """Edits every fourth word leave one intact trigram between them: still enough to find it."""
    db = tmp_path / "idx.db"
    with Index.create(db) as idx:
        idx.add(corpus)
    wire = load_text(corpus[1])
    start = 100
    words = wire.original[wire.tokens.starts[start]:wire.tokens.ends[start + 39]].split()
    edited = [("zanzibar" if k % 4 == 3 else w) for k, w in enumerate(words)]
    with Index.open(db) as idx:
        hits = idx.lookup(tokenize(" ".join(edited)).keys)
        assert hits and hits[0].source == idx.sources()[1].rowid
        assert hits[0].lo <= start + 3 and hits[0].hi >= start + 36
        # An edit every third word leaves no trigram: the index does not find it (a documented limit).
        every_third = [("zanzibar" if k % 3 == 2 else w) for k, w in enumerate(words)]
        assert idx.lookup(tokenize(" ".join(every_third)).keys) == []


def test_lookup_of_unknown_text_finds_nothing(tmp_path: Path, corpus: list[Path]) -> None:
    db = tmp_path / "idx.db"
    with Index.create(db) as idx:
        idx.add(corpus)
        assert idx.lookup(tokenize("Completely unrelated zebra xylophone quantum marmalade words").keys) == []


def test_candidates_of_a_document(tmp_path: Path, corpus: list[Path]) -> None:
    db = tmp_path / "idx.db"
    with Index.create(db) as idx:
        idx.add(corpus)
        doc = load_text(ROOT / "inputs" / "article.md", id="document")
        names = [Path(idx.sources()[0].path).name, Path(idx.sources()[1].path).name]
        chosen = idx.candidates(doc)
        assert [Path(r.path).name for r in idx.sources() if r.rowid in chosen] == names
        filler = load_text(corpus[3], id="document")
        assert [Path(r.path).name for r in idx.sources() if r.rowid in idx.candidates(filler)] == ["filler-1.txt"]


def test_errors_are_one_line(tmp_path: Path, corpus: list[Path], capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "none.db"
    code, _, err = cli(capsys, "index", "stats", "--index", str(missing))
    assert code == 2 and err.count("\n") == 1 and "no such file" in err
    code, _, err = cli(capsys, "index", "add", str(corpus[0]), "--index", str(missing))
    assert code == 2 and err.count("\n") == 1 and "no such file" in err and not missing.exists()
    corrupt = tmp_path / "corrupt.db"
    corrupt.write_bytes(b"this is not a database at all" * 100)
    code, _, err = cli(capsys, "index", "stats", "--index", str(corrupt))
    assert code == 2 and err.count("\n") == 1 and "not a provenance index" in err
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t (x)")
    code, _, err = cli(capsys, "index", "build", str(corpus[0]), "--index", str(other))
    assert code == 2 and err.count("\n") == 1 and "not a provenance index" in err
    code, _, err = cli(capsys, "index", "build", str(tmp_path / "nope.txt"), "--index", str(tmp_path / "new.db"))
    assert code == 2 and err.count("\n") == 1 and "nope.txt" in err
    assert not list(tmp_path.glob("new.db*"))  # a failed first build leaves no index behind
    code, _, err = cli(capsys, "index", "build", str(corpus[0]), "--index", str(tmp_path / "no" / "dir.db"))
    assert code == 2 and err.count("\n") == 1 and "no directory" in err
    with pytest.raises(InputError):
        Index.open(missing)


def test_a_stored_description_gives_back_every_field_of_the_entry(tmp_path: Path) -> None:
    import dataclasses

    from provenance.corpus.index import _description, source_entry

    src = tmp_path / "talk.txt"
    src.write_text("A talk\n\nWords of the talk.\n", encoding="utf-8")
    fields = {f.name for f in dataclasses.fields(SourceEntry)}
    (tmp_path / "talk.txt.source.toml").write_text(
        'id = "talk"\ntitle = "A talk"\nauthor = "Ann Lee"\npublisher = "Radio"\ndate = "2024-03-01"\n'
        'url = "https://example.org/talk"\naliases = ["the talk"]\nspeaker = ["ANN LEE", "HOST"]\n', encoding="utf-8")
    entry = source_entry(_description(src))
    assert entry is not None and all(getattr(entry, name) not in (None, ()) for name in fields), entry
    assert source_entry(None) is None and _description(tmp_path / "none.txt") is None


@pytest.mark.parametrize("stored", ["{not json", "[1, 2]", '{"title": 3}', '{"aliases": "ab"}'])
def test_a_damaged_stored_description_is_one_line_about_the_index(tmp_path: Path, stored: str) -> None:
    src = tmp_path / "talk.txt"
    src.write_text("A talk\n\nWords of the talk.\n", encoding="utf-8")
    (tmp_path / "talk.txt.source.toml").write_text('title = "A talk"\n', encoding="utf-8")
    db = tmp_path / "idx.db"
    with Index.create(db) as index:
        index.add([src])
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE sources SET description = ?", (stored,))
    with Index.open(db) as index, pytest.raises(InputError, match="description .* is damaged") as err:
        index.entry(index.sources()[0].rowid)
    assert "\n" not in err.value.message
