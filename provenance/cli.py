"""The command line: a thin shell over the library. Parses, calls, renders, maps errors to exit 2."""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import datetime, timezone
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from provenance import __version__
from provenance.compare import compare
from provenance.errors import ProvenanceError, UsageError
from provenance.report import FORMATS, RenderOptions
from provenance.text import DEFAULT_MAX_BYTES

app = typer.Typer(
    name="provenance",
    help="Check that quoted and reused passages say what their sources say.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_show_locals=False,
    add_completion=False,
)


class OutputFormat(str, Enum):
    terminal = "terminal"
    json = "json"


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"provenance {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[bool, typer.Option("--version", callback=_version_callback, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """Check that quoted and reused passages say what their sources say."""


def write_atomic(path: Path, data: str) -> None:
    """Write a report so that readers see the old content or the new, never half of it.

    A symbolic link is followed (its target is replaced); a device or a pipe (`/dev/stdout`)
    is written to directly, since it cannot be replaced.
    """
    path = Path(path)
    if path.exists() and not path.is_file() and not path.is_dir():
        try:
            with open(path, "w", encoding="utf-8", newline="") as fh:
                fh.write(data)
        except OSError as exc:
            raise UsageError(f"cannot write {str(path)!r}: {exc.strerror or exc}") from None
        return
    if path.is_symlink():
        path = Path(os.path.realpath(path))  # replace the file the link points to, not the link
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise UsageError(f"cannot write {str(path)!r}: no directory {str(directory)!r}")
    if path.is_dir():
        raise UsageError(f"cannot write {str(path)!r}: it is a directory")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise UsageError(f"cannot write {str(path)!r}: {exc.strerror or exc}") from None
    try:
        # mkstemp makes the file private; give the report the mode a new file would have.
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_umask()
        os.chmod(tmp, mode)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        _remove(tmp)
        raise UsageError(f"cannot write {str(path)!r}: {exc.strerror or exc}") from None
    except BaseException:
        _remove(tmp)
        raise


def _remove(tmp: str) -> None:
    try:
        os.unlink(tmp)
    except OSError:
        pass


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def _timestamp(enabled: bool) -> str | None:
    if not enabled:
        return None
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        moment = datetime.fromtimestamp(int(epoch), timezone.utc)
    else:
        moment = datetime.now(timezone.utc)
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _want_color() -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty()


DocumentArg = Annotated[
    Path, typer.Argument(help="The document that quotes or transcribes (plain text or Markdown); - reads it "
                              "from standard input.",
                         show_default=False, metavar="DOCUMENT")]
SourceOpt = Annotated[
    list[Path] | None,
    typer.Option("--source", "-s", help="A source the document quotes; repeat for more.", show_default=False,
                 metavar="FILE")]
WholeOpt = Annotated[
    bool, typer.Option("--whole", help="Compare the whole document as one transcription of the first source.")]
FormatOpt = Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")]
OutputOpt = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Write the report to this file, atomically, instead of standard output.",
                 show_default=False, metavar="FILE")]
ReuseOpt = Annotated[
    bool, typer.Option("--reuse/--no-reuse", help="Also find passages copied without quotation marks.")]
TimestampOpt = Annotated[
    bool, typer.Option("--timestamp/--no-timestamp",
                       help="Put the time of the run in the JSON report (SOURCE_DATE_EPOCH is honoured).")]
MaxBytesOpt = Annotated[
    int, typer.Option("--max-bytes", help="Refuse input files (and standard input) over this many bytes.", min=1)]
WidthOpt = Annotated[
    int | None, typer.Option("--width", help="Width of the terminal view (default: the terminal's).", min=40)]


@app.command("compare")
def compare_command(
    document: DocumentArg,
    source: SourceOpt = None,
    whole: WholeOpt = False,
    output_format: FormatOpt = OutputFormat.terminal,
    output: OutputOpt = None,
    reuse: ReuseOpt = True,
    timestamp: TimestampOpt = True,
    max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
    width: WidthOpt = None,
) -> None:
    """Compare DOCUMENT with its sources and report, passage by passage, what was changed.

    Exit status: 0 when the comparison ran (whatever it found), 2 for usage or input errors.
    """
    if not source:
        raise UsageError("no source given: name at least one with --source")
    report = compare(document, list(source), whole=whole, find_unmarked=reuse, max_bytes=max_bytes)
    color = output is None and output_format is OutputFormat.terminal and _want_color()
    if output_format is OutputFormat.terminal and width is None and output is None:
        width = max(60, min(140, _terminal_width()))
    options = RenderOptions(timestamp=_timestamp(timestamp), width=width, color=color)
    text = FORMATS[output_format.value](report, options)
    if output is not None:
        write_atomic(output, text)
    else:
        try:
            sys.stdout.write(text)
            sys.stdout.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise UsageError(f"cannot write the report to standard output: {exc.strerror or exc}") from None


def _terminal_width() -> int:
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


def main(argv: list[str] | None = None) -> int:
    """Console entry point: run the app, turn every user error into one line and exit 2."""
    command = typer.main.get_command(app)
    click_error = _click_exception_class()
    _exit_cleanly_on_signals()
    try:
        result = command.main(args=argv, prog_name="provenance", standalone_mode=False)
    except ProvenanceError as exc:
        sys.stderr.write(f"provenance: error: {exc.message}\n")
        return exc.exit_code
    except click_error as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":
            ctx = getattr(exc, "ctx", None)
            sys.stdout.write((ctx.get_help() if ctx is not None else "") + "\n")
            return 0
        message = " ".join(exc.format_message().split())  # type: ignore[attr-defined]
        sys.stderr.write(f"provenance: error: {message} (see 'provenance --help')\n")
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
    except Exception as exc:  # a bug: say so in one line, unless asked for the details
        if os.environ.get("PROVENANCE_DEBUG"):
            raise
        sys.stderr.write(f"provenance: internal error: {type(exc).__name__}: {' '.join(str(exc).split())[:300]} "
                         "(a bug: please report it; PROVENANCE_DEBUG=1 shows the traceback)\n")
        return 70
    return result if isinstance(result, int) else 0


def run() -> None:
    """Entry point of the `provenance` console script."""
    sys.exit(main())


if __name__ == "__main__":
    run()
