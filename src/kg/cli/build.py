"""``kg build``, ``kg validate`` and ``kg stats``."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli import EXIT_CODES, FORMAT_OPTION, GRAPH_OPTION, main, print_named, progress, table


@main.command(epilog=EXIT_CODES)
@click.argument("reports", nargs=-1, type=click.Path(path_type=Path))
@click.option("-o", "--output", "output_name", type=click.Path(), default="data/triples.ttl",
              show_default=True,
              help="File to write (atomically); its suffix picks the format: .ttl Turtle (all reports in one "
                   "graph), .trig or .nq (each report in its own named graph), .nt N-Triples. A path ending "
                   "in / or an existing directory is an output folder: one N-Quads file per named graph plus "
                   "manifest.json; a rebuild rewrites only the files that changed.")
@click.option("-j", "--jobs", type=click.IntRange(0), default=1, show_default=True,
              help="Reports built in parallel processes (0: one per CPU). Output is identical to --jobs 1.")
@click.option("--encoding", help="Text encoding of the reports when not UTF-8, e.g. gb18030.")
@click.option("--government", help="Override the government read from the text, e.g. 河北省人民政府.")
@click.option("--year", type=click.IntRange(1949, 2100), help="Override the report year read from the text.")
@click.option("--manifest", type=click.Path(path_type=Path, dir_okay=False),
              help="CSV of per-input overrides: columns input (a path, or path#N for record N of a dataset) "
                   "and any of government, year, title.")
@click.option("--text-field", help="The JSONL field or CSV column holding the report text "
                                   "(default: the first of content, full_text, text, 正文, body).")
@click.option("--strict", is_flag=True,
              help="Fail (exit 2, nothing written) if any input cannot be built, instead of skipping it.")
@click.option("--cache", "cache_dir", type=click.Path(path_type=Path, file_okay=False), default=Path("build/cache"),
              show_default=True,
              help="Folder of built reports, keyed by each report's content and the code, lexicons and options "
                   "that shape it: a rebuild builds only what changed. Output is identical without it.")
@click.option("--no-cache", is_flag=True, help="Build every report, and neither read nor write the cache.")
@click.option("--scheduler", metavar="ADDRESS",
              help="Run each report's build on a Dask cluster, e.g. tcp://HOST:8786 (every worker needs the "
                   "same kg installed); the merge runs here. Output is identical to a local build.")
def build(reports: tuple[Path, ...], output_name: str, jobs: int, encoding: str | None, government: str | None,
          year: int | None, manifest: Path | None, text_field: str | None, strict: bool, cache_dir: Path,
          no_cache: bool, scheduler: str | None) -> None:
    """Build the graph from REPORTS (default: every data/source/*.txt).

    REPORTS are report files (.txt), folders of them, and datasets: JSONL (one report per line)
    or CSV (one per row), with the text in a content/full_text/text field and metadata
    (title, year, province, publish_date) in the others. Reads each report's body, metadata,
    sections and sentences, extracts indicators, targets, entities and relations, and writes
    deterministic RDF: the same input gives byte-identical output, however many --jobs, on a
    Dask cluster (--scheduler) or not, from the cache or not.

    Built reports are cached (--cache, default build/cache): a rebuild after adding a report
    builds that report alone; a change to a lexicon, rule table or the code rebuilds all.

    -o DIR/ (a path ending in /, or an existing directory) writes an output folder: one N-Quads
    file per report's named graph, one for the cross-report links, and manifest.json listing
    them in graph-name order with their graph IRIs, sizes and SHA-256. Joined in that order they
    are the -o FILE.nq output byte for byte. A rebuild writes only the files whose content
    changed (each via a temporary file and a rename, the manifest last) and removes those of
    reports no longer in the input. Every --graph option reads such a folder.

    An input that is not a report (a resolution, a page shell, a collector's manifest) or
    cannot be read is skipped with its reason; the others are built and written, and the
    command exits 3. With --strict any skip is fatal.

    \b
    Examples:
      kg build
      kg build data/corpora -o build/corpus.trig --jobs 2
      kg build my-report.txt -o build/my.ttl --government 河北省人民政府 --year 2022
      kg build data/source -o build/all.ttl --no-cache
      kg build data/source -o build/by-report/ --jobs 2
    """
    import contextlib
    import os
    from contextlib import ExitStack

    from kg.build import build as run_build
    from kg.build import default_sources, output_format
    from kg.build.executors import dask_executor
    from kg.errors import EXIT_SKIPPED

    if (government or year) and len(reports) != 1:
        raise click.UsageError("--government and --year apply to one report; name exactly one REPORT "
                               "(or give per-input values with --manifest)")
    output = Path(output_name)
    is_folder = output_format(output_name) == "folder"  # and a bad suffix is refused before any work
    files = list(reports) or default_sources()
    # Folders the build makes for its output: removed again if it fails, so nothing is left behind.
    made = [folder for folder in ((output, *output.parents) if is_folder else (output.parent, *output.parent.parents))
            if not folder.exists()]
    if not no_cache:  # and the cache's, if this build makes it and fails before storing anything
        made += [folder for folder in (cache_dir, *cache_dir.parents) if not folder.exists() and folder not in made]
        made.sort(key=lambda folder: len(folder.parts), reverse=True)  # deepest first
    try:
        with ExitStack() as stack:
            executor = stack.enter_context(dask_executor(scheduler)) if scheduler else None
            result = run_build(files, output_name, government=government, year=year, encoding=encoding,
                               jobs=jobs or os.cpu_count() or 1, text_field=text_field, manifest=manifest,
                               strict=strict, executor=executor, cache=None if no_cache else cache_dir,
                               progress=progress("building reports"),
                               on_note=lambda note: click.echo(f"kg: note: {note}", err=True))
    except BaseException:
        for folder in made:  # deepest first
            with contextlib.suppress(OSError):
                folder.rmdir()  # only if empty
        raise
    unit = "quads" if is_folder or output.suffix.lower() in (".trig", ".nq") else "triples"
    for skipped in result.skipped:
        click.echo(f"kg: skipped {skipped.message()}", err=True)
    if result.cached:
        click.echo(f"kg: {result.stats.describe()} ({cache_dir})", err=True)
    tail = f", skipped {len(result.skipped)} input(s) (listed above)" if result.skipped else ""
    counts = f"{result.triples} {unit} from {result.reports} report(s){tail}"
    click.echo(f"{result.output} is up to date (nothing written): {counts}" if result.unchanged
               else f"wrote {result.output}: {counts}", err=True)
    if result.skipped:
        click.get_current_context().exit(EXIT_SKIPPED)


@main.command(epilog=EXIT_CODES)
@click.option("--graph", "graph_file", type=click.Path(path_type=Path), default=Path("data/triples.ttl"),
              show_default=True, help="Graph file or output folder (kg build -o DIR/) to check.")
def validate(graph_file: Path) -> None:
    """Check the graph against the SHACL shapes in ontology/shapes.ttl.

    Prints each violation with its focus node, path and source sentence.
    Exits 1 when the graph does not conform.

    \b
    Example:
      kg validate --graph data/triples.ttl
    """
    from kg.errors import ValidationFailed
    from kg.rdf.validate import validate_graph
    from kg.store import load_graph

    report = validate_graph(load_graph(graph_file))
    if not report.conforms:
        click.echo(report.describe())
        raise ValidationFailed(f"{graph_file}: {len(report.violations)} SHACL violation(s)")
    click.echo(f"{graph_file}: {report.describe()}", err=True)


@main.command(epilog=EXIT_CODES)
@click.option("--graph", "graph_file", type=click.Path(path_type=Path), default=Path("data/triples.ttl"),
              show_default=True, help="Graph file or output folder (kg build -o DIR/) to count.")
def stats(graph_file: Path) -> None:
    """Count the graph's nodes by class, overall and per report.

    \b
    Example:
      kg stats --graph data/triples.ttl
    """
    from kg.rdf.stats import graph_stats
    from kg.store import load_graph

    click.echo(graph_stats(load_graph(graph_file)).describe())


@table.command("reports", epilog=EXIT_CODES)
@GRAPH_OPTION
@FORMAT_OPTION
def reports_table(graph_file: Path, fmt: str) -> None:
    """Reports: government, level, year, delivery date, speaker and role, kind of text (full,
    abstract, excerpt, press), source file and page, and counts of sections and sentences.

    \b
    Example:
      kg table reports --graph build/corpus.trig --format csv
    """
    print_named("reports", graph_file, fmt)
