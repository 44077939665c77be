"""Report: render a comparison or a check in each output format; every format reads the same
typed report (`records.py`), and one registry (`formats.py`) knows them all.

Collation has its own formats in `provenance.report.collation`, which this package does not
import.
"""

from __future__ import annotations

from provenance.report.formats import FORMATS, OutputFormat, RenderOptions
from provenance.report.json_report import render_json
from provenance.report.terminal import render_terminal

__all__ = ["FORMATS", "OutputFormat", "RenderOptions", "render_json", "render_terminal"]
