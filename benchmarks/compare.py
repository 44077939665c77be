"""Benchmark: `provenance.compare_texts` on a synthetic corpus, against a naive difflib baseline.

What it measures
----------------
A corpus is generated deterministically from `--seed` (no network, no downloaded data):

* 20 source texts of 50,000 words each: English-like prose built from a fixed vocabulary of
  5,000 words (about 120 real function words, the rest pronounceable made-up words) drawn with a
  Zipf-Mandelbrot distribution, with recurring set phrases, proper names, commas, sentence ends,
  paragraphs, and lines wrapped at 72 columns like a plain-text e-book. The first line of each
  is a title naming its author.
* A document of 50,000 words of its own prose (same language, another random stream) into which
  200 quotations are inserted: 15-60 consecutive words of a random source between curly double
  quotes, some with an attribution cue naming the right author, about 1 in 3 carrying one
  alteration (a word substituted, dropped, inserted, two words swapped, or a typo). Three
  paragraphs of 80-150 words copied from sources are pasted in without quotation marks.

For each size, in a fresh subprocess (so that the peak memory is the real peak RSS of a process
doing only that work: Linux's VmHWM, see `peak_rss_mib`), it times:

* load: reading the files and building the `Text` objects (`provenance.make_text`: tokenising);
* compare: `provenance.compare_texts(document, sources)` (extract, reuse, locate, align, classify);
* total: both, which is what the targets are about.

What scales (default, `--scale sources`): the words per source (1/4, 1/2 and all of each source's
paragraphs, so the sources' total size grows 250 k -> 500 k -> 1 M words). The document, its 200
quotations and its pasted paragraphs are the same at every size: the quoted stretches are all
taken from the first quarter of each source so that they exist at every size. With `--scale
document` the sources stay at full size and the document grows instead (prose, quotations and
pasted paragraphs: 1/4, 1/2, all), which exposes costs that grow with the document.

Baseline: the same locate + align done naively with `difflib.SequenceMatcher` over word lists
(autojunk off): for each quotation, `find_longest_match` against every source to pick the source
and place, then `get_opcodes()` on a window around it. It gets the quotations' spans for free
(no extraction, no unmarked reuse, no classification), which favours it. It runs quotations until
its time budget is spent and is then extrapolated linearly to all of them; the output says so.

Sanity check: the inserted quotations are the ground truth; the output gives how many provenance
found in the right source at the right place (recall), how many altered ones it flagged, how many
verbatim ones it passed, whether it found the pasted paragraphs, and how many passages it reported
that match nothing inserted. A fast run that finds nothing is visible at once.

Run it
------
    /work/venv/bin/python benchmarks/compare.py                    # full run, 1-4 minutes
    /work/venv/bin/python benchmarks/compare.py --quick            # smoke run, a few seconds
    /work/venv/bin/python benchmarks/compare.py --scale document   # grow the document, not the sources
    /work/venv/bin/python benchmarks/compare.py --profile          # also cProfile the full-size comparison

`--check` makes the exit status 2 when a target is missed (never in `--quick` mode).

Targets (full size): provenance under 10 s and 1 GiB peak RSS, at least 20 times faster than the
baseline, time growing about linearly with the sources' total size.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

# --------------------------------------------------------------------------------------------
# Configuration
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Config:
    """Sizes of one benchmark run."""

    sources: int = 20
    source_words: int = 50_000
    doc_words: int = 50_000
    quotes: int = 200
    pasted: int = 3
    vocabulary: int = 5_000
    baseline_budget: float = 170.0
    """Seconds of baseline run time, all sizes together (split 1:2:4 over the sizes)."""


FULL = Config()
QUICK = Config(sources=5, source_words=6_000, doc_words=4_000, quotes=30, pasted=1, baseline_budget=3.0)
FRACTIONS: tuple[tuple[str, float], ...] = (("1/4", 0.25), ("1/2", 0.5), ("1", 1.0))
TARGET_SECONDS = 10.0
TARGET_MIB = 1024.0
TARGET_SPEEDUP = 20.0
LINEAR_RATIO_MAX = 5.0
"""Largest full/quarter time ratio still called about linear (linear is 4, quadratic 16)."""
QUOTE_MIN, QUOTE_MAX = 15, 60
PASTE_MIN, PASTE_MAX = 80, 150
WRAP = 72

# --------------------------------------------------------------------------------------------
# Corpus generation
# --------------------------------------------------------------------------------------------

# The most frequent English words, roughly by rank (verbs of saying left out: they are
# attribution cues, used on purpose only).
FUNCTION_WORDS = """the of and to a in that is was he for it with as his on be at by this had not are but from
or have an they which one you were her all she there would their we him been has when who will more no if
out so what up its about into than them can only other new some could time these two may then do first any
my now such like our over man me even most made after also did many before must through back years where
much your way well down should because each just those people how too little state good very make world
still own see men work long get here between both life being under never day same another know while last
might us great old year off come since against go came right used take three""".split()

_ONSETS = ["", "", "b", "c", "d", "f", "g", "h", "l", "m", "n", "p", "r", "s", "t", "v", "w", "b", "c", "d",
           "m", "p", "s", "t", "br", "cr", "fl", "gr", "pl", "pr", "st", "tr", "th", "sh", "ch"]
_VOWELS = ["a", "e", "i", "o", "u", "a", "e", "i", "o", "a", "e", "ea", "ou", "ai", "ee"]
_CODAS = ["", "", "", "", "", "n", "r", "s", "t", "l", "m", "n", "r", "nd", "st", "ng", "ck"]
_SUFFIXES = [""] * 10 + ["ing", "ed", "er", "ly", "tion", "ness", "ment", "able", "ous", "al"]
_ALTERATIONS = ("substitute", "drop", "insert", "swap", "typo")
_UNIT_RE = re.compile(r"^(\w+)(\W*)$")


def _pseudo_word(rng: random.Random, syllables: int) -> str:
    word = "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS) for _ in range(syllables))
    return word + rng.choice(_SUFFIXES)


@dataclass
class Lexicon:
    """A ranked vocabulary with Zipf-Mandelbrot weights, set phrases and proper names."""

    words: list[str]
    cum: list[float]
    phrases: list[list[str]]
    phrase_cum: list[float]
    names: list[str]

    @classmethod
    def make(cls, rng: random.Random, size: int) -> Lexicon:
        seen: set[str] = set()
        words: list[str] = []
        for w in FUNCTION_WORDS:
            if w not in seen:
                seen.add(w)
                words.append(w)
        while len(words) < size:
            rank = len(words)
            r = rng.random() + rank / size / 2
            syllables = 1 if r < 0.4 else 2 if r < 1.05 else 3
            w = _pseudo_word(rng, syllables)
            if len(w) >= 2 and w not in seen:
                seen.add(w)
                words.append(w)
        names: list[str] = []
        while len(names) < 300:
            w = _pseudo_word(rng, rng.randint(2, 3)).capitalize()
            if w.lower() not in seen and len(w) >= 4:
                seen.add(w.lower())
                names.append(w)
        cum = _cumulative([1.0 / (r + 2.7) ** 1.05 for r in range(len(words))])
        # Set phrases ("of the people", "in a way"): function words around a fairly common word.
        n_fw = len(FUNCTION_WORDS)
        phrases: list[list[str]] = []
        for _ in range(400):
            fw = [words[min(int(rng.expovariate(1 / 12)), n_fw - 1)] for _ in range(2)]
            cw = words[rng.randrange(n_fw, n_fw + 1500)]
            phrases.append(rng.choice(([fw[0], cw], [fw[0], fw[1], cw], [cw, fw[0], fw[1]], [fw[0], cw, fw[1]])))
        phrase_cum = _cumulative([1.0 / (r + 20) for r in range(len(phrases))])
        return cls(words, cum, phrases, phrase_cum, names)

    def word(self, rng: random.Random) -> str:
        return rng.choices(self.words, cum_weights=self.cum)[0]

    def content_word(self, rng: random.Random) -> str:
        return self.words[rng.randrange(len(FUNCTION_WORDS), len(self.words))]


def _cumulative(weights: Sequence[float]) -> list[float]:
    out: list[float] = []
    total = 0.0
    for w in weights:
        total += w
        out.append(total)
    return out


def sentence(lex: Lexicon, rng: random.Random) -> list[str]:
    """One sentence as units: words with their trailing punctuation attached."""
    n = rng.randint(5, 28)
    words: list[str] = []
    while len(words) < n:
        r = rng.random()
        if r < 0.08:
            words.extend(rng.choices(lex.phrases, cum_weights=lex.phrase_cum)[0])
        elif r < 0.10:
            words.append(rng.choice(lex.names))
        else:
            words.append(lex.word(rng))
    words[0] = words[0][:1].upper() + words[0][1:]
    for k in range(len(words) - 1):
        if rng.random() < 0.07:
            words[k] += rng.choice((",", ",", ",", ";", ":"))
    r = rng.random()
    words[-1] += "?" if r < 0.05 else "!" if r < 0.07 else "."
    return words


def paragraph(lex: Lexicon, rng: random.Random) -> list[list[str]]:
    """A paragraph as a list of sentences."""
    return [sentence(lex, rng) for _ in range(rng.randint(2, 7))]


@dataclass
class Source:
    """A generated source: title line, author, paragraphs of units."""

    name: str
    title: str
    author: str
    paragraphs: list[list[str]]

    def prefix(self, words: int) -> list[list[str]]:
        """The paragraphs up to (and including) the one that reaches `words` words."""
        out: list[list[str]] = []
        total = 0
        for p in self.paragraphs:
            if total >= words:
                break
            out.append(p)
            total += len(p)
        return out


def render_source(title: str, paragraphs: Sequence[Sequence[str]]) -> tuple[str, list[int]]:
    """The source as a plain-text file wrapped at `WRAP` columns, and the offset of every unit."""
    parts = [title, "\n\n"]
    pos = len(title) + 2
    starts: list[int] = []
    for k, units in enumerate(paragraphs):
        if k:
            parts.append("\n\n")
            pos += 2
        line = 0
        for j, u in enumerate(units):
            if j:
                sep = "\n" if line + 1 + len(u) > WRAP else " "
                parts.append(sep)
                pos += 1
                line = 0 if sep == "\n" else line + 1
            starts.append(pos)
            parts.append(u)
            pos += len(u)
            line += len(u)
    parts.append("\n")
    return "".join(parts), starts


def _split_unit(unit: str) -> tuple[str, str]:
    m = _UNIT_RE.match(unit)
    return (m.group(1), m.group(2)) if m else (unit, "")


def _same_case(word: str, like: str) -> str:
    return word[:1].upper() + word[1:] if like[:1].isupper() else word


def alter(units: list[str], kind: str, lex: Lexicon, rng: random.Random) -> list[str]:
    """One alteration of a quotation's interior words."""
    out = list(units)
    j = rng.randrange(1, len(out) - 2)
    word, punct = _split_unit(out[j])
    if kind == "substitute":
        new = word
        while new.lower() == word.lower():
            new = lex.content_word(rng)
        out[j] = _same_case(new, word) + punct
    elif kind == "drop":
        del out[j]
    elif kind == "insert":
        out.insert(j, lex.content_word(rng))
    elif kind == "swap":
        for k in list(range(j, len(out) - 2)) + list(range(1, j)):
            a, pa = _split_unit(out[k])
            b, pb = _split_unit(out[k + 1])
            if a.lower() != b.lower():
                out[k], out[k + 1] = b + pa, a + pb
                break
    elif kind == "typo":
        candidates = [k for k in range(1, len(out) - 1) if len(_split_unit(out[k])[0]) >= 5]
        if not candidates:
            return alter(units, "substitute", lex, rng)
        k = rng.choice(candidates)
        word, punct = _split_unit(out[k])
        for _ in range(20):
            i = rng.randrange(1, len(word) - 1)
            if rng.random() < 0.5 and word[i] != word[i + 1]:
                typo = word[:i] + word[i + 1] + word[i] + word[i + 2:]
            else:
                typo = word[:i] + rng.choice("aeioustnrl".replace(word[i], "")) + word[i + 1:]
            if typo != word:
                break
        out[k] = typo + punct
    return out


