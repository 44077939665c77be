"""Classify: turn a word alignment into findings under the most specific type of the taxonomy.

The findings of a passage account for every difference: replacing each finding's source span by
its document text, in order, turns the source span into the passage exactly (hidden characters
are reported on their own as well, inside the finding that covers them, if any).
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from provenance.align import Opcode, char_changes, is_slip, ocr_confusion
from provenance.extract import markup_positions
from provenance.model import (
    Finding,
    FindingType,
    Impact,
    Markup,
    Severity,
    Span,
    Verdict,
)
from provenance.taxonomy import severity_of
from provenance.text import HIDDEN_RE, HOMOGLYPHS, Text, fix_mojibake, fold_word

NEGATIONS = {
    "not", "no", "never", "nor", "none", "nothing", "neither", "nobody", "nowhere", "cannot",
    "without", "n't",
}
NUMBER_WORDS = {
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    "hundred", "thousand", "million", "billion", "trillion", "dozen", "score", "first", "second",
    "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "half", "once",
    "twice", "single", "double", "triple",
}
_CONTRACTIONS = [
    ("can't", "can not"), ("won't", "will not"), ("shan't", "shall not"), ("cannot", "can not"),
    ("n't", " not"), ("'re", " are"), ("'ll", " will"), ("'ve", " have"), ("'m", " am"), ("'d", " would"),
]
_HIDDEN_NAMES = {
    "\u00ad": "soft hyphen", "\u200b": "zero-width space", "\u200c": "zero-width non-joiner",
    "\u200d": "zero-width joiner", "\u200e": "left-to-right mark", "\u200f": "right-to-left mark",
    "\u202a": "left-to-right embedding", "\u202b": "right-to-left embedding",
    "\u202c": "pop directional formatting", "\u202d": "left-to-right override",
    "\u202e": "right-to-left override", "\u2060": "word joiner", "\u2066": "left-to-right isolate",
    "\u2067": "right-to-left isolate", "\u2068": "first strong isolate",
    "\u2069": "pop directional isolate", "\ufeff": "zero-width no-break space (byte-order mark)",
    "\u061c": "Arabic letter mark",
}
_MIXED_SCRIPT_WORD_RE = re.compile(r"\w+")
TRANSPOSITION_REACH = 3
"""Most words an out-of-order word may travel and still count as a transposition."""


_GENERIC_NAME_WORDS = frozenset(
    """the and for with from that this address speech statement letter report reports text news press release
    official document article story wire said says told according words who what when his her their our
    january february march april may june july august september october november december monday tuesday
    wednesday thursday friday saturday sunday another line often credited reads put puts""".split()
)


def name_words(text: str) -> set[str]:
    """Names a text gives to something: its capitalised words, minus generic ones, folded."""
    words = re.findall(r"[^\W\d_][\w'\u2019-]*", text)
    out = set()
    for w in words:
        if not w[:1].isupper():
            continue
        k = w.casefold().split("'")[0].split("\u2019")[0]
        if len(k) >= 3 and k not in _GENERIC_NAME_WORDS:
            out.add(k)
    return out


def source_names(text: Text) -> set[str]:
    """What a source may be called: the words of its file name and of its first line."""
    stem = re.sub(r"[-_.]+", " ", text.id)
    first_line = next((line for line in text.original.splitlines() if line.strip()), "")
    names = {w for w in re.findall(r"[a-z]{3,}", stem.casefold()) if w not in _GENERIC_NAME_WORDS}
    return names | name_words(first_line)


def misattribution(passage_cue: str | None, cue_span: Span | None, doc: Text, matched: int,
                   sources: Sequence[Text], names: Sequence[set[str]], source_ids: Sequence[str]) -> Finding | None:
    """A finding when the cue names another source than the one the passage was found in."""
    if not passage_cue or cue_span is None:
        return None
    named = name_words(passage_cue)
    if not named or named & names[matched]:
        return None
    others = [i for i, n in enumerate(names) if i != matched and named & n]
    if not others:
        return None  # the cue names nobody we know: nothing to contradict
    other = source_ids[others[0]]
    return Finding(FindingType.MISATTRIBUTION, severity_of(FindingType.MISATTRIBUTION), cue_span, None,
                   doc.original[cue_span.start:cue_span.end], "",
                   f"attributed to {other!r} but found in {source_ids[matched]!r}")


def verdict_of(findings: Sequence[Finding]) -> Verdict:
    """The verdict of a matched passage from its findings (attribution aside: it is not the text)."""
    findings = [f for f in findings if f.type is not FindingType.MISATTRIBUTION]
    types = {f.type for f in findings}
    if FindingType.PARAPHRASE in types:
        return Verdict.PARAPHRASE
    if FindingType.UNSOURCED in types:
        return Verdict.UNSOURCED
    if all(f.type is FindingType.NORMALIZATION for f in findings):
        return Verdict.VERBATIM
    if all(f.severity is Severity.INFO for f in findings):
        return Verdict.FAITHFUL
    return Verdict.ALTERED


def _expand(words: Sequence[str]) -> str:
    text = " ".join(words)
    for short, full in _CONTRACTIONS:
        text = text.replace(short, full)
    return " ".join(text.split())


def _count_negations(words: Sequence[str]) -> int:
    n = 0
    for w in words:
        if w in NEGATIONS or w.endswith("n't"):
            n += 1
    return n


_NUMBER_VALUES = {w: str(v) for v, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split())}
_NUMBER_VALUES.update({"thirty": "30", "forty": "40", "fifty": "50", "sixty": "60", "seventy": "70",
                       "eighty": "80", "ninety": "90", "hundred": "100", "thousand": "1000", "dozen": "12"})


def _numbers(words: Sequence[str]) -> Counter[str]:
    """The figures of a run of words, number words read as their value (`twelve` is `12`)."""
    return Counter(_NUMBER_VALUES.get(w, w) for w in words if w in NUMBER_WORDS or any(c.isdigit() for c in w))


def word_impact(doc_words: Sequence[str], src_words: Sequence[str], *, names: bool = False,
                doc_names: Sequence[bool] = (), src_names: Sequence[bool] = ()) -> tuple[Impact, ...]:
    """The changes of meaning between two runs of words (keys)."""
    impact: list[Impact] = []
    if _count_negations(doc_words) != _count_negations(src_words):
        impact.append(Impact.NEGATION)
    if _numbers(doc_words) != _numbers(src_words):
        impact.append(Impact.NUMBER)
    if names and (any(doc_names) or any(src_names)):
        impact.append(Impact.NAME)
    return tuple(impact)


@dataclass(slots=True)
class _Item:
    """A finding in the making; a side of None is a point still to be placed."""

    type: FindingType | None
    doc: tuple[int, int] | None
    src: tuple[int, int] | None
    message: str = ""
    impact: tuple[Impact, ...] = ()


_HOMOGLYPH_TABLE = str.maketrans(HOMOGLYPHS)
_SIGN_RE = re.compile(
    r"(?<=\d)\s?[%\u2030\u00a2$\u20ac\u00a3\u00a5]"  # 12%, 5 $
    r"|[$\u20ac\u00a3\u00a5]\s?(?=\d)"  # $52
    r"|(?<![\w-])[-\u2212+](?=\d)"  # -3.5, but not 1941--5 or UH-60
)


def _unit_signs(text: str, a: int, b: int) -> list[str]:
    """Percent, currency and minus signs attached to figures in text[a:b] (looking one
    character past each end, where the figures stand)."""
    lo, hi = max(0, a - 1), min(len(text), b + 1)
    return [m.group().strip().replace("\u2212", "-") for m in _SIGN_RE.finditer(text, lo, hi)
            if m.start() < b and m.end() > a]


def mojibake_message(doc_text: str, src_text: str) -> str | None:
    """Say so when one side is the other's text decoded with the wrong encoding (mojibake)."""
    for side, damaged in (("document", doc_text), ("source", src_text)):
        repaired = fix_mojibake(damaged)
        if repaired is not None:
            return (f"mojibake: the {side} has {' '.join(damaged.split())[:60]!r}, which is "
                    f"{' '.join(repaired.split())[:60]!r} decoded with the wrong encoding "
                    "(UTF-8 read as Windows-1252 or Latin-1)")
    return None


