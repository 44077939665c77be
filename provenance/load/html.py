"""Load: the text a reader sees on a web page, with the line and column of each word in the page source.

Why a reader of our own over the standard library's `html.parser`, not a main-content extractor
such as trafilatura: a report must point at the line and column of the page source, and the
extractors give back text without positions (trafilatura, jusText, readability) or lines only
(lxml's `sourceline`); `html.parser` reports both for every tag, text run and entity, and is
forgiving of broken markup. Measured on trafilatura's own 990 labelled saved pages
(`benchmarks/html_extraction.py`, docs/benchmarks.md), trafilatura finds the main text better
(snippet F1 0.93 against our 0.88) but gives no positions; the rules below were chosen by that
measurement and are kept as data:

- scripts, styles, templates, forms, frames, SVG and every element the page hides (`hidden`,
  `aria-hidden="true"`, `display:none`) are dropped, as are navigation, banners, site footers,
  asides and dialogs (by tag or ARIA role), and elements whose class or id names site furniture
  (`ad`, `promo`, `newsletter`, `share`, `comments`, `related`, `cookie`, ...: whole words of the
  class or parts of its hyphenated compounds, so `headline` is not an `ad` and `non-paywall` is
  not a paywall), except an
  `<article>` or `<main>` (their classes name their topics: `category-newsletter`) and an element
  holding most of the page's text (a blog platform's `widget Blog`, a theme's `has-sidebar`);
- the main content is found by its prose: each paragraph (or `<div>` used as one) of 25 characters
  or more scores for the element holding it and, half, the one above; scores are cut by the share
  of text inside links; the best element is taken with the innermost `<article>` or `<main>`
  around it, else widened to its parent while that adds paragraphs rather than links or furniture;
- inside it, blocks whose text is mostly in two links or more (more on the topic, tag lists), a
  subheading over nothing but such furniture, and a photograph's `<figcaption>` are dropped (an
  article that is nothing but links keeps them);
- entities are decoded, with or without their semicolon (`&mdash` as `&mdash;`); comments end at
  `-->` as in a browser;
- `<q>` is given with the curly quotation marks a browser draws around it; a `<blockquote>` as
  Markdown `>` lines, the way the comparator reads a block quotation in plain text; both are
  recorded as quotation markup with what `cite=`, a `<cite>`, a `<footer>` inside or the caption of
  its `<figure>` says of their source.

Where it can fail: boilerplate written as ordinary paragraphs inside the article ("subscribe to
our newsletter", a photo credit in a `<p>`); a page whose article is cut into many blocks beside
equally long furniture; furniture named in a language other than English; text drawn by scripts
(not on the saved page at all).
"""

from __future__ import annotations

import codecs
import html
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser

from provenance.decode import decode
from provenance.errors import InputError
from provenance.load.base import Extracted, Place, QuoteMark, Reader, sorted_places
from provenance.model import Span

_DROPPED_TAGS = frozenset({
    "script", "style", "noscript", "template", "svg", "math", "iframe", "frame", "frameset", "object",
    "embed", "canvas", "video", "audio", "map", "form", "button", "select", "textarea", "input", "label",
    "nav", "aside", "dialog", "menu", "head", "title",
})
_DROPPED_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search", "dialog",
                            "alertdialog", "menu", "menubar", "toolbar"})