@dataclass
class Inserted:
    """Ground truth for one inserted passage."""

    kind: str
    """`quote` or `pasted`."""
    doc_start: int
    doc_end: int
    source: int
    src_start: int
    src_end: int
    alteration: str | None


@dataclass
class Corpus:
    sources: list[Source]
    doc_text: str
    truth: list[Inserted]


def generate(cfg: Config, seed: int) -> Corpus:
    """The whole corpus, deterministic in `seed`."""
    lex = Lexicon.make(random.Random(f"{seed}-lexicon"), cfg.vocabulary)
    sources: list[Source] = []
    used_names: set[str] = set()
    for si in range(cfg.sources):
        rng = random.Random(f"{seed}-source-{si}")
        first, last = rng.choice(lex.names), rng.choice(lex.names)
        while last in used_names:
            last = rng.choice(lex.names)
        used_names.add(last)
        title = f"The Collected Writings of {first} {last}"
        paras: list[list[str]] = []
        total = 0
        while total < cfg.source_words:
            units = [u for s in paragraph(lex, rng) for u in s]
            paras.append(units)
            total += len(units)
        sources.append(Source(f"{last.lower()}-{si + 1:02d}", title, last, paras))

    rng = random.Random(f"{seed}-document")
    # Quoted stretches come from the part of each source present at every size (its first quarter).
    flat_quarter: list[list[str]] = []
    quarter_starts: list[list[int]] = []
    for s in sources:
        paras = s.prefix(int(cfg.source_words * FRACTIONS[0][1]))
        _, starts = render_source(s.title, s.paragraphs)  # offsets are those of the full text
        flat = [u for p in paras for u in p]
        flat_quarter.append(flat)
        quarter_starts.append(starts[:len(flat)])
    used: list[list[tuple[int, int]]] = [[] for _ in sources]

    def pick(length: int) -> tuple[int, int]:
        while True:
            si = rng.randrange(len(sources))
            lo = rng.randrange(0, len(flat_quarter[si]) - length)
            if all(lo + length <= a or b <= lo for a, b in used[si]):
                used[si].append((lo, lo + length))
                return si, lo

    prose: list[list[list[str]]] = []
    words = 0
    while words < cfg.doc_words:
        p = paragraph(lex, rng)
        prose.append(p)
        words += sum(len(s) for s in p)
    slots = [(pi, k) for pi, p in enumerate(prose) for k in range(len(p))]
    quote_slots = set(rng.sample(slots, cfg.quotes))
    paste_after = set(rng.sample(range(len(prose)), cfg.pasted))
    n_altered = round(cfg.quotes / 3)
    altered_at = set(rng.sample(sorted(quote_slots), n_altered))

    parts: list[str] = []
    pos = 0
    truth: list[Inserted] = []

    def emit(s: str) -> None:
        nonlocal pos
        parts.append(s)
        pos += len(s)

    for pi, p in enumerate(prose):
        if pi:
            emit("\n\n")
        for k, sent in enumerate(p):
            if k:
                emit(" ")
            emit(" ".join(sent))
            if (pi, k) not in quote_slots:
                continue
            length = rng.randint(QUOTE_MIN, QUOTE_MAX)
            si, lo = pick(length)
            units = flat_quarter[si][lo:lo + length]
            src_start = quarter_starts[si][lo]
            src_end = quarter_starts[si][lo + length - 1] + len(units[-1])
            kind = rng.choice(_ALTERATIONS) if (pi, k) in altered_at else None
            if kind is not None:
                units = alter(units, kind, lex, rng)
            units[-1] = units[-1].rstrip(",;:")
            quote = " ".join(units)
            author = sources[si].author
            lead = " ".join(lex.word(rng) for _ in range(rng.randint(2, 6)))
            lead = lead[:1].upper() + lead[1:]
            tail = " ".join(lex.word(rng) for _ in range(rng.randint(2, 6)))
            end = "" if quote[-1] in ".?!" else "."
            template = rng.random()
            if template < 0.25:
                before, after = f"{author} wrote that \u201c", f"\u201d{end}"
            elif template < 0.4:
                before, after = f"As {author} put it, \u201c", f"\u201d{end}"
            elif template < 0.55:
                before, after = "\u201c", f"\u201d, {author} wrote."
            else:
                before, after = f"{lead} \u201c", f"\u201d {tail}."
            emit(" " + before)
            truth.append(Inserted("quote", pos, pos + len(quote), si, src_start, src_end, kind))
            emit(quote + after)
        if pi in paste_after:
            length = rng.randint(PASTE_MIN, PASTE_MAX)
            si, lo = pick(length)
            units = flat_quarter[si][lo:lo + length]
            text = " ".join(units)
            emit("\n\n")
            src_end = quarter_starts[si][lo + length - 1] + len(units[-1])
            truth.append(Inserted("pasted", pos, pos + len(text), si, quarter_starts[si][lo], src_end, None))
            emit(text)
    emit("\n")
    return Corpus(sources, "".join(parts), truth)


