"""Hostile and broken input, end to end: encodings and line endings with exact offsets, mojibake,
files that are not text, sizes, deceptive characters, and terminal safety."""

from __future__ import annotations

import codecs
import io
import json
import os
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from provenance.cli import main
from provenance.comparator.align import align
from provenance.comparator.extract import _html_blocks, extract_passages
from provenance.comparator.tuning import MAX_NESTING
from provenance.errors import InputError
from provenance.load import load_text
from provenance.model import FindingType, Verdict
from provenance.report.json_report import render_json
from provenance.report.terminal import render_terminal
from provenance.text import make_text

from conftest import only, run

SOURCE = "The council will not close the north harbour during the coming weeks to prepare for repairs.\n"
# A quotation whose lines end in CRLF, CR and LF in turn, with accented letters and curly quotes.
DOCUMENT_LINES = [
    "Résumé of the café meeting, naïve élite and all.",
    "The council said it \u201cwill close the north harbour during",
    "the coming weeks\u201d, residents heard.",
    "Then \u201cthe north harbour\u201d was all anyone said.",
]
DOCUMENT = DOCUMENT_LINES[0] + "\r\n" + DOCUMENT_LINES[1] + "\r" + DOCUMENT_LINES[2] + "\n" + DOCUMENT_LINES[3] + "\r\n"


def expected_line_col(text: str, offset: int) -> tuple[int, int]:
    """Line and column counted independently of the library: CRLF, CR and LF each end a line."""
    before = text[:offset]
    breaks = list(re.finditer(r"\r\n|\r|\n", before))
    line_start = breaks[-1].end() if breaks else 0
    if before.endswith("\r") and text[offset:offset + 1] == "\n":
        # an offset between the CR and the LF of a CRLF is still on the line the CRLF ends
        line_start = breaks[-2].end() if len(breaks) > 1 else 0
        return len(breaks), offset - line_start + 1
    return len(breaks) + 1, offset - line_start + 1


def check_json_offsets(data: dict[str, object], doc_text: str, src_texts: dict[str, str]) -> int:
    """Every span of a JSON report points at its text, with the right line and column; the number
    of spans checked."""
    checked = 0
    for p in data["passages"]:  # type: ignore[attr-defined]
        span = p["doc_span"]
        assert doc_text[span["start"]:span["end"]] == p["text"]
        for f in p["findings"]:
            for side, text in (("doc", doc_text), ("src", src_texts.get(p["match"]["source"], "") if p["match"]
                                                  else "")):
                s = f[f"{side}_span"]
                if s is None:
                    continue
                assert text[s["start"]:s["end"]] == f[f"{side}_text"], f
                assert (s["line"], s["column"]) == expected_line_col(text, s["start"]), (side, f)
                assert (s["end_line"], s["end_column"]) == expected_line_col(text, s["end"]), (side, f)
                checked += 1
    return checked


ENCODINGS = [
    ("utf-8", b""),
    ("utf-8", codecs.BOM_UTF8),
    ("utf-16-le", codecs.BOM_UTF16_LE),
    ("utf-16-be", codecs.BOM_UTF16_BE),
    ("cp1252", b""),
    ("latin-1", b""),
]


