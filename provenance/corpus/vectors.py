"""Sentence vectors in the index: one packed float32 matrix per source, searched with numpy.

An encoder (`Encoder`: a sentence-embedding model, `provenance.meaning.recruiting_encoder()` when it
is installed: fast static vectors, which find the candidates the comparison's model then decides on)
turns each sentence unit of a source (the units of `paraphrase.sentence_units`, their original text)
into an L2-normalised float32 row. The index keeps, per source, the matrix of its units' rows
(`vectors`: source, first unit, count, blob of count x dim float32 in little-endian order) and, in
`meta`, the encoder's name and dimension. Vectors made by one encoder mean nothing to another, so
an index records which made them, and:

* adding sources with another encoder, or to an index that has none yet, encodes every source
  again with the new one; adding sources with no encoder to an index that holds vectors is refused;
* a scan with an encoder needs the index's vectors to be that encoder's (`check_encoder`), and
  without an encoder it leaves the vectors alone and searches lexically, as `compare` does then.

Search (`VectorStore.nearest`): the matrices of all sources are read once into one (units x dim)
array; a query is encoded and scored by one matrix product (cosine similarity, the rows being
normalised); the k best units are kept with `argpartition` and ordered by similarity, then unit.
Numpy rather than the `sqlite-vec` extension: Python builds without `enable_load_extension` (this
one, several system Pythons) cannot load an SQLite extension at all, and a brute-force product over
float32 rows is what sqlite-vec's `vec0` does too, measured 3.9x slower than numpy on 735,547 rows
of 64 dimensions (`benchmarks/vector_search.py`).
"""

from __future__ import annotations

import importlib
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from provenance.errors import UsageError

if TYPE_CHECKING:
    import numpy
    from numpy.typing import NDArray

VECTOR_TABLE = """
    CREATE TABLE vectors (source INTEGER PRIMARY KEY, first_unit INTEGER NOT NULL, count INTEGER NOT NULL,
        matrix BLOB NOT NULL);
"""
ENCODER_KEY = "encoder"
DIM_KEY = "encoder_dim"


class Encoder(Protocol):
    """A sentence encoder (the interface of `provenance.meaning`'s)."""

    name: str
    """Model id and a short sha256 of its weights: vectors of two encoders of different names differ."""
    dim: int

    def encode(self, texts: Sequence[str]) -> NDArray[numpy.float32]:
        """float32 array (len(texts), dim), rows L2-normalised."""
        ...


def default_encoder() -> Encoder | None:
    """The encoder of an index's vectors in this installation: `provenance.meaning.recruiting_encoder()`
    (None from it when its model is not installed)."""
    try:
        module = importlib.import_module("provenance.meaning")
    except ModuleNotFoundError as exc:
        if exc.name != "provenance.meaning":
            raise
        return None
    found: Encoder | None = module.recruiting_encoder()
    return found


def encoder_of(conn: sqlite3.Connection) -> str | None:
    """The name of the encoder whose vectors the index holds, or None."""
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (ENCODER_KEY,)).fetchone()
    return str(row[0]) if row else None


def check_encoder(conn: sqlite3.Connection, label: str, encoder: Encoder | None) -> bool:
    """Whether a search with `encoder` can use the index's vectors (False: no encoder, search lexically);
    a `UsageError` line when the encoder has no vectors in the index (another's, or none)."""
    if encoder is None:
        return False
    held = encoder_of(conn)
    if held == encoder.name:
        return True
    has = f"the vectors of {held!r}" if held else "no sentence vectors"
    raise UsageError(f"{label} holds {has}, not those of this installation's encoder {encoder.name!r}: build it "
                     "again with 'provenance index build' so that scan searches paraphrases by meaning as compare does",
                     parameter="index")


def _matrix(encoder: Encoder, texts: Sequence[str]) -> bytes:
    """The encoder's rows for `texts`, checked, as little-endian float32 bytes."""
    import numpy as np

    rows = np.asarray(encoder.encode(list(texts)))
    if rows.shape != (len(texts), encoder.dim):
        raise UsageError(f"the encoder {encoder.name!r} gave an array of shape {rows.shape} for {len(texts)} "
                         f"sentences of dimension {encoder.dim}")
    out: bytes = rows.astype("<f4", copy=False).tobytes()
    return out


def encode_rows(encoder: Encoder, texts: Sequence[str]) -> NDArray[numpy.float32]:
    """The encoder's rows for `texts`, checked, as the float32 array the index stores and reads back."""
    import numpy as np

    return np.frombuffer(_matrix(encoder, texts), dtype="<f4").reshape(len(texts), encoder.dim).astype(np.float32)


