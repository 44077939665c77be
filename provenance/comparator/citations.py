"""Citations: where a document says each quotation comes from, and which given source that names.

Read from the document (no alignment happens here):
- numbered citations `[1]`, `[2, 3]`, `[1][4]` with a reference list: `[1] Title (file.txt)`,
  `1. Title, https://…` under a heading such as `Sources` or `References`, or Markdown
  reference definitions `[1]: file.txt "Title"`;
- Markdown footnotes `[^1]` with their `[^1]: …` definitions;
- a Markdown link `[the ministry's statement](statement.txt)` in the quoting sentence;
- author-year `(Okafor, 2021)`, `(Okafor and Lee 2021, p. 4)` with a bibliography entry
  `Okafor, N. (2021). Title…`;
- a page's `<blockquote cite=…>` or the `<cite>` credit its reader attached;
- a credit line after the quotation (`— Mark Twain`), and the attribution cue the extract stage
  found (`Milley told reporters`), which give the words to a speaker.

A claim is resolved to a given source by, in order: a link target or a file name in the entry
(`briefing.txt`, a URL), the source's id, its title (most of the title's words in the entry), then
its author, speaker or aliases. `SourceEntry` gives what is known beyond the text; a source
without one is known by its file name, its first line as title, and what its reader found.

Where it can fail: a reference list in a layout not listed above (a table, a list without
numbers) is not read, and its citations are reported as naming no given source; a title shared
by two sources resolves to the first; an author-year citation whose surname is also another
source's author resolves by the bibliography entry first, then by the surname.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import SplitResult, quote, urlsplit

from provenance.comparator.attribution import GENERIC_NAME_WORDS, name_words
from provenance.comparator.extract import CREDIT_LINE_RE, PARAGRAPH_BREAK_RE
from provenance.model import Claim, ClaimKind, Passage, PassageKind, SourceEntry, Span
from provenance.text import Text

# Each entry pattern takes the rest of its line greedily (`\S.*`), its end spacing stripped in code: a
# lazy text followed by `[ \t]*$` backtracks quadratically over a long run of spaces.
_DEFINITION_RE = re.compile(r"^[ \t]{0,3}\[(\^?[^\]\s]{1,40})\]:[ \t]*(\S.*)$", re.M)
_LIST_ENTRY_RE = re.compile(r"^[ \t]{0,3}(?:[-*][ \t]+)?(?:\[(\d{1,3})\]|(\d{1,3})[.)])[ \t]+(\S.*)$", re.M)
_REFERENCE_HEADING_RE = re.compile(
    r"^[ \t]{0,3}(?:#{1,6}[ \t]*)?(?:\*\*)?(?:references?|sources?|notes|citations?|bibliography|works cited|"
    r"footnotes|further reading)(?:\*\*)?[ \t]*(?::[ \t]*)?$", re.I | re.M)
_INITIALS_RE = re.compile(r"[A-Z][\w'\u2019-]+,(?:[ \t]+[A-Z]\.)+")
"""`Okafor, N.`, `Halvorsen, P. J.`: a bibliography entry's author, as opposed to a sentence."""
_AUTHOR_YEAR_ENTRY_RE = re.compile(
    r"^[ \t]{0,3}(?:[-*][ \t]+)?(?P<surname>[A-Z][\w'\u2019-]+),[^()\n]{0,120}?\((?P<year>\d{4})[a-z]?\)(?P<rest>.*)$",
    re.M)
_NUMBER_MARK_RE = re.compile(r"\[(\d{1,3}(?:[ \t]*[,\u2013-][ \t]*\d{1,3})*)\](?![(:])")
_LABEL_MARK_RE = re.compile(r"\[([A-Za-z][\w.-]{0,39})\](?![(:])")
"""`[doc2]`: a citation by a source's id or a reference label, counted only when it is one."""
_FOOTNOTE_MARK_RE = re.compile(r"\[\^([^\]\s]{1,40})\](?!:)")
_LINK_RE = re.compile(r"(?<!!)\[([^\]\n]{1,200})\]\(([^)\s]{1,500})(?:[ \t]+\"[^\"\n]*\")?\)")
_AUTHOR_YEAR_MARK_RE = re.compile(
    r"\((?P<surname>[A-Z][\w'\u2019-]+)(?:[ \t]+(?:et al\.|and|&)(?:[ \t]+[A-Z][\w'\u2019-]+)?)?,?[ \t]+"
    r"(?P<year>\d{4})[a-z]?(?:,[ \t]*pp?\.[ \t]*[\d\u2013-]+)?\)")
