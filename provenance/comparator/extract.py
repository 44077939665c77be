"""Extract: find the passages a document presents as quoted, with their markup and attribution.

Inline quotations (straight, curly, guillemet and low-high marks, nested quotes, quotations that
run over several paragraphs with the opening mark repeated), block quotations (Markdown `>`,
HTML `<blockquote>`, indented paragraphs), and inside them the editorial markup: bracketed
insertions and ellipses. No alignment happens here.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from provenance.comparator.tuning import MAX_NESTING
from provenance.model import Markup, Passage, PassageKind, Span
from provenance.rules import BRACKET_PATTERN, ELLIPSIS_PATTERN
from provenance.text import Text, mojibake_spans, overlaps_mojibake

_MARK_RE = re.compile("[\"\u201c\u201d\u201e\u00ab\u00bb\u2039\u203a\u2018\u2019\u201a']")
# A blank line: a line end, then one or more lines holding nothing but spaces. A CRLF is one
# line end, never two; the match stops where the next paragraph's first line begins.
# Two line ends with spaces or tabs between, and all the blank lines after: no repeated group, whose
# every repetition the regular-expression engine keeps a frame for (190 bytes a blank line).
PARAGRAPH_BREAK_RE = re.compile(r"(?:\r\n|\r(?!\n)|\n)[ \t]*(?:\r\n|\r(?!\n)|\n)(?:[ \t\r\n]*[\r\n])?")
_MD_QUOTE_LINE_RE = re.compile(r"^[ \t]{0,3}>[ \t]?", re.M)
_HTML_OPEN_RE = re.compile(r"<blockquote\b[^>]{0,400}>", re.I)
_HTML_CLOSE_RE = re.compile(r"</blockquote\s{0,40}>", re.I)
_HTML_TAG_RE = re.compile(r"<[^<>\n]{1,200}>")
_ELEMENT_TAG_RE = re.compile(r"</?[A-Za-z][\w-]{0,20}(?:\s[^<>\n]{0,400})?>")
"""An HTML tag written in a document (raw HTML in Markdown): its attribute values are no quotations."""
CREDIT_LINE_RE = re.compile(r"[ \t>]*(?:\u2014|\u2015|--|\u2013)[ \t]*(?P<who>[A-Z][^\n]{1,100})$", re.M)
"""A credit line of a block quotation: a dash, then who said it (`— Mark Twain, 1897`), inside the
block's `>` lines or under it."""
_INDENTED_PARA_RE = re.compile(r"(?:(?<=\n)|\A)((?:(?:    |\t)[^\n]*\S[^\n]*(?:\n|\Z))+)")

# Editorial markup: `[...]`, `[…]` and `(...)` are ellipses; any other bracketed text is an
# editorial insertion; `...`, `…` and `. . .` are ellipses.
_MARKUP_RE = re.compile(rf"(?P<ellipsis>{ELLIPSIS_PATTERN})|(?P<bracket>{BRACKET_PATTERN})")

_OPEN_DOUBLE = {"\u201c": "\u201d", "\u201e": "\u201c", "\u00ab": "\u00bb", '"': '"', "\u201d": "\u201d"}
_OPEN_SINGLE = {"\u2018": "\u2019", "\u201a": "\u2018", "\u2039": "\u203a", "'": "'"}
_OPENING_CONTEXT = " \t\r\n([{<\u2014\u2013-/:;,"
_CLOSING_CONTEXT = " \t\r\n)]}>.,;:!?\u2014\u2013-/\u2026"

