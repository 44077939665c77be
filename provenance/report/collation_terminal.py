"""The collation in the terminal: the consensus with its variant locations marked, then the variant
table, one row per witness and one column per variant location, in as many blocks as the width needs.

Marks without colour: `{s3: reading}` is a variant location in the consensus, `{s5? a | b}` a
tie; in the table, `≠` marks a cell that differs from the consensus, `–` a witness with nothing
there. Witness text and names are shown through `report/visible.py`: a control, invisible or
bidirectional-control character is written as its code point (`⟨U+001B⟩`), never raw.
"""

from __future__ import annotations

import io

from rich.console import Console
from rich.table import Table
from rich.text import Text

from provenance.errors import UsageError
from provenance.report.visible import visible
from provenance.transcription.collate import Collation

COLUMN_WIDTH = 18
"""Room given to one variant location in the table."""
MIN_WIDTH = 40
"""The narrowest view: a witness column and one variant location."""


def consensus_text(collation: Collation, *, color: bool) -> Text:
    """The consensus with each variant location and tie marked."""
    out = Text()
    for k, s in enumerate(collation.segments, 1):
        chosen = visible(s.chosen().text)
        if s.agreement:
            out.append(chosen)
            continue
        body, after = chosen.rstrip(), chosen[len(chosen.rstrip()):]
        if s.tie:
            tied = " | ".join(visible(s.readings[i].text.strip()) or "∅" for i in s.consensus)
            out.append(f"{{s{k}? {tied}}}" if not color else f"[{tied}]", style="black on yellow" if color else "")
        elif color:
            out.append(body or "∅", style="bold green")
        else:
            out.append(f"{{s{k}: {body or '∅'}}}")
        out.append(after if body else (after or " "))
    return out


def _cell(collation: Collation, k: int, w: int, *, color: bool) -> Text:
    s = collation.segments[k]
    text = s.cells[w]
    agrees = collation.witnesses[w].id in s.chosen().witnesses and not s.tie
    shown = "–" if text is None else visible(" ".join(text.split()))
    if color:
        style = "yellow" if s.tie else "green" if agrees else "bold red"
        return Text(shown, style=style)
    return Text(shown if agrees or s.tie else f"≠ {shown}")


def variant_tables(collation: Collation, *, width: int, color: bool) -> list[Table]:
    """The variant table in blocks that fit `width`."""
    variants = collation.variants
    names = [visible(w.id) for w in collation.witnesses]
    name_width = max(map(len, names)) + 3
    per_table = max(1, (width - name_width) // (COLUMN_WIDTH + 3))
    tables: list[Table] = []
    for start in range(0, len(variants), per_table):
        block = variants[start:start + per_table]
        table = Table(show_lines=True, expand=False)
        table.add_column("witness", no_wrap=True)
        for k in block:
            tie = " tie" if collation.segments[k].tie else ""
            table.add_column(f"s{k + 1}{tie}", max_width=COLUMN_WIDTH, overflow="fold")
        for w, witness in enumerate(collation.witnesses):
            label = names[w] + (" (base)" if witness.id == collation.base else "")
            # a Text, not a str: rich would read markup (`[bold]`) and emoji codes (`:smile:`) in a str
            table.add_row(Text(label), *(_cell(collation, k, w, color=color) for k in block))
        tables.append(table)
    return tables


def render_collation_terminal(collation: Collation, *, width: int | None = None, color: bool | None = None) -> str:
    """The terminal view as a string (ANSI-coloured when `color`)."""
    if width is not None and width < MIN_WIDTH:  # rich would print nothing at all, or a garbled table
        raise UsageError(f"the terminal view needs a width of at least {MIN_WIDTH} columns, not {width}",
                         parameter="width")
    buf = io.StringIO()
    width = width or 100
    use_color = bool(color)
    con = Console(file=buf, width=width, color_system="truecolor" if use_color else None, force_terminal=use_color,
                  no_color=not use_color, highlight=False)
    n_var, n_tie = len(collation.variants), len(collation.ties)
    con.print(Text(f"provenance collate · {len(collation.witnesses)} witnesses, base {visible(collation.base)} · "
                   f"{n_var} variant location{'' if n_var == 1 else 's'}, {n_tie} tie{'' if n_tie == 1 else 's'}",
                   style="bold" if use_color else ""))
    con.print()
    con.print(Text("Consensus", style="bold underline" if use_color else ""))
    con.print(consensus_text(collation, color=use_color))
    con.print()
    if not n_var:
        con.print("The witnesses agree word for word.")
    else:
        con.print(Text("Variant table", style="bold underline" if use_color else ""))
        for table in variant_tables(collation, width=width, color=use_color):
            con.print(table)
    # wrapped lines keep the space they broke at; a file or a diff is better without it
    return "\n".join(line.rstrip() for line in buf.getvalue().split("\n"))


__all__ = ["consensus_text", "render_collation_terminal", "variant_tables"]
