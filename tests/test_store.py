"""The store layer: embedded Oxigraph in memory and on disk, and a real remote ``oxigraph serve``
loaded through the Graph Store Protocol that answers the whole catalogue like the embedded store."""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal

from kg.cli import main
from kg.errors import InputError, QueryError
from kg.query import catalogue, result_graph, result_rows, run_query
from kg.store import GRAPH_IRI, backend, close_graph, load_endpoint, load_graph, load_store, open_graph
from support import free_port as _free_port
from support import oxigraph_server as running_oxigraph

ROOT = Path(__file__).resolve().parent.parent
TRIPLES = ROOT / "data" / "triples.ttl"
# Hand-written entities and observations, so the entity questions have answers to compare too.
FIXTURE = ROOT / "tests" / "cases" / "queries-fixture" / "graph.ttl"
FIXTURE_IRI = "https://w3id.org/policykg/id/graph/test-fixture"
GRAPHS = {"built": (TRIPLES, str(GRAPH_IRI)), "fixture": (FIXTURE, FIXTURE_IRI)}
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def _count(graph: Graph) -> int:
    return int(next(iter(run_query(graph, COUNT)))[0])  # type: ignore[index]


def _canonical(graph: Graph, query: object) -> object:
    """A result in a form that compares across backends: sorted rows of N3 terms, or sorted triples."""
    result = run_query(graph, query)  # type: ignore[arg-type]
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        return sorted(" ".join(t.n3() for t in triple) for triple in result_graph(result))
    if result.type == "ASK":
        return bool(result.askAnswer)
    names = [str(v) for v in result.vars or []]
    return sorted(tuple(_cell(row.get(n)) for n in names) for row in result_rows(result))


def _cell(term: object) -> str:
    """A term's N3; a literal listing values with "|" (the catalogue's GROUP_CONCAT separator) has
    its values sorted, since SPARQL leaves GROUP_CONCAT's order to the store (memory and RocksDB
    differ)."""
    if term is None:
        return ""
    if isinstance(term, Literal) and "|" in str(term):
        return Literal("|".join(sorted(str(term).split("|"))), lang=term.language, datatype=term.datatype).n3()
    return term.n3()  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def embedded() -> Graph:
    return _embedded(TRIPLES)


@cache
def _embedded(path: Path) -> Graph:
    return open_graph(path)


def test_default_backend_is_embedded_oxigraph_with_every_triple(embedded: Graph):
    reference = load_graph(TRIPLES)
    assert backend(embedded) == "oxigraph" and backend(reference) == "memory"
    assert len(embedded) == len(reference) == _count(embedded)


def test_store_directory_round_trip(tmp_path: Path):
    store = tmp_path / "store"
    result = load_store(store, TRIPLES)
    assert result.triples == len(load_graph(TRIPLES))
    reopened = open_graph(store=store)
    try:
        assert _count(reopened) == result.triples
        assert _canonical(reopened, catalogue()["reports"]) == _canonical(open_graph(TRIPLES), catalogue()["reports"])
    finally:
        close_graph(reopened)
    assert load_store(store, TRIPLES).triples == result.triples, "reloading replaces, never duplicates"


def test_missing_store_directory_says_how_to_create_it(tmp_path: Path):
    with pytest.raises(InputError, match=r"no such store directory; create it with: kg load --store"):
        open_graph(store=tmp_path / "nope")


