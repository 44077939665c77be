"""The HTML report: one self-contained page (no network) for a reviewer.

A summary by verdict, type and status; filters by type, severity and status; then every passage
with the document's text and the source's side by side, each difference marked on both sides and
explained in a table below. Rendered with jinja2, autoescaping on: the marked passage text is
built here from escaped pieces, so text from a document can never become markup or script.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections import Counter
from functools import lru_cache
from importlib import resources
from pathlib import PurePath
from typing import Any

import jinja2
from markupsafe import Markup, escape

from provenance.check.policy import BASELINE_SCHEMA, CheckOutcome, DocumentOutcome, FindingOutcome, PassageOutcome
from provenance.model import FindingType, Severity, Verdict
from provenance.report.aligned import Row, Segment, rows
from provenance.report.marks import (
    Side,
    breaking,
    claim_line,
    codepoint,
    counts_by_type,
    fold_spacing,
    location,
    one_line,
    pieces,
    split_visible,
    visible,
    where,
)
from provenance.report.records import ClaimRecord, FindingRecord, MetricsRecord, PassageRecord, ReportRecord
from provenance.report.visible import ESCAPED_CHARS, shown_label, visible_line
from provenance.taxonomy import TAXONOMY, Mark, is_whole_passage, rule_of

UNREASONED_LABEL = "failing: accepted in the baseline without a reason, which the policy requires"
"""How the page names a finding whose baseline entry gives no reason, under `require_reasons`."""
STATUS_LABEL = {"fail": "failing", "baselined": "accepted in the baseline", "pass": "allowed by the policy"}
"""How the page names a finding's standing against the policy, everywhere it shows it."""


def _shown(value: Any) -> Any:
    """What the page writes for a value: markup built here as it is, any other string with the characters
    `visible_line` shows spelled out, tabs and line ends included (a path, a source id, a reason, a
    stale baseline entry: every string a report or a baseline holds, each one line), then escaped by
    jinja2. Passage text is markup built here, its line ends kept."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return visible_line(value)
    return value


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    """The jinja2 environment of the page: the package's templates, autoescaping on, every string made
    visible (`_shown`)."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("provenance", "report/templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_shown,
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


_LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")
"""What ends a line, as the JSON report counts lines (`provenance.text.line_starts_of`): CRLF, CR, LF.
U+2028, U+2029, NEL, VT and FF do not; they are shown by code point."""


class _Lines:
    """Line anchors of one document (`d1-L37`) or of one passage's source side (`d1-p3-s37`): each line
    gets one, where it is first shown; `css` is the class of its numbers (`ln` for the document's, `sln`
    for the source's)."""

    def __init__(self, prefix: str, css: str = "ln") -> None:
        self.prefix = prefix
        self.css = css
        self.claimed: set[int] = set()
        self.after_cr = False
        """Whether the text numbered last ended with a CR: a LF starting the next piece ends no new line."""

    def claim(self, line: int) -> str | None:
        """The anchor id for a line shown here, or None when it is already anchored elsewhere."""
        if line in self.claimed:
            return None
        self.claimed.add(line)
        return f"{self.prefix}{line}"

    def href(self, line: int, fallback: int) -> str:
        """A link to a line's anchor, or to `fallback`'s when the line has none here."""
        return f"#{self.prefix}{line if line in self.claimed else fallback}"


def _number(css: str, anchor: str | None, line: int) -> Markup:
    """A line number, with its anchor when it has one."""
    return Markup('<span class="{0}"{1}>{2}</span>').format(css, Markup(' id="{0}"').format(anchor) if anchor else "",
                                                            line)


def _numbered(text: str, line: int, lines: _Lines) -> tuple[Markup, int]:
    """Plain passage text with a line number (and its anchor) after each line break (CRLF, CR or LF, as
    the JSON report counts them; a CRLF cut between two pieces is one)."""
    if lines.after_cr and text.startswith("\n"):
        text = text[1:]
    if text:
        lines.after_cr = text.endswith("\r")
    out = []
    pos = 0
    for m in _LINE_BREAK_RE.finditer(text):
        out.append(_text_html(text[pos:m.start()]))
        line += 1
        anchor = lines.claim(line)
        out.append(Markup("\n"))
        out.append(_number(lines.css, anchor, line))
        pos = m.end()
    out.append(_text_html(text[pos:]))
    return Markup("").join(out), line


