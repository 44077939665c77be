"""The command line: a thin shell over the library. Parses, calls, renders, maps errors to exit 2."""

from __future__ import annotations

import dataclasses
import errno
import json
import os
import re
import sys
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeRemainingColumn

from provenance import __version__
from provenance.check.manifest import (
    MANIFEST_NAME,
    CollationFormat,
    DocumentSpec,
    Manifest,
    ReportFormat,
    find_manifest,
    load_manifest,
)
from provenance.check.policy import Policy, baseline_from, evaluate, load_baseline
from provenance.check.run import (
    CheckRun,
    CollationFailure,
    Failure,
    Fetching,
    check_summary,
    ci_environment,
    confine,
    display_path,
    merge_outputs,
    render_collations,
    render_outputs,
    run_check,
    select,
    select_collations,
)
from provenance.comparator.pipeline import compare_texts, quotations_of
from provenance.errors import InputError, ProvenanceError, UsageError, require_utf8_name
from provenance.load import load_source, load_text
from provenance.load.fetch import is_url
from provenance.load.generated import Answer, load_answer
from provenance.load.registry import SIDECAR_SUFFIX, read_sidecar
from provenance.model import Report, SourceEntry
from provenance.output import require_unicode, write_all_atomic, write_atomic
from provenance.report import FORMATS, RenderOptions
from provenance.report.formats import SarifLevel
from provenance.report.json_report import read_report
from provenance.report.marks import plural
from provenance.report.quotes import quotes_record, render_quotes_json, render_quotes_terminal
from provenance.report.records import ReportRecord
from provenance.report.visible import visible_line
from provenance.text import DEFAULT_MAX_BYTES, Text

app = typer.Typer(
    name="provenance",
    help="Check that quoted and reused passages say what their sources say.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_show_locals=False,
    add_completion=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class DerivedFormat(str, Enum):
    """The choices of `report --format`: the registry's formats of a whole check (`CHECK_FORMATS`;
    a test keeps the two, and `ReportFormat` with `FORMATS`, in step)."""

    html = "html"
    markdown = "markdown"
    sarif = "sarif"
    junit = "junit"
    github = "github"


def _version_callback(value: bool) -> None:
    """`--version`: print the version and stop."""
    if value:
        typer.echo(f"provenance {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[bool, typer.Option("--version", callback=_version_callback, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """Check that quoted and reused passages say what their sources say."""


MAX_EPOCH = 253402300799
"""The last second of the year 9999, the last an ISO 8601 timestamp of four digits can give."""


def _timestamp(enabled: bool) -> str | None:
    """The time of the run in UTC, to the second (SOURCE_DATE_EPOCH when set), or None when not wanted.

    SOURCE_DATE_EPOCH must be a whole number of seconds, written in ASCII digits, up to the year 9999;
    anything else is a usage error, as the Reproducible Builds specification asks (an empty value is unset)."""
    if not enabled:
        return None
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")  # not stripped: ' 12' is malformed, not 12
    if not epoch:
        moment = datetime.now(timezone.utc)
    elif len(epoch) <= 12 and epoch.isascii() and epoch.isdigit() and int(epoch) <= MAX_EPOCH:
        moment = datetime.fromtimestamp(int(epoch), timezone.utc)
    else:
        shown = epoch if len(epoch) <= 40 else epoch[:40] + "…"
        raise UsageError(f"SOURCE_DATE_EPOCH={shown!r} is not a number of seconds since 1970 (0 to {MAX_EPOCH}); "
                         "set it to one, or unset it")
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _want_color() -> bool:
    """Whether standard output gets colour: NO_COLOR forbids it, FORCE_COLOR asks for it, else a terminal."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty()


DocumentArg = Annotated[
    Path, typer.Argument(help="The document that quotes or transcribes (plain text, Markdown, a web page, "
                              "an e-mail, PDF, Word, RTF, captions or a scan); - reads it from standard input.",
                         show_default=False, metavar="DOCUMENT")]
SourceOpt = Annotated[
    list[str] | None,
    typer.Option("--source", "-s", help="A source the document quotes (a file, a folder: every file in it that "
                 "can be read, or an http(s):// URL, fetched once and pinned by its sha256); repeat for more.",
                 show_default=False, metavar="FILE|DIR|URL")]
OnlyFailingOpt = Annotated[
    bool, typer.Option("--only-failing", help="In the terminal view, show only the findings that fail the default "
                       "policy (warnings and errors), and only the passages that have one.")]
CacheOpt = Annotated[
    Path | None, typer.Option("--cache-dir", help="Where URL sources are pinned (default: .provenance/sources).",
                              show_default=False)]
RefreshOpt = Annotated[
    bool, typer.Option("--refresh-sources", help="Fetch URL sources again instead of reading their pinned copy.")]
WholeOpt = Annotated[
    bool, typer.Option("--whole", help="Compare the whole document as one transcription of the first source.")]
FormatOpt = Annotated[ReportFormat, typer.Option("--format", "-f", help="Output format.")]
OutputOpt = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Write the report to this file, atomically, instead of standard output.",
                 show_default=False, metavar="FILE")]
ReuseOpt = Annotated[
    bool, typer.Option("--reuse/--no-reuse", help="Also find passages copied without quotation marks.")]
