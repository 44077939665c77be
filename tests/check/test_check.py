"""`provenance check`: manifest, policy, exit codes, baseline, report files, progress."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ALTERED, FAITHFUL, LETTER, MANIFEST, main_in, make_project, run_on_pty


def check(project: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main_in(project, "check", "--no-timestamp", *args)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_a_finding_that_breaks_the_policy_fails_the_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(tmp_path)
    code, out, err = check(project, capsys=capsys)
    assert code == 1, err
    lines = out.splitlines()
    assert any(line.startswith("docs/altered.md:3:") and "error silent_omission [negation]" in line and "‘not’" in line
               for line in lines), out
    assert not any(line.startswith("docs/faithful.md") for line in lines)
    assert lines[-1].startswith("provenance: FAIL: 1 finding breaks the policy")
    assert sorted(p.name for p in (project / "out").iterdir()) == [
        "docs", "provenance.html", "provenance.junit.xml", "provenance.md", "provenance.sarif"]
    assert sorted(p.name for p in (project / "out" / "docs").iterdir()) == ["altered.md.json", "faithful.md.json"]


def test_only_the_documents_given_or_quoting_a_given_file_are_checked(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(tmp_path)
    (project / "baseline.json").write_text('{"schema": "provenance.baseline/1"}', encoding="utf-8")
    code, out, _ = check(project, "docs/faithful.md", "README.txt", capsys=capsys)
    assert code == 0 and "1 document," in out
    code, out, _ = check(project, "src/letter.txt", capsys=capsys)  # a changed source: every document quoting it
    assert code == 1 and "2 documents" in out
    for changed in ("provenance.toml", "baseline.json"):  # the policy or the accepted findings: every document
        code, out, _ = check(project, "docs/faithful.md", changed, capsys=capsys)
        assert code == 1 and "2 documents" in out, changed
    (project / "baseline.json").unlink()  # gone (a hook is not told of a deleted file): every document
    code, out, _ = check(project, "docs/faithful.md", capsys=capsys)
    assert code == 1 and "2 documents" in out


def test_require_reasons_fails_a_finding_accepted_without_a_reason(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(tmp_path, MANIFEST.replace("[policy]\n", "[policy]\nrequire_reasons = true\n"))
    code, out, _ = check(project, "--write-baseline", capsys=capsys)
    assert code == 0 and "1 without a reason" in out
    code, out, _ = check(project, capsys=capsys)  # the entry is there, but gives no reason: it accepts nothing
    assert code == 1, out
    failing = [line for line in out.splitlines() if line.startswith("docs/altered.md:")]
    assert len(failing) == 1 and failing[0].endswith(
        "; accepted in the baseline without a reason, and the policy requires one (require_reasons)"), out
    assert "(fail on warning, error; accepted findings need a reason)" in out.splitlines()[-1]
    assert "baseline entry" not in out  # the entry is not stale: it is found, and refused
    page = (project / "out" / "provenance.html").read_text(encoding="utf-8")
    assert "failing: accepted in the baseline without a reason, which the policy requires" in page

    base = json.loads((project / "baseline.json").read_text(encoding="utf-8"))
    base["findings"][0]["reason"] = "   "  # blank is no reason
    (project / "baseline.json").write_text(json.dumps(base), encoding="utf-8")
    assert check(project, "--no-reports", capsys=capsys)[0] == 1
    base["findings"][0]["reason"] = "misquoted in print; kept as published"
    (project / "baseline.json").write_text(json.dumps(base), encoding="utf-8")
    code, out, _ = check(project, "--no-reports", capsys=capsys)
    assert code == 0 and "1 known finding accepted" in out

    # Without the option, an entry without a reason accepts its finding, as before.
    base["findings"][0]["reason"] = ""
    (project / "baseline.json").write_text(json.dumps(base), encoding="utf-8")
    (project / "provenance.toml").write_text(MANIFEST, encoding="utf-8")
    assert check(project, "--no-reports", capsys=capsys)[0] == 0


def test_require_reasons_must_be_true_or_false(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(tmp_path, MANIFEST.replace("[policy]\n", '[policy]\nrequire_reasons = "yes"\n'))
    code, _, err = check(project, capsys=capsys)
    assert code == 2 and "policy.require_reasons" in err and len(err.strip().splitlines()) == 1, err


@pytest.mark.parametrize(("policy", "expected"), [
    ('ignore_types = ["silent_omission"]', 0),
    ('fail_on = ["error"]', 1),  # the dropped "not" is an error: it changes the meaning
    ("fail_on = []", 0),
    ('fail_on = []\nfail_types = ["silent_omission"]', 1),
    ('fail_on = ["info"]', 1),  # the info findings of the faithful document now fail too
])
def test_the_policy_decides(tmp_path: Path, capsys: pytest.CaptureFixture[str], policy: str, expected: int) -> None:
    project = make_project(tmp_path, MANIFEST.replace('[policy]\n', f"[policy]\n{policy}\n"))
    code, out, err = check(project, "--no-reports", capsys=capsys)
    assert code == expected, out + err
    assert not (project / "out").exists()


@pytest.mark.parametrize(("manifest", "message"), [
    ("colour = 'red'\n" + MANIFEST,
     "provenance.toml: unknown key 'colour' (the keys here: allow_outside, sources, policy, reports, documents, "
     "collations)"),
    (MANIFEST + "colour = 'red'\n",
     "provenance.toml: documents[0]: unknown key 'colour' (the keys here: path, sources, mode, reuse)"),
    (MANIFEST.replace('path = "docs/*.md"', "path = 3"),
     "provenance.toml: documents[0].path: must be a string, not a whole number"),
    (MANIFEST.replace('formats = ["json"', 'formats = ["pdf"'),
     "provenance.toml: reports.formats[0]: 'pdf' is not one of terminal, json, html,"),
    (MANIFEST.replace('"src/letter.txt"', '"src/missing.txt"'),
     "provenance.toml: documents[0].sources[0]: no such file 'src/missing.txt'"),
    (MANIFEST.replace('"docs/*.md"', '"drafts/*.md"'), "provenance.toml: documents[0].path: no file matches"),
    (MANIFEST.replace("[policy]", "[policy"), "provenance.toml: not valid TOML"),
    ("[policy]\n", "provenance.toml: documents: the manifest lists no document"),
    (MANIFEST.replace('baseline = "baseline.json"', 'fail_on = "warning"'),
     "provenance.toml: policy.fail_on: must be a list, not a string"),
])
def test_a_bad_manifest_is_one_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str], manifest: str,
                                               message: str) -> None:
    project = make_project(tmp_path, manifest)
    code, out, err = check(project, capsys=capsys)
    assert code == 2
    assert err.count("\n") == 1 and message in err, err
    assert "Traceback" not in err and not (project / "out").exists()


def test_without_a_manifest_it_says_where_it_looked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = check(tmp_path, capsys=capsys)
    assert code == 2 and "no provenance.toml here or in a folder above" in err


def test_the_manifest_is_found_in_a_folder_above(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(tmp_path)
    code, out, _ = check(project / "docs", "--no-reports", capsys=capsys)
    assert code == 1 and "altered.md" in out


def test_a_baseline_accepts_known_findings_and_catches_new_ones(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(tmp_path)
    code, out, _ = check(project, "--write-baseline", capsys=capsys)
    assert code == 0 and "1 finding accepted" in out and "1 without a reason" in out
    base = json.loads((project / "baseline.json").read_text(encoding="utf-8"))
    assert [e["type"] for e in base["findings"]] == ["silent_omission"]
    base["findings"][0]["reason"] = "the council's letter was misquoted in print; kept as published"
    (project / "baseline.json").write_text(json.dumps(base), encoding="utf-8")

    code, out, _ = check(project, capsys=capsys)
    assert code == 0 and "1 known finding accepted" in out

    # Unrelated text added before and around the finding moves every offset: still the same finding.
    doc = project / "docs" / "altered.md"
    doc.write_text("# Bridge\n\nA new first paragraph, written later, long enough to move every offset.\n\n"
                   + ALTERED.split("\n\n", 1)[1] + "\nA closing line.\n", encoding="utf-8")
    code, out, _ = check(project, capsys=capsys)
    assert code == 0, out

    # A new alteration fails, and only it is listed.
    doc.write_text(doc.read_text(encoding="utf-8").replace("take six weeks", "take five weeks"), encoding="utf-8")
    code, out, _ = check(project, "--sarif-level", "warning", capsys=capsys)
    assert code == 1
    failing = [line for line in out.splitlines() if line.startswith("docs/")]
    assert len(failing) == 1 and "‘six’ → ‘five’" in failing[0], out
    sarif = json.loads((project / "out" / "provenance.sarif").read_text(encoding="utf-8"))
    suppressed = [r for r in sarif["runs"][0]["results"] if r.get("suppressions")]
    assert [s["suppressions"][0]["justification"] for s in suppressed] == [
        "the council's letter was misquoted in print; kept as published"]

    # Rewriting the baseline keeps the reason written for the finding still there.
    code, _, _ = check(project, "--write-baseline", capsys=capsys)
    reasons = {e["src_text"].strip(): e["reason"] for e in
               json.loads((project / "baseline.json").read_text(encoding="utf-8"))["findings"]}
    assert reasons["not"].startswith("the council's letter")
    assert reasons["six"] == ""

    # Fixed findings are reported as stale baseline entries, without failing.
    doc.write_text(doc.read_text(encoding="utf-8").replace("will close", "will not close"), encoding="utf-8")
    code, out, _ = check(project, "docs/altered.md", capsys=capsys)
    assert code == 0 and "1 baseline entry no longer found" in out


def test_run_twice_the_reports_are_the_same_bytes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(tmp_path)
    check(project, "--report-dir", "one", capsys=capsys)
    check(project, "--report-dir", "two", capsys=capsys)
    one = {p.relative_to(project / "one"): p.read_bytes() for p in (project / "one").rglob("*") if p.is_file()}
    two = {p.relative_to(project / "two"): p.read_bytes() for p in (project / "two").rglob("*") if p.is_file()}
    assert one == two and len(one) == 6


def test_report_renders_saved_json_like_check_does(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(tmp_path)
    check(project, capsys=capsys)
    for fmt, name in [("html", "provenance.html"), ("sarif", "provenance.sarif"), ("junit", "provenance.junit.xml"),
                      ("markdown", "provenance.md")]:
        assert main_in(project, "report", "out/docs/altered.md.json", "out/docs/faithful.md.json", "--format", fmt,
                       "--output", f"again.{fmt}") == 0
        assert (project / f"again.{fmt}").read_bytes() == (project / "out" / name).read_bytes(), fmt
    (project / "broken.json").write_text('{"schema": "provenance.report/1", "passages": 3}', encoding="utf-8")
    assert main_in(project, "report", "broken.json") == 2
    (project / "other.json").write_text("[1, 2]", encoding="utf-8")
    assert main_in(project, "report", "other.json") == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("provenance: error: broken.json: invalid report at")
    assert err[1].startswith("provenance: error: other.json: not a provenance report")


def test_an_unwritable_report_folder_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(tmp_path)
    (project / "out").write_text("a file where the folder should be", encoding="utf-8")
    code, _, err = check(project, capsys=capsys)
    assert code == 2 and err.startswith("provenance: error:") and err.count("\n") == 1


def _many(tmp_path: Path, n: int) -> Path:
    docs = {f"d{k:03}.md": FAITHFUL if k % 2 else ALTERED for k in range(n)}
    return make_project(tmp_path, MANIFEST, docs)


def _run_on_pty(project: Path, env: dict[str, str]) -> tuple[int, bytes, bytes]:
    """Run a check with standard error on a pseudo-terminal, as in a person's terminal."""
    return run_on_pty(["check", "--no-reports", "--no-timestamp"], project, env)


