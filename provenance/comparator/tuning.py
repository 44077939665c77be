"""The comparator's tuning constants, in one place, named for what they decide.

Every threshold that changes which passages are found, where they are placed in a source and how
they are judged is here, with the reason for its value. Changing one changes findings: rerun the
evaluation (`python ../shared/eval/score.py`) and the main job, whose reports are committed.
Limits that only bound work on hostile input say so.
"""

from __future__ import annotations

# -- finding quotations (extract) ----------------------------------------------------------------

MAX_NESTING = 8
"""Deepest nesting of quotations a closing mark is matched across: real text nests two or three
deep; a run of thousands of opening marks is not quotation, and must not cost time squared."""

# -- judging a located quotation (pipeline) ------------------------------------------------------

MIN_SIMILARITY = 0.5
"""Least similarity (Dice over words, in order) for a passage to count as quoting a source span."""

MIN_MATCHED_WORDS = 2
"""Least number of matching words; inline quotations of fewer words are not checked at all."""

REWORDED_SHARE = 0.3
"""A matched quotation with at least this share of its words substituted or added, spread over at
least `REWORDED_PLACES` places, is the source reworded: a paraphrase, not an altered quotation."""

REWORDED_PLACES = 3
"""See `REWORDED_SHARE`: one or two changed places make an altered quotation, not a paraphrase."""

MIN_QUOTE_WORDS = 3
"""Quotations shorter than this that no source has are scare quotes or terms, not quotations: they
are left out of the report rather than reported as unsourced."""

BRACKET_REACH = 4
"""Most source words a bracket at a passage's edge may stand for."""

TRANSPOSITION_REACH = 3
"""Most words an out-of-order word may travel and still count as a transposition."""

# -- locating a passage in the sources (locate, ngrams, index) -----------------------------------

CANDIDATE_NGRAM = 3
"""Words per n-gram of the candidate search, in memory and in the index (trigrams: long enough to
be rare, short enough that a quotation with an edit every few words keeps some intact)."""

COMMON_NGRAM_LIMIT = 64
"""An n-gram or word found more often than this in the sources votes for nothing: it says nothing
about where a passage stands, and its positions would cost time."""

COMMON_OCCURRENCES = 16
"""When every n-gram a passage shares with the sources is too common to vote (a sentence repeated
in its source), the first places of those n-grams vote instead, and this many of the best
diagonals are checked for the passage word for word. This bounds work on such sources, where a
sentence may stand thousands of times; it does not change what is found elsewhere."""

CANDIDATE_WINDOWS = 4
"""How many source windows per passage are verified by alignment."""

EDGE_SLACK = 8
"""Extra source words considered beyond a passage's unmatched edge words."""

SOLID_RUN = 3
"""Equal runs of at least this many words anchor a match; shorter ones at the edges may be chance."""

ELLIPSIS_REACH = 80
"""Most source words an ellipsis inside a passage may stand for."""

REUSE_VOTES = 5
"""Index hits on one diagonal of a source that make it a candidate for unmarked copying (reuse
needs `MIN_REUSE_WORDS` copied words, that is 10 intact trigrams without edits)."""

# -- passages copied without quotation marks (reuse) ---------------------------------------------

REUSE_NGRAM = 4
"""Words per n-gram that document and source must share for copying to be suspected."""

MIN_REUSE_WORDS = 12
"""Least words a chain of shared n-grams must cover to be a copied passage: set phrases ("the
United States of America") run to 4-6 words, a copied sentence is almost always longer."""

REUSE_DOCUMENT_GAP = 12
"""Most document words between two hits of one chain (an insertion, a bracket's words)."""

REUSE_SOURCE_GAP = 60
"""Most source words between two hits of one chain (a silently dropped sentence)."""

REUSE_COMMON_LIMIT = 8
"""An n-gram found more often than this in either text is too common to anchor a copied passage."""

MIN_SPLICE_PART_WORDS = 6
"""Least words a chain must cover to be a part of a spliced excerpt (`reuse.join_splices`): a short
sentence joined to a copied one (`... of the Empire of Japan. We will gain the inevitable
triumph, so help us God.`); alone, a chain this short is not reuse."""

LEAD_WORDS = 6
"""Most words before its first shared n-gram that an unmarked passage's start may move back over
(`reuse._with_lead`): the first words of a copied sentence, one of them changed."""

