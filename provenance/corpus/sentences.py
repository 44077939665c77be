"""The sentences of every indexed source, for a paraphrase search across the whole index.

`compare` cuts its sources into units (clauses, long ones in pieces: `paraphrase.sentence_units`)
and weights each content stem by its rarity across all of them. An index keeps the same data for
all its sources, so that a scan searches every indexed source, with the weights of all of them,
without loading them, and finds the paraphrase `compare` finds against every indexed source:

* `units` (id, source, lo, hi, keys): one row per unit, ids in index order (a source's units follow
  each other, and a source indexed later has higher ids), `keys` its folded words joined by spaces;
* `stems` (stem, df): for each content stem, how many units hold it;
* `stem_units` (stem, unit): which units hold it, clustered on the stem (one B-tree seek per stem).

`IndexedSentences` is the search (`paraphrase.SentenceSearch`) over these tables.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Callable, Sequence
from functools import lru_cache
from operator import itemgetter

from provenance.comparator.paraphrase import SentenceSearch, content_stems, sentence_units, unit_text
from provenance.corpus.vectors import VectorStore
from provenance.text import Text

TABLES = """
    CREATE TABLE units (id INTEGER PRIMARY KEY, source INTEGER NOT NULL, lo INTEGER NOT NULL, hi INTEGER NOT NULL,
        keys TEXT NOT NULL);
    CREATE INDEX units_by_source ON units (source);
    CREATE TABLE stems (stem TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID;
    CREATE TABLE stem_units (stem TEXT NOT NULL, unit INTEGER NOT NULL, PRIMARY KEY (stem, unit)) WITHOUT ROWID;
"""


class SentenceWriter:
    """Writes the units of sources being indexed, inside the caller's transaction."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.next_unit = int(conn.execute("SELECT coalesce(max(id), 0) + 1 FROM units").fetchone()[0])
        self.df: Counter[str] = Counter()
        self.rows: list[tuple[str, int]] = []

    def add(self, rowid: int, text: Text) -> list[tuple[int, str]]:
        """Store the units of `text` (source `rowid`); their ids and texts (for vectors)."""
        keys = text.tokens.keys
        units = []
        out = []
        for lo, hi in sentence_units(text):
            u = self.next_unit
            self.next_unit += 1
            words = keys[lo:hi]
            units.append((u, rowid, lo, hi, " ".join(words)))
            stems = set(content_stems(words))
            self.df.update(stems)
            self.rows.extend((st, u) for st in stems)
            out.append((u, unit_text(text, lo, hi)))
        self.conn.executemany("INSERT INTO units (id, source, lo, hi, keys) VALUES (?, ?, ?, ?, ?)", units)
        return out

    def flush(self) -> None:
        """Write the stems gathered so far (sorted: the B-tree is filled in order)."""
        self.rows.sort(key=itemgetter(0))  # stable: the units of a stem stay in the order they were added
        self.conn.executemany("INSERT INTO stem_units (stem, unit) VALUES (?, ?)", self.rows)
        self.conn.executemany("INSERT INTO stems (stem, df) VALUES (?, ?) "
                              "ON CONFLICT (stem) DO UPDATE SET df = df + excluded.df", sorted(self.df.items()))
        self.rows = []
        self.df = Counter()


def delete_units(conn: sqlite3.Connection, rowid: int) -> None:
    """Remove the units of source `rowid` and their stems, inside the caller's transaction."""
    units = conn.execute("SELECT id, keys FROM units WHERE source = ?", (rowid,)).fetchall()
    df: Counter[str] = Counter()
    rows: list[tuple[str, int]] = []
    for u, keys in units:
        stems = set(content_stems(keys.split(" ")))
        df.update(stems)
        rows.extend((st, u) for st in stems)
    conn.executemany("DELETE FROM stem_units WHERE stem = ? AND unit = ?", rows)
    conn.executemany("UPDATE stems SET df = df - ? WHERE stem = ?", [(n, st) for st, n in sorted(df.items())])
    conn.execute("DELETE FROM stems WHERE df <= 0")
    conn.execute("DELETE FROM units WHERE source = ?", (rowid,))


class IndexedSentences(SentenceSearch):
    """The paraphrase search over every unit of an index (read through `conn`).

    Its `Paraphrase.source` is the source's rowid in the index."""

    def __init__(self, conn: sqlite3.Connection, text_of: Callable[[int], Text] | None = None,
                 store: VectorStore | None = None) -> None:
        super().__init__()
        self.conn = conn
        self.text_of = text_of
        """The indexed source of a rowid (`Index.text`), for the texts of units near a quotation."""
        self.store = store
        """The index's vectors, when the search is by an encoder whose vectors the index holds."""
        self.n = max(1, int(conn.execute("SELECT count(*) FROM units").fetchone()[0]))
        self._count = lru_cache(maxsize=1 << 16)(self._count_of)
        self._units: dict[int, tuple[int, int, int, list[str]]] = {}

    def _count_of(self, st: str) -> int:
        row = self.conn.execute("SELECT df FROM stems WHERE stem = ?", (st,)).fetchone()
        return int(row[0]) if row else 0

    def count(self, st: str) -> int:
        return int(self._count(st))

    def first_units(self, st: str, limit: int) -> Sequence[int]:
        rows = self.conn.execute("SELECT unit FROM stem_units WHERE stem = ? ORDER BY unit LIMIT ?", (st, limit))
        return [r[0] for r in rows]

    def has_stem(self, u: int, st: str) -> bool:
        query = "SELECT 1 FROM stem_units WHERE stem = ? AND unit = ?"
        return self.conn.execute(query, (st, u)).fetchone() is not None

    def units_holding(self, st: str, units: Sequence[int]) -> list[int]:
        """One query per 500 units instead of one per unit."""
        held: set[int] = set()
        for k in range(0, len(units), 500):
            chunk = units[k:k + 500]
            marks = ", ".join("?" * len(chunk))
            held.update(r[0] for r in self.conn.execute(
                f"SELECT unit FROM stem_units WHERE stem = ? AND unit IN ({marks})", (st, *chunk)))
        return [u for u in units if u in held]

    def _row(self, u: int) -> tuple[int, int, int, list[str]]:
        found = self._units.get(u)
        if found is None:
            row = self.conn.execute("SELECT source, lo, hi, keys FROM units WHERE id = ?", (u,)).fetchone()
            if row is None:
                raise KeyError(u)
            if len(self._units) >= 4096:
                self._units.clear()
            found = self._units[u] = (row[0], row[1], row[2], row[3].split(" ") if row[3] else [])
        return found

    def unit(self, u: int) -> tuple[int, int, int]:
        si, lo, hi, _ = self._row(u)
        return si, lo, hi

    def unit_keys(self, u: int) -> Sequence[str]:
        return self._row(u)[3]

    def unit_text(self, u: int) -> str:
        si, lo, hi, _ = self._row(u)
        if self.text_of is None:
            raise ValueError("a search without the index's sources has no unit texts")
        return unit_text(self.text_of(si), lo, hi)

    def nearest(self, text: str, k: int) -> list[tuple[int, float]]:
        return self.nearest_many([text], k)[0]

    def nearest_many(self, texts: Sequence[str], k: int) -> list[list[tuple[int, float]]]:
        """One matrix product over the index's vectors for all `texts`."""
        if self.store is None or not texts:
            return [[] for _ in texts]
        return [[(n.unit, n.similarity) for n in row] for row in self.store.nearest(texts, k)]


__all__ = ["IndexedSentences", "SentenceWriter", "delete_units", "TABLES"]
