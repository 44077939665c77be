"""Benchmark: CER and WER (`provenance.transcription.metrics.measure`) against jiwer on long texts.

What it measures
----------------
Texts are generated deterministically from `--seed` (no network, no downloaded data): English-like
prose of made-up words (Zipf-distributed, with commas, sentence ends and paragraphs), and a
transcription of it damaged character by character at a given rate (a character substituted,
dropped or doubled, a space lost or added), as OCR damages a page. For each length and rate:

- `codepoints` CER against `jiwer.cer`, and `whitespace` WER against `jiwer.wer`, the two
  definitions jiwer computes: the median time of 3 runs of each, their ratio (ours over jiwer's;
  the goal is at most 2), and whether the figures are equal (they must be, exactly).
- with `--dinglehopper`, the `graphemes` CER against dinglehopper's `character_error_rate` on the
  shortest length only (dinglehopper segments graphemes in Python, about 10 µs a character).

Run it
------
    .venv/bin/python benchmarks/metrics.py            # full run: 20,000 to 200,000 characters, about 1 minute
    .venv/bin/python benchmarks/metrics.py --quick    # smoke run: 5,000 and 20,000 characters
    .venv/bin/python benchmarks/metrics.py --dinglehopper

`--check` makes the exit status 2 when a ratio is over 2 or a figure differs (never in `--quick`
mode, whose texts are too short for stable timings).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import jiwer  # noqa: E402

from provenance.transcription.metrics import measure  # noqa: E402

CONSONANTS, VOWELS = "bcdfghklmnprstvwz", "aeiou"
RATIO_GOAL = 2.0


def prose(rng: random.Random, n_chars: int) -> str:
    """English-like text of about `n_chars` characters."""
    vocabulary = ["".join(rng.choice(CONSONANTS) + rng.choice(VOWELS) for _ in range(rng.randint(1, 4)))
                  for _ in range(3000)]
    weights = [1 / (k + 1) for k in range(len(vocabulary))]
    out: list[str] = []
    size = 0
    while size < n_chars:
        sentence = rng.choices(vocabulary, weights, k=rng.randint(5, 25))
        sentence[0] = sentence[0].capitalize()
        text = " ".join(w + ("," if rng.random() < 0.08 else "") for w in sentence) + "."
        text += "\n\n" if rng.random() < 0.1 else " "
        out.append(text)
        size += len(text)
    return "".join(out).strip()


def damaged(rng: random.Random, text: str, rate: float) -> str:
    """`text` with about `rate` of its characters damaged."""
    out: list[str] = []
    for ch in text:
        r = rng.random()
        if r >= rate:
            out.append(ch)
        elif r < rate / 4:
            out.append(rng.choice(CONSONANTS + VOWELS + " "))  # substituted
        elif r < rate / 2:
            continue  # dropped
        elif r < 3 * rate / 4:
            out.append(ch * 2)  # doubled
        else:
            out.append(ch + " " if ch != " " else "")  # a space added or lost
    return "".join(out)


def median_time(fn: Callable[[], object], runs: int) -> tuple[float, object]:
    times: list[float] = []
    result: object = None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def compare(reference: str, hypothesis: str, runs: int) -> list[tuple[str, float, float, bool]]:
    """(figure, our time, jiwer's time, equal) for the two definitions jiwer computes."""
    rows = []
    for name, definition, theirs in (("CER", "codepoints", jiwer.cer), ("WER", "whitespace", jiwer.wer)):
        ours_t, ours = median_time(lambda d=definition: measure(reference, hypothesis, d).rate, runs)  # type: ignore[misc]
        jiwer_t, jiwer_rate = median_time(lambda f=theirs: f(reference, hypothesis), runs)  # type: ignore[misc]
        rows.append((name, ours_t, jiwer_t, ours == jiwer_rate))
    return rows


def dinglehopper_row(reference: str, hypothesis: str) -> tuple[float, float, bool]:
    from dinglehopper import character_error_rate  # type: ignore[import-untyped]

    ours_t, ours = median_time(lambda: measure(reference, hypothesis, "graphemes").rate, 1)
    theirs_t, theirs = median_time(lambda: character_error_rate(reference, hypothesis), 1)
    return ours_t, theirs_t, ours == theirs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="short texts, one run each (a smoke run)")
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--dinglehopper", action="store_true", help="also time dinglehopper's CER (slow)")
    parser.add_argument("--check", action="store_true", help="exit 2 when a goal is missed")
    args = parser.parse_args(argv)
    lengths = (5_000, 20_000) if args.quick else (20_000, 67_000, 200_000)
    rates = (0.02, 0.3) if args.quick else (0.01, 0.1, 0.4)
    runs = 1 if args.quick else 3
    rng = random.Random(args.seed)
    compare("warm up: imports and caches", "warm up: imports, caches", 1)
    print(f"{'chars':>8} {'damage':>7} {'figure':>6} {'ours s':>8} {'jiwer s':>8} {'ratio':>6}  equal")
    worst, all_equal = 0.0, True
    for n in lengths:
        reference = prose(rng, n)
        for rate in rates:
            hypothesis = damaged(rng, reference, rate)
            for name, ours_t, jiwer_t, equal in compare(reference, hypothesis, runs):
                ratio = ours_t / max(jiwer_t, 1e-9)
                worst, all_equal = max(worst, ratio), all_equal and equal
                print(f"{len(reference):>8,} {rate:>7.0%} {name:>6} {ours_t:>8.3f} {jiwer_t:>8.3f} {ratio:>6.2f}  "
                      f"{'yes' if equal else 'NO'}")
    print(f"worst ratio (ours / jiwer): {worst:.2f} (goal: at most {RATIO_GOAL:g}); "
          f"figures equal to jiwer's: {'all' if all_equal else 'NOT ALL'}")
    if args.dinglehopper:
        reference = prose(rng, lengths[0])
        hypothesis = damaged(rng, reference, 0.1)
        ours_t, theirs_t, equal = dinglehopper_row(reference, hypothesis)
        print(f"graphemes CER on {len(reference):,} characters: ours {ours_t:.3f} s, dinglehopper {theirs_t:.3f} s, "
              f"equal: {'yes' if equal else 'NO'}")
    if args.check and not args.quick and (worst > RATIO_GOAL or not all_equal):
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
