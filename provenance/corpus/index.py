"""Index: sources stored in an embedded SQLite database with a word-shingle index.

The index narrows, it never decides. It keeps each source's bytes (compressed), so that a scan
compares against exactly what was indexed, and, for every position of every source, a 63-bit
hash of the word trigram starting there (folded words, as `text.py` keys them). Looking up a
passage hashes its own trigrams, fetches their positions (trigrams found more than `COMMON_NGRAM_LIMIT`
times vote for nothing), lets the hits vote for a diagonal (source position minus passage
position) and returns the strongest stretches of sources as candidates; the voting is the one of
`ngrams.py`, which `locate` uses too. The comparator (`compare_texts`) then runs on the
candidate sources and decides what matches.

Trigrams rather than the 5-grams of `performance.md`: an edited quotation ("an edit every few
words") keeps far more intact trigrams, and trigrams made only of stop words, the ones too common
to anchor anything, are not stored at all.

Layout: `meta` (key/value: schema, n-gram length), `sources` (one row per source: path as given,
absolute path, id, sha256, words, bytes, zlib-compressed content) and `shingles` (hash, source,
position), a `WITHOUT ROWID` table clustered on the hash so a lookup is one B-tree seek per trigram.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import sqlite3
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter
from pathlib import Path

from provenance.comparator.extract import extract_passages
from provenance.comparator.ngrams import (
    Posting,
    bucket_votes,
    diagonal_votes,
    ngrams,
    positions_by_key,
    ranked_diagonals,
)
from provenance.comparator.paraphrase import unit_text
from provenance.comparator.tuning import CANDIDATE_NGRAM, CANDIDATE_WINDOWS, COMMON_NGRAM_LIMIT, REUSE_VOTES
from provenance.corpus.sentences import TABLES, IndexedSentences, SentenceWriter, delete_units
from provenance.corpus.vectors import (
    VECTOR_TABLE,
    Encoder,
    VectorStore,
    VectorWriter,
    check_encoder,
    encoder_of,
    plan_vectors,
    vector_bytes,
)
from provenance.decode import read_file_bytes
from provenance.errors import InputError, UsageError
from provenance.load import text_of_bytes
from provenance.load.registry import SIDECAR_SUFFIX, read_sidecar
from provenance.model import SourceEntry
from provenance.rules import STOPWORDS
from provenance.text import DEFAULT_MAX_BYTES, Text

SCHEMA = "provenance.index/2"
"""2: the sources' sentence units and their content stems (`sentences.py`), optional sentence vectors."""
BATCH_ROWS = 1_000_000
"""Shingle rows written per transaction."""
_DELETE_CHUNK = 500
"""Sources removed per statement (SQLite's limit on a statement's parameters is 32,766 at least)."""
_MASK = (1 << 63) - 1
_K1 = 0x9E3779B97F4A7C15
_K2 = 0xC2B2AE3D27D4EB4F


@lru_cache(maxsize=1 << 20)
def word_hash(key: str) -> int:
    """A stable 63-bit hash of a folded word (the same in every process and on every machine)."""
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "little") & _MASK


def shingles(keys: Sequence[str]) -> list[tuple[int, int]]:
    """(hash, position) of every word trigram of `keys` that is not made only of stop words."""
    hs = [word_hash(k) for k in keys]
    stop = [k in STOPWORDS for k in keys]
    return [(((a * _K1 + b) * _K2 + c) & _MASK, pos)
            for pos, (a, b, c) in enumerate(ngrams(hs, CANDIDATE_NGRAM))
            if not (stop[pos] and stop[pos + 1] and stop[pos + 2])]


@dataclass(frozen=True, slots=True)
class SourceRecord:
    """One indexed source."""

    rowid: int
    path: str
    """The path as it was given when the source was indexed (what reports show)."""
    abspath: str
    sha256: str
    words: int
    bytes: int
    description: str | None = None
    """Its sidecar description (`NAME.source.toml`) when it was indexed, as JSON, or None."""


