"""Collation: alignment of many witnesses, consensus, outputs (terminal, JSON, HTML, TEI), the CLI.

The TEI golden file is in tests/golden/; after a deliberate change of output, regenerate it with
`UPDATE_GOLDEN=1 python -m pytest tests/transcription/test_collate.py` and review the diff.
"""

from __future__ import annotations

import json
import os
import random
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from provenance.cli import main
from provenance.errors import UsageError
from provenance.report.collation_html import render_collation_html
from provenance.report.collation_json import collation_schema, render_collation_json
from provenance.report.collation_tei import TEI_NS, render_collation_tei
from provenance.report.collation_terminal import render_collation_terminal
from provenance.text import make_text
from provenance.transcription import collate as collate_module
from provenance.transcription.collate import align_columns, collate, collate_texts

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).resolve().parents[1] / "golden"
EXAMPLE = sorted((ROOT / "inputs" / "gettysburg").glob("copy-*.txt"))
ORIGINAL = (Path(__file__).resolve().parents[1] / "fixtures" / "gettysburg-original.txt").read_text(encoding="utf-8")
T = f"{{{TEI_NS}}}"

FOX = [
    "The quick brown fox jumped over the lazy dog.",
    "The quick fox jumped over the very lazy dog.",
    "The quick brown fox leaped over the very lazy dog!",
    "the quick brown fox jumped over the lazy dog.",
]


def texts(*strings: str):  # type: ignore[no-untyped-def]
    return [make_text(s, path=f"w{k}.txt", id=f"w{k}") for k, s in enumerate(strings, 1)]


def validated(collation) -> dict:  # type: ignore[no-untyped-def,type-arg]
    data: dict = json.loads(render_collation_json(collation))  # type: ignore[type-arg]
    jsonschema.validate(data, collation_schema(), cls=jsonschema.Draft202012Validator)
    return data


def test_the_example_gives_back_the_original() -> None:
    assert len(EXAMPLE) == 5
    collation = collate(EXAMPLE)
    assert collation.consensus_text == ORIGINAL
    assert not collation.ties
    # every witness differs from the original somewhere, and none is the original
    assert all(p.read_text(encoding="utf-8") != ORIGINAL for p in EXAMPLE)
    validated(collation)


@pytest.mark.parametrize("base", range(5))
def test_the_consensus_does_not_depend_on_the_base(base: int) -> None:
    assert collate(EXAMPLE, base=EXAMPLE[base]).consensus_text == ORIGINAL


def test_every_reading_is_backed_by_its_witnesses() -> None:
    loaded = [make_text(p.read_text(encoding="utf-8"), id=p.stem) for p in EXAMPLE]
    collation = collate_texts(loaded)
    ids = [w.id for w in collation.witnesses]
    for k, _ in enumerate(loaded):
        # a witness's cells, joined, give back the witness
        assert "".join(s.cells[k] or "" for s in collation.segments) == loaded[k].original
    for segment in collation.segments:
        assert sorted(w for r in segment.readings for w in r.witnesses) == sorted(ids)
        for reading in segment.readings:
            cells = {segment.cells[ids.index(w)] or "" for w in reading.witnesses}
            assert reading.text in cells
        chosen = segment.chosen()
        assert all(len(chosen.witnesses) >= len(r.witnesses) for r in segment.readings)


def test_variants_and_a_tie() -> None:
    collation = collate_texts(texts(*FOX))
    data = validated(collation)
    assert collation.consensus_text == "The quick brown fox jumped over the lazy dog."
    by_text = {tuple(r["text"] for r in s["readings"]): s for s in data["segments"] if not s["agreement"]}
    assert ("brown ", "") in by_text and ("jumped ", "leaped ") in by_text
    tie = by_text[("", "very ")]
    assert tie["tie"] and all(r["consensus"] for r in tie["readings"])
    assert data["consensus"]["ties"] == [tie["id"]]
    assert [r["witnesses"] for r in tie["readings"]] == [["w1", "w4"], ["w2", "w3"]]
    # case and punctuation alone are not variants: `the quick` and `dog!` agree
    assert data["segments"][0]["agreement"] and data["segments"][-1]["agreement"]


