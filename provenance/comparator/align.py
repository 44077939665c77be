"""Align: word-by-word alignment of two token sequences with rapidfuzz.

Short sequences (the usual quotation, a letter) go straight to rapidfuzz's Levenshtein opcodes,
exact and fast. Long ones (a whole transcription of a book) are first anchored on word n-grams
that occur once in each text and in the same order; only the gaps between anchors are aligned,
which keeps the cost near linear in the length instead of quadratic. Inside changed words,
characters are compared to tell a slip (`sec urity`, `1O` for `10`) from another word.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import NamedTuple

from rapidfuzz.distance import OSA, Indel, Levenshtein

from provenance.comparator.tuning import ANCHOR_NGRAM, BAND_LENGTH, DIRECT_LIMIT


class Opcode(NamedTuple):
    """One step of an alignment: `a[i1:i2]` becomes `b[j1:j2]`."""

    tag: str
    """`equal`, `replace`, `delete` (words of `a` that `b` lacks) or `insert` (words only in `b`)."""
    i1: int
    i2: int
    j1: int
    j2: int


def _direct(a: Sequence[int], b: Sequence[int], ai: int, bj: int) -> list[Opcode]:
    ops = Levenshtein.opcodes(a, b)
    return [Opcode(op.tag, op.src_start + ai, op.src_end + ai, op.dest_start + bj, op.dest_end + bj)
            for op in ops]


def _unique_ngrams(seq: Sequence[int], lo: int, hi: int, n: int) -> dict[tuple[int, ...], int]:
    seen: dict[tuple[int, ...], int] = {}
    dup: set[tuple[int, ...]] = set()
    for i in range(lo, hi - n + 1):
        g = tuple(seq[i:i + n])
        if g in seen:
            dup.add(g)
        else:
            seen[g] = i
    for g in dup:
        del seen[g]
    return seen


def _chain(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Longest chain of pairs increasing in both coordinates (pairs sorted by the first)."""
    tails: list[int] = []
    tail_idx: list[int] = []
    prev: list[int] = [-1] * len(pairs)
    for k, (_, j) in enumerate(pairs):
        pos = bisect.bisect_left(tails, j)
        if pos == len(tails):
            tails.append(j)
            tail_idx.append(k)
        else:
            tails[pos] = j
            tail_idx[pos] = k
        prev[k] = tail_idx[pos - 1] if pos else -1
    out: list[tuple[int, int]] = []
    k = tail_idx[-1] if tail_idx else -1
    while k != -1:
        out.append(pairs[k])
        k = prev[k]
    return out[::-1]


def _merge(ops: list[Opcode]) -> list[Opcode]:
    """Join neighbouring opcodes of the same tag, and a delete next to an insert into a replace."""
    merged: list[Opcode] = []
    for op in ops:
        if op.i1 == op.i2 and op.j1 == op.j2:
            continue
        if merged:
            last = merged[-1]
            if last.tag == op.tag:
                merged[-1] = Opcode(op.tag, last.i1, op.i2, last.j1, op.j2)
                continue
            if {last.tag, op.tag} <= {"replace", "delete", "insert"}:
                merged[-1] = Opcode("replace", last.i1, op.i2, last.j1, op.j2)
                continue
        merged.append(op)
    return merged




