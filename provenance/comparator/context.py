"""Context: a verbatim quotation whose cut source words, in the same sentence, change what it says.

`I never said the mine would reopen` quoted as `the mine would reopen`; `Every district met its
target except the two largest` quoted as `Every district met its target.`; `Opponents claim the
reform will cost jobs` quoted as the speaker's own view; a source question quoted as a statement.
Each such cut is an `out_of_context` finding naming the cut words (its source span and text) and
what they do to the quoted words.

How it decides, on the folded words of the source (`Text.tokens.keys`):

1. The source sentence holding the match is found (`sentence_bounds`): a sentence ends at `.`,
   `!` or `?` followed by a space and a word that does not start in lower case, or at a blank
   line. The cut words are the sentence's words before the match and after it; a quotation of a
   whole sentence has none and gets nothing.
2. Each side is cut into clauses at commas, semicolons, colons, dashes and parentheses; a cue only
   counts in the clause that touches the quotation (`I do not want to keep you long, so I will be
   brief: the harbour will get its crane` cuts a "not", but not in the quoted words' clause).
3. The cues of `CUES` are looked for, the strongest effect first, one finding per side at most;
   besides the table, a subject in `OTHERS` followed within a few words by a verb in `REPORTING`
   (`critics say`, `some patients believe`) gives the words to someone else.
   Where the source quotes the matched words itself, between its own quotation marks, the words
   after its closing mark are the narrator's and are not read.
4. A question mark ending the source sentence, where the document's quotation has none, is a
   finding of its own.
5. A cut that the document quotes too (another quotation of the same source covers it) or gives
   itself, word for word, in the paragraph around the quotation, is not a finding
   (`drop_quoted_context`).

Where it fails (documented in `docs/findings.md`): it reads words, not grammar. A negation or a
frame in the clause touching the quotation is taken to scope over it (`nobody was hurt when the
mine would reopen` is read as a negation); a reporting verb with a named subject (`Smith claims`)
is taken to be the speaker's own source, not a rival; a subordinate clause before a comma
(`If you ask me, ...`) is read as a condition unless the table lists it as neutral; irony,
quotation of a question's answer and cues farther than one clause away are not seen.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import Enum

from provenance.model import Finding, FindingType, Impact, PassageKind, PassageResult, Severity, Span
from provenance.rules import NEGATIONS
from provenance.taxonomy import severity_of
from provenance.text import Text, fold


class Effect(str, Enum):
    """What cut words do to the quoted words."""

    NEGATION = "negates them"
    DENIAL = "calls them false"
    DOUBT = "puts them in doubt"
    CLAIM = "presents them as a claim under discussion, not as a statement"
    ATTRIBUTION = "gives them to someone else"
    CONDITION = "makes them conditional"
    EXCEPTION = "makes an exception to them"
    CONTRAST = "qualifies them with a contrast"


REVERSING = frozenset({Effect.NEGATION, Effect.DENIAL})
"""Effects that reverse the quoted words: their finding carries the impact `negation` (an error)."""


class Place(str, Enum):
    """Where a cue must stand relative to the quotation, in the source sentence."""

    BEFORE = "before"
    """Anywhere in the clause just before the quotation (`I never said`, `It is false that`)."""
    LEAD = "lead"
    """The last words before the quotation, which it completes (`whether`, `if`, `although`)."""
    OPENING = "opening"
    """The words that open the sentence, the quotation standing in the main clause after a comma
    (`If the funding continues, ...`, `Unless the banks lend again, ...`)."""
    AFTER = "after"
    """The first words after the quotation, a comma between or not (`except`, `only if`, `but`)."""
    AFTER_BREAK = "after-break"
    """The first words after the quotation, only after a comma, dash or other clause break
    (`, according to its supporters`; `, yet`), where without one they are mostly not cues."""
    PREDICATE = "predicate"
    """A word in the clause after the quotation when the quotation is a clause introduced by `that`
    or `whether` and a form of `be` follows it: `That the club is in debt is simply not true`."""


@dataclass(frozen=True, slots=True)
class Cue:
    """One entry of the cue table: words (folded, in order), where they stand, what they do."""

    words: tuple[str, ...]
    place: Place
    effect: Effect


def _cues(place: Place, effect: Effect, phrases: str) -> tuple[Cue, ...]:
    """Cues from a `|`-separated list of phrases, all in one place with one effect."""
    return tuple(Cue(tuple(p.split()), place, effect) for p in phrases.split("|"))


CUES: tuple[Cue, ...] = (
    *_cues(Place.BEFORE, Effect.DENIAL,
           "deny|denies|denied|denying|refute|refutes|refuted|false that|untrue that|myth that|lie that"
           "|nonsense that|falsehood that|not true that|not the case that|wrong to say|wrong to claim"),
    *_cues(Place.PREDICATE, Effect.DENIAL,
           "false|untrue|myth|lie|nonsense|rubbish|fiction|fantasy|baseless|unfounded|mistaken|incorrect|wrong"),
    *_cues(Place.BEFORE, Effect.DOUBT,
           "doubt|doubts|doubted|doubtful|whether|unclear|uncertain|unlikely|wonder|wonders|wondered"
           "|speculation that|remains to be seen"),
    *_cues(Place.PREDICATE, Effect.DOUBT,
           "unclear|uncertain|doubtful|unlikely|unproven|questionable|debatable|disputed|contested"),
    *_cues(Place.LEAD, Effect.DOUBT, "if"),
    *_cues(Place.BEFORE, Effect.CLAIM,
           "the claim that|the claims that|idea that|notion that|suggestion that|allegation that|allegations that"
           "|rumour that|rumor that|theory that|the belief that|the view that|the argument that|so called"),
    *_cues(Place.PREDICATE, Effect.CLAIM, "claim|rumour|rumor|allegation|theory"),
    *_cues(Place.BEFORE, Effect.ATTRIBUTION,
           "according to|it is said|it is claimed|it is alleged|it is rumoured|it is rumored|we are told"
           "|would have you believe|would have us believe|want you to believe"),
    *_cues(Place.AFTER_BREAK, Effect.ATTRIBUTION,
           "according to|or so|we are told|it is said|it is claimed|it is alleged|they say|they claim"),
    *_cues(Place.LEAD, Effect.CONDITION, "unless|even if|until|lest|provided|provided that|as long as|so long as"),
    *_cues(Place.LEAD, Effect.CONTRAST, "although|though|even though|whereas"),
    *_cues(Place.OPENING, Effect.CONDITION,
           "if|unless|only if|even if|provided|providing|assuming|as long as|so long as|without|in theory"
           "|on paper|in principle|only when|only after|when taken|when used|when given|when combined"),
    *_cues(Place.OPENING, Effect.EXCEPTION, "except|except for|apart from|aside from|other than|barring|save for"),
    *_cues(Place.OPENING, Effect.ATTRIBUTION, "according to"),
    *_cues(Place.AFTER, Effect.CONDITION,
           "unless|if|only|provided|providing|as long as|so long as|on condition|assuming|until|in case|subject to"
           "|when taken|when used|when given|when combined|when applied|when mixed|in theory|on paper"
           "|in principle|at first|for now|for the moment|in some cases|in rare cases|at best|depending on"),
    *_cues(Place.AFTER, Effect.EXCEPTION,
           "except|excepting|with the exception|apart from|aside from|other than|save for|barring|excluding"),
    *_cues(Place.AFTER, Effect.CONTRAST, "but|although|even though|however|whereas|nevertheless|nonetheless"),
    *_cues(Place.AFTER_BREAK, Effect.CONTRAST, "yet|though"),
)
"""The cue table, strongest effect first within each place: the first cue found on a side wins."""

NEUTRAL: tuple[tuple[str, ...], ...] = tuple(tuple(p.split()) for p in (
    "no doubt|no question|not only|not just|not merely|not least|never before|if you ask me|if anything"
    "|if i may|if you like|if so|nothing but|not to mention"
).split("|"))
"""Phrases whose negation or conditional word does not bear on the quoted words (`I have no doubt
that`, `not only`): their words are set aside before the cues are looked for."""

OTHERS = frozenset(
    """opponents critics detractors sceptics skeptics cynics doubters naysayers rivals adversaries enemies some
    others many rumours rumors reports people they those opposition commentators pundits theorists""".split()
)
"""Subjects that give the words that follow to someone other than the speaker."""

REPORTING = frozenset(
    """claim claims claimed say says said argue argues argued allege alleges alleged insist insists insisted
    contend contends contended suggest suggests suggested believe believes believed think thinks thought assert
    asserts asserted maintain maintains maintained fear fears feared predict predicts predicted warn warns
    warned tell tells told hold holds imagine imagines suppose supposes""".split()
)
"""Verbs that report what a subject says or believes."""

FIRST_PERSON = frozenset({"i", "we", "me", "us", "my", "our"})
"""Words that make a reporting frame the speaker's own (`as I told the committee`)."""

