"""`provenance check`: compare every document of a manifest, apply the policy and the baseline,
and render the reports. The library side of the CI job; the CLI only parses and writes."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from provenance.check.manifest import CollationSpec, DocumentSpec, Manifest, SourceRef, relative_key
from provenance.check.policy import Baseline, CheckOutcome, Policy, evaluate
from provenance.comparator.pipeline import compare_texts
from provenance.errors import ConfigError, InputError, ProvenanceError, UsageError, require_utf8_name
from provenance.load import load_source, load_text
from provenance.load.generated import load_answer
from provenance.load.registry import read_sidecar, sidecar_of
from provenance.model import FindingType, Report, SourceEntry
from provenance.report.formats import FORMATS, RenderOptions, SarifLevel
from provenance.report.json_report import report_record
from provenance.report.marks import failing_text, impacts, location, one_line, plural
from provenance.report.records import FindingRecord, ReportRecord
from provenance.report.visible import visible_line
from provenance.taxonomy import is_whole_passage
from provenance.text import DEFAULT_MAX_BYTES, Text


def display_path(path: Path, root: Path | None = None) -> str:
    """A path as reports give it: relative to `root` (default: the working directory), forward slashes."""
    return relative_key(root or Path.cwd(), path)


def _load(path: Path, shown: str, role: str, max_bytes: int, id: str | None = None) -> Text:
    """Read a file (named relative to the working directory in errors) and name it `shown` in reports;
    a file whose name no report can hold (not UTF-8) is refused first."""
    require_utf8_name(shown, role)
    text = load_text(os.path.relpath(path), id=id, role=role, max_bytes=max_bytes)
    return dataclasses.replace(text, path=shown)


@dataclass(frozen=True, slots=True)
class Fetching:
    """How a check reads its URL sources: from their pins in `cache` (default: `.provenance/sources`
    beside the manifest), or fetched again with `refresh`, which fails on a page that changed."""

    cache: Path | None = None
    refresh: bool = False

    def folder(self, manifest: Manifest) -> Path:
        return self.cache if self.cache is not None else manifest.root / ".provenance" / "sources"


def _source(ref: SourceRef, manifest: Manifest, max_bytes: int, read: dict[Path | str, Text | ProvenanceError],
            fetching: Fetching) -> Text:
    """A source of the check, read on first use and kept in `read` for the documents that also quote it
    (a source that cannot be read is kept as its error: it is tried once). A URL is read from its pin;
    with `fetching.refresh`, fetched again, and a page that changed since it was pinned is an error."""
    key: Path | str = ref if isinstance(ref, str) else ref.resolve()
    if key not in read:
        try:
            if isinstance(ref, str):
                read[key] = load_source(ref, max_bytes=max_bytes, cache=fetching.folder(manifest),
                                        refresh=fetching.refresh, fail_on_change=fetching.refresh)
            else:
                read[key] = _load(ref, display_path(ref, manifest.project), "source", max_bytes)
        except ProvenanceError as exc:
            read[key] = exc
    found = read[key]
    if isinstance(found, ProvenanceError):
        raise found
    return found


@dataclass(frozen=True, slots=True)
class Failure:
    """A document that could not be checked: it, or one of its sources, could not be read or compared."""

    spec: DocumentSpec
    error: ProvenanceError
    names_document: bool = True
    """Whether the error's message names the document (else it is about a source, or the comparison)."""


@dataclass(frozen=True, slots=True)
class CheckRun:
    """The comparisons of a check and their evaluation, and the documents that could not be checked."""

    reports: tuple[Report, ...]
    outcome: CheckOutcome
    documents: tuple[DocumentSpec, ...]
    """The documents checked, in the order of `reports`."""
    failures: tuple[Failure, ...] = ()


