"""Benchmark of issue 15: a check over generated reports that cite their sources, timed and scored.

    python benchmarks/cited_check.py [--count 100] [--registry] [--quick]

`benchmarks/cited/make_bench.py` writes COUNT reports of about 1,000 words, each with five sources
(two of them transcripts) and numbered citations, and what each quotation really is
(`labels.json`). The check runs over all of them with every report written (JSON, HTML, Markdown,
SARIF, JUnit), as `provenance check` does; the target is under 30 s here for 100 reports. Its
findings are then scored against the labels: a `wrong_source` or `wrong_speaker` quotation must
get a misattribution, a `fabricated` one must be unsourced (or not checked), a `correct` one neither.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _fold(text: str) -> str:
    return " ".join(text.split()).strip(" .,").casefold()


def _score(folder: Path) -> dict[str, Counter[str]]:
    """Per label kind, how the check's JSON reports judged its quotations."""
    labels = json.loads((folder / "labels.json").read_text(encoding="utf-8"))
    out: dict[str, Counter[str]] = {}
    for doc, quotes in labels.items():
        report = json.loads((folder / "out" / f"{doc}.json").read_text(encoding="utf-8"))
        judged: dict[str, set[str]] = {}
        for p in report["passages"]:
            judged[_fold(p["text"])] = {f["type"] for f in p["findings"]}
        for n in report.get("not_checked", []):
            judged.setdefault(_fold(n["text"]), set()).add("not_checked")
        for q in quotes:
            types = next((t for text, t in judged.items() if _fold(q["quote"]) in text or text in _fold(q["quote"])),
                         {"(not found)"})
            got = ("misattribution" if "misattribution" in types else "unsourced" if "unsourced" in types
                   else "paraphrase" if "paraphrase" in types else "not_checked" if "not_checked" in types
                   else "none")
            out.setdefault(q["kind"], Counter())[got] += 1
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--registry", action="store_true", help="describe the sources in [[sources]] tables")
    parser.add_argument("--quick", action="store_true", help="5 reports: a smoke test")
    args = parser.parse_args()
    count = 5 if args.quick else args.count
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        make = [sys.executable, str(ROOT / "benchmarks" / "cited" / "make_bench.py"), str(folder),
                "--count", str(count)]
        subprocess.run([*make, *(["--registry"] if args.registry else [])], check=True, capture_output=True)
        from provenance.check.manifest import load_manifest
        from provenance.check.run import render_outputs, run_check

        start = time.perf_counter()
        manifest = load_manifest(folder / "provenance.toml", report_dir=folder / "out")
        run = run_check(manifest, manifest.documents, timestamp=None)
        outputs = render_outputs(run, ("json", "html", "markdown", "sarif", "junit"), folder / "out", timestamp=None)
        elapsed = time.perf_counter() - start
        for path, text in outputs.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        words = sum(len(p.read_text(encoding="utf-8").split()) for p in (folder / "reports").glob("*.md"))
        print(f"check: {count} reports ({words:,} words, 5 sources each) compared and {len(outputs)} reports "
              f"rendered in {elapsed:.2f} s ({elapsed / count * 1000:.0f} ms a report; target for 100: under 30 s)"
              f"{' with [[sources]] tables' if args.registry else ''}; {len(run.failures)} failed")
        for kind, counts in sorted(_score(folder).items()):
            total = sum(counts.values())
            shown = ", ".join(f"{k} {v}" for k, v in counts.most_common())
            print(f"  {kind:14} {total:5} quotations: {shown}")


if __name__ == "__main__":
    main()
