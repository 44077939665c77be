#!/usr/bin/env python3
"""Assemble the real-world evaluation cases from their parts.

The labels (`labels.json`) and the public-domain source texts (`sources/`) are in this folder;
the published pages that quote them are third-party texts and are not in the repository. Put
the text of each page in PAGES/<case name>.txt (the addresses are in `labels.json` and
`MANIFEST.md`), then run

    python benchmarks/realworld/build_cases.py --pages PAGES --out CASES

and score the cases with `../shared/eval/score.py --cases CASES`.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def build(pages: Path, out: Path, *, present_only: bool = False) -> int:
    labels = json.loads((HERE / "labels.json").read_text(encoding="utf-8"))
    missing = [c["name"] for c in labels if not (pages / f"{c['name']}.txt").is_file()]
    if missing and not present_only:
        print(f"error: no page text for {len(missing)} case(s): {', '.join(missing)}", file=sys.stderr)
        return 2
    if missing:
        print(f"left out, no page text: {', '.join(missing)}")
        labels = [c for c in labels if c["name"] not in missing]
    for case in labels:
        folder = out / case["name"]
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(pages / f"{case['name']}.txt", folder / "document.txt")
        for src in case["sources"]:
            shutil.copyfile(HERE / "sources" / src, folder / src)
        spec = {"document": "document.txt", "sources": case["sources"], "whole": False,
                "expect": case["expect"], "verdicts": case["verdicts"], "clean": case["clean"],
                "exhaustive": case["exhaustive"], "url": case["url"], "note": case["note"]}
        tmp = folder / "case.json.tmp"
        tmp.write_text(json.dumps(spec, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        tmp.replace(folder / "case.json")
    print(f"{len(labels)} cases written to {out}")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=Path, required=True, help="folder of <case name>.txt page texts")
    ap.add_argument("--out", type=Path, required=True, help="folder to write the case folders into")
    ap.add_argument("--present-only", action="store_true",
                    help="build the cases whose page text is present and list the others, instead of failing")
    args = ap.parse_args()
    if not args.pages.is_dir():
        print(f"error: {args.pages} is not a folder", file=sys.stderr)
        return 2
    return build(args.pages, args.out, present_only=args.present_only)


if __name__ == "__main__":
    sys.exit(main())
