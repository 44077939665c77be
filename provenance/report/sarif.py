"""SARIF 2.1.0, for code-scanning services: one rule per finding type, one result per finding,
located on the document with line and column (code points), the source as a related location."""

from __future__ import annotations

import json
from typing import Any

from provenance.model import BASE_SEVERITY, FindingType, Severity
from provenance.policy import CheckOutcome, FindingOutcome
from provenance.report.marks import WHOLE_PASSAGE_TYPES, one_line
from provenance.report.visible import escape_json

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
MAX_RESULTS = 25_000
"""GitHub code scanning takes at most this many results per run; beyond it, the findings that pass
the policy are left out first, then the rest in document order (the count is in the run's properties)."""
LEVEL = {Severity.INFO.value: "note", Severity.WARNING.value: "warning", Severity.ERROR.value: "error"}

RULE_TEXT: dict[FindingType, tuple[str, str]] = {
    FindingType.NORMALIZATION: (
        "Only the form differs", "Case, punctuation, quotation marks, dashes, spacing or Unicode form differ from "
        "the source; the words are the same."),
    FindingType.EDITORIAL_INSERTION: (
        "Words added in brackets", "The quotation adds words in square brackets, an editor's insertion the "
        "reader can see."),
    FindingType.EDITORIAL_SUBSTITUTION: (
        "Bracketed words replace source words", "Words in square brackets stand in for words of the source."),
    FindingType.MARKED_OMISSION: (
        "Omission marked by an ellipsis", "Source words are left out where the quotation has an ellipsis."),
    FindingType.SILENT_OMISSION: (
        "Source words left out without an ellipsis", "The quotation drops words of the source and does not mark "
        "the omission."),
    FindingType.SILENT_INSERTION: (
        "Words added without brackets", "The quotation has words the source does not have, and does not mark them."),
    FindingType.SUBSTITUTION: (
        "Source words replaced", "The quotation has different words in place of the source's."),
    FindingType.TRANSPOSITION: ("Words in another order", "The quotation has the source's words in another order."),
    FindingType.TRANSCRIPTION_ERROR: (
        "A slip inside a word", "A typing or recognition slip inside a word: a letter missing, added or swapped, "
        "a word split or joined."),
    FindingType.PARAPHRASE: (
        "Paraphrase presented as a quotation", "The quoted words carry the source's content in other words: it "
        "is not a quotation."),
    FindingType.UNSOURCED: ("No source supports the quotation", "No given source contains these words."),
    FindingType.MISATTRIBUTION: (
        "Attributed to another source", "The document attributes the words to one source; they were found in "
        "another."),
    FindingType.HIDDEN_CHARACTER: (
        "Invisible or deceptive character", "A zero-width, bidirectional-control or look-alike character from "
        "another script stands in the quoted text."),
}


def _rule(kind: FindingType) -> dict[str, Any]:
    short, full = RULE_TEXT[kind]
    name = "".join(part.capitalize() for part in kind.value.split("_"))
    return {
        "id": kind.value,
        "name": name,
        "shortDescription": {"text": short},
        "fullDescription": {"text": full},
        "help": {"text": f"{full} Compare the document with the source and restore the source's words, or mark "
                         "the change (brackets, an ellipsis), or accept it in the baseline with a reason."},
        "defaultConfiguration": {"level": LEVEL[BASE_SEVERITY[kind].value]},
        "properties": {"tags": ["provenance", BASE_SEVERITY[kind].value]},
    }


def _region(span: dict[str, Any]) -> dict[str, Any]:
    return {"startLine": span["line"], "startColumn": span["column"],
            "endLine": span.get("end_line", span["line"]), "endColumn": span.get("end_column", span["column"]),
            "charOffset": span["start"], "charLength": span["end"] - span["start"]}


def _message(fo: FindingOutcome, passage: dict[str, Any]) -> str:
    f = fo.finding
    impact = f" Changes the meaning ({', '.join(f['impact'])})." if f["impact"] else ""
    if f["type"] in WHOLE_PASSAGE_TYPES:
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