_FURNITURE_WORDS = frozenset({
    "ad", "ads", "adv", "advert", "adverts", "advertisement", "advertising", "adslot", "adunit", "dfp",
    "banner", "promo", "promotion", "sponsor", "sponsored", "cookie", "cookies", "consent", "gdpr",
    "newsletter", "subscribe", "subscription", "signup", "paywall", "share", "sharing", "social",
    "comment", "comments", "disqus", "related", "recommended", "recirc", "trending", "popular",
    "sidebar", "nav", "navbar", "navigation", "menu", "breadcrumb", "breadcrumbs", "footer",
    "masthead", "popup", "modal", "outbrain", "taboola", "toolbar", "skip", "visually-hidden",
    "widget", "hidden", "sr-only", "print-only", "byline-share", "tags", "taglist", "caption", "credit", "credits",
})
_CONTENT_TAGS = frozenset({"article", "main", "body", "html"})
_PARAGRAPH_TAGS = frozenset({"p", "pre", "td", "blockquote", "li", "dd"})
_LINK_BLOCK_TAGS = frozenset({"div", "ul", "ol", "section", "table", "dl", "p", "li", "span"})
_WIDEN_OTHER = 200
"""The best-scored element is widened to its parent while what that adds outside paragraphs is at
most this many characters or half of what it adds in paragraphs..."""
_WIDEN_LINKS = 0.3
"""... and at most this share of all it adds is inside links."""
_WHOLE_WORDS_ONLY = frozenset({"widget", "hidden"})
_NEGATIONS = frozenset({"no", "non", "not", "without"})
"""A part of a class after one of these is negated: `non-paywall`, `no-newsletter` are not furniture."""
_SUBHEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
_VOID_TAGS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
                        "source", "track", "wbr", "keygen"})
_BLOCK_TAGS = frozenset({
    "address", "article", "blockquote", "body", "center", "dd", "details", "dialog", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup",
    "hr", "html", "legend", "li", "main", "ol", "p", "pre", "section", "summary", "table", "tbody",
    "thead", "tfoot", "ul", "caption",
})
_LINE_TAGS = frozenset({"br", "tr", "li", "dt", "dd"})
_CELL_TAGS = frozenset({"td", "th"})
_CLOSES_P = _BLOCK_TAGS - {"body", "html"}
_SELF_CLOSING = {"li": {"li"}, "dt": {"dt", "dd"}, "dd": {"dt", "dd"}, "tr": {"tr"}, "td": {"td", "th"},
                 "th": {"td", "th"}, "option": {"option"}}
_HIDDEN_STYLE_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_WORD_SPLIT_RE = re.compile(r"[\s_]+")
_CHARSET_RE = re.compile(rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]{1,40})", re.I)
_SNIFF_RE = re.compile(rb"\A(?:\s|<!--.*?-->)*<(?:!doctype\s+html|html|head|body|meta|title|article|div|p)\b",
                       re.I | re.S)
_MARKUP_RE = re.compile(rb"<(?:html|body|p|div|br|span|a\s|blockquote|article|h[1-6])\b", re.I)
_SPACE_RE = re.compile(r"\S+|\s+")
_BOGUS_COMMENT_RE = re.compile(r"<![^>]*>")
_COMMENT_CLOSE_RE = re.compile(r"--!?>")


@dataclass
class _Node:
    """An element of the page, or (with `tag` empty) a run of its text."""

    tag: str
    line: int
    column: int
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[_Node] = field(default_factory=list)
    text: str = ""
    linear: bool = True
    """A text run whose characters are the source's, one for one (not an entity)."""
    protected: bool = False
    """Holds most of the page's text: not furniture whatever its class says."""


