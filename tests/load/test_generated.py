"""Generated answers in JSON that bring their sources; described sources in a manifest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from provenance import compare
from provenance.cli import main
from provenance.errors import InputError
from provenance.load.generated import looks_like_answer, read_answer
from provenance.model import FindingType

ROOT = Path(__file__).resolve().parents[2]


def _answer(tmp_path: Path, payload: object) -> Path:
    path = tmp_path / "answer.json"
    path.write_text(json.dumps(payload), encoding="utf-8")
    return path


def test_the_example_answer_finds_its_misattribution_and_its_invented_quotation() -> None:
    report = compare(ROOT / "inputs" / "answer.json", [])
    kinds = [(f.type, p.claim.text if p.claim else None) for p in report.passages for f in p.findings
             if f.type is not FindingType.NORMALIZATION]
    assert kinds == [(FindingType.UNSOURCED, "[1]"), (FindingType.MISATTRIBUTION, "[1]")]
    assert [s.id for s in report.sources] == ["1-letter-cjtf-oir-iraqi", "2-storm-shuts-harbourton-night"]
    agreed = [p for p in report.passages if p.claim is not None and p.match is not None
              and p.claim.source == p.match.source]
    assert len(agreed) == 3


@pytest.mark.parametrize("shape", [
    {"response": "She said \"the harbour will close at dusk on Friday\" [2].",
     "contexts": ["Unrelated.", "The harbour will close at dusk on Friday, the director said."]},
    {"choices": [{"message": {"content": "She said \"the harbour will close at dusk on Friday\" [h]."}}],
     "documents": [{"page_content": "The harbour will close at dusk on Friday, the director said.",
                    "metadata": {"id": "h", "title": "Briefing"}}]},
])
def test_the_common_shapes_are_read(tmp_path: Path, shape: dict[str, object]) -> None:
    report = compare(_answer(tmp_path, shape), [])
    (passage,) = report.passages
    assert passage.claim is not None and passage.match is not None and passage.claim.source == passage.match.source
    assert not [f for f in passage.findings if f.type is FindingType.MISATTRIBUTION]


@pytest.mark.parametrize(("payload", "message"), [
    (b"{\"answer\": \"x\", \"sources\": [3]}", "source 1 is neither a string nor an object"),
    (b"{\"answer\": \"x\", \"sources\": [{\"title\": \"t\"}]}", "source 1 has no text"),
    (b"{\"answer\": \"  \", \"sources\": [\"s\"]}", "the answer is empty"),
    (b"{\"answer\": \"x \\ud800\", \"sources\": [\"s\"]}", "the answer holds a lone surrogate"),
    (b"[1, 2]", "a generated answer is a JSON object"),
])
def test_a_malformed_answer_is_one_line(payload: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        read_answer(payload, "a.json", "document 'a.json'")


def test_json_that_is_not_an_answer_is_read_as_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert not looks_like_answer(b'{"name": "x"}') and not looks_like_answer(b"not json")
    plain = tmp_path / "data.json"
    plain.write_text('{"quote": "the harbour will close at dusk on Friday, the director said"}', encoding="utf-8")
    assert main(["compare", str(plain)]) == 2
    assert "no source given" in capsys.readouterr().err


def test_compare_an_answer_from_the_command_line_without_sources(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", str(ROOT / "inputs" / "answer.json"), "-f", "json", "--no-timestamp"]) == 0
    report = json.loads(capsys.readouterr().out)
    claims = [p["claim"] for p in report["passages"]]
    assert [c["agrees"] for c in claims] == [True, True, False, False, True]
    assert claims[3]["cites"] == "1-letter-cjtf-oir-iraqi" and claims[3]["found_in"] == "2-storm-shuts-harbourton-night"


BRIEFING = ("Transcript of the briefing\n\nQ: Will the ferries run?\n\nDIRECTOR OKAFOR: The harbour will close at "
            "dusk on Friday.\n\nQ: And freight?\n\nDEPUTY LEE: Freight traffic will be diverted to the north.\n")


def test_described_sources_in_a_manifest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "b-2024.txt").write_text(BRIEFING, encoding="utf-8")
    (tmp_path / "src" / "other.txt").write_text("The harbour will close at dusk on Friday, the mayor said.\n",
                                                encoding="utf-8")
    (tmp_path / "note.md").write_text('"The harbour will close at dusk on Friday" (Okafor, 2024).\n\n'
                                      'Lee said that "freight traffic will be diverted to the north" [^b].\n\n'
                                      "[^b]: the Harbours briefing\n", encoding="utf-8")
    (tmp_path / "provenance.toml").write_text(
        '[reports]\nformats = ["json"]\n\n'
        '[[sources]]\nid = "other"\npath = "src/other.txt"\n\n'
        '[[sources]]\nid = "briefing"\npath = "src/b-2024.txt"\ntitle = "Department of Harbours briefing"\n'
        'author = "Ada Okafor"\ndate = "2024-03-03"\naliases = ["the Harbours briefing"]\n\n'
        '[[documents]]\npath = "note.md"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--no-timestamp"]) == 0
    report = json.loads((tmp_path / "reports" / "note.md.json").read_text(encoding="utf-8"))
    assert [p["claim"]["cites"] for p in report["passages"]] == ["b-2024", "b-2024"]
    assert [p["match"]["source"] for p in report["passages"]] == ["b-2024", "b-2024"]
    no_id = '[[sources]]\npath = "src/other.txt"\n\n[[documents]]\npath = "note.md"\n'
    (tmp_path / "provenance.toml").write_text(no_id, encoding="utf-8")
    assert main(["check"]) == 2
    assert "sources[0].id: give each described source an id" in capsys.readouterr().err


def test_an_answer_without_sources_of_its_own_takes_the_given_ones(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    answer = _answer(tmp_path, {"answer": 'She said "the harbour will close at dusk on Friday".', "sources": []})
    source = tmp_path / "briefing.txt"
    source.write_text("The harbour will close at dusk on Friday, the director said.\n", encoding="utf-8")
    assert main(["compare", str(answer), "-s", str(source), "-f", "json"]) == 0
    (passage,) = json.loads(capsys.readouterr().out)["passages"]
    assert passage["verdict"] == "verbatim"
    assert main(["compare", str(answer)]) == 2
    assert "no source given: the answer brings none" in capsys.readouterr().err
