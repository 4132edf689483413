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
>>> from kg.vocab.namespace import KG
>>> from kg.extract.observations import extract_observations
>>> doc = segment(read_source(ontology_dir().parent / "data" / "source" / "jiading-2021.txt"))
>>> graph = add_observations(new_graph(), doc, extract_observations(doc))
>>> values = {str(v) for v in graph.objects(None, KG.value)}
>>> "5341.7" in values and "1513.0" in values
True
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Graph, URIRef

from kg.extract.observations import Observation
from kg.rdf.document import sentence_text
from kg.rdf.terms import (
    CONCEPT,
    LABEL,
    PREF_LABEL,
    QB_DATA_SET,
    QB_DATASET,
    QB_OBSERVATION,
    TYPE,
    XSD_DECIMAL,
    Lines,
    into_graph,
    iri,
    kg,
    lit,
    typed,
)
from kg.text.segment import Document
from kg.vocab.iri import jurisdiction, mint, mint_text

__all__ = ["add_observations", "dataset_iri", "indicator_iri", "observation_iri", "observation_lines"]


def indicator_iri(label: str) -> URIRef:
    """The IRI of an indicator: from its normalised label, shared by every report.

    >>> indicator_iri("地区生产总值")
    rdflib.term.URIRef('https://w3id.org/policykg/id/indicator/地区生产总值')
    """
    return mint("indicator", label)


def observation_iri(doc: Document, observation: Observation) -> URIRef:
    """The IRI of an observation: its report, sentence and position in the sentence."""
    return URIRef(observation_text(doc, observation))


def observation_text(doc: Document, observation: Observation) -> str:
    """:func:`observation_iri` as a plain string."""
    meta = doc.meta
    return mint_text("report", jurisdiction(meta.government or ""), meta.year, "observation",
                     f"{observation.sentence}-{observation.char_start}")


def dataset_iri(doc: Document) -> URIRef:
    """The ``qb:DataSet`` holding a report's observations."""
    return mint("report", jurisdiction(doc.meta.government or ""), doc.meta.year, "observations")


def add_observations(graph: Graph, doc: Document, observations: Iterable[Observation]) -> Graph:
    """Add a report's observations, their indicators and data set to ``graph``; return it."""
    return into_graph(observation_lines(doc, observations), graph)


def observation_lines(doc: Document, observations: Iterable[Observation], out: Lines | None = None) -> Lines:
    """A report's observations, their indicators and data set as N-Triples lines."""
    out = out if out is not None else Lines()
    add = out.triple
    meta = doc.meta
    assert meta.government is not None and meta.year is not None
    place = jurisdiction(meta.government)
    report = iri(mint_text("report", place, meta.year))
    dataset = iri(mint_text("report", place, meta.year, "observations"))
    in_report = kg("inReport")
    add(dataset, TYPE, QB_DATASET)
    add(dataset, LABEL, lit(f"{meta.year}年{place}政府工作报告中的数值", "zh"))
    add(dataset, in_report, report)
    indicator_type, observation_type = kg("Indicator"), kg("Observation")
    for o in observations:
        node = iri(observation_text(doc, o))
        indicator = iri(mint_text("indicator", o.indicator))
        add(indicator, TYPE, indicator_type)
        add(indicator, TYPE, CONCEPT)
        add(indicator, PREF_LABEL, lit(o.indicator, "zh"))
        add(node, TYPE, observation_type)
        add(node, TYPE, QB_OBSERVATION)
        add(node, QB_DATA_SET, dataset)
        add(node, LABEL, lit(f"{o.indicator} {o.text}{o.unit}（{o.period}）", "zh"))
        add(node, kg("indicator"), indicator)
        add(node, kg("value"), typed(str(o.value), XSD_DECIMAL))
        add(node, kg("unit"), lit(o.unit))
        if o.upper is not None:
            add(node, kg("valueMax"), typed(str(o.upper), XSD_DECIMAL))
        if o.value_normalized is not None:
            add(node, kg("valueNormalized"), typed(str(o.value_normalized), XSD_DECIMAL))
            add(node, kg("unitNormalized"), lit(o.unit_normalized))
        add(node, kg("kind"), lit(o.kind))
        if o.direction:
            add(node, kg("direction"), lit(o.direction))
        add(node, kg("period"), lit(o.period))
        if o.qualifier:
            add(node, kg("qualifier"), lit(o.qualifier))
        add(node, kg("sentence"), iri(sentence_text(doc, o.sentence)))
        add(node, kg("start"), lit(o.start))
        add(node, kg("end"), lit(o.end))
        add(node, in_report, report)
    return out