TimestampOpt = Annotated[
    bool, typer.Option("--timestamp/--no-timestamp",
                       help="Put the time of the run in the JSON report (SOURCE_DATE_EPOCH is honoured).")]
FormatInOpt = Annotated[
    str | None, typer.Option("--format-in", help="Read every input as this format, whatever its content or name: "
                             "text, html, email, pdf, docx, rtf, vtt, srt, image (default: chosen by content, "
                             "then by the file name's ending).", show_default=False, metavar="FORMAT")]
MaxBytesOpt = Annotated[
    int, typer.Option("--max-bytes", help="Refuse input files (and standard input) over this many bytes.", min=1)]
SarifLevelOpt = Annotated[
    SarifLevel, typer.Option("--sarif-level", help="Which findings the SARIF report carries: failing (those that "
                             "fail the check), warning (also those the baseline accepts, as suppressed results, "
                             "and every other warning or error) or all.")]
MAX_WIDTH = 1000
"""The widest terminal view drawn: a wider one is a mistyped number, and would be that many spaces a line."""
WidthOpt = Annotated[
    int | None, typer.Option("--width", help="Width of the terminal view (default: the terminal's).", min=40,
                             max=MAX_WIDTH)]


@app.command("compare", context_settings={"allow_extra_args": True})  # more files: `_one_document` says why
def compare_command(
    ctx: typer.Context,
    document: DocumentArg,
    source: SourceOpt = None,
    whole: WholeOpt = False,
    output_format: FormatOpt = ReportFormat.terminal,
    output: OutputOpt = None,
    reuse: ReuseOpt = True,
    timestamp: TimestampOpt = True,
    max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
    width: WidthOpt = None,
    format_in: FormatInOpt = None,
    cache_dir: CacheOpt = None,
    refresh_sources: RefreshOpt = False,
    sarif_level: SarifLevelOpt = SarifLevel.failing,
    only_failing: OnlyFailingOpt = False,
) -> None:
    """Compare DOCUMENT with its sources and report, passage by passage, what was changed.

    Exit status: 0 when the comparison ran (whatever it found), 2 for usage or input errors.
    """
    doc_path = _one_document([document, *map(Path, ctx.args)], source or [])
    source = source or []
    answer = None if whole or format_in else load_answer(doc_path, max_bytes=max_bytes)
    if not source and (answer is None or not answer.sources):  # a generated answer may bring its own
        raise UsageError("no source given" + ("" if answer is None else ": the answer brings none"),
                         parameter="sources")
    specs, files = _compare_files(doc_path, source, output_format, only_failing)
    doc = answer.document if answer is not None else load_text(
        doc_path, id="document", role="document", max_bytes=max_bytes, allow_empty=whole, format_in=format_in)
    texts, entries = _sources_of(specs, answer, max_bytes=max_bytes, allow_empty=whole, format_in=format_in,
                                 cache=cache_dir, refresh=refresh_sources)
    report = compare_texts(doc, texts, whole=whole, find_unmarked=reuse, entries=entries)
    if not whole:
        _warn_if_swapped(doc, texts, report)
    color = output is None and output_format is ReportFormat.terminal and _want_color()
    if output_format is ReportFormat.terminal and width is None and output is None:
        width = max(60, min(140, _terminal_width()))
    options = RenderOptions(timestamp=_timestamp(timestamp), width=width, color=color, sarif_level=sarif_level,
                            only_failing=only_failing)
    _emit(FORMATS[output_format.value].render_comparison(report, options), output, [doc_path, *files])


def _compare_files(doc_path: Path, source: list[str], output_format: ReportFormat,
                   only_failing: bool) -> tuple[list[tuple[str, bool]], list[Path]]:
    """The sources of `compare` (folders expanded) and its files, once the options are known to go
    together and every name can be written into the report."""
    if only_failing and output_format is not ReportFormat.terminal:
        raise UsageError(f"--only-failing shapes the terminal view; the {output_format.value} format has its own "
                         "choice of findings (markdown lists only failing ones; see --sarif-level for sarif)")
    require_matches([doc_path, *(Path(s) for s in source if not is_url(s))], "file")
    specs = _source_specs(source, doc_path)
    files = [Path(s) for s, _ in specs if not is_url(s)]
    if output_format is not ReportFormat.terminal:  # the terminal view shows a bad byte; a report must name it
        for path, role in ((doc_path, "document"), *((s, "source") for s in files)):
            require_utf8_name(path, role)
    return specs, files


def _sources_of(specs: list[tuple[str, bool]], answer: Answer | None,
                **options: Any) -> tuple[list[Text], list[SourceEntry | None]]:
    """The sources of a comparison and what their sidecars say of them, then the sources a generated
    answer brings with it."""
    loaded = _load_sources(specs, **options) if specs else []
    texts = [text for _, text in loaded]
    entries: list[SourceEntry | None] = [read_sidecar(spec) for spec, _ in loaded]
    return answer.after(texts, entries) if answer is not None else (texts, entries)


