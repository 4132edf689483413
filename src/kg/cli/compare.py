"""``kg table targets`` (and its older name ``kg compare``): was each target met?"""

from __future__ import annotations

import re
from pathlib import Path

import click

from kg.cli import EXIT_CODES, FORMAT_OPTION, GRAPH_OPTION, main, table
from kg.targets.reconcile import VERDICTS

#: The columns the ``table`` format shows (csv and json show every column).
TABLE_VIEW = ("government", "target_report", "indicator", "target_value", "target_unit", "qualifier", "target_period",
              "outcome_value", "outcome_unit", "verdict", "margin", "reason")
PERIOD = re.compile(r"\d{4}(?:H[12])?(?:-\d{4})?")  # a period as the graph writes them


def print_targets(graph_file: Path, fmt: str, period: str | None, verdicts: tuple[str, ...],
                  government: str | None = None) -> None:
    """Print the targets table of ``graph_file`` (what ``kg table targets`` does), and on stderr a
    summary line of verdict counts."""
    from rdflib import Literal
    from rdflib.term import Node

    from kg.errors import InputError
    from kg.query import format_rows
    from kg.store import open_graph
    from kg.targets.reconcile import TargetRow, summary, target_table
    from kg.text.metadata import normalise_government

    if period is not None and not PERIOD.fullmatch(period):
        raise click.BadParameter(f"{period!r} is not a period such as 2021, 2021H1 or 2021-2025", param_hint="--period")
    table_rows = target_table(open_graph(graph_file))
    wanted = normalise_government(government) if government else None
    if wanted and not any(r.government == wanted for r in table_rows):
        known = ", ".join(sorted({r.government for r in table_rows})) or "none"
        raise InputError(f"{graph_file}: no targets of {wanted} (from --government {government}); "
                         f"governments with targets: {known}")
    if period and not any(r.target_period == period for r in table_rows):
        known = ", ".join(sorted({r.target_period for r in table_rows})) or "none"
        raise InputError(f"{graph_file}: no targets for period {period}; periods with targets: {known}")
    rows = [r for r in table_rows
            if (period is None or r.target_period == period) and (not verdicts or r.verdict in verdicts)
            and (wanted is None or r.government == wanted)]
    columns = list(TABLE_VIEW) if fmt == "table" else list(TargetRow.columns())
    cells: list[dict[str, Node]] = [
        {name: Literal(_shown(row, name, value) if fmt == "table" else value)
         for name in columns if (value := getattr(row, name)) not in (None, "")}
        for row in rows
    ]
    click.echo(format_rows(columns, cells, fmt), nl=False)
    counts = summary(rows)
    click.echo("(" + ", ".join(f"{n} {verdict.replace('_', ' ')}" for verdict, n in counts.items()) + ")", err=True)


def _shown(row: object, name: str, value: object) -> object:
    """A value as the table format shows it: a change with its sign (下降3.9% is −3.9, 增长3.9% is +3.9),
    a range as low–high, a report as government/year."""
    if name in ("target_report", "outcome_report"):
        return str(value).rsplit("/report/", 1)[-1]  # 河北省/2021
    if name not in ("target_value", "outcome_value"):
        return value
    side = name.split("_")[0]
    sign = {"up": "+", "down": "−"}.get(getattr(row, f"{side}_direction"), "")
    top = getattr(row, "target_max", None) if side == "target" else None
    return f"{sign}{value}" + (f"–{top}" if top is not None else "")


PERIOD_OPTION = click.option("--period", help="Only targets for this period, e.g. 2021 (or 2021H1, 2021-2025).")
GOVERNMENT_OPTION = click.option("--government",
                                 help="Only this government's targets, e.g. 河北省人民政府, 河北 or 国务院.")
VERDICT_OPTION = click.option(
    "--verdict", "verdicts", multiple=True,
    type=click.Choice(list(VERDICTS)),
    help="Only rows with this verdict (repeat for several).",
)


@table.command("targets", epilog=EXIT_CODES)
@GRAPH_OPTION
@FORMAT_OPTION
@PERIOD_OPTION
@GOVERNMENT_OPTION
@VERDICT_OPTION
def targets(graph_file: Path, fmt: str, period: str | None, government: str | None, verdicts: tuple[str, ...]) -> None:
    """Targets and their verdicts: was each target met by what the next report states?

    Columns: indicator, target_value, target_unit, qualifier, target_period, outcome_value,
    outcome_unit, verdict, target_sentence, outcome_sentence, then extras (government, reports,
    directions, how the indicators matched, the reason, IRIs of both observations and sentences,
    the margin, a range's upper bound, a verdict the next report states in words).

    Each target a report sets for its year is judged against what the same government's next
    report states for that year: met or missed (with the margin, outcome − target), not_reported,
    not_comparable (with the reason); targets for later years, or without a next report in the
    graph, stay open; no_target where a report says it sets none. The table format shows the
    government, the report, the target (a change with its sign, a range as low–high), the outcome,
    the verdict, the margin and the reason; csv and json show every column. A line of verdict
    counts follows on stderr.

    \b
    Example:
      kg table targets --period 2021 --government 河北 --format csv > targets-2021.csv
    """
    print_targets(graph_file, fmt, period, verdicts, government)


@main.command(epilog=EXIT_CODES)
@GRAPH_OPTION
@FORMAT_OPTION
@PERIOD_OPTION
@GOVERNMENT_OPTION
@VERDICT_OPTION
def compare(graph_file: Path, fmt: str, period: str | None, government: str | None, verdicts: tuple[str, ...]) -> None:
    """Which targets were met? The same table as kg table targets (kept as a shorter name).

    \b
    Example:
      kg compare --verdict met --verdict missed
    """
    print_targets(graph_file, fmt, period, verdicts, government)


@main.command("eval-targets", epilog=EXIT_CODES)
@click.argument("gold", nargs=-1, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--details", is_flag=True, help="Also list the rows whose verdict differs and the targets not found.")
def eval_targets(gold: tuple[Path, ...], details: bool) -> None:
    """Score target verdicts against hand annotation of report pairs.

    GOLD files are tests/gold/targets-*.csv (default: all of them); each names the report that
    sets the targets (# input:) and the next one (# outcome:). Prints, per pair, how many verdicts
    agree, how many met/missed verdicts are right, and how many of the outcomes the later report
    states were found; then the totals.

    \b
    Example:
      kg eval-targets tests/gold/targets-hebei-2021.csv --details
    """
    from kg.errors import InputError
    from kg.evaluate.targets import evaluate_targets
    from kg.targets.reconcile import GoldScore

    files = list(gold) or sorted(Path("tests/gold").glob("targets-*.csv"))
    if not files:
        raise InputError("no gold files given and none in tests/gold/; name one, e.g. tests/gold/targets-x.csv")
    scores = []
    for path in files:
        if not path.is_file():
            raise InputError(f"{path}: no such gold file")
        score = evaluate_targets(path)
        scores.append(score)
        click.echo(f"{path.name}: {score}")
        if details:
            for line in (*score.wrong, *(f"not found: {m}" for m in score.missing)):
                click.echo(f"  {line}")
    if len(files) > 1:
        click.echo(f"all {len(files)} pairs: {GoldScore.total(scores)}")
