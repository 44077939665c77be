"""Quotations whose every n-gram is too common to vote (issue 17): a sentence repeated in its
source more than `COMMON_NGRAM_LIMIT` times, a quotation of common words only, a source that is
one phrase repeated, two identical sources. They must still be located, at the first occurrence."""

from __future__ import annotations

import pytest

from provenance import compare_texts, make_text
from provenance.comparator.locate import Vocabulary, best_fit, candidate_windows, content_ids
from provenance.comparator.paraphrase import SentenceIndex
from provenance.comparator.tuning import COMMON_NGRAM_LIMIT
from provenance.model import Report, Verdict
from provenance.text import tokenize

SENTENCE = "The council will move its offices to the river district next spring."


def compare(document: str, *sources: str) -> Report:
    texts = [make_text(s, path=f"s{k}.txt", id=f"s{k}") for k, s in enumerate(sources)]
    return compare_texts(make_text(document, path="d.txt", id="document"), texts)


@pytest.mark.parametrize("repeats", [COMMON_NGRAM_LIMIT + 1, 200, 3000])
def test_a_verbatim_quotation_of_a_repeated_sentence_is_verbatim_at_its_first_occurrence(repeats: int) -> None:
    source = "Minutes of the meeting. " + (SENTENCE + " ") * repeats
    report = compare(f'The minutes say: "{SENTENCE}"\n', source)
    (result,) = report.passages
    assert result.verdict is Verdict.VERBATIM
    assert result.match is not None and result.match.source == 0
    start = source.index(SENTENCE)
    assert (result.match.span.start, result.match.span.end) == (start, start + len(SENTENCE))


def test_an_altered_quotation_of_a_repeated_sentence_is_an_alteration_not_a_paraphrase() -> None:
    source = (SENTENCE + " ") * 200
    report = compare('They wrote: "The council will move its offices to the lake district next spring."\n', source)
    (result,) = report.passages
    assert result.verdict not in (Verdict.PARAPHRASE, Verdict.UNSOURCED)
    assert result.match is not None and result.match.span.start == 0
    assert [(f.doc_text, f.src_text) for f in result.findings if f.type.value == "substitution"] == [
        ("lake", "river")]


def test_a_quotation_of_common_words_only_is_located() -> None:
    # every trigram of the quotation is found far more often than COMMON_NGRAM_LIMIT, in many contexts
    contexts = ["Alice", "Bob", "The mayor", "A clerk", "The board"]
    source = " ".join(f"{contexts[k % 5]} said that it was what it was. And so it went. " for k in range(150))
    report = compare('He shrugged: "it was what it was" and left.\n', source)
    (result,) = report.passages
    assert result.verdict is Verdict.VERBATIM
    assert result.match is not None and result.match.text == "it was what it was"
    assert result.match.span.start == source.index("it was what it was")


def test_a_source_that_is_one_phrase_repeated() -> None:
    source = "all work and no play " * 2000
    report = compare('The page read "no play all work and no play all work" over and over.\n', source)
    (result,) = report.passages
    assert result.verdict is Verdict.VERBATIM
    assert result.match is not None and result.match.span.start == source.index("no play")


def test_two_identical_sources_the_first_one_wins() -> None:
    source = (SENTENCE + " ") * (COMMON_NGRAM_LIMIT // 2 + 1)  # common only when both are counted
    report = compare(f'"{SENTENCE}"\n', source, source)
    (result,) = report.passages
    assert result.verdict is Verdict.VERBATIM
    assert result.match is not None and (result.match.source, result.match.span.start) == (0, 0)


def test_candidate_windows_fall_back_to_the_first_places_of_common_ngrams() -> None:
    vocab = Vocabulary()
    sources = [vocab.encode(tokenize("a b c d " * 500).keys)]
    passage = vocab.encode(tokenize("c d a b c").keys)
    (windows,) = candidate_windows([passage], sources, content=content_ids(vocab))
    assert windows and windows[0].lo <= 2 < windows[0].hi
    best = best_fit(passage, sources, windows, vocab.words)
    assert best is not None and (best.lo, best.hi, best.similarity) == (2, 7, 1.0)


def test_many_quotations_of_one_repeated_sentence_share_one_search() -> None:
    source = (SENTENCE + " ") * 1000
    document = "".join(f'Item {k}: "{SENTENCE}"\n' for k in range(300))
    report = compare(document, source)
    assert len(report.passages) == 300
    assert {r.verdict for r in report.passages} == {Verdict.VERBATIM}
    assert {r.match.span.start for r in report.passages if r.match is not None} == {0}


def test_paraphrase_search_is_unchanged_on_rare_words_and_bounded_on_common_ones() -> None:
    source = make_text("The harbour will close in May. " + "The council met and the council voted. " * 500,
                       path="s.txt", id="s")
    index = SentenceIndex([source])
    found = index.find(tokenize("in May the harbour shall close").keys)
    assert found is not None and (found.lo, found.hi) == (0, 6)
    common = index.find(tokenize("the council voted and the council met").keys)
    assert common is not None and common.lo == 6  # the first of the equal sentences


def test_paraphrase_search_work_does_not_grow_with_repetitions(monkeypatch: pytest.MonkeyPatch) -> None:
    # issue 17: every quotation walked every sentence holding one of its stems (quotations x repetitions)
    calls = 0
    weight = SentenceIndex.weight

    def counted(self: SentenceIndex, st: str) -> float:
        nonlocal calls
        calls += 1
        return weight(self, st)

    index = SentenceIndex([make_text((SENTENCE + " ") * 3000, path="s.txt", id="s")])
    monkeypatch.setattr(SentenceIndex, "weight", counted)
    found = index.find(tokenize("offices council river spring district move").keys)
    assert found is not None and found.lo == 0
    assert calls < 3000
    calls = 0
    assert index.find(tokenize("offices council river spring district move").keys) == found
    assert calls == 0  # searched once per distinct quotation


def test_a_sentence_without_end_is_searched_for_a_paraphrase_in_bounded_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    # a source that is one phrase repeated, without a full stop: one sentence of 40,000 words,
    # which every reworded quotation scanned window by window
    import provenance.comparator.paraphrase as paraphrase

    source = make_text("all work and no play makes jack a dull boy " * 4000, path="s.txt", id="s")
    index = SentenceIndex([source])
    assert max(hi - lo for _, lo, hi in index.units) <= 400  # LONG_SENTENCE
    calls = 0
    stems = paraphrase.content_stems

    def counted(keys: list[str]) -> list[str]:
        nonlocal calls
        calls += 1
        return stems(keys)

    monkeypatch.setattr(paraphrase, "content_stems", counted)
    found = index.find(tokenize("dull jack plays, working boy makes all").keys)
    assert found is not None and found.lo < 20 and set(found.shared) >= {"dull", "jack", "boy"}
    assert calls < 2000


def test_a_reworded_quotation_of_an_unpunctuated_repeated_phrase_is_a_paraphrase() -> None:
    source = "all work and no play makes jack a dull boy " * 3000
    report = compare('"dull jack has no play, working boy makes all"\n', source)
    (result,) = report.passages
    assert result.verdict is Verdict.PARAPHRASE
    assert result.match is not None and result.match.span.start < 100
