"""Analysis, stage 2: measures on a projection (:func:`kg.analysis.project`), each with a
documented meaning, and paths explained by the sentences behind each edge.

=================  ===============================================================================
metric             meaning (on an undirected graph whose edge ``weight`` counts sentences)
=================  ===============================================================================
``degree``         number of distinct neighbours
``strength``       sum of edge weights: how many sentence-links tie the node to others
``betweenness``    share of shortest paths (by hops) between other nodes that pass through it
``pagerank``       PageRank (damping 0.85) over weighted edges: where a reader hopping along
                   co-mentions ends up most often
``eigenvector``    eigenvector centrality, weighted, per connected component (undefined across
                   components); each component's unit vector scaled by √(its share of nodes)
``community``      Louvain community number (0 = the largest), seeded so results repeat
``core``           k-core number: the largest k such that the node is in a subgraph where
                   every node has at least k neighbours
=================  ===============================================================================

>>> g = nx.Graph([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")])
>>> scores(g, ["degree", "core"])["core"]
{'a': 2, 'b': 2, 'c': 2, 'd': 1}
>>> bridges(g), articulation_points(g)
([('c', 'd')], ['c'])
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import networkx as nx
from rdflib import XSD, Graph, Literal, URIRef

from kg.errors import InputError
from kg.vocab.namespace import KG

METRICS: tuple[str, ...] = ("degree", "strength", "betweenness", "pagerank", "eigenvector", "community", "core")
#: The RDF property each metric is written to by :func:`add_scores` (``kg analyze --write``).
SCORE_PROPERTIES: dict[str, URIRef] = {
    "degree": KG.degree, "strength": KG.strength, "betweenness": KG.betweenness, "pagerank": KG.pageRank,
    "eigenvector": KG.eigenvectorCentrality, "community": KG.community, "core": KG.coreNumber,
}
#: How many decimals scores keep: enough to rank, few enough that output is stable across BLAS builds.
DECIMALS = 8
#: Up to this many nodes betweenness is exact; above, it is estimated from this many sources.
EXACT_BETWEENNESS = 1000


def pagerank(graph: nx.Graph, *, weight: str | None = "weight") -> dict[str, float]:
    """PageRank (networkx's scipy implementation), damping 0.85; ``{}`` for an empty graph.

    >>> pagerank(nx.path_graph(["a", "b", "c"]))
    {'a': 0.25675676, 'b': 0.48648649, 'c': 0.25675676}
    """
    if graph.number_of_nodes() == 0:
        return {}
    return _rounded(nx.pagerank(graph, alpha=0.85, weight=weight, tol=1e-10, max_iter=1000))


def eigenvector(graph: nx.Graph, *, weight: str | None = "weight") -> dict[str, float]:
    """Eigenvector centrality per connected component, scaled by √(component size / n);
    isolated nodes get 0.

    >>> eigenvector(nx.Graph([("a", "b")]))
    {'a': 0.70710678, 'b': 0.70710678}
    """
    n = graph.number_of_nodes()
    out: dict[str, float] = {}
    for nodes in nx.connected_components(graph):
        if len(nodes) == 1:
            out.update(dict.fromkeys(nodes, 0.0))
            continue
        part = graph.subgraph(nodes)
        values = nx.eigenvector_centrality(part, weight=weight, max_iter=10_000, tol=1e-12)
        scale = math.sqrt(len(nodes) / n)
        out.update({k: abs(v) * scale for k, v in values.items()})
    return _rounded({k: out[k] for k in graph})


def betweenness(graph: nx.Graph, *, seed: int = 0) -> dict[str, float]:
    """Normalised betweenness centrality by hop count: exact up to :data:`EXACT_BETWEENNESS`
    nodes, above that estimated from that many source nodes drawn with ``seed`` (exact
    betweenness costs O(nodes × edges)).

    >>> betweenness(nx.path_graph(["a", "b", "c"]))
    {'a': 0.0, 'b': 1.0, 'c': 0.0}
    """
    n = graph.number_of_nodes()
    sample = EXACT_BETWEENNESS if n > EXACT_BETWEENNESS else None
    ordered = nx.Graph()  # the sample is drawn from the node order: make it independent of insertion
    ordered.add_nodes_from(sorted(graph))
    ordered.add_edges_from(graph.edges())
    return _rounded(nx.betweenness_centrality(ordered, k=sample, normalized=True, seed=seed))


def communities(graph: nx.Graph, *, seed: int = 0, resolution: float = 1.0) -> list[list[str]]:
    """Louvain communities (networkx's ``louvain_communities``, weighted, seeded), largest first
    (ties by their first member), each sorted.

    >>> two_triangles = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("x", "y"), ("y", "z"), ("x", "z"), ("c", "x")])
    >>> communities(two_triangles)
    [['a', 'b', 'c'], ['x', 'y', 'z']]
    """
    if graph.number_of_nodes() == 0:
        return []
    # Louvain visits nodes in an order drawn from the seed; a fixed node order keeps it repeatable.
    ordered = nx.Graph()
    ordered.add_nodes_from(sorted(graph))
    ordered.add_weighted_edges_from(
        sorted((min(u, v), max(u, v), w) for u, v, w in graph.edges(data="weight", default=1)))
    found = nx.community.louvain_communities(ordered, weight="weight", resolution=resolution, seed=seed)
    return sorted((sorted(c) for c in found), key=lambda c: (-len(c), c[0]))


def community_of(graph: nx.Graph, *, seed: int = 0, resolution: float = 1.0) -> dict[str, int]:
    """Each node's community number (0 is the largest) from :func:`communities`."""
    out = {node: i for i, members in enumerate(communities(graph, seed=seed, resolution=resolution))
           for node in members}
    return {k: out[k] for k in graph}


