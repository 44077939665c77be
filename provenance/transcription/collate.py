"""Collate: align any number of versions (witnesses) of one text into a variant table and a consensus.

The alignment is progressive. The base witness (the first, unless another is named) gives the
first row of columns, one column per word. Every other witness is then aligned, word by word,
against the columns' current readings (each column reads as the word most witnesses so far have
in it), by an alignment that matches as many identical words as any can: a longest common
subsequence (`align_words`; rapidfuzz's LCS over word ids, and for long texts the comparator's
anchored alignment kept only where rapidfuzz's LCS length proves it optimal). A Levenshtein
alignment is not enough: among equally cheap alignments it may pair different words where
keeping identical ones together costs the same. Matched and substituted words fill existing columns; words
the columns lack open new columns at that place, so that an insertion shared by several
witnesses lands in one column (the second witness to have it finds it there); a witness lacking
a column's word leaves a gap. Where repeated words make two placements equally good (`that that`
copied once: which `that` is missing?), a word moves, over its witness's gaps, to the column where
more witnesses have it; once all witnesses are placed, a few passes repeat this for each, since
an early witness could not see the columns later ones opened. Witnesses with the same words are
aligned once and count for as many.

Words are compared on the comparator's folded keys (case, apostrophes, Unicode form), so a
difference of case or punctuation alone is not a variant; each witness's exact text, the word
with the punctuation and spacing after it, is kept in every cell, and the consensus takes the
commonest exact form of the winning reading, so that it reproduces the text letter for letter.

Neighbouring columns form one segment when the same witnesses carry their commonest reading: a
run of full agreement, or one variant location (a five-word omission is one location, not five;
`Four score` against `Fourscore` is one). Each segment's consensus reading is the one most witnesses
carry; where the top readings are carried by equally many witnesses the segment is a tie: all
of them are kept, none is chosen, and the location is flagged.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz.distance import LCSseq

from provenance.comparator.align import Opcode, align, compact
from provenance.errors import UsageError
from provenance.load import load_text
from provenance.text import DEFAULT_MAX_BYTES, Text


@dataclass(frozen=True, slots=True)
class WitnessInfo:
    """Identity of one witness."""

    id: str
    """Short unique name (the file name without its extension, in ASCII; see `_unique_ids`), also
    an `xml:id` for TEI."""
    path: str
    sha256: str
    chars: int
    words: int


@dataclass(frozen=True, slots=True)
class Reading:
    """One reading of a segment and the witnesses that carry it."""

    text: str
    """The reading as the witnesses write it (their commonest exact form); empty for an omission."""
    witnesses: tuple[str, ...]
    """Ids of the witnesses carrying it, in witness order."""


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of aligned columns that split the witnesses the same way."""

    cells: tuple[str | None, ...]
    """Each witness's exact text here, in witness order; None where it has nothing."""
    readings: tuple[Reading, ...]
    """Distinct readings (compared on folded words), most witnesses first, then witness order."""
    consensus: tuple[int, ...]
    """Indices into `readings` of the consensus: one, or several on a tie."""

    @property
    def agreement(self) -> bool:
        """Whether every witness reads the same words here."""
        return len(self.readings) == 1

    @property
    def tie(self) -> bool:
        """Whether the top readings are carried by equally many witnesses."""
        return len(self.consensus) > 1

    def chosen(self) -> Reading:
        """The consensus reading; on a tie, the first tied one (the base's, when it is among them)."""
        return self.readings[self.consensus[0]]


@dataclass(frozen=True, slots=True)
class Collation:
    """Witnesses aligned into segments, with the consensus they support."""

    witnesses: tuple[WitnessInfo, ...]
    base: str
    """Id of the witness the alignment started from."""
    segments: tuple[Segment, ...]

    @property
    def consensus_text(self) -> str:
        """The consensus as plain text; on a tie, the first tied reading (see `ties`)."""
        return "".join(s.chosen().text for s in self.segments)

    @property
    def variants(self) -> list[int]:
        """Indices of the segments where the witnesses disagree."""
        return [k for k, s in enumerate(self.segments) if not s.agreement]

    @property
    def ties(self) -> list[int]:
        """Indices of the segments where no reading has more witnesses than another."""
        return [k for k, s in enumerate(self.segments) if s.tie]


