"""The explorer page without a browser: determinism, escaping, no remote references, the CLI.

The browser tests are in ``test_view_browser.py``; both use :func:`fixture_graph`, the real
Jiading 2021 document graph plus the entities in ``tests/cases/view-fixture.ttl``. :func:`page_data`
reads a page's data as its script does: each table's rows become dicts through ``columns``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, URIRef

from kg.build import build_graph
from kg.cli import main
from kg.errors import InputError, QueryError
from kg.rdf.document import document_graph
from kg.text.segment import segment
from kg.text.source import read_source
from kg.view import render_html, render_html_from_construct, render_query, write_view
from kg.view.data import COLUMNS, STATIC, Edge, explorer_data, highlight

ROOT = Path(__file__).resolve().parent.parent
JIADING = ROOT / "data" / "source" / "jiading-2021.txt"
FIXTURE = ROOT / "tests" / "cases" / "view-fixture.ttl"
MEB = URIRef("https://w3id.org/policykg/id/entity/project/上汽大众MEB工厂")
HOSTILE = ("<script>window.__pwned=1</script>", '<img src=x onerror="window.__pwned=1">')
ENTITY_CLASSES = "kg:Entity kg:Project kg:Industry kg:Place kg:Organization kg:Policy kg:Event kg:Goal kg:Indicator"
ENTITY_COUNT = f"""
PREFIX kg: <https://w3id.org/policykg/ontology#>
SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ VALUES ?c {{ {ENTITY_CLASSES} }} ?e a ?c . FILTER(isIRI(?e)) }}
"""


def real_graph() -> Graph:
    """The real Jiading 2021 graph, as ``kg build`` makes it."""
    return build_graph([JIADING])


def fixture_graph() -> Graph:
    """The real Jiading document structure plus a few hand-made entities, two with hostile labels.

    Only the structure comes from the report (not the extracted entities), so what the tests
    expect of the fixture does not move when entity extraction improves.
    """
    graph = document_graph(segment(read_source(JIADING)))
    graph.parse(FIXTURE, format="turtle")
    return graph


def entity_count(graph: Graph) -> int:
    """How many entities the explorer must draw at first: instances of the entity classes."""
    return int(next(iter(graph.query(ENTITY_COUNT)))[0])  # type: ignore[index]


@pytest.fixture(scope="module")
def graph() -> Graph:
    return fixture_graph()


@pytest.fixture(scope="module")
def page(graph: Graph) -> str:
    return render_html(graph)


def page_data(page: str) -> dict:
    """The page's embedded data, each row of each table a dict keyed by the table's ``columns``."""
    match = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.S)
    assert match, "the page has no embedded data"
    data = json.loads(match.group(1))
    for table, names in data["columns"].items():

        def named(rows: list[list], names: list[str] = names) -> list[dict]:
            return [dict(zip(names, row, strict=True)) for row in rows]  # a row of another length fails here

        rows = data[table]
        data[table] = named(rows) if isinstance(rows, list) else {iri: named(r) for iri, r in rows.items()}
    return data



def test_fixture_mention_offsets_match_the_report():
    text = JIADING.read_text(encoding="utf-8")
    fixture = FIXTURE.read_text(encoding="utf-8")
    start, end = (int(x) for x in re.search(r"kg:start (\d+) ; kg:end (\d+)", fixture).groups())
    assert text[start:end].replace(" ", "") == "上汽大众MEB工厂"


def test_same_graph_and_seed_give_the_same_page(graph: Graph, page: str):
    assert render_html(graph) == page
    assert render_html(fixture_graph(), seed=0) == page


def test_the_seed_moves_the_layout(graph: Graph, page: str):
    other = page_data(render_html(graph, seed=7))
    mine = page_data(page)
    assert [(n["x"], n["y"]) for n in mine["nodes"]] != [(n["x"], n["y"]) for n in other["nodes"]]


def test_page_has_no_remote_reference(page: str):
    # Data IRIs (https://w3id.org/...) are text; nothing may be *loaded* from a URL.
    assert not re.search(r"""(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I)
    assert not re.search(r"""url\(\s*["']?\s*(?:https?:)?//|@import""", page, re.I)
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    assert "default-src 'none'" in csp and "unsafe-eval" not in csp and "http" not in csp


