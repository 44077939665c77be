"""The docs are tested: the README's commands are the ones CI runs, every command and option they name
exists, every link leads somewhere, every Python name they cite can be imported, and the findings
page is the taxonomy the code reads."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

from provenance.check.manifest import load_manifest
from provenance.cli import main
from provenance.taxonomy import TAXONOMY

from conftest import documentation

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


PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
COMMANDS = ("compare", "check", "report", "collate", "scan", "index build", "index add", "index stats")


def test_every_command_and_option_in_the_docs_exists(capsys: pytest.CaptureFixture[str]) -> None:
    docs = documentation()
    for command in COMMANDS:
        assert main([*command.split(), "--help"]) == 0
        help_text = capsys.readouterr().out
        usages = set(re.findall(rf"provenance {command} [^\n`]*", docs))
        assert usages, f"the docs never show `provenance {command}`"
        for usage in usages:
            for flag in re.findall(r"(--[a-z-]+)", usage.split("&&")[0]):
                assert flag in help_text, (command, flag)


def _anchors(page: Path) -> set[str]:
    """The anchors GitHub gives the headings of a Markdown page."""
    headings = re.findall(r"^#+ (.+)$", page.read_text(encoding="utf-8"), re.M)
    return {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in headings}


def test_every_link_in_the_docs_leads_to_a_page_and_a_heading() -> None:
    broken = []
    for page in PAGES:
        for target in re.findall(r"\]\(([^)\s]+)\)", page.read_text(encoding="utf-8")):
            if re.match(r"[a-z]+:", target):
                continue  # a web address
            path, _, anchor = target.partition("#")
            linked = (page.parent / path).resolve() if path else page
            if not linked.exists() or (anchor and anchor not in _anchors(linked)):
                broken.append(f"{page.relative_to(ROOT)}: {target}")
    assert not broken, broken
    readme = README
    assert all(f"(docs/{p.name})" in readme for p in PAGES[1:]), "every docs page is linked from the README"


def test_every_python_name_the_docs_cite_exists() -> None:
    cited = set(re.findall(r"`(provenance(?:\.[A-Za-z_]\w*)+)[`(]", documentation()))
    file_names = {"toml", "html", "md", "sarif", "junit", "github"}
    missing = []
    for name in sorted(cited):
        parts = name.split(".")
        if parts[1] in file_names:
            continue  # a report's file name, not a module
        for split in range(len(parts), 0, -1):
            try:
                obj: object = importlib.import_module(".".join(parts[:split]))
            except ImportError:
                continue
            try:
                for attribute in parts[split:]:
                    obj = getattr(obj, attribute)
            except AttributeError:
                missing.append(name)
            break
        else:
            missing.append(name)
    assert cited and not missing, missing


def test_the_findings_page_is_the_taxonomy() -> None:
    page = (ROOT / "docs" / "findings.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([a-z_]+)` \| (info|warning|error) \|", page, re.M)
    assert rows == [(rule.type.value, rule.severity.value) for rule in TAXONOMY]


def test_every_module_the_architecture_page_names_exists() -> None:
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`((?:provenance/)?[a-z_/]+\.py)`", page))
    assert named
    missing = [n for n in named if not ((ROOT / n).exists() or (ROOT / "provenance" / n).exists())]
    assert not missing, missing


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
    assert len(runs) == 1, "the main job is one provenance check, which writes the collations too"
    for proc in runs:
        assert proc.returncode == 0, proc.stdout + proc.stderr
    fresh = {p.relative_to(tmp_path).as_posix(): p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    assert {"provenance.html", "provenance.md", "provenance.sarif", "provenance.junit.xml", "article.md.json",
            "letter-retyped.txt.json", "collation.txt", "collation.json", "collation.html",
            "collation.tei.xml"} <= set(fresh)
    committed = {name: (ROOT / "reports" / name).read_bytes() for name in fresh if (ROOT / "reports" / name).is_file()}
    stale = sorted(name for name in fresh if committed.get(name) != fresh[name])
    assert not stale, f"reports/ is not what the main job writes today: {stale}"


def test_the_architecture_page_names_every_module() -> None:
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    modules = [p.relative_to(ROOT).as_posix() for p in sorted((ROOT / "provenance").rglob("*.py"))]
    unnamed = [m for m in modules if f"`{m}`" not in page and not m.endswith("/__init__.py")]
    assert not unnamed, f"docs/architecture.md does not say what these modules own: {unnamed}"
