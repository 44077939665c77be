#!/usr/bin/env python3
"""Write the labelled paraphrase cases (`cases/<case>/`) from the table below.

Each document is an article quoting one or two sources. Every quotation is labelled by hand:

- `paraphrase`: it rewords one source sentence (or clause) and says the same thing; the label names
  that sentence (`src`), which the finding must name.
- `unsourced`: a near miss on the same topic that says something the source does not (a claim
  built from the source's words, a figure changed, a negation added or dropped, a reversal).
- `verbatim`: another passage of the same source, quoted word for word.

The labels were written before any tool was run on these texts. Run: python3 make_cases.py
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

HERE = Path(__file__).resolve().parent
P, U, V = "paraphrase", "unsourced", "verbatim"

FILLER = [
    "Historians still argue about how the words were received at the time.",
    "The passage is often quoted, and often quoted loosely.",
    "Readers who go back to the original text may be surprised.",
    "The context of the moment matters as much as the words.",
    "Few lines of the period are better known.",
]

# (case, title, sources, speaker (or one per quotation), [(label, quotation, source sentence for a paraphrase)])
DOCUMENTS: list[tuple[str, str, list[str], str | list[str], list[tuple[str, str, str]]]] = [
    ("01-farewell", "Eisenhower's warning, sixty years on", ["eisenhower-1961-01-17-farewell.txt"], "Eisenhower", [
        (P, "within government we have to protect ourselves against the military-industrial complex gaining undue "
            "influence, whether it seeks that influence or not",
         "In the councils of government, we must guard against the acquisition of unwarranted influence, whether "
         "sought or unsought, by the military-industrial complex."),
        (U, "the military-industrial complex has already acquired unwarranted influence in the councils of "
            "government", ""),
        (P, "only citizens who are watchful and well informed can force the vast machinery of defense and industry "
            "to fit our peaceful aims, so that safety and freedom can flourish side by side",
         "Only an alert and knowledgeable citizenry can compel the proper meshing of the huge industrial and "
         "military machinery of defense with our peaceful methods and goals, so that security and liberty may "
         "prosper together."),
        (V, "We must never let the weight of this combination endanger our liberties or democratic processes.", ""),
        (P, "before the most recent world war, America had no arms industry at all",
         "Until the latest of our world conflicts, the United States had no armaments industry."),
        (U, "every year we spend on military security more than twice the net income of all American "
            "corporations", ""),
        (P, "every year we spend more on military security than all American corporations earn in net income",
         "We annually spend on military security more than the net income of all United State corporations."),
        (U, "the solitary inventor in his shop will always remain the fountainhead of scientific discovery", ""),
    ]),
    ("02-chance-for-peace", "The cost of a bomber", ["eisenhower-1953-04-16-chance-for-peace.txt"], "Eisenhower", [
        (P, "each gun that is built, each warship put to sea and each rocket launched is in the end stolen from the "
            "hungry who go unfed and from the cold who go unclothed",
         "Every gun that is made, every warship launched, every rocket fired signifies, in the final sense, a theft "
         "from those who hunger and are not fed, those who are cold and are not clothed."),
        (U, "a single heavy bomber costs as much as a brick school in each of 300 cities", ""),
        (P, "a world under arms is spending more than just money",
         "This world in arms is not spending money alone."),
        (V, "We pay for a single fighter with a half million bushels of wheat.", ""),
        (P, "the price of a single modern heavy bomber equals a new brick school in over 30 cities",
         "The cost of one modern heavy bomber is this: a modern brick school in more than 30 cities."),
        (U, "the world in arms spends the sweat of its laborers so that its children may have hope", ""),
        (P, "beneath the shadow of looming war, mankind is left hanging from an iron cross",
         "Under the cloud of threatening war, it is humanity hanging from a cross of iron."),
        (U, "a life of perpetual fear and tension is the worst that can be expected", ""),
    ]),
    ("03-fear-and-fire", "Two famous sentences about fear", ["fdr-1933-03-04-first-inaugural.txt",
                                                               "schenck-1919-opinion-excerpt.txt"],
     ["Roosevelt"] * 4 + ["Justice Holmes"] * 5, [
        (P, "the one thing we need to be afraid of is fear itself",
         "the only thing we have to fear is fear itself"),
        (P, "this great country will last as it always has lasted, will recover and will thrive",
         "This great Nation will endure as it has endured, will revive and will prosper."),
        (V, "This is preeminently the time to speak the truth, the whole truth, frankly and boldly.", ""),
        (U, "fear itself is the nameless terror that has paralyzed our Nation in every dark hour", ""),
        (P, "even the strictest protection of free speech would not shield someone who falsely cries fire in a "
            "theatre and starts a panic",
         "The most stringent protection of free speech would not protect a man in falsely shouting fire in a "
         "theatre and causing a panic."),
        (U, "the strictest protection of free speech would protect a man who falsely shouts fire in a theatre", ""),
        (P, "the nature of any act turns on the circumstances in which it is carried out",
         "But the character of every act depends upon the circumstances in which it is done."),
        (U, "in time of war no Court has ever regarded free speech as a constitutional right", ""),
        (P, "it is a matter of closeness and of degree", "It is a question of proximity and degree."),
    ]),
    ("04-founding-words", "What the founders and Lincoln said", ["declaration-of-independence.txt",
                                                                  "gettysburg-address.txt"],
     ["Lincoln"] * 4 + ["the Declaration"] * 4, [
        (P, "eighty-seven years earlier our forefathers founded a new country on this continent, born in freedom "
            "and devoted to the idea that all people are made equal",
         "Four score and seven years ago our fathers brought forth on this continent, a new nation, conceived in "
         "Liberty, and dedicated to the proposition that all men are created equal."),
        (V, "We are met on a great battle-field of that war.", ""),
        (P, "the world will hardly notice or long recall our words here, but it will never forget their deeds here",
         "The world will little note, nor long remember what we say here, but it can never forget what they did "
         "here."),
        (U, "the world will take careful note of our words here and remember them for ever", ""),
        (P, "wisdom tells us that governments of long standing ought not to be replaced for trivial and passing "
            "reasons",
         "Prudence, indeed, will dictate that Governments long established should not be changed for light and "
         "transient causes"),
        (U, "governments long established should be changed whenever the people find them inconvenient", ""),
        (P, "proper regard for the views of humanity demands that they explain the reasons driving them to separate",
         "a decent respect to the opinions of mankind requires that they should declare the causes which impel "
         "them to the separation."),
        (U, "all men are created equal only when they consent to be governed", ""),
    ]),
    ("05-war-and-liberty", "Two presidents, two turning points", ["day-of-infamy.txt", "inaugural-1961.txt"],
     ["Roosevelt"] * 5 + ["Kennedy"] * 2, [
        (P, "yesterday's assault on Hawaii badly damaged America's navy and armed forces",
         "The attack yesterday on the Hawaiian Islands has caused severe damage to American naval and military "
         "forces."),
        (U, "the attack on the Hawaiian Islands caused only slight damage to American naval forces", ""),
        (P, "in the meantime Japan's government has set out to mislead America with lies and with professions of "
            "hoping that peace would last",
         "During the intervening time the Japanese Government has deliberately sought to deceive the United States "
         "by false statements and expressions of hope for continued peace."),
        (U, "the Empire of Japan gave ample warning before its forces struck the United States", ""),
        (U, "the Japanese Ambassador delivered a formal declaration of war one hour before the bombing began", ""),
        (V, "The world is very different now.", ""),
        (P, "every country should understand, whether it wishes us good or harm, that we will pay whatever it "
            "costs, carry any load, face any hardship, back any friend and resist any enemy to ensure that liberty "
            "survives and succeeds",
         "Let every nation know, whether it wishes us well or ill, that we shall pay any price, bear any burden, "
         "meet any hardship, support any friend, oppose any foe, in order to assure the survival and the success "
         "of liberty."),
    ]),
    ("06-marlow-floods", "After the floods: what the council found", ["marlow-flood-report.txt"], "the report", [
        (P, "the river went up two metres in eleven hours, faster than it has risen at the Marlow gauge since 1947",
         "The river rose by two metres in eleven hours, the fastest rise recorded at the Marlow gauge since 1947."),
        (U, "more than two thousand homes were flooded, most of them between the railway and the river", ""),
        (P, "over three years the council is going to put £3.2 million into making the Eastwick embankment higher",
         "The council will spend £3.2 million over three years on raising the embankment at Eastwick."),
        (U, "a bigger embankment on its own will be enough to keep the town safe", ""),
        (P, "the Mill Lane pumps stopped working when their electricity was cut off, and power did not come back "
            "for two days",
         "The pumping station at Mill Lane failed after its power supply was cut, and it was not restored for two "
         "days."),
        (V, "Residents who were flooded can claim a grant of up to £5,000 towards repairs from the recovery fund.",
         ""),
        (P, "we do not think a bigger embankment will by itself keep the town safe; water must also be held back "
            "further upstream",
         "We do not believe that a larger embankment alone will protect the town; upstream storage is also "
         "needed."),
        (U, "every household received a warning by text message before the water arrived", ""),
    ]),
    ("07-northfield-library", "Shorter hours at the central library", ["northfield-library-statement.txt"],
     "Hannah Coyle", [
        (P, "the central library will start opening at ten rather than nine from 1 April, and will shut at six "
            "rather than eight",
         "From the first of April, the central library will open at ten in the morning instead of nine, and close "
         "at six instead of eight."),
        (U, "two branch libraries will close this year to save money", ""),
        (P, "the savings, about £180,000 each year, are roughly what it costs to keep both branch libraries running",
         "The change saves about £180,000 a year, which is roughly the cost of keeping the two branch libraries "
         "open."),
        (U, "the new hours will save close to £1.8 million every year", ""),
        (V, "No branch library will close this year.", ""),
        (P, "Saturday mornings will become the time for the children's reading groups, so that parents who work can "
            "come along",
         "Children's reading groups will move to Saturday mornings so that working parents can attend."),
        (U, "students will no longer be able to use the study rooms in the evenings", ""),
        (P, "no jobs will be lost; the hours we save will go into the mobile library and into bringing books to "
            "people's homes",
         "Staff numbers will not change; the hours saved will be spent on the mobile library and on home "
         "deliveries of books."),
    ]),
]


def _line(speaker: str, quote: str, i: int) -> str:
    """One paragraph quoting `quote`, presented as the speaker's words."""
    who = speaker
    forms = ["As {who} put it, “{q}”", "In the words of {who}: “{q}”", "“{q},” said {who}.",
             "{Who} wrote that “{q}”."]
    return forms[i % len(forms)].format(who=who, Who=who[:1].upper() + who[1:], q=quote.rstrip("."))