_URL_RE = re.compile(r"https?://[^\s<>\"')\]]+")
_FILE_RE = re.compile(r"(?<![\w/])([\w][\w.-]{0,120}\.(?:txt|md|markdown|html?|pdf|docx|rtf|eml|vtt|srt|json|xml))\b",
                      re.I)
_SENTENCE_END_RE = re.compile(
    r"[.!?][\"\u201d\u2019')\]]*(?:\[\^?[\w.,\u2013 -]{1,40}\])*[ \t\r\n]+(?=[\"\u201c\u2018(\[]?[A-Z])")
"""A sentence end: its mark, closing quotes or brackets, any citation marks (`.[^1]`, `." [2]`), spacing."""
_TIGHT_MARKS_RE = re.compile(
    r"[\s.,;:!?\"'\u201d\u2019\u00bb)\]]*(?:(?:\[\^?[^\]\n]{1,40}\]|\([A-Z][^()\n]{0,60}\d{4}[^()\n]{0,20}\))"
    r"[\s.,;:]*)*")
"""The closing marks, punctuation and citation marks right after a quotation."""
_TIGHT_BEFORE_MARK = re.compile(r"^[\s.,;:!?\"'\u201d\u2019\u00bb)\]]*$")


@dataclass(frozen=True, slots=True)
class Reference:
    """One entry of a document's reference list, footnotes or bibliography."""

    label: str
    """`1`, `^note`, or `okafor 2021` for an author-year entry."""
    entry: str
    """The entry's text."""
    target: str | None
    """A link target, URL or file name the entry gives."""
    span: Span


@dataclass(frozen=True, slots=True)
class KnownSource:
    """Every name by which citations may call one given source."""

    index: int
    id: str
    files: frozenset[str]
    """File names (`briefing.txt`) and URLs, folded."""
    title_words: frozenset[str]
    people: tuple[frozenset[str], ...]
    """The name words of its author, speakers and aliases, one set per name."""
    aliases: tuple[str, ...]
    """Its given id, author and aliases as phrases, folded, for a whole-phrase match (a file's stem is
    no alias: `speech` in an entry does not name `speech.txt`)."""
    year: str | None
    file_res: tuple[re.Pattern[str], ...] = ()
    """The file names as whole words, compiled once."""
    alias_res: tuple[re.Pattern[str], ...] = ()
    """The aliases as whole phrases, compiled once."""


def _target_of(entry: str) -> str | None:
    """The link target, URL or file name an entry gives, if any."""
    link = _LINK_RE.search(entry)
    if link:
        return link.group(2)
    url = _URL_RE.search(entry)
    if url:
        return url.group(0).rstrip(".,;:")
    first = entry.split()[0] if entry.split() else ""
    if ("/" in first or "." in first) and not first.endswith(".") and _FILE_RE.fullmatch(first.strip("<>")):
        return first.strip("<>")
    found = _FILE_RE.search(entry)
    return found.group(1) if found else None


def _in_reference_sections(text: str) -> list[tuple[int, int]]:
    """The spans of the text after each reference heading, to the next heading or the end."""
    spans: list[tuple[int, int]] = []
    for m in _REFERENCE_HEADING_RE.finditer(text):
        nxt = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]", re.M).search(text, m.end())
        spans.append((m.end(), nxt.start() if nxt else len(text)))
    return spans


