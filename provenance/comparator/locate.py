"""Locate: find, for each passage, the best source and span among all sources.

Candidates come from word n-grams that the passage shares with a source: every source is read
once, keeping only the positions of n-grams some passage has, so the cost grows with the total
size of the sources and not with that times the number of passages. Hits vote for a diagonal
(source position minus passage position, counted by `ngrams.py`, as for the index); the
strongest diagonals give windows, and each window is verified by aligning the passage with it
(`fit`: the whole window, or the window narrowed and trimmed to the passage's core and edges).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel, Levenshtein

from provenance.comparator.align import Opcode, align, compact, gaps_to_marks, is_slip
from provenance.comparator.ngrams import (
    Posting,
    SequenceFinder,
    Stretch,
    diagonal_votes,
    ngram_postings,
    ngrams,
    positions_by_key,
    ranked_diagonals,
    word_postings,
)
from provenance.comparator.tuning import (
    CANDIDATE_NGRAM,
    CANDIDATE_WINDOWS,
    COMMON_NGRAM_LIMIT,
    COMMON_OCCURRENCES,
    EDGE_SLACK,
    ELLIPSIS_REACH,
    SOLID_RUN,
)
from provenance.comparator.variants import american
from provenance.rules import STOPWORDS


class Vocabulary:
    """Maps word keys to small integers shared by the document and all sources.

    Keys that are one word in British and American spelling (`theatre`, `theater`) get one id, so
    that the alignment pairs them as equal; otherwise a quotation ending `a crowded theater`
    against `a theatre and causing` aligns `crowded theater` with `theatre and`, two changed words
    where there is one inserted. Classify still sees both spellings and reports the difference as
    normalisation (`provenance.comparator.variants`).
    """

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        """The id of each key (several keys may share one)."""
        self.words: list[str] = []
        """The key of each id: the first key seen with it."""
        self._by_spelling: dict[str, int] = {}

    def encode(self, keys: Sequence[str]) -> list[int]:
        """Ids of the keys, new keys numbered in order of first appearance."""
        ids = self.ids
        for k in dict.fromkeys(keys):
            if k not in ids:
                form = american(k)
                known = self._by_spelling.get(form)
                if known is None:
                    known = self._by_spelling[form] = len(self.words)
                    self.words.append(k)
                ids[k] = known
        return list(map(ids.__getitem__, keys))


@dataclass(frozen=True, slots=True)
class Window:
    """A stretch of a source, in tokens, that may hold a passage."""

    source: int
    lo: int
    hi: int
    votes: int


@dataclass(frozen=True, slots=True)
class Fit:
    """A passage aligned with the part of a window it matches."""

    source: int
    lo: int
    """First source token of the match."""
    hi: int
    """One past the last source token of the match."""
    ops: tuple[Opcode, ...]
    """Opcodes from passage tokens to source tokens `lo..hi` (source indices relative to `lo`)."""
    equal: int
    """Number of passage words matched in order."""
    similarity: float
    """Dice similarity of the two word sequences, 0..1."""


def candidate_windows(passages: Sequence[Sequence[int]], sources: Sequence[Sequence[int]],
                      *, content: frozenset[int] = frozenset()) -> list[list[Window]]:
    """For each passage, the source windows most likely to hold it, best first.

    Votes come from word trigrams and from single words that are not stop words (`content`);
    words or trigrams found more than `COMMON_NGRAM_LIMIT` times in the sources are ignored. The
    sources are scanned once for all passages. A passage that gets no vote at all while some of
    its words or trigrams were too common (a sentence repeated in its source, a quotation of
    common words) is looked for word for word instead (`_common_windows`).
    """
    trigram_queries = [positions_by_key(enumerate(ngrams(ids, CANDIDATE_NGRAM))) for ids in passages]
    word_queries = [{word: positions for word, positions in positions_by_key(enumerate(ids)).items()
                     if word in content} for ids in passages]
    common_trigrams: dict[tuple[int, ...], list[Posting]] = {}
    common_words: dict[int, list[Posting]] = {}
    trigram_hits = ngram_postings(sources, set().union(*trigram_queries), CANDIDATE_NGRAM, COMMON_NGRAM_LIMIT,
                                  common=common_trigrams)
    word_hits = word_postings(sources, set().union(*word_queries), COMMON_NGRAM_LIMIT, common=common_words)
    fallback = _CommonWindows(sources, trigram_hits, common_trigrams, common_words)
    result: list[list[Window]] = []
    for ids, trigrams, content_words in zip(passages, trigram_queries, word_queries, strict=True):
        # A shared trigram votes 3 for its diagonal, a shared content word 1.
        votes = diagonal_votes(trigrams, trigram_hits, weight=3)
        diagonal_votes(content_words, word_hits, votes=votes)
        windows = _windows(ranked_diagonals(votes, len(ids), CANDIDATE_WINDOWS), sources)
        if not windows and (not common_trigrams.keys().isdisjoint(trigrams)
                            or not common_words.keys().isdisjoint(content_words)):
            windows = fallback.windows(ids, trigrams, content_words)
        result.append(windows)
    return result


@dataclass(frozen=True)
class _CommonWindows:
    """Windows for passages whose every shared n-gram or word is too common to vote.

    Such a key keeps its first places (`COMMON_NGRAM_LIMIT + 1` of them, in source order), and
    these vote as the rare ones do: a sentence repeated in its source is found at its first
    occurrences. Where the best diagonals hold the passage word for word, those are its windows.
    A passage not found there whose every trigram is in the sources may still stand, whole,
    further on: it is searched word for word (`SequenceFinder`, compiled). A passage with a
    trigram no source has cannot stand whole anywhere and is not searched (an altered quotation
    of a repeated sentence), so the work per passage is bounded, not grown with how often its
    words repeat. Each distinct passage is looked for once.
    """

    sources: Sequence[Sequence[int]]
    trigram_hits: dict[tuple[int, ...], list[Posting]]
    common_trigrams: dict[tuple[int, ...], list[Posting]]
    common_words: dict[int, list[Posting]]
    finder: SequenceFinder = field(init=False)
    cache: dict[tuple[int, ...], list[Window]] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "finder", SequenceFinder(self.sources))

    def windows(self, ids: Sequence[int], trigrams: dict[tuple[int, ...], list[int]],
                content_words: dict[int, list[int]]) -> list[Window]:
        """The candidate windows of one passage (cached per distinct passage)."""
        key = tuple(ids)
        found = self.cache.get(key)
        if found is None:
            found = self.cache[key] = self._search(key, trigrams, content_words)
        return found

    def _search(self, ids: tuple[int, ...], trigrams: dict[tuple[int, ...], list[int]],
                content_words: dict[int, list[int]]) -> list[Window]:
        """The windows of the passage from the first places of its common keys, or where it stands whole."""
        n = len(ids)
        votes = diagonal_votes(trigrams, self.common_trigrams, weight=3)
        diagonal_votes(content_words, self.common_words, votes=votes)
        best = sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))[:COMMON_OCCURRENCES]
        whole = [(source, at) for (source, at), _ in best
                 if at >= 0 and tuple(self.sources[source][at:at + n]) == ids][:CANDIDATE_WINDOWS]
        if not whole and all(t in self.trigram_hits or t in self.common_trigrams for t in trigrams):
            whole = self.finder.occurrences(ids, CANDIDATE_WINDOWS)
        if whole:
            return [Window(source, at, at + n, votes.get((source, at), 0)) for source, at in sorted(whole)]
        return _windows(ranked_diagonals(votes, n, CANDIDATE_WINDOWS), self.sources)


def _windows(stretches: Sequence[Stretch], sources: Sequence[Sequence[int]]) -> list[Window]:
    """The stretches as windows, cut at the end of their source; empty ones left out."""
    windows = [Window(s.source, s.lo, min(len(sources[s.source]), s.hi), s.votes) for s in stretches]
    return [w for w in windows if w.hi > w.lo]




def _edge_ops(edge: Sequence[int], part: Sequence[int], edge_start: int, part_start: int) -> list[Opcode]:
    """Word edits from passage words `edge` (at passage position `edge_start`) to source words
    `part` (at window position `part_start`)."""
    return [Opcode(op.tag, op.src_start + edge_start, op.src_end + edge_start, op.dest_start + part_start,
                   op.dest_end + part_start)
            for op in Levenshtein.opcodes(edge, part)] if edge or part else []


def _letters_match(edge_text: str, part: Sequence[int], words: Sequence[str], k: int) -> tuple[bool, bool]:
    """Whether source words `part` spell a short edge's letters (`edge_text`, its `k` words run
    together) with their words split or joined otherwise, and whether they are a slip of them."""
    if not edge_text or not 0 < len(part) <= 2:
        return False, False
    part_text = "".join(words[x] for x in part)
    return len(part) != k and part_text == edge_text, is_slip(edge_text, part_text)


def _edge_take(edge: Sequence[int], avail: Sequence[int], words: Sequence[str], stops: Sequence[bool], *,
               leading: bool) -> int:
    """How many source words next to the matched core an unmatched edge of the passage covers.

    `stops[r]` tells whether a sentence ends between `avail[r]` and the core. Preferred, in
    order: the same words in another order (a transposition); the same letters with a word split
    or two run together (`Fourscore` at a quotation's start for `Four score`, not for `score`
    alone with `Four` left out of the source span); the most content words matched
    (`great war` for `great battle-field of that war` drops three words rather than change
    `war`); not reaching across the end of a sentence for nothing better; the most words matched;
    the fewest word edits; a slip of the same word (`pi er` for `pier`); as many source words as the edge has
    (a changed edge word is a substitution); the fewest source words.
    """
    best_key: tuple[int, ...] | None = None
    best = 0
    k = len(edge)
    edge_count = Counter(edge)
    edge_text = "".join(words[x] for x in edge) if k <= 2 else ""
    part_count: Counter[int] = Counter()
    common = content = 0
    for m in range(0, min(len(avail), k + EDGE_SLACK) + 1):
        if m:
            x = avail[len(avail) - m] if leading else avail[m - 1]
            part_count[x] += 1
            if part_count[x] <= edge_count.get(x, 0):
                common += 1
                content += words[x] not in STOPWORDS
        part = avail[len(avail) - m:] if leading else avail[:m]
        anagram = m == k and k > 1 and common == k
        cost = Levenshtein.distance(edge, part)
        in_order = (k + m - Indel.distance(edge, part)) // 2  # words matched in the same order
        same_letters, slip = _letters_match(edge_text, part, words, k)
        crosses = stops[len(avail) - m] if leading and m else (stops[m - 1] if m else False)
        key = (not anagram, not same_letters, -content, crosses, -(content + in_order), cost, not slip, abs(m - k),
               m)
        if best_key is None or key < best_key:
            best_key, best = key, m
    return best




def _marked_edge(edge: Sequence[int], avail: Sequence[int], *, leading: bool) -> tuple[int, int]:
    """Where edge words separated from the core by an ellipsis stand in the source.

    Returns the slice `avail[start:end]` they align with; the source words between it and the core
    are the marked omission. Fewest edits first, then the shortest omission; no match at all
    takes nothing.
    """
    k = len(edge)
    best: tuple[int, int, int, int] | None = None  # (cost, omitted, start, end)
    for inner in range(len(avail), -1, -1) if leading else range(0, len(avail) + 1):  # its end nearer the core
        for width in range(max(1, k - 2), k + 3):
            if leading:
                start, end = inner - width, inner
                omitted = len(avail) - inner
            else:
                start, end = inner, inner + width
                omitted = inner
            if start < 0 or end > len(avail):
                continue
            cost = Levenshtein.distance(edge, avail[start:end])
            if cost >= k:
                continue
            key = (cost, omitted, start, end)
            if best is None or key < best:
                best = key
    if best is None:
        return (len(avail), len(avail)) if leading else (0, 0)
    return best[2], best[3]


def fit(passage: Sequence[int], source: Sequence[int], si: int, lo: int, hi: int, words: Sequence[str], *,
        trim: bool = True, marked_gaps: frozenset[int] = frozenset(),
        sentence_end: Callable[[int], bool] | None = None, narrow: bool = True) -> Fit | None:
    """Align a passage with the window `lo..hi` of source `si` and keep the part of it the passage matches.

    One entry point for three ways of fitting: without `trim`, the whole window is the match
    (`fit_whole_window`); a window much wider than a passage without marked gaps is narrowed
    first (`fit_narrowed`, unless `narrow` is off); otherwise the alignment is trimmed to the
    passage's core and edges (`fit_trimmed`). `marked_gaps` are the passage positions before
    which an ellipsis or a bracket stands; `sentence_end(t)` tells whether a sentence of the
    source ends right after its token `t`.
    """
    if not trim:
        return fit_whole_window(passage, source, si, lo, hi)
    if narrow and not marked_gaps and hi - lo > len(passage) + 2 * EDGE_SLACK:
        return fit_narrowed(passage, source, si, lo, hi, words, sentence_end=sentence_end)
    return fit_trimmed(passage, source, si, lo, hi, words, marked_gaps=marked_gaps, sentence_end=sentence_end)


def fit_whole_window(passage: Sequence[int], source: Sequence[int], si: int, lo: int, hi: int) -> Fit | None:
    """Align a passage with the whole window, trimming nothing (a transcription against its
    whole source); None when not one word matches."""
    window = source[lo:hi]
    ops = compact(align(passage, window), passage, window)
    if not any(op.tag == "equal" for op in ops):
        return None
    equal = sum(op.i2 - op.i1 for op in ops if op.tag == "equal")
    return Fit(si, lo, hi, tuple(ops), equal, 2 * equal / (len(passage) + len(window)))


def fit_narrowed(passage: Sequence[int], source: Sequence[int], si: int, lo: int, hi: int, words: Sequence[str], *,
                 sentence_end: Callable[[int], bool] | None = None) -> Fit | None:
    """`fit_trimmed` in the stretch of a wide window that best matches the passage as a whole.

    A phrase repeated nearby ("ask not what your country ... ask not what America") could
    otherwise pull the alignment apart: alignments of equal cost need not keep the words
    together. A passage that leaves out whole sentences may need the wide window after all: the
    better of the two fits is kept (the narrow one on a tie).
    """
    where = fuzz.partial_ratio_alignment(passage, source[lo:hi])
    if where is None:
        return fit_trimmed(passage, source, si, lo, hi, words, sentence_end=sentence_end)
    margin = len(passage) // 2 + EDGE_SLACK
    narrow_lo, narrow_hi = max(lo, lo + where.dest_start - margin), min(hi, lo + where.dest_end + margin)
    tight = fit_trimmed(passage, source, si, narrow_lo, narrow_hi, words, sentence_end=sentence_end)
    if tight is not None and tight.equal >= len(passage) - 3:
        return tight
    wide = fit_trimmed(passage, source, si, lo, hi, words, sentence_end=sentence_end)
    if wide is None or (tight is not None and (tight.equal, tight.similarity) >= (wide.equal, wide.similarity)):
        return tight
    return wide


def fit_trimmed(passage: Sequence[int], source: Sequence[int], si: int, lo: int, hi: int, words: Sequence[str], *,
                marked_gaps: frozenset[int] = frozenset(),
                sentence_end: Callable[[int], bool] | None = None) -> Fit | None:
    """Align a passage with a source window and keep the part of the window it matches.

    The match is anchored on the first and last runs of at least `SOLID_RUN` matching words (the
    core); the words of the passage before and after the core are then placed against the
    source words next to it, the fewest edits winning, so that a changed first word is a
    substitution, an added one an insertion, and a common word matched far away ("And", "It")
    is not taken for the start of the quotation. `marked_gaps` are the passage positions before
    which an ellipsis or a bracket stands: source words skipped there are expected. None when
    not one word matches.
    """
    window = source[lo:hi]
    ops = compact(align(passage, window), passage, window)
    fitting = _PassageInWindow(passage, window, lo, words, marked_gaps, sentence_end or _no_sentence_end)
    core = fitting.core(ops)
    if core is None:
        return None
    first, last = ops[core.start], ops[core.stop - 1]
    # Ops below use positions in the window; `fitting.fit` makes them relative to the match.
    lead_ops, start = fitting.extend(first.j1, 0, first.i1, leading=True)
    tail_ops, end = fitting.extend(last.j2, last.i2, len(passage), leading=False)
    return fitting.fit(si, [*lead_ops, *ops[core], *tail_ops], start, end)


def _no_sentence_end(token: int) -> bool:
    """No sentence ends anywhere (when the caller does not say where they end)."""
    return False


@dataclass(frozen=True, slots=True)
class _PassageInWindow:
    """A passage being fitted into a window of a source: what trimming its alignment reads."""

    passage: Sequence[int]
    window: Sequence[int]
    lo: int
    """Where the window starts in its source."""
    words: Sequence[str]
    """The key of each word id."""
    marked_gaps: frozenset[int]
    """Passage positions before which an ellipsis or a bracket stands."""
    ends: Callable[[int], bool]
    """Whether a sentence ends right after a token of the source (a source position)."""

    def core(self, ops: Sequence[Opcode]) -> slice | None:
        """The ops from the first to the last run of the core, None when not one word matches.

        The core's runs are the equal runs of at least `SOLID_RUN` words (or else the longest run,
        the first of equally long ones), less short runs at either end cut off from the rest
        (`is_chance_run`).
        """
        runs = [k for k, op in enumerate(ops) if op.tag == "equal"]
        if not runs:
            return None
        solid = [k for k in runs if ops[k].i2 - ops[k].i1 >= SOLID_RUN]
        if not solid:
            solid = [max(runs, key=lambda k: (ops[k].i2 - ops[k].i1, -k))]
        while len(solid) > 1:
            if self.is_chance_run(ops[solid[0]], ops[solid[1]], leading=True):
                solid.pop(0)
            elif self.is_chance_run(ops[solid[-1]], ops[solid[-2]], leading=False):
                solid.pop()
            else:
                break
        return slice(solid[0], solid[-1] + 1)

    def is_chance_run(self, outer: Opcode, inner: Opcode, *, leading: bool) -> bool:
        """Whether `outer`, the first (`leading`) or last run of the core, is a chance repetition
        ("the people" in the sentence before) rather than the start or end of the quotation: a
        short run, not next to a marked gap, cut off from its neighbour `inner` by at least three
        skipped source words across a sentence end."""
        before, after = (outer, inner) if leading else (inner, outer)
        facing = outer.i2 if leading else outer.i1  # the passage position where outer meets the rest
        skipped = (after.j1 - before.j2) - (after.i1 - before.i2)
        return (outer.i2 - outer.i1 <= SOLID_RUN and facing not in self.marked_gaps and skipped >= 3
                and self.crosses_sentence_end(before.j2 - 1, after.j1))

    def crosses_sentence_end(self, j_from: int, j_to: int) -> bool:
        """Whether a sentence ends after one of the window's words `j_from..j_to`."""
        return any(self.ends(self.lo + j) for j in range(j_from, j_to))

    def sentence_stops(self, base: int, length: int, *, leading: bool) -> list[bool]:
        """For each of `length` source words from source position `base`, next to the core (before
        it when `leading`, after it otherwise): whether a sentence ends between it and the core."""
        stops = [False] * length
        seen = False
        for r in range(length - 1, -1, -1) if leading else range(length):
            seen = seen or self.ends(base + r if leading else base + r - 1)
            stops[r] = seen
        return stops

    def extend(self, anchor: int, start: int, end: int, *, leading: bool) -> tuple[list[Opcode], int]:
        """Place the passage words `start..end` outside the core against the window words next to
        it, from the core outward, one segment between marked gaps at a time.

        `anchor` is the window position where the core begins (`leading`) or ends. Returns the
        ops of those words, in order, and the window position where the match then begins or ends.
        """
        cuts = sorted({start, end, *(g for g in self.marked_gaps if start < g < end)})
        segments = list(zip(cuts, cuts[1:], strict=False))
        ops: list[Opcode] = []
        for seg_start, seg_end in reversed(segments) if leading else segments:
            if (seg_end if leading else seg_start) in self.marked_gaps:  # an ellipsis on the core's side
                placed, anchor = self.place_beyond_gap(seg_start, seg_end, anchor, leading=leading)
            else:
                placed, anchor = self.place_edge(seg_start, seg_end, anchor, leading=leading)
            ops = placed + ops if leading else ops + placed
        return ops, anchor

    def place_edge(self, start: int, end: int, anchor: int, *, leading: bool) -> tuple[list[Opcode], int]:
        """Ops of the passage words `start..end` against the window words right next to `anchor`
        (before it when `leading`), as many as `_edge_take` chooses, and the new anchor."""
        edge = self.passage[start:end]
        reach = len(edge) + EDGE_SLACK
        avail_lo = max(0, anchor - reach) if leading else anchor
        avail = self.window[avail_lo:anchor] if leading else self.window[anchor:anchor + reach]
        stops = self.sentence_stops(self.lo + avail_lo, len(avail), leading=leading)
        take = _edge_take(edge, avail, self.words, stops, leading=leading)
        match_lo, match_hi = (anchor - take, anchor) if leading else (anchor, anchor + take)
        return _edge_ops(edge, self.window[match_lo:match_hi], start, match_lo), match_lo if leading else match_hi

    def place_beyond_gap(self, start: int, end: int, anchor: int, *, leading: bool) -> tuple[list[Opcode], int]:
        """Ops of the passage words `start..end`, separated from `anchor` by an ellipsis, against
        the window words within `ELLIPSIS_REACH` of it (`_marked_edge`), the skipped source words
        an omission at the ellipsis; and the new anchor."""
        edge = self.passage[start:end]
        base = max(0, anchor - ELLIPSIS_REACH) if leading else anchor
        nearby = self.window[base:anchor] if leading else self.window[anchor:anchor + ELLIPSIS_REACH]
        found_lo, found_hi = _marked_edge(edge, nearby, leading=leading)
        match_lo, match_hi = base + found_lo, base + found_hi
        ops = _edge_ops(edge, self.window[match_lo:match_hi], start, match_lo)
        gap = end if leading else start
        omitted_lo, omitted_hi = (match_hi, anchor) if leading else (anchor, match_lo)
        omission = [Opcode("insert", gap, gap, omitted_lo, omitted_hi)] if omitted_hi > omitted_lo else []
        if leading:
            return ops + omission, match_lo
        return omission + ops, match_hi

    def fit(self, si: int, ops: Sequence[Opcode], start: int, end: int) -> Fit:
        """The fit of the passage with the window words `start..end`, from `ops` in window positions.

        Source words left out at an ellipsis are declared by the quotation: they do not count
        against its similarity.
        """
        matched = self.window[start:end]
        relative = compact([Opcode(op.tag, op.i1, op.i2, op.j1 - start, op.j2 - start) for op in ops],
                           self.passage, matched)
        if self.marked_gaps:
            relative = gaps_to_marks(relative, self.passage, matched, self.marked_gaps)
        equal = sum(op.i2 - op.i1 for op in relative if op.tag == "equal")
        declared = sum(op.j2 - op.j1 for op in relative if op.i1 == op.i2 and op.i1 in self.marked_gaps)
        similarity = 2 * equal / (len(self.passage) + (end - start) - declared)
        return Fit(si, self.lo + start, self.lo + end, tuple(relative), equal, min(1.0, similarity))


def best_fit(passage: Sequence[int], sources: Sequence[Sequence[int]], windows: Sequence[Window],
             words: Sequence[str], *, marked_gaps: frozenset[int] = frozenset(),
             sentence_end: Callable[[int, int], bool] | None = None) -> Fit | None:
    """The best verified match among the candidate windows (ties: earlier source, earlier place)."""
    best: Fit | None = None
    for window in windows:
        ends = (lambda t, si=window.source: sentence_end(si, t)) if sentence_end is not None else None
        found = fit(passage, sources[window.source], window.source, window.lo, window.hi, words,
                    marked_gaps=marked_gaps, sentence_end=ends)
        if found is None:
            continue
        if best is None or (found.equal, found.similarity) > (best.equal, best.similarity):
            best = found
    return best


def content_ids(vocab: Vocabulary) -> frozenset[int]:
    """Ids of the words that are not stop words, for candidate votes of single words."""
    return frozenset(v for k, v in vocab.ids.items() if k not in STOPWORDS and len(k) > 2)
