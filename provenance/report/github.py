"""GitHub Actions annotations: one workflow command per failing finding,
`::error file=docs/a.md,line=3,endLine=3,col=25,endColumn=31,title=…::message`, which GitHub shows on
the pull request's changed lines and in the job's summary without code scanning.

Only findings that fail the check are written (what the exit status is about), errors first, then
warnings, then notices (a failing finding of info severity, by `fail_types`), each in document
order: GitHub shows the first ten errors and ten warnings of a step. Values are escaped as the
Actions toolkit escapes them (`%`, line ends, and in properties `:` and `,`), after every hidden,
control and line-end character of a path or text is shown by code point and any `##[` is broken
(`provenance.report.visible.visible_line`): a document cannot end the command early, start another
or forge one.
"""

from __future__ import annotations

from provenance.check.policy import CheckOutcome, DocumentOutcome, FindingOutcome
from provenance.model import Severity
from provenance.report.marks import impacts, location, one_line
from provenance.report.records import PassageRecord, SpanRecord
from provenance.report.visible import visible_line
from provenance.taxonomy import is_whole_passage

COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
"""The workflow command of each severity."""
_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def escape_data(text: str) -> str:
    """A command's message: on one line, shown safely, `%` and line ends escaped."""
    return visible_line(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A command's property value: as a message, and `:` and `,` escaped too."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _place(path: str, span: SpanRecord) -> str:
    """`file=…,line=…,endLine=…` and, on one line, `col=…,endColumn=…` (GitHub takes columns only then)."""
    end_line, end_column = span.end_position
    parts = [f"file={escape_property(path)}", f"line={span.line}", f"endLine={end_line}"]
    if end_line == span.line:
        parts += [f"col={span.column}", f"endColumn={max(end_column, span.column)}"]
    return ",".join(parts)


def _what(passage: PassageRecord, fo: FindingOutcome, source: str) -> str:
    """The annotation's message: what the source and the document say, and where in the source."""
    f = fo.finding
    impact = f" It changes the meaning ({impacts(f)})." if f.impact else ""
    if is_whole_passage(f.type):
        return f"{f.message}: “{one_line(f.doc_text, 200)}”.{impact}"
    src, doc = one_line(f.src_text, 200), one_line(f.doc_text, 200)
    if src.strip() and doc.strip():
        what = f"the source says “{src}”, the document “{doc}”"
    elif src.strip():
        what = f"the source's “{src}” is left out"
    elif doc.strip():
        what = f"the document adds “{doc}”"
    else:
        what = "white space differs"
    at = f" ({source} {f.src_span.line}:{f.src_span.column})" if source and f.src_span is not None else ""
    return f"{f.message}: {what}{at}.{impact}"


def _annotation(document: DocumentOutcome, passage: PassageRecord, fo: FindingOutcome) -> str:
    f = fo.finding
    source = passage.match.source if passage.match is not None else ""
    impact = f" [{impacts(f)}]" if f.impact else ""
    title = f"provenance: {f.severity.value} {f.type.value}{impact} ({passage.id})"
    place = _place(document.report.document.path, location(passage, f))
    return (f"::{COMMAND[f.severity]} {place},title={escape_property(title)}::"
            f"{escape_data(_what(passage, fo, source))}")


def _rate_annotations(document: DocumentOutcome) -> list[str]:
    """A whole transcription's error rates over their limits, on the document's first line."""
    path = escape_property(document.report.document.path)
    return [f"::error file={path},line=1,title={escape_property(f'provenance: {b.option}')}::"
            f"{escape_data(f'The transcription is over the policy: {b.describe()}.')}" for b in document.breaches]


def render_github(outcome: CheckOutcome) -> str:
    """The annotations of a check, one line each (nothing when nothing fails): error rates over their
    limits first, then the failing findings by severity."""
    failing = [(d, passage, fo) for d in outcome.documents for passage, fo in d.failing()]
    failing.sort(key=lambda item: _ORDER[item[2].finding.severity])  # stable: document order within a level
    lines = [line for d in outcome.documents for line in _rate_annotations(d)]
    lines += [_annotation(d, passage, fo) for d, passage, fo in failing]
    return "".join(line + "\n" for line in lines)


__all__ = ["COMMAND", "escape_data", "escape_property", "render_github"]
