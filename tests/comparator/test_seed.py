"""The real case: the article that transcribes the 6 January 2020 letter, from ../shared/seeds.

The seed README lists what a correct comparison finds; these tests skip where ../shared is not
beside the checkout (a user's clone), and run in CI, where it is.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from provenance import compare
from provenance.comparator.classify import rebuild
from provenance.model import FindingType, PassageKind, Verdict
from provenance.report.terminal import render_terminal

from conftest import validate


def seed_report(shared: Path):  # type: ignore[no-untyped-def]
    seeds = shared / "seeds"
    return compare(seeds / "article-occupation-letter.txt", [seeds / "letter-2020-01-06.txt"])


def test_the_pasted_letter_is_one_passage_with_all_seven_findings(shared: Path) -> None:
    report = seed_report(shared)
    validate(report)
    letter = report.passages[0]
    assert letter.passage.kind is PassageKind.PASSAGE
    assert letter.verdict is Verdict.ALTERED
    found = [(f.type, f.doc_text.strip(), f.src_text.strip()) for f in letter.findings
             if f.type is not FindingType.NORMALIZATION]
    assert found == [
        (FindingType.EDITORIAL_INSERTION, "[TO:]", ""),
        (FindingType.EDITORIAL_INSERTION, "[i.e., moving]", ""),
        (FindingType.SILENT_OMISSION, "", "to prepare for onward movement"),
        (FindingType.TRANSCRIPTION_ERROR, "sec urity", "security"),
        (FindingType.SUBSTITUTION, "missions", "operations"),
        (FindingType.EDITORIAL_INSERTION, "[i.e, the post-U.S.-military-occupation-of-Iraq; i.e., the end of "
                                          "America’s war against Iraq, phase]", ""),
        (FindingType.EDITORIAL_INSERTION, "[Task Force – Iraq, representing the Combined Joint Task Force – Iraq, "
                                          "of the Joint Operations Command – Iraq, of the Department of Defense, "
                                          "of the United States Government]", ""),
    ]
    source = (shared / "seeds" / "letter-2020-01-06.txt").read_text(encoding="utf-8")
    assert letter.match is not None
    assert rebuild(source, letter.match.span, letter.findings) == letter.text


def test_dash_and_line_differences_are_only_normalisation(shared: Path) -> None:
    letter = seed_report(shared).passages[0]
    for f in letter.findings:
        if "Iraq — Ministry" in f.doc_text or "Very Respectfully" in f.doc_text:
            assert f.type is FindingType.NORMALIZATION


def test_terminal_view_shows_the_findings(shared: Path) -> None:
    out = render_terminal(seed_report(shared), width=120, color=False)
    assert "[-to prepare for onward movement-]" in out
    assert "[-security-]{+sec urity+}" in out
    assert "[-operations-]{+missions+}" in out
    assert "[i.e., moving]" in out


def test_the_evaluation_scorer_passes(shared: Path, tmp_path: Path) -> None:
    """The labelled cases of ../shared/eval, through the installed command line."""
    summary = tmp_path / "summary.json"
    env = {**os.environ, "PROVENANCE_CMD": f"{sys.executable} -m provenance"}
    proc = subprocess.run([sys.executable, str(shared / "eval" / "score.py"), "--json", str(summary)],
                          capture_output=True, text=True, env=env, check=False, timeout=600)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(summary.read_text(encoding="utf-8"))
    assert result["failed_runs"] == 0
    assert result["f1"] >= 0.9, proc.stdout
    assert result["verdicts_ok"] >= 0.9 * result["verdicts"], proc.stdout
