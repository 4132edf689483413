"""``kg query``, ``kg serve`` and ``kg load``."""

from __future__ import annotations

import re
import signal
from pathlib import Path
from types import FrameType

import click

from kg.cli import EXIT_CODES, main
from kg.query.formats import FORMATS, GRAPH_FORMATS, SELECT_FORMATS

_QUERY_AT = re.compile(r"query line (\d+), column (\d+): ")
_GRAPH_HELP = ("Graph file (.ttl, .nt, .trig, .nq) or output folder of kg build -o DIR/ to query (loaded into "
               "an in-memory Oxigraph store).")


def _params(values: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"{item!r}: write NAME=VALUE, e.g. keyword=汽车", param_hint="--param")
        out[name.strip()] = value
    return out


@main.command(epilog=EXIT_CODES)
@click.argument("query_text", required=False, metavar="[QUERY]")
@click.option("-f", "--file", "query_file", type=click.Path(path_type=Path, dir_okay=False),
              help="Read the query from a .rq file.")
@click.option("-n", "--named", help="Run the catalogue query with this name (see --list).")
@click.option("-l", "--list", "list_queries", is_flag=True, help="List the catalogue of named queries.")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind a parameter (repeatable); a value in <…> or starting http is an IRI.")
@click.option("--graph", "graph_file", type=click.Path(path_type=Path), default=None, help=_GRAPH_HELP
              + "  [default: data/triples.ttl]")
@click.option("--store", "store_dir", type=click.Path(path_type=Path, file_okay=False),
              help="On-disk Oxigraph store directory made by kg load --store.")
@click.option("--endpoint", help="Remote SPARQL 1.1 query URL, e.g. http://127.0.0.1:7878/query.")
@click.option("--graph-iri", "--endpoint-graph", "graph_iri", default=None, metavar="IRI",
              help="Read only this named graph on --endpoint, e.g. kgr:graph/reports (where kg load puts the "
                   "graph).  [default: the server's default graph]")
@click.option("--format", "fmt", type=click.Choice([f.name for f in FORMATS]), default="table", show_default=True,
              help=f"{'/'.join(SELECT_FORMATS)} for SELECT and ASK; {'/'.join(GRAPH_FORMATS)} for CONSTRUCT and "
                   "DESCRIBE (table gives turtle).")
def query(query_text: str | None, query_file: Path | None, named: str | None, list_queries: bool,
          params: tuple[str, ...], graph_file: Path | None, store_dir: Path | None, endpoint: str | None,
          graph_iri: str | None, fmt: str) -> None:
    """Run a SPARQL query on the graph; the project's prefixes (kg:, kgr:, rdfs: …) are predefined.

    \b
    Examples:
      kg query 'SELECT ?class (COUNT(*) AS ?n) WHERE { ?s a ?class } GROUP BY ?class'
      kg query --named search-sentences --param keyword=氢能 --format csv
      kg query -f my.rq --endpoint http://127.0.0.1:7878/query
    """
    from kg.errors import QueryError, where
    from kg.query import catalogue, format_result, named_query, run_query
    from kg.store import explain_empty, open_graph
    from kg.text.source import read_text_file

    if list_queries:
        for item in catalogue().values():
            params_text = " ".join(f"[{p.name}={p.default}]" for p in item.parameters)
            click.echo(f"{item.name:<28} {item.title}{'  ' + params_text if params_text else ''}")
        return
    given = [x for x in (query_text, query_file, named) if x is not None]
    if len(given) != 1:
        raise click.UsageError("give exactly one of QUERY, -f FILE or --named NAME (or --list)")
    if query_file is not None:
        target: object = read_text_file(query_file, what="a SPARQL query file (.rq)")
    elif named is not None:
        target = named_query(named)
    else:
        target = query_text
    if graph_iri is not None and endpoint is None:
        raise click.UsageError("--graph-iri names a graph on a server; give --endpoint URL too")
    graph = open_graph(graph_file, store=store_dir, endpoint=endpoint, graph_iri=graph_iri)
    try:
        result = run_query(graph, target, bindings=_params(params))  # type: ignore[arg-type]
    except QueryError as err:
        at = _QUERY_AT.match(str(err))
        if query_file is None or at is None:
            raise
        # A query from a file is placed in the file, like every other error in a file.
        raise QueryError(f"{where(query_file, line=int(at[1]), column=int(at[2]))}: {str(err)[at.end():]}") from err
    click.echo(format_result(result, fmt), nl=False)
    if endpoint is not None and _empty(result) and (why := explain_empty(graph)):
        click.echo(f"kg: warning: no results: {why}", err=True)


def _empty(result: object) -> bool:
    """Whether a query result holds nothing: no rows, no triples, or ASK false."""
    kind = getattr(result, "type", "")
    if kind == "ASK":
        return not getattr(result, "askAnswer", True)
    if kind in ("CONSTRUCT", "DESCRIBE"):
        return len(getattr(result, "graph", None) or ()) == 0
    return not list(getattr(result, "bindings", None) or ())


