"""Scan: compare many documents against an index, one JSON report per document.

Scale by composition: for each document the index names the candidate sources
(`Index.candidates`), and the comparator of one document (`compare_texts`) runs on the document
and those sources, read back from the index exactly as they were indexed, with one difference:
its paraphrase search runs over every indexed source (`Index.sentences`, with the rarity weights of
all of them, and by meaning when the installation has an encoder whose vectors the index holds),
and a source it finds a paraphrase in joins the candidates, as does every indexed source the
document's reference entries or links name (with the sidecar descriptions stored in the index), so
that a citation is judged against the source it names. Each report is therefore what
`provenance compare DOC --format json` against every indexed source finds, and byte for byte
`compare_texts` on the candidate sources listed in the summary with that search (`IndexFinder`).

Where the work runs is the engine's business: `local` (this process with `jobs=1`, otherwise a
process pool) or `dask` (a dask.distributed cluster). Workers receive the document's decoded
text and the index's path; they read sources from the index file, so the index must be reachable
at the same path on every worker.

Resuming: after a report is written (atomically), a small state file beside it records a key of
everything the report depends on (tool version, document path and sha256, the index's
fingerprint, the options). A document whose report and key are both there and whose key matches
is not compared again.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePath
from typing import Any

from provenance import __version__, meaning
from provenance.check.run import report_name as _check_report_name
from provenance.comparator.citations import KnownSource, read_references, sources_cited
from provenance.comparator.paraphrase import NEAREST, Near, Paraphrase, SentenceSearch, unit_text
from provenance.comparator.pipeline import compare_texts, known_names
from provenance.comparator.tuning import RECRUIT_MEANING
from provenance.corpus.index import Changed, Index, expand_paths
from provenance.corpus.sentences import IndexedSentences
from provenance.corpus.vectors import Encoder, check_encoder, default_encoder, encoder_of
from provenance.errors import ProvenanceError, UsageError, require_utf8_name, shown_name
from provenance.load import load_text
from provenance.output import write_atomic
from provenance.report.json_report import render_json
from provenance.text import DEFAULT_MAX_BYTES, Text

SUMMARY_SCHEMA = "provenance.scan/1"
STATE_DIR = ".provenance-scan"
"""Folder, inside the output folder, of the per-document resume keys."""
SUMMARY_NAME = "summary.json"
ENGINES = ("local", "dask")
CONNECT_TIMEOUT = 10.0
"""Seconds to wait for a Dask scheduler before giving up."""


@dataclass(frozen=True, slots=True)
class ScanOptions:
    """Options every document of a scan is compared with."""

    reuse: bool = True
    max_bytes: int = DEFAULT_MAX_BYTES
    timestamp: str | None = None
    """Time written in every report (`generated_at`), or none."""
    timestamp_pinned: bool = True
    """Whether `timestamp` is a fixed time that an up-to-date report must carry (SOURCE_DATE_EPOCH, a
    caller's time); False when it is the time of the run, so that a rerun only redoes the reports
    whose choice of a time or none differs."""

    def timestamp_key(self) -> str:
        """What the resume key records of the timestamp: none, the time of a run, or a fixed time."""
        if self.timestamp is None:
            return "none"
        return f"fixed {self.timestamp}" if self.timestamp_pinned else "time of the run"


@dataclass(frozen=True, slots=True)
class DocOutcome:
    """What became of one document."""

    document: str
    report: str
    """File name of its report inside the output folder."""
    status: str
    """`compared`, `skipped` (its report was up to date) or `failed`."""
    sources: tuple[str, ...] = ()
    """Paths of the candidate sources it was compared with, in index order."""
    error: str | None = None
    summary: dict[str, Any] = field(default_factory=dict)
    parameter: str | None = None
    """The option the error is about, if any (`max_bytes`), as `ProvenanceError.parameter`."""


@dataclass(frozen=True, slots=True)
class ScanResult:
    outcomes: tuple[DocOutcome, ...]
    changed_sources: tuple[Changed, ...]

    @property
    def failed(self) -> list[DocOutcome]:
        return [o for o in self.outcomes if o.status == "failed"]


# -- the work on one document (runs on a worker) --------------------------------------------------

_local = threading.local()


def _index(path: str) -> Index:
    """The worker's open index (one connection per thread and index file), read anew when the file
    has changed since it was last used (a worker kept between scans: a Dask worker, a library caller)."""
    cache: dict[str, Index] | None = getattr(_local, "indexes", None)
    if cache is None:
        cache = _local.indexes = {}
    index = cache.get(path)
    if index is not None and not index.current():
        index.close()
        index = None
    if index is None:
        index = cache[path] = Index.open(path)
    return index


def compare_document(document: Text, index_path: str, reuse: bool = True,
                     timestamp: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[str, tuple[str, ...]]:
    """The JSON report of one document against its candidate sources, and those sources' paths.

    The candidates are the sources the n-gram index chose and those the document cites; the
    paraphrase search runs over every indexed source (`Index.sentences`): a source it finds a
    paraphrase in by shared rare words, or holding a sentence near an unmatched quotation by the
    index's vectors that the decision model finds alike (`IndexFinder`), joins the candidates (the
    comparison is made again with it), so that the report finds what `compare` against every
    indexed source finds."""
    index = _index(index_path)
    rowids = index.candidates(document)
    cited = _cited(index, index_path, document, max_bytes)
    if not cited <= set(rowids):  # a source the document cites, which the n-grams did not choose
        rowids = sorted({*rowids, *cited})
    search = index.sentences(_encoder(index))
    judge = meaning.default_encoder() if search.store is not None else None
    while True:
        sources = [index.text(r, max_bytes=max_bytes) for r in rowids]
        finder = IndexFinder(search, rowids, judge)
        report = compare_texts(document, sources, find_unmarked=reuse, paraphrases=finder,
                               entries=[index.entry(r) for r in rowids])
        if not finder.missed:
            return render_json(report, timestamp=timestamp), tuple(s.path for s in sources)
        rowids = sorted({*rowids, *finder.missed})


def _encoder(index: Index) -> Encoder | None:
    """The encoder a scan searches the index's vectors with: this installation's, when the index holds
    vectors (an index built where the meaning model is installed); none for an index without them (the
    search is lexical across the index, by meaning among the sources each document is compared with)."""
    return default_encoder() if encoder_of(index.conn) is not None else None


def _cited(index: Index, index_path: str, document: Text, max_bytes: int) -> set[int]:
    """The rowids of the indexed sources the document's reference entries and links name, so that a
    citation of an indexed source is judged against it as `compare` against every indexed source
    judges it, not reported as a citation of a source not given. The names of every indexed source
    are worked out once per worker and index (only for a document that has references or links)."""
    refs = read_references(document.original)  # read once: whether there are any, and what they name
    if not refs and "](" not in document.original:
        return set()
    cache: dict[tuple[str, str], tuple[list[int], list[KnownSource]]] = _local.__dict__.setdefault("known", {})
    key = (index_path, index.fingerprint())
    if key not in cache:
        rowids = [r.rowid for r in index.sources()]
        texts = [index.text(r, max_bytes=max_bytes) for r in rowids]
        cache.clear()
        cache[key] = rowids, known_names(texts, [index.entry(r) for r in rowids])
    rowids, known = cache[key]
    return {rowids[k] for k in sources_cited(document.original, refs, known)}


class IndexFinder:
    """A paraphrase search over a whole index, for a comparison with some of its sources (`rowids`, in
    that order): a paraphrase in one of them is given by its number among them; one in another
    source is not given (the passage stays unmatched) and its source is kept in `missed`.

    A unit of another source near a quotation by the index's vectors (`nearest_units`) has its
    source kept in `missed` too when the decision model (`judge`, `provenance.meaning.default_encoder`)
    finds the two at least `RECRUIT_MEANING` alike: the static vectors rank units coarsely, and a
    source that cannot hold the paraphrase stays out of the comparison. Without `judge`, every
    such source is kept."""

    def __init__(self, search: SentenceSearch, rowids: Sequence[int], judge: Encoder | None = None) -> None:
        self.search = search
        self.number = {r: k for k, r in enumerate(rowids)}
        self.missed: set[int] = set()
        self.judge = judge

    def find(self, keys: Sequence[str]) -> Paraphrase | None:
        return self._numbered(self.search.find(keys))

    def nearest_units(self, text: str, k: int = NEAREST) -> list[Near]:
        """The units of the whole index nearest the quotation by the index's vectors: those of sources
        in the comparison numbered in it; the sources of the others kept in `missed` (see the class)."""
        out, outside = [], []
        for near in self.search.nearest_units(text, k):
            n = self.number.get(near.source)
            if n is None:
                outside.append(near)
            else:
                out.append(replace(near, source=n))
        if outside:
            self.missed.update(self._alike(text, outside))
        return out

    def prefetch(self, texts: Sequence[str], k: int = NEAREST) -> None:
        self.search.prefetch(texts, k)

    def _alike(self, text: str, units: Sequence[Near]) -> set[int]:
        """The sources of those `units` the decision model finds alike enough to the quotation."""
        text_of = self.search.text_of if isinstance(self.search, IndexedSentences) else None
        if self.judge is None or text_of is None:
            return {u.source for u in units}
        rows = self.judge.encode([unit_text(text_of(u.source), u.lo, u.hi) for u in units])
        query = self.judge.encode([text])[0]
        return {u.source for u, sim in zip(units, rows @ query, strict=True) if float(sim) >= RECRUIT_MEANING}

    def _numbered(self, found: Paraphrase | None) -> Paraphrase | None:
        if found is None:
            return None
        k = self.number.get(found.source)
        if k is None:
            self.missed.add(found.source)
            return None
        return replace(found, source=k)


def _work(document: Text, index_path: str, options: ScanOptions) -> dict[str, Any]:
    """`compare_document` with errors returned, not raised: one bad document does not stop a scan."""
    try:
        text, sources = compare_document(document, index_path, options.reuse, options.timestamp, options.max_bytes)
    except ProvenanceError as exc:
        return {"error": exc.message, "parameter": exc.parameter}
    except Exception as exc:  # a bug on one document fails that document only
        return {"error": _internal(exc)}
    return {"json": text, "sources": list(sources)}


# -- the driver ---------------------------------------------------------------------------------


_ROOT_MARK = "%root"
"""The first part of the report path of a document named by an absolute path (`/srv/a.md` ->
`%root/srv/a.md.json`)."""
_HERE_MARK = "%here"
"""The first part of the report path of a document whose report would take the name of the summary
or of the folder of resume keys (a document named `summary` -> `%here/summary.json`)."""


def report_name(document: str) -> str:
    """Where the report of `document` (its path as given) goes inside the output folder.

    The name is `check`'s (`report_name`: the document's path with each part escaped, `.json`
    added), so it depends on the document's path alone: two documents never share a report, the
    same document gets the same report on every run, and no report lands outside the folder. An
    absolute path gets a first part `%root`, and a report that would be the summary or fall in the
    folder of resume keys a first part `%here`: escaped parts never open with either, so the
    mapping stays injective."""
    path = PurePath(document)
    if path.is_absolute():
        relative = PurePath(*path.parts[1:]) if len(path.parts) > 1 else PurePath("%root")
        return f"{_ROOT_MARK}/{_check_report_name(str(relative), '.json')}"
    name = _check_report_name(str(path) if path.parts else "document", ".json")
    if name == SUMMARY_NAME or name.split("/", 1)[0] == STATE_DIR:
        return f"{_HERE_MARK}/{name}"
    return name


def report_names(documents: Sequence[str]) -> list[str]:
    """The report name of each document (`report_name`)."""
    return [report_name(d) for d in documents]


def _key(document: Text, fingerprint: str, options: ScanOptions) -> str:
    data = [__version__, document.path, document.sha256, fingerprint, options.reuse, options.max_bytes,
            options.timestamp_key()]
    return hashlib.sha256(json.dumps(data).encode()).hexdigest()


def _summary_of(report_json: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(report_json)
    summary: dict[str, Any] = data.get("summary", {})
    return summary


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def scan(documents: Sequence[str | Path], index_path: str | Path, output: str | Path, *,
         options: ScanOptions = ScanOptions(), jobs: int | None = None, engine: str = "local",
         scheduler: str | None = None, on_start: Callable[[int, int], None] | None = None,
         on_done: Callable[[DocOutcome], None] | None = None) -> ScanResult:
    """Compare every document with its candidate sources from the index; write reports and a summary.

    `on_start(to_compare, skipped)` is called once the up-to-date reports are known, `on_done`
    after each document. Returns what became of each document, in the order given.
    """
    if engine not in ENGINES:
        raise UsageError(f"unknown engine {engine!r} (choose from {', '.join(ENGINES)})", parameter="engine")
    if engine == "dask" and not scheduler:
        raise UsageError("the dask engine needs the address of a dask.distributed scheduler", parameter="scheduler")
    if engine != "dask" and scheduler:
        raise UsageError(f"a scheduler address is for the dask engine only, not the {engine} one", parameter="engine")
    if jobs is not None and jobs < 1:
        raise UsageError(f"the number of jobs must be at least 1, not {jobs}", parameter="jobs")
    paths = _documents(documents, Path(index_path), Path(output))
    index_file = os.path.abspath(index_path)
    with Index.open(index_path) as index:
        encoder = _encoder(index)
        check_encoder(index.conn, f"index {str(index_path)!r}", encoder)  # before any worker starts
        # The reports depend on the encoder of the run too (none: a lexical search).
        fingerprint = f"{index.fingerprint()}:{encoder.name if encoder is not None else None}"
        changed = tuple(index.changed())
    client = _connect(scheduler or "") if engine == "dask" else None
    try:
        return _scan(paths, index_file, fingerprint, changed, Path(output), options, jobs, client, on_start, on_done)
    finally:
        if client is not None:
            client.close()


def _documents(documents: Sequence[str | Path], index: Path, output: Path) -> list[str]:
    """The files to scan: those named and those in the folders named, each once, in order, leaving out
    the scan's own files: the output folder with its reports and resume keys, and the index."""
    paths = [str(p) for p in expand_paths(documents)]
    if "-" in paths:
        raise UsageError("scan reads documents from files, not from standard input")
    own = os.path.realpath(index)
    index_files = {own, f"{own}-wal", f"{own}-shm", f"{own}-journal"}
    out = Path(os.path.realpath(output))

    def own_file(path: str) -> bool:
        real = os.path.realpath(path)
        return real in index_files or Path(real).is_relative_to(out)

    kept = [p for p in dict.fromkeys(paths) if not own_file(p)]
    if not kept:
        raise UsageError("no document to scan" + (" (the output folder and the index are not documents)"
                                                  if paths else ""))
    return kept


