"""The comparison as one function: load → extract → reuse → locate → align → classify → Report."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from provenance.align import Opcode
from provenance.classify import PassageComparer, hidden_findings, misattribution, source_names, verdict_of
from provenance.errors import UsageError
from provenance.extract import extract_passages, markup_positions, passage_words, whole_passage
from provenance.locate import Fit, Vocabulary, best_fit, candidate_windows, content_ids, fit
from provenance.metrics import transcription_metrics
from provenance.model import (
    Finding,
    FindingType,
    Markup,
    Match,
    Passage,
    PassageKind,
    PassageResult,
    Report,
    Span,
    TextInfo,
    Verdict,
)
from provenance.paraphrase import STOPWORDS, SentenceIndex
from provenance.reuse import find_reuse
from provenance.taxonomy import severity_of
from provenance.text import DEFAULT_MAX_BYTES, Text, load_text

MATCH_MIN = 0.5
"""Least similarity (Dice over words, in order) for a passage to count as quoting a source span."""
MIN_MATCHED_WORDS = 2
"""Least number of matching words; inline quotations of fewer words are not checked at all."""
PARAPHRASE_SUBSTITUTED = 0.3
"""A matched quotation with at least this share of its words substituted or added, spread over
at least `PARAPHRASE_CHANGES` places, is the source reworded: a paraphrase, not an altered quote."""
PARAPHRASE_CHANGES = 3
MIN_QUOTE_WORDS = 3
"""Quotations shorter than this that no source has are scare quotes or terms, not quotations:
they are left out of the report rather than reported as unsourced."""


def _info(text: Text, id: str) -> TextInfo:
    return TextInfo(id=id, path=text.path, sha256=text.sha256, chars=len(text.original), encoding=text.encoding)


def _unique_ids(texts: Sequence[Text]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for t in texts:
        base = t.id or "source"
        k = seen.get(base, 0)
        seen[base] = k + 1
        out.append(base if k == 0 else f"{base}-{k + 1}")
    return out


def _passage_tokens(doc: Text, passage: Passage) -> list[int]:
    """Indices of the document words a passage is compared on (words inside markup left out)."""
    return passage_words(doc, passage)


_SENTENCE_END_RE = re.compile(r"[.!?]|\n[ \t]*\n")
_PRONOUNS = ("i", "we", "you", "he", "she", "it", "they", "this", "that", "these", "those", "him", "her",
             "them", "us", "me", "his", "its", "their", "our", "my", "your")
BRACKET_REACH = 4
"""Most source words a bracket at a passage's edge may stand for."""


def _bracket_edges(best: Fit, doc: Text, passage: Passage, idx: Sequence[int], src: Sequence[int],
                   ids: dict[str, int]) -> Fit:
    """Widen a match over the source words that a bracket at the passage's edge stands for.

    `[The council] will not close` quotes `The council will not close`: the bracket's own words
    say which source words it replaces. Without a shared word, the bracket is an insertion.
    """
    if not idx:
        return best
    first, last = doc.tokens.starts[idx[0]], doc.tokens.ends[idx[-1]]
    lead = [m for m in passage.markup if m.kind == "bracket" and m.span.end <= first]
    tail = [m for m in passage.markup if m.kind == "bracket" and m.span.start >= last]

    pronouns = {ids[w] for w in _PRONOUNS if w in ids}

    def bracket_ids(m: Markup) -> tuple[set[int], set[int]]:
        keys = [doc.tokens.keys[t] for t in doc.tokens.within(m.span.start, m.span.end)]
        every = {ids[k] for k in keys if k in ids}
        return every, {ids[k] for k in keys if k in ids and k not in STOPWORDS}

    lo, hi = best.lo, best.hi
    if lead:
        every, content = bracket_ids(lead[-1])
        near = [src[best.lo - k] for k in range(1, BRACKET_REACH + 1) if best.lo - k >= 0]
        if any(x in content for x in near):
            k = max(k for k, x in enumerate(near, 1) if x in every)
            lo = best.lo - k
        elif near and near[0] in pronouns and passage.markup[0].kind == "bracket" \
                and not doc.original[passage.span.start:lead[-1].span.start].strip():
            lo = best.lo - 1  # `[the coalition] will` for `we will`: a bracket names a pronoun
    if tail:
        every, content = bracket_ids(tail[0])
        near = [src[best.hi + k] for k in range(BRACKET_REACH) if best.hi + k < len(src)]
        if any(x in content for x in near):
            hi = best.hi + max(k for k, x in enumerate(near, 1) if x in every)
    if (lo, hi) == (best.lo, best.hi):
        return best
    shift = best.lo - lo
    n = len(idx)
    ops = [Opcode("insert", 0, 0, 0, shift)] if shift else []
    ops += [Opcode(op.tag, op.i1, op.i2, op.j1 + shift, op.j2 + shift) for op in best.ops]
    if hi > best.hi:
        end = best.hi - lo
        ops.append(Opcode("insert", n, n, end, end + hi - best.hi))
    return Fit(best.source, lo, hi, tuple(ops), best.equal, best.similarity)


