"""Benchmark: hostile inputs must cost time linear in their size.

Each case builds a document (and, for some, a source) from a size `n`, then times the whole
library path on it: `make_text` (decode-free loading: tokenising) and `compare_texts` (extract,
reuse, locate, align, classify), at sizes n, 2n and 4n. It prints the seconds at each size and the
growth ratio from one size to the next: about 2 is linear, about 4 is quadratic. A case whose time
passes `--budget` seconds stops growing (and is marked), so a quadratic case cannot hang the run.

Every report is checked on the way: each finding's `doc_text` must be exactly the document text
under its `doc_span`, each passage's text the text under its span. With `--cli`, the largest size
of every case also goes through the command line (`python -m provenance compare ... -f json`), in
a subprocess, timed, its exit status and its JSON offsets checked the same way.

Run it
------
    .venv/bin/python benchmarks/pathological.py            # full run, about a minute
    .venv/bin/python benchmarks/pathological.py --cli      # and the CLI at the largest size
    .venv/bin/python benchmarks/pathological.py --quick    # smoke run, a few seconds (a test runs it)
    .venv/bin/python benchmarks/pathological.py --case quotes_open_close   # one case

`--check` makes the exit status 2 when a growth ratio exceeds 3 at a size whose time is over
0.05 s (never in `--quick` mode: small times are noise).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from provenance.comparator.pipeline import compare_texts  # noqa: E402
from provenance.model import Report  # noqa: E402
from provenance.text import make_text  # noqa: E402

LETTER = (ROOT / "inputs" / "letter-2020-01-06.txt").read_text(encoding="utf-8")
ZW, RLO = "\u200b", "\u202e"


def _quoted(body: str) -> str:
    return f"The letter said: \u201c{body}\u201d and that was all.\n"


REPEATED = "The council will move its offices to the river district next spring."


def _repeated(n: int, quote: Callable[[int], str]) -> tuple[str, str]:
    """n/10 quotations (`quote(k)` each) of a source that is one sentence repeated n times (issue 17:
    every trigram too common to vote; 1,000 quotations x 10,000 repeats at 4n)."""
    document = "".join(f"Item {k}: \u201c{quote(k)}\u201d\n" for k in range(n // 10))
    return document, (REPEATED + " ") * n


def _altered(k: int) -> str:
    """The repeated sentence with its k-th word (mod 12) replaced by a word of its own."""
    words = REPEATED.split()
    words[k % len(words)] = f"word{k}"
    return " ".join(words)


PLAY = "all work and no play makes jack a dull boy "


def _reworded_play(count: int) -> str:
    """`count` distinct quotations rewording "all work and no play makes jack a dull boy"."""
    return "".join(f"Item {k}: \u201cdull jack plays, working boy {k} makes all\u201d\n" for k in range(count))


# name -> (what it is, base n, builder n -> (document, source or None for the letter), whole mode)
Case = tuple[str, int, Callable[[int], tuple[str, str | None]], bool]
CASES: dict[str, Case] = {
    "long_word": ("a quoted word of n characters, the same word in the source", 250_000,
                  lambda n: (_quoted("x" * n + " will be moving"), "x" * n + " will be moving"), False),
    "no_spaces": ("n characters of words joined by commas and dots, no space, compared whole", 200_000,
                  lambda n: (("word,dot." * (n // 9)), ("word,dot." * (n // 9))), True),
    "quote_marks_straight": ('n straight double quotation marks', 200_000, lambda n: ('"' * n, None), False),
    "quote_marks_curly": ("n curly opening quotation marks", 200_000, lambda n: ("\u201c" * n, None), False),
    "quotes_open_close": ("n/2 unclosed single quotes, then n/2 closing double quotes", 100_000,
                          lambda n: ("\u2018a " * (n // 6) + "a\u201d " * (n // 6), None), False),
    "quotes_nested": ("quotes nested n/2 deep", 100_000,
                      lambda n: ("\u201c\u2018" * (n // 4) + "x" + "\u2019\u201d" * (n // 4), None), False),
    "short_quotes": ("n/10 quotations of three words", 50_000,
                     lambda n: ('"will be moving" ' * (n // 17), None), False),
    "possessives": ("a single quote, then n/5 plural possessives before lower-case words", 100_000,
                    lambda n: ("'x " + "as' a " * (n // 6), None), False),
    "brackets_open": ("n opening square brackets", 200_000, lambda n: ("[" * n, None), False),
    "brackets_in_quote": ("a quotation holding n/4 bracketed insertions", 50_000,
                          lambda n: (_quoted("will [a] " * (n // 9)), None), False),
    "brackets_unclosed_in_quote": ("a quotation with an opening bracket and n/2 words", 100_000,
                                   lambda n: (_quoted("[will " + "be " * (n // 3)), None), False),
    "ellipses_in_quote": ("a quotation of words and n/4 ellipses", 50_000,
                          lambda n: (_quoted("moving \u2026 " * (n // 9)), "moving " * (n // 9)), False),
    "dots": ("n full stops", 200_000, lambda n: ("word " + "." * n, None), False),
    "spaced_dots": ("n/2 spaced full stops", 200_000, lambda n: ("word " + ". " * (n // 2), None), False),
    "hidden_run": ("a run of n zero-width spaces inside a quoted word", 200_000,
                   lambda n: (_quoted("will be mov" + ZW * n + "ing forces"), "will be moving forces"), False),
    "bidi_run": ("a run of n right-to-left overrides between quoted words", 200_000,
                 lambda n: (_quoted("will be " + RLO * n + "moving forces"), "will be moving forces"), False),
    "hidden_every_word": ("a quotation of n/5 words, each with a zero-width space", 50_000,
                          lambda n: (_quoted(("mo" + ZW + "ve ") * (n // 5)), "move " * (n // 5)), False),
    "homoglyphs": ("n/6 words with a Cyrillic a, compared whole with the Latin text", 60_000,
                   lambda n: ("\u0430pple " * (n // 6), "apple " * (n // 6)), True),
    "mojibake": ("n/7 words of UTF-8 read as Windows-1252, compared whole with the clean text", 60_000,
                 lambda n: ("cafÃ© " * (n // 6), "café " * (n // 6)), True),
    "markdown_quote_lines": ("n/4 lines of a Markdown block quotation", 100_000,
                             lambda n: ("> will be moving\n" * (n // 17), None), False),
    "blockquote_unclosed": ("n/12 unclosed <blockquote> tags", 120_000,
                            lambda n: ("<blockquote>" * (n // 12) + " moving", None), False),
    "indented_spaces": ("an indented line of n spaces", 200_000, lambda n: ("    " + " " * n + "x\n", None), False),
    "line_ends": ("n/2 words on lines ended by CR, LF and CRLF in turn", 100_000,
                  lambda n: ("a\rb\nc\r\nd " * (n // 10), None), False),
    "repeated_sentence": ("n/10 verbatim quotations of a sentence the source repeats n times", 2_500,
                          lambda n: _repeated(n, lambda k: REPEATED), False),
    "repeated_altered": ("n/10 quotations, each altered differently, of a sentence repeated n times", 2_500,
                         lambda n: _repeated(n, _altered), False),
    "repeated_reworded": ("n/10 reworded quotations (paraphrase search) of a sentence repeated n times", 2_500,
                          lambda n: _repeated(n, lambda k: f"offices council river spring district move {k}"),
                          False),
    "phrase_unpunctuated": ("n/50 reworded quotations of a source that is one phrase repeated n times, no full stop",
                            2_500, lambda n: (_reworded_play(n // 50), PLAY * n), False),
    "whole_copy": ("a source of n/5 words compared whole with itself, one word changed", 100_000,
                   lambda n: (("the council will move " * (n // 22)).replace("move", "mov", 1),
                              "the council will move " * (n // 22)), True),
}


def check_offsets(report: Report, document: str) -> None:
    for p in report.passages:
        assert document[p.passage.span.start:p.passage.span.end] == p.text, p.id
        for f in p.findings:
            if f.doc_span is not None:
                assert document[f.doc_span.start:f.doc_span.end] == f.doc_text, (p.id, f)


def run_once(doc_s: str, src_s: str, whole: bool) -> tuple[float, int]:
    t0 = time.perf_counter()
    doc = make_text(doc_s, path="doc.txt", id="document")
    src = make_text(src_s, path="src.txt", id="source")
    report = compare_texts(doc, [src], whole=whole)
    elapsed = time.perf_counter() - t0
    check_offsets(report, doc.original)
    return elapsed, sum(len(p.findings) for p in report.passages)


def run_cli(doc_s: str, src_s: str, whole: bool) -> tuple[float, int, str]:
    with tempfile.TemporaryDirectory() as tmp:
        d, s, out = Path(tmp, "doc.txt"), Path(tmp, "src.txt"), Path(tmp, "out.json")
        d.write_text(doc_s, encoding="utf-8", newline="")
        s.write_text(src_s, encoding="utf-8", newline="")
        cmd = [sys.executable, "-m", "provenance", "compare", str(d), "-s", str(s), "-f", "json", "-o", str(out)]
        if whole:
            cmd.append("--whole")
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=ROOT, timeout=600)
        elapsed = time.perf_counter() - t0
        status = "ok"
        if proc.returncode == 0:
            data = json.loads(out.read_text(encoding="utf-8"))
            text = d.read_bytes().decode("utf-8")
            for p in data["passages"]:
                for f in p["findings"]:
                    span = f["doc_span"]
                    if span is not None and text[span["start"]:span["end"]] != f["doc_text"]:
                        status = "WRONG OFFSET"
        else:
            status = proc.stderr.strip().splitlines()[-1][:60] if proc.stderr.strip() else "no message"
        return elapsed, proc.returncode, status


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="small sizes, for a smoke test")
    ap.add_argument("--cli", action="store_true", help="also run the largest size through the CLI")
    ap.add_argument("--case", action="append", help="run only this case (repeatable)")
    ap.add_argument("--budget", type=float, default=20.0, help="stop growing a case past this many seconds")
    ap.add_argument("--check", action="store_true", help="exit 2 when a growth ratio exceeds 3")
    args = ap.parse_args()
    factors = (1, 2, 4)
    scale = 0.02 if args.quick else 1.0
    names = args.case or list(CASES)
    header = f"{'case':28} {'n':>9} {'t(n) s':>8} {'t(2n) s':>8} {'t(4n) s':>8} {'ratio':>11} {'findings':>9}"
    if args.cli:
        header += f" | {'CLI 4n s':>8} exit"
    print(header)
    worst = 0.0
    for name in names:
        what, base, build, whole = CASES[name]
        n0 = max(60, int(base * scale))
        times: list[float] = []
        findings = 0
        for f in factors:
            doc_s, src_s = build(n0 * f)
            elapsed, findings = run_once(doc_s, src_s if src_s is not None else LETTER, whole)
            times.append(elapsed)
            if elapsed > args.budget:
                break
        ratios = [b / a if a > 0 else 0.0 for a, b in zip(times, times[1:], strict=False)]
        for b, r in zip(times[1:], ratios, strict=False):
            if b > 0.05:
                worst = max(worst, r)
        cells = [f"{t:8.3f}" for t in times] + ["   (cut)"] * (3 - len(times))
        line = f"{name:28} {n0:>9,} {' '.join(cells)} {'/'.join(f'{r:.1f}' for r in ratios):>11} {findings:>9,}"
        if args.cli:
            doc_s, src_s = build(n0 * factors[-1])
            elapsed, code, status = run_cli(doc_s, src_s if src_s is not None else LETTER, whole)
            line += f" | {elapsed:8.2f} {code} {status}"
        print(line, flush=True)
    print(f"worst growth ratio (times over 0.05 s): {worst:.2f}  (2 = linear, 4 = quadratic)")
    if args.check and not args.quick and worst > 3:
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
