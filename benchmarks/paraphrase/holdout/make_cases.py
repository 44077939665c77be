#!/usr/bin/env python3
"""Write the held-out paraphrase cases (`cases/<case>/`) from the table below.

A second labelled set, made like `../make_cases.py` but from sources that set does not use (see the
README), so its figures measure the paraphrase-by-meaning thresholds on text they were not tuned on.

- `paraphrase`: the quotation says in other words what one source sentence (or clause) says; the
  label names that sentence or clause (`src`), which the finding must name.
- `unsourced`: a near miss on the same topic, with the source's words, that says something the source
  does not (a figure changed, a negation added or dropped, roles reversed, words of several sentences
  stitched into a new claim).
- `verbatim`: another passage of the same source, quoted word for word.

Every label was written by hand before any tool was run on these texts. Run: python3 make_cases.py
The script checks the table against the sources (each `src` and each verbatim quotation occurs in
them, no near miss does) and refuses to write the cases if a check fails.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
P, U, V = "paraphrase", "unsourced", "verbatim"

FILLER = [
    "The wording is quoted more often than it is read.",
    "Local and national papers printed the text in full.",
    "Some of the phrasing has been repeated ever since.",
    "Not every reader at the time agreed with it.",
    "The full text is short enough to read in a few minutes.",
]

Item = tuple[str, str, str]  # (label, quotation, source sentence or clause for a paraphrase)

# (case, title, sources, speaker, items)
DOCUMENTS: list[tuple[str, str, list[str], str, list[Item]]] = [
    ("01-second-inaugural", "Lincoln at his second inauguration", ["lincoln-1865-03-04-second-inaugural.txt"],
     "Lincoln", [
         (P, "both sides condemned war, yet one would wage it sooner than allow the nation to live, while the other "
             "would take war sooner than see it die, and so the war came",
          "Both parties deprecated war, but one of them would make war rather than let the nation survive, and the "
          "other would accept war rather than let it perish, and the war came."),
         (U, "both parties welcomed war rather than let the nation perish", ""),
         (P, "neither side foresaw that the war would grow so large or go on as long as it already has",
          "Neither party expected for the war the magnitude or the duration which it has already attained."),
         (U, "each side expected from the start a long war with a fundamental and astounding result", ""),
         (P, "the two sides read one Bible and pray to one God, and each calls on Him for help against the other",
          "Both read the same Bible and pray to the same God, and each invokes His aid against the other."),
         (V, "The Almighty has His own purposes.", ""),
         (U, "the prayers of both sides have been answered fully", ""),
         (P, "we hope dearly and pray earnestly that this terrible plague of war will soon be gone",
          "Fondly do we hope, fervently do we pray, that this mighty scourge of war may speedily pass away."),
         (U, "one-eighth of the Union army were colored slaves", ""),
     ]),
    ("02-first-inaugural", "Lincoln's first inaugural, line by line", ["lincoln-1861-03-04-first-inaugural.txt"],
     "Lincoln", [
         (P, "I do not intend, whether directly or indirectly, to meddle with slavery in the states where it already "
             "exists",
          "I have no purpose, directly or indirectly, to interfere with the institution of slavery in the States "
          "where it exists."),
         (U, "the Union is much younger than the Constitution", ""),
         (P, "one may safely say that no real government has ever written into its founding law a clause for "
             "bringing itself to an end",
          "It is safe to assert that no government proper ever had a provision in its organic law for its own "
          "termination."),
         (U, "it is eighty-two years since the first inauguration of a President under our National Constitution",
          ""),
         (P, "clearly, at its heart, the notion of secession is anarchy itself",
          "Plainly the central idea of secession is the essence of anarchy."),
         (V, "Physically speaking, we can not separate.", ""),
         (P, "taking our time cannot cost us anything of value", "Nothing valuable can be lost by taking time."),
         (U, "the Government will assail you if you refuse to acquiesce", ""),
         (P, "the government is not going to attack you", "The Government will not assail you."),
         (U, "the policy of the Government upon vital questions should be irrevocably fixed by decisions of the "
             "Supreme Court", ""),
     ]),
    ("03-jefferson", "Jefferson's second term begins", ["jefferson-1805-03-04-second-inaugural.txt"],
     "Jefferson", [
         (P, "at home, my fellow citizens, it is you who know best whether we have governed well or badly",
          "At home, fellow citizens, you best know whether we have done well or ill."),
         (P, "by doing away with needless offices, pointless establishments and spending, we were able to end our "
             "internal taxes",
          "The suppression of unnecessary offices, of useless establishments and expenses, enabled us to "
          "discontinue our internal taxes."),
         (U, "every farmer, mechanic and laborer regularly sees a taxgatherer of the United States", ""),
         (P, "the bigger our union grows, the less local passions will shake it",
          "The larger our association the less will it be shaken by local passions"),
         (U, "the acquisition of Louisiana had been approved by all from a candid belief that it would strengthen "
             "the union", ""),
         (V, "War will then be but a suspension of useful works, and a return to a state of peace, a return to the "
             "progress of improvement.", ""),
         (P, "on religion, I have held that the Constitution puts its free practice beyond the reach of the federal "
             "government's powers",
          "In matters of religion I have considered that its free exercise is placed by the Constitution "
          "independent of the powers of the General Government."),
         (U, "the press, confined to truth, still needs strict legal restraint", ""),
     ]),
    ("04-fourth-inaugural", "Roosevelt's last inaugural", ["fdr-1945-01-20-fourth-inaugural.txt"], "Roosevelt", [
        (P, "we will not reach it at once, yet we shall keep on striving",
         "We shall not achieve it immediately -- but we still shall strive."),
        (U, "we shall achieve perfection immediately", ""),
        (P, "we now know that we cannot live on our own in peace, and that our welfare depends on the welfare of "
            "distant nations",
         "We have learned that we cannot live alone, at peace; that our own well-being is dependent on the "
         "well-being of other nations far away."),
        (U, "our own well-being does not depend on the well-being of other nations far away", ""),
        (P, "the Constitution of 1787 was not a flawless document, and it is still not flawless",
         "Our Constitution of 1787 was not a perfect instrument; it is not perfect yet."),
        (V, "We can and we will achieve such a peace.", ""),
        (P, "a durable peace is beyond our reach if we come to it with suspicion, distrust or fear",
         "We can gain no lasting peace if we approach it with suspicion and mistrust or with fear."),
        (U, "Dr. Peabody taught that the trend of civilization itself is forever downward", ""),
        (P, "we have learned to be world citizens, part of the community of mankind",
         "We have learned to be citizens of the world, members of the human community."),
        (U, "our Constitution of 1787 was a perfect instrument from the start", ""),
    ]),
    ("05-brown", "What the Court said in Brown", ["brown-1954-opinion-excerpt.txt"], "the Court", [
        (P, "in taking up this question, we are unable to set the clock back to 1868, when the Amendment was passed, "
            "or even to 1896, when Plessy v. Ferguson was decided",
         "In approaching this problem, we cannot turn the clock back to 1868 when the Amendment was adopted, or "
         "even to 1896 when Plessy v. Ferguson was written."),
        (U, "we can turn the clock back to 1868 when the Amendment was adopted", ""),
        (P, "at present, schooling may well be the most vital task of state and local government",
         "Today, education is perhaps the most important function of state and local governments."),
        (U, "education is perhaps the least important function of state and local governments", ""),
        (P, "nowadays one can hardly expect a child to do well in life if he is refused the chance of being educated",
         "In these days, it is doubtful that any child may reasonably be expected to succeed in life if he is "
         "denied the opportunity of an education."),
        (V, "Only in this way can it be determined if segregation in public schools deprives these plaintiffs of the "
            "equal protection of the laws.", ""),
        (P, "schools that keep the races apart are by their nature unequal",
         "Separate educational facilities are inherently unequal."),
        (U, "the doctrine of separate but equal still has a place where the physical facilities are equal", ""),
        (P, "education is what good citizenship is built upon", "It is the very foundation of good citizenship."),
        (U, "in 1896 the Fourteenth Amendment was adopted", ""),
    ]),
    ("06-ashcombe-water", "Ashcombe's week without water", ["harlow-water-ashcombe-report.txt"], "Harlow Water", [
        (P, "overnight on 14 September a large main under the A41 at Ashcombe split open, cutting off the water to "
            "around 6,400 households",
         "On the night of 14 September a trunk main burst beneath the A41 at Ashcombe, and about 6,400 homes lost "
         "their water supply."),
        (U, "about 64,000 homes lost their water supply", ""),
        (P, "mending it took more time than expected, as the pipe ran beneath a gas main",
         "the repair took longer than planned because the pipe lay under a gas main"),
        (U, "the pipe laid in 1962 had never failed before", ""),
        (P, "not all the vulnerable customers on our priority list were contacted during the first day, and we are "
            "sorry for it",
         "We did not reach every vulnerable customer on our priority register in the first day, and we apologise "
         "for that."),
        (V, "Bottled water was handed out at two stations, at the leisure centre and at Ashcombe church.", ""),
        (P, "the company, not its customers' bills, will pay for this",
         "The cost will be met by the company and will not be added to customers' bills."),
        (U, "the cost of the new pipe will be added to customers' bills", ""),
        (P, "each household affected will be paid £75, above the £30 the regulator insists on",
         "Every affected household will receive £75 in compensation, which is more than the £30 that the regulator "
         "requires."),
        (U, "the regulator will pay every affected household £75 in compensation", ""),
        (U, "every vulnerable customer received a text message and a telephone call within four hours of the burst",
         ""),
    ]),
    ("07-fenwick-budget", "Fenwick's school budget", ["fenwick-schools-budget-statement.txt"], "Miriam Osei", [
        (P, "for the fourth straight year fewer children have enrolled, leaving us roughly 1,100 pupils short of 2021",
         "Enrolment has fallen for the fourth year in a row, and we now have about 1,100 fewer pupils than in 2021."),
        (U, "the board has approved a budget of $212 million for next year, a cut of 2.5 percent", ""),
        (P, "since the money from the state goes with the pupils, the grant we receive will fall by $3.8 million",
         "Because state funding follows pupils, our grant will shrink by $3.8 million."),
        (U, "enrolment has risen for the fourth year in a row", ""),
        (P, "Hillcrest and Oakmont elementary will become a single school, housed at Oakmont",
         "we will merge Hillcrest and Oakmont elementary schools into one school on the Oakmont site"),
        (U, "Hillcrest and Oakmont elementary schools will merge into one school on the Hillcrest site", ""),
        (P, "nobody on the teaching staff will be made redundant because of the merger; they will be moved to other "
            "county schools",
         "No teacher will lose a job as a result of the merger; staff will move to other schools in the county."),
        (V, "Class sizes in the early grades will stay below twenty-two.", ""),
        (P, "the old Hillcrest building will not be put up for sale but used for classes for adults",
         "The Hillcrest building will be kept for adult education classes and will not be sold."),
        (U, "free breakfast in every elementary school will be paid for out of local taxes", ""),
        (U, "music and art will be cut to balance the budget", ""),
    ]),
]


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def check(sources: list[str], items: list[Item]) -> list[str]:
    """Problems of one document's table: a `src` or verbatim quotation absent from the sources, a near miss
    present in them word for word, a quotation holding a straight double quotation mark."""
    text = _fold(" ".join((HERE / "sources" / s).read_text(encoding="utf-8") for s in sources))
    problems = []
    for label, quote, src in items:
        if label == P and _fold(src) not in text:
            problems.append(f"src not in the sources: {src[:60]!r}")
        if label == V and _fold(quote) not in text:
            problems.append(f"verbatim quotation not in the sources: {quote[:60]!r}")
        if label == U and _fold(quote).lower() in text.lower():
            problems.append(f"near miss found word for word in the sources: {quote[:60]!r}")
        if '"' in quote:
            problems.append(f"straight quotation mark in a quotation: {quote[:60]!r}")
    return problems


def _line(speaker: str, quote: str, i: int) -> str:
    """One paragraph quoting `quote`, presented as the speaker's words."""
    forms = ["As {who} put it, “{q}”", "In the words of {who}: “{q}”", "“{q},” said {who}.",
             "{Who} wrote that “{q}”."]
    return forms[i % len(forms)].format(who=speaker, Who=speaker[:1].upper() + speaker[1:], q=quote.rstrip("."))