def test_an_insertion_in_several_witnesses_lands_in_one_column() -> None:
    base = "one two three four five six seven eight"
    collation = collate_texts(texts(base, "one two three and a half four five six seven eight",
                                    "one two three and a half four five six seven eight", base, base))
    variants = [collation.segments[k] for k in collation.variants]
    assert len(variants) == 1
    assert [(r.text, r.witnesses) for r in variants[0].readings] == [("", ("w1", "w4", "w5")),
                                                                     ("and a half ", ("w2", "w3"))]


def test_many_long_witnesses_keep_their_text() -> None:
    rng = random.Random(3)
    vocab = [f"w{k}" for k in range(800)]
    original = [rng.choice(vocab) for _ in range(3000)]
    copies = []
    for _ in range(6):
        copy = list(original)
        for _ in range(30):
            k = rng.randrange(len(copy))
            copy[k:k + 1] = rng.choice([[], [copy[k], "added"], ["changed"]])
        copies.append(" ".join(copy))
    collation = collate_texts(texts(*copies))
    assert collation.consensus_text.split() == original


def test_errors() -> None:
    with pytest.raises(UsageError, match="at least two"):
        collate_texts(texts("only one"))
    with pytest.raises(UsageError, match="base witness 'copy-5' is not among") as raised:
        collate(EXAMPLE[:2], base="copy-5")
    assert raised.value.parameter == "base"  # the command line adds "(see --base)"


