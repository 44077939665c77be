"""Caption readers: WebVTT (webvtt-py) and SRT (srt), the spoken words only.

Tags are removed from each cue (`<v Name>`, `<i>`, `<c.x>`, timestamps inside a cue); a voice
(`<v Name>` in WebVTT, a `NAME:` lead in SRT) is kept out of the text and recorded in metadata as
(`speaker`, name). Cues are joined with a space, so a sentence split over cues reads whole; a new
paragraph starts after a pause longer than `PAUSE` seconds or when the speaker changes (a cue
with no voice keeps the previous speaker). One place per cue: `cue` is its start `HH:MM:SS.mmm`,
`line` the 1-based line of its timing line in the file.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from importlib.metadata import version

from provenance.errors import InputError
from provenance.load.base import Extracted, Place, Reader

PAUSE = 2.0
"""Seconds of silence between two cues that start a new paragraph."""

_TAG = re.compile(r"<[^>]*>")
_VOICE = re.compile(r"<v(?:\.[^\s>]*)?\s+([^>]+)>")
_SRT_SPEAKER = re.compile(r"^([A-Z][A-Z .'-]{0,40}):\s+")
_SRT_TIMING = re.compile(rb"^\d+:\d{2}:\d{2}[,.]\d{3}\s*-->")
_TIMING = re.compile(r"^\s*(?:\d+:)?\d{2}:\d{2}[,.]\d{3}\s*-->")


@dataclass(frozen=True, slots=True)
class Cue:
    start: float
    end: float
    line: int
    speaker: str | None
    text: str


def clock(seconds: float) -> str:
    """`HH:MM:SS.mmm`."""
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours:02d}:{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


def _seconds(stamp: str) -> float:
    parts = stamp.replace(",", ".").split(":")
    return float(sum(float(p) * 60 ** i for i, p in enumerate(reversed(parts))))


def _words(raw: str) -> str:
    return " ".join(_TAG.sub("", raw).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").split())


def _timing_lines(text: str) -> list[int]:
    return [n for n, line in enumerate(text.splitlines(), start=1) if _TIMING.match(line)]


def _decode(data: bytes, label: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{label}: a caption file must be UTF-8") from None


def _paragraphs(cues: list[Cue]) -> tuple[list[str], list[Place], list[str]]:
    paragraphs: list[list[str]] = []
    places: list[Place] = []
    speakers: list[str] = []
    offset, speaker, previous_end = 0, None, None
    for cue in cues:
        if not cue.text:
            continue
        new_speaker = cue.speaker is not None and cue.speaker != speaker
        if paragraphs and (new_speaker or previous_end is not None and cue.start - previous_end > PAUSE):
            offset += 2  # the "\n\n" between paragraphs
            paragraphs.append([])
        elif paragraphs:
            offset += 1
        else:
            paragraphs.append([])
        places.append(Place(offset, line=cue.line, cue=clock(cue.start)))
        paragraphs[-1].append(cue.text)
        offset += len(cue.text)
        speaker = cue.speaker or speaker
        if cue.speaker and cue.speaker not in speakers:
            speakers.append(cue.speaker)
        previous_end = cue.end
    return [" ".join(p) for p in paragraphs], places, speakers


def _extracted(cues: list[Cue], fmt: str, extractor: str, label: str) -> Extracted:
    paragraphs, places, speakers = _paragraphs(cues)
    if not paragraphs:
        raise InputError(f"{label}: the {fmt.upper()} file holds no cue text")
    return Extracted(text="\n\n".join(paragraphs) + "\n", format=fmt, extractor=extractor,
                     places=tuple(places), metadata=tuple(("speaker", s) for s in speakers))


def sniff_vtt(data: bytes) -> bool:
    """Starts with `WEBVTT`, a byte-order mark allowed."""
    return data.removeprefix(b"\xef\xbb\xbf").startswith(b"WEBVTT")


def read_vtt(data: bytes, label: str) -> Extracted:
    """Read a WebVTT file."""
    import webvtt

    text = _decode(data, label)
    try:
        captions = webvtt.from_buffer(io.StringIO(text)).captions
    except Exception as exc:  # webvtt-py raises its own MalformedFileError and others
        raise InputError(f"{label}: not a readable WebVTT file ({type(exc).__name__})") from None
    cues = []
    for caption, line in zip(captions, _timing_lines(text), strict=False):
        voice = _VOICE.search(caption.raw_text)
        cues.append(Cue(_seconds(caption.start), _seconds(caption.end), line,
                        voice.group(1).strip() if voice else None, _words(caption.raw_text)))
    return _extracted(cues, "vtt", f"webvtt-py {version('webvtt-py')}", label)


def sniff_srt(data: bytes) -> bool:
    """The first non-empty line a number, the next a `00:00:01,000 --> …` timing."""
    lines = [line.strip() for line in data.removeprefix(b"\xef\xbb\xbf").splitlines()[:20]]
    lines = lines[next((i for i, line in enumerate(lines) if line), len(lines)):]
    return len(lines) >= 2 and lines[0].isdigit() and bool(_SRT_TIMING.match(lines[1]))


def read_srt(data: bytes, label: str) -> Extracted:
    """Read an SRT file."""
    import srt  # type: ignore[import-untyped]

    text = _decode(data, label)
    try:
        subtitles = list(srt.parse(text))
    except Exception as exc:  # srt.SRTParseError and its kin
        raise InputError(f"{label}: not a readable SRT file ({type(exc).__name__})") from None
    cues = []
    for subtitle, line in zip(subtitles, _timing_lines(text), strict=False):
        words = _words(subtitle.content)
        speaker = _SRT_SPEAKER.match(words)
        if speaker:
            words = words[speaker.end():]
        cues.append(Cue(subtitle.start.total_seconds(), subtitle.end.total_seconds(), line,
                        speaker.group(1).strip() if speaker else None, words))
    return _extracted(cues, "srt", f"srt {version('srt')}", label)


VTT_READER = Reader(format="vtt", extensions=(".vtt",), sniff=sniff_vtt, read=read_vtt,
                    description="WebVTT captions (webvtt-py): the spoken words, places at cue times")
SRT_READER = Reader(format="srt", extensions=(".srt",), sniff=sniff_srt, read=read_srt,
                    description="SubRip subtitles (srt): the spoken words, places at cue times")
