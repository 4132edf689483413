"""The ontology, its generated namespace and the SHACL shapes agree with each other."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, Graph
from rdflib.namespace import SKOS

from kg.resources import shapes_files
from kg.vocab.namespace import KG
from kg.vocab.ontology import NAMESPACE, load_ontology, ontology_terms, render_namespace

ROOT = Path(__file__).resolve().parent.parent


def test_generated_namespace_matches_the_turtle():
    generated = (ROOT / "src" / "kg" / "vocab" / "namespace.py").read_text(encoding="utf-8")
    assert generated == render_namespace(), "regenerate: python -m kg.vocab.ontology > src/kg/vocab/namespace.py"


def test_namespace_is_closed():
    assert str(KG.Observation) == NAMESPACE + "Observation"
    with pytest.raises(AttributeError, match="workFor"):
        KG.workFor  # noqa: B018


REQUIRED_CLASSES = [
    "Report", "Section", "Sentence", "Project", "Industry", "Place", "Organization",
    "Policy", "Event", "Goal", "Indicator", "Observation",
]


def test_required_classes_exist():
    terms = set(ontology_terms())
    assert set(REQUIRED_CLASSES) <= terms


@pytest.mark.parametrize("term", ontology_terms())
def test_every_term_has_chinese_and_english_label_and_definition(term: str):
    graph = load_ontology()
    node = KG[term]
    for prop in (RDFS.label, SKOS.definition):
        languages = {getattr(o, "language", None) for o in graph.objects(node, prop)}
        assert {"zh", "en"} <= languages, f"kg:{term} lacks a zh or en {prop}"


def test_indicator_and_observation_reuse_standard_vocabularies():
    graph = load_ontology()
    assert (KG.Indicator, RDFS.subClassOf, SKOS.Concept) in graph
    qb = "http://purl.org/linked-data/cube#"
    assert any(str(o) == qb + "Observation" for o in graph.objects(KG.Observation, RDFS.subClassOf))
    assert (KG.Report, RDF.type, OWL.Class) in graph


def test_shapes_parse_and_only_use_known_kg_terms():
    shapes = Graph()
    for path in shapes_files():
        shapes.parse(path, format="turtle")
    known = set(ontology_terms())
    used = {
        str(t)[len(NAMESPACE):]
        for triple in shapes
        for t in triple
        if str(t).startswith(NAMESPACE)
    }
    assert used <= known, used - known