_VERBS = (
    r"said|says|say|wrote|writes|told(?:\s+\w+){0,2}|reported|reports|reporting|stated|states|"
    r"added|adds|declared|declares|announced|announces|headlined|explained|explains|noted|notes|"
    r"tweeted|recalled|insisted|argued|replied|warned|observed|remarked|asked|answered|"
    r"continued|concluded|wrote in|put it|puts it|"
    r"admitted|admits|acknowledged|acknowledges|conceded|concedes|confirmed|confirms|claimed|claims|"
    r"promised|promises|pledged|vowed|predicted|predicts|suggested|suggests|stressed|stresses|"
    r"emphasi[sz]ed|maintained|maintains|contended|countered|agreed|protested|complained|"
    r"assured|disclosed|revealed|reveals|testified|posted|cautioned|urged|estimated|estimates|"
    r"writing|saying|telling(?:\s+\w+){0,2}|told\s+\w+\s+that|"
    r"called(?:\s+(?:it|this|that|them|the\s+\w+)){0,1}|described(?:\s+(?:it|this|that|the\s+\w+))?\s+as"
)
_NAME = r"(?:[A-Z][\w.\u2019'&-]*|the|of|de|van|von|al|bin)(?:\s+(?:[A-Z][\w.\u2019'&-]*|of|the|de|van|von|al|bin))*"
_WHO = rf"(?:{_NAME}|[Hh]e|[Ss]he|[Tt]hey|[Ii]t|[Tt]he \w+(?:\s+\w+)?)"
_BETWEEN = r"(?:\s+(?:also|herself|himself|themselves|itself|later|then|again|further|once|first|had|has|have))*"
"""Words that may stand between a speaker and the verb (`Adeyemi herself admitted`)."""
_OBJECT = r"(?:\s+(?!that\b)[a-z][\w'\u2019-]*){0,4}?(?:\s+that(?:\s+[a-z][\w'\u2019-]*){0,3})?"
"""What may follow the verb before the quotation: `told the press conference that the operation`,
`said at the meeting that`, `called the closure` (lower-case words only: a name starts a new clause)."""
_CUE_WHO = re.compile(rf"(?<![\w'\u2019])(?P<cue>[A-Z][\w.\u2019'&-]*"
                      rf"(?:\s+(?:[A-Z][\w.\u2019'&-]*|de|van|von|al|bin))*,\s+who{_BETWEEN}\s+(?:{_VERBS}){_OBJECT})"
                      r"\s*[:,]?\s*$")
"""A name with a relative clause (`from Thoreau, who said:`, `spoke to Smith, who said:`); not
after `of` or `for` (`a law partner of Lincoln, who wrote:`, `a spokesman for Smith, who said:`),
where the clause may be the partner's (`_OF_NAME_RE`), and the name starts with a capital (so not
`of Lincoln`). Where it fails: `an aide to Lincoln, who said:` is taken for Lincoln's words."""
_CUE_BEFORE = [
    re.compile(rf"(?P<cue>(?:\b[Aa]s\s+)?\b{_WHO}{_BETWEEN}\s+(?:{_VERBS}){_OBJECT})\s*[:,]?\s*$"),
    _CUE_WHO,
    re.compile(rf"\b(?P<cue>[Aa]ccording to\s+{_NAME}(?:\s+[a-z][\w'\u2019-]*){{0,3}})\s*,?\s*$"),
    re.compile(rf"\b(?P<cue>[Ii]n the words of\s+{_NAME}(?:\s+[a-z][\w'\u2019-]*){{0,3}})\s*[:,]?\s*$"),
    re.compile(rf"\b(?P<cue>{_NAME}\s+(?:reads|read|puts it|put it))\s*[:,]?\s*$"),
]
"""The cues before a quotation, tried in order."""
_OF_NAME_RE = re.compile(r"\b(?:of|for)\s+(?:(?:[A-Z][\w.\u2019'&-]*|de|van|von|al|bin)\s+)*$")
"""`of` or `for` before a name and its other words (`a law partner of Abraham `): the relative
clause after the name may be the partner's."""
_CUE_AFTER = [
    re.compile(rf"^\s*[,.]?\s*(?P<cue>(?:[Ii]n the words of|[Aa]ccording to)\s+{_NAME})"),
    re.compile(rf"^\s*,?\s*(?P<cue>{_WHO}(?:\s+[a-z][\w'\u2019-]*){{0,2}}\s+(?:{_VERBS}))\b"),
    re.compile(rf"^\s*,?\s*(?P<cue>(?:{_VERBS})\s+{_NAME}(?:\s+[a-z][\w'\u2019-]*){{0,2}})\b"),
]




@dataclass(frozen=True, slots=True)
class _OpenQuotation:
    """A quotation opened and not yet closed, while the marks of a text are read in order."""

    mark: str
    """The opening mark."""
    close: str
    """The mark that closes it."""
    family: str
    """`double` or `single`: a straight mark closes the innermost quotation of its family."""
    pos: int
    """Offset of the opening mark."""
    continued: tuple[int, ...] = ()
    """Offsets of the opening mark repeated at the start of each paragraph it runs on into."""


