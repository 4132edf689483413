"""Entities, mentions, relations and figure links as RDF.

* each entity is typed with its class (``kg:Project`` … ``kg:Goal``) and has ``skos:prefLabel``
  (Chinese; English too for lexicon entries) and ``skos:altLabel`` for every other surface form.
  Its IRI is minted from its canonical label alone — ``kgr:entity/安亭镇`` — so the same place,
  organisation or industry is the same node in every report;
* lexicon hierarchy (``skos:broader``) is added for every mentioned lexicon entity, up to the
  root; ancestors that are not mentioned are plain ``skos:Concept`` nodes;
* each sentence ``kg:mentions`` its entities, and each occurrence is a ``kg:Mention``
  (``oa:Annotation``) with ``kg:entity``, ``kg:sentence`` (also ``oa:hasTarget``) and
  ``kg:start``/``kg:end`` in the original file;
* each stated relation is a direct triple (``kg:locatedIn`` …) *and* a ``kg:Assertion`` with
  ``rdf:subject``/``rdf:predicate``/``rdf:object`` and the evidence ``kg:sentence``;
  co-mention is only the direct triple ``kg:coMentionedWith``;
* an observation is ``kg:about`` the entity it measures and ``kg:place`` where it was measured,
  as :func:`kg.extract.report.extract_report` linked them.

>>> from pathlib import Path
>>> from kg.extract.report import extract_report
>>> from kg.text.segment import segment
>>> from kg.text.source import SourceText
>>> from kg.vocab.iri import new_graph
>>> text = ("2021年上海市嘉定区人民政府工作报告\\n——2021年1月6日在嘉定区人大会议上\\n区长 高香\\n"
...         "各位代表：\\n一、工作回顾\\n安亭新院建成。\\n")
>>> doc = segment(SourceText(Path("x.txt"), text, ""))
>>> g = add_entities(new_graph(), doc, extract_report(doc))
>>> (entity_iri("安亭新院"), KG.locatedIn, entity_iri("安亭镇")) in g
True
"""

from __future__ import annotations

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from kg.extract.report import ReportFacts
from kg.rdf.document import sentence_iri
from kg.rdf.observations import observation_iri
from kg.text.segment import Document
from kg.vocab.iri import OA, jurisdiction, mint, report_iri
from kg.vocab.namespace import KG


def entity_iri(key: str) -> URIRef:
    """The IRI of the entity with canonical label ``key``.

    >>> entity_iri("嘉定区")
    rdflib.term.URIRef('https://w3id.org/policykg/id/entity/嘉定区')
    """
    return mint("entity", key)


def add_entities(graph: Graph, doc: Document, facts: ReportFacts) -> Graph:
    """Add ``doc``'s entities, mentions, relations, co-mentions and figure links to ``graph``."""
    meta = doc.meta
    assert meta.government is not None and meta.year is not None
    report = report_iri(meta.government, meta.year)
    place = jurisdiction(meta.government)
    extraction = facts.entities

    for item in extraction.entities:
        node = entity_iri(item.key)
        graph.add((node, RDF.type, getattr(KG, item.cls)))
        graph.add((node, SKOS.prefLabel, Literal(item.key, lang="zh")))
        graph.add((node, RDFS.label, Literal(item.key, lang="zh")))
        for alias in item.aliases:
            graph.add((node, SKOS.altLabel, Literal(alias, lang="zh")))
    for concept in facts.hierarchy:
        node = entity_iri(concept.label)
        graph.add((node, RDF.type, SKOS.Concept))
        graph.add((node, SKOS.prefLabel, Literal(concept.label, lang="zh")))
        if concept.en:
            graph.add((node, SKOS.prefLabel, Literal(concept.en, lang="en")))
        for parent in concept.broader:
            graph.add((node, SKOS.broader, entity_iri(parent)))
            graph.add((entity_iri(parent), SKOS.narrower, node))
        if concept.code:  # an administrative division: its GB/T 2260 code and level
            graph.add((node, KG.adminCode, Literal(concept.code)))
            graph.add((node, KG.adminLevel, Literal(concept.level)))

    by_index = {s.index: s for s in doc.sentences}
    occurrences = [(m.sentence, m.i, m.j, m.text, m.key, m.start, m.end) for m in extraction.mentions]
    for part in extraction.parts:  # 安亭 inside 安亭新院 is an occurrence of 安亭镇 too
        start, end = by_index[part.mention.sentence].span(part.i, part.j)
        text = by_index[part.mention.sentence].text[part.i:part.j]
        occurrences.append((part.mention.sentence, part.i, part.j, text, part.key, start, end))
    for index, i, j, text, key, start, end in occurrences:
        sentence = sentence_iri(doc, index)
        node = mint("report", place, meta.year, "mention", f"{index}-{i}-{j}")
        entity = entity_iri(key)
        graph.add((sentence, KG.mentions, entity))
        graph.add((node, RDF.type, KG.Mention))
        graph.add((node, RDF.type, OA.Annotation))
        graph.add((node, KG.entity, entity))
        graph.add((node, KG.sentence, sentence))
        graph.add((node, OA.hasTarget, sentence))
        graph.add((node, KG.text, Literal(text, lang="zh")))
        graph.add((node, KG.start, Literal(start)))
        graph.add((node, KG.end, Literal(end)))
        graph.add((node, KG.inReport, report))

    for rel in facts.relations:
        subject, obj = entity_iri(rel.subject), entity_iri(rel.object)
        predicate = getattr(KG, rel.predicate)
        graph.add((subject, predicate, obj))
        node = mint("report", place, meta.year, "assertion", rel.sentence, rel.predicate, rel.subject, rel.object)
        graph.add((node, RDF.type, KG.Assertion))
        graph.add((node, RDF.subject, subject))
        graph.add((node, RDF.predicate, predicate))
        graph.add((node, RDF.object, obj))
        graph.add((node, KG.sentence, sentence_iri(doc, rel.sentence)))
        graph.add((node, KG.inReport, report))

    for a, b, _ in facts.co_mentions:
        graph.add((entity_iri(a), KG.coMentionedWith, entity_iri(b)))
    for link in facts.links:
        graph.add((observation_iri(doc, link.observation), getattr(KG, link.predicate), entity_iri(link.entity)))
    return graph
