"""The command line end to end: outputs, atomic writes, and one-line errors with exit 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from provenance.cli import main

SOURCE = "The council will not close the north harbour during the coming weeks to prepare for repairs.\n"
DOCUMENT = "The council said it “will close the north harbour during the coming weeks”, residents heard.\n"


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    doc = tmp_path / "article.md"
    src = tmp_path / "notice.txt"
    doc.write_text(DOCUMENT, encoding="utf-8")
    src.write_text(SOURCE, encoding="utf-8")
    return doc, src


def test_terminal_output(files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    doc, src = files
    assert main(["compare", str(doc), "--source", str(src), "--width", "100"]) == 0
    out = capsys.readouterr().out
    assert "ALTERED" in out and "[-not-]" in out and "silent_omission" in out


def test_json_output_to_a_file(files: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc, src = files
    out_path = tmp_path / "report.json"
    assert main(["compare", str(doc), "-s", str(src), "--format", "json", "-o", str(out_path)]) == 0
    assert capsys.readouterr().out == ""
    data = json.loads(out_path.read_text(encoding="utf-8"))
    assert data["passages"][0]["verdict"] == "altered"
    assert "generated_at" in data
    assert not list(tmp_path.glob(".*.tmp"))  # no temporary file left behind


def test_no_timestamp_gives_identical_bytes(files: tuple[Path, Path], tmp_path: Path) -> None:
    doc, src = files
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    for target in (a, b):
        assert main(["compare", str(doc), "-s", str(src), "-f", "json", "--no-timestamp", "-o", str(target)]) == 0
    assert a.read_bytes() == b.read_bytes()


def test_whole_mode(files: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, src = files
    copy = tmp_path / "copy.txt"
    copy.write_text(SOURCE.replace("coming", "comming"), encoding="utf-8")
    assert main(["compare", str(copy), "-s", str(src), "--whole", "-f", "json", "--no-timestamp"]) == 0
    data = json.loads(capsys.readouterr().out)
    (p,) = data["passages"]
    assert p["kind"] == "whole"
    assert [f["type"] for f in p["findings"]] == ["transcription_error"]


def one_line_error(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert "Traceback" not in err
    return err


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: [str(d / "missing.md"), "-s", str(d / "notice.txt")], "no such file"),
        (lambda d: [str(d), "-s", str(d / "notice.txt")], "is a directory"),
        (lambda d: [str(d / "binary.bin"), "-s", str(d / "notice.txt")], "not a text file"),
        (lambda d: [str(d / "empty.md"), "-s", str(d / "notice.txt")], "is empty"),
        (lambda d: [str(d / "article.md")], "no source given"),
        (lambda d: [str(d / "article.md"), "-s", str(d / "notice.txt"), "--format", "xml"], "--format"),
        (lambda d: [str(d / "article.md"), "-s", str(d / "notice.txt"), "-o", str(d / "no" / "dir.json")],
         "no directory"),
        (lambda d: [str(d / "article.md"), "-s", str(d / "notice.txt"), "--max-bytes", "10"], "--max-bytes"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(files: tuple[Path, Path], tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str], make, message: str) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "binary.bin").write_bytes(bytes(range(256)) * 20)
    (tmp_path / "empty.md").write_bytes(b"")
    assert main(["compare", *make(tmp_path)]) == 2
    err = one_line_error(capsys)
    assert err.startswith("provenance: error: ")
    assert message in err


def test_an_error_leaves_an_existing_report_untouched(files: tuple[Path, Path], tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    doc, _ = files
    out_path = tmp_path / "report.json"
    out_path.write_text("previous report", encoding="utf-8")
    assert main(["compare", str(doc), "-s", str(tmp_path / "gone.txt"), "-f", "json", "-o", str(out_path)]) == 2
    assert out_path.read_text(encoding="utf-8") == "previous report"
    one_line_error(capsys)


def test_help_and_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("provenance ")
    assert main(["compare", "--help"]) == 0
    out = capsys.readouterr().out
    for option in ("--source", "--whole", "--format", "--output", "--no-timestamp", "--max-bytes"):
        assert option in out


def test_console_script_runs_as_a_process(files: tuple[Path, Path]) -> None:
    doc, src = files
    proc = subprocess.run([sys.executable, "-m", "provenance", "compare", str(doc), "-s", str(src), "-f", "json"],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["summary"]["passages"] == 1
    bad = subprocess.run([sys.executable, "-m", "provenance", "compare", str(doc)],
                         capture_output=True, text=True, check=False)
    assert bad.returncode == 2
    assert bad.stderr.strip() == "provenance: error: no source given (name at least one with --source)"


def test_output_through_a_link_replaces_its_target(files: tuple[Path, Path], tmp_path: Path) -> None:
    doc, src = files
    target = tmp_path / "target.json"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    assert main(["compare", str(doc), "-s", str(src), "-f", "json", "-o", str(link)]) == 0
    assert link.is_symlink()
    assert json.loads(target.read_text(encoding="utf-8"))["schema"] == "provenance.report/1"


def test_output_to_a_device_is_written_through(files: tuple[Path, Path]) -> None:
    import os

    doc, src = files
    assert main(["compare", str(doc), "-s", str(src), "-f", "json", "-o", os.devnull]) == 0
    assert Path(os.devnull).is_char_device()


def test_an_internal_error_is_one_line_reported_as_a_bug(files: tuple[Path, Path], capsys: pytest.CaptureFixture[str],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    import provenance.cli as cli

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("something broke")

    monkeypatch.setattr(cli, "compare", broken)
    doc, src = files
    assert main(["compare", str(doc), "-s", str(src)]) == 70
    err = one_line_error(capsys)
    assert "internal error" in err and "something broke" in err


def test_document_from_standard_input(files: tuple[Path, Path], capsys: pytest.CaptureFixture[str],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    _, src = files
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(DOCUMENT.encode("utf-8"))))
    assert main(["compare", "-", "-s", str(src), "-f", "json", "--no-timestamp"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["document"]["path"] == "-"
    assert data["passages"][0]["verdict"] == "altered"
