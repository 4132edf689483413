"""kg.analysis and kg.analysis.metrics: projections and measures pinned on a hand-built graph
(tests/cases/analysis-fixture.ttl), on small networkx graphs, and on the real graph.

The real graph's top entities by PageRank (seed 0) are data in tests/cases/analysis-pagerank.json;
after a rebuild that changes them, regenerate and read the diff:

    .venv/bin/python tests/test_analysis.py
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import networkx as nx
import pytest

from kg.analysis import PROJECTIONS, bipartite_graph, comention_graph, entity_graph, one_mode, project, read_facts
from kg.analysis.metrics import (
    articulation_points,
    bridges,
    communities,
    core_numbers,
    eigenvector,
    explain_path,
    k_core,
    pagerank,
    ranking,
    resolve,
    scores,
)
from kg.errors import InputError
from kg.store import load_graph, open_graph
from kg.vocab.namespace import KG

ROOT = Path(__file__).resolve().parent.parent
CASES = Path(__file__).resolve().parent / "cases"
FIXTURE = CASES / "analysis-fixture.ttl"
PAGERANK_CASE = CASES / "analysis-pagerank.json"
E, S = "http://example.org/e/", "http://example.org/s/"


@pytest.fixture(scope="module")
def fixture():
    return load_graph(FIXTURE)


@pytest.fixture(scope="module")
def real():
    return open_graph(ROOT / "data" / "triples.ttl")


def edges(graph: nx.Graph, *attrs: str) -> list[tuple]:
    """Edges as sorted tuples of (short u, short v, attrs...), IRIs shortened to their last part."""
    def short(x: object) -> object:
        if isinstance(x, str):
            return x.rsplit("/", 1)[-1]
        if isinstance(x, tuple):
            return tuple(short(v) for v in x)
        return x

    return sorted((*sorted((short(u), short(v))), *(short(d.get(a)) for a in attrs))
                  for u, v, d in graph.edges(data=True))


# --- projections on the hand-built graph ------------------------------------------------------

def test_facts_read_labels_classes_and_both_forms_of_mention(fixture):
    facts = read_facts(fixture)
    assert facts.entities[E + "car"] == ("汽车", "Industry")      # skos:prefLabel@zh first
    assert facts.entities[E + "nx"] == ("南翔镇", "Place")        # rdfs:label when no prefLabel
    assert facts.mentions[S + "3"] == (E + "nx", E + "p2")        # kg:Mention annotation counts
    assert (E + "p2", "inIndustry", E + "ai", "") in facts.relations  # stated without a sentence
    assert (E + "p1", "locatedIn", E + "jd", "") not in facts.relations  # its sentence is known


def test_oxigraph_sparql_and_memory_triple_patterns_read_the_same_facts(fixture, real):
    assert read_facts(fixture) == read_facts(open_graph(FIXTURE))
    assert read_facts(real) == read_facts(load_graph(ROOT / "data" / "triples.ttl"))


def test_entity_projection_has_stated_relations_with_their_sentences(fixture):
    graph = project(fixture, "entity")
    assert sorted(graph.nodes[E + "jd"].items()) == [("class", "Place"), ("label", "嘉定区")]
    assert edges(graph, "relations", "evidence", "weight") == [
        ("ai", "p2", ("inIndustry",), (), 1),
        ("car", "p1", ("inIndustry",), ("1",), 1),
        ("jd", "nx", ("partOf",), ("5",), 1),
        ("jd", "p1", ("locatedIn",), ("1",), 1),
        ("nx", "p2", ("locatedIn",), ("3",), 1),
    ]
    assert graph.edges[E + "jd", E + "nx"]["statements"] == ((E + "nx", "partOf", E + "jd"),)
    assert E + "gov" in graph and graph.degree(E + "gov") == 0


def test_entity_graph_keeps_direction_and_comention_both_ways(fixture):
    multi = entity_graph(fixture)
    assert multi.has_edge(E + "nx", E + "jd", key="partOf") and not multi.has_edge(E + "jd", E + "nx", key="partOf")
    assert multi.edges[E + "jd", E + "car", "coMentionedWith"]["evidence"] == (S + "1", S + "6")
    assert multi.edges[E + "car", E + "jd", "coMentionedWith"]["weight"] == 2
    assert not any(k == "coMentionedWith" for *_, k in entity_graph(fixture, include_comention=False).edges(keys=True))


def test_comention_weights_count_sentences(fixture):
    assert edges(comention_graph(fixture), "weight", "evidence") == [
        ("ai", "car", 1, ("2",)), ("ai", "nx", 1, ("2",)), ("car", "jd", 2, ("1", "6")), ("car", "nx", 1, ("2",)),
        ("car", "p1", 1, ("1",)), ("jd", "nx", 1, ("5",)), ("jd", "p1", 1, ("1",)), ("nx", "p2", 1, ("3",)),
    ]
    assert sorted(comention_graph(fixture, classes=["Place"]).edges()) == [(E + "jd", E + "nx")]


def test_industry_place_bipartite_and_its_one_mode_projections(fixture):
    graph = bipartite_graph(fixture, KG.Industry, KG.Place)
    assert {n: d["bipartite"] for n, d in graph.nodes(data=True)} == {
        E + "ai": 0, E + "car": 0, E + "jd": 1, E + "nx": 1}
    assert edges(graph, "weight", "evidence") == [
        ("ai", "nx", 1, ("2",)), ("car", "jd", 2, ("1", "6")), ("car", "nx", 1, ("2",))]
    places = one_mode(graph, KG.Place)
    assert edges(places, "weight", "via", "evidence") == [("jd", "nx", 1, ("car",), ("1", "2", "6"))]
    industries = one_mode(graph, "Industry")
    assert edges(industries, "weight", "via") == [("ai", "car", 1, ("nx",))]
    with pytest.raises(InputError, match="no Project nodes in this bipartite view; it has Industry, Place"):
        one_mode(graph, KG.Project)


def test_project_views_join_stated_relations_and_comention(fixture):
    assert edges(project(fixture, "project-place"), "relations", "evidence") == [
        ("jd", "p1", ("coMentionedWith", "locatedIn"), ("1",)), ("nx", "p2", ("coMentionedWith", "locatedIn"), ("3",))]
    assert edges(project(fixture, "project-industry"), "relations", "weight") == [
        ("ai", "p2", ("inIndustry",), 1), ("car", "p1", ("coMentionedWith", "inIndustry"), 1)]


def test_unknown_projection_names_the_choices(fixture):
    with pytest.raises(InputError, match="no projection 'places'; choose one of entity, comention"):
        project(fixture, "places")


# --- metrics on small graphs, exact values ----------------------------------------------------

def test_metrics_on_the_entity_projection_of_the_fixture(fixture):
    graph = project(fixture, "entity")  # the path car–p1–jd–nx–p2–ai, and gov alone
    table = scores(graph, ["degree", "betweenness", "core"])
    short = {m: {n.rsplit("/", 1)[-1]: v for n, v in values.items()} for m, values in table.items()}
    assert short["degree"] == {"ai": 1, "car": 1, "gov": 0, "jd": 2, "nx": 2, "p1": 2, "p2": 2}
    assert short["betweenness"] == {
        "ai": 0.0, "car": 0.0, "gov": 0.0, "jd": 0.4, "nx": 0.4, "p1": 0.26666667, "p2": 0.26666667}
    assert short["core"] == {"ai": 1, "car": 1, "gov": 0, "jd": 1, "nx": 1, "p1": 1, "p2": 1}
    assert len(bridges(graph)) == 5
    assert [n.rsplit("/", 1)[-1] for n in articulation_points(graph)] == ["jd", "nx", "p1", "p2"]


def test_pagerank_sums_to_one_and_is_exact_on_a_star():
    star = nx.star_graph(["hub", "a", "b", "c"])
    values = pagerank(star)
    # By hand, d = 0.85: leaf = 0.15/4 + d·hub/3 and hub = 0.15/4 + d·3·leaf, so leaf = 0.048125/0.2775.
    leaf = 0.048125 / 0.2775
    assert values == pytest.approx({"hub": 0.0375 + 2.55 * leaf, "a": leaf, "b": leaf, "c": leaf}, abs=1e-8)
    assert sum(values.values()) == pytest.approx(1.0)


def test_eigenvector_is_per_component_and_zero_for_isolated_nodes():
    graph = nx.Graph([("a", "b"), ("c", "d")])
    graph.add_node("z")
    assert eigenvector(graph) == {"a": 0.4472136, "b": 0.4472136, "c": 0.4472136, "d": 0.4472136, "z": 0.0}


def test_weighted_pagerank_follows_the_heavier_edge():
    graph = nx.Graph()
    graph.add_edge("a", "b", weight=5)
    graph.add_edge("a", "c", weight=1)
    values = pagerank(graph)
    assert values["b"] > values["c"]


def test_louvain_communities_repeat_for_a_seed_whatever_the_insertion_order():
    graph = nx.connected_caveman_graph(4, 5)
    graph = nx.relabel_nodes(graph, {n: f"n{n:02d}" for n in graph})
    expected = [[f"n{i:02d}" for i in range(k, k + 5)] for k in (0, 5, 10, 15)]
    assert communities(graph, seed=0) == expected
    shuffled = nx.Graph()
    items = list(graph.edges())
    random.Random(7).shuffle(items)
    shuffled.add_edges_from(items)
    assert communities(shuffled, seed=0) == expected
    assert communities(nx.Graph()) == []


def test_k_core_and_core_numbers():
    graph = nx.complete_graph(["a", "b", "c", "d"])
    graph.add_edge("d", "e")
    assert core_numbers(graph) == {"a": 3, "b": 3, "c": 3, "d": 3, "e": 1}
    assert sorted(k_core(graph)) == ["a", "b", "c", "d"]


def test_ranking_sorts_by_the_first_metric_then_label():
    graph = nx.Graph([("x", "y"), ("y", "z")])
    nx.set_node_attributes(graph, {"x": "b", "y": "c", "z": "a"}, "label")
    assert [r["node"] for r in ranking(graph, ["degree"])] == ["y", "z", "x"]
    with pytest.raises(InputError, match="no metric 'fame'"):
        ranking(graph, ["fame"])
    with pytest.raises(InputError, match="cannot sort by 'pagerank'"):
        ranking(graph, ["degree"], sort_by="pagerank")


# --- scores written back into RDF ------------------------------------------------------------

def test_every_score_written_back_conforms_to_the_analysis_shapes_and_bad_ones_do_not(fixture):
    from rdflib import XSD, Literal, URIRef

    from kg.analysis.export import scored_graph
    from kg.analysis.metrics import METRICS, SCORE_PROPERTIES
    from kg.rdf.validate import validate_graph

    shapes = [ROOT / "ontology" / "shapes-analysis.ttl"]
    scored = scored_graph(fixture, scores(project(fixture, "comention"), METRICS))
    assert {p for _, p, _ in scored} >= set(SCORE_PROPERTIES.values())
    assert len(scored) == len(fixture) + 7 * len(SCORE_PROPERTIES)
    assert validate_graph(scored, shapes).conforms
    scored.add((URIRef(E + "jd"), SCORE_PROPERTIES["pagerank"], Literal(1.5, datatype=XSD.double)))
    scored.set((URIRef(E + "nx"), SCORE_PROPERTIES["community"], Literal("x")))
    report = validate_graph(scored, shapes)
    assert sorted((v.focus.rsplit("/", 1)[-1].rstrip(">"), v.message) for v in report.violations) == [
        ("jd", "An entity has at most one kg:pageRank, a double between 0 and 1."),
        ("jd", "An entity has at most one kg:pageRank, a double between 0 and 1."),
        ("nx", "An entity has at most one kg:community, a whole number ≥ 0."),  # not an integer,
        ("nx", "An entity has at most one kg:community, a whole number ≥ 0."),  # and not ≥ 0
    ]


# --- paths explained by sentences -------------------------------------------------------------

def test_shortest_path_is_explained_by_the_sentences_behind_each_edge(fixture):
    graph = project(fixture, "entity")
    steps = explain_path(graph, "甲项目", E + "nx", rdf=fixture)
    assert [(s.source_label, s.target_label, s.relations) for s in steps] == [
        ("甲项目", "嘉定区", ("locatedIn",)), ("嘉定区", "南翔镇", ("partOf",))]
    assert steps[0].sentences == ((S + "1", "甲项目在嘉定区，属于汽车产业。"),)
    assert steps[1].sentences == ((S + "5", "南翔镇是嘉定区的一个镇。"),)


def test_path_errors_say_what_is_wrong(fixture):
    graph = project(fixture, "entity")
    with pytest.raises(InputError, match="no path joins '区政府' and '嘉定区'"):
        explain_path(graph, "区政府", "嘉定区")
    with pytest.raises(InputError, match="no entity '嘉定区政' in this projection; did you mean 嘉定区"):
        resolve(graph, "嘉定区政")
    assert graph.nodes[resolve(graph, "嘉定")]["label"] == "嘉定区"  # a lexicon alias resolves
    twins = nx.Graph()
    twins.add_node("http://x/1", label="同名")
    twins.add_node("http://x/2", label="同名")
    with pytest.raises(InputError, match=r"'同名' labels 2 nodes .*give the IRI instead"):
        resolve(twins, "同名")


# --- the real graph ---------------------------------------------------------------------------

def top_pagerank(graph, projection: str, n: int = 5) -> list[list[object]]:
    rows = ranking(project(graph, projection), ["pagerank"], seed=0, top=n)
    return [[r["node"], r["label"], r["pagerank"]] for r in rows]


@pytest.mark.parametrize("projection", PROJECTIONS)
def test_top_entities_by_pagerank_on_the_real_graph_are_pinned(real, projection):
    expected = json.loads(PAGERANK_CASE.read_text(encoding="utf-8"))[projection]
    found = top_pagerank(real, projection)
    assert [r[:2] for r in found] == [r[:2] for r in expected]
    assert [r[2] for r in found] == pytest.approx([r[2] for r in expected], abs=1e-6)


def test_real_communities_repeat_and_cover_every_node(real):
    graph = project(real, "comention")
    first = communities(graph, seed=0)
    assert first == communities(graph, seed=0)
    assert sorted(n for c in first for n in c) == sorted(graph)
    assert len(first[0]) >= len(first[-1])


def test_projections_are_deterministic(real):
    one, two = project(real, "comention"), project(real, "comention")
    assert list(one.nodes(data=True)) == list(two.nodes(data=True))
    assert list(one.edges(data=True)) == list(two.edges(data=True))


def regenerate() -> None:
    graph = open_graph(ROOT / "data" / "triples.ttl")
    case = {p: top_pagerank(graph, p) for p in PROJECTIONS}
    PAGERANK_CASE.write_text(json.dumps(case, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {PAGERANK_CASE}", file=sys.stderr)


if __name__ == "__main__":
    regenerate()


def test_a_path_accepts_an_alias_as_the_explorer_does():
    """`kg analyze --path 上汽大众 雄安` refused 雄安, an alias of 雄安新区 the explorer accepts."""
    from click.testing import CliRunner

    from kg.cli import main

    result = CliRunner().invoke(main, ["analyze", "--projection", "comention", "--path", "上汽大众", "雄安"])
    assert result.exit_code == 0, result.output
    assert "雄安新区" in result.output
