"""Load: read a file into a `Text`, keep the original, derive a comparison form with a map back.

The original string is never changed (apart from a byte-order mark, which is not text). What the
comparator compares are *tokens*: words found in the original with their offsets and a folded
key (NFKC, case-folded, apostrophes unified, invisible characters and line-end hyphenation
removed, Latin look-alikes from other scripts mapped to Latin). Punctuation and spacing between
words are compared separately and can only ever be a `normalization` difference. Reading the
bytes and decoding them is `provenance.decode`'s job; `load_text` joins the two.
"""

from __future__ import annotations

import bisect
import hashlib
import re
import unicodedata
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from provenance.decode import DEFAULT_MAX_BYTES as DEFAULT_MAX_BYTES
from provenance.decode import decode
from provenance.errors import InputError

if TYPE_CHECKING:
    from provenance.load.base import Extracted

# Invisible characters that can hide inside words: zero-width characters, the word joiner and
# friends, the soft hyphen, the byte-order mark, and the bidirectional controls of the
# "Trojan Source" set (embeddings, overrides, isolates, marks).
HIDDEN_CHARS = (
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e"
    "\u200b\u200c\u200d\u200e\u200f"
    "\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064"
    "\u2066\u2067\u2068\u2069\u206a\u206b\u206c\u206d\u206e\u206f"
    "\u3164\ufeff\uffa0"
)
_HIDDEN_CLASS = re.escape(HIDDEN_CHARS)
HIDDEN_RE = re.compile(f"[{_HIDDEN_CLASS}]")

# Letters of other scripts that look like Latin ones. Mapped only inside words that also hold
# Latin letters, where they are a deception or a slip, never a word of their own script.
HOMOGLYPHS = {
    "\u0430": "a", "\u0435": "e", "\u043e": "o", "\u0440": "p", "\u0441": "c", "\u0443": "y",
    "\u0445": "x", "\u0456": "i", "\u0458": "j", "\u0455": "s", "\u04bb": "h", "\u0501": "d",
    "\u0410": "A", "\u0412": "B", "\u0415": "E", "\u041a": "K", "\u041c": "M", "\u041d": "H",
    "\u041e": "O", "\u0420": "P", "\u0421": "C", "\u0422": "T", "\u0425": "X",
    "\u03bf": "o", "\u03b1": "a", "\u03bd": "v", "\u03b9": "i", "\u03ba": "k", "\u03c1": "p",
    "\u039f": "O", "\u0391": "A", "\u0392": "B", "\u0395": "E", "\u0397": "H", "\u0399": "I",
    "\u039a": "K", "\u039c": "M", "\u039d": "N", "\u03a1": "P", "\u03a4": "T", "\u03a7": "X",
}

_WORD_CHARS = rf"[\w{_HIDDEN_CLASS}\u0300-\u036f]"
# A word: word characters, joined across apostrophes (America's, it’s) and across a hyphen at
# the end of a line (secu-\nrity), which is typesetting, not spelling.
WORD_RE = re.compile(
    rf"{_WORD_CHARS}+(?:(?:['\u2019\u02bc](?=\w)|-[ \t]*(?:\r\n|\r|\n)[ \t]*(?=\w)){_WORD_CHARS}+)*"
)
_LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")
_HYPHEN_BREAK_RE = re.compile(r"-[ \t]*(?:\r\n|\r|\n)[ \t]*")

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"})
_QUOTES = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2039": "'", "\u203a": "'",
        "\u02bc": "'", "`": "'", "\u00b4": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
        "\u2212": "-", "\u2026": "...",
    }
)
_WHITESPACE_RE = re.compile(r"\s+")
_DOUBLE_HYPHEN_RE = re.compile(r"-{2,}")


