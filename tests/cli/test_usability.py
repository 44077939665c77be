"""The command line for a person at a keyboard: `-h`, shell completion, and errors that say what to do."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from provenance.cli import main

from conftest import NOTICE as SOURCE
from conftest import NOTICE_QUOTED as DOCUMENT

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


def test_each_finding_line_of_the_terminal_view_names_its_severity(
        files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    doc, src = files
    assert main(["compare", str(doc), "-s", str(src), "--width", "120"]) == 0
    bullets = [line.split("•", 1)[1].split() for line in capsys.readouterr().out.splitlines() if "•" in line]
    assert bullets and all(words[0] in ("info", "warning", "error") for words in bullets), bullets
    assert ["error", "silent_omission", "[negation]"] == bullets[0][:3]


def one_line_error(capsys: pytest.CaptureFixture[str]) -> str:
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1 and "Traceback" not in captured.err, captured.err
    assert not captured.out
    return captured.err


def test_a_forgotten_dash_s_says_what_to_type(files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    doc, src = files
    assert main(["compare", str(doc), str(src)]) == 2
    err = one_line_error(capsys)
    assert "two files and no --source" in err and f"provenance compare {doc} -s {src}" in err
    assert "unexpected extra argument" not in err


def test_a_pattern_the_shell_expanded_after_dash_s_says_to_repeat_it(
        files: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc, src = files
    other = tmp_path / "wire.txt"
    other.write_text(SOURCE, encoding="utf-8")
    assert main(["compare", str(doc), "-s", str(src), str(other)]) == 2  # what `-s *.txt` gives
    err = one_line_error(capsys)
    assert "compare takes one document" in err and "repeat -s before each source" in err and "folder" in err
    assert main(["compare", str(doc), str(src), str(other)]) == 2  # `compare *.md *.txt`
    assert "3 files and no --source" in one_line_error(capsys)


@pytest.mark.parametrize("args", [
    ["compare", "{d}/*.rst", "-s", "{d}/notice.txt"],
    ["compare", "{d}/article.md", "-s", "{d}/sources/*.txt"],
    ["collate", "{d}/copies/*.txt", "{d}/notice.txt"],
    ["index", "build", "{d}/sources/*.txt", "-i", "{d}/index.db"],
    ["scan", "{d}/docs/*.md", "-i", "{d}/index.db", "-o", "{d}/out"],
    ["report", "{d}/out/*.json"],
])
def test_a_pattern_that_matched_nothing_is_named_as_one(files: tuple[Path, Path], tmp_path: Path, args: list[str],
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert main([a.format(d=tmp_path) for a in args]) == 2
    err = one_line_error(capsys)
    assert "matches" in err and "*." in err and "the shell passes a pattern that matches nothing as it is" in err


def test_check_names_a_pattern_that_matched_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from conftest import main_in, make_project

    project = make_project(tmp_path)
    assert main_in(project, "check", "docs/*.rst") == 2
    assert "no file matches 'docs/*.rst'" in one_line_error(capsys)


def test_a_folder_of_sources_is_every_file_in_it_that_can_be_read(
        files: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc, src = files
    folder = tmp_path / "sources"
    (folder / "more").mkdir(parents=True)
    (folder / "more" / "notice.txt").write_text(SOURCE, encoding="utf-8")
    (folder / "other.txt").write_text("A letter about something else entirely, with no harbour in it.\n",
                                      encoding="utf-8")
    (folder / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (folder / ".hidden.txt").write_text(SOURCE, encoding="utf-8")
    assert main(["compare", str(doc), "-s", str(folder), "-f", "json", "--no-timestamp"]) == 0
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert [s["path"] for s in data["sources"]] == [str(folder / "more" / "notice.txt"), str(folder / "other.txt")]
    assert data["passages"][0]["match"]["source"] == "notice"
    assert captured.err.count("\n") == 1 and "left out of the sources" in captured.err and "photo.png" in captured.err
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["compare", str(doc), "-s", str(empty)]) == 2
    assert "holds no file" in one_line_error(capsys)


def test_a_document_and_source_swapped_are_warned_about(files: tuple[Path, Path],
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    doc, src = files
    assert main(["compare", str(doc), "-s", str(src), "-f", "json"]) == 0
    assert capsys.readouterr().err == ""  # the right way round: no warning
    assert main(["compare", str(src), "-s", str(doc), "-f", "json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["passages"] is not None  # the report is made all the same
    assert captured.err.count("\n") == 1 and "are the two swapped?" in captured.err
    assert "provenance compare DOCUMENT -s SOURCE" in captured.err


def test_only_failing_shows_only_the_findings_that_fail(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "notice.txt"
    src.write_text(SOURCE + "\nThe ferry will run every hour on weekdays, the harbour master said.\n",
                   encoding="utf-8")
    doc = tmp_path / "article.md"
    doc.write_text(DOCUMENT + "\nThe harbour master said that \"the Ferry will run every hour on weekdays\".\n",
                   encoding="utf-8")
    assert main(["compare", str(doc), "-s", str(src), "--width", "120"]) == 0
    full = capsys.readouterr().out
    assert "normalization" in full or "normalisation difference" in full
    assert main(["compare", str(doc), "-s", str(src), "--width", "120", "--only-failing"]) == 0
    out = capsys.readouterr().out
    assert "silent_omission" in out and "Only failing findings shown" in out
    assert "normalisation difference" not in out and "FAITHFUL" not in out and out.count("ALTERED") == 1
    assert main(["compare", str(doc), "-s", str(src), "-f", "json", "--only-failing"]) == 2
    assert "--only-failing" in one_line_error(capsys)


VALIDATOR_WORDING = ("Value error", "Input should", "Invalid value for", "Expected `", "Invalid enum value",
                     "Object contains", "Object missing")


@pytest.mark.parametrize(("args", "said"), [
    (["compare", "{doc}", "-s", "{src}", "--width", "5"],
     "'--width': must be at least 40 (see 'provenance compare -h')"),
    (["compare", "{doc}", "-s", "{src}", "--width", "wide"], "'--width': must be a whole number"),
    (["compare", "{doc}", "-s", "{src}", "-f", "xml"], "'--format': 'xml' is not one of 'terminal', 'json'"),
    (["compare", "{doc}", "-s", "{src}", "--max-bytes", "0"], "'--max-bytes': must be at least 1"),
    (["scan", "{doc}", "-i", "x.db", "-o", "out", "--jobs", "0"], "'--jobs': must be at least 1"),
    (["check", "--sarif-level", "some"], "'--sarif-level': 'some' is not one of 'failing', 'warning', 'all'"),
])
def test_option_errors_are_said_plainly(files: tuple[Path, Path], args: list[str], said: str,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    doc, src = files
    assert main([a.format(doc=doc, src=src) for a in args]) == 2
    err = one_line_error(capsys)
    assert said in err and not any(w in err for w in VALIDATOR_WORDING), err


@pytest.mark.parametrize(("policy", "said"), [
    ("max_cer = -1", "policy.max_cer: must be a number of at least 0"),
    ("fail_on = [\"warn\"]", "policy.fail_on[0]: 'warn' is not one of info, warning, error"),
    ("fail_types = [\"typo\"]", "policy.fail_types[0]: 'typo' is not one of normalization, editorial_insertion,"),
    ("colour = 1", "policy: unknown key 'colour' (the keys here: fail_on, fail_types, ignore_types, baseline,"),
    ("max_wer = \"5%\"", "policy.max_wer: must be a number, not a string"),
])
def test_manifest_errors_are_said_plainly(tmp_path: Path, policy: str, said: str,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    from conftest import MANIFEST, main_in, make_project

    project = make_project(tmp_path, MANIFEST.replace("[policy]\n", f"[policy]\n{policy}\n"))
    assert main_in(project, "check") == 2
    err = one_line_error(capsys)
    assert said in err and not any(w in err for w in VALIDATOR_WORDING), err
