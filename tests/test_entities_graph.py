"""Entities in the built graph: SPARQL answers, SHACL, identity across reports, the CLI tables."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import RDF, Graph, Literal
from rdflib.namespace import SKOS

from kg.query import named_query, result_rows, run_query
from kg.rdf.entities import entity_iri
from kg.vocab.namespace import KG

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "data" / "source"


@pytest.fixture(scope="module")
def graph() -> Graph:
    from kg.build import build_graph

    return build_graph(sorted(SOURCES.glob("*.txt")))


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Graph:
    """The built graph as `kg query` sees it: written as Turtle, loaded into Oxigraph."""
    from kg.build import build
    from kg.store import open_graph

    out = tmp_path_factory.mktemp("entities") / "triples.ttl"
    build(sorted(SOURCES.glob("*.txt")), out)
    return open_graph(out)


def _rows(graph: Graph, query: str, **bindings: str) -> list[dict[str, str]]:
    result = run_query(graph, named_query(query), bindings=bindings)
    return [{k: str(v) for k, v in row.items()} for row in result_rows(result)]


def test_automotive_projects_and_where_they_are(store: Graph) -> None:
    rows = _rows(store, "automotive-projects")
    projects = {r["project_label"]: r for r in rows}
    assert {"上汽大众MEB工厂", "中德智能网联汽车推广应用中心", "智能网联汽车综合大数据中心"} <= set(projects)
    assert projects["中德智能网联汽车推广应用中心"]["industry_label"] == "智能网联汽车"
    assert projects["上汽大众MEB工厂"]["place"] == "上海市嘉定区"  # the text names no place: the jurisdiction
    assert all(r["place"] for r in rows)
    # the taxonomy does the work: no project is in an industry outside 汽车产业's tree
    assert {r["industry_label"] for r in rows} <= {
        "汽车产业", "汽车“新四化”", "新能源汽车", "智能网联汽车", "汽车智能化"}


def test_everything_about_anting(store: Graph) -> None:
    rows = _rows(store, "about-place")  # default name = 安亭
    named = {r["entity_label"] for r in rows}
    assert {"安亭镇", "安亭新院", "安亭北站"} <= named
    assert all("安亭" in r["text"] for r in rows)
    assert "locatedIn 安亭镇" in {r.get("relation") for r in rows}
    # the same query answers for another place by binding its parameter
    nanxiang = _rows(store, "about-place", name="南翔")
    assert {"南翔印象城", "南翔精准医学产业园二期"} <= {r["entity_label"] for r in nanxiang}


def test_entities_table_contract(store: Graph) -> None:
    rows = _rows(store, "entities")
    assert list(rows[0])[:5] == ["iri", "type", "label", "aliases", "mentions"]
    jiading = next(r for r in rows if r["label"] == "嘉定区")
    assert jiading["type"] == "Place" and "嘉定" in jiading["aliases"].split("|")
    assert int(jiading["mentions"]) >= 20
    assert {r["type"] for r in rows} == {"Project", "Industry", "Place", "Organization", "Policy", "Event", "Goal"}


def test_relations_table_contract(store: Graph) -> None:
    rows = _rows(store, "relations")
    assert list(rows[0])[:5] == ["subject", "relation", "object", "sentence", "report"]
    row = next(r for r in rows if r["subject"] == "安亭北站")
    assert row["relation"] == "locatedIn" and row["object"] == "安亭镇" and "安亭北站" in row["sentence"]
    # a figure is about what it measures, and the table says so with the figure's label as subject
    figure = next(r for r in rows if r["relation"] == "about" and r["object"] == "工业")
    assert figure["subject"].startswith("规模以上工业总产值") and "5341.7" in figure["sentence"]


def test_same_entity_same_iri_across_reports(graph: Graph) -> None:
    reports = {str(r) for r in graph.objects(None, KG.inReport)
               if str(r).endswith(("上海市嘉定区/2021", "河北省/2021", "河北省/2022"))}
    assert len(reports) == 3
    central = entity_iri("党中央")
    in_reports = {str(graph.value(m, KG.inReport)) for m in graph.subjects(KG.entity, central)}
    assert len(in_reports) == 3  # all three reports mention 党中央: one node


def test_mentions_and_assertions_in_rdf(graph: Graph) -> None:
    node = entity_iri("上汽大众MEB工厂")
    assert (node, RDF.type, KG.Project) in graph
    assert (node, SKOS.prefLabel, Literal("上汽大众MEB工厂", lang="zh")) in graph
    mention = next(graph.subjects(KG.entity, node))
    sentence = graph.value(mention, KG.sentence)
    assert (sentence, KG.mentions, node) in graph
    assert int(graph.value(mention, KG.start)) < int(graph.value(mention, KG.end))
    assertions = list(graph.subjects(RDF.subject, entity_iri("安亭新院")))
    assert assertions and all(graph.value(a, KG.sentence) is not None for a in assertions)
    assert (entity_iri("安亭镇"), SKOS.broader, entity_iri("嘉定区")) in graph


def test_built_graph_conforms_and_shapes_catch_a_bare_entity(graph: Graph) -> None:
    from kg.rdf.validate import validate_graph

    assert validate_graph(graph).conforms
    broken = Graph()
    broken.add((entity_iri("无名之地"), RDF.type, KG.Place))
    report = validate_graph(broken)
    assert not report.conforms
    assert "Chinese preferred label" in report.describe() and "at least one sentence" in report.describe()


def test_cli_tables_and_eval(tmp_path: Path) -> None:
    from kg.build import build
    from kg.cli import main

    out = tmp_path / "g.ttl"
    build([SOURCES / "jiading-2021.txt"], out)
    runner = CliRunner()
    result = runner.invoke(main, ["table", "entities", "--graph", str(out), "--format", "csv"])
    assert result.exit_code == 0, result.output
    header = next(csv.reader(io.StringIO(result.output)))
    assert header[:5] == ["iri", "type", "label", "aliases", "mentions"]
    result = runner.invoke(main, ["table", "relations", "--graph", str(out), "--format", "csv"])
    assert result.exit_code == 0 and result.output.startswith("subject,relation,object,sentence,report")
    result = runner.invoke(main, ["eval-entities", str(ROOT / "tests" / "gold" / "entities-jiading-2021.csv"),
                                  "--source", str(SOURCES)])
    assert result.exit_code == 0 and "precision" in result.output and "relations:" in result.output
    result = runner.invoke(main, ["eval-entities", str(tmp_path / "entities-missing.csv")])
    assert result.exit_code == 2 and "no such gold file" in result.output


def test_observations_are_about_an_entity_named_before_their_number(graph: Graph) -> None:
    links = [(s, o) for s, o in graph.subject_objects(KG.about) if (s, RDF.type, KG.Observation) in graph]
    assert len(links) > 20
    for obs, entity in links:
        sentence = graph.value(obs, KG.sentence)
        assert (sentence, KG.mentions, entity) in graph
        mention_ends = [int(graph.value(m, KG.end)) for m in graph.subjects(KG.entity, entity)
                        if graph.value(m, KG.sentence) == sentence]
        assert min(mention_ends) <= int(graph.value(obs, KG.start))