@lru_cache(maxsize=1 << 16)
def fold_word(word: str) -> str:
    """The comparison key of one word: what two spellings must share to count as the same word."""
    word = HIDDEN_RE.sub("", word)
    word = _HYPHEN_BREAK_RE.sub("", word)
    if not word.isascii():
        if any(ch in HOMOGLYPHS for ch in word) and any("a" <= ch.lower() <= "z" for ch in word):
            word = "".join(HOMOGLYPHS.get(ch, ch) for ch in word)
        word = unicodedata.normalize("NFKC", word)
    return word.casefold().translate(_APOSTROPHES)


def fold(text: str) -> str:
    """The comparison form of any stretch of text (quotes, dashes, `--`, whitespace folded)."""
    text = HIDDEN_RE.sub("", text)
    text = _HYPHEN_BREAK_RE.sub("", text)
    text = unicodedata.normalize("NFKC", text).casefold().translate(_QUOTES)
    text = _DOUBLE_HYPHEN_RE.sub("-", text)
    return _WHITESPACE_RE.sub(" ", text)


# Mojibake: UTF-8 read as Windows-1252 or Latin-1 turns every non-ASCII character into a lead
# letter (Â to ô, from bytes C2-F4) followed by what a continuation byte (80-BF) becomes in those
# code pages. That pair is the cheap hint; ftfy decides whether it is mojibake and undoes it.
_CONTINUATIONS = "".join(sorted(set(bytes(range(0x80, 0xC0)).decode("latin-1")
                                    + bytes(range(0x80, 0xC0)).decode("cp1252", errors="ignore"))))
_MOJIBAKE_HINT_RE = re.compile(f"[\u00c2-\u00f4][{re.escape(_CONTINUATIONS)}]")
# A space ends a word, except the no-break space that Windows-1252 makes of byte A0 after a lead
# letter (`à` is C3 A0: `Ã\xa0`).
_SPACE_RE = re.compile(r"(?<![\u00c2-\u00f4])\s|[^\S\xa0]")
_MOJIBAKE_REACH = 64
"""Characters looked at on each side of a hint for the end of the word it is in."""


@lru_cache(maxsize=1 << 14)
def fix_mojibake(text: str) -> str | None:
    """`text` with its mojibake undone (`cafÃ©` → `café`, `â€™` → `’`), or None if it has none."""
    if _MOJIBAKE_HINT_RE.search(text) is None:
        return None
    import ftfy

    fixed = ftfy.fix_encoding(text)
    return fixed if fixed != text else None


def _mojibake_chunks(text: str) -> list[tuple[int, int, str]]:
    """Runs of non-space characters holding mojibake, with their repaired form, in order."""
    found: list[tuple[int, int, str]] = []
    pos = 0
    while True:
        m = _MOJIBAKE_HINT_RE.search(text, pos)
        if m is None:
            return found
        lo = m.start()
        floor = max(pos, lo - _MOJIBAKE_REACH)
        while lo > floor and (not text[lo - 1].isspace()
                              or (text[lo - 1] == "\xa0" and lo - 2 >= 0 and "\u00c2" <= text[lo - 2] <= "\u00f4")):
            lo -= 1
        space = _SPACE_RE.search(text, m.end(), m.end() + _MOJIBAKE_REACH)
        hi = space.start() if space else min(len(text), m.end() + _MOJIBAKE_REACH)
        fixed = fix_mojibake(text[lo:hi])
        if fixed is not None:
            found.append((lo, hi, fixed))
        pos = hi