CUT_SENTENCE_WORDS = 3
"""Most source words an unmarked excerpt may leave off the end of its last sentence and have them
reported as a silent omission (`pipeline.cut_sentence`); an excerpt that stops farther from the
sentence's end stops where it means to."""

SPLICE_DOCUMENT_GAP = 2
"""Most document words between two chains joined as one excerpt: the words changed at the seam."""

# -- paraphrase of a quotation that aligns with nothing (paraphrase) -----------------------------

PARAPHRASE_SCORE = 0.7
"""Least score (content-word F-measure plus share of all words) for a source sentence to be the
one a quotation paraphrases."""

MIN_SHARED_CONTENT = 2
"""Least number of content words a paraphrase shares with its source sentence."""

PARAPHRASE_COMMON_LIMIT = 64
"""A content stem found in more source sentences than this (a sentence repeated in its source)
only scores the sentences rarer stems found and its own first ones: this bounds the work per
quotation; real sources have no stem in nearly that many sentences of one comparison."""

LONG_SENTENCE = 400
"""Longest source sentence searched for a paraphrase as one unit; longer ones (a text without
sentence ends, one phrase repeated) are cut into overlapping pieces of this many words, so that a
quotation's search does not grow with the sentence. Real sentences are far shorter."""

# -- aligning long texts (align) ------------------------------------------------------------------

DIRECT_LIMIT = 4_000_000
"""Largest product of the two lengths aligned in one rapidfuzz call (exact, quadratic); longer
pairs are first cut at anchors. This bounds time and memory, not what is found."""

ANCHOR_NGRAM = 5
"""Length of the word n-grams, found once on each side, used as anchors in long alignments."""

BAND_LENGTH = 2000
"""Chunk length of the diagonal alignment used where no anchor can be found."""

MEANING_PARAPHRASE = 0.64
"""Least cosine of meaning (all-MiniLM-L6-v2 sentence vectors) for the nearest source unit to be the
one a quotation paraphrases, whatever words they share (benchmarks/paraphrase/README.md)."""

MEANING_LEXICAL = 0.6
"""Least cosine of meaning for the sentence the lexical test found to be the one a quotation
paraphrases: below it the quotation shares the sentence's words but says something else."""

CLAUSE_SPLIT_WORDS = 20
"""A source unit longer than this is also compared by meaning clause by clause (runs of its comma,
colon and dash clauses)."""

CLAUSE_RUN = 3
"""Most consecutive clauses of a long unit compared as one."""

MEANING_ALL_UNITS = 1000
"""A comparison with at most this many source units compares each unmatched quotation with all of
them by meaning; a larger one only with the units of its lexical candidates and of the sentences
nearest it by static vectors. Encoding costs about 6 ms a unit on two cores, so a comparison of
4,000 units would spend some 23 s on its first unmatched quotation. The largest comparison in the
scorer's sets has 544 units, and taking the candidates path in all of them changes no score
(docs/benchmarks.md)."""

MEANING_CANDIDATES = 8
"""How many lexical candidate sentences a quotation is compared with by meaning in a large comparison."""

MEANING_NEAREST = 10
"""How many sentences nearest a quotation by static vectors (`provenance.meaning.recruiting_encoder`)
it is compared with by meaning in a large comparison, besides its lexical candidates; also how many
units nearest it by the index's vectors a scan looks at to recruit sources."""

RECRUIT_MEANING = 0.45
"""Least cosine of meaning (the decision model's) between a quotation and a unit of a source outside
a scan's comparison, among the units nearest the quotation by the index's vectors, for that source
to join the comparison. Below the least cosine the decision accepts (`MEANING_LEXICAL`), with room for a
clause of a long unit scoring higher than the whole unit."""

SPLICED_PENALTY = 0.35
"""How much the share of a quotation's content words found in other sentences of the source, and
not in the one it is compared with, lowers its cosine of meaning (`by_meaning.MeaningIndex.support`)."""

MEANING_SHORT_WORDS = 8
"""A quotation of fewer words than this needs `MEANING_SHORT_MARGIN` more cosine to be found a
paraphrase by meaning alone: the sentence vectors of a few words scatter more."""

MEANING_SHORT_MARGIN = 0.08
"""How much more cosine a short quotation needs (see `MEANING_SHORT_WORDS`)."""

MEANING_MAX_WORDS = 120
"""Longest source unit compared by meaning (the model reads 256 tokens at most); a longer one, a
piece of a text without sentence ends, is left to the lexical test."""
