"""Report: the JSON contract and its schema, determinism, the terminal view, golden files.

Golden files live in tests/golden/; after a deliberate change of output, regenerate them with
`UPDATE_GOLDEN=1 python -m pytest tests/report/test_report.py` and review the diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from provenance.errors import InputError
from provenance.model import FindingType, Impact, Verdict
from provenance.report import FORMATS, RenderOptions
from provenance.report.json_report import (
    SCHEMA_ID,
    encode_report,
    read_report,
    render_json,
    report_record,
    report_schema,
)
from provenance.report.terminal import render_terminal

from conftest import run, validate

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
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


# -- the typed records and the committed schema ------------------------------------------------------------

_IGNORED_KEYWORDS = {"title", "description", "default", "$schema", "$id", "$defs", "uniqueItems"}
"""Schema keywords that fix nothing the records must agree on (`uniqueItems` of `impact` is checked by
`FindingRecord.__post_init__`, tested below)."""


def _shape(node: Any, defs: dict[str, Any]) -> Any:
    """A JSON Schema node reduced to what the contract fixes (types, keys, required keys, enums, bounds),
    written the same way whichever generator wrote the schema: a `$ref` resolved, `const` as a one-value
    `enum`, `oneOf`/`anyOf`/a list of types as a sorted list of alternatives."""
    if "$ref" in node:
        return _shape(defs[node["$ref"].rsplit("/", 1)[-1]], defs)
    alternatives = node.get("oneOf") or node.get("anyOf")
    if alternatives is None and isinstance(node.get("type"), list):
        rest = {k: v for k, v in node.items() if k != "type"}
        alternatives = [{"type": t, **(rest if t != "null" else {})} for t in node["type"]]
    if alternatives is not None:
        return {"one of": sorted((_shape(a, defs) for a in alternatives), key=lambda a: json.dumps(a, sort_keys=True))}
    shape: dict[str, Any] = {}
    for key, value in node.items():
        if key in _IGNORED_KEYWORDS or (key == "additionalProperties" and value is True):
            continue
        if key == "const":
            shape["enum"] = [value]
        elif key == "enum":
            shape["enum"] = sorted(value)
        elif key == "required":
            shape["required"] = sorted(value)
        elif key == "properties":
            shape["properties"] = {name: _shape(sub, defs) for name, sub in value.items()}
        elif key in ("items", "additionalProperties", "propertyNames"):
            shape[key] = _shape(value, defs)
        else:
            shape[key] = value
    if "enum" in shape:
        shape.pop("type", None)  # `{"type": "string", "enum": [...]}` says no more than the enum
    return shape


def _differences(left: Any, right: Any, where: str = "$") -> list[str]:
    """Where two shapes differ, as readable lines."""
    if isinstance(left, dict) and isinstance(right, dict):
        out = [f"{where}.{key}: only in the {'committed schema' if key in left else 'records'}"
               for key in sorted(set(left) ^ set(right))]
        for key in sorted(set(left) & set(right)):
            out += _differences(left[key], right[key], f"{where}.{key}")
        return out
    if isinstance(left, list) and isinstance(right, list) and len(left) == len(right):
        return [line for k, (a, b) in enumerate(zip(left, right, strict=True))
                for line in _differences(a, b, f"{where}[{k}]")]
    return [] if left == right else [f"{where}: {left!r} != {right!r}"]


def test_the_committed_schema_and_the_records_say_the_same() -> None:
    """Every key, required key, type, enum and bound of the committed JSON Schema is the records'."""
    import msgspec

    from provenance.report.records import ReportRecord

    committed = report_schema()
    generated = msgspec.json.schema(ReportRecord)
    differences = _differences(_shape(committed, committed["$defs"]), _shape(generated, generated["$defs"]))
    assert not differences, "\n".join(differences)


def test_the_shape_comparison_sees_a_difference() -> None:
    committed = report_schema()
    broken = json.loads(json.dumps(committed))
    broken["$defs"]["finding"]["required"].remove("message")
    broken["$defs"]["verdict"]["enum"].append("mostly fine")
    differences = _differences(_shape(committed, committed["$defs"]), _shape(broken, broken["$defs"]))
    assert any("required" in d for d in differences) and any("mostly fine" in d for d in differences)


