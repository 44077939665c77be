"""The collation as JSON, schema `provenance.collation/1`: the `Collation` serialised, nothing more."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from typing import Any

from provenance.report.visible import escape_json
from provenance.transcription.collate import Collation

SCHEMA_ID = "provenance.collation/1"
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
"""Lone surrogates: how Python spells the bytes of a file name that is not valid UTF-8."""


def collation_dict(collation: Collation) -> dict[str, Any]:
    """The collation as plain JSON-ready data."""
    from provenance import __version__

    segments = []
    for k, s in enumerate(collation.segments, 1):
        segments.append({
            "id": f"s{k}",
            "agreement": s.agreement,
            "tie": s.tie,
            "cells": list(s.cells),
            "readings": [{"text": r.text, "witnesses": list(r.witnesses), "consensus": i in s.consensus}
                         for i, r in enumerate(s.readings)],
        })
    return {
        "schema": SCHEMA_ID,
        "tool": {"name": "provenance", "version": __version__},
        "base": collation.base,
        "witnesses": [{"id": w.id, "path": w.path, "sha256": w.sha256, "chars": w.chars, "words": w.words}
                      for w in collation.witnesses],
        "segments": segments,
        "consensus": {"text": collation.consensus_text,
                      "variants": [f"s{k + 1}" for k in collation.variants],
                      "ties": [f"s{k + 1}" for k in collation.ties]},
    }


def render_collation_json(collation: Collation) -> str:
    """The JSON text: keys sorted, non-ASCII kept (but invisible, bidirectional-control and C1
    characters written as `\\uXXXX` escapes, so that the file shown in a terminal is safe and parses
    back to the exact text), one trailing newline. A lone surrogate (from a file name that is not
    valid UTF-8) is escaped too, `\\udcff`: no encoder writes it raw, and Python reads it back as the
    same name."""
    text = escape_json(json.dumps(collation_dict(collation), ensure_ascii=False, sort_keys=True, indent=2))
    return _SURROGATE_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


@lru_cache(maxsize=1)
def collation_schema() -> dict[str, Any]:
    """The JSON Schema of the collation, shipped in the package."""
    text = resources.files("provenance").joinpath("schema/collation.schema.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


__all__ = ["SCHEMA_ID", "collation_dict", "collation_schema", "render_collation_json"]
