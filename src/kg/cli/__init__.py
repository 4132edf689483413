"""The ``kg`` command line: a thin layer that parses arguments, calls one library function
and maps :class:`~kg.errors.KGError` to its exit code (0 ok, 1 data fails a check, 2 bad input).

Each command group lives in its own module of this package and registers itself on
:data:`main` when imported; the imports at the bottom of this file list them all.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, NoReturn

import click

from kg import __version__
from kg.errors import KGError
from kg.query.formats import TABLE_FORMATS

EXIT_CODES = """\b
Exit codes: 0 success · 1 the data fails a check · 2 bad input or usage · 3 built, some inputs skipped."""


class KGGroup(click.Group):
    """A click group that turns KGError into a one-line message and its exit code, and lists its
    commands with their whole first sentence (wrapped, never cut off)."""

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, command.get_short_help_str(limit=300)) for name in self.list_commands(ctx)
                if (command := self.get_command(ctx, name)) is not None and not command.hidden]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KGError as err:
            click.echo(f"kg: error: {err}", err=True)
            ctx.exit(err.exit_code)
        except click.UsageError as err:  # a bad option value or a missing argument: one line too
            _usage_error(err, ctx)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as err:  # `kg --bogus`
            _usage_error(err, ctx)


def _usage_error(err: click.UsageError, ctx: click.Context) -> NoReturn:
    """Print a usage error as kg prints every error, one line with the fix, and exit 2.

    Click's own display (usage, a hint, a blank line, then the error) takes four lines and puts
    what is wrong last; ``kg: error: kg build: invalid value for '--jobs' …; see kg build --help``
    says the same in one.
    """
    if type(err).__name__ == "NoArgsIsHelpError":  # bare `kg` or `kg table`: click prints the help
        raise err
    where = (err.ctx or ctx).command_path
    message = " ".join(err.format_message().split()).rstrip(".").replace(". Did you mean", "; did you mean")
    message = message[:1].lower() + message[1:]
    unreadable = re.search(r"'([^']+)' is not readable$", message)
    if unreadable:
        message += f"; check its permissions (ls -l {unreadable[1]}; chmod u+r {unreadable[1]})"
    click.echo(f"kg: error: {where}: {message}; see {where} --help", err=True)
    ctx.exit(err.exit_code)


def _item_name(item: Any) -> str:
    """What the progress bar shows for an item: a path's name, or the name of an item's path."""
    path = item if isinstance(item, Path) else getattr(item, "path", None)
    if isinstance(path, Path):
        return path.name
    origin = getattr(item, "origin", "")
    return Path(origin).name if origin else ""


def progress(label: str, length: int | None = None) -> Any:
    """A wrapper that iterates over items (paths, built reports) with a progress bar on stderr
    (when stderr is a terminal).

    Give ``length`` for a stream (a generator) so the bar does not have to read it all first.
    """

    def wrap(items: Iterable[Any]) -> Iterator[Any]:
        if not sys.stderr.isatty():  # a log or a pipe: no bar, and no label line before an error
            yield from items
            return
        items = items if length is not None or hasattr(items, "__len__") else list(items)
        with click.progressbar(
            items, length=length, label=label, file=sys.stderr, item_show_func=lambda p: _item_name(p) if p else ""
        ) as bar:
            yield from bar

    return wrap


@click.group(cls=KGGroup, epilog=EXIT_CODES, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="kg")
def main() -> None:
    """Build, check and explore a knowledge graph of government work reports.

    \b
    Example:
      kg build && kg validate && kg stats
    """




GRAPH_OPTION = click.option(
    "--graph", "graph_file", type=click.Path(path_type=Path), default=Path("data/triples.ttl"),
    show_default=True, help="Graph file or output folder (kg build -o DIR/) to read.",
)
FORMAT_OPTION = click.option(
    "--format", "fmt", type=click.Choice(TABLE_FORMATS), default="table",
    show_default=True, help="Output format.",
)


def print_named(name: str, graph_file: Path, fmt: str) -> None:
    """Print the catalogue query ``name`` run on ``graph_file`` (what each ``kg table`` does)."""
    from kg.query import format_result, named_query, run_query
    from kg.store import load_graph

    click.echo(format_result(run_query(load_graph(graph_file), named_query(name)), fmt), nl=False)


@main.group(cls=KGGroup, epilog=EXIT_CODES)
def table() -> None:
    """Print the graph's facts as tables (table, csv or json).

    \b
    Example:
      kg table observations --format csv
    """


# Command modules register themselves on `main` (or `table`) when imported.
from kg.cli import analysis as _analysis  # noqa: E402,F401
from kg.cli import build as _build  # noqa: E402,F401
from kg.cli import compare as _compare  # noqa: E402,F401
from kg.cli import corpus as _corpus  # noqa: E402,F401
from kg.cli import entities as _entities  # noqa: E402,F401
from kg.cli import observations as _observations  # noqa: E402,F401
from kg.cli import query as _query  # noqa: E402,F401
from kg.cli import view as _view  # noqa: E402,F401