def test_an_unknown_base_names_its_option_on_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["collate", *map(str, EXAMPLE[:2]), "--base", "copy-5"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.rstrip().endswith("(see --base)"), err


def test_tei_is_well_formed_parallel_segmentation() -> None:
    collation = collate(EXAMPLE)
    tei = render_collation_tei(collation)
    root = ET.fromstring(tei.encode("utf-8"))
    assert root.tag == f"{T}TEI"
    declared = [w.get("{http://www.w3.org/XML/1998/namespace}id") for w in root.iter(f"{T}witness")]
    assert declared == [w.id for w in collation.witnesses]
    apps = list(root.iter(f"{T}app"))
    assert len(apps) == len(collation.variants)
    for app in apps:
        lems = app.findall(f"{T}lem")
        assert len(lems) == 1  # no ties in the example
        for reading in app:
            for ref in (reading.get("wit") or "").split():
                assert ref[1:] in declared
    # an omission is an empty <rdg>
    assert any(r.text is None for app in apps for r in app.findall(f"{T}rdg"))
    # the lemmas and the text between them give back the consensus
    block = next(root.iter(f"{T}ab"))
    rebuilt = (block.text or "") + "".join((app.find(f"{T}lem").text or "") + (app.tail or "")  # type: ignore[union-attr]
                                           for app in block)
    assert rebuilt == ORIGINAL
    assert "\n  <" not in tei  # never pretty-printed


def test_tei_golden_and_ties() -> None:
    tei = render_collation_tei(collate_texts(texts(*FOX)))
    ET.fromstring(tei.encode("utf-8"))
    assert '<app type="tie"><rdg wit="#w1 #w4" /><rdg wit="#w2 #w3">very </rdg></app>' in tei
    golden = GOLDEN / "collation-fox.tei.xml"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(tei, encoding="utf-8", newline="")
    assert tei == golden.read_text(encoding="utf-8")


def test_tei_writes_characters_xml_forbids_as_declared_glyphs() -> None:
    tei = render_collation_tei(collate_texts(texts("a b\x01 c d", "a x c d")))
    ET.fromstring(tei.encode("utf-8"))
    assert '<g ref="#char-0001" />' in tei and "<mapping type=\"codepoint\">U+0001</mapping>" in tei


def test_html_is_escaped_and_self_contained() -> None:
    html = render_collation_html(collate_texts(texts("Say <script>alert(1)</script> & go", "Say hello & go")))
    assert "<script" not in html and "script&gt;" in html and "&lt;/" in html
    assert "hello &amp; " in html
    assert "http" not in html.replace("<!DOCTYPE html>", "")  # nothing fetched from elsewhere


def test_terminal_marks_variants_and_agreement() -> None:
    out = render_collation_terminal(collate_texts(texts(*FOX)), width=100, color=False)
    assert "1 tie" in out and "3 variant locations" in out
    assert "{s2: brown}" in out and "? ∅ | very}" in out
    assert "≠ leaped" in out and "≠ –" in out
    assert "\x1b[" not in out


def test_cli_formats_and_output_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paths = [str(p) for p in EXAMPLE]
    for fmt in ("terminal", "json", "html", "tei"):
        out = tmp_path / f"out.{fmt}"
        assert main(["collate", *paths, "--format", fmt, "--output", str(out), "--width", "100"]) == 0
        assert out.read_text(encoding="utf-8")
    assert json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))["consensus"]["text"] == ORIGINAL
    assert main(["collate", *paths, "--base", "copy-3", "-f", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["base"] == "copy-3"


@pytest.mark.parametrize("args", [
    ["collate", "ONE"],
    ["collate", "ONE", "MISSING"],
    ["collate", "ONE", "TWO", "--base", "nowhere.txt"],
    ["collate", "ONE", "EMPTY"],
])
def test_cli_errors_are_one_line_exit_2(args: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "one.txt").write_text("a text", encoding="utf-8")
    (tmp_path / "two.txt").write_text("a test", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    names = {"ONE": "one.txt", "TWO": "two.txt", "MISSING": "missing.txt", "EMPTY": "empty.txt"}
    out = tmp_path / "out.json"
    out.write_text("old", encoding="utf-8")
    argv = [str(tmp_path / names[a]) if a in names else a for a in args]
    assert main([*argv, "-f", "json", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("provenance: error:")
    assert out.read_text(encoding="utf-8") == "old"


def test_the_readme_documents_collate_and_the_committed_outputs_are_up_to_date(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import re
    import shlex
    import subprocess
    import sys

    from conftest import documentation

    readme = documentation()
    assert main(["collate", "--help"]) == 0
    help_text = capsys.readouterr().out
    for line in set(re.findall(r"provenance collate [^\n`]*", readme)):
        for flag in re.findall(r"(--[a-z-]+)", line):
            assert flag in help_text, flag
    command = re.search(r"\n(provenance collate inputs/[^\n]+)\n", readme)
    assert command, "README has no collate example"
    for part in command.group(1).split("&&"):
        args = shlex.split(part)[2:]
        witnesses = [str(p.relative_to(ROOT)) for p in EXAMPLE]
        expanded = [x for a in args for x in (witnesses if a == "inputs/gettysburg/copy-*.txt" else [a])]
        target = expanded[expanded.index("--output") + 1]
        expanded[expanded.index("--output") + 1] = str(tmp_path / Path(target).name)
        proc = subprocess.run([sys.executable, "-m", "provenance", "collate", *expanded], capture_output=True,
                              text=True, check=False, cwd=ROOT)
        assert proc.returncode == 0, proc.stderr
        fresh = (tmp_path / Path(target).name).read_text(encoding="utf-8")
        assert fresh == (ROOT / target).read_text(encoding="utf-8"), target


@st.composite
def majority_and_slips(draw: st.DrawFn) -> tuple[str, list[str]]:
    """An original of few distinct words (repeats make alignment ambiguous), a majority of exact
    copies and a minority of copies with random slips, in random order."""
    vocab = draw(st.lists(st.sampled_from(["a", "b", "c", "the", "of", "we"]), min_size=2, max_size=6, unique=True))
    original = draw(st.lists(st.sampled_from(vocab), min_size=1, max_size=14))
    n = draw(st.sampled_from([3, 5, 7]))
    copies = [list(original) for _ in range(n // 2 + 1)]
    for _ in range(n - len(copies)):
        copy = list(original)
        for _ in range(draw(st.integers(1, 4))):
            k = draw(st.integers(0, len(copy)))
            action = draw(st.sampled_from(["drop", "add", "change"]))
            if action == "add" or not copy:
                copy.insert(k, draw(st.sampled_from([*vocab, "x"])))
            elif action == "drop":
                del copy[min(k, len(copy) - 1)]
            else:
                copy[min(k, len(copy) - 1)] = draw(st.sampled_from([*vocab, "y"]))
        copies.append(copy or ["z"])
    witnesses = [" ".join(c) for c in draw(st.permutations(copies))]
    return " ".join(original), witnesses


@settings(max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", "300")), deadline=None)
@given(majority_and_slips())
def test_a_majority_of_identical_copies_is_the_consensus(case: tuple[str, list[str]]) -> None:
    original, witnesses = case
    collation = collate_texts(texts(*witnesses))
    assert collation.consensus_text == original
    assert not collation.ties
    for k, witness in enumerate(witnesses):
        assert "".join(s.cells[k] or "" for s in collation.segments) == witness


# -- the alignment matches as many identical words as any alignment can ------------------------------

def lcs_length(a: list[int], b: list[int]) -> int:
    """The longest common subsequence, by the textbook dynamic programme (an oracle independent
    of rapidfuzz)."""
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


def matched_words(keys: list[list[int]], columns: list[list[int | None]]) -> int:
    """Columns where the two witnesses have the same word."""
    return sum(1 for a, b in columns if a is not None and b is not None and keys[0][a] == keys[1][b])


def key_ids(*strings: str) -> list[list[int]]:
    vocab: dict[str, int] = {}
    return [[vocab.setdefault(k, len(vocab)) for k in make_text(s).tokens.keys] for s in strings]


# Darwin, On the Origin of Species, chapter 1, in the 1859 and 1866 editions (public domain; the
# passage as CollateX's Darwin example, darwin.html, gives it)
DARWIN_1859 = ("In the case of most of our anciently domesticated animals and plants, I do not think it is "
               "possible to come to any definite conclusion, whether they have descended from one or several species.")
DARWIN_1866 = ("In the case of most of our anciently domesticated animals and plants, it is not possible to "
               "come to any definite conclusion, whether they have descended from one or several wild species.")


def test_darwin_keeps_it_is_together() -> None:
    """Pairing `I do` with `it is` and leaving out `think it is` costs as many edits as leaving out
    `I do not think` and adding `not`, but matches one word fewer: the collation shows the second."""
    keys = key_ids(DARWIN_1859, DARWIN_1866)
    assert matched_words(keys, align_columns(keys, [0, 1])) == lcs_length(*keys)
    collation = collate_texts(texts(DARWIN_1859, DARWIN_1866))
    cells = [s.cells for s in collation.segments]
    assert ("it is ", "it is ") in cells
    assert not any(c == ("I do ", "it is ") for c in cells)
    assert [r.text for s in collation.segments if not s.agreement for r in s.readings][:2] == ["I do not think ", ""]


@st.composite
def word_pairs(draw: st.DrawFn) -> tuple[list[int], list[int]]:
    """Two short sequences over a tiny vocabulary: many equally cheap alignments."""
    words = st.lists(st.integers(0, draw(st.integers(1, 5))), min_size=1, max_size=18)
    return draw(words), draw(words)


@settings(max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", "300")), deadline=None)
@given(word_pairs())
def test_two_witnesses_match_as_many_words_as_their_longest_common_subsequence(
        pair: tuple[list[int], list[int]]) -> None:
    a, b = pair
    columns = align_columns([a, b], [0, 1])
    assert matched_words([a, b], columns) == lcs_length(a, b)
    # every word of each witness, once, in order
    assert [c[0] for c in columns if c[0] is not None] == list(range(len(a)))
    assert [c[1] for c in columns if c[1] is not None] == list(range(len(b)))


@pytest.mark.parametrize(("direct_limit", "split_tries", "fallback_limit"), [
    (64, 8, 400_000_000), (2_000, 8, 400_000_000), (collate_module.LCS_DIRECT_LIMIT, 8, 400_000_000),
    (2_000, 0, 400_000_000),  # no split point tried: the pair aligned in one piece
    (2_000, 0, 0),  # nor that: the anchored alignment, unproved, still a valid alignment
])
def test_long_alignments_are_proved_or_split_where_proved(direct_limit: int, split_tries: int, fallback_limit: int,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Beyond `LCS_DIRECT_LIMIT` the anchored alignment is kept only when rapidfuzz's LCS length
    proves it optimal, else split where the halves' LCS lengths add up; small limits make every
    path run on texts of a few hundred words, with repeated words that mislead the anchored aligner."""
    from rapidfuzz.distance import LCSseq

    monkeypatch.setattr(collate_module, "LCS_DIRECT_LIMIT", direct_limit)
    monkeypatch.setattr(collate_module, "SPLIT_TRIES", split_tries)
    monkeypatch.setattr(collate_module, "LCS_FALLBACK_LIMIT", fallback_limit)
    rng = random.Random(direct_limit)
    for n in (40, 300, 4_500):
        base = [rng.randrange(max(4, n // 3)) for _ in range(n)]
        copy = list(base)
        for _ in range(n // 8):
            k = rng.randrange(len(copy))
            copy[k:k + 1] = rng.choice([[], [copy[k], rng.randrange(n)], [rng.randrange(n)], copy[k:k + 3][::-1]])
        ops = collate_module.align_words(base, copy)
        matched = sum(op.i2 - op.i1 for op in ops if op.tag == "equal")
        if fallback_limit:
            assert matched == LCSseq.similarity(base, copy)
        else:
            assert matched <= LCSseq.similarity(base, copy)
        assert [(op.i1, op.j1) for op in ops][0] == (0, 0) and (ops[-1].i2, ops[-1].j2) == (len(base), len(copy))
        assert all((x.i2, x.j2) == (y.i1, y.j1) for x, y in zip(ops, ops[1:], strict=False))
        assert all(base[op.i1:op.i2] == copy[op.j1:op.j2] for op in ops if op.tag == "equal")


# -- witness ids ---------------------------------------------------------------------------------------

def test_witness_ids_are_unique_even_when_a_file_is_named_like_a_renamed_one(tmp_path: Path) -> None:
    """`copy.txt`, `copy-2.txt` and another `copy-2.txt`: the third may not become a second `copy-2`."""
    lxml_etree = pytest.importorskip("lxml.etree")
    (tmp_path / "other").mkdir()
    paths = [tmp_path / "copy.txt", tmp_path / "copy-2.txt", tmp_path / "other" / "copy-2.txt", tmp_path / "copy.md"]
    for k, p in enumerate(paths):
        p.write_text(f"the same words and {k}", encoding="utf-8")
    collation = collate(paths)
    ids = [w.id for w in collation.witnesses]
    assert ids[:2] == ["copy", "copy-2"] and len(set(ids)) == 4, ids
    root = lxml_etree.fromstring(render_collation_tei(collation).encode("utf-8"))  # libxml2 checks xml:id values
    declared = root.xpath("//tei:witness/@xml:id", namespaces={"tei": TEI_NS})
    assert declared == ids
    data = validated(collation)
    assert [w["id"] for w in data["witnesses"]] == ids
    for segment in data["segments"]:
        carried = [w for r in segment["readings"] for w in r["witnesses"]]
        assert sorted(carried) == sorted(ids)
    assert main(["collate", *map(str, paths), "--base", "copy-2", "-f", "json"]) == 0


@settings(max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", "300")), deadline=None)
@given(st.lists(st.one_of(st.sampled_from(["copy", "copy-2", "copy-2-2", "w1", "1", "a b", "a_b", "", "Müller",
                                           "Ἰλιάς"]), st.text(max_size=8)), min_size=2, max_size=8))
def test_witness_ids_are_unique_valid_xml_ids_whatever_the_file_names(names: list[str]) -> None:
    lxml_etree = pytest.importorskip("lxml.etree")
    collation = collate_texts([make_text(f"a b {k}", path=f"{n}.txt", id=n) for k, n in enumerate(names)])
    ids = [w.id for w in collation.witnesses]
    assert len(set(ids)) == len(ids), ids
    lxml_etree.fromstring(render_collation_tei(collation).encode("utf-8"))  # every xml:id an NCName
    for n, i in zip(names, ids, strict=True):
        if n.isascii() and n.replace("-", "").replace("_", "").isalnum() and n[0].isalpha() and names.count(n) == 1:
            assert i == n  # a plain file name is its own id


# -- nothing raw on a terminal ------------------------------------------------------------------------

OSC52 = "\x1b]52;c;cm0gLXJmIH4=\x07"  # a complete clipboard write: ESC ] 52 ; c ; base64 BEL
HOSTILE = [f"Four score {OSC52}and seven\u202e years ago \x9b2J our fathers",
           f"Four score {OSC52}and seven\u202e years ago our fathers", "Four score and seven years ago our mothers"]
"""The consensus carries the escape and the override (two witnesses of three), a variant the CSI."""


def hostile_collation(tmp_path: Path):  # type: ignore[no-untyped-def]
    paths = []
    for k, text in enumerate(HOSTILE):
        path = tmp_path / (f"evil\u202e\x1b[2J{k}.txt" if k == 0 else f"copy{k}.txt")
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return collate(paths)


@pytest.mark.parametrize("color", [False, True])
def test_the_terminal_view_writes_no_control_character_raw(color: bool, tmp_path: Path) -> None:
    from provenance.report.visible import SHOWN_CHARS

    out = render_collation_terminal(hostile_collation(tmp_path), width=100, color=color)
    raw = {c for c in out if c in SHOWN_CHARS and c != "\x1b"}
    assert not raw, raw
    # colour is rich's own SGR sequences (ESC [ ... m); nothing else starts with ESC
    assert "\x1b]" not in out and "\x1b[2J" not in out
    assert all(f"⟨U+{c}⟩" in out for c in ("001B", "0007", "202E", "009B"))
    assert "seven⟨U+202E⟩ years" in out.split("Variant table")[0]  # in the consensus


def test_the_html_page_shows_control_characters_and_writes_none_raw(tmp_path: Path) -> None:
    from provenance.report.visible import SHOWN_CHARS

    collation = hostile_collation(tmp_path)
    html = render_collation_html(collation)
    raw = {c for c in html if c in SHOWN_CHARS}
    assert not raw, raw
    assert 'class="hidden-char"' in html and "U+202E" in html and "U+001B" in html
    box = '<span class="hidden-char" title="invisible or control character {0}">{0}</span>'
    assert f"evil{box.format('U+202E')}{box.format('U+001B')}[2J0.txt" in html  # the witness's path, too


def test_json_and_tei_keep_the_exact_text(tmp_path: Path) -> None:
    collation = hostile_collation(tmp_path)
    text = render_collation_json(collation)
    assert not {c for c in text if c in "\x1b\x07\x9b\u202e"}  # escaped
    data = json.loads(text)
    assert data["witnesses"][0]["path"].endswith("evil\u202e\x1b[2J0.txt")
    first = "".join(s["cells"][0] or "" for s in data["segments"])
    assert first == HOSTILE[0]


# -- every format: exact where it keeps text, safe where it shows it ------------------------------------

XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


def tei_content(element: ET.Element, chars: dict[str, str], *, tail: bool = False) -> str:
    """The text of an element of the apparatus, each `<g ref="#id"/>` read back through `<charDecl>`."""
    out = [element.text or ""]
    for child in element:
        assert child.tag == f"{T}g", child.tag
        out.append(chars[(child.get("ref") or "")[1:]] + (child.tail or ""))
    return "".join(out) + ((element.tail or "") if tail else "")


def tei_consensus(tei: str) -> str:
    """The consensus as the TEI file gives it: the shared text and each `<lem>` (on a tie, the first
    `<rdg>`)."""
    root = ET.fromstring(tei.encode("utf-8"))
    chars = {}
    for char in root.iter(f"{T}char"):
        mapping = char.find(f"{T}mapping")
        assert mapping is not None and mapping.get("type") == "codepoint" and mapping.text
        chars[char.get(XML_ID) or ""] = chr(int(mapping.text[2:], 16))
    block = next(root.iter(f"{T}ab"))
    out = [block.text or ""]
    for child in block:
        if child.tag == f"{T}g":
            out.append(chars[(child.get("ref") or "")[1:]])
        else:
            assert child.tag == f"{T}app"
            reading = child.find(f"{T}rdg") if child.get("type") == "tie" else child.find(f"{T}lem")
            assert reading is not None
            out.append(tei_content(reading, chars))
        out.append(child.tail or "")
    return "".join(out)


def test_tei_keeps_carriage_returns_and_characters_xml_cannot_hold() -> None:
    """An XML parser turns a raw CR into LF, and XML 1.0 has no way to write U+0001 or ESC at all:
    a CR is written `&#xD;`; a character XML forbids is a `<g>` pointing at its `<char>` in the
    header, with its code point, rather than dropped."""
    witnesses = ["one two\r\nthree\x01 four\x1b[2J five", "one two\r\nthree\x01 four\x1b[2J five", "one 2\nthree four"]
    collation = collate_texts(texts(*witnesses))
    tei = render_collation_tei(collation)
    assert tei_consensus(tei) == collation.consensus_text == witnesses[0]
    assert "&#xD;" in tei and '<g ref="#char-0001" />' in tei


def test_tei_char_ids_do_not_collide_with_witness_ids() -> None:
    loaded = [make_text(s, id=i) for s, i in (("a\x01 b", "char-0001"), ("a\x01 b", "x"), ("a c", "y"))]
    root = ET.fromstring(render_collation_tei(collate_texts(loaded)).encode("utf-8"))
    ids = [e.get(XML_ID) for e in root.iter() if e.get(XML_ID)]
    assert len(ids) == len(set(ids)) == 4, ids


@pytest.mark.parametrize("fmt", ["json", "tei", "html", "terminal"])
def test_a_witness_whose_file_name_is_not_utf8(fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A POSIX file name can be any bytes; Python spells the undecodable ones as lone surrogates,
    which no encoder writes: the JSON escapes them (`\\udcff`, read back as the same name), the
    TEI shows them as `<g>`, the views by code point."""
    if os.name == "nt":
        pytest.skip("Windows file names are UTF-16")
    name = os.fsdecode(b"letter-\xff.txt")
    try:
        (tmp_path / name).write_text("one two three", encoding="utf-8")
    except (OSError, UnicodeEncodeError):
        pytest.skip("this file system refuses the name")
    (tmp_path / "b.txt").write_text("one 2 three", encoding="utf-8")
    out = tmp_path / f"out.{fmt}"
    assert main(["collate", str(tmp_path / name), str(tmp_path / "b.txt"), "-f", fmt, "-o", str(out)]) == 0, \
        capsys.readouterr().err
    text = out.read_bytes().decode("utf-8")  # valid UTF-8
    if fmt == "json":
        assert json.loads(text)["witnesses"][0]["path"] == str(tmp_path / name)
    elif fmt == "tei":
        ET.fromstring(text.encode("utf-8"))
        assert "letter-⟨U+DCFF⟩.txt</witness>" in text
    else:
        assert "U+DCFF" in text or fmt == "terminal"  # the terminal view shows ids only


def test_a_witness_without_words_is_refused_not_lost() -> None:
    with pytest.raises(UsageError, match="no words") as raised:
        collate_texts(texts("one two", " — "))
    assert raised.value.parameter == "texts"


@pytest.mark.parametrize("width", [-5, 0, 10])
def test_a_width_too_small_for_the_table_is_refused(width: int) -> None:
    collation = collate_texts(texts(*FOX))
    with pytest.raises(UsageError, match="width") as raised:
        render_collation_terminal(collation, width=width)
    assert raised.value.parameter == "width"


HOSTILE_PIECES = ["\x1b]52;c;eA==\x07", "\x1b[2J", "\x01", "\r", "\r\n", "\n", "\t", "\u202e", "\u200b", "\x85",
                  "\u2028", "\x9b", "\ufffe", "\x00", "<", "&", "]]>", "{s1: x}", '"', "\\"]


@st.composite
def hostile_witnesses(draw: st.DrawFn) -> list[tuple[str, str]]:
    """Witness texts and paths with control, bidi and markup characters (a path can also hold the
    lone surrogate of a byte that is not UTF-8)."""
    words = st.sampled_from(["one", "two", "three", "four", "One", "two,"])
    piece = st.one_of(words, words, st.sampled_from(HOSTILE_PIECES))

    def witness() -> tuple[str, str]:
        path = draw(st.sampled_from([*HOSTILE_PIECES, "\udcff", ""])) + "w.txt"
        return " ".join(draw(st.lists(piece, min_size=1, max_size=10))) + " end", path
    return [witness() for _ in range(draw(st.integers(2, 4)))]


@settings(max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", "150")), deadline=None)
@given(hostile_witnesses())
def test_every_format_keeps_hostile_text_exact_or_shows_it_safely(witnesses: list[tuple[str, str]]) -> None:
    import re

    from provenance.report.visible import SHOWN_CHARS

    def raw(text: str) -> set[str]:
        return {c for c in text if c in SHOWN_CHARS or "\ud800" <= c <= "\udfff"}

    collation = collate_texts([make_text(t, path=p, id=Path(p).stem) for t, p in witnesses])
    text = render_collation_json(collation)
    assert not raw(text)
    data = json.loads(text)
    for k, (witness, path) in enumerate(witnesses):
        assert "".join(s["cells"][k] or "" for s in data["segments"]) == witness
        assert data["witnesses"][k]["path"] == path
    assert data["consensus"]["text"] == collation.consensus_text
    tei = render_collation_tei(collation)
    assert not raw(tei.replace("\t", "").replace("\n", ""))
    assert tei_consensus(tei) == collation.consensus_text
    assert not raw(render_collation_html(collation).replace("\t", "").replace("\n", ""))
    for color in (False, True):
        shown = render_collation_terminal(collation, width=80, color=color)
        assert not raw(re.sub("\x1b\\[[0-9;]*m", "", shown).replace("\t", "").replace("\n", ""))


def test_the_base_can_be_named_by_the_file_name_its_id_was_made_from(tmp_path: Path) -> None:
    paths = [tmp_path / "Müller.txt", tmp_path / "Brief an Schmidt.txt"]
    for p in paths:
        p.write_text("one two three", encoding="utf-8")
    assert [w.id for w in collate(paths).witnesses] == ["Muller", "Brief_an_Schmidt"]
    for name in ("Brief an Schmidt", "Brief_an_Schmidt", str(paths[1])):
        assert collate(paths, base=name).base == "Brief_an_Schmidt"


def test_the_terminal_view_reads_no_markup_in_witness_ids() -> None:
    """Ids made by `collate` are plain, but a `Collation` built otherwise may hold anything: rich
    must not take `[bold]` or `:smile:` in one for markup or an emoji code."""
    import dataclasses

    collation = collate_texts(texts(*FOX))
    odd = tuple(dataclasses.replace(w, id=f"[red]{w.id}[/red]:smile:") for w in collation.witnesses)
    out = render_collation_terminal(dataclasses.replace(collation, witnesses=odd), width=120, color=False)
    assert "[red]w1[/red]:smile:" in out


def test_the_html_page_writes_witness_names_on_one_line(tmp_path: Path) -> None:
    first, second = tmp_path / "\n::error::x.txt", tmp_path / "tab\tb.txt"
    first.write_text("Four score and seven years ago", encoding="utf-8")
    second.write_text("Four score and seven yeres ago", encoding="utf-8")
    html = render_collation_html(collate([first, second]))
    assert "\n::error" not in html and "tab\tb" not in html
    assert "\u27e8U+000A\u27e9::error::x.txt" in html and "tab\u27e8U+0009\u27e9b.txt" in html
