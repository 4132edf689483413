"""The build pipeline: report files → segments → extracted facts → RDF → ``data/triples.ttl`` (or TriG/N-Quads).

Each report is built on its own (:func:`~kg.build.part.part_worker`), one task per report on any
``concurrent.futures``-style executor (a local process pool with ``jobs``, or a Dask cluster:
:mod:`kg.build.executors`), into sorted N-Triples lines spooled to a temporary folder; the
reports are then merged in one streaming pass, in input order whatever order the tasks finish,
so a corpus of thousands of reports never has to fit in one in-memory graph. Built reports are
kept in a cache (:mod:`kg.build.cache`) keyed by everything that shapes them, so a rebuild
builds only what changed; TriG and N-Quads output is then joined from each report's cached,
already written graph (:mod:`kg.build.named`) instead of merged, and a rebuild whose inputs,
code and data are those of the build that wrote the output, untouched since, writes nothing.
Cross-report links (:mod:`kg.rdf.crosslink`) are computed from the indicator concepts alone.
The output format follows the file suffix:

* ``.ttl`` — Turtle, the union of every report (the default ``data/triples.ttl``);
* ``.trig`` / ``.nq`` — each report in its own named graph (the report IRI), and the
  cross-report links in :data:`LINKS_GRAPH`;
* ``.nt`` — N-Triples, the union;
* a folder (``DIR/``, or an existing directory) — one N-Quads file per named graph and a
  manifest (:mod:`kg.rdf.folder`), joined in manifest order the ``.nq`` output byte for byte.

Serial, parallel, distributed and cached builds give byte-identical output.

>>> from kg.resources import ontology_dir
>>> report = ontology_dir().parent / "data" / "source" / "jiading-2021.txt"
>>> graph = build_graph([report])
>>> len(graph) > 1000
True
"""

from __future__ import annotations

import hashlib
import itertools
import multiprocessing
import os
import signal
import tempfile
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Graph

from kg.build.cache import DEFAULT_CACHE, BuildCache, entry_key, fingerprint, output_key
from kg.build.executors import worker_count
from kg.build.named import write_named
from kg.build.part import (
    ReportPart,
    document_to_graph,
    indicator_labels,
    input_document,
    link_lines,
    part_worker,
    repeated,
    report_key,
    report_part,
)
from kg.errors import InputError, KGError
from kg.rdf.crosslink import cross_links
from kg.rdf.folder import FolderWriter
from kg.rdf.serialize import (
    TEMP_MARK,
    atomic_writer,
    line_chunks,
    merge_unique,
    nquads_graph,
    remove_stale_temps,
    write_batched,
    write_nquads,
    write_trig,
    write_turtle,
)
from kg.text.datasets import ReportInput, Skipped, read_inputs, read_manifest
from kg.text.segment import Document, segment
from kg.text.source import read_source
from kg.vocab.iri import PREFIXES, mint, new_graph

__all__ = [
    "DEFAULT_CACHE", "DEFAULT_OUTPUT", "DEFAULT_SOURCES", "FORMATS", "LINKS_GRAPH", "BuildCache", "BuildResult",
    "ReportPart", "build", "build_graph", "default_sources", "document_to_graph", "input_document", "is_output_folder",
    "iter_parts", "output_format", "read_documents", "report_part",
]

