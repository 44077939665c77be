#!/usr/bin/env python3
"""Check that the labels of the cited-sources set agree with its texts.

Every case.json under benchmarks/cited/cases carries, besides what the scorer reads, the editor's
notes behind each label: the source a quotation cites (`cited`), where misattributed words really
are (`found_in`), the speaker a cue names and the one whose turn holds the words
(`claimed_speaker`, `spoken_by`), and the full quoted words (`quote`). This script verifies them
against the files, so that a label cannot silently disagree with its texts:

- a quotation labelled verbatim is in the source it cites (and in the named turn, for a transcript);
- a misattributed one is not in the source it cites but is in `found_in`, or is in the cited
  transcript in a turn of `spoken_by` and in no turn of `claimed_speaker`;
- an unsourced one is in no given source; an altered one is not word for word in its source;
- a citation of a source that is not given names a file that is neither given nor in the folder.

Usage: check_labels.py [CASES_DIR]   (prints one line per problem; exit 1 if any)
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
TURN = re.compile(r"^([A-Z](?:[A-Z.' -]*[A-Z.])?):\s")


def words(text: str) -> str:
    """The text as a padded string of folded words, for word-boundary containment tests."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").casefold()
    return " " + " ".join(re.findall(r"[\w']+", text)) + " "


def turns(text: str) -> list[tuple[str, str]]:
    """The speaker turns of a transcript: (label, words) for each paragraph opening with `LABEL:`."""
    out = []
    for para in re.split(r"\n\s*\n", text):
        m = TURN.match(para.strip())
        if m:
            out.append((m.group(1), words(para.strip()[m.end():])))
    return out


def check_case(case_dir: Path) -> list[str]:
    spec = json.loads((case_dir / "case.json").read_text(encoding="utf-8"))
    doc = (case_dir / spec["document"]).read_text(encoding="utf-8")
    texts = {s: (case_dir / s).read_text(encoding="utf-8") for s in spec["sources"]}
    folded = {s: words(t) for s, t in texts.items()}
    problems: list[str] = []

    def bad(msg: str) -> None:
        problems.append(f"{case_dir.name}: {msg}")

    def holds(source: str, quote: str) -> bool:
        return words(quote) in folded[source]

    def speakers(source: str, quote: str) -> set[str]:
        return {label for label, said in turns(texts[source]) if words(quote) in said}

    for want in spec.get("verdicts", []):
        quote, cited, verdict = want["quote"], want["cited"], want["verdict"]
        if quote not in doc:
            bad(f"quotation not in the document: {quote!r}")
        if doc.count(want["contains"]) != 1:
            bad(f"`contains` is not unique in the document: {want['contains']!r}")
        if want["contains"] not in quote:
            bad(f"`contains` is not part of its quotation: {want['contains']!r}")
        if cited not in texts:
            bad(f"cited source not given: {cited}")
            continue
        if verdict == "unsourced":
            if any(holds(s, quote) for s in texts):
                bad(f"labelled unsourced but a source has it: {quote!r}")
        elif verdict == "altered":
            if holds(cited, quote):
                bad(f"labelled altered but word for word in {cited}: {quote!r}")
        elif "found_in" not in want and not holds(cited, quote):
            bad(f"labelled {verdict} but not in the cited {cited}: {quote!r}")
        if "by" in want and want["by"] not in speakers(cited, quote):
            bad(f"not said by {want['by']} in {cited}: {quote!r} (said by {speakers(cited, quote) or 'nobody'})")
        for other in want.get("also", []):
            if not holds(other, quote):
                bad(f"said to be also in {other} but is not: {quote!r}")

    for exp in spec.get("expect", []):
        if exp["type"] == "misattribution":
            quote, cited = exp["doc"], exp["cited"]
            if quote not in doc:
                bad(f"misattributed words not in the document: {quote!r}")
            if "found_in" in exp:
                if holds(cited, quote):
                    bad(f"misattribution, yet the cited {cited} has the words: {quote!r}")
                if not holds(exp["found_in"], quote):
                    bad(f"misattribution, yet {exp['found_in']} lacks the words: {quote!r}")
            else:
                said = speakers(cited, quote)
                if exp["spoken_by"] not in said or exp["claimed_speaker"] in said:
                    bad(f"speaker misattribution not borne out in {cited}: {quote!r} (said by {said or 'nobody'})")
        elif exp["type"] == "unsourced":
            if exp["doc"] not in doc:
                bad(f"unsourced words not in the document: {exp['doc']!r}")
            if any(holds(s, exp["doc"]) for s in texts):
                bad(f"unsourced, yet a source has the words: {exp['doc']!r}")
        else:
            if "doc" in exp and exp["doc"] not in doc:
                bad(f"altered words not in the document: {exp['doc']!r}")
            if "src" in exp and not any(words(exp["src"]) in f for f in folded.values()):
                bad(f"source words of an alteration in no source: {exp['src']!r}")

    for missing in spec.get("not_checked", []):
        if missing["cited"] in texts or (case_dir / missing["cited"]).exists():
            bad(f"`not_checked` cites a source that is there: {missing['cited']}")
        if missing["quote"] not in doc:
            bad(f"not-checked quotation not in the document: {missing['quote']!r}")
        if missing["cited"] not in doc:
            bad(f"not-checked citation does not name its file: {missing['cited']}")
    return problems


def main() -> int:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "cases"
    cases = sorted(p.parent for p in root.glob("*/case.json"))
    if not cases:
        print(f"no cases under {root}", file=sys.stderr)
        return 2
    problems = [p for case in cases for p in check_case(case)]
    print("\n".join(problems) if problems else f"{len(cases)} cases: labels agree with their texts")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
