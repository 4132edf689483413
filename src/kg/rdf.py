"""Stage 3: turn a segmented :class:`~kg.segment.Document` into RDF.

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

from rdflib import DCTERMS, RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, PROV, SKOS

from kg.namespace import KG
from kg.ontology import DATA
from kg.segment import Document

QB = Namespace("http://purl.org/linked-data/cube#")
OA = Namespace("http://www.w3.org/ns/oa#")
SCHEMA = Namespace("https://schema.org/")
KGR = Namespace(DATA)

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


def document_graph(doc: Document, graph: Graph | None = None) -> Graph:
    """Add a document's report, source file, sections, paragraphs and sentences to ``graph``."""
    g = graph if graph is not None else new_graph()
    meta = doc.meta
    assert meta.government is not None and meta.year is not None
    report = report_iri(meta.government, meta.year)
    source = mint("source", doc.source.sha256 or doc.source.name)

    g.add((report, RDF.type, KG.Report))
    g.add((report, RDFS.label, Literal(meta.title or f"{meta.year}年{meta.government}工作报告", lang="zh")))
    g.add((report, KG.government, Literal(meta.government)))
    g.add((report, KG.year, Literal(str(meta.year), datatype=XSD.gYear)))
    if meta.delivered:
        g.add((report, KG.deliveredOn, Literal(meta.delivered, datatype=XSD.date)))
    if meta.speaker:
        g.add((report, KG.speaker, Literal(meta.speaker)))
    if meta.speaker_role:
        g.add((report, KG.speakerRole, Literal(meta.speaker_role)))
    g.add((report, KG.sourceFile, source))
    g.add((source, RDF.type, KG.SourceFile))
    g.add((source, KG.fileName, Literal(doc.source.name)))
    g.add((source, KG.sha256, Literal(doc.source.sha256)))
    g.add((source, KG.characters, Literal(len(doc.source.text))))

    def section_iri(section_id: str | None) -> URIRef:
        return mint("report", jurisdiction(meta.government or ""), meta.year, "section", section_id) if section_id else report

    for section in doc.sections:
        node = section_iri(section.id)
        g.add((node, RDF.type, KG.Section))
        g.add((node, DCTERMS.title, Literal(section.title, lang="zh")))
        g.add((node, RDFS.label, Literal(f"{section.number}{section.title}", lang="zh")))
        g.add((node, KG.number, Literal(section.number)))
        g.add((node, KG.level, Literal(section.level)))
        g.add((node, KG.index, Literal(section.index)))
        g.add((node, KG.inReport, report))
        g.add((node, DCTERMS.isPartOf, section_iri(section.parent)))

    for paragraph in doc.paragraphs:
        pnode = mint("report", jurisdiction(meta.government), meta.year, "paragraph", paragraph.index)
        g.add((pnode, RDF.type, KG.Paragraph))
        g.add((pnode, KG.index, Literal(paragraph.index)))
        g.add((pnode, KG.inReport, report))
        g.add((pnode, DCTERMS.isPartOf, section_iri(paragraph.section)))
        for sentence in paragraph.sentences:
            snode = sentence_iri(doc, sentence.index)
            g.add((snode, RDF.type, KG.Sentence))
            g.add((snode, KG.text, Literal(sentence.text, lang="zh")))
            g.add((snode, KG.index, Literal(sentence.index)))
            g.add((snode, KG.start, Literal(sentence.start)))
            g.add((snode, KG.end, Literal(sentence.end)))
            g.add((snode, KG.inReport, report))
            g.add((snode, DCTERMS.isPartOf, pnode))
            g.add((snode, OA.hasSource, source))
    return g


def sentence_iri(doc: Document, index: int) -> URIRef:
    """The IRI of a document's sentence by its index (1-based, reading order)."""
    meta = doc.meta
    return mint("report", jurisdiction(meta.government or ""), meta.year, "sentence", index)
