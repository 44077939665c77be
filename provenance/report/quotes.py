"""Report: the list of a document's quotations (`provenance quotes`), in the terminal or as JSON.

The JSON is `{"schema": "provenance.quotes/1", "document": path, "quotations": [...]}`, each
quotation `{id, kind, doc_span, text, claim}` with `claim` as in a report's passages
(`provenance.report.records.ClaimRecord`, without `found_in` and `agrees`: nothing was compared)
or null.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import msgspec

from provenance.model import Claim, Passage
from provenance.report.json_report import Lines, span_record
from provenance.report.marks import one_line, where
from provenance.report.visible import escape_json, visible, visible_line
from provenance.text import Text

QUOTES_SCHEMA = "provenance.quotes/1"


def quotes_record(document: Text, quotations: Sequence[tuple[Passage, Claim | None]],
                  source_ids: Sequence[str] = ()) -> dict[str, Any]:
    """The quotations as plain data, in document order."""
    lines = Lines(document.line_starts, document.origin)
    rows = []
    for k, (passage, claim) in enumerate(quotations, start=1):
        claimed = None
        if claim is not None:
            claimed = {"kind": claim.kind.value, "text": claim.text,
                       "doc_span": msgspec.to_builtins(span_record(claim.span, lines)), "entry": claim.entry,
                       "cites": source_ids[claim.source] if claim.source is not None else None,
                       "speaker": claim.speaker}
        rows.append({"id": f"q{k}", "kind": passage.kind.value,
                     "doc_span": msgspec.to_builtins(span_record(passage.span, lines)),
                     "text": document.original[passage.span.start:passage.span.end], "claim": claimed})
    return {"schema": QUOTES_SCHEMA, "document": document.path, "quotations": rows}


def render_quotes_json(record: dict[str, Any]) -> str:
    """The record as JSON, keys sorted, two-space indent, ending with a newline."""
    return escape_json(msgspec.json.format(msgspec.json.encode(record, order="sorted"), indent=2).decode()) + "\n"


def render_quotes_terminal(document: Text, quotations: Sequence[tuple[Passage, Claim | None]],
                           source_ids: Sequence[str] = ()) -> str:
    """One block per quotation: id, kind and place, the words, and what it claims as its source."""
    lines = Lines(document.line_starts, document.origin)
    n = len(quotations)
    out = [visible_line(f"{document.path}: {n} quotation{'s' if n != 1 else ''}"), ""]
    for k, (passage, claim) in enumerate(quotations, start=1):
        out.append(visible_line(f"q{k}  {passage.kind.value}  {where(span_record(passage.span, lines))}"))
        words = document.original[passage.span.start:passage.span.end]
        out.append("  \u201c" + visible(one_line(words, 200)) + "\u201d")
        if claim is None:
            out.append("  source: not said")
        else:
            said = claim.text
            if claim.entry and claim.entry != claim.text:
                said += f" \u2018{one_line(claim.entry, 80)}\u2019"
            if claim.source is not None and source_ids:
                said += f" = {source_ids[claim.source]}"
            out.append(visible_line(f"  {claim.kind.value.replace('_', '-')}: {said}"))
            if claim.speaker and claim.speaker != claim.text:
                out.append(visible_line(f"  speaker: {claim.speaker}"))
        out.append("")
    return "\n".join(out)