BE = frozenset({"is", "was", "are", "were", "be", "been", "remains", "remain", "seems", "seem", "sounds"})
"""Forms of `be` (and verbs like it) that open a predicate on a `that` clause."""

CLAUSE_OPENERS = frozenset({"that", "whether"})
"""Words before a quotation that make it a clause a predicate can be said of."""

SUBJECT_REACH = 4
"""Most words between a subject of `OTHERS` and its reporting verb."""

_SENTENCE_END_RE = re.compile(r"[.!?]+[\"'\u201d\u2019)\]]*\s")
_CLAUSE_BREAK_RE = re.compile(r"[,;:()\u2014\u2013]|\s-{1,2}\s|--")


@dataclass(frozen=True, slots=True)
class SentenceCut:
    """The source words around a match, within its sentence (token indices, `hi` exclusive)."""

    start: int
    """The sentence's first token."""
    lo: int
    """The match's first token."""
    hi: int
    """One past the match's last token."""
    end: int
    """One past the sentence's last token."""


def _gap(text: Text, k: int) -> str:
    """The characters between token k and token k + 1 (to the end of the text after the last)."""
    tokens = text.tokens
    start = tokens.ends[k]
    end = tokens.starts[k + 1] if k + 1 < len(tokens) else len(text.original)
    return text.original[start:end]


