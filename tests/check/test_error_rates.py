"""`max_cer` and `max_wer`: a whole transcription whose error rate is over the policy's limit fails the
check, and every report of the check says so."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import LETTER, main_in

COPY = LETTER.replace("northern", "nothern").replace("engineer", "engineeer")  # two slips of 160 characters
WORDS = len(LETTER.split())


def project(root: Path, policy: str) -> Path:
    (root / "src").mkdir(parents=True, exist_ok=True)
    (root / "src" / "letter.txt").write_text(LETTER, encoding="utf-8")
    (root / "copy.txt").write_text(COPY, encoding="utf-8")
    (root / "provenance.toml").write_text(
        f"[policy]\nignore_types = [\"transcription_error\", \"substitution\"]\n{policy}\n\n"
        "[reports]\ndirectory = \"out\"\nformats = [\"markdown\", \"sarif\", \"junit\", \"github\", \"html\"]\n\n"
        "[[documents]]\npath = \"copy.txt\"\nsources = [\"src/letter.txt\"]\nmode = \"whole\"\n", encoding="utf-8")
    return root


def check(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main_in(root, "check", "--no-timestamp")
    out = capsys.readouterr()
    return code, out.out, out.err


def test_a_transcription_within_the_limits_passes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = check(project(tmp_path, "max_cer = 0.05\nmax_wer = 0.2"), capsys)
    assert code == 0, out + err
    assert "on transcriptions with CER over 0.05 or WER over 0.2 (normalised)" in out
    junit = ET.fromstring((tmp_path / "out" / "provenance.junit.xml").read_text(encoding="utf-8"))
    (case,) = [c for c in junit.iter("testcase") if c.get("name", "").startswith("error rates against")]
    assert case.find("failure") is None


def test_a_rate_over_its_limit_fails_the_check_and_every_report_says_so(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = check(project(tmp_path, "max_cer = 0.005\nmax_wer = 0.5"), capsys)
    assert code == 1, out + err
    lines = out.splitlines()
    assert any(line.startswith("copy.txt: error max_cer: CER 0.01") and "is over max_cer 0.005 (codepoints, "
               "normalised)" in line for line in lines), out
    assert lines[-1].startswith("provenance: FAIL: 1 error rate of a transcription over its limit")
    report = tmp_path / "out"
    markdown = (report / "provenance.md").read_text(encoding="utf-8")
    assert markdown.startswith("### provenance: ❌ 1 error rate of a transcription over its limit")
    assert "is over max\\_cer 0.005" in markdown or "is over max_cer 0.005" in markdown
    sarif = json.loads((report / "provenance.sarif").read_text(encoding="utf-8"))["runs"][0]
    (result,) = sarif["results"]
    assert result["ruleId"] == "transcription_error_rate" and result["level"] == "error"
    assert result["properties"]["limit"] == 0.005 and "max_cer" in result["message"]["text"]
    assert [r["id"] for r in sarif["tool"]["driver"]["rules"]] == ["transcription_error_rate"]
    junit = ET.fromstring((report / "provenance.junit.xml").read_text(encoding="utf-8"))
    assert junit.get("failures") == "1"
    (failure,) = list(junit.iter("failure"))
    assert failure.get("type") == "max_cer"
    github = (report / "provenance.github.txt").read_text(encoding="utf-8")
    assert github.startswith("::error file=copy.txt,line=1,title=provenance%3A max_cer::")
    html = (report / "provenance.html").read_text(encoding="utf-8")
    assert '<span class="result fail" id="result">FAIL</span>' in html and "1 error rate over the policy" in html
    assert "is over max_cer 0.005" in html


def test_the_limits_apply_to_raw_rates_when_asked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # a curly apostrophe and a capital letter are not slips once normalised; raw, they count
    root = project(tmp_path, "max_wer = 0.13")
    (root / "copy.txt").write_text(LETTER.replace("The council", "THE COUNCIL"), encoding="utf-8")
    assert check(root, capsys)[0] == 0
    (root / "provenance.toml").write_text((root / "provenance.toml").read_text(encoding="utf-8").replace(
        "max_wer = 0.13", "max_wer = 0.01\nerror_rates = \"raw\""), encoding="utf-8")
    code, out, _ = check(root, capsys)
    assert code == 1 and "is over max_wer 0.01 (whitespace, raw)" in out, out
    assert f"WER {2 / WORDS:.4f}" in out


@pytest.mark.parametrize(("policy", "message"), [
    ("max_cer = -0.1", "policy.max_cer"),
    ("max_wer = \"5%\"", "policy.max_wer"),
    ("error_rates = \"folded\"", "policy.error_rates"),
])
def test_a_bad_limit_is_one_line_naming_the_key(tmp_path: Path, capsys: pytest.CaptureFixture[str], policy: str,
                                                message: str) -> None:
    code, _, err = check(project(tmp_path, policy), capsys)
    assert code == 2 and err.count("\n") == 1 and message in err, err