def _plain_html(text: str, line: int, lines: _Lines | None) -> tuple[Markup, int]:
    """Unmarked passage text; with `lines`, numbered at each line break."""
    if lines is not None:
        return _numbered(text, line, lines)
    return _text_html(text), line


def _mark_classes(finding: FindingRecord) -> str:
    """The CSS classes of a finding's mark: its type, its severity, whether it changes the meaning."""
    return f"mark t-{finding.type.value} s-{finding.severity.value}" + (" impact" if finding.impact else "")


def _point_html(finding: FindingRecord, side: Side, ref: str) -> Markup:
    """A finding with no text on this side: a caret saying what was left out (or added) there."""
    other = finding.src_text if side == "doc" else finding.doc_text
    label = "left out here: " if side == "doc" else "added here: "
    return Markup('<a class="{0} point" href="#{1}" title="{2}">⁁</a>').format(
        _mark_classes(finding), ref, label + one_line(other, 200))


def _mark_html(finding: FindingRecord, text: str, side: Side, ref: str, line: int,
               lines: _Lines | None) -> tuple[Markup, int]:
    """Text under a finding, marked as a change (`ins` in the document, `del` in the source) or as a
    plain mark, linked to the finding's row; the line it ends on."""
    tag = "span" if rule_of(finding.type).mark is Mark.FORM else "ins" if side == "doc" else "del"
    body, line = _plain_html(text, line, lines)  # a change across a line break (`\n> `) is numbered too
    if finding.type is FindingType.HIDDEN_CHARACTER and not any(h for _, h in split_visible(text)):
        body = Markup('{0}<span class="hidden-char">{1}</span>').format(
            body, " ".join(codepoint(c) for c in text if not c.isascii()))  # a look-alike letter
    title = visible(f"{finding.type.value}: {finding.message}")
    return Markup('<{0} class="{1}" title="{2}"><a href="#{3}">{4}</a></{0}>').format(
        Markup(tag), _mark_classes(finding), title, ref, body), line


def _marked(passage: PassageRecord, side: Side, prefix: str, lines: _Lines | None = None,
            line: int | None = None) -> Markup:
    """One side of a passage with its findings marked; each mark links to its row below. With `lines`,
    each line after the first (`line`, default the passage's first in the document) is numbered."""
    out = []
    line = passage.doc_span.line if line is None else line
    if lines is not None:
        lines.after_cr = False  # a passage starts no CRLF of the one before
    for piece in pieces(passage, side):
        if piece.finding is None:
            html, line = _plain_html(piece.text, line, lines)
        elif piece.point:
            html = _point_html(passage.findings[piece.finding], side, f"{prefix}-f{piece.finding + 1}")
        else:
            html, line = _mark_html(passage.findings[piece.finding], piece.text, side,
                                    f"{prefix}-f{piece.finding + 1}", line, lines)
        out.append(html)
    return Markup("").join(out)


def _finding_view(outcome: FindingOutcome, ref: str, lines: _Lines, first_line: int) -> dict[str, Any]:
    """What the template shows of one finding in its passage's table."""
    f = outcome.finding
    return {
        "ref": ref, "type": f.type.value, "severity": f.severity.value, "impact": [i.value for i in f.impact],
        "doc_where": where(f.doc_span),
        "doc_href": lines.href(f.doc_span.line, first_line) if f.doc_span else None,
        "src_where": where(f.src_span), "doc_text": _text_html(fold_spacing(f.doc_text)),
        "src_text": _text_html(fold_spacing(f.src_text)), "message": visible(f.message),
        "status": outcome.status, "reason": outcome.reason, "fingerprint": outcome.fingerprint,
        "whole": is_whole_passage(f.type), "unreasoned": outcome.unreasoned, "entry": None,
    }


