"""The reports CI reads, as a CI engineer needs them: stable JUnit names, SARIF that carries what fails,
GitHub annotations."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import msgspec
import pytest

from provenance.check.manifest import Policy
from provenance.check.policy import CheckOutcome, evaluate
from provenance.model import FindingType
from provenance.report.formats import SarifLevel
from provenance.report.json_report import report_record
from provenance.report.junit import render_junit
from provenance.report.sarif import render_sarif

from conftest import main_in, make_project, run

SOURCE = ("The council will not close the northern bridge before the spring. Repairs to the eastern pier will "
          "cost 40,000 pounds and take six weeks, the engineer said. The ferry will run every hour.\n")
DOCUMENT = ("# Bridge\n\nThe council wrote that \"the council will close the northern bridge before the spring\" "
            "and that repairs \"will cost 40,000 pounds and take six weeks\".\n")


def outcome_of(document: str, *sources: str, policy: Policy | None = None) -> CheckOutcome:
    return evaluate([("doc.txt", report_record(run(document, *sources)))], policy or Policy())


def junit_cases(outcome: CheckOutcome) -> dict[str, bool]:
    """Each test case's name, and whether it fails."""
    root = ET.fromstring(render_junit(outcome))
    return {c.get("name", ""): c.find("failure") is not None for c in root.iter("testcase")}


def test_junit_names_stay_when_text_moves_and_when_a_quotation_is_corrected() -> None:
    before = junit_cases(outcome_of(DOCUMENT, SOURCE))
    assert len(before) == 2 and sum(before.values()) == 1
    assert all("line" not in name and not name.startswith("p") for name in before), before
    # a paragraph and a quotation added above: the lines and the passage ids shift, the names do not
    moved = DOCUMENT.replace("# Bridge\n\n", "# Bridge\n\nA new first paragraph.\n\nThe ferry, they said, "
                                             "\"will run every hour\".\n\n")
    after = junit_cases(outcome_of(moved, SOURCE))
    assert len(after) == 3 and set(before) < set(after)
    assert {n: f for n, f in after.items() if n in before} == before
    # the dropped "not" put back: the same test case, now passing
    fixed = junit_cases(outcome_of(DOCUMENT.replace("council will close", "council will not close"), SOURCE))
    assert set(fixed) == set(before) and not any(fixed.values())


def test_junit_names_of_equal_quotations_are_told_apart_in_order() -> None:
    twice = DOCUMENT + "\nAgain: \"will cost 40,000 pounds and take six weeks\".\n"
    names = list(junit_cases(outcome_of(twice, SOURCE)))
    assert len(names) == len(set(names)) == 3
    assert names[2] == names[1] + " (2)"


def sarif_results(outcome: CheckOutcome, level: SarifLevel = SarifLevel.failing) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = json.loads(render_sarif(outcome, level=level))["runs"][0]["results"]
    return results


def test_sarif_carries_only_what_fails_unless_asked_for_more() -> None:
    outcome = outcome_of(DOCUMENT, SOURCE)
    every = [fo for d in outcome.documents for p in d.passages for fo in p.findings]
    failing = [fo for fo in every if fo.status == "fail"]
    assert 0 < len(failing) < len(every)
    default = sarif_results(outcome)
    assert [r["properties"]["status"] for r in default] == ["fail"] * len(failing)
    assert len(sarif_results(outcome, SarifLevel.all)) == len(every)
    warned = sarif_results(outcome, SarifLevel.warning)
    assert {r["level"] for r in warned} <= {"warning", "error"} and len(failing) <= len(warned) < len(every)
    # a type the manifest ignores is not in the default report, however severe
    ignoring = outcome_of(DOCUMENT, SOURCE, policy=Policy(ignore_types=frozenset({FindingType.SILENT_OMISSION})))
    assert not [r for r in sarif_results(ignoring) if r["ruleId"] == "silent_omission"]
    assert [r for r in sarif_results(ignoring, SarifLevel.warning) if r["ruleId"] == "silent_omission"]