def _scan(paths: list[str], index_file: str, fingerprint: str, changed: tuple[Changed, ...], out: Path,
          options: ScanOptions, jobs: int | None, client: Any, on_start: Callable[[int, int], None] | None,
          on_done: Callable[[DocOutcome], None] | None) -> ScanResult:
    """The scan once its arguments are checked: plan, compare what is not up to date, write the summary."""
    _make_output_folder(out)
    names = report_names([shown_name(p) for p in paths])  # a name that is not UTF-8 fails, unwritten
    writer = _ReportWriter(out, paths, names, on_done)
    todo: list[tuple[int, Text, str]] = []
    for i, (path, name) in enumerate(zip(paths, names, strict=True)):
        try:
            require_utf8_name(path, "document")
            doc = load_text(path, id="document", role="document", max_bytes=options.max_bytes)
        except ProvenanceError as exc:
            writer.outcomes[i] = DocOutcome(shown_name(path), name, "failed", error=exc.message,
                                            parameter=exc.parameter)
            continue
        key = _key(doc, fingerprint, options)
        skipped = _up_to_date(out, path, name, key)
        if skipped is not None:
            writer.outcomes[i] = skipped
        else:
            todo.append((i, doc, key))
    if on_start is not None:
        on_start(len(todo), len(writer.outcomes))
    if on_done is not None:
        for i in sorted(writer.outcomes):
            on_done(writer.outcomes[i])
    if todo:
        if client is not None:
            _run_dask(todo, index_file, options, client, writer.finish)
        else:
            _run_local(todo, index_file, options, jobs or os.cpu_count() or 1, writer.finish)
    result = ScanResult(tuple(writer.outcomes[i] for i in range(len(paths))), changed)
    write_atomic(out / SUMMARY_NAME, render_summary(result, index_file))
    return result