def _banded(a: Sequence[int], b: Sequence[int], ai: int, bj: int) -> list[Opcode]:
    """Align long sequences chunk by chunk along the diagonal, for texts without unique anchors.

    Each chunk of `a` is aligned with a somewhat longer stretch of `b`; only the alignment up to
    the last match in the first three quarters is kept, so that no chunk end forces a match.
    """
    ops: list[Opcode] = []
    i = j = 0
    while i < len(a) and j < len(b):
        if (len(a) - i) * (len(b) - j) <= DIRECT_LIMIT:
            ops.extend(_direct(a[i:], b[j:], ai + i, bj + j))
            return _merge(ops)
        # The stretch of `b` expected to match, given how the lengths compare, with a little slack:
        # a longer one would let a repeating text match a period further on at no cost.
        expected = round(BAND_LENGTH * (len(b) - j) / (len(a) - i))
        chunk_a, chunk_b = a[i:i + BAND_LENGTH], b[j:j + expected]
        sub = Levenshtein.opcodes(chunk_a, chunk_b)
        # An equal run that starts in the first three quarters is kept up to there (dropping a
        # run that goes on past that point would give up a whole matching stretch as replaced).
        cut = 3 * BAND_LENGTH // 4
        keep = [op for op in sub if op.tag == "equal" and op.src_start < cut]
        if not keep:
            # nothing in common in this stretch: give it up as replaced and move on
            step_a, step_b = min(BAND_LENGTH, len(a) - i), min(BAND_LENGTH, len(b) - j)
            ops.append(Opcode("replace", ai + i, ai + i + step_a, bj + j, bj + j + step_b))
            i, j = i + step_a, j + step_b
            continue
        last = keep[-1]
        end_i = min(last.src_end, cut)
        end_j = last.dest_start + (end_i - last.src_start)
        for op in sub:
            if op.src_start == last.src_start and op.dest_start == last.dest_start and op.tag == "equal":
                ops.append(Opcode("equal", ai + i + op.src_start, ai + i + end_i,
                                  bj + j + op.dest_start, bj + j + end_j))
                break
            ops.append(Opcode(op.tag, ai + i + op.src_start, ai + i + op.src_end,
                              bj + j + op.dest_start, bj + j + op.dest_end))
        i, j = i + end_i, j + end_j
    if i < len(a) or j < len(b):
        ops.append(Opcode("delete" if j >= len(b) else "insert" if i >= len(a) else "replace",
                          ai + i, ai + len(a), bj + j, bj + len(b)))
    return _merge(ops)


def align(a: Sequence[int], b: Sequence[int], *, ai: int = 0, bj: int = 0) -> list[Opcode]:
    """Opcodes turning `a` into `b`, with offsets shifted by `ai` and `bj`."""
    if not a or not b:
        if not a and not b:
            return []
        return [Opcode("delete" if a else "insert", ai, ai + len(a), bj, bj + len(b))]
    if len(a) * len(b) <= DIRECT_LIMIT:
        return _direct(a, b, ai, bj)
    anchors_a = _unique_ngrams(a, 0, len(a), ANCHOR_NGRAM)
    anchors_b = _unique_ngrams(b, 0, len(b), ANCHOR_NGRAM)
    pairs = sorted((i, anchors_b[g]) for g, i in anchors_a.items() if g in anchors_b)
    chain = _chain(pairs)
    if not chain:
        # No word sequence is unique to both (a text repeating itself): align along the diagonal.
        return _banded(a, b, ai, bj)
    ops: list[Opcode] = []
    ia = jb = 0
    for i, j in chain:
        if i < ia or j < jb:
            continue  # overlaps the equal run already taken
        ops.extend(align(a[ia:i], b[jb:j], ai=ai + ia, bj=bj + jb))
        k = 0
        while i + k < len(a) and j + k < len(b) and a[i + k] == b[j + k]:
            k += 1
        ops.append(Opcode("equal", ai + i, ai + i + k, bj + j, bj + j + k))
        ia, jb = i + k, j + k
    ops.extend(align(a[ia:], b[jb:], ai=ai + ia, bj=bj + jb))
    return _merge(ops)


# -- characters inside changed words ---------------------------------------------------

def char_changes(doc_word: str, src_word: str) -> str:
    """What changed, character by character, between a source word and its slip."""
    parts: list[str] = []
    for op in Levenshtein.opcodes(src_word, doc_word):
        was, now = src_word[op.src_start:op.src_end], doc_word[op.dest_start:op.dest_end]
        if op.tag == "replace":
            parts.append(f"{now!r} for {was!r}")
        elif op.tag == "delete":
            parts.append(f"{was!r} missing")
        elif op.tag == "insert":
            parts.append("a space added" if now == " " else f"{now!r} added")
    if len(parts) == 2 and len(doc_word) == len(src_word) and sorted(doc_word) == sorted(src_word):
        return "letters swapped"
    return ", ".join(parts[:4])


_OCR_CONFUSIONS = {frozenset(p) for p in ("o0", "l1", "i1", "s5", "b8", "z2", "g6", "rn", "cl")}


def ocr_confusion(a: str, b: str) -> bool:
    """Same length, and every differing character an OCR look-alike (`1O` for `10`)."""
    if len(a) != len(b) or a == b:
        return False
    return all(x == y or frozenset((x, y)) in _OCR_CONFUSIONS for x, y in zip(a, b, strict=True))