def find_markup(text: str, start: int, end: int) -> tuple[Markup, ...]:
    """Bracketed insertions and ellipses inside `text[start:end]`."""
    found: list[Markup] = []
    for m in _MARKUP_RE.finditer(text, start, end):
        if overlaps_mojibake(text, m.start(), m.end()):
            continue  # `…` in `Ã…` or `Ń…` is a byte of damaged text, not an ellipsis
        kind = "ellipsis" if m.group("ellipsis") else "bracket"
        found.append(Markup(kind, Span(m.start(), m.end())))
    return tuple(found)


def markup_positions(word_starts: Sequence[int], markup: Sequence[Markup]) -> list[tuple[int, Markup]]:
    """Where each bracket or ellipsis stands among a passage's words, given their start offsets:
    position k is before word k (after the last word when k is their number)."""
    return [(bisect.bisect_left(word_starts, m.span.start), m) for m in markup if m.kind != "ignored"]


def _with_markup(text: str, start: int, end: int, ignored: Sequence[Markup] = ()) -> tuple[Markup, ...]:
    """The brackets and ellipses of `text[start:end]` with the ignored marks given, in order."""
    return tuple(sorted((*find_markup(text, start, end), *ignored), key=lambda m: m.span.start))


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _is_apostrophe(text: str, i: int) -> bool:
    """Whether the mark at `i` is an apostrophe: America's, '90s, rock 'n' roll."""
    prev = text[i - 1] if i else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    if prev.isalnum() and nxt.isalnum():
        return True
    # '90s, ’em, ’tis: an elision at the start of a word
    if text[i] == "\u2018":
        return False  # an opening mark, whatever follows
    return bool(re.match(r"(?:\d\ds\b|em\b|tis\b|twas\b|til\b|n\b)", text[i + 1:i + 6], re.I))


def _classify_mark(text: str, i: int) -> str:
    """`open`, `close`, `either` or `apostrophe` for the quotation mark at `i`."""
    ch = text[i]
    if ch in "'\u2019\u2018" and _is_apostrophe(text, i):
        return "apostrophe"
    can_open, can_close = _open_close_context(text, i)
    if ch in "\"'":
        return _classify_straight_mark(ch, can_open, can_close)
    return _classify_typographic_mark(ch, can_open, can_close)


def _open_close_context(text: str, i: int) -> tuple[bool, bool]:
    """Whether the characters around the mark at `i` let it open a quotation, and close one:
    an opening mark follows a space, a bracket or another mark and comes before a non-space; a
    closing mark follows a non-space and comes before a space, punctuation or another mark."""
    prev = text[i - 1] if i else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    can_open = prev in _OPENING_CONTEXT or prev in "\"\u201c\u2018\u00ab\u2039\u201e\u201a" or not i
    can_close = nxt in _CLOSING_CONTEXT or nxt in "\"\u201d\u2019\u00bb\u203a\u201c\u2018'" or i + 1 == len(text)
    return can_open and not nxt.isspace(), can_close and not prev.isspace()


def _classify_typographic_mark(ch: str, can_open: bool, can_close: bool) -> str:
    """`open`, `close` or `either` for a curly mark, a guillemet or a low mark, given its context."""
    if ch in "\u00bb\u203a":
        # closing guillemets, or opening ones in German and Danish use: »so«
        return "open" if can_open and not can_close else "close"
    if ch in "\u00ab\u2039":
        return "close" if can_close and not can_open else "open"
    if ch in "\u201c\u201e\u2018\u201a":
        return "open" if not can_close or ch in "\u201e\u201a" else "either"
    if ch == "\u201d":
        # closing mark, or the opening one in Swedish and Finnish use: ”så”
        return "open" if can_open and not can_close else "close"
    return "close"  # a right single mark that is not an apostrophe


def _classify_straight_mark(ch: str, can_open: bool, can_close: bool) -> str:
    """`open`, `close`, `either` or `apostrophe` for a straight mark, which only its context tells."""
    if can_open and can_close:
        return "either"
    if can_open:
        return "open"
    if can_close:
        return "close"
    return "apostrophe" if ch == "'" else "either"


