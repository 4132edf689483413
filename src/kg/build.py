"""The build pipeline: report files → segments → extracted facts → RDF → ``data/triples.ttl`` (or TriG/N-Quads).

Each report is built on its own (:func:`report_graph`), optionally in a process pool, into
sorted N-Triples lines spooled to a temporary folder; the reports are then merged in one
streaming pass, so a corpus of thousands of reports never has to fit in one in-memory graph.
Cross-report links (:mod:`kg.rdf.crosslink`) are computed from the indicator concepts alone.
The output format follows the file suffix:

* ``.ttl`` — Turtle, the union of every report (the default ``data/triples.ttl``);
* ``.trig`` / ``.nq`` — each report in its own named graph (the report IRI), and the
  cross-report links in :data:`LINKS_GRAPH`;
* ``.nt`` — N-Triples, the union.

Serial and parallel builds give byte-identical output.

>>> from kg.resources import ontology_dir
>>> report = ontology_dir().parent / "data" / "source" / "jiading-2021.txt"
>>> graph = build_graph([report])
>>> len(graph) > 1000
True
"""

from __future__ import annotations

import multiprocessing
import signal
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import Graph
from rdflib.term import Node

from kg.errors import InputError
from kg.extract.report import extract_report
from kg.rdf.crosslink import cross_links
from kg.rdf.report import report_graph
from kg.rdf.serialize import (
    atomic_writer,
    merge_sorted,
    ntriples_lines,
    write_nquads,
    write_trig,
    write_turtle,
)
from kg.text.datasets import ReportInput, Skipped, read_inputs, read_manifest
from kg.text.segment import Document, segment
from kg.text.source import read_source
from kg.vocab.iri import PREFIXES, mint, new_graph, report_iri

DEFAULT_SOURCES = Path("data/source")
DEFAULT_OUTPUT = Path("data/triples.ttl")
#: The named graph that holds links between reports' concepts in TriG/N-Quads output.
LINKS_GRAPH = mint("graph", "links")
#: Output formats by file suffix.
FORMATS = {".ttl": "turtle", ".trig": "trig", ".nq": "nquads", ".nt": "ntriples"}
_INDICATOR_IRI = str(mint("indicator", ""))
_INDICATOR = f"<{_INDICATOR_IRI}"  # how an indicator's N-Triples line starts
#: Sorted runs merged at once; more runs are merged in rounds, so open files stay few.
_MERGE_FAN_IN = 128


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote, and which inputs it skipped (with why)."""

    output: Path
    reports: int
    triples: int
    skipped: tuple[Skipped, ...] = ()


@dataclass(frozen=True)
class ReportPart:
    """One report, built: its identity and its triples as sorted N-Triples lines."""

    origin: str
    key: str
    iri: str
    lines: list[str]
    characters: int
    notes: tuple[str, ...] = ()


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


def document_to_graph(doc: Document, graph: Graph | None = None) -> Graph:
    """Everything one segmented report says: extraction first, then its RDF."""
    return report_graph(doc, extract_report(doc), graph)


def _triples(doc: Document) -> set[tuple[Node, Node, Node]]:
    """One report's triples as a plain set: a worker only serialises them, so it needs none of an
    rdflib Graph's indexes (``report_graph`` only ever calls ``add``)."""
    triples: set[tuple[Node, Node, Node]] = set()
    document_to_graph(doc, triples)  # type: ignore[arg-type]
    return triples


def _report_key(doc: Document) -> str:
    """What makes two inputs the same report: its government and year."""
    return f"{doc.meta.government}/{doc.meta.year}"


def _repeated(seen: dict[str, str], key: str, origin: str) -> str:
    """Remember ``origin`` as report ``key``; the reason it cannot be built if another input was."""
    if key in seen:
        return f"the same report ({key}) as {seen[key]}"
    seen[key] = origin
    return ""


def input_document(item: ReportInput) -> Document:
    """Segment one input, with its overrides and its container's metadata."""
    return segment(item.source, government=item.government, year=item.year, hints=item.fields)


def report_part(item: ReportInput | str | Path, *, government: str | None = None, year: int | None = None,
                encoding: str | None = None) -> ReportPart:
    """Build one report into sorted N-Triples lines (what each build worker does)."""
    if not isinstance(item, ReportInput):
        item = ReportInput(str(item), read_source(item, encoding=encoding), {}, government, year)
    doc = input_document(item)
    meta = doc.meta
    assert meta.government is not None and meta.year is not None
    return ReportPart(
        origin=item.origin,
        key=_report_key(doc),
        iri=str(report_iri(meta.government, meta.year)),
        lines=ntriples_lines(_triples(doc)),
        characters=len(item.source.text),
        notes=meta.notes,
    )


def _part_worker(item: ReportInput) -> ReportPart | Skipped:
    try:
        return report_part(item)
    except InputError as err:
        return Skipped(item.origin, str(err).removeprefix(f"{item.source.path}: ").removeprefix(f"{item.origin}: "))


