"""What a corpus needs from the product: fast loading that keeps the same triples, an on-disk
store reopened at once, and an explorer that refuses a graph too big to draw instead of hanging."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal

from kg.cli import main
from kg.errors import InputError
from kg.store import close_graph, load_graph, load_into, load_store, open_graph, oxigraph_graph, triple_count
from kg.view import MAX_NODES, ViewTooLarge, check_view_size, render_html
from kg.view.data import explorer_data

ROOT = Path(__file__).resolve().parent.parent
TRIPLES = ROOT / "data" / "triples.ttl"


def test_the_fast_parser_reads_the_same_triples_as_rdflib():
    fast = load_graph(TRIPLES)
    slow = Graph().parse(TRIPLES, format="turtle")
    assert set(fast) == set(slow)
    # A plain literal stays plain (Oxigraph itself would call it xsd:string).
    assert any(isinstance(o, Literal) and o.datatype is None and o.language is None for o in fast.objects())


def test_a_malformed_file_is_still_reported_with_its_line(tmp_path: Path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("<http://x/a> <http://x/b> 1 .\n<http://x/a> <http://x/b> .\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.ttl:2:27: malformed Turtle"):
        load_graph(bad)
    with pytest.raises(InputError, match=r"bad\.ttl:2:27: malformed Turtle"):
        load_into(oxigraph_graph(), bad)


def test_a_store_directory_is_loaded_once_and_reopened(tmp_path: Path):
    result = load_store(tmp_path / "store", TRIPLES)
    expected = len(load_graph(TRIPLES))
    assert result.triples == expected
    start = time.perf_counter()
    graph = open_graph(store=tmp_path / "store")
    assert triple_count(graph) == expected
    assert time.perf_counter() - start < 5  # no parsing: the store is read where it lies
    close_graph(graph)


def test_a_named_graph_file_counts_its_union(tmp_path: Path):
    trig = tmp_path / "all.trig"
    sources = sorted((ROOT / "data" / "source").glob("*.txt"))
    assert CliRunner().invoke(main, ["build", "-o", str(trig), *map(str, sources)]).exit_code == 0
    assert triple_count(load_into(oxigraph_graph(), trig)) == len(load_graph(TRIPLES))


def test_render_refuses_a_graph_past_the_limit():
    graph = load_graph(TRIPLES)
    nodes = len(explorer_data(graph)["nodes"])
    with pytest.raises(ViewTooLarge, match=f"{nodes:,} nodes to draw, more than a browser page can hold"):
        render_html(graph, max_nodes=nodes - 1)
    assert nodes < MAX_NODES


def test_check_view_size_counts_what_the_explorer_draws():
    counted = check_view_size(TRIPLES)
    drawn = len(explorer_data(load_graph(TRIPLES))["nodes"])
    assert abs(counted - drawn) <= drawn // 20  # the same nodes, give or take unlabelled "Other" ones
    with pytest.raises(ViewTooLarge, match=r"--query FILE\.rq"):
        check_view_size(TRIPLES, max_nodes=10)


def test_kg_view_refuses_politely_and_fast(tmp_path: Path):
    start = time.perf_counter()
    result = CliRunner().invoke(main, ["view", "--graph", str(TRIPLES), "-o", str(tmp_path / "g.html"),
                                       "--max-nodes", "100"])
    assert result.exit_code == 2
    assert "more than a browser page can hold (100)" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "g.html").exists()
    assert time.perf_counter() - start < 10


def test_kg_view_refuses_a_huge_file_without_reading_it(tmp_path: Path):
    huge = tmp_path / "huge.ttl"
    with huge.open("wb") as handle:  # sparse: big on the disk's books, nothing to read
        handle.truncate(MAX_NODES * 16 * 1_200 + 1)
    start = time.perf_counter()
    with pytest.raises(ViewTooLarge, match=r"huge\.ttl"):
        check_view_size(huge)
    assert time.perf_counter() - start < 1
