"""What every rendered view of a JSON report shares: passage text cut into marked pieces, hidden
and control characters made visible (`report/visible.py`), positions spelled `line:column`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from provenance.report.visible import SHOWN_RE, visible
from provenance.taxonomy import is_whole_passage

"""Findings about a passage as a whole: they mark no words inside it."""

def codepoint(ch: str) -> str:
    return f"U+{ord(ch):04X}"


def split_visible(text: str) -> list[tuple[str, bool]]:
    """Text cut into runs of ordinary text (False) and runs of one character that `visible` shows
    by code point (True)."""
    out: list[tuple[str, bool]] = []
    pos = 0
    for m in SHOWN_RE.finditer(text):
        if m.start() > pos:
            out.append((text[pos:m.start()], False))
        out.append((m.group(), True))
        pos = m.end()
    if pos < len(text):
        out.append((text[pos:], False))
    return out


def one_line(text: str, limit: int = 160) -> str:
    """Text on one line, spacing folded, invisible characters shown, cut at `limit` characters."""
    flat = visible(" ".join(text.split()))
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def where(span: dict[str, Any] | None) -> str:
    """A span as `line:column` or `line:column–line:column`."""
    if span is None:
        return ""
    start = f"{span['line']}:{span['column']}"
    end_line, end_col = span.get("end_line", span["line"]), span.get("end_column", span["column"])
    return start if (end_line, end_col) == (span["line"], span["column"]) else f"{start}–{end_line}:{end_col}"


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of passage text: unchanged (`finding` None) or under one finding."""

    text: str
    finding: int | None = None
    """Index of the finding in the passage's list."""

    @property
    def point(self) -> bool:
        """A finding with no text on this side (an omission seen from the document, an insertion
        seen from the source)."""
        return self.finding is not None and not self.text


def pieces(passage: dict[str, Any], side: str) -> list[Piece]:
    """The passage text on one side (`doc` or `src`) cut at the findings that cover it.

    Findings nested inside another one (a hidden character inside a substituted word) are left to
    the outer one, which shows the character anyway; whole-passage findings mark nothing.
    """
    if side == "doc":
        text: str = passage["text"]
        base: int = passage["doc_span"]["start"]
    else:
        match = passage.get("match")
        if match is None or "text" not in match:
            return []
        text = match["text"]
        base = match["src_span"]["start"]
    key = f"{side}_span"
    marks = sorted(
        ((f[key]["start"] - base, f[key]["end"] - base, k) for k, f in enumerate(passage["findings"])
         if f.get(key) is not None and not is_whole_passage(f["type"])),
        key=lambda m: (m[0], m[1] > m[0], m[0] - m[1], m[2]))
    out: list[Piece] = []
    pos = 0
    for start, end, k in marks:
        if start < pos or end > len(text) or start < 0:
            continue
        if start > pos:
            out.append(Piece(text[pos:start]))
        out.append(Piece(text[start:end], k))
        pos = end
    if pos < len(text):
        out.append(Piece(text[pos:]))
    return out


__all__ = ["Piece", "codepoint", "one_line", "pieces", "split_visible",
           "visible", "where"]