@dataclass(frozen=True, slots=True)
class Hit:
    """A candidate stretch of a source, in words, for a looked-up passage."""

    source: int
    """The source's rowid."""
    lo: int
    hi: int
    votes: int


@dataclass(frozen=True, slots=True)
class AddResult:
    """What `Index.add` did with each source."""

    added: tuple[str, ...]
    updated: tuple[str, ...]
    unchanged: tuple[str, ...]
    removed: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Changed:
    """A source whose file no longer holds what was indexed."""

    path: str
    indexed_sha256: str
    current_sha256: str | None
    """None when the file is gone or unreadable."""


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files named, with the regular files of named directories (recursively, sorted, hidden ones
    left out, and links that lead out of the named directory too: a folder of sources someone else
    made can hold a link to `/etc/passwd`; a file named on its own is the user's choice). A source's
    description beside it (`NAME.source.toml`) is no source: it is stored with the source it describes."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            inside = p.resolve()
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and not f.name.endswith(SIDECAR_SUFFIX)
                              and not any(part.startswith(".") for part in f.relative_to(p).parts)
                              and f.resolve().is_relative_to(inside)))
        else:
            out.append(p)
    return out


def _description(path: str | Path) -> str | None:
    """The source's sidecar description as canonical JSON (what the index stores), or None: a sidecar
    that cannot be read is an input error here, as it is to `compare`."""
    entry = read_sidecar(path)
    return None if entry is None else json.dumps(dataclasses.asdict(entry), sort_keys=True, ensure_ascii=False)


_TEXT_FIELDS = ("id", "title", "author", "publisher", "date", "url")
_LIST_FIELDS = ("aliases", "speakers")


def source_entry(description: str | None) -> SourceEntry | None:
    """The `SourceEntry` a stored description holds; a `ValueError` when it is not one (a damaged index)."""
    if description is None:
        return None
    f = json.loads(description)
    if not isinstance(f, dict):
        raise ValueError("not a JSON object")
    texts_ok = all(f.get(k) is None or isinstance(f[k], str) for k in _TEXT_FIELDS)
    lists = [f.get(k, []) for k in _LIST_FIELDS]
    lists_ok = all(isinstance(v, list) and all(isinstance(x, str) for x in v) for v in lists)
    if not (texts_ok and lists_ok):
        raise ValueError("a field of the wrong type")
    return SourceEntry(id=f.get("id"), title=f.get("title"), author=f.get("author"), publisher=f.get("publisher"),
                       date=f.get("date"), url=f.get("url"), aliases=tuple(f.get("aliases", ())),
                       speakers=tuple(f.get("speakers", ())))


def _file_sha256(path: str) -> str | None:
    h = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    except OSError:
        return None
    return h.hexdigest()


def _connect(path: Path, writable: bool) -> tuple[sqlite3.Connection, tuple[str] | None]:
    """A connection to the index file and its schema row. Read-only, the file is opened `mode=ro`; on
    read-only media (a folder or mount where SQLite cannot make the shared-memory file a WAL database
    needs) it is opened again as immutable, which needs no other file."""
    query = "SELECT value FROM meta WHERE key = 'schema'"
    if writable:
        conn = sqlite3.connect(path, isolation_level=None)
        return conn, conn.execute(query).fetchone()
    uri = path.resolve().as_uri()
    try:
        conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, isolation_level=None, check_same_thread=False)
        return conn, conn.execute(query).fetchone()
    except sqlite3.OperationalError:
        if os.access(path.parent, os.W_OK) and not _read_only_mount(path):
            raise
    conn = sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True, isolation_level=None, check_same_thread=False)
    return conn, conn.execute(query).fetchone()