def test_a_progress_bar_in_a_terminal_and_nothing_in_ci_logs(tmp_path: Path) -> None:
    project = _many(tmp_path, 100)
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "NO_COLOR")}
    env["COLUMNS"] = "100"
    code, out, tty_err = _run_on_pty(project, env)
    assert code == 1
    assert b"checking" in tty_err and b"/100" in tty_err  # the bar, counting documents
    assert b"checking" not in out  # never on standard output, which stays the summary
    code, _, ci_err = _run_on_pty(project, {**env, "CI": "true"})
    assert code == 1 and ci_err == b""
    proc = subprocess.run([sys.executable, "-m", "provenance", "check", "--no-reports"], cwd=project,
                          capture_output=True, env=env, check=False)
    assert proc.returncode == 1 and proc.stderr == b""  # not a terminal: nothing extra
    assert proc.stdout.decode().splitlines()[-1].startswith("provenance: FAIL: 50 findings")


def test_whole_transcriptions_are_checked_as_one_passage(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(tmp_path, MANIFEST.replace('path = "docs/*.md"', 'path = "docs/copy.txt"')
                           .replace('sources = ["src/letter.txt"]', 'sources = ["src/letter.txt"]\nmode = "whole"'),
                           docs={"copy.txt": "The council will not close the nothern bridge before the spring."})
    code, out, _ = check(project, "--no-reports", capsys=capsys)
    assert code == 1
    assert "docs/copy.txt:1:" in out and "transcription_error" in out and "silent_omission" in out


def test_reports_are_the_same_from_any_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Paths in reports are relative to the project (the git work tree), not to where the check runs."""
    project = make_project(tmp_path / "repo" / "checks")
    (tmp_path / "repo" / ".git").mkdir()
    check(project, "--report-dir", str(tmp_path / "a"), capsys=capsys)
    check(project / "docs", "--report-dir", str(tmp_path / "b"), capsys=capsys)
    main_in(tmp_path, "check", "--no-timestamp", "--config", "repo/checks/provenance.toml", "--report-dir", "c")
    capsys.readouterr()
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    assert files
    for name in files:
        a = (tmp_path / "a" / name).read_bytes()
        assert a == (tmp_path / "b" / name).read_bytes() == (tmp_path / "c" / name).read_bytes(), name
    sarif = json.loads((tmp_path / "a" / "provenance.sarif").read_text(encoding="utf-8"))
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]}
    assert uris == {"checks/docs/altered.md"}
    faithful = json.loads((tmp_path / "a" / "docs" / "faithful.md.json").read_text(encoding="utf-8"))
    assert faithful["document"]["path"] == "checks/docs/faithful.md"
    assert faithful["sources"][0]["path"] == "checks/src/letter.txt"


def test_a_document_listed_twice_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    manifest = MANIFEST + '\n[[documents]]\npath = "docs/altered.md"\nsources = ["src/letter.txt"]\nmode = "whole"\n'
    project = make_project(tmp_path, manifest)
    code, _, err = check(project, capsys=capsys)
    assert code == 2 and "documents[1].path: docs/altered.md is already listed by documents[0]" in err


def test_a_file_name_with_brackets_is_a_path_not_a_pattern(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(tmp_path, MANIFEST.replace('"docs/*.md"', '"docs/notes [draft].md"'),
                           docs={"notes [draft].md": ALTERED})
    code, out, _ = check(project, "--no-reports", capsys=capsys)
    assert code == 1 and "docs/notes [draft].md:3:" in out


def test_documents_outside_the_manifest_folder_get_their_own_reports(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("x", "y"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "a.md").write_text(ALTERED if name == "x" else FAITHFUL, encoding="utf-8")
    manifest = 'allow_outside = [".."]\n' + MANIFEST.replace('path = "docs/*.md"', 'path = "../*/a.md"')
    project = make_project(tmp_path / "checks", manifest, docs={})
    check(project, capsys=capsys)
    names = sorted(p.relative_to(project / "out").as_posix() for p in (project / "out").rglob("*.json"))
    assert names == ["%2E%2E/x/a.md.json", "%2E%2E/y/a.md.json"]


def test_two_documents_never_share_a_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # `..` was spelled `_up`, so ../x.md and _up/x.md wrote one report; a folder named like a report
    # (`a.md.json/`, `provenance.html/`) could not be made beside that report, and the check stopped.
    (tmp_path / "x.md").write_text(FAITHFUL, encoding="utf-8")
    names = ["docs/faithful.md", "_up/x.md", "%2E%2E/x.md", "a.md", "a.md.json/b.md", "provenance.html/c.md", "50%.md"]
    manifest = 'allow_outside = [".."]\n' + MANIFEST.replace('path = "docs/*.md"', 'path = "**/*.md"').replace(
        'sources = ["src/letter.txt"]', 'sources = ["src/letter.txt"]\n\n[[documents]]\npath = "../x.md"\n'
                                        'sources = ["src/letter.txt"]')
    project = make_project(tmp_path / "checks", manifest, docs={"faithful.md": FAITHFUL})
    for k, name in enumerate(names[1:]):
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(FAITHFUL.replace("Pier", f"Pier {k}"), encoding="utf-8")
    code, out, err = check(project, capsys=capsys)
    assert code == 0, out + err
    written = {p.relative_to(project / "out").as_posix(): json.loads(p.read_text(encoding="utf-8"))["document"]["path"]
               for p in (project / "out").rglob("*.json")}
    assert sorted(written.values()) == sorted(["../x.md", *names]), written  # one report each, none overwritten
    assert written["%2E%2E/x.md.json"] == "../x.md" and written["_up/x.md.json"] == "_up/x.md"
    assert written["%252E%252E/x.md.json"] == "%2E%2E/x.md" and written["a.md.json%/b.md.json"] == "a.md.json/b.md"
    assert written["provenance.html%/c.md.json"] == "provenance.html/c.md" and written["50%25.md.json"] == "50%.md"
    code, _, _ = check(project, capsys=capsys)  # the same names on a rerun
    assert code == 0 and sorted(p.relative_to(project / "out").as_posix()
                                for p in (project / "out").rglob("*.json")) == sorted(written)


def test_a_folder_of_reports_never_takes_the_name_of_a_report(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    # `docs/a.md.json/b.md` needs a folder `docs/a.md.json` where the report of `docs/a.md` is: the check stopped
    project = make_project(tmp_path, MANIFEST.replace('"docs/*.md"', '"docs/**/*.md"'), docs={"a.md": FAITHFUL})
    for name in ("a.md.json/b.md", "provenance.html/c.md"):
        (project / "docs" / name).parent.mkdir(parents=True)
        (project / "docs" / name).write_text(FAITHFUL, encoding="utf-8")
    code, out, err = check(project, capsys=capsys)
    assert code == 0, out + err
    assert sorted(p.relative_to(project / "out").as_posix() for p in (project / "out").rglob("*.json")) == [
        "docs/a.md.json", "docs/a.md.json%/b.md.json", "docs/provenance.html%/c.md.json"]


def _undo_report_name(name: str, suffix: str) -> str:
    """The inverse of `report_name`, written from its documentation: proof that it is injective."""
    parts: list[str] = []
    for part in name[: -len(suffix)].split("/"):
        if part.startswith("%~"):
            parts[-1] += part[2:]
        else:
            parts.append(part)
    out = []
    for k, part in enumerate(parts):
        if k < len(parts) - 1 and part.endswith("%") and not part.endswith("%25"):
            part = part[:-1]
        out.append(".." if part == "%2E%2E" else part.replace("%25", "%"))
    return "/".join(out)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.just(".."), st.text(st.sampled_from("a.%~_/é字\udce9jsontx"), min_size=1, max_size=90)
                          .filter(lambda p: "/" not in p and p not in (".", ".."))), min_size=1, max_size=4))
def test_report_names_are_injective_and_stay_in_the_folder(parts: list[str]) -> None:
    from provenance.check.run import report_name

    key = "/".join(parts)
    for suffix in (".json", ".txt"):
        name = report_name(key, suffix)
        assert _undo_report_name(name, suffix) == key
        pieces = name.split("/")
        assert all(p not in ("", ".", "..") for p in pieces)
        assert all(len(p.encode("utf-8", "surrogatepass")) <= 240 for p in pieces)  # with the temporary name: 255
        assert not any(p.endswith((".json", ".txt")) or p.startswith("provenance.") and "%" not in p
                       for p in pieces[:-1]), name  # a folder never has a report's name


def test_baseline_files_are_never_silently_ignored(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(tmp_path, MANIFEST.replace('baseline = "baseline.json"\n', ""))
    code, _, err = check(project, "--write-baseline", capsys=capsys)
    assert code == 2 and "policy.baseline: name the baseline file in the manifest" in err
    code, _, err = check(project, "--baseline", "typo.json", capsys=capsys)
    assert code == 2 and "--baseline: no such file 'typo.json'" in err
    code, out, _ = check(project, "--baseline", "accepted.json", "--write-baseline", capsys=capsys)
    assert code == 0 and (project / "accepted.json").is_file()
    code, out, _ = check(project, "--baseline", "accepted.json", capsys=capsys)
    assert code == 0 and "1 known finding accepted" in out


def test_a_failed_write_leaves_every_old_report_in_place(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(tmp_path)
    check(project, capsys=capsys)
    before = {p: p.read_bytes() for p in (project / "out").rglob("*") if p.is_file()}
    (project / "docs" / "faithful.md").write_text(FAITHFUL + "\nMore text.\n", encoding="utf-8")
    (project / "out" / "provenance.sarif").unlink()
    (project / "out" / "provenance.sarif").mkdir()  # the last report cannot be written
    code, _, err = check(project, capsys=capsys)
    assert code == 2 and "provenance.sarif" in err and "is a directory" in err
    after = {p: p.read_bytes() for p in (project / "out").rglob("*") if p.is_file()}
    assert after == {p: b for p, b in before.items() if p.name != "provenance.sarif"}
    assert not list((project / "out").rglob("*.tmp"))


def test_ctrl_c_says_interrupted(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import provenance.cli

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(provenance.cli, "run_check", interrupted)
    code, _, err = check(make_project(tmp_path), capsys=capsys)
    assert code == 130 and err == "provenance: interrupted\n"


def test_files_that_match_no_document_are_said_to(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(tmp_path)
    (project / "baseline.json").write_text('{"schema": "provenance.baseline/1"}', encoding="utf-8")
    code, out, err = check(project, "--no-reports", "docs/artcle.md", "markdown", capsys=capsys)
    assert code == 0 and "0 documents" in out
    assert "warning: docs/artcle.md: no such file" in err and "warning: markdown: no such file" in err
    assert "nothing to check" in err


def _run_on_a_terminal(args: list[str], cwd: Path) -> tuple[int, bytes]:
    """Run `provenance ARGS` with standard output and standard error on one pseudo-terminal (where
    nothing strips escape sequences): exit status and every byte the terminal received."""
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "NO_COLOR")}
    env["COLUMNS"] = "200"
    code, _, seen = run_on_pty(args, cwd, env, stdout_too=True)
    return code, seen


HOSTILE_NAMES = ["a\n::error title=forged::pwned\x1b[2J.md", "::warning::b.md", "c [bold]red[reverse] \u202e.md",
                 "d ##[error]e ##vso[task.complete result=Succeeded].md"]


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="no pseudo-terminals here")
def test_file_names_reach_the_terminal_and_ci_logs_only_escaped(tmp_path: Path) -> None:
    # A name holding a newline and `::error …::` forged a GitHub Actions command in the summary, ESC[2J
    # cleared the terminal, `[bold]` was rich markup in the progress bar.
    project = make_project(tmp_path, docs={name: ALTERED for name in HOSTILE_NAMES} | {
        f"filler-{k:02}.md": FAITHFUL for k in range(30)})
    code, seen = _run_on_a_terminal(["check", "--no-reports", "--no-timestamp"], project)
    assert code == 1, seen
    text = seen.decode("utf-8")
    assert "\x1b[2J" not in text and "\u202e" not in text
    assert "[bold]red[reverse]" in text
    for line in re.split(r"[\r\n]+", text):
        assert not line.strip().startswith("::"), line
        assert "##[" not in line and "##vso[" not in line.lower(), line
    assert "docs/a⟨U+000A⟩::error title=forged::pwned⟨U+001B⟩[2J.md:3:" in text
    summary = subprocess.run([sys.executable, "-m", "provenance", "check", "--no-reports"], cwd=project,
                             capture_output=True, text=True, check=False).stdout  # as a CI log receives it
    lines = summary.splitlines()
    assert len(lines) == len(HOSTILE_NAMES) + 1, summary
    assert all(line.startswith("docs/") for line in lines[:-1])


@pytest.mark.parametrize("name", ["::error title=x::y.md", "  ::notice::z.md"])
def test_a_name_that_opens_a_line_is_no_ci_command(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                   name: str) -> None:
    project = make_project(tmp_path, MANIFEST.replace('"docs/*.md"', '"*.md"'), docs={})
    (project / name).write_text(ALTERED, encoding="utf-8")
    code, out, _ = check(project, "--no-reports", capsys=capsys)
    assert code == 1
    (line, _) = out.splitlines()
    assert not line.lstrip().startswith("::") and "⟨U+003A⟩:" in line, line


def test_the_progress_bar_shows_a_name_as_it_is() -> None:
    from provenance.cli import _progress

    bar, task = _progress("checking", 3)
    bar.update(task, description="docs/[bold]red[reverse].md")
    assert bar.columns[-1].render(bar.tasks[0]).plain == "docs/[bold]red[reverse].md"  # type: ignore[union-attr]


def _bad_name(folder: Path, name: bytes) -> Path:
    """A path in `folder` whose last part is the bytes `name` (not valid UTF-8)."""
    return Path(os.fsdecode(os.fsencode(str(folder)) + b"/" + name))


def test_a_document_that_cannot_be_checked_fails_alone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # a name that is not UTF-8 stopped the whole check with exit 70 (its JSON report could not be written)
    project = make_project(tmp_path)
    _bad_name(project / "docs", b"caf\xe9.md").write_text(ALTERED, encoding="utf-8")
    (project / "docs" / "binary.md").write_bytes(bytes(range(256)) * 8)
    code, out, err = check(project, capsys=capsys)
    assert code == 2, out + err
    errors = err.splitlines()
    assert len(errors) == 2 and all(e.startswith("provenance: error: document ") for e in errors), err
    assert any("caf\\xe9.md" in e and "not valid UTF-8 (byte 0xE9)" in e for e in errors)
    assert any("binary.md" in e and "not a text file" in e for e in errors)
    assert out.splitlines()[-1].startswith("provenance: ERROR: 2 documents could not be checked; 1 finding breaks")
    assert "docs/altered.md:3:" in out and "2 documents, 3 passages checked" in out
    assert sorted(p.name for p in (project / "out" / "docs").iterdir()) == ["altered.md.json", "faithful.md.json"]


def test_a_broken_link_or_a_pipe_a_glob_finds_fails_and_is_not_left_out(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # a glob used to keep regular files only: a document whose link broke left the check without a word
    project = make_project(tmp_path)
    (project / "docs" / "gone.md").symlink_to(project / "docs" / "nothere.md")
    os.mkfifo(project / "docs" / "pipe.md")
    (project / "docs" / "folder.md").mkdir()  # a folder a glob finds is not a document
    code, out, err = check(project, capsys=capsys)
    assert code == 2, out + err
    assert "document 'docs/gone.md': no such file" in err and "document 'docs/pipe.md': not a regular file" in err
    assert "folder.md" not in err and "2 documents could not be checked" in out


def test_a_source_that_cannot_be_read_fails_the_documents_quoting_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    manifest = MANIFEST + '\n[[documents]]\npath = "other/*.md"\nsources = ["src/*.txt"]\n'
    project = make_project(tmp_path, manifest)
    (project / "other").mkdir()
    for name in ("one.md", "two.md"):
        (project / "other" / name).write_text(FAITHFUL, encoding="utf-8")
    _bad_name(project / "src", b"l\xe9tter.txt").write_text(LETTER, encoding="utf-8")
    code, out, err = check(project, "--no-reports", capsys=capsys)
    assert code == 2
    assert err.splitlines() == [
        "provenance: error: other/one.md: not checked: source 'src/l\\xe9tter.txt': its file name is not valid UTF-8 "
        "(byte 0xE9), so no report can name it: rename the file",
        "provenance: error: other/two.md: not checked: source 'src/l\\xe9tter.txt': its file name is not valid UTF-8 "
        "(byte 0xE9), so no report can name it: rename the file"]
    assert "provenance: ERROR: 2 documents could not be checked; 1 finding breaks the policy" in out


def test_writing_a_baseline_keeps_the_entries_of_a_document_that_could_not_be_checked(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(tmp_path)
    code, _, _ = check(project, "--write-baseline", capsys=capsys)
    before = json.loads((project / "baseline.json").read_text(encoding="utf-8"))["findings"]
    assert code == 0 and [e["document"] for e in before] == ["docs/altered.md"]
    (project / "docs" / "altered.md").write_bytes(b"\x00" * 100)  # damaged: cannot be read
    code, out, err = check(project, "--write-baseline", capsys=capsys)
    assert code == 2 and "docs/altered.md" in err and "not a text file" in err
    after = json.loads((project / "baseline.json").read_text(encoding="utf-8"))["findings"]
    assert after == before  # its accepted findings are not dropped


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_a_baseline_that_is_a_device_or_a_pipe_is_refused_unread(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(tmp_path, 'allow_outside = ["/dev"]\n' + MANIFEST.replace('"baseline.json"', '"/dev/zero"'))
    code, _, err = check(project, "--no-reports", capsys=capsys)
    assert code == 2 and "/dev/zero: not a regular file" in err and err.count("\n") == 1
    code, _, err = check(make_project(tmp_path / "p2"), "--baseline", "/dev/zero", capsys=capsys)
    assert code == 2 and "/dev/zero: not a regular file (a device, a pipe or a socket), not a baseline" in err
    os.mkfifo(tmp_path / "p2" / "baseline.json")
    code, _, err = check(tmp_path / "p2", capsys=capsys)  # a FIFO: refused without opening it (no hang)
    assert code == 2 and "baseline.json: not a regular file" in err


DEEP = "[" * 5000 + "]" * 5000
HUGE = "9" * 5000


@pytest.mark.parametrize(("manifest", "message"), [
    (f"x = {DEEP}\n" + MANIFEST, "nested too deep"),
    (MANIFEST.replace("[policy]", "[policy]\nfail_on = " + DEEP), "nested too deep"),
    ("x = " + "{a = " * 3000 + "1" + "}" * 3000 + "\n" + MANIFEST, "nested too deep"),
    (MANIFEST.replace("[policy]", f"[policy]\nfail_on = [{HUGE}]"), "a number has more than 4,300 digits"),
    (MANIFEST.replace('"docs/*.md"', '"docs/a\\u0000.md"'), "documents[0].path: 'docs/a\\x00.md': a path cannot hold"),
    (MANIFEST.replace('"baseline.json"', '"b\\u0000.json"'), "policy.baseline: 'b\\x00.json': a path cannot hold"),
    (MANIFEST.replace('"out"', '"o\\u0000"'), "reports.directory: 'o\\x00': a path cannot hold"),
])
def test_a_hostile_manifest_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], manifest: str,
                                        message: str) -> None:
    code, _, err = check(make_project(tmp_path, manifest), capsys=capsys)
    assert code == 2, err
    assert err.count("\n") == 1 and message in err and len(err) < 300, err


@pytest.mark.parametrize(("text", "message"), [
    (DEEP, "nested too deep"),
    ('{"schema": "provenance.report/1", "passages": ' + DEEP + "}", "nested too deep"),
    ('{"schema": "provenance.report/1", "x": ' + HUGE + "}", "a number has more than 4,300 digits"),
    ('{"schema": "provenance.report/1", "x": 1e999999}', "invalid report"),
])
def test_a_hostile_report_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str,
                                      message: str) -> None:
    (tmp_path / "r.json").write_text(text, encoding="utf-8")
    assert main_in(tmp_path, "report", "r.json", "-o", "out.html") == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err and len(err) < 400, err
    assert not (tmp_path / "out.html").exists()


@pytest.mark.parametrize("text", [
    '{"schema": "provenance.baseline/1", "findings": ' + DEEP + "}",
    '{"schema": "provenance.baseline/1", "findings": [], "n": ' + HUGE + "}",
    "[" * 100_000,
])
def test_a_hostile_baseline_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str) -> None:
    project = make_project(tmp_path)
    (project / "baseline.json").write_text(text, encoding="utf-8")
    code, _, err = check(project, "--no-reports", capsys=capsys)
    assert code == 2 and err.count("\n") == 1 and "baseline.json" in err, err


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-be", "utf-32"])
def test_a_manifest_and_a_baseline_with_a_byte_order_mark_are_read(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], encoding: str) -> None:
    project = make_project(tmp_path)
    code, _, _ = check(project, "--write-baseline", capsys=capsys)
    assert code == 0
    baseline = project / "baseline.json"
    bom = {"utf-16-be": b"\xfe\xff"}.get(encoding, b"")
    baseline.write_bytes(bom + baseline.read_text(encoding="utf-8").encode(encoding))
    manifest = project / "provenance.toml"
    manifest.write_bytes(bom + manifest.read_text(encoding="utf-8").encode(encoding))
    code, out, err = check(project, capsys=capsys)
    assert code == 0 and "1 known finding accepted" in out, out + err


def test_a_manifest_with_a_lying_byte_order_mark_is_one_line(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(tmp_path)
    (project / "provenance.toml").write_bytes(b"\xff\xfe" + b"\x00\xd8")  # UTF-16-LE: a lone surrogate
    code, _, err = check(project, capsys=capsys)
    assert code == 2 and "starts with a UTF-16 byte-order mark but is not UTF-16" in err and err.count("\n") == 1


@pytest.mark.parametrize(("change", "key"), [
    (lambda m: m.replace('sources = ["src/letter.txt"]', 'sources = ["/etc/passw*"]'), "documents[0].sources[0]"),
    (lambda m: m.replace('sources = ["src/letter.txt"]', 'sources = ["/etc/hostname"]'), "documents[0].sources[0]"),
    (lambda m: m.replace('sources = ["src/letter.txt"]', 'sources = ["../outside.txt"]'), "documents[0].sources[0]"),
    (lambda m: m.replace('sources = ["src/letter.txt"]', 'sources = ["src/link.txt"]'), "documents[0].sources[0]"),
    (lambda m: m.replace('path = "docs/*.md"', 'path = "../*.md"'), "documents[0].path"),
    (lambda m: m.replace('"baseline.json"', '"../../.bashrc-baseline.json"'), "policy.baseline"),
    (lambda m: m.replace('directory = "out"', 'directory = "ELSEWHERE"'), "reports.directory"),
])
def test_a_manifest_reaches_nothing_outside_the_project(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                        change, key: str) -> None:  # type: ignore[no-untyped-def]
    project = make_project(tmp_path / "project", change(MANIFEST).replace("ELSEWHERE", str(tmp_path / "elsewhere")))
    (tmp_path / "outside.txt").write_text(LETTER, encoding="utf-8")
    (tmp_path / "outside.md").write_text(ALTERED, encoding="utf-8")
    (project / "src" / "link.txt").symlink_to(tmp_path / "outside.txt")
    code, out, err = check(project, capsys=capsys)
    assert code == 2, out + err
    assert err.count("\n") == 1 and f"provenance.toml: {key}:" in err and "is outside the project" in err, err
    assert "allow_outside" in err
    assert not (project / "out").exists() and not (tmp_path / "elsewhere").exists()


def test_allow_outside_lets_a_manifest_read_a_folder_outside(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "letter.txt").write_text(LETTER, encoding="utf-8")
    manifest = MANIFEST.replace('sources = ["src/letter.txt"]', 'sources = ["../shared/*.txt"]')
    project = make_project(tmp_path / "project", 'allow_outside = ["../shared"]\n' + manifest)
    code, out, err = check(project, capsys=capsys)
    assert code == 1 and "docs/altered.md:3:" in out, out + err
    project = make_project(tmp_path / "p2", 'allow_outside = ["../elsewhere"]\n' + manifest)
    code, _, err = check(project, capsys=capsys)
    assert code == 2 and "is outside the project" in err  # only the folders listed


def test_a_glob_never_finds_the_tools_own_outputs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # `**/*.md` made the second check check `reports/provenance.md`, and `**/*.txt` sources the terminal views
    manifest = (MANIFEST.replace('path = "docs/*.md"', 'path = "**/*.md"')
                .replace('sources = ["src/letter.txt"]', 'sources = ["**/*.txt"]')
                .replace('formats = ["json"', 'formats = ["terminal", "json"'))
    project = make_project(tmp_path, manifest)
    first = check(project, capsys=capsys)
    assert (project / "out" / "provenance.md").is_file() and (project / "out" / "docs" / "altered.md.txt").is_file()
    check(project, "--write-baseline", capsys=capsys)
    second = check(project, capsys=capsys)
    assert first[0] == 1 and second[0] == 0, second
    assert "2 documents, 3 passages" in first[1] and "2 documents, 3 passages" in second[1], second[1]
    check(project, "--report-dir", "elsewhere", capsys=capsys)
    third = check(project, "--report-dir", "elsewhere", capsys=capsys)
    assert "2 documents, 3 passages" in third[1], third[1]


@pytest.mark.parametrize("args", [["--report-dir", "."], ["--report-dir", ".."]])
def test_a_report_folder_holding_the_documents_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                          args: list[str]) -> None:
    project = make_project(tmp_path / "p")
    code, _, err = check(project, *args, capsys=capsys)
    assert code == 2 and "holds the manifest's folder" in err and "(see --report-dir)" in err, err
    project = make_project(tmp_path / "q", MANIFEST.replace('directory = "out"', 'directory = "."'))
    code, _, err = check(project, capsys=capsys)
    assert code == 2 and "provenance.toml: reports.directory: " in err and "--report-dir" not in err, err


@pytest.mark.parametrize("path", ["a\u0000b.md", "x/" * 3000 + "a.md", "/etc/passwd", "a\u001b[2J\n::error::b.md"])
def test_report_takes_the_path_in_a_report_as_text(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                   path: str) -> None:
    # a NUL in the document's path of a saved report was looked up on disk: exit 70
    project = make_project(tmp_path)
    check(project, capsys=capsys)
    data = json.loads((project / "out" / "docs" / "altered.md.json").read_text(encoding="utf-8"))
    data["document"]["path"] = path
    (project / "odd.json").write_text(json.dumps(data), encoding="utf-8")
    for fmt in ("html", "markdown", "sarif", "junit"):
        assert main_in(project, "report", "odd.json", "-f", fmt, "-o", f"odd.{fmt}") == 0, capsys.readouterr().err


def test_a_glob_outside_the_project_is_refused_before_it_walks(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    import glob

    walked: list[str] = []
    real = glob.glob

    def spy(pattern: str, **kwargs: object) -> list[str]:
        walked.append(pattern)
        return real(pattern, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(glob, "glob", spy)
    project = make_project(tmp_path, MANIFEST.replace('sources = ["src/letter.txt"]', 'sources = ["/**/*.txt"]'))
    code, _, err = check(project, capsys=capsys)
    assert code == 2 and "documents[0].sources[0]: '/**/*.txt' is outside the project" in err
    assert walked == []


@pytest.mark.parametrize("link", ["out/provenance.md", "out/docs"])
def test_a_link_in_the_report_folder_never_leads_a_report_out_of_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], link: str) -> None:
    # a repository can hold `reports/provenance.md -> ~/.bashrc`: the check replaced the link's target
    project = make_project(tmp_path / "p")
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "provenance.md").write_text("precious", encoding="utf-8")
    (project / "out").mkdir()
    (project / link).symlink_to(victim / "provenance.md" if link.endswith(".md") else victim)
    code, _, err = check(project, capsys=capsys)
    assert code == 2 and "leads out of the report folder" in err and err.count("\n") == 1, err
    assert sorted(p.name for p in victim.iterdir()) == ["provenance.md"]
    assert (victim / "provenance.md").read_text(encoding="utf-8") == "precious"
    assert not (project / "out" / "provenance.html").exists()  # nothing written, not even the others


def test_a_link_inside_the_report_folder_is_followed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(tmp_path)
    (project / "out" / "kept").mkdir(parents=True)
    (project / "out" / "kept" / "p.md").write_text("old", encoding="utf-8")
    (project / "out" / "provenance.md").symlink_to(project / "out" / "kept" / "p.md")
    code, _, _ = check(project, capsys=capsys)
    assert code == 1 and (project / "out" / "kept" / "p.md").read_text(encoding="utf-8").startswith("#")


def test_the_baseline_file_shows_invisible_characters_as_escapes(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    # the baseline is reviewed in diffs: a raw U+202E in its doc_text reorders the line a reviewer reads
    project = make_project(tmp_path, docs={"altered.md": ALTERED.replace("northern", "nor\u202ethern")})
    code, _, _ = check(project, "--write-baseline", capsys=capsys)
    assert code == 0
    text = (project / "baseline.json").read_text(encoding="utf-8")
    assert "\u202e" not in text and "\\u202e" in text
    assert any(e["doc_text"] == "\u202e" for e in json.loads(text)["findings"])
    code, out, _ = check(project, capsys=capsys)
    assert code == 0 and "known finding" in out


def test_the_manifest_is_never_looked_for_above_the_git_work_tree(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    make_project(tmp_path)  # a manifest in a shared folder above the repository
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "sub").mkdir()
    code, _, err = check(repo / "sub", capsys=capsys)
    assert code == 2 and "no provenance.toml here or in a folder above" in err
    code, _, err = check(tmp_path / "docs", "--no-reports", capsys=capsys)  # outside any git work tree: found
    assert code == 1