def select(manifest: Manifest, only: Iterable[Path] = ()) -> tuple[DocumentSpec, ...]:
    """The documents to check: all, or those that are, or quote, one of `only`, or quote a source that
    one of `only` describes (its sidecar file): a pre-commit run passes the changed files; files the
    manifest does not know are ignored.

    Every document is checked when `only` names the manifest or the baseline, or when the baseline
    the manifest names is missing: a changed policy or an emptied, edited or deleted baseline
    concerns every document, so a commit making one must pass the whole check."""
    wanted = {Path(p).resolve() for p in only}
    if not wanted or rechecks_everything(manifest, wanted):
        return manifest.documents
    return tuple(d for d in manifest.documents
                 if d.path.resolve() in wanted
                 or any(not isinstance(s, str) and (s.resolve() in wanted or sidecar_of(s).resolve() in wanted)
                        for s in d.sources))


def rechecks_everything(manifest: Manifest, changed: Iterable[Path]) -> bool:
    """Whether a change to these files (resolved paths) concerns every document of the manifest: one is
    the manifest or its baseline, or the baseline is missing (deleted, which a hook is not told of)."""
    changed = set(changed)
    if manifest.path.resolve() in changed:
        return True
    if manifest.baseline is None:
        return False
    return manifest.baseline.resolve() in changed or not manifest.baseline.exists()


def _check_one(spec: DocumentSpec, manifest: Manifest, max_bytes: int,
               read: dict[Path | str, Text | ProvenanceError], fetching: Fetching) -> Report | Failure:
    """One document compared with its sources, or why it could not be."""
    shown = display_path(spec.path, manifest.project)
    try:
        answer = None if spec.whole else load_answer(os.path.relpath(spec.path), max_bytes=max_bytes)
        doc = dataclasses.replace(answer.document, path=shown) if answer is not None else _load(
            spec.path, shown, "document", max_bytes, id="document")
    except ProvenanceError as exc:
        return Failure(spec, exc)
    try:
        sources = [_source(ref, manifest, max_bytes, read, fetching) for ref in spec.sources]
        given = spec.entries or (None,) * len(spec.sources)
        entries: list[SourceEntry | None] = [entry or read_sidecar(ref)
                                             for ref, entry in zip(spec.sources, given, strict=True)]
        if answer is not None:
            sources, entries = answer.after(sources, entries)
        if not sources:
            raise InputError(f"document {shown!r}: not a generated answer with its sources, and no source given")
        return compare_texts(doc, sources, whole=spec.whole, find_unmarked=spec.reuse, entries=entries)
    except ProvenanceError as exc:
        return Failure(spec, exc, names_document=False)


def run_check(manifest: Manifest, documents: Sequence[DocumentSpec], *, baseline: Baseline | None = None,
              policy: Policy | None = None, timestamp: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
              progress: Callable[[DocumentSpec], None] | None = None, fetching: Fetching | None = None) -> CheckRun:
    """Compare each document with its sources (each source read once) and evaluate the results. A
    document that cannot be checked (it or a source unreadable, a URL source changed on refresh) is a
    `Failure`; the others go on."""
    read: dict[Path | str, Text | ProvenanceError] = {}
    reports: list[Report] = []
    checked: list[DocumentSpec] = []
    failures: list[Failure] = []
    data: list[tuple[str, ReportRecord]] = []
    for spec in documents:
        report = _check_one(spec, manifest, max_bytes, read, fetching or Fetching())
        if isinstance(report, Failure):
            failures.append(report)
        else:
            reports.append(report)
            checked.append(spec)
            data.append((spec.key, report_record(report, timestamp=timestamp)))
        if progress is not None:
            progress(spec)
    baseline_path = display_path(manifest.baseline, manifest.project) if manifest.baseline else None
    outcome = evaluate(data, policy or manifest.policy, baseline, baseline_path=baseline_path,
                       generated_at=timestamp)
    return CheckRun(tuple(reports), outcome, tuple(checked), tuple(failures))


_CHUNK_BYTES = 200
"""The most bytes of a document's path part in one part of its report's path: with a report suffix and
the temporary name it is written under first, a file name stays within the 255 bytes file systems allow."""
_CONTINUED = "%~"
"""Opens a part of a report's path that continues the part before it (a long name cut into folders)."""
_FOLDER = "%"
"""Ends a folder of report paths whose name a report could have (`a.md.json/`, `provenance.html/`)."""


