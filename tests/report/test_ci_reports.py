"""The reports CI reads, as a CI engineer needs them: stable JUnit names, SARIF that carries what fails,
GitHub annotations."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from provenance.check.manifest import Policy
from provenance.check.policy import CheckOutcome, evaluate
from provenance.report.json_report import report_record
from provenance.report.junit import render_junit

from conftest import run

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