def read_references(text: str) -> dict[str, Reference]:
    """The reference list, footnote definitions and bibliography of a document, by label."""
    refs: dict[str, Reference] = {}
    sections = _in_reference_sections(text)

    def in_section(pos: int) -> bool:
        return any(a <= pos < b for a, b in sections)

    for m in _DEFINITION_RE.finditer(text):
        label, entry = m.group(1), m.group(2).rstrip()
        target = _target_of(entry)
        # `[^1]:` and `[2]:` are notes; `[label]: target` a link definition; `[Update]: The minister…` prose
        if label.startswith("^") or label.isdigit() or (target is not None and entry.startswith(target)):
            refs.setdefault(label.casefold(), Reference(label, entry, target, Span(m.start(), m.end())))
    for m in _LIST_ENTRY_RE.finditer(text):
        bracketed, dotted, entry = m.group(1), m.group(2), m.group(3).rstrip()
        if dotted and not in_section(m.start()):
            continue  # `1. ` is a numbered list anywhere; only under a reference heading is it a reference
        label = bracketed or dotted
        if label not in refs:
            refs[label] = Reference(label, entry, _target_of(entry), Span(m.start(), m.end()))
    for m in _AUTHOR_YEAR_ENTRY_RE.finditer(text):
        entry = m.group(0).strip(" \t-*")
        if not (in_section(m.start()) or _INITIALS_RE.match(entry)):
            continue  # `Okafor, the harbour master since (2019), put it…` is a sentence
        key = f"{m.group('surname').casefold()} {m.group('year')}"
        refs.setdefault(key, Reference(key, entry, _target_of(entry), Span(m.start(), m.end())))
    return refs


def known_sources(sources: Sequence[Text], entries: Sequence[SourceEntry | None], ids: Sequence[str],
                  speakers: Sequence[Sequence[str]]) -> list[KnownSource]:
    """What citations may call each source: files, id, title, people, aliases, year."""
    return [_known(k, text, entry or SourceEntry(), sid, speakers[k])
            for k, (text, entry, sid) in enumerate(zip(sources, entries, ids, strict=True))]


def _known(k: int, text: Text, entry: SourceEntry, sid: str, speakers: Sequence[str]) -> KnownSource:
    meta = dict(text.origin.metadata) if text.origin is not None else {}
    files = _files_of(text, entry, meta)
    first_line = next((line.strip(" #*\t") for line in text.original.splitlines() if line.strip()), "")
    title = entry.title or meta.get("title") or meta.get("subject") or first_line
    people = [n for n in (entry.author, meta.get("author"), meta.get("from"), *entry.aliases, *entry.speakers,
                          *speakers) if n]
    aliases = tuple(a.casefold() for a in (entry.id, entry.author, *entry.aliases) if a)
    year = re.search(r"\b(1[5-9]\d\d|20\d\d)\b", entry.date or meta.get("date") or "")
    return KnownSource(k, entry.id or sid, frozenset(files), frozenset(_words(title)),
                       tuple(frozenset(name_words(p) or _words(p)) for p in people), aliases,
                       year.group(1) if year else None, *_patterns(files, aliases))


def _files_of(text: Text, entry: SourceEntry, meta: dict[str, str]) -> set[str]:
    """A source's file name and path, and its URLs with their last segment, folded."""
    files = {PurePosixPath(text.path).name.casefold(), text.path.casefold()}
    for url in (entry.url, meta.get("url"), text.path if "://" in text.path else None):
        if url:
            files |= {url.casefold().rstrip("/"), PurePosixPath(_split(url).path).name.casefold()}
    files.discard("")
    return files


def _patterns(files: set[str], aliases: tuple[str, ...]) -> tuple[tuple[re.Pattern[str], ...],
                                                                  tuple[re.Pattern[str], ...]]:
    """The file names as whole words and the aliases as whole phrases, compiled once."""
    return (tuple(re.compile(rf"(?<![\w/.-]){re.escape(f)}(?![\w-])") for f in sorted(files) if "/" not in f),
            tuple(re.compile(rf"(?<!\w){re.escape(a)}(?!\w)") for a in aliases))


def _words(text: str) -> set[str]:
    """The words that tell one title from another: three letters or more, not generic, no numbers."""
    return {w for w in re.findall(r"[^\W\d_]{3,}", text.casefold()) if w not in GENERIC_NAME_WORDS}


