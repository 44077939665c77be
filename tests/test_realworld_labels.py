"""The real-world labelled set (`benchmarks/realworld`): its labels are in the scorer's format and
name only finding types, verdicts and source files that exist."""

from __future__ import annotations

import json
from pathlib import Path

from provenance.model import FindingType, Verdict

FOLDER = Path(__file__).resolve().parent.parent / "benchmarks" / "realworld"


def test_every_label_names_a_real_type_verdict_and_source() -> None:
    cases = json.loads((FOLDER / "labels.json").read_text(encoding="utf-8"))
    names = [c["name"] for c in cases]
    assert len(names) == len(set(names)) and len(cases) >= 15
    types = {t.value for t in FindingType}
    verdicts = {v.value for v in Verdict}
    for case in cases:
        assert case["url"].startswith(("http://", "https://")), case["name"]
        assert all((FOLDER / "sources" / s).is_file() for s in case["sources"]), case["name"]
        for expected in case["expect"]:
            wanted = expected["type"] if isinstance(expected["type"], list) else [expected["type"]]
            assert set(wanted) <= types, (case["name"], expected)
            assert set(expected) <= {"type", "doc", "src", "impact"}, (case["name"], expected)
        for verdict in case["verdicts"]:
            assert verdict["verdict"] in verdicts and verdict["contains"].strip(), (case["name"], verdict)
        assert isinstance(case["exhaustive"], bool) and isinstance(case["clean"], list)


def test_the_manifest_lists_every_case_with_its_page() -> None:
    cases = json.loads((FOLDER / "labels.json").read_text(encoding="utf-8"))
    manifest = (FOLDER / "MANIFEST.md").read_text(encoding="utf-8")
    for case in cases:
        assert f"### {case['name']}" in manifest and case["url"] in manifest, case["name"]