class _Column:
    """One aligned word position while witnesses are added: a cell per witness, how many witnesses
    carry each key there, and the commonest key."""

    __slots__ = ("cells", "counts", "rep")

    def __init__(self, n_witnesses: int) -> None:
        self.cells: list[int | None] = [None] * n_witnesses
        self.counts: dict[int, int] = {}
        self.rep = -1

    def add(self, witness: int, token: int, key: int, weight: int) -> None:
        self.cells[witness] = token
        n = self.counts.get(key, 0) + weight
        self.counts[key] = n
        if n > self.counts.get(self.rep, 0):
            self.rep = key

    def remove(self, witness: int, key: int, weight: int) -> None:
        self.cells[witness] = None
        n = self.counts[key] - weight
        if n:
            self.counts[key] = n
        else:
            del self.counts[key]
        if key == self.rep and self.counts:
            self.rep = max(self.counts, key=self.counts.__getitem__)


def _new_column(n: int, witness: int, token: int, key: int, weight: int) -> _Column:
    column = _Column(n)
    column.add(witness, token, key, weight)
    return column


REFINE_ROUNDS = 3
"""Passes over all witnesses, once all are placed, moving words to better supported columns."""
SHIFT_REACH = 20
"""Columns a word may move to either side, over its witness's gaps, to join more witnesses."""


def _shift_to_support(columns: list[_Column], w: int, seq: Sequence[int], weight: int
                      ) -> tuple[list[_Column], bool]:
    """Move each word of witness `w` to the column, among those it could take without changing the
    order of its words, where most other witnesses have the same word.

    Alignments of equal cost can put a repeated word in either of two columns (`d d b` against
    `d b`: which `d` is left out?); the alignment against the columns' commonest words cannot
    tell a column most witnesses share from one a single witness opened. Moving the word to the
    better supported column keeps the same witnesses together.
    """
    positions = [c for c, col in enumerate(columns) if col.cells[w] is not None]
    moved = False
    for idx, c in enumerate(positions):
        token = columns[c].cells[w]
        assert token is not None
        key = seq[token]
        lo = max(positions[idx - 1] + 1 if idx else 0, c - SHIFT_REACH)
        hi = min(positions[idx + 1] - 1 if idx + 1 < len(positions) else len(columns) - 1, c + SHIFT_REACH)
        best, best_n = c, columns[c].counts[key] - weight
        for p in range(lo, hi + 1):
            if p != c and columns[p].cells[w] is None:
                n = columns[p].counts.get(key, 0)
                if n > best_n:
                    best, best_n = p, n
        if best != c:
            columns[c].remove(w, key, weight)
            columns[best].add(w, token, key, weight)
            positions[idx] = best
            moved = True
    return ([col for col in columns if col.counts] if moved else columns), moved


def align_columns(keys: Sequence[Sequence[int]], order: Sequence[int]) -> list[list[int | None]]:
    """Columns of word indices (one cell per witness, None for a gap) aligning the key sequences.

    Witnesses are added in `order` (the base first), each aligned against the columns' commonest
    keys; see the module docstring. Witnesses with the same words are aligned once, counting for
    as many, and share their cells.
    """
    n = len(keys)
    same = _identical_witnesses(keys, order)
    leaders = [group[0] for group in same.values()]
    weight = {group[0]: len(group) for group in same.values()}
    first = leaders[0]
    columns = [_new_column(n, first, t, k, weight[first]) for t, k in enumerate(keys[first])]
    for w in leaders[1:]:
        placed = _place_witness(columns, n, w, keys[w], weight[w])
        columns, _ = _shift_to_support(placed, w, keys[w], weight[w])
    columns = _refine(columns, leaders, keys, weight)
    cells = [c.cells for c in columns]
    for group in same.values():
        for w in group[1:]:
            for row in cells:
                row[w] = row[group[0]]
    return cells


def _identical_witnesses(keys: Sequence[Sequence[int]], order: Sequence[int]) -> dict[tuple[int, ...], list[int]]:
    """Witnesses grouped by their word keys, in `order`: each group is aligned once, by its first."""
    same: dict[tuple[int, ...], list[int]] = {}
    for w in order:
        same.setdefault(tuple(keys[w]), []).append(w)
    return same


def _place_witness(columns: list[_Column], n: int, w: int, seq: Sequence[int], weight: int) -> list[_Column]:
    """The columns (of `n` cells) with witness `w` (word keys `seq`) aligned into them against their
    commonest keys: matched and substituted words fill existing columns, the rest open new ones."""
    reps = [c.rep for c in columns]
    out: list[_Column] = []
    for op in align_words(reps, seq):
        if op.tag == "insert":
            out.extend(_new_column(n, w, t, seq[t], weight) for t in range(op.j1, op.j2))
            continue
        # equal and replace pair words in order; delete leaves the witness a gap in those columns
        paired = 0 if op.tag == "delete" else min(op.i2 - op.i1, op.j2 - op.j1)
        for d in range(paired):
            columns[op.i1 + d].add(w, op.j1 + d, seq[op.j1 + d], weight)
        out.extend(columns[op.i1:op.i2])
        if op.tag == "replace":  # the longer side's extra words stand alone
            out.extend(_new_column(n, w, t, seq[t], weight) for t in range(op.j1 + paired, op.j2))
    return out


