"""Benchmark: the source index and the batch scan, against brute force.

What it measures
----------------
A corpus is generated deterministically from `--seed` with the prose generator of
`benchmarks/compare.py` (a Zipf-distributed vocabulary of pseudo-words, set phrases, names):

* `--sources` source files of `--source-words` words each (full size: 1,000 x 10,000 = 10 million words);
* `--articles` articles of about `--article-words` words (full: 1,000 x 1,000), each quoting
  `--quotes` stretches of 15-60 words of random sources between curly quotes, one in three
  altered (a word substituted, dropped, inserted, two swapped, or a typo);
* the quotations themselves, with their true source and place, for the lookup timings.

Each phase runs in its own subprocess so that its peak memory is its own (Linux VmHWM):

* index: `Index.create` + `Index.add` of every source (read, tokenise, hash, write SQLite):
  time, source words per second, peak RSS;
* lookup: `Index.lookup` of each quotation (its folded words): median and p95 latency, and how
  often the best candidate is in the right source over the right words (recall@1);
* scan: `provenance.corpus.scan.scan` of every article with `--jobs` workers: documents per second, peak RSS
  (the driver's and the largest worker's);
* baseline: brute force, rapidfuzz `fuzz.partial_ratio_alignment` of the quotation against every
  source's text, keeping the best; it runs quotations until `--baseline-budget` seconds are spent
  (at least one) and gives its median latency per quotation and its recall@1.

Run it
------
    .venv/bin/python benchmarks/scan.py --quick       # smoke run, a few seconds
    .venv/bin/python benchmarks/scan.py               # full size: 10 M source words, 1,000 articles
    .venv/bin/python benchmarks/scan.py --sources 100 --articles 100    # something in between

The generated corpus is kept in `--workdir` (default: a folder in the system's temporary
directory named after the sizes and the seed) and reused by later runs of the same sizes.

Targets (full size, 2 cores): index 10 M words in under 2 minutes with peak memory under 2 GiB;
lookup median under 10 ms; scan of 1,000 articles of 1,000 words in under 5 minutes with 2 jobs.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("bench_compare", HERE / "compare.py")
assert _spec is not None and _spec.loader is not None
gen = importlib.util.module_from_spec(_spec)
sys.modules["bench_compare"] = gen
_spec.loader.exec_module(gen)

TARGET_INDEX_S = 120.0
TARGET_INDEX_MIB = 2048.0
TARGET_LOOKUP_MS = 10.0
TARGET_SCAN_S = 300.0


# --------------------------------------------------------------------------------------------
# Corpus
# --------------------------------------------------------------------------------------------


def generate(directory: Path, args: argparse.Namespace) -> None:
    """Write sources, articles and the quotations' ground truth into `directory`."""
    seed = args.seed
    lex = gen.Lexicon.make(random.Random(f"{seed}-lexicon"), 5000)
    src_dir, art_dir = directory / "sources", directory / "articles"
    src_dir.mkdir(parents=True)
    art_dir.mkdir()
    flats: list[list[str]] = []
    for si in range(args.sources):
        rng = random.Random(f"{seed}-source-{si}")
        paras: list[list[str]] = []
        total = 0
        while total < args.source_words:
            units = [u for s in gen.paragraph(lex, rng) for u in s]
            paras.append(units)
            total += len(units)
        text, _ = gen.render_source(f"Source number {si + 1}", paras)
        (src_dir / f"source-{si + 1:05d}.txt").write_text(text, encoding="utf-8")
        flats.append([u for p in paras for u in p])
    truth: list[dict[str, Any]] = []
    for ai in range(args.articles):
        rng = random.Random(f"{seed}-article-{ai}")
        sentences: list[str] = []
        words = 0
        while words < args.article_words:
            for s in gen.paragraph(lex, rng):
                sentences.append(" ".join(s))
                words += len(s)
        for _ in range(args.quotes):
            si = rng.randrange(len(flats))
            length = rng.randint(gen.QUOTE_MIN, min(gen.QUOTE_MAX, len(flats[si]) - 3))
            lo = rng.randrange(0, len(flats[si]) - length)
            units = flats[si][lo:lo + length]
            kind = rng.choice(gen._ALTERATIONS) if rng.random() < 1 / 3 else None
            if kind is not None:
                units = gen.alter(units, kind, lex, rng)
            quote = " ".join(units).rstrip(",;:")
            at = rng.randrange(len(sentences) + 1)
            sentences.insert(at, f"The report said \u201c{quote}\u201d in its pages.")
            truth.append({"source": si, "lo": lo, "hi": lo + length, "quote": quote, "altered": kind})
        paragraphs = [" ".join(sentences[k:k + 5]) for k in range(0, len(sentences), 5)]
        (art_dir / f"article-{ai + 1:05d}.md").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    (directory / "truth.json").write_text(json.dumps(truth), encoding="utf-8")
    (directory / "complete").write_text("ok\n")


