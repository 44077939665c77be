"""Collations declared in the manifest (`[[collations]]`): one `provenance check` writes them with its reports."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import MANIFEST, main_in, make_project

COPIES = {
    "copy-a.txt": "Four score and seven years ago our fathers brought forth on this continent a new nation.\n",
    "copy-b.txt": "Four score and seven years ago our fathers brought forth upon this continent a new nation.\n",
    "copy-c.txt": "Fourscore and seven years ago our fathers brought forth on this continent a nation.\n",
}


def _project(tmp_path: Path, collations: str) -> Path:
    project = make_project(tmp_path, MANIFEST + "\n" + collations)
    (project / "copies").mkdir()
    for name, text in COPIES.items():
        (project / "copies" / name).write_text(text, encoding="utf-8")
    return project


def _check(project: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main_in(project, "check", "--no-timestamp", *args)
    out = capsys.readouterr()
    return code, out.out, out.err


def _collate(project: Path, capsys: pytest.CaptureFixture[str], *args: str) -> bytes:
    """What `provenance collate` writes, run from the project's folder with the witnesses as the shell gives them."""
    target = project / "collate-output"
    witnesses = sorted(f"copies/{name}" for name in COPIES)
    assert main_in(project, "collate", *witnesses, *args, "--output", str(target)) == 0
    capsys.readouterr()
    data = target.read_bytes()
    target.unlink()
    return data


def test_a_check_writes_the_collations_of_its_manifest_as_collate_does(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = _project(tmp_path, '[[collations]]\nwitnesses = ["copies/copy-*.txt"]\n\n'
                                 '[[collations]]\nwitnesses = ["copies/copy-c.txt", "copies/copy-a.txt"]\n'
                                 'name = "two"\nformats = ["json"]\nbase = "copies/copy-a.txt"\n')
    code, _, err = _check(project, capsys)
    assert code == 1, err  # the documents' dropped "not" fails the check; the collations are written all the same
    out = project / "out"
    assert (out / "collation.txt").read_bytes() == _collate(project, capsys, "--width", "110")
    for fmt, suffix in (("json", ".json"), ("html", ".html"), ("tei", ".tei.xml")):
        assert (out / f"collation{suffix}").read_bytes() == _collate(project, capsys, "--format", fmt), fmt
    assert sorted(p.name for p in out.glob("two*")) == ["two.json"]
    assert main_in(project, "collate", "copies/copy-c.txt", "copies/copy-a.txt", "--base", "copy-a",
                   "--format", "json", "--output", str(project / "two.json")) == 0
    assert (out / "two.json").read_bytes() == (project / "two.json").read_bytes()  # base named by its path
    assert '"base": "copy-a"' in (out / "two.json").read_text(encoding="utf-8")


def test_a_collation_is_made_only_when_its_witnesses_are_given_or_reports_are_written(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = _project(tmp_path, '[[collations]]\nwitnesses = ["copies/*.txt"]\nformats = ["json"]\nbase = "copy-b"\n')
    _check(project, capsys, "--write-baseline", "--no-reports")  # the baseline named exists: runs on files stay partial
    shutil.rmtree(project / "out", ignore_errors=True)
    _check(project, capsys, "docs/faithful.md")  # a pre-commit run on a document only
    assert not (project / "out" / "collation.json").exists()
    assert _check(project, capsys, "copies/copy-b.txt")[0] == 0  # a witness changed: its collation, no document
    assert '"base": "copy-b"' in (project / "out" / "collation.json").read_text(encoding="utf-8")
    (project / "out" / "collation.json").unlink()
    _check(project, capsys, "--no-reports")
    _check(project, capsys, "--write-baseline")
    assert not (project / "out" / "collation.json").exists()


@pytest.mark.parametrize(("table", "message"), [
    ('witnesses = ["copies/copy-a.txt"]', "collations[0].witnesses: a collation needs two or more files, found 1"),
    ('witnesses = ["copies/*.md"]', "collations[0].witnesses[0]: no file matches 'copies/*.md'"),
    ('witnesses = ["copies/*.txt"]\nname = "a/b"', "collations[0].name: 'a/b' is not a file name"),
    ('witnesses = ["copies/*.txt"]\nname = ".."', "collations[0].name: '..' is not a file name"),
    ('witnesses = ["copies/*.txt"]\nformats = ["pdf"]', "collations[0].formats[0]"),
    ('witnesses = ["copies/*.txt"]\nformats = []', "collations[0].formats: name at least one format"),
    ('witnesses = ["copies/*.txt"]\ncolour = true', "collations[0]"),
    ('witnesses = ["../*.txt"]', "collations[0].witnesses[0]: '../*.txt' is outside the project"),
    ('witnesses = ["copies/*.txt"]\n\n[[collations]]\nwitnesses = ["copies/*.txt"]',
     "collations[1].name: 'collation' is already the name of collations[0]"),
])
def test_a_broken_collation_table_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], table: str,
                                              message: str) -> None:
    project = _project(tmp_path, f"[[collations]]\n{table}\n")
    code, _, err = _check(project, capsys)
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1, err
    assert not (project / "out").exists()


def test_a_collation_may_not_write_a_report_of_the_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = _project(tmp_path, '[[collations]]\nwitnesses = ["copies/*.txt"]\nname = "provenance"\n'
                                 'formats = ["html"]\n')
    code, _, err = _check(project, capsys)
    assert code == 2 and "collations[0].name: 'provenance' would write provenance.html, a report of the check" in err
    assert not (project / "out").exists()


def test_a_collation_that_cannot_be_made_fails_alone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = _project(tmp_path, '[[collations]]\nwitnesses = ["copies/*.txt"]\nname = "bad"\n\n'
                                 '[[collations]]\nwitnesses = ["copies/copy-a.txt", "copies/copy-b.txt"]\n'
                                 'formats = ["json"]\n')
    (project / "copies" / "empty.txt").write_text("  ...  \n", encoding="utf-8")
    code, out, err = _check(project, capsys)
    assert code == 2, out + err
    assert err == "provenance: error: collations[0] (bad): not collated: witness 'copies/empty.txt': holds no words\n"
    assert (project / "out" / "collation.json").is_file() and (project / "out" / "provenance.html").is_file()
    assert not list((project / "out").glob("bad*"))
