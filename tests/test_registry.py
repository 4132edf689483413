"""One registry of entity classes and stated relations: every other list agrees with it.

The ontology (``kg:Entity owl:disjointUnionOf``, sub-properties of ``kg:relatedTo``) is the one
place they are written; code takes them from :mod:`kg.vocab.registry`, and the copies that
cannot import Python (SHACL shapes, the catalogue query, the explorer style) are checked here.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH

from kg.vocab import registry
from kg.vocab.namespace import KG

ROOT = Path(__file__).resolve().parent.parent
CLASSES = set(registry.ENTITY_CLASSES)
RELATIONS = set(registry.RELATIONS)


def _local(node: object) -> str:
    return str(node).rsplit("#", 1)[-1]


def test_registry_reads_the_ontology() -> None:
    assert registry.ENTITY_CLASSES == ("Project", "Industry", "Place", "Organization", "Policy", "Event", "Goal")
    assert registry.RELATIONS == ("locatedIn", "partOf", "inIndustry", "partnerOf", "organizedBy", "issuedBy", "about")
    assert registry.relation("partnerOf").symmetric and not registry.relation("partOf").symmetric
    assert all(t.label_zh and t.label_en for t in (*registry.entity_classes(), *registry.relations()))
    with pytest.raises(KeyError, match="not an entity class"):
        registry.entity_class("Person")


def test_shapes_list_the_registry() -> None:
    shapes = Graph().parse(ROOT / "ontology" / "shapes-entities.ttl")
    targets = {_local(o) for o in shapes.objects(None, SH.targetClass)}
    assert targets >= CLASSES, "shapes-entities.ttl: sh:targetClass misses an entity class"
    for head in shapes.objects(None, SH["or"]):
        members = {_local(shapes.value(alt, SH["class"])) for alt in Collection(shapes, head)}
        assert members == CLASSES, f"shapes-entities.ttl: an sh:or list is {sorted(members)}"
    for head in shapes.objects(None, SH["in"]):
        members = {_local(m) for m in Collection(shapes, head)}
        if members & RELATIONS:
            assert members == RELATIONS, f"shapes-entities.ttl: the relation sh:in list is {sorted(members)}"


def test_catalogue_entity_query_lists_the_registry() -> None:
    text = (ROOT / "queries" / "entities.rq").read_text(encoding="utf-8")
    values = re.search(r"VALUES \?class \{([^}]*)\}", text)
    assert values, "queries/entities.rq: no VALUES ?class"
    assert set(re.findall(r"kg:(\w+)", values.group(1))) == CLASSES


def test_relations_table_lists_the_registry() -> None:
    """``kg table relations`` shows every stated relation: its query names the registry's, in order."""
    text = (ROOT / "queries" / "relations.rq").read_text(encoding="utf-8")
    listed = re.search(r"FILTER\(\?p IN \(([^)]*)\)\)", text)
    assert listed, "queries/relations.rq: no FILTER(?p IN (…)) list of relations"
    assert tuple(re.findall(r"kg:(\w+)", listed.group(1))) == registry.RELATIONS


def test_explorer_style_covers_the_registry() -> None:
    style = json.loads((ROOT / "src" / "kg" / "view" / "static" / "style.json").read_text(encoding="utf-8"))
    assert {c["id"] for c in style["classes"]} >= CLASSES, "style.json: a class has no style"
    assert {r["id"] for r in style["relations"]} >= RELATIONS, "style.json: a relation has no style"


def test_code_takes_its_lists_from_the_registry() -> None:
    from kg.analysis.projections import ENTITY_CLASSES
    from kg.analysis.projections import RELATIONS as PROJECTED
    from kg.extract.lexicon import ENTITY_CLASSES as LEXICON_CLASSES
    from kg.extract.relations import PREDICATES

    assert tuple(LEXICON_CLASSES) == registry.ENTITY_CLASSES
    assert tuple(PREDICATES) == registry.RELATIONS
    assert tuple(getattr(KG, c) for c in registry.ENTITY_CLASSES) == ENTITY_CLASSES
    assert PROJECTED[:-1] == tuple(URIRef(getattr(KG, r)) for r in registry.RELATIONS)
