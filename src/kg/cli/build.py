"""``kg build``, ``kg validate`` and ``kg stats``."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli import EXIT_CODES, main, progress

@main.command(epilog=EXIT_CODES)
@click.argument("reports", nargs=-1, type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), default=Path("data/triples.ttl"),
              show_default=True, help="Turtle file to write (written atomically).")
@click.option("--government", help="Override the government read from the text, e.g. 河北省人民政府.")
@click.option("--year", type=click.IntRange(1949, 2100), help="Override the report year read from the text.")
def build(reports: tuple[Path, ...], output: Path, government: str | None, year: int | None) -> None:
    """Build the graph from REPORTS (default: every data/source/*.txt).

    Reads each UTF-8 report text, finds its body, metadata, sections and sentences,
    and writes deterministic Turtle: the same input gives byte-identical output.

    \b
    Examples:
      kg build
      kg build my-report.txt -o build/my.ttl --government 河北省人民政府 --year 2022
    """
    from kg.build import build as run_build

    if (government or year) and len(reports) != 1:
        raise click.UsageError("--government and --year apply to one report; name exactly one REPORT")
    result = run_build(reports, output, government=government, year=year, progress=progress("reading reports"))
    click.echo(f"wrote {result.output}: {result.triples} triples from {result.reports} report(s)", err=True)


@main.command(epilog=EXIT_CODES)
@click.option("--graph", "graph_file", type=click.Path(path_type=Path), default=Path("data/triples.ttl"),
              show_default=True, help="Turtle file to check.")
def validate(graph_file: Path) -> None:
    """Check the graph against the SHACL shapes in ontology/shapes.ttl.

    Prints each violation with its focus node, path and source sentence.
    Exits 1 when the graph does not conform.

    \b
    Example:
      kg validate --graph data/triples.ttl
    """
    from kg.errors import ValidationFailed
    from kg.store import load_graph
    from kg.validate import validate_graph

    report = validate_graph(load_graph(graph_file))
    if not report.conforms:
        click.echo(report.describe())
        raise ValidationFailed(f"{graph_file}: {len(report.violations)} SHACL violation(s)")
    click.echo(f"{graph_file}: {report.describe()}", err=True)


@main.command(epilog=EXIT_CODES)
@click.option("--graph", "graph_file", type=click.Path(path_type=Path), default=Path("data/triples.ttl"),
              show_default=True, help="Turtle file to count.")
def stats(graph_file: Path) -> None:
    """Count the graph's nodes by class, overall and per report.

    \b
    Example:
      kg stats --graph data/triples.ttl
    """
    from kg.stats import graph_stats
    from kg.store import load_graph

    click.echo(graph_stats(load_graph(graph_file)).describe())
