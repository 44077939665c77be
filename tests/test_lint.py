"""ruff and mypy stay clean: run them as tests so CI enforces it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed")
    return found


def test_ruff_is_clean() -> None:
    proc = subprocess.run([tool("ruff"), "check", "provenance", "tests", "benchmarks"], cwd=ROOT,
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_mypy_is_clean() -> None:
    proc = subprocess.run([tool("mypy")], cwd=ROOT, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


MAX_COMPLEXITY = 20
MAX_LINES = 80


def test_no_function_is_too_complex_or_too_long() -> None:
    """Issue 11's bar: no function of the package above radon cyclomatic complexity 20 or 80 lines,
    closures and methods counted on their own."""
    from radon.complexity import cc_visit
    from radon.visitors import Class, Function

    def blocks(found: list[Function | Class]) -> list[Function]:
        out: list[Function] = []
        for block in found:
            if isinstance(block, Class):
                out += blocks(list(block.methods))
            else:
                out.append(block)
                out += blocks(list(block.closures))
        return out

    offenders = []
    for path in sorted((ROOT / "provenance").rglob("*.py")):
        seen: set[tuple[int, str]] = set()
        for block in blocks(cc_visit(path.read_text(encoding="utf-8"))):
            if (block.lineno, block.name) in seen:
                continue
            seen.add((block.lineno, block.name))
            lines = block.endline - block.lineno + 1
            if block.complexity > MAX_COMPLEXITY or lines > MAX_LINES:
                offenders.append(f"{path.relative_to(ROOT)}:{block.lineno} {block.name}: "
                                 f"complexity {block.complexity}, {lines} lines")
    assert not offenders, "\n".join(offenders)
