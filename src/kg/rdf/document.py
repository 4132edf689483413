"""The report's structure as RDF: report, source file, sections, paragraphs and sentences.

Every node is named by :mod:`kg.vocab.iri`, so the same text always gives the same IRIs.
"""

from __future__ import annotations

from rdflib import Graph, URIRef

from kg.rdf.terms import (
    D_PART_OF,
    D_TITLE,
    LABEL,
    OA_SOURCE,
    TYPE,
    XSD_ANYURI,
    XSD_DATE,
    XSD_GYEAR,
    Lines,
    into_graph,
    iri,
    kg,
    lit,
    typed,
)
from kg.text.segment import Document
from kg.vocab.iri import jurisdiction, mint_text, new_graph


def document_graph(doc: Document, graph: Graph | None = None) -> Graph:
    """Add a document's report, source file, sections, paragraphs and sentences to ``graph``."""
    return into_graph(document_lines(doc), graph if graph is not None else new_graph())


def document_lines(doc: Document, out: Lines | None = None) -> Lines:
    """A document's report, source file, sections, paragraphs and sentences as N-Triples lines."""
    out = out if out is not None else Lines()
    add = out.triple
    meta = doc.meta
    assert meta.government is not None and meta.year is not None
    place = jurisdiction(meta.government)
    report = iri(mint_text("report", place, meta.year))
    source = iri(mint_text("source", doc.source.sha256 or doc.source.name))
    in_report, index, text, level = kg("inReport"), kg("index"), kg("text"), kg("level")

    add(report, TYPE, kg("Report"))
    add(report, LABEL, lit(meta.title or f"{meta.year}年{meta.government}工作报告", "zh"))
    add(report, kg("government"), lit(meta.government))
    add(report, kg("year"), typed(str(meta.year), XSD_GYEAR))
    if meta.delivered:
        add(report, kg("deliveredOn"), typed(meta.delivered, XSD_DATE))
    if meta.speaker:
        add(report, kg("speaker"), lit(meta.speaker))
    if meta.speaker_role:
        add(report, kg("speakerRole"), lit(meta.speaker_role))
    if meta.level:
        add(report, level, lit(meta.level))
    add(report, kg("textKind"), lit(meta.kind))
    for note in meta.notes:
        add(report, kg("metadataNote"), lit(note))
    if meta.source_url:
        add(report, kg("sourceUrl"), typed(meta.source_url, XSD_ANYURI))
    add(report, kg("sourceFile"), source)
    add(source, TYPE, kg("SourceFile"))
    add(source, kg("fileName"), lit(doc.source.name))
    add(source, kg("sha256"), lit(doc.source.sha256))
    add(source, kg("characters"), lit(len(doc.source.text)))

    def section_iri(section_id: str | None) -> str:
        return iri(mint_text("report", place, meta.year, "section", section_id)) if section_id else report

    for section in doc.sections:
        node = section_iri(section.id)
        add(node, TYPE, kg("Section"))
        add(node, D_TITLE, lit(section.title, "zh"))
        add(node, LABEL, lit(f"{section.number}{section.title}", "zh"))
        add(node, kg("number"), lit(section.number))
        add(node, level, lit(section.level))
        add(node, index, lit(section.index))
        add(node, in_report, report)
        add(node, D_PART_OF, section_iri(section.parent))

    paragraph_type, sentence_type, start, end = kg("Paragraph"), kg("Sentence"), kg("start"), kg("end")
    sentence_prefix = mint_text("report", place, meta.year, "sentence", "")
    for paragraph in doc.paragraphs:
        pnode = iri(mint_text("report", place, meta.year, "paragraph", paragraph.index))
        add(pnode, TYPE, paragraph_type)
        add(pnode, index, lit(paragraph.index))
        add(pnode, in_report, report)
        add(pnode, D_PART_OF, section_iri(paragraph.section))
        for sentence in paragraph.sentences:
            snode = f"<{sentence_prefix}{sentence.index}>"
            add(snode, TYPE, sentence_type)
            add(snode, text, lit(sentence.text, "zh"))
            add(snode, index, lit(sentence.index))
            add(snode, start, lit(sentence.start))
            add(snode, end, lit(sentence.end))
            add(snode, in_report, report)
            add(snode, D_PART_OF, pnode)
            add(snode, OA_SOURCE, source)
    return out


def sentence_iri(doc: Document, index: int) -> URIRef:
    """The IRI of a document's sentence by its index (1-based, reading order)."""
    return URIRef(sentence_text(doc, index))


def sentence_text(doc: Document, index: int) -> str:
    """:func:`sentence_iri` as a plain string."""
    meta = doc.meta
    return mint_text("report", jurisdiction(meta.government or ""), meta.year, "sentence", index)