def _one_document(given: list[Path], sources: list[str]) -> Path:
    """The one document of `compare`; more than one file is what a forgotten `-s` or a pattern the shell
    expanded gives, and the error says which and what to type."""
    if len(given) == 1:
        return given[0]
    first, rest = str(given[0]), [str(p) for p in given[1:]]
    listed = ", ".join(repr(r) for r in rest[:3]) + (f" and {len(rest) - 3} more" if len(rest) > 3 else "")
    if not sources and len(rest) == 1:
        raise UsageError(f"two files and no --source: if {rest[0]!r} is the source, name it with -s: "
                         f"provenance compare {first} -s {rest[0]}")
    if not sources:
        raise UsageError(f"{len(given)} files and no --source: compare takes one document, and each source after "
                         f"its own -s (provenance compare {first} -s {rest[0]} -s {rest[1]}), or a folder of "
                         "sources (-s FOLDER); to check many documents, list them in a provenance.toml and run "
                         "provenance check")
    more = plural(len(rest), "more file")
    raise UsageError(f"compare takes one document, but {more} came with {first!r} ({listed}): "
                     "a pattern after -s gives -s only its first file (-s src/*.txt is -s src/a.txt src/b.txt); "
                     "repeat -s before each source, or give their folder (-s src/); to check many documents, "
                     "use provenance check")


def require_matches(paths: Sequence[Path], what: str) -> None:
    """Refuse a path that exists nowhere and holds a pattern (`*.md`): the shell passes a pattern that
    matches no file as it is, so the user sees why nothing was found."""
    import glob

    for path in paths:
        text = str(path)
        if text != "-" and glob.has_magic(text) and not path.exists() and not is_url(text):
            raise UsageError(f"no {what} matches {text!r}: the shell passes a pattern that matches nothing as it "
                             "is; check the folder and the pattern (or quote a file name that holds * ? or [)")


def _source_specs(sources: list[str], document: Path) -> list[tuple[str, bool]]:
    """Each source given, a folder replaced by its files (recursively, sorted, hidden ones left out, the
    document itself too): `(source, from a folder)`."""
    from provenance.corpus.index import expand_paths

    out: list[tuple[str, bool]] = []
    doc = os.path.realpath(document) if str(document) != "-" else None  # realpath: a loop of links does not raise
    for spec in sources:
        folder = Path(spec)
        if is_url(spec) or not folder.is_dir():
            out.append((spec, False))
            continue
        files = [f for f in expand_paths([folder])
                 if os.path.realpath(f) != doc and not str(f).endswith(SIDECAR_SUFFIX)]  # a description is no source
        if not files:
            raise UsageError(f"source folder {spec!r} holds no file")
        out += [(str(f), True) for f in files]
    return out


def _load_sources(specs: list[tuple[str, bool]], **options: Any) -> list[tuple[str, Text]]:
    """The sources read, each with its name; a file of a folder that cannot be read as a text (an image,
    an empty file) is left out with a warning, a file named on its own is an error."""
    texts: list[tuple[str, Text]] = []
    skipped: list[str] = []
    for spec, from_folder in specs:
        try:
            texts.append((spec, load_source(spec, role="source", **options)))
        except InputError as exc:
            if not from_folder:
                raise
            skipped.append(spec)
            _say(f"warning: left out of the sources: {exc.message}")
    if not texts:
        raise UsageError(f"no source could be read: {', '.join(repr(s) for s in skipped[:3])}"
                         + (" …" if len(skipped) > 3 else ""), parameter="sources")
    return texts


def _warn_if_swapped(document: Text, sources: list[Text], report: Report) -> None:
    """A warning when a source seems to quote the document rather than the other way round
    (`provenance.comparator.direction`)."""
    from provenance.comparator.direction import swapped

    for k, src in enumerate(sources):
        n = swapped(document, src, report.passages, k)
        if n:
            found = "1 of its quotations is" if n == 1 else f"{n} of its quotations are"
            _say(f"warning: the source {src.path!r} quotes the document {document.path!r} ({found} in it) more "
                 "than the document quotes it: are the two swapped? The document comes first: "
                 "provenance compare DOCUMENT -s SOURCE")


def _echo(line: str, *, err: bool = False) -> None:
    """Print one line the command line composes through `visible_line`: a path or a text in it cannot
    break the line, move the cursor, recolour the terminal or forge a CI log command."""
    typer.echo(visible_line(line), err=err)


def _say(message: str) -> None:
    """A line on standard error: `provenance: MESSAGE`, made safe by `visible_line`."""
    _echo(f"provenance: {message}", err=True)


def _same_file(a: Path, b: Path) -> bool:
    """Whether two paths name one existing file (through links, `..` or another spelling)."""
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def _emit(text: str, output: Path | None, inputs: Sequence[Path] = ()) -> None:
    """Write to a file atomically, or to standard output. An output that is one of the `inputs` the
    report was made from is refused: a report never replaces the text it is about."""
    if output is not None:
        for given in inputs:
            if str(given) != "-" and _same_file(output, given):
                raise UsageError(f"the output {str(output)!r} is {str(given)!r}, which the report is made from: "
                                 "it would be overwritten", parameter="output")
        write_atomic(output, text)
        return
    require_unicode("<standard output>", text)
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise UsageError(f"cannot write the report to standard output: {exc.strerror or exc}") from None


ConfigOpt = Annotated[
    Path | None,
    typer.Option("--config", "-c", help=f"The manifest (default: the nearest {MANIFEST_NAME} in this folder or one "
                                        "above).", show_default=False, metavar="FILE")]
