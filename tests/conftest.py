"""Shared helpers: build texts from strings, compare them, validate reports, find ../shared."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path

import pytest

from provenance.comparator.pipeline import compare_texts
from provenance.model import Finding, FindingType, PassageResult, Report
from provenance.report.json_report import render_json, report_schema
from provenance.text import make_text

ROOT = Path(__file__).resolve().parent.parent


def documentation() -> str:
    """The README and every page of docs/, as one text: what a user reads."""
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    return "\n\n".join(page.read_text(encoding="utf-8") for page in pages)
SHARED = ROOT.parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def run(document: str, *sources: str, whole: bool = False, reuse: bool = True) -> Report:
    """Compare strings: the document and its sources (ids src1, src2, ...)."""
    doc = make_text(document, path="doc.txt", id="document")
    srcs = [make_text(s, path=f"src{i}.txt", id=f"src{i}") for i, s in enumerate(sources, 1)]
    report = compare_texts(doc, srcs, whole=whole, find_unmarked=reuse)
    validate(report)  # every report the tests produce is checked against the schema
    return report


def only(report: Report) -> PassageResult:
    """The one passage of a report."""
    assert len(report.passages) == 1, [p.text for p in report.passages]
    return report.passages[0]


def kinds(result: PassageResult, *, with_normalization: bool = False) -> list[str]:
    """The finding types of a passage in document order."""
    return [f.type.value for f in result.findings
            if with_normalization or f.type is not FindingType.NORMALIZATION]


def of_type(result: PassageResult, kind: str) -> list[Finding]:
    return [f for f in result.findings if f.type.value == kind]


def validate(report: Report) -> dict[str, object]:
    """Render a report to JSON, validate it against the shipped schema, return the data."""
    import jsonschema

    data: dict[str, object] = json.loads(render_json(report))
    jsonschema.validate(data, report_schema(), cls=jsonschema.Draft202012Validator)
    return data


def finding_keys(report: Report, *, fold_source_spacing: bool = False) -> list[tuple[str, str, str, str]]:
    """Every finding of a report as (type, document text, source text, message), in report order:
    what two readings of one file in different formats must agree on. With `fold_source_spacing`,
    runs of white space in the source text count as one space (a format with no lines of its own)."""
    return [(f.type.value, f.doc_text, re.sub(r"\s+", " ", f.src_text) if fold_source_spacing else f.src_text,
             f.message) for p in report.passages for f in p.findings]


def texts_of(findings: Sequence[Finding], kind: str) -> list[tuple[str, str]]:
    return [(f.doc_text.strip(), f.src_text.strip()) for f in findings if f.type.value == kind]


@pytest.fixture
def shared() -> Path:
    """The shared folder beside the checkout; tests using it skip where it is absent."""
    if not (SHARED / "seeds").is_dir():
        pytest.skip("../shared is not beside this checkout")
    return SHARED


LETTER = ("The council will not close the northern bridge before the spring. Repairs to the eastern pier will "
          "cost 40,000 pounds and take six weeks, the engineer said.\n")
ALTERED = ("# Bridge\n\nThe council wrote that \"the council will close the northern bridge before the spring\" "
           "and that repairs \"will cost 40,000 pounds and take six weeks\".\n")
FAITHFUL = "# Pier\n\nThe engineer said repairs \"will cost 40,000 pounds and take six weeks\".\n"
MANIFEST = """[policy]
baseline = "baseline.json"

[reports]
directory = "out"
formats = ["json", "html", "markdown", "sarif", "junit"]

[[documents]]
path = "docs/*.md"
sources = ["src/letter.txt"]
"""


def make_project(root: Path, manifest: str = MANIFEST, docs: dict[str, str] | None = None) -> Path:
    """A small checked project: a source, two documents (one drops a "not"), a manifest."""
    (root / "src").mkdir(parents=True, exist_ok=True)
    (root / "docs").mkdir(exist_ok=True)
    (root / "src" / "letter.txt").write_text(LETTER, encoding="utf-8")
    for name, text in (docs or {"altered.md": ALTERED, "faithful.md": FAITHFUL}).items():
        (root / "docs" / name).write_text(text, encoding="utf-8")
    (root / "provenance.toml").write_text(manifest, encoding="utf-8")
    return root


def run_on_pty(args: list[str], cwd: Path, env: dict[str, str], *,
               stdout_too: bool = False) -> tuple[int, bytes, bytes]:
    """Run `provenance ARGS` with standard error (and standard output too, if asked) on a
    pseudo-terminal, as in a person's terminal: exit status, standard output when it is not on the
    terminal, and every byte the terminal received."""
    import os
    import pty
    import select
    import subprocess
    import sys

    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "provenance", *args], cwd=cwd,
                            stdout=slave if stdout_too else subprocess.PIPE, stderr=slave, env=env)
    os.close(slave)
    seen = b""
    while True:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
        elif proc.poll() is not None:
            break
    out = proc.stdout.read() if proc.stdout else b""
    proc.wait()
    os.close(master)
    return proc.returncode, out, seen


def main_in(folder: Path, *args: str) -> int:
    """Run the command line from `folder` (as its working directory), then come back."""
    from provenance.cli import main

    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(folder)
        return main(list(args))


NOTICE = "The council will not close the north harbour during the coming weeks to prepare for repairs.\n"
"""A source of the command-line tests (`files`)."""
NOTICE_QUOTED = "The council said it “will close the north harbour during the coming weeks”, residents heard.\n"
"""A document quoting `NOTICE` with its negation dropped."""


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    """A document (`article.md`) and the source it misquotes (`notice.txt`), for the command-line tests."""
    doc = tmp_path / "article.md"
    src = tmp_path / "notice.txt"
    doc.write_text(NOTICE_QUOTED, encoding="utf-8")
    src.write_text(NOTICE, encoding="utf-8")
    return doc, src
