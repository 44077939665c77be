"""Quotations of another text that share words with a source: `unsourced`, not altered.

A quotation may align with a source span well enough to count as quoting it (`MIN_SIMILARITY`)
and still be a quotation of some other text that happens to share words with it: `to be or not to
be` against a speech that says `not to be afraid`; a speech's nickname between quotation marks
(`Eisenhower's "Cross of Iron Speech"`, where the speech says `a cross of iron`); a draft's wording
quoted as the draft's (`In Jefferson's original draft ... "all men are created equal and
independent"`). An editor reads these as quotations of something else, not as the source altered,
and reports them as words no given source supports.

Each test applies only to a quotation that the alignment changes in its wording (a substitution,
an insertion, an omission or a transposition): one whose words are all the source's, in order, is
the source's words, whatever else it may also be (a nickname taken from the speech).

1. Chance: every word it shares with the source is a function word (`rules.STOPWORDS`), and it
   has at least as many words the source lacks as words it shares (`to be or` + `not to be`).
2. A name or a title (inline quotations only): the quotation is in title case (its first word and
   every other word but short function words capitalised, at least two capitalised), a word it
   shares with the source is capitalised in the quotation but in lower case in the source, and the
   document marks the quoted words as a name: a possessive (`Eisenhower's`) or `the` right before
   the opening mark, or a word for a work (`speech`, `address`, `doctrine`, `report` ...) as the
   quotation's last word or the word right after its closing mark.
3. Another version named: the document's sentence, before the quotation, says the words come
   from another version of the text (`the original draft`, `an earlier version`). It does not
   count when the source calls itself a draft or a version (the word stands in its file name or
   its first lines): then the source is that version. `another speech` or `a separate statement`
   is no cue: the other text may be one of the sources given.

Where it fails (also in `docs/findings.md`): a misquotation sharing only function words with its
source is kept when it shares more words than it adds (`we shall not be beaten` for `we shall not be
moved`) but not otherwise (`to be or not to do` comes out unsourced); a real quotation in title case
after a possessive (`the president's "Humanity Hanging On A Cross Of Iron"`) whose source has the
words in lower case is taken for a title; a cue scopes over the whole sentence before the quotation
(`the first draft said "A", but he told the crowd "B"` takes an altered `B` for the draft's too),
while a cue one sentence earlier is not seen; `the original text` and `the final version` are never
cues, since either may be the source itself.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from provenance.comparator.locate import Fit
from provenance.model import Finding, FindingType, Passage, PassageKind
from provenance.rules import STOPWORDS
from provenance.text import Text

WORDING = frozenset({FindingType.SUBSTITUTION, FindingType.SILENT_INSERTION, FindingType.SILENT_OMISSION,
                     FindingType.TRANSPOSITION})
"""The findings that change a quotation's wording: only a quotation with one of them is tested."""

SMALL_TITLE_WORDS = frozenset("a an and as at but by for from in into nor of on or the to upon with".split())
"""Words a title leaves in lower case (`Cross of Iron`, `The Chance for Peace`)."""

WORK_WORDS = frozenset(
    """speech speeches address addresses doctrine report letter memo memorandum sermon proclamation
    lecture essay poem song book novel article editorial column statement remarks message manifesto
    treaty amendment resolution slogan motto play film broadcast talk chat interview plan policy
    programme program""".split()
)
"""Words for a work, after a quoted name: `the "Cross of Iron" speech`, `the "Four Freedoms" address`."""

_NAME_BEFORE_RE = re.compile(r"(?:\w['\u2019]s|\ws['\u2019]|\bthe|\bhis|\bher|\btheir|\bits)\s*$", re.IGNORECASE)
"""A possessive or an article right before a quoted name (the opening mark already stripped)."""

_MARKS = "\"'\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u00ab\u00bb\u2039\u203a"

_SENTENCE_START_RE = re.compile(r"[.!?][" + _MARKS + r")\]]*\s+|\n[ \t]*\n")
"""Where a sentence of the document starts: after a sentence end and its closing marks, or a blank line."""

_TRAILING_MARKUP_RE = re.compile(r"(?:<[^<>]*>|\s)*$")
"""Space and tags after the sentence that introduces a block quotation."""

SENTENCE_REACH = 600
"""Most characters before a quotation searched for the start of its sentence."""

_OTHER_TEXT_RES = (
    re.compile(r"\b(?:original|first|earlier|early|rough|initial|preliminary|unrevised|previous|prior|another|other"
               r"|different|\w+['\u2019]s)\s+(?:\w+\s+)?(?P<noun>drafts?)\b", re.IGNORECASE),
    re.compile(r"\b(?:earlier|early|previous|prior|first|initial|another|other|different|alternative|rough|draft"
               r"|unrevised)\s+(?:\w+\s+)?(?P<noun>versions?|editions?|texts?|manuscripts?)\b", re.IGNORECASE),
)
"""Cues that the words come from another version of the text: `in Jefferson's original draft`, `an
earlier version read`; the noun is checked against what the source calls itself. `another speech`
or `a separate statement` is no cue: the other text may well be one of the sources given."""

