"""Observations as RDF Data Cube triples.

Each :class:`~kg.extract.observations.Observation` becomes a ``kg:Observation`` (also typed
``qb:Observation``) in one ``qb:DataSet`` per report. Its indicator is a ``kg:Indicator``
``skos:Concept`` whose IRI comes from the normalised label alone, so the same indicator is one
node across observations and reports. The value is an ``xsd:decimal`` written from the text
(5341.7 stays ``"5341.7"``), never through a float; ``kg:start``/``kg:end`` locate the number in
the original file.

>>> from kg.resources import ontology_dir
>>> from kg.text.segment import segment
>>> from kg.text.source import read_source
>>> from kg.vocab.iri import new_graph
>>> from kg.extract.observations import extract_observations
>>> doc = segment(read_source(ontology_dir().parent / "data" / "source" / "jiading-2021.txt"))
>>> graph = add_observations(new_graph(), doc, extract_observations(doc))
>>> values = {str(v) for v in graph.objects(None, KG.value)}
>>> "5341.7" in values and "1513.0" in values
True
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from kg.extract.observations import Observation
from kg.rdf.document import sentence_iri
from kg.text.segment import Document
from kg.vocab.iri import QB, jurisdiction, mint, report_iri
from kg.vocab.namespace import KG


def indicator_iri(label: str) -> URIRef:
    """The IRI of an indicator: from its normalised label, shared by every report.

    >>> indicator_iri("地区生产总值")
    rdflib.term.URIRef('https://w3id.org/policykg/id/indicator/地区生产总值')
    """
    return mint("indicator", label)


def observation_iri(doc: Document, observation: Observation) -> URIRef:
    """The IRI of an observation: its report, sentence and position in the sentence."""
    meta = doc.meta
    return mint("report", jurisdiction(meta.government or ""), meta.year, "observation",
                f"{observation.sentence}-{observation.char_start}")


def dataset_iri(doc: Document) -> URIRef:
    """The ``qb:DataSet`` holding a report's observations."""
    return mint("report", jurisdiction(doc.meta.government or ""), doc.meta.year, "observations")


def add_observations(graph: Graph, doc: Document, observations: Iterable[Observation]) -> Graph:
    """Add a report's observations, their indicators and data set to ``graph``; return it."""
    meta = doc.meta
    assert meta.government is not None and meta.year is not None
    report = report_iri(meta.government, meta.year)
    dataset = dataset_iri(doc)
    graph.add((dataset, RDF.type, QB.DataSet))
    graph.add((dataset, RDFS.label,
               Literal(f"{meta.year}年{jurisdiction(meta.government)}政府工作报告中的数值", lang="zh")))
    graph.add((dataset, KG.inReport, report))
    for o in observations:
        node = observation_iri(doc, o)
        indicator = indicator_iri(o.indicator)
        graph.add((indicator, RDF.type, KG.Indicator))
        graph.add((indicator, RDF.type, SKOS.Concept))
        graph.add((indicator, SKOS.prefLabel, Literal(o.indicator, lang="zh")))
        graph.add((node, RDF.type, KG.Observation))
        graph.add((node, RDF.type, QB.Observation))
        graph.add((node, QB.dataSet, dataset))
        graph.add((node, RDFS.label, Literal(f"{o.indicator} {o.text}{o.unit}（{o.period}）", lang="zh")))
        graph.add((node, KG.indicator, indicator))
        graph.add((node, KG.value, Literal(str(o.value), datatype=XSD.decimal)))
        graph.add((node, KG.unit, Literal(o.unit)))
        if o.upper is not None:
            graph.add((node, KG.valueMax, Literal(str(o.upper), datatype=XSD.decimal)))
        if o.value_normalized is not None:
            graph.add((node, KG.valueNormalized, Literal(str(o.value_normalized), datatype=XSD.decimal)))
            graph.add((node, KG.unitNormalized, Literal(o.unit_normalized)))
        graph.add((node, KG.kind, Literal(o.kind)))
        if o.direction:
            graph.add((node, KG.direction, Literal(o.direction)))
        graph.add((node, KG.period, Literal(o.period)))
        if o.qualifier:
            graph.add((node, KG.qualifier, Literal(o.qualifier)))
        graph.add((node, KG.sentence, sentence_iri(doc, o.sentence)))
        graph.add((node, KG.start, Literal(o.start)))
        graph.add((node, KG.end, Literal(o.end)))
        graph.add((node, KG.inReport, report))
    return graph