BaselineOpt = Annotated[
    Path | None,
    typer.Option("--baseline", help="The baseline file (default: the manifest's policy.baseline).",
                 show_default=False, metavar="FILE")]


def _manifest(config: Path | None, report_dir: Path | None = None) -> Manifest:
    """The manifest given, or the nearest one (its report folder replaced by `report_dir`, if given);
    none at all is a usage error."""
    path = config if config is not None else find_manifest()
    if path is None:
        raise UsageError(f"no {MANIFEST_NAME} here or in a folder above; name one with --config")
    return load_manifest(path, report_dir=report_dir)


def _progress(label: str, total: int | None) -> tuple[Progress, TaskID]:
    """A progress bar on standard error, only for a person watching a terminal (not in CI logs)."""
    bar = Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                   TextColumn("{task.description}", markup=False), console=Console(stderr=True), transient=True,
                   disable=not sys.stderr.isatty() or ci_environment())
    return bar, bar.add_task("", total=total)


@app.command("quotes")
def quotes_command(
    document: DocumentArg,
    source: Annotated[list[str] | None, typer.Option(
        "--source", "-s", help="A source the citations may name (optional: the quotations are listed without "
                               "comparing them); repeat for more.", show_default=False, metavar="SOURCE")] = None,
    output_format: Annotated[ReportFormat, typer.Option(
        "--format", "-f", help="terminal or json.", case_sensitive=False)] = ReportFormat.terminal,
    output: OutputOpt = None,
    max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
    format_in: FormatInOpt = None,
) -> None:
    """List every quotation of DOCUMENT with its kind, place and the source or speaker it claims,
    without comparing anything: what to verify before gathering the sources.

    Exit status: 0 when the document was read, 2 for usage or input errors.
    """
    if output_format not in (ReportFormat.terminal, ReportFormat.json):
        raise UsageError(f"--format: quotes are listed as terminal or json, not {output_format.value}",
                         parameter="output_format")
    answer = None if format_in else load_answer(document, max_bytes=max_bytes)
    doc = answer.document if answer is not None else load_text(
        document, id="document", role="document", max_bytes=max_bytes, format_in=format_in)
    specs = _source_specs(source or [], Path(document))
    files = [Path(s) for s, _ in specs if not is_url(s)]
    texts, entries = _sources_of(specs, answer, max_bytes=max_bytes)  # as compare reads them: URLs, folders
    quotations = quotations_of(doc, texts, entries)
    ids = [t.id for t in texts]
    if output_format is ReportFormat.json:
        text = render_quotes_json(quotes_record(doc, quotations, ids))
    else:
        text = render_quotes_terminal(doc, quotations, ids)
    _emit(text, output, [document, *files])


@app.command("check")
def check_command(
    paths: Annotated[list[Path] | None, typer.Argument(
        help="Check only the documents that are, or quote, one of these files (as a pre-commit hook passes "
             "them); files the manifest does not list are ignored.", show_default=False, metavar="FILE")] = None,
    config: ConfigOpt = None,
    baseline: BaselineOpt = None,
    write_baseline: Annotated[bool, typer.Option(
        "--write-baseline", help="Record today's failing findings in the baseline (keeping the reasons already "
                                 "written there) and exit 0.")] = False,
    report_dir: Annotated[Path | None, typer.Option(
        "--report-dir", help="Write the reports here (default: the manifest's reports.directory).",
        show_default=False, metavar="DIR")] = None,
    formats: Annotated[list[ReportFormat] | None, typer.Option(
        "--format", "-f", help="Report format to write; repeat for more (default: the manifest's reports.formats).",
        show_default=False)] = None,
    no_reports: Annotated[bool, typer.Option("--no-reports", help="Write no report file, only the summary.")] = False,
    timestamp: TimestampOpt = True,
    max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
    cache_dir: Annotated[Path | None, typer.Option(
        "--cache-dir", help="Where URL sources are pinned (default: .provenance/sources beside the manifest).",
        show_default=False, metavar="DIR")] = None,
    refresh_sources: Annotated[bool, typer.Option(
        "--refresh-sources", help="Fetch URL sources again; a page that changed since it was pinned fails its "
                                  "documents (exit 2), and its new copy is pinned.")] = False,
    sarif_level: SarifLevelOpt = SarifLevel.failing,
) -> None:
    """Check the documents of a manifest against their sources and fail on findings the policy rejects.

    Exit status: 0 when nothing breaks the policy (or only findings accepted in the baseline), 1 when
    something does (a finding, or a transcription's error rate over max_cer or max_wer), 2 for a usage,
    input or manifest error. Given files that include the manifest or the baseline, every document is
    checked.
    """
    require_matches(paths or [], "file")
    manifest = _with_baseline(_manifest(config, report_dir), baseline, write_baseline)
    docs = select(manifest, paths or ())
    _warn_about_paths(paths or [], docs)
    known = load_baseline(manifest.baseline) if manifest.baseline is not None and not write_baseline else None
    stamp = _timestamp(timestamp)
    bar, task = _progress("checking", len(docs))
    with bar:
        run = run_check(manifest, docs, baseline=known, timestamp=stamp, max_bytes=max_bytes,
                        progress=lambda spec: bar.update(task, advance=1, description=visible_line(spec.key)),
                        fetching=Fetching(cache_dir, refresh_sources))
    for failure in run.failures:
        _say_failure(failure)
    not_collated: tuple[CollationFailure, ...] = ()
    if write_baseline:
        _write_baseline(manifest, run)
    else:
        if not no_reports:
            collations, not_collated = render_collations(manifest, select_collations(manifest, paths or ()),
                                                         manifest.report_dir, max_bytes=max_bytes)
            for miss in not_collated:
                _say(f"error: {miss.spec.key} ({miss.spec.name}): not collated: {error_line(miss.error)}")
            _write_reports(run, [f.value for f in formats] if formats else manifest.formats, manifest.report_dir,
                           stamp, sarif_level, merge=lambda out: merge_outputs(manifest, out, collations))
        typer.echo(check_summary(run.outcome, run.failures), nl=False)
    if run.failures or not_collated:
        raise typer.Exit(2)
    if run.outcome.fails and not write_baseline:
        raise typer.Exit(1)