def _seen(text: str) -> str:
    """Text as a reader sees it: invisible characters gone, look-alike letters as the Latin ones."""
    text = HIDDEN_RE.sub("", text)
    return text.translate(_HOMOGLYPH_TABLE) if not text.isascii() else text


class PassageComparer:
    """Builds the findings of one passage aligned with one source span."""

    def __init__(self, doc: Text, src: Text, doc_idx: Sequence[int], src_lo: int,
                 markup: Sequence[Markup], span: Span, src_span: Span) -> None:
        self.doc = doc
        self.src = src
        self.d = doc.original
        self.s = src.original
        self.doc_idx = doc_idx
        self.src_lo = src_lo
        self.markup = [m for m in markup if m.kind != "ignored"]
        self.span = span
        self.src_span = src_span

    # -- token helpers -------------------------------------------------------------------
    def dtok(self, i: int) -> tuple[int, int]:
        t = self.doc_idx[i]
        return self.doc.tokens.starts[t], self.doc.tokens.ends[t]

    def stok(self, j: int) -> tuple[int, int]:
        t = self.src_lo + j
        return self.src.tokens.starts[t], self.src.tokens.ends[t]

    def dkey(self, i: int) -> str:
        return self.doc.tokens.keys[self.doc_idx[i]]

    def skey(self, j: int) -> str:
        return self.src.tokens.keys[self.src_lo + j]

    def _is_name(self, text: str, start: int, end: int, lo: int) -> bool:
        word = text[start:end]
        if not word[:1].isupper():
            return False
        k = start - 1
        while k >= lo and text[k] in " \t\u201c\u201d\"'\u2018\u2019([":
            k -= 1
        if k < lo or text[k] in ".!?:\n\r":
            return False  # capital at a sentence start says nothing
        return True

    # -- alignment post-processing -------------------------------------------------------
    def merge_transpositions(self, ops: list[Opcode], gaps: set[int] | None = None) -> list[Opcode]:
        """Merge an insertion and a deletion of the same words close by into a transposition.

        Never across markup: words on either side of a bracket or an ellipsis are not swapped.
        """
        marked = sorted(gaps or ())

        def marked_inside(a: int, b: int) -> bool:
            return bisect.bisect_right(marked, a) < bisect.bisect_left(marked, b)

        out = list(ops)
        k = 0
        while k < len(out):
            op = out[k]
            if op.tag == "replace":
                dw = Counter(self.dkey(i) for i in range(op.i1, op.i2))
                sw = Counter(self.skey(j) for j in range(op.j1, op.j2))
                if dw == sw and op.i2 - op.i1 > 1 and not marked_inside(op.i1, op.i2):
                    out[k] = Opcode("transpose", op.i1, op.i2, op.j1, op.j2)
                    k += 1
                    continue
            if op.tag in ("insert", "delete", "replace") and k + 2 < len(out):
                mid, nxt = out[k + 1], out[k + 2]
                if mid.tag == "equal" and mid.i2 - mid.i1 <= TRANSPOSITION_REACH and nxt.tag != "equal":
                    dw = Counter(self.dkey(i) for i in range(op.i1, nxt.i2))
                    sw = Counter(self.skey(j) for j in range(op.j1, nxt.j2))
                    if dw == sw and not marked_inside(op.i1, nxt.i2):
                        out[k:k + 3] = [Opcode("transpose", op.i1, nxt.i2, op.j1, nxt.j2)]
                        continue
            k += 1
        return out

    # -- classification of one changed region ----------------------------------------------
    def words_items(self, di: range, sj: range) -> list[_Item]:
        """Findings for doc words `di` standing where the source has words `sj` (no markup)."""
        dkeys = [self.dkey(i) for i in di]
        skeys = [self.skey(j) for j in sj]
        dspan = (self.dtok(di[0])[0], self.dtok(di[-1])[1]) if di else None
        sspan = (self.stok(sj[0])[0], self.stok(sj[-1])[1]) if sj else None
        if not dkeys and not skeys:
            return []
        if not skeys:
            return [_Item(FindingType.SILENT_INSERTION, dspan, None,
                          "words in the quotation that the source does not have", word_impact(dkeys, []))]
        if not dkeys:
            return [_Item(FindingType.SILENT_OMISSION, None, sspan,
                          "source words left out without an ellipsis", word_impact([], skeys))]
        if Counter(dkeys) == Counter(skeys):
            return [_Item(FindingType.TRANSPOSITION, dspan, sspan, "the same words in another order",
                          word_impact(dkeys, skeys))]
        if _expand(dkeys) == _expand(skeys):
            return [_Item(FindingType.NORMALIZATION, dspan, sspan, "contraction written out or shortened")]
        joined_d, joined_s = "".join(dkeys), "".join(skeys)
        if joined_d == joined_s and any(c.isdigit() for c in joined_d):
            # 5.2 for 52, 1-5 for 15, -3.5% for 3.5: the figure changed, whatever the digits say
            assert dspan is not None and sspan is not None
            return [_Item(FindingType.SUBSTITUTION, dspan, sspan, "a figure written differently",
                          (Impact.NUMBER,))]
        if joined_d == joined_s:
            assert dspan is not None and sspan is not None
            gaps = self.d[dspan[0]:dspan[1]] if len(dkeys) > 1 else self.s[sspan[0]:sspan[1]]
            if all(ch in "-\u2010\u2011\u00ad" or ch.isalnum() for ch in gaps):
                return [_Item(FindingType.NORMALIZATION, dspan, sspan, "hyphenation differs")]
            what = "a word split" if len(dkeys) > len(skeys) else "words joined"
            return [_Item(FindingType.TRANSCRIPTION_ERROR, dspan, sspan,
                          f"{what}: {char_changes(self.d[dspan[0]:dspan[1]], self.s[sspan[0]:sspan[1]])}",
                          word_impact(dkeys, skeys))]
        if len(dkeys) != len(skeys) and is_slip(joined_d, joined_s) and len(joined_s) >= 6:
            assert dspan is not None and sspan is not None
            return [_Item(FindingType.TRANSCRIPTION_ERROR, dspan, sspan,
                          f"a slip across words: {char_changes(self.d[dspan[0]:dspan[1]], self.s[sspan[0]:sspan[1]])}",
                          word_impact(dkeys, skeys))]
        if len(dkeys) == len(skeys):
            items: list[_Item] = []
            for i, j in zip(di, sj, strict=False):
                a, b = self.dkey(i), self.skey(j)
                ds, de = self.dtok(i)
                ss, se = self.stok(j)
                if _NUMBER_VALUES.get(a, a) == _NUMBER_VALUES.get(b, b):
                    items.append(_Item(FindingType.NORMALIZATION, (ds, de), (ss, se), "a number written another way"))
                    continue
                if is_slip(a, b):
                    # a misspelt word is not a changed figure: only changed digits are
                    digits = ([c for c in a if c.isdigit()] != [c for c in b if c.isdigit()]
                              and not ocr_confusion(a, b))
                    impact = word_impact([a], [b]) if digits else tuple(
                        i for i in word_impact([a], [b]) if i is not Impact.NUMBER)
                    items.append(_Item(FindingType.TRANSCRIPTION_ERROR, (ds, de), (ss, se),
                                       f"a slip inside a word: {char_changes(self.d[ds:de], self.s[ss:se])}",
                                       impact))
                    continue
                impact = word_impact([a], [b], names=True,
                                     doc_names=[self._is_name(self.d, ds, de, self.span.start)],
                                     src_names=[self._is_name(self.s, ss, se, self.src_span.start)])
                last = items[-1] if items else None
                if (last is not None and last.type is FindingType.SUBSTITUTION and last.doc and last.src
                        and not self.d[last.doc[1]:ds].strip() and not self.s[last.src[1]:ss].strip()):
                    last.doc = (last.doc[0], de)
                    last.src = (last.src[0], se)
                    last.impact = tuple(dict.fromkeys((*last.impact, *impact)))
                    continue
                items.append(_Item(FindingType.SUBSTITUTION, (ds, de), (ss, se),
                                   "quotation words in place of different source words", impact))
            return items
        names_d = [self._is_name(self.d, *self.dtok(i), self.span.start) for i in di]
        names_s = [self._is_name(self.s, *self.stok(j), self.src_span.start) for j in sj]
        return [_Item(FindingType.SUBSTITUTION, dspan, sspan,
                      "quotation words in place of different source words",
                      word_impact(dkeys, skeys, names=True, doc_names=names_d, src_names=names_s))]

    def _attached_bracket(self, di: range, sj: range, marks: list[Markup]) -> _Item | None:
        """`[T]he` for `the`, `reposition[ing]` for `repositioning`: a bracket inside a word."""
        if len(di) != 1 or len(sj) != 1:
            return None
        ds, de = self.dtok(di[0])
        for m in marks:
            if m.kind != "bracket" or not (m.span.end == ds or m.span.start == de):
                continue
            inner = self.d[m.span.start + 1:m.span.end - 1]
            word = self.d[ds:de]
            combined = inner + word if m.span.end == ds else word + inner
            if fold_word(combined) == self.skey(sj[0]):
                marks.remove(m)
                return _Item(FindingType.EDITORIAL_SUBSTITUTION, (min(ds, m.span.start), max(de, m.span.end)),
                             self.stok(sj[0]), "a bracketed change inside a word")
        return None

    def region_items(self, di: range, sj: range, marks: list[Markup], transposed: bool) -> list[_Item]:
        """Findings for one region between two matching words."""
        items: list[_Item] = []
        marks = list(marks)
        attached = None if transposed else self._attached_bracket(di, sj, marks)
        if attached is not None:
            items.append(attached)
            di, sj = range(0), range(0)
        sspan = (self.stok(sj[0])[0], self.stok(sj[-1])[1]) if sj else None
        consumer: Markup | None = None
        if sj and not transposed:
            ellipses = [m for m in marks if m.kind == "ellipsis"]
            brackets = [m for m in marks if m.kind == "bracket"]
            if ellipses:
                consumer = ellipses[0]
            elif brackets and not di:
                consumer = brackets[0]
        if consumer is not None and consumer.kind == "bracket" and sspan is not None and not di:
            # `[2019] EWCA Civ 12 [34]` quoted from a source that has the same brackets: text, not markup
            bracketed = self.d[consumer.span.start + 1:consumer.span.end - 1]
            if (self.s[sspan[0] - 1:sspan[0]] == "[" and self.s[sspan[1]:sspan[1] + 1] == "]"
                    and " ".join(fold_word(w) for w in bracketed.split()) == " ".join(self.skey(j) for j in sj)):
                marks = [m for m in marks if m is not consumer]
                consumer, sj, sspan = None, range(0), None
        for m in marks:
            span = (m.span.start, m.span.end)
            if m is consumer:
                if m.kind == "ellipsis":
                    items.append(_Item(FindingType.MARKED_OMISSION, span, sspan,
                                       "source words left out where the quotation has an ellipsis"))
                else:
                    skeys = [self.skey(j) for j in sj]
                    bkeys = [self.doc.tokens.keys[t] for t in self.doc.tokens.within(*span)]
                    items.append(_Item(FindingType.EDITORIAL_SUBSTITUTION, span, sspan,
                                       "bracketed words standing in for source words",
                                       word_impact(bkeys, skeys)))
            elif m.kind == "bracket":
                items.append(_Item(FindingType.EDITORIAL_INSERTION, span, None, "words added in square brackets"))
            else:
                items.append(_Item(FindingType.NORMALIZATION, span, None, "an ellipsis where nothing is left out"))
        if transposed:
            dspan = (self.dtok(di[0])[0], self.dtok(di[-1])[1])
            items.append(_Item(FindingType.TRANSPOSITION, dspan, sspan, "the same words in another order",
                               word_impact([self.dkey(i) for i in di], [self.skey(j) for j in sj])))
        else:
            # Words on either side of a piece of markup are separate changes.
            groups: list[list[int]] = []
            for i in di:
                if groups and not any(self.dtok(groups[-1][-1])[1] <= m.span.start < self.dtok(i)[0] for m in marks):
                    groups[-1].append(i)
                else:
                    groups.append([i])
            rest = range(0) if consumer is not None else sj
            if not groups:
                items.extend(self.words_items(range(0), rest))
            for g in groups:
                items.extend(self.words_items(range(g[0], g[-1] + 1), rest))
                rest = range(0)
        return self._order(items)

    def _order(self, items: list[_Item]) -> list[_Item]:
        """Document order; an item with no document side goes where its region's words are."""
        with_doc = sorted((it for it in items if it.doc is not None), key=lambda it: it.doc[0] if it.doc else 0)
        without = [it for it in items if it.doc is None]
        return without + with_doc

    # -- placing points and covering every difference ------------------------------------
    @staticmethod
    def _word_differs(doc_word: str, src_word: str) -> bool:
        """Whether two matched words differ beyond the invisible characters the document adds
        (those are reported on their own); a source word with its own is covered whole."""
        if doc_word == src_word:
            return False
        seen_src = _seen(src_word)
        return _seen(doc_word) != seen_src or seen_src != src_word

    def place(self, items: list[_Item]) -> list[Finding]:
        d, s = self.d, self.s
        out: list[_Item] = []
        dpos, spos = self.span.start, self.src_span.start
        d_end, s_end = self.span.end, self.src_span.end

        def gap(a: int, b: int, c: int, e: int) -> None:
            # Raw text: an invisible character between words is a difference the finding covers.
            if d[a:b] != s[c:e]:
                if _unit_signs(d, a, b) != _unit_signs(s, c, e):
                    # a percent, currency or minus sign on a figure changes the figure
                    out.append(_Item(FindingType.SUBSTITUTION, (a, b), (c, e), "a sign on a figure changed",
                                     (Impact.NUMBER,)))
                    return
                out.append(_Item(FindingType.NORMALIZATION, (a, b), (c, e),
                                 mojibake_message(d[a:b], s[c:e]) or "punctuation, case or spacing differs"))

        # Where the next item with a known side starts, for every item (one backward pass).
        next_ds = [d_end] * len(items)
        next_ss = [s_end] * len(items)
        nd, ns = d_end, s_end
        for k in range(len(items) - 1, -1, -1):
            next_ds[k], next_ss[k] = nd, ns
            if items[k].doc is not None:
                nd = items[k].doc[0]  # type: ignore[index]
            if items[k].src is not None:
                ns = items[k].src[0]  # type: ignore[index]
        for k, it in enumerate(items):
            next_d, next_s = next_ds[k], next_ss[k]
            if it.doc is not None and it.src is not None:
                gap(dpos, it.doc[0], spos, it.src[0])
                if it.type is not None:
                    out.append(it)
                elif self._word_differs(d[it.doc[0]:it.doc[1]], s[it.src[0]:it.src[1]]):
                    message = mojibake_message(d[it.doc[0]:it.doc[1]], s[it.src[0]:it.src[1]])
                    out.append(_Item(FindingType.NORMALIZATION, it.doc, it.src,
                                     message or "case or spelling form differs"))
                dpos, spos = it.doc[1], it.src[1]
                continue
            if it.doc is not None:
                here, there, pos, other_pos, nxt_here, nxt_there = d, s, dpos, spos, next_d, next_s
                lo, hi = it.doc
            else:
                assert it.src is not None
                here, there, pos, other_pos, nxt_here, nxt_there = s, d, spos, dpos, next_s, next_d
                lo, hi = it.src
            # The words alone, or with the spaces (or all the punctuation) before or after them:
            # whichever leaves the two sides' remaining gaps equal.
            options = [(lo, hi)]
            ws = lo
            while ws > pos and here[ws - 1] in " \t":
                ws -= 1
            ps = ws
            while ps > pos and not here[ps - 1].isalnum():
                ps -= 1
            we = hi
            while we < nxt_here and here[we] in " \t":
                we += 1
            pe = we
            while pe < nxt_here and not here[pe].isalnum():
                pe += 1
            for option in ((ws, hi), (ps, hi), (lo, we), (lo, pe)):
                if option not in options:
                    options.append(option)
            best: tuple[int, int, int, int] | None = None
            for olo, ohi in options:
                lead = here[pos:olo]
                if there.startswith(lead, other_pos) and other_pos + len(lead) <= nxt_there:
                    p = other_pos + len(lead)
                    score = 2 + (here[ohi:nxt_here] == there[p:nxt_there])
                else:
                    common = 0
                    while (other_pos + common < nxt_there and pos + common < olo
                           and here[pos + common] == there[other_pos + common]):
                        common += 1
                    p, score = other_pos + common, 0
                if best is None or score > best[0]:
                    best = (score, olo, ohi, p)
            assert best is not None
            _, olo, ohi, p = best
            if it.doc is not None:
                gap(dpos, olo, spos, p)
                it.doc, it.src = (olo, ohi), (p, p)
                dpos, spos = ohi, p
            else:
                gap(dpos, p, spos, olo)
                it.src, it.doc = (olo, ohi), (p, p)
                dpos, spos = p, ohi
            out.append(it)
        gap(dpos, d_end, spos, s_end)
        # Neighbouring normalisations read better as one.
        merged: list[_Item] = []
        for it in out:
            last = merged[-1] if merged else None
            if (last is not None and last.type is FindingType.NORMALIZATION and it.type is FindingType.NORMALIZATION
                    and last.doc and it.doc and last.src and it.src
                    and last.doc[1] == it.doc[0] and last.src[1] == it.src[0]):
                last.doc = (last.doc[0], it.doc[1])
                last.src = (last.src[0], it.src[1])
                if it.message.startswith("mojibake") and not last.message.startswith("mojibake"):
                    last.message = it.message  # the encoding damage is what a reader must learn
                continue
            merged.append(it)
        return [self._finding(it) for it in merged]

    def _finding(self, it: _Item) -> Finding:
        assert it.type is not None and it.doc is not None and it.src is not None
        return Finding(
            type=it.type,
            severity=severity_of(it.type, it.impact),
            doc_span=Span(*it.doc),
            src_span=Span(*it.src),
            doc_text=self.d[it.doc[0]:it.doc[1]],
            src_text=self.s[it.src[0]:it.src[1]],
            message=it.message,
            impact=it.impact,
        )

    def compare(self, ops: list[Opcode]) -> list[Finding]:
        """All findings of the passage, in document order."""
        n = len(self.doc_idx)
        # Which gap each piece of markup stands in: gap k lies before doc word k.
        mark_gap = sorted(markup_positions([self.dtok(i)[0] for i in range(n)], self.markup), key=lambda km: km[0])
        gap_ks = [k for k, _ in mark_gap]
        ops = self.merge_transpositions(ops, set(gap_ks))
        items: list[_Item] = []
        last_anchor = -1
        pending_d: list[int] = []
        pending_s: list[int] = []
        transposed = False

        def flush(next_anchor: int) -> None:
            nonlocal pending_d, pending_s, transposed
            lo, hi = bisect.bisect_right(gap_ks, last_anchor), bisect.bisect_right(gap_ks, next_anchor)
            marks = [m for _, m in mark_gap[lo:hi]]
            if pending_d or pending_s or marks:
                di = range(pending_d[0], pending_d[-1] + 1) if pending_d else range(0)
                sj = range(pending_s[0], pending_s[-1] + 1) if pending_s else range(0)
                items.extend(self.region_items(di, sj, marks, transposed))
            pending_d, pending_s, transposed = [], [], False

        for op in ops:
            if op.tag == "equal":
                for i, j in zip(range(op.i1, op.i2), range(op.j1, op.j2), strict=False):
                    flush(i)
                    items.append(_Item(None, self.dtok(i), self.stok(j)))
                    last_anchor = i
                continue
            if op.tag == "transpose" and (pending_d or pending_s):
                flush(op.i1)
            pending_d.extend(range(op.i1, op.i2))
            pending_s.extend(range(op.j1, op.j2))
            if op.tag == "transpose":
                transposed = True
                # A transposition stands alone in its region.
                flush(op.i2 - 1 if op.i2 > op.i1 else op.i1)
                last_anchor = op.i2 - 1 if op.i2 > op.i1 else last_anchor
        flush(n)
        anchors = [(it.doc, it.src) for it in items if it.type is None and it.doc and it.src]
        findings = self.place(items)
        findings.extend(hidden_findings(self.d, self.span, self.src_span, findings, anchors, self.s))
        findings.sort(key=lambda f: (f.doc_span.start if f.doc_span is not None else 0,
                                     f.type is FindingType.HIDDEN_CHARACTER))
        return findings


