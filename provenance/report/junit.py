"""JUnit XML, the format CI servers read: one test suite per document, one test case per passage,
failing when a finding of the passage breaks the policy. Characters that XML 1.0 does not allow
(C0 controls but tab and line ends, U+FFFE, U+FFFF, lone surrogates) are spelled `⟨U+XXXX⟩`, as are
invisible and bidi-control ones, in every attribute and text of the file, whatever string of a report
they come from; quoted text is cut at `MAX_QUOTE` characters, so that a long passage (a whole
transcription) does not fill a CI server's test view."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from provenance.check.policy import CheckOutcome, DocumentOutcome, PassageOutcome, Policy, Status
from provenance.report.marks import impacts, one_line, visible, where
from provenance.report.records import MetricsRecord
from provenance.taxonomy import is_whole_passage

MAX_QUOTE = 1_000
"""Characters of a passage or of a finding's text quoted in a failure; longer ones are cut, saying so."""


def _quote(text: str, limit: int = MAX_QUOTE) -> str:
    """Text for a failure's body, made visible and cut at `limit` characters (saying how many are left out)."""
    shown = visible(text)
    if len(shown) <= limit:
        return shown
    return f"{shown[:limit]}… ({len(shown) - limit:,} more characters)"


def _visible_tree(root: ET.Element) -> None:
    """Every attribute and text of the tree with the characters `visible` shows spelled out: whatever a
    report holds, the file is well-formed XML 1.0 and encodes as UTF-8 (idempotent on text already shown)."""
    for element in root.iter():
        for key, value in element.attrib.items():
            element.set(key, visible(value))
        if element.text:
            element.text = visible(element.text)


NAME_WORDS = 10
"""Words of the quoted source text (or of an unsourced passage) in a test case's name."""


def _case_name(p: PassageOutcome) -> str:
    """A test case's identity: what the passage quotes, not where it stands. The source and the first
    words of the source text it matches (of its own text when no source holds it), so that the name
    stays when text is added or moved around it (which shifts its line and its id `p7`) and when the
    quotation itself is corrected to read as its source does. `_case_names` tells equal names apart."""
    passage = p.passage
    match = passage.match
    if match is not None:
        quoted = match.text if isinstance(match.text, str) and match.text.strip() else passage.text
        head = f"{match.source}: "
    else:
        quoted, head = passage.text, "no source: "
    words = quoted.split()
    shown = " ".join(words[:NAME_WORDS]) + (" …" if len(words) > NAME_WORDS else "")
    return f"{head}“{one_line(shown, 200)}”"


def _case_names(passages: tuple[PassageOutcome, ...]) -> list[str]:
    """The test cases' names of a document's passages, unique: a name met again gets `(2)`, `(3)`, … in
    document order."""
    seen: dict[str, int] = {}
    names = []
    for p in passages:
        name = _case_name(p)
        seen[name] = seen.get(name, 0) + 1
        names.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return names


def _detail(p: PassageOutcome, statuses: tuple[Status, ...]) -> str:
    """The passage's findings of the given statuses, one per line, with the reason of an accepted one."""
    lines = []
    for fo in p.with_status(*statuses):
        f = fo.finding
        head = f"{where(f.doc_span)} {f.type.value} ({f.severity.value}"
        head += f", {impacts(f)})" if f.impact else ")"
        if is_whole_passage(f.type):
            lines.append(f"{head}: {_quote(f.message)}")
        else:
            src, doc = _quote(f.src_text), _quote(f.doc_text)
            lines.append(f"{head}: source “{src}” → document “{doc}”: {_quote(f.message)}")
        if fo.reason:
            lines.append(f"  accepted: {_quote(fo.reason)}")
    return "\n".join(lines)


def _test_case(suite: ET.Element, path: str, p: PassageOutcome, name: str) -> None:
    """The passage as a test case of the document's suite: failing when a finding breaks the policy,
    with the accepted findings as output when the baseline holds them. Where it stands (its line and
    id) is in the `line` attribute and the failure's text, never in the name."""
    case = ET.SubElement(suite, "testcase", classname=path, name=name, file=path,
                         line=str(p.passage.doc_span.line), time="0")
    if p.status == "fail":
        bad = p.with_status("fail")
        kinds = sorted({fo.finding.type.value for fo in bad})
        failure = ET.SubElement(case, "failure", type=",".join(kinds),
                                message=f"{p.passage.verdict.value}: {len(bad)} finding(s) break the policy "
                                        f"({', '.join(kinds)})")
        failure.text = (f"{p.passage.id} at line {p.passage.doc_span.line}\n" + _detail(p, ("fail",))
                        + "\n\nquoted: “" + _quote(p.passage.text) + "”")
    elif p.status == "baselined":
        out = ET.SubElement(case, "system-out")
        out.text = "known findings accepted in the baseline:\n" + _detail(p, ("baselined",))


def _rate_case(suite: ET.Element, path: str, d: DocumentOutcome, policy: Policy) -> bool:
    """The error rates of a whole transcription as one test case, when the policy limits them: failing
    when one is over its limit. Whether it was added."""
    metrics = d.report.metrics
    if not isinstance(metrics, MetricsRecord) or (policy.max_cer is None and policy.max_wer is None):
        return False
    case = ET.SubElement(suite, "testcase", classname=path, name=f"error rates against {metrics.reference}",
                         file=path, line="1", time="0")
    if d.breaches:
        failure = ET.SubElement(case, "failure", type=",".join(b.option for b in d.breaches),
                                message="; ".join(b.describe() for b in d.breaches))
        failure.text = "\n".join(b.describe() for b in d.breaches)
    return True


def render_junit(outcome: CheckOutcome) -> str:
    """The JUnit XML report of a check."""
    root = ET.Element("testsuites", name="provenance")
    total = failures = 0
    for d in outcome.documents:
        path = visible(d.report.document.path)
        suite = ET.SubElement(root, "testsuite", name=path, tests=str(len(d.passages)), errors="0", skipped="0",
                              time="0")
        for p, name in zip(d.passages, _case_names(d.passages), strict=True):
            _test_case(suite, path, p, name)
        rated = _rate_case(suite, path, d, outcome.policy)
        failed = sum(1 for p in d.passages if p.status == "fail") + (1 if d.breaches else 0)
        suite.set("tests", str(len(d.passages) + rated))
        suite.set("failures", str(failed))
        total += len(d.passages) + rated
        failures += failed
    root.set("tests", str(total))
    root.set("failures", str(failures))
    root.set("errors", "0")
    root.set("skipped", "0")
    root.set("time", "0")
    _visible_tree(root)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


__all__ = ["render_junit"]
