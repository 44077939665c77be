#!/usr/bin/env python3
"""Measure sentence encoders on labelled paraphrases and near misses.

For each labelled quotation of the cases given (an expected `paraphrase` is a positive, an expected
`unsourced` a near miss), the source sentences and clauses of its case are encoded and the one
most like the quotation (cosine) is found. A positive counts as found at a threshold when its best
cosine reaches it and that best unit is the labelled source sentence (when the label names one);
a near miss is a false positive when its best cosine reaches it. Prints, per encoder, precision and
recall at each threshold, the encoding speed and the load time.

    python benchmarks/paraphrase/measure.py [--cases DIR ...] [--models wordllama minilm]

This measures the model alone, with no lexical evidence; the comparison itself combines the two
(see provenance/comparator/paraphrase.py).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from provenance import meaning  # noqa: E402

SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n\s*\n")
CLAUSE_END = re.compile(r"\s*(?:;|:|--|—)\s*")


def units_of(text: str) -> list[str]:
    """A source's sentences and, for those with several clauses, each clause too."""
    out: list[str] = []
    for sent in SENTENCE_END.split(text):
        sent = " ".join(sent.split())
        if len(sent.split()) < 3:
            continue
        out.append(sent)
        clauses = [c for c in CLAUSE_END.split(sent) if len(c.split()) >= 3]
        if len(clauses) > 1:
            out.extend(clauses)
    return out


def labelled(case_dirs: list[Path]) -> list[tuple[str, bool, str, list[str]]]:
    """(quotation, is a paraphrase, its labelled source sentence, the case's source units)."""
    rows = []
    for case in case_dirs:
        spec = json.loads((case / "case.json").read_text(encoding="utf-8"))
        units = [u for s in spec["sources"] for u in units_of((case / s).read_text(encoding="utf-8"))]
        for exp in spec.get("expect", []):
            if exp["type"] in ("paraphrase", "unsourced"):
                rows.append((exp["doc"], exp["type"] == "paraphrase", exp.get("src", ""), units))
    return rows


def right_unit(unit: str, src: str) -> bool:
    """Whether the best unit is (within or around) the labelled source sentence."""
    if not src:
        return True
    a, b = " ".join(unit.split()).lower(), " ".join(src.split()).lower()
    return a in b or b in a


Row = tuple[str, bool, str, list[str]]


def measure(enc: meaning.Encoder, rows: list[Row]) -> tuple[list[tuple[float, bool, bool]], float, int]:
    """Best cosine and whether it points at the right unit, per row; the encoding time and count."""
    all_units = sorted({u for *_, units in rows for u in units})
    t0 = time.perf_counter()
    vecs = enc.encode(all_units)
    qv = enc.encode([q for q, *_ in rows])
    took = time.perf_counter() - t0
    at = {u: i for i, u in enumerate(all_units)}
    out = []
    for (_q, pos, src, units), v in zip(rows, qv, strict=True):
        idx = [at[u] for u in units]
        sims = vecs[idx] @ v
        best = int(np.argmax(sims))
        out.append((float(sims[best]), pos, right_unit(units[best], src)))
    return out, took, len(all_units) + len(rows)


def table(scores: list[tuple[float, bool, bool]]) -> list[str]:
    lines = []
    npos = sum(1 for _, p, _ in scores if p)
    for th in np.arange(0.5, 0.951, 0.025):
        tp = sum(1 for s, p, ok in scores if p and ok and s >= th)
        fp = sum(1 for s, p, ok in scores if s >= th and (not p or not ok))
        prec = tp / (tp + fp) if tp + fp else 1.0
        lines.append(f"  th {th:.3f}  P {prec:.3f}  R {tp / max(npos, 1):.3f}  (tp {tp} fp {fp} of {npos} positives, "
                     f"{len(scores) - npos} near misses)")
    return lines


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", nargs="*", default=[str(ROOT / "benchmarks/paraphrase/cases")])
    ap.add_argument("--models", nargs="*", default=["wordllama", "minilm"])
    args = ap.parse_args()
    case_dirs = sorted({p.parent for root in args.cases for p in Path(root).rglob("case.json")})
    rows = labelled(case_dirs)
    for name in args.models:
        t0 = time.perf_counter()
        enc = meaning.load(meaning.WORDLLAMA if name == "wordllama" else meaning.MINILM)
        load_s = time.perf_counter() - t0
        if enc is None:
            print(f"{name}: not installed")
            continue
        scores, took, n = measure(enc, rows)
        print(f"{enc.name}: dim {enc.dim}, load {load_s:.2f} s, {n / took:.0f} texts/s")
        print("\n".join(table(scores)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
