"""Check a graph against the SHACL shapes in ``ontology/shapes*.ttl``.

>>> from rdflib import Graph
>>> validate_graph(Graph()).conforms
True
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import RDF, Graph, Namespace, URIRef
from rdflib.term import Node

from kg.resources import shapes_files
from kg.vocab.iri import PREFIXES
from kg.vocab.namespace import KG

SH = Namespace("http://www.w3.org/ns/shacl#")


@dataclass(frozen=True)
class Violation:
    """One SHACL result, with the sentence the focus node comes from when there is one."""

    focus: str
    path: str | None
    message: str
    severity: str
    sentence: str | None

    def describe(self) -> str:
        """A few readable lines: severity, focus node, path, message, sentence."""
        lines = [f"{self.severity}: {self.focus}"]
        if self.path:
            lines.append(f"  path:     {self.path}")
        lines.append(f"  problem:  {self.message}")
        if self.sentence:
            lines.append(f"  sentence: {self.sentence}")
        return "\n".join(lines)


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of :func:`validate_graph`."""

    conforms: bool
    violations: tuple[Violation, ...]

    def describe(self) -> str:
        """A readable report of every violation (or a one-line all-clear)."""
        if self.conforms:
            return "The graph conforms to the kg shapes."
        body = "\n\n".join(v.describe() for v in self.violations)
        return f"{body}\n\n{len(self.violations)} violation(s): the graph does not conform."


def _sentence_of(graph: Graph, node: Node) -> str | None:
    if (node, RDF.type, KG.Sentence) in graph:
        text = graph.value(node, KG.text)
        return str(text) if text is not None else None
    sentence = graph.value(node, KG.sentence)
    if sentence is not None:
        text = graph.value(sentence, KG.text)
        return str(text) if text is not None else None
    return None


def validate_graph(graph: Graph, shapes: list[Path] | None = None) -> ValidationReport:
    """Validate ``graph`` against the shapes; never raises for non-conformance."""
    shapes_graph = Graph()
    for path in shapes or shapes_files():
        shapes_graph.parse(path, format="turtle")
    conforms, results, _ = shacl_validate(
        graph, shacl_graph=shapes_graph, inference="none", advanced=True, allow_warnings=True
    )
    assert isinstance(results, Graph)
    violations = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        result_path = results.value(result, SH.resultPath)
        messages = sorted(str(m) for m in results.objects(result, SH.resultMessage))
        severity = results.value(result, SH.resultSeverity)
        violations.append(
            Violation(
                focus=_n3(graph, focus),
                path=_n3(graph, result_path) if result_path is not None else None,
                message="; ".join(messages) or "constraint violated",
                severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
                sentence=_sentence_of(graph, focus) if focus is not None else None,
            )
        )
    violations.sort(key=lambda v: (v.focus, v.path or "", v.message))
    return ValidationReport(bool(conforms), tuple(violations))


def _n3(graph: Graph, node: Node | None) -> str:
    """A node as people read it: compacted with the project's prefixes (whatever the file bound)."""
    if isinstance(node, URIRef):
        text = str(node)
        for prefix, namespace in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
            local = text[len(namespace):]
            if text.startswith(namespace) and local and all(c.isalnum() or c in "_-" for c in local):
                return f"{prefix}:{local}"
        return f"<{text}>"
    return str(node)