def _make_output_folder(out: Path) -> None:
    """Make the output folder and its folder of resume keys; one clear error when that cannot be."""
    output = str(out)
    if out.exists() and not out.is_dir():
        raise UsageError(f"output folder {str(output)!r}: not a directory", parameter="output")
    try:
        (out / STATE_DIR).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"output folder {str(output)!r}: cannot make it ({exc.strerror or exc})",
                         parameter="output") from None


def _up_to_date(out: Path, path: str, name: str, key: str) -> DocOutcome | None:
    """The outcome `skipped` of a document whose report and resume key `key` are already there, else None."""
    old = _read(out / name)
    if old is None or _read(out / STATE_DIR / f"{name}.key") != key:
        return None
    try:
        data = json.loads(old)
        sources = tuple(s["path"] for s in data["sources"])
        return DocOutcome(path, name, "skipped", sources, summary=data["summary"])
    except (ValueError, KeyError, TypeError):
        return None  # not a report after all: compare again


class _ReportWriter:
    """Writes each compared document's report and resume key, and keeps every document's outcome."""

    def __init__(self, out: Path, paths: Sequence[str], names: Sequence[str],
                 on_done: Callable[[DocOutcome], None] | None) -> None:
        self.out = out
        self.paths = paths
        self.names = names
        self.on_done = on_done
        self.outcomes: dict[int, DocOutcome] = {}
        """Outcome by document number, in the order they became known."""

    def finish(self, i: int, key: str, result: dict[str, Any]) -> None:
        """Record what became of document `i` (a report to write, or an error) and tell `on_done`."""
        path, name = self.paths[i], self.names[i]
        if "error" in result:
            outcome = DocOutcome(path, name, "failed", error=str(result["error"]), parameter=result.get("parameter"))
        else:
            try:
                self._write(name, result["json"], key)
                outcome = DocOutcome(path, name, "compared", tuple(result["sources"]),
                                     summary=_summary_of(result["json"]))
            except ProvenanceError as exc:
                outcome = DocOutcome(path, name, "failed", error=exc.message)
        self.outcomes[i] = outcome
        if self.on_done is not None:
            self.on_done(outcome)

    def _write(self, name: str, report: str, key: str) -> None:
        """The report, then its resume key (only once the report is complete), making their folders."""
        report_path, key_path = self.out / name, self.out / STATE_DIR / f"{name}.key"
        for folder in (report_path.parent, key_path.parent):
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise UsageError(f"cannot make the folder {str(folder)!r}: {exc.strerror or exc}") from None
        write_atomic(report_path, report)
        write_atomic(key_path, key)


