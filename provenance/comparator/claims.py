"""Claims: each quotation judged against what the document says about where it comes from.

After a quotation is located (first in the source it cites, then in all), its claim decides:
- found in the cited source: agreed, whatever other source also holds the words; an attribution
  cue that names someone else is then no misattribution, unless the cited source is a
  transcript whose turn holding the words is another speaker's;
- found in another given source: `misattribution`, naming the cited source and the one holding
  the words (the alterations are still those against the words found);
- found nowhere: `unsourced`, saying the cited source does not contain it;
- a citation naming no given source (`names_a_missing_source`): not compared at all (never
  matched elsewhere in silence), listed as not checked with what it cites;
- a cue or credit naming a speaker of the transcript the words were found in, where the turn
  holding them is another speaker's: `misattribution` naming both speakers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from provenance.comparator.attribution import name_words
from provenance.comparator.citations import names_a_document
from provenance.comparator.classify import verdict_of
from provenance.comparator.speakers import QUESTIONERS, Turns, label_names
from provenance.model import Claim, ClaimKind, Finding, FindingType, NotChecked, PassageResult, Span, Verdict
from provenance.taxonomy import severity_of

CITATIONS = frozenset({ClaimKind.NUMBERED, ClaimKind.FOOTNOTE, ClaimKind.LINK, ClaimKind.CITE, ClaimKind.AUTHOR_YEAR})
"""Claims that name a source (as opposed to a speaker)."""
STRICT_CITATIONS = frozenset({ClaimKind.NUMBERED, ClaimKind.FOOTNOTE, ClaimKind.AUTHOR_YEAR})
"""Citations made to name a source: one that names no given source leaves its quotation unchecked."""


def names_a_missing_source(claim: Claim) -> bool:
    """Whether a claim cites a source that was not given, so that its quotation is not checked: a
    numbered, footnote or author-year citation naming none of them, or a link or `cite=` to a
    document (a relative path, a file) that is none of them. A link to a web page may be about a
    person or a place: one naming no given source is shown, and its quotation compared with all."""
    if claim.source is not None:
        return False
    if claim.kind in STRICT_CITATIONS:
        return True
    return claim.kind in (ClaimKind.LINK, ClaimKind.CITE) and names_a_document(claim.entry)


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "\u2026"


def not_checked_for(claim: Claim, text: str, span: Span) -> NotChecked:
    """The not-checked entry of a quotation whose citation names no given source."""
    what = f"{claim.text} ({_short(claim.entry)})" if claim.entry and claim.entry != claim.text else claim.text
    return NotChecked(text, span, f"cites {what}, which is not among the given sources: not compared with the others")


def apply_claim(result: PassageResult, claim: Claim | None, ids: Sequence[str],
                turns: Sequence[Turns]) -> PassageResult:
    """The result with its claim recorded and judged (see the module's rules)."""
    if claim is None:
        return result
    if result.verdict is Verdict.PARAPHRASE:
        return replace(result, claim=claim)  # where a rewording stands is too loose a fact to contradict a claim
    findings = list(result.findings)
    if claim.kind in CITATIONS and claim.source is not None:
        findings = _against_citation(result, claim, findings, ids)
    speaker = _speaker_mismatch(result, claim, ids, turns)
    if speaker is not None:
        findings = [f for f in findings if f.type is not FindingType.MISATTRIBUTION] + [speaker]
    findings.sort(key=lambda f: f.doc_span.start if f.doc_span is not None else 0)
    verdict = result.verdict if result.verdict in (Verdict.UNSOURCED, Verdict.PARAPHRASE) else verdict_of(findings)
    return replace(result, claim=claim, findings=tuple(findings), verdict=verdict)


def _against_citation(result: PassageResult, claim: Claim, findings: list[Finding],
                      ids: Sequence[str]) -> list[Finding]:
    cited = ids[claim.source] if claim.source is not None else "?"
    if result.match is None or result.verdict is Verdict.UNSOURCED:
        return [replace(f, message=f"the cited source {cited!r} ({claim.text}) does not contain this quotation, "
                                   "and no other given source does")
                if f.type is FindingType.UNSOURCED else f for f in findings]
    kept = [f for f in findings if f.type is not FindingType.MISATTRIBUTION]
    if result.match.source == claim.source:
        return kept  # correctly cited: another source holding the words too, or a cue, changes nothing
    found = ids[result.match.source]
    span = result.passage.span
    wrong = Finding(FindingType.MISATTRIBUTION, severity_of(FindingType.MISATTRIBUTION), span, None, result.text,
                    "", f"cited as {claim.text} ({cited!r}), which does not contain it; the words are in {found!r}")
    return [*kept, wrong]


def _speaker_mismatch(result: PassageResult, claim: Claim, ids: Sequence[str],
                      turns: Sequence[Turns]) -> Finding | None:
    """A misattribution when the words stand in a transcript turn of another speaker than the one
    the claim names, and that speaker has turns of their own there."""
    if result.match is None or not claim.speaker:
        return None
    source_turns = turns[result.match.source]
    label = source_turns.speaker_at(result.match.span.start)
    if label is None:
        return None
    said_by = name_words(claim.speaker)
    if not said_by or label_names(label) & said_by:
        return None
    named = [other for other in source_turns.speakers() if label_names(other) & said_by]
    if not named:
        return None  # the claim names nobody who speaks in this transcript: nothing to contradict
    who = "a questioner" if label_names(label) <= QUESTIONERS else label
    return Finding(FindingType.MISATTRIBUTION, severity_of(FindingType.MISATTRIBUTION), result.passage.span, None,
                   result.text, "", f"given to {named[0]} ({_short(claim.speaker, 60)!r}), but in "
                                    f"{ids[result.match.source]!r} these words are {who}'s")