def _marked_gaps(doc: Text, passage: Passage, idx: Sequence[int]) -> frozenset[int]:
    """Passage word positions before which an ellipsis or a bracket stands."""
    return frozenset(k for k, _ in markup_positions([doc.tokens.starts[t] for t in idx], passage.markup))


def _src_span(src: Text, lo: int, hi: int, doc: Text, passage: Passage, doc_idx: Sequence[int],
              whole: bool) -> Span:
    """Character span of source tokens lo..hi, widened over punctuation the passage also has."""
    s = src.original
    if whole:
        start = len(s) - len(s.lstrip())
        end = len(s.rstrip())
        return Span(start, max(start, end))
    start = src.tokens.starts[lo] if hi > lo else (src.tokens.ends[lo - 1] if lo else 0)
    end = src.tokens.ends[hi - 1] if hi > lo else start
    d = doc.original
    lead = d[passage.span.start:doc.tokens.starts[doc_idx[0]]] if doc_idx else ""
    tail = d[doc.tokens.ends[doc_idx[-1]]:passage.span.end] if doc_idx else ""
    k = 0
    while k < len(lead) and start - k - 1 >= 0 and not s[start - k - 1].isspace() and not s[start - k - 1].isalnum():
        k += 1
    start -= k if lead else 0
    k = 0
    while end + k < len(s) and not s[end + k].isspace() and not s[end + k].isalnum() and k < len(tail):
        k += 1
    end += k if tail else 0
    return Span(start, end)


def compare_texts(document: Text, sources: Sequence[Text], *, whole: bool = False,
                  find_unmarked: bool = True) -> Report:
    """Compare a loaded document with loaded sources; the library's main entry point.

    With no source at all (a scan whose index has no candidate for the document), every
    quotation is unsourced; `compare` and the command line still ask for a source.
    """
    if not sources and whole:
        raise UsageError("no source given: name at least one with --source")
    ids = _unique_ids(sources)
    vocab = Vocabulary()
    doc_ids = vocab.encode(document.tokens.keys)
    src_ids = [vocab.encode(s.tokens.keys) for s in sources]
    if whole:
        passages = [whole_passage(document)]
    else:
        passages = extract_passages(document)
        if find_unmarked:
            reused = find_reuse(document, doc_ids, src_ids, [p.span for p in passages])
            passages = sorted([*passages, *reused], key=lambda p: (p.span.start, p.span.end))
    token_lists = [_passage_tokens(document, p) for p in passages]
    passage_ids = [[doc_ids[t] for t in idx] for idx in token_lists]
    windows = candidate_windows(
        [ids for ids, p in zip(passage_ids, passages, strict=False) if p.kind is not PassageKind.WHOLE],
        src_ids, content=content_ids(vocab))
    window_iter = iter(windows)
    sentences: SentenceIndex | None = None

    def ends_sentence(si: int, t: int) -> bool:
        """Whether a sentence ends right after token t of source si."""
        toks = sources[si].tokens
        if t < 0 or t + 1 >= len(toks):
            return True
        return _SENTENCE_END_RE.search(sources[si].original, toks.ends[t], toks.starts[t + 1]) is not None

    names = [source_names(s) for s in sources]
    results: list[PassageResult] = []
    for passage, idx, pids in zip(passages, token_lists, passage_ids, strict=True):
        cands = next(window_iter) if passage.kind is not PassageKind.WHOLE else []
        gaps = _marked_gaps(document, passage, idx)
        best: Fit | None
        if passage.kind is PassageKind.WHOLE:
            best = fit(pids, src_ids[0], 0, 0, len(src_ids[0]), vocab.words, trim=False)
        elif passage.kind is PassageKind.PASSAGE and passage.source_hint is not None:
            si = passage.source_hint
            hinted = [w for w in cands if w.source == si] or cands
            best = best_fit(pids, src_ids, hinted, vocab.words, marked_gaps=gaps, sentence_end=ends_sentence)
        else:
            best = best_fit(pids, src_ids, cands, vocab.words, marked_gaps=gaps, sentence_end=ends_sentence)
        if best is not None and passage.kind is not PassageKind.WHOLE:
            best = _bracket_edges(best, document, passage, idx, src_ids[best.source], vocab.ids)
        text = document.original[passage.span.start:passage.span.end]
        if passage.kind is PassageKind.INLINE and len(pids) < MIN_MATCHED_WORDS:
            continue  # a one-word quotation is a term or a scare quote, not a quotation to check
        matched = (best is not None and best.equal >= min(MIN_MATCHED_WORDS, len(pids))
                   and (best.similarity >= MATCH_MIN or passage.kind is PassageKind.WHOLE))
        if matched and best is not None:
            src = sources[best.source]
            src_span = _src_span(src, best.lo, best.hi, document, passage, idx, whole)
            comparer = PassageComparer(document, src, idx, best.lo, passage.markup, passage.span, src_span)
            findings = comparer.compare(list(best.ops))
            match = Match(best.source, src_span, round(best.similarity, 4), src.original[src_span.start:src_span.end])
            if not whole and _reworded(findings, len(pids)):
                results.append(_single_finding(FindingType.PARAPHRASE, passage, text, document, src, match,
                                               "the source reworded in many places, presented as a quotation"))
                continue
            wrong = misattribution(passage.attribution, passage.attribution_span, document, best.source, sources,
                                   names, ids)
            if wrong is not None:
                findings = sorted([*findings, wrong], key=lambda f: f.doc_span.start if f.doc_span is not None else 0)
            results.append(PassageResult("", passage, text, match, verdict_of(findings), tuple(findings)))
            continue
        # No word-for-word match: a paraphrase of a source, or unsourced.
        if sentences is None:
            sentences = SentenceIndex(sources)
        para = sentences.find([document.tokens.keys[t] for t in idx]) if len(idx) >= MIN_QUOTE_WORDS else None
        if para is not None and passage.kind is not PassageKind.PASSAGE:
            src = sources[para.source]
            src_span = Span(src.tokens.starts[para.lo], src.tokens.ends[para.hi - 1])
            match = Match(para.source, src_span, _dice([document.tokens.keys[t] for t in idx],
                                                       src.tokens.keys[para.lo:para.hi]),
                          src.original[src_span.start:src_span.end])
            results.append(_single_finding(
                FindingType.PARAPHRASE, passage, text, document, src, match,
                f"the source's content in other words (shares {', '.join(para.shared[:8])}), "
                "presented as a quotation"))
            continue
        if passage.kind is PassageKind.INLINE and len(pids) < MIN_QUOTE_WORDS:
            continue
        if passage.kind is PassageKind.PASSAGE:
            continue
        results.append(_single_finding(FindingType.UNSOURCED, passage, text, document, None, None,
                                       "no source supports this quotation"))
    # Number passages in document order, left-out ones leaving no gap.
    renumbered = tuple(
        PassageResult(f"p{k}", r.passage, r.text, r.match, r.verdict, r.findings) for k, r in enumerate(results, 1)
    )
    doc_info = _info(document, document.id)
    src_infos = tuple(_info(s, i) for i, s in zip(ids, sources, strict=True))
    line_starts = {"document": document.line_starts, **{i: s.line_starts for i, s in zip(ids, sources, strict=False)}}
    metrics = transcription_metrics(sources[0].original, document.original, reference_id=ids[0]) if whole else None
    return Report(doc_info, src_infos, renumbered, line_starts, metrics)


