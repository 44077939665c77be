"""Benchmark: main-content extraction from real saved web pages, our reader beside trafilatura.

    python benchmarks/html_extraction.py [--data DIR] [--limit N] [--only NAME] [--misses N]

The pages and their labels are trafilatura's evaluation data (its `tests/evaldata.json` and the
saved pages under its `tests/eval/` and `tests/cache/`), read from a checkout of that project:
`DIR/trafilatura/tests/...`, with DIR given by `--data` or the environment variable
PROVENANCE_PEERS. Nothing of it is in this repository; without it this prints one line and exits 0.

How a page is counted. Each page is labelled with a few snippets that must be in its main text
(`with`) and a few that must not (`without`: menus, footers, dates, share buttons). The text an
extractor gives is compared with each snippet after both have their runs of white space folded to
one space (case and punctuation kept):

- a `with` snippet found is a true positive (TP), one missing a false negative (FN);
- a `without` snippet found is a false positive (FP), one absent a true negative (TN);
- precision = TP / (TP + FP), recall = TP / (TP + FN), F1 their harmonic mean,
  accuracy = (TP + TN) / all snippets.

A failure is a page the extractor raises on or gives no text for (ours refuses a page that holds
no text outside its furniture): all its `with` snippets count as missed, its `without` as absent,
the way trafilatura's own evaluation counts a crash. Our reader's text is taken as the comparator
reads it, except that the `> ` a block quotation's lines begin with are removed first: they are
the layout of the quotation (Markdown's), not words of the page. Pages/s is the time spent in the
extractor alone, the page's bytes already in memory.

trafilatura runs when it is installed (`pip install trafilatura lxml_html_clean`; it is not a
dependency of this project), with the settings of its own evaluation (`include_comments=False`,
`include_tables=True`, `include_formatting=False`), both its default extraction and `fast=True`.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from provenance.errors import InputError  # noqa: E402
from provenance.load.html import read_html  # noqa: E402

_SPACE_RE = re.compile(r"\s+")
_QUOTE_PREFIX_RE = re.compile(r"^(?:> ?)+", re.M)

Extractor = Callable[[bytes], "str | None"]


def _norm(text: str) -> str:
    return _SPACE_RE.sub(" ", text).strip()


@dataclass
class Page:
    url: str
    path: Path
    with_: list[str]
    without: list[str]


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    seconds: float = 0.0
    pages: int = 0
    failures: list[str] = field(default_factory=list)
    misses: list[tuple[str, str, str]] = field(default_factory=list)
    """(kind, url, snippet): a `with` snippet missed (`FN`) or a `without` snippet found (`FP`)."""

    def count(self, page: Page, text: str | None) -> None:
        found = _norm(text) if text else ""
        for snippet in page.with_:
            if _norm(snippet) in found:
                self.tp += 1
            else:
                self.fn += 1
                self.misses.append(("FN", page.url, snippet))
        for snippet in page.without:
            if found and _norm(snippet) in found:
                self.fp += 1
                self.misses.append(("FP", page.url, snippet))
            else:
                self.tn += 1

    def scores(self) -> tuple[float, float, float, float]:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        total = self.tp + self.fp + self.fn + self.tn
        return precision, recall, f1, (self.tp + self.tn) / total if total else 0.0


def data_folder(given: str | None) -> Path | None:
    """The folder holding trafilatura's tests (`.../trafilatura/tests`), or None."""
    base = given or os.environ.get("PROVENANCE_PEERS")
    if not base:
        return None
    for candidate in (Path(base) / "trafilatura" / "tests", Path(base) / "tests", Path(base)):
        if (candidate / "evaldata.json").is_file():
            return candidate
    return None


def load_pages(tests: Path) -> list[Page]:
    """Every labelled page whose saved file is on disk, in the order of the URLs (sorted)."""
    labels = json.loads((tests / "evaldata.json").read_text(encoding="utf-8"))
    pages = []
    for url in sorted(labels):
        item = labels[url]
        path = next((tests / sub / item["file"] for sub in ("eval", "cache")
                     if (tests / sub / item["file"]).is_file()), None)
        if path is not None:
            pages.append(Page(url, path, list(item.get("with", [])), list(item.get("without", []))))
    return pages


