"""The caption readers on WebVTT and SRT files of the example letter written here."""

from __future__ import annotations

from pathlib import Path

import pytest

import provenance
from provenance.errors import InputError
from provenance.load.captions import SRT_READER, VTT_READER, clock

from conftest import finding_keys

ROOT = Path(__file__).resolve().parents[2]
LETTER = ROOT / "inputs" / "letter-2020-01-06.txt"
ARTICLE = ROOT / "inputs" / "article.md"


def _cues() -> list[tuple[float, float, str]]:
    """The letter cut every seven words (mid-sentence), a 3 s pause between its paragraphs."""
    cues, clock_at = [], 1.0
    for paragraph in LETTER.read_text(encoding="utf-8").strip().split("\n\n"):
        words = paragraph.split()
        for i in range(0, len(words), 7):
            cues.append((clock_at, clock_at + 1.5, " ".join(words[i:i + 7])))
            clock_at += 1.5
        clock_at += 3.0
    return cues


def _srt_time(seconds: float) -> str:
    return clock(seconds).replace(".", ",")


def _vtt(tagged: bool) -> bytes:
    out = ["WEBVTT", "", "NOTE a note --> that is not a timing", ""]
    for n, (start, end, text) in enumerate(_cues()):
        if tagged and n == 0:
            text = f"<v Gen. Smith><i>{text}</i>"
        elif tagged and n == 1:
            text = f"<c.loud>{text.split()[0]}</c> <{clock(start + 0.5)}>{' '.join(text.split()[1:])}"
        out += [f"{clock(start)} --> {clock(end)}", text, ""]
    return ("\n".join(out)).encode("utf-8")


def _srt() -> bytes:
    out = []
    for n, (start, end, text) in enumerate(_cues(), start=1):
        text = f"SMITH: <i>{text}</i>" if n == 1 else text
        out += [str(n), f"{_srt_time(start)} --> {_srt_time(end)}", text, ""]
    return ("\n".join(out)).encode("utf-8")


def _findings(source: Path) -> list[tuple[str, str, str, str]]:
    """Findings with the source text's whitespace folded: the letter's line breaks inside a paragraph
    (its address block) are spaces in a caption file, which has no lines of its own."""
    return finding_keys(provenance.compare(ARTICLE, [source]), fold_source_spacing=True)


def test_vtt_tags_speaker_and_cue_places() -> None:
    data = b"\xef\xbb\xbf" + _vtt(tagged=True)
    assert VTT_READER.sniff(data) and not SRT_READER.sniff(data)
    got = VTT_READER.read(data, "letter.vtt")
    assert got.text.startswith("6 JAN 2020\n\nsLTG Abdul Amir Deputy Director,")
    assert "<" not in got.text and "Smith" not in got.text
    assert ("speaker", "Gen. Smith") in got.metadata
    place = got.place_of(got.text.index("Sir, in due"))
    assert place is not None and place.cue is not None and place.line is not None
    assert place.cue.startswith("00:00:") and b"%s -->" % place.cue.encode() in data
    assert data.decode("utf-8-sig").splitlines()[place.line - 1].startswith(place.cue)


def test_srt_speaker_and_places() -> None:
    data = _srt()
    assert SRT_READER.sniff(data) and not VTT_READER.sniff(data)
    got = SRT_READER.read(data, "letter.srt")
    assert got.text.startswith("6 JAN 2020\n\n")
    assert ("speaker", "SMITH") in got.metadata
    first = got.place_of(0)
    assert first is not None and first.cue == "00:00:01.000" and first.line == 2


@pytest.mark.parametrize("reader,data", [(VTT_READER, _vtt(tagged=True)), (SRT_READER, _srt())])
def test_captions_give_the_same_findings_as_the_text(reader: object, data: bytes, tmp_path: Path) -> None:
    got = reader.read(data, "letter")  # type: ignore[attr-defined]
    extracted = tmp_path / "letter.txt"
    extracted.write_text(got.text, encoding="utf-8")
    expected = _findings(LETTER)
    assert expected
    assert _findings(extracted) == expected


def test_broken_captions_are_one_input_error() -> None:
    with pytest.raises(InputError):
        VTT_READER.read(b"WEBVTT\n\nnot a timing\n", "x.vtt")
    with pytest.raises(InputError):
        SRT_READER.read(b"\xff\xfe", "x.srt")
