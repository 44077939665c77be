"""Core value types of `provenance`: plain, immutable data passed between the steps of the flow.

Every offset is a 0-based, half-open code-point offset into the decoded original text of the
file it belongs to (a byte-order mark removed, nothing else changed).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from provenance.load.base import Extracted


class PassageKind(str, Enum):
    """How a passage claims to reproduce a source."""

    INLINE = "inline"
    BLOCK = "block"
    PASSAGE = "passage"
    WHOLE = "whole"


class FindingType(str, Enum):
    """The finding taxonomy of `findings.md`, spelled as there."""

    NORMALIZATION = "normalization"
    EDITORIAL_INSERTION = "editorial_insertion"
    EDITORIAL_SUBSTITUTION = "editorial_substitution"
    MARKED_OMISSION = "marked_omission"
    SILENT_OMISSION = "silent_omission"
    SILENT_INSERTION = "silent_insertion"
    SUBSTITUTION = "substitution"
    TRANSPOSITION = "transposition"
    TRANSCRIPTION_ERROR = "transcription_error"
    PARAPHRASE = "paraphrase"
    UNSOURCED = "unsourced"
    MISATTRIBUTION = "misattribution"
    OUT_OF_CONTEXT = "out_of_context"
    HIDDEN_CHARACTER = "hidden_character"


class Severity(str, Enum):
    """How much a finding matters, before any user policy."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


class Impact(str, Enum):
    """A change of meaning carried by a finding."""

    NEGATION = "negation"
    NUMBER = "number"
    NAME = "name"


class Verdict(str, Enum):
    """The verdict on one passage, derived from its findings."""

    VERBATIM = "verbatim"
    FAITHFUL = "faithful"
    ALTERED = "altered"
    PARAPHRASE = "paraphrase"
    UNSOURCED = "unsourced"




@dataclass(frozen=True, slots=True)
class Span:
    """A half-open range of code points in one text."""

    start: int
    """First code point of the range."""
    end: int
    """One past the last code point; equal to `start` for a point (where an omission happened)."""

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"invalid span {self.start}..{self.end}")


@dataclass(frozen=True, slots=True)
class Markup:
    """Editorial markup inside a passage: a bracketed insertion or an ellipsis."""

    kind: str
    """`bracket`, `ellipsis` or `ignored` (a repeated opening quotation mark, a `>` prefix)."""
    span: Span
    """Where the markup stands in the document, brackets and dots included."""


@dataclass(frozen=True, slots=True)
class Passage:
    """A stretch of the document that claims to reproduce a source."""

    kind: PassageKind
    span: Span
    """The passage text in the document, without its quotation marks."""
    markup: tuple[Markup, ...] = ()
    """Brackets, ellipses and ignored marks inside `span`, in document order."""
    attribution: str | None = None
    """The cue the document gives ("Reuters reported", "Milley said"), or None."""
    source_hint: int | None = None
    """For passages found by alignment: the index of the source they were found in."""
    attribution_span: Span | None = None
    """Where the attribution cue stands in the document."""


@dataclass(frozen=True, slots=True)
class Match:
    """Where a passage was found: the best source and span among all sources."""

    source: int
    """Index of the source in the comparison's source list."""
    span: Span
    """The matching stretch of the source text."""
    similarity: float
    """Share of the passage's words found in order in the source span, 0..1."""
    text: str = ""
    """The source text under `span`."""
    meaning: float | None = None
    """For a paraphrase found by meaning: the cosine of the passage's and the span's sentence
    vectors (`provenance.meaning`), -1..1; None otherwise."""
    model: str | None = None
    """The model that gave `meaning` (its id and the short sha256 of its weights)."""


@dataclass(frozen=True, slots=True)
class Finding:
    """One difference between a passage and its source, under the most specific type."""

    type: FindingType
    severity: Severity
    doc_span: Span | None
    src_span: Span | None
    doc_text: str
    src_text: str
    message: str
    impact: tuple[Impact, ...] = ()


@dataclass(frozen=True, slots=True)
class SourceEntry:
    """What is known about a source beyond its text: from the manifest's `[[sources]]`, a sidecar
    file beside it, or what its reader found (a page's title, an e-mail's From)."""

    id: str | None = None
    """The id citations may use (`esper-letter`); the file's stem when not given."""
    title: str | None = None
    author: str | None = None
    """The author or speaker (`Mark Esper`)."""
    publisher: str | None = None
    date: str | None = None
    url: str | None = None
    aliases: tuple[str, ...] = ()
    """Other names citations may use (`Esper`, `the Pentagon`, `DoD`)."""
    speakers: tuple[str, ...] = ()
    """Who speaks in it (a transcript), for cues that name a speaker."""


