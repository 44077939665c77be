"""Classify: words written another way that say the same thing, as an editor would let pass.

British and American spelling (`colour`/`color`, `centre`/`center`, `organise`/`organize`,
`travelled`/`traveled`, `defence`/`defense`), titles abbreviated or written out (`Mr.`/`Mister`,
`Gen.`/`General`), numbers in words or figures over several words (`twenty-five`/`25`,
`one hundred and twelve`/`112`), and what a transcript holds that is not the speaker's words
(stage directions such as `(Applause.)` or `[inaudible]`, speaker labels such as `THE PRESIDENT:`),
which a quotation leaves out without omitting anything.

The spelling rules rewrite both words to one form and compare; each rule keeps off the short
words where it would join two different words (`four` is not `for`, `filled` is not `filed`).
Where it can fail: a pair the rules do not know (`tyre`/`tire`, `whilst`/`while` are left as
substitutions), and a British form that is another word in American English.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from provenance.rules import NUMBER_VALUES

_OUR_EXCEPTIONS = frozenset({"four", "your", "hour", "pour", "tour", "sour", "flour", "dour", "devour", "contour",
                             "detour", "amour", "fours", "yours", "hours", "pours", "tours", "ours", "our"})
_PAIRS = {
    "grey": "gray", "programme": "program", "programmes": "programs", "cheque": "check", "cheques": "checks",
    "plough": "plow", "aluminium": "aluminum", "mould": "mold", "manoeuvre": "maneuver",
    "manoeuvres": "maneuvers", "aeroplane": "airplane", "aeroplanes": "airplanes", "jewellery": "jewelry",
    "judgement": "judgment", "judgements": "judgments", "ageing": "aging", "sceptic": "skeptic",
    "sceptical": "skeptical", "kerb": "curb", "pyjamas": "pajamas", "draught": "draft", "gaol": "jail",
    "enrol": "enroll", "fulfil": "fulfill", "instalment": "installment", "skilful": "skillful",
    "wilful": "willful", "percent": "percent", "learnt": "learned", "burnt": "burned", "spelt": "spelled",
}
_SPELLING_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?<=\w\w)our(?=(?:s|ed|ing|ite|ites|able|ably|ful|less|er|ers|ism)?$)"), "or"),
    (re.compile(r"(?<=\w\w[tb])re(?=[sd]?$)"), "er"),
    (re.compile(r"(?<=\w\w\w)is(?=(?:e|es|ed|ing|ation|ations|er|ers)$)"), "iz"),
    (re.compile(r"(?<=\w)ys(?=(?:e|es|ed|ing)$)"), "yz"),
    (re.compile(r"(?<=\w{3}[aeiou])ll(?=(?:ed|ing|er|ers)$)"), "l"),
    (re.compile(r"^(def|off|lic|pret)ence(?=s?$)"), r"\1ense"),
    (re.compile(r"(?<=\w\w\w)ogue(?=s?$)"), "og"),
)

TITLES = {
    "mr": "mister", "mrs": "missus", "dr": "doctor", "st": "saint", "gen": "general", "lt": "lieutenant",
    "col": "colonel", "maj": "major", "capt": "captain", "sgt": "sergeant", "sen": "senator",
    "rep": "representative", "gov": "governor", "pres": "president", "prof": "professor", "rev": "reverend",
    "hon": "honorable", "honourable": "honorable", "jr": "junior", "sr": "senior", "adm": "admiral",
    "cmdr": "commander", "ft": "fort", "mt": "mount", "dept": "department", "govt": "government",
    "vs": "versus", "secy": "secretary", "sec": "secretary", "amb": "ambassador", "supt": "superintendent",
}
"""Titles and their abbreviations, as a quotation may write them out or shorten them (keys folded)."""

STAGE_WORDS = frozenset({
    "applause", "laughter", "laughs", "laughing", "cheers", "cheering", "booing", "boos", "crosstalk", "cross",
    "talk", "inaudible", "unintelligible", "indiscernible", "audio", "gap", "break", "music", "pause", "pauses",
    "silence", "audience", "chuckles", "chuckling", "sighs", "coughs", "interruption", "interrupted", "off", "mic",
    "microphone", "technical", "difficulties", "difficulty", "video", "clip", "plays", "played", "sic", "recess",
    "end", "begin", "speaks", "speaking", "spanish", "french", "foreign", "language", "translation", "translated",
    "via", "interpreter", "simultaneous", "standing", "ovation", "and", "the", "a", "of", "from", "members",
    "member", "applauds", "applaud", "continues", "continued", "noise", "overlapping", "voices",
})
"""Words of a transcript's stage directions: `(Applause.)`, `[inaudible]`, `(Laughter and applause.)`."""