def _dice(a: Sequence[str], b: Sequence[str]) -> float:
    """Share of words two texts have in common (Dice coefficient over word counts)."""
    common = sum((Counter(a) & Counter(b)).values())
    return round(2 * common / max(1, len(a) + len(b)), 4)


def _reworded(findings: Sequence[Finding], n_words: int) -> bool:
    """Whether a matched quotation changes so many of its words, in so many places, that it is
    the source reworded rather than quoted with a few alterations."""
    wording = (FindingType.SUBSTITUTION, FindingType.SILENT_INSERTION, FindingType.SILENT_OMISSION)
    changes = [f for f in findings if f.type in wording]
    words = sum(len(f.doc_text.split()) for f in changes)
    return len(changes) >= PARAPHRASE_CHANGES and words >= PARAPHRASE_SUBSTITUTED * max(1, n_words)


def _single_finding(kind: FindingType, passage: Passage, text: str, document: Text, src: Text | None,
                    match: Match | None, message: str) -> PassageResult:
    """A passage judged as a whole (paraphrase, unsourced): one finding, plus its hidden characters."""
    src_text = src.original[match.span.start:match.span.end] if src is not None and match is not None else ""
    finding = Finding(kind, severity_of(kind), passage.span, match.span if match is not None else None, text,
                      src_text, message)
    extra = hidden_findings(document.original, passage.span, None, [])
    ordered = sorted((finding, *extra), key=lambda f: (f.doc_span.start if f.doc_span is not None else 0,
                                                       f.type is not kind))
    verdict = Verdict.PARAPHRASE if kind is FindingType.PARAPHRASE else Verdict.UNSOURCED
    return PassageResult("", passage, text, match, verdict, tuple(ordered))


def compare(document: str | Path, sources: Sequence[str | Path], *, whole: bool = False,
            find_unmarked: bool = True, max_bytes: int = DEFAULT_MAX_BYTES) -> Report:
    """Compare a document file with source files and return the report."""
    if not sources:
        raise UsageError("no source given: name at least one with --source")
    doc = load_text(document, id="document", role="document", max_bytes=max_bytes)
    srcs = [load_text(s, role="source", max_bytes=max_bytes) for s in sources]
    return compare_texts(doc, srcs, whole=whole, find_unmarked=find_unmarked)
