"""Locate: candidate windows from shared n-grams, verified and trimmed by alignment."""

from __future__ import annotations

from provenance.comparator.locate import (
    Vocabulary,
    best_fit,
    candidate_windows,
    content_ids,
    fit,
    fit_narrowed,
    fit_trimmed,
    fit_whole_window,
)
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


def test_an_edge_word_that_runs_two_source_words_together_takes_both() -> None:
    vocab = Vocabulary()
    src = vocab.encode(tokenize("the address four score and seven years ago our fathers brought forth").keys)
    p = vocab.encode(tokenize("fourscore and seven years ago our fathers").keys)
    f = fit(p, src, 0, 0, len(src), vocab.words)
    assert f is not None
    assert [vocab.words[x] for x in src[f.lo:f.hi]][:3] == ["four", "score", "and"]
    split = vocab.encode(tokenize("our fathers brought for th").keys)
    g = fit(split, src, 0, 0, len(src), vocab.words)
    assert g is not None and [vocab.words[x] for x in src[g.lo:g.hi]][-1] == "forth"


def test_a_chance_match_of_a_common_word_at_the_edge_is_dropped() -> None:
    vocab, p, srcs = setup("the crews are required to take certain measures")
    f = fit(p, srcs[1], 1, 0, len(srcs[1]), vocab.words)
    assert f is not None
    assert [vocab.words[x] for x in srcs[1][f.lo:f.hi]][:2] == ["the", "crews"]


def encode(vocab: Vocabulary, text: str) -> list[int]:
    return vocab.encode(text.replace("|", "").split())


def words_of(vocab: Vocabulary, ids: list[int], lo: int, hi: int) -> str:
    return " ".join(vocab.words[x] for x in ids[lo:hi])


MEETING = "and the people came home | then we spoke of many other matters at length | that government of the people " \
          "shall not perish from the earth"
MEETING_ENDS = frozenset({4, 13})  # a sentence ends after "home" and after "length" (at the bars)


def test_the_whole_window_is_the_match_when_nothing_is_trimmed() -> None:
    vocab = Vocabulary()
    src = encode(vocab, MEETING)
    p = encode(vocab, "the people came home")
    f = fit_whole_window(p, src, 0, 0, len(src))
    assert f is not None and (f.lo, f.hi, f.equal) == (0, len(src), 4)
    assert f.similarity == 2 * 4 / (len(p) + len(src))
    assert fit(p, src, 0, 0, len(src), vocab.words, trim=False) == f
    assert fit_whole_window(encode(vocab, "zebra"), src, 0, 0, len(src)) is None


def test_a_short_run_across_a_sentence_end_is_a_chance_repetition() -> None:
    vocab = Vocabulary()
    src = encode(vocab, MEETING)
    p = encode(vocab, "the people came and that government shall not perish")
    f = fit_trimmed(p, src, 0, 0, len(src), vocab.words, sentence_end=MEETING_ENDS.__contains__)
    assert f is not None and words_of(vocab, src, f.lo, f.hi) == "that government of the people shall not perish"
    # Without knowing where sentences end, the short run is kept.
    f = fit_trimmed(p, src, 0, 0, len(src), vocab.words)
    assert f is not None and words_of(vocab, src, f.lo, f.hi).startswith("the people came home then")


def test_source_words_left_out_at_an_ellipsis_are_declared() -> None:
    vocab = Vocabulary()
    src = encode(vocab, MEETING)
    p = encode(vocab, "and the people came home that government of the people")
    f = fit_trimmed(p, src, 0, 0, len(src), vocab.words, marked_gaps=frozenset({5}),
                    sentence_end=MEETING_ENDS.__contains__)
    assert f is not None and (f.lo, f.hi, f.equal, f.similarity) == (0, 19, 10, 1.0)
    assert [(op.tag, op.i1, op.i2, op.j1, op.j2) for op in f.ops] == [
        ("equal", 0, 5, 0, 5), ("insert", 5, 5, 5, 14), ("equal", 5, 10, 14, 19)]


def test_a_wide_window_is_narrowed_before_it_is_trimmed() -> None:
    vocab = Vocabulary()
    src = encode(vocab, "it is altogether fitting and proper that we should do this but in a larger sense we can "
                        "not dedicate we can not consecrate we can not hallow this ground the brave men living and "
                        "dead who struggled here have consecrated it far above our poor power to add or detract")
    p = encode(vocab, "consecrate we the can not this ground")
    narrowed = fit_narrowed(p, src, 0, 0, len(src), vocab.words)
    assert narrowed is not None and fit(p, src, 0, 0, len(src), vocab.words) == narrowed
    assert words_of(vocab, src, narrowed.lo, narrowed.hi).endswith("hallow this ground")
    trimmed = fit_trimmed(p, src, 0, 0, len(src), vocab.words)  # the repeated "we can not" pulls it apart
    assert trimmed is not None and trimmed.equal < narrowed.equal
