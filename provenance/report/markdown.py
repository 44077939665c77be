"""The Markdown report, for a pull-request comment: the result, a summary table, then only the
findings that fail the policy. Document text is escaped so that it cannot become markup, links,
mentions or HTML, and invisible characters are spelled out."""

from __future__ import annotations

import re
from collections import Counter

from provenance.model import Verdict
from provenance.policy import CheckOutcome
from provenance.report.marks import one_line, where
from provenance.taxonomy import is_whole_passage

MAX_ROWS = 50
"""Failing findings listed per document; the rest are counted."""
MAX_CHARS = 60_000
"""A pull-request comment holds 65,536 characters: documents past this size are only counted."""

_MD_SPECIAL_RE = re.compile(r"([\\`*_{}\[\]()<>#|~&@:])")


def md_escape(text: str, limit: int = 120) -> str:
    """One line of document text made inert in GitHub-flavoured Markdown (tables included)."""
    return _MD_SPECIAL_RE.sub(r"\\\1", one_line(text, limit))


def render_markdown(outcome: CheckOutcome) -> str:
    """The Markdown report of a check."""
    lines: list[str] = []
    if outcome.failed:
        n = outcome.failed
        lines.append(f"### provenance: ❌ {n} finding{'' if n == 1 else 's'} break{'s' if n == 1 else ''} the policy")
    else:
        lines.append("### provenance: ✅ no finding breaks the policy")
    counts = outcome.counts()
    meta = f"Policy: {outcome.policy.describe()}."
    if outcome.baseline_path:
        meta += f" Baseline: `{outcome.baseline_path}`, {counts['baselined']} known finding(s) accepted"
        meta += f", {len(outcome.stale)} no longer found." if outcome.stale else "."
    lines += ["", meta, ""]
    verdicts = [v.value for v in Verdict]
    lines.append("| document | " + " | ".join(verdicts) + " | failing |")
    lines.append("|---|" + "---:|" * (len(verdicts) + 1))
    for d in outcome.documents:
        c = Counter(p.passage["verdict"] for p in d.passages)
        lines.append(f"| {md_escape(d.report['document']['path'])} | " + " | ".join(str(c[v]) for v in verdicts)
                     + f" | {d.failed} |")
    size = sum(len(line) + 1 for line in lines)
    left_out = [0, 0]  # findings, documents
    for d in outcome.documents:
        failing = [(p.passage, fo) for p in d.passages for fo in p.findings if fo.status == "fail"]
        if not failing:
            continue
        if size > MAX_CHARS:
            left_out[0] += len(failing)
            left_out[1] += 1
            continue
        start = len(lines)
        lines += ["", f"#### {md_escape(d.report['document']['path'])}", "",
                  "| where | passage | finding | severity | source | document |", "|---|---|---|---|---|---|"]
        for passage, fo in failing[:MAX_ROWS]:
            f = fo.finding
            kind = f["type"] + (f" ({', '.join(f['impact'])})" if f["impact"] else "")
            if is_whole_passage(f["type"]):
                src, doc = md_escape(f["message"]), md_escape(f["doc_text"], 80)
            else:
                src, doc = md_escape(f["src_text"], 80), md_escape(f["doc_text"], 80)
            lines.append(f"| {where(f['doc_span']) or where(passage['doc_span'])} | {passage['id']} | {kind} "
                         f"| {f['severity']} | {src} | {doc} |")
        if len(failing) > MAX_ROWS:
            lines.append(f"\n… and {len(failing) - MAX_ROWS} more; the HTML report lists them all.")
        size += sum(len(line) + 1 for line in lines[start:])
    if left_out[1]:
        lines.append(f"\n… and {left_out[0]} more failing finding{'' if left_out[0] == 1 else 's'} in {left_out[1]} "
                     f"more document{'' if left_out[1] == 1 else 's'}; the HTML report lists them all.")
    return "\n".join(lines) + "\n"


__all__ = ["md_escape", "render_markdown"]