def _say_failure(failure: Failure) -> None:
    """One line for a document that could not be checked (the rest of the check goes on)."""
    message = error_line(failure.error)
    _say(f"error: {message}" if failure.names_document else f"error: {failure.spec.key}: not checked: {message}")


def _with_baseline(manifest: Manifest, baseline: Path | None, write_baseline: bool) -> Manifest:
    """The manifest with the baseline given on the command line, which must exist unless it is to be
    written; writing one needs a baseline named somewhere."""
    if baseline is not None:
        if not write_baseline and not baseline.exists():  # a device or a folder: load_baseline says so
            raise UsageError(f"--baseline: no such file {str(baseline)!r} (write one with --write-baseline)")
        manifest = dataclasses.replace(manifest, baseline=baseline)
    if write_baseline and manifest.baseline is None:
        raise UsageError(f"{manifest.path}: policy.baseline: name the baseline file in the manifest (or give "
                         "--baseline FILE), so that later checks read it")
    return manifest


def _warn_about_paths(paths: list[Path], docs: tuple[DocumentSpec, ...]) -> None:
    """Warn about files given that do not exist, and when none of them concerns the manifest."""
    for path in paths:
        if not path.exists():
            _say(f"warning: {path}: no such file")
    if paths and not docs:
        _say("warning: no file given is a document of the manifest or one of its sources: nothing to check")


def _write_baseline(manifest: Manifest, run: CheckRun) -> None:
    """Record the failing findings of the checked documents in the baseline (keeping its reasons, and
    the entries of documents not checked, or that could not be), and say how many were accepted."""
    target = manifest.baseline
    assert target is not None
    docs = run.documents
    if not docs:
        _echo("provenance: no document was checked: baseline unchanged")
        return
    previous = load_baseline(target)
    checked = {d.key for d in docs}
    keep = [e for e in previous.entries if e.document not in checked]
    write_atomic(target, baseline_from(run.outcome, previous, keep))
    written = load_baseline(target).entries
    n = sum(1 for e in written if e.document in checked)
    bare = sum(1 for e in written if not e.reason.strip())
    shown = display_path(target, manifest.project)
    _echo(f"provenance: wrote {shown}: {plural(n, 'finding')} accepted for {plural(len(docs), 'document')}"
               + (f"; {bare} without a reason: write why each is acceptable" if bare else "")
               + (" (the policy requires reasons: until then the check fails on them)"
                  if bare and manifest.policy.require_reasons else ""))


def _write_reports(run: CheckRun, formats: list[str] | tuple[str, ...], directory: Path, stamp: str | None,
                   sarif_level: SarifLevel, *,
                   merge: Callable[[dict[Path, str]], dict[Path, str]] | None = None) -> None:
    """Render the check's reports (with what `merge` adds: the collations') and write them all at once
    into the report folder."""
    outputs = render_outputs(run, formats, directory, timestamp=stamp, sarif_level=sarif_level)
    if merge is not None:
        outputs = merge(outputs)
    confine(outputs, directory)
    for folder in sorted({path.parent for path in outputs}):
        _make_dir(folder)
    write_all_atomic(outputs)


