"""Hostile and broken input through the command line: what the tool did with each, and how long it took.

Every case is a real run of `python -m provenance compare DOCUMENT -s SOURCE -f json -o OUT` in a
subprocess (and of the terminal view, for the deceptive-character cases). For each it records the
exit status, whether standard error is exactly one line without a traceback, whether a report was
written (it must not be on exit 2), what the tool said or found, the wall time, and, on exit 0,
whether every span in the JSON points at the text reported under it with the right line and column.
It prints a Markdown table (the one in the closing note of issue 6).

    .venv/bin/python benchmarks/hostile.py            # about a minute
    .venv/bin/python benchmarks/hostile.py --large    # and a 10 MB document against a 10 MB source

Exit status 1 if any case crashed, hung (`--timeout`), wrote a report on error, or had a wrong offset.
"""

from __future__ import annotations

import argparse
import codecs
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ("The council will not close the north harbour during the coming weeks to prepare for repairs. "
          "It\u2019s the café society of the naïve élite, said the mayor.\n")
QUOTE = "\u201cwill close the north harbour during the coming weeks\u201d"
DOC = f"The council said it {QUOTE}, residents heard.\n"
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
MILLION = 1_000_000


def _mojibake(text: str, times: int = 1) -> str:
    for _ in range(times):
        text = "".join(codecs.decode(bytes([b]), "cp1252", errors="ignore") or chr(b) for b in text.encode("utf-8"))
    return text


def _random_words(n_bytes: int, seed: int) -> bytes:
    rng = random.Random(seed)
    vocab = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 9))) for _ in range(20000)]
    out: list[str] = []
    size = 0
    while size < n_bytes:
        line = " ".join(rng.choice(vocab) for _ in range(12)) + ".\n"
        out.append(line)
        size += len(line)
    return "".join(out).encode()


# A case: label, then a function given a temporary folder returning (argv after `compare`, stdin bytes or None).
Setup = Callable[[Path], tuple[list[str], bytes | None]]


def _files(doc: bytes | None, src: bytes | None = None, *extra: str) -> Setup:
    def setup(d: Path) -> tuple[list[str], bytes | None]:
        dp, sp = d / "doc.txt", d / "src.txt"
        if doc is not None:
            dp.write_bytes(doc)
        sp.write_bytes(src if src is not None else SOURCE.encode())
        return [str(dp), "-s", str(sp), *extra], None
    return setup


def _doc_path(make: Callable[[Path], Path]) -> Setup:
    def setup(d: Path) -> tuple[list[str], bytes | None]:
        sp = d / "src.txt"
        sp.write_bytes(SOURCE.encode())
        return [str(make(d)), "-s", str(sp)], None
    return setup


def _sparse(d: Path) -> Path:
    p = d / "big.txt"
    with open(p, "wb") as fh:
        fh.truncate(200_000_000)
    return p


def _fifo(d: Path) -> Path:
    p = d / "fifo"
    os.mkfifo(p)
    return p


def _loop(d: Path) -> Path:
    p = d / "loop.txt"
    p.symlink_to(p)
    return p


def _locked(d: Path) -> Path:
    p = d / "locked.txt"
    p.write_bytes(DOC.encode())
    p.chmod(0)
    return p


def _stdin(data: bytes, *extra: str) -> Setup:
    def setup(d: Path) -> tuple[list[str], bytes | None]:
        sp = d / "src.txt"
        sp.write_bytes(SOURCE.encode())
        return ["-", "-s", str(sp), *extra], data
    return setup


MIXED = ("Résumé of the café.\r\n" + "The council said it \u201cwill close the north harbour during\r"
         "the coming weeks\u201d, residents heard.\n")
