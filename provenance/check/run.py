"""`provenance check`: compare every document of a manifest, apply the policy and the baseline,
and render the reports. The library side of the CI job; the CLI only parses and writes."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from provenance.check.manifest import DocumentSpec, Manifest, relative_key
from provenance.check.policy import Baseline, CheckOutcome, Policy, evaluate
from provenance.comparator.pipeline import compare_texts
from provenance.model import FindingType, Report
from provenance.report.formats import FORMATS, RenderOptions
from provenance.report.json_report import report_record
from provenance.report.marks import breaking, impacts, location, one_line, plural
from provenance.report.records import FindingRecord, ReportRecord
from provenance.taxonomy import is_whole_passage
from provenance.text import DEFAULT_MAX_BYTES, Text, load_text


def display_path(path: Path, root: Path | None = None) -> str:
    """A path as reports give it: relative to `root` (default: the working directory), forward slashes."""
    return relative_key(root or Path.cwd(), path)


def _load(path: Path, shown: str, role: str, max_bytes: int, id: str | None = None) -> Text:
    """Read a file (named relative to the working directory in errors) and name it `shown` in reports."""
    text = load_text(os.path.relpath(path), id=id, role=role, max_bytes=max_bytes)
    return dataclasses.replace(text, path=shown)


def _source(path: Path, manifest: Manifest, max_bytes: int, read: dict[Path, Text]) -> Text:
    """A source of the check, read on first use and kept in `read` for the documents that also quote it."""
    key = path.resolve()
    if key not in read:
        read[key] = _load(path, display_path(path, manifest.project), "source", max_bytes)
    return read[key]


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
    read: dict[Path, Text] = {}
    reports: list[Report] = []
    data: list[tuple[str, ReportRecord]] = []
    for spec in documents:
        doc = _load(spec.path, display_path(spec.path, manifest.project), "document", max_bytes, id="document")
        sources = [_source(path, manifest, max_bytes, read) for path in spec.sources]
        report = compare_texts(doc, sources, whole=spec.whole, find_unmarked=spec.reuse)
        reports.append(report)
        data.append((spec.key, report_record(report, timestamp=timestamp)))
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
    """Every report file of a check by path: the formats of the whole check once, the per-document
    formats (JSON, terminal) once for each document."""
    options = RenderOptions(timestamp=timestamp, width=width, color=False)
    out: dict[Path, str] = {}
    for name in formats:
        fmt = FORMATS[name]
        if not fmt.per_document:
            out[directory / fmt.file_name] = fmt.render_check(run.outcome, options)
            continue
        for spec, report in zip(documents, run.reports, strict=True):
            out[directory / _per_document_name(spec, fmt.file_name)] = fmt.render_comparison(report, options)
    return out


def describe(finding: FindingRecord) -> str:
    """A finding in a few words: `‘operations’ → ‘missions’ (…)`, `− ‘not’ (…)`, or its message."""
    f = finding
    if is_whole_passage(f.type):
        return f"{f.message}: ‘{one_line(f.doc_text, 80)}’"
    if f.type is FindingType.HIDDEN_CHARACTER:
        return f.message
    src, doc = one_line(f.src_text, 80), one_line(f.doc_text, 80)
    if src and doc:
        return f"‘{src}’ → ‘{doc}’ ({f.message})"
    return f"− ‘{src}’ ({f.message})" if src else f"+ ‘{doc}’ ({f.message})"


def _failing_lines(outcome: CheckOutcome) -> list[str]:
    """Each failing finding as `path:line:column: severity type [impact] passage: what`."""
    lines = []
    for d in outcome.documents:
        path = d.report.document.path
        for passage, fo in d.failing():
            f = fo.finding
            span = location(passage, f)
            impact = f" [{impacts(f)}]" if f.impact else ""
            lines.append(f"{path}:{span.line}:{span.column}: {f.severity.value} {f.type.value}{impact} "
                         f"{passage.id}: {describe(f)}")
    return lines


def _totals(outcome: CheckOutcome) -> str:
    """What a check covered: documents, passages, known findings accepted, baseline entries gone."""
    counts = outcome.counts()
    n_passages = sum(len(d.passages) for d in outcome.documents)
    tail = f"{plural(len(outcome.documents), 'document')}, {plural(n_passages, 'passage')}"
    if counts["baselined"]:
        tail += f", {plural(counts['baselined'], 'known finding')} accepted"
    if outcome.stale:
        tail += f", {plural(len(outcome.stale), 'baseline entry', 'baseline entries')} no longer found"
    return tail


def check_summary(outcome: CheckOutcome) -> str:
    """What a check prints: each failing finding as `path:line:column: severity type …`, then the result."""
    lines = _failing_lines(outcome)
    n = outcome.failed
    if n:
        lines.append(f"provenance: FAIL: {breaking(n)} "
                     f"({outcome.policy.describe()}); {_totals(outcome)}")
    else:
        lines.append(f"provenance: PASS: no finding breaks the policy ({outcome.policy.describe()}); "
                     f"{_totals(outcome)}")
    return "\n".join(lines) + "\n"


def ci_environment() -> bool:
    """Whether we run under a CI service (their common `CI` variable)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


__all__ = ["CheckRun", "check_summary", "ci_environment", "describe", "display_path", "render_outputs", "run_check",
           "select"]