@pytest.mark.parametrize(("encoding", "bom"), ENCODINGS, ids=[f"{e}{'+bom' if b else ''}" for e, b in ENCODINGS])
def test_encodings_and_mixed_line_endings_keep_offsets_exact(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                            encoding: str, bom: bytes) -> None:
    document = DOCUMENT if encoding != "latin-1" else DOCUMENT.replace("\u201c", '"').replace("\u201d", '"')
    doc = tmp_path / "article.txt"
    src = tmp_path / "notice.txt"
    doc.write_bytes(bom + document.encode(encoding))
    src.write_bytes(bom + SOURCE.replace("\n", "\r\n").encode(encoding))
    out = tmp_path / "report.json"
    assert main(["compare", str(doc), "-s", str(src), "-f", "json", "--no-timestamp", "-o", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["document"]["chars"] == len(document)
    verdicts = [p["verdict"] for p in data["passages"]]
    assert verdicts == ["altered", "verbatim"], verdicts
    findings = data["passages"][0]["findings"]
    assert any(f["type"] == "silent_omission" and f["src_text"].strip() == "not" for f in findings)
    assert check_json_offsets(data, document, {"notice": SOURCE.replace("\n", "\r\n")}) >= 2
    assert data["passages"][0]["doc_span"]["line"] == 2
    assert data["passages"][0]["doc_span"]["end_line"] == 3


def mojibake(text: str, *, times: int = 1) -> str:
    """Text encoded as UTF-8 and read back as Windows-1252 (bytes it lacks as Latin-1), `times` over."""
    for _ in range(times):
        text = "".join(codecs.decode(bytes([b]), "cp1252", errors="ignore") or chr(b) for b in text.encode("utf-8"))
    return text


@pytest.mark.parametrize("times", [1, 2])
def test_mojibake_is_a_normalisation_that_says_so(times: int) -> None:
    source = "It\u2019s the café society, said the naïve élite of the north harbour."
    document = f"We read: \u201c{mojibake('It’s the café society, said the naïve élite', times=times)}\u201d.\n"
    assert "Ã" in document
    result = only(run(document, source, reuse=False))
    assert result.verdict is Verdict.VERBATIM
    messages = [f.message for f in result.findings]
    assert messages and all(m.startswith("mojibake") for m in messages), messages
    assert all(f.type is FindingType.NORMALIZATION for f in result.findings)


def test_mojibake_in_the_source_is_reported_too() -> None:
    source = mojibake("The café will not close the north harbour.")
    result = only(run("\u201cThe café will not close the north harbour.\u201d", source, reuse=False))
    assert result.verdict is Verdict.VERBATIM
    assert any("mojibake: the source has" in f.message for f in result.findings)


def test_mojibake_does_not_hide_a_real_change() -> None:
    source = "The café will not close the north harbour."
    result = only(run(f"\u201c{mojibake('The café will close the north harbour.')}\u201d", source, reuse=False))
    assert result.verdict is Verdict.ALTERED
    assert any(f.type is FindingType.SILENT_OMISSION and f.src_text.strip() == "not" for f in result.findings)


NOT_TEXT = {
    "png": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "a PNG image"),
    "pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" * 20, "not a readable PDF"),
    "jpeg": (b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(100), "a JPEG image"),
    "gzip": (b"\x1f\x8b\x08\x00" + bytes(range(256)), "a gzip archive"),
    "elf": (b"\x7fELF\x02\x01\x01" + bytes(100), "an executable"),
    "random": (bytes(range(256)) * 40, "not a text file"),
    "nuls": (bytes(4096), "not a text file"),
    "empty": (b"", "is empty"),
    "blank": (b" \r\n\t\n  ", "is empty"),
    "punctuation": (b"... --- !!!", "holds no words"),
    "text_then_binary": (b"The council will not close the north harbour. " * 2000 + bytes(range(256)) * 50,
                         "not a text file"),
}


