"""The Markdown report, for a pull-request comment or a job summary: the result, a summary table,
then only the findings that fail the policy, the most important first, within the size GitHub
accepts. Document text and paths are escaped so that GitHub's renderer (cmark-gfm and its
extensions) shows them as the text they are: never markup, links, autolinks, mentions or HTML;
invisible characters are spelled out."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from provenance.check.policy import CheckOutcome, DocumentOutcome, FindingOutcome
from provenance.model import Severity, Verdict
from provenance.report.marks import failing_text, impacts, location, one_line, plural, visible, where
from provenance.report.records import FindingRecord, PassageRecord
from provenance.taxonomy import is_whole_passage

MAX_ROWS = 50
"""Failing findings listed per document; the rest are counted."""
LIMIT = 65_536
"""What GitHub takes in a pull-request comment (in UTF-16 code units, as its pages count)."""
MAX_CHARS = 60_000
"""What the report may hold before its closing note; the note is short, so the whole stays under `LIMIT`."""
FULL_REPORT = ("the HTML report of this check (`provenance.html` in its report folder; `provenance report` "
               "renders it again from the JSON reports) lists everything")

_MD_ESCAPE_RE = re.compile(r"(?P<split>@|[#:](?=[\w+\-]))|(?P<www>(?<=www)\.)|(?P<char>[\\`*_{}\[\]()<>#|~&@:$])",
                           re.IGNORECASE)
"""What GitHub could read as markup in a line of text:
- `split`: `@name` (a mention), `#12` (an issue), `:smile:` (an emoji) and `user@host.org` (an e-mail
  autolink, even `9@.b`) are found in the rendered text, where a backslash escape is gone: an empty
  HTML comment after the character cuts the text there, and GitHub shows nothing of it;