class VectorWriter:
    """Writes sources' unit vectors inside the caller's transaction."""

    def __init__(self, conn: sqlite3.Connection, encoder: Encoder) -> None:
        self.conn = conn
        self.encoder = encoder

    def add(self, rowid: int, units: Sequence[tuple[int, str]]) -> None:
        """Store the vectors of source `rowid`'s units (their ids, consecutive, and texts)."""
        if not units:
            return
        blob = _matrix(self.encoder, [t for _, t in units])
        self.conn.execute("INSERT INTO vectors (source, first_unit, count, matrix) VALUES (?, ?, ?, ?)",
                          (rowid, units[0][0], len(units), blob))

    def claim(self) -> None:
        """Record in the index that its vectors are this encoder's."""
        self.conn.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                              [(ENCODER_KEY, self.encoder.name), (DIM_KEY, str(self.encoder.dim))])


def plan_vectors(conn: sqlite3.Connection, label: str, encoder: Encoder | None, has_sources: bool) -> bool:
    """Whether the sources already in the index must be encoded again before others are added (an
    encoder new to the index); a `UsageError` line when sources would be added with no encoder to an
    index that holds vectors."""
    held = encoder_of(conn)
    if encoder is None:
        if held is not None:
            raise UsageError(f"{label} holds the sentence vectors of {held!r}, and this installation has no "
                             "encoder to add sources with: install it, or build the index anew", parameter="index")
        return False
    return held != encoder.name and has_sources


@dataclass(frozen=True, slots=True)
class Neighbour:
    """A unit near a query, by its vector."""

    unit: int
    similarity: float


class VectorStore:
    """The index's vectors, read once, searched by matrix product."""

    def __init__(self, conn: sqlite3.Connection, encoder: Encoder) -> None:
        import numpy as np

        self.encoder = encoder
        total = int(conn.execute("SELECT coalesce(sum(count), 0) FROM vectors").fetchone()[0])
        self.matrix: NDArray[numpy.float32] = np.empty((total, encoder.dim), dtype=np.float32)
        self.units: NDArray[numpy.int64] = np.empty(total, dtype=np.int64)
        at = 0
        rows = conn.execute("SELECT source, first_unit, count, matrix FROM vectors ORDER BY first_unit")
        for source, first, count, blob in rows:
            if len(blob) != count * encoder.dim * 4:
                raise UsageError(f"the sentence vectors of index source number {source} are damaged: build the "
                                 "index again with 'provenance index build'")
            self.matrix[at:at + count] = np.frombuffer(blob, dtype="<f4").reshape(count, encoder.dim)
            self.units[at:at + count] = np.arange(first, first + count, dtype=np.int64)
            at += count
        if at != total:
            raise UsageError("the index's sentence vectors changed while they were read")

    def nearest(self, texts: Sequence[str], k: int) -> list[list[Neighbour]]:
        """The `k` units nearest each text, best first."""
        queries = encode_rows(self.encoder, texts)
        return [[Neighbour(int(self.units[i]), s) for i, s in row] for row in top_k(self.matrix, queries, k)]


def top_k(matrix: NDArray[numpy.float32], queries: NDArray[numpy.float32], k: int) -> list[list[tuple[int, float]]]:
    """For each query row, the `k` rows of `matrix` of highest dot product (row number, similarity),
    best first, ties by row number."""
    import numpy as np

    n = matrix.shape[0]
    if n == 0 or k <= 0:
        return [[] for _ in range(queries.shape[0])]
    scores = matrix @ queries.astype(np.float32).T  # (n, queries): one pass over the rows for all queries
    out = []
    for row in scores.T:
        if k < n:
            kth = row[np.argpartition(row, n - k)[n - k:]].min()
            keep = np.flatnonzero(row >= kth)  # every row tied with the k-th best, so that ties go by row number
        else:
            keep = np.arange(n)
        order = sorted(keep.tolist(), key=lambda i: (-float(row[i]), i))[:k]
        out.append([(i, round(float(row[i]), 6)) for i in order])
    return out


def vector_bytes(conn: sqlite3.Connection) -> int:
    """The bytes of vectors the index holds."""
    return int(conn.execute("SELECT coalesce(sum(length(matrix)), 0) FROM vectors").fetchone()[0])


__all__ = ["Encoder", "Neighbour", "VectorStore", "VectorWriter", "check_encoder", "default_encoder", "encoder_of",
           "plan_vectors", "top_k", "vector_bytes", "VECTOR_TABLE"]
