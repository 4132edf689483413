"""Query results as people and programs read them: rows, graphs and pandas DataFrames from an
rdflib :class:`~rdflib.query.Result`, and the result written in any format of the registry
(:mod:`kg.query.formats`), the same whatever backend answered.

>>> from rdflib import Literal
>>> print(format_rows(["城市", "n"], [{"城市": Literal("嘉定"), "n": Literal(3)}]), end="")
城市  n
----  -
嘉定  3
(1 row)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from rdflib import XSD, Graph, Literal
from rdflib.query import Result
from rdflib.term import Node, Variable

from kg.errors import InputError, QueryError
from kg.query.formats import FORMAT, GRAPH_FORMATS, SELECT_FORMATS, Answer, Triples, solutions, term_from_rdflib

if TYPE_CHECKING:
    import pandas


def plain(term: Node) -> Node:
    """``"x"^^xsd:string`` as the plain literal ``"x"`` (the same in RDF 1.1): Oxigraph returns the
    first, rdflib's memory store the second, and results should not depend on the backend.

    >>> plain(Literal("x", datatype=XSD.string)) == Literal("x")
    True
    """
    if isinstance(term, Literal) and term.datatype == XSD.string:
        return Literal(str(term))
    return term


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


def format_result(result: Result, fmt: str = "table") -> str:
    """Render a result for people in a format of the registry: ``table`` (the default), ``csv``,
    ``tsv``, ``json`` or ``xml`` for SELECT and ASK; ``turtle`` (also for ``table``), ``ntriples``,
    ``rdf-xml`` or ``json-ld`` for CONSTRUCT and DESCRIBE."""
    answer: Answer
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        fmt = "turtle" if fmt == "table" else fmt
        if fmt not in GRAPH_FORMATS:
            raise InputError(f"--format {fmt} does not fit a {result.type} query; "
                             f"use one of {', '.join(GRAPH_FORMATS)}")
        answer = Triples(result_graph(result))
    elif fmt not in SELECT_FORMATS:
        raise InputError(f"--format {fmt} does not fit a {result.type} query; use one of {', '.join(SELECT_FORMATS)}")
    elif result.type == "ASK":
        answer = bool(result.askAnswer)
    else:
        names = [str(v) for v in result.vars or []]
        answer = solutions(names, [r.items() for r in result_rows(result)], term_from_rdflib)
    return FORMAT[fmt].write(answer)


def format_rows(names: Sequence[str], rows: Sequence[Mapping[str, Node]], fmt: str = "table") -> str:
    """Render rows of RDF terms for people as ``table``, ``csv``, ``tsv``, SPARQL results ``json``
    or ``xml``.

    >>> from rdflib import Literal
    >>> print(format_rows(["a"], [{"a": Literal(1)}], "csv"), end="")
    a
    1
    """
    if fmt not in SELECT_FORMATS:
        raise InputError(f"--format {fmt} does not fit rows; use one of {', '.join(SELECT_FORMATS)}")
    return FORMAT[fmt].write(solutions(list(names), [r.items() for r in rows], term_from_rdflib))


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