class _TreeBuilder(HTMLParser):
    """A forgiving tree of the page: unclosed elements closed by the tags that end them, stray end tags ignored."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.root = _Node("#document", 1, 1)
        self.stack: list[_Node] = [self.root]

    def _open(self, tag: str) -> None:
        closes = _SELF_CLOSING.get(tag, set())
        if tag in _CLOSES_P:
            closes = closes | {"p"}
        while len(self.stack) > 1 and self.stack[-1].tag in closes:
            self.stack.pop()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._open(tag)
        line, offset = self.getpos()
        node = _Node(tag, line, offset + 1, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in _VOID_TAGS:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID_TAGS and self.stack[-1].tag == tag:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def _text(self, text: str, *, linear: bool) -> None:
        line, offset = self.getpos()
        self.stack[-1].children.append(_Node("", line, offset + 1, text=text, linear=linear))

    def parse_comment(self, i: int, report: bool = True) -> int:
        """A comment ends at `-->` or `--!>` (or is `<!-->`), as the HTML standard and browsers have
        it; html.parser before Python 3.13 also ends one at `-- >`, which a script commented out
        can hold (`n-- >0`), and would give the rest of the script as text."""
        rawdata = self.rawdata
        for empty in ("<!-->", "<!--->"):
            if rawdata.startswith(empty, i):
                if report:
                    self.handle_comment("")
                return i + len(empty)
        match = _COMMENT_CLOSE_RE.search(rawdata, i + 4)
        if match is None:
            return -1
        if report:
            self.handle_comment(rawdata[i + 4:match.start()])
        return match.end()

    def handle_data(self, data: str) -> None:
        bogus = _BOGUS_COMMENT_RE.match(data)
        if bogus is None:
            self._text(data, linear=True)
            return
        # `<![endif]-->` with no `<!--` before it: a comment to a browser, passed on as text by html.parser
        line, offset = self.getpos()
        skipped = data[:bogus.end()]
        if "\n" in skipped:
            line, offset = line + skipped.count("\n"), len(skipped) - skipped.rfind("\n") - 1
        else:
            offset += len(skipped)
        if data[bogus.end():]:
            self.stack[-1].children.append(_Node("", line, offset + 1, text=data[bogus.end():]))

    def handle_entityref(self, name: str) -> None:
        decoded = html.unescape(f"&{name};")
        self._text(decoded, linear=False)

    def handle_charref(self, name: str) -> None:
        self._text(html.unescape(f"&#{name};"), linear=False)


def _class_words(node: _Node) -> set[str]:
    """The words of an element's class and id, each whole (`widget`) and in the parts of its
    hyphenated compounds (`social-share`: `share`), those parts less the ones page builders name
    every block with (`elementor-widget-container` is not a widget of the sidebar) and the ones
    negated (`non-paywall`)."""
    words = f"{node.attrs.get('class', '')} {node.attrs.get('id', '')}".lower()
    out: set[str] = set()
    for word in _WORD_SPLIT_RE.split(words):
        out.add(word)
        parts = word.split("-")
        out.update(part for before, part in zip(["", *parts[:-1]], parts, strict=True)
                   if part not in _WHOLE_WORDS_ONLY and before not in _NEGATIONS)
    return out


def _is_hidden_or_furniture_tag(node: _Node) -> bool:
    """Not text at all, hidden, or furniture by its tag or ARIA role."""
    if node.tag in _DROPPED_TAGS or node.tag == "footer":
        return True
    attrs = node.attrs
    if "hidden" in attrs or attrs.get("aria-hidden", "").lower() == "true":
        return True
    return attrs.get("role", "").lower() in _DROPPED_ROLES or bool(_HIDDEN_STYLE_RE.search(attrs.get("style", "")))


def _is_dropped(node: _Node) -> bool:
    """Furniture, hidden or not text at all."""
    if _is_hidden_or_furniture_tag(node):
        return True
    if node.protected or node.tag in _CONTENT_TAGS or node.attrs.get("role", "").lower() == "main":
        return False  # an article's classes name its topics and tags (`category-newsletter`), not furniture
    return bool(_class_words(node) & _FURNITURE_WORDS)


def _walk(node: _Node) -> Iterator[_Node]:
    yield node
    for child in node.children:
        if child.tag:
            yield from _walk(child)


@dataclass
class _Size:
    """The text an element holds, its furniture out: characters, characters inside links, commas."""

    text: int = 0
    links: int = 0
    commas: int = 0
    anchors: int = 0
    prose: int = 0
    """Characters in paragraphs: 25 or more, less than half of them in links."""


def _is_paragraph(node: _Node) -> bool:
    """A paragraph, or a `<div>` used as one (text and inline elements only, lines split by `<br>`)."""
    if node.tag in _PARAGRAPH_TAGS:
        return True
    return node.tag == "div" and not any(c.tag in _BLOCK_TAGS for c in node.children)


def _measure(node: _Node, sizes: dict[int, _Size], dropped: Callable[[_Node], bool]) -> _Size:
    size = _Size()
    for child in node.children:
        if not child.tag:
            stripped = child.text.strip()
            size.text += len(stripped)
            size.commas += stripped.count(",")
        elif not dropped(child):
            inner = _measure(child, sizes, dropped)
            size.text += inner.text
            size.commas += inner.commas
            size.links += inner.text if child.tag == "a" else inner.links
            size.anchors += inner.anchors + (child.tag == "a")
            is_paragraph = _is_paragraph(child) and inner.text >= 25 and inner.links * 2 < inner.text
            size.prose += inner.text if is_paragraph else inner.prose
    sizes[id(node)] = size
    return size


def _protect_the_bulk(body: _Node) -> None:
    """An element holding most of the page's text is its content whatever its class says (a blog
    platform's `widget Blog`, a theme's `page has-sidebar`): exempt from the class-name rule."""
    sizes: dict[int, _Size] = {}
    total = _measure(body, sizes, _is_hidden_or_furniture_tag).text
    for node in _walk(body):
        if sizes.get(id(node), _Size()).text * 2 > total:
            node.protected = True


def _best_scored(body: _Node, sizes: dict[int, _Size]) -> _Node | None:
    """The element whose paragraphs hold the most prose: each paragraph of 25 characters or more
    scores 1, one more per comma and per 100 characters (at most 3), given whole to the element
    holding it and half to the one above; an element's score is then cut by the share of its text
    inside links (menus and lists of links score nothing)."""
    scores: dict[int, float] = {}
    by_id: dict[int, _Node] = {}

    def visit(node: _Node, parent: _Node | None) -> None:
        for child in node.children:
            if not child.tag or _is_dropped(child):
                continue
            size = sizes.get(id(child))
            if size is not None and _is_paragraph(child) and size.text >= 25:
                score = 1 + size.commas + min(size.text // 100, 3)
                for holder, share in ((node, 1.0), (parent, 0.5)):
                    if holder is not None and holder.tag not in {"#document", "html"}:
                        by_id[id(holder)] = holder
                        scores[id(holder)] = scores.get(id(holder), 0.0) + score * share
            visit(child, node)

    visit(body, None)
    if not scores:
        return None

    def final(key: int) -> float:
        size = sizes[key]
        return scores[key] * (1 - size.links / size.text if size.text else 0.0)

    return by_id[max(scores, key=final)]


def _parents(root: _Node) -> dict[int, _Node]:
    return {id(child): node for node in _walk(root) for child in node.children if child.tag}


def _widened(best: _Node, body: _Node, sizes: dict[int, _Size]) -> _Node:
    """The best-scored element with what stands beside it in the same block (the headline, more
    paragraphs): its parent, while the parent adds mostly paragraphs and little text inside links."""
    parents = _parents(body)
    node = best
    while id(node) in parents and node is not body:
        parent = parents[id(node)]
        own, wider = sizes[id(node)], sizes.get(id(parent), _Size())
        added = wider.text - own.text
        added_prose = wider.prose - own.prose
        if (added - added_prose > max(_WIDEN_OTHER, added_prose / 2)
                or wider.links - own.links > max(added, 1) * _WIDEN_LINKS):
            break
        node = parent
    return node


def _is_semantic_main(node: _Node) -> bool:
    return (node.tag in {"article", "main"} or node.attrs.get("role", "").lower() == "main"
            or node.attrs.get("itemprop") == "articleBody")


def _main_content(root: _Node, sizes: dict[int, _Size]) -> _Node:
    """The page's article: the element whose paragraphs hold the most prose (`_best_scored`), taken
    with the innermost `<article>`, `<main>` or `role=main` holding it, else with what stands beside
    it (`_widened`); with no paragraph at all, the `<article>` with most text, else `<main>`, else the body."""
    body = next((n for n in _walk(root) if n.tag == "body"), root)
    _protect_the_bulk(body)
    _measure(root, sizes, _is_dropped)
    best = _best_scored(body, sizes)
    if best is not None:
        parents = _parents(root)
        node: _Node | None = best
        while node is not None:
            if _is_semantic_main(node):
                return node
            node = parents.get(id(node))
        return _widened(best, body, sizes)
    articles = [n for n in _walk(root) if n.tag == "article" and not _is_dropped(n)]
    if articles:
        return max(articles, key=lambda n: sizes.get(id(n), _Size()).text)
    return next((n for n in _walk(root) if _is_semantic_main(n)), body)


class _Writer:
    """Lays the page's text out as paragraphs, with a place for every word."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.places: list[Place] = []
        self.pending_break = 0
        self.pending_space = False
        self.at_line_start = True
        self.quote_depth = 0
        self.line_depth = 0
        self.preformatted = 0
        self.glued = False
        """The last thing written is a list item's number: no space after it."""

    def _put(self, text: str, place: Place) -> None:
        self.places.append(place)
        self.parts.append(text)
        self.length += len(text)

    def block(self, lines: int) -> None:
        if self.length:
            self.pending_break = max(self.pending_break, lines)
        self.pending_space = False

    def _flush(self, line: int, column: int) -> None:
        if self.pending_break:
            blank = ">" * min(self.line_depth, self.quote_depth)
            breaks = "\n" if self.pending_break == 1 else f"\n{blank}\n"
            self._put(breaks, Place(self.length, line=line, column=column))
            self.at_line_start = True
        elif self.pending_space and not self.at_line_start and not self.glued:
            self._put(" ", Place(self.length, line=line, column=column))
        self.glued = False
        self.pending_break = 0
        self.pending_space = False
        if self.at_line_start and self.quote_depth:
            self._put("> " * self.quote_depth, Place(self.length, line=line, column=column))
        if self.at_line_start:
            self.line_depth = self.quote_depth
        self.at_line_start = False

    def mark(self, text: str, line: int, column: int, *, glue: bool = False) -> None:
        """Characters the page does not hold but a browser draws (the marks of a `<q>`, a list
        item's number); with `glue`, the next word follows with no space."""
        self._flush(line, column)
        self._put(text, Place(self.length, line=line, column=column))
        self.glued = glue

    def text(self, node: _Node) -> None:
        if self.preformatted:
            self._flush(node.line, node.column)
            self._put(node.text, Place(self.length, line=node.line, column=node.column, linear=node.linear))
            return
        for m in _SPACE_RE.finditer(node.text):
            if m.group()[0].isspace():
                self.pending_space = True
                continue
            line, column = _position_in(node, m.start())
            self._flush(line, column)
            self._put(m.group(), Place(self.length, line=line, column=column, linear=node.linear))

    def result(self) -> tuple[str, tuple[Place, ...]]:
        text = "".join(self.parts).rstrip()
        return (text + "\n" if text else ""), sorted_places(self.places)


