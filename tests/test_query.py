"""Running queries: predefined prefixes, safe parameters, errors with line and column, every
output format, the ``kg query`` command and the notebook API (``kg.open``, ``kg.sparql``)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef

import kg
from kg.cli import main
from kg.errors import InputError, QueryError
from kg.query import (
    bind_values,
    catalogue,
    check_query,
    format_result,
    named_query,
    query_form,
    read_named_query,
    result_rows,
    run_query,
)
from kg.store import open_graph

ROOT = Path(__file__).resolve().parent.parent
TRIPLES = ROOT / "data" / "triples.ttl"
JIADING = URIRef("https://w3id.org/policykg/id/report/上海市嘉定区/2021")


@pytest.fixture(scope="module")
def graph() -> Graph:
    return open_graph(TRIPLES)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


# -- the query text ------------------------------------------------------------------------

@pytest.mark.parametrize("text,form", [
    ("SELECT * WHERE { ?s ?p ?o }", "SELECT"),
    ("# a SELECT in a comment\nASK { ?s ?p ?o }", "ASK"),
    ("PREFIX ex: <http://x/delete#> CONSTRUCT WHERE { ?s ex:p ?o }", "CONSTRUCT"),
    ("DESCRIBE <http://x/a>", "DESCRIBE"),
    ('SELECT * WHERE { ?s ?p "INSERT" }', "SELECT"),
    ("INSERT DATA { <http://x/a> <http://x/b> 1 }", "UPDATE"),
    ("PREFIX x: <http://x/> DELETE WHERE { ?s x:p ?o }", "UPDATE"),
])
def test_query_form_ignores_keywords_in_comments_strings_and_iris(text: str, form: str):
    assert query_form(text) == form


def test_malformed_query_names_line_and_column():
    with pytest.raises(QueryError, match=r"^query line 3, column 10: expected"):
        check_query("SELECT ?s\nWHERE {\n  ?s ?p }")


def test_unknown_prefix_lists_the_predefined_ones():
    with pytest.raises(QueryError, match=r"unknown prefix; the predefined ones are dcterms, kg, kgr"):
        check_query("SELECT * WHERE { ?s foaf:name ?o }")


def test_updates_are_refused_by_kg_query():
    with pytest.raises(QueryError, match="kg only reads"):
        check_query("INSERT DATA { <http://x/a> <http://x/b> 1 }")


def test_every_project_prefix_is_predefined(graph: Graph):
    query = "SELECT ?t WHERE { ?s a kg:Report ; kg:year ?y ; rdfs:label ?t } ORDER BY ?y LIMIT 1"
    rows = result_rows(run_query(graph, query))
    assert rows and "工作报告" in str(rows[0]["t"])


# -- parameters ----------------------------------------------------------------------------

def test_values_are_bound_at_the_start_of_the_where_group_not_pasted():
    text = "CONSTRUCT { ?s ?p ?o } WHERE {\n  ?s ?p ?o FILTER(?o = ?v) }"
    bound = bind_values(text, {"v": Literal('x" } . ?s ?p ?q #')})
    assert bound.splitlines()[0] == 'CONSTRUCT { ?s ?p ?o } WHERE { VALUES (?v) { ("x\\" } . ?s ?p ?q #") }'
    assert check_query(bound) == "CONSTRUCT"


def test_where_inside_a_string_or_comment_is_not_mistaken_for_the_clause():
    text = 'SELECT ?s # WHERE { not here\nWHERE { ?s rdfs:label "WHERE {" }'
    bound = bind_values(text, {"s": URIRef("http://x/a")})
    assert bound.endswith('WHERE { VALUES (?s) { (<http://x/a>) } ?s rdfs:label "WHERE {" }')


def test_a_hostile_parameter_value_is_data_not_query(graph: Graph):
    hostile = '") } ?x ?y ?z . FILTER("'
    rows = result_rows(run_query(graph, named_query("search-sentences"), bindings={"keyword": hostile}))
    assert rows == []


def test_named_query_defaults_and_overrides(graph: Graph):
    query = named_query("search-sentences")
    assert query.defaults() == {"keyword": Literal("汽车")}
    default_rows = result_rows(run_query(graph, query))
    hydrogen = result_rows(run_query(graph, query, bindings={"keyword": "氢能"}))
    assert default_rows and hydrogen and default_rows != hydrogen
    assert all("氢能" in str(row["text"]) for row in hydrogen)


def test_an_iri_parameter(graph: Graph):
    rows = result_rows(run_query(graph, named_query("report-sections"), bindings={"report": "<https://w3id.org/policykg/id/report/河北省/2022>"}))
    assert str(rows[0]["title"]) == "2021年工作回顾"


def test_unknown_parameter_is_an_error(graph: Graph):
    with pytest.raises(QueryError, match=r"has no parameter nope; its parameters are: keyword"):
        run_query(graph, named_query("search-sentences"), bindings={"nope": "x"})


def test_unknown_named_query_lists_the_catalogue():
    with pytest.raises(InputError, match=r"no query named 'nope' in the catalogue; kg query --list shows: .*reports"):
        named_query("nope")


def test_catalogue_header_parsing(tmp_path: Path):
    path = tmp_path / "q.rq"
    path.write_text('# title: T\n# description: D\n# param: p = <http://x/a> -- an IRI\nSELECT * WHERE { ?s ?p ?o }\n',
                    encoding="utf-8")
    query = read_named_query(path)
    assert (query.title, query.description, query.defaults()) == ("T", "D", {"p": URIRef("http://x/a")})
    path.write_text("SELECT * WHERE { ?s ?p ?o }\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"q\.rq:1: a catalogue query needs a '# title: \.\.\.' header"):
        read_named_query(path)


# -- formats -------------------------------------------------------------------------------

REPORTS = "SELECT ?report ?speaker WHERE { ?report a kg:Report ; kg:speaker ?speaker } ORDER BY ?speaker"


def test_table_format_aligns_chinese_text(graph: Graph):
    text = format_result(run_query(graph, REPORTS), "table")
    lines = text.splitlines()
    assert lines[0].split() == ["report", "speaker"]
    assert "kgr:report/河北省/2022" in text and lines[-1] == "(3 rows)"


def test_csv_tsv_and_json_formats(graph: Graph):
    rows = list(csv.reader(io.StringIO(format_result(run_query(graph, REPORTS), "csv"))))
    assert rows[0] == ["report", "speaker"] and len(rows) == 4
    tsv = format_result(run_query(graph, REPORTS), "tsv").splitlines()
    assert tsv[0] == "report\tspeaker"
    data = json.loads(format_result(run_query(graph, REPORTS), "json"))
    assert data["head"]["vars"] == ["report", "speaker"]
    assert {b["speaker"]["value"] for b in data["results"]["bindings"]} == {"高香", "许勤", "王正谱"}


def test_construct_as_turtle_and_json_ld(graph: Graph):
    query = "CONSTRUCT { ?r kg:speaker ?s } WHERE { ?r kg:speaker ?s }"
    turtle = format_result(run_query(graph, query), "table")
    assert Graph().parse(data=turtle, format="turtle").value(JIADING, URIRef(kg_ns("speaker"))) == Literal("高香")
    jsonld = format_result(run_query(graph, query), "json-ld")
    assert len(Graph().parse(data=jsonld, format="json-ld")) == 3
    with pytest.raises(InputError, match="does not fit a CONSTRUCT query"):
        format_result(run_query(graph, query), "csv")


def kg_ns(name: str) -> str:
    return "https://w3id.org/policykg/ontology#" + name


# -- the command ---------------------------------------------------------------------------

def test_kg_query_list_shows_every_named_query():
    code, out, _ = run("query", "--list")
    assert code == 0
    names = [line.split()[0] for line in out.splitlines()]
    assert names == list(catalogue())
    assert "search-sentences" in out and "[keyword=汽车]" in out


def test_kg_query_string_file_and_named_agree(tmp_path: Path):
    query_file = tmp_path / "q.rq"
    query_file.write_text(REPORTS, encoding="utf-8")
    outputs = [run("query", REPORTS, "--format", "csv"), run("query", "-f", str(query_file), "--format", "csv")]
    assert outputs[0] == outputs[1] and outputs[0][0] == 0
    code, out, _ = run("query", "--named", "search-sentences", "--param", "keyword=氢能", "--format", "json")
    assert code == 0 and all("氢能" in b["text"]["value"] for b in json.loads(out)["results"]["bindings"])


def test_kg_query_on_a_store_directory(tmp_path: Path):
    assert run("load", "--store", str(tmp_path / "store"), "--graph", str(TRIPLES))[0] == 0
    code, out, _ = run("query", "--store", str(tmp_path / "store"), "--named", "reports", "--format", "csv")
    assert code == 0 and len(out.splitlines()) == 4


def test_kg_query_malformed_exits_2_with_line_and_column():
    code, out, err = run("query", "SELECT ?s WHERE {\n ?s kg:text }")
    assert code == 2 and out == ""
    assert err.startswith("kg: error: query line 2, column 13: ")


@pytest.mark.parametrize("args,message", [
    ([], "give exactly one of QUERY, -f FILE or --named NAME"),
    (["-f", "missing.rq"], "missing.rq: no such file; give the path of a SPARQL query file (.rq)"),
    (["--named", "nope"], "no query named 'nope'"),
    (["--named", "reports", "--graph", "missing.ttl"], "missing.ttl: no such graph file"),
    (["--named", "search-sentences", "--param", "keyword"], "write NAME=VALUE"),
])
def test_kg_query_usage_errors_exit_2(args: list[str], message: str):
    code, _, err = run("query", *args)
    assert code == 2 and message in err


# -- the notebook API ----------------------------------------------------------------------

def test_kg_open_and_kg_sparql_give_a_dataframe():
    graph = kg.open(TRIPLES)
    frame = kg.sparql("SELECT ?speaker ?sentences WHERE { ?r kg:speaker ?speaker . "
                      "{ SELECT ?r (COUNT(*) AS ?sentences) WHERE { ?s a kg:Sentence ; kg:inReport ?r } "
                      "GROUP BY ?r } } ORDER BY ?speaker", graph)
    assert list(frame.columns) == ["speaker", "sentences"]
    assert frame["sentences"].sum() == len(list(graph.subjects(URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                                                                 URIRef(kg_ns("Sentence")))))
    assert frame["sentences"].dtype.kind == "i"


def test_kg_sparql_runs_a_named_query_with_bindings():
    frame = kg.sparql("search-sentences", graph_file=TRIPLES, bindings={"keyword": "氢能"})
    assert len(frame) >= 3 and frame["text"].str.contains("氢能").all()


def test_import_kg_stays_cheap():
    import subprocess
    import sys

    code = "import sys, kg; print(sorted(m for m in ('rdflib', 'pandas', 'pyoxigraph') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_kg_query_refuses_two_sources(tmp_path: Path):
    code, _, err = run("query", "--named", "reports", "--graph", str(TRIPLES), "--store", str(tmp_path))
    assert code == 2 and "give one of --graph, --store or --endpoint, not --graph and --store" in err


def test_checking_a_federated_query_does_not_call_the_service():
    import socket

    with socket.socket() as trap:
        trap.bind(("127.0.0.1", 0))
        trap.listen(1)
        trap.settimeout(0.5)
        target = f"http://127.0.0.1:{trap.getsockname()[1]}/sparql"
        assert check_query(f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}") == "SELECT"
        with pytest.raises(socket.timeout):
            trap.accept()
    with pytest.raises(QueryError, match=r"query line 2, column \d+"):
        check_query(f"SELECT * WHERE {{\n SERVICE <{target}> {{ ?s ?p }} }}")


def test_kg_query_refuses_deep_nesting_with_a_message_not_a_segfault(tmp_path):
    """6,000 nested parentheses made the parser overflow its stack and kill `kg query`."""
    import subprocess
    import sys
    from pathlib import Path

    kg = Path(sys.executable).with_name("kg")
    text = "SELECT * WHERE { FILTER(" + "(" * 6000 + "1" + ")" * 6000 + ") }"
    result = subprocess.run([str(kg), "query", text], capture_output=True, text=True, timeout=120,
                            cwd=Path(__file__).resolve().parent.parent)
    assert result.returncode == 2, result.stderr[-500:]
    assert "levels deep" in result.stderr and "Traceback" not in result.stderr
