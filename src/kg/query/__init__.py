"""The query stage: SPARQL with the project's prefixes, the catalogue of named queries, safe
parameters, and results in every format (one registry of formats for the CLI and the server).
"""

from __future__ import annotations

from kg.query.results import (
    GRAPH_FORMATS,
    SELECT_FORMATS,
    format_result,
    format_rows,
    plain,
    result_graph,
    result_rows,
    to_dataframe,
)
from kg.query.run import (
    NamedQuery,
    Parameter,
    bind_values,
    catalogue,
    check_query,
    describe_syntax_error,
    fetches_remote,
    named_query,
    parse_term,
    query_form,
    read_named_query,
    run_query,
    sparql,
)

__all__ = ["GRAPH_FORMATS", "SELECT_FORMATS", "NamedQuery", "Parameter", "bind_values", "catalogue", "check_query", "describe_syntax_error", "fetches_remote", "format_result", "format_rows", "named_query", "parse_term", "plain", "query_form", "read_named_query", "result_graph", "result_rows", "run_query", "sparql", "to_dataframe"]
