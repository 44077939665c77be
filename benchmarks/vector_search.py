"""Benchmark: the index's vector search (numpy matrix product) against the sqlite-vec extension.

The index scores a quotation's vector against every sentence vector by one numpy matrix product
(`provenance.corpus.vectors.top_k`). The alternative, sqlite-vec's `vec0` virtual table, is a
brute-force scan over float32 rows inside SQLite. This times both on the same random L2-normalised
rows (as many as the 10 M-word corpus of `benchmarks/scan.py` has sentence units), top 10 by cosine,
and checks that they return the same rows.

sqlite-vec is an SQLite extension: Python's own `sqlite3` loads it only where it was built with
`enable_load_extension` (not everywhere: not on the machine this was measured on), so this
benchmark reads it through `apsw`. Neither is a dependency of provenance:

    .venv/bin/pip install apsw sqlite-vec
    .venv/bin/python benchmarks/vector_search.py [--rows 735547] [--dim 64] [--queries 50]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any


def _sqlite_vec(db: Path, matrix: Any, queries: Any) -> tuple[float, float, list[float], list[list[int]]]:
    """Build a vec0 table of `matrix`, query it: build seconds, file MiB, query seconds, results."""
    import apsw
    import sqlite_vec

    conn = apsw.Connection(str(db))
    conn.enable_load_extension(True)
    conn.load_extension(sqlite_vec.loadable_path())
    conn.execute(f"CREATE VIRTUAL TABLE v USING vec0(embedding float[{matrix.shape[1]}] distance_metric=cosine)")
    t0 = time.perf_counter()
    with conn:
        conn.executemany("INSERT INTO v(rowid, embedding) VALUES (?, ?)",
                         ((i + 1, matrix[i].tobytes()) for i in range(matrix.shape[0])))
    build = time.perf_counter() - t0
    times, found = [], []
    for q in queries:
        t0 = time.perf_counter()
        rows = list(conn.execute("SELECT rowid FROM v WHERE embedding MATCH ? AND k = 10 ORDER BY distance",
                                 (q.tobytes(),)))
        times.append(time.perf_counter() - t0)
        found.append([r[0] - 1 for r in rows])
    conn.close()
    return build, db.stat().st_size / 2**20, times, found


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("--rows", type=int, default=735_547)
    ap.add_argument("--dim", type=int, default=64)
    ap.add_argument("--queries", type=int, default=50)
    args = ap.parse_args(argv)
    try:
        import apsw  # noqa: F401
        import sqlite_vec  # noqa: F401
    except ImportError:
        print("this benchmark needs apsw and sqlite-vec: .venv/bin/pip install apsw sqlite-vec", file=sys.stderr)
        return 2
    import numpy as np

    from provenance.corpus.vectors import top_k

    rng = np.random.default_rng(0)
    matrix = rng.standard_normal((args.rows, args.dim)).astype(np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    queries = rng.standard_normal((args.queries, args.dim)).astype(np.float32)
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    with tempfile.TemporaryDirectory(prefix="provenance-vectors-") as tmp:
        build, size, vec_times, vec_found = _sqlite_vec(Path(tmp) / "vec.db", matrix, queries)
    np_times, np_found = [], []
    for q in queries:
        t0 = time.perf_counter()
        np_found.append([i for i, _ in top_k(matrix, q[None, :], 10)[0]])
        np_times.append(time.perf_counter() - t0)
    same = sum(a == b for a, b in zip(vec_found, np_found, strict=True))
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{args.rows:,} rows x {args.dim} float32 ({args.rows * args.dim * 4 / 2**20:.0f} MiB of vectors), "
          f"{args.queries} queries, top 10 by cosine; load average {load:.2f}")
    print(f"sqlite-vec vec0: build {build:.1f} s, file {size:.0f} MiB, query median "
          f"{statistics.median(vec_times) * 1000:.1f} ms")
    ratio = statistics.median(vec_times) / statistics.median(np_times)
    print(f"numpy (index):   query median {statistics.median(np_times) * 1000:.1f} ms, {ratio:.1f}x faster; "
          f"same top 10: {same}/{args.queries}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
