"""Analysis: the RDF graph as networkx graphs, for notebooks.

Two views of a built graph:

* :func:`entity_graph` — entities (projects, places, industries …) as nodes and the relations
  the text states between them as edges, keyed by relation name;
* :func:`structure_graph` — the document tree: report → sections → paragraphs → sentences.

>>> from rdflib import Graph
>>> entity_graph(Graph()).number_of_nodes()
0
"""

from __future__ import annotations

import networkx as nx
from rdflib import DCTERMS, RDF, RDFS, Graph, URIRef
from rdflib.namespace import SKOS
from rdflib.term import Node

from kg.namespace import KG

ENTITY_CLASSES: tuple[URIRef, ...] = (
    KG.Project, KG.Industry, KG.Place, KG.Organization, KG.Policy, KG.Event, KG.Goal,
)
RELATIONS: tuple[URIRef, ...] = (
    KG.locatedIn, KG.partOf, KG.inIndustry, KG.partnerOf, KG.organizedBy, KG.issuedBy,
    KG.coMentionedWith,
)
STRUCTURE_CLASSES: tuple[URIRef, ...] = (KG.Report, KG.Section, KG.Paragraph, KG.Sentence)


def local_name(iri: Node) -> str:
    """The last part of an IRI: ``kg:Project`` → ``Project``.

    >>> local_name(KG.Project)
    'Project'
    """
    return str(iri).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def label(graph: Graph, node: Node) -> str:
    """The Chinese preferred label of a node, falling back to rdfs:label, then the IRI."""
    for prop in (SKOS.prefLabel, RDFS.label, DCTERMS.title):
        values = sorted(graph.objects(node, prop), key=lambda o: (getattr(o, "language", "") != "zh", str(o)))
        if values:
            return str(values[0])
    return local_name(node)


def entity_graph(graph: Graph, *, include_comention: bool = True) -> nx.MultiDiGraph:
    """Entities as nodes (attributes ``label`` and ``type``), stated relations as edges.

    Co-mention is the weakest relation; leave it out with ``include_comention=False``.
    """
    result = nx.MultiDiGraph()
    for cls in ENTITY_CLASSES:
        for node in graph.subjects(RDF.type, cls):
            result.add_node(str(node), label=label(graph, node), type=local_name(cls))
    for predicate in RELATIONS:
        if predicate == KG.coMentionedWith and not include_comention:
            continue
        for s, o in graph.subject_objects(predicate):
            if str(s) in result and str(o) in result:
                result.add_edge(str(s), str(o), key=local_name(predicate), relation=local_name(predicate))
    return result


def structure_graph(graph: Graph) -> nx.DiGraph:
    """The document tree: an edge from each container to each part (dcterms:isPartOf reversed)."""
    result = nx.DiGraph()
    for cls in STRUCTURE_CLASSES:
        for node in graph.subjects(RDF.type, cls):
            result.add_node(str(node), label=label(graph, node), type=local_name(cls))
    for part, whole in graph.subject_objects(DCTERMS.isPartOf):
        if str(part) in result and str(whole) in result:
            result.add_edge(str(whole), str(part))
    return result
