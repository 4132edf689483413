"""The targets view — one offline HTML page with every target, its outcome and its verdict.

The node explorer holds a node per entity and refuses a corpus; this page is built from the
targets table (:func:`kg.targets.reconcile.target_table`) alone, so it opens on the whole shipped
corpus (every government and year). Each target is a row: the indicator, the government, the
year of the report that set it, the period it is for, target and outcome as stated, the verdict
(met, missed, not_reported, not_comparable, open) with its reason, and the two sentences. The
page colours and filters by verdict, government and year, draws per indicator and government a
small timeline of target against outcome, and shows both sentences on a click.

As in the explorer, the data travels as JSON inside ``<script type="application/json">`` with
``<``, ``>`` and ``&`` escaped, the script writes text with ``textContent`` only, and a
Content-Security-Policy allows the page's own script (by hash) and nothing from any other origin.

>>> from rdflib import Graph
>>> page = render_targets(Graph())
>>> page.startswith("<!DOCTYPE html>"), "没有目标 No targets" in page
(True, True)
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

from rdflib import Graph

from kg.rdf.serialize import write_atomic
from kg.view.data import STATIC
from kg.view.page import _safe_json, _script_hash

DEFAULT_TARGETS_OUTPUT = Path("build/targets.html")
#: The verdicts, in the order the page lists them, with the colour each is drawn in.
VERDICT_COLOURS = {"met": "#1a7f37", "missed": "#cf222e", "not_reported": "#8c959f",
                   "not_comparable": "#bc4c00", "open": "#0969da"}


class TargetView(NamedTuple):
    """One target of the page (table ``targets``); ints index the other tables."""

    indicator: int  #: index in ``indicators``
    government: int  #: index in ``governments``
    year: int  #: the year of the report that set the target (0 if the graph does not say)
    period: str  #: the period the target is for: 2021, 2021H1, 2021-2025 …
    target: str  #: the target as stated: value, unit and qualifier
    target_value: float  #: for the timeline
    outcome: str  #: the outcome as stated, "" while there is none
    outcome_value: float | None
    verdict: str
    reason: str
    target_sentence: int  #: index in ``sentences``
    outcome_sentence: int | None
    unit: str  #: the target's unit; the timeline draws one unit per indicator and government
    outcome_unit: str  #: the outcome's unit: the timeline draws an outcome only in the target's unit


class SentenceView(NamedTuple):
    """A sentence the page quotes (table ``sentences``)."""

    text: str
    report: str  #: the report it is in, as government and year


#: The field names of each table, travelling once with the data (as in the explorer).
TARGET_COLUMNS = {"targets": TargetView._fields, "sentences": SentenceView._fields}


def _year_of(graph: Graph) -> dict[str, tuple[str, int]]:
    """Each report IRI's government and year."""
    query = """PREFIX kg: <https://w3id.org/policykg/ontology#>
        SELECT ?r ?gov ?year WHERE { ?r a kg:Report ; kg:government ?gov ; kg:year ?year }"""
    out: dict[str, tuple[str, int]] = {}
    for row in graph.query(query):
        r, gov, year = row  # type: ignore[misc]
        try:
            out[str(r)] = (str(gov), int(str(year)))
        except ValueError:
            out[str(r)] = (str(gov), 0)
    return out


def targets_data(graph: Graph) -> dict[str, Any]:
    """The targets table of ``graph`` as the page's compact tables.

    ``targets`` (:class:`TargetView` rows), ``sentences`` (each quoted sentence once),
    ``indicators`` and ``governments`` (names, indexed by the rows), ``columns`` and ``verdicts``.
    """
    from kg.targets.reconcile import target_table

    reports = _year_of(graph)
    indicators: dict[str, int] = {}
    governments: dict[str, int] = {}
    sentences: dict[tuple[str, str], int] = {}

    def sentence(text: str, report: str) -> int:
        gov, year = reports.get(report, ("", 0))
        where = f"{gov} {year}年报告" if gov else report.rsplit("/", 1)[-1]
        return sentences.setdefault((text, where), len(sentences))

    rows = []
    for row in target_table(graph):
        outcome = f"{row.outcome_value}{row.outcome_unit}" if row.outcome_value is not None else ""
        rows.append(TargetView(
            indicator=indicators.setdefault(row.indicator, len(indicators)),
            government=governments.setdefault(row.government, len(governments)),
            year=reports.get(row.target_report, ("", 0))[1], period=row.target_period,
            target=f"{row.target_value}{row.target_unit} {row.qualifier.replace('|', ' ')}".strip(),
            target_value=float(row.target_value), outcome=outcome,
            outcome_value=float(row.outcome_value) if isinstance(row.outcome_value, Decimal) else None,
            verdict=row.verdict, reason=row.reason,
            target_sentence=sentence(row.target_sentence, row.target_report),
            outcome_sentence=sentence(row.outcome_sentence, row.outcome_report) if row.outcome_sentence else None,
            unit=row.target_unit, outcome_unit=row.outcome_unit))
    return {
        "columns": TARGET_COLUMNS, "targets": rows,
        "sentences": [SentenceView(text=text, report=where) for text, where in sentences],
        "indicators": list(indicators), "governments": list(governments),
        "verdicts": [{"id": v, "color": c} for v, c in VERDICT_COLOURS.items()],
    }


def render_targets(graph: Graph, *, title: str | None = None) -> str:
    """One self-contained HTML page of every target in ``graph`` with its verdict."""
    data = targets_data(graph)
    years = sorted({r.year for r in data["targets"] if r.year})
    if title is None:
        span = f" {years[0]}–{years[-1]}" if len(years) > 1 else (f" {years[0]}" if years else "")
        title = f"目标与结果 Targets and outcomes · {len(data['governments'])} 个政府 governments{span}"
    data["meta"] = {"title": title}
    template = (STATIC / "targets.html").read_text(encoding="utf-8")
    app = (STATIC / "targets.js").read_text(encoding="utf-8")
    css = (STATIC / "targets.css").read_text(encoding="utf-8")
    if re.search(r"</script|<!--", app, re.IGNORECASE):
        raise RuntimeError("the inlined script contains '</script' or '<!--'")
    csp = (f"default-src 'none'; script-src {_script_hash(app)}; style-src 'unsafe-inline'; "
           "img-src data:; base-uri 'none'; form-action 'none'")
    parts = {"CSP": csp, "CSS": css, "APP": app, "DATA": _safe_json(data),
             "TITLE": title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")}
    return re.sub(r"\{\{([A-Z]+)\}\}", lambda m: parts[m.group(1)], template)


def write_targets_view(graph: Graph, output: str | Path = DEFAULT_TARGETS_OUTPUT, *, title: str | None = None) -> Path:
    """Write the targets page for ``graph`` to ``output`` (atomically) and return its path."""
    write_atomic(output, render_targets(graph, title=title))
    return Path(output)
