"""The JSON report, schema `provenance.report/1`: the `Report` serialised, nothing more."""

from __future__ import annotations

import json
from collections import Counter
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from provenance.errors import InputError, read_named_file
from provenance.model import Finding, PassageResult, Report, Span, TranscriptionMetrics
from provenance.report.visible import escape_json
from provenance.text import line_col

SCHEMA_ID = "provenance.report/1"


def _version() -> str:
    from provenance import __version__

    return __version__


def span_dict(span: Span | None, starts: tuple[int, ...]) -> dict[str, int] | None:
    """A span with 1-based line and column of its start and end."""
    if span is None:
        return None
    line, column = line_col(starts, span.start)
    end_line, end_column = line_col(starts, span.end)
    return {"start": span.start, "end": span.end, "line": line, "column": column,
            "end_line": end_line, "end_column": end_column}


def finding_dict(f: Finding, doc_lines: tuple[int, ...], src_lines: tuple[int, ...]) -> dict[str, Any]:
    return {
        "type": f.type.value,
        "severity": f.severity.value,
        "impact": [i.value for i in f.impact],
        "doc_span": span_dict(f.doc_span, doc_lines),
        "src_span": span_dict(f.src_span, src_lines),
        "doc_text": f.doc_text,
        "src_text": f.src_text,
        "message": f.message,
    }


def passage_dict(r: PassageResult, report: Report) -> dict[str, Any]:
    doc_lines = report.line_starts.get("document", (0,))
    match = None
    src_lines: tuple[int, ...] = (0,)
    if r.match is not None:
        src_id = report.sources[r.match.source].id
        src_lines = report.line_starts.get(src_id, (0,))
        match = {"source": src_id, "src_span": span_dict(r.match.span, src_lines),
                 "similarity": r.match.similarity, "text": r.match.text}
    return {
        "id": r.id,
        "kind": r.passage.kind.value,
        "doc_span": span_dict(r.passage.span, doc_lines),
        "text": r.text,
        "attribution": r.passage.attribution,
        "match": match,
        "verdict": r.verdict.value,
        "findings": [finding_dict(f, doc_lines, src_lines) for f in r.findings],
    }


def summary_dict(report: Report) -> dict[str, Any]:
    verdicts = Counter(r.verdict.value for r in report.passages)
    types = Counter(f.type.value for r in report.passages for f in r.findings)
    severities = Counter(f.severity.value for r in report.passages for f in r.findings)
    return {"passages": len(report.passages), "by_verdict": dict(verdicts), "by_type": dict(types),
            "by_severity": dict(severities)}


def metrics_dict(metrics: TranscriptionMetrics) -> dict[str, Any]:
    """Error rates of a whole-document comparison: the source measured against, eight figures."""
    return {
        "reference": metrics.reference,
        "rates": [{"measure": r.measure, "definition": r.definition, "matches": r.matches,
                   "normalized": r.normalized, "rate": r.rate, "errors": r.errors,
                   "substitutions": r.substitutions, "deletions": r.deletions, "insertions": r.insertions,
                   "hits": r.hits, "reference_length": r.reference_length,
                   "hypothesis_length": r.hypothesis_length} for r in metrics.rates],
    }


def report_dict(report: Report, *, timestamp: str | None = None) -> dict[str, Any]:
    """The report as plain JSON-ready data."""
    doc = report.document
    data: dict[str, Any] = {
        "schema": SCHEMA_ID,
        "tool": {"name": "provenance", "version": _version()},
        "document": {"path": doc.path, "sha256": doc.sha256, "chars": doc.chars, "encoding": doc.encoding},
        "sources": [{"id": s.id, "path": s.path, "sha256": s.sha256, "chars": s.chars, "encoding": s.encoding}
                    for s in report.sources],
        "passages": [passage_dict(r, report) for r in report.passages],
        "summary": summary_dict(report),
    }
    if report.metrics is not None:
        data["metrics"] = metrics_dict(report.metrics)
    if timestamp is not None:
        data["generated_at"] = timestamp
    return data


def render_json(report: Report, *, timestamp: str | None = None) -> str:
    """The JSON report as text: keys sorted, non-ASCII kept (but invisible and bidi-control
    characters written as `\\u` escapes, so that the file cannot reorder itself), one trailing newline."""
    text = json.dumps(report_dict(report, timestamp=timestamp), ensure_ascii=False, sort_keys=True, indent=2)
    return escape_json(text) + "\n"


@lru_cache(maxsize=1)
def report_schema() -> dict[str, Any]:
    """The JSON Schema of the report, shipped in the package."""
    text = resources.files("provenance").joinpath("schema/report.schema.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def read_report(path: Path) -> dict[str, Any]:
    """Read a JSON report back and check it against the schema; a bad file is one `InputError` line."""
    import jsonschema

    raw = read_named_file(path, "report", InputError)
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: not a JSON report ({exc})") from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA_ID:
        found = data.get("schema") if isinstance(data, dict) else type(data).__name__
        raise InputError(f"{path}: not a provenance report (schema {found!r}, expected {SCHEMA_ID!r})")
    error = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(report_schema()).iter_errors(data))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(top)"
        raise InputError(f"{path}: invalid report at {where}: {error.message[:200]}")
    return data


__all__ = ["SCHEMA_ID", "read_report", "render_json", "report_dict", "report_schema"]