def sentence_ends_after(text: Text, k: int) -> bool:
    """Whether a sentence ends after token k: a full stop, `!` or `?` then a space and a word that
    does not start in lower case (`U.S. officials` goes on), or a blank line, or the end of the text."""
    tokens = text.tokens
    if k + 1 >= len(tokens):
        return True
    gap = _gap(text, k)
    if "\n" in gap and re.search(r"\n[ \t]*\n", gap):
        return True
    if not _SENTENCE_END_RE.search(gap):
        return False
    return not text.original[tokens.starts[k + 1]].islower()


def clause_breaks_after(text: Text, k: int) -> bool:
    """Whether a clause ends after token k: a comma, semicolon, colon, dash, parenthesis or a sentence end."""
    return sentence_ends_after(text, k) or _CLAUSE_BREAK_RE.search(_gap(text, k)) is not None


def sentence_bounds(text: Text, lo: int, hi: int) -> SentenceCut:
    """The sentence around tokens lo..hi: from the start of the sentence holding token lo to the
    end of the one holding token hi - 1."""
    start = lo
    while start > 0 and not sentence_ends_after(text, start - 1):
        start -= 1
    end = hi
    while end < len(text.tokens) and not sentence_ends_after(text, end - 1):
        end += 1
    return SentenceCut(start, lo, hi, end)


@dataclass(frozen=True, slots=True)
class CutCue:
    """A cue found among the cut words, with the stretch of cut words the finding names."""

    effect: Effect
    first: int
    """The first cut token the finding names."""
    last: int
    """The last cut token the finding names (inclusive)."""
    side: str
    """`before` or `after`."""


def _neutralised(keys: Sequence[str]) -> list[str]:
    """The keys with the words of neutral phrases blanked out."""
    return _without(keys, NEUTRAL)


def _without(keys: Sequence[str], phrases: Sequence[tuple[str, ...]]) -> list[str]:
    """The keys with the words of the given phrases blanked out."""
    out = list(keys)
    for phrase in phrases:
        n = len(phrase)
        for k in range(len(out) - n + 1):
            if tuple(out[k:k + n]) == phrase:
                out[k:k + n] = [""] * n
    return out


def _has_phrase(keys: Sequence[str], phrase: tuple[str, ...]) -> bool:
    """Whether the keys hold the phrase, word for word."""
    n = len(phrase)
    return any(tuple(keys[k:k + n]) == phrase for k in range(len(keys) - n + 1))


