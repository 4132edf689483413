"""pyvis as the Python-side API of the explorer: a graph as a :class:`pyvis.network.Network`.

:func:`to_pyvis` builds a Network with the explorer's styling (colours and shapes per class,
colours and dashes per relation, the seeded layout) from node and edge lists in one go:
pyvis's ``add_node``/``add_edge`` check each id against a list of all ids, so a loop of them is
quadratic, while ``nodes``, ``edges``, ``node_ids`` and ``node_map`` are plain attributes a
builder may fill directly. Adjust the result with the pyvis calls you know (``net.nodes[i]
["color"] = …``, ``net.add_node(…)``, ``net.set_options(…)``), then :func:`write_page` writes the
explorer page, offline, with your changes: the nodes and edges of the Network are what it
draws; the side panel (labels, observations, targets, sentences) comes from the graph the
Network was made from.

>>> from rdflib import Graph, Literal, URIRef
>>> from rdflib.namespace import RDF, SKOS
>>> from kg.vocab.namespace import KG
>>> g = Graph()
>>> a, b = URIRef("http://x/a"), URIRef("http://x/b")
>>> _ = g.add((a, RDF.type, KG.Project)); _ = g.add((a, SKOS.prefLabel, Literal("甲", lang="zh")))
>>> _ = g.add((b, RDF.type, KG.Place)); _ = g.add((a, KG.locatedIn, b))
>>> net = to_pyvis(g)
>>> [(n["label"], n["shape"]) for n in net.nodes], [(e["from"], e["to"]) for e in net.edges]
([('甲', 'dot'), ('b', 'triangle')], [('http://x/a', 'http://x/b')])
>>> net.nodes[0]["color"] = "#000000"
>>> "#000000" in render_page(net)
True
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import Graph

from kg.rdf.serialize import write_atomic
from kg.view.data import Edge, Node, explorer_data
from kg.view.page import MAX_NODES, ego_nodes, fill_page, prepare, resolve_node, stated_graph

if TYPE_CHECKING:
    from pyvis.network import Network

#: The vis-network node properties a Network's node may set that the page applies over its own styling.
NODE_KEYS = ("label", "color", "shape", "size", "title", "x", "y", "value", "font", "borderWidth", "hidden")


def _label(item: dict[str, Any]) -> str:
    return item["zh"] if item["zh"] == item["en"] else f"{item['zh']} {item['en']}"


def to_pyvis(
    graph: Graph, *, focus: str | None = None, depth: int = 1, whole: bool = False, seed: int = 0,
    height: str = "750px", max_nodes: int | None = MAX_NODES,
) -> Network:
    """``graph`` as a pyvis Network styled like the explorer, with the explorer's seeded layout.

    The Network holds what the explorer draws first: the entities and their stated relations
    (``whole=True``: every entity and every relation among them; ``focus``: that node's
    neighbourhood of radius ``depth``). Node ids are IRIs. Each node carries ``group`` (its
    class) and each edge ``relation`` (its relation's id in ``style.json``), for your own styling.
    """
    from pyvis.network import Network

    data = explorer_data(graph)
    if focus is not None:
        centre = resolve_node(data, focus)
        data["view"], data["focus"] = ego_nodes(data, centre, depth), centre
    data = prepare(data, seed=seed, title=None, max_nodes=max_nodes)
    classes = {c["id"]: c for c in data["classes"]}
    structure = {c["id"] for c in data["classes"] if c.get("structure")}
    nodes: list[Node] = data["nodes"]
    if "view" in data:
        keep = set(data["view"])
    elif whole:
        keep = {i for i, n in enumerate(nodes) if n.cls not in structure}
    else:
        keep = set(stated_graph(data)) or {i for i, n in enumerate(nodes) if n.cls not in structure}
    stated = {i for i, r in enumerate(data["relations"]) if r.get("stated")}
    net = Network(height=height, width="100%", directed=True, cdn_resources="in_line", notebook=False)
    for i in sorted(keep):
        n, c = nodes[i], classes.get(nodes[i].cls, classes["Other"])
        item: dict[str, Any] = {"id": n.id, "label": n.label, "shape": c["shape"], "color": c["color"],
                                "title": f"{n.label} · {_label(c)}", "group": n.cls, "value": 1 + n.degree}
        if n.x is not None:
            item["x"], item["y"] = n.x, n.y
        net.nodes.append(item)
        net.node_ids.append(n.id)
        net.node_map[n.id] = item
    edges: list[Edge] = data["edges"]
    for e in edges:
        r = data["relations"][e.relation]
        if e.head in keep and e.tail in keep and (whole or "view" in data or e.relation in stated):
            net.edges.append({"from": nodes[e.head].id, "to": nodes[e.tail].id, "color": r["color"],
                              "width": r.get("width", 1), "dashes": r.get("dashes", False),
                              "title": e.predicate or _label(r), "relation": r["id"],
                              "arrows": "" if r.get("symmetric") else "to"})
    net.set_options(json.dumps({k: v for k, v in data["options"].items() if k != "configure"}))
    net.kg_data = data  # type: ignore[attr-defined]  # the panel's details, for write_page
    return net


def _network_options(net: Network) -> dict[str, Any]:
    options = net.options
    if isinstance(options, dict):
        return options
    parsed: dict[str, Any] = json.loads(options.to_json())
    return parsed


def render_page(net: Network, *, title: str | None = None) -> str:
    """The explorer page drawing the nodes and edges of ``net``, with its pyvis options.

    Nodes and edges of ``net`` that the graph it was made from (:func:`to_pyvis`) knows keep
    their side panel; others (added with pyvis, or a Network not made by :func:`to_pyvis`) are
    drawn as class ``Other`` with their label. A node's ``color``, ``shape``, ``size``, ``label``,
    ``title``, ``x`` and ``y`` … (:data:`NODE_KEYS`) are drawn as the Network sets them.
    """
    data: dict[str, Any] = getattr(net, "kg_data", None) or prepare(explorer_data(Graph()), seed=0, title=title)
    data = dict(data)
    nodes: list[Node] = list(data["nodes"])
    index = {n.id: i for i, n in enumerate(nodes)}
    overrides: dict[str, dict[str, Any]] = {}
    view: list[int] = []
    for item in net.nodes:
        iri = str(item["id"])
        if iri not in index:
            index[iri] = len(nodes)
            nodes.append(Node(id=iri, label=str(item.get("label", iri)), cls="Other", reports=[], sections=[],
                              degree=0))
        view.append(index[iri])
        overrides[iri] = {k: item[k] for k in NODE_KEYS if k in item}
    relation_ix = {r["id"]: i for i, r in enumerate(data["relations"])}
    edges = []
    for e in net.edges:
        head, tail = index.get(str(e["from"])), index.get(str(e["to"]))
        if head is None or tail is None:
            continue
        rel = relation_ix.get(str(e.get("relation", "")), relation_ix["other"])
        edges.append(Edge(head=head, tail=tail, relation=rel,
                          predicate="" if rel != relation_ix["other"] else str(e.get("title", ""))))
    data.update(nodes=nodes, edges=sorted(set(edges)), view=sorted(set(view)), overrides=overrides)
    data.pop("first", None)
    options = _network_options(net)
    data["options"] = {**data.get("options", {}), **{k: v for k, v in options.items() if k != "configure"}}
    data["meta"] = {**data["meta"], "title": title or data["meta"]["title"], "physics": False}
    return fill_page(data)


def write_page(net: Network, path: str | Path, *, title: str | None = None) -> Path:
    """Write :func:`render_page` of ``net`` to ``path`` (atomically): the offline explorer page."""
    write_atomic(path, render_page(net, title=title))
    return Path(path)
