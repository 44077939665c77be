"""Attribution: whom a passage is said to come from, and whether the source it was found in agrees.

A cue before a quotation (`As Lincoln said`, `the Dunmore notice reads`) names somebody; each
source is known by the words of its file name and the names of its first and last lines. When the cue names another
known source than the one the passage was found in, the passage is misattributed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from provenance.comparator.extract import PARAGRAPH_BREAK_RE
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


def _name_key(word: str) -> str:
    """A capitalised word folded as a name: `Eisenhower's` and `Eisenhower’s` as `eisenhower`."""
    return word.casefold().split("'")[0].split("\u2019")[0]


def name_words(text: str) -> set[str]:
    """Names a text gives to something: its capitalised words, minus generic ones, folded."""
    names = set()
    for word in re.findall(r"[^\W\d_][\w'\u2019-]*", text):
        if not word[:1].isupper():
            continue
        folded = _name_key(word)
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
    subject = cue_subject(passage_cue)
    if subject.pronoun:
        return None  # `He told Reuters`: Reuters is whom he told
    cue_names = set(subject.names) or name_words(passage_cue)
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

_SENTENCE_BREAK_RE = re.compile(
    r"(?<!\b[A-Z])[.!?][\"'\u201d\u2019\u00bb\u203a)\]]*\s+(?=[A-Z\u201c\u2018\u201e\u201a\u00ab\u2039\"'])")
"""A sentence's end and the space after it (a closing mark may stand after its full stop); not the
full stop of an initial (`Franklin D. Roosevelt`)."""
_SENTENCE_END_RE = re.compile(r"(?<!\b[A-Z])[.!?](?=[\"'\u201d\u2019\u00bb\u203a)\]]*(?:\s|$))")


_AGENT_RE = re.compile(r"\bby\s+(?P<by>[A-Z][\w.\u2019'-]*(?:\s+(?:[A-Z][\w.\u2019'-]*|de|van|von))*)"
                       r"|(?P<own>[A-Z][\w.-]*(?:\s+(?:[A-Z][\w.-]*|de|van|von))*)['\u2019]s\b")
"""Whose words a sentence says they are without a cue: `expressed by Franklin D. Roosevelt`,
`Roosevelt's inaugural address`, `Eisenhower’s warning`."""

QUOTING_RE = re.compile(r"\b(?:quoting|quoted|citing|cited|reading from|read from|reciting|recited|invoking|invoked|"
                        r"echoing|echoed|paraphrasing|borrowing|recalling)\s+(?:[A-Z]|(?:the|a|an|his|her|their|its|"
                        r"from|words|lines)\b)", re.IGNORECASE)
"""Words that make the sentence's speaker somebody who repeats another's words (`Austin told the
cadets, quoting Eisenhower's farewell address`), followed by what is repeated (so not the
passive `the sentence that is so often quoted:`)."""

_SUBJECT_VERB_RE = re.compile(r"^\W*(?P<subject>[A-Z][\w.\u2019'-]*(?:\s+(?:[A-Z][\w.\u2019'-]*|de|van|von))*)"
                              r"(?:\s+[a-z]+ly)?\s+(?:said|says|wrote|writes|told|declared|added|warned|stated|"
                              r"noted|argued|asked|replied|insisted|promised|announced)\b")
"""A sentence that opens on its speaker and a speech verb, whatever follows the verb before the
quotation (`Eisenhower said in 1961: '...'`, which the cue grammar does not read)."""


@dataclass(frozen=True, slots=True)
class SentenceAgents:
    """Whose words the sentence around a quotation says they are, read without its cue."""

    names: frozenset[str]
    """The names after `by` and before a possessive `'s`."""
    quoting: bool
    """Whether the sentence says somebody repeats them (`quoting`, `citing`, `reading from` ...)."""


def sentence_agents(document: Text, start: int, end: int) -> SentenceAgents:
    """Whose words the sentence around a quotation from `start` to `end` gives them to (in its
    paragraph): its lead-in up to the opening mark, and, unless the quotation ends the sentence,
    the words after the closing mark to the sentence's end. `expressed by Franklin D. Roosevelt
    in his inaugural address in 1933: 'Let me assert...'` gives `roosevelt`; `'...,' Austin told
    the cadets, quoting President Eisenhower's farewell address.` says Austin repeats them. Other
    capitalised words (`Decades later`, `the Pentagon`) say nothing of whose they are."""
    text = document.original
    raw = PARAGRAPH_BREAK_RE.split(text[max(0, start - LEAD_CHARS):start])[-1]
    sentence = _SENTENCE_BREAK_RE.split(raw)[-1]
    if not _SENTENCE_END_RE.search(text[max(0, end - 2):end]):
        tail = PARAGRAPH_BREAK_RE.split(text[end:end + LEAD_CHARS])[0]
        stop = _SENTENCE_END_RE.search(tail, 1)
        sentence += " " + (tail[:stop.start()] if stop else tail)
    names: set[str] = set()
    opening = _SUBJECT_VERB_RE.match(sentence)
    if opening is not None:
        names |= name_words(opening.group("subject"))
    for m in _AGENT_RE.finditer(sentence):
        names |= name_words(m.group("by") or m.group("own"))
    return SentenceAgents(frozenset(names - set(PRONOUNS) - TITLE_WORDS), QUOTING_RE.search(sentence) is not None)


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
    folded = {_name_key(w.rstrip(".")) for w in run}
    titled = bool(folded & TITLE_WORDS) or following in TITLE_WORDS
    return CueSubject(frozenset(name_words(" ".join(run)) - TITLE_WORDS), titled=titled)


def other_speaker(subject: CueSubject, known: set[str], mentioned: set[str], quoted_as: set[str]) -> set[str]:
    """The names a quotation's cue gives it when they point away from the source it paraphrases:
    its subject (`cue_subject`) is a name, neither a pronoun nor a title, that is no name of the
    source (`known`) nor one it mentions, and the document, which gives other words of the same
    source to `quoted_as` (the subjects of the cues of its quotations found word for word there,
    and the names their sentences give them to: `sentence_agents`), never gives them to it. Empty
    when the cue names nobody, when it names the source or someone it quotes, or when the document
    never says whose words the source holds (`quoted_as` empty): then nothing contradicts the
    paraphrase.

    `Roosevelt ... 'the only thing we have to fear is fear itself'` then `Thoreau, who said:
    'Nothing is as much to be feared as fear.'`: the second is like the speech in meaning, but
    the document gives it to somebody else. Where it fails: a document that calls one speaker by
    two names no source gives (`Roosevelt` for the quoted words, `FDR` for the paraphrase) takes
    the second for somebody else, and so does one that gives the source's words to somebody who
    reads them out without saying so (`Biden said: '...'`, then `Eisenhower warned: '...'`)."""
    if subject.pronoun or subject.titled or not subject.names or not quoted_as:
        return set()
    names = set(subject.names)
    if names & known or names & mentioned or names & quoted_as:
        return set()
    return names


__all__ = ["GENERIC_NAME_WORDS", "QUOTING_RE", "TITLE_WORDS", "CueSubject", "SentenceAgents", "cue_subject",
           "misattribution", "name_words", "other_speaker", "sentence_agents", "source_names"]