@pytest.mark.parametrize("kind", sorted(NOT_TEXT))
@pytest.mark.parametrize("role", ["document", "source"])
def test_what_is_not_text_is_one_line_exit_2_and_no_report(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                            kind: str, role: str) -> None:
    data, message = NOT_TEXT[kind]
    bad = tmp_path / f"bad.{kind}"
    bad.write_bytes(data)
    good = tmp_path / "good.txt"
    good.write_text(SOURCE, encoding="utf-8")
    out = tmp_path / "report.json"
    doc, src = (bad, good) if role == "document" else (good, bad)
    assert main(["compare", str(doc), "-s", str(src), "-f", "json", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert message in err and role in err and str(bad) in err
    assert not out.exists()
    assert not list(tmp_path.glob(".*.tmp"))


def test_directories_missing_unreadable_and_pipes(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    good = tmp_path / "good.txt"
    good.write_text(SOURCE, encoding="utf-8")
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    out = tmp_path / "report.json"
    for path, message in ((tmp_path, "is a directory"), (tmp_path / "nothere.txt", "no such file"),
                          (fifo, "not a regular file")):
        assert main(["compare", str(path), "-s", str(good), "-o", str(out)]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and message in err
    assert not out.exists()

    locked = tmp_path / "locked.txt"
    locked.write_text(SOURCE, encoding="utf-8")
    real_open = open

    def refusing_open(file: object, *args: object, **kwargs: object) -> object:
        if str(file) == str(locked):
            raise PermissionError(13, "Permission denied")
        return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr("builtins.open", refusing_open)
    assert main(["compare", str(locked), "-s", str(good), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "permission denied" in err
    assert not out.exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file whatever its mode")
def test_an_unreadable_file_for_real(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    locked = tmp_path / "locked.txt"
    locked.write_text(SOURCE, encoding="utf-8")
    locked.chmod(0)
    try:
        assert main(["compare", str(locked), "-s", str(locked), "-o", str(tmp_path / "r.json")]) == 2
        assert "permission denied" in capsys.readouterr().err
    finally:
        locked.chmod(0o644)


def test_an_oversize_file_is_refused_before_it_is_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import tracemalloc

    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:  # a sparse file: 200 MB by its size, nothing on disk
        fh.truncate(200_000_000)
    good = tmp_path / "good.txt"
    good.write_text(SOURCE, encoding="utf-8")
    out = tmp_path / "r.json"
    tracemalloc.start()
    try:
        assert main(["compare", str(big), "-s", str(good), "-o", str(out)]) == 2
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 5_000_000  # refused from its size alone, not read
    err = capsys.readouterr().err
    assert "200,000,000 bytes is over the limit of 33,554,432" in err and "--max-bytes" in err
    assert not out.exists()


def test_oversize_standard_input_is_read_only_up_to_the_limit(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    good = tmp_path / "good.txt"
    good.write_text(SOURCE, encoding="utf-8")
    stream = io.BytesIO(b"word " * 10_000)
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(stream))
    assert main(["compare", "-", "-s", str(good), "--max-bytes", "1000"]) == 2
    assert "over the limit of 1,000 bytes (raise it with --max-bytes)" in capsys.readouterr().err
    assert stream.tell() <= 1001 + io.DEFAULT_BUFFER_SIZE


def test_raising_max_bytes_lets_a_file_through(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"word " * 2000)
    with pytest.raises(InputError, match="10,000 bytes is over the limit of 9,999"):
        load_text(big, max_bytes=9_999)
    assert len(load_text(big, max_bytes=10_000).tokens) == 2000


TROJAN_SOURCE = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069",
                 "\u200e", "\u200f", "\u061c", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]


@pytest.mark.parametrize("ch", TROJAN_SOURCE, ids=[f"U+{ord(c):04X}" for c in TROJAN_SOURCE])
def test_every_invisible_or_bidi_control_is_found_and_shown(ch: str) -> None:
    document = f"She said: \u201cThe council will not cl{ch}ose the north harbour\u201d and left.\n"
    report = run(document, SOURCE, reuse=False)
    result = only(report)
    hidden = [f for f in result.findings if f.type is FindingType.HIDDEN_CHARACTER]
    assert len(hidden) == 1 and hidden[0].doc_text == ch
    assert f"U+{ord(ch):04X}" in hidden[0].message
    assert hidden[0].doc_span is not None and document[hidden[0].doc_span.start] == ch
    for color in (False, True):
        view = render_terminal(report, width=100, color=color)
        assert ch not in view  # a bidi control must not reorder the terminal's own line
        assert f"⟨U+{ord(ch):04X}⟩" in view
    text = render_json(report)
    assert ch not in text and f"\\u{ord(ch):04x}" in text
    assert json.loads(text)["passages"][0]["findings"][-1]["doc_text"] in (ch, hidden[0].doc_text)


def test_a_homoglyph_is_found_and_shown() -> None:
    document = "She said: \u201cThe c\u043euncil will not close the north harbour\u201d.\n"
    report = run(document, SOURCE, reuse=False)
    (hidden,) = [f for f in only(report).findings if f.type is FindingType.HIDDEN_CHARACTER]
    assert hidden.doc_text == "\u043e" and "U+043E" in hidden.message and "'o'" in hidden.message
    assert "U+043E" in render_terminal(report, width=100, color=False)


def test_a_long_run_of_hidden_characters_is_one_finding() -> None:
    document = f"She said: \u201cThe council will not clo{chr(0x200B) * 5000}se the north harbour\u201d.\n"
    report = run(document, SOURCE, reuse=False)
    (hidden,) = [f for f in only(report).findings if f.type is FindingType.HIDDEN_CHARACTER]
    assert hidden.doc_text == "\u200b" * 5000 and "5,000 × zero-width space (U+200B)" in hidden.message
    assert only(report).verdict is Verdict.ALTERED
    view = render_terminal(report, width=100, color=False)
    assert "⟨U+200B ×5,000⟩" in view and len(view) < 5000


def test_control_characters_and_markup_in_names_never_reach_the_terminal_raw(tmp_path: Path) -> None:
    document = "He said \u201cThe council will \x1b[2J not close the \u202enorth harbour\u202c\u201d.\n"
    source = "The council will not close the \u202enorth harbour\u202c during the coming weeks.\n"
    doc = make_text(document, path="odd [/bold] \u202ename.txt", id="document")
    src = make_text(source, path="src.txt", id="src")
    from provenance.comparator.pipeline import compare_texts

    report = compare_texts(doc, [src])
    for color in (False, True):
        view = render_terminal(report, width=100, color=color)
        assert "\u202e" not in view and "\u202c" not in view
        if not color:
            assert "\x1b" not in view
        assert "⟨U+001B⟩" in view


def test_a_periodic_text_compared_whole_reports_only_the_change() -> None:
    source = "the council will move " * 6000
    document = source.replace("move", "mov", 1)
    result = only(run(document, source, whole=True))
    assert [f.type for f in result.findings] == [FindingType.TRANSCRIPTION_ERROR]
    a = [0, 1, 2, 3] * 5000
    b = list(a)
    a[3] = 9
    assert [o for o in align(a, b) if o.tag != "equal"] == [("replace", 3, 4, 3, 4)]


def test_quotes_nested_deeper_than_the_limit_still_extract() -> None:
    depth = MAX_NESTING + 4
    s = "\u201c" * depth + "the north harbour" + "\u201d" * depth
    passages = extract_passages(make_text(s))
    assert all(0 <= p.span.start < p.span.end <= len(s) for p in passages)
    assert [(p.span.start, p.span.end) for p in passages] == [(1, len(s) - 1)]  # the outermost quotation


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["<blockquote>", "<BLOCKQUOTE class='x'>", "</blockquote>", "</blockquote >",
                                 "words ", "\n", "<p>", ">"]), max_size=30))
def test_blockquote_pairing_matches_the_lazy_regex(pieces: list[str]) -> None:
    s = "".join(pieces)
    lazy = re.compile(r"<blockquote\b[^>]*>(.*?)</blockquote\s*>", re.I | re.S)
    assert _html_blocks(s) == [(m.start(1), m.end(1)) for m in lazy.finditer(s)]


@pytest.mark.parametrize(("text", "encoding"), [
    ("Le café", "latin-1"),
    ("Ça va? Très bien, merci! «Oui»", "cp1252"),
    ("Ça va? Très bien, merci! «Oui»", "latin-1"),
    ("Résumé of the naïve élite", "latin-1"),
    ("Überraschung für die Öffentlichkeit", "cp1252"),
    ("“Smart” quotes — and a dash…", "cp1252"),
    ("Съешь же ещё этих мягких французских булок, да выпей чаю", "cp1251"),
    ("Zażółć gęślą jaźń, powiedział Łukasz w Łodzi", "cp1250"),
])
def test_short_legacy_texts_decode_to_their_letters(tmp_path: Path, text: str, encoding: str) -> None:
    path = tmp_path / "short.txt"
    path.write_bytes(text.encode(encoding))
    assert load_text(path).original == text


def test_a_huge_limit_allocates_nothing_up_front(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    doc, src = tmp_path / "doc.txt", tmp_path / "src.txt"
    doc.write_text("The council said it \u201cwill not close the north harbour\u201d.\n", encoding="utf-8")
    src.write_text(SOURCE, encoding="utf-8")
    huge = str(1 << 50)  # a petabyte: reading `limit + 1` bytes at once would be a MemoryError
    assert main(["compare", str(doc), "-s", str(src), "--max-bytes", huge, "-f", "json"]) == 0
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(doc.read_bytes())))
    assert main(["compare", "-", "-s", str(src), "--max-bytes", huge, "-f", "json"]) == 0
    assert json.loads(capsys.readouterr().out.split("\n}\n")[-1] or "{}") is not None


@pytest.mark.parametrize("block", ["<blockquote></blockquote>", "<blockquote> ... </blockquote>",
                                   "<blockquote><p></p></blockquote>", "> ...", ">  \u2026 [...]"])
def test_a_block_quotation_without_words_is_no_passage(block: str) -> None:
    # found by the property test over hostile alphabets: it was reported as an empty unsourced quotation
    report = run(f"Intro words here.\n\n{block}\n\nMore words after.\n", "a source text of words")
    assert report.passages == ()


def test_visible_and_escape_json_leave_nothing_unseen() -> None:
    import xml.etree.ElementTree as ET

    from provenance.report.visible import SHOWN_CHARS, escape_json, visible

    nasty = "a\x00b\x0bc\x1b[2Jd\u202ee\u2066f\ufffeg\u0085h\u2028i" + "\u200b" * 10 + "j\r\nk\rl"
    shown = visible(nasty)
    assert not any(ch in SHOWN_CHARS for ch in shown) and "\r" not in shown
    assert "⟨U+202E⟩" in shown and "⟨U+200B ×10⟩" in shown and "⟨U+0000⟩" in shown
    ET.fromstring(f"<x>{shown.replace('&', '&amp;').replace('<', '&lt;')}</x>")  # legal XML 1.0
    text = json.dumps({"t": nasty}, ensure_ascii=False)
    escaped = escape_json(text)
    assert json.loads(escaped) == {"t": nasty}
    assert not any(ch in SHOWN_CHARS for ch in escaped)


@pytest.mark.parametrize("blank", [b"", b" \r\n\t\n  ", b"\xef\xbb\xbf", b"... --- !!!"])
def test_an_empty_transcription_has_error_rates(tmp_path: Path, blank: bytes) -> None:
    """With --whole an empty, blank or wordless transcription (an OCR page that came out blank) is
    measured, not refused: every unit of the source deleted, a rate of 1; against an empty source
    jiwer's convention gives the number of insertions. Without --whole it is still refused."""
    empty, good = tmp_path / "blank.txt", tmp_path / "good.txt"
    empty.write_bytes(blank)
    good.write_text(SOURCE, encoding="utf-8")
    out = tmp_path / "report.json"
    assert main(["compare", str(empty), "-s", str(good), "--whole", "-f", "json", "-o", str(out)]) == 0
    rates = {(r["definition"], r["normalized"]): r for r in json.loads(out.read_text("utf-8"))["metrics"]["rates"]}
    assert rates[("whitespace", False)]["rate"] == 1.0 and rates[("unicode-words", True)]["rate"] == 1.0
    if b"." not in blank:
        assert rates[("codepoints", False)]["rate"] == 1.0 and rates[("codepoints", True)]["rate"] == 1.0
    assert main(["compare", str(good), "-s", str(empty), "--whole", "-f", "json", "-o", str(out)]) == 0
    rates = {(r["definition"], r["normalized"]): r for r in json.loads(out.read_text("utf-8"))["metrics"]["rates"]}
    words = len(SOURCE.split())
    assert rates[("unicode-words", False)]["rate"] == words and rates[("unicode-words", False)]["insertions"] == words
    assert main(["compare", str(empty), "-s", str(good), "-f", "json", "-o", str(tmp_path / "no.json")]) == 2
@pytest.mark.parametrize(("text", "shown"), [
    ("a\n::error title=x::b\x1b[2J.md", "a⟨U+000A⟩::error title=x::b⟨U+001B⟩[2J.md"),
    ("::warning::x", "⟨U+003A⟩:warning::x"),
    (" \u3000::notice::x", " \u3000⟨U+003A⟩:notice::x"),  # the runner trims leading white space first
    ("a ##[error]b ##vso[task.complete] ##VSO[x]", "a ⟨U+0023⟩#[error]b ⟨U+0023⟩#vso[task.complete] ⟨U+0023⟩#VSO[x]"),
    ("tab\there\r\n", "tab⟨U+0009⟩here⟨U+000D⟩⟨U+000A⟩"),
    (os.fsdecode(b"caf\xe9.md"), "caf⟨U+DCE9⟩.md"),
    ("a::b #[x] #x", "a::b #[x] #x"),
    ("\x1b]52;c;cHduZWQ=\x07", "⟨U+001B⟩]52;c;cHduZWQ=⟨U+0007⟩"),
])
def test_visible_line_leaves_nothing_a_terminal_or_a_ci_log_acts_on(text: str, shown: str) -> None:
    from provenance.report.visible import visible_line

    assert visible_line(text) == shown
    assert visible_line(shown) == shown  # applied twice, nothing more changes


@settings(max_examples=500, deadline=None)
@given(st.text(st.one_of(st.characters(blacklist_categories=()), st.sampled_from(":#[v\u3000 \t")), max_size=60))
def test_visible_line_is_one_safe_line(text: str) -> None:
    from provenance.report.visible import SHOWN_CHARS, visible_line

    shown = visible_line(text)
    assert not any(ch in SHOWN_CHARS or ch in "\t\n\r" or 0xD800 <= ord(ch) <= 0xDFFF for ch in shown)
    assert not shown.lstrip().startswith("::") and "##[" not in shown and "##vso[" not in shown.lower()
    assert visible_line(shown) == shown


@pytest.mark.parametrize("blank", ["\n", "\r\n", "\r", " \n", "\t\r\n"])
def test_a_run_of_blank_lines_costs_no_memory_per_character(blank: str) -> None:
    """B10: a file of 16 million newlines peaked at 3.45 GB (215 bytes a byte): the paragraph
    break pattern repeated a group, and the regular-expression engine kept a frame for each
    repetition (190 bytes a character). What a run of blank lines may cost now is the text and
    its line index."""
    import tracemalloc

    s = blank * 200_000 + "\u201cWe will respect\u201d" + blank * 3 + "end"
    text = make_text(s)
    tracemalloc.start()
    try:
        passages = extract_passages(text)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [s[p.span.start:p.span.end] for p in passages] == ["We will respect"]
    assert peak < 16 * len(s)  # was 190 bytes a character; copies of the text are 2 to 4


def test_the_paragraph_break_pattern_is_the_repeated_one() -> None:
    """The pattern without a repeated group finds the breaks the repeated one did, on every
    string of up to seven spaces, tabs, CRs, LFs and letters."""
    import itertools

    from provenance.comparator.extract import PARAGRAPH_BREAK_RE

    repeated = re.compile(r"(?:\r\n|\r(?!\n)|\n)(?:[ \t]*(?:\r\n|\r(?!\n)|\n))+")
    for n in range(1, 8):
        for chars in itertools.product(" \t\r\na", repeat=n):
            s = "".join(chars)
            assert ([m.span() for m in PARAGRAPH_BREAK_RE.finditer(s)]
                    == [m.span() for m in repeated.finditer(s)]), repr(s)