Finish = Callable[[int, str, dict[str, Any]], None]


def _run_local(todo: Sequence[tuple[int, Text, str]], index_file: str, options: ScanOptions, jobs: int,
               finish: Finish) -> None:
    if jobs == 1 or len(todo) == 1:
        for i, doc, key in todo:
            finish(i, key, _work(doc, index_file, options))
        return
    _run_pools(todo, index_file, options, min(jobs, len(todo)), finish)


def _run_pools(todo: Sequence[tuple[int, Text, str]], index_file: str, options: ScanOptions, jobs: int,
               finish: Finish) -> None:
    """Each document on one of `jobs` single-process pools, one document at a time on each: a worker
    that dies (killed by the out-of-memory killer, a crash) costs only the document it was comparing,
    which is reported failed; its pool is replaced and the others go on."""
    from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    def new_pool() -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=1, initializer=_ignore_interrupts)

    queue = list(reversed(todo))
    pools = [new_pool() for _ in range(jobs)]
    running: dict[Future[dict[str, Any]], tuple[int, int, str]] = {}  # future: (slot, document, key)

    def submit(slot: int) -> None:
        if queue:
            i, doc, key = queue.pop()
            fut = pools[slot].submit(_work, doc, index_file, options)
            running[fut] = (slot, i, key)

    try:
        for slot in range(jobs):
            submit(slot)
        while running:
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for fut in done:
                slot, i, key = running.pop(fut)
                try:
                    result = fut.result()
                except BrokenProcessPool:
                    result = {"error": _DIED}
                    pools[slot].shutdown(wait=False)
                    pools[slot] = new_pool()
                except Exception as exc:  # the document could not even be sent (it does not pickle)
                    result = {"error": _internal(exc)}
                finish(i, key, result)
                submit(slot)
    finally:
        for pool in pools:
            pool.shutdown(wait=True, cancel_futures=True)


