"""The terminal view: per passage its source, verdict and text with every difference marked.

In colour, omitted source words are struck through in red, inserted words highlighted in
green, substitutions show both, and brackets and normalisation are dimmed. Without colour (a
pipe, a file, NO_COLOR) the same marks are spelled out in the text, wdiff style:
`[-omitted-]`, `{+inserted+}`, `[-source-]{+document+}`, and hidden characters as `⟨U+200D⟩`.
"""

from __future__ import annotations

import io
from collections import Counter

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from provenance.model import Finding, FindingType, PassageResult, Report, Severity, Verdict
from provenance.report.visible import visible
from provenance.taxonomy import is_whole_passage
from provenance.text import line_col

VERDICT_STYLE = {
    Verdict.VERBATIM: "bold green",
    Verdict.FAITHFUL: "bold cyan",
    Verdict.ALTERED: "bold yellow",
    Verdict.PARAPHRASE: "bold magenta",
    Verdict.UNSOURCED: "bold red",
}
SEVERITY_STYLE = {Severity.INFO: "dim", Severity.WARNING: "yellow", Severity.ERROR: "bold red"}
CONTEXT = 70
"""Characters of unchanged text kept on each side of a difference in a long passage."""
FULL_TEXT_LIMIT = 1600
"""Passages longer than this are shown as excerpts around their differences."""


def _quote(text: str, limit: int = 200) -> str:
    """Text in quotes for a finding line: spacing folded, hidden characters shown, long text cut."""
    flat = visible(" ".join(text.split()))
    return f"‘{flat[:limit]}{'…' if len(flat) > limit else ''}’"


def _where(report: Report, text_id: str, start: int, end: int) -> str:
    starts = report.line_starts.get(text_id, (0,))
    l1, c1 = line_col(starts, start)
    l2, c2 = line_col(starts, end)
    return f"{l1}:{c1}" if (l1, c1) == (l2, c2) else f"{l1}:{c1}–{l2}:{c2}"


def marked_text(result: PassageResult, *, color: bool) -> Text:
    """The passage as the document reads, with each difference from the source marked."""
    out = Text()
    base = result.passage.span.start
    text = result.text
    pos = base
    pieces: list[tuple[str, str]] = []
    for f in sorted((f for f in result.findings if f.doc_span is not None),
                    key=lambda f: (f.doc_span.start if f.doc_span else 0, f.type is FindingType.HIDDEN_CHARACTER)):
        assert f.doc_span is not None
        if (f.doc_span.start < pos or f.doc_span.end > result.passage.span.end
                or is_whole_passage(f.type)):
            continue  # nested inside a finding already shown (a hidden character in a changed word)
        pieces.append(("same", text[pos - base:f.doc_span.start - base]))
        pieces.append((f.type.value + ("!" if f.severity is Severity.ERROR else ""), f"{f.src_text}\x00{f.doc_text}"))
        pos = f.doc_span.end
    pieces.append(("same", text[pos - base:]))
    if len(text) > FULL_TEXT_LIMIT:
        pieces = _excerpt(pieces)
    for kind, value in pieces:
        if kind == "same":
            out.append(visible(value))
            continue
        if kind == "gap":
            out.append(" … ", style="dim" if color else "")
            continue
        src, doc = value.split("\x00", 1)
        ftype = kind.rstrip("!")
        severe = kind.endswith("!")
        doc_v = visible(doc)
        if ftype == FindingType.HIDDEN_CHARACTER.value:
            shown = doc_v if doc_v != doc else f"⟨{doc} U+{ord(doc[0]):04X}⟩"  # a look-alike letter
            out.append(shown, style="bold white on red" if color else "")
            continue
        if ftype == FindingType.NORMALIZATION.value:
            out.append(doc_v, style="dim underline" if color else "")
            continue
        if ftype == FindingType.EDITORIAL_INSERTION.value:
            out.append(doc_v, style="dim cyan" if color else "")
            continue
        if ftype in (FindingType.MARKED_OMISSION.value, FindingType.EDITORIAL_SUBSTITUTION.value):
            lead = doc[: len(doc) - len(doc.lstrip())]
            out.append(visible(lead))
            if color:
                out.append(visible(src.strip()), style="dim strike")
                out.append(" " if src.strip() else "")
                out.append(doc_v.strip(), style="dim cyan")
            else:
                out.append(f"[-{visible(src.strip())}-]" if src.strip() else "")
                out.append(doc_v.strip())
            continue
        ins_style = "bold white on red" if severe else "bold green"
        del_style = "bold red strike" if severe else "red strike"
        lead = doc[: len(doc) - len(doc.lstrip())] or src[: len(src) - len(src.lstrip())]
        out.append(visible(lead))
        if color:
            if src.strip():
                out.append(visible(src.strip()), style=del_style)
            if src.strip() and doc.strip():
                out.append(" ")
            if doc.strip():
                out.append(visible(doc.strip()), style=ins_style)
        else:
            if src.strip():
                out.append(f"[-{visible(src.strip())}-]")
            if doc.strip():
                out.append(f"{{+{visible(doc.strip())}+}}")
        trail = doc[len(doc.rstrip()):] if doc.strip() else (" " if src[-1:].isspace() else "")
        out.append(visible(trail))
    return out