def _segment_html(passage: PassageRecord, seg: Segment, side: Side, prefix: str, line: int,
                  lines: _Lines) -> tuple[Markup, int]:
    """One segment of an aligned row on one side: shared text, a finding's mark, or a caret."""
    text = seg.doc if side == "doc" else seg.src
    if seg.finding is None:
        return _text_html(text), line
    finding, ref = passage.findings[seg.finding], f"{prefix}-f{seg.finding + 1}"
    if not text:
        return (Markup("") if seg.part else _point_html(finding, side, ref)), line
    return _mark_html(finding, text, side, ref, line, lines)


def _row_side(passage: PassageRecord, row: Row, side: Side, prefix: str, lines: _Lines) -> dict[str, Markup]:
    """One side of an aligned row: its line number (anchored where first shown) and its marked text."""
    line = row.doc_line if side == "doc" else row.src_line
    gutter = _number(lines.css, lines.claim(line), line)
    lines.after_cr = False
    out = []
    for seg in row.segments:
        html, line = _segment_html(passage, seg, side, prefix, line, lines)
        out.append(html)
    return {"gutter": gutter, "html": Markup("").join(out)}


def _rows_view(passage: PassageRecord, prefix: str, lines: _Lines, src_lines: _Lines) -> list[dict[str, Any]]:
    """The passage's two sides as rows whose lines line up, each side numbered; one row with each whole
    side when they cannot be paired (a paraphrase, no source text)."""
    aligned = rows(passage)
    if aligned is not None:
        return [{"doc": _row_side(passage, r, "doc", prefix, lines), "src": _row_side(passage, r, "src", prefix,
                                                                                       src_lines)} for r in aligned]
    first = passage.doc_span.line
    doc = {"gutter": _number(lines.css, lines.claim(first), first), "html": _marked(passage, "doc", prefix, lines)}
    match = passage.match
    if match is None or not isinstance(match.text, str):
        return [{"doc": doc, "src": None}]
    src_first = match.src_span.line
    src = {"gutter": _number(src_lines.css, src_lines.claim(src_first), src_first),
           "html": _marked(passage, "src", prefix, src_lines, src_first)}
    return [{"doc": doc, "src": src}]


SEVERITY_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
"""Worst first: errors, then warnings, then information."""


def worst_severity(outcome: PassageOutcome) -> str:
    """The worst severity of a passage's findings (`error`, `warning`, `info`), or `none` without any."""
    found = sorted((f.finding.severity for f in outcome.findings), key=SEVERITY_RANK.__getitem__)
    return found[0].value if found else "none"


def _passage_view(doc_index: int, outcome: PassageOutcome, lines: _Lines) -> dict[str, Any]:
    """What the template shows of one passage: its head, both sides marked and aligned, its findings."""
    p = outcome.passage
    prefix = f"d{doc_index}-{p.id}"
    first = p.doc_span.line
    table = _rows_view(p, prefix, lines, _Lines(f"{prefix}-s", "sln"))
    findings = [_finding_view(fo, f"{prefix}-f{k}", lines, first) for k, fo in enumerate(outcome.findings, 1)]
    match = p.match
    return {
        "anchor": prefix, "line_href": lines.href(first, first), "id": p.id,
        "kind": p.kind.value, "verdict": p.verdict.value, "status": outcome.status, "doc_where": where(p.doc_span),
        "attribution": visible(p.attribution) if p.attribution else None, "match": match,
        "claim": visible(claim) if (claim := claim_line(p)) else None,
        "claim_agrees": p.claim.agrees if isinstance(p.claim, ClaimRecord) else None,
        "src_where": where(match.src_span) if match else "", "worst": worst_severity(outcome),
        "rows": table, "findings": findings,
    }


def _metrics_view(report: ReportRecord) -> dict[str, Any] | None:
    """The error rates of a whole transcription (CER, WER), as the template shows them."""
    metrics = report.metrics
    if not isinstance(metrics, MetricsRecord):
        return None
    rates: list[dict[str, Any]] = [{"measure": r.measure.upper(), "definition": f"{r.definition} ({r.matches})",
              "text": "normalised" if r.normalized else "raw",
              "rate": "n/a" if r.rate is None else f"{r.rate * 100:.2f}%", "substitutions": r.substitutions,
              "deletions": r.deletions, "insertions": r.insertions, "hits": r.hits,
              "reference_length": r.reference_length} for r in metrics.rates]
    headline = [r for r in rates if r["text"] == "raw"] or rates
    seen: dict[str, str] = {}
    for r in headline:
        seen.setdefault(r["measure"], r["rate"])
    return {"reference": metrics.reference, "rates": rates, "headline": seen}