def sources_cited(text: str, refs: dict[str, Reference], known: Sequence[KnownSource]) -> set[int]:
    """The sources (numbers in `known`) a document's reference entries and inline links name: what a
    search among many sources (a scan) must compare it with for its citations to be judged."""
    named = {resolve(ref.entry, ref.target, known) for ref in refs.values()}
    named |= {resolve(m.group(1), m.group(2), known) for m in _LINK_RE.finditer(text)}
    return {k for k in named if k is not None}


def resolve(entry: str, target: str | None, known: Sequence[KnownSource]) -> int | None:
    """The given source an entry (or link target) names, or None when it names none of them: by
    the target, a file name in the entry, the title, an alias, then a person's name."""
    for way in (_by_target(target, known), _by_file_name(entry, known), _by_title(entry, known),
                _by_alias(entry, known), _by_person(entry, known)):
        if way is not None:
            return way
    return None


def _by_target(target: str | None, known: Sequence[KnownSource]) -> int | None:
    """The source a link target names: by its whole URL or path, or by its file name, or its stem as the
    source's id. A URL target names a source known by URLs of other sites by neither (`a.org/report.html`
    is not `b.org/report.html`); a saved copy of the page, known by its file name only, it does name. An
    archived copy (`web.archive.org/web/2024.../https://a.org/report.html`) names what its original address does."""
    if not target:
        return None
    folded = target.casefold().rstrip("/")
    archived = _ARCHIVED_RE.match(folded)
    if archived is not None and (found := _by_target(archived.group(1), known)) is not None:
        return found
    name = PurePosixPath(_split(folded).path).name if "://" in folded else PurePosixPath(folded).name
    site = _site(folded)
    return next((s.index for s in known
                 if folded in s.files or (_same_site(site, s) and (
                     name in s.files or PurePosixPath(name).stem == s.id.casefold()))), None)


def _split(url: str) -> SplitResult:
    """`urlsplit`, also of a malformed address (an unclosed `[`, a host with characters NFKC makes into
    `/?#@:`): its brackets and letters beyond ASCII are read percent-encoded."""
    try:
        return urlsplit(url)
    except ValueError:
        return urlsplit(quote(url, safe=":/?#&=@%+;,~!$'()*"))


_ARCHIVED_RE = re.compile(r"[a-z][a-z0-9+.-]*://[^/]+/.*?/(https?://.+)$")
"""A URL whose path holds another whole URL: an archived copy of the page at that address."""


def _site(url: str) -> str | None:
    """A URL's host without `www.`, a port or a user name, or None for a file name."""
    if "://" not in url:
        return None
    parts = _split(url)
    return (parts.hostname or parts.netloc).removeprefix("www.")


def _same_site(site: str | None, source: KnownSource) -> bool:
    """Whether a target on `site` may name the source by file name: a file-name target, a source known
    by no URL, or one of the source's URLs on that site."""
    sites = {_site(f) for f in source.files if "://" in f}
    return site is None or not sites or site in sites


def _by_file_name(entry: str, known: Sequence[KnownSource]) -> int | None:
    text = entry.casefold()
    return next((s.index for s in known if any(p.search(text) for p in s.file_res)), None)


def _by_title(entry: str, known: Sequence[KnownSource]) -> int | None:
    """The source whose title the entry gives: most of the title's words in the entry (60 %, a
    long title cited in full), or nearly all the entry's words in the title (80 %, three words at
    least: a title cited shortened); two shared words at least either way. The best wins."""
    words = _words(entry)
    scored = []
    for source in known:
        shared = len(source.title_words & words)
        if shared < 2 or len(source.title_words) < 2:
            continue
        of_title, of_entry = shared / len(source.title_words), shared / max(1, len(words))
        if of_title >= 0.6 or (shared >= 3 and of_entry >= 0.8):
            scored.append((max(of_title, of_entry), shared, -source.index))
    return -max(scored)[2] if scored else None


def _by_alias(entry: str, known: Sequence[KnownSource]) -> int | None:
    text = entry.casefold()
    return next((s.index for s in known if any(p.search(text) for p in s.alias_res)), None)


def _by_person(entry: str, known: Sequence[KnownSource]) -> int | None:
    names = name_words(entry)
    return next((s.index for s in known if any(p and p <= names for p in s.people)), None)


