"""Target verdicts scored against hand annotation of report pairs (``tests/gold/targets-*.csv``).

A gold file names the report that sets the targets and the one that reports on them::

    # input: data/corpora/state-council/government_work_reports.jsonl#40
    # outcome: data/corpora/state-council/government_work_reports.jsonl#39

and has one row per target number (``target_clause``, a unique quote holding it; the verdict a
reader gives; the outcome the later report states, or ``not stated``). Both reports are built
on their own, reconciled with :func:`kg.targets.target_table`, and compared row by row with
:func:`kg.targets.reconcile.score_targets`.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from kg.build import document_to_graph
from kg.errors import InputError
from kg.evaluate.anchored import load_document
from kg.targets.reconcile import GoldScore, score_targets, target_table

__all__ = ["evaluate_targets", "pair_of"]


def pair_of(path: str | Path) -> tuple[str, str]:
    """The ``# input:`` and ``# outcome:`` references of a target gold file."""
    path = Path(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    refs = {key: line.split(":", 1)[1].strip() for line in lines if line.startswith("#")
            for key in ("input", "outcome") if line.startswith(f"# {key}:")}
    missing = [key for key in ("input", "outcome") if key not in refs]
    if missing:
        raise InputError(f"{path}:1: no '# {missing[0]}: FILE[#N]' line; a target gold file names the report "
                         "that sets the targets (# input:) and the next one (# outcome:)")
    return refs["input"], refs["outcome"]


def evaluate_targets(path: str | Path) -> GoldScore:
    """Score the verdicts on the targets of a gold file's pair of reports."""
    source, outcome = pair_of(path)
    docs = [load_document(source), load_document(outcome)]
    graph = Graph()
    for doc in docs:
        document_to_graph(doc, graph)
    table = [row for row in target_table(graph) if row.target_report.endswith(f"/{docs[0].meta.year}")]
    return score_targets(table, path, source, text=docs[0].source.text)
