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
from pathlib import Path
from typing import Literal

import msgspec

from provenance.errors import ConfigError
from provenance.model import FindingType, Severity

MANIFEST_NAME = "provenance.toml"
REPORT_FORMATS = ("json", "html", "markdown", "sarif", "junit", "terminal")

SeverityName = Literal["info", "warning", "error"]
FormatName = Literal["json", "html", "markdown", "sarif", "junit", "terminal"]
TypeName = Literal[
    "normalization", "editorial_insertion", "editorial_substitution", "marked_omission", "silent_omission",
    "silent_insertion", "substitution", "transposition", "transcription_error", "paraphrase", "unsourced",
    "misattribution", "hidden_character",
]


class _PolicyTable(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    fail_on: list[SeverityName] = msgspec.field(default_factory=lambda: ["warning", "error"])
    fail_types: list[TypeName] = msgspec.field(default_factory=list)
    ignore_types: list[TypeName] = msgspec.field(default_factory=list)
    baseline: str | None = None


class _ReportsTable(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    directory: str = "reports"
    formats: list[FormatName] = msgspec.field(default_factory=lambda: ["json", "html", "markdown", "sarif", "junit"])


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
class Policy:
    """Which findings fail a check. The comparator reports every difference; this decides."""

    fail_on: frozenset[Severity] = frozenset({Severity.WARNING, Severity.ERROR})
    fail_types: frozenset[FindingType] = frozenset()
    ignore_types: frozenset[FindingType] = frozenset()

    def fails(self, type_name: str, severity_name: str) -> bool:
        """Whether a finding of this type and severity breaks the policy."""
        kind = FindingType(type_name)
        if kind in self.ignore_types:
            return False
        return kind in self.fail_types or Severity(severity_name) in self.fail_on

    def describe(self) -> str:
        """The policy in one line, for reports."""
        parts = [f"fail on {', '.join(s.value for s in Severity if s in self.fail_on) or 'nothing'}"]
        if self.fail_types:
            parts.append(f"and on {', '.join(sorted(t.value for t in self.fail_types))}")
        if self.ignore_types:
            parts.append(f"except {', '.join(sorted(t.value for t in self.ignore_types))}")
        return " ".join(parts)


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


def _where(err: str) -> str:
    """msgspec's `… - at `$.documents[0].path`` turned into `documents[0].path: …`."""
    message, sep, at = err.partition(" - at `$.")
    if sep:
        return f"{at.rstrip('`')}: {message}"
    return message


def _expand(root: Path, pattern: str, manifest: Path, key: str) -> list[Path]:
    full = pattern if os.path.isabs(pattern) else str(root / pattern)
    if glob.has_magic(pattern):
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


def _key(root: Path, path: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.resolve().as_posix()


def load_manifest(path: Path) -> Manifest:
    """Read and validate a manifest; every problem is one `ConfigError` naming the file and key."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such manifest") from None
    except IsADirectoryError:
        raise ConfigError(f"{path}: is a directory, not a manifest") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the manifest: {exc.strerror or exc}") from None
    try:
        raw = msgspec.toml.decode(data, type=_ManifestFile)
    except msgspec.ValidationError as exc:
        raise ConfigError(f"{path}: {_where(str(exc))}") from None
    except (msgspec.DecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    root = path.resolve().parent
    if not raw.documents:
        raise ConfigError(f"{path}: documents: the manifest lists no document ([[documents]] tables)")
    docs: list[DocumentSpec] = []
    seen: set[Path] = set()
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
                continue
            seen.add(doc.resolve())
            own = tuple(s for s in sources if s.resolve() != doc.resolve())
            if not own:
                raise ConfigError(f"{path}: documents[{k}].sources: {doc.name} has no source but itself")
            docs.append(DocumentSpec(doc, own, entry.mode == "whole", entry.reuse, _key(root, doc)))
    pol = raw.policy
    policy = Policy(frozenset(Severity(s) for s in pol.fail_on), frozenset(FindingType(t) for t in pol.fail_types),
                    frozenset(FindingType(t) for t in pol.ignore_types))
    baseline = root / pol.baseline if pol.baseline else None
    formats = tuple(dict.fromkeys(raw.reports.formats))
    return Manifest(path, root, policy, baseline, root / raw.reports.directory, formats, tuple(docs))


__all__ = ["MANIFEST_NAME", "REPORT_FORMATS", "DocumentSpec", "Manifest", "Policy", "find_manifest", "load_manifest"]
