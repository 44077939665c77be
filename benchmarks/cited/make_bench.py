#!/usr/bin/env python3
"""Generate the speed corpus of issue 15: N machine-written reports that cite their sources.

Each report is a Markdown document of about 1,000 words in the style of a generated research
report: paragraphs of prose with about a dozen quotations, each followed by a numbered citation
`[1]`..`[5]`, and a "Sources" list at the end naming each source by its file name and title (half
the reports as link definitions `[1]: file.txt "Title"`, half as `[1] Title (file.txt)`). Each
report has five sources of its own, 350-550 words each; two of the five are transcripts whose
paragraphs are speaker turns (`DIRECTOR HALE:`, `Q:`), the others statements or reports whose
first line is their title.

Most quotations are copied word for word from the source they cite. About one in six cites the
wrong source (the words are in another of the five), one in twelve names the wrong speaker of a
cited transcript, one in twelve is made up, one in twelve has a word changed. What each quotation
is, and where its words really are, goes to `labels.json`, so a run over the corpus can be scored
as well as timed.

Written into OUT_DIR (created; refused if it exists and is not empty):

    provenance.toml               the check manifest: one [[documents]] table per report
    reports/report-000.md ...     the reports
    sources/report-000/*.txt      the five sources of each report
    labels.json                   per report, each quotation: kind, cited file, file holding it

`--registry` also writes a [[sources]] table per source (id, path, title, author, or the speakers of a transcript) as
issue 15 describes them; today's manifest reader refuses that table, so it is off by default.

The corpus depends only on --seed and --count: the same arguments give the same bytes.
This script generates; it does not time anything. Time it with, for example:

    python benchmarks/cited/make_bench.py /tmp/cited-bench --count 100
    time provenance check --config /tmp/cited-bench/provenance.toml

Usage: make_bench.py OUT_DIR [--count N] [--seed S] [--words W] [--registry]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

TOWNS = ["Kellwick", "Dravo", "Ostry", "Calloway", "Port Sarrow", "Varnford", "Elmbridge", "Ridgeback",
         "Hollow Pine", "Tule Flat", "Marrowgate", "Bexley Cross", "Stannard", "Orlo", "Wendham", "Corrie"]
AGENCIES = ["Department of Harbours", "Ministry of Water Resources", "Northline Rail Authority",
            "Public Health Agency", "Office of Emergency Management", "Board of Education",
            "Forestry Office", "Roads Directorate", "Housing Authority", "Energy Regulator",
            "Coastal Defence Command", "Transport Safety Board"]
SURNAMES = ["Hale", "Okonjo", "Marsh", "Dunmore", "Ferreira", "Lindqvist", "Adeyemi", "Castellanos", "Brennick",
            "Solberg", "Tanaka", "Oyelaran", "Kaplan", "Pike", "Quist", "Rusk", "Halvorsen", "Marten", "Hollis",
            "Vance", "Quayle", "Folau", "Bole", "Duarte", "Ashdown", "Odell", "Anand", "Novak", "Ibarra", "Whitlock"]
TITLES = ["DIRECTOR", "MINISTER", "CHAIR", "COMMISSIONER", "CHIEF", "SECRETARY", "INSPECTOR", "SUPERINTENDENT"]
SUBJECTS = ["the council", "the agency", "our inspectors", "the contractors", "the survey team", "residents",
            "the engineers", "the board", "the district office", "the crews", "the auditors", "local businesses",
            "the pilots", "the drivers", "the families", "the committee", "the regulator", "the operators"]
VERBS = ["reported", "confirmed", "expected", "recommended", "rejected", "reviewed", "measured", "requested",
         "approved", "questioned", "published", "delayed", "funded", "inspected", "restored", "announced"]
OBJECTS = ["the repair programme", "the new timetable", "the budget for the year", "the second survey",
           "the emergency plan", "the revised figures", "the safety review", "the contract", "the water supply",
           "the bridge works", "the school transport scheme", "the flood defences", "the inquiry",
           "the monitoring data", "the replacement pumps", "the evacuation routes", "the maintenance records"]
TAILS = ["before the end of {month}", "within {n} weeks", "after the storms in {month}", "at a cost of {n} million",
         "for the first time since {year}", "on {n} separate occasions", "across {n} districts",
         "ahead of the {month} deadline", "in the presence of {n} witnesses",
         "despite the objections raised in {month}",
         "with the support of {town}", "along the road to {town}", "by a margin of {n} per cent"]
LINKS = ["and", "but", "because", "while", "so that", "although", "after", "once"]
FILLER = ["The picture that emerges from the sources is mixed.", "Several points deserve closer attention.",
          "This section summarises what the documents say.", "The figures are broadly consistent across sources.",
          "Not every claim in the coverage is supported by the record.", "The timeline matters here.",
          "Officials have given different accounts at different times.", "The following details are relevant.",
          "Observers have drawn attention to the gap between the plans and the results.",
          "It is worth separating what was promised from what was done."]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]

# How the quotations of a report are drawn: kind -> weight (out of 24).
KINDS = {"correct": 14, "wrong_source": 4, "wrong_speaker": 2, "fabricated": 2, "altered": 2}
SWAPS = {"reported": "denied", "confirmed": "doubted", "approved": "blocked", "delayed": "hastened",
         "rejected": "accepted", "expected": "feared", "funded": "cut", "restored": "abandoned"}


@dataclass
class Source:
    file: str
    title: str
    author: str
    transcript: bool
    turns: list[tuple[str, str]] = field(default_factory=list)  # (speaker label, sentence) in order
    text: str = ""


def sentence(rng: random.Random, town: str) -> str:
    """One sentence of plausible administrative prose, varied enough to be unique within a report."""
    tail = rng.choice(TAILS).format(month=rng.choice(MONTHS), n=rng.randint(2, 97), year=rng.randint(1961, 2023),
                                    town=rng.choice([town, *rng.sample(TOWNS, 2)]))
    first = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {tail}"
    if rng.random() < 0.6:
        first += f", {rng.choice(LINKS)} {rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}"
    return first[0].upper() + first[1:] + "."


def make_sources(rng: random.Random, stem: str, words: int) -> list[Source]:
    """Five sources: two transcripts with speaker turns, three titled statements or reports."""
    town = rng.choice(TOWNS)
    agency = rng.choice(AGENCIES)
    names = rng.sample(SURNAMES, 8)
    sources = []
    for k in range(5):
        transcript = k in (0, 3)
        day = f"{rng.randint(1, 28)} {rng.choice(MONTHS)} {rng.randint(2019, 2025)}"
        if transcript:
            a, b = names[2 * k % 8], names[(2 * k + 1) % 8]
            la, lb = f"{rng.choice(TITLES)} {a.upper()}", f"{rng.choice(TITLES)} {b.upper()}"
            src = Source(f"{stem}-briefing-{k + 1}.txt", f"Transcript: {agency} briefing in {town}, {day}",
                         f"{a}; {b}", True)
            count = 0
            while count < words:
                label = rng.choice([la, lb, la, lb, "Q"])
                said = " ".join(sentence(rng, town) for _ in range(rng.randint(1, 3)))
                src.turns.append((label, said))
                count += len(said.split())
            src.text = src.title + "\n\n" + "\n\n".join(f"{lab}: {said}" for lab, said in src.turns) + "\n"
        else:
            author = names[(3 * k + 1) % 8]
            kind = rng.choice(["Statement", "Report", "Memorandum", "Notice"])
            src = Source(f"{stem}-{kind.lower()}-{k + 1}.txt", f"{kind}: {agency}, {town}, {day}", author, False)
            paras, count = [], 0
            while count < words:
                para = " ".join(sentence(rng, town) for _ in range(rng.randint(2, 5)))
                paras.append(para)
                count += len(para.split())
            src.turns = [("", p) for p in paras]
            src.text = f"{src.title}\n\nBy {author}\n\n" + "\n\n".join(paras) + "\n"
        sources.append(src)
    return sources


def folded(text: str) -> str:
    return " " + " ".join(re.findall(r"[\w']+", text.casefold())) + " "


def pick_span(rng: random.Random, src: Source, others: list[Source], speaker: str | None = None) -> tuple[str, str]:
    """Words of one sentence of `src` that no other source holds (the whole sentence, or its first
    6-22 words when longer), and who said them (empty outside a transcript)."""
    for _ in range(200):
        label, said = rng.choice([t for t in src.turns if speaker is None or t[0] == speaker] or src.turns)
        if src.transcript and label == "Q" and speaker is None:
            continue
        words = rng.choice(re.findall(r"[^.]+\.", said)).split()
        if len(words) > 22:
            words = words[:rng.randint(8, 22)]
        quote = " ".join(words).strip(",.;")
        if len(quote.split()) >= 6 and not any(folded(quote) in folded(o.text) for o in others):
            return quote, label
    raise RuntimeError("no unique stretch found; use another seed")


def quotation(rng: random.Random, sources: list[Source]) -> dict[str, object]:
    """One quotation of a report with its label: kind, the number it cites, where its words are."""
    kind = rng.choices(list(KINDS), weights=list(KINDS.values()))[0]
    transcripts = [i for i, s in enumerate(sources) if s.transcript]
    if kind == "wrong_speaker":
        i = rng.choice(transcripts)
        src = sources[i]
        labels = sorted({lab for lab, _ in src.turns if lab != "Q"})
        quote, said_by = pick_span(rng, src, [s for s in sources if s is not src], speaker=rng.choice(labels))
        claimed = next(lab for lab in labels if lab != said_by)
        return {"kind": kind, "quote": quote, "cites": i + 1, "found_in": src.file, "spoken_by": said_by,
                "claimed_speaker": claimed}
    i = rng.randrange(len(sources))
    src = sources[i]
    if kind == "fabricated":
        town = rng.choice(TOWNS)
        for _ in range(50):
            quote = sentence(rng, town).rstrip(".")
            if not any(folded(quote) in folded(s.text) for s in sources):
                return {"kind": kind, "quote": quote, "cites": i + 1, "found_in": None}
    quote, said_by = pick_span(rng, src, [s for s in sources if s is not src])
    entry: dict[str, object] = {"kind": kind, "quote": quote, "found_in": src.file,
                                "spoken_by": said_by or None, "cites": i + 1}
    if kind == "wrong_source":
        entry["cites"] = rng.choice([k for k in range(len(sources)) if k != i]) + 1
    elif kind == "altered":
        words = quote.split()
        hits = [k for k, w in enumerate(words) if w in SWAPS]
        if hits:
            k = rng.choice(hits)
            entry["src_word"], words[k] = words[k], SWAPS[words[k]]
        else:  # drop two words from the middle
            k = rng.randint(2, len(words) - 4)
            entry["src_word"] = " ".join(words[k:k + 2])
            del words[k:k + 2]
        entry["quote"] = " ".join(words)
        if any(folded(" ".join(words)) in folded(s.text) for s in sources):
            return quotation(rng, sources)  # the change happens to give words a source has: draw again
    return entry


def cue(entry: dict[str, object]) -> str:
    """The words introducing a quotation: a speaker for a transcript turn, else a generic lead-in."""
    speaker = entry.get("claimed_speaker") or entry.get("spoken_by")
    if isinstance(speaker, str) and speaker not in ("", "Q"):
        title, name = speaker.split(" ", 1)
        return f"{title.title()} {name.title()} said"
    return rng_free_cue(str(entry["quote"]))


def rng_free_cue(quote: str) -> str:
    """A lead-in chosen from the quotation's own words, so it needs no random draw."""
    leads = ["According to the record,", "The document states that", "As the source puts it,",
             "It was noted that", "The text reads:"]
    return leads[len(quote) % len(leads)]