_FILLERS = frozenset({"and", "the", "a", "of", "from", "off", "end", "begin"})
_SPEAKER_LABEL_RE = re.compile(r"(?:[A-Z][A-Z.'\u2019-]*\s+){0,5}[A-Z][A-Z.'\u2019-]*\s*:$|Q:$|A:$")
_UNITS = {w: int(v) for w, v in NUMBER_VALUES.items() if int(v) < 100 and w != "dozen"}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}


def american(word: str) -> str:
    """A folded word in American spelling (unchanged when no rule applies)."""
    if word in _PAIRS:
        return _PAIRS[word]
    if word in _OUR_EXCEPTIONS:
        return word
    for pattern, replacement in _SPELLING_RULES:
        word = pattern.sub(replacement, word)
    return word


def same_spelling(doc_key: str, src_key: str) -> bool:
    """Two different folded words that are one word in British and American spelling."""
    return doc_key != src_key and american(doc_key) == american(src_key)


def same_title(doc_key: str, src_key: str) -> bool:
    """A title and its abbreviation (`mister` for `mr`)."""
    return doc_key != src_key and TITLES.get(doc_key, doc_key) == TITLES.get(src_key, src_key)


def number_of_words(keys: Sequence[str]) -> int | None:
    """The value of number words (`twenty five`, `one hundred and twelve`, `three thousand`), else None."""
    if not keys or keys[0] == "and":
        return None
    total, current, seen = 0, 0, False
    for key in keys:
        if key in _UNITS:
            current += _UNITS[key]
        elif key in _SCALES:
            scale = _SCALES[key]
            if scale == 100:
                current = max(current, 1) * 100
            else:
                total += max(current, 1) * scale
                current = 0
        elif key != "and":
            return None
        seen = seen or key != "and"
    return total + current if seen else None


def figure_of(keys: Sequence[str]) -> int | None:
    """The value of a figure cut into words by its thousands separators (`1`, `200` for `1,200`), else None."""
    joined = "".join(keys)
    if not keys or not joined.isdigit() or any(not k.isdigit() for k in keys):
        return None
    if len(keys) > 1 and any(len(k) != 3 for k in keys[1:]):
        return None
    return int(joined)


def same_number(doc_keys: Sequence[str], src_keys: Sequence[str]) -> bool:
    """A number in words on one side and in figures on the other, with one value, over several words."""
    doc = figure_of(doc_keys) if figure_of(doc_keys) is not None else number_of_words(doc_keys)
    src = figure_of(src_keys) if figure_of(src_keys) is not None else number_of_words(src_keys)
    return doc is not None and doc == src and (figure_of(doc_keys) is None) != (figure_of(src_keys) is None)


def _bracketed(text: str, start: int, end: int) -> str | None:
    """The inside of the parentheses or square brackets around `start:end`, when close by."""
    opening = max(text.rfind("(", max(0, start - 3), start + 1), text.rfind("[", max(0, start - 3), start + 1))
    if opening < 0:
        return None
    close_paren, close_square = text.find(")", end, end + 4), text.find("]", end, end + 4)
    closing = min(c for c in (close_paren, close_square, len(text) + 1) if c >= 0)
    if closing > len(text) or "\n" in text[opening:closing]:
        return None
    return text[opening + 1:closing]


def stage_direction(text: str, start: int, end: int) -> str | None:
    """What a transcript's words at `start:end` are when they are not the speaker's: `a stage
    direction` (`(Applause.)`, `[inaudible]`) or `a speaker's label` (`THE PRESIDENT:`); else None."""
    inside = _bracketed(text, start, end)
    if inside is not None:
        words = re.findall(r"[^\W\d_]+", inside.lower())
        if all(w in STAGE_WORDS for w in words) and set(words) - _FILLERS:
            return "a stage direction"
    label = text[start:min(len(text), end + 2)].rstrip()
    if _SPEAKER_LABEL_RE.fullmatch(label) and (start == 0 or text[start - 1] in " \t\n\"'(\u201c"):
        return "a speaker's label"
    return None
