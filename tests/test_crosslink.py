"""Identity across reports: indicator concepts worded differently are linked, with evidence."""

from __future__ import annotations

import time

import pytest
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import PROV, SKOS

from kg.rdf.crosslink import cross_links, indicator_graph, label_key, link_rules
from kg.rdf.observations import indicator_iri


def concepts(*labels: str) -> Graph:
    graph = Graph()
    for label in labels:
        graph.add((indicator_iri(label), SKOS.prefLabel, Literal(label, lang="zh")))
    return graph


def links(graph: Graph) -> set[tuple[str, str, str]]:
    return {(str(s).rsplit("/", 1)[-1], p.fragment, str(o).rsplit("/", 1)[-1])
            for s, p, o in cross_links(graph) if p in (SKOS.exactMatch, SKOS.closeMatch, SKOS.relatedMatch)}


@pytest.mark.parametrize(("a", "b", "match"), [
    ("地区生产总值", "全省生产总值", "exactMatch"),          # lexicon row: GDP of a province
    ("地区生产总值", "生产总值", "exactMatch"),
    ("新增国家级高新技术企业", "新增国家高新技术企业", "closeMatch"),  # key rule 国家级 → 国家
    ("净增规模以上工业企业", "新增规模以上工业企业", "closeMatch"),    # key rule: one flow marker
    ("老旧小区", "老旧小区改造", "closeMatch"),
    ("技术合同成交额", "技术合同成交总额", "closeMatch"),
    ("近岸海域水质优良比率", "近岸海域水质达标率", "relatedMatch"),   # a different measure
])
def test_worded_differently_is_linked(a, b, match):
    found = links(concepts(a, b))
    assert len(found) == 1
    (x, p, y), = found
    assert {x, y} == {a, b} and p == match


@pytest.mark.parametrize(("a", "b"), [
    ("规模以上工业企业", "新增规模以上工业企业"),  # a stock and a flow
    ("超100亿元产业集群", "超50亿元产业集群"),
    ("地区生产总值", "一般公共预算收入"),
])
def test_different_measures_are_not_linked(a, b):
    assert not links(concepts(a, b))


def test_every_link_keeps_its_evidence():
    graph = cross_links(concepts("地区生产总值", "全省生产总值", "新增国家级高新技术企业", "新增国家高新技术企业"))
    statements = list(graph.subjects(RDF.type, RDF.Statement))
    assert len(statements) == 2
    for node in statements:
        source = graph.value(node, PROV.wasDerivedFrom)
        note = str(graph.value(node, SKOS.note))
        assert (graph.value(node, RDF.subject), graph.value(node, RDF.predicate),
                graph.value(node, RDF.object)) in graph
        assert "/lexicon/indicator-" in str(source) and ".csv" in note
    lexicon_row = next(n for n in statements if graph.value(n, RDF.predicate) == SKOS.exactMatch)
    assert str(graph.value(lexicon_row, PROV.wasDerivedFrom)).endswith("/lexicon/indicator-links/" + str(
        next(r.row for r in link_rules() if r.other == "全省生产总值")))


def test_links_are_deterministic_and_need_both_concepts():
    graph = concepts("地区生产总值", "全省生产总值", "新增国家级高新技术企业", "新增国家高新技术企业")
    first = sorted(cross_links(graph))
    assert first == sorted(cross_links(graph))
    assert not any(isinstance(o, URIRef) and o.endswith("/GDP") for _, _, o in first)
    assert not cross_links(concepts("全省生产总值"))


def test_the_key_rules_keep_a_flow_apart_from_a_stock():
    assert label_key("新增规模以上工业企业") == label_key("净增规模以上工业企业") != label_key("规模以上工业企业")


def test_linking_is_linear_in_the_number_of_concepts():
    labels = [f"指标{i}号" for i in range(20000)]
    start = time.perf_counter()
    assert not cross_links(concepts(*labels))
    assert time.perf_counter() - start < 10


def test_the_built_graph_links_the_two_hebei_reports(built_graph):
    indicators = indicator_graph(built_graph)
    assert indicators and all("/indicator/" in str(s) for s in indicators.subjects())
    close = {(str(s).rsplit("/", 1)[-1], str(o).rsplit("/", 1)[-1])
             for s, o in built_graph.subject_objects(SKOS.closeMatch)}
    assert ("新增国家级高新技术企业", "新增国家高新技术企业") in close


def test_a_link_without_its_reason_fails_validation():
    from kg.rdf.validate import validate_graph

    graph = concepts("地区生产总值", "全省生产总值")
    for s in list(graph.subjects()):
        graph.add((s, RDF.type, URIRef("https://w3id.org/policykg/ontology#Indicator")))
    links = cross_links(graph)
    assert validate_graph(graph + links).conforms
    broken = graph + links
    broken.remove((None, SKOS.note, None))
    report = validate_graph(broken)
    assert not report.conforms and "says why" in str(report.violations)
