"""Document text made safe to show: what every renderer must do with characters a reader cannot see.

Invisible and bidirectional-control characters (a right-to-left override reorders the line it is
written on: the report's own line, not only the quotation), C0 and C1 control characters (an
escape starts a terminal escape sequence; most are illegal in XML 1.0) and the Unicode line and
paragraph separators are never written out raw. `visible` shows them by code point, `⟨U+202E⟩`;
`escape_json` keeps them as `\\u202e` escapes in JSON text, which parses back to the same string.
"""

from __future__ import annotations

import re

from provenance.text import HIDDEN_CHARS

SHOWN_CHARS = HIDDEN_CHARS + "".join(map(chr, [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20),
                                               *range(0x7F, 0xA0), 0x2028, 0x2029, 0xFFFE, 0xFFFF]))
"""Every character shown by code point: hidden ones, controls other than tab and line ends,
line and paragraph separators, and the two noncharacters XML 1.0 forbids."""
_SHOWN_CLASS = f"[{re.escape(SHOWN_CHARS)}\ud800-\udfff]"
"""The shown characters and lone surrogates (which no encoder or XML parser accepts)."""
_SHOWN_RE = re.compile(f"({_SHOWN_CLASS})\\1*")
SHOWN_RE = _SHOWN_RE
"""A run of one character that `visible` shows by code point."""
SHOWN_RUN = 3
"""Longer runs of one character are shown once with their count: `⟨U+200B ×5,000⟩`."""
ESCAPED_CHARS = HIDDEN_CHARS + "".join(map(chr, [*range(0x7F, 0xA0), 0x2028, 0x2029, 0xFFFE, 0xFFFF]))
"""What `escape_json` writes as `\\uXXXX` (the HTML report's review writes its baseline file the same way)."""
_ESCAPED_RE = re.compile(f"[{re.escape(ESCAPED_CHARS)}]")


def _show(m: re.Match[str]) -> str:
    run = m.group()
    code = f"U+{ord(run[0]):04X}"
    return f"⟨{code}⟩" * len(run) if len(run) <= SHOWN_RUN else f"⟨{code} ×{len(run):,}⟩"


def shown_label(run: str) -> str:
    """How a run of one shown character is labelled: `U+200B`, or `U+200B ×5,000` for a long run."""
    code = f"U+{ord(run[0]):04X}"
    return " ".join([code] * len(run)) if len(run) <= SHOWN_RUN else f"{code} ×{len(run):,}"


def visible(text: str) -> str:
    """`text` with its hidden and control characters shown by code point, and a lone CR (which
    sends a terminal's cursor back over the line) as a line end."""
    return _SHOWN_RE.sub(_show, text.replace("\r\n", "\n").replace("\r", "\n"))


_LINE_RE = re.compile(f"({_SHOWN_CLASS}|[\\t\\n\\r])\\1*")
_CI_COMMAND_RE = re.compile(r"^(\s*):(?=:)|#(?=#(?:vso)?\[)", re.I)
"""What a CI service reads as a command in its log: `::error …::` opening a line (GitHub Actions, after
leading spaces), `##[error]` and `##vso[…]` anywhere in one (GitHub Actions' older syntax, Azure Pipelines)."""


def _show_ci(m: re.Match[str]) -> str:
    return f"{m.group(1) or ''}⟨U+{ord(m.group()[-1]):04X}⟩"


def visible_line(text: str) -> str:
    """`text` (a path, a message, a line of document text) made safe to print as one line of a terminal
    or a CI log: what `visible` shows, and tabs and line ends too, are shown by code point, and the
    first character of what a CI service would read as a command (`::error`, `##[`, `##vso[`) as well.
    Every path and text the command line prints goes through it; applied twice, it changes nothing more."""
    return _CI_COMMAND_RE.sub(_show_ci, _LINE_RE.sub(_show, text))


def escape_json(text: str) -> str:
    """JSON text (from `json.dumps(..., ensure_ascii=False)`) with the characters `visible` would
    show written as `\\uXXXX` escapes; C0 controls are escaped by `json.dumps` already."""
    return _ESCAPED_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


__all__ = ["ESCAPED_CHARS", "SHOWN_CHARS", "SHOWN_RE", "escape_json", "shown_label", "visible", "visible_line"]