def is_slip(a: str, b: str) -> bool:
    """Whether word `a` is a slip for `b` (a typo or OCR confusion) rather than another word."""
    if ocr_confusion(a, b):
        return True
    if a.isdigit() and b.isdigit():
        return False  # 1941 for 1942 is a changed number, not a slip
    longest = max(len(a), len(b))
    if longest < 3:
        # codes like UH-60: a two-character part with one character wrong
        return longest == 2 and len(a) == len(b) and not a.isalpha() and OSA.distance(a, b) == 1
    distance = OSA.distance(a, b)
    return distance <= max(1, longest // 4)



def _split_replacements(ops: list[Opcode], a: Sequence[int], b: Sequence[int]) -> list[Opcode]:
    """Keep the words a replaced block shares: among alignments of equal cost, the one with most
    words matched (`B C` for `X B` is `X` added and `C` dropped around a kept `B`)."""
    out: list[Opcode] = []
    for op in ops:
        if (op.tag != "replace" or (op.i2 - op.i1) + (op.j2 - op.j1) < 3
                or (op.i2 - op.i1) * (op.j2 - op.j1) > DIRECT_LIMIT):
            out.append(op)
            continue
        sub = Indel.opcodes(a[op.i1:op.i2], b[op.j1:op.j2])
        if not any(s.tag == "equal" for s in sub):
            out.append(op)
            continue
        out.extend(Opcode(s.tag, op.i1 + s.src_start, op.i1 + s.src_end, op.j1 + s.dest_start, op.j1 + s.dest_end)
                   for s in sub)
    return _merge(out)


def compact(ops: list[Opcode], a: Sequence[int], b: Sequence[int]) -> list[Opcode]:
    """Slide equal words so that an omission or insertion reads as one run.

    Levenshtein alignment is free to match a repeated word at either end of a gap: for
    `powers of the earth, the` dropped down to `the`, it may keep the first `the` and report two
    omissions, `powers of` and `earth, the`. Where the words kept can be matched at the end of
    the run instead, the run is made whole.
    """
    out = _split_replacements(list(ops), a, b)
    out = _slide_last_run(_slide_first_run(out, a, b), a, b)
    return _merge(_join_split_gaps(out, a, b))


def _slide_first_run(ops: list[Opcode], a: Sequence[int], b: Sequence[int]) -> list[Opcode]:
    """At the very start there is nothing to keep apart: an equal run followed by a gap that ends
    with the same words slides inward, as if an empty gap stood before it."""
    if len(ops) >= 2 and ops[0].tag == "equal" and ops[1].tag in ("delete", "insert"):
        slid = _slid_right(None, ops[0], ops[1], a, b)
        if slid is not None:
            return slid + ops[2:]
    return ops


def _slide_last_run(ops: list[Opcode], a: Sequence[int], b: Sequence[int]) -> list[Opcode]:
    """The mirror at the very end: a gap that starts with the words of the equal run after it
    keeps those words first and leaves the gap at the end."""
    if len(ops) < 2 or ops[-1].tag != "equal" or ops[-2].tag not in ("delete", "insert"):
        return ops
    gap, equal = ops[-2], ops[-1]
    n = equal.i2 - equal.i1
    if gap.i1 == gap.i2 and gap.j2 - gap.j1 >= n and list(b[gap.j1:gap.j1 + n]) == list(b[equal.j1:equal.j2]):
        return ops[:-2] + [Opcode("equal", gap.i1, gap.i1 + n, gap.j1, gap.j1 + n),
                           Opcode(gap.tag, equal.i2, equal.i2, gap.j1 + n, equal.j2)]
    if gap.j1 == gap.j2 and gap.i2 - gap.i1 >= n and list(a[gap.i1:gap.i1 + n]) == list(a[equal.i1:equal.i2]):
        return ops[:-2] + [Opcode("equal", gap.i1, gap.i1 + n, gap.j1, gap.j1 + n),
                           Opcode(gap.tag, gap.i1 + n, equal.i2, equal.j2, equal.j2)]
    return ops


def _join_split_gaps(ops: list[Opcode], a: Sequence[int], b: Sequence[int]) -> list[Opcode]:
    """Make two gaps of one side around an equal run into one gap, again and again, until no such
    pair is left (each join is followed by merging the neighbours it creates)."""
    while True:
        found = _first_joinable_gaps(ops, a, b)
        if found is None:
            return ops
        k, slid = found
        ops = _merge(ops[:k] + slid + ops[k + 3:])


def _first_joinable_gaps(ops: list[Opcode], a: Sequence[int], b: Sequence[int]
                         ) -> tuple[int, list[Opcode]] | None:
    """The first `gap equal gap` triple (gaps of the same tag and side) that can become one gap:
    where it starts, and the opcodes replacing it."""
    for k in range(len(ops) - 2):
        before, equal, after = ops[k], ops[k + 1], ops[k + 2]
        if equal.tag != "equal" or before.tag != after.tag or before.tag not in ("delete", "insert"):
            continue
        if (before.i1 == before.i2) != (after.i1 == after.i2):
            continue  # gaps of different sides
        slid = _slid_right(before, equal, after, a, b)
        if slid is not None:
            return k, slid
    return None


def _slid_right(x: Opcode | None, e: Opcode, y: Opcode, a: Sequence[int], b: Sequence[int]) -> list[Opcode] | None:
    """`x e y`, two gaps of one side around an equal run (`x` None: nothing before `e`), when `y`
    ends with the words of `e`: one gap from where `x` (or `e`) starts, then `e` at the end."""
    n = e.i2 - e.i1
    i0, j0 = (x.i1, x.j1) if x is not None else (e.i1, e.j1)
    if y.i1 == y.i2:  # words of `b` only
        if y.j2 - y.j1 >= n and list(b[y.j2 - n:y.j2]) == list(b[e.j1:e.j2]):
            return [Opcode(y.tag, i0, i0, j0, y.j2 - n), Opcode("equal", e.i1, e.i2, y.j2 - n, y.j2)]
    elif y.j1 == y.j2:  # words of `a` only
        if y.i2 - y.i1 >= n and list(a[y.i2 - n:y.i2]) == list(a[e.i1:e.i2]):
            return [Opcode(y.tag, i0, y.i2 - n, j0, j0), Opcode("equal", y.i2 - n, y.i2, e.j1, e.j2)]
    return None


def gaps_to_marks(ops: list[Opcode], a: Sequence[int], b: Sequence[int], marked: set[int] | frozenset[int]
                  ) -> list[Opcode]:
    """Move a run of words only in `b` onto a marked place of `a` (an ellipsis) when the words
    around it allow: `close ... the library` against `close the school ... reopen the library`
    leaves out `the school ... reopen` at the ellipsis, not `school ... the` after `the`."""
    out = list(ops)
    for k, x in enumerate(out):
        if x.i1 != x.i2 or x.j1 == x.j2 or x.i1 in marked:
            continue
        prev = out[k - 1] if k and out[k - 1].tag == "equal" else None
        nxt = out[k + 1] if k + 1 < len(out) and out[k + 1].tag == "equal" else None
        moved: list[Opcode] | None = None
        if prev is not None:
            for s in range(1, prev.i2 - prev.i1 + 1):
                if b[x.j2 - s] != b[prev.j2 - s]:
                    break
                if x.i1 - s in marked:
                    moved = [Opcode("equal", prev.i1, prev.i2 - s, prev.j1, prev.j2 - s),
                             Opcode(x.tag, x.i1 - s, x.i1 - s, x.j1 - s, x.j2 - s),
                             Opcode("equal", x.i1 - s, x.i1, x.j2 - s, x.j2)]
                    out[k - 1:k + 1] = moved
                    break
        if moved is None and nxt is not None:
            for s in range(1, nxt.i2 - nxt.i1 + 1):
                if b[x.j1 + s - 1] != b[nxt.j1 + s - 1]:
                    break
                if x.i1 + s in marked:
                    moved = [Opcode("equal", x.i1, x.i1 + s, x.j1, x.j1 + s),
                             Opcode(x.tag, x.i1 + s, x.i1 + s, x.j1 + s, x.j2 + s),
                             Opcode("equal", x.i1 + s, nxt.i2, x.j2 + s, nxt.j2)]
                    out[k:k + 2] = moved
                    break
        if moved is not None:
            return gaps_to_marks(_merge(out), a, b, marked)
    return _merge(out)
