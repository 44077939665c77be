"""SARIF 2.1.0, for code-scanning services: one rule per finding type, one result per finding carried
(by default only those that fail the check: `SarifLevel`), located on the document with line and
column (code points), the source as a related location, and a message for every one."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote_from_bytes

from provenance.check.policy import CheckOutcome, DocumentOutcome, FindingOutcome
from provenance.model import FindingType, Severity
from provenance.report.formats import SarifLevel
from provenance.report.marks import impacts, location, one_line, visible
from provenance.report.records import PassageRecord, SpanRecord
from provenance.report.visible import escape_json
from provenance.taxonomy import is_whole_passage, rule_of

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
MAX_RESULTS = 25_000
"""GitHub code scanning takes at most this many results per run; beyond it, the findings that pass
the policy are left out first, then the rest in document order (the count is in the run's properties)."""
NEWLINE_SEQUENCES = ("\r\n", "\r", "\n")
"""What ends a line in the regions, as in the JSON report: SARIF's default (CRLF and LF) would put every
line of an old Mac file (CR alone) on line 1. U+2028, U+2029 and NEL end no line."""
LEVEL = {Severity.INFO.value: "note", Severity.WARNING.value: "warning", Severity.ERROR.value: "error"}

def _rule(kind: FindingType) -> dict[str, Any]:
    """The SARIF rule of a finding type, from the taxonomy."""
    rule = rule_of(kind)
    return {
        "id": kind.value,
        "name": rule.rule_name,
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.description},
        "help": {"text": f"{rule.description} Compare the document with the source and restore the source's "
                         "words, or mark the change (brackets, an ellipsis), or accept it in the baseline with a "
                         "reason."},
        "defaultConfiguration": {"level": LEVEL[rule.severity.value]},
        "properties": {"tags": ["provenance", rule.severity.value]},
    }


def _region(span: SpanRecord) -> dict[str, Any]:
    """A span as a SARIF region: 1-based lines and columns, and the code-point offset and length."""
    end_line, end_column = span.end_position
    return {"startLine": span.line, "startColumn": span.column, "endLine": end_line, "endColumn": end_column,
            "charOffset": span.start, "charLength": span.end - span.start}


_LINK_RE = re.compile(r"\\*\](?=\()|[{}]")
"""What a SARIF viewer reads as markup in a plain-text message (SARIF 2.1.0, 3.11.5 and 3.11.6): a
`[text](1)` is an embedded link to a related location (`[text](https://…)` to anywhere), and `{0}` a
placeholder. A `]` before `(` is escaped with a backslash (and so is each backslash before it), so that
no link can start from document text; brackets elsewhere may stay literal (3.11.6). Braces are doubled,
as 3.11.5 requires of every message."""


def _unlink(m: re.Match[str]) -> str:
    found = m.group()
    if found in "{}":
        return found * 2
    return found[:-1].replace("\\", "\\\\") + "\\]"


_DATE_TIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
"""A date and time as SARIF's `date-time` properties take it (RFC 3339)."""


def plain_text(text: str) -> str:
    """Text for a SARIF plain-text message: on one line, its invisible and control characters shown by code
    point (as in every format), escaped so that it holds no embedded link and no placeholder."""
    return _LINK_RE.sub(_unlink, one_line(text, len(text) + 1))


def _quoted(text: str, limit: int = 200) -> str:
    """Text of a finding in quotation marks, on one line; white space alone, or nothing, said in words
    (a message never shows empty quotation marks)."""
    shown = one_line(text, limit)
    if shown.strip():
        return f"“{shown}”"
    return "white space" if text else "nothing"


def _message(fo: FindingOutcome, passage: PassageRecord) -> str:
    """The result's message: type, passage, what the source and the document say, and any change of meaning."""
    f = fo.finding
    impact = f" Changes the meaning ({impacts(f)})." if f.impact else ""
    if is_whole_passage(f.type):
        text = f": {_quoted(f.doc_text)}" if f.doc_text.strip() else ""
        return plain_text(f"{f.type.value} ({passage.id}): {one_line(f.message, 500)}{text}.{impact}")
    if f.src_text and f.doc_text:
        what = f"source {_quoted(f.src_text)} → document {_quoted(f.doc_text)}"
    elif f.src_text:
        what = f"source {_quoted(f.src_text)} left out"
    elif f.doc_text:
        what = f"document adds {_quoted(f.doc_text)}"
    else:
        what = "at this place"
    return plain_text(f"{f.type.value} ({passage.id}): {what}: {one_line(f.message, 500)}.{impact}")


