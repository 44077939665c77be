"""The benchmark scripts run (a smoke run: their figures are read by people, not asserted here)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_compare_benchmark_quick_run() -> None:
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "compare.py"), "--quick"],
                          capture_output=True, text=True, check=False, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "speed-up" in proc.stdout and "recall" in proc.stdout


def test_collate_benchmark_quick_run() -> None:
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "collate.py"), "--quick"],
                          capture_output=True, text=True, check=False, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "CollateX" in proc.stdout and "speed-up" in proc.stdout and "(exact)" in proc.stdout


def test_scan_benchmark_quick_run(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "scan.py"), "--quick", "--workdir",
                           str(tmp_path / "corpus")], capture_output=True, text=True, check=False, timeout=120)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "lookup: median ms" in out and "brute force" in out and "scan: documents/s" in out
    same = next(line for line in out.splitlines() if line.startswith("scan: reports = compare")).split()[5]
    assert same.split("/")[0] == same.split("/")[1] != "0"  # sampled reports identical to compare
    recall = next(line for line in out.splitlines() if line.startswith("lookup: recall@1")).split()
    assert float(recall[2]) >= 0.9  # the index finds the quotations it is timed on
    matched = next(line for line in out.splitlines() if line.startswith("scan: quotations matched")).split()[3]
    found, total = map(int, matched.split("/"))
    assert total > 0 and found >= 0.9 * total


def test_reindex_benchmark_quick_run() -> None:
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "reindex.py"), "--quick"],
                          capture_output=True, text=True, check=False, timeout=120)
    assert proc.returncode == 0, proc.stderr
    steps = [line for line in proc.stdout.splitlines() if line[:1].isdigit() or line.startswith("nothing changed")]
    rows = [line for line in steps if "re-indexed" in line or "removed" in line]
    assert len(steps) == 4 and len(rows) == 3 and all(line.rstrip().endswith("ok") for line in rows), proc.stdout


def test_scan_benchmark_with_the_test_encoder_times_vectors(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "scan.py"), "--quick", "--skip-scan",
                           "--encoder", "hashed", "--workdir", str(tmp_path / "corpus")],
                          capture_output=True, text=True, check=False, timeout=120)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "TEST DOUBLE" in out and "scan: seconds" not in out
    rows = {line[:34].strip(): line[34:].split() for line in out.splitlines() if ":" in line[:34]}
    assert float(rows["index: vectors MiB"][0]) >= 0 and int(rows["index: sentence units"][0].replace(",", "")) > 0
    assert float(rows["vectors: k=10 nearest median ms"][0]) > 0
    found, total = map(int, rows["paraphrase lookup: found"][0].split("/"))
    assert total > 0 and found > 0  # shuffled quotations are still found as paraphrases of their source


def test_scan_agreement_benchmark_runs(tmp_path: Path) -> None:
    cases = tmp_path / "cases" / "one"
    cases.mkdir(parents=True)
    (cases / "source.txt").write_text("Harbour engineers warned that the northern breakwater needs urgent repairs "
                                      "before the winter storms arrive.\n", encoding="utf-8")
    (cases / "document.md").write_text("The chair said that \u201cthe breakwater to the north urgently needs repair "
                                       "work before storms arrive this winter, warned the engineers of the "
                                       "harbour\u201d.\n", encoding="utf-8")
    (cases / "case.json").write_text('{"document": "document.md", "sources": ["source.txt"], "whole": false}',
                                     encoding="utf-8")
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "scan_agreement.py"), "--cases",
                           str(tmp_path / "cases")], capture_output=True, text=True, check=False, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "agree 1 of 1"


def test_pathological_benchmark_quick_run() -> None:
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "pathological.py"), "--quick"],
                          capture_output=True, text=True, check=False, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "worst growth ratio" in proc.stdout and "hidden_run" in proc.stdout


def test_load_formats_benchmark_quick_run() -> None:
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "load_formats.py"), "--quick"],
                          capture_output=True, text=True, check=False, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "pdf: 20 pages" in proc.stdout and "40 headers, footers and page numbers removed" in proc.stdout
    assert "html: article.html" in proc.stdout


CITED = ROOT / "benchmarks" / "cited"


def test_cited_set_labels_agree_with_their_texts() -> None:
    """Issue 15's labelled set: every label is borne out by the files (check_labels.py)."""
    proc = subprocess.run([sys.executable, str(CITED / "check_labels.py")], capture_output=True, text=True,
                          check=False, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.startswith(f"{len(list((CITED / 'cases').glob('*/case.json')))} cases")


def _folded(text: str) -> str:
    import re

    return " " + " ".join(re.findall(r"[\w']+", text.casefold())) + " "


def test_cited_speed_corpus_is_deterministic_and_checkable(tmp_path: Path) -> None:
    import json

    runs = []
    for name in ("a", "b"):
        proc = subprocess.run([sys.executable, str(CITED / "make_bench.py"), str(tmp_path / name), "--count", "2"],
                              capture_output=True, text=True, check=False, timeout=120)
        assert proc.returncode == 0, proc.stderr
        runs.append(sorted((p.relative_to(tmp_path / name), p.read_bytes())
                           for p in (tmp_path / name).rglob("*") if p.is_file()))
    assert runs[0] == runs[1]
    out = tmp_path / "a"
    report = (out / "reports" / "report-000.md").read_text(encoding="utf-8")
    assert 1000 <= len(report.split()) <= 1300 and "[5]" in report
    labels = json.loads((out / "labels.json").read_text(encoding="utf-8"))
    for doc, quotes in labels.items():
        folder = out / "sources" / Path(doc).stem
        files = sorted(folder.iterdir())
        assert len(files) == 5
        for q in quotes:
            assert f"\u201c{q['quote']}\u201d [{q['cites']}]" in (out / doc).read_text(encoding="utf-8")
            cited = _folded(_files_by_number(out / doc, folder)[q["cites"]].read_text(encoding="utf-8"))
            words = _folded(q["quote"])
            if q["kind"] in ("correct", "wrong_speaker"):
                assert words in cited
            elif q["kind"] == "wrong_source":
                assert words not in cited and words in _folded((folder / q["found_in"]).read_text(encoding="utf-8"))
            else:  # fabricated or altered: no source has these words
                assert all(words not in _folded(f.read_text(encoding="utf-8")) for f in files)
    proc = subprocess.run([sys.executable, "-m", "provenance", "check", "--config", str(out / "provenance.toml")],
                          capture_output=True, text=True, check=False, timeout=300)
    assert proc.returncode in (0, 1), proc.stderr  # the manifest is accepted and the check runs


def _files_by_number(doc: Path, folder: Path) -> dict[int, Path]:
    """The source file each citation number of a generated report names in its Sources list."""
    import re

    numbers = {}
    for line in doc.read_text(encoding="utf-8").split("## Sources", 1)[1].splitlines():
        m = re.match(r"\[(\d+)\]:? .*?(r\d{3}-[\w-]+\.txt)", line)
        if m:
            numbers[int(m.group(1))] = folder / m.group(2)
    return numbers


def test_cited_check_benchmark_quick_run() -> None:
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "cited_check.py"), "--quick", "--registry"],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    first, *kinds = proc.stdout.splitlines()
    assert first.startswith("check: 5 reports") and "0 failed" in first and "with [[sources]] tables" in first
    assert any(line.split()[0] == "wrong_source" and "misattribution" in line for line in kinds)


