"""Stage 5, query: SPARQL with the project's prefixes, the catalogue of named queries, safe
parameters, and results in every format (one registry of formats, :mod:`kg.query.formats`, for
the CLI and the server).

The names below are imported when first used, so ``kg.query.formats`` (the registry the CLI
reads for its ``--format`` choices) loads without rdflib.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from kg.query.formats import (
        FORMAT,
        FORMATS,
        GRAPH_FORMATS,
        SELECT_FORMATS,
        TABLE_FORMATS,
        Format,
        Solutions,
        Term,
        Triples,
    )
    from kg.query.results import format_result, format_rows, plain, result_graph, result_rows, to_dataframe
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

__all__ = [
    "FORMAT", "FORMATS", "GRAPH_FORMATS", "SELECT_FORMATS", "TABLE_FORMATS", "Format", "NamedQuery", "Parameter",
    "Solutions", "Term", "Triples", "bind_values", "catalogue", "check_query", "describe_syntax_error",
    "fetches_remote", "format_result", "format_rows", "named_query", "parse_term", "plain", "query_form",
    "read_named_query", "result_graph", "result_rows", "run_query", "sparql", "to_dataframe",
]


def __getattr__(name: str) -> Any:
    if name in __all__:
        for module in ("formats", "results", "run"):  # cheapest first: the registry needs no rdflib
            found = getattr(import_module(f"kg.query.{module}"), name, None)
            if found is not None:
                globals()[name] = found
                return found
    raise AttributeError(f"module 'kg.query' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