def _sentence_after(text: str, end: int, limit: int) -> str:
    """The text after a quotation to the end of its sentence (at most `limit`); when the quotation
    closes its sentence, only the marks right after it (`." [2]`, `."[^1]`, `." (Okafor, 2021)`)."""
    after = text[end:limit]
    stop = _SENTENCE_END_RE.search(after)
    if stop and _TIGHT_BEFORE_MARK.match(after[:stop.start()]):
        tight = _TIGHT_MARKS_RE.match(after)
        return after[:max(tight.end() if tight else 0, stop.start() + 1)]
    return after[:stop.end()] if stop else after


def _sentence_before(text: str, start: int, floor: int) -> tuple[str, int]:
    """The text before a quotation back to the start of its sentence, and where it starts."""
    before = text[floor:start]
    ends = list(_SENTENCE_END_RE.finditer(text[floor:start + 1]))  # the quotation's first letter may start a sentence
    cut = ends[-1].end() if ends else 0
    return before[cut:], floor + cut


def _marks(piece: str, offset: int, refs: dict[str, Reference],
           ids: frozenset[str] = frozenset()) -> list[tuple[ClaimKind, str, Span, str, str | None]]:
    """The citation marks in a piece of text: (kind, text, span, entry, target), in order."""
    found: list[tuple[ClaimKind, str, Span, str, str | None]] = []
    for m in _LABEL_MARK_RE.finditer(piece):
        ref = refs.get(m.group(1).casefold())
        if ref is not None or m.group(1).casefold() in ids:
            found.append((ClaimKind.NUMBERED, m.group(0), Span(offset + m.start(), offset + m.end()),
                          ref.entry if ref else "", ref.target if ref else None))
    for m in _FOOTNOTE_MARK_RE.finditer(piece):
        ref = refs.get(f"^{m.group(1)}".casefold())
        found.append((ClaimKind.FOOTNOTE, m.group(0), Span(offset + m.start(), offset + m.end()),
                      ref.entry if ref else "", ref.target if ref else None))
    for m in _NUMBER_MARK_RE.finditer(piece):
        first = re.split(r"[ \t]*[,\u2013-][ \t]*", m.group(1))[0]
        ref = refs.get(first)
        found.append((ClaimKind.NUMBERED, m.group(0), Span(offset + m.start(), offset + m.end()),
                      ref.entry if ref else "", ref.target if ref else None))
    for m in _LINK_RE.finditer(piece):
        if _NUMBER_MARK_RE.fullmatch(f"[{m.group(1)}]") or m.group(1).startswith("^"):
            continue
        found.append((ClaimKind.LINK, m.group(0), Span(offset + m.start(), offset + m.end()), m.group(2), m.group(2)))
    for m in _AUTHOR_YEAR_MARK_RE.finditer(piece):
        key = f"{m.group('surname').casefold()} {m.group('year')}"
        ref = refs.get(key)
        entry = ref.entry if ref else f"{m.group('surname')} {m.group('year')}"
        found.append((ClaimKind.AUTHOR_YEAR, m.group(0), Span(offset + m.start(), offset + m.end()), entry,
                      ref.target if ref else None))
    return sorted(found, key=lambda f: f[2].start)