_DIED = ("the worker process comparing it stopped before it was done (killed, perhaps for lack of memory); "
         "the other documents went on")


def _internal(exc: BaseException) -> str:
    """An unexpected error of one document's comparison as its `failed` message."""
    return (f"internal error while comparing it: {type(exc).__name__}: {' '.join(str(exc).split())[:300]} "
            "(a bug: please report it)")


def _ignore_interrupts() -> None:
    """Workers leave Ctrl-C to the driver, which stops the pool (no traceback from every worker)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


SCHEMES = ("tcp",)
"""The address schemes of a scheduler a scan can reach (TLS needs certificates it has no option for)."""


def _connect(scheduler: str) -> Any:
    """A client of the Dask scheduler at `scheduler`; one clear error when that cannot be, within
    `CONNECT_TIMEOUT` seconds even when the scheduler's port accepts and then never answers."""
    try:
        from distributed import Client
    except ImportError:
        raise UsageError("the dask engine needs dask.distributed: pip install 'provenance[dask]'",
                         parameter="engine") from None
    scheme, sep, _ = scheduler.partition("://")
    if sep and scheme.lower() not in SCHEMES:
        raise UsageError(f"cannot use the Dask scheduler address {scheduler!r}: a scan reaches schedulers at "
                         f"{', '.join(s + '://HOST:PORT' for s in SCHEMES)} only", parameter="scheduler")
    found: dict[str, Any] = {}

    def connect() -> None:
        try:
            found["client"] = Client(scheduler, timeout=CONNECT_TIMEOUT)  # type: ignore[no-untyped-call]
        except Exception as exc:  # refused, a bad address, garbage instead of Dask's protocol
            found["error"] = exc

    worker = threading.Thread(target=connect, name="provenance-dask-connect", daemon=True)
    worker.start()
    worker.join(CONNECT_TIMEOUT)  # Client's own timeout does not cover a peer that never answers
    if "client" in found:
        return found["client"]
    error = found.get("error")
    if error is None:
        reason = "no answer"
    elif isinstance(error, (OSError, TimeoutError)):
        reason = type(error).__name__
    else:  # what answered does not speak Dask's protocol (an HTTP server, say): decoding it failed
        reason = f"the answer is not Dask's protocol: {type(error).__name__}"
    raise UsageError(f"cannot reach a Dask scheduler at {scheduler!r} within {CONNECT_TIMEOUT:.0f} s "
                     f"({reason})", parameter="scheduler")


