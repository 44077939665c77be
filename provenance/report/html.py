"""The HTML report: one self-contained page (no network) for a reviewer.

A summary by verdict, type and status; filters by type, severity and status; then every passage
with the document's text and the source's side by side, each difference marked on both sides and
explained in a table below. Rendered with jinja2, autoescaping on: the marked passage text is
built here from escaped pieces, so text from a document can never become markup or script.
"""

from __future__ import annotations

import base64
import hashlib
from collections import Counter
from functools import lru_cache
from importlib import resources
from typing import Any

import jinja2
from markupsafe import Markup, escape

from provenance.model import FindingType, Severity, Verdict
from provenance.policy import CheckOutcome, PassageOutcome
from provenance.report.marks import codepoint, one_line, pieces, split_visible, visible, where
from provenance.report.visible import shown_label
from provenance.taxonomy import TAXONOMY, Mark, is_whole_passage, rule_of

STATUS_LABEL = {"fail": "failing", "baselined": "accepted in the baseline", "pass": "allowed by the policy"}
"""How the page names a finding's standing against the policy, everywhere it shows it."""


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("provenance", "report/templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["where"] = where
    return env


@lru_cache(maxsize=1)
def _script() -> tuple[Markup, str]:
    """The page's one script (the filters) and its hash for the Content-Security-Policy, which lets
    no other script run: not even one that escaped escaping."""
    code = resources.files("provenance").joinpath("report/templates/report.js").read_text(encoding="utf-8")
    digest = base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode("ascii")
    return Markup(code), f"sha256-{digest}"


def _text_html(text: str) -> Markup:
    """Escaped text with invisible characters shown as labelled boxes."""
    out = []
    for run, hidden in split_visible(text):
        if hidden:
            out.append(Markup('<span class="hidden-char" title="invisible character {0}">{0}</span>').format(
                shown_label(run)))
        else:
            out.append(escape(run))
    return Markup("").join(out)


class _Lines:
    """Line anchors of one document (`d1-L37`): each line gets one, where it is first shown."""

    def __init__(self, doc_index: int) -> None:
        self.prefix = f"d{doc_index}-L"
        self.claimed: set[int] = set()

    def claim(self, line: int) -> str | None:
        """The anchor id for a line shown here, or None when it is already anchored elsewhere."""
        if line in self.claimed:
            return None
        self.claimed.add(line)
        return f"{self.prefix}{line}"

    def href(self, line: int, fallback: int) -> str:
        return f"#{self.prefix}{line if line in self.claimed else fallback}"


def _numbered(text: str, line: int, lines: _Lines) -> tuple[Markup, int]:
    """Plain passage text with a line number (and its anchor) after each line break."""
    out = []
    for k, chunk in enumerate(text.split("\n")):
        if k:
            line += 1
            anchor = lines.claim(line)
            out.append(Markup("\n"))
            out.append(Markup('<span class="ln"{0}>{1}</span>').format(
                Markup(' id="{0}"').format(anchor) if anchor else "", line))
        out.append(_text_html(chunk))
    return Markup("").join(out), line


def _marked(passage: dict[str, Any], side: str, prefix: str, lines: _Lines | None = None) -> Markup:
    """One side of a passage with its findings marked; each mark links to its row below. On the
    document side, with `lines`, each line of the passage is numbered and anchored."""
    out = []
    line = passage["doc_span"]["line"]
    for piece in pieces(passage, side):
        if piece.finding is None:
            if lines is not None:
                html, line = _numbered(piece.text, line, lines)
                out.append(html)
            else:
                out.append(_text_html(piece.text))
            continue
        f = passage["findings"][piece.finding]
        kind = f["type"]
        classes = f"mark t-{kind} s-{f['severity']}" + (" impact" if f["impact"] else "")
        title = f"{kind}: {f['message']}"
        ref = f"{prefix}-f{piece.finding + 1}"
        if piece.point:
            other = f["src_text"] if side == "doc" else f["doc_text"]
            label = "left out here: " if side == "doc" else "added here: "
            out.append(Markup('<a class="{0} point" href="#{1}" title="{2}">⁁</a>').format(
                classes, ref, label + one_line(other, 200)))
            continue
        tag = "span" if rule_of(kind).mark is Mark.FORM else "ins" if side == "doc" else "del"
        if lines is not None:  # a change across a line break (`\n> ` in a block quotation) numbers it too
            body, line = _numbered(piece.text, line, lines)
        else:
            body = _text_html(piece.text)
        if kind == "hidden_character" and not any(h for _, h in split_visible(piece.text)):
            body = Markup('{0}<span class="hidden-char">{1}</span>').format(
                body, " ".join(codepoint(c) for c in piece.text if not c.isascii()))  # a look-alike letter
        out.append(Markup('<{0} class="{1}" title="{2}"><a href="#{3}">{4}</a></{0}>').format(
            Markup(tag), classes, title, ref, body))
    return Markup("").join(out)


def _passage_view(doc_index: int, outcome: PassageOutcome, lines: _Lines) -> dict[str, Any]:
    p = outcome.passage
    prefix = f"d{doc_index}-{p['id']}"
    first = p["doc_span"]["line"]
    line_id = lines.claim(first)
    doc_html = _marked(p, "doc", prefix, lines)
    findings = []
    for k, fo in enumerate(outcome.findings, 1):
        f = fo.finding
        findings.append({
            "ref": f"{prefix}-f{k}", "type": f["type"], "severity": f["severity"], "impact": f["impact"],
            "doc_where": where(f["doc_span"]),
            "doc_href": lines.href(f["doc_span"]["line"], first) if f["doc_span"] else None,
            "src_where": where(f["src_span"]), "doc_text": _text_html(" ".join(f["doc_text"].split())),
            "src_text": _text_html(" ".join(f["src_text"].split())), "message": visible(f["message"]),
            "status": fo.status, "reason": fo.reason, "fingerprint": fo.fingerprint,
            "whole": is_whole_passage(f["type"]),
        })
    match = p["match"]
    return {
        "anchor": prefix, "line_id": line_id, "line_href": lines.href(first, first), "id": p["id"],
        "kind": p["kind"], "verdict": p["verdict"], "status": outcome.status, "doc_where": where(p["doc_span"]),
        "attribution": visible(p["attribution"]) if p["attribution"] else None, "match": match,
        "src_where": where(match["src_span"]) if match else "",
        "doc_html": doc_html,
        "src_html": _marked(p, "src", prefix) if match and "text" in match else None,
        "findings": findings,
    }


def render_html(outcome: CheckOutcome, *, title: str = "provenance report") -> str:
    """The HTML report of a check (or of one comparison) as one self-contained page."""
    documents = []
    verdicts: Counter[str] = Counter()
    types: Counter[tuple[str, str]] = Counter()
    for k, d in enumerate(outcome.documents, 1):
        lines = _Lines(k)
        passages = [_passage_view(k, p, lines) for p in d.passages]
        dv = Counter(p.passage["verdict"] for p in d.passages)
        verdicts.update(dv)
        for p in d.passages:
            types.update((f.finding["type"], f.finding["severity"]) for f in p.findings)
        documents.append({"index": k, "path": d.report["document"]["path"], "key": d.key,
                          "sha256": d.report["document"]["sha256"], "sources": d.report["sources"],
                          "passages": passages, "verdicts": dv, "failed": d.failed,
                          "tool": d.report["tool"]})
    type_order = [t.value for t in FindingType]
    type_rows = sorted(types.items(), key=lambda kv: (type_order.index(kv[0][0]), kv[0][1]))
    present_types = [t for t in type_order if any(t == k[0] for k in types)]
    script, script_hash = _script()
    page = _environment().get_template("report.html.j2").render(
        script=script, script_hash=script_hash, status_label=STATUS_LABEL,
        title=title, outcome=outcome, documents=documents, verdicts=verdicts,
        verdict_order=[v.value for v in Verdict], type_rows=type_rows, present_types=present_types,
        severities=[s.value for s in Severity], counts=outcome.counts(), policy=outcome.policy.describe(),
        base_severity={r.type.value: r.severity.value for r in TAXONOMY},
    )
    return page


__all__ = ["render_html"]
