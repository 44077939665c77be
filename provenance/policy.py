"""Policy and baseline: which findings of a JSON report fail a check, and which are already known.

A finding's identity (its fingerprint) is made of what it says and of the words around it inside
its passage: its type, the source, the document's and the source's words, and up to four words on
each side. Offsets are not part of it, so a finding keeps its identity when unrelated text around
it is added, removed or moved. Two findings alike in all of these within one document are told
apart by their order (`…/2`).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import msgspec

from provenance.errors import ConfigError, config_error, read_named_file
from provenance.model import FindingType, Severity

BASELINE_SCHEMA = "provenance.baseline/1"
CONTEXT_WORDS = 4
Status = Literal["fail", "baselined", "pass"]


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



def _words(text: str) -> list[str]:
    return text.casefold().split()


def fingerprint_key(passage: dict[str, Any], finding: dict[str, Any]) -> str:
    """The stable hash of one finding (without the occurrence suffix)."""
    text: str = passage["text"]
    base: int = passage["doc_span"]["start"]
    span = finding.get("doc_span") or passage["doc_span"]
    rel_start = min(max(0, span["start"] - base), len(text))
    rel_end = min(max(rel_start, span["end"] - base), len(text))
    before = _words(text[:rel_start])[-CONTEXT_WORDS:]
    after = _words(text[rel_end:])[:CONTEXT_WORDS]
    match = passage.get("match") or {}
    parts = [finding["type"], str(match.get("source", "")), " ".join(_words(finding["doc_text"])),
             " ".join(_words(finding["src_text"])), " ".join(before), " ".join(after)]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:20]


def fingerprints(report: dict[str, Any]) -> list[list[str]]:
    """Fingerprints of every finding of a report, per passage, in report order."""
    seen: Counter[str] = Counter()
    out: list[list[str]] = []
    for p in report["passages"]:
        row = []
        for f in p["findings"]:
            key = fingerprint_key(p, f)
            seen[key] += 1
            row.append(key if seen[key] == 1 else f"{key}/{seen[key]}")
        out.append(row)
    return out


class BaselineEntry(msgspec.Struct, forbid_unknown_fields=True, kw_only=True, frozen=True):
    """A finding accepted as it is, with the reason it was accepted."""

    document: str
    fingerprint: str
    type: str
    doc_text: str = ""
    src_text: str = ""
    reason: str = ""


class _BaselineFile(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    schema: str
    findings: list[BaselineEntry] = msgspec.field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Baseline:
    """Known findings by (document, fingerprint)."""

    entries: tuple[BaselineEntry, ...] = ()

    def index(self) -> dict[tuple[str, str], BaselineEntry]:
        return {(e.document, e.fingerprint): e for e in self.entries}


def load_baseline(path: Path) -> Baseline:
    """Read a baseline file; a missing file is an empty baseline, a broken one a `ConfigError`."""
    if not Path(path).exists():
        return Baseline()
    data = read_named_file(path, "baseline")
    try:
        raw = msgspec.json.decode(data, type=_BaselineFile)
    except msgspec.ValidationError as exc:
        raise config_error(path, exc) from None
    except msgspec.DecodeError as exc:
        raise ConfigError(f"{path}: not a baseline (invalid JSON: {exc})") from None
    if raw.schema != BASELINE_SCHEMA:
        raise ConfigError(f"{path}: schema: expected {BASELINE_SCHEMA!r}, found {raw.schema!r}")
    return Baseline(tuple(raw.findings))


@dataclass(frozen=True, slots=True)
class FindingOutcome:
    finding: dict[str, Any]
    fingerprint: str
    status: Status
    reason: str = ""
    """Why a baselined finding was accepted, as the baseline says."""


@dataclass(frozen=True, slots=True)
class PassageOutcome:
    passage: dict[str, Any]
    findings: tuple[FindingOutcome, ...]

    @property
    def status(self) -> Status:
        states = {f.status for f in self.findings}
        return "fail" if "fail" in states else "baselined" if "baselined" in states else "pass"


@dataclass(frozen=True, slots=True)
class DocumentOutcome:
    key: str
    """The document's name in the baseline (its path relative to the manifest)."""
    report: dict[str, Any]
    passages: tuple[PassageOutcome, ...]

    @property
    def failed(self) -> int:
        return sum(1 for p in self.passages for f in p.findings if f.status == "fail")


