"""`provenance check`: compare every document of a manifest, apply the policy and the baseline,
and render the reports. The library side of the CI job; the CLI only parses and writes."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from provenance.compare import compare_texts
from provenance.errors import ConfigError
from provenance.manifest import DocumentSpec, Manifest, relative_key
from provenance.model import Report
from provenance.policy import Baseline, CheckOutcome, Policy, evaluate
from provenance.report import render_terminal
from provenance.report.json_report import render_json, report_dict
from provenance.report.junit import render_junit
from provenance.report.markdown import render_markdown
from provenance.report.marks import one_line
from provenance.report.sarif import render_sarif
from provenance.taxonomy import is_whole_passage
from provenance.text import DEFAULT_MAX_BYTES, Text, load_text

AGGREGATE_FILES = {"html": "provenance.html", "markdown": "provenance.md", "sarif": "provenance.sarif",
                   "junit": "provenance.junit.xml"}
"""File names of the reports that cover every document of a check, in the report folder."""
PER_DOCUMENT_SUFFIX = {"json": ".json", "terminal": ".txt"}


def display_path(path: Path, root: Path | None = None) -> str:
    """A path as reports give it: relative to `root` (default: the working directory), forward slashes."""
    return relative_key(root or Path.cwd(), path)


def _load(path: Path, shown: str, role: str, max_bytes: int, id: str | None = None) -> Text:
    """Read a file (named relative to the working directory in errors) and name it `shown` in reports."""
    text = load_text(os.path.relpath(path), id=id, role=role, max_bytes=max_bytes)
    return dataclasses.replace(text, path=shown)


@dataclass(frozen=True, slots=True)
class CheckRun:
    """The comparisons of a check and their evaluation."""

    reports: tuple[Report, ...]
    outcome: CheckOutcome


def select(manifest: Manifest, only: Iterable[Path] = ()) -> tuple[DocumentSpec, ...]:
    """The documents to check: all, or those that are, or quote, one of `only` (a pre-commit run
    passes the changed files; files the manifest does not know are ignored)."""
    wanted = {Path(p).resolve() for p in only}
    if not wanted:
        return manifest.documents
    return tuple(d for d in manifest.documents
                 if d.path.resolve() in wanted or any(s.resolve() in wanted for s in d.sources))


def run_check(manifest: Manifest, documents: Sequence[DocumentSpec], *, baseline: Baseline | None = None,
              policy: Policy | None = None, timestamp: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
              progress: Callable[[DocumentSpec], None] | None = None) -> CheckRun:
    """Compare each document with its sources (each source read once) and evaluate the results."""
    cache: dict[Path, Text] = {}

    def source(path: Path) -> Text:
        key = path.resolve()
        if key not in cache:
            cache[key] = _load(path, display_path(path, manifest.project), "source", max_bytes)
        return cache[key]

    reports: list[Report] = []
    data: list[tuple[str, dict[str, object]]] = []
    for spec in documents:
        doc = _load(spec.path, display_path(spec.path, manifest.project), "document", max_bytes, id="document")
        report = compare_texts(doc, [source(s) for s in spec.sources], whole=spec.whole, find_unmarked=spec.reuse)
        reports.append(report)
        data.append((spec.key, report_dict(report, timestamp=timestamp)))
        if progress is not None:
            progress(spec)
    baseline_path = display_path(manifest.baseline, manifest.project) if manifest.baseline else None
    outcome = evaluate(data, policy or manifest.policy, baseline, baseline_path=baseline_path,
                       generated_at=timestamp)
    return CheckRun(tuple(reports), outcome)


def _per_document_name(spec: DocumentSpec, suffix: str) -> str:
    """The document's path relative to the manifest, `..` spelled `_up`, so reports never collide
    and never land outside the report folder."""
    parts = ["_up" if part == ".." else part for part in Path(spec.key).parts]
    return "/".join(parts) + suffix


def render_outputs(run: CheckRun, documents: Sequence[DocumentSpec], formats: Sequence[str], directory: Path, *,
                   timestamp: str | None = None, width: int = 110) -> dict[Path, str]:
    """Every report file of a check by path: aggregates for all documents, JSON and terminal per document."""
    out: dict[Path, str] = {}
    for fmt in formats:
        if fmt in AGGREGATE_FILES:
            out[directory / AGGREGATE_FILES[fmt]] = render_outcome(run.outcome, fmt)
        else:
            for spec, report in zip(documents, run.reports, strict=True):
                name = directory / _per_document_name(spec, PER_DOCUMENT_SUFFIX[fmt])
                if fmt == "json":
                    out[name] = render_json(report, timestamp=timestamp)
                else:
                    out[name] = render_terminal(report, width=width, color=False)
    return out


def render_outcome(outcome: CheckOutcome, fmt: str) -> str:
    """One of the formats rendered from JSON reports: html, markdown, sarif or junit."""
    if fmt == "html":
        from provenance.report.html import render_html  # jinja2: only loaded for the HTML report

        return render_html(outcome)
    if fmt == "markdown":
        return render_markdown(outcome)
    if fmt == "sarif":
        return render_sarif(outcome)
    if fmt == "junit":
        return render_junit(outcome)
    raise ConfigError(f"format {fmt!r} cannot be rendered from JSON reports (html, markdown, sarif, junit)")


def describe(finding: dict[str, Any]) -> str:
    """A finding in a few words: `‘operations’ → ‘missions’ (…)`, `− ‘not’ (…)`, or its message."""
    f = finding
    if is_whole_passage(f["type"]):
        return f"{f['message']}: ‘{one_line(f['doc_text'], 80)}’"
    if f["type"] == "hidden_character":
        return str(f["message"])
    src, doc = one_line(f["src_text"], 80), one_line(f["doc_text"], 80)
    if src and doc:
        return f"‘{src}’ → ‘{doc}’ ({f['message']})"
    return f"− ‘{src}’ ({f['message']})" if src else f"+ ‘{doc}’ ({f['message']})"


def check_summary(outcome: CheckOutcome) -> str:
    """What a check prints: each failing finding as `path:line:column: severity type …`, then the result."""
    lines = []
    for d in outcome.documents:
        path = d.report["document"]["path"]
        for p in d.passages:
            for fo in p.findings:
                if fo.status != "fail":
                    continue
                f = fo.finding
                span = f["doc_span"] or p.passage["doc_span"]
                impact = f" [{', '.join(f['impact'])}]" if f["impact"] else ""
                what = describe(f)
                lines.append(f"{path}:{span['line']}:{span['column']}: {f['severity']} {f['type']}{impact} "
                             f"{p.passage['id']}: {what}")
    counts = outcome.counts()
    n_docs = len(outcome.documents)
    n_passages = sum(len(d.passages) for d in outcome.documents)
    tail = f"{n_docs} document{'' if n_docs == 1 else 's'}, {n_passages} passage{'' if n_passages == 1 else 's'}"
    if counts["baselined"]:
        tail += f", {counts['baselined']} known finding{'' if counts['baselined'] == 1 else 's'} accepted"
    if outcome.stale:
        tail += f", {len(outcome.stale)} baseline entr{'y' if len(outcome.stale) == 1 else 'ies'} no longer found"
    n = outcome.failed
    if n:
        lines.append(f"provenance: FAIL: {n} finding{'' if n == 1 else 's'} break{'s' if n == 1 else ''} the policy "
                     f"({outcome.policy.describe()}); {tail}")
    else:
        lines.append(f"provenance: PASS: no finding breaks the policy ({outcome.policy.describe()}); {tail}")
    return "\n".join(lines) + "\n"


def ci_environment() -> bool:
    """Whether we run under a CI service (their common `CI` variable)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


__all__ = ["AGGREGATE_FILES", "CheckRun", "check_summary", "ci_environment", "display_path", "render_outcome",
           "render_outputs", "run_check", "select"]