def write_corpus(corpus: Corpus, cfg: Config, fraction: float, directory: Path) -> int:
    """Write the document, the sources cut to `fraction` and the ground truth; return source words."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "document.txt").write_text(corpus.doc_text, encoding="utf-8")
    names = []
    total = 0
    for s in corpus.sources:
        paras = s.prefix(int(cfg.source_words * fraction))
        total += sum(len(p) for p in paras)
        text, _ = render_source(s.title, paras)
        (directory / f"{s.name}.txt").write_text(text, encoding="utf-8")
        names.append(f"{s.name}.txt")
    meta = {"sources": names, "truth": [asdict(t) for t in corpus.truth]}
    (directory / "truth.json").write_text(json.dumps(meta), encoding="utf-8")
    return total


# --------------------------------------------------------------------------------------------
# Measurements (each run in its own subprocess)
# --------------------------------------------------------------------------------------------


def peak_rss_mib() -> float:
    """Peak resident set size of this process so far, in MiB.

    On Linux this is `VmHWM` from /proc/self/status: the high-water mark of this process's own
    memory. `getrusage(...).ru_maxrss` (self, or children via `wait4`) is not used there because
    Linux carries it across `exec`: a child started by a parent holding the generated corpus
    would report the parent's peak, not its own.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (1024 if sys.platform == "darwin" else 1)
    return kib / 1024  # ru_maxrss is in bytes on macOS, in KiB elsewhere


