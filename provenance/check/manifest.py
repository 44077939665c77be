"""The check manifest, `provenance.toml`: which documents quote which sources, and the policy.

```toml
[policy]
fail_on = ["warning", "error"]     # severities that fail the check (default)
fail_types = []                    # finding types that fail whatever their severity
ignore_types = ["normalization"]   # finding types that never fail
baseline = "provenance-baseline.json"
require_reasons = true             # a baseline entry without a reason accepts nothing
max_cer = 0.02                     # whole transcriptions: the highest character error rate (and max_wer)
error_rates = "normalized"         # the limits apply to the normalised rates (or "raw")

[reports]
directory = "reports"              # relative to this file
formats = ["json", "html", "markdown", "sarif", "junit"]

[[documents]]
path = "articles/*.md"             # a path or a glob, relative to this file
sources = ["sources/letter.txt", "sources/wire-*.txt", "https://example.org/statement.html"]
mode = "quotations"                # or "whole": the document transcribes its first source
reuse = true                       # also find passages copied without quotation marks

[[collations]]                     # versions of one text, collated into the report folder
witnesses = ["copies/copy-*.txt"]  # paths or globs, relative to this file (two or more files)
name = "collation"                 # the reports' name: collation.txt, .json, .html, .tei.xml
formats = ["terminal", "json", "html", "tei"]
base = "copy-1"                    # the witness the alignment starts from (default: the first)
```

The file is decoded into typed structures (msgspec): an unknown key, a wrong type or a missing
field is one `ConfigError` line naming the file and the key. A byte-order mark (Notepad) is accepted.

Sources may be described once, for citations to name them by (`provenance.load.registry`):

```toml
[[sources]]
id = "briefing"                    # documents' `sources` may name it by this id
path = "sources/briefing-2024-03-03.txt"   # or url = "https://…"
title = "Department of Harbours press briefing, 3 March 2024"
author = "Ada Okafor"
aliases = ["Okafor", "the department"]
```

A document whose `sources` is left out is checked against every described source.

A source may be an `http(s)://` URL: `check` reads it from its pinned copy (fetched and pinned on
first use in `.provenance/sources` beside the manifest, or `--cache-dir`); `check --refresh-sources`
fetches it again and fails, naming the URL, when the page changed since it was pinned.

Reach: every file and folder the manifest names (documents, sources, the baseline, the report folder)
must be inside the project (see `project_root`), symbolic links resolved, unless it is inside a folder
listed in the top-level `allow_outside = ["../shared", "/srv/archive"]`; so a manifest from someone else
cannot make a check read `/etc/passwd` or write beside `~/.bashrc`. Globs never match the tool's own
outputs: the report folder, the baseline and the manifest are left out of what they find.
"""

from __future__ import annotations

import dataclasses
import glob
import itertools
import os
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Annotated, Literal

import msgspec

from provenance.check.policy import Policy
from provenance.decode import utf8_without_bom
from provenance.errors import ConfigError, config_error, read_named_file, value_error_reason
from provenance.load.fetch import is_url
from provenance.load.registry import SIDECAR_SUFFIX, SourceTable
from provenance.model import FindingType, Severity, SourceEntry

MANIFEST_NAME = "provenance.toml"


class ReportFormat(str, Enum):
    """The report formats a check writes (and `compare --format` offers)."""

    terminal = "terminal"
    json = "json"
    html = "html"
    markdown = "markdown"
    sarif = "sarif"
    junit = "junit"
    github = "github"


REPORT_FORMATS = tuple(f.value for f in ReportFormat)


Rate = Annotated[float, msgspec.Meta(ge=0)]
"""An error-rate limit: 0.02 is 2 % (a rate may pass 1 when the transcription adds much)."""


