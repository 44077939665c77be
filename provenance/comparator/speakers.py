"""Speakers: who says each stretch of a transcript with speaker turns.

A transcript gives each turn a label in capitals and a colon at the start of a line (`MILLEY:`,
`GEN. MILLEY:`, `SECRETARY ESPER:`, `Q:`); a turn runs to the next label. A text is taken for a
transcript when at least three lines start so and at least two labels differ, so that a letter's
`SUBJECT:` or a lone `NOTE:` does not make one. A label's name words leave out titles
(`GEN.`, `SECRETARY`), so that the cue `Milley said` names the turn `GEN. MILLEY:`.

Where it can fail: a transcript that names speakers in mixed case (`Milley:`) or on a line of
their own without a colon is not read as one; its quotations are then checked as any text's.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

_TURN_RE = re.compile(r"^[ \t]*(?P<label>(?:[A-Z][A-Z.'\u2019-]*[ \t]+){0,4}[A-Z][A-Z.'\u2019-]*)[ \t]*:[ \t]+", re.M)
TITLES = frozenset(
    """gen general secretary sec mr mrs ms miss dr adm admiral col colonel lt cmdr capt captain maj major sgt
    president vice minister prime chairman chair senator sen rep representative governor gov mayor judge justice
    ambassador spokesman spokeswoman spokesperson professor prof sir dame lord lady rev father the""".split())
QUESTIONERS = frozenset({"q", "question", "reporter", "audience"})


@dataclass(frozen=True, slots=True)
class Turns:
    """The speaker turns of a transcript: where each starts, and its label."""

    starts: tuple[int, ...]
    labels: tuple[str, ...]

    def speaker_at(self, offset: int) -> str | None:
        """The label of the turn holding `offset`, or None before the first turn."""
        k = bisect.bisect_right(self.starts, offset) - 1
        return self.labels[k] if k >= 0 else None

    def speakers(self) -> tuple[str, ...]:
        """The distinct labels, questioners left out, in order of first turn."""
        return tuple(dict.fromkeys(label for label in self.labels if not label_names(label) <= QUESTIONERS))


NO_TURNS = Turns((), ())


def speaker_turns(text: str) -> Turns:
    """The turns of a transcript, or `NO_TURNS` for a text that is not one."""
    found = [(m.start(), " ".join(m.group("label").split())) for m in _TURN_RE.finditer(text)]
    found = [(start, label) for start, label in found if any(c.isalpha() for c in label)]
    if len(found) < 3 or len({label for _, label in found}) < 2:
        return NO_TURNS
    return Turns(tuple(s for s, _ in found), tuple(label for _, label in found))


def label_names(label: str) -> frozenset[str]:
    """The name words of a label, folded, titles left out (`GEN. MILLEY` → {milley})."""
    words = [w.strip(".'\u2019-").casefold() for w in label.split()]
    names = frozenset(w for w in words if w and w not in TITLES)
    return names or frozenset(w for w in words if w)
