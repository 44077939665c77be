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


def test_the_builder_fails_on_a_missing_page_unless_told_to_build_what_is_present(tmp_path: Path) -> None:
    import subprocess
    import sys

    cases = json.loads((FOLDER / "labels.json").read_text(encoding="utf-8"))
    pages = tmp_path / "pages"
    pages.mkdir()
    first = cases[0]["name"]
    (pages / f"{first}.txt").write_text("A page quoting nothing.\n", encoding="utf-8")
    script = [sys.executable, str(FOLDER / "build_cases.py"), "--pages", str(pages), "--out", str(tmp_path / "out")]
    refused = subprocess.run(script, capture_output=True, text=True)
    assert refused.returncode == 2 and "no page text" in refused.stderr and not (tmp_path / "out").exists()
    built = subprocess.run([*script, "--present-only"], capture_output=True, text=True)
    assert built.returncode == 0 and cases[1]["name"] in built.stdout
    assert [p.name for p in (tmp_path / "out").iterdir()] == [first]
    spec = json.loads((tmp_path / "out" / first / "case.json").read_text(encoding="utf-8"))
    assert spec["expect"] == cases[0]["expect"] and spec["sources"] == cases[0]["sources"]
