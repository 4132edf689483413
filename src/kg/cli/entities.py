"""``kg table entities``, ``kg table relations`` and ``kg eval-entities``."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli import EXIT_CODES, FORMAT_OPTION, GRAPH_OPTION, main, print_named, table


@table.command(epilog=EXIT_CODES)
@GRAPH_OPTION
@FORMAT_OPTION
def entities(graph_file: Path, fmt: str) -> None:
    """Entities: iri, type, label, aliases (|-separated), mentions (sentences naming it).

    \b
    Example:
      kg table entities --format csv > entities.csv
    """
    print_named("entities", graph_file, fmt)


@table.command(epilog=EXIT_CODES)
@GRAPH_OPTION
@FORMAT_OPTION
def relations(graph_file: Path, fmt: str) -> None:
    """Relations the text states: subject, relation, object (labels), evidence sentence, report.

    Every sub-property of kg:relatedTo in the ontology (locatedIn, partOf, inIndustry, partnerOf,
    organizedBy, issuedBy, about); a figure is about the entity it measures (subject: its label).

    \b
    Example:
      kg table relations --format json
    """
    print_named("relations", graph_file, fmt)


@main.command("eval-entities", epilog=EXIT_CODES)
@click.argument("gold", nargs=-1, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--source", "source_dir", type=click.Path(path_type=Path, file_okay=False),
              default=Path("data/source"), show_default=True, help="Folder holding <report>.txt.")
@click.option("--details", is_flag=True, help="Also list missed, spurious and mistyped entities and wrong relations.")
def eval_entities(gold: tuple[Path, ...], source_dir: Path, details: bool) -> None:
    """Score entity and relation extraction against hand annotation.

    GOLD files are tests/gold/entities-<report>[.<name>].csv (default: all of them). Prints
    precision and recall by type, type accuracy and relation precision.

    \b
    Example:
      kg eval-entities tests/gold/entities-jiading-2021.csv --details
    """
    from kg.errors import InputError
    from kg.evaluate.anchored import evaluate_entities, is_anchored
    from kg.evaluate.entities import evaluate

    files = list(gold) or sorted(Path("tests/gold").glob("entities-*.csv"))
    files = [f for f in files if not f.name.endswith(".relations.csv")]
    if not files:
        raise InputError("no gold files given and none in tests/gold/; name one, e.g. tests/gold/entities-x.csv")
    for path in files:
        if not path.is_file():
            raise InputError(f"{path}: no such gold file")
        if is_anchored(path):  # a corpus gold set: names its report with '# input:'
            click.echo(evaluate_entities(path).describe(details=details))
        else:
            click.echo(evaluate(path, source_dir).describe(details=details))