def claim_of(document: Text, passage: Passage, refs: dict[str, Reference], known: Sequence[KnownSource],
             paragraph: tuple[int, int], next_paragraph_end: int, *, floor: int = 0, ceiling: int | None = None
             ) -> Claim | None:
    """Where the document says a passage comes from: a citation mark after it in its sentence,
    else one before it in the sentence, else the page's `cite`, else a credit line, else its
    attribution cue; resolved to a given source where it names one. Marks are looked for between
    the end of the quotation before (`floor`) and the start of the one after (`ceiling`): a link
    inside another quotation is that quotation's words, not a citation."""
    text = document.original
    speaker = _speaker_of(passage)
    limit = next_paragraph_end if passage.kind is PassageKind.BLOCK else paragraph[1]
    limit = min(limit, ceiling) if ceiling is not None and ceiling > passage.span.end else limit
    after_start = passage.span.end
    after = _sentence_after(text, after_start, limit) if passage.kind is not PassageKind.BLOCK \
        else text[after_start:limit]
    ids = frozenset(s.id.casefold() for s in known)
    marks = _marks(after, after_start, refs, ids)
    if not marks and passage.kind is not PassageKind.BLOCK:
        before, at = _sentence_before(text, passage.span.start, max(paragraph[0], min(floor, passage.span.start)))
        marks = _marks(before, at, refs, ids)[::-1]  # before the quotation, the nearest mark is its
    if marks:
        kind, shown, span, entry, target = marks[0]
        source = resolve(entry, target, known) if (entry or target) else _by_label(shown, known)
        if source is None and kind is ClaimKind.AUTHOR_YEAR:
            source = _by_surname(shown, known)
        return Claim(kind, shown, span, entry or (target or ""), source, speaker)
    cite = _markup_cite(document, passage)
    if cite is not None:
        return Claim(ClaimKind.CITE, cite, passage.span, cite, resolve(cite, cite, known), speaker)
    credit = CREDIT_LINE_RE.match(text, _skip_line_end(text, passage.span.end), limit) \
        if passage.kind is PassageKind.BLOCK else None
    if credit is not None:
        who = credit.group("who").rstrip()
        return Claim(ClaimKind.CREDIT, credit.group(0).strip(" \t>"),
                     Span(credit.start("who"), credit.start("who") + len(who)), who, resolve(who, None, known), who)
    if passage.attribution and passage.attribution_span is not None:
        return Claim(ClaimKind.CUE, passage.attribution, passage.attribution_span, passage.attribution,
                     None, speaker)
    return None


def _skip_line_end(text: str, pos: int) -> int:
    """The start of the next line holding something, when only spacing and blank lines follow `pos`
    on its line (a credit may stand one blank line under its block quotation)."""
    m = re.compile(r"[ \t]*(?:\r?\n[ \t]*){1,2}(?=\S)").match(text, pos)
    return m.end() if m else pos


def _speaker_of(passage: Passage) -> str | None:
    """The person an attribution cue gives the words to (its capitalised names), if any."""
    if not passage.attribution:
        return None
    names = name_words(passage.attribution)
    return passage.attribution if names else None


def _by_label(shown: str, known: Sequence[KnownSource]) -> int | None:
    """The source whose id is a mark's label (`[2]` → the source with id `2`), for a citation with
    no reference entry: a generated answer numbers the sources it comes with."""
    label = re.split(r"[ \t]*[,\u2013-][ \t]*", shown.strip("[]^ "))[0].casefold()
    return next((s.index for s in known if s.id.casefold() == label), None)


def _by_surname(shown: str, known: Sequence[KnownSource]) -> int | None:
    m = _AUTHOR_YEAR_MARK_RE.match(shown)
    if m is None:
        return None
    surname, year = m.group("surname").casefold(), m.group("year")
    matches = [s.index for s in known if any(surname in p for p in s.people)]
    if len(matches) > 1:
        matches = [k for k in matches if known[k].year in (None, year)] or matches
    return matches[0] if matches else None


def _markup_cite(document: Text, passage: Passage) -> str | None:
    """The `cite=` or credit the document's reader attached to quotation markup over this passage."""
    if document.origin is None:
        return None
    for mark in document.origin.quotes:
        if mark.cite and mark.span.start < passage.span.end and passage.span.start < mark.span.end:
            return mark.cite
    return None


def names_a_document(target: str) -> bool:
    """Whether a link target is a document (a relative path, a file with a document's ending), as
    opposed to a page about someone (`https://en.wikipedia.org/wiki/Mark_Twain`)."""
    if "://" not in target:
        return True
    return _FILE_RE.search(PurePosixPath(_split(target).path).name) is not None


def paragraph_bounds(text: str) -> list[tuple[int, int]]:
    """The (start, end) of each paragraph (text between blank lines, as the extract stage reads them)."""
    bounds: list[tuple[int, int]] = []
    pos = 0
    for m in PARAGRAPH_BREAK_RE.finditer(text):
        bounds.append((pos, m.start()))
        pos = m.end()
    bounds.append((pos, len(text)))
    return bounds
