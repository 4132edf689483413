"""Counts by class, and by class within each report.

>>> from rdflib import Graph
>>> graph_stats(Graph())
Stats(by_class={}, by_report={})
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from rdflib import RDF, RDFS, Graph, URIRef

from kg.vocab.iri import local_name
from kg.vocab.namespace import KG


@dataclass(frozen=True)
class Stats:
    """``by_class``: class name → count; ``by_report``: report label → class name → count."""

    by_class: dict[str, int]
    by_report: dict[str, dict[str, int]]

    def describe(self) -> str:
        """A plain-text table."""
        lines = ["class                count"]
        lines += [f"{name:<20} {count:>6}" for name, count in self.by_class.items()]
        for report, counts in self.by_report.items():
            lines.append("")
            lines.append(report)
            lines += [f"  {name:<18} {count:>6}" for name, count in counts.items()]
        return "\n".join(lines)


def graph_stats(graph: Graph) -> Stats:
    """Count instances of each kg class, overall and per report (via ``kg:inReport``)."""
    namespace = str(KG._NS)
    overall: Counter[str] = Counter()
    per_report: dict[str, Counter[str]] = {}
    for node, cls in graph.subject_objects(RDF.type):
        if not isinstance(cls, URIRef) or not str(cls).startswith(namespace):
            continue
        name = local_name(cls)
        overall[name] += 1
        for report in graph.objects(node, KG.inReport):
            label = str(graph.value(report, RDFS.label) or report)
            per_report.setdefault(label, Counter())[name] += 1
    return Stats(
        by_class=dict(sorted(overall.items())),
        by_report={r: dict(sorted(c.items())) for r, c in sorted(per_report.items())},
    )