def _overlaps(a0: int, a1: int, b0: int, b1: int) -> bool:
    return a0 < b1 and b0 < a1


def child_provenance(directory: Path, profile: bool, probe: bool = False) -> dict[str, Any]:
    """Load and compare with provenance; evaluate the report against the ground truth; with `probe`,
    also time the search by meaning on reworded quotations (`meaning_probe`)."""
    from provenance import Verdict, compare_texts, make_text, meaning
    from provenance.model import PassageKind

    meta = json.loads((directory / "truth.json").read_text(encoding="utf-8"))
    rss_imports = peak_rss_mib()
    tm = time.perf_counter()
    encoder = meaning.default_encoder()  # loaded once per process, before the timed comparison
    model_load_s = time.perf_counter() - tm
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    t0 = time.perf_counter()
    doc_path = directory / "document.txt"
    doc = make_text(doc_path.read_text(encoding="utf-8"), path=str(doc_path), id="document")
    sources = []
    for name in meta["sources"]:
        p = directory / name
        sources.append(make_text(p.read_text(encoding="utf-8"), path=str(p), id=p.stem))
    t1 = time.perf_counter()
    report = compare_texts(doc, sources)
    t2 = time.perf_counter()
    if profiler is not None:
        import pstats

        profiler.disable()
        for key in ("tottime", "cumulative"):
            print(f"\n--- cProfile of load + compare_texts, top 25 by {key} ---")
            pstats.Stats(profiler, stream=sys.stdout).strip_dirs().sort_stats(key).print_stats(25)
        sys.stdout.flush()

    truth = [Inserted(**t) for t in meta["truth"]]
    clean = {Verdict.VERBATIM, Verdict.FAITHFUL}
    quotes = [t for t in truth if t.kind == "quote"]
    found = right = flagged = altered = passed = verbatim = 0
    for t in quotes:
        hits = [r for r in report.passages if _overlaps(r.passage.span.start, r.passage.span.end,
                                                        t.doc_start, t.doc_end)]
        matched = [r for r in hits if r.match is not None]
        good = [r for r in matched if r.match is not None and r.match.source == t.source
                and _overlaps(r.match.span.start, r.match.span.end, t.src_start, t.src_end)]
        found += bool(matched)
        right += bool(good)
        if t.alteration is not None:
            altered += 1
            flagged += any(r.verdict not in clean for r in good)
        else:
            verbatim += 1
            passed += any(r.verdict in clean for r in good)
    pasted = [t for t in truth if t.kind == "pasted"]
    pasted_found = sum(
        any(r.passage.kind is PassageKind.PASSAGE and r.match is not None and r.match.source == t.source
            and _overlaps(r.passage.span.start, r.passage.span.end, t.doc_start, t.doc_end) for r in report.passages)
        for t in pasted)
    spurious = sum(not any(_overlaps(r.passage.span.start, r.passage.span.end, t.doc_start, t.doc_end)
                           for t in truth) for r in report.passages)
    probed = meaning_probe(doc, sources, truth) if probe and encoder is not None else {}
    return {
        "model": encoder.name if encoder is not None else "", "model_load_s": model_load_s, **probed,
        "load_s": t1 - t0, "compare_s": t2 - t1, "total_s": t2 - t0, "rss_imports_mib": rss_imports,
        "quotes": len(quotes), "found": found, "right": right, "altered": altered, "flagged": flagged,
        "verbatim": verbatim, "passed": passed, "pasted": len(pasted), "pasted_found": pasted_found,
        "spurious": spurious, "passages": len(report.passages), "peak_mib": peak_rss_mib(),
    }


