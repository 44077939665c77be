"""The phases of reuse detection, each on its own: eligible words, n-grams, hits, chains, passages."""

from __future__ import annotations

from provenance.comparator.locate import Vocabulary
from provenance.comparator.reuse import (
    Chain,
    EligibleWords,
    chain_hits,
    choose_chains,
    copied_passage,
    document_ngrams,
    eligible_words,
    shared_hits,
)
from provenance.comparator.tuning import MIN_REUSE_WORDS, REUSE_DOCUMENT_GAP, REUSE_NGRAM
from provenance.model import PassageKind, Span
from provenance.text import make_text


def test_eligible_words_leave_out_quotations_and_brackets_and_cut_at_quotations() -> None:
    doc = make_text('one two "three four" five [six] seven')
    ids = Vocabulary().encode(doc.tokens.keys)
    quoted = Span(doc.original.index("three"), doc.original.index('" five'))
    eligible = eligible_words(doc, ids, [quoted])
    assert [doc.tokens.keys[t] for t in eligible.tokens] == ["one", "two", "five", "seven"]
    assert eligible.ids == [ids[t] for t in eligible.tokens]
    # the quotation cuts between "two" and "five"; the bracket does not cut
    assert eligible.cuts_before == [0, 0, 0, 1, 1]


def test_document_ngrams_do_not_run_across_a_cut() -> None:
    eligible = EligibleWords(tokens=list(range(6)), ids=[1, 2, 3, 4, 5, 6], cuts_before=[0, 0, 0, 0, 1, 1, 1])
    grams = document_ngrams(eligible)
    assert dict(grams) == {}  # every 4-gram of these six words crosses the cut before word 3
    uncut = EligibleWords(tokens=list(range(5)), ids=[1, 2, 3, 4, 1], cuts_before=[0] * 6)
    assert dict(document_ngrams(uncut)) == {(1, 2, 3, 4): [0], (2, 3, 4, 1): [1]}


def test_shared_hits_pair_every_occurrence_and_skip_common_ngrams() -> None:
    grams = {(1, 2, 3, 4): [0, 7], (9, 9, 9, 9): [3]}
    source = [5, 1, 2, 3, 4, 6, 1, 2, 3, 4, *([9] * 20)]
    assert shared_hits(grams, source) == [(0, 1), (0, 6), (7, 1), (7, 6)]  # (9, 9, 9, 9) is too common


def test_hits_along_one_diagonal_form_one_chain_across_a_small_gap() -> None:
    hits = [(d, d + 100) for d in range(0, 10)] + [(d, d + 103) for d in range(12, 20)]
    (chain,) = chain_hits(hits, source=2)
    assert (chain.source, chain.doc_first, chain.doc_last) == (2, 0, 19)
    assert (chain.source_first, chain.source_last) == (100, 122)
    assert chain.covered == 19 + REUSE_NGRAM  # the words of 4-grams starting at 0..19, each counted once


def test_a_hit_too_far_on_starts_a_new_chain() -> None:
    far = REUSE_DOCUMENT_GAP + 1
    chains = chain_hits([(0, 0), (far, far)], source=0)
    assert [(c.doc_first, c.doc_last) for c in chains] == [(0, 0), (far, far)]


def test_choose_chains_keeps_the_longest_of_overlapping_chains_in_document_order() -> None:
    long = Chain(0, 10, 30, 0, 20, 24)
    overlapping = Chain(1, 20, 40, 0, 20, 20)
    later = Chain(1, 50, 60, 0, 10, MIN_REUSE_WORDS)
    too_short = Chain(0, 0, 5, 0, 5, MIN_REUSE_WORDS - 1)
    assert choose_chains([too_short, later, overlapping, long]) == [long, later]


def test_chain_accepts_only_hits_close_after_it() -> None:
    chain = Chain(0, 0, 10, 0, 10, 14)
    assert chain.accepts(11, 12)
    assert not chain.accepts(10 + REUSE_DOCUMENT_GAP + 1, 12)
    assert not chain.accepts(10 - REUSE_NGRAM, 12)


def test_copied_passage_takes_brackets_at_its_edges_and_closing_punctuation() -> None:
    doc = make_text("Intro.\n[Sic] alpha beta gamma delta epsilon [added].\n")
    ids = Vocabulary().encode(doc.tokens.keys)
    eligible = eligible_words(doc, ids, [])
    alpha = [doc.tokens.keys[t] for t in eligible.tokens].index("alpha")
    passage = copied_passage(doc, eligible, Chain(3, alpha, alpha + 1, 0, 1, 5))
    assert passage.kind is PassageKind.PASSAGE and passage.source_hint == 3
    assert doc.original[passage.span.start:passage.span.end] == "[Sic] alpha beta gamma delta epsilon [added]."