def _document_view(doc_index: int, document: DocumentOutcome) -> dict[str, Any]:
    """What the template shows of one document: its identity, its passages, its counts, its error rates."""
    lines = _Lines(f"d{doc_index}-L")
    report = document.report
    return {"index": doc_index, "path": report.document.path, "key": document.key,
            "sha256": report.document.sha256, "sources": report.sources,
            "passages": [_passage_view(doc_index, p, lines) for p in document.passages],
            "verdicts": Counter(p.passage.verdict.value for p in document.passages), "failed": document.failed,
            "tool": report.tool, "metrics": _metrics_view(report)}


def _what_changed(finding: FindingRecord) -> str:
    """A failing finding in a few words: `‘2007’ → ‘2017’`, `− ‘not’`, `+ ‘very’`, or its message."""
    src, doc = one_line(finding.src_text, 80), one_line(finding.doc_text, 80)
    if is_whole_passage(finding.type) or finding.type is FindingType.HIDDEN_CHARACTER or not (src or doc):
        return visible(finding.message)
    if src and doc:
        return f"‘{src}’ → ‘{doc}’"
    return f"− ‘{src}’" if src else f"+ ‘{doc}’"


def _failing_view(outcome: CheckOutcome, documents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every failing finding, worst first: errors, then warnings, then information; within a severity in
    the order of the documents, and within a document in the order of its text."""
    items = []
    names = [PurePath(view["path"]).name for view in documents]
    for d_index, (document, view) in enumerate(zip(outcome.documents, documents, strict=True)):
        # The file name says which document where no two share it; the whole path is the tooltip.
        shown = names[d_index] if names.count(names[d_index]) == 1 else view["path"]
        for p_index, (po, pv) in enumerate(zip(document.passages, view["passages"], strict=True)):
            for fo, fv in zip(po.findings, pv["findings"], strict=True):
                if fo.status != "fail":
                    continue
                span = location(po.passage, fo.finding)
                key = (SEVERITY_RANK[fo.finding.severity], d_index, span.start, p_index, fv["ref"])
                items.append((key, {
                    "ref": fv["ref"], "severity": fv["severity"], "type": fv["type"], "impact": fv["impact"],
                    "path": view["path"], "name": shown, "where": f"{span.line}:{span.column}",
                    "passage": po.passage.id, "what": _what_changed(fo.finding), "entry": fv["entry"]}))
    return [item for _, item in sorted(items, key=lambda i: i[0])]


def _script_json(data: Any) -> Markup:
    """Data for the page's script, as JSON that cannot end the `<script>` element holding it (`<`, `>`
    and `&` as escapes; non-ASCII escaped too, so the page's bytes never depend on an encoder)."""
    text = json.dumps(data, ensure_ascii=True, sort_keys=True, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


_LONG_RUN_RE = re.compile(r"(.)\1{63,}", re.S)
"""A run of 64 or more of one character, which the page's data carries as the character and its count."""


def _packed(text: str) -> str | list[str | list[str | int]]:
    """A text for the page's data: as it is, or, when it holds a long run of one character (100,000
    zero-width spaces), as pieces where each run is `[character, count]`, which the script expands:
    the page stays small, and the baseline it writes holds the text exactly."""
    if not _LONG_RUN_RE.search(text):
        return text
    out: list[str | list[str | int]] = []
    pos = 0
    for m in _LONG_RUN_RE.finditer(text):
        if m.start() > pos:
            out.append(text[pos:m.start()])
        out.append([m.group(1), m.end() - m.start()])
        pos = m.end()
    if pos < len(text):
        out.append(text[pos:])
    return out


def report_identity(outcome: CheckOutcome) -> str:
    """What names a report in the reviewer's browser (decisions are kept under it): its baseline and each
    document with its contents' sha256, so another report, or this one after a document changed, starts afresh."""
    named = [outcome.baseline_path, [[d.key, d.report.document.sha256] for d in outcome.documents]]
    return hashlib.sha256(json.dumps(named, ensure_ascii=True).encode("ascii")).hexdigest()[:20]


def _review_data(outcome: CheckOutcome, documents: list[dict[str, Any]]) -> dict[str, Any]:
    """What the review of the page decides on, for its script: every finding that fails or is accepted in the
    baseline, and the baseline entries of documents not checked (kept as they are), sorted as `baseline_from`
    writes them; each finding's view gets its entry's index. The script writes the baseline file from them."""
    found: list[tuple[tuple[str, str], dict[str, Any], dict[str, Any] | None]] = []
    for document, view in zip(outcome.documents, documents, strict=True):
        for po, pv in zip(document.passages, view["passages"], strict=True):
            for fo, fv in zip(po.findings, pv["findings"], strict=True):
                if fo.status == "pass":
                    continue
                f = fo.finding
                entry = {"document": _packed(document.key), "fingerprint": fo.fingerprint, "type": f.type.value,
                         "doc_text": _packed(f.doc_text), "src_text": _packed(f.src_text), "reason": _packed(fo.reason),
                         "fail": fo.status == "fail", "in_baseline": fo.status == "baselined" or fo.unreasoned,
                         "kept": False}
                found.append(((document.key, fo.fingerprint), entry, fv))
    for e in outcome.unchecked:
        entry = {"document": _packed(e.document), "fingerprint": e.fingerprint, "type": e.type,
                 "doc_text": _packed(e.doc_text), "src_text": _packed(e.src_text), "reason": _packed(e.reason),
                 "fail": False, "in_baseline": True, "kept": True}
        found.append(((e.document, e.fingerprint), entry, None))
    found.sort(key=lambda item: item[0])
    for k, (_, _, fv) in enumerate(found):
        if fv is not None:
            fv["entry"] = k
    name = outcome.baseline_path.rsplit("/", 1)[-1] if outcome.baseline_path else "provenance-baseline.json"
    return {"id": report_identity(outcome), "schema": BASELINE_SCHEMA, "file": name,
            "require_reasons": outcome.policy.require_reasons, "escape": [ord(c) for c in ESCAPED_CHARS],
            "entries": [entry for _, entry, _ in found]}


def render_html(outcome: CheckOutcome, *, title: str = "provenance report") -> str:
    """The HTML report of a check (or of one comparison) as one self-contained page."""
    documents = [_document_view(k, d) for k, d in enumerate(outcome.documents, 1)]
    verdicts: Counter[str] = Counter()
    for view in documents:
        verdicts.update(view["verdicts"])
    findings = [f.finding for d in outcome.documents for p in d.passages for f in p.findings]
    type_rows = [((kind.value, severity.value), n) for (kind, severity), n in counts_by_type(findings)]
    present_types = [t.value for t in FindingType if any(f.type is t for f in findings)]
    review = _review_data(outcome, documents)
    failing = _failing_view(outcome, documents)
    script, script_hash = _script()
    page = _environment().get_template("report.html.j2").render(
        script=script, script_hash=script_hash, status_label=STATUS_LABEL, breaking=breaking(outcome.failed),
        breaches=[(d.report.document.path, b.describe()) for d in outcome.documents for b in d.breaches],
        title=title, outcome=outcome, documents=documents, verdicts=verdicts,
        verdict_order=[v.value for v in Verdict], type_rows=type_rows, present_types=present_types,
        severities=[s.value for s in Severity], counts=outcome.counts(), policy=outcome.policy.describe(),
        base_severity={r.type.value: r.severity.value for r in TAXONOMY}, failing=failing,
        failing_by_severity=Counter(f["severity"] for f in failing),
        worst_order=[s.value for s in sorted(Severity, key=SEVERITY_RANK.__getitem__)],
        review=review, review_json=_script_json(review), unreasoned_label=UNREASONED_LABEL,
    )
    return page


__all__ = ["render_html", "report_identity"]