def _make_dir(directory: Path) -> None:
    """Make a report folder (and its parents); failing to is one usage-error line."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot make the report folder {str(directory)!r}: {exc.strerror or exc}") from None


@app.command("report")
def report_command(
    reports: Annotated[list[Path], typer.Argument(help="JSON reports written by compare or check.",
                                                  show_default=False, metavar="REPORT.json...")],
    output_format: Annotated[DerivedFormat, typer.Option("--format", "-f", help="Output format.")] = DerivedFormat.html,
    output: OutputOpt = None,
    config: Annotated[Path | None, typer.Option(
        "--config", "-c", help="Take the policy and baseline from this manifest (default: the nearest one, if any; "
                               "else fail on warnings and errors).", show_default=False, metavar="FILE")] = None,
    baseline: BaselineOpt = None,
    sarif_level: SarifLevelOpt = SarifLevel.failing,
) -> None:
    """Render JSON reports as HTML, Markdown, SARIF, JUnit XML or GitHub annotations, applying the policy
    and the baseline."""
    require_matches(reports, "report")
    path = config if config is not None else find_manifest()
    manifest = load_manifest(path) if path is not None else None
    policy = manifest.policy if manifest is not None else Policy()
    baseline_path = baseline or (manifest.baseline if manifest is not None else None)
    known = load_baseline(baseline_path) if baseline_path is not None else None
    data = _read_reports(reports, manifest)
    shown = None
    if baseline_path is not None:
        shown = display_path(baseline_path, manifest.project if manifest is not None else None)
    outcome = evaluate(data, policy, known, baseline_path=shown, generated_at=data[0][1].timestamp if data else None)
    _emit(FORMATS[output_format.value].render_check(outcome, RenderOptions(sarif_level=sarif_level)), output, reports)


def _read_reports(files: list[Path], manifest: Manifest | None) -> list[tuple[str, ReportRecord]]:
    """Each JSON report with its document's key in the baseline; a file given twice is an error."""
    data = []
    seen: set[Path] = set()
    for file in files:
        if file.resolve() in seen:
            raise UsageError(f"{file}: given twice")
        seen.add(file.resolve())
        report = read_report(file)
        doc = report.document.path
        # reports of a check name documents relative to the project; baselines relative to the manifest.
        # Worked out from the text alone: the path in a report is data, and may name nothing on this disk.
        key = (Path(os.path.relpath(os.path.normpath(manifest.project / doc), manifest.root)).as_posix()
               if manifest is not None else Path(doc).as_posix())
        data.append((key, report))
    return data


# -- collate ---------------------------------------------------------------------------


WitnessesArg = Annotated[
    list[Path], typer.Argument(help="Two or more versions of one text (plain text files).", show_default=False,
                               metavar="WITNESS...")]
BaseOpt = Annotated[
    str | None,
    typer.Option("--base", "-b", help="The witness the alignment starts from, by path or id (default: the first).",
                 show_default=False, metavar="WITNESS")]
CollationFormatOpt = Annotated[CollationFormat, typer.Option("--format", "-f", help="Output format.")]


@app.command("collate")
def collate_command(
    witnesses: WitnessesArg,
    base: BaseOpt = None,
    output_format: CollationFormatOpt = CollationFormat.terminal,
    output: OutputOpt = None,
    max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
    width: WidthOpt = None,
) -> None:
    """Align versions of one text into a variant table and the consensus they support.

    Exit status: 0 when the collation ran, 2 for usage or input errors.
    """
    from provenance.report.collation import COLLATION_FORMATS
    from provenance.transcription.collate import collate

    require_matches(witnesses, "witness")
    collation = collate(witnesses, base=base, max_bytes=max_bytes)
    color = output is None and output_format is CollationFormat.terminal and _want_color()
    if output_format is CollationFormat.terminal and width is None and output is None:
        width = max(60, min(140, _terminal_width()))
    text = COLLATION_FORMATS[output_format.value](collation, RenderOptions(width=width, color=color))
    _emit(text, output, witnesses)


# -- Corpus scale: the index and the batch scan (issue 5) -------------------------------------------

index_app = typer.Typer(help="Store sources in an index file for scans of many documents.", no_args_is_help=True,
                        rich_markup_mode=None, context_settings={"help_option_names": ["-h", "--help"]})
app.add_typer(index_app, name="index")

IndexOpt = Annotated[Path, typer.Option("--index", "-i", help="The index file (SQLite).", show_default=False,
                                        metavar="FILE")]
SourcesArg = Annotated[list[Path], typer.Argument(help="Source files, or folders of them.", show_default=False,
                                                  metavar="SOURCES...")]


def _index_sources(sources: list[Path], index: Path, max_bytes: int, *, replace: bool, must_exist: bool,
                   vectors: bool | None = None) -> None:
    from provenance.corpus.index import Index
    from provenance.corpus.vectors import default_encoder, encoder_of

    require_matches(sources, "source")
    holds = index.exists() and _holds_vectors(index, encoder_of)
    if vectors is False and holds:
        raise UsageError(f"index {str(index)!r} holds sentence vectors: sources are added to it with theirs, or "
                         "the index is built anew without them", parameter="vectors")
    encoder = default_encoder() if vectors is not False else None
    if encoder is None and (vectors or holds):
        raise UsageError("sentence vectors need the meaning model: pip install 'provenance[meaning]' and its "
                         "weights (see the README)", parameter="vectors")
    if vectors is None and not replace and not holds:
        encoder = None  # adding to an index without vectors keeps it without
    if must_exist and not index.exists():
        raise UsageError(f"index {str(index)!r}: no such file (make it with 'provenance index build')")
    new = not index.exists()
    try:
        with Index.create(index) as idx:
            done = idx.add(sources, max_bytes=max_bytes, replace=replace, encoder=encoder)
            stats = idx.stats()
    except BaseException:
        if new:  # a first build that failed leaves no index behind
            for f in (index, Path(f"{index}-wal"), Path(f"{index}-shm")):
                f.unlink(missing_ok=True)
        raise
    _echo(f"{len(done.added)} added, {len(done.updated)} re-indexed (changed), {len(done.unchanged)} unchanged"
               + (f", {len(done.removed)} removed" if replace else "")
               + f"; the index holds {stats['sources']} sources, {stats['words']:,} words"
               + (f", sentence vectors of {stats['encoder']}" if stats["encoder"] != "none" else ""))


