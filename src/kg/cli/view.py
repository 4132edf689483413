"""``kg view``: write the explorer, one offline HTML page that draws the graph."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli import EXIT_CODES, main


@main.command(epilog=EXIT_CODES)
@click.option("--graph", "graph_file", type=click.Path(path_type=Path), default=Path("data/triples.ttl"),
              show_default=True, help="Turtle file to draw.")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="HTML file to write (written atomically).  [default: build/graph.html, or build/targets.html "
                   "with --targets]")
@click.option("--focus", metavar="ENTITY", help="Draw only this node's neighbourhood: an IRI, prefix:name or label.")
@click.option("--depth", type=click.IntRange(0, 10), default=1, show_default=True,
              help="How many links out from --focus to draw.")
@click.option("--query", "query_file", type=click.Path(path_type=Path),
              help="Draw the result of a SPARQL CONSTRUCT or SELECT query in FILE.rq.")
@click.option("--targets", "targets", is_flag=True,
              help="Write the targets view instead: every target with its verdict, by government and year "
                   "(built from the targets table, so it opens on a whole corpus).")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the node layout.")
@click.option("--max-nodes", type=click.IntRange(min=1), default=30_000, show_default=True,
              help="Refuse a graph with more nodes than this (a browser cannot open a far bigger page).")
def view(graph_file: Path, output: Path | None, focus: str | None, depth: int, query_file: Path | None,
         targets: bool, seed: int, max_nodes: int) -> None:
    """Write an interactive, self-contained graph explorer (works offline from file://).

    Search Chinese or English labels, filter by class, relation, report and section, click a
    node for its observations, relations and source sentences, export PNG, save layouts.

    \b
    Examples:
      kg view -o build/graph.html && xdg-open build/graph.html
      kg view --focus 上汽大众MEB工厂 --depth 2 -o build/meb.html
      kg view --query queries/projects-by-industry-place.rq -o build/projects.html
      kg view --targets -o build/targets.html
    """
    from kg.store import load_graph
    from kg.view import check_view_size, write_view

    if focus is not None and query_file is not None:
        raise click.UsageError("--focus and --query draw different views; give one of them")
    if targets:
        if focus is not None or query_file is not None:
            raise click.UsageError("--targets draws every target; it takes no --focus or --query")
        from kg.store import open_graph  # Oxigraph answers the targets table's queries in seconds on a corpus
        from kg.view import write_targets_view

        path = write_targets_view(open_graph(graph_file), output or Path("build/targets.html"))
        click.echo(f"wrote {path}: open it in a browser (no network needed)", err=True)
        return
    output = output or Path("build/graph.html")
    if query_file is None and graph_file.is_file():
        check_view_size(graph_file, max_nodes=max_nodes)  # refuse a corpus in seconds, not after minutes
    path = write_view(load_graph(graph_file), output, focus=focus, depth=depth, query=query_file, seed=seed,
                      max_nodes=max_nodes)
    click.echo(f"wrote {path}: open it in a browser (no network needed)", err=True)