def corpus_dir(args: argparse.Namespace) -> Path:
    name = (f"provenance-bench-scan-{args.seed}-{args.sources}x{args.source_words}-"
            f"{args.articles}x{args.article_words}x{args.quotes}")
    base = Path(args.workdir) if args.workdir else Path(tempfile.gettempdir()) / name
    return base


def peak_rss_mib() -> float:
    return float(gen.peak_rss_mib())


def children_peak_mib() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


# --------------------------------------------------------------------------------------------
# Phases (each in its own subprocess)
# --------------------------------------------------------------------------------------------


def _encoder(args: argparse.Namespace) -> Any:
    """The encoder of the run: the static encoder an index stores vectors of where the meaning model is
    installed (`--encoder static`: `provenance.meaning.recruiting_encoder`), the hashed-stems test double
    (`--encoder hashed`), or none."""
    if args.encoder == "none":
        return None
    if args.encoder == "static":
        from provenance import meaning

        encoder = meaning.recruiting_encoder()
        if encoder is None:
            raise SystemExit("--encoder static needs the meaning extra and its weights (see the README)")
        return encoder
    from provenance.corpus.hashed_encoder import HashedStemEncoder

    return HashedStemEncoder(args.dim)


def child_index(directory: Path, args: argparse.Namespace) -> dict[str, Any]:
    from provenance.corpus.index import Index

    db = directory / "index.db"
    for f in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        f.unlink(missing_ok=True)
    sources = sorted((directory / "sources").iterdir())
    t0 = time.perf_counter()
    encoder = _encoder(args)
    with Index.create(db) as index:
        if encoder is None:
            index.add(sources)
        else:
            index.add(sources, encoder=encoder)
        stats = index.stats()
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "words": stats["words"], "peak_mib": peak_rss_mib(),
            "file_mib": stats["file_bytes"] / 2**20, "shingles": stats["shingles"],
            "units": stats.get("sentence_units", 0), "vector_mib": int(stats.get("vector_bytes", 0)) / 2**20}


def _hit_ok(hit_source: int, lo: int, hi: int, t: dict[str, Any]) -> bool:
    return bool(hit_source == t["source"] and lo < t["hi"] and t["lo"] < hi)


def child_lookup(directory: Path, count: int, args: argparse.Namespace) -> dict[str, Any]:
    from provenance.corpus.index import Index
    from provenance.text import tokenize

    truth = json.loads((directory / "truth.json").read_text(encoding="utf-8"))[:count]
    times: list[float] = []
    found = 0
    extra: dict[str, Any] = {}
    with Index.open(directory / "index.db") as index:
        if hasattr(index, "sentences"):
            extra = _sentence_lookups(index, truth, _encoder(args))
        rowid_of = {Path(r.path).stem: r.rowid for r in index.sources()}
        for t in truth:
            keys = tokenize(t["quote"]).keys
            t0 = time.perf_counter()
            hits = index.lookup(keys)
            times.append(time.perf_counter() - t0)
            want = rowid_of[f"source-{t['source'] + 1:05d}"]
            # The title line is the source's first words: source word k is unit k - 3.
            found += bool(hits) and hits[0].source == want and hits[0].lo - 3 < t["hi"] and t["lo"] < hits[0].hi - 3
    return {"median_ms": statistics.median(times) * 1000, "p95_ms": _p95(times) * 1000,
            "recall": found / max(1, len(truth)), "n": len(truth), "peak_mib": peak_rss_mib(), **extra}