def test_hostile_labels_never_appear_raw(page: str):
    for label in HOSTILE:
        assert label not in page
    # Exactly three script elements: the data, vis-network and the explorer.
    assert page.count("</script>") == 3
    assert "<!--" not in page
    labels = [lab["text"] for labs in page_data(page)["labels"].values() for lab in labs]
    assert all(label in labels for label in HOSTILE), "the JSON escaping lost the hostile labels"


def test_entities_are_the_nodes_shown_first(graph: Graph, page: str):
    data = page_data(page)
    structure = {c["id"] for c in data["classes"] if c.get("structure")}
    entities = [n for n in data["nodes"] if n["cls"] not in structure]
    assert len(entities) == entity_count(graph) == 12
    assert {n["cls"] for n in data["nodes"]} >= {"Project", "Place", "Sentence", "Section", "Report"}


def test_panel_data_for_the_meb_plant(page: str):
    data = page_data(page)
    meb = str(MEB)
    assert [lab["text"] for lab in data["labels"][meb]] == ["上汽大众MEB工厂", "MEB工厂", "SAIC Volkswagen MEB plant"]
    (source,) = data["sources"][meb]
    assert data["sentences"][source["sentence"]]["text"][source["start"]:source["end"]] == "上汽大众MEB工厂"
    industry = "https://w3id.org/policykg/id/entity/industry/新能源汽车"
    obs = data["observations"][industry][0]
    assert (obs["value"], obs["unit"], obs["period"], obs["kind"]) == ("137.3", "亿元", "2020", "actual")
    assert obs["indicator"] == "新能源汽车及汽车智能化产业产值"


def test_relations_become_typed_edges(page: str):
    data = page_data(page)
    label = [n["label"] for n in data["nodes"]]
    found = {(label[e["head"]], data["relations"][e["relation"]]["id"], label[e["tail"]]) for e in data["edges"]}
    assert ("上汽大众MEB工厂", "locatedIn", "安亭镇") in found
    assert ("安亭镇", "partOf", "嘉定区") in found
    assert ("新能源汽车及汽车智能化产业产值", "about", "新能源汽车") in found


@pytest.mark.parametrize(("text", "surfaces", "near", "expected"), [
    ("建成上汽大众MEB工厂。", ["上汽大众MEB工厂"], (2, 14), (2, 11)),
    ("甲乙甲", ["甲"], (2, 3), (2, 3)),  # the occurrence nearest the offsets wins
    ("甲乙甲", ["丙", "甲"], None, (0, 1)),  # the first surface form that occurs wins
    ("abc", ["x"], (0, 9), (-1, -1)),  # offsets outside the sentence are dropped
])
def test_highlight(text, surfaces, near, expected):
    assert highlight(text, surfaces, near) == expected


def test_focus_draws_an_ego_graph(graph: Graph):
    data = page_data(render_html(graph, focus="上汽大众MEB工厂", depth=1))
    shown = {data["nodes"][i]["label"] for i in data["view"]}
    assert shown == {"上汽大众MEB工厂", "安亭镇", "新能源汽车", "上汽大众", "世界级汽车产业中心核心承载区", HOSTILE[0]}
    assert data["nodes"][data["focus"]]["id"] == str(MEB)
    wider = page_data(render_html(graph, focus="kgr:entity/project/上汽大众MEB工厂", depth=2))
    assert "嘉定区" in {wider["nodes"][i]["label"] for i in wider["view"]}


