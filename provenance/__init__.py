"""provenance: check that quoted and reused passages say what their sources say."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from provenance.comparator.pipeline import compare, compare_texts, compare_transcription
from provenance.errors import InputError, ProvenanceError, UsageError
from provenance.load import load_text
from provenance.model import Finding, FindingType, Match, Passage, PassageResult, Report, Span, Verdict
from provenance.text import Text, make_text

try:
    __version__ = version("provenance")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.1.0"

__all__ = [
    "Finding", "FindingType", "InputError", "Match", "Passage", "PassageResult", "ProvenanceError", "Report",
    "Span", "Text", "UsageError", "Verdict", "__version__", "compare", "compare_texts",
    "compare_transcription", "load_text", "make_text",
]
