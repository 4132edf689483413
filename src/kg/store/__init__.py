"""The store stage: load a built graph into rdflib memory, embedded Oxigraph, an on-disk store
or a remote SPARQL server, behind one rdflib ``Graph`` interface.
"""

from __future__ import annotations

from kg.store.load import (
    DATASET_SUFFIXES,
    DEFAULT_GRAPH,
    GRAPH_FORMATS,
    GRAPH_IRI,
    HTTP_TIMEOUT,
    GraphFormat,
    LoadResult,
    backend,
    close_graph,
    expand_iri,
    explain_empty,
    graph_files,
    graph_format,
    http_request,
    http_request_typed,
    is_dataset,
    load_endpoint,
    load_graph,
    load_into,
    load_store,
    open_graph,
    oxigraph_graph,
    oxigraph_store,
    remote_graph,
    triple_count,
)

__all__ = [
    "DATASET_SUFFIXES", "DEFAULT_GRAPH", "GRAPH_FORMATS", "GRAPH_IRI", "HTTP_TIMEOUT", "GraphFormat", "LoadResult",
    "backend", "close_graph", "expand_iri", "explain_empty", "graph_files", "graph_format", "http_request",
    "http_request_typed", "is_dataset",
    "load_endpoint", "load_graph",
    "load_into", "load_store", "open_graph", "oxigraph_graph", "oxigraph_store", "remote_graph", "triple_count",
]
