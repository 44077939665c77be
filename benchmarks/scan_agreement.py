"""Benchmark: does `provenance scan` find what `compare` against every indexed source finds?

For a folder of evaluation cases (each a folder with `case.json`, its document and its sources;
by default `../shared/eval/cases/generated` beside the checkout), it:

1. indexes every distinct source of every case (by content: the same text named in several cases is
   indexed once, under the first name met in sorted order);
2. scans every document that is not a whole transcription (`"whole": false`);
3. compares each document with `compare_texts` against ALL the indexed sources, read back from the
   index, paraphrase search included;
4. and, per document, compares the two lists of findings: each passage's place in the document, its
   verdict, the source it matched (by path) and where, and each finding's type, places and words.

It prints one line per document that disagrees and a last line `agree N of M`; it exits 1 when
some disagree. Run it:

    .venv/bin/python benchmarks/scan_agreement.py [--cases DIR] [--verbose] [--no-vectors] [--one-per-document]

`--one-per-document` scans one document per labelled quotation instead of the articles: where an
article quotes a source word for word elsewhere, that quotation brings the source into the scan and
its paraphrases are found whatever the scan's search does; alone, a paraphrase must be found by the
search across the index. Measured (the meaning model installed):

| cases | articles | one per document, index without vectors | one per document, with vectors |
|---|---|---|---|
| ../shared/eval/cases/generated | 14 of 14 | 52 of 53 | 53 of 53 |
| benchmarks/paraphrase/cases | 7 of 7 | 41 of 49 | 49 of 49 |
| benchmarks/paraphrase/holdout/cases | 7 of 7 | 60 of 62 | 62 of 62 |
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CASES = ROOT.parent / "shared" / "eval" / "cases" / "generated"


@dataclass(frozen=True, slots=True)
class Agreement:
    """The comparison of one document's scan report with its compare report."""

    document: str
    scan: tuple[str, ...]
    """The scan's findings, one line each (see `finding_lines`)."""
    compare: tuple[str, ...]
    """Compare's findings against every indexed source."""

    @property
    def agrees(self) -> bool:
        return self.scan == self.compare


def _cases(cases: Path) -> list[tuple[Path, dict[str, Any]]]:
    out = []
    for case_file in sorted(cases.glob("*/case.json")):
        out.append((case_file.parent, json.loads(case_file.read_text(encoding="utf-8"))))
    return out


def distinct_sources(cases: Sequence[tuple[Path, dict[str, Any]]]) -> list[Path]:
    """Every source file of the cases, each distinct content once (its first path in sorted order)."""
    seen: dict[str, Path] = {}
    for folder, case in cases:
        for name in case["sources"]:
            path = folder / name
            seen.setdefault(hashlib.sha256(path.read_bytes()).hexdigest(), path)
    return sorted(seen.values())


def finding_lines(report_json: str) -> tuple[str, ...]:
    """What a report finds, as comparable lines: the source is named by its path (ids depend on
    which sources were compared), spans by offsets."""
    data = json.loads(report_json)
    path_of = {s["id"]: s["path"] for s in data["sources"]}
    lines = []
    for p in data["passages"]:
        match = p.get("match") or {}
        where = (f"{path_of.get(match.get('source'), match.get('source'))}@{match['src_span']['start']}"
                 f"-{match['src_span']['end']}" if match else "-")
        lines.append(f"{p['doc_span']['start']}-{p['doc_span']['end']} {p['verdict']} {where}")
        for f in p["findings"]:
            src = f.get("src_span") or {}
            lines.append(f"  {f['type']} {f['severity']} doc {f['doc_span']['start']}-{f['doc_span']['end']} "
                         f"{f.get('doc_text')!r} src {src.get('start')}-{src.get('end')} {f.get('src_text')!r} "
                         f"{sorted(f.get('impact') or [])}")
    return tuple(lines)


def one_quotation_each(cases: Sequence[tuple[Path, dict[str, Any]]], folder: Path) -> list[str]:
    """One document per labelled quotation of the cases (each `expect` entry's `doc` text, quoted after
    a neutral lead-in), so that no other quotation of the same article brings its source into a scan."""
    folder.mkdir(parents=True, exist_ok=True)
    documents = []
    for case_folder, case in cases:
        if case.get("whole"):
            continue
        for k, want in enumerate(case.get("expect", [])):
            if not want.get("doc"):
                continue
            path = folder / f"{case_folder.name}-{k:03d}.md"
            path.write_text(f"# Notes\n\nAs the speaker put it, \u201c{want['doc']}\u201d\n", encoding="utf-8")
            documents.append(str(path))
    return documents


def agreement(cases_dir: Path, workdir: Path, vectors: bool = True, one_each: bool = False) -> list[Agreement]:
    """Index every source of the cases in `workdir` (with the sentence vectors `index build` stores where
    the meaning model is installed, unless `vectors` is False), scan every article (or, with `one_each`,
    one document per labelled quotation), compare each against all sources."""
    from provenance.comparator.pipeline import compare_texts
    from provenance.corpus.index import Index
    from provenance.corpus.scan import scan
    from provenance.corpus.vectors import default_encoder
    from provenance.load import load_text
    from provenance.report.json_report import render_json

    cases = _cases(cases_dir)
    db = workdir / "index.db"
    with Index.create(db) as index:
        index.add(distinct_sources(cases), replace=True, encoder=default_encoder() if vectors else None)
        everything = [index.text(r.rowid) for r in index.sources()]
    documents = [str(folder / case["document"]) for folder, case in cases if not case.get("whole")]
    if one_each:
        documents = one_quotation_each(cases, workdir / "documents")
    out = workdir / "reports"
    result = scan(documents, db, out, jobs=1)
    agreements = []
    for outcome in result.outcomes:
        if outcome.status == "failed":
            raise SystemExit(f"scan failed on {outcome.document}: {outcome.error}")
        doc = load_text(outcome.document, id="document", role="document")
        full = render_json(compare_texts(doc, everything))
        scanned = (out / outcome.report).read_text(encoding="utf-8")
        agreements.append(Agreement(outcome.document, finding_lines(scanned), finding_lines(full)))
    return agreements


def _show(a: Agreement) -> None:
    print(f"disagrees: {a.document}")
    for line in sorted(set(a.scan) - set(a.compare)):
        print(f"  scan only:    {line.strip()}")
    for line in sorted(set(a.compare) - set(a.scan)):
        print(f"  compare only: {line.strip()}")


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("--cases", type=Path, default=DEFAULT_CASES, help="folder of evaluation cases")
    ap.add_argument("--verbose", action="store_true", help="show each disagreeing finding")
    ap.add_argument("--no-vectors", action="store_true", help="index without sentence vectors")
    ap.add_argument("--one-per-document", action="store_true",
                    help="scan one document per labelled quotation (its `expect` text) instead of the articles")
    args = ap.parse_args(argv)
    if not args.cases.is_dir():
        print(f"no folder of cases {str(args.cases)!r}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="provenance-agreement-") as tmp:
        results = agreement(args.cases, Path(tmp), vectors=not args.no_vectors, one_each=args.one_per_document)
    for a in results:
        if not a.agrees:
            if args.verbose:
                _show(a)
            else:
                print(f"disagrees: {a.document}")
    agree = sum(a.agrees for a in results)
    print(f"agree {agree} of {len(results)}")
    return 0 if agree == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
