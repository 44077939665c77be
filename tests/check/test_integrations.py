"""The pre-commit hook and the GitHub Actions composite action, run as their hosts would run them."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import ROOT, make_project

BIN = Path(sys.executable).parent


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    return env


def _git_repo(root: Path) -> Path:
    make_project(root)
    (root / "notes.txt").write_text("unrelated notes\n", encoding="utf-8")
    if shutil.which("git"):
        for args in (["init", "-q"], ["add", "-A"]):
            subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)
    return root


def test_the_pre_commit_hook_runs_on_the_changed_files(tmp_path: Path) -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "provenance-check")
    assert hook["language"] == "python" and hook["require_serial"] is True and hook.get("pass_filenames", True)
    # no type filter: the manifest (TOML), the baseline (JSON) and PDF or Word sources must reach the check
    assert not hook.get("types") and not hook.get("types_or") and not hook.get("files")
    assert hook["always_run"] is True  # a commit that only deletes the baseline is checked too
    repo = _git_repo(tmp_path)
    # a baseline accepting nothing yet (with none, a commit re-checks everything: it may have deleted it)
    (repo / "baseline.json").write_text('{"schema": "provenance.baseline/1", "findings": []}\n', encoding="utf-8")
    entry = shlex.split(hook["entry"])
    assert shutil.which(entry[0], path=_env()["PATH"]), "the hook's entry point is installed with the package"

    def hook_run(*files: str) -> subprocess.CompletedProcess[str]:
        # pre-commit runs `entry [args] FILE...` from the repository's top folder
        return subprocess.run([*entry, *hook.get("args", []), *files], cwd=repo, env=_env(), capture_output=True,
                              text=True, check=False)

    changed_bad = hook_run("docs/altered.md", "notes.txt")
    assert changed_bad.returncode == 1, changed_bad.stderr
    assert "docs/altered.md:3:" in changed_bad.stdout and "silent_omission" in changed_bad.stdout
    assert not (repo / "out").exists()  # a hook writes no report files
    assert hook_run("docs/faithful.md").returncode == 0
    assert hook_run("notes.txt").returncode == 0  # nothing the manifest checks
    assert hook_run("src/letter.txt").returncode == 1  # a changed source re-checks what quotes it
    # so does a changed description of it (its sidecar file): who said it, its title, its aliases
    (repo / "src" / "letter.txt.source.toml").write_text('title = "The letter"\n', encoding="utf-8")
    by_sidecar = hook_run("src/letter.txt.source.toml")
    assert by_sidecar.returncode == 1 and "docs/altered.md:3:" in by_sidecar.stdout, by_sidecar.stdout


def test_the_pre_commit_hook_rechecks_everything_when_the_manifest_or_the_baseline_changes(tmp_path: Path) -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    entry = shlex.split(next(h for h in hooks if h["id"] == "provenance-check")["entry"])
    repo = _git_repo(tmp_path)

    def hook_run(*files: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*entry, *files], cwd=repo, env=_env(), capture_output=True, text=True, check=False)

    accepted = subprocess.run([*entry[:2], "--write-baseline"], cwd=repo, env=_env(), capture_output=True,
                              text=True, check=False)
    assert accepted.returncode == 0, accepted.stderr
    baseline = repo / "baseline.json"
    full = baseline.read_text(encoding="utf-8")
    assert hook_run("docs/faithful.md", "notes.txt").returncode == 0  # the altered document is accepted
    # a commit that empties the baseline: the altered document, not in the commit, fails again
    baseline.write_text('{"schema": "provenance.baseline/1", "findings": []}\n', encoding="utf-8")
    emptied = hook_run("baseline.json")
    assert emptied.returncode == 1 and "docs/altered.md:3:" in emptied.stdout, emptied.stdout
    baseline.write_text(full, encoding="utf-8")
    assert hook_run("baseline.json").returncode == 0
    # a commit that deletes it: pre-commit passes no deleted file, so the other files of the commit
    baseline.unlink()
    assert hook_run("notes.txt").returncode == 1
    baseline.write_text(full, encoding="utf-8")
    # a commit that changes only the policy: the altered document's normalisation now fails
    manifest = repo / "provenance.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(
        'baseline = "baseline.json"', 'baseline = "baseline.json"\nfail_on = ["info", "warning", "error"]'),
        encoding="utf-8")
    changed = hook_run("provenance.toml")
    assert changed.returncode == 1 and "docs/altered.md:3:25: info normalization" in changed.stdout, changed.stdout


def _steps() -> list[dict[str, Any]]:
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    steps: list[dict[str, Any]] = action["runs"]["steps"]
    return steps


def test_the_action_passes_inputs_through_the_environment_only() -> None:
    for step in _steps():
        if "run" in step:
            assert step.get("shell") == "bash", step
            assert "${{" not in step["run"], f"an expression interpolated into a script: {step['name']}"
    uploads = [s for s in _steps() if str(s.get("uses", "")).startswith("github/codeql-action/upload-sarif")]
    assert uploads and "sarif_file" in uploads[0]["with"]


def _run_step(name: str, workdir: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    step = next(s for s in _steps() if s.get("name") == name)
    step_env = {**_env(), **env}
    for key, value in step.get("env", {}).items():  # what Actions would substitute for the inputs
        match = re.fullmatch(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}", str(value))
        assert match, value
        step_env[key] = env.get(f"input:{match.group(1)}", "")
    # as GitHub runs a bash step: `bash --noprofile --norc -eo pipefail {0}`
    return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]], cwd=workdir,
                          env=step_env, capture_output=True, text=True, check=False)


@pytest.mark.parametrize("config", ["", "provenance.toml"])
def test_the_action_check_step_reports_and_sets_outputs(tmp_path: Path, config: str) -> None:
    repo = _git_repo(tmp_path)
    output, summary = tmp_path / "github_output", tmp_path / "step_summary"
    env = {"GITHUB_OUTPUT": str(output), "GITHUB_STEP_SUMMARY": str(summary), "input:config": config,
           "input:report-dir": "provenance-reports; touch injected"}
    proc = _run_step("Check", repo, env)
    assert proc.returncode == 0, proc.stderr  # the failure is left to the last step, after the upload
    outputs = dict(line.split("=", 1) for line in output.read_text(encoding="utf-8").splitlines())
    assert outputs["result"] == "fail"
    assert (repo / outputs["sarif"]).is_file()
    assert not (repo / "injected").exists()  # an input is data, never shell code
    assert summary.read_text(encoding="utf-8").startswith("### provenance: ❌")
    (repo / "docs" / "altered.md").unlink()
    output.write_text("", encoding="utf-8")
    assert _run_step("Check", repo, env).returncode == 0
    assert "result=pass" in output.read_text(encoding="utf-8")


def test_the_action_fails_the_job_on_findings_and_stops_on_bad_input(tmp_path: Path) -> None:
    last = _steps()[-1]
    assert "steps.check.outputs.result == 'fail'" in last["if"]
    assert subprocess.run(["bash", "-c", last["run"]], capture_output=True, check=False).returncode == 1
    repo = make_project(tmp_path, manifest="[policy\n")
    proc = _run_step("Check", repo, {"GITHUB_OUTPUT": str(tmp_path / "o"), "input:config": "",
                                     "input:report-dir": "r"})
    assert proc.returncode == 2 and "not valid TOML" in proc.stderr


def test_the_action_annotates_failing_findings_on_their_lines(tmp_path: Path) -> None:
    repo = _git_repo(tmp_path)
    env = {"GITHUB_OUTPUT": str(tmp_path / "github_output"), "input:config": "", "input:report-dir": "reports-out",
           "input:annotations": "true"}
    proc = _run_step("Check", repo, env)
    assert proc.returncode == 0, proc.stderr
    commands = [line for line in proc.stdout.splitlines() if line.startswith("::")]
    assert len(commands) == 1, proc.stdout
    assert re.fullmatch(r"::error file=docs/altered\.md,line=3,endLine=3,col=\d+,endColumn=\d+,title=provenance%3A "
                        r"error silent_omission \[negation\] \(p1\)::.*‘?not.*", commands[0]), commands[0]
    quiet = _run_step("Check", repo, {**env, "input:annotations": "false"})
    assert not [line for line in quiet.stdout.splitlines() if line.startswith("::")]


def test_the_action_uploads_the_report_folder_with_the_html_report_as_an_artifact(tmp_path: Path) -> None:
    (upload,) = [s for s in _steps() if str(s.get("uses", "")).startswith("actions/upload-artifact@")]
    assert "always()" in upload["if"] and "inputs.upload-report == 'true'" in upload["if"]
    assert upload["with"]["path"] == "${{ steps.check.outputs.report-dir }}"
    assert upload["with"]["name"] == "${{ inputs.artifact-name }}"
    repo = _git_repo(tmp_path)
    output = tmp_path / "github_output"
    _run_step("Check", repo, {"GITHUB_OUTPUT": str(output), "input:config": "", "input:report-dir": "r"})
    outputs = dict(line.split("=", 1) for line in output.read_text(encoding="utf-8").splitlines())
    assert outputs["report-dir"] == "r" and outputs["html"] == "r/provenance.html"
    assert (repo / outputs["html"]).is_file()


CURRENT_MAJOR = {"actions/setup-python": 6, "actions/upload-artifact": 6, "github/codeql-action/upload-sarif": 4,
                 "actions/checkout": 5}
"""The first major version of each action that runs on Node 24 (GitHub removed Node 20 from its runners)."""


def test_the_action_and_its_docs_use_current_action_versions() -> None:
    texts = [(ROOT / "action.yml").read_text(encoding="utf-8"), (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")]
    used = [m for text in texts for m in re.findall(r"uses: ([\w./-]+)@v(\d+)", text)]
    assert {name for name, _ in used} >= {"actions/setup-python", "actions/upload-artifact",
                                          "github/codeql-action/upload-sarif", "actions/checkout"}
    old = [(name, major) for name, major in used if int(major) < CURRENT_MAJOR.get(name, 0)]
    assert not old, old
