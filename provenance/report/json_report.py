"""The JSON report, schema `provenance.report/1`: the `Report` as typed records (`records.py`),
serialised; and read back into the same records."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, cast

import msgspec

from provenance.errors import InputError, read_named_file, value_error_reason
from provenance.load.base import Extracted
from provenance.model import (
    ErrorRate,
    Finding,
    FindingType,
    PassageResult,
    Report,
    Span,
    TextInfo,
    TranscriptionMetrics,
)
from provenance.report.records import (
    SCHEMA_ID,
    ClaimRecord,
    DocumentRecord,
    ErrorRateRecord,
    FindingRecord,
    MatchRecord,
    Measure,
    MetricsRecord,
    NotCheckedRecord,
    OriginRecord,
    PassageRecord,
    ReferenceTool,
    ReportRecord,
    SourceRecord,
    SpanRecord,
    SummaryRecord,
    ToolRecord,
    UnitDefinition,
)
from provenance.report.visible import escape_json
from provenance.text import line_col

NO_LINES: Sequence[int] = (0,)
"""Line starts of a text the report has none for: everything on line 1."""


def _version() -> str:
    """The tool's version (imported late: `provenance/__init__` imports this module's package)."""
    from provenance import __version__

    return __version__


@dataclass(frozen=True, slots=True)
class Lines:
    """How to locate an offset of one text: its line starts, and for a file read from another
    format than plain text the reader's map back to the original."""

    starts: Sequence[int] = NO_LINES
    origin: Extracted | None = None


def origin_record(origin: Extracted, offset: int) -> OriginRecord | msgspec.UnsetType:
    """Where an offset of a text read from another format stands in the original file."""
    place = origin.place_of(offset)
    if place is None or not place.describe():
        return msgspec.UNSET
    given = {name: getattr(place, name) for name in ("page", "line", "column", "paragraph", "part", "cue")}
    return OriginRecord(where=place.describe(), **{k: v for k, v in given.items() if v is not None})


def span_record(span: Span, lines: Lines) -> SpanRecord:
    """A span with the 1-based line and column of its start and end, from the text's line starts,
    and where it starts in the original file when the text was read from another format."""
    line, column = line_col(lines.starts, span.start)
    end_line, end_column = line_col(lines.starts, span.end)
    origin = msgspec.UNSET if lines.origin is None else origin_record(lines.origin, span.start)
    return SpanRecord(start=span.start, end=span.end, line=line, column=column, end_line=end_line,
                      end_column=end_column, origin=origin)


def _optional_span(span: Span | None, lines: Lines) -> SpanRecord | None:
    """`span_record` of a span a finding may lack."""
    return None if span is None else span_record(span, lines)


def finding_record(finding: Finding, doc_lines: Lines, src_lines: Lines) -> FindingRecord:
    """A finding as the report gives it, its spans located in the document and in the source."""
    return FindingRecord(
        type=finding.type, severity=finding.severity, impact=finding.impact,
        doc_span=_optional_span(finding.doc_span, doc_lines), src_span=_optional_span(finding.src_span, src_lines),
        doc_text=finding.doc_text, src_text=finding.src_text, message=finding.message,
    )


def _lines_of(report: Report, id: str) -> Lines:
    return Lines(report.line_starts.get(id, NO_LINES), report.origins.get(id))


def passage_record(result: PassageResult, report: Report) -> PassageRecord:
    """One passage of a report with its match and its findings."""
    doc_lines = _lines_of(report, "document")
    match = None
    src_lines = Lines()
    if result.match is not None:
        source_id = report.sources[result.match.source].id
        src_lines = _lines_of(report, source_id)
        match = MatchRecord(source=source_id, src_span=span_record(result.match.span, src_lines),
                            similarity=result.match.similarity, text=result.match.text,
                            meaning=msgspec.UNSET if result.match.meaning is None else result.match.meaning,
                            model=result.match.model or msgspec.UNSET)
    return PassageRecord(
        id=result.id, kind=result.passage.kind, doc_span=span_record(result.passage.span, doc_lines),
        text=result.text, attribution=result.passage.attribution, match=match, verdict=result.verdict,
        findings=tuple(finding_record(f, doc_lines, src_lines) for f in result.findings),
        claim=claim_record(result, report, doc_lines),
    )


def claim_record(result: PassageResult, report: Report, doc_lines: Lines) -> ClaimRecord | msgspec.UnsetType:
    """The passage's claim, with the source it names, where the words were found and whether the
    two agree: False with a misattribution among its findings or words found elsewhere than the
    cited source, True when found in it, None for a cue or credit that could not be contradicted."""
    claim = result.claim
    if claim is None:
        return msgspec.UNSET
    cites = report.sources[claim.source].id if claim.source is not None else None
    found = report.sources[result.match.source].id if result.match is not None else None
    wrong = any(f.type is FindingType.MISATTRIBUTION for f in result.findings)
    if wrong or (cites is not None and found != cites):
        agrees: bool | None = False
    elif cites is not None:
        agrees = True
    else:
        agrees = None
    return ClaimRecord(kind=claim.kind, text=claim.text, doc_span=span_record(claim.span, doc_lines),
                       entry=claim.entry, cites=cites, speaker=claim.speaker, found_in=found, agrees=agrees)


def summary_record(report: Report) -> SummaryRecord:
    """Counts of the report's passages by verdict and of its findings by type and by severity."""
    findings = [f for r in report.passages for f in r.findings]
    return SummaryRecord(passages=len(report.passages), by_verdict=dict(Counter(r.verdict for r in report.passages)),
                         by_type=dict(Counter(f.type for f in findings)),
                         by_severity=dict(Counter(f.severity for f in findings)))


