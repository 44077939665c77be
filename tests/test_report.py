"""Report: the JSON contract and its schema, determinism, the terminal view, golden files.

Golden files live in tests/golden/; after a deliberate change of output, regenerate them with
`UPDATE_GOLDEN=1 python -m pytest tests/test_report.py` and review the diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import jsonschema
import pytest

from provenance.report import FORMATS, RenderOptions
from provenance.report.json_report import SCHEMA_ID, render_json, report_schema
from provenance.report.terminal import render_terminal

from conftest import run, validate

GOLDEN = Path(__file__).resolve().parent / "golden"
SOURCE = (
    "Harbour Notice\n\nThe council will not close the north harbour during the coming weeks to prepare for the "
    "spring repairs. During this time, there will be an increase in boat traffic around the old pier, including "
    "47 ferries and two security launches. We respect your patience.\n"
)
DOCUMENT = (
    "# What the notice said\n\n"
    "The council wrote that it “will close the north harbour during the coming weeks”, and that "
    "“there will be an increase in boat traffic [i.e., more boats] … two secu rity launches.”\n\n"
    "> We respect your pat\u200bience.\n\n"
    "Some called it “a plan nobody had asked for in the first place”.\n"
)


def report():  # type: ignore[no-untyped-def]
    return run(DOCUMENT, SOURCE)


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == text, f"{name} changed: review, then UPDATE_GOLDEN=1"


def test_json_follows_the_contract() -> None:
    data = validate(report())
    assert data["schema"] == SCHEMA_ID
    assert "generated_at" not in data
    passages = data["passages"]
    assert isinstance(passages, list)
    assert [p["verdict"] for p in passages] == ["altered", "altered", "altered", "unsourced"]
    first = passages[0]
    assert first["match"]["source"] == "src1"
    omission = first["findings"][0]
    assert omission["type"] == "silent_omission" and omission["impact"] == ["negation"]
    assert omission["severity"] == "error"
    assert omission["doc_span"]["start"] == omission["doc_span"]["end"]  # a point
    assert data["summary"]["passages"] == 4


def test_json_spans_point_at_the_reported_text_with_lines_and_columns() -> None:
    data = validate(report())
    lines = DOCUMENT.split("\n")
    for p in data["passages"]:  # type: ignore[union-attr]
        span = p["doc_span"]
        assert DOCUMENT[span["start"]:span["end"]] == p["text"]
        assert lines[span["line"] - 1][span["column"] - 1:].startswith(p["text"].split("\n")[0])
        for f in p["findings"]:
            if f["doc_span"]:
                assert DOCUMENT[f["doc_span"]["start"]:f["doc_span"]["end"]] == f["doc_text"]
            if f["src_span"]:
                assert SOURCE[f["src_span"]["start"]:f["src_span"]["end"]] == f["src_text"]


def test_json_is_deterministic_and_timestamp_can_be_added() -> None:
    assert render_json(report()) == render_json(report())
    stamped = json.loads(render_json(report(), timestamp="2026-01-01T00:00:00Z"))
    assert stamped["generated_at"] == "2026-01-01T00:00:00Z"
    jsonschema.validate(stamped, report_schema())


def test_schema_rejects_a_broken_report() -> None:
    data = validate(report())
    data["passages"][0]["verdict"] = "mostly fine"  # type: ignore[index]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, report_schema())


def test_terminal_view_marks_every_difference_without_colour() -> None:
    out = render_terminal(report(), width=100, color=False)
    assert "\x1b[" not in out
    assert "[-not-]" in out  # a silent omission, spelled out
    assert "[-around the old pier, including 47" in out and "ferries and-]…" in out  # the ellipsis, what it hides
    assert "[i.e., more boats]" in out
    assert "[-security-]{+secu rity+}" in out
    assert "⟨U+200B⟩" in out  # the hidden character made visible
    assert "UNSOURCED" in out and "silent_omission [negation]" in out
    for line in out.splitlines():
        assert len(line) <= 100


def test_terminal_view_in_colour_strikes_and_highlights() -> None:
    out = render_terminal(report(), width=100, color=True)
    assert "\x1b[" in out
    assert "[-" not in out  # marks are styles, not brackets


def test_formats_registry() -> None:
    assert set(FORMATS) >= {"terminal", "json"}
    text = FORMATS["json"].render_comparison(report(), RenderOptions())
    assert json.loads(text)["schema"] == SCHEMA_ID


def test_golden_json() -> None:
    check_golden("notice.json", render_json(report()))


def test_golden_terminal() -> None:
    check_golden("notice.txt", render_terminal(report(), width=100, color=False))