EDGE_LINES = 3
"""How many first lines of a source may call it a draft or a version."""


def foreign_quotation(document: Text, passage: Passage, tokens: Sequence[int], located: Fit, source: Text,
                      findings: Sequence[Finding]) -> str | None:
    """Why a located quotation whose wording the alignment changes is a quotation of another text
    than `source`, or None when it is the source altered. `tokens` are the quotation's document
    tokens, in the order `located.ops` indexes them."""
    if passage.kind not in (PassageKind.INLINE, PassageKind.BLOCK) or not any(f.type in WORDING for f in findings):
        return None
    reason = _chance(document, tokens, located)
    if reason is None and passage.kind is PassageKind.INLINE:
        reason = _quoted_name(document, passage, tokens, located, source)
    return reason or _other_text(document, passage, source)


def _shared(located: Fit) -> list[tuple[int, int]]:
    """The pairs (quotation word, source token) the alignment matches."""
    return [(i, located.lo + op.j1 + (i - op.i1)) for op in located.ops if op.tag == "equal"
            for i in range(op.i1, op.i2)]


def _chance(document: Text, tokens: Sequence[int], located: Fit) -> str | None:
    """Why the quotation shares words with the source by chance: only function words, and no
    more of them than it has words of its own."""
    shared = [document.tokens.keys[tokens[i]] for i, _ in _shared(located)]
    if not shared or any(key not in STOPWORDS for key in shared) or len(tokens) - len(shared) < len(shared):
        return None
    return f"the words it shares with the source ({' '.join(shared)!r}) are function words only"


def _quoted_name(document: Text, passage: Passage, tokens: Sequence[int], located: Fit, source: Text) -> str | None:
    """Why the quotation is a title or a name of something rather than the source's words."""
    text = document.original
    words = [text[document.tokens.starts[t]:document.tokens.ends[t]] for t in tokens]
    if not _title_case(words):
        return None
    lowered = [words[i] for i, j in _shared(located)
               if words[i][:1].isupper() and words[i].casefold() not in SMALL_TITLE_WORDS
               and source.original[source.tokens.starts[j]:source.tokens.starts[j] + 1].islower()]
    if not lowered:
        return None
    before = text[max(0, passage.span.start - 80):passage.span.start].rstrip().rstrip(_MARKS).rstrip()
    after = re.match(r"[\W_]*([^\W\d_]+)", text[passage.span.end:passage.span.end + 80])
    work = words[-1].casefold() in WORK_WORDS or (after is not None and after.group(1).casefold() in WORK_WORDS)
    if not (work or _NAME_BEFORE_RE.search(before)):
        return None
    return (f"it is a name in title case, where the source has {lowered[0].casefold()!r} in lower case: "
            "the title of a work, not a quotation of the source")


def _title_case(words: Sequence[str]) -> bool:
    """Whether words are written as a title: the first and every word but short function words
    capitalised, at least two of them, and not all in capitals (which says nothing of case)."""
    if len(words) < 2 or not words[0][:1].isupper() or all(w.isupper() for w in words):
        return False
    capitalised = [w for w in words if w[:1].isupper()]
    return len(capitalised) >= 2 and all(w[:1].isupper() or w.casefold() in SMALL_TITLE_WORDS for w in words)


def _other_text(document: Text, passage: Passage, source: Text) -> str | None:
    """Why the document's sentence says the quotation comes from another text than the source."""
    text = document.original
    end = passage.span.start
    if passage.kind is PassageKind.BLOCK:
        # a block quotation's sentence is the one introducing it, ending in a colon above it
        intro = _TRAILING_MARKUP_RE.sub("", text[:text.rfind("\n", 0, end) + 1])
        if not intro.endswith(":"):
            return None
        end = len(intro)
    lo = max(0, end - SENTENCE_REACH)
    starts = [m.end() for m in _SENTENCE_START_RE.finditer(text, lo, max(lo, end - 1))]
    sentence = text[starts[-1] if starts else lo:end]
    for cue in (m for pattern in _OTHER_TEXT_RES for m in pattern.finditer(sentence)):
        if _calls_itself(source, cue.group("noun").casefold().rstrip("s")):
            continue
        return f"the document says it comes from another text ({' '.join(cue.group(0).split())!r})"
    return None


def _calls_itself(source: Text, noun: str) -> bool:
    """Whether the source's file name or first lines call it a `noun` (a draft, a version)."""
    head = [line for line in source.original.splitlines() if line.strip()][:EDGE_LINES]
    names = " ".join([re.sub(r"[-_.]+", " ", source.id), *head]).casefold()
    return re.search(r"\b" + re.escape(noun) + r"s?\b", names) is not None