def _position_in(node: _Node, offset: int) -> tuple[int, int]:
    """Line and column in the page source of one offset of a text run."""
    if not node.linear:
        return node.line, node.column
    before = node.text[:offset]
    newlines = before.count("\n")
    if not newlines:
        return node.line, node.column + offset
    return node.line + newlines, offset - before.rfind("\n")


@dataclass
class _Renderer:
    main: _Node
    sizes: dict[int, _Size] = field(default_factory=dict)
    writer: _Writer = field(default_factory=_Writer)
    quotes: list[QuoteMark] = field(default_factory=list)
    q_depth: int = 0
    drop_link_lists: bool = True

    def render(self, node: _Node) -> None:
        if not node.tag:
            self.writer.text(node)
            return
        if self._dropped_here(node):
            return
        handler = {"q": self._q, "blockquote": self._blockquote, "pre": self._pre, "ol": self._list,
                   "ul": self._list, "figure": self._figure}.get(node.tag)
        if handler is not None:
            handler(node)
            return
        self._element(node)

    def _is_link_list(self, node: _Node) -> bool:
        """A block of links inside the article (more on the topic, tags, a table of contents):
        most of its text is inside two links or more."""
        size = self.sizes.get(id(node))
        return (self.drop_link_lists and node.tag in _LINK_BLOCK_TAGS and size is not None and size.anchors >= 2
                and size.links * 2 > size.text)

    def _children(self, node: _Node) -> None:
        children = node.children
        for i, child in enumerate(children):
            if child.tag in _SUBHEADINGS and self._heads_furniture(children, i):
                continue
            self.render(child)

    def _dropped_here(self, node: _Node) -> bool:
        return _is_dropped(node) or (node is not self.main and self._is_link_list(node))

    def _heads_furniture(self, siblings: list[_Node], at: int) -> bool:
        """A subheading over nothing but furniture (`More on this`, `You might also like` above
        a list of links) is the furniture's title."""
        section = []
        for sibling in siblings[at + 1:]:
            if sibling.tag in _SUBHEADINGS or sibling.tag == "h1":
                break
            if sibling.tag or sibling.text.strip():
                section.append(sibling)
        return bool(section) and all(s.tag and self._dropped_here(s) for s in section)

    def _element(self, node: _Node) -> None:
        tag = node.tag
        if tag in _LINE_TAGS:
            self.writer.block(1)
        elif tag in _BLOCK_TAGS:
            self.writer.block(2)
        elif tag in _CELL_TAGS:
            self.writer.pending_space = True
        self._children(node)
        if tag in _BLOCK_TAGS:
            self.writer.block(2 if tag not in _LINE_TAGS else 1)
        elif tag in _CELL_TAGS:
            self.writer.pending_space = True

    def _q(self, node: _Node) -> None:
        opening, closing = ("\u201c", "\u201d") if self.q_depth % 2 == 0 else ("\u2018", "\u2019")
        self.writer.mark(opening, node.line, node.column)
        start = self.writer.length
        self.q_depth += 1
        self._children(node)
        self.q_depth -= 1
        end = self.writer.length
        self.writer.mark(closing, node.line, node.column)
        self.quotes.append(QuoteMark("q", Span(start, end), node.attrs.get("cite") or None))

    def _blockquote(self, node: _Node) -> None:
        """The quotation as `>` lines; its credit (a `<footer>` or a last `<cite>` paragraph) after
        it, as the page shows it."""
        credit = _credit_of(node)
        self.writer.block(2)
        self.writer.quote_depth += 1
        begin, first_part = self.writer.length, len(self.writer.parts)
        for child in node.children:
            if child is not credit:
                self.render(child)
        self.writer.quote_depth -= 1
        end = self.writer.length
        quoted = "".join(self.writer.parts[first_part:])  # the quotation's own text, not the page's so far
        start = begin + len(quoted) - len(quoted.lstrip("\n> "))
        self.writer.block(2)
        if credit is not None:
            self._children(credit)
            self.writer.block(2)
        cite = node.attrs.get("cite") or _credit_text(credit)
        self.quotes.append(QuoteMark("blockquote", Span(start, max(start, end)), cite))

    def _list(self, node: _Node) -> None:
        """A list as Markdown writes one, each item on its line after its number (`3. `) or a `- `,
        the way a browser shows it."""
        number = _int_attr(node, "start", 1)
        self.writer.block(2)
        for child in node.children:
            if child.tag == "li" and not _is_dropped(child):
                self.writer.block(1)
                self.writer.mark(f"{_int_attr(child, 'value', number)}. " if node.tag == "ol" else "- ",
                                 child.line, child.column, glue=True)
                self._children(child)
                number = _int_attr(child, "value", number) + 1
            else:
                self.render(child)
        self.writer.block(2)

    def _figure(self, node: _Node) -> None:
        """A figure's caption is its credit when it holds a block quotation (the HTML standard's way
        of attributing one), else a photograph's caption and credit, which is not the article's text."""
        quoted = any(n.tag == "blockquote" for n in _walk(node))
        self.writer.block(2)
        first_quote = len(self.quotes)
        for child in node.children:
            if quoted or child.tag != "figcaption":
                self.render(child)
        self.writer.block(2)
        caption = next((c for c in node.children if c.tag == "figcaption"), None)
        if quoted and caption is not None:
            credit = _credit_text(caption)
            self.quotes[first_quote:] = [replace(q, cite=credit) if q.kind == "blockquote" and q.cite is None else q
                                         for q in self.quotes[first_quote:]]

    def _pre(self, node: _Node) -> None:
        self.writer.block(2)
        self.writer.preformatted += 1
        self._children(node)
        self.writer.preformatted -= 1
        self.writer.block(2)