def ours(data: bytes) -> str | None:
    try:
        text = read_html(data, "page").text
    except InputError:
        return None
    return _QUOTE_PREFIX_RE.sub("", text)


def extractors(only: str | None) -> tuple[dict[str, Extractor], list[str]]:
    """The extractors to run, and a line for each one that cannot run here."""
    found: dict[str, Extractor] = {"provenance": ours}
    notes: list[str] = []
    try:
        import trafilatura
    except ImportError as exc:
        notes.append(f"trafilatura: not measured ({exc}); pip install trafilatura lxml_html_clean")
    else:
        version = getattr(trafilatura, "__version__", "?")
        settings = {"include_comments": False, "include_tables": True, "include_formatting": False}

        def default(data: bytes) -> str | None:
            return trafilatura.extract(data, **settings)  # type: ignore[no-any-return]

        def fast(data: bytes) -> str | None:
            return trafilatura.extract(data, fast=True, **settings)  # type: ignore[no-any-return]

        found[f"trafilatura {version}"] = default
        found[f"trafilatura {version} fast"] = fast
    if only:
        found = {name: fn for name, fn in found.items() if name.startswith(only)}
    return found, notes


def run(pages: list[Page], extract: Extractor) -> Tally:
    tally = Tally()
    for page in pages:
        data = page.path.read_bytes()
        start = time.perf_counter()
        failure: str | None = None
        try:
            text = extract(data)
        except Exception as exc:  # a crash on a page costs its snippets, as a failure in use would
            text, failure = None, f"{type(exc).__name__}: {exc}"
        tally.seconds += time.perf_counter() - start
        tally.pages += 1
        if not text:
            tally.failures.append(f"{page.url}: {failure or 'no text'}")
        tally.count(page, text)
    return tally


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="a folder holding a checkout of trafilatura (default: $PROVENANCE_PEERS)")
    parser.add_argument("--limit", type=int, default=0, help="only the first N pages (URLs sorted)")
    parser.add_argument("--only", help="only the extractors whose name starts with this")
    parser.add_argument("--misses", type=int, default=0, help="list N missed or wrongly kept snippets of each")
    args = parser.parse_args()
    tests = data_folder(args.data)
    if tests is None:
        print("html extraction: not measured: no trafilatura evaluation data (give --data DIR or set "
              "PROVENANCE_PEERS to a folder holding trafilatura/tests/evaldata.json)")
        return 0
    pages = load_pages(tests)
    if args.limit:
        pages = pages[:args.limit]
    chosen, notes = extractors(args.only)
    snippets = sum(len(p.with_) + len(p.without) for p in pages)
    print(f"{len(pages)} saved pages, {snippets} labelled snippets ({tests})")
    for note in notes:
        print(note)
    print(f"{'extractor':<26} {'precision':>9} {'recall':>7} {'F1':>6} {'accuracy':>8}   "
          f"{'TP':>5} {'FP':>4} {'FN':>4} {'TN':>5} {'pages/s':>8} {'failures':>8}")
    for name, extract in chosen.items():
        tally = run(pages, extract)
        precision, recall, f1, accuracy = tally.scores()
        rate = tally.pages / tally.seconds if tally.seconds else 0.0
        print(f"{name:<26} {precision:>9.3f} {recall:>7.3f} {f1:>6.3f} {accuracy:>8.3f}   "
              f"{tally.tp:>5} {tally.fp:>4} {tally.fn:>4} {tally.tn:>5} {rate:>8.1f} {len(tally.failures):>8}")
        for failure in tally.failures[:args.misses]:
            print(f"    failure {failure[:160]}")
        for kind, url, snippet in tally.misses[:args.misses]:
            print(f"    {kind} {url}  {snippet[:80]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
