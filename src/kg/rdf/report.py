"""One report as RDF: its structure and everything extraction found in it.

The RDF stage only writes: :func:`report_graph` takes the segmented document and the frozen
:class:`~kg.extract.report.ReportFacts` and adds triples, running no extractor itself.

>>> from pathlib import Path
>>> from kg.extract.report import extract_report
>>> from kg.text.segment import segment
>>> from kg.text.source import SourceText
>>> text = ("2021年上海市嘉定区人民政府工作报告\\n——2021年1月6日在嘉定区人大会议上\\n区长 高香\\n"
...         "各位代表：\\n一、工作回顾\\n安亭镇完成投资12亿元。\\n")
>>> doc = segment(SourceText(Path("x.txt"), text, ""))
>>> len(report_graph(doc, extract_report(doc))) > 40
True
"""

from __future__ import annotations

from rdflib import Graph

from kg.extract.report import ReportFacts
from kg.rdf.document import document_lines
from kg.rdf.entities import entity_lines
from kg.rdf.observations import observation_lines
from kg.rdf.terms import Lines, into_graph
from kg.text.segment import Document
from kg.vocab.iri import new_graph

__all__ = ["report_graph", "report_lines"]


def report_graph(doc: Document, facts: ReportFacts, graph: Graph | None = None) -> Graph:
    """Add one report's structure, observations, entities and relations to ``graph``."""
    return into_graph(report_lines(doc, facts), graph if graph is not None else new_graph())


def report_lines(doc: Document, facts: ReportFacts) -> Lines:
    """One report's triples as N-Triples lines (unsorted): what a build worker serialises, with
    no rdflib term made (:mod:`kg.rdf.terms`)."""
    out = Lines()
    document_lines(doc, out)
    observation_lines(doc, facts.observations, out)
    entity_lines(doc, facts, out)
    return out