def _negates(keys: Sequence[str]) -> bool:
    """Whether some key is a negation (`not`, `never`, a word in `n't`)."""
    return any(k in NEGATIONS or k.endswith("n't") for k in keys)


def _others_report(keys: Sequence[str]) -> bool:
    """Whether a subject of `OTHERS` is followed, within `SUBJECT_REACH` words and without a first
    person between, by a reporting verb: `critics say`, `some patients believe`."""
    for i, key in enumerate(keys):
        if key not in OTHERS:
            continue
        for j in range(i + 1, min(len(keys), i + 1 + SUBJECT_REACH)):
            if keys[j] in FIRST_PERSON:
                break
            if keys[j] in REPORTING:
                return True
    return False


def _before_cue(source: Text, cut: SentenceCut) -> CutCue | None:
    """The cue among the sentence's words before the quotation, if any."""
    if cut.lo <= cut.start:
        return None
    keys = source.tokens.keys
    near = cut.lo
    while near > cut.start and not clause_breaks_after(source, near - 1):
        near -= 1
    clause = _neutralised(keys[near:cut.lo])
    effect = _clause_effect(clause)
    if effect is not None:
        return CutCue(effect, near, cut.lo - 1, "before")
    opening = cut.start
    while opening < cut.lo - 1 and not clause_breaks_after(source, opening):
        opening += 1
    if opening < cut.lo - 1 or clause_breaks_after(source, cut.lo - 1):
        first_clause = _neutralised(keys[cut.start:opening + 1])
        for cue in CUES:
            if cue.place is Place.OPENING and tuple(first_clause[:len(cue.words)]) == cue.words:
                return CutCue(cue.effect, cut.start, opening, "before")
    return None


def _clause_effect(clause: Sequence[str]) -> Effect | None:
    """What the clause just before a quotation does to it, from the cue table."""
    if not clause:
        return None
    found = [cue for cue in CUES if cue.place is Place.BEFORE and _has_phrase(clause, cue.words)]
    framed = [cue.effect for cue in found]
    # a negation inside a cue's own words (`not true that`) is that cue, not a second negation
    negated = _negates(_without(clause, [cue.words for cue in found]))
    if negated and any(e in (Effect.DENIAL, Effect.DOUBT) for e in framed):
        return None  # `I do not deny that`, `nobody doubts that`: two negations affirm
    if negated and not any(e is Effect.DENIAL for e in framed):
        return Effect.NEGATION
    if framed:
        return framed[0]
    for cue in CUES:
        if cue.place is Place.LEAD and tuple(clause[-len(cue.words):]) == cue.words:
            return cue.effect
    if _others_report(clause):
        return Effect.ATTRIBUTION
    return None


def _after_cue(source: Text, cut: SentenceCut, framed: bool) -> CutCue | None:
    """The cue among the sentence's words after the quotation, if any. With `framed` (the words
    before the quotation already hold a cue), a predicate on a `that` or `whether` clause is the
    other half of the same frame (`Whether the glacier will recover is unclear`) and not a second cue."""
    if cut.hi >= cut.end:
        return None
    keys = source.tokens.keys
    far = cut.hi
    while far < cut.end - 1 and not clause_breaks_after(source, far):
        far += 1
    clause = _neutralised(keys[cut.hi:far + 1])
    broken = clause_breaks_after(source, cut.hi - 1)
    for cue in CUES:
        if cue.place is Place.AFTER or (cue.place is Place.AFTER_BREAK and broken):
            if tuple(clause[:len(cue.words)]) == cue.words:
                return CutCue(cue.effect, cut.hi, far, "after")
    if broken and _others_report(clause[:SUBJECT_REACH + 1]):
        return CutCue(Effect.ATTRIBUTION, cut.hi, far, "after")
    if broken or framed or cut.lo <= cut.start or keys[cut.lo - 1] not in CLAUSE_OPENERS:
        return None
    effect = _predicate_effect(clause)
    return CutCue(effect, cut.hi, far, "after") if effect is not None else None


def _predicate_effect(clause: Sequence[str]) -> Effect | None:
    """What a predicate said of a quoted `that` clause does to it: `is simply not true`, `is a myth`."""
    if not clause or clause[0] not in BE:
        return None
    if _negates(clause):
        return Effect.NEGATION
    return next((cue.effect for cue in CUES if cue.place is Place.PREDICATE and cue.words[0] in clause), None)