PROBE_QUOTES = 5
"""How many quotations the probe of the paraphrase search by meaning rewords."""


def meaning_probe(doc: Any, sources: Sequence[Any], truth: Sequence[Inserted]) -> dict[str, Any]:
    """The paraphrase search by meaning at work on the full sources: `PROBE_QUOTES` of the
    document's quotations with every third word replaced by the word three places on (so that no
    source has them word for word), compared in a document of their own. The corpus's made-up
    language has no synonyms, so what comes out is for timing, not for its verdicts."""
    from provenance import compare_texts, make_text

    quotes = [t for t in truth if t.kind == "quote"][:PROBE_QUOTES]
    paragraphs = []
    for t in quotes:
        words = doc.original[t.doc_start:t.doc_end].strip("“”\" ").split()
        reworded = [words[(i + 3) % len(words)] if i % 3 == 1 else w for i, w in enumerate(words)]
        paragraphs.append(f"They said “{' '.join(reworded)}” that day.")
    probe = make_text("\n\n".join(paragraphs) + "\n", path="probe.txt", id="probe")
    t0 = time.perf_counter()
    report = compare_texts(probe, sources, find_unmarked=False)
    took = time.perf_counter() - t0
    by_meaning = sum(1 for r in report.passages if r.match is not None and r.match.meaning is not None)
    return {"probe_s": took, "probe_quotes": len(quotes), "probe_by_meaning": by_meaning,
            "probe_passages": len(report.passages)}