def _location(uri: str, span: SpanRecord) -> dict[str, Any]:
    """A physical location: a file and a region of it."""
    return {"physicalLocation": {"artifactLocation": {"uri": uri}, "region": _region(span)}}


_DRIVE_RE = re.compile(r"^[A-Za-z]:/")


def artifact_uri(path: str) -> str:
    """A report's path as an RFC 3986 URI reference, which `urllib.parse.unquote` turns back into the path.

    Every character but unreserved ones and `/` is percent-encoded as UTF-8 (`notes#2.md` is
    `notes%232.md`; a `#` would start a fragment, a `%` an escape, a `:` in the first segment a
    scheme); a byte of a file name that is not UTF-8 (decoded as a lone surrogate) keeps its value.
    A backslash is a Windows separator; an absolute path becomes a `file:` URI
    (`C:\\x\\a.md` is `file:///C:/x/a.md`, `\\\\host\\share\\a.md` is `file://host/share/a.md`)."""
    slashed = path.replace("\\", "/")
    try:
        raw = slashed.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a lone surrogate that no file name's byte gives (from a JSON report)
        raw = slashed.encode("utf-8", "surrogatepass")
    encoded = quote_from_bytes(raw, safe="/")
    if _DRIVE_RE.match(slashed):
        return "file:///" + slashed[:2] + encoded[4:]  # the drive's colon (quoted as %3A) is kept
    if slashed.startswith("//") and not path.startswith("/"):
        return "file:" + encoded  # a UNC path: the host is the authority
    if slashed.startswith("/"):
        return "file://" + encoded
    return encoded


def _result(document: DocumentOutcome, passage: PassageRecord, fo: FindingOutcome) -> dict[str, Any]:
    """One finding as a SARIF result, located on the document, its source as a related location, a
    baselined finding suppressed with its reason."""
    f = fo.finding
    result: dict[str, Any] = {
        "ruleId": f.type.value,
        "level": LEVEL[f.severity.value],
        "kind": "fail" if fo.status != "pass" else "informational",
        "message": {"text": _message(fo, passage)},
        "locations": [_location(artifact_uri(document.report.document.path), location(passage, f))],
        "partialFingerprints": {"provenanceFinding/v1": f"{document.key}:{fo.fingerprint}"},
        "properties": {"passage": passage.id, "verdict": passage.verdict.value, "severity": f.severity.value,
                       "impact": [i.value for i in f.impact], "status": fo.status},
    }
    sources = {s.id: artifact_uri(s.path) for s in document.report.sources}
    match = passage.match
    if match is not None and match.source in sources:  # the finding's place in the source, else the passage's
        span, what = (f.src_span, "") if f.src_span is not None else (match.src_span, "the passage in ")
        result["relatedLocations"] = [{"id": 1, "message": {"text": plain_text(f"{what}source {match.source}")},
                                       **_location(sources[match.source], span)}]
    if fo.status == "baselined":
        result["suppressions"] = [{"kind": "external", "status": "accepted",
                                   "justification": fo.reason or "accepted in the baseline"}]
    return result


RATE_RULE = "transcription_error_rate"
"""The rule of a whole transcription whose error rate is over the policy's `max_cer` or `max_wer`."""


def _rate_rule() -> dict[str, Any]:
    """The SARIF rule of error rates over the policy's limits."""
    return {
        "id": RATE_RULE,
        "name": "TranscriptionErrorRate",
        "shortDescription": {"text": "Transcription error rate over the policy's limit"},
        "fullDescription": {"text": "The character or word error rate of a whole transcription against its "
                                    "source is over the policy's max_cer or max_wer."},
        "help": {"text": "Correct the transcription against its source (the findings list each slip), or raise "
                         "the limit in the manifest's policy."},
        "defaultConfiguration": {"level": "error"},
        "properties": {"tags": ["provenance", "error"]},
    }