LCS_DIRECT_LIMIT = 16_000_000
"""Largest product of two lengths given to one exact longest-common-subsequence alignment (rapidfuzz
keeps a matrix of that many bits: 2 MB)."""
LCS_FALLBACK_LIMIT = 400_000_000
"""Largest product aligned exactly in one piece (50 MB) when no proved split point is found."""
SPLIT_TRIES = 8
"""Split points tried, nearest the middle first, before a long alignment is done in one piece."""


def align_words(a: Sequence[int], b: Sequence[int]) -> list[Opcode]:
    """Opcodes aligning `a` with `b` that match as many identical words as any alignment can (a
    longest common subsequence), runs of gaps slid together and neighbouring gaps paired as
    substitutions.

    A Levenshtein alignment is not enough for a collation: among its equally cheap alignments it
    may pair `I do` with `it is` and leave out `think it is` rather than leave out `I do not think`
    and keep `it is` together (Darwin, 1859 and 1866), matching fewer words than the texts share.
    """
    return compact(_lcs_opcodes(a, b, 0, 0), a, b)


def _matched(ops: Sequence[Opcode]) -> int:
    return sum(op.i2 - op.i1 for op in ops if op.tag == "equal")


def _shifted(ops: Sequence[Opcode], ai: int, bj: int) -> list[Opcode]:
    return [Opcode(op.tag, op.i1 + ai, op.i2 + ai, op.j1 + bj, op.j2 + bj) for op in ops]


def _direct_lcs(a: Sequence[int], b: Sequence[int], ai: int, bj: int) -> list[Opcode]:
    return [Opcode(op.tag, op.src_start + ai, op.src_end + ai, op.dest_start + bj, op.dest_end + bj)
            for op in LCSseq.opcodes(a, b)]


def _lcs_opcodes(a: Sequence[int], b: Sequence[int], ai: int, bj: int, guess: list[Opcode] | None = None,
                 best: int | None = None) -> list[Opcode]:
    """A longest-common-subsequence alignment, offsets shifted by `ai` and `bj`.

    Short pairs are aligned exactly at once. A long pair is first aligned by the comparator's
    anchored aligner (or `guess`); rapidfuzz's banded LCS length (or `best`, already known), with
    that alignment's matches as the cutoff, proves it as good as any (the usual case: it costs a
    fraction of a second for 200,000 words), or else a split point on that alignment is proved to
    keep the optimum (the LCS lengths of the two halves add up to the whole's) and each half is
    aligned the same way, from its part of the guess.
    """
    if not a or not b or len(a) * len(b) <= LCS_DIRECT_LIMIT:
        return _direct_lcs(a, b, ai, bj)
    if guess is None:
        guess = align(a, b)
    found = _matched(guess)
    if best is None:
        best = LCSseq.similarity(a, b, score_cutoff=found)  # exact: never below `found`
    if best == found:
        return _shifted(guess, ai, bj)
    for i, j, left in _split_points(guess, len(a)):
        below = LCSseq.similarity(a[:i], b[:j], score_cutoff=left)
        above = LCSseq.similarity(a[i:], b[j:], score_cutoff=found - left)
        if below + above == best:
            first, second = _cut(guess, i, j)
            return (_lcs_opcodes(a[:i], b[:j], ai, bj, first, below)
                    + _lcs_opcodes(a[i:], b[j:], ai + i, bj + j, second, above))
    if len(a) * len(b) <= LCS_FALLBACK_LIMIT:
        return _direct_lcs(a, b, ai, bj)
    return _shifted(guess, ai, bj)  # not proved: a long text repeating itself, with no split point kept


def _cut(ops: Sequence[Opcode], i: int, j: int) -> tuple[list[Opcode], list[Opcode]]:
    """An alignment through `(i, j)` cut there: the part before, and the part after counted from it."""
    first: list[Opcode] = []
    second: list[Opcode] = []
    for op in ops:
        if op.i2 <= i and op.j2 <= j:
            first.append(op)
        elif op.i1 >= i and op.j1 >= j:
            second.append(Opcode(op.tag, op.i1 - i, op.i2 - i, op.j1 - j, op.j2 - j))
        else:  # the equal run the point is in
            first.append(Opcode(op.tag, op.i1, i, op.j1, j))
            second.append(Opcode(op.tag, 0, op.i2 - i, 0, op.j2 - j))
    return first, second


