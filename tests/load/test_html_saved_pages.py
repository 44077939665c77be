"""Load: web pages saved from real sites (trafilatura's evaluation pages, read from a peers folder).

No markup, script, style, comment or attribute value of a page ever becomes its text: every word the
reader gives is checked against the page source at the line and column the reader says it comes
from, that place must lie outside every tag, comment, script and style element (found here by
patterns of their own, not by the reader's parser), and no line of the page's own scripts and
styles, and no attribute value that is not prose (an address, a setting such as
`width=device-width`), is in the text unless the page also shows it as text.

The pages are not in this repository: they are looked for in `$PROVENANCE_PEERS/trafilatura/tests`,
else in a `peers` folder beside the checkout; the tests skip without them (and so under CI).
"""

from __future__ import annotations

import bisect
import html
import json
import os
import re
from pathlib import Path

import pytest

from provenance.errors import InputError
from provenance.load.base import Extracted
from provenance.load.html import _decode_page, read_html
from provenance.text import tokenize

ROOT = Path(__file__).resolve().parents[2]

_COMMENT_RE = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
_RAW_RE = re.compile(r"<(script|style)\b[^>]*>(.*?)(?:</\1\s*>|\Z)", re.S | re.I)
_TAG_RE = re.compile(r"</?[A-Za-z!?][^>]*>?")
_ATTR_RE = re.compile(r"""\s[\w:.-]+\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_TAG_LIKE_RE = re.compile(r"<[A-Za-z/!]")
_HIDDEN_RE = re.compile(r"<(\w+)[^>]*display\s*:\s*none[^>]*>.*?</\1>", re.S | re.I)
_DRAWN_RE = re.compile(r"<(?:li|q)\b", re.I)
_DRAWN_MARK_RE = re.compile(r"\d+|[-\u201c\u201d\u2018\u2019]")


def _tests_folder() -> Path | None:
    env = os.environ.get("PROVENANCE_PEERS")
    bases = [Path(env)] if env else [ROOT.parent / "peers", ROOT.parent.parent / "peers"]
    for base in bases:
        folder = base / "trafilatura" / "tests"
        if (folder / "evaldata.json").is_file():
            return folder
    return None


def _pages() -> list[Path]:
    folder = _tests_folder()
    if folder is None:
        pytest.skip("trafilatura's saved pages are not here (set PROVENANCE_PEERS to a folder holding "
                    "trafilatura/tests)")
    labels = json.loads((folder / "evaldata.json").read_text(encoding="utf-8"))
    found = []
    for item in sorted(labels.values(), key=lambda i: str(i["file"])):
        for sub in ("eval", "cache"):
            if (folder / sub / item["file"]).is_file():
                found.append(folder / sub / item["file"])
                break
    return found


class _Source:
    """The page source, with the stretches that are never text: tags, comments, scripts, styles."""

    def __init__(self, page: str) -> None:
        self.page = page
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", page)]
        spans: list[tuple[int, int]] = []
        raw: list[str] = []
        for m in _COMMENT_RE.finditer(page):
            spans.append(m.span())
        masked = _COMMENT_RE.sub(lambda m: " " * len(m.group()), page)
        for m in _RAW_RE.finditer(masked):
            spans.append(m.span())
            raw.append(m.group(2))
        masked = _RAW_RE.sub(lambda m: " " * len(m.group()), masked)
        attributes: list[str] = []
        for m in _TAG_RE.finditer(masked):
            spans.append(m.span())
            attributes.extend(a or b for a, b in _ATTR_RE.findall(m.group()))
        spans.sort()
        self.starts = [s for s, _ in spans]
        self.ends = [e for _, e in spans]
        self.raw = raw
        self.attributes = attributes
        visible = _TAG_RE.sub("", _HIDDEN_RE.sub("", masked))
        self.visible = "".join(html.unescape(visible).split())
        """The text a browser could show, white space left out (inline tags join words)."""

    def offset(self, line: int, column: int) -> int:
        return self.line_starts[line - 1] + column - 1

    def in_markup(self, offset: int) -> bool:
        i = bisect.bisect_right(self.starts, offset) - 1
        return i >= 0 and max(self.ends[: i + 1][-64:]) > offset


def _problems(path: Path) -> list[str]:
    data = path.read_bytes()
    try:
        extracted: Extracted = read_html(data, path.name)
    except InputError:
        return []  # refused with one line: no text to hold markup
    page, _ = _decode_page(data, path.name)
    source = _Source(page)
    text = extracted.text
    problems: list[str] = []
    tokens = tokenize(text)
    place_starts = [p.start for p in extracted.places]
    for start, end in zip(tokens.starts, tokens.ends, strict=True):
        following = bisect.bisect_right(place_starts, start)
        if following < len(place_starts):
            end = min(end, place_starts[following])  # the word's part that comes from this place
        word = text[start:end]
        place = extracted.place_of(start)
        assert place is not None and place.line is not None and place.column is not None
        at = source.offset(place.line, place.column)
        if _DRAWN_RE.match(page, at) and _DRAWN_MARK_RE.fullmatch(word):
            continue  # a list item's number, a `<q>`'s quotation mark: drawn by a browser, placed at the tag
        if source.in_markup(at):
            problems.append(f"{word!r} from inside markup at line {place.line}, column {place.column}")
        elif place.linear and not page.startswith(word, at) and word.isalnum():
            problems.append(f"{word!r} is not at line {place.line}, column {place.column}")
        if len(problems) > 5:
            break
    for m in _TAG_LIKE_RE.finditer(text):
        place = extracted.place_of(m.start())
        assert place is not None and place.line is not None and place.column is not None
        at = source.offset(place.line, place.column)
        if page[at] != "&" and _TAG_LIKE_RE.match(page, at):  # an escaped `&lt;`, or a stray `<` shown as text
            problems.append(f"a tag in the text: {text[m.start():m.start() + 30]!r}")
    flat = "".join(text.split())
    for body in source.raw:
        for line in body.splitlines():
            line = "".join(line.split())
            if len(line) >= 30 and line in flat and line not in source.visible:
                problems.append(f"a line of a script or style: {line[:60]!r}")
    for value in source.attributes:  # the ones that are not prose: addresses, settings, tokens
        if len(value) < 20 or any(c.isspace() for c in value.strip()):
            continue  # an image's description or a link's title: the check of every word's place covers those
        value = html.unescape(value).strip()
        if value in flat and value not in source.visible:
            problems.append(f"an attribute value: {value[:60]!r}")
    return problems


def test_no_markup_script_style_or_attribute_in_the_text_of_real_saved_pages() -> None:
    pages = _pages()
    assert len(pages) > 100
    failures = {}
    for path in pages:
        problems = _problems(path)
        if problems:
            failures[path.name] = problems[:3]
    assert not failures, json.dumps(dict(list(failures.items())[:10]), ensure_ascii=False, indent=1)