_OPENING_MARKS = "\"'\u201c\u2018\u00ab\u201e\u201a\u2039"
_CLOSING_MARKS = "\"'\u201d\u2019\u00bb\u201c\u203a"


def _source_quotes(source: Text, lo: int, hi: int) -> bool:
    """Whether the source has tokens lo..hi between quotation marks of its own, as a quotation."""
    text, tokens = source.original, source.tokens
    start, end = tokens.starts[lo], tokens.ends[hi - 1]
    before = text[max(0, start - 2):start].rstrip()
    after = text[end:end + 3].lstrip(".,;:!?")
    return bool(before) and before[-1] in _OPENING_MARKS and bool(after) and after[0] in _CLOSING_MARKS


def _closes_sentence(document: Text, span: Span) -> bool:
    """Whether the document ends a sentence where the quotation ends (`target.”`, `jobs”.`)."""
    tail = document.original[span.end - 1:span.end + 3]
    return re.search(r"[.!?]", tail) is not None


def _quoted(text: str) -> str:
    """Source words as a message quotes them: on one line, at most 80 characters."""
    one = " ".join(text.split())
    return one if len(one) <= 80 else one[:79] + "\u2026"


def context_findings(document: Text, span: Span, source: Text, lo: int, hi: int) -> list[Finding]:
    """The `out_of_context` findings of a quotation (document `span`) matched verbatim with source
    tokens lo..hi: one for the cut words before it, one for those after, one for a question it
    turns into a statement; none for a whole sentence or neutral cut words."""
    if hi <= lo:
        return []
    cut = sentence_bounds(source, lo, hi)
    if _source_quotes(source, lo, hi):
        # The source quotes these words itself: what follows its closing mark is the narrator's, not
        # part of what was said (`called it "an inconvenience", but warned that ...`).
        cut = replace(cut, end=hi)
    findings = []
    doc_text = document.original[span.start:span.end]
    before = _before_cue(source, cut)
    lead = _lead_in(document, span)
    for cue in (before, _after_cue(source, cut, framed=before is not None)):
        if cue is None or _restated(cue.effect, lead):
            continue
        start, end = source.tokens.starts[cue.first], source.tokens.ends[cue.last]
        words = source.original[start:end]
        if cue.side == "before":
            message = (f"the source has \u201c{_quoted(words)}\u201d just before the quoted words, "
                       f"which {cue.effect.value}")
        else:
            message = f"the source goes on \u201c{_quoted(words)}\u201d, which {cue.effect.value}"
            if _closes_sentence(document, span):
                message += "; the quotation closes the sentence where the source goes on"
        impact = (Impact.NEGATION,) if cue.effect in REVERSING else ()
        findings.append(Finding(FindingType.OUT_OF_CONTEXT, severity_of(FindingType.OUT_OF_CONTEXT, impact), span,
                                Span(start, end), doc_text, words, message, impact))
    question = _question(document, span, source, cut)
    if question is not None:
        findings.append(question)
    return findings


RESTATED_CONDITION = frozenset({"if", "unless", "provided", "until", "when", "whenever", "lest"})
"""Words by which a document's own lead-in to a quotation says it holds only on a condition."""
RESTATED_NEGATION = frozenset({"against", "denied", "denies", "deny", "refused", "refuses", "rejected", "rejects"})
"""Words besides the negations by which a document's lead-in says the quoted words are not so or not to be
done (`warned against trying to "..."` for a source's `should not "..."`)."""


_CLAUSE_MARK_RE = re.compile(r"[,;:\u2013\u2014(]")
"""What ends a clause of the lead-in: the clause next to the quotation is the one a negation must be in."""


def _lead_in(document: Text, span: Span) -> tuple[frozenset[str], frozenset[str]]:
    """The folded words of the document's own sentence before a quotation (from its last sentence end),
    and those of its last clause (from its last comma, colon, semicolon, dash or parenthesis)."""
    text = document.original
    begin = max(0, max(text.rfind(mark, 0, span.start) for mark in (". ", "! ", "? ", "\n\n")))
    sentence = text[begin:span.start]
    clause = _CLAUSE_MARK_RE.split(sentence.rstrip(" ,;:\u2013\u2014"))[-1]
    return _folded_words(sentence), _folded_words(clause)


