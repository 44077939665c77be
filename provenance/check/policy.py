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
from typing import Literal

import msgspec

from provenance.decode import utf8_without_bom
from provenance.errors import ConfigError, config_error, read_named_file
from provenance.model import FindingType, Severity
from provenance.report.records import FindingRecord, MetricsRecord, PassageRecord, ReportRecord
from provenance.report.visible import escape_json

BASELINE_SCHEMA = "provenance.baseline/1"
CONTEXT_WORDS = 4
Status = Literal["fail", "baselined", "pass"]


@dataclass(frozen=True, slots=True)
class Policy:
    """Which findings fail a check. The comparator reports every difference; this decides."""

    fail_on: frozenset[Severity] = frozenset({Severity.WARNING, Severity.ERROR})
    fail_types: frozenset[FindingType] = frozenset()
    ignore_types: frozenset[FindingType] = frozenset()
    require_reasons: bool = False
    """Whether a baseline entry accepts a finding only with a reason written (`policy.require_reasons`)."""
    max_cer: float | None = None
    """The highest character error rate a whole transcription may have (`mode = "whole"`), or no limit."""
    max_wer: float | None = None
    """The highest word error rate a whole transcription may have, or no limit."""
    rates_normalized: bool = True
    """Whether the limits apply to the normalised rates (case, quotation marks, dashes, spacing folded
    first: only real slips count) or to the raw ones; either way jiwer's definitions (`codepoints`,
    `whitespace`)."""

    def fails(self, kind: FindingType | str, severity: Severity | str) -> bool:
        """Whether a finding of this type and severity (the enums, or their spellings) breaks the policy."""
        kind = FindingType(kind)
        if kind in self.ignore_types:
            return False
        return kind in self.fail_types or Severity(severity) in self.fail_on

    def describe(self) -> str:
        """The policy in one line, for reports."""
        parts = [f"fail on {', '.join(s.value for s in Severity if s in self.fail_on) or 'nothing'}"]
        if self.fail_types:
            parts.append(f"and on {', '.join(sorted(t.value for t in self.fail_types))}")
        if self.ignore_types:
            parts.append(f"except {', '.join(sorted(t.value for t in self.ignore_types))}")
        limits = [f"{m.upper()} over {limit:g}" for m, limit in (("cer", self.max_cer), ("wer", self.max_wer))
                  if limit is not None]
        if limits:
            parts.append(f"and on transcriptions with {' or '.join(limits)}"
                         f" ({'normalised' if self.rates_normalized else 'raw'})")
        described = " ".join(parts)
        return f"{described}; accepted findings need a reason" if self.require_reasons else described

    def limit(self, measure: str) -> float | None:
        """The policy's limit of an error rate, `cer` or `wer` (None: no limit)."""
        return self.max_cer if measure == "cer" else self.max_wer if measure == "wer" else None


RATE_DEFINITION = {"cer": "codepoints", "wer": "whitespace"}
"""The definition of each error rate a policy limits: jiwer's, the figure most often quoted."""


@dataclass(frozen=True, slots=True)
class RateBreach:
    """A whole transcription whose error rate is over the policy's limit."""

    measure: str
    """`cer` or `wer`."""
    rate: float
    limit: float
    definition: str
    normalized: bool

    @property
    def option(self) -> str:
        """The policy key that sets the limit: `max_cer`, `max_wer`."""
        return f"max_{self.measure}"

    def describe(self) -> str:
        """`CER 0.0312 is over max_cer 0.02 (codepoints, normalised)`."""
        text = "normalised" if self.normalized else "raw"
        return (f"{self.measure.upper()} {self.rate:.4f} is over {self.option} {self.limit:g} "
                f"({self.definition}, {text})")


def rate_breaches(report: ReportRecord, policy: Policy) -> tuple[RateBreach, ...]:
    """The error rates of a whole transcription's report that are over the policy's limits (none for a
    report without rates: a document checked for its quotations)."""
    if not isinstance(report.metrics, MetricsRecord):
        return ()
    out = []
    for measure, definition in RATE_DEFINITION.items():
        limit = policy.limit(measure)
        if limit is None:
            continue
        for r in report.metrics.rates:
            if (r.measure == measure and r.definition == definition and r.normalized == policy.rates_normalized
                    and r.rate is not None and r.rate > limit):
                out.append(RateBreach(measure, r.rate, limit, definition, r.normalized))
    return tuple(out)



def _words(text: str) -> list[str]:
    """The words of a text, case folded, for a fingerprint."""
    return text.casefold().split()


