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
