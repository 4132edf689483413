"""The build pipeline: report files → segments → RDF graph → ``data/triples.ttl``.

>>> from kg.resources import ontology_dir
>>> report = ontology_dir().parent / "data" / "source" / "jiading-2021.txt"
>>> graph = build_graph([report])
>>> len(graph) > 1000
True
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from kg.errors import InputError
from kg.observations import extract_observations
from kg.rdf import PREFIXES, document_graph, new_graph
from kg.rdf_observations import add_observations
from kg.rdf_entities import add_entities
from kg.segment import Document, segment
from kg.serialize import to_turtle, write_atomic
from kg.source import read_source

DEFAULT_SOURCES = Path("data/source")
DEFAULT_OUTPUT = Path("data/triples.ttl")


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote."""

    output: Path
    reports: int
    triples: int


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


def build_graph(
    paths: Sequence[str | Path],
    *,
    government: str | None = None,
    year: int | None = None,
    progress: Callable[[Iterable[Path]], Iterable[Path]] | None = None,
) -> Graph:
    """Build one graph from report files.

    ``progress`` wraps the iteration over files (the CLI passes a progress bar).
    """
    files = [Path(p) for p in paths]
    graph = new_graph()
    seen: dict[str, Path] = {}
    for path in progress(files) if progress else files:
        doc = segment(read_source(path), government=government, year=year)
        key = f"{doc.meta.government}/{doc.meta.year}"
        if key in seen:
            raise InputError(
                f"{path}: is the same report ({key}) as {seen[key]}; build one of them, "
                "or set --government/--year"
            )
        seen[key] = path
        document_graph(doc, graph)
        add_observations(graph, doc, extract_observations(doc))
        add_entities(graph, doc)  # entities, mentions, relations; kg:about for observations above
    return graph


def build(
    paths: Sequence[str | Path] = (),
    output: str | Path = DEFAULT_OUTPUT,
    *,
    government: str | None = None,
    year: int | None = None,
    progress: Callable[[Iterable[Path]], Iterable[Path]] | None = None,
) -> BuildResult:
    """Build ``output`` from ``paths`` (default: every report in ``data/source/``)."""
    files = [Path(p) for p in paths] or default_sources()
    graph = build_graph(files, government=government, year=year, progress=progress)
    write_atomic(output, to_turtle(graph, PREFIXES))
    return BuildResult(Path(output), len(files), len(graph))
