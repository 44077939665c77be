"""The output formats, one record each: what a format is called, the file a check writes it to,
whether it covers one document or the whole check, and how it is rendered.

`compare --format`, `check` (and its manifest's `reports.formats`) and `report --format` all read
this registry. Renderers are imported when a format is first rendered, so that a heavy
dependency (jinja2, for HTML) is loaded only when its format is asked for.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any

from provenance.errors import ConfigError
from provenance.model import Report

if TYPE_CHECKING:
    from provenance.check.policy import CheckOutcome


class SarifLevel(str, Enum):
    """Which findings the SARIF report carries (`--sarif-level`)."""

    failing = "failing"
    """Only those that fail the check: they break the policy and the baseline does not accept them."""
    warning = "warning"
    """Those, the findings the baseline accepts (as suppressed results), and every other warning or error."""
    all = "all"
    """Every finding, the information notes too."""


@dataclass(frozen=True, slots=True, kw_only=True)
class RenderOptions:
    """What a renderer may be told besides the report."""

    timestamp: str | None = None
    """The time of the run, for the JSON report's `generated_at`; None leaves it out."""
    width: int | None = None
    """Width of a terminal view (default 100)."""
    color: bool | None = None
    """Whether a terminal view is coloured."""
    sarif_level: SarifLevel = SarifLevel.failing
    """Which findings a SARIF report carries."""
    only_failing: bool = False
    """Whether a terminal view shows only the findings that fail the default policy."""


DocumentRenderer = Callable[[Report, RenderOptions], str]
"""Renders one comparison (a per-document format)."""
CheckRenderer = Callable[["CheckOutcome", RenderOptions], str]
"""Renders a check: every document's report with the policy applied (a format of the whole check)."""


@dataclass(frozen=True, slots=True)
class OutputFormat:
    """One output format. A per-document format has a `document_renderer`; a format of the whole
    check has a `check_renderer` and is also what `provenance report` renders from JSON reports."""

    name: str
    """As `--format` and the manifest's `reports.formats` spell it."""
    file_name: str
    """Per document: the suffix added to the document's name (`.json`); for a check: the file's name
    in the report folder (`provenance.html`)."""
    document_renderer: DocumentRenderer | None = None
    check_renderer: CheckRenderer | None = None

    def __post_init__(self) -> None:
        """Refuse a format with both renderers or with none."""
        if (self.document_renderer is None) == (self.check_renderer is None):
            raise ValueError(f"format {self.name!r}: give exactly one of a document and a check renderer")

    @property
    def per_document(self) -> bool:
        """Whether a check writes this format once per document (else once for the whole check)."""
        return self.document_renderer is not None

    def render_comparison(self, report: Report, options: RenderOptions) -> str:
        """One comparison in this format, as `compare --format` prints it: a format of the whole check
        renders it as a check of one document under the default policy."""
        if self.document_renderer is not None:
            return self.document_renderer(report, options)
        from provenance.check.policy import Policy, evaluate
        from provenance.report.json_report import report_record

        record = report_record(report, timestamp=options.timestamp)
        outcome = evaluate([(report.document.path, record)], Policy(), generated_at=options.timestamp)
        return self.render_check(outcome, options)

    def render_check(self, outcome: CheckOutcome, options: RenderOptions) -> str:
        """A check in this format; only the formats of the whole check can render one."""
        if self.check_renderer is None:
            names = ", ".join(f.name for f in FORMATS.values() if not f.per_document)
            raise ConfigError(f"format {self.name!r} cannot be rendered from JSON reports ({names})")
        return self.check_renderer(outcome, options)


def _terminal(report: Report, options: RenderOptions) -> str:
    """The terminal view of a comparison."""
    from provenance.report.terminal import render_terminal

    return render_terminal(report, width=options.width, color=options.color, only_failing=options.only_failing)


def _json(report: Report, options: RenderOptions) -> str:
    """The JSON report of a comparison."""
    from provenance.report.json_report import render_json

    return render_json(report, timestamp=options.timestamp)


def _sarif(outcome: CheckOutcome, options: RenderOptions) -> str:
    """The SARIF log of a check, carrying the findings `options.sarif_level` asks for."""
    from provenance.report.sarif import render_sarif

    return render_sarif(outcome, level=options.sarif_level)


def renderer_in(module: str, function: str) -> Callable[[Any, RenderOptions], str]:
    """A renderer that imports `module` when it first renders and calls its `function` on the model
    alone (these formats take no options), so that a heavy dependency loads only when asked for."""

    def render(model: Any, options: RenderOptions) -> str:
        """The model rendered by `module.function`."""
        rendered: str = getattr(importlib.import_module(module), function)(model)
        return rendered

    return render


FORMATS: dict[str, OutputFormat] = {f.name: f for f in (
    OutputFormat("terminal", ".txt", document_renderer=_terminal),
    OutputFormat("json", ".json", document_renderer=_json),
    OutputFormat("html", "provenance.html",
                 check_renderer=renderer_in("provenance.report.html", "render_html")),
    OutputFormat("markdown", "provenance.md",
                 check_renderer=renderer_in("provenance.report.markdown", "render_markdown")),
    OutputFormat("sarif", "provenance.sarif", check_renderer=_sarif),
    OutputFormat("junit", "provenance.junit.xml",
                 check_renderer=renderer_in("provenance.report.junit", "render_junit")),
    OutputFormat("github", "provenance.github.txt",
                 check_renderer=renderer_in("provenance.report.github", "render_github")),
)}
"""Every output format by name, in the order `--format` offers them."""

CHECK_FORMATS: tuple[str, ...] = tuple(f.name for f in FORMATS.values() if not f.per_document)
"""The formats of a whole check, which `provenance report` renders from JSON reports."""


__all__ = ["CHECK_FORMATS", "FORMATS", "CheckRenderer", "DocumentRenderer", "OutputFormat", "RenderOptions",
           "SarifLevel", "renderer_in"]