def _later_single_close(text: str, start: int, ch: str, breaks: Sequence[tuple[int, int]],
                        break_starts: Sequence[int]) -> bool:
    """Whether a single closing mark `ch` stands later in the same paragraph, before a non-letter,
    with no mark between that opens a new single quotation.

    `The players' union will accept' on Monday`: the later mark closes the quotation the possessive
    stands in. `with 'military success' or obstruct 'recruiting and enlistment' into`: the next mark
    opens a quotation of its own, so the one after `success` closed the first; without this a
    quotation ending in a plural stays open to the paragraph's end, and in hard-wrapped text with
    no blank lines that is the end of the document, every later quotation nested inside it.
    """
    b = bisect.bisect_left(break_starts, start)
    end = breaks[b][0] if b < len(breaks) else len(text)
    k = text.find(ch, start, end)
    while k != -1:
        if not _is_apostrophe(text, k):
            can_open, can_close = _open_close_context(text, k)
            if can_open and not can_close:
                return False  # a new quotation opens before any mark closes this one
            if can_close:
                return True
        k = text.find(ch, k + 1, end)
    return False


def _family(ch: str) -> str:
    """`double` or `single`: the family of a quotation mark."""
    return "double" if ch in "\"\u201c\u201d\u201e\u00ab\u00bb" else "single"


def _inline_quotes(text: str, blocked: list[Span]) -> list[tuple[int, int, tuple[int, ...]]]:
    """Outermost quotations: (first char inside, end inside, repeated opening marks)."""
    return _QuotationScanner(text, blocked).scan()


class _QuotationScanner:
    """Reads the quotation marks of a text in order, pairing opening and closing marks on a stack.

    Marks inside block quotations and bytes of mojibake are skipped; a paragraph break ends every
    open quotation unless the next paragraph starts with the outermost one's opening mark again.
    """

    def __init__(self, text: str, blocked: list[Span]) -> None:
        self.text = text
        self.blocked = blocked
        self.breaks = [m.span() for m in PARAGRAPH_BREAK_RE.finditer(text)]
        self.break_starts = [b[0] for b in self.breaks]
        self.damaged = mojibake_spans(text)
        self.found: list[tuple[int, int, tuple[int, ...]]] = []
        self.stack: list[_OpenQuotation] = []
        self.block_i = 0
        self.break_i = 0
        self.damaged_i = 0

    def scan(self) -> list[tuple[int, int, tuple[int, ...]]]:
        """The outermost quotations found: (first char inside, end inside, repeated opening marks)."""
        for m in _MARK_RE.finditer(self.text):
            i = m.start()
            if self._inside_block(i):
                self.stack.clear()
                continue
            if self._inside_mojibake(i):
                continue  # a byte of mojibake (`„` in `Ã¢â‚¬â„¢`), not a quotation mark
            self._read_mark(i, self._last_break_before(i))
        return self.found

    def _inside_block(self, i: int) -> bool:
        """Whether offset `i` lies in a block quotation (offsets must come in increasing order)."""
        while self.block_i < len(self.blocked) and self.blocked[self.block_i].end <= i:
            self.block_i += 1
        return self.block_i < len(self.blocked) and self.blocked[self.block_i].start <= i

    def _inside_mojibake(self, i: int) -> bool:
        """Whether offset `i` lies in a stretch of mojibake (offsets must come in increasing order)."""
        while self.damaged_i < len(self.damaged) and self.damaged[self.damaged_i][1] <= i:
            self.damaged_i += 1
        return self.damaged_i < len(self.damaged) and self.damaged[self.damaged_i][0] <= i

    def _last_break_before(self, i: int) -> tuple[int, int] | None:
        """The last paragraph break passed since the previous mark read, if any."""
        passed = None
        while self.break_i < len(self.breaks) and self.breaks[self.break_i][1] <= i:
            passed = self.breaks[self.break_i]
            self.break_i += 1
        return passed

    def _read_mark(self, i: int, passed_break: tuple[int, int] | None) -> None:
        """Open, close or continue a quotation with the mark at `i`, or leave it as an apostrophe."""
        ch = self.text[i]
        if passed_break is not None:
            if self._continue_after_break(passed_break, i, ch):
                return
            self.stack.clear()
        kind = _classify_mark(self.text, i)
        if kind == "apostrophe":
            return
        if kind in ("close", "either") and self.stack:
            if self._is_plural_possessive(i, ch) or self._close_innermost(i, ch):
                return
        if kind in ("open", "either"):
            opened = _opening(ch, i)
            if opened is not None:
                self.stack.append(opened)

    def _continue_after_break(self, passed_break: tuple[int, int], i: int, ch: str) -> bool:
        """Whether the mark at `i` repeats, at the start of the paragraph after `passed_break`, the
        opening mark of the outermost open quotation (a double one, or one opened with `‘`), which
        then runs on; the repeated mark is recorded."""
        top = self.stack[0] if self.stack else None
        if (top is None or not (top.family == "double" or top.mark == "\u2018")
                or self.text[passed_break[1]:i].strip() or ch != top.mark):
            return False
        self.stack[:] = [_OpenQuotation(top.mark, top.close, top.family, top.pos, (*top.continued, i))]
        return True

    def _is_plural_possessive(self, i: int, ch: str) -> bool:
        """`The players' union`: inside a single-quoted quotation, a mark after an s and before a
        lower-case word is a plural possessive if another closing mark follows in the paragraph."""
        text = self.text
        return (self.stack[-1].family == "single" and ch in "'\u2019" and i > 0 and text[i - 1] in "sS"
                and re.match(r" [a-z]", text[i + 1:i + 3]) is not None
                and _later_single_close(text, i + 1, ch, self.breaks, self.break_starts))

    def _close_innermost(self, i: int, ch: str) -> bool:
        """Close the innermost open quotation (at most `MAX_NESTING` deep) that the mark at `i` can
        close, recording it when it was the outermost; whether one was closed."""
        family = _family(ch)
        j = len(self.stack) - 1
        floor = max(-1, len(self.stack) - 1 - MAX_NESTING)
        while j > floor and not (self.stack[j].close == ch
                                 or (self.stack[j].family == family and ch in "\"'\u201d\u2019")):
            j -= 1
        if j <= floor:
            return False
        opened = self.stack[j]
        del self.stack[j:]
        if not self.stack:
            self.found.append((opened.pos + 1, i, opened.continued))
        return True