VectorsOpt = Annotated[bool | None, typer.Option(
    "--vectors/--no-vectors", show_default=False,
    help="Store (or not) the sentences' vectors, for a scan to find paraphrases by meaning in every indexed "
    "source. Default: build stores them where the meaning model is installed; add does as the index does.")]


@index_app.command("build")
def index_build_command(sources: SourcesArg, index: IndexOpt, max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
                        vectors: VectorsOpt = None) -> None:
    """Make or update the index so that it holds exactly SOURCES.

    New sources are added, changed ones re-indexed, unchanged ones left as they are (content
    hashes), and sources no longer named are removed.
    """
    _index_sources(sources, index, max_bytes, replace=True, must_exist=False, vectors=vectors)


@index_app.command("add")
def index_add_command(sources: SourcesArg, index: IndexOpt, max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
                      vectors: VectorsOpt = None) -> None:
    """Add SOURCES to an existing index (changed ones re-indexed, unchanged ones left)."""
    _index_sources(sources, index, max_bytes, replace=False, must_exist=True, vectors=vectors)


def _holds_vectors(index: Path, encoder_of: Callable[[Any], str | None]) -> bool:
    """Whether an existing index holds sentence vectors (so that adding to it encodes the new sources)."""
    from provenance.corpus.index import Index

    with Index.open(index) as idx:
        return encoder_of(idx.conn) is not None


class StatsFormat(str, Enum):
    terminal = "terminal"
    json = "json"


@index_app.command("stats")
def index_stats_command(index: IndexOpt, output_format: Annotated[
        StatsFormat, typer.Option("--format", "-f", help="Output format.")] = StatsFormat.terminal) -> None:
    """Print what the index holds, and which sources changed on disk since they were indexed."""
    from provenance.corpus.index import Index

    with Index.open(index) as idx:
        stats = idx.stats()
        changed = idx.changed()
    if output_format is StatsFormat.json:
        data = {**stats, "changed_sources": [{"path": c.path, "indexed_sha256": c.indexed_sha256,
                                              "current_sha256": c.current_sha256} for c in changed]}
        typer.echo(json.dumps(data, sort_keys=True, indent=2))
        return
    for key, value in stats.items():
        _echo(f"{key}: {value:,}" if isinstance(value, int) else f"{key}: {value}")
    _echo(f"changed_sources: {len(changed)}")
    for c in changed:
        _echo(f"  {c.path}: " + ("missing or unreadable" if c.current_sha256 is None else "changed"))


MAX_JOBS = 256
"""The most worker processes a scan starts: beyond it, processes cost memory and gain nothing on any
machine sold today (a mistyped `--jobs 100000` would start 100,000)."""


class Engine(str, Enum):
    local = "local"
    dask = "dask"


@app.command("scan")
def scan_command(
    documents: Annotated[list[Path], typer.Argument(help="Documents, or folders of them.", show_default=False,
                                                    metavar="DOCS...")],
    index: IndexOpt,
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder for the reports (made if missing).",
                                         show_default=False, metavar="DIR")],
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", help=f"Worker processes, 1 to {MAX_JOBS} (default: all "
                                             "cores).", min=1, max=MAX_JOBS, show_default=False)] = None,
    engine: Annotated[Engine, typer.Option("--engine", help="Where the work runs.")] = Engine.local,
    scheduler: Annotated[str | None, typer.Option("--scheduler", help="Address of the Dask scheduler "
                                                  "(with --engine dask), e.g. tcp://host:8786.",
                                                  show_default=False, metavar="ADDRESS")] = None,
    reuse: ReuseOpt = True,
    timestamp: TimestampOpt = True,
    max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
) -> None:
    """Compare many DOCS with the sources of an index: one JSON report per document, and a summary.

    Each report is what 'compare --format json' gives for the document and its candidate sources
    (named in summary.json). Reports already up to date are not made again, so an interrupted
    scan resumes where it stopped. Exit status 2 when a document could not be read.
    """
    from provenance.corpus.scan import ScanOptions, scan

    require_matches(documents, "document")
    progress, task = _progress("scan", None)  # the total is known once the driver has read the documents

    def started(todo: int, skipped: int) -> None:
        progress.update(task, total=todo + skipped)

    options = ScanOptions(reuse=reuse, max_bytes=max_bytes, timestamp=_timestamp(timestamp),
                          timestamp_pinned=bool(os.environ.get("SOURCE_DATE_EPOCH", "")))
    with progress:
        result = scan([str(d) for d in documents], index, output, options=options, jobs=jobs, engine=engine.value,
                      scheduler=scheduler, on_start=started, on_done=lambda o: progress.advance(task))
    for c in result.changed_sources:
        _say(f"warning: source {c.path!r} changed since it was indexed; reports compare with the indexed "
             "text (run 'provenance index add' to re-index it)")
    counts = {s: sum(o.status == s for o in result.outcomes) for s in ("compared", "skipped", "failed")}
    _echo(f"{counts['compared']} compared, {counts['skipped']} up to date, {counts['failed']} failed; "
               f"reports in {str(output)!r}")
    for o in result.failed:
        _say(f"error: {error_line(ProvenanceError(o.error or 'failed', parameter=o.parameter))}")
    if result.failed:
        raise typer.Exit(2)


def _terminal_width() -> int:
    """The width of the terminal on standard output (100 when it is not one)."""
    try:
        return os.get_terminal_size(sys.stdout.fileno()).columns
    except (OSError, ValueError):
        return 100


