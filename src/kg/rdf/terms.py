"""RDF terms written straight as N-Triples text: what a build worker emits instead of rdflib terms.

A build worker only serialises a report's triples (:func:`kg.rdf.serialize.ntriples_lines`), so
making an rdflib ``URIRef``/``Literal`` for each term and then writing it out again was a third
of its time. The report's RDF (:mod:`kg.rdf.document`, :mod:`kg.rdf.observations`,
:mod:`kg.rdf.entities`) is written with these helpers as N-Triples lines, byte for byte what
``ntriples_line`` gives for the rdflib terms; :class:`Lines` collects them, and
:func:`into_graph` turns them into an rdflib graph where one is wanted.

>>> lit("一\\n"), lit(3), lit("嘉定", "zh"), typed("1513.0", XSD_DECIMAL)
('"一\\\\n"', '"3"^^<http://www.w3.org/2001/XMLSchema#integer>', '"嘉定"@zh', '"1513.0"^^<http://www.w3.org/2001/XMLSchema#decimal>')
>>> typed(".5", XSD_DECIMAL)  # rdflib's normal form, as before
'"0.5"^^<http://www.w3.org/2001/XMLSchema#decimal>'
>>> kg("Report")
'<https://w3id.org/policykg/ontology#Report>'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache, lru_cache

from rdflib import DCTERMS, RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import SKOS
from rdflib.term import Node

from kg.rdf.serialize import _escape, _nt_term
from kg.vocab.iri import OA, QB
from kg.vocab.namespace import KG

__all__ = ["Lines", "into_graph", "iri", "kg", "lit", "typed"]

XSD_INTEGER = str(XSD.integer)
XSD_DECIMAL = str(XSD.decimal)
XSD_GYEAR = str(XSD.gYear)
XSD_DATE = str(XSD.date)
XSD_ANYURI = str(XSD.anyURI)
_INTEGER_SUFFIX = f'"^^<{XSD_INTEGER}>'


def iri(value: object) -> str:
    """``<value>``: an IRI term."""
    return f"<{value}>"


@cache
def kg(name: str) -> str:
    """A term of the closed ``kg:`` namespace; an unknown name raises, as ``KG.name`` does."""
    return iri(getattr(KG, name))


def lit(value: object, lang: str | None = None) -> str:
    """A literal as ``Literal(value, lang=lang)`` writes it: strings plain (or tagged), ints as
    ``xsd:integer``; anything else goes through rdflib itself."""
    kind = type(value)
    if kind is str:
        quoted = f'"{_escape(value)}"'  # type: ignore[arg-type]
        return f"{quoted}@{lang}" if lang else quoted
    if kind is int and lang is None:
        return f'"{value}{_INTEGER_SUFFIX}'
    return _nt_term(Literal(value, lang=lang))


@lru_cache(maxsize=1 << 16)
def typed(lexical: str, datatype: str) -> str:
    """``Literal(lexical, datatype=datatype)`` as written, with rdflib's normal form (``.5`` is ``0.5``)."""
    return _nt_term(Literal(lexical, datatype=URIRef(datatype)))


class Lines(set[str]):
    """A report's triples as N-Triples lines (a set: the same triple twice is one line)."""

    def triple(self, s: str, p: str, o: str) -> None:
        self.add(f"{s} {p} {o} .\n")


_LITERAL_TERM = re.compile(r'"(?P<text>.*)"(?:@(?P<lang>[A-Za-z0-9-]+)|\^\^<(?P<dt>[^>]*)>)?', re.DOTALL)
_UNESCAPE = re.compile(r"\\(.)", re.DOTALL)
_UNESCAPED = {"\\": "\\", '"': '"', "n": "\n", "r": "\r", "t": "\t"}


@lru_cache(maxsize=1 << 16)
def node(term: str) -> Node:
    """The rdflib term an N-Triples term written here stands for (what rdflib's parser makes of it)."""
    if term.startswith("<"):
        return URIRef(term[1:-1])
    found = _LITERAL_TERM.fullmatch(term)
    if found is None:
        raise ValueError(f"not an N-Triples term: {term!r}")
    text = _UNESCAPE.sub(lambda m: _UNESCAPED[m.group(1)], found["text"])
    if found["lang"]:
        return Literal(text, lang=found["lang"])
    if found["dt"]:
        return Literal(text, datatype=URIRef(found["dt"]))
    return Literal(text)


def into_graph(lines: Iterable[str], graph: Graph) -> Graph:
    """Add N-Triples ``lines`` (as written here) to ``graph``, in sorted order."""
    add = graph.add
    for line in sorted(lines):
        s, p, o = line[:-3].split(" ", 2)
        add((node(s), node(p), node(o)))
    return graph


# The vocabulary the report's RDF uses, written once.
TYPE = iri(RDF.type)
R_SUBJECT, R_PREDICATE, R_OBJECT = iri(RDF.subject), iri(RDF.predicate), iri(RDF.object)
LABEL = iri(RDFS.label)
D_TITLE, D_PART_OF = iri(DCTERMS.title), iri(DCTERMS.isPartOf)
PREF_LABEL, ALT_LABEL = iri(SKOS.prefLabel), iri(SKOS.altLabel)
BROADER, NARROWER, CONCEPT = iri(SKOS.broader), iri(SKOS.narrower), iri(SKOS.Concept)
OA_SOURCE, OA_TARGET, OA_ANNOTATION = iri(OA.hasSource), iri(OA.hasTarget), iri(OA.Annotation)
QB_DATASET, QB_DATA_SET, QB_OBSERVATION = iri(QB.DataSet), iri(QB.dataSet), iri(QB.Observation)