@main.command(epilog=EXIT_CODES)
@click.option("--graph", "graph_file", type=click.Path(path_type=Path), default=None, help=_GRAPH_HELP
              + "  [default: data/triples.ttl]")
@click.option("--store", "store_dir", type=click.Path(path_type=Path, file_okay=False),
              help="Serve an on-disk Oxigraph store directory instead.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; keep loopback unless you mean it.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port (0 picks a free one).")
@click.option("--allow-update", is_flag=True, help="Accept SPARQL Update (otherwise updates get 403).")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True,
              help="Seconds a query may run.")
@click.option("--max-rows", type=click.IntRange(min=1), default=10_000, show_default=True,
              help="Most rows (or triples) returned.")
@click.option("--max-memory", type=click.IntRange(min=64), default=1024, show_default=True,
              help="MB of memory one query may use (then 503).")
@click.option("--allow-host", "allow_hosts", multiple=True, metavar="NAME",
              help="Also answer to this host name (behind a proxy); repeatable. IP addresses and "
                   "localhost always work; other names get 403 (DNS rebinding).")
@click.option("-v", "--verbose", is_flag=True, help="Log each request on stderr.")
def serve(graph_file: Path | None, store_dir: Path | None, host: str, port: int, allow_update: bool,
          timeout: float, max_rows: int, max_memory: int, allow_hosts: tuple[str, ...], verbose: bool) -> None:
    """Serve the graph: SPARQL endpoint at /sparql, query page at /query, explorer at /.

    \b
    Example:
      kg serve --graph data/triples.ttl --port 8000   # then open http://127.0.0.1:8000/query
    """
    from kg.serve.http import make_server
    from kg.store import open_graph

    graph = open_graph(graph_file, store=store_dir)
    server = make_server(graph, host=host, port=port, allow_update=allow_update, timeout=timeout,
                         max_rows=max_rows, isolate=store_dir is None, verbose=verbose, allow_hosts=allow_hosts,
                         max_memory_mb=max_memory)
    bound_host, bound_port = str(server.server_address[0]), int(server.server_address[1])
    if bound_host not in ("127.0.0.1", "::1"):
        click.echo(f"kg serve: warning: listening on {bound_host}, not loopback: other machines can query it", err=True)
    click.echo(f"kg serve: http://{bound_host}:{bound_port}/query  (SPARQL endpoint /sparql; "
               f"{'read-write' if allow_update else 'read-only'}; Ctrl-C or kill stops)", err=True)
    # Ctrl-C or a kill (SIGTERM) stops it cleanly, also when it was started from a shell that ignores SIGINT
    # (a background job of a script: Python then installs no Ctrl-C handler of its own)
    for stopping in (signal.SIGINT, signal.SIGTERM):
        signal.signal(stopping, _stop)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def _stop(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt  # serve_forever returns through kg serve's own cleanup


@main.command(epilog=EXIT_CODES)
@click.option("--graph", "graph_file", type=click.Path(path_type=Path), default=Path("data/triples.ttl"),
              show_default=True, help="Graph file (.ttl, .nt, .trig, .nq) or output folder of kg build -o DIR/ "
                                         "to load.")
@click.option("--endpoint", help="Graph Store Protocol URL, e.g. http://127.0.0.1:7878/store (Oxigraph) "
                                 "or http://HOST:3030/DATASET/data (Fuseki).")
@click.option("--graph-iri", default=None, help="Named graph to replace.  [default: kgr:graph/reports]")
@click.option("--store", "store_dir", type=click.Path(path_type=Path, file_okay=False),
              help="Or: an on-disk Oxigraph store directory to (re)create.")
def load(graph_file: Path, endpoint: str | None, graph_iri: str | None, store_dir: Path | None) -> None:
    """Load the graph into a triplestore: a SPARQL server's named graph, or a store directory.

    \b
    Examples:
      kg load --endpoint http://127.0.0.1:7878/store
      kg load --store build/store && kg query --store build/store --named reports
    """
    from kg.store import GRAPH_IRI, load_endpoint, load_store

    if (endpoint is None) == (store_dir is None):
        raise click.UsageError("give exactly one of --endpoint URL or --store DIR")
    if endpoint is not None:
        result = load_endpoint(endpoint, graph_file, graph_iri=graph_iri or GRAPH_IRI)
        click.echo(f"loaded {result.triples} triples into <{result.graph_iri}> at {result.target}; query it with "
                   f"kg query --endpoint QUERY-URL --graph-iri {result.graph_iri}", err=True)
    else:
        assert store_dir is not None
        result = load_store(store_dir, graph_file)
        click.echo(f"loaded {result.triples} triples into the store {result.target}", err=True)
