"""Locate: candidate windows from shared n-grams, verified and trimmed by alignment."""

from __future__ import annotations

from provenance.locate import Vocabulary, best_fit, candidate_windows, content_ids, fit
from provenance.text import tokenize

SOURCES = [
    "the weather was fine and the boats left the harbour early in the morning for the fishing grounds",
    "the council will not close the north harbour during the coming weeks to prepare for the spring repairs "
    "and the crews are required to take certain measures",
]


def setup(passage: str) -> tuple[Vocabulary, list[int], list[list[int]]]:
    vocab = Vocabulary()
    srcs = [vocab.encode(tokenize(s).keys) for s in SOURCES]
    return vocab, vocab.encode(tokenize(passage).keys), srcs


def test_finds_the_right_source_and_span() -> None:
    vocab, p, srcs = setup("close the north harbour during the coming weeks")
    (windows,) = candidate_windows([p], srcs, content=content_ids(vocab))
    best = best_fit(p, srcs, windows, vocab.words)
    assert best is not None and best.source == 1
    assert vocab.words[srcs[1][best.lo]] == "close"
    assert best.hi - best.lo == len(p)
    assert best.similarity == 1.0


def test_a_heavily_edited_quotation_is_still_found_by_its_words() -> None:
    vocab, p, srcs = setup("crews are asked to take some measures")
    (windows,) = candidate_windows([p], srcs, content=content_ids(vocab))
    best = best_fit(p, srcs, windows, vocab.words)
    assert best is not None and best.source == 1
    assert 0.5 < best.similarity < 1.0


def test_nothing_shared_means_no_candidate() -> None:
    vocab, p, srcs = setup("zebras juggle violins quietly")
    (windows,) = candidate_windows([p], srcs, content=content_ids(vocab))
    assert windows == []


def test_edge_words_take_the_source_words_they_stand_for() -> None:
    vocab, p, srcs = setup("north harbour during the coming weks")
    f = fit(p, srcs[1], 1, 0, len(srcs[1]), vocab.words)
    assert f is not None
    assert [vocab.words[x] for x in srcs[1][f.lo:f.hi]] == ["north", "harbour", "during", "the", "coming", "weeks"]


def test_a_chance_match_of_a_common_word_at_the_edge_is_dropped() -> None:
    vocab, p, srcs = setup("the crews are required to take certain measures")
    f = fit(p, srcs[1], 1, 0, len(srcs[1]), vocab.words)
    assert f is not None
    assert [vocab.words[x] for x in srcs[1][f.lo:f.hi]][:2] == ["the", "crews"]
