"""The check manifest, `provenance.toml`: which documents quote which sources, and the policy.

```toml
[policy]
fail_on = ["warning", "error"]     # severities that fail the check (default)
fail_types = []                    # finding types that fail whatever their severity
ignore_types = ["normalization"]   # finding types that never fail
baseline = "provenance-baseline.json"
max_cer = 0.02                     # whole transcriptions: the highest character error rate (and max_wer)
error_rates = "normalized"         # the limits apply to the normalised rates (or "raw")

[reports]
directory = "reports"              # relative to this file
formats = ["json", "html", "markdown", "sarif", "junit"]

[[documents]]
path = "articles/*.md"             # a path or a glob, relative to this file
sources = ["sources/letter.txt", "sources/wire-*.txt"]
mode = "quotations"                # or "whole": the document transcribes its first source
reuse = true                       # also find passages copied without quotation marks
```

The file is decoded into typed structures (msgspec): an unknown key, a wrong type or a missing
field is one `ConfigError` line naming the file and the key. A byte-order mark (Notepad) is accepted.

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
from provenance.model import FindingType, Severity

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
    max_cer: Rate | None = None
    max_wer: Rate | None = None
    error_rates: Literal["normalized", "raw"] = "normalized"


class _ReportsTable(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    directory: str = "reports"
    formats: list[ReportFormat] = msgspec.field(default_factory=lambda: [
        ReportFormat.json, ReportFormat.html, ReportFormat.markdown, ReportFormat.sarif, ReportFormat.junit])


class _DocumentTable(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    path: str
    sources: list[str]
    mode: Literal["quotations", "whole"] = "quotations"
    reuse: bool = True


class _ManifestFile(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    allow_outside: list[str] = msgspec.field(default_factory=list)
    policy: _PolicyTable = msgspec.field(default_factory=_PolicyTable)
    reports: _ReportsTable = msgspec.field(default_factory=_ReportsTable)
    documents: list[_DocumentTable] = msgspec.field(default_factory=list)


@dataclass(frozen=True, slots=True)
class DocumentSpec:
    """One document to check, its sources resolved to files."""

    path: Path
    sources: tuple[Path, ...]
    whole: bool
    reuse: bool
    key: str
    """The document's path relative to the manifest's folder, with forward slashes: its name in baselines."""


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


def _documents(path: Path, raw: _ManifestFile, root: Path, reach: _Reach) -> tuple[DocumentSpec, ...]:
    """The documents of the manifest, each with its sources, globs expanded."""
    if not raw.documents:
        raise ConfigError(f"{path}: documents: the manifest lists no document ([[documents]] tables)")
    docs: list[DocumentSpec] = []
    seen: dict[Path, int] = {}
    for k, entry in enumerate(raw.documents):
        if not entry.sources:
            raise ConfigError(f"{path}: documents[{k}].sources: name at least one source")
        sources: list[Path] = []
        for j, pattern in enumerate(entry.sources):
            for s in _expand(root, pattern, reach, f"documents[{k}].sources[{j}]"):
                if s not in sources:
                    sources.append(s)
        for doc in _expand(root, entry.path, reach, f"documents[{k}].path"):
            if doc.resolve() in seen:
                raise ConfigError(f"{path}: documents[{k}].path: {relative_key(root, doc)} is already listed by "
                                  f"documents[{seen[doc.resolve()]}]; a document is checked once, with one mode")
            seen[doc.resolve()] = k
            own = tuple(s for s in sources if s.resolve() != doc.resolve())
            if not own:
                raise ConfigError(f"{path}: documents[{k}].sources: {doc.name} has no source but itself")
            docs.append(DocumentSpec(doc, own, entry.mode == "whole", entry.reuse, relative_key(root, doc)))
    return tuple(docs)


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
    pol = raw.policy
    policy = Policy(frozenset(pol.fail_on), frozenset(pol.fail_types), frozenset(pol.ignore_types),
                    max_cer=pol.max_cer, max_wer=pol.max_wer, rates_normalized=pol.error_rates == "normalized")
    formats = tuple(dict.fromkeys(f.value for f in raw.reports.formats))
    return Manifest(path, root, project, policy, baseline, reports, formats, docs)


__all__ = ["MANIFEST_NAME", "REPORT_FORMATS", "DocumentSpec", "Manifest", "Policy", "ReportFormat", "find_manifest",
           "load_manifest", "project_root", "relative_key"]
