"""One report, built on its own: the unit of work a build hands to a process pool or a cluster.

:func:`part_worker` is what runs on a worker. It takes a :class:`~kg.text.datasets.ReportInput`
(the text and everything its container says of it) and gives a :class:`ReportPart`: the report's
triples as sorted N-Triples lines, plus the :func:`~kg.build.cache.fingerprint` of the code and
data that built them, so the parent can refuse parts built by a worker running other code.

>>> from kg.resources import ontology_dir
>>> part = report_part(ontology_dir().parent / "data" / "source" / "jiading-2021.txt")
>>> part.key, len(part.lines) > 1000
('上海市嘉定区人民政府/2021', True)
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import SKOS

from kg.build.cache import fingerprint
from kg.errors import InputError
from kg.extract.report import extract_report
from kg.rdf.crosslink import cross_links
from kg.rdf.report import report_graph, report_lines
from kg.rdf.serialize import ntriples_lines
from kg.rdf.terms import into_graph
from kg.text.datasets import ReportInput, Skipped
from kg.text.segment import Document, segment
from kg.text.source import read_source
from kg.vocab.iri import mint, report_iri

_INDICATOR = f"<{mint('indicator', '')}"  # how an indicator's N-Triples line starts
# Cross-report links read only the indicators' labels (kg.rdf.crosslink.cross_links): the other
# indicator lines (their types) need not be kept or parsed.
_PREF_LABEL = f"<{SKOS.prefLabel}>"


@dataclass(frozen=True)
class ReportPart:
    """One report, built: its identity and its triples as sorted N-Triples lines."""

    origin: str
    key: str
    iri: str
    lines: list[str]
    characters: int
    notes: tuple[str, ...] = ()
    fingerprint: str = ""  #: of the code and data that built it (:func:`kg.build.cache.fingerprint`)


def document_to_graph(doc: Document, graph: Graph | None = None) -> Graph:
    """Everything one segmented report says: extraction first, then its RDF."""
    return report_graph(doc, extract_report(doc), graph)


def _lines(doc: Document) -> list[str]:
    """One report's triples as sorted N-Triples lines: a worker only serialises them, so they are
    written as text straight away, with no rdflib term or graph (:func:`kg.rdf.report.report_lines`)."""
    return sorted(report_lines(doc, extract_report(doc)))


def report_key(doc: Document) -> str:
    """What makes two inputs the same report: its government and year."""
    return f"{doc.meta.government}/{doc.meta.year}"


def repeated(seen: dict[str, str], key: str, origin: str) -> str:
    """Remember ``origin`` as report ``key``; the reason it cannot be built if another input was."""
    if key in seen:
        return f"the same report ({key}) as {seen[key]}"
    seen[key] = origin
    return ""


def indicator_labels(lines: Sequence[str]) -> list[str]:
    """The lines of a report that cross-report links read: its indicators' ``skos:prefLabel``.

    ``lines`` are sorted (a :class:`ReportPart`'s), so the indicators' lines stand together: a
    binary search finds them, and only they are read.
    """
    labels = []
    for line in lines[bisect.bisect_left(lines, _INDICATOR):]:
        if not line.startswith(_INDICATOR):
            break
        if line.split(" ", 2)[1] == _PREF_LABEL:
            labels.append(line)
    return labels


def link_lines(labels: Iterable[str]) -> list[str]:
    """The links graph's sorted lines, from every report's :func:`indicator_labels`."""
    # Read with kg's own reader of the lines it writes (what rdflib's N-Triples parser makes of them,
    # in half the time)
    return ntriples_lines(cross_links(into_graph(labels, Graph())))


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
        key=report_key(doc),
        iri=str(report_iri(meta.government, meta.year)),
        lines=_lines(doc),
        characters=len(item.source.text),
        notes=meta.notes,
        fingerprint=fingerprint(),
    )


def part_worker(item: ReportInput) -> ReportPart | Skipped:
    """Build one input; an input that is not a report comes back as :class:`Skipped`, with why.

    A module-level function, so process pools and Dask can pickle it by name.
    """
    try:
        return report_part(item)
    except InputError as err:
        return Skipped(item.origin, str(err).removeprefix(f"{item.source.path}: ").removeprefix(f"{item.origin}: "))
