"""The batch scan: identity with `compare`, resuming, atomic outputs, engines, errors."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from test_index import prose

from provenance.cli import main
from provenance.comparator.pipeline import compare_texts
from provenance.corpus import scan as scan_module
from provenance.corpus.index import Index
from provenance.corpus.scan import STATE_DIR, DocOutcome, IndexFinder, ScanOptions, report_name, report_names, scan
from provenance.load import load_text
from provenance.report.json_report import render_json

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ["inputs/letter-2020-01-06.txt", "inputs/wire-report.txt"]


@pytest.fixture
def setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, list[str]]:
    """An index of the two sources of inputs/ and three fillers; four documents. Runs in the checkout."""
    monkeypatch.chdir(ROOT)
    fillers = []
    for k in range(3):
        p = tmp_path / "src" / f"filler-{k}.txt"
        p.parent.mkdir(exist_ok=True)
        p.write_text(prose(k, 400), encoding="utf-8")
        fillers.append(str(p))
    db = tmp_path / "idx.db"
    with Index.create(db) as idx:
        idx.add([*SOURCES, *fillers])
    docs = tmp_path / "docs"
    docs.mkdir()
    filler1 = (tmp_path / "src" / "filler-1.txt").read_text(encoding="utf-8").split()
    quoted = " ".join(filler1[40:70])
    pasted = " ".join(filler1[200:260])
    (docs / "quotes-filler.md").write_text(
        f"The engineer said: \u201c{quoted}\u201d and left.\n\n{pasted}\n", encoding="utf-8")
    (docs / "nothing.md").write_text("The zebra said \u201cquantum marmalade is delicious\u201d today.\n",
                                     encoding="utf-8")
    (docs / "article.md").write_bytes((ROOT / "inputs" / "article.md").read_bytes())
    return db, ["inputs/article.md", *sorted(str(p) for p in docs.iterdir())]


def expected(outcome: DocOutcome, db: Path) -> str:
    """What `compare` gives for the document and the sources the scan chose, with the paraphrase
    search over the whole index."""
    doc = load_text(outcome.document, id="document", role="document")
    with Index.open(db) as index:
        rowid = {r.path: r.rowid for r in index.sources()}
        finder = IndexFinder(index.sentences(), [rowid[p] for p in outcome.sources])
        return render_json(compare_texts(doc, [load_text(p, role="source") for p in outcome.sources],
                                         paraphrases=finder))


def test_scan_is_identical_to_compare(setup: tuple[Path, list[str]], tmp_path: Path) -> None:
    db, docs = setup
    out = tmp_path / "out"
    result = scan(docs, db, out, jobs=1)
    assert [o.status for o in result.outcomes] == ["compared"] * 4
    assert [o.report for o in result.outcomes] == [report_name(d) for d in docs]
    assert result.outcomes[0].report == "inputs/article.md.json"
    by_doc = {Path(o.document).name: o for o in result.outcomes}
    assert result.outcomes[0].sources == tuple(SOURCES)
    assert by_doc["quotes-filler.md"].sources == (str(tmp_path / "src" / "filler-1.txt"),)
    assert by_doc["nothing.md"].sources == ()
    for o in result.outcomes:
        assert (out / o.report).read_text(encoding="utf-8") == expected(o, db), o.document
    # The committed example report is the scan's report of the example article.
    assert (out / result.outcomes[0].report).read_bytes() == (ROOT / "reports" / "article.md.json").read_bytes()
    # Against all five indexed sources, compare finds the same passages, matches and findings.
    everything = [*SOURCES, *(str(tmp_path / "src" / f"filler-{k}.txt") for k in range(3))]
    for o in result.outcomes:
        doc = load_text(o.document, id="document", role="document")
        full = json.loads(render_json(compare_texts(doc, [load_text(p) for p in everything])))
        assert json.loads((out / o.report).read_text(encoding="utf-8"))["passages"] == full["passages"]
    nothing = json.loads((out / by_doc["nothing.md"].report).read_text(encoding="utf-8"))
    assert nothing["sources"] == [] and [p["verdict"] for p in nothing["passages"]] == ["unsourced"]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["schema"] == "provenance.scan/1" and summary["totals"] == {"compared": 4}
    assert [d["sources"] for d in summary["documents"]] == [list(o.sources) for o in result.outcomes]


def test_cli_scan_report_equals_cli_compare(setup: tuple[Path, list[str]], tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    db, docs = setup
    out = tmp_path / "out"
    code = main(["scan", docs[0], "--index", str(db), "--output", str(out), "--no-timestamp", "--jobs", "1"])
    stdout, stderr = capsys.readouterr()
    assert code == 0 and stderr == ""  # no progress bar when stderr is not a terminal
    assert stdout.startswith("1 compared, 0 up to date, 0 failed")
    single = tmp_path / "single.json"
    argv = ["compare", docs[0], *(a for s in SOURCES for a in ("--source", s)), "--format", "json",
            "--no-timestamp", "--output", str(single)]
    assert main(argv) == 0
    assert (out / "inputs" / "article.md.json").read_bytes() == single.read_bytes()
    os.environ["SOURCE_DATE_EPOCH"] = "1700000000"
    try:
        assert main(["scan", docs[0], "--index", str(db), "--output", str(tmp_path / "ts")]) == 0
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]
    stamped = json.loads((tmp_path / "ts" / "inputs" / "article.md.json").read_text(encoding="utf-8"))
    assert stamped.pop("generated_at") == "2023-11-14T22:13:20Z"
    assert stamped == json.loads(single.read_text(encoding="utf-8"))


def test_report_names_are_unique() -> None:
    assert report_names(["a/x.md", "b/x.md", "summary", "c/x.txt"]) == ["a/x.md.json", "b/x.md.json",
                                                                       "%here/summary.json", "c/x.txt.json"]
    assert report_names(["/srv/a.md", "srv/a.md", ".provenance-scan/k", "../a-2"]) == [
        "%root/srv/a.md.json", "srv/a.md.json", "%here/.provenance-scan/k.json", "%2E%2E/a-2.json"]


def test_process_pool_gives_the_same_reports(setup: tuple[Path, list[str]], tmp_path: Path) -> None:
    db, docs = setup
    scan(docs, db, tmp_path / "one", jobs=1)
    scan(docs, db, tmp_path / "two", jobs=2)
    names = sorted(p.name for p in (tmp_path / "one").iterdir() if p.suffix == ".json")
    assert names == sorted(p.name for p in (tmp_path / "two").iterdir() if p.suffix == ".json")
    for name in names:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


def test_resume_after_an_interruption(setup: tuple[Path, list[str]], tmp_path: Path) -> None:
    db, docs = setup
    out = tmp_path / "out"
    done: list[str] = []

    def stop_after_two(o: DocOutcome) -> None:
        done.append(o.document)
        if len(done) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        scan(docs, db, out, jobs=1, on_done=stop_after_two)
    r = [report_name(d) for d in docs]
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.json") if STATE_DIR not in p.parts)
    assert written == sorted(r[:2])  # complete reports only, no summary yet
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]
    mtimes = {n: (out / n).stat().st_mtime_ns for n in written}
    # Killed between a report and its key: that report is made again.
    (out / STATE_DIR / f"{r[1]}.key").unlink()
    statuses: list[tuple[str, str]] = []
    result = scan(docs, db, out, jobs=1, on_done=lambda o: statuses.append((o.report, o.status)))
    assert dict(statuses) == {r[0]: "skipped", r[1]: "compared",
                              r[2]: "compared", r[3]: "compared"}
    assert (out / r[0]).stat().st_mtime_ns == mtimes[r[0]]
    for o in result.outcomes:
        assert (out / o.report).read_text(encoding="utf-8") == expected(o, db)
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["totals"] == {"compared": 3, "skipped": 1}
    # A third run does nothing; a changed document, or a damaged report, is compared again.
    assert {o.status for o in scan(docs, db, out, jobs=1).outcomes} == {"skipped"}
    Path(docs[2]).write_text("Someone said \u201cquantum marmalade is not delicious\u201d.\n", encoding="utf-8")
    (out / r[0]).write_text('{"schema": "provenance.rep', encoding="utf-8")
    again = {o.report: o.status for o in scan(docs, db, out, jobs=1).outcomes}
    assert again[r[0]] == "compared" and again[r[2]] == "compared"
    assert again[r[3]] == "skipped"
    assert (out / r[0]).read_bytes() == (ROOT / "reports" / "article.md.json").read_bytes()


def test_index_change_redoes_the_reports(setup: tuple[Path, list[str]], tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    db, docs = setup
    out = tmp_path / "out"
    scan(docs, db, out, jobs=1)
    filler = tmp_path / "src" / "filler-1.txt"
    original = filler.read_text(encoding="utf-8")
    filler.write_text(original + "An added sentence.\n", encoding="utf-8")
    code = main(["scan", *docs, "--index", str(db), "--output", str(out), "--no-timestamp"])
    _, err = capsys.readouterr()
    assert code == 0
    assert err.count("\n") == 1 and "filler-1.txt' changed since it was indexed" in err
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert [c["path"] for c in summary["changed_sources"]] == [str(filler)]
    flagged = {Path(d["document"]).name: d["changed_sources"] for d in summary["documents"]}
    assert flagged["quotes-filler.md"] == [str(filler)] and flagged["article.md"] == []
    assert summary["totals"] == {"skipped": 4}  # the index did not change: the reports stand
    with Index.create(db) as idx:
        idx.add([filler])
    result = scan(docs, db, out, jobs=1)
    assert {o.status for o in result.outcomes} == {"compared"} and result.changed_sources == ()


def test_unreadable_document_fails_alone(setup: tuple[Path, list[str]], tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    db, docs = setup
    bad = tmp_path / "docs" / "image.md"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    out = tmp_path / "out"
    code = main(["scan", docs[0], str(bad), "--index", str(db), "--output", str(out)])
    stdout, stderr = capsys.readouterr()
    assert code == 2
    assert stdout.startswith("1 compared, 0 up to date, 1 failed")
    (line,) = stderr.strip().splitlines()
    assert line == (f"provenance: error: document '{bad}': "
                    "this is a PNG image that cannot be read: it is damaged or cut short")
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["documents"][1]["status"] == "failed" and "PNG" in summary["documents"][1]["error"]
    assert (out / "inputs" / "article.md.json").exists() and not (out / report_name(str(bad))).exists()


@pytest.mark.parametrize(("extra", "message"), [
    (["--engine", "spark"], "'spark' is not one of 'local', 'dask'"),
    (["--engine", "dask"], "needs the address of a dask.distributed scheduler (see --scheduler)"),
    (["--scheduler", "tcp://127.0.0.1:8786"], "for the dask engine only, not the local one (see --engine)"),
    (["--jobs", "0"], "--jobs"),
])
def test_usage_errors(setup: tuple[Path, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str],
                      extra: list[str], message: str) -> None:
    db, docs = setup
    code = main(["scan", docs[0], "--index", str(db), "--output", str(tmp_path / "out"), *extra])
    _, err = capsys.readouterr()
    assert code == 2 and err.count("\n") == 1 and message in err, err
    assert not (tmp_path / "out" / "inputs" / "article.md.json").exists()


def test_index_errors(setup: tuple[Path, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, docs = setup
    corrupt = tmp_path / "corrupt.db"
    corrupt.write_bytes(b"SQLite format 3\x00" + b"\xff" * 2000)
    for index, message in [(tmp_path / "missing.db", "no such file"), (corrupt, "not a provenance index")]:
        code = main(["scan", docs[0], "--index", str(index), "--output", str(tmp_path / "out")])
        _, err = capsys.readouterr()
        assert code == 2 and err.count("\n") == 1 and message in err, err
    assert not (tmp_path / "out").exists()
    file_out = tmp_path / "file"
    file_out.write_text("x")
    code = main(["scan", docs[0], "--index", str(setup[0]), "--output", str(file_out)])
    _, err = capsys.readouterr()
    assert code == 2 and "not a directory" in err


def test_dask_missing_is_one_line(setup: tuple[Path, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    db, docs = setup
    monkeypatch.setitem(__import__("sys").modules, "distributed", None)  # as if not installed
    code = main(["scan", docs[0], "--index", str(db), "--output", str(tmp_path / "out"), "--engine", "dask",
                 "--scheduler", "tcp://127.0.0.1:8786"])
    _, err = capsys.readouterr()
    assert code == 2 and err.strip() == ("provenance: error: the dask engine needs dask.distributed: "
                                         "pip install 'provenance[dask]' (see --engine)")


def test_unreachable_scheduler_is_one_line(setup: tuple[Path, list[str]], tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("distributed")
    db, docs = setup
    monkeypatch.setattr(scan_module, "CONNECT_TIMEOUT", 1.0)
    code = main(["scan", docs[0], "--index", str(db), "--output", str(tmp_path / "out"), "--engine", "dask",
                 "--scheduler", "tcp://127.0.0.1:9"])
    _, err = capsys.readouterr()
    assert code == 2 and err.count("\n") == 1, err
    assert "cannot reach a Dask scheduler at 'tcp://127.0.0.1:9' within 1 s" in err, err


def test_dask_local_cluster_gives_the_same_reports(setup: tuple[Path, list[str]], tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    db, docs = setup
    scan(docs, db, tmp_path / "local", jobs=1, options=ScanOptions(timestamp="2024-01-01T00:00:00Z"))
    # a worker in a process of its own, as on a real cluster: the work and the index travel to it
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        result = scan(docs, db, tmp_path / "dask", engine="dask", scheduler=cluster.scheduler_address,
                      options=ScanOptions(timestamp="2024-01-01T00:00:00Z"))
    assert {o.status for o in result.outcomes} == {"compared"}
    for o in result.outcomes:
        assert (tmp_path / "dask" / o.report).read_bytes() == (tmp_path / "local" / o.report).read_bytes()
    assert (tmp_path / "dask" / "summary.json").read_bytes() == (tmp_path / "local" / "summary.json").read_bytes()


def test_readme_options_of_index_and_scan_exist(capsys: pytest.CaptureFixture[str]) -> None:
    import re

    from conftest import documentation

    readme = documentation()
    for command in (["scan"], ["index", "build"], ["index", "add"], ["index", "stats"]):
        assert main([*command, "--help"]) == 0
        help_text = capsys.readouterr().out
        lines = re.findall(rf"provenance {' '.join(command)} [^\n`]*", readme)
        assert lines, command
        for line in lines:
            for flag in re.findall(r"(--[a-z-]+)", line):
                assert flag in help_text, (command, flag)


def test_a_progress_bar_in_a_terminal_and_nothing_in_ci_logs(setup: tuple[Path, list[str]], tmp_path: Path) -> None:
    import os

    from conftest import run_on_pty

    db, docs = setup
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "NO_COLOR")}
    env["COLUMNS"] = "100"
    args = ["scan", *docs, "--index", str(db), "--jobs", "1", "--no-timestamp"]
    code, out, tty_err = run_on_pty([*args, "--output", str(tmp_path / "a")], ROOT, env)
    assert code == 0 and b"scan" in tty_err and b"/4" in tty_err  # the bar, counting documents
    assert b"4 compared" in out
    code, _, ci_err = run_on_pty([*args, "--output", str(tmp_path / "b")], ROOT, {**env, "CI": "true"})
    assert code == 0 and ci_err == b""


def test_scan_reads_a_sources_sidecar_description_as_compare_does(tmp_path: Path) -> None:
    """A citation that names its source only by the title a sidecar gives resolves in a scan as in
    compare; the sidecar is stored with its source (a folder's sidecar is no source), and a changed
    sidecar changes the index and so redoes the report."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "b7.txt").write_text("Department of Harbours\n\nThe harbour will close at dusk on Friday, and the ferries "
                                "will not run until Monday morning.\n", encoding="utf-8")
    (src / "s2.txt").write_text("Council notes\n\nRepairs to the eastern pier will cost forty thousand pounds and "
                                "take six weeks to complete.\n", encoding="utf-8")
    sidecar = src / "s2.txt.source.toml"
    sidecar.write_text('title = "Minutes of the pier committee"\n', encoding="utf-8")
    doc = tmp_path / "answer.md"
    doc.write_text('The committee said "repairs to the eastern pier will cost forty thousand pounds and take six '
                   'weeks to complete" [1].\n\n## Sources\n\n[1] Minutes of the pier committee\n', encoding="utf-8")
    db = tmp_path / "idx.db"
    assert main(["index", "build", str(src), "--index", str(db)]) == 0
    with Index.open(db) as index:
        assert [Path(r.path).name for r in index.sources()] == ["b7.txt", "s2.txt"]
        fingerprint = index.fingerprint()
    single = tmp_path / "single.json"
    assert main(["compare", str(doc), "-s", str(src), "--format", "json", "--no-timestamp", "--output",
                 str(single)]) == 0
    compared = json.loads(single.read_text(encoding="utf-8"))
    (passage,) = compared["passages"]
    assert passage["claim"]["cites"] == "s2" and passage["claim"]["agrees"] and not compared.get("not_checked")
    out = tmp_path / "out"
    assert main(["scan", str(doc), "--index", str(db), "--output", str(out), "--no-timestamp", "--jobs", "1"]) == 0
    scanned = json.loads(next(p for p in out.rglob("*.json") if p.name != "summary.json").read_text(encoding="utf-8"))
    assert scanned["passages"] == compared["passages"]
    sidecar.write_text('title = "Minutes of the pier committee, 2 March"\n', encoding="utf-8")
    assert main(["index", "add", str(src), "--index", str(db)]) == 0
    with Index.open(db) as index:
        assert index.fingerprint() != fingerprint


