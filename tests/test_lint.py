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


CORE = {"model", "taxonomy", "errors", "rules", "decode", "text", "output"}
"""Modules every step may use; they use nothing but each other."""


def _imports() -> dict[str, set[str]]:
    """For each module of the package, the package modules it imports at its top level (not inside
    functions: those are deliberate late imports of heavy or optional parts)."""
    import ast

    graph: dict[str, set[str]] = {}
    for path in sorted((ROOT / "provenance").rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found: set[str] = set()
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "provenance":
                found.add(node.module)
            elif isinstance(node, ast.Import):
                found.update(a.name for a in node.names if a.name.split(".")[0] == "provenance")
        graph[name] = found - {name}
    return graph


def test_the_layers_hold() -> None:
    """The core imports nothing above it, only the command line knows the command line, and no two
    modules import each other, even through others."""
    graph = _imports()
    core = {f"provenance.{m}" for m in CORE}
    assert core <= set(graph)
    above_core = {m: sorted(i for i in graph[m] if i not in core) for m in core}
    assert not any(above_core.values()), above_core
    assert [m for m, found in graph.items() if "provenance.cli" in found] == ["provenance.__main__"]
    state: dict[str, int] = {}

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(graph.get(module, ())):
            if state.get(target) == 1:
                raise AssertionError("import cycle: " + " -> ".join([*path, module, target]))
            if target in graph and not state.get(target):
                visit(target, [*path, module])
        state[module] = 2

    for module in sorted(graph):
        if not state.get(module):
            visit(module, [])