@dataclass(frozen=True, slots=True)
class CheckOutcome:
    """Every document's report with the policy applied and the baseline subtracted."""

    documents: tuple[DocumentOutcome, ...]
    policy: Policy
    stale: tuple[BaselineEntry, ...] = ()
    """Baseline entries that no finding matches any more (fixed, or changed beyond recognition)."""
    baseline_path: str | None = None
    generated_at: str | None = field(default=None)

    @property
    def failed(self) -> int:
        """Number of findings that break the policy and are not in the baseline."""
        return sum(d.failed for d in self.documents)

    def counts(self) -> Counter[Status]:
        return Counter(f.status for d in self.documents for p in d.passages for f in p.findings)


def evaluate(reports: Sequence[tuple[str, dict[str, Any]]], policy: Policy, baseline: Baseline | None = None, *,
             baseline_path: str | None = None, generated_at: str | None = None) -> CheckOutcome:
    """Apply a policy and a baseline to JSON reports given with their document keys."""
    known = (baseline or Baseline()).index()
    used: set[tuple[str, str]] = set()
    docs: list[DocumentOutcome] = []
    for key, report in reports:
        passages: list[PassageOutcome] = []
        for p, prints in zip(report["passages"], fingerprints(report), strict=True):
            outcomes: list[FindingOutcome] = []
            for f, fp in zip(p["findings"], prints, strict=True):
                if not policy.fails(f["type"], f["severity"]):
                    outcomes.append(FindingOutcome(f, fp, "pass"))
                elif (key, fp) in known:
                    used.add((key, fp))
                    outcomes.append(FindingOutcome(f, fp, "baselined", known[(key, fp)].reason))
                else:
                    outcomes.append(FindingOutcome(f, fp, "fail"))
            passages.append(PassageOutcome(p, tuple(outcomes)))
        docs.append(DocumentOutcome(key, report, tuple(passages)))
    checked = {key for key, _ in reports}
    stale = tuple(e for k, e in sorted(known.items()) if k not in used and e.document in checked)
    return CheckOutcome(tuple(docs), policy, stale, baseline_path, generated_at)


def baseline_from(outcome: CheckOutcome, previous: Baseline | None = None,
                  keep: Iterable[BaselineEntry] = ()) -> str:
    """The baseline file that accepts every finding breaking the policy today.

    Reasons written in `previous` are kept for findings that are still there; entries in `keep`
    (documents not checked in this run) are carried over unchanged.
    """
    reasons = {(e.document, e.fingerprint): e.reason for e in (previous.entries if previous else ())}
    entries = list(keep)
    for d in outcome.documents:
        for p in d.passages:
            for f in p.findings:
                if f.status == "pass":
                    continue
                entries.append(BaselineEntry(document=d.key, fingerprint=f.fingerprint, type=f.finding["type"],
                                             doc_text=f.finding["doc_text"], src_text=f.finding["src_text"],
                                             reason=reasons.get((d.key, f.fingerprint), "")))
    unique = {(e.document, e.fingerprint): e for e in entries}
    ordered = [unique[k] for k in sorted(unique)]
    data = {"schema": BASELINE_SCHEMA, "findings": [msgspec.to_builtins(e) for e in ordered]}
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


__all__ = [
    "BASELINE_SCHEMA", "Baseline", "Policy", "BaselineEntry", "CheckOutcome", "DocumentOutcome", "FindingOutcome",
    "PassageOutcome", "evaluate", "baseline_from", "fingerprints", "load_baseline",
]
