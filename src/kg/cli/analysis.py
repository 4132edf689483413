"""``kg analyze`` and ``kg export``: network analysis of a projection, and the projection for other tools."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli import EXIT_CODES, main
from kg.query.formats import TABLE_FORMATS

# kg.analysis.PROJECTIONS and kg.analysis.metrics.METRICS, spelt out so the CLI starts without importing them
_PROJECTIONS = ("entity", "comention", "industry-place", "project-place", "project-industry")
_METRICS = ("degree", "strength", "betweenness", "pagerank", "eigenvector", "community", "core")
_DEFAULT_METRICS = ("pagerank", "degree", "betweenness", "community")

GRAPH = click.option("--graph", "graph_file", type=click.Path(path_type=Path), default=Path("data/triples.ttl"),
                     show_default=True, help="Graph file to read (Turtle).")
PROJECTION = click.option("--projection", type=click.Choice(_PROJECTIONS), default="entity", show_default=True,
                          help="Which networkx view of the graph: stated relations, co-mentions, or a bipartite view.")


def _metrics(values: tuple[str, ...]) -> list[str]:
    chosen = [m.strip() for value in values for m in value.split(",") if m.strip()]
    bad = [m for m in chosen if m not in _METRICS]
    if bad:
        raise click.BadParameter(f"{', '.join(bad)}: choose from {', '.join(_METRICS)}", param_hint="--metric")
    return chosen or list(_DEFAULT_METRICS)


@main.command(epilog=EXIT_CODES)
@GRAPH
@PROJECTION
@click.option("--metric", "-m", "metric_values", multiple=True, metavar="NAME[,NAME…]",
              help=f"Metric to compute (repeatable): {', '.join(_METRICS)}.  [default: {','.join(_DEFAULT_METRICS)}]")
@click.option("--top", type=click.IntRange(min=1), default=20, show_default=True, help="How many rows to print.")
@click.option("--all", "all_rows", is_flag=True, help="Print every node, not just the --top ones.")
@click.option("--sort-by", help="Metric to rank by.  [default: the first --metric]")
@click.option("--seed", type=int, default=0, show_default=True,
              help="Seed for Louvain communities and sampled betweenness.")
@click.option("--path", "path_ends", nargs=2, metavar="FROM TO",
              help="Instead: the shortest path between two entities (labels or IRIs) with the sentences behind "
                   "each step.")
@click.option("--format", "fmt", type=click.Choice(TABLE_FORMATS), default="table", show_default=True,
              help="Output format.")
@click.option("--write", "write_file", type=click.Path(path_type=Path, dir_okay=False),
              help="Also write the graph plus every node's scores (kg:pageRank, kg:community …) to this Turtle file.")
def analyze(graph_file: Path, projection: str, metric_values: tuple[str, ...], top: int, all_rows: bool,
            sort_by: str | None, seed: int, path_ends: tuple[str, str] | None, fmt: str,
            write_file: Path | None) -> None:
    """Rank the entities of a projection by centrality, with communities and k-cores.

    \b
    Examples:
      kg analyze --projection comention --metric pagerank,community --top 10
      kg analyze --path 上汽大众 雄安新区 --projection comention
      kg analyze --metric pagerank --write build/scored.ttl   # then ORDER BY DESC(?pr) in SPARQL
    """
    from rdflib import Literal, URIRef

    from kg.analysis import project
    from kg.analysis.metrics import explain_path, ranking
    from kg.query import format_rows
    from kg.rdf.serialize import to_turtle, write_atomic
    from kg.store import open_graph

    graph = open_graph(graph_file)
    view = project(graph, projection)
    if path_ends is not None:
        steps = explain_path(view, *path_ends, rdf=graph)
        names = ["step", "source", "target", "relations", "sentence", "text"]
        rows = [{"step": Literal(i), "source": Literal(s.source_label), "target": Literal(s.target_label),
                 "relations": Literal("|".join(s.relations)), "sentence": URIRef(iri), "text": Literal(text)}
                for i, s in enumerate(steps, start=1) for iri, text in (s.sentences or (("", ""),))]
        for row in rows:
            if not str(row["sentence"]):
                del row["sentence"], row["text"]
        click.echo(format_rows(names, rows, fmt), nl=False)  # type: ignore[arg-type]
        return
    metrics = _metrics(metric_values)
    table = ranking(view, metrics, seed=seed, top=None if all_rows or write_file else top, sort_by=sort_by)
    if write_file is not None:
        from kg.analysis.export import scored_graph
        from kg.store import load_graph
        from kg.vocab.iri import PREFIXES

        # Copy the file as rdflib reads it: Oxigraph canonicalises literals (3.0 → 3), which a rewrite must not.
        scored = scored_graph(load_graph(graph_file), {m: {str(r["node"]): r[m] for r in table} for m in metrics})  # type: ignore[misc]
        write_atomic(write_file, to_turtle(scored, PREFIXES))
        click.echo(f"kg analyze: wrote {len(table)} nodes' {', '.join(metrics)} to {write_file}", err=True)
        table = table if all_rows else table[:top]
    names = ["node", "label", "class", *metrics]
    click.echo(format_rows(names, [
        {"node": URIRef(str(r["node"])), "label": Literal(r["label"]), "class": Literal(r["class"]),
         **{m: Literal(r[m]) for m in metrics}} for r in table], fmt), nl=False)


@main.command(epilog=EXIT_CODES)
@GRAPH
@PROJECTION
@click.option("--format", "fmt", type=click.Choice(["graphml", "gexf", "jsonld", "nt", "csv"]), required=True,
              help="graphml/gexf for Gephi and Cytoscape, csv (one row per edge) for pandas, jsonld/nt for RDF tools.")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False, allow_dash=True), default=None,
              help="File to write (atomically).  [default: stdout]")
def export(graph_file: Path, projection: str, fmt: str, output: Path | None) -> None:
    """Export a projection of the graph (nodes with label and class, weighted edges with evidence).

    \b
    Example:
      kg export --format graphml --projection comention -o build/comention.graphml
    """
    from kg.analysis import project
    from kg.analysis.export import write_export
    from kg.store import open_graph

    write_export(project(open_graph(graph_file), projection), fmt, output)