class _PolicyTable(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    fail_on: list[Severity] = msgspec.field(default_factory=lambda: [Severity.WARNING, Severity.ERROR])
    fail_types: list[FindingType] = msgspec.field(default_factory=list)
    ignore_types: list[FindingType] = msgspec.field(default_factory=list)
    baseline: str | None = None
    require_reasons: bool = False
    max_cer: Rate | None = None
    max_wer: Rate | None = None
    error_rates: Literal["normalized", "raw"] = "normalized"


class _ReportsTable(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    directory: str = "reports"
    formats: list[ReportFormat] = msgspec.field(default_factory=lambda: [
        ReportFormat.json, ReportFormat.html, ReportFormat.markdown, ReportFormat.sarif, ReportFormat.junit])


class _DocumentTable(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    path: str
    sources: list[str] = msgspec.field(default_factory=list)
    mode: Literal["quotations", "whole"] = "quotations"
    reuse: bool = True


class _RegistryTable(SourceTable, forbid_unknown_fields=True, kw_only=True):
    path: str | None = None
    """The source file, relative to the manifest (or `url`)."""


class CollationFormat(str, Enum):
    """The formats of a collation (`collate --format`, a manifest's `collations.formats`)."""

    terminal = "terminal"
    json = "json"
    html = "html"
    tei = "tei"


COLLATION_SUFFIXES = {"terminal": ".txt", "json": ".json", "html": ".html", "tei": ".tei.xml"}
"""The ending of a collation report's file name in each format (`collation.tei.xml`)."""


class _CollationTable(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    witnesses: list[str]
    name: str = "collation"
    formats: list[CollationFormat] = msgspec.field(default_factory=lambda: list(CollationFormat))
    base: str | None = None


class _ManifestFile(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    allow_outside: list[str] = msgspec.field(default_factory=list)
    sources: list[_RegistryTable] = msgspec.field(default_factory=list)
    policy: _PolicyTable = msgspec.field(default_factory=_PolicyTable)
    reports: _ReportsTable = msgspec.field(default_factory=_ReportsTable)
    documents: list[_DocumentTable] = msgspec.field(default_factory=list)
    collations: list[_CollationTable] = msgspec.field(default_factory=list)


SourceRef = Path | str
"""A source of a document: a file, or an `http(s)://` URL (kept as the string the manifest gives)."""


@dataclass(frozen=True, slots=True)
class DocumentSpec:
    """One document to check, its sources resolved to files (or kept as URLs)."""

    path: Path
    sources: tuple[SourceRef, ...]
    whole: bool
    reuse: bool
    key: str
    """The document's path relative to the manifest's folder, with forward slashes: its name in baselines."""
    entries: tuple[SourceEntry | None, ...] = ()
    """What the manifest's `[[sources]]` says of each source, in the order of `sources` (None: nothing)."""


@dataclass(frozen=True, slots=True)
class CollationSpec:
    """One collation of a manifest: its witnesses resolved to files, and the reports it writes."""

    name: str
    witnesses: tuple[Path, ...]
    formats: tuple[str, ...]
    base: str | None
    """The base witness: a witness's resolved path (named as a path in the manifest), or an id, as given."""
    key: str
    """`collations[K]`, naming it in messages."""

    def outputs(self, directory: Path) -> dict[str, Path]:
        """Each format's report file in the report folder (`collation.tei.xml`)."""
        return {f: directory / f"{self.name}{COLLATION_SUFFIXES[f]}" for f in self.formats}


@dataclass(frozen=True, slots=True)
class Manifest:
    """A loaded manifest, every path resolved against the manifest's folder."""

    path: Path
    root: Path
    """The manifest's folder: document and source paths in it, and baseline keys, are relative to it."""
    project: Path
    """The folder report paths are relative to (see `project_root`)."""
    policy: Policy
    baseline: Path | None
    report_dir: Path
    formats: tuple[str, ...]
    documents: tuple[DocumentSpec, ...]
    collations: tuple[CollationSpec, ...] = ()


def find_manifest(start: Path | None = None) -> Path | None:
    """The nearest `provenance.toml` in `start` (default: the working directory) or a folder above it,
    no higher than the top of the git work tree holding it: a manifest someone left in a shared folder
    above (`/tmp/provenance.toml`) is never taken for the project's."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / MANIFEST_NAME
        if candidate.is_file():
            try:  # named as the user would: relative to the working directory when inside it
                return candidate.relative_to(Path.cwd().resolve())
            except ValueError:
                return candidate
        if (folder / ".git").exists():
            break
    return None


@dataclass(frozen=True, slots=True)
class _Reach:
    """Where the paths of a manifest may lead, and what its globs must not find."""

    manifest: Path
    project: Path
    allowed: tuple[Path, ...]
    """Folders outside the project the manifest may name (`allow_outside`), resolved."""
    excluded_folders: tuple[Path, ...] = ()
    excluded_files: frozenset[Path] = frozenset()

    def check(self, path: Path, key: str, shown: str) -> Path:
        """`path` resolved, when the manifest may name it; else one `ConfigError` line."""
        resolved = path.resolve()
        if resolved.is_relative_to(self.project) or any(resolved.is_relative_to(a) for a in self.allowed):
            return resolved
        raise ConfigError(f"{self.manifest}: {key}: {shown!r} is outside the project ({self.project}); a manifest "
                          "reads and writes only inside it, unless allow_outside lists a folder holding it")

    def own_output(self, path: Path) -> bool:
        """Whether a file a glob found is one of the tool's outputs (a report, the baseline, the manifest)."""
        resolved = path.resolve()
        return resolved in self.excluded_files or any(resolved.is_relative_to(f) for f in self.excluded_folders)


def _expand(root: Path, pattern: str, reach: _Reach, key: str) -> list[Path]:
    """The files a pattern names: a path, or a glob (which never finds the tool's own outputs)."""
    manifest = reach.manifest
    full = pattern if os.path.isabs(pattern) else str(root / pattern)
    if glob.has_magic(pattern) and not Path(full).is_file():  # `notes [draft].md` may be a file's own name
        fixed = Path(*[part for part in itertools.takewhile(lambda q: not glob.has_magic(q), Path(full).parts)])
        reach.check(fixed, key, pattern)  # `/**/*.txt` is refused before it walks the whole disk
        # every match but a folder: a broken link or a pipe a glob finds is a document that fails, not one left out
        matches = sorted(Path(p) for p in glob.glob(full, recursive=True) if not Path(p).is_dir())
        found = [p for p in matches if not reach.own_output(p)]
        if not found:
            own = " (the report folder, the baseline and the manifest are left out)" if matches else ""
            raise ConfigError(f"{manifest}: {key}: no file matches {pattern!r}{own}")
        for p in found:
            reach.check(p, key, relative_key(root, p))
        return found
    path = Path(full)
    reach.check(path, key, pattern)
    if not path.exists():
        raise ConfigError(f"{manifest}: {key}: no such file {pattern!r}")
    if not path.is_file():
        raise ConfigError(f"{manifest}: {key}: {pattern!r} is not a file")
    return [path]


def relative_key(root: Path, path: Path) -> str:
    """`path` relative to `root` with forward slashes (`../shared/a.txt` when outside it)."""
    return Path(os.path.relpath(path.resolve(), root.resolve())).as_posix()


def project_root(folder: Path) -> Path:
    """The folder that report paths are relative to: the top of the git work tree holding `folder`,
    else `folder` itself. So reports name `inputs/article.md` wherever the check is run from."""
    folder = folder.resolve()
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return folder


def _decode(path: Path) -> _ManifestFile:
    """The manifest file decoded; every problem one `ConfigError` line naming the file."""
    data = utf8_without_bom(read_named_file(path, "manifest"), path, "manifest")
    try:
        return msgspec.toml.decode(data, type=_ManifestFile)
    except msgspec.ValidationError as exc:
        raise config_error(path, exc, _ManifestFile) from None
    except RecursionError:
        raise ConfigError(f"{path}: not a manifest: arrays or tables nested too deep") from None
    except (msgspec.DecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except ValueError as exc:  # a number Python refuses to convert (over 4,300 digits)
        raise ConfigError(f"{path}: not a manifest: {value_error_reason(exc)}") from None


def _paths_named(raw: _ManifestFile) -> list[tuple[str, str]]:
    """Every path the manifest names, with its key."""
    named = [(f"allow_outside[{k}]", a) for k, a in enumerate(raw.allow_outside)]
    named += [("reports.directory", raw.reports.directory)]
    named += [("policy.baseline", raw.policy.baseline)] if raw.policy.baseline else []
    for k, entry in enumerate(raw.documents):
        named.append((f"documents[{k}].path", entry.path))
        named += [(f"documents[{k}].sources[{j}]", s) for j, s in enumerate(entry.sources)]
    named += [(f"sources[{k}].path", t.path) for k, t in enumerate(raw.sources) if t.path]
    for k, table in enumerate(raw.collations):
        named += [(f"collations[{k}].witnesses[{j}]", w) for j, w in enumerate(table.witnesses)]
        named.append((f"collations[{k}].name", table.name))
        named += [(f"collations[{k}].base", table.base)] if table.base else []
    return named


def _refuse_nul(path: Path, raw: _ManifestFile) -> None:
    """A path holding a NUL character names no file on any system: one `ConfigError` line."""
    for key, value in _paths_named(raw):
        if "\x00" in value:
            raise ConfigError(f"{path}: {key}: {value!r}: a path cannot hold a NUL character")


def _reach(path: Path, raw: _ManifestFile, root: Path, project: Path, report_dir: Path | None,
           baseline: Path | None) -> tuple[_Reach, Path]:
    """The manifest's reach, and its report folder (`report_dir` when given, else the manifest's), which
    must not hold the manifest's folder: reports would be mixed with the documents. Globs leave out both
    report folders, the baseline and the manifest."""
    allowed = tuple((root / a).resolve() for a in raw.allow_outside)
    reach = _Reach(path, project, allowed)
    where = "report folder"
    if report_dir is None:
        report_dir, where = root / raw.reports.directory, f"{path}: reports.directory"
        reach.check(report_dir, "reports.directory", raw.reports.directory)
    if root.is_relative_to(report_dir.resolve()):
        raise ConfigError(f"{where}: {str(report_dir)!r} holds the manifest's folder: reports would be mixed with "
                          "the documents; give them a folder of their own",
                          parameter="report_dir" if where == "report folder" else None)
    if baseline is not None:
        reach.check(baseline, "policy.baseline", str(raw.policy.baseline))
    excluded = frozenset(p.resolve() for p in (path, baseline) if p is not None)
    folders = tuple(dict.fromkeys(d.resolve() for d in (report_dir, root / raw.reports.directory)))
    return dataclasses.replace(reach, excluded_folders=folders, excluded_files=excluded), report_dir


def _registry(path: Path, raw: _ManifestFile, root: Path, reach: _Reach) -> dict[str, tuple[SourceRef, SourceEntry]]:
    """The described sources (`[[sources]]`) by id, each with its file or URL."""
    registry: dict[str, tuple[SourceRef, SourceEntry]] = {}
    for k, table in enumerate(raw.sources):
        if not table.id:
            raise ConfigError(f"{path}: sources[{k}].id: give each described source an id")
        if table.id in registry:
            raise ConfigError(f"{path}: sources[{k}].id: {table.id!r} is already the id of another source")
        if (table.path is None) == (table.url is None):
            raise ConfigError(f"{path}: sources[{k}]: give the source a path or a url (one of them)")
        if table.url is not None and not is_url(table.url):
            raise ConfigError(f"{path}: sources[{k}].url: {table.url!r} is not an http(s) URL")
        ref: SourceRef = table.url if table.url is not None else _expand(
            root, table.path or "", reach, f"sources[{k}].path")[0]
        registry[table.id] = (ref, table.entry())
    return registry


def _sources_of(entry: _DocumentTable, k: int, registry: dict[str, tuple[SourceRef, SourceEntry]], root: Path,
                reach: _Reach) -> list[SourceRef]:
    """A document's sources, in order and once each: described ones by id, URLs, paths and globs;
    every described source when the document names none."""
    sources: list[SourceRef] = []
    for j, pattern in enumerate(entry.sources or list(registry)):
        if pattern in registry:
            found: list[SourceRef] = [registry[pattern][0]]
        elif is_url(pattern):
            found = [pattern]
        else:  # a glob never takes a source's description (`*.source.toml`) for a source
            found = [p for p in _expand(root, pattern, reach, f"documents[{k}].sources[{j}]")
                     if not (glob.has_magic(pattern) and p.name.endswith(SIDECAR_SUFFIX))]
        sources.extend(s for s in found if s not in sources)
    return sources


def _documents(path: Path, raw: _ManifestFile, root: Path, reach: _Reach) -> tuple[DocumentSpec, ...]:
    """The documents of the manifest, each with its sources (globs expanded, ids of described
    sources replaced by their file or URL) and what is known of each source."""
    if not raw.documents:
        raise ConfigError(f"{path}: documents: the manifest lists no document ([[documents]] tables)")
    registry = _registry(path, raw, root, reach)
    by_ref = {ref if isinstance(ref, str) else ref.resolve(): entry for ref, entry in registry.values()}
    docs: list[DocumentSpec] = []
    seen: dict[Path, int] = {}
    for k, entry in enumerate(raw.documents):
        if not entry.sources and not registry and not entry.path.casefold().endswith(".json"):
            raise ConfigError(f"{path}: documents[{k}].sources: name at least one source (only a generated "
                              "answer in JSON brings its own)")
        sources = _sources_of(entry, k, registry, root, reach)
        for doc in _expand(root, entry.path, reach, f"documents[{k}].path"):
            if doc.resolve() in seen:
                raise ConfigError(f"{path}: documents[{k}].path: {relative_key(root, doc)} is already listed by "
                                  f"documents[{seen[doc.resolve()]}]; a document is checked once, with one mode")
            seen[doc.resolve()] = k
            own = tuple(s for s in sources if isinstance(s, str) or s.resolve() != doc.resolve())
            if not own and not doc.name.casefold().endswith(".json"):
                raise ConfigError(f"{path}: documents[{k}].sources: {doc.name} has no source but itself")
            entries = tuple(by_ref.get(s if isinstance(s, str) else s.resolve()) for s in own)
            docs.append(DocumentSpec(doc, own, entry.mode == "whole", entry.reuse, relative_key(root, doc), entries))
    return tuple(docs)


def _collations(path: Path, raw: _ManifestFile, root: Path, reach: _Reach) -> tuple[CollationSpec, ...]:
    """The collations of the manifest, witness globs expanded, each name a file name of its own."""
    out: list[CollationSpec] = []
    names: dict[str, int] = {}
    for k, table in enumerate(raw.collations):
        key = f"collations[{k}]"
        name = table.name
        if not name or name in (".", "..") or "/" in name or "\\" in name:
            raise ConfigError(f"{path}: {key}.name: {name!r} is not a file name: give the reports' name without a "
                              "folder (`collation` writes collation.txt, collation.json, ...)")
        if name in names:
            raise ConfigError(f"{path}: {key}.name: {name!r} is already the name of collations[{names[name]}]; "
                              "give each collation a name of its own")
        names[name] = k
        witnesses: list[Path] = []
        for j, pattern in enumerate(table.witnesses):
            for w in _expand(root, pattern, reach, f"{key}.witnesses[{j}]"):
                if w.resolve() not in witnesses:
                    witnesses.append(w.resolve())
        if len(witnesses) < 2:
            raise ConfigError(f"{path}: {key}.witnesses: a collation needs two or more files, found "
                              f"{len(witnesses)}")
        if not table.formats:
            raise ConfigError(f"{path}: {key}.formats: name at least one format (terminal, json, html, tei)")
        base = table.base
        if base is not None and (root / base).resolve() in witnesses:
            base = str((root / base).resolve())
        formats = tuple(dict.fromkeys(f.value for f in table.formats))
        out.append(CollationSpec(name, tuple(witnesses), formats, base, key))
    return tuple(out)


def load_manifest(path: Path, *, report_dir: Path | None = None) -> Manifest:
    """Read and validate a manifest; every problem is one `ConfigError` naming the file and key.

    `report_dir` replaces the manifest's report folder (`--report-dir`): its globs leave out that one."""
    path = Path(path)
    raw = _decode(path)
    _refuse_nul(path, raw)
    root = path.resolve().parent
    project = project_root(root)
    baseline = root / raw.policy.baseline if raw.policy.baseline else None
    reach, reports = _reach(path, raw, root, project, report_dir, baseline)
    docs = _documents(path, raw, root, reach)
    collations = _collations(path, raw, root, reach)
    pol = raw.policy
    policy = Policy(frozenset(pol.fail_on), frozenset(pol.fail_types), frozenset(pol.ignore_types),
                    require_reasons=pol.require_reasons, max_cer=pol.max_cer, max_wer=pol.max_wer,
                    rates_normalized=pol.error_rates == "normalized")
    formats = tuple(dict.fromkeys(f.value for f in raw.reports.formats))
    return Manifest(path, root, project, policy, baseline, reports, formats, docs, collations)


__all__ = ["COLLATION_SUFFIXES", "MANIFEST_NAME", "REPORT_FORMATS", "CollationFormat", "CollationSpec",
           "DocumentSpec", "Manifest", "Policy", "ReportFormat", "find_manifest",
           "load_manifest", "project_root", "relative_key"]