def _sentence_lookups(index: Any, truth: Sequence[dict[str, Any]], encoder: Any) -> dict[str, Any]:
    """Timings of the whole-index paraphrase searches: lexical (`find`) on each quotation with its
    words shuffled (no n-gram of it left), and, with an encoder, the k = 10 nearest units by vector
    (the query encoded, one matrix product), after reading the vectors once."""
    rng = random.Random(0)
    search = index.sentences()
    lexical: list[float] = []
    found = 0
    for t in truth:
        words = t["quote"].split()
        rng.shuffle(words)
        from provenance.text import tokenize

        keys = tokenize(" ".join(words)).keys
        t0 = time.perf_counter()
        found += search.find(keys) is not None
        lexical.append(time.perf_counter() - t0)
    out: dict[str, Any] = {"para_median_ms": statistics.median(lexical) * 1000, "para_p95_ms": _p95(lexical) * 1000,
                           "para_found": found}
    if encoder is not None:
        t0 = time.perf_counter()
        by_vector = index.sentences(encoder)
        by_vector.nearest("warm up", 10)
        out["vector_load_s"] = time.perf_counter() - t0
        near: list[float] = []
        for t in truth:
            t0 = time.perf_counter()
            by_vector.nearest(t["quote"], 10)
            near.append(time.perf_counter() - t0)
        out["vector_median_ms"] = statistics.median(near) * 1000
        out["vector_p95_ms"] = _p95(near) * 1000
    return out


