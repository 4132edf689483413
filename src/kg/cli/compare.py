"""``kg table targets`` (and its older name ``kg compare``): was each target met?"""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli import EXIT_CODES, FORMAT_OPTION, GRAPH_OPTION, main, table

#: Columns the ``table`` format shows (csv and json show every column).


def print_targets(graph_file: Path, fmt: str, period: str | None, verdicts: tuple[str, ...]) -> None:
    """Print the targets table of ``graph_file`` (what ``kg table targets`` does)."""
    from rdflib import Literal
    from rdflib.term import Node

    from kg.query import format_rows
    from kg.store import load_graph
    from kg.targets.reconcile import TargetRow, target_table

    rows = [r for r in target_table(load_graph(graph_file))
            if (period is None or r.target_period == period) and (not verdicts or r.verdict in verdicts)]
    columns = list(TargetRow.columns())
    if fmt == "table":
        columns = [*columns[:10], "reason"]
    cells: list[dict[str, Node]] = [
        {name: Literal(value) for name in columns if (value := getattr(row, name)) not in (None, "")}
        for row in rows
    ]
    click.echo(format_rows(columns, cells, fmt), nl=False)


PERIOD_OPTION = click.option("--period", help="Only targets for this period, e.g. 2021.")
VERDICT_OPTION = click.option(
    "--verdict", "verdicts", multiple=True,
    type=click.Choice(["met", "missed", "not_reported", "not_comparable", "open"]),
    help="Only rows with this verdict (repeat for several).",
)


@table.command("targets", epilog=EXIT_CODES)
@GRAPH_OPTION
@FORMAT_OPTION
@PERIOD_OPTION
@VERDICT_OPTION
def targets(graph_file: Path, fmt: str, period: str | None, verdicts: tuple[str, ...]) -> None:
    """Targets: indicator, target_value, target_unit, qualifier, target_period, outcome_value,
    outcome_unit, verdict, target_sentence, outcome_sentence, then extras (government, reports,
    directions, how the indicators matched, the reason, IRIs of both observations and sentences).

    Each target a report sets for its year is judged against what the same government's next
    report states for that year: met, missed, not_reported, not_comparable; targets for later
    years, or without a next report in the graph, stay open. The table format shows the first
    ten columns and the reason; csv and json show all.

    \b
    Example:
      kg table targets --period 2021 --format csv > targets-2021.csv
    """
    print_targets(graph_file, fmt, period, verdicts)


@main.command(epilog=EXIT_CODES)
@GRAPH_OPTION
@FORMAT_OPTION
@PERIOD_OPTION
@VERDICT_OPTION
def compare(graph_file: Path, fmt: str, period: str | None, verdicts: tuple[str, ...]) -> None:
    """Which targets were met? The same table as kg table targets (kept as a shorter name).

    \b
    Example:
      kg compare --verdict met --verdict missed
    """
    print_targets(graph_file, fmt, period, verdicts)
