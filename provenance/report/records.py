"""The JSON report (schema `provenance.report/1`) as typed records.

Every record is an immutable msgspec struct built by keyword. The JSON file is these records
serialised, and reading a file back gives the same records, so that the policy, `check` and every
renderer read one model through attributes. The constraints
annotated here (patterns, minimums, enums) are the committed JSON Schema's
(`provenance/schema/report.schema.json`); `tests/report/test_report.py` keeps the two in step.

A key that a report may leave out (older reports have no `end_line`, no source `text` in a match)
is `UNSET` when absent: msgspec writes no key for it, and `UNSET` is false in a test.
"""

from __future__ import annotations

from typing import Annotated, Final, Literal

import msgspec
from msgspec import UNSET, Meta, UnsetType

from provenance.model import ClaimKind, FindingType, Impact, PassageKind, Severity, Verdict

SCHEMA_ID: Final = "provenance.report/1"
"""The schema a report names in its `schema` key."""

Offset = Annotated[int, Meta(ge=0)]
"""A 0-based code-point offset into a decoded text."""
Position = Annotated[int, Meta(ge=1)]
"""A 1-based line or column."""
Count = Annotated[int, Meta(ge=0)]
"""A number of things, possibly none."""
Tally = Annotated[int, Meta(ge=1)]
"""A count in the summary, which lists only what occurs."""
Sha256 = Annotated[str, Meta(pattern="^[0-9a-f]{64}$")]
"""A SHA-256 digest in lowercase hexadecimal."""
Measure = Literal["cer", "wer"]
"""What an error rate counts: characters or words."""
UnitDefinition = Literal["codepoints", "graphemes", "whitespace", "unicode-words"]
"""What a unit of an error rate is."""
ReferenceTool = Literal["jiwer", "dinglehopper"]
"""The tool that computes the same figure."""


class OriginRecord(msgspec.Struct, frozen=True, kw_only=True):
    """Where a position stands in the original file, for a file read from another format than
    plain text: the page and line of a PDF, the line and column of a web page's source, a DOCX
    paragraph, an e-mail part and its line, a caption cue's time. Only what applies is given."""

    where: Annotated[str, Meta(min_length=1)]
    """The place as a person reads it: `page 3, line 12`, `line 40, column 7`."""
    page: Position | UnsetType = UNSET
    line: Position | UnsetType = UNSET
    column: Position | UnsetType = UNSET
    paragraph: Position | UnsetType = UNSET
    part: str | UnsetType = UNSET
    cue: str | UnsetType = UNSET


class SpanRecord(msgspec.Struct, frozen=True, kw_only=True):
    """A span of a text with the 1-based line and column of its start and end."""

    start: Offset
    end: Offset
    line: Position
    column: Position
    end_line: Position | UnsetType = UNSET
    """Absent in reports written before it existed; then the end is taken to be the start."""
    end_column: Position | UnsetType = UNSET
    origin: OriginRecord | UnsetType = UNSET
    """Where the span starts in the original file, for a file read from another format than plain
    text (`line` and `column` above count the lines of the text read from it)."""

    def __post_init__(self) -> None:
        """Refuse a span that ends before it starts, by offset or by line and column (every format would
        show a negative length: SARIF's `charLength` may not be)."""
        if self.end < self.start:
            raise ValueError("end: the span ends before it starts")
        if self.end_position < (self.line, self.column):
            raise ValueError("end_line: the span ends before it starts")

    @property
    def end_position(self) -> tuple[int, int]:
        """Line and column of the end of the span (those of its start when the report lacks them)."""
        line = self.end_line if isinstance(self.end_line, int) else self.line
        column = self.end_column if isinstance(self.end_column, int) else self.column
        return line, column


class ToolRecord(msgspec.Struct, frozen=True, kw_only=True):
    """The tool that wrote the report."""

    name: Literal["provenance"]
    version: str


class FileRecord(msgspec.Struct, frozen=True, kw_only=True):
    """A compared file. The keys after `encoding` are given for a file read from another format
    than plain text only (a plain-text file has none of them)."""

    path: str
    sha256: Sha256
    """Of the file's bytes as read."""
    chars: Count
    """Of the text compared: for another format than plain text, the text read from it."""
    encoding: str | UnsetType = UNSET
    format: str | UnsetType = UNSET
    """`html`, `email`, `pdf`, `docx`, `rtf`, `vtt`, `srt`, `image`."""
    extractor: str | UnsetType = UNSET
    """The library or engine that read the file, with its version."""
    ocr: bool | UnsetType = UNSET
    """True when the text was read from an image by OCR."""
    metadata: dict[str, str] | UnsetType = UNSET
    """What the file says of itself: title, author, date, from, subject, url, retrieved."""
    warnings: tuple[str, ...] | UnsetType = UNSET
    """What the reader could not do, one line each."""
    removed: tuple[str, ...] | UnsetType = UNSET
    """Furniture taken out of the text (running headers, page numbers), as it stood."""


class DocumentRecord(FileRecord, frozen=True, kw_only=True):
    """The compared document."""


