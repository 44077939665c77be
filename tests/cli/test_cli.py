"""The command line end to end: outputs, atomic writes, and one-line errors with exit 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from provenance.cli import main

from conftest import NOTICE as SOURCE
from conftest import NOTICE_QUOTED as DOCUMENT


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

    monkeypatch.setattr(cli, "compare_texts", broken)
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


def test_an_error_naming_a_hostile_path_is_one_escaped_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    name = str(tmp_path / "gone\x1b[2J\n::error title=forged::x\u202e.toml")
    assert main(["check", "--config", name]) == 2
    err = one_line_error(capsys)
    assert "\x1b" not in err and "\u202e" not in err
    assert "gone⟨U+001B⟩[2J ::error title=forged::x⟨U+202E⟩.toml: no such manifest" in err  # spacing folded


def test_index_stats_shows_changed_paths_escaped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "a\x1b]52;c;cHduZWQ=\x07\n::error::b.txt"  # an OSC 52 clipboard write, a forged command
    src.write_text(SOURCE, encoding="utf-8")
    index = tmp_path / "idx.db"
    assert main(["index", "build", str(src), "--index", str(index)]) == 0
    src.write_text(SOURCE + "More.\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["index", "stats", "--index", str(index)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert not any(line.startswith("::") for line in out.splitlines())
    assert "a⟨U+001B⟩]52;c;cHduZWQ=⟨U+0007⟩⟨U+000A⟩::error::b.txt: changed" in out


def test_the_metrics_title_is_no_markup(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "[bold]letter[reverse]\x1b[2J.txt"
    src.write_text(SOURCE, encoding="utf-8")
    copy = tmp_path / "copy.txt"
    copy.write_text(SOURCE.replace("coming", "comming"), encoding="utf-8")
    assert main(["compare", str(copy), "-s", str(src), "--whole", "--width", "120"]) == 0
    out = capsys.readouterr().out
    assert "transcription accuracy against [bold]letter[reverse]⟨U+001B⟩[2J" in out and "\x1b" not in out


@pytest.mark.parametrize("fmt", ["json", "html", "markdown", "sarif", "junit"])
def test_a_file_name_that_is_not_utf8_is_one_line_and_no_report(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                                fmt: str) -> None:
    import os

    src = tmp_path / "notice.txt"
    src.write_text(SOURCE, encoding="utf-8")
    doc = os.fsdecode(os.fsencode(str(tmp_path)) + b"/caf\xe9.md")
    Path(doc).write_text(DOCUMENT, encoding="utf-8")
    out = tmp_path / f"report.{fmt}"
    for args in (["-o", str(out)], []):
        assert main(["compare", doc, "-s", str(src), "-f", fmt, *args]) == 2
        err = one_line_error(capsys)
        assert "caf\\xe9.md" in err and "not valid UTF-8 (byte 0xE9)" in err
    assert not out.exists() and not list(tmp_path.glob(".*.tmp"))
    assert main(["compare", doc, "-s", doc, "-s", str(src)]) == 0  # the terminal view shows it: ⟨U+DCE9⟩
    assert "caf⟨U+DCE9⟩.md" in capsys.readouterr().out


@pytest.mark.parametrize(("args", "message"), [
    (["--width", "100000"], "'--width'"),
    (["--width", "9" * 5000], "'--width'"),
    (["--max-bytes", "9" * 5000], "'--max-bytes'"),
])
def test_out_of_range_numbers_are_one_line(files: tuple[Path, Path], capsys: pytest.CaptureFixture[str],
                                           args: list[str], message: str) -> None:
    doc, src = files
    assert main(["compare", str(doc), "-s", str(src), *args]) == 2
    assert message in one_line_error(capsys)


def test_jobs_beyond_the_bound_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scan", str(tmp_path), "--index", str(tmp_path / "i.db"), "-o", str(tmp_path / "o"),
                 "--jobs", "100000"]) == 2
    assert "'--jobs'" in one_line_error(capsys)
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("epoch", ["9" * 5000, "99999999999999999", "\u00b2", "1.5", "-1", "12abc", " 12", "12 ",
                                   "\t12", "12\n"])
def test_a_bad_source_date_epoch_is_one_line(files: tuple[Path, Path], capsys: pytest.CaptureFixture[str],
                                             monkeypatch: pytest.MonkeyPatch, epoch: str) -> None:
    doc, src = files
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    assert main(["compare", str(doc), "-s", str(src), "-f", "json"]) == 2
    err = one_line_error(capsys)
    assert "SOURCE_DATE_EPOCH" in err and "not a number of seconds" in err and len(err) < 300


def test_a_good_source_date_epoch_is_the_timestamp(files: tuple[Path, Path], capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    doc, src = files
    for epoch, expected in (("0", "1970-01-01T00:00:00Z"), ("253402300799", "9999-12-31T23:59:59Z")):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
        assert main(["compare", str(doc), "-s", str(src), "-f", "json"]) == 0
        assert json.loads(capsys.readouterr().out)["generated_at"] == expected


def test_text_that_is_not_unicode_is_never_half_written(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    # a lone surrogate (a file name's undecodable byte) in a report was a UnicodeEncodeError: exit 70
    import io

    from provenance.errors import UsageError
    from provenance.output import write_all_atomic

    good, bad = tmp_path / "good.txt", tmp_path / "bad.txt"
    good.write_text("old", encoding="utf-8")
    with pytest.raises(UsageError, match="cannot write .*bad.txt.*not valid Unicode"):
        write_all_atomic({good: "new", bad: "caf\udce9"})
    assert good.read_text(encoding="utf-8") == "old" and not bad.exists() and not list(tmp_path.glob(".*.tmp"))

    import provenance.cli as cli

    monkeypatch.setattr("sys.stdout", io.TextIOWrapper(io.BytesIO(), encoding="utf-8"))
    with pytest.raises(UsageError, match="not valid Unicode"):
        cli._emit("caf\udce9", None)


def test_a_name_the_system_refuses_is_one_line(files: tuple[Path, Path], tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    """A name too long for the file system or a loop of links, wherever it is named (document,
    source, output, index, report folder): one line, exit status 2, never an internal error."""
    doc, src = files
    long_name = str(tmp_path / ("a" * 300))
    (tmp_path / "loop1").symlink_to(tmp_path / "loop2")
    (tmp_path / "loop2").symlink_to(tmp_path / "loop1")
    for args in (["compare", long_name, "-s", str(src)], ["compare", str(doc), "-s", long_name],
                 ["compare", str(tmp_path / "loop1"), "-s", str(src)],
                 ["compare", str(doc), "-s", str(src), "-f", "json", "-o", f"{long_name}/x.json"],
                 ["index", "build", long_name, "--index", str(tmp_path / "i.db")],
                 ["collate", long_name, str(src)]):
        assert main(args) == 2, args
        err = one_line_error(capsys)
        assert "internal error" not in err and ("too long" in err or "symbolic links" in err), err


def test_names_with_line_ends_stay_on_their_line_in_the_terminal_view_and_the_page(
        files: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc, src = files
    evil = tmp_path / "evil\n::error title=x::pwn\t\r.md"
    evil.write_text(doc.read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["compare", str(evil), "-s", str(src), "--width", "200"]) == 0
    title = capsys.readouterr().out.splitlines()[0]
    assert "evil⟨U+000A⟩::error title=x::pwn⟨U+0009⟩⟨U+000D⟩.md" in title
    assert main(["compare", str(evil), "-s", str(src), "-f", "html"]) == 0
    page = capsys.readouterr().out
    assert "evil\n" not in page and "pwn\t" not in page and "pwn⟨U+0009⟩⟨U+000D⟩.md" in page


def test_a_report_never_replaces_the_text_it_is_about(files: tuple[Path, Path], tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    doc, src = files
    before = doc.read_bytes(), src.read_bytes()
    link = tmp_path / "link.txt"
    link.symlink_to(src)
    for args in (["compare", str(doc), "-s", str(src), "-f", "json", "-o", str(doc)],
                 ["compare", str(doc), "-s", str(src), "-o", str(link)],
                 ["collate", str(doc), str(src), "-o", str(tmp_path / ".." / tmp_path.name / src.name)]):
        assert main(args) == 2, args
        assert "which the report is made from" in one_line_error(capsys)
    assert (doc.read_bytes(), src.read_bytes()) == before