_HIDDEN_RUN_RE = re.compile(f"(?:{HIDDEN_RE.pattern})+")


def _hidden_label(ch: str) -> str:
    return f"{_HIDDEN_NAMES.get(ch, 'invisible character')} (U+{ord(ch):04X})"


def hidden_message(run: str) -> str:
    """What a run of invisible characters is, naming each kind (a long run is one finding)."""
    if len(run) == 1:
        return f"{_hidden_label(run)} hidden in the text"
    kinds = list(dict.fromkeys(run))
    if len(kinds) == 1:
        return f"{len(run):,} × {_hidden_label(run[0])} hidden in the text"
    listed = ", ".join(_hidden_label(c) for c in kinds[:4]) + (", …" if len(kinds) > 4 else "")
    return f"a run of {len(run):,} invisible characters hidden in the text: {listed}"


def hidden_findings(text: str, span: Span, src_span: Span | None, others: Sequence[Finding],
                    anchors: Sequence[tuple[tuple[int, int], tuple[int, int]]] = (),
                    source_text: str | None = None) -> list[Finding]:
    """Invisible characters (a run of them as one finding) and look-alike letters of other
    scripts inside a passage."""
    src_point = Span(src_span.start, src_span.start) if src_span else None
    # Hosts (findings with both sides) and matched words, in document order, for bisecting.
    hosts = sorted((o.doc_span.start, o.doc_span.end, o.src_span.start) for o in others
                   if o.doc_span is not None and o.src_span is not None and o.doc_span.end > o.doc_span.start)
    host_starts = [h[0] for h in hosts]
    anchor_list = sorted(anchors)
    anchor_starts = [a[0][0] for a in anchor_list]
    hidden_at = [m.start() for m in HIDDEN_RE.finditer(text, span.start, span.end)]

    def container(x: int) -> tuple[str, int] | None:
        """The host finding (`host`, index) or matched word (`anchor`, index) holding offset x."""
        k = bisect.bisect_right(host_starts, x) - 1
        if k >= 0 and x < hosts[k][1]:
            return "host", k
        k = bisect.bisect_right(anchor_starts, x) - 1
        if k >= 0 and x < anchor_list[k][0][1]:
            return "anchor", k
        return None

    runs: list[tuple[int, int]] = []
    for m in _HIDDEN_RUN_RE.finditer(text, span.start, span.end):
        a, b = m.start(), m.end()
        while a < b:  # a run never straddles the end of the finding or the word that holds it
            where = container(a)
            if where is None:
                cut = b
            elif where[0] == "host":
                cut = min(b, hosts[where[1]][1])
            else:
                cut = min(b, anchor_list[where[1]][0][1])
            runs.append((a, cut))
            a = cut
    found: list[Finding] = [
        Finding(FindingType.HIDDEN_CHARACTER, Severity.ERROR, Span(a, b), src_point, text[a:b], "",
                hidden_message(text[a:b])) for a, b in runs]
    for m in _MIXED_SCRIPT_WORD_RE.finditer(text, span.start, span.end):
        word = m.group()
        if word.isascii() or not any("a" <= c.lower() <= "z" for c in word):
            continue
        for k, ch in enumerate(word):
            if ch in HOMOGLYPHS:
                pos = m.start() + k
                found.append(Finding(FindingType.HIDDEN_CHARACTER, Severity.ERROR, Span(pos, pos + 1),
                                     src_point, ch, "",
                                     f"U+{ord(ch):04X} from another script looks like Latin "
                                     f"'{HOMOGLYPHS[ch]}' in '{word[:80]}'"))
    # Point the source side where the surrounding finding or alignment puts it: inside a word
    # or a gap that otherwise matches, at the same offset less the invisible characters before.
    placed: list[Finding] = []
    for f in found:
        assert f.doc_span is not None
        x = f.doc_span.start
        point: int | None = None
        where = container(x)
        in_host = where is not None and where[0] == "host"
        if where is not None and where[0] == "host":
            point = hosts[where[1]][2]
        else:
            # Every difference outside the matched words is covered by a finding; a character
            # in no finding and in no matched word stands in the source too.
            point = -1 if anchors else None
            if where is not None:
                (ds, de), (ss, se) = anchor_list[where[1]]
                if source_text is not None and text[ds:de] == source_text[ss:se]:
                    point = -1  # the source has the same character here: nothing hidden
                else:
                    hidden_before = bisect.bisect_left(hidden_at, x) - bisect.bisect_left(hidden_at, ds)
                    point = ss + (x - ds) - hidden_before
        if point == -1:
            continue
        if point is not None:
            width = 0 if in_host or not HIDDEN_RE.sub("", f.doc_text) else 1
            f = Finding(f.type, f.severity, f.doc_span, Span(point, point + width), f.doc_text,
                        source_text[point:point + width] if source_text is not None else "", f.message)
        placed.append(f)
    return placed


