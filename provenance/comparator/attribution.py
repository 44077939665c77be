"""Attribution: whom a passage is said to come from, and whether the source it was found in agrees.

A cue before a quotation (`As Lincoln said`, `the Dunmore notice reads`) names somebody; each
source is known by the words of its file name and the names of its first and last lines. When the cue names another
known source than the one the passage was found in, the passage is misattributed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from provenance.model import Finding, FindingType, Span
from provenance.rules import PRONOUNS
from provenance.taxonomy import severity_of
from provenance.text import Text

GENERIC_NAME_WORDS = frozenset(
    """the and for with from that this address speech statement letter report reports text news press release
    official document article story wire said says told according words who what when his her their our
    january february march april may june july august september october november december monday tuesday
    wednesday thursday friday saturday sunday another line often credited reads put puts""".split()
)


def name_words(text: str) -> set[str]:
    """Names a text gives to something: its capitalised words, minus generic ones, folded."""
    names = set()
    for word in re.findall(r"[^\W\d_][\w'\u2019-]*", text):
        if not word[:1].isupper():
            continue
        folded = word.casefold().split("'")[0].split("\u2019")[0]
        if len(folded) >= 3 and folded not in GENERIC_NAME_WORDS:
            names.add(folded)
    return names


def source_names(text: Text) -> set[str]:
    """What a source may be called: the words of its file name, and the names of its first and
    last lines (a title, a byline, an address, a signature)."""
    stem = re.sub(r"[-_.]+", " ", text.id)
    lines = [line for line in text.original.splitlines() if line.strip()]
    names = {w for w in re.findall(r"[a-z]{3,}", stem.casefold()) if w not in GENERIC_NAME_WORDS}
    for line in {*lines[:EDGE_LINES], *lines[-EDGE_LINES:]}:
        names |= name_words(line)
    return names


EDGE_LINES = 3
"""How many lines at each end of a source may name it (its title, byline or signature)."""


def misattribution(passage_cue: str | None, quoted: Span, document: Text, matched: int,
                   names: Sequence[set[str]], mentions: Callable[[int], set[str]],
                   source_ids: Sequence[str]) -> Finding | None:
    """A finding, on the quoted words, when the cue names another source than the one the passage
    was found in, and the source it was found in never names whom the cue names (a report that
    quotes Okafor is a fair source for `Okafor said`).

    `matched` is the index of that source; `names` and `source_ids` are what each source may be
    called and its id, in the order of the sources; `mentions(k)` every name source `k` mentions.
    """
    if not passage_cue:
        return None
    cue_names = name_words(passage_cue)
    if not cue_names or cue_names & names[matched]:
        return None
    others = [k for k, known in enumerate(names) if k != matched and cue_names & known]
    if not others or cue_names & mentions(matched):
        return None  # the cue names nobody we know, or someone the source quotes: nothing to contradict
    other = source_ids[others[0]]
    return Finding(FindingType.MISATTRIBUTION, severity_of(FindingType.MISATTRIBUTION), quoted, None,
                   document.original[quoted.start:quoted.end], "",
                   f"attributed to {other!r} ({' '.join(passage_cue.split())!r}) but found in {source_ids[matched]!r}")


LEAD_CHARS = 200
"""How far back from a quotation's opening mark its lead-in is read (within its sentence)."""