def _rate_results(document: DocumentOutcome) -> list[dict[str, Any]]:
    """Each error rate of a whole transcription over its limit, as a result on the document's first line."""
    uri = artifact_uri(document.report.document.path)
    reference = document.report.metrics.reference if document.report.metrics else ""
    return [{
        "ruleId": RATE_RULE,
        "level": "error",
        "kind": "fail",
        "message": {"text": plain_text(f"{RATE_RULE}: against {reference}: {b.describe()}.")},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}, "region": {"startLine": 1}}}],
        "partialFingerprints": {"provenanceFinding/v1": f"{document.key}:{b.option}"},
        "properties": {"status": "fail", "measure": b.measure, "rate": b.rate, "limit": b.limit,
                       "definition": b.definition, "normalized": b.normalized},
    } for b in document.breaches]


def _within_limit(results: list[dict[str, Any]], max_results: int) -> list[dict[str, Any]]:
    """At most `max_results` results: those that pass the policy are left out first, then the last ones."""
    if len(results) <= max_results:
        return results
    keep = sorted(range(len(results)), key=lambda k: (results[k]["properties"]["status"] == "pass", k))
    return [results[k] for k in sorted(keep[:max_results])]


def carried(fo: FindingOutcome, level: SarifLevel) -> bool:
    """Whether a SARIF report at `level` carries this finding."""
    if level is SarifLevel.all or fo.status == "fail":
        return True
    return level is SarifLevel.warning and (fo.status == "baselined" or fo.finding.severity is not Severity.INFO)


def sarif_dict(outcome: CheckOutcome, *, level: SarifLevel = SarifLevel.failing,
               max_results: int = MAX_RESULTS) -> dict[str, Any]:
    """The SARIF log as plain data: one rule per finding type carried, one result per finding carried
    (at `level`: by default those that fail the check)."""
    every = [r for d in outcome.documents for r in _rate_results(d)]
    every += [_result(d, p.passage, fo) for d in outcome.documents for p in d.passages for fo in p.findings
              if carried(fo, level)]
    results = _within_limit(every, max_results)
    used = {r["ruleId"] for r in results}
    rules = [_rule(k) for k in FindingType if k.value in used] + ([_rate_rule()] if RATE_RULE in used else [])
    index = {r["id"]: k for k, r in enumerate(rules)}
    for r in results:
        r["ruleIndex"] = index[r["ruleId"]]
    version = outcome.documents[0].report.tool.version if outcome.documents else "0"
    run: dict[str, Any] = {
        "tool": {"driver": {"name": "provenance", "version": version, "semanticVersion": version,
                            "rules": rules}},
        "columnKind": "unicodeCodePoints",
        "results": results,
        "properties": {"policy": outcome.policy.describe(), "failed": outcome.failed, "level": level.value,
                       "errorRatesOverLimit": outcome.breaches,
                       "omittedResults": len(every) - len(results)},
    }
    if outcome.generated_at and _DATE_TIME_RE.match(outcome.generated_at):  # a report's own, maybe not a time
        run["invocations"] = [{"executionSuccessful": True, "endTimeUtc": outcome.generated_at}]
    run = _visible_strings(run)
    run["newlineSequences"] = list(NEWLINE_SEQUENCES)  # after `_visible_strings`, which shows a lone CR as LF
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def _visible_strings(data: Any) -> Any:
    """Every string of the log with the characters `visible` shows spelled out (idempotent on text already
    shown): a path as a fingerprint, a reason, a version from a report, whatever it holds, is shown as
    it is in every other format and can be written as UTF-8. URIs are percent-encoded already."""
    if isinstance(data, str):
        return visible(data)
    if isinstance(data, dict):
        return {k: v if k == "uri" else _visible_strings(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_visible_strings(v) for v in data]
    return data


def render_sarif(outcome: CheckOutcome, *, level: SarifLevel = SarifLevel.failing) -> str:
    """The SARIF log as text: keys sorted, one trailing newline."""
    data = sarif_dict(outcome, level=level)
    return escape_json(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)) + "\n"


__all__ = ["SARIF_SCHEMA", "SarifLevel", "artifact_uri", "carried", "plain_text", "render_sarif", "sarif_dict"]