CASES: list[tuple[str, Setup]] = [
    ("UTF-8, CRLF + CR + LF line ends", _files(MIXED.encode())),
    ("UTF-8 with BOM", _files(codecs.BOM_UTF8 + MIXED.encode())),
    ("UTF-16 LE with BOM", _files(codecs.BOM_UTF16_LE + MIXED.encode("utf-16-le"))),
    ("UTF-16 BE with BOM", _files(codecs.BOM_UTF16_BE + MIXED.encode("utf-16-be"))),
    ("UTF-32 LE with BOM", _files(codecs.BOM_UTF32_LE + MIXED.encode("utf-32-le"))),
    ("UTF-16 LE without BOM", _files(MIXED.encode("utf-16-le"))),
    ("Windows-1252", _files(MIXED.encode("cp1252"))),
    ("Latin-1, short (`Ça va? Très bien`)",
     _files("\u00c7a va? Tr\u00e8s bien, \u00abwill close the north\u00bb".encode("latin-1"))),
    ("UTF-8 with stray Windows-1252 quotes", _files(DOC.encode().replace("\u201c".encode(), b"\x93")
                                                    .replace("\u201d".encode(), b"\x94"))),
    ("invalid UTF-8 after a UTF-8 BOM", _files(codecs.BOM_UTF8 + b"\xff\xfe\xfd" * 50)),
    ("UTF-16 BOM, odd number of bytes", _files(codecs.BOM_UTF16_LE + b"a\x00b")),
    ("mojibake `Ã©`, `â€™` in the quotation", _files(
        f"She said \u201c{_mojibake('It’s the café society of the naïve élite')}\u201d.\n".encode())),
    ("double mojibake `Ã¢â‚¬â„¢`", _files(
        f"She said \u201c{_mojibake('It’s the café society of the naïve élite', 2)}\u201d.\n".encode())),
    ("mojibake in the source, clean document", _files(
        "She said \u201cIt’s the café society of the naïve élite\u201d.\n".encode(), _mojibake(SOURCE).encode())),
    ("PNG image as document", _files(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(500))),
    ("PDF as source", _files(DOC.encode(), b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< >>\nendobj\n" * 20)),
    ("JPEG image", _files(b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(500))),
    ("ZIP / office document", _files(b"PK\x03\x04" + bytes(range(256)))),
    ("ELF executable", _files(b"\x7fELF\x02\x01\x01" + bytes(500))),
    ("random bytes (64 KiB)", _files(random.Random(1).randbytes(65536))),
    ("4 KiB of NUL bytes", _files(bytes(4096))),
    ("90 KiB of text, then binary data", _files(DOC.encode() * 1300 + bytes(range(256)) * 50)),
    ("empty file", _files(b"")),
    ("only whitespace", _files(b" \r\n\t \n")),
    ("only punctuation", _files(b"... --- !!! ???")),
    ("a directory", _doc_path(lambda d: d)),
    ("a missing file", _doc_path(lambda d: d / "missing.txt")),
    ("a name with a newline and a bidi control", _doc_path(lambda d: d / "bad\nname\u202e.txt")),
    ("a named pipe", _doc_path(_fifo)),
    ("/dev/zero", _doc_path(lambda d: Path("/dev/zero"))),
    ("a symbolic link to itself", _doc_path(_loop)),
    ("mode 000" + (" (as root: readable)" if os.geteuid() == 0 else ""), _doc_path(_locked)),
    ("200 MB document (sparse file)", _doc_path(_sparse)),
    ("200 MB source (sparse file)", lambda d: ([_files(DOC.encode())(d)[0][0], "-s", str(_sparse(d))], None)),
    ("200 MB on standard input", _stdin(b"word " * 40_000_000)),
    ("1 MB file, `--max-bytes 1000`", _files(_random_words(1_000_000, 3), None, "--max-bytes", "1000")),
    ("a word of 1 M characters", _files(f"\u201c{'x' * MILLION} will be\u201d".encode(),
                                        f"{'x' * MILLION} will be".encode())),
    ("1 M characters, no space", _files(("word,dot." * (MILLION // 9)).encode())),
    ("1 M straight quotation marks", _files(b'"' * MILLION)),
    ("1 M curly opening marks", _files("\u201c".encode() * MILLION)),
    ("170 k unclosed ‘, then 170 k ”", _files("\u2018a ".encode() * 170_000 + "a\u201d ".encode() * 170_000)),
    ("quotes nested 250 k deep", _files("\u201c\u2018".encode() * 250_000 + b"x" + "\u2019\u201d".encode() * 250_000)),
    ("60 k three-word quotations", _files(b'"will be moving" ' * 60_000)),
    ("1 M opening square brackets", _files(b"[" * MILLION)),
    ("quotation with 110 k bracketed insertions", _files(f"\u201c{'will [a] ' * 110_000}\u201d".encode())),
    ("quotation with 110 k ellipses", _files(f"\u201c{'moving … ' * 110_000}\u201d".encode(),
                                             ("moving " * 110_000).encode())),
    ("1 M full stops", _files(b"word " + b"." * MILLION)),
    ("run of 1 M zero-width spaces in a quoted word", _files(
        f"\u201cwill close the north har{chr(0x200B) * MILLION}bour during\u201d".encode())),
    ("run of 1 M right-to-left overrides", _files(
        f"\u201cwill close the north {chr(0x202E) * MILLION}harbour during\u201d".encode())),
    ("every Trojan Source control in a quotation", _files(
        f"\u201cwill close {BIDI.join('the north harbour'.split())} during the coming weeks\u201d.".encode())),
    ("Cyrillic а, о in Latin words", _files(
        "\u201cwill cl\u043ese the n\u043erth h\u0430rbour during the coming weeks\u201d.".encode())),
    ("terminal escape `ESC[2J` in a quotation", _files(
        "\u201cwill close the \x1b[2J north harbour during the coming weeks\u201d.".encode())),
    ("200 k lines of a Markdown block quote", _files(b"> will be moving\n" * 200_000)),
    ("80 k unclosed <blockquote> tags", _files(b"<blockquote>" * 80_000 + b" moving")),
    ("a word with 100 k combining accents", _files(("a" + "\u0301" * 100_000 + " will be").encode())),
    ("1 M lines of CR, LF, CRLF in turn", _files(b"a\rb\nc\r\nd " * 250_000)),
    ("400 k words compared whole, one slip", _files(
        ("the council will move " * 100_000).replace("move", "mov", 1).encode(),
        ("the council will move " * 100_000).encode(), "--whole")),
]


def _line_col(text: str, offset: int) -> tuple[int, int]:
    breaks = [m.end() for m in re.finditer(r"\r\n|\r|\n", text[:offset])]
    if text[offset - 1:offset + 1] == "\r\n" and breaks and breaks[-1] == offset:
        breaks.pop()  # inside a CRLF: still on the line it ends
    return len(breaks) + 1, offset - (breaks[-1] if breaks else 0) + 1


def _offsets_ok(data: dict[str, object], texts: dict[str, str]) -> bool:
    doc = texts["document"]
    for p in data["passages"]:  # type: ignore[attr-defined]
        src = texts.get(p["match"]["source"], "") if p["match"] else ""
        for f in p["findings"]:
            for side, text in (("doc", doc), ("src", src)):
                s = f[f"{side}_span"]
                if s is None:
                    continue
                if text[s["start"]:s["end"]] != f[f"{side}_text"]:
                    return False
                if len(text) < 2_000_000 and (s["line"], s["column"]) != _line_col(text, s["start"]):
                    return False
    return True


def _decoded(path: str) -> str:
    from provenance.load import load_text

    return load_text(path, max_bytes=1 << 40).original


def run_case(label: str, setup: Setup, timeout: float) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        argv, stdin = setup(d)
        out = d / "out.json"
        cmd = [sys.executable, "-m", "provenance", "compare", *argv, "-f", "json", "--no-timestamp", "-o", str(out)]
        t0 = time.perf_counter()
        try:
            proc = subprocess.run(cmd, input=stdin, capture_output=True, check=False, cwd=ROOT, timeout=timeout)
        except subprocess.TimeoutExpired:
            return {"label": label, "exit": "timeout", "said": f"HUNG (> {timeout:.0f} s)", "secs": timeout,
                    "ok": False}
        secs = time.perf_counter() - t0
        err = proc.stderr.decode("utf-8", "replace")
        one_line = err.count("\n") <= 1 and "Traceback" not in err
        row: dict[str, object] = {"label": label, "exit": proc.returncode, "secs": secs}
        ok = one_line and proc.returncode in (0, 2)
        if proc.returncode == 0:
            data = json.loads(out.read_text(encoding="utf-8"))
            texts = {"document": _decoded(argv[0])} if argv[0] != "-" else {"document": ""}
            for s in data["sources"]:
                texts[s["id"]] = _decoded(s["path"])
            offsets = _offsets_ok(data, texts) if argv[0] != "-" else True
            types = Counter(f["type"] for p in data["passages"] for f in p["findings"])
            verdicts = Counter(p["verdict"] for p in data["passages"])
            said = (f"{data['document']['encoding']}; {len(data['passages'])} passage(s) "
                    f"{dict(verdicts) or ''}; findings {dict(types.most_common(3)) or 'none'}")
            mojibake = sum("mojibake" in f["message"] for p in data["passages"] for f in p["findings"])
            if mojibake:
                said += f"; {mojibake} say mojibake"
            if any(ch in BIDI + "\u200b" for ch in out.read_text(encoding="utf-8")):
                said += "; RAW INVISIBLE CHARACTER IN JSON"
                ok = False
            term = subprocess.run([c for c in cmd if c not in ("-f", "json", "--no-timestamp", "-o", str(out))],
                                  input=stdin, capture_output=True, check=False, cwd=ROOT, timeout=timeout,
                                  env={**os.environ, "NO_COLOR": "1"})
            shown = term.stdout.decode("utf-8", "replace")
            if any(ch in BIDI + "\u200b\x1b" for ch in shown):
                said += "; RAW CONTROL IN TERMINAL VIEW"
                ok = False
            row["offsets"] = "exact" if offsets else "WRONG"
            ok = ok and offsets
        else:
            said = err.strip().removeprefix("provenance: error: ")
            if out.exists():
                said += " — REPORT WRITTEN"
                ok = False
            row["offsets"] = "—"
        if not one_line:
            said += " — NOT ONE LINE"
        row["said"] = said
        row["ok"] = ok
        return row


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--large", action="store_true", help="add a 10 MB document against a 10 MB source")
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds after which a case counts as hung")
    ap.add_argument("--only", help="run the cases whose label contains this")
    args = ap.parse_args()
    cases = list(CASES)
    if args.large:
        cases.append(("10 MB document, 10 MB source (random words)",
                      _files(_random_words(10_000_000, 1), _random_words(10_000_000, 2))))
    if args.only:
        cases = [c for c in cases if args.only in c[0]]
    print("| input | exit | what the tool said or found | offsets | time s |")
    print("|---|---|---|---|---|")
    failed = 0
    for label, setup in cases:
        row = run_case(label, setup, args.timeout)
        failed += not row["ok"]
        said = str(row["said"]).replace("|", "\\|").replace("\n", " ")
        flag = "" if row["ok"] else " **FAIL**"
        print(f"| {label} | {row['exit']} | {said}{flag} | {row.get('offsets', '—')} | {row['secs']:.2f} |", flush=True)
    print(f"\n{len(cases)} cases, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