def write_case(case: str, title: str, sources: list[str], speaker: str | list[str],
               items: list[tuple[str, str, str]]) -> None:
    """Write the folder of one case: document, copied sources, case.json."""
    out = HERE / "cases" / case
    out.mkdir(parents=True, exist_ok=True)
    paragraphs = [title, FILLER[0]]
    expect: list[dict[str, str]] = []
    verdicts: list[dict[str, str]] = []
    for i, (label, quote, src) in enumerate(items):
        who = speaker[i] if isinstance(speaker, list) else speaker
        paragraphs.append(_line(who, quote, i) if label != V else f"As {who} put it, “{quote}”")
        paragraphs.append(FILLER[(i + 1) % len(FILLER)])
        if label == P:
            expect.append({"type": P, "doc": quote.rstrip("."), "src": src})
        elif label == U:
            expect.append({"type": U, "doc": quote.rstrip(".")})
        verdicts.append({"contains": quote.rstrip("."), "verdict": label})  # whole: two quotations may start alike
    (out / "document.md").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    for s in sources:
        shutil.copyfile(HERE / "sources" / s, out / s)
    spec = {"document": "document.md", "sources": sources, "whole": False, "expect": expect,
            "verdicts": verdicts, "clean": [], "exhaustive": True}
    (out / "case.json").write_text(json.dumps(spec, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def main() -> None:
    for doc in DOCUMENTS:
        write_case(*doc)
    labels = [lab for *_, items in DOCUMENTS for lab, _, _ in items]
    print({lab: labels.count(lab) for lab in (P, U, V)})


if __name__ == "__main__":
    main()
