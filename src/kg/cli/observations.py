"""``kg table observations`` and ``kg eval-observations``."""

from __future__ import annotations

from pathlib import Path

import click
from rdflib import Variable

from kg.cli import EXIT_CODES, FORMAT_OPTION, GRAPH_OPTION, main, table
from kg.cli.compare import PERIOD
from kg.extract.observations import KINDS


@table.command(epilog=EXIT_CODES)
@GRAPH_OPTION
@FORMAT_OPTION
@click.option("--report", "reports", multiple=True,
              help="Only this report, as the table names it (河北省/2021) or by a part of it (河北, 2021); repeatable.")
@click.option("--kind", "kinds", multiple=True, type=click.Choice(list(KINDS)),
              help="Only this kind of value (repeat for several).")
@click.option("--period", help="Only this period, e.g. 2021 (or 2021H1, 2016-2020).")
@click.option("--indicator", help="Only indicators whose name contains this text, e.g. 生产总值.")
def observations(graph_file: Path, fmt: str, reports: tuple[str, ...], kinds: tuple[str, ...],
                 period: str | None, indicator: str | None) -> None:
    """Observations: report, section, indicator, value, unit, kind, direction, period, qualifier,
    place, sentence, then value_normalized, unit_normalized, start, end, iri.

    direction is up for a rise and down for a fall (增长3.9% and 下降3.9% are both 3.9). The options
    narrow the rows; an option that matches nothing is an error that lists what there is.

    \b
    Example:
      kg table observations --format csv > observations.csv
      kg table observations --report 河北省/2021 --kind target --period 2021
    """
    from kg.errors import InputError
    from kg.query import format_result, named_query, run_query
    from kg.store import load_graph

    if period is not None and not PERIOD.fullmatch(period):
        raise click.BadParameter(f"{period!r} is not a period such as 2021, 2021H1 or 2016-2020", param_hint="--period")
    result = run_query(load_graph(graph_file), named_query("observations"))
    rows = list(result.bindings)

    def value(row: object, name: str) -> str:
        return str(row.get(Variable(name)) or "")  # type: ignore[attr-defined]

    wanted = [("--report", lambda r: any(want == value(r, "report") or want in value(r, "report") for want in reports),
               bool(reports), "report"),
              ("--kind", lambda r: value(r, "kind") in kinds, bool(kinds), "kind"),
              ("--period", lambda r: value(r, "period") == period, period is not None, "period"),
              ("--indicator", lambda r: (indicator or "") in value(r, "indicator"), indicator is not None, "indicator")]
    for option, keep, given, column in wanted:
        if not given:
            continue
        kept = [r for r in rows if keep(r)]
        if not kept:
            known = sorted({value(r, column) for r in rows} - {""})
            shown = ", ".join(known[:20]) + (f" … ({len(known)} in all)" if len(known) > 20 else "")
            raise InputError(f"{graph_file}: no observations match {option}; {column} values here: {shown or 'none'}")
        rows = kept
    result.bindings = rows
    click.echo(format_result(result, fmt), nl=False)


@main.command("eval-observations", epilog=EXIT_CODES)
@click.argument("gold", nargs=-1, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--source", "source_dir", type=click.Path(path_type=Path, file_okay=False),
              default=Path("data/source"), show_default=True, help="Folder holding <report>.txt.")
@click.option("--details", is_flag=True, help="Also list missed and extra numbers and wrong attributes.")
def eval_observations(gold: tuple[Path, ...], source_dir: Path, details: bool) -> None:
    """Score observation extraction against hand annotation.

    GOLD files are tests/gold/observations-<report>.csv (default: all of them). Prints precision,
    recall and the accuracy of kind, unit, period, direction and qualifier (or indicator, for the
    corpus gold sets that name their report with '# input:') on the matches.

    \b
    Example:
      kg eval-observations tests/gold/observations-jiading-2021.csv --details
    """
    from kg.errors import InputError
    from kg.evaluate.anchored import evaluate_observations, is_anchored, observation_lines
    from kg.evaluate.observations import evaluate, report_lines

    files = list(gold) or sorted(Path("tests/gold").glob("observations-*.csv"))
    if not files:
        raise InputError("no gold files given and none in tests/gold/; name one, e.g. tests/gold/observations-x.csv")
    for path in files:
        if not path.is_file():
            raise InputError(f"{path}: no such gold file")
        if is_anchored(path):  # a corpus gold set: names its report with '# input:'
            click.echo("\n".join(observation_lines(evaluate_observations(path), details=details)))
        else:
            click.echo("\n".join(report_lines(evaluate(path, source_dir), details=details)))
