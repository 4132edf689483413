"""The report's structure as RDF: report, source file, sections, paragraphs and sentences.

Every node is named by :mod:`kg.vocab.iri`, so the same text always gives the same IRIs.
"""

from __future__ import annotations

from rdflib import DCTERMS, RDF, RDFS, XSD, Graph, Literal, URIRef

from kg.text.segment import Document
from kg.vocab.iri import OA, jurisdiction, mint, new_graph, report_iri
from kg.vocab.namespace import KG


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
    if meta.level:
        g.add((report, KG.level, Literal(meta.level)))
    g.add((report, KG.textKind, Literal(meta.kind)))
    for note in meta.notes:
        g.add((report, KG.metadataNote, Literal(note)))
    if meta.source_url:
        g.add((report, KG.sourceUrl, Literal(meta.source_url, datatype=XSD.anyURI)))
    g.add((report, KG.sourceFile, source))
    g.add((source, RDF.type, KG.SourceFile))
    g.add((source, KG.fileName, Literal(doc.source.name)))
    g.add((source, KG.sha256, Literal(doc.source.sha256)))
    g.add((source, KG.characters, Literal(len(doc.source.text))))

    def section_iri(section_id: str | None) -> URIRef:
        return (mint("report", jurisdiction(meta.government or ""), meta.year, "section", section_id)
                if section_id else report)

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
