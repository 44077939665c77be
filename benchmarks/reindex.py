"""Benchmark: keeping a source index up to date, against building it from nothing.

What it measures
----------------
`--sources` source files of `--source-words` words (default 300 x 10,000 = 3 M words), generated
from `--seed` by `benchmarks/scan.py`'s generator, are indexed (`Index.create` + `Index.add`, no
vectors). Then, each timed from opening the index to closing it:

* nothing changed: `add` of the same files again;
* `--changed` percent of the sources changed (a sentence appended to each): `add` of all the files,
  which re-indexes those and leaves the others;
* one source changed;
* `add(..., replace=True)` of all but `--changed` percent: those are removed.

Per source re-indexed, the time is set beside a first build's time per source: that ratio is what a
user keeping a large index current pays for each changed file. After each step the index is
checked: no shingle or unit row belongs to a source no longer indexed, and the appended sentence of
a changed source is found by a lookup in that source.

Run it
------
    .venv/bin/python benchmarks/reindex.py --quick      # smoke run, a few seconds
    .venv/bin/python benchmarks/reindex.py              # 300 sources of 10,000 words
    .venv/bin/python benchmarks/reindex.py --sources 1000    # the scan benchmark's full size

The generated corpus is written into a temporary folder and removed at the end.
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import scan as scan_bench  # the scan benchmark beside this script (its folder is sys.path[0]): its generator

APPENDED = "A closing paragraph was added to this source by the benchmark on its {k} revision."


def _timed_add(db: Path, paths: Sequence[Path], replace: bool = False) -> tuple[float, object]:
    from provenance.corpus.index import Index

    t0 = time.perf_counter()
    with Index.open(db, writable=True) as idx:
        result = idx.add(paths, replace=replace)
    return time.perf_counter() - t0, result


def _check(db: Path, changed: Sequence[Path], revision: str) -> str:
    """'' when the index holds no orphan rows and finds each changed source's new sentence in it."""
    from provenance.corpus.index import Index
    from provenance.text import tokenize

    conn = sqlite3.connect(db)
    try:
        for table in ("shingles", "units"):
            left = conn.execute(f"SELECT count(*) FROM {table} WHERE source NOT IN (SELECT rowid FROM sources)")
            if (n := left.fetchone()[0]) != 0:
                return f"{n} {table} rows of removed sources"
    finally:
        conn.close()
    keys = tokenize(APPENDED.format(k=revision)).keys
    with Index.open(db) as idx:
        by_path = {r.path: r.rowid for r in idx.sources()}
        hits = {h.source for h in idx.lookup(keys, limit=len(by_path))}
    missing = [p.name for p in changed if by_path[str(p)] not in hits]
    return f"new text of {', '.join(missing[:3])} not found" if missing else ""


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="40 sources of 2,000 words")
    parser.add_argument("--sources", type=int, default=300)
    parser.add_argument("--source-words", type=int, default=10_000)
    parser.add_argument("--changed", type=float, default=10.0, help="percent of the sources changed or removed")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.quick:
        args.sources, args.source_words = 40, 2_000
    from provenance.corpus.index import Index

    with tempfile.TemporaryDirectory(prefix="provenance-reindex-") as tmp:
        directory = Path(tmp) / "corpus"
        scan_bench.generate(directory, argparse.Namespace(seed=args.seed, sources=args.sources,
                                                          source_words=args.source_words, articles=1,
                                                          article_words=50, quotes=1))
        paths = sorted((directory / "sources").glob("*.txt"))
        every = max(1, round(100 / args.changed))
        some = paths[::every]
        db = Path(tmp) / "index.db"
        t0 = time.perf_counter()
        with Index.create(db) as idx:
            idx.add(paths)
        first = time.perf_counter() - t0
        per_first = first / len(paths)
        print(f"reindex benchmark: {len(paths)} sources of {args.source_words:,} words, seed {args.seed}")
        print(f"{'step':<34} {'seconds':>8} {'sources':>8} {'ms each':>9} {'x first build':>14}  check")
        print(f"{'first build':<34} {first:8.2f} {len(paths):8d} {1000 * per_first:9.1f} {1.0:14.2f}  -")

        def row(label: str, took: float, count: int, problem: str) -> None:
            each = took / count if count else 0.0
            print(f"{label:<34} {took:8.2f} {count:8d} {1000 * each:9.1f} {each / per_first:14.2f}  "
                  f"{problem or 'ok'}")

        took, _ = _timed_add(db, paths)
        row("nothing changed (all read)", took, len(paths), _check(db, [], "no"))
        for p in some:
            p.write_text(p.read_text(encoding="utf-8") + "\n" + APPENDED.format(k="first") + "\n", encoding="utf-8")
        took, result = _timed_add(db, paths)
        row(f"{len(some)} changed, re-indexed", took, len(getattr(result, "updated", ())), _check(db, some, "first"))
        one = paths[1]
        one.write_text(one.read_text(encoding="utf-8") + "\n" + APPENDED.format(k="second") + "\n", encoding="utf-8")
        took, result = _timed_add(db, paths)
        row("1 changed, re-indexed", took, len(getattr(result, "updated", ())), _check(db, [one], "second"))
        kept = [p for p in paths if p not in some]
        took, result = _timed_add(db, kept, replace=True)
        row(f"{len(some)} removed (replace)", took, len(getattr(result, "removed", ())), _check(db, [], "no"))
    print("\n(ms each: the step's time over the sources it re-indexed or removed; a step also reads and "
          "hashes every file named. x first build: that against a first build's time per source.)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