def _excerpt(pieces: list[tuple[str, str]]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for k, (kind, value) in enumerate(pieces):
        if kind != "same":
            out.append((kind, value))
            continue
        first, last = k == 0, k == len(pieces) - 1
        if len(value) <= 2 * CONTEXT:
            out.append((kind, value))
            continue
        head = "" if first else value[:CONTEXT]
        tail = "" if last else value[-CONTEXT:]
        if head:
            out.append(("same", head))
        out.append(("gap", ""))
        if tail:
            out.append(("same", tail))
    return out


def _finding_line(f: Finding, report: Report, src_id: str | None, color: bool) -> Text:
    line = Text()
    style = SEVERITY_STYLE[f.severity] if color else ""
    line.append(f"{f.type.value}", style=style)
    if f.impact:
        line.append(f" [{', '.join(i.value for i in f.impact)}]", style="bold red" if color else "")
    where = _where(report, "document", f.doc_span.start, f.doc_span.end) if f.doc_span else "?"
    line.append(f"  doc {where}", style="dim" if color else "")
    if f.src_span is not None and src_id is not None:
        line.append(f" · {visible(src_id)} {_where(report, src_id, f.src_span.start, f.src_span.end)}",
                    style="dim" if color else "")
    line.append("\n")
    if f.type is FindingType.HIDDEN_CHARACTER:
        line.append(visible(f.message))
        return line
    if f.src_text.strip():
        line.append("source ", style="dim" if color else "")
        line.append(_quote(f.src_text))
    if f.doc_text.strip():
        if f.src_text.strip():
            line.append(" → ")
        line.append("document ", style="dim" if color else "")
        line.append(_quote(f.doc_text))
    line.append(f"  ({visible(f.message)})", style="dim" if color else "")
    return line


def passage_panel(result: PassageResult, report: Report, *, color: bool) -> Panel:
    """One passage: where it comes from, its verdict, its text marked, its findings listed."""
    head = Text()
    head.append(f"{result.id} ", style="bold" if color else "")
    head.append(result.verdict.value.upper(), style=VERDICT_STYLE[result.verdict] if color else "")
    span = result.passage.span
    head.append(f"  {result.passage.kind.value}  doc {_where(report, 'document', span.start, span.end)}")
    src_id = None
    if result.match is not None:
        src_id = report.sources[result.match.source].id
        head.append(f"  ← {visible(src_id)} {_where(report, src_id, result.match.span.start, result.match.span.end)}")
        head.append(f"  similarity {result.match.similarity:.2f}", style="dim" if color else "")
    if result.passage.attribution:
        head.append(f"\n  attributed: {visible(result.passage.attribution)}", style="italic" if color else "")
    parts: list[Text | Table] = [head]
    if result.match is not None and result.verdict is not Verdict.PARAPHRASE:
        parts.append(marked_text(result, color=color))
    else:
        parts.append(Text(visible(result.text), style="italic" if color else ""))
    listed = [f for f in result.findings if f.type is not FindingType.NORMALIZATION]
    n_norm = len(result.findings) - len(listed)
    if listed:
        # a grid keeps wrapped lines under their bullet
        grid = Table.grid(padding=(0, 1))
        grid.add_column(width=3, justify="right")
        grid.add_column(ratio=1)
        for f in listed:
            grid.add_row("•", _finding_line(f, report, src_id, color))
        parts.append(grid)
    if n_norm:
        parts.append(Text(f"  + {n_norm} normalisation difference{'s' if n_norm > 1 else ''} "
                          "(punctuation, case, spacing)", style="dim" if color else ""))
    border = VERDICT_STYLE[result.verdict].split()[-1] if color else "none"
    return Panel(Group(*parts), border_style=border, expand=True)


def summary_table(report: Report) -> Table:
    """Counts of passages by verdict and of findings by type and severity."""
    n = len(report.passages)
    # a Text title, not a string: a path is not rich markup (`[/x]` in a file name would raise)
    table = Table(title=Text(f"{visible(report.document.path)}: {n} passage{'' if n == 1 else 's'}"),
                  show_lines=False)
    table.add_column("verdict / finding")
    table.add_column("count", justify="right")
    table.add_column("severity")
    verdicts = Counter(r.verdict for r in report.passages)
    for v in Verdict:
        if verdicts[v]:
            table.add_row(v.value, str(verdicts[v]), "")
    table.add_section()
    types: Counter[tuple[FindingType, Severity]] = Counter(
        (f.type, f.severity) for r in report.passages for f in r.findings)
    for (t, sev), n in sorted(types.items(), key=lambda kv: (list(FindingType).index(kv[0][0]), kv[0][1].value)):
        table.add_row(t.value, str(n), sev.value)
    return table


def metrics_table(report: Report) -> Table | None:
    """Error rates of a whole-document comparison, one row per measure and definition."""
    if report.metrics is None:
        return None
    table = Table(title=f"transcription accuracy against {report.metrics.reference}")
    for name, justify in (("measure", "left"), ("definition (tool)", "left"), ("text", "left"), ("rate", "right"),
                          ("subst", "right"), ("del", "right"), ("ins", "right"), ("hits", "right"),
                          ("ref units", "right")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for r in report.metrics.rates:
        rate = "n/a" if r.rate is None else f"{r.rate:.4f}"
        table.add_row(r.measure.upper(), f"{r.definition} ({r.matches})", "normalised" if r.normalized else "raw",
                      rate, str(r.substitutions), str(r.deletions), str(r.insertions), str(r.hits),
                      str(r.reference_length))
    return table


def render_terminal(report: Report, *, width: int | None = None, color: bool | None = None) -> str:
    """The terminal view as a string (ANSI-coloured when `color`)."""
    buf = io.StringIO()
    con = Console(file=buf, width=width or 100, color_system="truecolor" if color else None,
                             force_terminal=bool(color), no_color=not color, highlight=False)
    use_color = bool(color)
    title = Text(visible(f"provenance · {report.document.path} against {', '.join(s.path for s in report.sources)}"),
                 style="bold" if use_color else "")
    con.print(title)
    if not report.passages:
        con.print("No quoted or reused passage found.")
        return buf.getvalue()
    for r in report.passages:
        con.print(passage_panel(r, report, color=use_color))
    con.print(summary_table(report))
    metrics = metrics_table(report)
    if metrics is not None:
        con.print(metrics)
    return buf.getvalue()


__all__ = ["marked_text", "metrics_table", "render_terminal", "summary_table"]
