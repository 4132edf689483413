"""Stage 4a: entities, mentions and relations as RDF.

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
* an observation (``kg:Observation`` with ``kg:sentence`` and ``kg:start``) is ``kg:about`` the
  entity mentioned nearest before its number in the same clause.

>>> from kg.build import read_documents
>>> from kg.resources import ontology_dir
>>> from kg.rdf import new_graph, document_graph
>>> doc = read_documents([ontology_dir().parent / "data" / "source" / "jiading-2021.txt"])[0]
>>> g = add_entities(document_graph(doc, new_graph()), doc)
>>> from kg.rdf import mint
>>> (mint("entity", "安亭新院"), KG.locatedIn, mint("entity", "安亭镇")) in g
True
"""

from __future__ import annotations

import re
from collections import defaultdict

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from kg.entities import Extraction, Lexicon, Mention, extract_entities, load_lexicon
from kg.namespace import KG
from kg.rdf import OA, jurisdiction, mint, report_iri, sentence_iri
from kg.relations import Relation, co_mentions, find_relations
from kg.segment import Document

_CLAUSE = re.compile(r"[，；。：！？]")
_ABOUT_WINDOW = 20  # characters between an entity and the number it is measured by, at most


def entity_iri(key: str) -> URIRef:
    """The IRI of the entity with canonical label ``key``.

    >>> entity_iri("嘉定区")
    rdflib.term.URIRef('https://w3id.org/policykg/id/entity/嘉定区')
    """
    return mint("entity", key)


def add_entities(
    graph: Graph,
    doc: Document,
    *,
    extraction: Extraction | None = None,
    relations: list[Relation] | None = None,
    lexicon: Lexicon | None = None,
    co_mention: bool = True,
) -> Graph:
    """Add ``doc``'s entities, mentions, relations and observation links to ``graph``."""
    lex = lexicon or load_lexicon()
    extraction = extraction or extract_entities(doc, lex)
    relations = relations if relations is not None else find_relations(extraction, doc)
    meta = doc.meta
    assert meta.government is not None and meta.year is not None
    report = report_iri(meta.government, meta.year)
    place = jurisdiction(meta.government)

    for item in extraction.entities:
        node = entity_iri(item.key)
        graph.add((node, RDF.type, getattr(KG, item.cls)))
        graph.add((node, SKOS.prefLabel, Literal(item.key, lang="zh")))
        graph.add((node, RDFS.label, Literal(item.key, lang="zh")))
        for alias in item.aliases:
            graph.add((node, SKOS.altLabel, Literal(alias, lang="zh")))
        if item.key in lex.entries:
            _add_hierarchy(graph, item.key, lex)

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

    for rel in relations:
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

    if co_mention:
        for a, b, _ in co_mentions(extraction):
            graph.add((entity_iri(a), KG.coMentionedWith, entity_iri(b)))
    link_observations(graph, doc, extraction)
    return graph


def _add_hierarchy(graph: Graph, label: str, lex: Lexicon) -> None:
    """``skos:broader`` from ``label`` up to the lexicon's roots, with labels on each concept."""
    todo, seen = [label], set()
    while todo:
        current = todo.pop()
        if current in seen or current not in lex.entries:
            continue
        seen.add(current)
        entry = lex.entries[current]
        node = entity_iri(current)
        graph.add((node, RDF.type, SKOS.Concept))
        graph.add((node, SKOS.prefLabel, Literal(current, lang="zh")))
        if entry.en:
            graph.add((node, SKOS.prefLabel, Literal(entry.en, lang="en")))
        for parent in entry.broader:
            graph.add((node, SKOS.broader, entity_iri(parent)))
            graph.add((entity_iri(parent), SKOS.narrower, node))
            todo.append(parent)


def link_observations(graph: Graph, doc: Document, extraction: Extraction) -> int:
    """Add ``obs kg:about entity`` for each observation already in ``graph`` from ``doc``:
    the entity mentioned nearest before the observation's number, in the same clause; and
    ``obs kg:place place`` when a place inside the jurisdiction is named earlier in that clause.

    Returns the number of links added. Observations come from another stage; with none in the
    graph this does nothing.
    """
    by_sentence: dict[int, list[Mention]] = defaultdict(list)
    for m in extraction.mentions:
        if m.cls in ("Project", "Place", "Industry", "Organization", "Event"):
            by_sentence[m.sentence].append(m)
    sentences = {sentence_iri(doc, s.index): s for s in doc.sentences}
    narrower = places_within(graph, doc.meta.government or "")
    added = 0
    for obs in sorted(set(graph.subjects(RDF.type, KG.Observation)), key=str):
        sentence_node = graph.value(obs, KG.sentence)
        start = graph.value(obs, KG.start)
        sentence = sentences.get(URIRef(sentence_node)) if isinstance(sentence_node, URIRef) else None
        if sentence is None or not isinstance(start, Literal):
            continue
        offset = int(start.toPython())
        # position of the number inside the sentence text
        pos = next((k for k, o in enumerate(sentence.offsets) if o >= offset), None)
        if pos is None:
            continue
        before = [m for m in by_sentence.get(sentence.index, []) if m.j <= pos and pos - m.j <= _ABOUT_WINDOW
                  and not _CLAUSE.search(sentence.text, m.j, pos)]
        if before:
            nearest = max(before, key=lambda m: m.j)
            graph.add((obs, KG.about, entity_iri(nearest.key)))
            added += 1
        clause = [m for m in by_sentence.get(sentence.index, []) if m.cls == "Place" and m.j <= pos
                  and entity_iri(m.key) in narrower and not _CLAUSE.search(sentence.text, m.j, pos)]
        if clause:
            graph.add((obs, KG.place, entity_iri(max(clause, key=lambda m: m.j).key)))
    return added


def places_within(graph: Graph, government: str) -> set[URIRef]:
    """Places the graph knows to lie inside a government's jurisdiction (via skos:broader or
    kg:partOf), excluding the jurisdiction itself: 安亭镇 and 嘉定新城 for 上海市嘉定区人民政府."""
    name = jurisdiction(government)
    roots = {
        node for node, label in graph.subject_objects(SKOS.prefLabel)
        if isinstance(node, URIRef) and (node, RDF.type, KG.Place) in graph and name.endswith(str(label))
    }
    inside: set[URIRef] = set()
    todo = list(roots)
    while todo:
        node = todo.pop()
        for child in (*graph.subjects(SKOS.broader, node), *graph.subjects(KG.partOf, node)):
            if isinstance(child, URIRef) and child not in inside and child not in roots:
                inside.add(child)
                todo.append(child)
    return inside
