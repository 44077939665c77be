"""The terminal view: per passage its source, verdict and text with every difference marked.

In colour, omitted source words are struck through in red, inserted words highlighted in
green, substitutions show both, and brackets and normalisation are dimmed. Without colour (a
pipe, a file, NO_COLOR) the same marks are spelled out in the text, wdiff style:
`[-omitted-]`, `{+inserted+}`, `[-source-]{+document+}`, and hidden characters as `⟨U+200D⟩`.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Callable

import msgspec
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from provenance.model import FindingType, Report, Severity, Verdict
from provenance.report.json_report import report_record
from provenance.report.marks import (
    Piece,
    claim_line,
    counts_by_type,
    cut,
    impacts,
    marked_spans,
    one_line,
    plural,
    where,
)
from provenance.report.records import FindingRecord, PassageRecord, ReportRecord
from provenance.report.visible import visible, visible_line

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


def _leading_space(text: str) -> str:
    """The white space a text starts with."""
    return text[: len(text) - len(text.lstrip())]


def _style(style: str, color: bool) -> str:
    """`style` in colour, no style without."""
    return style if color else ""


def _mark_hidden(out: Text, finding: FindingRecord, color: bool) -> None:
    """A hidden character, shown by code point (a look-alike letter is shown with its code point too)."""
    doc = finding.doc_text
    shown = visible(doc)
    if shown == doc:
        shown = f"⟨{doc} U+{ord(doc[0]):04X}⟩"
    out.append(shown, style=_style("bold white on red", color))


def _mark_form(style: str) -> Callable[[Text, FindingRecord, bool], None]:
    """A marker that shows the document's words in `style`: only their form, or an editor's visible
    bracket, differs from the source."""

    def mark(out: Text, finding: FindingRecord, color: bool) -> None:
        """The document's words of `finding`, dimmed."""
        out.append(visible(finding.doc_text), style=_style(style, color))

    return mark


def _mark_editorial(out: Text, finding: FindingRecord, color: bool) -> None:
    """A marked omission or a bracketed substitution: the source's words struck (or `[-…-]`), then the
    document's ellipsis or brackets."""
    src, doc = finding.src_text.strip(), finding.doc_text
    out.append(visible(_leading_space(doc)))
    if color:
        out.append(visible(src), style="dim strike")
        out.append(" " if src else "")
        out.append(visible(doc).strip(), style="dim cyan")
    else:
        out.append(f"[-{visible(src)}-]" if src else "")
        out.append(visible(doc).strip())


def _mark_change(out: Text, finding: FindingRecord, color: bool) -> None:
    """An alteration: the source's words struck in red (or `[-…-]`), the document's highlighted (or
    `{+…+}`), both louder when the change is an error."""
    src, doc = finding.src_text, finding.doc_text
    severe = finding.severity is Severity.ERROR
    out.append(visible(_leading_space(doc) or _leading_space(src)))
    if color:
        if src.strip():
            out.append(visible(src.strip()), style="bold red strike" if severe else "red strike")
        if src.strip() and doc.strip():
            out.append(" ")
        if doc.strip():
            out.append(visible(doc.strip()), style="bold white on red" if severe else "bold green")
    else:
        if src.strip():
            out.append(f"[-{visible(src.strip())}-]")
        if doc.strip():
            out.append(f"{{+{visible(doc.strip())}+}}")
    trail = doc[len(doc.rstrip()):] if doc.strip() else (" " if src[-1:].isspace() else "")
    out.append(visible(trail))


MARKERS: dict[FindingType, Callable[[Text, FindingRecord, bool], None]] = {
    FindingType.HIDDEN_CHARACTER: _mark_hidden,
    FindingType.NORMALIZATION: _mark_form("dim underline"),
    FindingType.EDITORIAL_INSERTION: _mark_form("dim cyan"),
    FindingType.MARKED_OMISSION: _mark_editorial,
    FindingType.EDITORIAL_SUBSTITUTION: _mark_editorial,
}
"""How the terminal marks each finding type inside the passage text; the others are changes (`_mark_change`)."""


def _terminal_pieces(passage: PassageRecord) -> list[Piece]:
    """The passage's text cut at its findings. At one place the first finding wins, a hidden character
    last: one inside a changed word is shown by the change."""
    base = passage.doc_span.start
    marks = sorted(marked_spans(passage, "doc", base),
                   key=lambda m: (m[0], passage.findings[m[2]].type is FindingType.HIDDEN_CHARACTER))
    return cut(passage.text, marks)


