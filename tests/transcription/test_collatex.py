"""Collation compared with CollateX on the same witnesses, tokenised the same way.

A variant location is named by where it falls in the base witness (the first): `("at", k)` for a
column holding base word k, `("after", k)` for words the base lacks, inserted after its word k.
Both tools are given the same words (CollateX gets our tokens, with our folded keys as its
normalised form), so that only the alignment differs.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest
from collatex import Collation as CollateXCollation
from collatex import collate as collatex_collate
from rapidfuzz.distance import LCSseq

from provenance.text import Text, make_text
from provenance.transcription.collate import align_columns

ROOT = Path(__file__).resolve().parents[2]
Site = tuple[str, int]


def _sites(columns: Sequence[tuple[Sequence[str | None], int | None]]) -> set[Site]:
    out: set[Site] = set()
    last = -1
    for values, base in columns:
        if base is not None:
            last = base
        if len(set(values)) == 1 and values[0] is not None:
            continue
        out.add(("at", base) if base is not None else ("after", last))
    return out


def ours(texts: Sequence[Text]) -> set[Site]:
    vocab: dict[str, int] = {}
    keys = [[vocab.setdefault(k, len(vocab)) for k in t.tokens.keys] for t in texts]
    columns = align_columns(keys, list(range(len(texts))))
    return _sites([([texts[w].tokens.keys[c] if c is not None else None for w, c in enumerate(col)], col[0])
                   for col in columns])


def collatex(texts: Sequence[Text]) -> set[Site]:
    data = {"witnesses": [{"id": f"W{k}", "tokens": [{"t": t.original[a:b], "n": key} for a, b, key in
                                                     zip(t.tokens.starts, t.tokens.ends, t.tokens.keys, strict=True)]}
                          for k, t in enumerate(texts)]}
    table = json.loads(collatex_collate(CollateXCollation.create_from_dict(data), output="json",
                                        segmentation=False))["table"]
    columns = []
    for c in range(len(table[0])):
        values = [" ".join(tok["n"] for tok in row[c]) if row[c] else None for row in table]
        base = table[0][c][0]["_token_array_position"] if table[0][c] else None
        columns.append((values, base))
    return _sites(columns)


def edited_witnesses(seed: int, n_witnesses: int = 4, n_words: int = 90) -> list[str]:
    """A base text of mostly distinct words and copies with substitutions, omissions and insertions,
    each at its own place, at least three words from any other edit."""
    rng = random.Random(seed)
    vocab = [f"{rng.choice('bcdfglmnprst')}{rng.choice('aeiou')}{rng.choice('bcdfglmnprst')}{k}" for k in range(2000)]
    base = rng.sample(vocab, n_words)
    places = rng.sample(range(2, n_words - 2, 4), 3 * (n_witnesses - 1))
    texts = [" ".join(base)]
    for w in range(n_witnesses - 1):
        copy: list[str | list[str]] = list(base)
        for k, place in enumerate(sorted(places[3 * w:3 * w + 3])):
            kind = ("substitution", "omission", "insertion")[(k + w) % 3]
            if kind == "substitution":
                copy[place] = f"changed{w}{k}"
            elif kind == "omission":
                copy[place] = []
            else:
                copy[place] = [base[place], f"added{w}{k}", f"more{w}{k}"][:2 + (k % 2)]
        flat = [x for item in copy for x in (item if isinstance(item, list) else [item])]
        texts.append(" ".join(flat))
    return texts


def test_variant_locations_agree_with_collatex_on_substitutions_omissions_insertions() -> None:
    for seed in range(6):
        texts = [make_text(s) for s in edited_witnesses(seed)]
        found = ours(texts)
        assert len(found) >= 9  # the edits are found at all
        assert found == collatex(texts), seed


def test_shared_insertions_and_omissions_agree_with_collatex() -> None:
    base = "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike"
    texts = [make_text(s) for s in (
        base,
        base.replace("delta", "delta new words"),
        base.replace("delta", "delta new words").replace("india ", ""),
        base.replace("india ", "").replace("kilo", "kite"),
    )]
    assert ours(texts) == collatex(texts) == {("after", 3), ("at", 8), ("at", 10)}


def test_where_collatex_differs_is_where_repeated_words_allow_two_equal_alignments() -> None:
    """On the Gettysburg copies the tools disagree only on which of two identical neighbouring
    words a gap takes (`that that` written once; the eye-skip between two `we can not`): both
    alignments cost the same, and each tool breaks the tie its own way."""
    paths = sorted((ROOT / "inputs" / "gettysburg").glob("copy-*.txt"))
    texts = [make_text(p.read_text(encoding="utf-8")) for p in paths]
    mine, theirs = ours(texts), collatex(texts)
    assert len(mine & theirs) >= 0.9 * len(mine | theirs)
    keys = texts[0].tokens.keys
    only_mine, only_theirs = sorted(mine - theirs), sorted(theirs - mine)
    assert len(only_mine) == len(only_theirs)
    for (kind_a, a), (kind_b, b) in zip(only_mine, only_theirs, strict=True):
        assert kind_a == kind_b == "at" and abs(a - b) <= 3 and keys[a] == keys[b]


def collatex_file(path: str) -> str | None:
    """A file of CollateX's repository (GPL: read where it is, never copied here): from a checkout or
    a bare clone named by `PROVENANCE_COLLATEX`, or the fetched mirror beside the work tree."""
    named = os.environ.get("PROVENANCE_COLLATEX")
    candidates = [Path(named)] if named else [p / ".mirror" / "interedition+collatex" / "repo" for p in ROOT.parents]
    for repo in candidates:
        if (repo / path).is_file():
            return (repo / path).read_text(encoding="utf-8")
        if (repo / "HEAD").is_file():
            shown = subprocess.run(["git", "--git-dir", str(repo), "show", f"HEAD:{path}"], capture_output=True,
                                   check=False)
            if shown.returncode == 0:
                return shown.stdout.decode("utf-8")
    return None


def test_every_pair_of_collatex_darwin_witnesses_matches_their_longest_common_subsequence() -> None:
    """CollateX's Darwin example (six editions of The Origin of Species, chapter 1, in 47 sets; some
    of two witnesses): on every pair, the collation matches as many identical words as the longest
    common subsequence has. (A Levenshtein alignment fell short on 60 of the 649 pairs, by up to 15
    words: pairing `I do` with `it is` costs as little as keeping `it is` together.)"""
    html = collatex_file("collatex-tools/src/main/resources/static/darwin.html")
    if html is None:
        pytest.skip("CollateX's repository is not here (set PROVENANCE_COLLATEX to a checkout)")
    start = html.index("var darwinChapters = ") + len("var darwinChapters = ")
    chapters, _ = json.JSONDecoder().raw_decode(html[start:])
    assert len(chapters) == 47
    pairs = 0
    for chapter in chapters:
        for first, second in itertools.combinations(chapter["witnesses"], 2):
            vocab: dict[str, int] = {}
            keys = [[vocab.setdefault(k, len(vocab)) for k in make_text(w["content"]).tokens.keys]
                    for w in (first, second)]
            columns = align_columns(keys, [0, 1])
            matched = sum(1 for a, b in columns if a is not None and b is not None and keys[0][a] == keys[1][b])
            assert matched == LCSseq.similarity(keys[0], keys[1]), (first["id"], second["id"], first["content"][:60])
            pairs += 1
    assert pairs == 649
