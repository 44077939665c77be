"""The fuzzing harness's checks (fuzz/fuzz_loader.py) on its seeds and on random bytes, without atheris."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "fuzz" / "seeds").iterdir())
CRASHES = sorted((ROOT / "tests" / "fuzz_crashes").iterdir())
"""Inputs on which the fuzzer once found a bug, kept as regression tests."""


def _harness():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("fuzz_loader", ROOT / "fuzz" / "fuzz_loader.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("fuzz_loader", module)
    spec.loader.exec_module(module)
    return module.check_one


check_one = _harness()


@pytest.mark.parametrize("seed", SEEDS, ids=[p.name for p in SEEDS])
def test_the_seeds_pass_the_harness(seed: Path) -> None:
    check_one(seed.read_bytes())


@pytest.mark.parametrize("crash", CRASHES, ids=[p.name[:14] for p in CRASHES])
def test_inputs_that_once_crashed(crash: Path) -> None:
    check_one(crash.read_bytes())


def test_an_ellipsis_inside_mojibake_is_not_markup() -> None:
    # the first crash (fuzz/ run 3): `Ń…` is cp1250 mojibake of `х`; ftfy repaired the word across
    # the `…`, which the extractor also took for an ellipsis: a finding with a reversed span
    from provenance.comparator.extract import find_markup
    from provenance.comparator.pipeline import compare_texts
    from provenance.text import make_text

    doc = "Sir, in due r the \u0143\u2026ourse\u00e2\u20ac\u0165course of the Republic"
    assert find_markup(doc, 0, len(doc)) == ()
    source = make_text("Sir, in due deference to the course of the Republic", id="source")
    for whole in (False, True):
        compare_texts(make_text(doc), [source], whole=whole)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes_pass_the_harness(data: bytes) -> None:
    check_one(data)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(SEEDS), st.binary(max_size=40), st.integers(0, 3000))
def test_damaged_seeds_pass_the_harness(seed: Path, noise: bytes, at: int) -> None:
    data = seed.read_bytes()
    at = at % (len(data) + 1)
    check_one(data[:at] + noise + data[at:])