def marked_text(passage: PassageRecord, *, color: bool) -> Text:
    """The passage as the document reads, with each difference from the source marked."""
    out = Text()
    shown: list[Piece | None] = list(_terminal_pieces(passage))
    if len(passage.text) > FULL_TEXT_LIMIT:
        shown = _excerpt(shown)
    for piece in shown:
        if piece is None:
            out.append(" … ", style=_style("dim", color))
        elif piece.finding is None:
            out.append(visible(piece.text))
        else:
            finding = passage.findings[piece.finding]
            MARKERS.get(finding.type, _mark_change)(out, finding, color)
    return out


def _excerpt(pieces: list[Piece | None]) -> list[Piece | None]:
    """Long unchanged runs cut to `CONTEXT` characters on each side of the differences; None stands
    for what was cut."""
    out: list[Piece | None] = []
    for k, piece in enumerate(pieces):
        if piece is None or piece.finding is not None or len(piece.text) <= 2 * CONTEXT:
            out.append(piece)
            continue
        head = "" if k == 0 else piece.text[:CONTEXT]
        tail = "" if k == len(pieces) - 1 else piece.text[-CONTEXT:]
        if head:
            out.append(Piece(head))
        out.append(None)
        if tail:
            out.append(Piece(tail))
    return out


def _finding_line(f: FindingRecord, src_id: str | None, color: bool) -> Text:
    """One finding under its passage: severity, type, impact and places, then what the source and the
    document say. The severity is spelled out, so that it reads without colour too."""
    line = Text()
    line.append(f"{f.severity.value} {f.type.value}", style=SEVERITY_STYLE[f.severity] if color else "")
    if f.impact:
        line.append(f" [{impacts(f)}]", style=_style("bold red", color))
    line.append(f"  doc {where(f.doc_span) if f.doc_span else '?'}", style=_style("dim", color))
    if f.src_span is not None and src_id is not None:
        line.append(f" · {visible(src_id)} {where(f.src_span)}", style=_style("dim", color))
    line.append("\n")
    if f.type is FindingType.HIDDEN_CHARACTER:
        line.append(visible(f.message))
        return line
    if f.src_text.strip():
        line.append("source ", style=_style("dim", color))
        line.append(_quote(f.src_text))
    if f.doc_text.strip():
        if f.src_text.strip():
            line.append(" → ")
        line.append("document ", style=_style("dim", color))
        line.append(_quote(f.doc_text))
    line.append(f"  ({visible(f.message)})", style=_style("dim", color))
    return line


def _passage_head(passage: PassageRecord, color: bool) -> Text:
    """The first line of a passage: id, verdict, kind, place, source and similarity, attribution."""
    head = Text()
    head.append(f"{passage.id} ", style=_style("bold", color))
    head.append(passage.verdict.value.upper(), style=VERDICT_STYLE[passage.verdict] if color else "")
    head.append(f"  {passage.kind.value}  doc {where(passage.doc_span)}")
    if passage.match is not None:
        head.append(f"  ← {visible_line(passage.match.source)} {where(passage.match.src_span)}")
        head.append(f"  similarity {passage.match.similarity:.2f}", style=_style("dim", color))
    if passage.attribution:
        head.append(f"\n  attributed: {visible(passage.attribution)}", style=_style("italic", color))
    claim = claim_line(passage)
    if claim is not None:
        head.append(f"\n  {visible(claim)}", style=_style("italic", color))
    return head