_BASE_WORD_RE = re.compile(r"\w+")


def child_baseline(directory: Path, budget: float) -> dict[str, Any]:
    """Locate and align each quotation with difflib over word lists, until `budget` seconds are spent."""
    from difflib import SequenceMatcher

    meta = json.loads((directory / "truth.json").read_text(encoding="utf-8"))
    t0 = time.perf_counter()
    doc_text = (directory / "document.txt").read_text(encoding="utf-8")
    src_words: list[list[str]] = []
    src_starts: list[list[int]] = []
    for name in meta["sources"]:
        text = (directory / name).read_text(encoding="utf-8").lower()
        ms = list(_BASE_WORD_RE.finditer(text))
        src_words.append([m.group() for m in ms])
        src_starts.append([m.start() for m in ms])
    quotes = [Inserted(**t) for t in meta["truth"] if t["kind"] == "quote"]
    t1 = time.perf_counter()
    done = right = flagged = 0
    for t in quotes:
        qw = _BASE_WORD_RE.findall(doc_text[t.doc_start:t.doc_end].lower())
        sm: SequenceMatcher[str] = SequenceMatcher(None, autojunk=False)
        sm.set_seq2(qw)
        best = (-1, 0, 0, 0)
        for si, sw in enumerate(src_words):
            sm.set_seq1(sw)
            m = sm.find_longest_match(0, len(sw), 0, len(qw))
            if m.size > best[0]:
                best = (m.size, si, m.a, m.b)
        _, si, a, b = best
        sw = src_words[si]
        slack = len(qw) // 4 + 4
        lo = max(0, a - b - slack)
        hi = min(len(sw), a + (len(qw) - b) + slack)
        ops = SequenceMatcher(None, sw[lo:hi], qw, autojunk=False).get_opcodes()
        equal = [op for op in ops if op[0] == "equal"]
        if equal:
            s0 = src_starts[si][lo + equal[0][1]]
            s1 = src_starts[si][lo + equal[-1][2] - 1]
            right += si == t.source and _overlaps(s0, s1 + 1, t.src_start, t.src_end)
            flagged += any(op[0] != "equal" for op in ops[ops.index(equal[0]):ops.index(equal[-1]) + 1])
        done += 1
        if time.perf_counter() - t1 > budget:
            break
    t2 = time.perf_counter()
    return {"load_s": t1 - t0, "quotes_s": t2 - t1, "done": done, "quotes": len(quotes), "right": right,
            "flagged": flagged, "peak_mib": peak_rss_mib()}


def run_child(mode: str, directory: Path, *extra: str) -> dict[str, Any]:
    """Run a measurement in a fresh interpreter and return its result."""
    out = directory / f"result-{mode}.json"
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", mode, "--data", str(directory),
           "--out", str(out), *extra]
    code = subprocess.call(cmd)
    if code != 0:
        raise SystemExit(f"measurement {mode!r} failed with exit code {code}")
    result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return result


# --------------------------------------------------------------------------------------------
# Driver
# --------------------------------------------------------------------------------------------


@dataclass
class Row:
    label: str
    source_words: int
    doc_words: int
    prov: dict[str, Any]
    rss_mib: float
    base: dict[str, Any]

    @property
    def base_estimate(self) -> float:
        """Baseline seconds for all quotations: its load plus the per-quotation mean times all."""
        b = self.base
        return float(b["load_s"] + b["quotes_s"] / b["done"] * b["quotes"])

    @property
    def base_measured(self) -> bool:
        return bool(self.base["done"] == self.base["quotes"])