def _exit_cleanly_on_signals() -> None:
    """SIGTERM and SIGHUP end the run like Ctrl-C does: through the clean-up of partial files."""
    import signal

    def stop(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    for name in ("SIGTERM", "SIGHUP"):
        sig = getattr(signal, name, None)
        if sig is not None:
            try:
                signal.signal(sig, stop)
            except (ValueError, OSError):  # not the main thread, or not allowed here
                pass


def _click_exception_class() -> type[Exception]:
    # typer bundles its own Click; its exception base is reachable through a public subclass.
    return next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")


OPTION_FOR_PARAMETER: dict[str, str] = {
    "max_bytes": "--max-bytes",
    "format_in": "--format-in",
    "refresh": "--refresh-sources",
    "sources": "--source",
    "engine": "--engine",
    "scheduler": "--scheduler",
    "jobs": "--jobs",
    "output": "--output",
    "base": "--base",
    "report_dir": "--report-dir",
}
"""The command-line option behind each library parameter an error can name."""


OPTION_HINT: dict[str, str] = {
    "max_bytes": "raise it with --max-bytes",
    "sources": "name at least one with --source",
}
"""How to put the error right with an option, where saying more than its name helps."""


def error_line(exc: ProvenanceError) -> str:
    """A library error as the command line says it: the message, and the option to change, if any."""
    parameter = exc.parameter or ""
    option = OPTION_FOR_PARAMETER.get(parameter)
    if option is None:
        return exc.message
    return f"{exc.message} ({OPTION_HINT.get(parameter, f'see {option}')})"


_USAGE_WORDING = (
    (re.compile(r"^Invalid value for ('[^']+')(?: / '[^']+')?: "), r"\1: "),
    (re.compile(r"Value error, "), ""),
    (re.compile(r"Input should be greater than or equal to (\S+)"), r"must be at least \1"),
    (re.compile(r"Input should be less than or equal to (\S+)"), r"must be at most \1"),
    (re.compile(r"Input should be greater than (\S+)"), r"must be more than \1"),
    (re.compile(r"Input should be less than (\S+)"), r"must be less than \1"),
    (re.compile(r"Input should be a valid integer\b.*"), "must be a whole number"),
    (re.compile(r"Input should be a valid number\b.*"), "must be a number"),
    (re.compile(r"Input should be a valid boolean\b.*"), "must be true or false"),
    (re.compile(r"Input should be "), "must be "),
    (re.compile(r"\.$"), ""),
)
"""The validator's wording of a bad option value, said plainly: `Invalid value for '--width': Input should
be greater than or equal to 40` is `'--width': must be at least 40`."""


def plain_usage_message(message: str) -> str:
    """A usage error of the option parser without the validator's wording (`Value error,`, `Input should be`)."""
    for pattern, replacement in _USAGE_WORDING:
        message = pattern.sub(replacement, message)
    return message


_BUG_ERRNOS = frozenset((errno.EBADF, errno.EINVAL, errno.EFAULT))
"""Errors of a file operation that say the program misused it, not that the user's file is unusable."""


def _internal_error(exc: Exception) -> int:
    """A bug: one line (the traceback with PROVENANCE_DEBUG set), exit status 70."""
    if os.environ.get("PROVENANCE_DEBUG"):
        raise exc
    _say(f"internal error: {type(exc).__name__}: {' '.join(str(exc).split())[:300]} "
         "(a bug: please report it; PROVENANCE_DEBUG=1 shows the traceback)")
    return 70


def main(argv: list[str] | None = None) -> int:
    """Console entry point: run the app, turn every user error into one line and exit 2."""
    command = typer.main.get_command(app)
    click_error = _click_exception_class()
    _exit_cleanly_on_signals()
    try:
        result = command.main(args=argv, prog_name="provenance", standalone_mode=False)
    except ProvenanceError as exc:
        _say(f"error: {error_line(exc)}")
        return exc.exit_code
    except click_error as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":
            ctx = getattr(exc, "ctx", None)
            sys.stdout.write((ctx.get_help() if ctx is not None else "") + "\n")
            return 0
        message = plain_usage_message(" ".join(exc.format_message().split()))  # type: ignore[attr-defined]
        ctx = getattr(exc, "ctx", None)
        where = str(getattr(ctx, "command_path", "") or "provenance")
        _say(f"error: {message} (see '{where} -h')")
        return 2
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        sys.stderr.write("provenance: aborted\n")
        return 130
    except KeyboardInterrupt:
        sys.stderr.write("provenance: interrupted\n")
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:
        if exc.filename is None or exc.errno in _BUG_ERRNOS:
            return _internal_error(exc)
        # the machine refused a file the user named (a name too long, a loop of links, no room left)
        _say(f"error: cannot use {str(exc.filename)!r}: {exc.strerror or exc}")
        return 2
    except Exception as exc:  # a bug: say so in one line, unless asked for the details
        return _internal_error(exc)
    if result == 130:  # typer turns Ctrl-C into a silent exit status 130
        sys.stderr.write("provenance: interrupted\n")
    return result if isinstance(result, int) else 0


def run() -> None:
    """Entry point of the `provenance` console script."""
    sys.exit(main())


if __name__ == "__main__":
    run()