def _findings_grid(findings: list[FindingRecord], src_id: str | None, color: bool) -> Table:
    """The findings listed under a passage, one per bullet (a grid keeps wrapped lines under their bullet)."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=3, justify="right")
    grid.add_column(ratio=1)
    for f in findings:
        grid.add_row("•", _finding_line(f, src_id, color))
    return grid


def passage_panel(passage: PassageRecord, *, color: bool) -> Panel:
    """One passage: where it comes from, its verdict, its text marked, its findings listed."""
    src_id = passage.match.source if passage.match is not None else None
    parts: list[Text | Table] = [_passage_head(passage, color)]
    if passage.match is not None and passage.verdict is not Verdict.PARAPHRASE:
        parts.append(marked_text(passage, color=color))
    else:
        parts.append(Text(visible(passage.text), style=_style("italic", color)))
    listed = [f for f in passage.findings if f.type is not FindingType.NORMALIZATION]
    n_norm = len(passage.findings) - len(listed)
    if listed:
        parts.append(_findings_grid(listed, src_id, color))
    if n_norm:
        parts.append(Text(f"  + {plural(n_norm, 'normalisation difference')} "
                          "(punctuation, case, spacing)", style=_style("dim", color)))
    border = VERDICT_STYLE[passage.verdict].split()[-1] if color else "none"
    return Panel(Group(*parts), border_style=border, expand=True)


def summary_table(report: ReportRecord) -> Table:
    """Counts of passages by verdict and of findings by type and severity."""
    # a Text title, not a string: a path is not rich markup (`[/x]` in a file name would raise)
    table = Table(title=Text(f"{visible(report.document.path)}: {plural(len(report.passages), 'passage')}"),
                  show_lines=False)
    table.add_column("verdict / finding")
    table.add_column("count", justify="right")
    table.add_column("severity")
    verdicts = Counter(p.verdict for p in report.passages)
    for v in Verdict:
        if verdicts[v]:
            table.add_row(v.value, str(verdicts[v]), "")
    table.add_section()
    for (kind, severity), n in counts_by_type(f for p in report.passages for f in p.findings):
        table.add_row(kind.value, str(n), severity.value)
    return table


def metrics_table(report: ReportRecord) -> Table | None:
    """Error rates of a whole-document comparison, one row per measure and definition."""
    if not report.metrics:
        return None
    # a Text title: a source's name is not rich markup, and its control characters are shown
    table = Table(title=Text(f"transcription accuracy against {visible_line(report.metrics.reference)}"))
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


def not_checked_line(report: ReportRecord) -> Text:
    """The quotations given no verdict, counted and listed on one line."""
    skipped = report.not_checked or ()
    listed = ", ".join(f"“{one_line(n.text, 40)}” at {where(n.doc_span)}" for n in skipped[:12])
    more = f" and {len(skipped) - 12} more" if len(skipped) > 12 else ""
    return Text(f"Not checked: {plural(len(skipped), 'quotation')} under 3 words found in no source "
                f"(a term or a scare quote, or too short to tell): {listed}{more}.")


def failing_only(report: ReportRecord) -> tuple[ReportRecord, str]:
    """The report cut to the findings that fail the default policy and the passages that have one, with a
    line saying what was left out (`--only-failing`)."""
    from provenance.check.policy import Policy

    policy = Policy()
    kept = []
    for p in report.passages:
        findings = tuple(f for f in p.findings if policy.fails(f.type, f.severity))
        if findings:
            kept.append(msgspec.structs.replace(p, findings=findings))
    n_all = sum(len(p.findings) for p in report.passages)
    n_kept = sum(len(p.findings) for p in kept)
    note = (f"Only failing findings shown (--only-failing; {policy.describe()}): {plural(n_kept, 'finding')} "
            f"in {plural(len(kept), 'passage')}; {plural(n_all - n_kept, 'other finding')} and "
            f"{plural(len(report.passages) - len(kept), 'passage')} left out.")
    return msgspec.structs.replace(report, passages=tuple(kept)), note


def render_terminal(report: Report | ReportRecord, *, width: int | None = None, color: bool | None = None,
                    only_failing: bool = False) -> str:
    """The terminal view of a comparison (or of its JSON report) as a string (ANSI-coloured when `color`);
    with `only_failing`, only the findings that fail the default policy, and the passages that have one."""
    if isinstance(report, Report):
        report = report_record(report)
    note = ""
    if only_failing:
        report, note = failing_only(report)
    buf = io.StringIO()
    con = Console(file=buf, width=width or 100, color_system="truecolor" if color else None,
                             force_terminal=bool(color), no_color=not color, highlight=False)
    use_color = bool(color)
    sources = ", ".join(visible_line(s.path) for s in report.sources)
    title = Text(f"provenance · {visible_line(report.document.path)} against {sources}",
                 style="bold" if use_color else "")
    con.print(title)
    if note:
        con.print(Text(note))
    if not report.passages:
        con.print("No failing finding." if only_failing else "No quoted or reused passage found.")
        if report.not_checked and not only_failing:
            con.print(not_checked_line(report))
        return buf.getvalue()
    for passage in report.passages:
        con.print(passage_panel(passage, color=use_color))
    con.print(summary_table(report))
    if report.not_checked:
        con.print(not_checked_line(report))
    metrics = metrics_table(report)
    if metrics is not None:
        con.print(metrics)
    return buf.getvalue()


__all__ = ["MARKERS", "marked_text", "metrics_table", "passage_panel", "render_terminal", "summary_table"]
