"""Align: opcodes cover both sequences, long inputs go through anchors, runs are compacted."""

from __future__ import annotations

import random

from provenance.comparator.align import Opcode, align, compact
from provenance.comparator.tuning import DIRECT_LIMIT


def assert_valid(ops: list[Opcode], a: list[int], b: list[int]) -> None:
    i = j = 0
    for op in ops:
        assert (op.i1, op.j1) == (i, j)
        if op.tag == "equal":
            assert a[op.i1:op.i2] == b[op.j1:op.j2]
        i, j = op.i2, op.j2
    assert (i, j) == (len(a), len(b))


def test_short_sequences_align_exactly() -> None:
    a = [1, 2, 3, 4, 5, 6]
    b = [1, 2, 9, 4, 6, 7]
    ops = compact(align(a, b), a, b)
    assert_valid(ops, a, b)
    # the fewest edits, and among those the most words kept: 6 is matched, 5 dropped, 7 added
    assert sum(op.i2 - op.i1 for op in ops if op.tag == "equal") == 4


def test_long_sequences_are_anchored_and_stay_valid() -> None:
    rng = random.Random(7)
    a = [rng.randrange(3000) for _ in range(30_000)]
    b = list(a)
    for _ in range(300):
        k = rng.randrange(len(b))
        b[k] = rng.randrange(3000)
    del b[1000:1040]
    b[5000:5000] = [1, 2, 3]
    assert len(a) * len(b) > DIRECT_LIMIT
    ops = align(a, b)
    assert_valid(ops, a, b)
    matched = sum(op.i2 - op.i1 for op in ops if op.tag == "equal")
    assert matched > len(a) - 400


def test_empty_sides() -> None:
    assert align([], []) == []
    assert align([1, 2], []) == [Opcode("delete", 0, 2, 0, 0)]
    assert align([], [1]) == [Opcode("insert", 0, 0, 0, 1)]


def test_compact_makes_an_omission_one_run() -> None:
    # "among the powers of the earth the separate" against "among the the separate"
    b = [10, 1, 2, 3, 1, 4, 1, 5]  # among the powers of the earth the separate
    a = [10, 1, 1, 5]  # among the the separate
    split = [Opcode("equal", 0, 2, 0, 2), Opcode("insert", 2, 2, 2, 4), Opcode("equal", 2, 3, 4, 5),
             Opcode("insert", 3, 3, 5, 7), Opcode("equal", 3, 4, 7, 8)]
    ops = compact(split, a, b)
    assert_valid(ops, a, b)
    assert [op.tag for op in ops] == ["equal", "insert", "equal"]


def test_compact_slides_a_chance_match_at_the_start() -> None:
    b = [1, 2, 3, 7, 8, 1, 2, 3, 4, 5]  # "the united states of america ... the united states was at"
    a = [1, 2, 3, 4, 5]
    ops = compact([Opcode("equal", 0, 3, 0, 3), Opcode("insert", 3, 3, 3, 8), Opcode("equal", 3, 5, 8, 10)], a, b)
    assert ops == [Opcode("insert", 0, 0, 0, 5), Opcode("equal", 0, 5, 5, 10)]


def test_a_text_repeating_itself_has_no_anchor_and_is_aligned_along_the_diagonal() -> None:
    rng = random.Random(3)
    unit = [rng.randrange(50) for _ in range(40)]
    a = unit * 150  # every 5-gram occurs 150 times: nothing is unique
    b = list(a)
    for _ in range(100):
        del b[rng.randrange(len(b))]
    assert len(a) * len(b) > DIRECT_LIMIT
    ops = align(a, b)
    assert_valid(ops, a, b)
    assert sum(op.i2 - op.i1 for op in ops if op.tag == "equal") >= len(b) - 50


def test_compact_slides_a_chance_match_at_the_end() -> None:
    # the mirror of the start: the gap starts with the words kept after it
    a = [4, 5]
    b = [4, 5, 7, 8, 4, 5]
    ops = compact([Opcode("insert", 0, 0, 0, 4), Opcode("equal", 0, 2, 4, 6)], a, b)
    assert ops == [Opcode("equal", 0, 2, 0, 2), Opcode("insert", 2, 2, 2, 6)]
    ops = compact([Opcode("delete", 0, 4, 0, 0), Opcode("equal", 4, 6, 0, 2)], b, a)
    assert ops == [Opcode("equal", 0, 2, 0, 2), Opcode("delete", 2, 6, 2, 2)]