def test_unknown_focus_names_near_matches(graph: Graph):
    with pytest.raises(InputError, match=r"--focus '上汽大众MEB厂'.*did you mean 上汽大众MEB工厂"):
        render_html(graph, focus="上汽大众MEB厂")


def test_construct_result_is_drawn_with_details_from_the_graph(graph: Graph):
    query = """PREFIX kg: <https://w3id.org/policykg/ontology#>
    CONSTRUCT { ?a kg:locatedIn ?b } WHERE { ?a kg:locatedIn ?b }"""
    result = graph.query(query).graph
    data = page_data(render_html_from_construct(result, context=graph))
    assert sorted(n["label"] for n in data["nodes"]) == ["上汽大众", "上汽大众MEB工厂", "安亭镇"]
    assert data["sources"][str(MEB)], "the source sentence comes from the context graph"
    assert render_query(graph, query) == render_query(graph, query)


def test_select_result_draws_the_iris_it_returns(graph: Graph):
    data = page_data(render_query(graph, """PREFIX kg: <https://w3id.org/policykg/ontology#>
        SELECT ?p WHERE { ?p a kg:Place }"""))
    assert sorted(data["nodes"][i]["label"] for i in data["view"]) == ["嘉定区", "安亭镇"]


def test_bad_query_names_line_and_column(graph: Graph):
    with pytest.raises(QueryError, match=r"q\.rq: query line 2, column \d+"):
        render_query(graph, "SELECT ?x\nWHERE { ?x ?y }", source="q.rq")


def test_any_graph_can_be_drawn():
    g = Graph()
    g.add((URIRef("http://example.org/a"), URIRef("http://example.org/knows"), URIRef("http://example.org/b")))
    data = explorer_data(g)
    assert [(n.label, n.cls) for n in data["nodes"]] == [("a", "Other"), ("b", "Other")]
    other = [r["id"] for r in data["relations"]].index("other")
    assert data["edges"] == [Edge(head=0, tail=1, relation=other, predicate="http://example.org/knows")]
    assert render_html(Graph()).startswith("<!DOCTYPE html>")


def test_catalogue_query_runs_with_its_defaults(tmp_path: Path, graph: Graph):
    rq = tmp_path / "places.rq"
    rq.write_text('# title: Places in a place\n# param: name = "嘉定区" -- the larger place\n'
                  "SELECT ?p WHERE { ?p kg:partOf ?big . ?big skos:prefLabel ?l . FILTER(STR(?l) = ?name) }\n",
                  encoding="utf-8")
    data = page_data(Path(write_view(graph, tmp_path / "g.html", query=rq)).read_text(encoding="utf-8"))
    assert [data["nodes"][i]["label"] for i in data["view"]] == ["安亭镇"]


def test_cli_writes_the_page(tmp_path: Path, graph: Graph):
    ttl = tmp_path / "g.ttl"
    graph.serialize(ttl, format="turtle")
    out = tmp_path / "out" / "graph.html"
    result = CliRunner().invoke(main, ["view", "--graph", str(ttl), "-o", str(out), "--focus", "安亭镇",
                                       "--depth", "2"])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    rq = tmp_path / "places.rq"
    rq.write_text("PREFIX kg: <https://w3id.org/policykg/ontology#>\nSELECT ?p WHERE { ?p a kg:Place }\n",
                  encoding="utf-8")
    result = CliRunner().invoke(main, ["view", "--graph", str(ttl), "-o", str(out), "--query", str(rq)])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(("args", "message"), [
    (["--focus", "没有这个实体"], "no such node"),
    (["--query", "missing.rq"], "missing.rq: no such file; give the path of a SPARQL query file (.rq)"),
    (["--focus", "安亭镇", "--query", "x.rq"], "give one of them"),
])
def test_cli_bad_input_exits_2(tmp_path: Path, graph: Graph, args: list[str], message: str):
    ttl = tmp_path / "g.ttl"
    graph.serialize(ttl, format="turtle")
    result = CliRunner().invoke(main, ["view", "--graph", str(ttl), "-o", str(tmp_path / "o.html"), *args])
    assert result.exit_code == 2, result.output
    assert message in result.output and "Traceback" not in result.output


