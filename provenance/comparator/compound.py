"""Classify, last step for words: a change inside a figure or a code is reported on the whole token.

The comparator's words stop at a full stop, a comma or a hyphen, so `3.6` is the words `3` and `6`
and `UH-60` the words `UH` and `60`: a changed figure used to be reported as `8` for `6`, a changed
code as `UP-I` for `UH`. A reader checks figures and codes whole. Here a substitution or a
transcription slip that falls inside a compound token (letters and digits joined by `.`, `,`, `:`,
`/` or a hyphen, with no space: `3.6`, `1,200`, `10:30`, `UH-60`, `CJTF-OIR`) is widened to the
whole token on both sides, findings that then share a token become one, and the message names the
characters that differ. A changed digit stays a substitution with a `number` impact; a slip among
letters stays a transcription error.

Where it can fail: a token joined by a character outside that set (`CH–47` with an en dash is two
tokens), or a sentence's last word followed by a full stop and a figure with no space (`in 2019.3`),
read as one token.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from provenance.comparator.align import char_changes, is_slip
from provenance.model import Finding, FindingType, Impact, Span
from provenance.taxonomy import severity_of

_COMPOUND_RE = re.compile(r"\w+(?:[.,:/\-\u2010\u2011][^\W_]+)+")
_WIDENED = (FindingType.SUBSTITUTION, FindingType.TRANSCRIPTION_ERROR)


def _token_around(text: str, span: Span) -> Span | None:
    """The compound token holding `span`, when it is wider than the span."""
    line_start = max(text.rfind(" ", 0, span.start), text.rfind("\n", 0, span.start)) + 1
    window_end = min(len(text), span.end + 80)
    for m in _COMPOUND_RE.finditer(text, line_start, window_end):
        if m.start() <= span.start and span.end <= m.end():
            return Span(m.start(), m.end()) if (m.start(), m.end()) != (span.start, span.end) else None
        if m.start() > span.end:
            break
    return None


def _widened(finding: Finding, doc_text: str, src_text: str) -> Finding | None:
    """The finding on the whole tokens it falls in, or None when it falls in no compound token."""
    if finding.type not in _WIDENED or finding.doc_span is None or finding.src_span is None:
        return None
    doc_token = _token_around(doc_text, finding.doc_span)
    src_token = _token_around(src_text, finding.src_span)
    if doc_token is None and src_token is None:
        return None
    doc_span = doc_token or finding.doc_span
    src_span = src_token or finding.src_span
    # The characters added on each side must be the same (`3.` before `6` and before `8`): they
    # are the token's unchanged part. Widened on one side only (`a.a` against `the nation`), the
    # finding would take in words already compared on their own, and the report would say them twice.
    added = (doc_text[doc_span.start:finding.doc_span.start], doc_text[finding.doc_span.end:doc_span.end])
    if added != (src_text[src_span.start:finding.src_span.start], src_text[finding.src_span.end:src_span.end]):
        return None
    return replace(finding, doc_span=doc_span, src_span=src_span, doc_text=doc_text[doc_span.start:doc_span.end],
                   src_text=src_text[src_span.start:src_span.end])


def _retold(finding: Finding) -> Finding:
    """Type, impact, severity and message of a finding on whole tokens, from what differs between them."""
    doc, src = finding.doc_text, finding.src_text
    digits_differ = [c for c in doc if c.isdigit()] != [c for c in src if c.isdigit()]
    kind = "code" if any(c.isalpha() for c in doc + src) else "figure"
    impact: tuple[Impact, ...] = tuple(i for i in finding.impact if i is not Impact.NUMBER)
    if digits_differ:
        impact = (Impact.NUMBER, *impact)
    slip = not digits_differ and is_slip(doc.lower(), src.lower())
    kind_of = FindingType.TRANSCRIPTION_ERROR if slip else FindingType.SUBSTITUTION
    message = f"the {kind} {src!r} written {doc!r}: {char_changes(doc, src)}"
    return replace(finding, type=kind_of, impact=impact, severity=severity_of(kind_of, impact), message=message)


def _same_token(a: Finding, b: Finding) -> bool:
    """Two widened findings on one token of either text."""
    assert a.doc_span is not None and b.doc_span is not None
    return a.doc_span.start < b.doc_span.end and b.doc_span.start < a.doc_span.end or a.src_span == b.src_span


def _union(a: Finding, b: Finding, doc_text: str, src_text: str) -> Finding:
    assert a.doc_span and b.doc_span and a.src_span and b.src_span
    doc_span = Span(min(a.doc_span.start, b.doc_span.start), max(a.doc_span.end, b.doc_span.end))
    src_span = Span(min(a.src_span.start, b.src_span.start), max(a.src_span.end, b.src_span.end))
    return replace(a, doc_span=doc_span, src_span=src_span, doc_text=doc_text[doc_span.start:doc_span.end],
                   src_text=src_text[src_span.start:src_span.end],
                   impact=tuple(dict.fromkeys((*a.impact, *b.impact))))


def whole_tokens(findings: Sequence[Finding], doc_text: str, src_text: str) -> list[Finding]:
    """The findings, with those inside figures and codes widened to whole tokens and merged."""
    out: list[Finding] = []
    widened: set[int] = set()
    for finding in findings:
        wide = _widened(finding, doc_text, src_text)
        if wide is None:
            out.append(finding)
            continue
        if out and len(out) - 1 in widened and _same_token(out[-1], wide):
            out[-1] = _union(out[-1], wide, doc_text, src_text)
            continue
        widened.add(len(out))
        out.append(wide)
    return [_retold(f) if k in widened else f for k, f in enumerate(out)]