def iter_parts(
    inputs: Iterable[ReportInput | Skipped], *, jobs: int = 1
) -> Iterator[ReportPart | Skipped]:
    """Build each input, in input order, in ``jobs`` processes.

    What cannot be built comes out as :class:`~kg.text.datasets.Skipped` with its reason; so does
    a second input of a report already built (same government and year).
    """
    items = list(inputs)
    tasks = [item for item in items if isinstance(item, ReportInput)]
    seen: dict[str, str] = {}
    with ExitStack() as stack:
        if jobs > 1 and len(tasks) > 1:
            # Workers ignore Ctrl-C: the parent alone stops the build, so it ends with one message.
            pool = stack.enter_context(multiprocessing.get_context("fork").Pool(
                min(jobs, len(tasks)), initializer=signal.signal, initargs=(signal.SIGINT, signal.SIG_IGN)))
            results: Iterator[ReportPart | Skipped] = iter(pool.imap(_part_worker, tasks, chunksize=1))
        else:
            results = map(_part_worker, tasks)
        for item in items:
            if isinstance(item, Skipped):
                yield item
                continue
            part = next(results)
            if isinstance(part, ReportPart) and (why := _repeated(seen, part.key, part.origin)):
                yield Skipped(part.origin, why, "build one of them, or give its government and year in a manifest")
                continue
            yield part


def _link_lines(indicator_lines: Iterable[str]) -> list[str]:
    indicators = Graph()
    indicators.parse(data="".join(indicator_lines), format="nt")
    return ntriples_lines(cross_links(indicators))


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
        if why := _repeated(seen, _report_key(doc), item.origin):
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
            handle.writelines(lines)
        self.runs.append((name, path))

    def named(self) -> Iterator[tuple[str, Iterator[str]]]:
        """Each run in graph-name order, as (name, lines)."""
        for name, path in sorted(self.runs):
            with path.open(encoding="utf-8", newline="\n") as handle:
                yield name, iter(handle)

    def union(self) -> Iterator[str]:
        """All runs merged, sorted and de-duplicated (in rounds of :data:`_MERGE_FAN_IN` files)."""
        paths = [path for _, path in self.runs]
        round_number = 0
        while len(paths) > _MERGE_FAN_IN:
            merged = []
            for start in range(0, len(paths), _MERGE_FAN_IN):
                target = self.folder / f"merge-{round_number}-{start:06d}.nt"
                with ExitStack() as stack, target.open("w", encoding="utf-8", newline="\n") as out:
                    handles = [stack.enter_context(p.open(encoding="utf-8", newline="\n"))
                               for p in paths[start:start + _MERGE_FAN_IN]]
                    out.writelines(merge_sorted(*handles))
                merged.append(target)
            paths, round_number = merged, round_number + 1
        with ExitStack() as stack:
            handles = [stack.enter_context(p.open(encoding="utf-8", newline="\n")) for p in paths]
            yield from merge_sorted(*handles)


def output_format(output: str | Path) -> str:
    """The format for ``output``'s suffix, or an :class:`InputError` naming the choices."""
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

    ``jobs`` processes build reports in parallel; the output is byte-identical to ``jobs=1``.
    ``output`` is written atomically: on any error the previous file is left as it was.
    """
    sources = [Path(p) for p in paths] or default_sources()
    fmt = output_format(output)
    overrides = read_manifest(manifest) if manifest else None
    inputs = list(read_inputs(sources, text_field=text_field, manifest=overrides, government=government,
                              year=year, encoding=encoding))
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    skipped: list[Skipped] = []
    built = 0
    with tempfile.TemporaryDirectory(dir=output.parent, prefix=f".{output.name}.parts.") as tmp:
        spool = _Spool(Path(tmp))
        indicator_lines: list[str] = []
        parts = _Sized(iter_parts(inputs, jobs=jobs), len(inputs))
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
            indicator_lines.extend(line for line in part.lines if line.startswith(_INDICATOR))
        if not built:
            reasons = "; ".join(s.message() for s in skipped[:5])
            raise InputError(f"no report could be built from {len(inputs)} input(s): {reasons}")
        spool.add(str(LINKS_GRAPH), _link_lines(sorted(set(indicator_lines))))
        counter = _Counter()
        with atomic_writer(output) as handle:
            if fmt == "turtle":
                write_turtle(handle, counter.count(spool.union()), PREFIXES)
            elif fmt == "ntriples":
                handle.writelines(counter.count(spool.union()))
            elif fmt == "trig":
                write_trig(handle, ((name, counter.count(lines)) for name, lines in spool.named()), PREFIXES)
            else:
                write_nquads(handle, ((name, counter.count(lines)) for name, lines in spool.named()))
    return BuildResult(output, built, counter.total, tuple(skipped))


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
