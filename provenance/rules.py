"""Rules of written English the comparator relies on, in one place: which words carry little
content, where a sentence or a clause ends, what an editor's bracket and ellipsis look like,
which words negate or count, and how figures carry their signs.

They are language knowledge, not tuning: `tuning.py` holds the thresholds.
"""

from __future__ import annotations

import re

STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had
    has have having he her here hers herself him himself his how i if in into is it its itself just
    me more most my myself no nor not now of off on once only or other our ours ourselves out over
    own same she should so some such than that the their theirs them themselves then there these
    they this those through to too under until up very was we were what when where which while who
    whom why will with would you your yours yourself yourselves shall may might must upon us""".split()
)
"""Words that carry little content (folded, as `text.py` keys words): they do not vote for where a
passage stands, do not count as shared content in a paraphrase, and do not make an index shingle."""

PRONOUNS = ("i", "we", "you", "he", "she", "it", "they", "this", "that", "these", "those", "him", "her",
            "them", "us", "me", "his", "its", "their", "our", "my", "your")
"""Words an editor's bracket typically stands in for (`[the coalition]` for `we`)."""

SENTENCE_END_RE = re.compile(r"[.!?]|\n[ \t]*\n")
"""The end of a sentence: a full stop, question or exclamation mark, or a blank line. A quotation
that stops at one has ended where its source's sentence ends."""

CLAUSE_END_RE = re.compile(r"[.!?;]|\n[ \t]*\n")
"""The end of a clause: a sentence end or a semicolon. Paraphrase detection cuts sources into
clauses, not sentences, on purpose: a paraphrase often renders one half of a sentence joined by a
semicolon, and the whole sentence would dilute its score. It is the one place where `;` ends a unit."""

ELLIPSIS_PATTERN = r"[\[(]\s*(?:\.\s*){3,}[\])]|[\[(]\s*\u2026\s*[\])]|\u2026|\.(?:\s?\.){2,}"
"""An ellipsis marking an omission: `...`, `. . .`, `…`, and either of them in brackets or parentheses."""

BRACKET_PATTERN = r"\[[^\[\]\n]{1,400}\]"
"""An editor's bracket inside a quotation (`[i.e., moving]`, `[sic]`): on one line, not nested, and
short (a bracket of more than 400 characters is not an editor's note)."""

NEGATIONS = {
    "not", "no", "never", "nor", "none", "nothing", "neither", "nobody", "nowhere", "cannot",
    "without", "n't",
}
"""Words that negate what follows (folded keys); any word ending in `n't` negates too."""

NUMBER_WORDS = {
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    "hundred", "thousand", "million", "billion", "trillion", "dozen", "score", "first", "second",
    "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "half", "once",
    "twice", "single", "double", "triple",
}
"""Words that are, or count, a number: a change among them changes a figure."""

CONTRACTIONS = [
    ("can't", "can not"), ("won't", "will not"), ("shan't", "shall not"), ("cannot", "can not"),
    ("n't", " not"), ("'re", " are"), ("'ll", " will"), ("'ve", " have"), ("'m", " am"), ("'d", " would"),
]
"""Contractions and what they stand for, longest first, as a quotation may write them out."""

NUMBER_VALUES = {w: str(v) for v, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split())}
NUMBER_VALUES.update({"thirty": "30", "forty": "40", "fifty": "50", "sixty": "60", "seventy": "70",
                       "eighty": "80", "ninety": "90", "hundred": "100", "thousand": "1000", "dozen": "12"})
"""The value of each number word up to twenty and of the tens, for comparing `twelve` with `12`."""

FIGURE_SIGN_RE = re.compile(
    r"(?<=\d)\s?[%\u2030\u00a2$\u20ac\u00a3\u00a5]"  # 12%, 5 $
    r"|[$\u20ac\u00a3\u00a5]\s?(?=\d)"  # $52
    r"|(?<![\w-])[-\u2212+](?=\d)"  # -3.5, but not 1941--5 or UH-60
)
"""Percent, currency and minus signs attached to a figure (`12%`, `$52`, `-3.5`)."""