def _opening(ch: str, i: int) -> _OpenQuotation | None:
    """The quotation the mark `ch` at `i` opens, with the mark that closes it; None for a mark that
    cannot open one."""
    if ch == "\u00bb":
        return _OpenQuotation(ch, "\u00ab", "double", i)
    if ch == "\u203a":
        return _OpenQuotation(ch, "\u2039", "single", i)
    if ch in _OPEN_DOUBLE:
        return _OpenQuotation(ch, _OPEN_DOUBLE[ch], "double", i)
    if ch in _OPEN_SINGLE:
        return _OpenQuotation(ch, _OPEN_SINGLE[ch], "single", i)
    return None


def _attribution(text: str, start: int, end: int, para_start: int, para_end: int) -> tuple[str, Span] | None:
    """The attribution cue just before the opening mark or just after the closing mark."""
    lo = max(para_start, start - 160)
    raw = text[lo:start]
    pieces = re.split(r"(?<=[.!?])\s+(?=[A-Z\u201c\"])", raw)
    offset = lo + len(raw) - len(pieces[-1])
    before = pieces[-1].rstrip(" \t\"\u201c\u201e\u00ab\u2018'")
    for pattern in _CUE_BEFORE:
        m = pattern.search(before)
        if m and not (pattern is _CUE_WHO and _OF_NAME_RE.search(before, 0, m.start("cue"))):
            return " ".join(m.group("cue").split()), Span(offset + m.start("cue"), offset + m.end("cue"))
    raw = text[end:min(para_end, end + 160)]
    after = raw.lstrip("\"\u201d\u00bb\u2019'")
    if text[:end].rstrip("\"\u201d\u00bb\u2019' ")[-1:] in (".", "!", "?") and after.strip()[:1].isupper():
        return None  # the quotation ended its sentence: what follows belongs to the next one
    offset = end + len(raw) - len(after)
    for pattern in _CUE_AFTER:
        m = pattern.search(after)
        if m:
            cue_end = m.end("cue")
            # The sentence's full stop is not part of a name (but the one of "U.S." is).
            if after[cue_end - 1] == "." and "." not in after[m.start("cue"):cue_end - 1].split()[-1]:
                cue_end -= 1
            cue = after[m.start("cue"):cue_end]
            return " ".join(cue.split()), Span(offset + m.start("cue"), offset + cue_end)
    return None