_SENTENCE_BREAK_RE = re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s+(?=[A-Z\u201c\u2018\"'])")
"""A sentence's end and the space after it (a closing mark may stand after its full stop)."""


def lead_names(document: Text, start: int) -> set[str]:
    """The names in the words leading into a quotation that opens at `start`: its sentence (in
    its paragraph) up to the opening mark. `expressed by Franklin D. Roosevelt in his inaugural
    address in 1933: 'Let me assert...'` gives `roosevelt`: a lead-in need not be a cue to say
    whose words follow."""
    raw = document.original[max(0, start - LEAD_CHARS):start]
    raw = re.split(r"\n[ \t]*\n", raw)[-1]
    return name_words(_SENTENCE_BREAK_RE.split(raw)[-1]) - set(PRONOUNS)


TITLE_WORDS = frozenset(
    """president vice senator congressman congresswoman representative governor mayor minister prime
    secretary chancellor premier ambassador general admiral colonel captain commander chief justice judge
    king queen prince princess emperor pope bishop cardinal reverend father sister doctor professor
    chairman chairwoman chair director spokesman spokeswoman spokesperson mr mrs ms dr sir lord lady""".split()
)
"""Titles: a cue that names only a title (`the President, who said`) may mean the source's own
speaker, so it tells nobody else apart."""


_CUE_INTRO_RE = re.compile(r"^(?:[Aa]s|[Aa]ccording to|[Ii]n the words of)\s+")
_NAME_PARTICLES = frozenset("of the de van von al bin".split())


@dataclass(frozen=True, slots=True)
class CueSubject:
    """Who a cue says is speaking: the names of its subject, and whether it is a pronoun or a title."""

    names: frozenset[str]
    pronoun: bool = False
    titled: bool = False


def cue_subject(cue: str | None) -> CueSubject:
    """The subject of an attribution cue: its first run of capitalised words (with `of`, `the`,
    `de` ... inside), after `As`, `According to` or `In the words of`; for a cue that opens with
    its verb (`said Eisenhower`), the run after it. `Thoreau, who said` gives `thoreau`; `He told
    NBC` a pronoun (NBC is whom he told); `The Secretary of State also said` and `the Republican
    president, who said` a title (a role that may be the source's own speaker's)."""
    if not cue:
        return CueSubject(frozenset())
    words = re.findall(r"[^\W\d_][\w'\u2019.&-]*|,", _CUE_INTRO_RE.sub("", cue.strip()))
    if words and words[0].casefold() in PRONOUNS:
        return CueSubject(frozenset(), pronoun=True)
    k = 0
    while k < len(words) and not words[k][:1].isupper() and words[k] != ",":
        if words[k].casefold() in PRONOUNS:
            return CueSubject(frozenset(), pronoun=True)  # `the speech he said`, `it was the ... who said`
        k += 1  # `said Eisenhower`: the verb first
    run: list[str] = []
    while k < len(words) and (words[k][:1].isupper() or (run and words[k] in _NAME_PARTICLES)):
        run.append(words[k])
        k += 1
    following = words[k].casefold() if k < len(words) else ""
    folded = {w.casefold().rstrip(".").split("'")[0].split("\u2019")[0] for w in run}
    titled = bool(folded & TITLE_WORDS) or following in TITLE_WORDS
    return CueSubject(frozenset(name_words(" ".join(run)) - TITLE_WORDS), titled=titled)


def other_speaker(subject: CueSubject, known: set[str], mentioned: set[str], quoted_as: set[str]) -> set[str]:
    """The names a quotation's cue gives it when they point away from the source it paraphrases:
    its subject (`cue_subject`) is a name, neither a pronoun nor a title, that is no name of the
    source (`known`) nor one it mentions, and the document, which gives other words of the same
    source to `quoted_as` (the names leading into or cueing its quotations found word for word
    there), never gives them to it. Empty when the cue names nobody, when it names the source or
    someone it quotes, or when the document never says whose words the source holds (`quoted_as`
    empty: no such name, or one of those quotations given to a pronoun only): then nothing
    contradicts the paraphrase.

    `Roosevelt ... 'the only thing we have to fear is fear itself'` then `Thoreau, who said:
    'Nothing is as much to be feared as fear.'`: the second is like the speech in meaning, but
    the document gives it to somebody else. Where it fails: a document that calls one speaker by
    two names no source gives (`Roosevelt` for the quoted words, `FDR` for the paraphrase) takes
    the second for somebody else, and so does one whose word-for-word quotations are led in by
    other names without a cue (`From the Oval Office: '...'`, then `Eisenhower warned: '...'`)."""
    if subject.pronoun or subject.titled or not subject.names or not quoted_as:
        return set()
    names = set(subject.names)
    if names & known or names & mentioned or names & quoted_as:
        return set()
    return names


__all__ = ["GENERIC_NAME_WORDS", "TITLE_WORDS", "CueSubject", "cue_subject", "lead_names", "misattribution",
           "name_words", "other_speaker", "source_names"]
