"""One registry of result formats (:mod:`kg.query.formats`) for ``kg query`` and ``kg serve``.

The registry lists each format once; the CLI's ``--format`` choices and the server's media types
come from it; each writer gives the same bytes for rdflib terms (the CLI) and Oxigraph terms (the
server); and the CLI and the server agree wherever the two presentations of a format should.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import click
import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kg.cli import main
from kg.query import format_result, format_rows, run_query
from kg.query.formats import (
    FORMAT,
    FORMATS,
    GRAPH_FORMATS,
    SELECT_FORMATS,
    TABLE_FORMATS,
    Solutions,
    Term,
    Triples,
    format_for_media_type,
    media_types,
    ntriples,
    term_from_oxigraph,
    term_from_rdflib,
)
from kg.serve.protocol import SparqlApp
from kg.store import open_graph
from kg.vocab.iri import PREFIXES

ROOT = Path(__file__).resolve().parent.parent
TRIPLES = ROOT / "data" / "triples.ttl"
REPORTS = ("SELECT ?report ?year ?speaker WHERE { ?report a kg:Report ; kg:year ?year ; kg:speaker ?speaker } "
           "ORDER BY ?report")
CONSTRUCT = "CONSTRUCT { ?r kg:speaker ?s ; kg:year ?y } WHERE { ?r a kg:Report ; kg:speaker ?s ; kg:year ?y }"
ASK = "ASK { ?s a kg:Report }"


@pytest.fixture(scope="module")
def graph() -> Graph:
    return open_graph(TRIPLES)


@pytest.fixture(scope="module")
def app(graph: Graph) -> SparqlApp:
    return SparqlApp(graph, isolate=False)


def cli(*args: str) -> str:
    result = CliRunner().invoke(main, ["query", *args, "--graph", str(TRIPLES)])
    assert result.exit_code == 0, result.output
    return result.stdout


def served(app: SparqlApp, query: str, media: str) -> str:
    status, headers, body = app.sparql({"query": [query]}, accept=media)
    assert status == 200 and headers["Content-Type"].split(";")[0] == media, body
    return body.decode("utf-8")


def _choices(command: click.Command, option: str) -> list[str]:
    found = next(p for p in command.params if p.name == option)
    assert isinstance(found.type, click.Choice)
    return list(found.type.choices)


# -- the registry ----------------------------------------------------------------------------

def test_the_registry_lists_each_format_media_type_and_suffix_once():
    names = [f.name for f in FORMATS]
    media = [m for f in FORMATS for m in f.media_types]
    suffixes = [f.suffix for f in FORMATS]
    assert len(set(names)) == len(names) and len(set(media)) == len(media) and len(set(suffixes)) == len(suffixes)
    assert set(FORMAT) == set(names)
    assert all(set(f.kinds) in ({"select", "boolean"}, {"graph"}) for f in FORMATS)
    assert set(SELECT_FORMATS) | set(GRAPH_FORMATS) == set(names) and not set(SELECT_FORMATS) & set(GRAPH_FORMATS)
    assert set(TABLE_FORMATS) <= set(SELECT_FORMATS)


def test_cli_format_choices_are_the_registry():
    import kg.cli.analysis
    import kg.cli.compare
    import kg.cli.query

    assert _choices(kg.cli.query.query, "fmt") == [f.name for f in FORMATS]
    assert _choices(kg.cli.analysis.analyze, "fmt") == list(TABLE_FORMATS)
    assert _choices(kg.cli.compare.compare, "fmt") == list(TABLE_FORMATS)


def test_server_media_types_are_the_registrys(app: SparqlApp):
    assert media_types("select") == ["application/sparql-results+json", "application/json",
                                     "application/sparql-results+xml", "application/xml", "text/csv",
                                     "text/tab-separated-values"]
    status, _, body = app.sparql({"query": [REPORTS]}, accept="image/png")
    assert status == 406 and body.decode().endswith(f"accept one of {', '.join(media_types('select'))}\n")
    status, _, body = app.sparql({"query": [CONSTRUCT]}, accept="text/csv")
    assert status == 406 and body.decode().endswith(f"accept one of {', '.join(media_types('graph'))}\n")
    for media in media_types("select") + media_types("graph"):
        query = CONSTRUCT if "graph" in format_for_media_type(media).kinds else REPORTS
        assert app.sparql({"query": [query]}, accept=media)[0] == 200
    _, _, description = app.sparql({}, accept="text/turtle")
    listed = {line.split("/formats/")[1].rstrip(">") for line in description.decode().replace(",", "\n").split()
              if "/ns/formats/" in line}
    assert listed == {f.w3c for f in FORMATS if f.media_types}


def test_a_format_refuses_an_answer_of_another_kind():
    from kg.errors import InputError

    with pytest.raises(InputError, match="the csv format does not fit a graph answer"):
        FORMAT["csv"].write(Triples([]))


# -- one term model ---------------------------------------------------------------------------

@pytest.mark.parametrize("rdflib_term,oxigraph_term", [
    (URIRef("https://w3id.org/policykg/id/report/河北省/2022"), ox.NamedNode("https://w3id.org/policykg/id/report/河北省/2022")),
    (BNode("b1"), ox.BlankNode("b1")),
    (Literal("嘉定"), ox.Literal("嘉定")),
    (Literal("嘉定", lang="zh"), ox.Literal("嘉定", language="zh")),
    (Literal("3", datatype=URIRef("http://www.w3.org/2001/XMLSchema#integer")),
     ox.Literal("3", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))),
    (Literal("2021", datatype=URIRef("http://www.w3.org/2001/XMLSchema#gYear")),
     ox.Literal("2021", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#gYear"))),
])
def test_rdflib_and_oxigraph_terms_become_the_same_term(rdflib_term, oxigraph_term):
    assert term_from_rdflib(rdflib_term) == term_from_oxigraph(oxigraph_term)


def test_ntriples_escapes_every_character_as_oxigraph_does():
    text = "".join(chr(c) for c in [*range(0xD800), *range(0xE000, 0x110000)])  # every character but surrogates
    for start in range(0, len(text), 1 << 16):
        chunk = text[start:start + (1 << 16)]
        for term in (ox.Literal(chunk), ox.Literal(chunk, language="zh"),
                     ox.Literal(chunk, datatype=ox.NamedNode("http://x/dt"))):
            assert ntriples(term_from_oxigraph(term)) == str(term)
    for term in (ox.NamedNode("http://x/a?b#c"), ox.BlankNode("b0"),
                 ox.Literal("x", language="ar", direction=ox.BaseDirection.RTL)):
        assert ntriples(term_from_oxigraph(term)) == str(term)


@given(st.lists(st.lists(st.text(alphabet=st.sampled_from(list('a,"\t\n\r 甲')), max_size=6), min_size=1, max_size=3)))
def test_people_csv_and_tsv_are_what_pythons_csv_module_writes(cells: list[list[str]]):
    names = [f"v{i}" for i in range(max([0, *(len(r) for r in cells)]))]
    rows = [{n: Term("literal", c) for n, c in zip(names, r, strict=False)} for r in cells]
    for fmt, delimiter in (("csv", ","), ("tsv", "\t")):
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
        writer.writerow(names)
        writer.writerows([[row.get(n, Term("literal", "")).value for n in names] for row in rows])
        assert FORMAT[fmt].write(Solutions(names, rows)) == buffer.getvalue()


# -- the two presentations, pinned -------------------------------------------------------------

TRICKY = Solutions(["a", "b"], [
    {"a": Term("uri", "https://w3id.org/policykg/ontology#Report"),
     "b": Term("literal", 'x,"y"\r\nz\tw', language="zh")},
    {"b": Term("literal", "3", "http://www.w3.org/2001/XMLSchema#integer")},
    {"a": Term("bnode", "b0")},
])
LONE = Solutions(["a"], [{}, {"a": Term("literal", "")}])


@pytest.mark.parametrize("fmt,wire,expected", [
    ("csv", False, 'a,b\nkg:Report,"x,""y""\r\nz\tw"\n,3\nb0,\n'),
    ("csv", True, 'a,b\r\nhttps://w3id.org/policykg/ontology#Report,"x,""y""\r\nz\tw"\r\n,3\r\nb0,\r\n'),
    ("tsv", False, 'a\tb\nkg:Report\t"x,""y""\r\nz\tw"\n\t3\nb0\t\n'),
    ("tsv", True, '?a\t?b\n<https://w3id.org/policykg/ontology#Report>\t"x,\\"y\\"\\r\\nz\\tw"@zh\n'
                  '\t"3"^^<http://www.w3.org/2001/XMLSchema#integer>\n_:b0\t\n'),
    ("table", False, "a          b\n---------  ---------\nkg:Report  x,\"y\" z w\n           3\nb0\n(3 rows)\n"),
])
def test_rows_in_each_presentation(fmt: str, wire: bool, expected: str):
    assert FORMAT[fmt].write(TRICKY, wire=wire) == expected


def test_a_row_of_one_unbound_cell_is_an_empty_line_on_the_wire_and_quoted_for_people():
    assert FORMAT["csv"].write(LONE, wire=True) == "a\r\n\r\n\r\n"
    assert FORMAT["csv"].write(LONE) == 'a\n""\n""\n'
    assert FORMAT["tsv"].write(LONE, wire=True) == '?a\n\n""\n'


@pytest.mark.parametrize("fmt,wire,expected", [
    ("json", True, '{"head":{},"boolean":true}'),
    ("json", False, '{"head": {}, "boolean": true}\n'),
    ("xml", True, '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/>'
                  "<boolean>true</boolean></sparql>\n"),
    ("csv", True, "_askResult\r\ntrue\n"),
    ("csv", False, "ask\ntrue\n"),
    ("tsv", True, "?_askResult\ntrue\n"),
    ("tsv", False, "ask\ntrue\n"),
    ("table", False, "ask\n----\ntrue\n(1 row)\n"),
])
def test_an_ask_answer_in_each_presentation(fmt: str, wire: bool, expected: str):
    assert FORMAT[fmt].write(True, wire=wire) == expected


def test_format_rows_keeps_the_terms_it_is_given():
    rows = [{"n": Literal(2), "label": Literal("甲"), "node": URIRef(PREFIXES["kgr"] + "x")}]
    data = json.loads(format_rows(["node", "label", "n"], rows, "json"))
    assert list(data["results"]["bindings"][0]) == ["n", "label", "node"]  # the row's order, as before
    assert format_rows(["node", "label", "n"], rows, "csv") == "node,label,n\nkgr:x,甲,2\n"


# -- the CLI and the server agree --------------------------------------------------------------

def test_cli_and_server_give_the_same_json_and_the_same_xml(app: SparqlApp):
    for query in (REPORTS, ASK):
        wire = served(app, query, "application/sparql-results+json")
        assert json.loads(cli(query, "--format", "json")) == json.loads(wire)
        assert cli(query, "--format", "xml") == served(app, query, "application/sparql-results+xml")


def test_cli_and_server_csv_differ_only_in_compact_iris_and_line_ends(app: SparqlApp):
    people = list(csv.reader(io.StringIO(cli(REPORTS, "--format", "csv"))))
    wire = list(csv.reader(io.StringIO(served(app, REPORTS, "text/csv"))))
    expanded = [people[0]] + [[PREFIXES["kgr"] + r[0].removeprefix("kgr:"), *r[1:]] for r in people[1:]]
    assert expanded == wire and len(wire) == 4
    assert served(app, REPORTS, "text/csv").count("\r\n") == 4 and "\r" not in cli(REPORTS, "--format", "csv")


@pytest.mark.parametrize("fmt,media,rdflib_format", [
    ("turtle", "text/turtle", "turtle"),
    ("ntriples", "application/n-triples", "nt"),
    ("rdf-xml", "application/rdf+xml", "xml"),
    ("json-ld", "application/ld+json", "json-ld"),
])
def test_cli_and_server_give_the_same_graph(app: SparqlApp, fmt: str, media: str, rdflib_format: str):
    people, wire = cli(CONSTRUCT, "--format", fmt), served(app, CONSTRUCT, media)
    assert isomorphic(Graph().parse(data=people, format=rdflib_format), Graph().parse(data=wire, format=rdflib_format))
    assert len(Graph().parse(data=wire, format=rdflib_format)) == 6
    if fmt == "ntriples":
        assert people == "".join(sorted(wire.splitlines(keepends=True)))


def test_every_format_works_from_the_library(graph: Graph):
    for name in SELECT_FORMATS:
        assert format_result(run_query(graph, REPORTS), name)
        assert format_result(run_query(graph, ASK), name)
    for name in GRAPH_FORMATS:
        assert format_result(run_query(graph, CONSTRUCT), name)


def test_a_wide_table_fits_the_terminal_and_piped_output_keeps_whole_cells(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tables were 430-455 characters wide whatever the terminal: now they are narrowed to it."""
    import kg.query.formats as formats

    rows = [{"government": Literal("河北省人民政府"), "sentence": Literal("社会消费品零售总额增长8%左右" * 6)}]
    whole = format_rows(["government", "sentence"], rows, "table")  # piped: not a terminal
    assert max(formats._width(line) for line in whole.splitlines()) > 60
    monkeypatch.setattr(formats, "terminal_width", lambda: 60)
    narrow = format_rows(["government", "sentence"], rows, "table")
    assert max(formats._width(line) for line in narrow.splitlines()) <= 60 and "…" in narrow
