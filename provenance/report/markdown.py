"""The Markdown report, for a pull-request comment: the result, a summary table, then only the
findings that fail the policy. Document text is escaped so that it cannot become markup, links,
mentions or HTML, and invisible characters are spelled out."""

from __future__ import annotations

import re
from collections import Counter

from provenance.check.policy import CheckOutcome, DocumentOutcome
from provenance.model import Verdict
from provenance.report.marks import breaking, impacts, location, one_line, plural, where
from provenance.report.records import FindingRecord, PassageRecord
from provenance.taxonomy import is_whole_passage

MAX_ROWS = 50
"""Failing findings listed per document; the rest are counted."""
MAX_CHARS = 60_000
"""A pull-request comment holds 65,536 characters: documents past this size are only counted."""

_MD_SPECIAL_RE = re.compile(r"([\\`*_{}\[\]()<>#|~&@:])")


def md_escape(text: str, limit: int = 120) -> str:
    """One line of document text made inert in GitHub-flavoured Markdown (tables included)."""
    return _MD_SPECIAL_RE.sub(r"\\\1", one_line(text, limit))


def _headline(outcome: CheckOutcome) -> list[str]:
    """The result, then the policy and the baseline."""
    n = outcome.failed
    if n:
        lines = [f"### provenance: ❌ {breaking(n)}"]
    else:
        lines = ["### provenance: ✅ no finding breaks the policy"]
    meta = f"Policy: {outcome.policy.describe()}."
    if outcome.baseline_path:
        meta += f" Baseline: `{outcome.baseline_path}`, {outcome.counts()['baselined']} known finding(s) accepted"
        meta += f", {len(outcome.stale)} no longer found." if outcome.stale else "."
    return [*lines, "", meta, ""]


def _verdict_table(outcome: CheckOutcome) -> list[str]:
    """Passages by verdict and failing findings, one row per document."""
    verdicts = [v.value for v in Verdict]
    lines = ["| document | " + " | ".join(verdicts) + " | failing |", "|---|" + "---:|" * (len(verdicts) + 1)]
    for d in outcome.documents:
        counts = Counter(p.passage.verdict.value for p in d.passages)
        lines.append(f"| {md_escape(d.report.document.path)} | " + " | ".join(str(counts[v]) for v in verdicts)
                     + f" | {d.failed} |")
    return lines


def _finding_row(passage: PassageRecord, finding: FindingRecord) -> str:
    """One failing finding as a table row: where, passage, type and impact, severity, source, document.
    A whole-passage finding shows its message in the source's column."""
    kind = finding.type.value + (f" ({impacts(finding)})" if finding.impact else "")
    if is_whole_passage(finding.type):
        src, doc = md_escape(finding.message), md_escape(finding.doc_text, 80)
    else:
        src, doc = md_escape(finding.src_text, 80), md_escape(finding.doc_text, 80)
    return f"| {where(location(passage, finding))} | {passage.id} | {kind} | {finding.severity.value} | {src} | {doc} |"


def _document_section(document: DocumentOutcome) -> list[str]:
    """A document's failing findings as a table, at most `MAX_ROWS` of them."""
    failing = document.failing()
    lines = ["", f"#### {md_escape(document.report.document.path)}", "",
             "| where | passage | finding | severity | source | document |", "|---|---|---|---|---|---|"]
    lines += [_finding_row(passage, fo.finding) for passage, fo in failing[:MAX_ROWS]]
    if len(failing) > MAX_ROWS:
        lines.append(f"\n… and {len(failing) - MAX_ROWS} more; the HTML report lists them all.")
    return lines


def render_markdown(outcome: CheckOutcome) -> str:
    """The Markdown report of a check: a section for each document with failing findings, until the
    comment would grow past `MAX_CHARS`; the documents past it are only counted."""
    lines = _headline(outcome) + _verdict_table(outcome)
    size = sum(len(line) + 1 for line in lines)
    left_out_findings = left_out_documents = 0
    for d in outcome.documents:
        failing = d.failed
        if not failing:
            continue
        if size > MAX_CHARS:
            left_out_findings += failing
            left_out_documents += 1
            continue
        section = _document_section(d)
        lines += section
        size += sum(len(line) + 1 for line in section)
    if left_out_documents:
        lines.append(f"\n… and {plural(left_out_findings, 'more failing finding')} in "
                     f"{plural(left_out_documents, 'more document')}; the HTML report lists them all.")
    return "\n".join(lines) + "\n"


__all__ = ["md_escape", "render_markdown"]