def _int_attr(node: _Node, name: str, default: int) -> int:
    value = node.attrs.get(name, "").strip()
    return int(value) if value.isdigit() else default


def _credit_of(node: _Node) -> _Node | None:
    """The credit line of a block quotation: a `<footer>` child, or a last child that is a `<cite>`
    or a paragraph holding only one."""
    elements = [c for c in node.children if c.tag]
    for child in elements:
        if child.tag == "footer":
            return child
    if elements:
        last = elements[-1]
        if last.tag == "cite":
            return last
        inner = [c for c in last.children if c.tag or c.text.strip()]
        if last.tag == "p" and len(inner) == 1 and inner[0].tag == "cite":
            return last
    return None


def _credit_text(credit: _Node | None) -> str | None:
    if credit is None:
        return None
    words = " ".join(c.text for c in _walk_text(credit)).split()
    return " ".join(words).lstrip("\u2014\u2013- ") or None


def _walk_text(node: _Node) -> Iterator[_Node]:
    for child in node.children:
        if child.tag:
            yield from _walk_text(child)
        else:
            yield child


def _metadata(root: _Node) -> tuple[tuple[str, str], ...]:
    """The page's title, author, date and address, as its head gives them."""
    found: dict[str, str] = {}
    for n in _walk(root):
        if n.tag == "title" and "title" not in found:
            found["title"] = " ".join(" ".join(c.text for c in _walk_text(n)).split())
        elif n.tag == "meta":
            key = (n.attrs.get("name") or n.attrs.get("property") or "").lower()
            name = {"author": "author", "article:author": "author", "article:published_time": "date",
                    "date": "date", "og:url": "url"}.get(key)
            if name and name not in found and n.attrs.get("content"):
                found[name] = n.attrs["content"].strip()
        elif n.tag == "link" and n.attrs.get("rel", "").lower() == "canonical" and "url" not in found:
            found["url"] = n.attrs.get("href", "").strip()
    return tuple((k, v) for k, v in found.items() if v)