def _check(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def scaled(cfg: Config, fraction: float) -> Config:
    """The configuration with the document (its prose, quotations and pasted paragraphs) scaled."""
    return replace(cfg, doc_words=round(cfg.doc_words * fraction), quotes=round(cfg.quotes * fraction),
                   pasted=max(1, round(cfg.pasted * fraction)))


def measure(cfg: Config, args: argparse.Namespace, budget: float) -> list[Row]:
    """Generate, write and measure every size; print a line per size as it is done."""
    rows: list[Row] = []
    weights = sum(f for _, f in FRACTIONS)
    corpus = generate(cfg, args.seed) if args.scale == "sources" else None
    with tempfile.TemporaryDirectory(prefix="provenance-bench-") as tmp:
        directory = Path(tmp)
        for label, fraction in FRACTIONS:
            directory = Path(tmp) / label.replace("/", "of")
            if corpus is None:  # the document scales: a new one per size, the sources in full
                corpus_f = generate(scaled(cfg, fraction), args.seed)
                words = write_corpus(corpus_f, cfg, 1.0, directory)
            else:
                corpus_f = corpus
                words = write_corpus(corpus_f, cfg, fraction, directory)
            best: dict[str, Any] | None = None
            rss = 0.0
            for _ in range(max(1, args.repeat)):
                prov = run_child("provenance", directory)
                rss = max(rss, prov["peak_mib"])
                if best is None or prov["total_s"] < best["total_s"]:
                    best = prov
            assert best is not None
            if label == FRACTIONS[-1][0] and best["model"]:  # the probe once, in a run of its own
                probed = run_child("provenance", directory, "--probe")
                best.update({k: v for k, v in probed.items() if k.startswith("probe_")})
            base = run_child("baseline", directory, "--budget", str(budget * fraction / weights))
            rows.append(Row(label, words, len(_BASE_WORD_RE.findall(corpus_f.doc_text)), best, rss, base))
            print(f"  size {label:>3}: provenance {best['total_s']:.2f} s, baseline {base['done']}/{base['quotes']} "
                  f"quotations in {base['load_s'] + base['quotes_s']:.1f} s", flush=True)
        if args.profile:
            print("\nProfiling provenance at full size (cProfile adds overhead; look at the shares):", flush=True)
            run_child("provenance", directory, "--profile")
    return rows


def report(rows: Sequence[Row], args: argparse.Namespace) -> bool:
    """Print the table, the sanity check, the growth and the targets; return whether all are met."""
    head = (f"{'size':>4} {'src words':>10} {'doc words':>9} {'load s':>7} {'compare s':>9} {'total s':>8} "
            f"{'peak MiB':>8} {'recall':>8} | {'baseline s':>10} {'how':<26} {'speed-up':>8}")
    print()
    print(head)
    print("-" * len(head))
    for row in rows:
        p, b = row.prov, row.base
        how = "measured" if row.base_measured else f"extrapolated from {b['done']}/{b['quotes']}"
        print(f"{row.label:>4} {row.source_words:>10,} {row.doc_words:>9,} {p['load_s']:>7.2f} {p['compare_s']:>9.2f} "
              f"{p['total_s']:>8.2f} {row.rss_mib:>8.0f} {p['right']:>4}/{p['quotes']:<3} | "
              f"{row.base_estimate:>10.1f} {how:<26} {row.base_estimate / p['total_s']:>7.1f}x")
    print("\n(recall: quotations found in the right source at the right place. Baseline: difflib "
          "find_longest_match over every source + get_opcodes on a window, per quotation; its quotation "
          "time is extrapolated linearly to all quotations when its budget ran out; it does no extraction, "
          "no unmarked-reuse search and no classification.)")
    for row in rows:
        b = row.base
        print(f"  baseline {row.label:>3}: {b['done']} quotations in {b['quotes_s']:.1f} s "
              f"({b['quotes_s'] / b['done'] * 1000:.0f} ms each) + {b['load_s']:.2f} s tokenising; "
              f"right source and place {b['right']}/{b['done']}; peak {b['peak_mib']:.0f} MiB")

    full, quarter = rows[-1], rows[0]
    p = full.prov
    print(f"\nSanity at full size: {p['found']}/{p['quotes']} quotations matched, {p['right']}/{p['quotes']} in the "
          f"right source and place; altered ones flagged {p['flagged']}/{p['altered']}; verbatim ones passed "
          f"(verbatim/faithful) {p['passed']}/{p['verbatim']}; pasted paragraphs found {p['pasted_found']}/"
          f"{p['pasted']}; {p['spurious']} of {p['passages']} reported passages match nothing inserted.")
    what = "sources" if args.scale == "sources" else "document"
    ratio = full.prov["total_s"] / quarter.prov["total_s"]
    cmp_ratio = full.prov["compare_s"] / quarter.prov["compare_s"]
    size_ratio = (full.source_words / quarter.source_words if args.scale == "sources"
                  else full.doc_words / quarter.doc_words)
    exponent = math.log(ratio) / math.log(size_ratio)
    print(f"Growth, {what} x{size_ratio:.2f}: total time x{ratio:.2f} (compare alone x{cmp_ratio:.2f}); "
          f"exponent {exponent:.2f} (1 = linear, 2 = quadratic); peak RSS x{full.rss_mib / quarter.rss_mib:.2f} "
          f"(process with imports only: {p['rss_imports_mib']:.0f} MiB)")

    if p.get("model"):
        print(f"Model {p['model']}: loaded in {p['model_load_s']:.2f} s (before the timed comparison, not counted in "
              f"it); probe of the search by meaning: {p['probe_quotes']} reworded quotations against the full "
              f"sources in {p['probe_s']:.2f} s, {p['probe_by_meaning']} of {p['probe_passages']} judged "
              "paraphrases by meaning")
    else:
        print("No meaning model installed: the paraphrase test is the lexical one (see the README).")
    speedup = full.base_estimate / p["total_s"]
    checks = [
        (f"time at full size under {TARGET_SECONDS:.0f} s", p["total_s"] < TARGET_SECONDS, f"{p['total_s']:.2f} s"),
        (f"peak RSS under {TARGET_MIB / 1024:.0f} GiB", full.rss_mib < TARGET_MIB, f"{full.rss_mib:.0f} MiB"),
        (f"at least {TARGET_SPEEDUP:.0f}x faster than the baseline", speedup >= TARGET_SPEEDUP, f"{speedup:.1f}x"),
        (f"growth about linear in the {what}' size".replace("document'", "document's"),
         ratio <= LINEAR_RATIO_MAX * size_ratio / 4, f"x{ratio:.2f} for x{size_ratio:.2f}"),
        ("recall of the quotations at least 95 %", p["right"] >= 0.95 * p["quotes"], f"{p['right']}/{p['quotes']}"),
    ]
    print("\nTargets" + (" (they are set for the full run; this quick run only smoke-tests the script):"
                         if args.quick else " (full size):"))
    for name, ok, value in checks:
        print(f"  {_check(ok)}  {name:<44} {value}")
    return all(ok for _, ok, _ in checks)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--seed", type=int, default=1, help="seed of the generated corpus (default 1)")
    parser.add_argument("--quick", action="store_true", help="small corpus: a smoke run of a few seconds")
    parser.add_argument("--scale", choices=("sources", "document"), default="sources",
                        help="what grows over the three sizes: the words per source (default) or the document "
                             "(its prose, quotations and pasted paragraphs, with the sources at full size)")
    parser.add_argument("--repeat", type=int, default=3, help="provenance runs per size; the fastest is kept")
    parser.add_argument("--baseline-budget", type=float, default=None,
                        help="seconds of baseline run time over all sizes (default 170, quick 3)")
    parser.add_argument("--profile", action="store_true", help="also cProfile provenance at full size")
    parser.add_argument("--check", action="store_true", help="exit with status 2 if a target is missed")
    parser.add_argument("--probe", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--child", choices=("provenance", "baseline"), help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--budget", type=float, default=0.0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        if args.child == "provenance":
            result = child_provenance(args.data, args.profile, args.probe)
        else:
            result = child_baseline(args.data, args.budget)
        args.out.write_text(json.dumps(result), encoding="utf-8")
        return 0

    cfg = QUICK if args.quick else FULL
    budget = cfg.baseline_budget if args.baseline_budget is None else args.baseline_budget
    print(f"provenance benchmark ({'quick' if args.quick else 'full'} run, seed {args.seed})")
    print(f"  sources : {cfg.sources} texts x {cfg.source_words:,} words at full size, Zipf vocabulary of "
          f"{cfg.vocabulary:,} words, lines wrapped")
    print(f"  document: {cfg.doc_words:,} words of its own prose + {cfg.quotes} quotations ({QUOTE_MIN}-{QUOTE_MAX} "
          f"words, 1 in 3 altered) + {cfg.pasted} pasted unquoted paragraph(s) ({PASTE_MIN}-{PASTE_MAX} words)")
    if args.scale == "sources":
        print("  scales  : the words per source (1/4, 1/2, all); the document and its quotations are the same "
              "at every size")
    else:
        print("  scales  : the document (its prose, quotations and pasted paragraphs: 1/4, 1/2, all); the "
              "sources are at full size at every size")
    print(f"  python {sys.version.split()[0]}, {os.cpu_count()} CPUs; times are wall clock, best of "
          f"{args.repeat}; memory is the peak RSS of a fresh process doing only that work\n", flush=True)
    t0 = time.perf_counter()
    rows = measure(cfg, args, budget)
    ok = report(rows, args)
    print(f"\n(benchmark ran in {time.perf_counter() - t0:.0f} s)")
    return 2 if args.check and not ok and not args.quick else 0


if __name__ == "__main__":
    sys.exit(main())