def core_numbers(graph: nx.Graph) -> dict[str, int]:
    """Each node's k-core number (self-loops ignored)."""
    simple = nx.Graph(graph)
    simple.remove_edges_from(list(nx.selfloop_edges(simple)))
    return dict(nx.core_number(simple))


def k_core(graph: nx.Graph, k: int | None = None) -> nx.Graph:
    """The k-core subgraph: nodes with at least ``k`` neighbours inside it (default: the main core)."""
    simple = nx.Graph(graph)
    simple.remove_edges_from(list(nx.selfloop_edges(simple)))
    return nx.k_core(simple, k)


def bridges(graph: nx.Graph) -> list[tuple[str, str]]:
    """Edges whose removal disconnects their component, each sorted, in sorted order."""
    return sorted((min(u, v), max(u, v)) for u, v in nx.bridges(graph))


def articulation_points(graph: nx.Graph) -> list[str]:
    """Nodes whose removal disconnects their component, sorted."""
    return sorted(nx.articulation_points(graph))


def scores(graph: nx.Graph, metrics: Sequence[str] = METRICS, *, seed: int = 0) -> dict[str, dict[str, float | int]]:
    """Compute each metric of ``metrics`` (see :data:`METRICS`): metric → node → value."""
    unknown = [m for m in metrics if m not in METRICS]
    if unknown:
        raise InputError(f"no metric {', '.join(map(repr, unknown))}; choose from {', '.join(METRICS)}")
    table: dict[str, dict[str, float | int]] = {}
    for metric in metrics:
        if metric == "degree":
            table[metric] = {n: int(d) for n, d in graph.degree()}
        elif metric == "strength":
            table[metric] = {n: int(d) for n, d in graph.degree(weight="weight")}
        elif metric == "betweenness":
            table[metric] = dict(betweenness(graph, seed=seed))
        elif metric == "pagerank":
            table[metric] = dict(pagerank(graph))
        elif metric == "eigenvector":
            table[metric] = dict(eigenvector(graph))
        elif metric == "community":
            table[metric] = dict(community_of(graph, seed=seed))
        else:
            table[metric] = dict(core_numbers(graph))
    return table


def ranking(graph: nx.Graph, metrics: Sequence[str] = METRICS, *, seed: int = 0, top: int | None = None,
            sort_by: str | None = None) -> list[dict[str, object]]:
    """One row per node (``node``, ``label``, ``class`` and each metric), highest ``sort_by``
    (default: the first metric) first, ties by label then IRI; the first ``top`` rows.

    >>> g = nx.Graph([("a", "b"), ("b", "c")])
    >>> [r["node"] for r in ranking(g, ["degree"], top=1)]
    ['b']
    """
    table = scores(graph, metrics, seed=seed)
    key = sort_by or (metrics[0] if metrics else None)
    rows = [{"node": n, "label": graph.nodes[n].get("label", n), "class": graph.nodes[n].get("class", ""),
             **{m: table[m][n] for m in metrics}} for n in graph]
    if key is not None:
        if key not in table:
            raise InputError(f"cannot sort by {key!r}: it is not one of the metrics asked for ({', '.join(metrics)})")
        ascending = key == "community"
        rows.sort(key=lambda r: ((r[key] if ascending else -r[key]), str(r["label"]), str(r["node"])))  # type: ignore[operator]
    return rows[:top] if top is not None else rows