def _escaped_chunks(part: str) -> list[str]:
    """One part of a document's path as parts of its report's path: `%` written `%25`, `..` as `%2E%2E`,
    and a name longer than `_CHUNK_BYTES` cut into several, each after the first opening with `%~`."""
    if part == "..":
        return ["%2E%2E"]
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    for ch in part:
        token = "%25" if ch == "%" else ch
        n = len(token.encode("utf-8", "surrogatepass"))
        if current and size + n > _CHUNK_BYTES:
            chunks.append("".join(current))
            current, size = [], 0
        current.append(token)
        size += n
    chunks.append("".join(current))
    return chunks[:1] + [_CONTINUED + c for c in chunks[1:]]


def _report_names() -> tuple[tuple[str, ...], frozenset[str]]:
    """The suffixes of per-document reports (`.json`) and the names of the reports of a whole check."""
    suffixes = tuple(f.file_name for f in FORMATS.values() if f.per_document)
    return suffixes, frozenset(f.file_name for f in FORMATS.values() if not f.per_document)


def report_name(key: str, suffix: str) -> str:
    """Where the report of the document `key` (its path relative to the manifest) goes, relative to the
    report folder: its path with each part escaped, so that two documents never share a report, a
    report never lands outside the folder, and a folder of reports never has the name of a report.

    The mapping is injective by construction and depends on the key alone, so it is the same on every
    run: `%` is written `%25`; a `..` part `%2E%2E`; a part over 200 bytes is cut into folders, each
    continuation opening with `%~`; a folder whose name ends like a report's (`.json`, `.txt`) or is
    the name of a check's report (`provenance.html`) gets a `%` at its end. Escaped text never holds
    `%~` nor ends with `%`, so each step can be undone."""
    suffixes, whole = _report_names()
    parts = [chunk for part in Path(key).parts for chunk in _escaped_chunks(part)]
    folders = [p + _FOLDER if p.endswith(suffixes) or p in whole else p for p in parts[:-1]]
    return "/".join([*folders, parts[-1] + suffix])


def render_outputs(run: CheckRun, formats: Sequence[str], directory: Path, *, timestamp: str | None = None,
                   width: int = 110, sarif_level: SarifLevel = SarifLevel.failing) -> dict[Path, str]:
    """Every report file of a check by path: the formats of the whole check once, the per-document
    formats (JSON, terminal) once for each document checked."""
    options = RenderOptions(timestamp=timestamp, width=width, color=False, sarif_level=sarif_level)
    out: dict[Path, str] = {}
    for name in formats:
        fmt = FORMATS[name]
        if not fmt.per_document:
            out[directory / fmt.file_name] = fmt.render_check(run.outcome, options)
            continue
        for spec, report in zip(run.documents, run.reports, strict=True):
            out[directory / report_name(spec.key, fmt.file_name)] = fmt.render_comparison(report, options)
    return out


@dataclass(frozen=True, slots=True)
class CollationFailure:
    """A collation of the manifest that could not be made: a witness unreadable, or holding no words."""

    spec: CollationSpec
    error: ProvenanceError


def select_collations(manifest: Manifest, only: Iterable[Path] = ()) -> tuple[CollationSpec, ...]:
    """The collations to make: all, or those with a witness among `only` (the files a pre-commit run passes)."""
    wanted = {Path(p).resolve() for p in only}
    if not wanted:
        return manifest.collations
    return tuple(c for c in manifest.collations if any(w in wanted for w in c.witnesses))


def render_collations(manifest: Manifest, collations: Sequence[CollationSpec], directory: Path, *,
                      max_bytes: int = DEFAULT_MAX_BYTES, width: int = 110,
                      ) -> tuple[dict[Path, str], tuple[CollationFailure, ...]]:
    """The report files of the manifest's collations, as `provenance collate --format F --output FILE` writes
    them (witnesses named relative to the project, as a check names documents), and the collations that
    could not be made (the others are written all the same)."""
    from provenance.report.collation import COLLATION_FORMATS
    from provenance.transcription.collate import base_index, collate_texts

    options = RenderOptions(width=width, color=False)
    out: dict[Path, str] = {}
    failures: list[CollationFailure] = []
    for spec in collations:
        try:
            texts = [_load(w, display_path(w, manifest.project), "witness", max_bytes) for w in spec.witnesses]
            collation = collate_texts(texts, base=base_index([str(w) for w in spec.witnesses], texts, spec.base))
        except ProvenanceError as exc:
            failures.append(CollationFailure(spec, exc))
            continue
        for name, path in spec.outputs(directory).items():
            out[path] = COLLATION_FORMATS[name](collation, options)
    return out, tuple(failures)


