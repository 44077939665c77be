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


def test_pathological_benchmark_quick_run() -> None:
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "pathological.py"), "--quick"],
                          capture_output=True, text=True, check=False, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "worst growth ratio" in proc.stdout and "hidden_run" in proc.stdout