@lru_cache(maxsize=4)
def mojibake_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Where `text` holds characters that ftfy replaced in undoing mojibake (`Ã©`, `â€™`,
    `Ã¢â‚¬â„¢`, `Ń…` for `х`), in order: punctuation among them (`‚`, `„`, `…`, `«`) is a byte of
    damaged text, not a quotation mark or an ellipsis of the text."""
    from rapidfuzz.distance import Levenshtein

    spans: list[tuple[int, int]] = []
    for lo, hi, fixed in _mojibake_chunks(text):
        for op in Levenshtein.opcodes(text[lo:hi], fixed):
            if op.tag != "equal" and op.src_end > op.src_start:
                spans.append((lo + op.src_start, lo + op.src_end))
    return tuple(spans)


def overlaps_mojibake(text: str, start: int, end: int) -> bool:
    """Whether `text[start:end]` shares a character with a stretch of mojibake."""
    spans = mojibake_spans(text)
    k = bisect.bisect_right(spans, (end, -1)) - 1  # the last span starting before `end`
    return k >= 0 and spans[k][1] > start


def _tokens_of_repaired(chunk: str, fixed: str, offset: int) -> list[tuple[int, int, str]]:
    """Words of a repaired chunk, mapped back to offsets in the original chunk (plus `offset`)."""
    from rapidfuzz.distance import Levenshtein

    blocks = [op for op in Levenshtein.opcodes(chunk, fixed) if op.dest_end > op.dest_start]

    def to_original(p: int, *, end: bool) -> int:
        if p >= len(fixed):
            return len(chunk)
        for op in blocks:
            if op.dest_start <= p < op.dest_end:
                if op.tag == "equal":
                    return op.src_start + p - op.dest_start
                if end or p == op.dest_start:
                    return op.src_start
                return min(op.src_end, op.src_start + (p - op.dest_start) * (op.src_end - op.src_start)
                           // (op.dest_end - op.dest_start))
        return len(chunk)

    out: list[tuple[int, int, str]] = []
    for m in WORD_RE.finditer(fixed):
        start, end = to_original(m.start(), end=False), to_original(m.end(), end=True)
        if end > start:
            out.append((offset + start, offset + end, m.group()))
    return out


@dataclass(frozen=True, slots=True)
class Tokens:
    """The words of a text: parallel lists of original offsets and comparison keys."""

    starts: list[int]
    ends: list[int]
    keys: list[str]

    def __len__(self) -> int:
        return len(self.keys)

    def within(self, start: int, end: int) -> range:
        """Indices of the tokens lying entirely inside `start..end`."""
        lo = bisect.bisect_left(self.starts, start)
        hi = bisect.bisect_right(self.ends, end, lo=lo)
        return range(lo, max(lo, hi))


_FOLDED_CACHE = 1 << 16
"""How many spellings one `tokenize` remembers the keys of: a text's common words come early, and
a text of unique words (hostile input) must not grow the cache without bound."""


def tokenize(text: str) -> Tokens:
    """Find the words of `text`, with their offsets and comparison keys."""
    starts: list[int] = []
    ends: list[int] = []
    keys: list[str] = []

    folded: dict[str, str] = {}  # a text repeats its words: each spelling is folded once

    def add(words: Iterable[tuple[int, int, str]]) -> None:
        for start, end, word in words:
            key = fold_word(word)
            if not key:
                continue  # a run of invisible characters between words is not a word
            starts.append(start)
            ends.append(end)
            keys.append(key)

    def add_matches(matches: Iterable[re.Match[str]]) -> None:
        for m in matches:
            word = m.group()
            key = folded.get(word)
            if key is None:
                key = fold_word(word)
                if len(folded) < _FOLDED_CACHE:
                    folded[word] = key
            if key:  # a run of invisible characters between words is not a word
                start, end = m.span()
                starts.append(start)
                ends.append(end)
                keys.append(key)

    pos = 0
    # Words with mojibake are keyed as repaired (`cafÃ©` as `café`); their offsets stay the original's.
    for lo, hi, fixed in _mojibake_chunks(text):
        add_matches(WORD_RE.finditer(text, pos, lo))
        add(_tokens_of_repaired(text[lo:hi], fixed, lo))
        pos = hi
    add_matches(WORD_RE.finditer(text, pos))
    return Tokens(starts, ends, keys)


@dataclass(frozen=True)
class Text:
    """A decoded file: the original string, its identity, its lines and its words."""

    original: str
    path: str = "<string>"
    id: str = "text"
    encoding: str = "utf-8"
    sha256: str = ""
    line_starts: Sequence[int] = field(default=(0,), repr=False)
    tokens: Tokens = field(default_factory=lambda: Tokens([], [], []), repr=False)
    origin: Extracted | None = field(default=None, repr=False, compare=False)
    """How a file other than plain text was read (`provenance.load`): its format, the extractor,
    and the map from offsets back to the original; None for plain text, whose positions are its own lines."""

    @property
    def format(self) -> str:
        """`text`, or the format the file was read from (`html`, `pdf`, ...)."""
        return "text" if self.origin is None else self.origin.format

    def content_span(self) -> tuple[int, int]:
        """From the first character that is not white space to the last, widened to hold every word:
        a word may end in a character `str.isspace` counts as space (NEL, U+0085, which the word
        pattern keeps inside a word as an invisible character)."""
        text = self.original
        start, end = len(text) - len(text.lstrip()), len(text.rstrip())
        if self.tokens.starts:
            start, end = min(start, self.tokens.starts[0]), max(end, self.tokens.ends[-1])
        return start, max(start, end)

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column (in code points) of an offset."""
        return line_col(self.line_starts, offset)

    def comparison_form(self) -> tuple[str, list[int]]:
        """The folded text compared, and for each of its characters the original offset.

        The form holds the words' keys separated by single spaces; the map gives, for each
        character of the form (and one past its end), an offset into `original`.
        """
        parts: list[str] = []
        offsets: list[int] = []
        for i, key in enumerate(self.tokens.keys):
            if i:
                parts.append(" ")
                offsets.append(self.tokens.ends[i - 1])
            parts.append(key)
            start, end = self.tokens.starts[i], self.tokens.ends[i]
            # Spread the key's characters over the original word, clamped to its end.
            n = len(key)
            width = end - start
            offsets.extend(start + min(width - 1, (j * width) // max(n, 1)) for j in range(n))
        offsets.append(self.tokens.ends[-1] if self.tokens.keys else 0)
        return "".join(parts), offsets


def line_starts_of(text: str) -> array[int]:
    """Offsets at which each line of `text` starts (CRLF, CR and LF all end a line).

    An array of 8-byte integers: a tuple of Python integers cost 36 bytes a line, most of the
    memory a file of blank lines took (16 million newlines: 576 MB of 830)."""
    starts = array("q", (0,))
    starts.extend(m.end() for m in _LINE_BREAK_RE.finditer(text))
    return starts


def line_col(starts: Sequence[int], offset: int) -> tuple[int, int]:
    """1-based line and column of `offset`, given the line starts."""
    line = bisect.bisect_right(starts, offset) - 1
    return line + 1, offset - starts[line] + 1


def make_text(original: str, *, path: str = "<string>", id: str = "text", encoding: str = "utf-8",
              data: bytes | None = None, origin: Extracted | None = None) -> Text:
    """Build a `Text` from a string already decoded.

    A string given without its bytes may start with a byte-order mark (a file read in Python with
    `encoding="utf-8"`): that one mark is left out. With `data`, `decode` has already left out the
    file's mark, and a U+FEFF still at the start is the text's own (a second mark), kept."""
    if data is None and original.startswith("\ufeff"):
        original = original[1:]
    digest = hashlib.sha256(data if data is not None else original.encode("utf-8")).hexdigest()
    return Text(original=original, path=path, id=id, encoding=encoding, sha256=digest,
                line_starts=line_starts_of(original), tokens=tokenize(original), origin=origin)


def text_from_bytes(data: bytes, label: str, *, path: str, id: str, allow_empty: bool = False) -> Text:
    """A `Text` from the bytes of a file or of standard input; empty or wordless input refused,
    unless `allow_empty` (a whole transcription: an empty one has error rates, jiwer's convention)."""
    if not data.strip() and not allow_empty:
        raise InputError(f"{label}: is empty")
    original, encoding = decode(data, label)
    text = make_text(original, path=path, id=id, encoding=encoding, data=data)
    if not text.tokens.keys and not allow_empty:
        raise InputError(f"{label}: holds no words")
    return text