def test_reports_read_back_into_the_same_records_and_the_same_bytes(tmp_path: Path) -> None:
    committed = sorted((Path(__file__).resolve().parents[2] / "reports").glob("*.json"))
    committed = [p for p in committed if not p.name.startswith("collation")]
    written = tmp_path / "notice.json"
    written.write_text(render_json(report(), timestamp="2026-01-01T00:00:00Z"), encoding="utf-8")
    whole = tmp_path / "whole.json"
    whole.write_text(render_json(run("Fourscore and seven yeers ago", "Four score and seven years ago", whole=True)),
                     encoding="utf-8")
    assert committed
    for path in [*committed, written, whole]:
        record = read_report(path)
        assert encode_report(record) == path.read_text(encoding="utf-8"), path.name
    assert read_report(whole).metrics and read_report(written).timestamp == "2026-01-01T00:00:00Z"
    assert read_report(whole).timestamp is None


def test_records_are_what_the_renderers_read() -> None:
    record = report_record(report())
    first = record.passages[0]
    assert first.verdict is Verdict.ALTERED and first.match is not None and first.match.source == "src1"
    omission = first.findings[0]
    assert omission.type is FindingType.SILENT_OMISSION and omission.impact == (Impact.NEGATION,)
    assert omission.doc_span is not None and omission.doc_span.start == omission.doc_span.end
    assert record.summary.by_verdict == {Verdict.ALTERED: 3, Verdict.UNSOURCED: 1}


@pytest.mark.parametrize(("change", "expected"), [
    (lambda d: d["passages"][0].update(verdict="mostly fine"), "invalid report at passages/0/verdict: Invalid enum"),
    (lambda d: d["passages"][0]["findings"][0].pop("message"), "invalid report at passages/0/findings/0: Object "
                                                               "missing required field `message`"),
    (lambda d: d["passages"][0]["findings"][0].update(impact=["negation", "negation"]),
     "invalid report at passages/0/findings/0: impact: an impact is listed twice"),
    (lambda d: d["document"].update(sha256="xyz"), "invalid report at document/sha256: Expected `str` matching"),
    (lambda d: d["summary"]["by_type"].update(gossip=1), "invalid report at summary/by_type: Invalid enum value "
                                                         "'gossip' (a key)"),
    (lambda d: d.pop("tool"), "invalid report at (top): Object missing required field `tool`"),
    (lambda d: d["passages"][0]["doc_span"].update(end=0), "invalid report at passages/0/doc_span: end: the span "
                                                           "ends before it starts"),
    (lambda d: d["passages"][0]["doc_span"].update(end_line=0), "invalid report at passages/0/doc_span/end_line: "
                                                                "Expected `int` >= 1"),
    (lambda d: d["passages"][1]["doc_span"].update(line=99), "invalid report at passages/1/doc_span: end_line: the "
                                                             "span ends before it starts"),
    (lambda d: d.update(schema="provenance.report/0"), "not a provenance report (schema 'provenance.report/0'"),
])
def test_a_broken_report_is_one_line_saying_where(tmp_path: Path, change: Any, expected: str) -> None:
    data = json.loads(render_json(report()))
    change(data)
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_report(path)
    assert str(caught.value).startswith(f"{path}: {expected}"), str(caught.value)
    assert "\n" not in str(caught.value)


def test_an_older_report_without_end_positions_or_source_text_still_reads(tmp_path: Path) -> None:
    data = json.loads(render_json(report()))
    for passage in data["passages"]:
        for span in [passage["doc_span"], *(f["doc_span"] for f in passage["findings"] if f["doc_span"])]:
            del span["end_line"], span["end_column"]
        if passage["match"]:
            del passage["match"]["text"]
    path = tmp_path / "old.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    record = read_report(path)
    span = record.passages[0].doc_span
    assert span.end_position == (span.line, span.column)
    assert record.passages[0].match is not None and not record.passages[0].match.text
    assert "end_line" not in json.loads(encode_report(record))["passages"][0]["doc_span"]  # absent stays absent


def test_a_path_that_is_not_utf8_round_trips_through_the_json_report(tmp_path: Path) -> None:
    """A file name that is not UTF-8 reaches Python as a lone surrogate (`doc\\udcff.txt`); the JSON report
    writes it as a `\\udcff` escape (strict UTF-8 cannot encode it raw), and reading gives the same path."""
    import msgspec

    record = report_record(report())
    record = msgspec.structs.replace(record, document=msgspec.structs.replace(record.document, path="doc\udcff.txt"))
    text = encode_report(record)
    path = tmp_path / "r.json"
    path.write_bytes(text.encode("utf-8"))  # strict: nothing raw that UTF-8 refuses
    assert "\\udcff" in text and read_report(path) == record and encode_report(read_report(path)) == text