def _p95(values: Sequence[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def child_baseline(directory: Path, count: int, budget: float) -> dict[str, Any]:
    from rapidfuzz import fuzz

    truth = json.loads((directory / "truth.json").read_text(encoding="utf-8"))[:count]
    sources = [p.read_text(encoding="utf-8") for p in sorted((directory / "sources").iterdir())]
    times: list[float] = []
    found = 0
    start = time.perf_counter()
    for t in truth:
        t0 = time.perf_counter()
        best = (-1.0, -1)
        for si, text in enumerate(sources):
            res = fuzz.partial_ratio_alignment(t["quote"], text, score_cutoff=best[0] if best[0] > 0 else 0)
            if res is not None and res.score > best[0]:
                best = (res.score, si)
        times.append(time.perf_counter() - t0)
        found += best[1] == t["source"]
        if time.perf_counter() - start > budget:
            break
    return {"median_ms": statistics.median(times) * 1000, "p95_ms": _p95(times) * 1000,
            "recall": found / max(1, len(times)), "n": len(times), "peak_mib": peak_rss_mib()}


def child_scan(directory: Path, jobs: int) -> dict[str, Any]:
    from provenance.corpus.scan import ScanOptions, scan

    out = directory / "reports"
    shutil.rmtree(out, ignore_errors=True)
    articles = sorted((directory / "articles").iterdir())
    t0 = time.perf_counter()
    result = scan([str(a) for a in articles], directory / "index.db", out, options=ScanOptions(), jobs=jobs)
    seconds = time.perf_counter() - t0
    # Identity: a sample of reports made again by the single-document comparator on the same
    # document and the sources the scan chose (with the paraphrase search over the whole index),
    # compared byte for byte.
    from provenance.comparator.pipeline import compare_texts
    from provenance.corpus.index import Index
    from provenance.corpus.scan import IndexFinder
    from provenance.load import load_text
    from provenance.report.json_report import render_json

    sample = result.outcomes[:: max(1, len(result.outcomes) // 20)]
    with Index.open(directory / "index.db") as index:
        rowid = {r.path: r.rowid for r in index.sources()}
        identical = sum(
            render_json(compare_texts(load_text(o.document, id="document", role="document"),
                                      [load_text(p, role="source") for p in o.sources],
                                      paraphrases=IndexFinder(index.sentences(), [rowid[p] for p in o.sources])))
            == (out / o.report).read_text(encoding="utf-8") for o in sample)
    truth = json.loads((directory / "truth.json").read_text(encoding="utf-8"))
    matched = sum(o.summary.get("passages", 0) - o.summary.get("by_verdict", {}).get("unsourced", 0)
                  for o in result.outcomes)
    return {"seconds": seconds, "documents": len(articles), "failed": len(result.failed),
            "matched": matched, "quotes": len(truth), "peak_mib": peak_rss_mib(),
            "workers_peak_mib": children_peak_mib(), "identical": identical, "sampled": len(sample),
            "sources_per_doc": sum(len(o.sources) for o in result.outcomes) / max(1, len(result.outcomes))}


def run_child(phase: str, directory: Path, *extra: str) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--child", phase, "--workdir", str(directory), *extra]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"benchmark phase {phase} failed")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("--quick", action="store_true", help="small sizes: a smoke run of a few seconds")
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--sources", type=int, default=1000)
    ap.add_argument("--source-words", type=int, default=10_000)
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--article-words", type=int, default=1000)
    ap.add_argument("--quotes", type=int, default=4, help="quotations per article")
    ap.add_argument("--lookups", type=int, default=500, help="quotations timed by the lookup phase")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--baseline-budget", type=float, default=60.0, help="seconds for the brute-force baseline")
    ap.add_argument("--workdir", default=None)
    ap.add_argument("--fresh", action="store_true", help="generate the corpus again even if it exists")
    ap.add_argument("--encoder", choices=("none", "static", "hashed"), default="none",
                    help="store sentence vectors: those `provenance index build` stores where the meaning model is "
                    "installed (static), or the hashed-stems test double's (not a model: for timings)")
    ap.add_argument("--dim", type=int, default=64, help="dimension of the test double's vectors")
    ap.add_argument("--skip-scan", action="store_true", help="index and lookups only (no scan, no brute force)")
    ap.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.quick:
        args.sources, args.source_words, args.articles, args.article_words = 40, 2_000, 12, 400
        args.quotes, args.lookups, args.baseline_budget, args.jobs = 3, 36, 2.0, 1
    directory = corpus_dir(args)
    if args.child:
        phases = {"index": lambda: child_index(directory, args),
                  "lookup": lambda: child_lookup(directory, args.lookups, args),
                  "baseline": lambda: child_baseline(directory, args.lookups, args.baseline_budget),
                  "scan": lambda: child_scan(directory, args.jobs)}
        print(json.dumps(phases[args.child]()))
        return 0
    if args.fresh or not (directory / "complete").exists():
        shutil.rmtree(directory, ignore_errors=True)
        t0 = time.perf_counter()
        generate(directory, args)
        print(f"corpus generated in {time.perf_counter() - t0:.1f} s: {directory}")
    else:
        print(f"corpus reused: {directory}")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"machine: {os.cpu_count()} cores, load average {load:.2f} at start")
    child_args = [*(["--quick"] if args.quick else _sizes(args)), "--encoder", args.encoder, "--dim", str(args.dim)]
    ix = run_child("index", directory, *child_args)
    lk = run_child("lookup", directory, *child_args)
    bl = sc = None
    if not args.skip_scan:
        bl = run_child("baseline", directory, *child_args)
        sc = run_child("scan", directory, *child_args)
    print()
    print(f"sources: {args.sources:,} x {args.source_words:,} words = {ix['words']:,} words; "
          f"articles: {args.articles:,} x ~{args.article_words:,} words, {args.quotes} quotations each; "
          f"vectors: {_vectors_said(args)}")
    print(f"{'measure':34} {'index':>14} {'brute force':>14} {'ratio':>8} {'target':>12}")
    for row in _rows(args, ix, lk, bl, sc):
        print(f"{row[0]:34} {row[1]:>14} {row[2]:>14} {row[3]:>8} {row[4]:>12}")
    if bl is not None:
        print("brute force: rapidfuzz partial_ratio_alignment of each quotation against every source "
              f"({bl['n']} quotations in its budget of {args.baseline_budget:.0f} s); no brute-force scan "
              "(it would compare each article with every source)")
    if sc is not None and sc["failed"]:
        print(f"scan: {sc['failed']} documents failed")
        return 1
    return 0


def _vectors_said(args: argparse.Namespace) -> str:
    if args.encoder == "none":
        return "none"
    if args.encoder == "static":
        return "the static encoder of `provenance index build` (WordLlama, 64 dimensions)"
    return f"the hashed-stems TEST DOUBLE, {args.dim} dimensions (timings of storage and search, not of a model)"


Row = tuple[str, str, str, str, str]


def _rows(args: argparse.Namespace, ix: dict[str, Any], lk: dict[str, Any], bl: dict[str, Any] | None,
          sc: dict[str, Any] | None) -> list[Row]:
    """The table's rows: index, lookups, and the scan's when it ran."""
    words = ix["words"]
    rows: list[Row] = [
        ("index: seconds", f"{ix['seconds']:.1f}", "-", "", f"< {TARGET_INDEX_S:.0f}"),
        ("index: words/s", f"{words / ix['seconds']:,.0f}", "-", "", ""),
        ("index: peak RSS MiB", f"{ix['peak_mib']:.0f}", "-", "", f"< {TARGET_INDEX_MIB:.0f}"),
        ("index: file MiB", f"{ix['file_mib']:.0f}", "-", "", ""),
        ("index: sentence units", f"{ix.get('units', 0):,}", "-", "", ""),
        ("index: vectors MiB", f"{ix.get('vector_mib', 0):.0f}", "-", "", ""),
    ]
    base_median = f"{bl['median_ms']:.1f}" if bl else "-"
    rows += [
        (f"lookup: median ms ({lk['n']} quotes)", f"{lk['median_ms']:.2f}", base_median,
         f"{bl['median_ms'] / max(lk['median_ms'], 1e-9):.0f}x" if bl else "", f"< {TARGET_LOOKUP_MS:.0f}"),
        ("lookup: p95 ms", f"{lk['p95_ms']:.2f}", f"{bl['p95_ms']:.1f}" if bl else "-",
         f"{bl['p95_ms'] / max(lk['p95_ms'], 1e-9):.0f}x" if bl else "", ""),
        ("lookup: recall@1", f"{lk['recall']:.3f}", f"{bl['recall']:.3f}" if bl else "-", "", ""),
    ]
    if "para_median_ms" in lk:
        rows += [("paraphrase lookup: median ms", f"{lk['para_median_ms']:.2f}", "-", "", ""),
                 ("paraphrase lookup: p95 ms", f"{lk['para_p95_ms']:.2f}", "-", "", ""),
                 ("paraphrase lookup: found", f"{lk['para_found']}/{lk['n']}", "-", "", "")]
    if "vector_median_ms" in lk:
        rows += [("vectors: load s (once per worker)", f"{lk['vector_load_s']:.2f}", "-", "", ""),
                 ("vectors: k=10 nearest median ms", f"{lk['vector_median_ms']:.2f}", "-", "", ""),
                 ("vectors: k=10 nearest p95 ms", f"{lk['vector_p95_ms']:.2f}", "-", "", "")]
    if sc is not None:
        rows += [
            (f"scan: seconds ({args.jobs} jobs)", f"{sc['seconds']:.1f}", "-", "", f"< {TARGET_SCAN_S:.0f}"),
            ("scan: documents/s", f"{sc['documents'] / sc['seconds']:.2f}", "-", "", ""),
            ("scan: peak RSS MiB (driver/worker)", f"{sc['peak_mib']:.0f}/{sc['workers_peak_mib']:.0f}", "-", "", ""),
            ("scan: quotations matched", f"{sc['matched']}/{sc['quotes']}", "-", "", ""),
            ("scan: candidate sources per doc", f"{sc['sources_per_doc']:.2f}", "-", "", ""),
            ("scan: reports = compare (sample)", f"{sc['identical']}/{sc['sampled']}", "-", "", "all"),
        ]
    return rows


def _sizes(args: argparse.Namespace) -> list[str]:
    return ["--seed", str(args.seed), "--sources", str(args.sources), "--source-words", str(args.source_words),
            "--articles", str(args.articles), "--article-words", str(args.article_words), "--quotes",
            str(args.quotes), "--lookups", str(args.lookups), "--jobs", str(args.jobs), "--baseline-budget",
            str(args.baseline_budget), "--encoder", args.encoder, "--dim", str(args.dim)]


if __name__ == "__main__":
    sys.exit(main())
