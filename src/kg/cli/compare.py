"""``kg compare``: which targets were met, across a government's reports."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli import EXIT_CODES, main


@main.command(epilog=EXIT_CODES)
@click.option("--graph", "graph_file", type=click.Path(path_type=Path), default=Path("data/triples.ttl"),
              show_default=True, help="Turtle file to read.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json"]), default="table",
              show_default=True, help="Output format.")
@click.option("--all", "show_all", is_flag=True, help="Also list targets no later report speaks of.")
def compare(graph_file: Path, fmt: str, show_all: bool) -> None:
    """Which targets were met? Each target next to the result a later report gave for the
    same indicator and period, with a verdict and the reason for it.

    \b
    Example:
      kg compare --format csv > targets-met.csv
    """
    from rdflib import Literal
    from rdflib.term import Node

    from kg.compare import TargetCheck, target_checks
    from kg.query import format_rows
    from kg.store import load_graph

    checks = [c for c in target_checks(load_graph(graph_file)) if show_all or c.met is not None]
    rows: list[dict[str, Node]] = [
        {name: Literal(value) for name in TargetCheck.COLUMNS if (value := getattr(check, name)) is not None}
        for check in checks
    ]
    click.echo(format_rows(list(TargetCheck.COLUMNS), rows, fmt), nl=False)
