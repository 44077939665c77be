"""The finding taxonomy as data: one record per finding type, read by every module and renderer.

What a type means, how severe it is before any policy, whether it speaks of the whole passage
rather than of a stretch inside it, how a view marks it, and the rule text of SARIF: all of it is
here and nowhere else. `docs/findings.md` is the same taxonomy written for people; a test keeps
the two in step.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

from provenance.model import FindingType, Impact, Severity


class Mark(str, Enum):
    """How a view marks a finding inside the passage text."""

    FORM = "form"
    """A plain marked span: the words are the source's, only their form or an editor's visible
    bracket or ellipsis differs (normalisation, editorial changes, marked omissions, hidden characters)."""
    CHANGE = "change"
    """An alteration: the document side is an insertion, the source side a deletion."""
    PASSAGE = "passage"
    """Nothing to mark inside the text: the finding is about the whole passage."""


@dataclass(frozen=True, slots=True)
class FindingRule:
    """Everything the tool knows about one finding type, besides how to find it."""

    type: FindingType
    severity: Severity
    """Severity before impact and before any user policy."""
    mark: Mark
    """How views mark it; `Mark.PASSAGE` also means it is about the whole passage."""
    title: str
    """A short name, for tables and SARIF `shortDescription`."""
    description: str
    """One or two sentences for SARIF `fullDescription` and the legend of a report."""

    @property
    def whole_passage(self) -> bool:
        """Whether the finding speaks of the whole passage (unsourced, paraphrase, attribution, context)."""
        return self.mark is Mark.PASSAGE

    @property
    def rule_name(self) -> str:
        """The type in CamelCase, as SARIF rule names are spelled."""
        return "".join(part.capitalize() for part in self.type.value.split("_"))


TAXONOMY: tuple[FindingRule, ...] = (
    FindingRule(FindingType.NORMALIZATION, Severity.INFO, Mark.FORM, "Only the form differs",
                "Case, punctuation, quotation marks, dashes, spacing or Unicode form differ from the source; "
                "the words are the same."),
    FindingRule(FindingType.EDITORIAL_INSERTION, Severity.INFO, Mark.FORM, "Words added in brackets",
                "The quotation adds words in square brackets, an editor's insertion the reader can see."),
    FindingRule(FindingType.EDITORIAL_SUBSTITUTION, Severity.INFO, Mark.FORM, "Bracketed words replace source words",
                "Words in square brackets stand in for words of the source."),
    FindingRule(FindingType.MARKED_OMISSION, Severity.INFO, Mark.FORM, "Omission marked by an ellipsis",
                "Source words are left out where the quotation has an ellipsis."),
    FindingRule(FindingType.SILENT_OMISSION, Severity.WARNING, Mark.CHANGE, "Source words left out without an ellipsis",
                "The quotation drops words of the source and does not mark the omission."),
    FindingRule(FindingType.SILENT_INSERTION, Severity.WARNING, Mark.CHANGE, "Words added without brackets",
                "The quotation has words the source does not have, and does not mark them."),
    FindingRule(FindingType.SUBSTITUTION, Severity.WARNING, Mark.CHANGE, "Source words replaced",
                "The quotation has different words in place of the source's."),
    FindingRule(FindingType.TRANSPOSITION, Severity.WARNING, Mark.CHANGE, "Words in another order",
                "The quotation has the source's words in another order."),
    FindingRule(FindingType.TRANSCRIPTION_ERROR, Severity.WARNING, Mark.CHANGE, "A slip inside a word",
                "A typing or recognition slip inside a word: a letter missing, added or swapped, a word split "
                "or joined."),
    FindingRule(FindingType.PARAPHRASE, Severity.ERROR, Mark.PASSAGE, "Paraphrase presented as a quotation",
                "The quoted words carry the source's content in other words: it is not a quotation."),
    FindingRule(FindingType.UNSOURCED, Severity.WARNING, Mark.PASSAGE, "No source supports the quotation",
                "No given source contains these words."),
    FindingRule(FindingType.MISATTRIBUTION, Severity.WARNING, Mark.PASSAGE, "Attributed to another source",
                "The document attributes the words to one source; they were found in another."),
    FindingRule(FindingType.OUT_OF_CONTEXT, Severity.WARNING, Mark.PASSAGE, "Quoted out of context",
                "The quoted words are the source's, but source words cut just before or after them, in the same "
                "sentence, negate, condition or question them or give them to someone else."),
    FindingRule(FindingType.HIDDEN_CHARACTER, Severity.ERROR, Mark.FORM, "Invisible or deceptive character",
                "A zero-width, bidirectional-control or look-alike character from another script stands in the "
                "quoted text."),
)
"""Every finding type, in the order reports list them."""

RULES: dict[FindingType, FindingRule] = {rule.type: rule for rule in TAXONOMY}
"""The record of each finding type."""


def rule_of(kind: FindingType | str) -> FindingRule:
    """The record of a finding type, given as the enum or as its spelling in a report."""
    return RULES[FindingType(kind)]


def severity_of(kind: FindingType, impact: Iterable[Impact] = ()) -> Severity:
    """Severity of a finding: its type's, raised to error by any impact on meaning."""
    return Severity.ERROR if tuple(impact) else RULES[kind].severity


def is_whole_passage(kind: FindingType | str) -> bool:
    """Whether findings of this type speak of the whole passage (spelled as the enum or as in a report)."""
    return rule_of(kind).whole_passage


WHOLE_PASSAGE_TYPES: frozenset[str] = frozenset(r.type.value for r in TAXONOMY if r.whole_passage)
"""Spellings of the whole-passage types, for code that reads JSON reports."""


__all__ = ["Mark", "FindingRule", "RULES", "TAXONOMY", "WHOLE_PASSAGE_TYPES", "is_whole_passage", "rule_of",
           "severity_of"]
