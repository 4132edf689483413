"""Seeded, deterministic node positions for the explorer (no physics needed to read the graph).

Each connected component is laid out on its own: small components with networkx's
Fruchterman-Reingold ``spring_layout(seed=...)``, large ones with a radial tree (linear time,
so a 20,000-node graph is placed in well under a second), and the components are then packed
in rows, largest first. Coordinates are vis-network pixels, rounded so the page is stable.

>>> import networkx as nx
>>> g = nx.path_graph(4)
>>> layout(g, seed=1) == layout(g, seed=1)
True
>>> sorted(layout(nx.empty_graph(2)))
[0, 1]
"""

from __future__ import annotations

import math
from collections.abc import Hashable

import networkx as nx

SPRING_LIMIT = 300  # components up to this size get a force-directed layout; above, radial
SPACING = 60.0  # pixels per unit of sqrt(node count)
ASPECT = 1.6  # components are packed into a block this much wider than tall, the shape of a screen


def _spring(component: nx.Graph, seed: int, spacing: float = SPACING) -> dict[Hashable, tuple[float, float]]:
    nodes = sorted(component, key=str)
    if len(nodes) == 1:
        return {nodes[0]: (0.0, 0.0)}
    ordered = nx.Graph()
    ordered.add_nodes_from(nodes)
    ordered.add_edges_from(sorted(component.edges(), key=lambda e: (str(e[0]), str(e[1]))))
    pos = nx.spring_layout(ordered, seed=seed)
    radius = spacing * math.sqrt(len(nodes))
    return {n: (float(x) * radius, float(y) * radius) for n, (x, y) in pos.items()}


def _radial(component: nx.Graph) -> dict[Hashable, tuple[float, float]]:
    """A BFS tree from the highest-degree node; each subtree gets an angle share by its size."""
    root = max(sorted(component, key=str), key=component.degree)
    children: dict[Hashable, list[Hashable]] = {root: []}
    depth = {root: 0}
    order = [root]
    for node in order:  # breadth-first, neighbours in a stable order
        for nb in sorted(component[node], key=str):
            if nb not in depth:
                depth[nb] = depth[node] + 1
                children[node].append(nb)
                children[nb] = []
                order.append(nb)
    size = dict.fromkeys(order, 1)
    for node in reversed(order):
        for child in children[node]:
            size[node] += size[child]
    ring = SPACING * 1.5
    pos: dict[Hashable, tuple[float, float]] = {}
    span: dict[Hashable, tuple[float, float]] = {root: (0.0, 2 * math.pi)}
    for node in order:
        lo, hi = span[node]
        mid, r = (lo + hi) / 2, depth[node] * ring * (1 + depth[node] / 4)
        pos[node] = (r * math.cos(mid), r * math.sin(mid))
        start = lo
        for child in children[node]:
            share = (hi - lo) * size[child] / max(size[node] - 1, 1)
            span[child] = (start, start + share)
            start += share
    return pos


def layout(graph: nx.Graph, *, seed: int = 0, spacing: float = SPACING) -> dict[Hashable, tuple[float, float]]:
    """Positions for every node of ``graph`` (treated as undirected); the same seed gives the same layout.

    ``spacing`` is the pixels per unit of a force-directed component's sqrt(node count): more
    spreads its nodes so their labels overlap less.
    """
    undirected = graph.to_undirected(as_view=True) if graph.is_directed() else graph
    components = sorted(
        (sorted(c, key=str) for c in nx.connected_components(undirected)),
        key=lambda c: (-len(c), str(c[0])),
    )
    placed: list[tuple[dict[Hashable, tuple[float, float]], float, float, float, float]] = []
    for nodes in components:
        sub = undirected.subgraph(nodes)
        pos = _spring(sub, seed, spacing) if len(nodes) <= SPRING_LIMIT else _radial(sub)
        xs = [p[0] for p in pos.values()]
        ys = [p[1] for p in pos.values()]
        placed.append((pos, min(xs), min(ys), max(xs), max(ys)))
    # Shelf packing: rows no wider than the largest component (or a square of the total area).
    area = sum((x1 - x0 + SPACING) * (y1 - y0 + SPACING) for _, x0, y0, x1, y1 in placed)
    width = max([math.sqrt(area * ASPECT)] + [x1 - x0 + SPACING for _, x0, _, x1, _ in placed[:1]])
    out: dict[Hashable, tuple[float, float]] = {}
    cx = cy = row_height = 0.0
    for pos, x0, y0, x1, y1 in placed:
        w, h = x1 - x0 + SPACING, y1 - y0 + SPACING
        if cx > 0 and cx + w > width:
            cx, cy, row_height = 0.0, cy + row_height, 0.0
        for node, (x, y) in pos.items():
            out[node] = (round(cx + x - x0, 1), round(cy + y - y0, 1))
        cx += w
        row_height = max(row_height, h)
    return out
