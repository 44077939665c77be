"""SARIF 2.1.0, for code-scanning services: one rule per finding type, one result per finding,
located on the document with line and column (code points), the source as a related location."""

from __future__ import annotations

import json
from typing import Any

from provenance.model import FindingType, Severity
from provenance.policy import CheckOutcome, FindingOutcome
from provenance.report.marks import one_line
from provenance.report.visible import escape_json
from provenance.taxonomy import is_whole_passage, rule_of

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
MAX_RESULTS = 25_000
"""GitHub code scanning takes at most this many results per run; beyond it, the findings that pass
the policy are left out first, then the rest in document order (the count is in the run's properties)."""
LEVEL = {Severity.INFO.value: "note", Severity.WARNING.value: "warning", Severity.ERROR.value: "error"}

def _rule(kind: FindingType) -> dict[str, Any]:
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


def _region(span: dict[str, Any]) -> dict[str, Any]:
    return {"startLine": span["line"], "startColumn": span["column"],
            "endLine": span.get("end_line", span["line"]), "endColumn": span.get("end_column", span["column"]),
            "charOffset": span["start"], "charLength": span["end"] - span["start"]}


def _message(fo: FindingOutcome, passage: dict[str, Any]) -> str:
    f = fo.finding
    impact = f" Changes the meaning ({', '.join(f['impact'])})." if f["impact"] else ""
    if is_whole_passage(f["type"]):
        return f"{f['type']} ({passage['id']}): {f['message']}: “{one_line(f['doc_text'], 200)}”.{impact}"
    src, doc = one_line(f["src_text"], 200), one_line(f["doc_text"], 200)
    what = f"source “{src}” → document “{doc}”" if src and doc else f"source “{src}”" if src else f"document “{doc}”"
    return f"{f['type']} ({passage['id']}): {what}: {f['message']}.{impact}"


def sarif_dict(outcome: CheckOutcome, *, max_results: int = MAX_RESULTS) -> dict[str, Any]:
    """The SARIF log as plain data."""
    results: list[dict[str, Any]] = []
    used: set[FindingType] = set()
    for d in outcome.documents:
        doc_uri = d.report["document"]["path"].replace("\\", "/")
        sources = {s["id"]: s["path"].replace("\\", "/") for s in d.report["sources"]}
        for p in d.passages:
            for fo in p.findings:
                f = fo.finding
                kind = FindingType(f["type"])
                used.add(kind)
                span = f["doc_span"] or p.passage["doc_span"]
                result: dict[str, Any] = {
                    "ruleId": kind.value,
                    "level": LEVEL[f["severity"]],
                    "kind": "fail" if fo.status != "pass" else "informational",
                    "message": {"text": _message(fo, p.passage)},
                    "locations": [{"physicalLocation": {"artifactLocation": {"uri": doc_uri},
                                                        "region": _region(span)}}],
                    "partialFingerprints": {"provenanceFinding/v1": f"{d.key}:{fo.fingerprint}"},
                    "properties": {"passage": p.passage["id"], "verdict": p.passage["verdict"],
                                   "severity": f["severity"], "impact": f["impact"], "status": fo.status},
                }
                match = p.passage["match"]
                if f["src_span"] is not None and match is not None and match["source"] in sources:
                    result["relatedLocations"] = [{
                        "id": 1, "message": {"text": f"source {match['source']}"},
                        "physicalLocation": {"artifactLocation": {"uri": sources[match["source"]]},
                                             "region": _region(f["src_span"])}}]
                if fo.status == "baselined":
                    result["suppressions"] = [{"kind": "external", "status": "accepted",
                                               "justification": fo.reason or "accepted in the baseline"}]
                results.append(result)
    omitted = 0
    if len(results) > max_results:
        keep = sorted(range(len(results)), key=lambda k: (results[k]["properties"]["status"] == "pass", k))
        chosen = sorted(keep[:max_results])
        omitted = len(results) - len(chosen)
        results = [results[k] for k in chosen]
        used = {FindingType(r["ruleId"]) for r in results}
    rules = [_rule(k) for k in FindingType if k in used]
    index = {r["id"]: k for k, r in enumerate(rules)}
    for r in results:
        r["ruleIndex"] = index[r["ruleId"]]
    version = outcome.documents[0].report["tool"]["version"] if outcome.documents else "0"
    run: dict[str, Any] = {
        "tool": {"driver": {"name": "provenance", "version": version, "semanticVersion": version,
                            "rules": rules}},
        "columnKind": "unicodeCodePoints",
        "results": results,
        "properties": {"policy": outcome.policy.describe(), "failed": outcome.failed, "omittedResults": omitted},
    }
    if outcome.generated_at:
        run["invocations"] = [{"executionSuccessful": True, "endTimeUtc": outcome.generated_at}]
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def render_sarif(outcome: CheckOutcome) -> str:
    """The SARIF log as text: keys sorted, one trailing newline."""
    return escape_json(json.dumps(sarif_dict(outcome), ensure_ascii=False, indent=2, sort_keys=True)) + "\n"


__all__ = ["SARIF_SCHEMA", "render_sarif", "sarif_dict"]