class _Paragraphs:
    """Paragraph breaks of a text, found once, for bisecting."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.breaks = [m.span() for m in PARAGRAPH_BREAK_RE.finditer(text)]
        self.break_ends = [b[1] for b in self.breaks]

    def bounds(self, pos: int) -> tuple[int, int]:
        """Start and end of the paragraph holding `pos`."""
        k = bisect.bisect_right(self.break_ends, pos)
        start = self.breaks[k - 1][1] if k else 0
        end = self.breaks[k][0] if k < len(self.breaks) else len(self.text)
        return start, end

    def previous_break(self, pos: int) -> tuple[int, int] | None:
        """The last paragraph break ending at or before `pos`."""
        k = bisect.bisect_right(self.break_ends, pos)
        return self.breaks[k - 1] if k else None


def _html_blocks(text: str) -> list[tuple[int, int]]:
    """Inner spans of `<blockquote>…</blockquote>`: each opening tag with the first closing tag after it."""
    closes = [(m.start(), m.end()) for m in _HTML_CLOSE_RE.finditer(text)]
    close_starts = [c[0] for c in closes]
    out: list[tuple[int, int]] = []
    pos = 0
    for m in _HTML_OPEN_RE.finditer(text):
        if m.start() < pos:
            continue  # inside the block just found
        k = bisect.bisect_left(close_starts, m.end())
        if k == len(closes):
            break  # no closing tag after this one: none after any later one either
        out.append((m.end(), closes[k][0]))
        pos = closes[k][1]
    return out


def _markdown_blocks(text: str) -> list[Passage]:
    """Markdown block quotations: runs of consecutive lines starting with `>`, a closing credit
    line (`> — Mark Twain`) left out of the quoted words."""
    found: list[Passage] = []
    run: list[re.Match[str]] = []
    for m in [*_MD_QUOTE_LINE_RE.finditer(text), None]:
        if m is not None and run:
            prev_line_end = text.find("\n", run[-1].end())
            if prev_line_end != -1 and prev_line_end + 1 == m.start():
                run.append(m)
                continue
        if len(run) > 1 and CREDIT_LINE_RE.match(text, run[-1].end()):
            run = run[:-1]  # the credit of the quotation, not words of it
        if run:
            last_end = text.find("\n", run[-1].end())
            last_end = len(text) if last_end == -1 else last_end
            start, end = _strip_span(text, run[0].end(), last_end)
            ignored = tuple(Markup("ignored", Span(r.start(), r.end())) for r in run[1:])
            if end > start:
                found.append(Passage(PassageKind.BLOCK, Span(start, end), _with_markup(text, start, end, ignored)))
        run = [m] if m is not None else []
    return found


def block_passages(text: str) -> list[Passage]:
    """Block quotations: Markdown `>` runs, HTML blockquotes, indented paragraphs."""
    found = _markdown_blocks(text)
    for inner_start, inner_end in _html_blocks(text):
        start, end = _strip_span(text, inner_start, inner_end)
        if end <= start:
            continue  # an empty blockquote quotes nothing
        tags = [Markup("ignored", Span(t.start(), t.end())) for t in _HTML_TAG_RE.finditer(text, start, end)]
        found.append(Passage(PassageKind.BLOCK, Span(start, end), _with_markup(text, start, end, tags)))
    for m in _INDENTED_PARA_RE.finditer(text):
        start, end = _strip_span(text, m.start(1), m.end(1))
        if end - start < 20:
            continue
        if not _ends_a_paragraph(text, m.end(1)):
            # the run of indented lines goes on unindented: a first-line indent of hard-wrapped
            # text (`    And.. "The date that..." I remember! I had all my\npupils lined up`),
            # not a paragraph set off as a quotation
            continue
        found.append(Passage(PassageKind.BLOCK, Span(start, end), find_markup(text, start, end)))
    found.sort(key=lambda p: p.span.start)
    merged: list[Passage] = []
    for p in found:
        if merged and p.span.start < merged[-1].span.end:
            continue
        merged.append(p)
    return merged


def _ends_a_paragraph(text: str, pos: int) -> bool:
    """Whether the line starting at `pos` is blank or there is none: a set-off block ends there."""
    line_end = text.find("\n", pos)
    line = text[pos:] if line_end == -1 else text[pos:line_end]
    return not line.strip()


def _attach_attribution(text: str, paragraphs: _Paragraphs, passage: Passage, outer: Span) -> Passage:
    cue = None
    if passage.kind is PassageKind.BLOCK:
        # A block quotation is introduced by the paragraph before it ("Roosevelt said:").
        brk = paragraphs.previous_break(outer.start)
        if brk is not None:
            cue = _attribution(text, brk[0], outer.end, paragraphs.bounds(brk[0])[0], outer.start)
    else:
        pstart, _ = paragraphs.bounds(outer.start)
        _, pend = paragraphs.bounds(max(outer.start, outer.end - 1))
        cue = _attribution(text, outer.start, outer.end, pstart, pend)
    if cue is None:
        return passage
    return Passage(passage.kind, passage.span, passage.markup, cue[0], passage.source_hint, cue[1])


def extract_passages(text: Text, *, min_words: int = 1) -> list[Passage]:
    """All quoted passages of a document, inline and block, in document order."""
    s = text.original
    blocks = block_passages(s)
    paragraphs = _Paragraphs(s)
    result: list[Passage] = []
    for b in blocks:
        outer = b.span
        if not passage_words(text, b):
            continue  # a block quotation without a word (`> ...`, `<blockquote><p></p>`) quotes nothing
        # A block starting at the line's `>` marker: look at what precedes the marker.
        line_start = s.rfind("\n", 0, outer.start) + 1
        result.append(_attach_attribution(s, paragraphs, b, Span(line_start, outer.end)))
    tags = [Span(m.start(), m.end()) for m in _ELEMENT_TAG_RE.finditer(s)]  # `cite="x.txt"` quotes no words
    blocked = sorted([*(b.span for b in blocks), *tags], key=lambda sp: (sp.start, sp.end))
    for inner_start, inner_end, continued in _inline_quotes(s, _merged(blocked)):
        start, end = _strip_span(s, inner_start, inner_end)
        if end <= start:
            continue
        n_words = len(text.tokens.within(start, end))
        if n_words < min_words:
            continue
        ignored = [Markup("ignored", Span(c, c + 1)) for c in continued]
        passage = Passage(PassageKind.INLINE, Span(start, end), _with_markup(s, start, end, ignored))
        result.append(_attach_attribution(s, paragraphs, passage, Span(inner_start - 1, inner_end + 1)))
    result.sort(key=lambda p: (p.span.start, p.span.end))
    return result


def _merged(spans: list[Span]) -> list[Span]:
    """Sorted spans with those that overlap joined, for the scanner's one pass."""
    out: list[Span] = []
    for sp in spans:
        if out and sp.start < out[-1].end:
            out[-1] = Span(out[-1].start, max(out[-1].end, sp.end))
        else:
            out.append(sp)
    return out


def passage_words(text: Text, passage: Passage) -> list[int]:
    """Indices of the words of a passage, leaving out those inside its markup (brackets,
    ellipses, ignored marks and tags)."""
    idx = list(text.tokens.within(passage.span.start, passage.span.end))
    if passage.markup:
        # markup is in document order: one sweep, not every word against every mark
        spans = sorted((m.span.start, m.span.end) for m in passage.markup)
        kept: list[int] = []
        k, reach = 0, -1
        for t in idx:
            start = text.tokens.starts[t]
            while k < len(spans) and spans[k][0] <= start:
                reach = max(reach, spans[k][1])
                k += 1
            if start >= reach:
                kept.append(t)
        idx = kept
    return idx


def whole_passage(text: Text) -> Passage:
    """The whole document as one passage, for comparing a transcription with its original."""
    start, end = text.content_span()
    return Passage(PassageKind.WHOLE, Span(start, end), find_markup(text.original, start, end))
