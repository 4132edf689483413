"""``kg table observations`` and ``kg eval-observations``."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli import EXIT_CODES, FORMAT_OPTION, GRAPH_OPTION, main, print_named, table


@table.command(epilog=EXIT_CODES)
@GRAPH_OPTION
@FORMAT_OPTION
def observations(graph_file: Path, fmt: str) -> None:
    """Observations: report, section, indicator, value, unit, kind, direction, period, qualifier,
    place, sentence, then value_normalized, unit_normalized, start, end, iri.

    \b
    Example:
      kg table observations --format csv > observations.csv
    """
    print_named("observations", graph_file, fmt)


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