def _error_rate_record(rate: ErrorRate) -> ErrorRateRecord:
    """One error rate with the counts behind it."""
    return ErrorRateRecord(
        measure=cast(Measure, rate.measure), definition=cast(UnitDefinition, rate.definition),
        matches=cast(ReferenceTool, rate.matches),
        normalized=rate.normalized, rate=rate.rate, errors=rate.errors, substitutions=rate.substitutions,
        deletions=rate.deletions, insertions=rate.insertions, hits=rate.hits,
        reference_length=rate.reference_length, hypothesis_length=rate.hypothesis_length,
    )


def metrics_record(metrics: TranscriptionMetrics) -> MetricsRecord:
    """Error rates of a whole-document comparison: the source measured against, eight figures."""
    return MetricsRecord(reference=metrics.reference, rates=tuple(_error_rate_record(r) for r in metrics.rates))


def read_fields(info: TextInfo) -> dict[str, Any]:
    """How a file other than plain text was read, as the report's file records give it (nothing for plain text)."""
    if info.format == "text" and not info.metadata and not info.warnings:
        return {}
    fields: dict[str, Any] = {"format": info.format, "extractor": info.extractor}
    if info.ocr:
        fields["ocr"] = True
    if info.metadata:
        fields["metadata"] = dict(info.metadata)
    if info.warnings:
        fields["warnings"] = info.warnings
    if info.removed:
        fields["removed"] = info.removed
    return fields


def _source_record(source: TextInfo) -> SourceRecord:
    """A source as the report lists it."""
    return SourceRecord(id=source.id, path=source.path, sha256=source.sha256, chars=source.chars,
                        encoding=source.encoding, **read_fields(source))


def report_record(report: Report, *, timestamp: str | None = None) -> ReportRecord:
    """The report as the typed records of the JSON report; `timestamp` becomes `generated_at`."""
    doc = report.document
    return ReportRecord(
        schema=SCHEMA_ID,
        tool=ToolRecord(name="provenance", version=_version()),
        document=DocumentRecord(path=doc.path, sha256=doc.sha256, chars=doc.chars, encoding=doc.encoding,
                                **read_fields(doc)),
        sources=tuple(_source_record(s) for s in report.sources),
        passages=tuple(passage_record(r, report) for r in report.passages),
        summary=summary_record(report),
        metrics=msgspec.UNSET if report.metrics is None else metrics_record(report.metrics),
        not_checked=tuple(NotCheckedRecord(text=n.text, doc_span=span_record(n.span, _lines_of(report, "document")),
                                           reason=n.reason) for n in report.not_checked) or msgspec.UNSET,
        generated_at=msgspec.UNSET if timestamp is None else timestamp,
    )


_SURROGATE_RE = re.compile("[\ud800-\udfff]")
"""A lone surrogate: how Python holds a byte of a file name that is not UTF-8 (`os.fsdecode`)."""


def encode_report(record: ReportRecord) -> str:
    """A report record as JSON text: keys sorted, non-ASCII kept (but invisible and bidi-control
    characters written as `\\u` escapes, so that the file cannot reorder itself), one trailing newline.
    A lone surrogate (a path that is not UTF-8) is written as its `\\udcff` escape, which UTF-8 can
    encode and which reads back as the same string."""
    text = json.dumps(msgspec.to_builtins(record), ensure_ascii=False, sort_keys=True, indent=2)
    return _SURROGATE_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", escape_json(text)) + "\n"


def render_json(report: Report, *, timestamp: str | None = None) -> str:
    """The JSON report of a comparison as text (see `encode_report`)."""
    return encode_report(report_record(report, timestamp=timestamp))


@lru_cache(maxsize=1)
def report_schema() -> dict[str, Any]:
    """The JSON Schema of the report, shipped in the package."""
    text = resources.files("provenance").joinpath("schema/report.schema.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


_ERROR_PLACE_RE = re.compile(r" - at (`key` in )?`\$([^`]*)`$")
"""The end of a msgspec validation message: where the bad value is (`$.passages[0].verdict`)."""


def _error_place(exc: msgspec.ValidationError) -> tuple[str, str]:
    """Where in the report a validation error is, spelled `passages/0/verdict` (`(top)` for the whole
    report), and what it says."""
    text = str(exc)
    found = _ERROR_PLACE_RE.search(text)
    if found is None:
        return "(top)", text
    steps = [step for step in re.split(r"[.\[\]]+", found.group(2)) if step]
    message = text[:found.start()] + (" (a key)" if found.group(1) else "")
    return "/".join(steps) or "(top)", message


def read_report(path: Path) -> ReportRecord:
    """Read a JSON report back into its records; a file that is not one is one `InputError` line."""
    raw = read_named_file(path, "report", InputError)
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except RecursionError:
        raise InputError(f"{path}: not a JSON report: arrays or objects nested too deep") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not a JSON report ({exc})") from None
    except ValueError as exc:  # not JSON, or a number of over 4,300 digits
        raise InputError(f"{path}: not a JSON report ({value_error_reason(exc)})") from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA_ID:
        found = data.get("schema") if isinstance(data, dict) else type(data).__name__
        raise InputError(f"{path}: not a provenance report (schema {found!r}, expected {SCHEMA_ID!r})")
    try:
        return msgspec.convert(data, type=ReportRecord)
    except msgspec.ValidationError as exc:
        where, message = _error_place(exc)
        raise InputError(f"{path}: invalid report at {where}: {message[:200]}") from None


__all__ = ["SCHEMA_ID", "encode_report", "read_report", "render_json", "report_record", "report_schema"]
