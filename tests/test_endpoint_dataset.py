"""``kg query --endpoint`` reads the server's default dataset, where ``oxigraph load`` (and most
loaders) put data, unless ``--graph-iri``/``--endpoint-graph`` names a graph; a query that finds
nothing because the data is elsewhere on the server says where. Against real ``oxigraph serve``
processes on loopback.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from kg.store import GRAPH_IRI, load_endpoint
from support import oxigraph_binary as _oxigraph
from support import oxigraph_server

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "cases" / "queries-fixture" / "graph.ttl"
KG = Path(sys.executable).with_name("kg")

pytestmark = pytest.mark.server




@contextmanager
def _server(folder: Path, *, default_graph_file: Path | None = None) -> Iterator[str]:
    """``oxigraph serve`` on a free port, after ``oxigraph load`` of ``default_graph_file`` into
    its default graph (as a user would load it); yields the base URL."""
    if default_graph_file is not None:
        subprocess.run([_oxigraph(), "load", "--location", str(folder / "db"), "--file", str(default_graph_file)],
                       check=True, capture_output=True, timeout=120)
    with oxigraph_server(folder) as base:
        yield base


@pytest.fixture(scope="module")
def default_graph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Data in the default graph, loaded with ``oxigraph load``."""
    with _server(tmp_path_factory.mktemp("default"), default_graph_file=FIXTURE) as base:
        yield base


@pytest.fixture(scope="module")
def named_graph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Data only in kg's named graph, loaded with ``kg load`` (the Graph Store Protocol)."""
    with _server(tmp_path_factory.mktemp("named")) as base:
        load_endpoint(f"{base}/store", FIXTURE)
        yield base


@pytest.fixture(scope="module")
def empty_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with _server(tmp_path_factory.mktemp("empty")) as base:
        yield base


def kg(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(KG), *args], capture_output=True, text=True, timeout=120)


def _reports(*args: str) -> subprocess.CompletedProcess[str]:
    return kg("query", "--named", "reports", "--format", "csv", *args)


@pytest.fixture(scope="module")
def expected_reports() -> str:
    local = _reports("--graph", str(FIXTURE))
    assert local.returncode == 0 and len(local.stdout.splitlines()) > 1, local.stderr
    return local.stdout


def test_endpoint_reads_the_default_graph_oxigraph_load_filled(default_graph_server: str, expected_reports: str):
    result = _reports("--endpoint", f"{default_graph_server}/query")
    assert result.returncode == 0, result.stderr
    assert result.stdout == expected_reports, "kg read only its named graph and found 0 rows"
    assert result.stderr == ""


def test_a_named_graph_the_server_lacks_is_named_in_a_warning(default_graph_server: str):
    for option in ("--graph-iri", "--endpoint-graph"):
        result = _reports("--endpoint", f"{default_graph_server}/query", option, "kgr:graph/reports")
        assert result.returncode == 0 and len(result.stdout.splitlines()) == 1, result.stderr
        assert result.stderr.strip() == (
            f"kg: warning: no results: {default_graph_server}/query has no graph <{GRAPH_IRI}> (or it is empty); "
            "its default graph has data: drop --graph-iri to read it")


def test_data_only_in_kgs_named_graph_is_read_with_graph_iri(named_graph_server: str, expected_reports: str):
    result = _reports("--endpoint", f"{named_graph_server}/query")
    assert result.returncode == 0 and len(result.stdout.splitlines()) == 1
    assert "the default graph of" in result.stderr and "read it with --graph-iri kgr:graph/reports" in result.stderr
    named = _reports("--endpoint", f"{named_graph_server}/query", "--endpoint-graph", f"<{GRAPH_IRI}>")
    assert named.returncode == 0 and named.stdout == expected_reports and named.stderr == ""


def test_an_empty_server_says_so_for_ask_and_construct_too(empty_server: str):
    for query in ("ASK { ?s ?p ?o }", "CONSTRUCT WHERE { ?s ?p ?o }", "SELECT * WHERE { ?s ?p ?o }"):
        result = kg("query", "--endpoint", f"{empty_server}/query", query)
        assert result.returncode == 0, result.stderr
        assert result.stderr.strip().endswith("holds no triples; load the graph with kg load --endpoint URL/store "
                                              "or oxigraph load"), result.stderr


def test_a_query_that_matches_nothing_on_a_full_graph_gives_no_warning(default_graph_server: str):
    result = kg("query", "--endpoint", f"{default_graph_server}/query", "ASK { ?s <http://example.org/none> ?o }")
    assert result.returncode == 0 and "false" in result.stdout and result.stderr == ""


@pytest.mark.parametrize("args,message", [
    (["--endpoint", "http://127.0.0.1:9/query", "--graph-iri", "reports"],
     "kg: error: graph 'reports': not an IRI; give an absolute IRI such as <http://example.org/g>"),
    (["--graph-iri", "kgr:graph/reports"],
     "kg: error: kg query: --graph-iri names a graph on a server; give --endpoint"),
])
def test_a_bad_graph_iri_is_one_line_exit_2(args: list[str], message: str):
    result = kg("query", "ASK {}", *args)
    assert result.returncode == 2 and result.stderr.startswith(message) and len(result.stderr.splitlines()) == 1, \
        result.stderr
