"""IRIs and prefixes: how every node of the graph is named.

IRIs are readable and derived only from what they name: a report is
``id/report/{jurisdiction}/{year}``, its sections ``…/section/2.4.1``, its paragraphs
``…/paragraph/12`` and its sentences ``…/sentence/57``. The same text always gives the same
IRIs, so rebuilding never churns the graph.

>>> report_iri("上海市嘉定区人民政府", 2021)
rdflib.term.URIRef('https://w3id.org/policykg/id/report/上海市嘉定区/2021')
>>> mint("entity", "a b/c")
rdflib.term.URIRef('https://w3id.org/policykg/id/entity/a%20b%2Fc')
"""

from __future__ import annotations

from rdflib import DCTERMS, RDF, RDFS, XSD, Graph, Namespace, URIRef
from rdflib.namespace import OWL, PROV, SKOS

from kg.vocab.namespace import KG
from kg.vocab.ontology import DATA

QB = Namespace("http://purl.org/linked-data/cube#")
OA = Namespace("http://www.w3.org/ns/oa#")
SCHEMA = Namespace("https://schema.org/")

PREFIXES: dict[str, str] = {
    "kg": str(KG._NS),
    "kgr": DATA,
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "owl": str(OWL),
    "skos": str(SKOS),
    "qb": str(QB),
    "prov": str(PROV),
    "oa": str(OA),
    "schema": str(SCHEMA),
    "dcterms": str(DCTERMS),
}

# Characters that may not appear raw in an IRI path segment (RFC 3987), plus "/" and "%".
_UNSAFE = set(' <>"{}|\\^`#?/%') | {chr(c) for c in range(0x20)}


def _segment(part: str) -> str:
    return "".join(f"%{ord(c):02X}" if c in _UNSAFE else c for c in part)


def mint(*parts: object) -> URIRef:
    """A data IRI under ``id/`` from path parts; each part is escaped, Chinese is kept."""
    return URIRef(DATA + "/".join(_segment(str(p)) for p in parts))


def jurisdiction(government: str) -> str:
    """The jurisdiction a government speaks for: ``上海市嘉定区人民政府`` gives ``上海市嘉定区``."""
    for suffix in ("人民政府", "政府"):
        if government.endswith(suffix) and len(government) > len(suffix):
            return government[: -len(suffix)]
    return government


def report_iri(government: str, year: int) -> URIRef:
    """The IRI of a government's report for a year."""
    return mint("report", jurisdiction(government), year)


def new_graph() -> Graph:
    """An empty graph with the project's prefixes bound."""
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph
