"""kg: a knowledge graph of Chinese government work reports (政府工作报告).

The library is organised as one stage per module, data flowing one way::

    source → normalize/metadata → segment → rdf → serialize/store → validate, stats, query, view

>>> import kg
>>> kg.__version__
'0.1.0'

For notebooks, :func:`open` gives the graph (an rdflib ``Graph`` on a fast embedded store, or on
a remote SPARQL server) and :func:`sparql` runs a query into a pandas DataFrame::

    g = kg.open()                                   # data/triples.ttl in embedded Oxigraph
    kg.sparql("reports")                            # a catalogue query by name
    kg.sparql("SELECT ?t WHERE { ?s kg:text ?t } LIMIT 3", g)
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

try:
    __version__ = version("kg")
except PackageNotFoundError:  # running from a source tree without an install
    __version__ = "0.1.0"

if TYPE_CHECKING:  # pragma: no cover
    from pathlib import Path

    import pandas
    from rdflib import Graph

__all__ = ["__version__", "open", "sparql"]


def open(
    graph_file: str | Path | None = None,
    *,
    store: str | Path | None = None,
    endpoint: str | None = None,
    **options: Any,
) -> Graph:
    """Open the graph for querying: a Turtle file (default ``data/triples.ttl``) in embedded
    Oxigraph, an on-disk ``store`` directory, or a remote SPARQL ``endpoint``.

    See :func:`kg.store.open_graph` for the options (``graph_iri``, ``update_endpoint``).
    """
    from kg.store import open_graph  # imported here to keep ``import kg`` cheap

    return open_graph(graph_file, store=store, endpoint=endpoint, **options)


def sparql(query: str, graph: Graph | None = None, **options: Any) -> pandas.DataFrame:
    """Run a SPARQL query, or a catalogue query by name, and get a pandas DataFrame.

    Without ``graph`` the default graph is opened (and cached); ``bindings={"keyword": "汽车"}``
    sets a named query's parameters; other options go to :func:`open`.
    """
    from kg.query import sparql as run

    return run(query, graph, **options)