def write_case(case: str, title: str, sources: list[str], speaker: str, items: list[Item]) -> None:
    """Write the folder of one case: document, copied sources, case.json."""
    out = HERE / "cases" / case
    out.mkdir(parents=True, exist_ok=True)
    paragraphs = [title, FILLER[0]]
    expect: list[dict[str, str]] = []
    verdicts: list[dict[str, str]] = []
    for i, (label, quote, src) in enumerate(items):
        paragraphs.append(_line(speaker, quote, i) if label != V else f"As {speaker} put it, “{quote}”")
        paragraphs.append(FILLER[(i + 1) % len(FILLER)])
        if label == P:
            expect.append({"type": P, "doc": quote.rstrip("."), "src": src})
        elif label == U:
            expect.append({"type": U, "doc": quote.rstrip(".")})
        verdicts.append({"contains": quote.rstrip("."), "verdict": label})
    (out / "document.md").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    for s in sources:
        shutil.copyfile(HERE / "sources" / s, out / s)
    spec = {"document": "document.md", "sources": sources, "whole": False, "expect": expect,
            "verdicts": verdicts, "clean": [], "exhaustive": True}
    (out / "case.json").write_text(json.dumps(spec, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def main() -> int:
    problems = [f"{case}: {p}" for case, _, sources, _, items in DOCUMENTS for p in check(sources, items)]
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    for doc in DOCUMENTS:
        write_case(*doc)
    labels = [lab for *_, items in DOCUMENTS for lab, _, _ in items]
    print({lab: labels.count(lab) for lab in (P, U, V)})
    return 0


if __name__ == "__main__":
    sys.exit(main())