def rebuild(source_text: str, src_span: Span, findings: Sequence[Finding]) -> str:
    """Apply findings to the source span: the result is the passage exactly, if they are complete.

    A finding whose document span lies inside another's (a hidden character inside a changed
    word) is already covered by the outer one and is not applied twice.
    """
    spans = [f for f in findings if f.doc_span is not None and f.src_span is not None
             and f.type is not FindingType.MISATTRIBUTION]
    outer = sorted((f.doc_span.start, f.doc_span.end) for f in spans
                   if f.type is not FindingType.HIDDEN_CHARACTER and f.doc_span is not None)
    outer_starts = [o[0] for o in outer]
    reach: list[int] = []  # furthest end among the outer spans starting at or before each
    for _, e in outer:
        reach.append(max(e, reach[-1]) if reach else e)

    def nested(f: Finding) -> bool:
        assert f.doc_span is not None
        k = bisect.bisect_right(outer_starts, f.doc_span.start) - 1
        return k >= 0 and f.doc_span.end <= reach[k]

    top = [f for f in spans if f.type is not FindingType.HIDDEN_CHARACTER or not nested(f)]
    top.sort(key=lambda f: (f.src_span.start if f.src_span else 0, f.doc_span.start if f.doc_span else 0))
    out: list[str] = []
    pos = src_span.start
    for f in top:
        assert f.src_span is not None
        out.append(source_text[pos:f.src_span.start])
        out.append(f.doc_text)
        pos = max(pos, f.src_span.end)
    out.append(source_text[pos:src_span.end])
    return "".join(out)


__all__ = ["PassageComparer", "hidden_findings", "misattribution", "rebuild", "severity_of", "source_names",
           "verdict_of", "word_impact"]
