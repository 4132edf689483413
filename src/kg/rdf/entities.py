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
>>> from kg.vocab.namespace import KG
>>> text = ("2021年上海市嘉定区人民政府工作报告\\n——2021年1月6日在嘉定区人大会议上\\n区长 高香\\n"
...         "各位代表：\\n一、工作回顾\\n安亭新院建成。\\n")
>>> doc = segment(SourceText(Path("x.txt"), text, ""))
>>> g = add_entities(new_graph(), doc, extract_report(doc))
>>> (entity_iri("安亭新院"), KG.locatedIn, entity_iri("安亭镇")) in g
True
"""

from __future__ import annotations

from rdflib import Graph, URIRef

from kg.extract.report import ReportFacts
from kg.rdf.document import sentence_text
from kg.rdf.observations import observation_text
from kg.rdf.terms import (
    ALT_LABEL,
    BROADER,
    CONCEPT,
    LABEL,
    NARROWER,
    OA_ANNOTATION,
    OA_TARGET,
    PREF_LABEL,
    R_OBJECT,
    R_PREDICATE,
    R_SUBJECT,
    TYPE,
    Lines,
    into_graph,
    iri,
    kg,
    lit,
)
from kg.text.segment import Document
from kg.vocab.iri import jurisdiction, mint, mint_text

__all__ = ["add_entities", "entity_iri", "entity_lines"]


def entity_iri(key: str) -> URIRef:
    """The IRI of the entity with canonical label ``key``.

    >>> entity_iri("嘉定区")
    rdflib.term.URIRef('https://w3id.org/policykg/id/entity/嘉定区')
    """
    return mint("entity", key)


def add_entities(graph: Graph, doc: Document, facts: ReportFacts) -> Graph:
    """Add ``doc``'s entities, mentions, relations, co-mentions and figure links to ``graph``."""
    return into_graph(entity_lines(doc, facts), graph)


def entity_lines(doc: Document, facts: ReportFacts, out: Lines | None = None) -> Lines:
    """``doc``'s entities, mentions, relations, co-mentions and figure links as N-Triples lines."""
    out = out if out is not None else Lines()
    add = out.triple
    meta = doc.meta
    assert meta.government is not None and meta.year is not None
    place = jurisdiction(meta.government)
    report = iri(mint_text("report", place, meta.year))
    extraction = facts.entities
    entities: dict[str, str] = {}

    def entity(key: str) -> str:
        node = entities.get(key)
        if node is None:
            node = entities[key] = iri(mint_text("entity", key))
        return node

    for item in extraction.entities:
        node = entity(item.key)
        add(node, TYPE, kg(item.cls))
        add(node, PREF_LABEL, lit(item.key, "zh"))
        add(node, LABEL, lit(item.key, "zh"))
        for alias in item.aliases:
            add(node, ALT_LABEL, lit(alias, "zh"))
    for concept in facts.hierarchy:
        node = entity(concept.label)
        add(node, TYPE, CONCEPT)
        add(node, PREF_LABEL, lit(concept.label, "zh"))
        if concept.en:
            add(node, PREF_LABEL, lit(concept.en, "en"))
        for parent in concept.broader:
            add(node, BROADER, entity(parent))
            add(entity(parent), NARROWER, node)
        if concept.code:  # an administrative division: its GB/T 2260 code and level
            add(node, kg("adminCode"), lit(concept.code))
            add(node, kg("adminLevel"), lit(concept.level))

    by_index = {s.index: s for s in doc.sentences}
    occurrences = [(m.sentence, m.i, m.j, m.text, m.key, m.start, m.end) for m in extraction.mentions]
    for part in extraction.parts:  # 安亭 inside 安亭新院 is an occurrence of 安亭镇 too
        start, end = by_index[part.mention.sentence].span(part.i, part.j)
        text = by_index[part.mention.sentence].text[part.i:part.j]
        occurrences.append((part.mention.sentence, part.i, part.j, text, part.key, start, end))
    sentence_prefix = mint_text("report", place, meta.year, "sentence", "")
    mention_prefix = mint_text("report", place, meta.year, "mention", "")
    mentions, mention_type, entity_p, sentence_p = kg("mentions"), kg("Mention"), kg("entity"), kg("sentence")
    text_p, start_p, end_p, in_report = kg("text"), kg("start"), kg("end"), kg("inReport")
    for index, i, j, text, key, start, end in occurrences:
        sentence = f"<{sentence_prefix}{index}>"
        node = f"<{mention_prefix}{index}-{i}-{j}>"
        target = entity(key)
        add(sentence, mentions, target)
        add(node, TYPE, mention_type)
        add(node, TYPE, OA_ANNOTATION)
        add(node, entity_p, target)
        add(node, sentence_p, sentence)
        add(node, OA_TARGET, sentence)
        add(node, text_p, lit(text, "zh"))
        add(node, start_p, lit(start))
        add(node, end_p, lit(end))
        add(node, in_report, report)

    for rel in facts.relations:
        subject, obj = entity(rel.subject), entity(rel.object)
        predicate = kg(rel.predicate)
        add(subject, predicate, obj)
        node = iri(mint_text("report", place, meta.year, "assertion", rel.sentence, rel.predicate, rel.subject,
                             rel.object))
        add(node, TYPE, kg("Assertion"))
        add(node, R_SUBJECT, subject)
        add(node, R_PREDICATE, predicate)
        add(node, R_OBJECT, obj)
        add(node, sentence_p, iri(sentence_text(doc, rel.sentence)))
        add(node, in_report, report)

    co_mentioned = kg("coMentionedWith")
    for a, b, _ in facts.co_mentions:
        add(entity(a), co_mentioned, entity(b))
    for link in facts.links:
        add(iri(observation_text(doc, link.observation)), kg(link.predicate), entity(link.entity))
    return out