def _split_points(ops: Sequence[Opcode], n: int) -> list[tuple[int, int, int]]:
    """Candidate split points of an alignment of `a` (`n` words): the middle of each equal run, the
    nearest the middle of `a` first, with how many words the alignment matches before it."""
    out: list[tuple[int, int, int]] = []
    before = 0
    for op in ops:
        if op.tag == "equal":
            k = (op.i2 - op.i1) // 2
            if 0 < op.i1 + k < n:
                out.append((op.i1 + k, op.j1 + k, before + k))
            before += op.i2 - op.i1
    out.sort(key=lambda p: abs(2 * p[0] - n))
    return out[:SPLIT_TRIES]


def _refine(columns: list[_Column], leaders: Sequence[int], keys: Sequence[Sequence[int]],
            weight: dict[int, int]) -> list[_Column]:
    """Move every witness's words to better supported columns, for up to `REFINE_ROUNDS` passes:
    a witness placed early could not see the columns later ones opened."""
    for _ in range(REFINE_ROUNDS):
        moved_any = False
        for w in leaders:
            columns, moved = _shift_to_support(columns, w, keys[w], weight[w])
            moved_any |= moved
        if not moved_any:
            break
    return columns


def _location_key(values: Sequence[int | None]) -> tuple[object, ...]:
    """What neighbouring columns must share to form one segment.

    Full agreement joins full agreement. A variant column with one reading carried by the most
    witnesses joins its neighbours carried by the same witnesses (`Four score` against
    `Fourscore`, a run of omitted words); a tied column joins only neighbours that split the
    witnesses exactly the same way.
    """
    counts = Counter(values)
    if len(counts) == 1:
        return ("agree",)
    (top, n), *rest = counts.most_common()
    if rest and rest[0][1] == n:
        labels: dict[int, int] = {}
        return ("tie", *(-1 if v is None else labels.setdefault(v, len(labels)) for v in values))
    return ("variant", *(w for w, v in enumerate(values) if v == top))


def _readings_of(texts: Sequence[Text]) -> list[list[str]]:
    """Each witness's words with what follows them up to the next word; the first also carries
    what precedes it. Joined, the readings of a witness give back its text exactly."""
    out: list[list[str]] = []
    for t in texts:
        starts, s = t.tokens.starts, t.original
        bounds = [0, *starts[1:], len(s)]
        out.append([s[bounds[k]:bounds[k + 1]] for k in range(len(starts))])
    return out


def collate_texts(texts: Sequence[Text], *, base: int = 0) -> Collation:
    """Collate loaded witnesses; `base` is the index of the witness the alignment starts from."""
    ids = _checked_ids(texts, base)
    vocab: dict[str, int] = {}
    keys = [[vocab.setdefault(k, len(vocab)) for k in t.tokens.keys] for t in texts]
    order = [base, *(w for w in range(len(texts)) if w != base)]
    columns = align_columns(keys, order)
    readings = _readings_of(texts)
    n = len(texts)
    segments: list[Segment] = []
    k = 0
    located = [_location_key([keys[w][c] if c is not None else None for w, c in enumerate(col)]) for col in columns]
    while k < len(columns):
        end = k + 1
        while end < len(columns) and located[end] == located[k]:
            end += 1
        segments.append(_segment(columns[k:end], keys, readings, ids, order, n))
        k = end
    infos = tuple(WitnessInfo(i, t.path, t.sha256, len(t.original), len(t.tokens)) for i, t in zip(ids, texts,
                                                                                                   strict=True))
    return Collation(infos, ids[base], tuple(segments))


def _checked_ids(texts: Sequence[Text], base: int) -> list[str]:
    """The witnesses' ids, once the witnesses are known to make a collation."""
    if len(texts) < 2:
        raise UsageError("collate needs at least two witnesses", parameter="texts")
    if not 0 <= base < len(texts):
        raise UsageError(f"base witness {base} is not among the {len(texts)} witnesses", parameter="base")
    ids = _unique_ids(texts)
    empty = [i for i, t in zip(ids, texts, strict=True) if not t.tokens.keys]
    if empty:  # its text would be in no segment
        raise UsageError(f"witness {empty[0]!r} holds no words to collate", parameter="texts")
    return ids