def test_write_view_is_atomic_and_returns_the_path(tmp_path: Path, graph: Graph):
    path = write_view(graph, tmp_path / "g.html")
    assert path.read_text(encoding="utf-8") == render_html(graph)
    assert [p.name for p in tmp_path.iterdir()] == ["g.html"]


def test_real_graph_page_is_deterministic():
    assert render_html(real_graph(), seed=3) == render_html(real_graph(), seed=3)


def test_vendored_library_is_the_documented_one():
    import hashlib

    note = (STATIC / "VENDORED.md").read_text(encoding="utf-8")
    digest = hashlib.sha256((STATIC / "vis-network.min.js").read_bytes()).hexdigest()
    assert digest in note, "vis-network.min.js changed: update VENDORED.md (version, checksum)"


# --- one set of field names for Python and the page's script ----------------------------------------


def test_page_tables_are_rows_named_once_by_columns(graph: Graph, page: str):
    raw = json.loads(re.search(r'id="kg-data">(.*?)</script>', page, re.S).group(1))
    assert raw["columns"] == {table: list(names) for table, names in COLUMNS.items()}
    for table in COLUMNS:  # rows are arrays (the names are not repeated per row) …
        rows = raw[table] if isinstance(raw[table], list) else [r for rs in raw[table].values() for r in rs]
        assert all(isinstance(row, list) for row in rows), table
    # … of exactly the columns' length (page_data zips them strictly), the same rows explorer_data made.
    data, made = page_data(page), explorer_data(graph)
    assert [n["id"] for n in data["nodes"]] == [n.id for n in made["nodes"]]
    assert data["edges"] == [e._asdict() for e in made["edges"]]
    assert data["sentences"] == [s._asdict() for s in made["sentences"]]


def test_the_script_names_only_tables_and_fields_the_data_has(graph: Graph):
    """The script reads the data's top-level entries and the fields of the rows it makes by name.

    Fields it reads from rows are checked at run time: ``test_view_browser`` runs every page with
    ``window.kgStrictFields``, under which a read of a field a table lacks is a console error.
    """
    js = (STATIC / "explorer.js").read_text(encoding="utf-8")
    data = page_data(render_html(graph, focus="安亭镇"))  # a focused page also has "view" and "focus"
    data.update(page_data(render_html(graph)))  # a whole-graph page has "first"
    assert set(re.findall(r"\bDATA\.(\w+)", js)) <= set(data)
    assert "DATA.columns" in js and "records(" in js
    made = re.findall(r'\brecord\("(\w+)", ([^;]*)\);', js)
    assert {table for table, _ in made} == {"nodes", "edges"}  # a query result's nodes and edges
    for table, fields in made:
        assert set(re.findall(r"(\w+):", fields)) <= set(COLUMNS[table]), table


def test_each_source_sentence_is_listed_once_per_node(root: Path):
    """A mention and a kg:mentions link (or two mentions) of one sentence listed it twice: 114
    repeats over 36 nodes of data/triples.ttl."""
    from kg.store import load_graph
    from kg.view.data import explorer_data

    data = explorer_data(load_graph(root / "data" / "triples.ttl"))
    repeats = {iri: len(rows) - len({r.sentence for r in rows}) for iri, rows in data["sources"].items()}
    assert sum(repeats.values()) == 0, {k: v for k, v in repeats.items() if v}
    gdp = data["observations"]["https://w3id.org/policykg/id/indicator/地区生产总值"]
    rows = [(o.government, o.period, o.value, o.direction) for o in gdp]
    assert ("上海市嘉定区人民政府", "2020", "3.9", "down") in rows
