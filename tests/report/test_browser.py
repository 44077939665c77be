"""The HTML report in a real headless Chromium: counts, filters, and no script from a document.

Needs Debian's `chromium` and `chromium-driver` (`.ci/run` installs them). Where they are absent the
test skips, except under CI, where it fails. Run by hand (not under CI), it saves screenshots in
`reports/screenshots/` (not committed: the seed articles stay out of the project), or in the folder
`PROVENANCE_SCREENSHOTS` names; the seed comparison is shot when ../shared is beside the checkout.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from selenium.webdriver.common.by import By

from provenance.check.policy import load_baseline
from provenance.check.run import ci_environment
from provenance.report.visible import escape_json

from conftest import ROOT, SHARED, main_in, make_project

HOSTILE_DOC = ("# Bridge\n\nThe council wrote that \"the council will close <script>document.title='pwned'"
               "</script> the northern bridge before the <img src=x onerror=document.title=1> spring\" and "
               "that repairs \"will cost 40,000 pounds and take six weeks\".\n")


def _binaries() -> tuple[str, str] | None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    return (browser, driver) if browser and driver else None


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    found = _binaries()
    if found is None:
        if ci_environment():
            pytest.fail("chromium and chromedriver are missing: .ci/run installs them")
        pytest.skip("chromium and chromedriver are not installed")
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = found[0]
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1300,1600"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(found[1]), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def _check(project: Path) -> Path:
    code = main_in(project, "check", "--no-timestamp", "--format", "html", "--format", "json")
    assert code in (0, 1), "the check ran (its findings may fail it; nothing else may)"
    return project / "out"


def _screenshot(driver: Any, name: str) -> None:
    folder = os.environ.get("PROVENANCE_SCREENSHOTS") or ("" if ci_environment() else str(ROOT / "reports" /
                                                                                          "screenshots"))
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(Path(folder) / name))


def _shown(driver: Any) -> int:
    return int(driver.execute_script(
        "return Array.from(document.querySelectorAll('article.passage')).filter(a => !a.hidden).length"))


def test_the_page_counts_filters_and_runs_no_document_script(browser: Any, tmp_path: Path) -> None:
    project = make_project(tmp_path, docs={"hostile.md": HOSTILE_DOC,
                                           "faithful.md": "Repairs \"will cost 40,000 pounds and take six weeks\".\n"})
    out = _check(project)
    reports = [json.loads((out / "docs" / f"{n}.json").read_text(encoding="utf-8"))
               for n in ("faithful.md", "hostile.md")]
    browser.get((out / "provenance.html").as_uri())
    assert browser.title == "provenance report"  # no script from the document changed it
    assert browser.execute_script("return typeof window.pwned") == "undefined"
    passages = browser.find_elements(By.CSS_SELECTOR, "article.passage")
    assert len(passages) == sum(len(r["passages"]) for r in reports)
    rows = browser.find_elements(By.CSS_SELECTOR, "tr.finding")
    assert len(rows) == sum(len(p["findings"]) for r in reports for p in r["passages"])
    assert "passages shown" in browser.find_element(By.ID, "shown").text  # the page's own script runs

    failing = {p["id"] for p in reports[1]["passages"] if any(f["severity"] != "info" for f in p["findings"])}
    browser.find_element(By.ID, "only-failing").click()
    assert _shown(browser) == len(failing) > 0
    _screenshot(browser, "only-failing.png")
    browser.find_element(By.ID, "show-all").click()
    assert _shown(browser) == len(passages)
    # Untick every severity but "error": passages with an error stay, and those with no finding at all.
    for box in browser.find_elements(By.CSS_SELECTOR, "input[data-group=severity]"):
        if box.get_attribute("value") != "error":
            box.click()
    with_error = sum(1 for r in reports for p in r["passages"]
                     if any(f["severity"] == "error" for f in p["findings"]) or not p["findings"])
    assert _shown(browser) == with_error
    visible_rows = [r for r in browser.find_elements(By.CSS_SELECTOR, "tr.finding") if r.is_displayed()]
    assert visible_rows and all(r.get_attribute("data-severity") == "error" for r in visible_rows)
    # Untick the verdict "altered": only the other passages stay.
    browser.find_element(By.ID, "show-all").click()
    browser.find_element(By.CSS_SELECTOR, "input[data-group=verdict][value=altered]").click()
    others = sum(1 for r in reports for p in r["passages"] if p["verdict"] != "altered")
    assert _shown(browser) == others < len(passages)
    # A mark links to its finding's row.
    browser.find_element(By.ID, "show-all").click()
    mark = browser.find_element(By.CSS_SELECTOR, "article.passage ins.mark a")
    target = mark.get_attribute("href").split("#", 1)[1]
    assert browser.find_element(By.ID, target).tag_name == "tr"
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert not errors, errors  # a Content-Security-Policy violation would show here


def test_the_seed_comparison_page(browser: Any, tmp_path: Path) -> None:
    """The seed article against the letter: the page a reviewer reads, shot when screenshots are asked for."""
    seeds = SHARED / "seeds"
    if not seeds.is_dir():
        pytest.skip("../shared is not beside this checkout")
    # Under a long folder path, as on a CI runner: a path has to wrap on a phone, not widen the page.
    deep = tmp_path.joinpath("checkouts", "a-long-folder-name-of-a-ci-runner", "workspace", "shared", "seeds")
    deep.mkdir(parents=True)
    for name in ("article-occupation-letter.txt", "letter-2020-01-06.txt"):
        shutil.copy(seeds / name, deep / name)
    article, letter = deep / "article-occupation-letter.txt", deep / "letter-2020-01-06.txt"
    manifest = (f"allow_outside = {json.dumps([str(deep)])}\n"
                "[reports]\ndirectory = \"out\"\nformats = [\"html\", \"json\"]\n\n[[documents]]\n"
                f"path = {json.dumps(str(article))}\nsources = {json.dumps([str(letter)])}\n")
    (tmp_path / "provenance.toml").write_text(manifest, encoding="utf-8")
    out = _check(tmp_path)
    report = json.loads(next(out.rglob("*.json")).read_text(encoding="utf-8"))  # the article's only report
    failing = sum(1 for p in report["passages"] for f in p["findings"] if f["severity"] != "info")
    try:
        _viewport(browser, 1400, 900)
        browser.get((out / "provenance.html").as_uri())
        marks = browser.find_elements(By.CSS_SELECTOR, "article.passage .mark")
        assert marks, "the seed comparison marks differences"
        text = browser.find_element(By.ID, "d1").text
        assert "sec urity" in text and "security" in text
        # every failing finding, with its decision buttons, on the first screen
        items = browser.find_elements(By.CSS_SELECTOR, "#worst li")
        assert len(items) == failing > 0
        for item in items:
            assert browser.execute_script("return arguments[0].getBoundingClientRect().bottom", item) <= 900
            assert item.find_element(By.CSS_SELECTOR, "button.accept").is_displayed()
        _screenshot(browser, "seed-comparison.png")
        _viewport(browser, 390, 844)
        browser.get((out / "provenance.html").as_uri())
        assert browser.execute_script("return document.documentElement.scrollWidth") <= 390
        _screenshot(browser, "seed-comparison-390.png")
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def _viewport(driver: Any, width: int, height: int) -> None:
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": width, "height": height,
                                                                  "deviceScaleFactor": 1, "mobile": width < 600})


def test_the_example_check_leads_with_what_fails(browser: Any, tmp_path: Path) -> None:
    """The README's example without its baseline: the worst failing finding on the first screen, j/k move
    focus through the failing findings, no page scroll sideways at 390 px, the legend and CER/WER shown."""
    inputs = tmp_path / "inputs"
    shutil.copytree(ROOT / "inputs", inputs)
    manifest = (inputs / "provenance.toml").read_text(encoding="utf-8")
    manifest = manifest.replace('baseline = "provenance-baseline.json"', "").replace('"../reports"', '"out"')
    (inputs / "provenance.toml").write_text(manifest, encoding="utf-8")
    out = _check(inputs)
    try:
        _viewport(browser, 1400, 900)
        browser.get((out / "provenance.html").as_uri())
        first = browser.find_element(By.CSS_SELECTOR, "#worst a[data-ref]")
        assert "error" in first.text.lower()
        assert browser.execute_script("return arguments[0].getBoundingClientRect().bottom", first) <= 900
        _screenshot(browser, "example-1400.png")
        refs = [a.get_attribute("data-ref") for a in browser.find_elements(By.CSS_SELECTOR, "#worst a[data-ref]")]
        body = browser.find_element(By.TAG_NAME, "body")
        body.send_keys("j")
        assert browser.execute_script("return document.activeElement.id") == refs[0]
        browser.find_element(By.TAG_NAME, "body").send_keys("j")
        assert browser.execute_script("return document.activeElement.id") == refs[1]
        browser.find_element(By.TAG_NAME, "body").send_keys("k")
        assert browser.execute_script("return document.activeElement.id") == refs[0]
        # a and f decide the finding the keys are on: accepting asks for the reason, Enter ends it
        first_item = browser.find_element(By.CSS_SELECTOR, "#worst li")
        browser.switch_to.active_element.send_keys("f")
        assert first_item.find_element(By.CSS_SELECTOR, "button.fix").get_attribute("aria-pressed") == "true"
        browser.switch_to.active_element.send_keys("a")
        assert "why" in browser.switch_to.active_element.get_attribute("class").split()
        browser.switch_to.active_element.send_keys("a slip the article keeps\n")
        assert browser.execute_script("return document.activeElement.tagName") != "INPUT"
        assert first_item.find_element(By.CSS_SELECTOR, "button.accept").get_attribute("aria-pressed") == "true"
        reason = first_item.find_element(By.CSS_SELECTOR, "input.why").get_attribute("value")
        assert reason == "a slip the article keeps"
        browser.find_element(By.TAG_NAME, "body").send_keys("j")
        assert browser.execute_script("return document.activeElement.id") == refs[1]
        browser.find_element(By.ID, "review-forget").click()
        assert first_item.find_element(By.CSS_SELECTOR, "button.accept").get_attribute("aria-pressed") == "false"
        assert browser.find_element(By.ID, "legend").is_displayed()
        assert "CER" in browser.find_element(By.ID, "d2-metrics").text
        _viewport(browser, 390, 844)
        browser.get((out / "provenance.html").as_uri())
        assert browser.execute_script("return document.documentElement.scrollWidth") <= 390
        _screenshot(browser, "example-390.png")
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def _downloaded(folder: Path, timeout: float = 15.0) -> Path:
    """The one file a download left in `folder`, once the browser has finished writing it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = [p for p in folder.iterdir() if not p.name.endswith(".crdownload")]
        if done and not any(p.name.endswith(".crdownload") for p in folder.iterdir()):
            assert len(done) == 1, done
            return done[0]
        time.sleep(0.1)
    raise AssertionError(f"nothing was downloaded into {folder}")