def _file_id(path: Path) -> tuple[int, int] | None:
    """The device and inode of a file, or None when it is gone."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _data_version(conn: sqlite3.Connection) -> int:
    """`PRAGMA data_version`: it changes when another connection commits to the file."""
    return int(conn.execute("PRAGMA data_version").fetchone()[0])


def _require_writable(path: Path) -> None:
    """One `UsageError` line when the index file, or the folder SQLite keeps its journal in, cannot be written."""
    folder = path.resolve().parent
    if _read_only_mount(path):
        why = "it is on a read-only file system"
    elif path.is_file() and not os.access(path, os.W_OK):
        why = "the file is read-only"
    elif not os.access(folder, os.W_OK):
        why = f"its folder {str(folder)!r} is read-only (SQLite writes its journal there)"
    else:
        return
    raise UsageError(f"cannot write index {str(path)!r}: {why}")


def _read_only_mount(path: Path) -> bool:
    """Whether `path` lies on a file system mounted read-only."""
    try:
        return bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):
        return False


class Index:
    """An open index file. Use `Index.create` or `Index.open`; close it (or use `with`)."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path
        self._texts: dict[int, Text] = {}
        self._sentences: dict[str | None, IndexedSentences] = {}
        self._encoder: Encoder | None = None
        """The encoder of the `add` under way."""
        self._file = _file_id(path)
        """The file opened (device, inode), to tell it from one made anew at the same path."""
        self._version = _data_version(conn)
        """SQLite's count of the changes other connections made to the file, when the caches were filled."""

    # -- opening --------------------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path, *, writable: bool = False) -> Index:
        """Open an existing index; a missing or foreign file is one `InputError` line."""
        p = Path(path)
        label = f"index {str(path)!r}"
        if not p.exists():
            raise InputError(f"{label}: no such file (make it with 'provenance index build')")
        if not p.is_file():
            raise InputError(f"{label}: not a regular file")
        try:
            conn, row = _connect(p, writable)
        except sqlite3.DatabaseError as exc:
            raise InputError(f"{label}: not a provenance index ({exc})") from None
        if row is None or row[0] != SCHEMA:
            conn.close()
            found = row[0] if row else "none"
            if str(found).startswith("provenance.index/"):
                raise InputError(f"{label}: made by another version of provenance (schema {found}; this one reads "
                                 f"{SCHEMA}): delete it and build it again with 'provenance index build'")
            raise InputError(f"{label}: not a provenance index of schema {SCHEMA} (found {found})")
        index = cls(conn, p)
        index._pragmas()
        return index

    @classmethod
    def create(cls, path: str | Path) -> Index:
        """Open an index for writing, making the file if it does not exist."""
        p = Path(path)
        if p.exists():
            _require_writable(p)
            return cls.open(p, writable=True)
        if not p.parent.is_dir():
            raise UsageError(f"cannot make index {str(path)!r}: no directory {str(p.parent)!r}")
        try:
            conn = sqlite3.connect(p, isolation_level=None)
            conn.execute("PRAGMA journal_mode = WAL")
            conn.executescript(f"""
                BEGIN;
                CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                CREATE TABLE sources (
                    rowid INTEGER PRIMARY KEY, path TEXT NOT NULL, abspath TEXT NOT NULL UNIQUE,
                    sha256 TEXT NOT NULL, words INTEGER NOT NULL, bytes INTEGER NOT NULL,
                    content BLOB NOT NULL, description TEXT);
                CREATE TABLE shingles (hash INTEGER NOT NULL, source INTEGER NOT NULL, pos INTEGER NOT NULL,
                    PRIMARY KEY (hash, source, pos)) WITHOUT ROWID;
                {TABLES}
                {VECTOR_TABLE}
                INSERT INTO meta VALUES ('schema', '{SCHEMA}'), ('ngram', '{CANDIDATE_NGRAM}');
                COMMIT;
            """)
        except sqlite3.Error as exc:
            raise UsageError(f"cannot make index {str(path)!r}: {exc}") from None
        index = cls(conn, p)
        index._pragmas()
        return index

    def _pragmas(self) -> None:
        c = self.conn
        c.execute("PRAGMA synchronous = NORMAL")  # safe with WAL: a crash loses at most the last batch
        c.execute("PRAGMA cache_size = -262144")  # 256 MiB of page cache
        c.execute("PRAGMA temp_store = MEMORY")
        c.execute("PRAGMA mmap_size = 1073741824")

    def close(self) -> None:
        self.conn.close()

    def current(self) -> bool:
        """Whether the index file is still the one this opened (not deleted, nor made anew at its path).
        When another connection has written to it since the last call, what was read of it (source
        texts, the sentence search with its counts and answers) is dropped, to be read again."""
        if _file_id(self.path) != self._file:
            return False
        with self._reading():
            version = _data_version(self.conn)
        if version != self._version:
            self._version = version
            self._texts.clear()
            self._sentences.clear()
        return True

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- building -------------------------------------------------------------------------------

    def add(self, paths: Sequence[str | Path], *, max_bytes: int = DEFAULT_MAX_BYTES, replace: bool = False,
            progress: Callable[[str], None] | None = None, encoder: Encoder | None = None) -> AddResult:
        """Index the sources at `paths`: new ones added, changed ones re-indexed, unchanged ones left.

        With `replace`, sources in the index that are not among `paths` are removed, so the index
        holds exactly these sources. Every file is read and checked before anything is written.
        With an `encoder`, the sources' sentence vectors are stored too (`vectors.py`): all of them
        encoded again when the index held none or another encoder's.
        """
        known = {r.abspath: r for r in self.sources()}
        with self._reading():
            again = plan_vectors(self.conn, f"index {str(self.path)!r}", encoder, bool(known))
        self._encoder = encoder
        added: list[str] = []
        updated: list[str] = []
        unchanged: list[str] = []
        own = os.path.abspath(self.path)
        seen: set[str] = {own, f"{own}-wal", f"{own}-shm", f"{own}-journal"}  # the index is no source
        pending: list[tuple[str, str, Text, bytes, int | None, str | None]] = []
        for p in expand_paths(paths):
            abspath = os.path.abspath(p)
            if abspath in seen:
                continue
            seen.add(abspath)
            label = f"source {str(p)!r}"
            data = read_file_bytes(Path(p), label, max_bytes)
            description = _description(p)
            old = known.get(abspath)
            if old is not None and old.sha256 == hashlib.sha256(data).hexdigest():  # not read into a text again
                if old.path != str(p) or old.description != description:  # named another way, described anew
                    with self._writing():
                        self.conn.execute("UPDATE sources SET path = ?, description = ? WHERE rowid = ?",
                                          (str(p), description, old.rowid))
                (unchanged if old.description == description else updated).append(str(p))
                continue
            text = text_of_bytes(data, label, path=str(p), id=Path(p).stem)
            (updated if old is not None else added).append(str(p))
            pending.append((str(p), abspath, text, data, old.rowid if old is not None else None, description))
            if sum(len(t.tokens) for _, _, t, _, _, _ in pending) >= BATCH_ROWS:
                self._write(pending, progress)
                pending = []
        self._write(pending, progress)
        if encoder is not None:
            self._encode_all(encoder, again)
        removed: list[str] = []
        if replace:
            gone = [rec for abspath, rec in known.items() if abspath not in seen]  # not named this time
            if gone:
                with self._writing():
                    self.conn.execute("BEGIN")
                    self._delete([rec.rowid for rec in gone])
                    self.conn.execute("COMMIT")
                removed.extend(rec.path for rec in gone)
        self._texts.clear()
        self._sentences.clear()
        return AddResult(tuple(added), tuple(updated), tuple(unchanged), tuple(removed))

    def _delete(self, rowids: Sequence[int]) -> None:
        """Remove these sources and everything stored of them, inside the caller's transaction. The
        shingles table is keyed by hash, so finding a source's rows reads all of it: one statement
        for all the sources reads it once."""
        c = self.conn
        for k in range(0, len(rowids), _DELETE_CHUNK):
            chunk = list(rowids[k:k + _DELETE_CHUNK])
            marks = ", ".join("?" * len(chunk))
            c.execute(f"DELETE FROM shingles WHERE source IN ({marks})", chunk)
            c.execute(f"DELETE FROM vectors WHERE source IN ({marks})", chunk)
            c.execute(f"DELETE FROM sources WHERE rowid IN ({marks})", chunk)
        for rowid in rowids:
            delete_units(c, rowid)

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """SQLite errors while writing the index (read-only, disk full, damaged) as one `UsageError`
        line; on any error (an encoder's, a callback's, Ctrl-C too) the open transaction is rolled
        back, so the connection never goes on inside a half-written one."""
        try:
            yield
        except BaseException as exc:
            if self.conn.in_transaction:
                with suppress(sqlite3.Error):
                    self.conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise UsageError(f"cannot write index {str(self.path)!r}: {exc}") from None
            raise

    def _encode_all(self, encoder: Encoder, again: bool) -> None:
        """Encode the sources that have no vectors (all of them when `again`: the index held another
        encoder's, or none) and record the encoder in the index."""
        c = self.conn
        with self._writing():
            c.execute("BEGIN")
            if again:
                c.execute("DELETE FROM vectors")
            missing = [r for (r,) in c.execute("SELECT rowid FROM sources WHERE rowid NOT IN "
                                                "(SELECT source FROM vectors) ORDER BY rowid").fetchall()]
            writer = VectorWriter(c, encoder)
            for rowid in missing:
                text = self.text(rowid)
                units = c.execute("SELECT id, lo, hi FROM units WHERE source = ? ORDER BY id", (rowid,)).fetchall()
                writer.add(rowid, [(u, unit_text(text, lo, hi)) for u, lo, hi in units])
            writer.claim()
            c.execute("COMMIT")

    def _write(self, pending: Sequence[tuple[str, str, Text, bytes, int | None, str | None]],
               progress: Callable[[str], None] | None) -> None:
        """One transaction for a batch of sources: their rows and their shingles, sorted by hash."""
        if not pending:
            return
        c = self.conn
        with self._writing():
            c.execute("BEGIN")  # the old rows go in the same transaction: a failed write keeps them
            self._delete([old for _, _, _, _, old, _ in pending if old is not None])
            rows: list[tuple[int, int, int]] = []
            units = SentenceWriter(c)
            vectors = VectorWriter(c, self._encoder) if self._encoder is not None else None
            for path, abspath, text, data, _, description in pending:
                cur = c.execute("INSERT INTO sources (path, abspath, sha256, words, bytes, content, description) "
                                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                                (path, abspath, text.sha256, len(text.tokens), len(data), zlib.compress(data, 6),
                                 description))
                rowid = cur.lastrowid
                assert rowid is not None
                rows.extend((h, rowid, pos) for h, pos in shingles(text.tokens.keys))
                written = units.add(rowid, text)
                if vectors is not None:
                    vectors.add(rowid, written)
                if len(units.rows) >= BATCH_ROWS:
                    units.flush()
                if len(rows) >= BATCH_ROWS:
                    rows.sort(key=itemgetter(0))  # by hash: the B-tree is filled in order
                    c.executemany("INSERT INTO shingles (hash, source, pos) VALUES (?, ?, ?)", rows)
                    rows = []
                if progress is not None:
                    progress(path)
            rows.sort(key=itemgetter(0))
            c.executemany("INSERT INTO shingles (hash, source, pos) VALUES (?, ?, ?)", rows)
            units.flush()
            c.execute("COMMIT")

    # -- reading --------------------------------------------------------------------------------

    def sources(self) -> list[SourceRecord]:
        """The indexed sources in the order they were indexed."""
        with self._reading():
            return [SourceRecord(*row) for row in self.conn.execute(
                "SELECT rowid, path, abspath, sha256, words, bytes, description FROM sources ORDER BY rowid")]

    def entry(self, rowid: int) -> SourceEntry | None:
        """What the source's sidecar said of it when it was indexed (title, speakers, aliases), or None."""
        with self._reading():
            row = self.conn.execute("SELECT description FROM sources WHERE rowid = ?", (rowid,)).fetchone()
        try:
            return source_entry(row[0]) if row is not None else None
        except ValueError as exc:  # json's errors are ValueErrors too
            raise InputError(f"index {str(self.path)!r}: the stored description of source number {rowid} is "
                             f"damaged ({exc}); rebuild it with 'provenance index build'") from None

    def text(self, rowid: int, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Text:
        """The indexed source as a `Text`, exactly as `load_text` reads its file (cached).

        The content is inflated at most to `max_bytes` (a blob that would inflate further is refused
        before it is all in memory) and checked against the sha256 recorded when it was indexed: a
        damaged blob is one `InputError` line naming the source."""
        cached = self._texts.get(rowid)
        if cached is not None:
            return cached
        with self._reading():
            row = self.conn.execute("SELECT path, sha256, content FROM sources WHERE rowid = ?", (rowid,)).fetchone()
        if row is None:
            raise InputError(f"index {str(self.path)!r}: no source number {rowid}")
        path, sha256, blob = row
        label = f"source {path!r}"
        data = self._inflate(blob, label, max_bytes)
        if hashlib.sha256(data).hexdigest() != sha256:
            raise InputError(f"index {str(self.path)!r}: the stored content of {label} is damaged "
                             "(it does not match its sha256); re-index it with 'provenance index build'")
        text = text_of_bytes(data, label, path=path, id=Path(path).stem)
        if len(self._texts) >= 256:
            self._texts.clear()
        self._texts[rowid] = text
        return text

    def sentences(self, encoder: Encoder | None = None) -> IndexedSentences:
        """The paraphrase search over every indexed source's sentences (made once per open index and
        encoder): by meaning too with an `encoder`, whose vectors the index must hold (`check_encoder`)."""
        name = encoder.name if encoder is not None else None
        found = self._sentences.get(name)
        if found is None:
            with self._reading():
                store = VectorStore(self.conn, encoder) if check_encoder(self.conn, f"index {str(self.path)!r}",
                                                                         encoder) and encoder else None
                found = self._sentences[name] = IndexedSentences(self.conn, self.text, store)
        return found

    def encoder(self) -> str | None:
        """The name of the encoder whose sentence vectors the index holds, or None."""
        with self._reading():
            return encoder_of(self.conn)

    def _inflate(self, blob: object, label: str, max_bytes: int) -> bytes:
        """A source's stored content, uncompressed, at most `max_bytes` of it."""
        damaged = (f"index {str(self.path)!r}: the stored content of {label} is damaged; "
                   "re-index it with 'provenance index build'")
        if not isinstance(blob, bytes):
            raise InputError(damaged)
        inflater = zlib.decompressobj()
        try:
            data = inflater.decompress(blob, max_bytes + 1)
        except zlib.error as exc:
            raise InputError(f"{damaged} ({exc})") from None
        if len(data) > max_bytes:
            raise InputError(f"index {str(self.path)!r}: {label} is over the limit of {max_bytes:,} bytes",
                             parameter="max_bytes")
        if not inflater.eof:
            raise InputError(f"{damaged} (its compressed data is cut short)")
        return data

    @contextmanager
    def _reading(self) -> Iterator[None]:
        """SQLite errors while reading the index (a damaged page, a file cut short, an I/O error) as one
        `InputError` line."""
        try:
            yield
        except sqlite3.DatabaseError as exc:
            raise InputError(f"index {str(self.path)!r}: cannot be read ({exc}); it may be damaged: "
                             "rebuild it with 'provenance index build'") from None

    def stats(self) -> dict[str, int | str]:
        """Counts: sources, words, bytes, shingle rows, file size."""
        with self._reading():
            n, words, size = self.conn.execute(
                "SELECT count(*), coalesce(sum(words), 0), coalesce(sum(bytes), 0) FROM sources").fetchone()
            rows = self.conn.execute("SELECT count(*) FROM shingles").fetchone()[0]
            units = self.conn.execute("SELECT count(*) FROM units").fetchone()[0]
            stems = self.conn.execute("SELECT count(*) FROM stem_units").fetchone()[0]
            vector_size = vector_bytes(self.conn)
            encoder = encoder_of(self.conn)
        file_bytes = sum(os.path.getsize(f) for f in (self.path, Path(f"{self.path}-wal")) if f.exists())
        return {"schema": SCHEMA, "ngram": CANDIDATE_NGRAM, "sources": n, "words": words, "source_bytes": size,
                "shingles": rows, "sentence_units": units, "sentence_stems": stems,
                "encoder": encoder or "none", "vector_bytes": vector_size, "file_bytes": file_bytes}

    def fingerprint(self) -> str:
        """A hash of what the index holds (sources and their contents): changes with every change."""
        h = hashlib.sha256(f"{SCHEMA}:{CANDIDATE_NGRAM}:{self.encoder()}".encode())
        for r in self.sources():
            h.update(f"\n{r.rowid}\t{r.path}\t{r.sha256}\t{r.description or ''}".encode())
        return h.hexdigest()

    def changed(self) -> list[Changed]:
        """Sources whose file on disk no longer matches what was indexed (or is gone)."""
        out = []
        for r in self.sources():
            current = _file_sha256(r.abspath)
            if current != r.sha256:
                out.append(Changed(r.path, r.sha256, current))
        return out

    # -- looking up -----------------------------------------------------------------------------

    def _postings(self, grams: Iterable[int]) -> dict[int, list[Posting]]:
        """(source, pos) of each shingle of `grams` found in the index at most `COMMON_NGRAM_LIMIT` times."""
        query = "SELECT source, pos FROM shingles WHERE hash = ? LIMIT ?"
        execute = self.conn.execute
        found: dict[int, list[Posting]] = {}
        with self._reading():
            for h in grams:
                rows = execute(query, (h, COMMON_NGRAM_LIMIT + 1)).fetchall()
                if rows and len(rows) <= COMMON_NGRAM_LIMIT:
                    found[h] = rows
        return found

    def lookup(self, keys: Sequence[str], *, limit: int = CANDIDATE_WINDOWS) -> list[Hit]:
        """Candidate source stretches for a passage (its folded word keys), best first."""
        where = _shingle_positions(keys)
        votes = diagonal_votes(where, self._postings(where))
        return [Hit(s.source, s.lo, s.hi, s.votes) for s in ranked_diagonals(votes, len(keys), limit)]

    def candidates(self, document: Text) -> list[int]:
        """Rowids of the sources a document may quote or copy from, in index order.

        A source is a candidate when it is among the best stretches for one of the document's
        quotations, or when one of its diagonals gathers `REUSE_VOTES` shingles of the document
        (a copied stretch without quotation marks).
        """
        chosen: set[int] = set()
        keys = document.tokens.keys
        for passage in extract_passages(document):
            idx = document.tokens.within(passage.span.start, passage.span.end)
            chosen.update(hit.source for hit in self.lookup(keys[idx.start:idx.stop]))
        where = _shingle_positions(keys)
        # Diagonals in buckets of 32 words (each hit counted in its bucket and the next).
        buckets = bucket_votes(where, self._postings(where), 32)
        chosen.update(si for (si, _), v in buckets.items() if v >= REUSE_VOTES)
        return sorted(chosen)


def _shingle_positions(keys: Sequence[str]) -> dict[int, list[int]]:
    """The positions of each shingle of `keys`, by hash."""
    return positions_by_key((pos, h) for h, pos in shingles(keys))

__all__ = ["Index", "Hit", "SourceRecord", "AddResult", "Changed", "shingles", "word_hash", "expand_paths"]