def test_scan_judges_a_citation_of_an_indexed_source_the_ngrams_did_not_choose(tmp_path: Path) -> None:
    """The document cites the committee's minutes for words that are in the harbour notice: compare
    against both finds a misattribution; so must a scan, though only the notice shares the words."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "notice.txt").write_text("Department of Harbours\n\nThe harbour will close at dusk on Friday, and the "
                                    "ferries will not run until Monday morning.\n", encoding="utf-8")
    (src / "minutes.txt").write_text("Minutes of the pier committee\n\nRepairs to the eastern pier will cost forty "
                                     "thousand pounds and take six weeks to complete.\n", encoding="utf-8")
    doc = tmp_path / "answer.md"
    doc.write_text('The committee said "the harbour will close at dusk on Friday, and the ferries will not run until '
                   'Monday morning" [1].\n\n## Sources\n\n[1] Minutes of the pier committee\n', encoding="utf-8")
    db = tmp_path / "idx.db"
    assert main(["index", "build", str(src), "--index", str(db)]) == 0
    single = tmp_path / "single.json"
    assert main(["compare", str(doc), "-s", str(src / "minutes.txt"), "-s", str(src / "notice.txt"), "--format",
                 "json", "--no-timestamp", "--output", str(single)]) == 0
    compared = json.loads(single.read_text(encoding="utf-8"))
    assert "misattribution" in [f["type"] for p in compared["passages"] for f in p["findings"]]
    out = tmp_path / "out"
    assert main(["scan", str(doc), "--index", str(db), "--output", str(out), "--no-timestamp", "--jobs", "1"]) == 0
    scanned = json.loads(next(p for p in out.rglob("*.json") if p.name != "summary.json").read_text(encoding="utf-8"))
    assert scanned["passages"] == compared["passages"] and not scanned.get("not_checked")
