"""Everything extraction finds in one report, as one frozen value the RDF stage only writes.

:func:`extract_report` runs the extractors on a segmented :class:`~kg.text.segment.Document`:
observations (numbers), entities with their mentions and the lexicon parts inside them, stated
relations, co-mentions, the lexicon hierarchy above the entities found, and the links from a
figure to what it measures. Each item keeps its sentence index and offsets, so the result can
be tested, timed and cached without any RDF.

>>> from pathlib import Path
>>> from kg.text.source import SourceText
>>> from kg.text.segment import segment
>>> text = ("2021年上海市嘉定区人民政府工作报告\\n——2021年1月6日在嘉定区人大会议上\\n区长 高香\\n"
...         "各位代表：\\n一、工作回顾\\n安亭新院建成，安亭镇固定资产投资12亿元。\\n")
>>> facts = extract_report(segment(SourceText(Path("x.txt"), text, "")))
>>> [(o.text, o.unit, o.indicator) for o in facts.observations]
[('12', '亿元', '安亭镇固定资产投资')]
>>> [(r.subject, r.predicate, r.object) for r in facts.relations]
[('安亭新院', 'locatedIn', '安亭镇')]
>>> [(link.predicate, link.entity) for link in facts.links]
[('about', '安亭镇')]
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from kg.extract.entities import Extraction, Lexicon, Mention, extract_entities, load_lexicon
from kg.extract.observations import Observation, extract_observations, load_rules
from kg.extract.relations import Relation, co_mentions, find_relations
from kg.text.segment import Document
from kg.vocab.iri import jurisdiction

__all__ = ["Concept", "MeasureLink", "ReportFacts", "extract_report"]

_CLAUSE = re.compile(r"[，；。：！？]")
_ABOUT_WINDOW = 20  # characters between an entity and the number it is measured by, at most
_MEASURED = ("Project", "Place", "Industry", "Organization", "Event")  # what a figure can be about


@dataclass(frozen=True)
class Concept:
    """A lexicon concept at or above an entity found: its label, English label and parents."""

    label: str
    en: str
    broader: tuple[str, ...]
    code: str = ""  # GB/T 2260 code of an administrative division
    level: str = ""  # its level: province, city or county


@dataclass(frozen=True)
class MeasureLink:
    """A figure linked to an entity: ``about`` (what it measures) or ``place`` (where)."""

    observation: Observation
    predicate: str
    entity: str


@dataclass(frozen=True)
class ReportFacts:
    """What one report states: the input of the RDF stage."""

    observations: tuple[Observation, ...]
    entities: Extraction
    relations: tuple[Relation, ...]
    co_mentions: tuple[tuple[str, str, int], ...]
    hierarchy: tuple[Concept, ...]
    links: tuple[MeasureLink, ...]


def extract_report(doc: Document, *, lexicon: Lexicon | None = None, co_mention: bool = True) -> ReportFacts:
    """Run every extractor on ``doc`` and return what they found, ready to be written as RDF."""
    lex = lexicon or load_lexicon()
    observations = extract_observations(doc)
    extraction = extract_entities(doc, lex)
    relations = tuple(find_relations(extraction, doc))
    hierarchy = _hierarchy(extraction, lex)
    inside = _places_within(extraction, relations, hierarchy, doc.meta.government or "")
    return ReportFacts(
        observations=observations,
        entities=extraction,
        relations=relations,
        co_mentions=tuple(co_mentions(extraction)) if co_mention else (),
        hierarchy=hierarchy,
        links=tuple(_measure_links(doc, observations, extraction, inside)),
    )


def _hierarchy(extraction: Extraction, lex: Lexicon) -> tuple[Concept, ...]:
    """The lexicon concepts at and above each entity found, each once, sorted by label."""
    seen: dict[str, Concept] = {}
    todo = [e.key for e in extraction.entities if e.key in lex.entries]
    while todo:
        current = todo.pop()
        if current in seen or current not in lex.entries:
            continue
        entry = lex.entries[current]
        seen[current] = Concept(current, entry.en or "", tuple(entry.broader), entry.code, entry.level)
        todo.extend(entry.broader)
    return tuple(seen[k] for k in sorted(seen))


def _places_within(
    extraction: Extraction, relations: tuple[Relation, ...], hierarchy: tuple[Concept, ...], government: str
) -> set[str]:
    """Places known to lie inside a government's jurisdiction, by the lexicon hierarchy or a
    stated ``partOf``, excluding the jurisdiction itself: 安亭镇 and 嘉定新城 for 上海市嘉定区."""
    name = jurisdiction(government)
    english = {c.label: c.en for c in hierarchy}
    roots = {e.key for e in extraction.entities
             if e.cls == "Place" and (name.endswith(e.key) or (english.get(e.key) and name.endswith(english[e.key])))}
    children: dict[str, set[str]] = defaultdict(set)
    for concept in hierarchy:
        for parent in concept.broader:
            children[parent].add(concept.label)
    for rel in relations:
        if rel.predicate == "partOf":
            children[rel.object].add(rel.subject)
    inside: set[str] = set()
    todo = list(roots)
    while todo:
        for child in children.get(todo.pop(), ()):
            if child not in inside and child not in roots:
                inside.add(child)
                todo.append(child)
    return inside


def _measure_links(
    doc: Document, observations: tuple[Observation, ...], extraction: Extraction, inside: set[str]
) -> list[MeasureLink]:
    """``about``: the entity mentioned nearest before a figure's number in the same clause;
    ``place``: the nearest place inside the jurisdiction named earlier in that clause."""
    by_sentence: dict[int, list[Mention]] = defaultdict(list)
    for m in extraction.mentions:
        if m.cls in _MEASURED:
            by_sentence[m.sentence].append(m)
    sentences = {s.index: s for s in doc.sentences}
    owned = load_rules().owned
    links: list[MeasureLink] = []
    for obs in observations:
        sentence = sentences.get(obs.sentence)
        if sentence is None:
            continue
        pos = next((k for k, o in enumerate(sentence.offsets) if o >= obs.start), None)
        if pos is None:
            continue
        clause = [m for m in by_sentence.get(sentence.index, [])
                  if m.j <= pos and not _CLAUSE.search(sentence.text, m.j, pos)]
        near = [m for m in clause if pos - m.j <= _ABOUT_WINDOW]
        if not near and any(sentence.text.endswith(w, 0, pos) for w in owned):
            # …项目，总投资20亿元: a measure that belongs to what the sentence named just before
            near = [m for m in by_sentence.get(sentence.index, []) if m.j <= pos and m.cls != "Place"
                    and len(_CLAUSE.findall(sentence.text, m.j, pos)) <= 1]
        if near:
            links.append(MeasureLink(obs, "about", max(near, key=lambda m: m.j).key))
        places = [m for m in clause if m.cls == "Place" and m.key in inside]
        if places:
            links.append(MeasureLink(obs, "place", max(places, key=lambda m: m.j).key))
    return links
