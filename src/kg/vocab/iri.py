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

import re

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

# What an IRI path segment may hold raw (RFC 3987 ipchar less "/"): ASCII letters, digits,
# unreserved and sub-delim marks, and the ucschar ranges; everything else is percent-encoded as
# UTF-8, so every minted IRI is valid in Turtle, N-Triples, TriG and N-Quads, for rdflib and
# Oxigraph alike ("[", "]", U+FFFD, controls and private-use characters included).
_ASCII_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@")


def _ucschar(code: int) -> bool:
    return (0xA0 <= code <= 0xD7FF or 0xF900 <= code <= 0xFDCF or 0xFDF0 <= code <= 0xFFEF
            or (0x10000 <= code <= 0xEFFFD and code & 0xFFFF <= 0xFFFD and not 0xE0000 <= code <= 0xE0FFF))


# A segment made only of such characters (nearly every one) is kept as it is, without a look at each.
_ALL_SAFE = re.compile(r"[A-Za-z0-9\-._~!$&'()*+,;=:@\u00a0-\ud7ff\uf900-\ufdcf\ufdf0-\uffef]*")


def _segment(part: str) -> str:
    """One path segment, percent-encoded where RFC 3987 requires.

    >>> _segment("产业园[1]"), _segment("a\ufffdb"), _segment("安亭镇")
    ('产业园%5B1%5D', 'a%EF%BF%BDb', '安亭镇')
    """
    if _ALL_SAFE.fullmatch(part):
        return part
    return "".join(c if c in _ASCII_SAFE or (ord(c) > 0x7F and _ucschar(ord(c)))
                   else "".join(f"%{b:02X}" for b in c.encode("utf-8", "surrogatepass")) for c in part)


def mint(*parts: object) -> URIRef:
    """A data IRI under ``id/`` from path parts; each part is escaped, Chinese is kept."""
    return URIRef(mint_text(*parts))


def mint_text(*parts: object) -> str:
    """What :func:`mint` names, as a plain string (no rdflib term is made).

    >>> mint_text("report", "上海市嘉定区", 2021) == str(mint("report", "上海市嘉定区", 2021))
    True
    """
    return DATA + "/".join([_segment(p if type(p) is str else str(p)) for p in parts])


def jurisdiction(government: str) -> str:
    """The jurisdiction a government speaks for: ``上海市嘉定区人民政府`` gives ``上海市嘉定区``."""
    for suffix in ("人民政府", "政府"):
        if government.endswith(suffix) and len(government) > len(suffix):
            return government[: -len(suffix)]
    return government


def report_iri(government: str, year: int) -> URIRef:
    """The IRI of a government's report for a year."""
    return mint("report", jurisdiction(government), year)


def bind_prefixes(graph: Graph) -> Graph:
    """Bind the project's prefixes on ``graph`` (replacing what a parsed file bound); return it."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


def new_graph() -> Graph:
    """An empty graph with the project's prefixes bound."""
    return bind_prefixes(Graph())


def local_name(iri: object) -> str:
    """The last part of an IRI: ``kg:Project`` → ``Project``, ``…/entity/嘉定区`` → ``嘉定区``.

    >>> local_name(KG.Project), local_name("https://w3id.org/policykg/id/entity/a%20b")
    ('Project', 'a%20b')
    """
    return str(iri).rstrip("/").rsplit("#", 1)[-1].rsplit("/", 1)[-1]