def make_report(rng: random.Random, index: int, words: int) -> tuple[str, list[Source], list[dict[str, object]]]:
    stem = f"r{index:03d}"
    sources = make_sources(rng, stem, rng.randint(350, 550))
    town = rng.choice(TOWNS)
    paras: list[str] = [f"# Research report {index:03d}: findings on {rng.choice(OBJECTS)[4:]} in {town}",
                        "*Generated research report. Numbers in brackets cite the sources listed at the end.*"]
    labels: list[dict[str, object]] = []
    count = 0
    while count < words:
        body = [rng.choice(FILLER)]
        for _ in range(rng.randint(2, 4)):
            body.append(sentence(rng, town))
        if rng.random() < 0.8:
            entry = quotation(rng, sources)
            labels.append(entry)
            body.insert(rng.randint(1, len(body)), f"{cue(entry)} \u201c{entry['quote']}\u201d [{entry['cites']}].")
        para = " ".join(body)
        paras.append(para)
        count += len(para.split())
    paras.append("## Sources")
    if index % 2 == 0:
        paras.append("\n".join(f'[{k + 1}]: {s.file} "{s.title}"' for k, s in enumerate(sources)))
    else:
        paras.append("\n".join(f"[{k + 1}] {s.title} ({s.file})" for k, s in enumerate(sources)))
    return "\n\n".join(paras) + "\n", sources, labels


def toml_str(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--count", type=int, default=100, help="reports to write (default 100)")
    ap.add_argument("--seed", type=int, default=15, help="random seed (default 15)")
    ap.add_argument("--words", type=int, default=1000, help="words of prose per report (default 1000)")
    ap.add_argument("--registry", action="store_true", help="also write [[sources]] tables (issue 15 format)")
    args = ap.parse_args()
    if args.count < 1 or args.words < 100:
        print("make_bench.py: --count must be at least 1 and --words at least 100", file=sys.stderr)
        return 2
    out: Path = args.out_dir
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        print(f"make_bench.py: {out} exists and is not an empty folder", file=sys.stderr)
        return 2
    rng = random.Random(args.seed)
    manifest = ["# Speed corpus of issue 15, written by benchmarks/cited/make_bench.py "
                f"--count {args.count} --seed {args.seed} --words {args.words}", "",
                "[reports]", 'directory = "out"', 'formats = ["json"]', ""]
    registry: list[str] = []
    all_labels: dict[str, list[dict[str, object]]] = {}
    total_words = 0
    for i in range(args.count):
        text, sources, labels = make_report(rng, i, args.words)
        name = f"report-{i:03d}.md"
        write_atomic(out / "reports" / name, text)
        total_words += len(text.split())
        for s in sources:
            write_atomic(out / "sources" / f"report-{i:03d}" / s.file, s.text)
        paths = [f"sources/report-{i:03d}/{s.file}" for s in sources]
        manifest += ["[[documents]]", f"path = {toml_str('reports/' + name)}",
                     "sources = [" + ", ".join(toml_str(p) for p in paths) + "]", ""]
        for s, p in zip(sources, paths, strict=True):
            registry += ["[[sources]]", f"id = {toml_str(s.file.removesuffix('.txt'))}", f"path = {toml_str(p)}",
                         f"title = {toml_str(s.title)}",
                         (f"speaker = [{', '.join(toml_str(n) for n in s.author.split('; '))}]" if s.transcript
                          else f"author = {toml_str(s.author)}"), ""]
        all_labels[f"reports/{name}"] = labels
    write_atomic(out / "provenance.toml", "\n".join(manifest + (registry if args.registry else [])))
    write_atomic(out / "labels.json", json.dumps(all_labels, indent=1, ensure_ascii=False) + "\n")
    kinds: dict[str, int] = {}
    for labels in all_labels.values():
        for e in labels:
            kinds[str(e["kind"])] = kinds.get(str(e["kind"]), 0) + 1
    print(f"{args.count} reports ({total_words} words of reports, 5 sources each) in {out}; quotations: "
          + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
