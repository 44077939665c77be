"""The docs are tested: the README's commands are the ones CI runs, and every command has help."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from provenance.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def readme_command(label: str) -> str:
    """The shell command in the README's code block right after the line naming `label`."""
    m = re.search(rf"{re.escape(label)}.*?\n```(?:sh|bash)?\n(.+?)\n```", README, re.S)
    assert m, f"README has no command after {label!r}"
    return m.group(1).strip()


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert readme_command("Run the tests") in ci


def test_main_job_writes_reports_from_the_inputs() -> None:
    command = readme_command("Run the example")
    assert "inputs/" in command and "reports/" in command
    for path in re.findall(r"inputs/[\w./-]+", command):
        assert (ROOT / path).is_file(), path


def test_every_command_and_option_in_the_readme_exists(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", "--help"]) == 0
    help_text = capsys.readouterr().out
    for option in set(re.findall(r"provenance compare [^\n`]*", README)):
        for flag in re.findall(r"(--[a-z-]+)", option):
            assert flag in help_text, flag


def test_the_main_job_runs(tmp_path: Path) -> None:
    """The README's example comparison, with its outputs sent to a temporary folder."""
    command = readme_command("Run the example")
    compare_parts = [part.strip() for part in command.split("&&") if "provenance compare" in part]
    assert compare_parts
    for part in compare_parts:
        args = part.split()[2:]  # after ".venv/bin/provenance compare"
        args = [str(tmp_path / Path(a).name) if a.startswith("reports/") else str(ROOT / a) if a.startswith(
            "inputs/") else a for a in args]
        proc = subprocess.run([sys.executable, "-m", "provenance", "compare", *args], capture_output=True,
                              text=True, check=False)
        assert proc.returncode == 0, proc.stderr
    assert {p.suffix for p in tmp_path.iterdir()} >= {".json", ".txt"}


def test_the_committed_json_report_is_up_to_date(tmp_path: Path) -> None:
    """reports/ holds what the main job gives today: rerun it after changing the comparator."""
    command = readme_command("Run the example")
    part = next(p.strip() for p in command.split("&&") if "--format json" in p)
    args = [str(tmp_path / "article.json") if a.startswith("reports/") else str(ROOT / a)
            if a.startswith("inputs/") else a for a in part.split()[2:]]
    proc = subprocess.run([sys.executable, "-m", "provenance", "compare", *args], capture_output=True, text=True,
                          check=False, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    fresh = (tmp_path / "article.json").read_text(encoding="utf-8")
    committed = (ROOT / "reports" / "article.json").read_text(encoding="utf-8")
    # paths differ (absolute here); compare everything else
    assert fresh.replace(str(ROOT) + "/", "") == committed