def add_scores(rdf: Graph, table: dict[str, dict[str, float | int]]) -> int:
    """Write ``table`` (from :func:`scores`) into ``rdf`` as ``kg:pageRank``, ``kg:community`` …
    (see :data:`SCORE_PROPERTIES`), replacing earlier values of those properties, so SPARQL can
    sort by them. Returns the number of triples added.

    >>> rdf = Graph()
    >>> add_scores(rdf, {"pagerank": {"http://x/a": 0.5}, "degree": {"http://x/a": 2}})
    2
    >>> sorted(o.n3() for o in rdf.objects())
    ['"0.5"^^<http://www.w3.org/2001/XMLSchema#double>', '"2"^^<http://www.w3.org/2001/XMLSchema#integer>']
    """
    added = 0
    for metric, values in table.items():
        prop = SCORE_PROPERTIES[metric]
        rdf.remove((None, prop, None))
        for node, value in sorted(values.items()):
            literal = (Literal(int(value), datatype=XSD.integer) if isinstance(value, int)
                       else Literal(float(value), datatype=XSD.double))
            rdf.add((URIRef(node), prop, literal))
            added += 1
    return added


def resolve(graph: nx.Graph, name: str) -> str:
    """A node of ``graph`` by IRI, exact label or a lexicon alias (雄安 for 雄安新区); the error lists
    near matches or ambiguity.

    >>> g = nx.Graph(); g.add_node("http://x/a", label="嘉定区")
    >>> resolve(g, "嘉定区")
    'http://x/a'
    """
    if name in graph:
        return name
    hits = sorted(n for n, text in graph.nodes(data="label") if text == name)
    if len(hits) == 1:
        return hits[0]
    if hits:
        raise InputError(f"{name!r} labels {len(hits)} nodes ({', '.join(hits[:5])}); give the IRI instead")
    from kg.extract.lexicon import load_lexicon

    canonical = load_lexicon().forms.get(name)  # an alias, as the explorer accepts it: 雄安 → 雄安新区
    aliased = sorted(n for n, text in graph.nodes(data="label") if canonical and text == canonical)
    if len(aliased) == 1:
        return aliased[0]
    near = sorted(str(text) for _, text in graph.nodes(data="label") if text and (name in text or text in name))
    hint = f"; did you mean {', '.join(near[:5])}?" if near else "; kg query --named entities lists the labels"
    raise InputError(f"no entity {name!r} in this projection{hint}")


@dataclass(frozen=True)
class Step:
    """One edge of an explained path: from one entity to the next, and the sentences behind it."""

    source: str
    target: str
    source_label: str
    target_label: str
    relations: tuple[str, ...]
    sentences: tuple[tuple[str, str], ...]  # (sentence IRI, its text)


def explain_path(graph: nx.Graph, source: str, target: str, *, rdf: Graph | None = None) -> list[Step]:
    """The shortest path (fewest hops) from ``source`` to ``target`` (IRIs or labels), each
    step with the sentences behind its edge; sentence texts come from ``rdf`` when given.

    Raises :class:`~kg.errors.InputError` when either end is unknown or no path joins them.
    """
    start, end = resolve(graph, source), resolve(graph, target)
    try:
        nodes = nx.shortest_path(graph, start, end)
    except nx.NetworkXNoPath as err:
        raise InputError(f"no path joins {source!r} and {target!r} in this projection; "
                         "try --projection comention") from err
    edges = [(u, v, graph.edges[u, v]) for u, v in itertools.pairwise(nodes)]
    texts = sentence_texts(rdf, {s for _, _, d in edges for s in d.get("evidence", ())}) if rdf is not None else {}
    return [Step(u, v, graph.nodes[u].get("label", u), graph.nodes[v].get("label", v),
                 tuple(d.get("relations", ()) or d.get("via", ())),
                 tuple((s, texts.get(s, "")) for s in d.get("evidence", ())))
            for u, v, d in edges]


def sentence_texts(rdf: Graph, iris: Iterable[str]) -> dict[str, str]:
    """The text (``kg:text``) of each sentence IRI, by IRI."""
    from kg.analysis.projections import select

    wanted = sorted(set(iris))
    if not wanted:
        return {}
    values = " ".join(f"<{iri}>" for iri in wanted)
    return {s: t for s, t in select(rdf, f"SELECT ?s ?t WHERE {{ VALUES ?s {{ {values} }} ?s kg:text ?t }}")  # type: ignore[misc]
            if s is not None and t is not None}


def _rounded(values: dict[str, float]) -> dict[str, float]:
    return {k: round(float(v), DECIMALS) + 0.0 for k, v in values.items()}