def _segment(columns: Sequence[Sequence[int | None]], keys: Sequence[Sequence[int]],
             readings: Sequence[Sequence[str]], ids: Sequence[str], order: Sequence[int], n: int) -> Segment:
    """One segment from neighbouring columns: each witness's exact text, its distinct readings
    (most witnesses first, then alignment order) and the consensus among them."""
    cells: list[str | None] = []
    groups: dict[tuple[int, ...], list[int]] = {}
    for w in range(n):
        tokens = [t for t in (col[w] for col in columns) if t is not None]
        cells.append("".join(readings[w][t] for t in tokens) if tokens else None)
        groups.setdefault(tuple(keys[w][t] for t in tokens), []).append(w)
    rank = {w: r for r, w in enumerate(order)}
    ordered = sorted(groups.values(), key=lambda group: (-len(group), min(rank[w] for w in group)))
    out = [_reading(group, cells, ids, rank) for group in ordered]
    best = len(out[0].witnesses)
    consensus = tuple(r for r, reading in enumerate(out) if len(reading.witnesses) == best)
    return Segment(tuple(cells), tuple(out), consensus)


def _reading(group: Sequence[int], cells: Sequence[str | None], ids: Sequence[str], rank: dict[int, int]) -> Reading:
    """The reading a group of witnesses shares: the commonest exact form among them; among
    equals, that of the earliest witness in alignment order."""
    forms = Counter(cells[w] or "" for w in group)
    top = max(forms.values())
    form = next(cells[w] or "" for w in sorted(group, key=rank.__getitem__) if forms[cells[w] or ""] == top)
    return Reading(form, tuple(ids[w] for w in group))


_NAME_RE = re.compile(r"[^A-Za-z0-9_.-]")


def _id_base(name: str, k: int) -> str:
    """An id from a file name: accents dropped, anything but ASCII letters, digits, `_`, `.` and `-`
    made `_`, a letter in front when it starts otherwise (an NCName, valid as `xml:id` in every
    edition of XML 1.0); `w3` for the third witness when no letter or digit is left."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    base = _NAME_RE.sub("_", folded)
    if not any(c.isalnum() for c in base):
        return f"w{k}"
    return base if base[0].isalpha() or base[0] == "_" else f"w{base}"


def _unique_ids(texts: Sequence[Text]) -> list[str]:
    """Witness ids from file names, valid XML names and unique by construction. A file name that is
    already a valid id is its witness's id (the first witness of that name); any other witness
    gets its name made valid, and then the first `-2`, `-3`, ... that no witness has or is named
    (`copy`, `copy-2` and another `copy-2` give `copy`, `copy-2`, `copy-2-2`)."""
    bases = [_id_base(t.id, k) for k, t in enumerate(texts, 1)]
    natural = {base for base, t in zip(bases, texts, strict=True) if base == t.id}
    out: list[str] = []
    used: set[str] = set()
    for base, t in zip(bases, texts, strict=True):
        own = base == t.id
        name, n = base, 1
        while name in used or (name in natural and not (own and n == 1)):
            n += 1
            name = f"{base}-{n}"
        used.add(name)
        out.append(name)
    return out


def collate(witnesses: Sequence[str | Path], *, base: str | Path | None = None,
            max_bytes: int = DEFAULT_MAX_BYTES) -> Collation:
    """Collate witness files; `base` names one of them (as given, or by its id)."""
    if len(witnesses) < 2:
        raise UsageError(f"collate needs at least two witnesses, got {len(witnesses)}")
    texts = [load_text(w, role="witness", max_bytes=max_bytes) for w in witnesses]
    return collate_texts(texts, base=base_index(witnesses, texts, base))


def base_index(witnesses: Sequence[str | Path], texts: Sequence[Text], base: str | Path | None) -> int:
    """Which of the witnesses (named as given, loaded as `texts`) `base` names: by path as given, by id, by
    path resolved, or by the file name its id was made from; 0 when none is named, a `UsageError` when no
    witness is the one named."""
    index = 0
    if base is not None:
        ids = _unique_ids(texts)
        wanted = str(base)
        matches = [k for k, w in enumerate(witnesses) if str(w) == wanted or ids[k] == wanted]
        if not matches:
            matches = [k for k, w in enumerate(witnesses) if Path(w).resolve() == Path(wanted).resolve()]
        if not matches:  # the file name the id was made from (`Brief an Schmidt` for `Brief_an_Schmidt`)
            matches = [k for k, t in enumerate(texts) if t.id == wanted]
        if not matches:
            raise UsageError(f"base witness {wanted!r} is not among the witnesses (give one of their paths or "
                             f"ids: {', '.join(ids)})", parameter="base")
        index = matches[0]
    return index


__all__ = ["Collation", "Reading", "Segment", "WitnessInfo", "align_columns", "align_words", "base_index", "collate",
           "collate_texts"]