def merge_outputs(manifest: Manifest, check: dict[Path, str], collations: dict[Path, str]) -> dict[Path, str]:
    """The check's report files and its collations', which must not share a file: one `ConfigError` line."""
    for path in collations:
        if path in check:
            spec = next(c for c in manifest.collations if path in c.outputs(path.parent).values())
            raise ConfigError(f"{manifest.path}: {spec.key}.name: {spec.name!r} would write {path.name}, a report "
                              "of the check: give the collation another name")
    return {**check, **collations}


def confine(outputs: Iterable[Path], directory: Path) -> None:
    """Refuse to write a check's reports anywhere but in the report folder: a report path, or a folder on
    the way to it, that is a symbolic link leading out of the folder (a repository can hold one:
    `reports/provenance.md -> ~/.bashrc`), or that is a device or a pipe, is one `UsageError` line, before
    anything is written."""
    top = directory.resolve()
    for path in outputs:
        resolved = path.resolve()
        if not resolved.is_relative_to(top):
            raise UsageError(f"cannot write {str(path)!r}: it leads out of the report folder {str(directory)!r} "
                             f"(to {str(resolved)!r}, through a symbolic link)")
        if resolved.exists() and not resolved.is_file() and not resolved.is_dir():
            raise UsageError(f"cannot write {str(path)!r}: not a regular file (a device, a pipe or a socket)")


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


UNREASONED = "accepted in the baseline without a reason, and the policy requires one (require_reasons)"
"""Why a finding its baseline entry accepts fails all the same."""


def _failing_lines(outcome: CheckOutcome) -> list[str]:
    """Each failing finding as `path:line:column: severity type [impact] passage: what`."""
    lines = []
    for d in outcome.documents:
        path = d.report.document.path
        for passage, fo in d.failing():
            f = fo.finding
            span = location(passage, f)
            impact = f" [{impacts(f)}]" if f.impact else ""
            why = f"; {UNREASONED}" if fo.unreasoned else ""
            lines.append(f"{path}:{span.line}:{span.column}: {f.severity.value} {f.type.value}{impact} "
                         f"{passage.id}: {describe(f)}{why}")
        lines += [f"{path}: error {b.option}: {b.describe()}" for b in d.breaches]
    return lines


def result_text(outcome: CheckOutcome) -> str:
    """What fails a check, in words: `1 finding breaks the policy; 1 error rate of a transcription over its limit`."""
    return failing_text(outcome.failed, outcome.breaches)


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


def check_summary(outcome: CheckOutcome, failures: Sequence[Failure] = ()) -> str:
    """What a check prints: each failing finding as `path:line:column: severity type …`, then the result
    (`ERROR` when a document could not be checked). Every line is safe for a terminal or a CI log: paths
    and text go through `visible_line`."""
    lines = _failing_lines(outcome)
    result = result_text(outcome)
    if failures:
        lines.append(f"provenance: ERROR: {plural(len(failures), 'document')} could not be checked; {result} "
                     f"({outcome.policy.describe()}); {_totals(outcome)} checked")
    elif outcome.fails:
        lines.append(f"provenance: FAIL: {result} ({outcome.policy.describe()}); {_totals(outcome)}")
    else:
        lines.append(f"provenance: PASS: {result} ({outcome.policy.describe()}); {_totals(outcome)}")
    return "".join(visible_line(line) + "\n" for line in lines)


def ci_environment() -> bool:
    """Whether we run under a CI service (their common `CI` variable)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


__all__ = ["UNREASONED", "CheckRun", "CollationFailure", "Failure", "check_summary", "ci_environment", "confine",
           "describe", "display_path", "merge_outputs", "rechecks_everything", "render_collations", "render_outputs",
           "report_name", "result_text", "run_check", "select", "select_collations"]
