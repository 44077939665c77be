"""The command line for a person at a keyboard: `-h`, shell completion, and errors that say what to do."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from provenance.cli import main

COMMANDS = ((), ("compare",), ("check",), ("report",), ("collate",), ("scan",), ("index",), ("index", "build"),
            ("index", "add"), ("index", "stats"))


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "provenance")
def test_dash_h_is_help_everywhere(command: tuple[str, ...], capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*command, "--help"]) == 0
    long = capsys.readouterr().out
    assert main([*command, "-h"]) == 0
    short = capsys.readouterr()
    assert short.out == long and short.out.startswith("Usage: provenance") and not short.err
    assert "-h, --help" in short.out


def _complete(words: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "_PROVENANCE_COMPLETE": "complete_bash", "COMP_WORDS": words,
           "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)), "HOME": str(tmp_path)}
    script = Path(sys.executable).parent / "provenance"
    return subprocess.run([str(script)], env=env, capture_output=True, text=True, check=False, cwd=tmp_path)


def test_shell_completion_completes_commands_and_options(tmp_path: Path) -> None:
    commands = _complete("provenance co", tmp_path)
    assert commands.returncode == 0, commands.stderr
    assert commands.stdout.split() == ["compare", "collate"]
    options = _complete("provenance check --no-", tmp_path)
    assert {"--no-reports", "--no-timestamp"} <= set(options.stdout.split())
    formats = _complete("provenance compare a.md -f ", tmp_path)
    assert {"json", "html", "sarif"} <= set(formats.stdout.split())


def test_completion_scripts_are_shown_and_installed(tmp_path: Path) -> None:
    script = str(Path(sys.executable).parent / "provenance")
    env = {**os.environ, "HOME": str(tmp_path)}
    shown = subprocess.run([script, "--show-completion", "bash"], env=env, capture_output=True, text=True, check=False)
    assert shown.returncode == 0 and "_PROVENANCE_COMPLETE=complete_bash" in shown.stdout, shown.stderr
    installed = subprocess.run([script, "--install-completion", "bash"], env=env, capture_output=True, text=True,
                               check=False)
    assert installed.returncode == 0 and "bash completion installed" in installed.stdout, installed.stderr
    assert "provenance" in (tmp_path / ".bashrc").read_text(encoding="utf-8")


SOURCE = "The council will not close the north harbour during the coming weeks to prepare for repairs.\n"
DOCUMENT = "The council said it “will close the north harbour during the coming weeks”, residents heard.\n"


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    doc = tmp_path / "article.md"
    src = tmp_path / "notice.txt"
    doc.write_text(DOCUMENT, encoding="utf-8")
    src.write_text(SOURCE, encoding="utf-8")
    return doc, src


def test_each_finding_line_of_the_terminal_view_names_its_severity(
        files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    doc, src = files
    assert main(["compare", str(doc), "-s", str(src), "--width", "120"]) == 0
    bullets = [line.split("•", 1)[1].split() for line in capsys.readouterr().out.splitlines() if "•" in line]
    assert bullets and all(words[0] in ("info", "warning", "error") for words in bullets), bullets
    assert ["error", "silent_omission", "[negation]"] == bullets[0][:3]
