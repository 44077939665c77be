"""Citations: read from the document, resolved to a given source, and each quotation checked
against the source it cites (misattribution, unsourced, not checked), speakers of transcripts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from provenance.cli import main
from provenance.comparator.citations import read_references
from provenance.comparator.pipeline import compare_texts, quotations_of
from provenance.comparator.speakers import label_names, speaker_turns
from provenance.model import ClaimKind, FindingType, Report, SourceEntry
from provenance.text import make_text

BRIEFING = """Transcript: Department of Harbours press briefing, 3 March 2024

Q: Will the ferries run this weekend?

DIRECTOR OKAFOR: The harbour will close at dusk on Friday, and the ferries will not run until Monday morning.

Q: What about freight?

DEPUTY LEE: Freight traffic will be diverted to the northern terminal for the duration of the closure.
"""
STATEMENT = """Statement of the Harbour Council, 2 March 2024

The council has approved emergency repairs to the eastern pier, which will cost 40,000 pounds and take six weeks.
The harbour will close at dusk on Friday, the council confirmed.
"""


def _sources() -> list:  # type: ignore[type-arg]
    return [make_text(BRIEFING, path="briefing.txt", id="briefing"),
            make_text(STATEMENT, path="statement.txt", id="statement")]


def _compare(document: str, entries: list[SourceEntry | None] | None = None) -> Report:
    return compare_texts(make_text(document, path="answer.md", id="document"), _sources(), entries=entries)


def _findings(report: Report, kind: FindingType) -> list[str]:
    return [f.message for p in report.passages for f in p.findings if f.type is kind]


def test_the_reference_list_forms_are_read() -> None:
    refs = read_references(
        "3. a numbered list before any reference heading\n\n"
        "[1]: briefing.txt \"Press briefing\"\n[^n]: The council's statement, statement.txt\n"
        "\n## Sources\n\n1. Harbour Gazette, https://example.org/gazette\n\n"
        "Okafor, A. (2021). The harbour in winter. Example Press.\n"
        "\n## Elsewhere\n\n2. not a reference\n")
    assert refs["1"].target == "briefing.txt"
    assert refs["^n"].target == "statement.txt"
    assert refs["okafor 2021"].entry.startswith("Okafor, A. (2021)")
    assert "2" not in refs and "3" not in refs  # a numbered list outside a reference section is none


def test_a_correct_citation_agrees_even_when_another_source_holds_the_words() -> None:
    report = _compare('She said "the harbour will close at dusk on Friday" [1].\n\n'
                      "[1] Department of Harbours press briefing, 3 March 2024\n")
    (passage,) = report.passages
    assert passage.claim is not None and passage.claim.kind is ClaimKind.NUMBERED and passage.claim.source == 0
    assert passage.match is not None and passage.match.source == 0
    assert not _findings(report, FindingType.MISATTRIBUTION)


def test_words_found_in_another_source_than_the_cited_one_are_a_misattribution() -> None:
    report = _compare('The repairs "will cost 40,000 pounds and take six weeks" [1].\n\n'
                      "[1] Department of Harbours press briefing, 3 March 2024 (briefing.txt)\n")
    (message,) = _findings(report, FindingType.MISATTRIBUTION)
    assert "'briefing'" in message and "'statement'" in message
    (finding,) = [f for f in report.passages[0].findings if f.type is FindingType.MISATTRIBUTION]
    assert finding.doc_text == "will cost 40,000 pounds and take six weeks"


def test_a_quotation_no_source_holds_says_the_cited_source_lacks_it() -> None:
    report = _compare('The council promised that "no jobs will be lost at the harbour" [^s].\n\n'
                      "[^s]: Statement of the Harbour Council, 2 March 2024.\n")
    (message,) = _findings(report, FindingType.UNSOURCED)
    assert message.startswith("the cited source 'statement'")


def test_a_citation_of_a_source_not_given_is_not_checked_and_not_matched_elsewhere() -> None:
    report = _compare('A spokesman said "the ferries will not run until Monday morning" [3].\n\n'
                      "[3] Harbour Gazette, 4 March 2024\n")
    assert not report.passages
    (skipped,) = report.not_checked
    assert skipped.text == "the ferries will not run until Monday morning"
    assert "Harbour Gazette" in skipped.reason and "not among the given sources" in skipped.reason


def test_a_link_and_an_author_year_citation_name_their_source() -> None:
    link = _compare('The [council wrote](statement.txt) that "the harbour will close at dusk on Friday".\n')
    assert link.passages[0].claim is not None and link.passages[0].claim.kind is ClaimKind.LINK
    assert link.passages[0].match is not None and link.passages[0].match.source == 1  # the cited one, not the other
    entries = [SourceEntry(author="Ada Okafor", date="2024-03-03"), None]
    cited = _compare('"The harbour will close at dusk on Friday" (Okafor, 2024).\n', entries)
    claim = cited.passages[0].claim
    assert claim is not None and claim.kind is ClaimKind.AUTHOR_YEAR and claim.source == 0


def test_a_transcript_turn_of_another_speaker_is_a_misattribution() -> None:
    report = _compare('Okafor added that "freight traffic will be diverted to the northern terminal" [1].\n\n'
                      "[1] briefing.txt\n")
    (message,) = _findings(report, FindingType.MISATTRIBUTION)
    assert "DEPUTY LEE" in message and "Okafor" in message
    right = _compare('Lee said "freight traffic will be diverted to the northern terminal" [1].\n\n[1] briefing.txt\n')
    assert not _findings(right, FindingType.MISATTRIBUTION)


def test_speaker_turns_need_a_transcript() -> None:
    turns = speaker_turns(BRIEFING)
    assert turns.speakers() == ("DIRECTOR OKAFOR", "DEPUTY LEE")
    assert turns.speaker_at(BRIEFING.index("Freight")) == "DEPUTY LEE"
    assert label_names("GEN. MILLEY") == {"milley"}
    assert not speaker_turns("SUBJECT: Repositioning\n\nNOTE: the letter is short.\n").starts


def test_a_credit_line_gives_a_block_quotation_to_its_speaker() -> None:
    doc = make_text("# Notes\n\n> The harbour will close at dusk on Friday, and the ferries will not run.\n"
                    "> \u2014 Director Okafor\n", path="notes.md", id="document")
    ((_, claim),) = quotations_of(doc, _sources())
    assert claim is not None and claim.kind is ClaimKind.CREDIT and claim.speaker == "Director Okafor"


def test_quotes_lists_every_quotation_with_its_claim(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = tmp_path / "answer.md"
    doc.write_text('Okafor said "the harbour will close at dusk on Friday" [1]. "Nothing else," he added.\n\n'
                   "[1] Department of Harbours press briefing (briefing.txt)\n", encoding="utf-8")
    assert main(["quotes", str(doc), "-f", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed["schema"] == "provenance.quotes/1"
    first, second = listed["quotations"]
    assert first["claim"]["kind"] == "numbered" and first["claim"]["cites"] is None
    assert "briefing.txt" in first["claim"]["entry"] and second["claim"]["kind"] == "cue"
    assert main(["quotes", str(doc)]) == 0
    shown = capsys.readouterr().out
    assert "q1  inline" in shown and "numbered: [1]" in shown
    assert main(["quotes", str(doc), "-f", "html"]) == 2


def test_a_sidecar_names_a_source_by_its_author(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "b.txt").write_text(BRIEFING, encoding="utf-8")
    (tmp_path / "s.txt").write_text(STATEMENT, encoding="utf-8")
    (tmp_path / "b.txt.source.toml").write_text('author = "Ada Okafor"\naliases = ["the department"]\n',
                                                encoding="utf-8")
    doc = tmp_path / "a.md"
    doc.write_text('"The harbour will close at dusk on Friday" [1].\n\n[1] the department, March 2024\n',
                   encoding="utf-8")
    assert main(["compare", str(doc), "-s", str(tmp_path / "s.txt"), "-s", str(tmp_path / "b.txt"), "-f", "json"]) == 0
    (passage,) = json.loads(capsys.readouterr().out)["passages"]
    assert passage["claim"]["cites"] == "b" and passage["claim"]["agrees"] is True
    (tmp_path / "b.txt.source.toml").write_text('writer = "Ada Okafor"\n', encoding="utf-8")
    assert main(["compare", str(doc), "-s", str(tmp_path / "b.txt")]) == 2
    assert "b.txt.source.toml" in capsys.readouterr().err


def test_a_pronoun_cue_gives_the_words_to_the_person_named_before_it() -> None:
    right = _compare('Lee spoke later. Okafor said "the harbour will close at dusk on Friday" [1], and she added '
                     'that "the ferries will not run until Monday morning" [1].\n\n[1] briefing.txt\n')
    assert not _findings(right, FindingType.MISATTRIBUTION)
    wrong = _compare('Okafor said "the harbour will close at dusk on Friday" [1], and she added that "freight '
                     'traffic will be diverted to the northern terminal" [1].\n\n[1] briefing.txt\n')
    (message,) = _findings(wrong, FindingType.MISATTRIBUTION)
    assert "DEPUTY LEE's" in message and "she added that" in message


def test_two_quotations_from_two_turns_are_not_one_spliced_quotation() -> None:
    report = _compare('"The harbour will close at dusk on Friday," Okafor said. "Freight traffic will be diverted '
                      'to the northern terminal," Lee said [1].\n\n[1] briefing.txt\n')
    assert not _findings(report, FindingType.SILENT_OMISSION)


def test_a_credit_a_blank_line_under_its_block_quotation() -> None:
    doc = make_text("# Notes\n\n> Freight traffic will be diverted to the northern terminal for the duration of "
                    "the closure.\n\n\u2014 Director Okafor\n", path="notes.md", id="document")
    report = compare_texts(doc, _sources())
    (message,) = _findings(report, FindingType.MISATTRIBUTION)
    assert "DEPUTY LEE's" in message


def test_a_link_to_a_document_not_given_is_not_checked_but_a_link_to_a_page_is() -> None:
    to_file = _compare('The [gazette](gazette.txt) says "the harbour will close at dusk on Friday".\n')
    assert not to_file.passages and "gazette.txt" in to_file.not_checked[0].reason
    to_page = _compare('[Okafor](https://example.org/people/okafor) said "the harbour will close at dusk on Friday".\n')
    (passage,) = to_page.passages
    assert passage.match is not None and passage.claim is not None and passage.claim.source is None


def test_an_attribute_of_raw_html_is_no_quotation() -> None:
    doc = make_text('<blockquote cite="statement.txt">\nThe council has approved emergency repairs to the eastern '
                    "pier, which will cost 40,000 pounds and take six weeks.\n</blockquote>\n", path="a.md",
                    id="document")
    texts = [q for q, _ in quotations_of(doc, _sources())]
    assert [doc.original[q.span.start:q.span.end][:20] for q in texts] == ["The council has appr"]


def test_a_quotation_that_negates_or_adds_figures_to_the_nearest_source_sentence_is_no_paraphrase() -> None:
    from provenance.comparator.pipeline import _says_otherwise

    source = "rationing will begin in the district on monday".split()
    assert "negate" in (_says_otherwise("we will never ration water in the district".split(), source) or "")
    assert "4" in (_says_otherwise("the district will need 4 new wells".split(), source) or "")
    assert _says_otherwise("rationing starts in the district on monday".split(), source) is None


def test_a_sentence_that_looks_like_an_entry_keeps_its_quotation() -> None:
    for text in ('Okafor, the director since (2019), put it bluntly: "the harbour will close at dusk on Saturday" '
                 "she said.\n",
                 '[Update]: The director later said "the harbour will close at dusk on Saturday".\n'):
        report = _compare(text)
        (passage,) = report.passages
        assert passage.verdict.value == "altered" and not report.not_checked


def test_a_file_stem_is_no_alias() -> None:
    sources = [make_text("A speech about the ferries.\n\nThe ferries will run on Sunday.\n", path="speech.txt",
                         id="speech"), make_text(STATEMENT, path="statement.txt", id="statement")]
    doc = make_text('The council said repairs "will cost 40,000 pounds and take six weeks" [1].\n\n## References\n\n'
                    "1. The council's speech to the harbour users, 2 March 2024.\n", path="a.md", id="document")
    (passage,) = compare_texts(doc, sources).passages
    assert passage.claim is not None and passage.claim.source != 0  # `speech` in the entry is not speech.txt


def test_a_folder_of_sources_leaves_their_descriptions_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "sources"
    folder.mkdir()
    (folder / "b.txt").write_text(BRIEFING, encoding="utf-8")
    (folder / "b.txt.source.toml").write_text('title = "Department of Harbours press briefing"\n', encoding="utf-8")
    doc = tmp_path / "a.md"
    doc.write_text('"The harbour will close at dusk on Friday" [1].\n\n[1] Department of Harbours press briefing\n',
                   encoding="utf-8")
    assert main(["compare", str(doc), "-s", str(folder), "-f", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [s["id"] for s in report["sources"]] == ["b"]
    assert report["passages"][0]["claim"]["cites"] == "b"


def test_a_link_names_a_source_known_by_url_only_on_the_same_site() -> None:
    entries: list[SourceEntry | None] = [SourceEntry(url="https://harbours.example.gov/news/briefing.txt"), None]
    quoted = 'said "the harbour will close at dusk on Friday, and the ferries will not run until Monday morning".\n'
    same = _compare(f"[Okafor](https://www.harbours.example.gov/archive/briefing.txt) {quoted}", entries)
    other = _compare(f"[Okafor](https://gazette.example.com/briefing.txt) {quoted}", entries)
    saved = _compare(f"[Okafor](https://gazette.example.com/briefing.txt) {quoted}")  # a copy known by its name
    assert [r.passages[0].claim.source for r in (same, saved) if r.passages[0].claim] == [0, 0]
    # another site's file of the same name is a source not given: said so, not compared with the others
    assert not other.passages and "gazette.example.com" in other.not_checked[0].reason


def test_a_reworded_quotation_made_of_words_from_two_paragraphs_is_unsourced(monkeypatch: pytest.MonkeyPatch) -> None:
    """A question of one speaker and the answer of another, reworded into one quotation, say nothing
    the source says: unsourced. The same words within one paragraph are a paraphrase to the lexical
    test (the meaning model, which sees `within a week` against `not before`, is switched off)."""
    from provenance import meaning

    from conftest import only, run

    monkeypatch.setattr(meaning, "default_encoder", lambda: None)

    source = ("Transcript of the rail briefing\n\nQ: When will the line between Corve and Ashby reopen?\n\n"
              "CHAIR ADEYEMI: Not before the Safety Board releases the site, and I will not guess at a date.\n")
    document = ('Adeyemi said the line between Corve and Ashby would "reopen within a week of the Safety Board '
                'releasing the site."\n')
    across = only(run(document, source, reuse=False))
    assert across.verdict.value == "unsourced" and "paragraph break" in across.findings[0].message
    within = only(run(document, source.replace("reopen?\n\n", "reopen? "), reuse=False))
    assert within.verdict.value == "paraphrase"


@pytest.mark.parametrize("url", ["http://[harbours/briefing.txt", "https://harbours\uff0eexample\u2100gov/briefing.txt"])
def test_a_malformed_link_or_source_address_is_no_crash(url: str) -> None:
    quoted = 'said "the harbour will close at dusk on Friday, and the ferries will not run until Monday morning".\n'
    report = _compare(f"[Okafor]({url}) {quoted}", [SourceEntry(url=url), None])
    assert report.passages[0].claim is not None and report.passages[0].claim.source == 0


@pytest.mark.parametrize("link", [
    "https://web.archive.org/web/20240101000000/https://harbours.example.gov/news/briefing.txt",
    "http://harbours.example.gov:80/news/briefing.txt",
])
def test_an_archived_copy_or_a_port_of_the_sources_site_names_it(link: str) -> None:
    entries: list[SourceEntry | None] = [SourceEntry(url="https://harbours.example.gov/news/briefing.txt"), None]
    quoted = 'said "the harbour will close at dusk on Friday, and the ferries will not run until Monday morning".\n'
    report = _compare(f"[Okafor]({link}) {quoted}", entries)
    assert not report.not_checked
    assert report.passages[0].claim is not None and report.passages[0].claim.source == 0
