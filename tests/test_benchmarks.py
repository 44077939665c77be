"""The benchmark scripts run (a smoke run: their figures are read by people, not asserted here)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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