- `www`: the dot after `www` (cmark-gfm's `www.` autolink needs it unescaped);
- `char`: the ASCII punctuation that starts emphasis, code, links, HTML, entities, math or strikethrough,
  and `|`, which splits a table row even inside a code span; `:` cuts `https://` autolinks."""
_SEVERITY_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
_LINE_CONTROLS = str.maketrans({"\t": "⟨U+0009⟩", "\n": "⟨U+000A⟩", "\r": "⟨U+000D⟩"})


def _escape_match(m: re.Match[str]) -> str:
    if m.group("split"):
        return "\\" + m.group() + "<!-- -->"
    return "\\" + m.group()


def _escape(flat: str) -> str:
    """One line of text (already visible, already cut) made inert in GitHub-flavoured Markdown."""
    return _MD_ESCAPE_RE.sub(_escape_match, flat)


def md_escape(text: str, limit: int = 120) -> str:
    """One line of document text (spacing folded, cut at `limit`) made inert in GitHub-flavoured
    Markdown, table cells included."""
    return _escape(one_line(text, limit))


def _path_line(path: str, limit: int = 160) -> str:
    """A path on one line as it is: tabs and line ends shown by code point, never folded, cut at `limit`."""
    flat = visible(path.translate(_LINE_CONTROLS))
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def md_path(path: str, limit: int = 160) -> str:
    """A path made inert in Markdown (see `md_escape`)."""
    return _escape(_path_line(path, limit))


def md_code(text: str, limit: int = 200) -> str:
    """A path as a code span that shows it whole: the fence is one backtick longer than the longest run
    of backticks in it, padded with a space when it starts or ends with a backtick or a space."""
    flat = _path_line(text, limit)
    fence = "`" * (max((len(run) for run in re.findall("`+", flat)), default=0) + 1)
    pad = " " if flat[:1] in ("`", " ") or flat[-1:] in ("`", " ") else ""
    return f"{fence}{pad}{flat}{pad}{fence}"


def _size(lines: Sequence[str]) -> int:
    """The size of lines as GitHub counts it (UTF-16 code units), with their line ends."""
    return sum(len(line) + 1 + sum(1 for c in line if ord(c) > 0xFFFF) for line in lines)


def _headline(outcome: CheckOutcome) -> list[str]:
    """The result, then the policy and the baseline."""
    if outcome.fails:
        lines = [f"### provenance: ❌ {failing_text(outcome.failed, outcome.breaches)}"]
    else:
        lines = ["### provenance: ✅ no finding breaks the policy"]
    for d in outcome.documents:
        lines += [f"- {md_path(d.report.document.path)}: {md_escape(b.describe())}" for b in d.breaches]
    meta = f"Policy: {outcome.policy.describe()}."
    if outcome.baseline_path:
        accepted = outcome.counts()["baselined"]
        meta += f" Baseline: {md_code(outcome.baseline_path)}, {accepted} known finding(s) accepted"
        meta += f", {len(outcome.stale)} no longer found." if outcome.stale else "."
    return [*lines, "", meta, ""]


def _importance(fo: FindingOutcome) -> tuple[int, bool]:
    """How a failing finding ranks: by severity, then a change of meaning first."""
    return _SEVERITY_RANK[fo.finding.severity], not fo.finding.impact


def _document_rank(document: DocumentOutcome) -> tuple[int, int, bool, int]:
    """How a document ranks: failing before passing, then by its most important failing finding, then
    by the number of them."""
    failing = document.failing()
    if not failing:
        return 1, 0, False, 0
    return (0, *min(_importance(fo) for _, fo in failing), -len(failing))


def _verdict_header() -> list[str]:
    verdicts = [v.value for v in Verdict]
    return ["| document | " + " | ".join(verdicts) + " | failing |", "|---|" + "---:|" * (len(verdicts) + 1)]


def _verdict_row(d: DocumentOutcome) -> str:
    """A document's passages by verdict and its failing findings."""
    counts = Counter(p.passage.verdict.value for p in d.passages)
    return (f"| {md_path(d.report.document.path)} | " + " | ".join(str(counts[v.value]) for v in Verdict)
            + f" | {d.failed} |")


def _finding_row(passage: PassageRecord, finding: FindingRecord) -> str:
    """One failing finding as a table row: where, passage, type and impact, severity, source, document.
    A whole-passage finding shows its message in the source's column."""
    kind = finding.type.value + (f" ({impacts(finding)})" if finding.impact else "")
    if is_whole_passage(finding.type):
        src, doc = md_escape(finding.message), md_escape(finding.doc_text, 80)
    else:
        src, doc = md_escape(finding.src_text, 80), md_escape(finding.doc_text, 80)
    return (f"| {where(location(passage, finding))} | {md_escape(passage.id, 20)} | {kind} | "
            f"{finding.severity.value} | {src} | {doc} |")


def _document_section(document: DocumentOutcome, budget: int) -> tuple[list[str], int]:
    """A document's failing findings as a table, the most important first: at most `MAX_ROWS` of them,
    within `budget` characters; with the number of findings left out. Empty when not even its head fits."""
    failing = sorted(document.failing(), key=lambda item: _importance(item[1]))
    lines = ["", f"#### {md_path(document.report.document.path)}", "",
             "| where | passage | finding | severity | source | document |", "|---|---|---|---|---|---|"]
    size = _size(lines)
    if size > budget:
        return [], len(failing)
    shown = 0
    for passage, fo in failing[:MAX_ROWS]:
        row = _finding_row(passage, fo.finding)
        size += _size([row])
        if size > budget:
            break
        lines.append(row)
        shown += 1
    if not shown:
        return [], len(failing)
    if shown < len(failing):
        lines.append(f"\n… and {plural(len(failing) - shown, 'more failing finding')} in this document.")
    return lines, len(failing) - shown


def _sections(ranked: Sequence[DocumentOutcome], budget: int) -> tuple[list[str], int, int]:
    """The sections of the failing documents in rank order, within `budget`; with the number of failing
    findings left out and of failing documents left out whole."""
    lines: list[str] = []
    left_findings = left_documents = 0
    for d in ranked:
        if not d.failed:
            break
        section, left = _document_section(d, budget - _size(lines) - 120)  # room for its own closing line
        if not section:
            left_documents += 1
        lines += section
        left_findings += left
    return lines, left_findings, left_documents


def _table(ranked: Sequence[DocumentOutcome], budget: int) -> tuple[list[str], int]:
    """The table of documents by verdict, failing ones first, within `budget`; with the rows left out."""
    lines = _verdict_header()
    size = _size(lines)
    for k, d in enumerate(ranked):
        row = _verdict_row(d)
        size += _size([row])
        if size > budget:
            return lines, len(ranked) - k
        lines.append(row)
    return lines, 0


def _closing(rows_left: int, findings_left: int, documents_left: int) -> list[str]:
    """What was left out (past `MAX_ROWS` findings of a document, or to stay within `LIMIT`), and where
    the full report is."""
    parts = []
    if findings_left:
        whole = f", {plural(documents_left, 'document')} of them not listed at all" if documents_left else ""
        parts.append(f"{plural(findings_left, 'failing finding')}{whole}")
    if rows_left:
        parts.append(f"{plural(rows_left, 'document')} in the table")
    if not parts:
        return []
    return ["", f"… not shown here (at most {MAX_ROWS} findings a document and {LIMIT:,} characters): "
                f"{' and '.join(parts)}; {FULL_REPORT}."]


def render_markdown(outcome: CheckOutcome) -> str:
    """The Markdown report of a check, under GitHub's `LIMIT`: the result, the table of documents
    (failing ones first), then the failing findings of each document, the most important first; what
    does not fit is counted in a closing note that says where the full report is."""
    head = _headline(outcome)
    ranked = sorted(outcome.documents, key=_document_rank)  # stable: document order among equals
    budget = MAX_CHARS - _size(head)
    table_share = min(_size(_table(ranked, budget)[0]), budget // 2)  # the findings keep at least half
    sections, findings_left, documents_left = _sections(ranked, budget - table_share)
    table, rows_left = _table(ranked, budget - _size(sections))
    lines = head + table + sections + _closing(rows_left, findings_left, documents_left)
    return "\n".join(lines) + "\n"


__all__ = ["LIMIT", "md_code", "md_escape", "md_path", "render_markdown"]