class ClaimKind(str, Enum):
    """How a document says where a passage comes from."""

    NUMBERED = "numbered"
    """`[1]`, with an entry of the reference list."""
    FOOTNOTE = "footnote"
    """`[^1]`, with its `[^1]: ...` definition."""
    LINK = "link"
    """A Markdown link `[text](target)` in the quoting sentence."""
    CITE = "cite"
    """`<blockquote cite=...>` or a `<cite>`/credit the page reader attached."""
    AUTHOR_YEAR = "author_year"
    """`(Esper, 2020)`, with a bibliography entry."""
    CUE = "cue"
    """A speech verb or `according to` naming someone (`Milley told reporters`)."""
    CREDIT = "credit"
    """A credit line after the quotation (`— Mark Twain`)."""


@dataclass(frozen=True, slots=True)
class Claim:
    """Where a document says a passage comes from, and the given source that claim names."""

    kind: ClaimKind
    text: str
    """The claim as the document gives it: `[2]`, `(Esper, 2020)`, `Milley told reporters`."""
    span: Span
    entry: str = ""
    """What the claim points to: the reference-list entry, the footnote's text, the link target."""
    source: int | None = None
    """The index of the given source it names; None when it names none of them."""
    speaker: str | None = None
    """The person the claim gives the words to, when it names one (a cue, a credit)."""


@dataclass(frozen=True, slots=True)
class PassageResult:
    """A passage, where it was found and what differs."""

    id: str
    passage: Passage
    text: str
    match: Match | None
    verdict: Verdict
    findings: tuple[Finding, ...]
    claim: Claim | None = None
    """Where the document says the passage comes from, when it says so."""


@dataclass(frozen=True, slots=True)
class TextInfo:
    """Identity of a compared file, as the report gives it."""

    id: str
    path: str
    sha256: str
    chars: int
    encoding: str
    format: str = "text"
    """The format the file was read as (`provenance.load`): `text`, `html`, `pdf`, ..."""
    extractor: str = "provenance"
    """The library or engine that read it, with its version."""
    ocr: bool = False
    """Read from an image by OCR."""
    metadata: tuple[tuple[str, str], ...] = ()
    warnings: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ErrorRate:
    """One error rate of a transcription against its source, with the counts behind it."""

    measure: str
    """`cer` (characters) or `wer` (words)."""
    definition: str
    """What a unit is: `codepoints` or `graphemes` for CER, `whitespace` or `unicode-words` for WER."""
    matches: str
    """The tool that computes the same figure under this definition: `jiwer` or `dinglehopper`."""
    normalized: bool
    """Whether both texts were folded first (case, quotation marks, dashes, whitespace, Unicode form)."""
    rate: float | None
    """Errors over reference units; with an empty reference, the number of insertions (jiwer's convention)."""
    substitutions: int
    deletions: int
    insertions: int
    hits: int
    reference_length: int
    hypothesis_length: int

    @property
    def errors(self) -> int:
        """Substitutions, deletions and insertions: the edit distance."""
        return self.substitutions + self.deletions + self.insertions


@dataclass(frozen=True, slots=True)
class TranscriptionMetrics:
    """Error rates of a whole-document comparison (`--whole`)."""

    reference: str
    """Id of the source the document is measured against."""
    rates: tuple[ErrorRate, ...]


@dataclass(frozen=True, slots=True)
class NotChecked:
    """A quotation left out of the verdicts, and why: too short to tell a quotation from a term."""

    text: str
    span: Span
    reason: str


@dataclass(frozen=True, slots=True)
class Report:
    """The result of comparing one document with its sources."""

    document: TextInfo
    sources: tuple[TextInfo, ...]
    passages: tuple[PassageResult, ...]
    line_starts: dict[str, Sequence[int]] = field(default_factory=dict, compare=False)
    """Offsets of line starts per text id (`document` or a source id), for line/column."""
    metrics: TranscriptionMetrics | None = None
    """Character and word error rates, for a whole-document comparison only."""
    origins: dict[str, Extracted] = field(default_factory=dict, compare=False)
    not_checked: tuple[NotChecked, ...] = ()
    """Quotations no source holds that are too short to judge (under `MIN_QUOTE_WORDS` words):
    listed, not given a verdict."""
    """Per text id, how a file other than plain text was read: the map back to the original's
    positions (page and line, paragraph, cue time)."""
