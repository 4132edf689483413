"""``kg corpus``: make a corpus of variant reports for benchmarks at scale."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli import EXIT_CODES, main


@main.command(epilog=EXIT_CODES)
@click.argument("count", type=click.IntRange(min=1), metavar="N")
@click.option("-o", "--output", type=click.Path(path_type=Path, file_okay=False), required=True,
              help="Folder to write the reports to (rNNNN-YEAR.txt).")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed: the same N and seed give the same bytes.")
@click.option("--source", "sources", multiple=True, type=click.Path(path_type=Path, dir_okay=False),
              help="A real report to vary (repeatable).  [default: data/source/*.txt]")
def corpus(count: int, output: Path, seed: int, sources: tuple[Path, ...]) -> None:
    """Write N variant reports made from the real ones: other governments and years, numbers
    perturbed, paragraphs recombined (for benchmarks; not real data).

    \b
    Example:
      kg corpus 100 -o build/corpus-100 && kg build build/corpus-100/*.txt -o build/corpus-100.ttl
    """
    from kg.synthetic import write_corpus

    result = write_corpus(count, output, seed=seed, sources=sources or None)
    click.echo(f"wrote {len(result.paths)} reports ({result.chars} characters) to {result.folder}", err=True)