def test_every_sarif_result_has_a_message_and_the_source_as_a_related_location() -> None:
    document = DOCUMENT + ("\nThey added: \"Repairs to the eastern pier will  cost 40,000 pounds\u200b and take six "
                           "weeks\" and \"the ferry will  run every hour\", according to the engineer.\n"
                           "Also \"the moon is made of cheese and the council will sell it\".\n")
    outcome = outcome_of(document, SOURCE)
    results = sarif_results(outcome, SarifLevel.all)
    passages = {p.passage.id: p.passage for d in outcome.documents for p in d.passages}
    assert {r["ruleId"] for r in results} >= {"silent_omission", "normalization", "hidden_character", "unsourced"}
    for r in results:
        text = r["message"]["text"]
        assert text.strip() and "“”" not in text and "“ ”" not in text, text
        if passages[r["properties"]["passage"]].match is not None:
            (related,) = r["relatedLocations"]
            assert related["physicalLocation"]["artifactLocation"]["uri"] == "src1.txt"
            assert related["physicalLocation"]["region"]["startLine"] == 1 and related["message"]["text"]
        else:
            assert "relatedLocations" not in r


def test_check_and_report_take_the_sarif_level(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(tmp_path)
    assert main_in(project, "check", "--no-timestamp", "-f", "sarif", "-f", "json") == 1
    log = json.loads((project / "out" / "provenance.sarif").read_text(encoding="utf-8"))
    assert [r["properties"]["status"] for r in log["runs"][0]["results"]] == ["fail"]
    assert main_in(project, "check", "--no-timestamp", "-f", "sarif", "--sarif-level", "all") == 1
    log = json.loads((project / "out" / "provenance.sarif").read_text(encoding="utf-8"))
    assert len(log["runs"][0]["results"]) > 1 and log["runs"][0]["properties"]["level"] == "all"
    capsys.readouterr()
    assert main_in(project, "report", "out/docs/altered.md.json", "-f", "sarif", "--sarif-level", "warning") == 0
    log = json.loads(capsys.readouterr().out)
    assert {r["level"] for r in log["runs"][0]["results"]} == {"error"}


def test_a_finding_without_a_source_span_is_related_to_its_passage_in_the_source() -> None:
    record = report_record(run(DOCUMENT, SOURCE))
    first = record.passages[0]
    bare = msgspec.structs.replace(first, findings=tuple(msgspec.structs.replace(f, src_span=None)
                                                         for f in first.findings))
    outcome = evaluate([("doc.txt", msgspec.structs.replace(record, passages=(bare, *record.passages[1:])))],
                       Policy())
    (result,) = sarif_results(outcome)
    (related,) = result["relatedLocations"]
    assert first.match is not None and related["message"]["text"] == "the passage in source src1"
    assert related["physicalLocation"]["region"]["charOffset"] == first.match.src_span.start


def test_github_annotations_are_one_escaped_command_per_failing_finding() -> None:
    from provenance.report.github import render_github

    document = ("The council wrote that \"the council will close the northern bridge before the spring\" and "
                "\"Repairs to the eastern pier will cost 40,000 pounds and take five weeks\u202e\".\n")
    record = report_record(run(document, SOURCE))
    hostile = "a%0A::error::forged\n##[error]x\u202e"
    first = record.passages[0]
    first = msgspec.structs.replace(first, findings=tuple(msgspec.structs.replace(f, doc_text=hostile)
                                                          for f in first.findings))
    record = msgspec.structs.replace(record, passages=(first, *record.passages[1:]),
                                     document=msgspec.structs.replace(record.document, path="docs/a,b:c%d\n.md"))
    outcome = evaluate([("x", record)], Policy())
    lines = render_github(outcome).splitlines()
    failing = [fo for d in outcome.documents for _, fo in d.failing()]
    assert len(lines) == len(failing) >= 3
    assert all(line.startswith(("::error file=docs/a%2Cb%3Ac%25d⟨U+000A⟩.md,line=",
                                "::warning file=docs/a%2Cb%3Ac%25d⟨U+000A⟩.md,line=")) for line in lines), lines
    levels = [line[2:line.index(" ")] for line in lines]
    assert levels == sorted(levels, key=["error", "warning", "notice"].index)  # errors first
    forged = [line for line in lines if "forged" in line]
    assert forged and all("a%250A::error::forged ⟨U+0023⟩#[error]x⟨U+202E⟩" in line for line in forged)
    assert not any("\u202e" in line or "##[" in line for line in lines)
    assert not render_github(outcome_of(DOCUMENT.replace("will close", "will not close"), SOURCE))
