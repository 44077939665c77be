"""Coverage-guided fuzzing of the loader and the quotation extractor (and the comparison after them).

Each input is a file's bytes. `check_one` decodes them as `load_text` would, and when they are
text, extracts the quotations and compares the document with a fixed source. The only exception
allowed is `InputError` from the loader; every offset must point at the text reported under it.
Anything else is a crash: atheris stops and writes the input to `crash-*`.

Run (from the repository root; `pip install -e '.[fuzz]'` installs atheris):

    .venv/bin/python fuzz/fuzz_loader.py fuzz/corpus -max_total_time=600 -max_len=4096

`fuzz/corpus` holds the seed inputs; libFuzzer adds the inputs it finds interesting to it (they
are not committed: see .gitignore). `tests/test_fuzz.py` runs `check_one` on the seeds and on
random bytes, without atheris.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SOURCE_TEXT = (
    "Sir, in due deference to the sovereignty of the Republic of Iraq, and as requested by the Iraqi "
    "Parliament and the Prime Minister, CJTF-OIR will be repositioning forces over the course of the "
    "coming days and weeks to prepare for onward movement. It's not a withdrawal \u2014 \u201cnever\u201d.\n"
)


def check_one(data: bytes) -> None:
    """Load, extract and compare one input; raise AssertionError on a broken invariant."""
    from provenance.comparator.extract import extract_passages, passage_words
    from provenance.comparator.pipeline import compare_texts
    from provenance.errors import InputError
    from provenance.model import PassageKind
    from provenance.report.json_report import render_json
    from provenance.report.terminal import render_terminal
    from provenance.text import make_text, text_from_bytes

    try:
        doc = text_from_bytes(data, "fuzz input", path="fuzz.txt", id="document")
    except InputError as exc:
        assert "\n" not in exc.message and exc.message.startswith("fuzz input")
        return
    text = doc.original
    toks = doc.tokens
    assert all(0 <= a < b <= len(text) for a, b in zip(toks.starts, toks.ends, strict=True))
    assert all(b <= c for b, c in zip(toks.ends, toks.starts[1:], strict=False))
    assert doc.line_starts[0] == 0 and list(doc.line_starts) == sorted(doc.line_starts)
    for passage in extract_passages(doc):
        assert 0 <= passage.span.start < passage.span.end <= len(text), passage
        if passage.kind is PassageKind.BLOCK:
            assert passage_words(doc, passage), passage  # a block quotation quotes some word
        for m in passage.markup:
            assert 0 <= m.span.start <= m.span.end <= len(text), (passage, m)
        if passage.attribution_span is not None:
            cue = text[passage.attribution_span.start:passage.attribution_span.end]
            assert " ".join(cue.split()) == passage.attribution, passage
    source = make_text(SOURCE_TEXT, path="source.txt", id="source")
    for whole in (False, True):
        report = compare_texts(doc, [source], whole=whole)
        shown = render_terminal(report, width=80, color=False) + render_json(report)
        assert not any(ch in shown for ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\x1b"), \
            "a bidi control or an escape written raw"
        for p in report.passages:
            assert text[p.passage.span.start:p.passage.span.end] == p.text
            for f in p.findings:
                if f.doc_span is not None:
                    assert text[f.doc_span.start:f.doc_span.end] == f.doc_text, f
                if f.src_span is not None and p.match is not None:
                    assert SOURCE_TEXT[f.src_span.start:f.src_span.end] == f.src_text, f


def main() -> None:
    import atheris

    with atheris.instrument_imports(include=["provenance"]):
        import provenance.comparator.extract  # noqa: F401
        import provenance.comparator.pipeline  # noqa: F401
        import provenance.report.json_report  # noqa: F401
        import provenance.report.terminal  # noqa: F401
        import provenance.text  # noqa: F401
    atheris.Setup(sys.argv, check_one)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