DEFAULT_SOURCES = Path("data/source")
DEFAULT_OUTPUT = Path("data/triples.ttl")
#: The named graph that holds links between reports' concepts in TriG/N-Quads output.
LINKS_GRAPH = mint("graph", "links")
#: Output formats by file suffix.
FORMATS = {".ttl": "turtle", ".trig": "trig", ".nq": "nquads", ".nt": "ntriples"}
_INDICATOR_IRI = str(mint("indicator", ""))
#: Sorted runs merged at once; more runs are merged in rounds, so open files stay few.
_MERGE_FAN_IN = 128


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote, and which inputs it skipped (with why)."""

    output: Path
    reports: int
    triples: int
    skipped: tuple[Skipped, ...] = ()
    stats: PartStats = field(default_factory=lambda: PartStats())  #: built now vs reused from the cache
    cached: bool = False  #: whether a cache was used (``stats`` then says what it held)
    unchanged: bool = False  #: ``output`` already held what this build would write: nothing was written


def default_sources(folder: Path = DEFAULT_SOURCES) -> list[Path]:
    """Every ``*.txt`` report in ``folder``, sorted by name."""
    if not folder.is_dir():
        raise InputError(
            f"{folder}: no such folder; run kg build from the project folder or name the reports"
        )
    paths = sorted(folder.glob("*.txt"))
    if not paths:
        raise InputError(f"{folder}: holds no *.txt reports; copy a report there or name one")
    return paths


def read_documents(
    paths: Sequence[Path], *, government: str | None = None, year: int | None = None
) -> list[Document]:
    """Read and segment each report; overrides apply to every report given."""
    return [segment(read_source(p), government=government, year=year) for p in paths]


@dataclass
class PartStats:
    """How a build came by its reports: built now, or reused from the cache."""

    built: int = 0
    reused: int = 0
    corrupt: int = 0  #: cache entries that could not be trusted, so were rebuilt

    def count_reused(self) -> None:
        """One more report taken from the cache."""
        self.reused += 1

    def describe(self) -> str:
        """The line ``kg build`` prints: ``cache: 87 reused, 1 built``."""
        return f"cache: {self.reused} reused, {self.built} built" + (
            f" ({self.corrupt} unreadable entries rebuilt)" if self.corrupt else "")


def _process_pool(workers: int) -> ProcessPoolExecutor:
    """The local executor: forked processes (they share the parent's loaded lexicons), which
    ignore Ctrl-C, so the parent alone stops the build and it ends with one message."""
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                               initializer=signal.signal, initargs=(signal.SIGINT, signal.SIG_IGN))


def _in_order(tasks: Iterable[ReportInput], executor: Executor | None, window: int) -> Generator[ReportPart | Skipped]:
    """Each task's result, in task order whatever order they finish; at most ``window`` tasks are
    in flight, so results waiting to be merged stay few."""
    if executor is None:
        yield from map(part_worker, tasks)
        return
    queue = iter(tasks)
    pending: deque[tuple[ReportInput, Any]] = deque()

    def submit(count: int) -> None:
        for item in itertools.islice(queue, count):
            pending.append((item, executor.submit(part_worker, item)))

    submit(max(1, window))
    try:
        while pending:
            item, future = pending.popleft()
            submit(1)
            try:
                result = future.result()
            except KGError:
                raise
            except Exception as err:  # a dead worker, a worker without kg installed, a lost cluster
                raise InputError(f"{item.origin}: its build task failed on the executor ({type(err).__name__}: "
                                 f"{err}); check that every worker runs the same kg, or build without it") from err
            if isinstance(result, ReportPart) and result.fingerprint != fingerprint():
                raise InputError(f"{item.origin}: was built by a worker running other kg code or data (fingerprint "
                                 f"{result.fingerprint[:12]}, here {fingerprint()[:12]}); install the same kg on "
                                 "every worker")
            yield result
    finally:
        for _, future in pending:
            future.cancel()


def iter_parts(
    inputs: Iterable[ReportInput | Skipped],
    *,
    jobs: int = 1,
    executor: Executor | None = None,
    window: int | None = None,
    cache: BuildCache | None = None,
    options: dict[str, Any] | None = None,
    stats: PartStats | None = None,
) -> Iterator[ReportPart | Skipped]:
    """Build each input, in input order: on ``executor`` if given, else in ``jobs`` local processes.

    ``executor`` is anything with ``concurrent.futures.Executor``'s ``submit`` (whose futures
    have ``result()``): a ``ProcessPoolExecutor``, a Dask ``Client.get_executor()``; at most
    ``window`` reports are in flight (default: four per worker, 256 when the executor won't say).
    With ``cache``, a report whose entry is there (same content, code, data and ``options``) is
    read back instead of built, and each report built is stored; ``stats`` counts both.

    What cannot be built comes out as :class:`~kg.text.datasets.Skipped` with its reason; so does
    a second input of a report already built (same government and year).
    """
    seen: dict[str, str] = {}
    for part in _parts(inputs, jobs=jobs, executor=executor, window=window, cache=cache, options=options,
                       stats=stats):
        if isinstance(part, ReportPart) and (why := repeated(seen, part.key, part.origin)):
            yield Skipped(part.origin, why, "build one of them, or give its government and year in a manifest")
            continue
        yield part


def _parts(
    inputs: Iterable[ReportInput | Skipped],
    *,
    jobs: int = 1,
    executor: Executor | None = None,
    window: int | None = None,
    cache: BuildCache | None = None,
    options: dict[str, Any] | None = None,
    stats: PartStats | None = None,
) -> Iterator[ReportPart | Skipped]:
    """:func:`iter_parts` without its same-report check."""
    items = list(inputs)
    stats = stats if stats is not None else PartStats()
    keys = {i: entry_key(item, options) for i, item in enumerate(items)
            if cache is not None and isinstance(item, ReportInput)}
    todo = [i for i, item in enumerate(items)
            if isinstance(item, ReportInput) and (cache is None or keys[i] not in cache)]
    with ExitStack() as stack:
        if executor is None and jobs > 1 and len(todo) > 1:
            pool = _process_pool(min(jobs, len(todo)))
            # Cancel what has not started: on Ctrl-C the build stops after the reports in hand.
            stack.callback(pool.shutdown, wait=True, cancel_futures=True)
            executor, window = pool, window or 4 * jobs
        if executor is not None and window is None:
            window = 4 * (worker_count(executor) or 64)
        built = _in_order([item for i in todo if isinstance(item := items[i], ReportInput)], executor, window or 1)
        stack.callback(built.close)
        queued = set(todo)
        for i, item in enumerate(items):
            if isinstance(item, Skipped):
                yield item
                continue
            part = None if i in queued or cache is None else cache.get(keys[i])
            if part is not None:
                stats.reused += 1
            else:
                part = next(built) if i in queued else part_worker(item)  # not queued: an unreadable entry
                stats.built += 1
                if cache is not None:
                    cache.put(keys[i], part)
            yield part
    if cache is not None:
        stats.corrupt = cache.corrupt


def build_graph(
    paths: Sequence[str | Path],
    *,
    government: str | None = None,
    year: int | None = None,
    progress: Callable[[Iterable[Any]], Iterable[Any]] | None = None,
) -> Graph:
    """Build one in-memory graph from reports (the union of every report, with links).

    ``paths`` are files, folders or datasets, as for :func:`build`; an input that cannot be
    built raises :class:`~kg.errors.InputError`. ``progress`` wraps the iteration over inputs.
    """
    items = list(read_inputs(paths, government=government, year=year))
    graph = new_graph()
    seen: dict[str, str] = {}
    indicators = Graph()
    for item in progress(items) if progress else items:
        if isinstance(item, Skipped):
            raise InputError(item.message())
        doc = input_document(item)
        if why := repeated(seen, report_key(doc), item.origin):
            raise InputError(f"{item.origin}: is {why}; build one of them, or set --government/--year")
        document_to_graph(doc, graph)
    for triple in graph:
        if str(triple[0]).startswith(_INDICATOR_IRI):
            indicators.add(triple)
    graph += cross_links(indicators)
    return graph


class _Spool:
    """Sorted runs of N-Triples lines in temporary files, merged lazily."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.runs: list[tuple[str, Path]] = []

    def add(self, name: str, lines: Iterable[str]) -> None:
        path = self.folder / f"run-{len(self.runs):06d}.nt"
        with path.open("w", encoding="utf-8", newline="\n") as handle:
            write_batched(handle, lines)
        self.runs.append((name, path))

    def named(self) -> Iterator[tuple[str, Iterator[str]]]:
        """Each run in graph-name order, as (name, lines)."""
        for name, path in sorted(self.runs):
            with path.open(encoding="utf-8", newline="\n") as handle:
                yield name, iter(handle)

    def union(self) -> Iterator[str]:
        """All runs merged, sorted and de-duplicated (in rounds of :data:`_MERGE_FAN_IN` files).

        Each run repeats no line (a report's lines are a set; a round's output is de-duplicated), as
        :func:`~kg.rdf.serialize.merge_unique` needs."""
        paths = [path for _, path in self.runs]
        round_number = 0
        while len(paths) > _MERGE_FAN_IN:
            merged = []
            for start in range(0, len(paths), _MERGE_FAN_IN):
                target = self.folder / f"merge-{round_number}-{start:06d}.nt"
                with ExitStack() as stack, target.open("w", encoding="utf-8", newline="\n") as out:
                    handles = [stack.enter_context(p.open(encoding="utf-8", newline="\n"))
                               for p in paths[start:start + _MERGE_FAN_IN]]
                    out.writelines(merge_unique(*map(line_chunks, handles)))
                merged.append(target)
            paths, round_number = merged, round_number + 1
        with ExitStack() as stack:
            handles = [stack.enter_context(p.open(encoding="utf-8", newline="\n")) for p in paths]
            yield from merge_unique(*map(line_chunks, handles))


def is_output_folder(output: str | Path) -> bool:
    """Whether ``output`` names an output folder (:mod:`kg.rdf.folder`) rather than a file: a path
    ending in ``/`` (as a string), or an existing directory.

    >>> is_output_folder("build/corpus/"), is_output_folder("build/corpus.nq")
    (True, False)
    """
    return (isinstance(output, str) and output.endswith(("/", os.sep))) or Path(output).is_dir()


def output_format(output: str | Path) -> str:
    """The format for ``output``'s suffix (``folder`` for an output folder: :func:`is_output_folder`),
    or an :class:`InputError` naming the choices."""
    if is_output_folder(output):
        return "folder"
    suffix = Path(output).suffix.lower()
    if suffix not in FORMATS:
        raise InputError(
            f"{output}: unknown output suffix {suffix or '(none)'!r}; use one of {', '.join(sorted(FORMATS))}"
        )
    return FORMATS[suffix]


def build(
    paths: Sequence[str | Path] = (),
    output: str | Path = DEFAULT_OUTPUT,
    *,
    government: str | None = None,
    year: int | None = None,
    encoding: str | None = None,
    jobs: int = 1,
    text_field: str | None = None,
    manifest: str | Path | None = None,
    strict: bool = False,
    executor: Executor | None = None,
    window: int | None = None,
    cache: str | Path | BuildCache | None = None,
    progress: Callable[[Iterable[Any]], Iterable[Any]] | None = None,
    on_note: Callable[[str], None] | None = None,
) -> BuildResult:
    """Build ``output`` from ``paths``: report files, folders, JSONL or CSV datasets (default:
    every report in ``data/source/``).

    Every report that can be built is built; inputs that cannot (not a report, unreadable, the
    same report twice) are returned in :attr:`BuildResult.skipped` with their reasons. With
    ``strict``, or when nothing could be built, a skipped input raises
    :class:`~kg.errors.InputError` and nothing is written. ``manifest`` is a CSV of per-input
    overrides (see :func:`kg.text.datasets.read_manifest`); ``on_note`` receives each report's
    metadata notes (which source was believed where sources disagree).

    ``jobs`` processes build reports in parallel, or ``executor`` runs one task per report (any
    ``concurrent.futures``-style executor, e.g. :func:`kg.build.executors.dask_executor`; see
    :func:`iter_parts` for ``window``); the output is byte-identical to ``jobs=1``. ``cache`` is a
    folder (or :class:`~kg.build.cache.BuildCache`) of built reports: only reports whose content,
    code or data changed are built (:attr:`BuildResult.stats`), with byte-identical output.

    ``output`` ending in ``/`` (a string) or an existing directory is an output folder
    (:mod:`kg.rdf.folder`): one N-Quads file per named graph, only the changed ones written.
    ``output`` is written atomically: on any error the previous file is left as it was. Temporary
    files a killed build left next to it (``.NAME.*.kg-tmp-PID``, PID dead) are removed first.
    """
    sources = [Path(p) for p in paths] or default_sources()
    fmt = output_format(output)
    overrides = read_manifest(manifest) if manifest else None
    inputs = list(read_inputs(sources, text_field=text_field, manifest=overrides, government=government,
                              year=year, encoding=encoding))
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temps(output.parent, output.name)
    if fmt == "folder" and output.exists() and not output.is_dir():
        raise InputError(f"{output}: is a file, not a folder; remove it or name another folder to write")
    store = cache if isinstance(cache, BuildCache) or cache is None else BuildCache(cache)
    if store is not None:
        store.remove_stale()
    stats = PartStats()
    if store is None:
        return _merged(output, fmt, inputs, jobs=jobs, executor=executor, window=window, cache=None, stats=stats,
                       strict=strict, on_note=on_note, progress=progress)
    # A build whose format and inputs' keys are those of the build that wrote ``output``, and whose
    # output still has the bytes that build wrote, would write them again: it writes nothing.
    # (Not for a folder: each of its files is checked against the previous manifest instead.)
    record_key = output_key(output, fmt, inputs) if fmt != "folder" else None
    notes: list[str] = []

    def note(text: str) -> None:
        notes.append(text)
        if on_note:
            on_note(text)

    if record_key is not None and (done := store.record(record_key, output)) is not None:
        skipped = tuple(Skipped(*fields) for fields in done["skipped"])
        if strict and skipped:
            raise InputError(f"{skipped[0].message()} (--strict: nothing was written)")
        for text in done["notes"]:
            if on_note:
                on_note(text)
        stats.reused = sum(isinstance(item, ReportInput) for item in inputs)
        return BuildResult(output, done["reports"], done["triples"], skipped, stats, True, unchanged=True)
    if fmt in ("trig", "nquads", "folder"):
        written = write_named(
            output, "nquads" if fmt == "folder" else fmt, inputs, store, folder=fmt == "folder",
            parts=lambda todo: _parts(todo, jobs=jobs, executor=executor, window=window, cache=store, stats=stats),
            labels=indicator_labels, link_lines=link_lines, links_graph=str(LINKS_GRAPH), repeated=repeated,
            reused=stats.count_reused, strict=strict, on_note=note, progress=progress)
        result = BuildResult(output, written.reports, written.quads, written.skipped, stats, True)
    else:
        result = _merged(output, fmt, inputs, jobs=jobs, executor=executor, window=window, cache=store,
                         stats=stats, strict=strict, on_note=note, progress=progress)
    stats.corrupt = store.corrupt
    if record_key is not None:
            store.put_record(record_key, output, {"reports": result.reports, "triples": result.triples, "notes": notes,
                                              "skipped": [[s.origin, s.reason, s.fix] for s in result.skipped]})
    return result


def _merged(
    output: Path,
    fmt: str,
    inputs: list[ReportInput | Skipped],
    *,
    jobs: int,
    executor: Executor | None,
    window: int | None,
    cache: BuildCache | None,
    stats: PartStats,
    strict: bool,
    on_note: Callable[[str], None] | None,
    progress: Callable[[Iterable[Any]], Iterable[Any]] | None,
) -> BuildResult:
    """Build every input (or read it from ``cache``), spool the parts, and merge them into ``output``."""
    skipped: list[Skipped] = []
    built = 0
    with tempfile.TemporaryDirectory(dir=output.parent, prefix=f".{output.name}.parts.",
                                     suffix=f"{TEMP_MARK}{os.getpid()}") as tmp:
        spool = _Spool(Path(tmp))
        indicator_lines: list[str] = []
        parts = _Sized(iter_parts(inputs, jobs=jobs, executor=executor, window=window, cache=cache, stats=stats),
                       len(inputs))
        for part in progress(parts) if progress else parts:
            if isinstance(part, Skipped):
                if strict:
                    raise InputError(f"{part.message()} (--strict: nothing was written)")
                skipped.append(part)
                continue
            built += 1
            for note in part.notes:
                if on_note:
                    on_note(f"{part.origin}: {note}")
            spool.add(part.iri, part.lines)
            indicator_lines.extend(indicator_labels(part.lines))
        if not built:
            reasons = "; ".join(s.message() for s in skipped[:5])
            raise InputError(f"no report could be built from {len(inputs)} input(s): {reasons}")
        spool.add(str(LINKS_GRAPH), link_lines(sorted(set(indicator_lines))))
        counter = _Counter()
        if fmt == "folder":
            writer = FolderWriter(output)
            for name, lines in spool.named():
                body = nquads_graph(name, counter.count(lines)).encode("utf-8")
                digest = hashlib.sha256(body).hexdigest()
                if writer.unchanged(name, digest, len(body)):
                    writer.keep(name, digest, len(body))
                else:
                    writer.write(name, body)
            writer.finish()
            return BuildResult(output, built, counter.total, tuple(skipped), stats, cache is not None)
        with atomic_writer(output) as handle:
            if fmt == "turtle":
                write_turtle(handle, counter.count(spool.union()), PREFIXES)
            elif fmt == "ntriples":
                handle.writelines(counter.count(spool.union()))
            elif fmt == "trig":
                write_trig(handle, ((name, counter.count(lines)) for name, lines in spool.named()), PREFIXES)
            else:
                write_nquads(handle, ((name, counter.count(lines)) for name, lines in spool.named()))
    return BuildResult(output, built, counter.total, tuple(skipped), stats, cache is not None)


class _Sized:
    """An iterator that knows how many items it will give (for a progress bar)."""

    def __init__(self, items: Iterator[Any], length: int) -> None:
        self.items, self.length = items, length

    def __iter__(self) -> Iterator[Any]:
        return self.items

    def __len__(self) -> int:
        return self.length


class _Counter:
    """Counts lines as they stream past (triples, or quads for named-graph output)."""

    def __init__(self) -> None:
        self.total = 0

    def count(self, lines: Iterable[str]) -> Iterator[str]:
        for line in lines:
            self.total += 1
            yield line
