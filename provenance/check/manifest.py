"""The check manifest, `provenance.toml`: which documents quote which sources, and the policy.

```toml
[policy]
fail_on = ["warning", "error"]     # severities that fail the check (default)
fail_types = []                    # finding types that fail whatever their severity
ignore_types = ["normalization"]   # finding types that never fail
baseline = "provenance-baseline.json"

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
field is one `ConfigError` line naming the file and the key.
"""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Literal

import msgspec

from provenance.check.policy import Policy
from provenance.errors import ConfigError, config_error, read_named_file
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


REPORT_FORMATS = tuple(f.value for f in ReportFormat)


class _PolicyTable(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    fail_on: list[Severity] = msgspec.field(default_factory=lambda: [Severity.WARNING, Severity.ERROR])
    fail_types: list[FindingType] = msgspec.field(default_factory=list)
    ignore_types: list[FindingType] = msgspec.field(default_factory=list)
    baseline: str | None = None


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
    """The nearest `provenance.toml` in `start` (default: the working directory) or a folder above it."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / MANIFEST_NAME
        if candidate.is_file():
            try:  # named as the user would: relative to the working directory when inside it
                return candidate.relative_to(Path.cwd().resolve())
            except ValueError:
                return candidate
    return None


def _expand(root: Path, pattern: str, manifest: Path, key: str) -> list[Path]:
    full = pattern if os.path.isabs(pattern) else str(root / pattern)
    if glob.has_magic(pattern) and not Path(full).is_file():  # `notes [draft].md` may be a file's own name
        found = sorted(Path(p) for p in glob.glob(full, recursive=True) if Path(p).is_file())
        if not found:
            raise ConfigError(f"{manifest}: {key}: no file matches {pattern!r}")
        return found
    path = Path(full)
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


def load_manifest(path: Path) -> Manifest:
    """Read and validate a manifest; every problem is one `ConfigError` naming the file and key."""
    path = Path(path)
    data = read_named_file(path, "manifest")
    try:
        raw = msgspec.toml.decode(data, type=_ManifestFile)
    except msgspec.ValidationError as exc:
        raise config_error(path, exc) from None
    except (msgspec.DecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    root = path.resolve().parent
    if not raw.documents:
        raise ConfigError(f"{path}: documents: the manifest lists no document ([[documents]] tables)")
    docs: list[DocumentSpec] = []
    seen: dict[Path, int] = {}
    for k, entry in enumerate(raw.documents):
        if not entry.sources:
            raise ConfigError(f"{path}: documents[{k}].sources: name at least one source")
        sources: list[Path] = []
        for j, pattern in enumerate(entry.sources):
            for s in _expand(root, pattern, path, f"documents[{k}].sources[{j}]"):
                if s not in sources:
                    sources.append(s)
        for doc in _expand(root, entry.path, path, f"documents[{k}].path"):
            if doc.resolve() in seen:
                raise ConfigError(f"{path}: documents[{k}].path: {relative_key(root, doc)} is already listed by "
                                  f"documents[{seen[doc.resolve()]}]; a document is checked once, with one mode")
            seen[doc.resolve()] = k
            own = tuple(s for s in sources if s.resolve() != doc.resolve())
            if not own:
                raise ConfigError(f"{path}: documents[{k}].sources: {doc.name} has no source but itself")
            docs.append(DocumentSpec(doc, own, entry.mode == "whole", entry.reuse, relative_key(root, doc)))
    pol = raw.policy
    policy = Policy(frozenset(pol.fail_on), frozenset(pol.fail_types), frozenset(pol.ignore_types))
    baseline = root / pol.baseline if pol.baseline else None
    formats = tuple(dict.fromkeys(f.value for f in raw.reports.formats))
    return Manifest(path, root, project_root(root), policy, baseline, root / raw.reports.directory, formats,
                    tuple(docs))


__all__ = ["MANIFEST_NAME", "REPORT_FORMATS", "DocumentSpec", "Manifest", "Policy", "ReportFormat", "find_manifest",
           "load_manifest", "project_root", "relative_key"]
