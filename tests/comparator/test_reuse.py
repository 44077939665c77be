"""Reuse: passages copied without quotation marks are found; short common phrases are not."""

from __future__ import annotations

from provenance.model import PassageKind, Verdict

from conftest import kinds, run

SOURCE = (
    "During this time, there will be an increase in boat traffic around the old pier, including "
    "ferries and two security launches. Crews will take appropriate measures to minimise the disturbance "
    "to the public. We respect your patience and thank the residents for their understanding."
)


def test_a_pasted_paragraph_is_a_passage() -> None:
    doc = ("Here is what the notice says.\n\nCrews will take appropriate measures to minimise the disturbance "
           "to the public. We respect your patience [sic] and thank the residents for their understanding.\n\n"
           "That is all.\n")
    report = run(doc, SOURCE)
    (p,) = report.passages
    assert p.passage.kind is PassageKind.PASSAGE
    assert p.text.startswith("Crews will take") and p.text.endswith("understanding.")
    assert kinds(p) == ["editorial_insertion"]
    assert p.verdict is Verdict.FAITHFUL


def test_a_copied_stretch_with_a_silent_omission_stays_one_passage() -> None:
    doc = ("Notes.\n\nDuring this time, there will be an increase in boat traffic around the old pier. Crews will "
           "take appropriate measures to minimise the disturbance to the public.\n")
    (p,) = run(doc, SOURCE).passages
    assert kinds(p) == ["silent_omission"]
    assert p.findings[0].src_text == ", including ferries and two security launches"


def test_a_short_common_phrase_is_not_reuse() -> None:
    doc = "Our town saw an increase in boat traffic this year, and the residents were glad.\n"
    assert run(doc, SOURCE).passages == ()


def test_quoted_text_is_not_also_reported_as_reuse() -> None:
    doc = "The notice: “Crews will take appropriate measures to minimise the disturbance to the public.”\n"
    (p,) = run(doc, SOURCE).passages
    assert p.passage.kind is PassageKind.INLINE


def test_reuse_can_be_switched_off() -> None:
    doc = "Crews will take appropriate measures to minimise the disturbance to the public, they said.\n"
    assert run(doc, SOURCE, reuse=False).passages == ()