def _peer_pages() -> Path | None:
    """A folder holding trafilatura's evaluation pages (`trafilatura/tests/evaldata.json`), or None."""
    env = os.environ.get("PROVENANCE_PEERS")
    for base in [Path(env)] if env else [ROOT.parent / "peers", ROOT.parent.parent / "peers"]:
        if (base / "trafilatura" / "tests" / "evaldata.json").is_file():
            return base
    return None


def test_html_extraction_benchmark_without_data_says_so_in_one_line(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "html_extraction.py"), "--data",
                           str(tmp_path)], capture_output=True, text=True, check=False, timeout=60,
                          env={k: v for k, v in os.environ.items() if k != "PROVENANCE_PEERS"})
    assert proc.returncode == 0, proc.stderr
    assert len(proc.stdout.strip().splitlines()) == 1 and "not measured" in proc.stdout


def test_html_extraction_benchmark_quick_run() -> None:
    peers = _peer_pages()
    if peers is None:
        pytest.skip("trafilatura's saved pages are not here (set PROVENANCE_PEERS)")
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "html_extraction.py"), "--data", str(peers),
                           "--limit", "20", "--only", "provenance"],
                          capture_output=True, text=True, check=False, timeout=120)
    assert proc.returncode == 0, proc.stderr
    row = next(line for line in proc.stdout.splitlines() if line.startswith("provenance "))
    precision, recall, f1 = (float(x) for x in row.split()[1:4])
    assert 0 < f1 <= 1 and min(precision, recall) <= f1 <= max(precision, recall)
    assert "20 saved pages" in proc.stdout