def _folded_words(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"[^\W_]+(?:'[^\W_]+)?", fold(text)))


def _restated(effect: Effect, lead: tuple[frozenset[str], frozenset[str]]) -> bool:
    """Whether the document's lead-in to the quotation carries what the cut words do itself: a
    condition of its own anywhere in its sentence (`if the autumn rains fail, "it will be longer"` for
    the source's `If they are not, it will be longer`) or a negation in the clause next to it (`warned
    against trying to "..."`; not `Odell, who never minces words, said "..."`). It reads words: a
    lead-in naming another condition than the source's (`when asked, he said "..."`) is taken to restate
    it, and so is a negation of the clause that is about something else."""
    sentence, clause = lead
    if effect is Effect.CONDITION:
        return bool(sentence & RESTATED_CONDITION)
    if effect in REVERSING:
        return bool(clause & (NEGATIONS | RESTATED_NEGATION)) or any(w.endswith("n't") for w in clause)
    return False


def _question(document: Text, span: Span, source: Text, cut: SentenceCut) -> Finding | None:
    """The finding of a quotation cut from a source question that the document does not quote as one."""
    tokens = source.tokens
    gap = _gap(source, cut.end - 1)
    end_mark = re.search(r"[.!?]", gap)
    if end_mark is None or end_mark.group() != "?":
        return None
    mark = end_mark.start()
    if "?" in document.original[span.start:span.end + 3]:
        return None  # the quotation keeps the question mark: it reads as a question
    start, end = tokens.starts[cut.start], tokens.ends[cut.end - 1] + mark + 1
    sentence = source.original[start:end]
    return Finding(FindingType.OUT_OF_CONTEXT, severity_of(FindingType.OUT_OF_CONTEXT), span, Span(start, end),
                   document.original[span.start:span.end], sentence,
                   f"the source asks this as a question (\u201c{_quoted(sentence)}\u201d); the quotation reads "
                   "as a statement")


def context_applies(kind: PassageKind, findings: Sequence[Finding]) -> bool:
    """Whether a quotation's cut context is checked: an inline or block quotation whose words are
    the source's (only information findings: normalisation, marked editorial changes)."""
    return (kind in (PassageKind.INLINE, PassageKind.BLOCK)
            and all(f.severity is Severity.INFO for f in findings if f.type is not FindingType.MISATTRIBUTION))


def drop_quoted_context(document: Text, results: Sequence[PassageResult | None]) -> list[PassageResult | None]:
    """Drop the `out_of_context` findings whose cut words the document gives after all: another of
    its quotations of the same source covers them (`"The plan is good," she said, "but it costs
    too much."`), or its paragraph around the quotation has them word for word."""
    matched = [(r.match.source, r.match.span) for r in results if r is not None and r.match is not None]
    out: list[PassageResult | None] = []
    for result in results:
        if result is None or result.match is None or not any(
                f.type is FindingType.OUT_OF_CONTEXT for f in result.findings):
            out.append(result)
            continue
        source = result.match.source
        paragraph = _paragraph_around(document, result.passage.span)
        kept = tuple(f for f in result.findings if not (
            f.type is FindingType.OUT_OF_CONTEXT and f.src_span is not None
            and (any(s == source and span != result.match.span and span.start < f.src_span.end
                     and f.src_span.start < span.end for s, span in matched)
                 or (not f.message.startswith("the source asks") and fold(f.src_text).strip() in paragraph))))
        out.append(replace(result, findings=kept))
    return out


def _paragraph_around(document: Text, span: Span) -> str:
    """The folded text of the document's paragraph around a quotation, the quotation left out."""
    text = document.original
    start = text.rfind("\n\n", 0, span.start)
    end = text.find("\n\n", span.end)
    start = 0 if start < 0 else start
    end = len(text) if end < 0 else end
    return fold(text[start:span.start] + " \u2026 " + text[span.end:end])


__all__ = ["BE", "CLAUSE_OPENERS", "CUES", "Cue", "Effect", "FIRST_PERSON", "NEUTRAL", "OTHERS", "Place", "REPORTING",
           "REVERSING", "SentenceCut", "clause_breaks_after", "context_applies", "context_findings",
           "drop_quoted_context", "sentence_bounds", "sentence_ends_after"]