class SourceRecord(FileRecord, frozen=True, kw_only=True):
    """One source of the comparison, named in matches by its id."""

    id: Annotated[str, Meta(min_length=1)]


class MatchRecord(msgspec.Struct, frozen=True, kw_only=True):
    """Where a passage was found in a source."""

    source: str
    """The id of the source."""
    src_span: SpanRecord
    similarity: Annotated[float, Meta(ge=0, le=1)]
    text: str | UnsetType = UNSET
    """The source text under `src_span`; absent in older reports."""
    meaning: Annotated[float, Meta(ge=-1, le=1)] | UnsetType = UNSET
    """For a paraphrase found by meaning: the cosine of the passage's and the source span's
    sentence vectors; absent otherwise."""
    model: str | UnsetType = UNSET
    """The model that gave `meaning`: its id and the short sha256 of its weights."""


class FindingRecord(msgspec.Struct, frozen=True, kw_only=True):
    """One difference between a passage and its source."""

    type: FindingType
    severity: Severity
    impact: tuple[Impact, ...]
    doc_span: SpanRecord | None
    src_span: SpanRecord | None
    doc_text: str
    src_text: str
    message: Annotated[str, Meta(min_length=1)]

    def __post_init__(self) -> None:
        """Refuse an impact listed twice (the schema's `uniqueItems`, which msgspec cannot express)."""
        if len(set(self.impact)) != len(self.impact):
            raise ValueError("impact: an impact is listed twice")


class ClaimRecord(msgspec.Struct, frozen=True, kw_only=True):
    """Where the document says a passage comes from, and whether the words were found there."""

    kind: ClaimKind
    text: Annotated[str, Meta(min_length=1)]
    doc_span: SpanRecord
    entry: str
    cites: str | None
    """The id of the given source the claim names; None when it names none of them."""
    speaker: str | None
    found_in: str | None
    """The id of the source the words were found in."""
    agrees: bool | None
    """Whether the words were found where the claim says; None when it could not be told."""


class PassageRecord(msgspec.Struct, frozen=True, kw_only=True):
    """A passage of the document, where it was found and what differs."""

    id: Annotated[str, Meta(pattern="^p[0-9]+$")]
    kind: PassageKind
    doc_span: SpanRecord
    text: str
    attribution: str | None
    match: MatchRecord | None
    verdict: Verdict
    findings: tuple[FindingRecord, ...]
    claim: ClaimRecord | UnsetType = UNSET
    """Absent when the document says nothing of where the passage comes from."""


class SummaryRecord(msgspec.Struct, frozen=True, kw_only=True):
    """Counts of passages by verdict and of findings by type and severity."""

    passages: Count
    by_verdict: dict[Verdict, Tally]
    by_type: dict[FindingType, Tally]
    by_severity: dict[Severity, Tally] | UnsetType = UNSET


class ErrorRateRecord(msgspec.Struct, frozen=True, kw_only=True):
    """One error rate of a transcription against its source, with the counts behind it."""

    measure: Measure
    definition: UnitDefinition
    matches: ReferenceTool
    normalized: bool
    rate: Annotated[float, Meta(ge=0)] | None
    errors: Count
    substitutions: Count
    deletions: Count
    insertions: Count
    hits: Count
    reference_length: Count
    hypothesis_length: Count


class MetricsRecord(msgspec.Struct, frozen=True, kw_only=True):
    """Error rates of a whole-document comparison."""

    reference: Annotated[str, Meta(min_length=1)]
    rates: tuple[ErrorRateRecord, ...]


class NotCheckedRecord(msgspec.Struct, frozen=True, kw_only=True):
    """A quotation given no verdict, and why (too short to tell from a term, and in no source)."""

    text: str
    doc_span: SpanRecord
    reason: Annotated[str, Meta(min_length=1)]


class ReportRecord(msgspec.Struct, frozen=True, kw_only=True):
    """The JSON report of one comparison."""

    schema: Literal["provenance.report/1"]
    tool: ToolRecord
    document: DocumentRecord
    sources: Annotated[tuple[SourceRecord, ...], Meta(min_length=1)]
    passages: tuple[PassageRecord, ...]
    summary: SummaryRecord
    metrics: MetricsRecord | UnsetType = UNSET
    """Present only for a whole-document comparison."""
    not_checked: tuple[NotCheckedRecord, ...] | UnsetType = UNSET
    """Quotations left out of the verdicts (absent when there is none)."""
    generated_at: str | UnsetType = UNSET
    """The time of the run, when asked for."""

    @property
    def timestamp(self) -> str | None:
        """The time of the run, or None when the report does not give it."""
        return self.generated_at if isinstance(self.generated_at, str) else None


__all__ = [
    "SCHEMA_ID", "DocumentRecord", "ErrorRateRecord", "FindingRecord", "MatchRecord", "MetricsRecord",
    "PassageRecord", "ReportRecord", "SourceRecord", "SpanRecord", "SummaryRecord", "ToolRecord",
]