def fingerprint_key(passage: PassageRecord, finding: FindingRecord) -> str:
    """The stable hash of one finding (without the occurrence suffix)."""
    text = passage.text
    base = passage.doc_span.start
    span = finding.doc_span or passage.doc_span
    rel_start = min(max(0, span.start - base), len(text))
    rel_end = min(max(rel_start, span.end - base), len(text))
    before = _words(text[:rel_start])[-CONTEXT_WORDS:]
    after = _words(text[rel_end:])[:CONTEXT_WORDS]
    source = passage.match.source if passage.match is not None else ""
    parts = [finding.type.value, source, " ".join(_words(finding.doc_text)),
             " ".join(_words(finding.src_text)), " ".join(before), " ".join(after)]
    # surrogatepass: a JSON report may hold a lone surrogate (`"\\ud800"`), which strict UTF-8 refuses
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:20]


def fingerprints(report: ReportRecord) -> list[list[str]]:
    """Fingerprints of every finding of a report, per passage, in report order."""
    seen: Counter[str] = Counter()
    out: list[list[str]] = []
    for passage in report.passages:
        row = []
        for finding in passage.findings:
            key = fingerprint_key(passage, finding)
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
    """The baseline file as it is written: its schema and the accepted findings."""

    schema: str
    findings: list[BaselineEntry] = msgspec.field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Baseline:
    """Known findings by (document, fingerprint)."""

    entries: tuple[BaselineEntry, ...] = ()

    def index(self) -> dict[tuple[str, str], BaselineEntry]:
        """The entries by (document, fingerprint)."""
        return {(e.document, e.fingerprint): e for e in self.entries}


def load_baseline(path: Path) -> Baseline:
    """Read a baseline file; a missing file is an empty baseline, a broken one a `ConfigError`."""
    if not Path(path).exists():
        return Baseline()
    data = utf8_without_bom(read_named_file(path, "baseline"), path, "baseline")
    try:
        raw = msgspec.json.decode(data, type=_BaselineFile)
    except msgspec.ValidationError as exc:
        raise config_error(path, exc, _BaselineFile) from None
    except RecursionError:  # msgspec decodes typed data without recursing; kept for a change of type
        raise ConfigError(f"{path}: not a baseline: arrays or objects nested too deep") from None
    except msgspec.DecodeError as exc:
        raise ConfigError(f"{path}: not a baseline (invalid JSON: {exc})") from None
    if raw.schema != BASELINE_SCHEMA:
        raise ConfigError(f"{path}: schema: expected {BASELINE_SCHEMA!r}, found {raw.schema!r}")
    return Baseline(tuple(raw.findings))


@dataclass(frozen=True, slots=True)
class FindingOutcome:
    """One finding of a report, with its fingerprint and its standing against the policy and baseline."""

    finding: FindingRecord
    fingerprint: str
    status: Status
    reason: str = ""
    """Why a baselined finding was accepted, as the baseline says."""
    unreasoned: bool = False
    """Whether the finding fails only because its baseline entry gives no reason (`require_reasons`)."""


@dataclass(frozen=True, slots=True)
class PassageOutcome:
    """One passage of a report with the outcome of each of its findings."""

    passage: PassageRecord
    findings: tuple[FindingOutcome, ...]

    @property
    def status(self) -> Status:
        """`fail` when a finding fails, else `baselined` when one is accepted in the baseline, else `pass`."""
        states = {f.status for f in self.findings}
        return "fail" if "fail" in states else "baselined" if "baselined" in states else "pass"

    def with_status(self, *statuses: Status) -> tuple[FindingOutcome, ...]:
        """The passage's findings whose status is one of `statuses`, in passage order."""
        return tuple(f for f in self.findings if f.status in statuses)


@dataclass(frozen=True, slots=True)
class DocumentOutcome:
    """One document's report with the outcome of each of its passages."""

    key: str
    """The document's name in the baseline (its path relative to the manifest)."""
    report: ReportRecord
    passages: tuple[PassageOutcome, ...]
    breaches: tuple[RateBreach, ...] = ()
    """A whole transcription's error rates over the policy's `max_cer` and `max_wer`: they fail the check
    too (no baseline accepts them: raise the limit, or correct the transcription)."""

    @property
    def failed(self) -> int:
        """Number of the document's findings that fail (its `breaches` are counted apart)."""
        return sum(1 for p in self.passages for f in p.findings if f.status == "fail")

    def failing(self) -> list[tuple[PassageRecord, FindingOutcome]]:
        """The document's failing findings with their passages, in report order."""
        return [(p.passage, f) for p in self.passages for f in p.with_status("fail")]