def _decode_page(data: bytes, label: str) -> tuple[str, str]:
    """The page's characters: by its byte-order mark, else by its `<meta charset>`, else as any text file."""
    if not data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        m = _CHARSET_RE.search(data[:4096])
        if m:
            name = m.group(1).decode("ascii").lower()
            try:
                codec = codecs.lookup(name).name
                return data.decode(codec), codec
            except (LookupError, UnicodeDecodeError):
                pass
    return decode(data, label)


def read_html(data: bytes, label: str) -> Extracted:
    """The main text of a web page, with the line and column of each word in the page source."""
    page, encoding = _decode_page(data, label)
    builder = _TreeBuilder()
    try:
        builder.feed(page)
        builder.close()
    except (AssertionError, ValueError) as exc:  # html.parser's last resort on hopeless markup
        raise InputError(f"{label}: cannot be read as a web page ({exc})") from None
    sizes: dict[int, _Size] = {}
    main = _main_content(builder.root, sizes)
    renderer = _Renderer(main, sizes)
    renderer.render(main)
    text, places = renderer.writer.result()
    if not text.strip():  # an article that is nothing but a list of links: the links are its text
        renderer = _Renderer(main, sizes, drop_link_lists=False)
        renderer.render(main)
        text, places = renderer.writer.result()
    if not text.strip():
        raise InputError(f"{label}: this web page holds no text outside its scripts, menus and furniture")
    quotes = tuple(q for q in renderer.quotes if q.span.end <= len(text))
    warnings: tuple[str, ...] = ()
    if main.tag in {"body", "#document"}:
        warnings = ("no <article> or <main> on the page: its whole body was read, less the furniture rules drop",)
    return Extracted(text=text, format="html", extractor="provenance html.parser", places=places,
                     quotes=quotes, metadata=_metadata(builder.root), encoding=encoding, warnings=warnings)


def sniff_html(data: bytes) -> bool:
    """A web page: starts with a doctype or an HTML element, or is mostly markup early on."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf")
    if _SNIFF_RE.match(head):
        return True
    return head.lstrip().startswith(b"<") and len(_MARKUP_RE.findall(head)) >= 3


HTML_READER = Reader(format="html", extensions=(".html", ".htm", ".xhtml", ".shtml"), sniff=sniff_html,
                     read=read_html, description="a web page (main content, entities decoded, furniture out)")