def test_bad_turtle_is_reported_with_its_line_by_every_loader(tmp_path: Path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix x: <http://x/> .\nx:a x:b x:c .\nx:a x:b .\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.ttl:3:9: malformed Turtle"):
        open_graph(bad)
    with pytest.raises(InputError, match=r"bad\.ttl:3:9: malformed Turtle"):
        load_store(tmp_path / "s", bad)


def test_unreachable_endpoint_is_an_input_error():
    port = _free_port()
    with pytest.raises(QueryError, match="the query failed"):
        run_query(open_graph(endpoint=f"http://127.0.0.1:{port}/query"), "ASK { ?s ?p ?o }")
    with pytest.raises(InputError, match=r"cannot reach the server .*; start it or fix the URL"):
        load_endpoint(f"http://127.0.0.1:{port}/store", TRIPLES)
    with pytest.raises(InputError, match="not an http"):
        open_graph(endpoint="ftp://example.org/sparql")


# -- a real remote server --------------------------------------------------------------------



@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real ``oxigraph serve`` on a free loopback port, loaded with the graph; yields its base URL."""
    folder = tmp_path_factory.mktemp("oxigraph")
    with running_oxigraph(folder) as base:
        load_endpoint(f"{base}/store", TRIPLES)
        load_endpoint(f"{base}/store", FIXTURE, graph_iri=FIXTURE_IRI)
        yield base


@pytest.mark.server
def test_kg_load_puts_the_graph_in_a_named_graph_on_the_server(oxigraph_server: str):
    result = CliRunner().invoke(main, ["load", "--endpoint", f"{oxigraph_server}/store", "--graph", str(TRIPLES)])
    assert result.exit_code == 0, result.output
    assert f"into <{GRAPH_IRI}>" in result.output
    remote = open_graph(endpoint=f"{oxigraph_server}/query", graph_iri=GRAPH_IRI)
    assert _count(remote) == len(load_graph(TRIPLES))
    # Only the named graph was written: the server's default graph stays empty.
    default = urllib.request.urlopen(
        f"{oxigraph_server}/query?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D", timeout=10).read()
    assert b"false" in default


@pytest.mark.server
@pytest.mark.parametrize("which", sorted(GRAPHS))
@pytest.mark.parametrize("name", sorted(catalogue()))
def test_remote_server_gives_the_same_results_as_embedded(oxigraph_server: str, name: str, which: str):
    graph_file, graph_iri = GRAPHS[which]
    remote = open_graph(endpoint=f"{oxigraph_server}/query", graph_iri=graph_iri)
    query = catalogue()[name]
    got = _canonical(remote, query)
    assert got == _canonical(_embedded(graph_file), query), f"catalogue query {name!r} differs on the server ({which})"
    if which == "fixture":
        assert got, f"catalogue query {name!r} has no answer on the fixture: the comparison proves little"


@pytest.mark.server
def test_remote_parameters_are_bound_inside_filters(oxigraph_server: str, embedded: Graph):
    # rdflib's SPARQLStore appends VALUES after the query, where a FILTER cannot see it;
    # kg binds at the start of the WHERE group, so the remote answer matches the embedded one.
    remote = open_graph(endpoint=f"{oxigraph_server}/query", graph_iri=GRAPH_IRI)
    query = catalogue()["search-sentences"]
    for keyword, at_least in (("氢能", 3), ('quote " and } brace', 0)):
        bindings = {"keyword": keyword}
        remote_rows = result_rows(run_query(remote, query, bindings=bindings))
        embedded_rows = result_rows(run_query(embedded, query, bindings=bindings))
        assert remote_rows == embedded_rows
        assert len(remote_rows) >= at_least


@pytest.mark.server
def test_kg_query_cli_against_the_server(oxigraph_server: str):
    result = CliRunner().invoke(main, ["query", "--named", "reports", "--endpoint", f"{oxigraph_server}/query",
                                       "--graph-iri", "kgr:graph/reports", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1].startswith("kgr:report/上海市嘉定区/2021,上海市嘉定区人民政府,county,2021")


@pytest.mark.server
def test_a_named_graph_build_loads_as_its_union(oxigraph_server: str, tmp_path: Path):
    """A TriG build (one graph per report) goes to the server as the union, like the Turtle build."""
    trig = tmp_path / "corpus.trig"
    sources = sorted((TRIPLES.parent / "source").glob("*.txt"))
    assert CliRunner().invoke(main, ["build", "-o", str(trig), *map(str, sources)]).exit_code == 0
    iri = "https://w3id.org/policykg/id/graph/test-trig"
    result = CliRunner().invoke(main, ["load", "--endpoint", f"{oxigraph_server}/store", "--graph", str(trig),
                                       "--graph-iri", iri])
    assert result.exit_code == 0, result.output
    remote = open_graph(endpoint=f"{oxigraph_server}/query", graph_iri=iri)
    assert _count(remote) == len(load_graph(TRIPLES)) == len(load_graph(trig))