@dataclass(frozen=True, slots=True)
class CheckOutcome:
    """Every document's report with the policy applied and the baseline subtracted."""

    documents: tuple[DocumentOutcome, ...]
    policy: Policy
    stale: tuple[BaselineEntry, ...] = ()
    """Baseline entries that no finding matches any more (fixed, or changed beyond recognition)."""
    baseline_path: str | None = None
    generated_at: str | None = field(default=None)
    unchecked: tuple[BaselineEntry, ...] = ()
    """Baseline entries of documents this check did not compare: kept as they are by a baseline written from it."""

    @property
    def failed(self) -> int:
        """Number of findings that break the policy and are not in the baseline."""
        return sum(d.failed for d in self.documents)

    @property
    def breaches(self) -> int:
        """Number of error rates of whole transcriptions over the policy's limits."""
        return sum(len(d.breaches) for d in self.documents)

    @property
    def fails(self) -> bool:
        """Whether the check fails: a finding breaks the policy, or a transcription's error rate is over its limit."""
        return bool(self.failed or self.breaches)

    def counts(self) -> Counter[Status]:
        """Findings of every document by status."""
        return Counter(f.status for d in self.documents for p in d.passages for f in p.findings)


def _judge(finding: FindingRecord, fingerprint: str, key: str, policy: Policy,
           known: dict[tuple[str, str], BaselineEntry]) -> FindingOutcome:
    """The outcome of one finding of document `key`: allowed by the policy, accepted in the baseline, or failing."""
    if not policy.fails(finding.type, finding.severity):
        return FindingOutcome(finding, fingerprint, "pass")
    if (key, fingerprint) in known:
        reason = known[(key, fingerprint)].reason
        if policy.require_reasons and not reason.strip():
            return FindingOutcome(finding, fingerprint, "fail", unreasoned=True)
        return FindingOutcome(finding, fingerprint, "baselined", reason)
    return FindingOutcome(finding, fingerprint, "fail")


def _document_outcome(key: str, report: ReportRecord, policy: Policy,
                      known: dict[tuple[str, str], BaselineEntry]) -> DocumentOutcome:
    """One document's report with the policy applied and the baseline subtracted."""
    passages = tuple(
        PassageOutcome(passage, tuple(_judge(f, fp, key, policy, known)
                                      for f, fp in zip(passage.findings, prints, strict=True)))
        for passage, prints in zip(report.passages, fingerprints(report), strict=True))
    return DocumentOutcome(key, report, passages, rate_breaches(report, policy))


def evaluate(reports: Sequence[tuple[str, ReportRecord]], policy: Policy, baseline: Baseline | None = None, *,
             baseline_path: str | None = None, generated_at: str | None = None) -> CheckOutcome:
    """Apply a policy and a baseline to JSON reports given with their document keys."""
    known = (baseline or Baseline()).index()
    docs = tuple(_document_outcome(key, report, policy, known) for key, report in reports)
    used = {(d.key, f.fingerprint) for d in docs for p in d.passages for f in p.findings
            if f.status == "baselined" or f.unreasoned}
    checked = {key for key, _ in reports}
    stale = tuple(e for k, e in sorted(known.items()) if k not in used and e.document in checked)
    unchecked = tuple(e for _, e in sorted(known.items()) if e.document not in checked)
    return CheckOutcome(docs, policy, stale, baseline_path, generated_at, unchecked)


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
                entries.append(BaselineEntry(document=d.key, fingerprint=f.fingerprint, type=f.finding.type.value,
                                             doc_text=f.finding.doc_text, src_text=f.finding.src_text,
                                             reason=reasons.get((d.key, f.fingerprint), "")))
    unique = {(e.document, e.fingerprint): e for e in entries}
    ordered = [unique[k] for k in sorted(unique)]
    data = {"schema": BASELINE_SCHEMA, "findings": [msgspec.to_builtins(e) for e in ordered]}
    # invisible and bidi-control characters of quoted text as `\u202e` escapes: the file is reviewed in diffs
    return escape_json(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)) + "\n"


__all__ = [
    "BASELINE_SCHEMA", "Baseline", "Policy", "BaselineEntry", "CheckOutcome", "DocumentOutcome", "FindingOutcome",
    "PassageOutcome", "RateBreach", "evaluate", "baseline_from", "fingerprints", "load_baseline", "rate_breaches",
]