def test_a_review_in_the_browser_writes_the_baseline_the_next_check_honours(
        browser: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The README's example with six of its accepted alterations taken out of the baseline: a reviewer finds
    the six failing findings on the first screen, accepts one with a reason and marks one must fix; the
    decisions outlive a reload; the downloaded baseline keeps every entry it had, adds the accepted one, and
    the next check no longer fails on it, while it still fails on the one to fix."""
    inputs = tmp_path / "inputs"
    shutil.copytree(ROOT / "inputs", inputs)
    manifest = inputs / "provenance.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace('"../reports"', '"out"'), encoding="utf-8")
    baseline = inputs / "provenance-baseline.json"
    entries = json.loads(baseline.read_text(encoding="utf-8"))
    kept = [e for e in entries["findings"]
            if e["document"] != "article.md" or e["type"] not in ("silent_omission", "substitution")]
    assert len(entries["findings"]) - len(kept) == 6
    baseline.write_text(json.dumps({**entries, "findings": kept}), encoding="utf-8")
    capsys.readouterr()
    assert main_in(inputs, "check", "--no-timestamp", "--format", "html") == 1
    before = [line for line in capsys.readouterr().out.splitlines() if line.startswith("article.md:")]
    assert len(before) == 6
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    browser.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    page = (inputs / "out" / "provenance.html").as_uri()
    try:
        _viewport(browser, 1400, 900)
        browser.get(page)
        browser.execute_script("window.localStorage.clear()")
        browser.get(page)
        items = browser.find_elements(By.CSS_SELECTOR, "#worst li")
        assert len(items) == len(before)  # every failing finding is listed at the top...
        bottom = browser.execute_script("return arguments[0].getBoundingClientRect().bottom", items[-1])
        assert bottom <= 900  # ...and on the first screen, with its decision buttons
        places = [item.find_element(By.CSS_SELECTOR, ".loc").text.split(" · ")[0] for item in items]
        assert sorted(places) == sorted(line.split(": ")[0] for line in before)
        accepted, to_fix = places[0], places[1]
        items[0].find_element(By.CSS_SELECTOR, "button.accept").click()
        reason = browser.switch_to.active_element  # accepting asks for the reason at once
        assert "why" in reason.get_attribute("class").split()
        reason.send_keys("kept as the article printed it, to show the finding")
        items[1].find_element(By.CSS_SELECTOR, "button.fix").click()
        status = browser.find_element(By.ID, "review-status")
        assert status.text == "6 failing: 1 accepted, 1 must fix, 4 undecided."
        _screenshot(browser, "review-1400.png")

        browser.get(page)  # the decisions are kept in the browser while reviewing
        items = browser.find_elements(By.CSS_SELECTOR, "#worst li")
        assert items[0].find_element(By.CSS_SELECTOR, "button.accept").get_attribute("aria-pressed") == "true"
        assert items[1].find_element(By.CSS_SELECTOR, "button.fix").get_attribute("aria-pressed") == "true"
        assert items[0].find_element(By.CSS_SELECTOR, "input.why").get_attribute("value").startswith("kept as")
        row = browser.find_element(By.ID, items[0].find_element(By.CSS_SELECTOR, "a").get_attribute("data-ref"))
        assert row.find_element(By.CSS_SELECTOR, "button.accept").get_attribute("aria-pressed") == "true"
        _viewport(browser, 390, 844)
        browser.get(page)
        assert browser.execute_script("return document.documentElement.scrollWidth") <= 390
        _screenshot(browser, "review-390.png")
        _viewport(browser, 1400, 900)
        browser.get(page)
        browser.find_element(By.ID, "review-export").click()
        exported = _downloaded(downloads)
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        browser.execute_script("window.localStorage.clear()")
    assert exported.name == "provenance-baseline.json"
    text = exported.read_text(encoding="utf-8")
    assert text == escape_json(json.dumps(json.loads(text), ensure_ascii=False, indent=2, sort_keys=True)) + "\n"
    written = load_baseline(exported).entries  # what check reads
    assert len(written) == len(kept) + 1
    new = [e for e in written if e.reason == "kept as the article printed it, to show the finding"]
    assert len(new) == 1 and new[0].document == "article.md"
    assert {(e["document"], e["fingerprint"], e["reason"]) for e in kept} <= {
        (e.document, e.fingerprint, e.reason) for e in written}

    shutil.copyfile(exported, baseline)
    assert main_in(inputs, "check", "--no-timestamp", "--no-reports") == 1
    after = [line for line in capsys.readouterr().out.splitlines() if line.startswith("article.md:")]
    assert len(after) == 5
    assert not any(line.startswith(accepted + ":") for line in after)
    assert any(line.startswith(to_fix + ":") for line in after)
