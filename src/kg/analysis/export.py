"""Analysis, stage 3: a projection (:func:`kg.analysis.project`) written for other tools.

==========  =========================================================================
format      for
==========  =========================================================================
``graphml`` Gephi, Cytoscape, yEd, ``networkx.read_graphml`` (nodes, edges, all attributes)
``gexf``    Gephi's own format
``csv``     pandas and spreadsheets: one row per edge, with both labels and the evidence
``jsonld``  RDF tools: the entities (class, label) and the statements behind each edge
``nt``      the same RDF as sorted N-Triples, one triple per line
==========  =========================================================================

Sequences (``evidence``, ``relations``, ``via``) become one text value in GraphML, GEXF and CSV:
sentence IRIs joined by spaces, relation names by ``|``. Output is deterministic: nodes and
edges sorted, the same graph gives the same bytes.

>>> g = nx.Graph()
>>> g.add_node("http://x/a", label="甲", **{"class": "Place"})
>>> g.add_edge("http://x/a", "http://x/b", weight=2, relations=("coMentionedWith",), evidence=("http://x/s/1",))
>>> print(export_text(g, "csv"), end="")
source,target,source_label,target_label,weight,relations,evidence
http://x/a,http://x/b,甲,,2,coMentionedWith,http://x/s/1
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import networkx as nx
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from kg.errors import InputError
from kg.rdf.serialize import write_atomic
from kg.vocab.iri import PREFIXES, bind_prefixes
from kg.vocab.namespace import KG

FORMATS: tuple[str, ...] = ("graphml", "gexf", "jsonld", "nt", "csv")
_JOINERS = {"relations": "|", "evidence": " ", "via": " "}
_DROPPED = ("statements",)  # only the RDF formats use them; they repeat relations otherwise


def flat(graph: nx.Graph) -> nx.Graph:
    """A copy with sorted nodes and edges whose sequence attributes are joined into text and
    without ``statements``: what GraphML and GEXF can store.

    >>> g = nx.Graph(); g.add_edge("a", "b", evidence=("s1", "s2"), statements=())
    >>> flat(g).edges["a", "b"]
    {'evidence': 's1 s2'}
    """
    result = nx.Graph()
    result.graph.update({k: v for k, v in graph.graph.items() if isinstance(v, (str, int, float))})
    for node in sorted(graph):
        result.add_node(node, **_scalars(graph.nodes[node]))
    for u, v in sorted((min(u, v), max(u, v)) for u, v in graph.edges()):
        result.add_edge(u, v, **_scalars(graph.edges[u, v]))
    return result


def _scalars(data: dict[str, object]) -> dict[str, object]:
    out: dict[str, object] = {}
    for key, value in sorted(data.items()):
        if key in _DROPPED or value is None:
            continue
        if isinstance(value, (tuple, list, set, frozenset)):
            value = _JOINERS.get(key, " ").join(
                str(v) for v in (sorted(value) if isinstance(value, (set, frozenset)) else value))
        out[key] = value
    return out


def to_rdf(graph: nx.Graph) -> Graph:
    """The projection as RDF: each node's class and label, and each edge's ``statements``
    (``kg:locatedIn``, ``kg:coMentionedWith`` …); edges without statements are left out.

    >>> g = nx.Graph(); g.add_edge("http://x/a", "http://x/b", statements=(("http://x/a", "locatedIn", "http://x/b"),))
    >>> len(to_rdf(g))
    1
    """
    result = Graph()
    bind_prefixes(result)
    for node, data in graph.nodes(data=True):
        if data.get("class"):
            result.add((URIRef(node), RDF.type, KG[str(data["class"])]))
        if data.get("label"):
            result.add((URIRef(node), SKOS.prefLabel, Literal(str(data["label"]), lang="zh")))
    for _, _, statements in graph.edges(data="statements", default=()):
        for s, p, o in statements:
            result.add((URIRef(s), KG[p], URIRef(o)))
    return result


def scored_graph(rdf: Graph, table: dict[str, dict[str, float | int]]) -> Graph:
    """A plain in-memory copy of ``rdf`` (any backend; ``xsd:string`` literals made plain, as
    in the built Turtle) with the scores of ``table`` added by :func:`kg.analysis.metrics.add_scores`:
    what ``kg analyze --write`` serialises.

    >>> len(scored_graph(Graph(), {"degree": {"http://x/a": 1}}))
    1
    """
    from kg.analysis.metrics import add_scores
    from kg.query import plain

    result = Graph()
    bind_prefixes(result)
    for s, p, o in rdf.triples((None, None, None)):
        result.add((s, p, plain(o)))
    add_scores(result, table)
    return result


def export_text(graph: nx.Graph, fmt: str) -> str:
    """The projection ``graph`` in format ``fmt`` (one of :data:`FORMATS`) as text."""
    if fmt not in FORMATS:
        raise InputError(f"no export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["source", "target", "source_label", "target_label", "weight", "relations", "evidence"])
        for u, v in sorted((min(u, v), max(u, v)) for u, v in graph.edges()):
            data = _scalars(graph.edges[u, v])
            writer.writerow([u, v, graph.nodes[u].get("label", ""), graph.nodes[v].get("label", ""),
                             data.get("weight", 1), data.get("relations", ""), data.get("evidence", "")])
        return buffer.getvalue()
    if fmt in ("graphml", "gexf"):
        lines = (nx.generate_graphml if fmt == "graphml" else nx.generate_gexf)(flat(graph))
        return "\n".join(lines) + "\n"
    rdf = to_rdf(graph)
    if fmt == "nt":
        return "".join(sorted(set(rdf.serialize(format="nt").splitlines(keepends=True)) - {"\n"}))
    return rdf.serialize(format="json-ld", context=PREFIXES, indent=2, sort_keys=True) + "\n"


def write_export(graph: nx.Graph, fmt: str, output: str | Path | None = None) -> None:
    """Write :func:`export_text` to ``output`` atomically, or as UTF-8 bytes to stdout when
    ``output`` is ``None`` or ``"-"`` (whatever the terminal's encoding)."""
    text = export_text(graph, fmt)
    if output is None or str(output) == "-":
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.buffer.flush()
        return
    try:
        write_atomic(output, text)
    except OSError as err:
        raise InputError(f"{output}: cannot write the export ({err.strerror or err}); check the folder exists") from err
