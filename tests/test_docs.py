"""The docs are tested: the README's commands are the ones CI runs, and every command has help."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from provenance.cli import main
from provenance.manifest import load_manifest

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
    assert "provenance check --config inputs/provenance.toml" in command
    manifest = load_manifest(ROOT / "inputs" / "provenance.toml")
    assert manifest.report_dir.resolve() == (ROOT / "reports").resolve()
    assert all(d.path.resolve().parent == (ROOT / "inputs").resolve() for d in manifest.documents)


def test_every_command_and_option_in_the_readme_exists(capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("compare", "check", "report"):
        assert main([command, "--help"]) == 0
        help_text = capsys.readouterr().out
        for usage in set(re.findall(rf"provenance {command} [^\n`]*", README)):
            for flag in re.findall(r"(--[a-z-]+)", usage.split("&&")[0]):
                assert flag in help_text, (command, flag)


def _main_job(report_dir: Path) -> list[subprocess.CompletedProcess[str]]:
    """The README's main job, its reports sent to another folder."""
    command = readme_command("Run the example")
    runs = []
    for part in (p.strip() for p in command.split("&&")):
        words = part.split()
        if not words[0].endswith("/provenance"):
            continue  # setting up the venv
        args = words[2:]
        if words[1] == "check":
            args += ["--report-dir", str(report_dir)]
        if "--output" in args:
            args[args.index("--output") + 1] = str(report_dir / Path(args[args.index("--output") + 1]).name)
        args = [x for a in args for x in (sorted(str(p.relative_to(ROOT)) for p in ROOT.glob(a)) if "*" in a else [a])]
        runs.append(subprocess.run([sys.executable, "-m", "provenance", words[1], *args], capture_output=True,
                                   text=True, check=False, cwd=ROOT))
    return runs


def test_the_main_job_passes_and_the_committed_reports_are_up_to_date(tmp_path: Path) -> None:
    """reports/ holds what the main job gives today, byte for byte: rerun it after changing the comparator."""
    runs = _main_job(tmp_path)
    assert len(runs) >= 2
    for proc in runs:
        assert proc.returncode == 0, proc.stdout + proc.stderr
    fresh = {p.relative_to(tmp_path).as_posix(): p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    assert {"provenance.html", "provenance.md", "provenance.sarif", "provenance.junit.xml", "article.md.json",
            "letter-retyped.txt.json", "collation.txt", "collation.json", "collation.html",
            "collation.tei.xml"} <= set(fresh)
    committed = {name: (ROOT / "reports" / name).read_bytes() for name in fresh if (ROOT / "reports" / name).is_file()}
    stale = sorted(name for name in fresh if committed.get(name) != fresh[name])
    assert not stale, f"reports/ is not what the main job writes today: {stale}"
