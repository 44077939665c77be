"""N-gram voting: keys, posting lists with their cap, diagonal and bucket votes, ranked stretches."""

from __future__ import annotations

from collections import Counter

from provenance.comparator.ngrams import (
    Stretch,
    bucket_votes,
    diagonal_votes,
    ngram_postings,
    ngrams,
    positions_by_key,
    ranked_diagonals,
    word_postings,
)


def test_ngrams_one_per_start_position() -> None:
    assert list(ngrams([1, 2, 3, 4], 3)) == [(1, 2, 3), (2, 3, 4)]
    assert list(ngrams([1, 2], 3)) == []
    assert list(ngrams("abc", 1)) == [("a",), ("b",), ("c",)]


def test_positions_by_key_keeps_every_position_in_order() -> None:
    assert positions_by_key(enumerate("abab")) == {"a": [0, 2], "b": [1, 3]}
    assert positions_by_key([(7, "x"), (3, "x")]) == {"x": [7, 3]}


def test_postings_in_source_and_position_order() -> None:
    sources = [[1, 2, 3, 1, 2, 3], [9, 1, 2, 3]]
    assert ngram_postings(sources, {(1, 2, 3), (5, 5, 5)}, 3, cap=10) == {(1, 2, 3): [(0, 0), (0, 3), (1, 1)]}
    assert word_postings(sources, [9, 2], cap=10) == {2: [(0, 1), (0, 4), (1, 2)], 9: [(1, 0)]}


def test_keys_found_more_often_than_the_cap_are_left_out() -> None:
    sources = [[1, 2, 1], [1, 3]]
    assert word_postings(sources, {1, 2, 3}, cap=2) == {2: [(0, 1)], 3: [(1, 1)]}  # 1 is found 3 times
    assert word_postings(sources, {1}, cap=3) == {1: [(0, 0), (0, 2), (1, 0)]}
    assert ngram_postings([[1, 2] * 3], {(1, 2)}, 2, cap=2) == {}


def test_diagonal_votes_weigh_every_query_position_with_every_posting() -> None:
    query = {"a": [0, 2], "b": [1]}
    postings = {"a": [(0, 10)], "b": [(0, 11), (1, 4)], "c": [(5, 5)]}
    assert diagonal_votes(query, postings) == Counter({(0, 10): 2, (0, 8): 1, (1, 3): 1})
    votes = diagonal_votes(query, postings, weight=3)
    assert votes == Counter({(0, 10): 6, (0, 8): 3, (1, 3): 3})
    assert diagonal_votes({"c": [0]}, postings, votes=votes) is votes
    assert votes[(5, 5)] == 1


def test_bucket_votes_count_each_hit_in_its_bucket_and_the_next() -> None:
    buckets = bucket_votes({"a": [0]}, {"a": [(2, 31), (2, 32)]}, 32)
    assert buckets == Counter({(2, 0): 1, (2, 1): 2, (2, 2): 1})


def test_ranked_diagonals_join_nearby_diagonals_and_drop_weak_clusters() -> None:
    votes = Counter({(0, 100): 5, (0, 103): 4, (1, 50): 3, (1, 500): 1})
    n = 8  # tolerance 4 + 8 // 4 = 6, reach 2 * 8 + 10 = 26
    assert ranked_diagonals(votes, n, 4) == [Stretch(0, 94, 117, 9)]  # 3 votes: less than half of 9
    votes[(1, 51)] = 2
    assert ranked_diagonals(votes, n, 4) == [Stretch(0, 94, 117, 9), Stretch(1, 44, 65, 5)]
    assert ranked_diagonals(votes, n, 1) == [Stretch(0, 94, 117, 9)]
    assert ranked_diagonals(Counter({(0, 2): 1}), n, 4) == [Stretch(0, 0, 16, 1)]  # never below 0


def test_ranked_diagonals_ties_go_to_the_earlier_source_and_place() -> None:
    votes = Counter({(1, 0): 2, (0, 900): 2, (0, 100): 2})
    assert [(s.source, s.lo) for s in ranked_diagonals(votes, 4, 4)] == [(0, 95), (0, 895), (1, 0)]
