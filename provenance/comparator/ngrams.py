"""N-gram candidate search: the n-gram keys, their posting lists, and the votes that pick windows.

A query (a quotation's words) and the sources share n-grams. A shared n-gram at query position
`q` and source position `p` votes for the diagonal `p - q` of that source: a quotation copied
from a source puts all its votes on one diagonal, or on a few nearby ones when words were left
out or added. The votes are counted here once, for both places that search: `locate` (n-grams of
word ids, posting lists built in memory from the sources) and `index` (hashed word trigrams,
posting lists read from SQLite). N-grams found too often in the sources vote for nothing; the
callers say how often is too often, and how long their n-grams are.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from itertools import compress, count
from operator import getitem
from typing import Any, NamedTuple, TypeVar

Key = TypeVar("Key", bound=Hashable)

Posting = tuple[int, int]
"""Where an n-gram stands in the sources: (source number, position of its first word)."""
Diagonal = tuple[int, int]
"""(source number, source position minus query position): what a shared n-gram votes for."""


class Stretch(NamedTuple):
    """A stretch of one source, in words, where a query probably stands."""

    source: int
    lo: int
    """First word of the stretch (never below 0)."""
    hi: int
    """One past its last word (it may reach past the end of the source)."""
    votes: int
    """The votes its diagonals gathered."""


def ngrams(items: Sequence[Any], n: int) -> Iterator[tuple[Any, ...]]:
    """The n-grams of `items` as tuples, one per start position, none if there are fewer than n items."""
    return zip(*(items[k:] for k in range(n)), strict=False)


def positions_by_key(numbered: Iterable[tuple[int, Key]]) -> dict[Key, list[int]]:
    """The query positions of each key, from (position, key) pairs such as `enumerate(keys)` gives."""
    positions: dict[Key, list[int]] = {}
    for position, key in numbered:
        positions.setdefault(key, []).append(position)
    return positions


def word_postings(sources: Sequence[Sequence[int]], wanted: Iterable[int], cap: int, *,
                  common: dict[int, list[Posting]] | None = None) -> dict[int, list[Posting]]:
    """Where each wanted word id stands in the sources; words found more than `cap` times are left
    out (and their first `cap + 1` postings put in `common` when given)."""
    return _collect_postings(sources, set(wanted), _same, getitem, cap, common)


def ngram_postings(sources: Sequence[Sequence[int]], wanted: Iterable[tuple[int, ...]], n: int,
                   cap: int, *, common: dict[tuple[int, ...], list[Posting]] | None = None,
                   ) -> dict[tuple[int, ...], list[Posting]]:
    """Where each wanted n-gram of word ids stands in the sources; n-grams found more than `cap`
    times are left out (and their first `cap + 1` postings put in `common` when given)."""

    def ngrams_of(ids: Sequence[int]) -> Iterator[tuple[int, ...]]:
        """Every n-gram of one source, in order."""
        return ngrams(ids, n)

    def ngram_at(ids: Sequence[int], position: int) -> tuple[int, ...]:
        """The n-gram of one source starting at `position`."""
        return tuple(ids[position:position + n])

    return _collect_postings(sources, set(wanted), ngrams_of, ngram_at, cap, common)


def _same(ids: Sequence[int]) -> Sequence[int]:
    """The word ids themselves: the keys of single words."""
    return ids


def _collect_postings(sources: Sequence[Sequence[int]], wanted: set[Key],
                      keys_of: Callable[[Sequence[int]], Iterable[Key]], key_at: Callable[[Sequence[int], int], Key],
                      cap: int, common: dict[Key, list[Posting]] | None) -> dict[Key, list[Posting]]:
    """The postings of the wanted keys in every source, in source and position order.

    `keys_of` gives a source's key at every position, `key_at` the key at one position. A key
    found more than `cap` times in all the sources together is dropped and no longer looked for;
    its first `cap + 1` postings go to `common` when given (the first places of a common key).
    """
    postings: dict[Key, list[Posting]] = {}
    for source, ids in enumerate(sources):
        # compress/map keep the scan of every source position in compiled code; `wanted` may
        # shrink during the scan, which the lazy map sees at once.
        for position in compress(count(), map(wanted.__contains__, keys_of(ids))):
            key = key_at(ids, position)
            hits = postings.setdefault(key, [])
            hits.append((source, position))
            if len(hits) > cap:  # too common to vote for anything
                del postings[key]
                wanted.discard(key)
                if common is not None:
                    common[key] = hits
    return postings


class SequenceFinder:
    """Where a sequence of word ids stands in the sources, word for word, by exact search.

    For queries whose every n-gram is too common to vote, and is found in the sources, but not
    together near their first places: each source's ids are packed once (when first searched)
    into bytes, a fixed number per id, and searched with `bytes.find`, linear and in compiled
    code. A hit at a byte offset that does not start an id is skipped.
    """

    def __init__(self, sources: Sequence[Sequence[int]]) -> None:
        self.sources = sources
        self._packed: dict[int, bytes] = {}
        self._size = array("I").itemsize

    def _haystack(self, source: int) -> bytes:
        """The ids of one source as bytes, packed the first time they are searched."""
        packed = self._packed.get(source)
        if packed is None:
            packed = self._packed[source] = array("I", self.sources[source]).tobytes()
        return packed

    def occurrences(self, ids: Sequence[int], limit: int) -> list[Posting]:
        """The first `limit` places (source, position) where `ids` stand, in source and position order."""
        found: list[Posting] = []
        if not ids or limit <= 0:
            return found
        needle, size = array("I", ids).tobytes(), self._size
        for source in range(len(self.sources)):
            haystack = self._haystack(source)
            at = haystack.find(needle)
            while at >= 0:
                if at % size == 0:
                    found.append((source, at // size))
                    if len(found) >= limit:
                        return found
                    at = haystack.find(needle, at + size)
                else:  # the bytes of two neighbouring ids: not a match
                    at = haystack.find(needle, at + 1)
        return found


def diagonal_votes(query: Mapping[Key, Sequence[int]], postings: Mapping[Key, Sequence[Posting]], *,
                   weight: int = 1, votes: Counter[Diagonal] | None = None) -> Counter[Diagonal]:
    """Votes for each (source, diagonal): every query position of a key with every posting of it
    gives `weight` votes. Added to `votes` when given (and returned)."""
    counter: Counter[Diagonal] = Counter() if votes is None else votes
    for key, query_positions in query.items():
        hits = postings.get(key)
        if not hits:
            continue
        for q in query_positions:
            if weight == 1:
                counter.update((source, position - q) for source, position in hits)
            else:  # a mapping: distinct postings give distinct diagonals, so none is lost
                counter.update({(source, position - q): weight for source, position in hits})
    return counter


def bucket_votes(query: Mapping[Key, Sequence[int]], postings: Mapping[Key, Sequence[Posting]],
                 width: int) -> Counter[Diagonal]:
    """Votes for diagonals grouped in buckets of `width`: (source, diagonal // width) gets one
    vote per shared n-gram occurrence, and so does the next bucket, so that a hit near a
    bucket's edge still meets its neighbours."""
    buckets: Counter[Diagonal] = Counter()
    for key, query_positions in query.items():
        hits = postings.get(key)
        if not hits:
            continue
        for q in query_positions:
            for source, position in hits:
                bucket = (position - q) // width
                buckets[(source, bucket)] += 1
                buckets[(source, bucket + 1)] += 1
    return buckets


def ranked_diagonals(votes: Counter[Diagonal], n: int, limit: int) -> list[Stretch]:
    """The best stretches of sources for a query of `n` words, from votes for (source, diagonal):
    best first, at most `limit`, none with less than half the best one's votes.

    Nearby diagonals of one source join one cluster: diagonals drift with every omission or
    insertion, and an ellipsis may skip a paragraph. Ties: the earlier source, the earlier place.
    """
    tol = 4 + n // 4
    reach = 2 * n + 10
    clusters: list[list[int]] = []  # [source, first diagonal, last diagonal, votes]
    for (source, diagonal) in sorted(votes):
        last = clusters[-1] if clusters else None
        if last is not None and last[0] == source and diagonal - last[2] <= reach:
            last[2] = diagonal
            last[3] += votes[(source, diagonal)]
        else:
            clusters.append([source, diagonal, diagonal, votes[(source, diagonal)]])
    ranked = sorted(clusters, key=lambda c: (-c[3], c[0], c[1]))[:limit]
    return [Stretch(source, max(0, first - tol), last + n + tol, score) for source, first, last, score in ranked
            if score * 2 >= ranked[0][3]]  # far weaker than the best: not worth aligning
