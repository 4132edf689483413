"""The RDF dataset a protocol request names: ``default-graph-uri`` / ``named-graph-uri`` for a
query, ``using-graph-uri`` / ``using-named-graph-uri`` for an update (SPARQL 1.1 Protocol §2.1.4,
§2.2.3).

A query's protocol dataset replaces any ``FROM`` / ``FROM NAMED`` in the query text, as a whole:
naming only named graphs leaves an empty default graph. Without one, the query's own ``FROM``
clauses apply, and without those the default graph is the union of every graph in the store (so a
TriG build answers like the Turtle build). An update's ``using-…`` parameters become ``USING`` /
``USING NAMED`` clauses of each of its ``DELETE``/``INSERT … WHERE`` operations; an update that
also says ``USING`` or ``WITH`` itself is refused, as the protocol asks.

>>> dataset = Dataset.from_params({"named-graph-uri": ["http://x/g1", "http://x/g2"]}, "default-graph-uri",
...                               "named-graph-uri")
>>> dataset.given, dataset.default, dataset.named
(True, (), ('http://x/g1', 'http://x/g2'))
>>> print(with_using("INSERT { ?s a <http://x/C> } WHERE { ?s a <http://x/D> }", Dataset(("http://x/g",), ())))
INSERT { ?s a <http://x/C> } USING <http://x/g> WHERE { ?s a <http://x/D> }
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from kg.errors import QueryError

_FROM = re.compile(r"(?<![\w:?$])FROM\b", re.I)
_IRI = re.compile(r"[a-zA-Z][\w+.\-]*:[^<>\"{}|^`\\\s]*")


@dataclass(frozen=True)
class Dataset:
    """The graphs a request names: IRIs of the default graph's parts and of the named graphs."""

    default: tuple[str, ...] = ()
    named: tuple[str, ...] = ()

    @property
    def given(self) -> bool:
        """Whether the request named any graph at all."""
        return bool(self.default or self.named)

    @classmethod
    def from_params(cls, params: dict[str, list[str]], default_name: str, named_name: str) -> Dataset:
        """The dataset in ``params`` (URL or form fields); a value that is not an absolute IRI is
        a :class:`~kg.errors.QueryError` naming the parameter."""
        found: list[tuple[str, ...]] = []
        for name in (default_name, named_name):
            values = tuple(params.get(name, []))
            for value in values:
                if not _IRI.fullmatch(value):
                    raise QueryError(f"{name}={value[:200]!r} is not an absolute IRI (like http://example.org/g)")
            found.append(values)
        return cls(found[0], found[1])

    def query_options(self, query: str) -> dict[str, Any]:
        """Keyword arguments for :meth:`pyoxigraph.Store.query` of ``query``: this dataset, else the
        query's own ``FROM`` clauses, else the union of all graphs as the default graph.

        >>> Dataset().query_options("SELECT * FROM <http://x/g> WHERE { ?s ?p ?from }")
        {}
        >>> Dataset().query_options("SELECT * WHERE { ?s <http://x/from> ?o }")
        {'use_default_graph_as_union': True}
        """
        import pyoxigraph as ox

        from kg.query.run import _strip

        if not self.given:
            # Oxigraph's union flag would override the query's FROM, so it is set only without one.
            return {} if _FROM.search(_strip(query)) else {"use_default_graph_as_union": True}
        return {"default_graph": [ox.NamedNode(iri) for iri in self.default],
                "named_graphs": [ox.NamedNode(iri) for iri in self.named]}


def with_using(update: str, dataset: Dataset) -> str:
    """``update`` with ``USING``/``USING NAMED`` clauses for ``dataset`` before the ``WHERE`` of each
    ``DELETE``/``INSERT`` operation; :class:`~kg.errors.QueryError` when the update already has a
    ``USING`` or ``WITH`` clause (the protocol forbids both at once).

    >>> with_using("WITH <http://x/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", Dataset(("http://x/h",)))
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kg.errors.QueryError: the update has its own USING or WITH clause and the request gives ...
    """
    from kg.query.run import _tokens

    if not dataset.given:
        return update
    clauses = "".join(f"USING <{iri}> " for iri in dataset.default) + \
        "".join(f"USING NAMED <{iri}> " for iri in dataset.named)
    out: list[str] = []
    depth, previous = 0, ""
    for kind, token in _tokens(update):
        if kind != "code":
            out.append(token)
            continue
        pieces = re.split(r"(\b[A-Za-z]+\b|[{}])", token)
        for piece in pieces:
            word = piece.upper()
            if piece == "{":
                depth += 1
            elif piece == "}":
                depth = max(0, depth - 1)
            elif depth == 0 and word in ("USING", "WITH"):
                raise QueryError("the update has its own USING or WITH clause and the request gives "
                                 "using-graph-uri or using-named-graph-uri; give the graphs in one place")
            elif depth == 0 and word == "WHERE" and previous != "DELETE":
                piece = clauses + piece
            if piece.strip():
                previous = piece.strip().upper()
            out.append(piece)
    return "".join(out)


def without_empty_graphs(update: str) -> str:
    """``update`` with ``CLEAR`` and ``DROP`` made ``SILENT``: this endpoint's store keeps no empty
    graphs, so clearing or dropping a graph that holds nothing succeeds instead of failing with
    "the graph does not exist" (SPARQL 1.1 Update §3.2.2, stores that do not record empty graphs).

    >>> without_empty_graphs('CLEAR GRAPH <http://x/g> ; DROP SILENT ALL ; INSERT DATA { <a> <b> "CLEAR x" }')
    'CLEAR SILENT GRAPH <http://x/g> ; DROP SILENT ALL ; INSERT DATA { <a> <b> "CLEAR x" }'
    """
    from kg.query.run import _tokens

    keyword = re.compile(r"\b(CLEAR|DROP)\b(?!\s+SILENT\b)", re.I)
    return "".join(keyword.sub(r"\1 SILENT", token) if kind == "code" else token for kind, token in _tokens(update))
