"""Query results as people and programs read them: rows, graphs, tables, CSV/TSV, SPARQL JSON,
Turtle/JSON-LD/N-Triples and pandas DataFrames, the same whatever backend answered.

>>> from rdflib import Literal
>>> print(format_rows(["城市", "n"], [{"城市": Literal("嘉定"), "n": Literal(3)}]), end="")
城市  n
----  -
嘉定  3
(1 row)
"""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING, Any

from rdflib import Graph, Literal, URIRef
from rdflib.query import Result
from rdflib.term import Node, Variable

from kg.errors import InputError, QueryError
from kg.vocab.iri import PREFIXES

if TYPE_CHECKING:
    import pandas

SELECT_FORMATS = ("table", "csv", "tsv", "json")
GRAPH_FORMATS = ("turtle", "json-ld", "ntriples")


def plain(term: Node) -> Node:
    """``"x"^^xsd:string`` as the plain literal ``"x"`` (the same in RDF 1.1): Oxigraph returns the
    first, rdflib's memory store the second, and results should not depend on the backend.

    >>> from rdflib import XSD
    >>> plain(Literal("x", datatype=XSD.string)) == Literal("x")
    True
    """
    if isinstance(term, Literal) and term.datatype == _XSD_STRING:
        return Literal(str(term))
    return term


_XSD_STRING = URIRef("http://www.w3.org/2001/XMLSchema#string")


def result_rows(result: Result) -> list[dict[str, Node]]:
    """SELECT solutions as dicts (unbound variables left out; ``xsd:string`` literals made
    :func:`plain`); ASK gives ``[{"ask": bool}]``."""
    if result.type == "ASK":
        return [{"ask": Literal(bool(result.askAnswer))}]
    if result.type != "SELECT":
        raise QueryError(f"a {result.type} query gives a graph, not rows")
    names = [str(v) for v in result.vars or []]
    return [
        {name: plain(row[Variable(name)]) for name in names if row.get(Variable(name)) is not None}  # type: ignore[union-attr]
        for row in result.bindings
    ]


def result_graph(result: Result) -> Graph:
    """A CONSTRUCT or DESCRIBE result as a graph with the project's prefixes bound."""
    from kg.vocab.iri import new_graph

    if result.type not in ("CONSTRUCT", "DESCRIBE") or result.graph is None:
        raise QueryError(f"a {result.type} query gives rows, not a graph")
    graph = new_graph()
    for s, p, o in result.graph:
        graph.add((s, p, plain(o)))
    return graph


def _cell(term: Node | None) -> str:
    """A term as people read it: IRIs compacted with the project's prefixes, literals as text."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        text = str(term)
        for prefix, namespace in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
            if text.startswith(namespace):
                return f"{prefix}:{text[len(namespace):]}"
        return text
    return str(term)


def format_result(result: Result, fmt: str = "table") -> str:
    """Render a result: ``table``/``csv``/``tsv``/``json`` for SELECT and ASK,
    ``turtle``/``json-ld``/``ntriples`` for CONSTRUCT and DESCRIBE."""
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        fmt = "turtle" if fmt == "table" else fmt
        if fmt not in GRAPH_FORMATS:
            raise InputError(f"--format {fmt} does not fit a {result.type} query; use one of {', '.join(GRAPH_FORMATS)}")
        graph = result_graph(result)
        if fmt == "turtle":
            from kg.rdf.serialize import to_turtle

            return to_turtle(graph, PREFIXES)
        if fmt == "ntriples":
            return "".join(sorted(graph.serialize(format="nt").splitlines(keepends=True)))
        return graph.serialize(format="json-ld", context=PREFIXES, indent=2, sort_keys=True) + "\n"
    if fmt not in SELECT_FORMATS:
        raise InputError(f"--format {fmt} does not fit a {result.type} query; use one of {', '.join(SELECT_FORMATS)}")
    names = ["ask"] if result.type == "ASK" else [str(v) for v in result.vars or []]
    if fmt == "json" and result.type == "ASK":
        return json.dumps({"head": {}, "boolean": bool(result.askAnswer)}) + "\n"
    return format_rows(names, result_rows(result), fmt)


def format_rows(names: list[str], rows: list[dict[str, Node]], fmt: str = "table") -> str:
    """Render rows of RDF terms as ``table``, ``csv``, ``tsv`` or SPARQL results ``json``.

    >>> from rdflib import Literal
    >>> print(format_rows(["a"], [{"a": Literal(1)}], "csv"), end="")
    a
    1
    """
    if fmt not in SELECT_FORMATS:
        raise InputError(f"--format {fmt} does not fit rows; use one of {', '.join(SELECT_FORMATS)}")
    if fmt == "json":
        return _json(names, rows)
    if fmt in ("csv", "tsv"):
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(names)
        for row in rows:
            writer.writerow([_cell(row.get(n)) for n in names])
        return buffer.getvalue()
    return _table(names, [[_cell(row.get(n)) for n in names] for row in rows])


def _json(names: list[str], rows: list[dict[str, Node]]) -> str:
    """SPARQL 1.1 Query Results JSON."""

    def term(value: Node) -> dict[str, str]:
        if isinstance(value, URIRef):
            return {"type": "uri", "value": str(value)}
        if isinstance(value, Literal):
            out = {"type": "literal", "value": str(value)}
            if value.language:
                out["xml:lang"] = value.language
            elif value.datatype:
                out["datatype"] = str(value.datatype)
            return out
        return {"type": "bnode", "value": str(value)}

    bindings = [{n: term(v) for n, v in row.items()} for row in rows]
    return json.dumps({"head": {"vars": names}, "results": {"bindings": bindings}}, ensure_ascii=False, indent=1) + "\n"


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _table(names: list[str], cells: list[list[str]], limit: int = 80) -> str:
    """A plain-text table; wide (CJK) characters count double, long cells are cut at ``limit``."""

    def cut(text: str) -> str:
        text = " ".join(text.split())
        if _width(text) <= limit:
            return text
        while _width(text) > limit - 1:
            text = text[:-1]
        return text + "…"

    rows = [[cut(c) for c in row] for row in cells]
    widths = [max([_width(n)] + [_width(r[i]) for r in rows]) for i, n in enumerate(names)]

    def line(values: list[str]) -> str:
        return "  ".join(v + " " * (w - _width(v)) for v, w in zip(values, widths)).rstrip()

    out = [line(names), line(["-" * w for w in widths])] + [line(r) for r in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"


def to_dataframe(result: Result) -> pandas.DataFrame:
    """SELECT rows as a :class:`pandas.DataFrame`: numbers and booleans as Python values,
    everything else as strings, unbound as ``None``."""
    import pandas

    names = [str(v) for v in result.vars or []] if result.type == "SELECT" else ["ask"]
    rows = result_rows(result)

    def value(term: Node | None) -> Any:
        if term is None:
            return None
        if isinstance(term, Literal):
            python = term.toPython()
            if isinstance(python, (int, float, bool)):
                return python
            from decimal import Decimal

            if isinstance(python, Decimal):
                return float(python)
        return str(term)

    return pandas.DataFrame([[value(row.get(n)) for n in names] for row in rows], columns=names)