def _run_dask(todo: Sequence[tuple[int, Text, str]], index_file: str, options: ScanOptions, client: Any,
              finish: Finish) -> None:
    from distributed import as_completed

    futures = {}
    for i, doc, key in todo:
        fut = client.submit(_work, doc, index_file, options, pure=False)
        futures[fut] = (i, key)
    for fut in as_completed(list(futures)):  # type: ignore[no-untyped-call]
        i, key = futures[fut]
        try:
            result = fut.result()
        except Exception as exc:  # a worker lost (KilledWorker), a task the cluster could not run
            result = {"error": f"the Dask cluster could not compare it: {type(exc).__name__}: "
                               f"{' '.join(str(exc).split())[:300]}"}
        finish(i, key, result)


def render_summary(result: ScanResult, index_file: str) -> str:
    """The scan's summary as JSON (schema `provenance.scan/1`), deterministic."""
    changed = {c.path for c in result.changed_sources}
    docs = []
    for o in result.outcomes:
        entry: dict[str, Any] = {"document": o.document, "report": o.report, "status": o.status,
                                 "sources": list(o.sources)}
        if o.error is not None:
            entry["error"] = o.error
        else:
            entry["changed_sources"] = sorted(changed.intersection(o.sources))
            entry["passages"] = o.summary.get("passages", 0)
            entry["by_verdict"] = o.summary.get("by_verdict", {})
        docs.append(entry)
    totals: dict[str, int] = {}
    for o in result.outcomes:
        totals[o.status] = totals.get(o.status, 0) + 1
    data = {
        "schema": SUMMARY_SCHEMA,
        "tool": {"name": "provenance", "version": __version__},
        "index": index_file,
        "documents": docs,
        "totals": totals,
        "changed_sources": [{"path": c.path, "indexed_sha256": c.indexed_sha256, "current_sha256": c.current_sha256}
                            for c in result.changed_sources],
    }
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2) + "\n"


__all__ = ["ScanOptions", "ScanResult", "DocOutcome", "scan", "compare_document", "report_names", "ENGINES"]
