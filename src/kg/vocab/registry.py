"""The one registry of entity classes and stated relations, read from ``ontology/kg.ttl``.

Everything that lists entity classes or relations takes them from here (lexicon loading, the
analysis projections, relation extraction) or is checked against them by a test (the SHACL
shapes, the catalogue's entity query, the explorer's style). Adding an entity type means adding
it to ``kg:Entity owl:disjointUnionOf ( … )`` in the ontology, a style entry and a lexicon.

>>> ENTITY_CLASSES[:3]
('Project', 'Industry', 'Place')
>>> RELATIONS
('locatedIn', 'partOf', 'inIndustry', 'partnerOf', 'organizedBy', 'issuedBy', 'about')
>>> entity_class("Place").label_en, relation("partOf").label_zh
('Place', '属于')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rdflib import OWL, RDF, RDFS, Literal, URIRef
from rdflib.collection import Collection

from kg.resources import ontology_file
from kg.vocab.namespace import KG
from kg.vocab.ontology import NAMESPACE, load_ontology

__all__ = ["ENTITY_CLASSES", "RELATIONS", "Term", "entity_class", "entity_classes", "relation", "relations"]


@dataclass(frozen=True)
class Term:
    """An entity class or a relation: its local name, IRI and labels."""

    name: str
    iri: URIRef
    label_zh: str
    label_en: str
    symmetric: bool = False


def _labels(node: URIRef) -> tuple[str, str]:
    labels = {lit.language: str(lit) for lit in load_ontology().objects(node, RDFS.label) if isinstance(lit, Literal)}
    return labels.get("zh", ""), labels.get("en", "")


def _term(node: URIRef) -> Term:
    zh, en = _labels(node)
    symmetric = (node, RDF.type, OWL.SymmetricProperty) in load_ontology()
    return Term(str(node)[len(NAMESPACE):], node, zh, en, symmetric)


@lru_cache(maxsize=1)
def entity_classes() -> tuple[Term, ...]:
    """The entity classes, in the order of ``kg:Entity owl:disjointUnionOf``."""
    graph = load_ontology()
    head = graph.value(KG.Entity, OWL.disjointUnionOf)
    if head is None:
        raise LookupError(f"{ontology_file()}: kg:Entity has no owl:disjointUnionOf list of entity classes")
    return tuple(_term(URIRef(str(node))) for node in Collection(graph, head))


@lru_cache(maxsize=1)
def relations() -> tuple[Term, ...]:
    """The relations a text states: sub-properties of ``kg:relatedTo``, in declaration order."""
    graph = load_ontology()
    members = {str(s)[len(NAMESPACE):] for s in graph.subjects(RDFS.subPropertyOf, KG.relatedTo)}
    declared = re.findall(r"^kg:(\w+) a owl:ObjectProperty", ontology_file().read_text(encoding="utf-8"), flags=re.M)
    return tuple(_term(URIRef(NAMESPACE + name)) for name in declared if name in members)


def entity_class(name: str) -> Term:
    """The entity class called ``name`` (``KeyError`` if the ontology has none)."""
    for term in entity_classes():
        if term.name == name:
            return term
    raise KeyError(f"{name!r} is not an entity class; the ontology has {', '.join(ENTITY_CLASSES)}")


def relation(name: str) -> Term:
    """The stated relation called ``name`` (``KeyError`` if the ontology has none)."""
    for term in relations():
        if term.name == name:
            return term
    raise KeyError(f"{name!r} is not a stated relation; the ontology has {', '.join(RELATIONS)}")


#: Local names of the entity classes, in display order.
ENTITY_CLASSES: tuple[str, ...] = tuple(t.name for t in entity_classes())
#: Local names of the stated relations, in declaration order.
RELATIONS: tuple[str, ...] = tuple(t.name for t in relations())
