"""The explorer — one self-contained, offline HTML page that draws the graph.

The page inlines vis-network (vendored in ``kg/view/static/``), its own script and the
graph data, so it works from ``file://`` and never requests anything from another host (a
Content-Security-Policy in the page enforces that). Options follow pyvis's format: they are
built on a :class:`pyvis.network.Network` and serialised with its ``Options``.

Every label and sentence reaches the page as JSON inside ``<script type="application/json">``
with ``<``, ``>`` and ``&`` escaped, and the script puts text into the page with
``textContent`` only, so a label such as ``<script>…</script>`` is shown, never run. The data
is :func:`kg.view.data.explorer_data`'s: each table a list of rows (JSON arrays) plus, once,
``columns``, the field names of each table, through which the script reads every row by name.

>>> from rdflib import Graph, Literal, URIRef
>>> from rdflib.namespace import RDF, RDFS
>>> from kg.vocab.namespace import KG
>>> g = Graph()
>>> _ = g.add((URIRef("http://x/a"), RDF.type, KG.Project))
>>> _ = g.add((URIRef("http://x/a"), RDFS.label, Literal("</script><b>")))
>>> page = render_html(g)
>>> page.startswith("<!DOCTYPE html>"), "</script><b>" in page, render_html(g) == page
(True, False, True)
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import networkx as nx
from rdflib import Graph, URIRef
from rdflib.query import Result

from kg.errors import InputError, QueryError
from kg.query import NamedQuery
from kg.rdf.serialize import write_atomic
from kg.view.data import STATIC, Edge, explorer_data
from kg.view.layout import layout

PHYSICS_LIMIT = 1000  # above this many nodes the layout is precomputed and physics stays off
#: Most nodes one page holds (drawn or hidden): 20,000 open in a few seconds; far more take a
#: browser minutes or exhaust its memory, so :func:`render_html` refuses instead of hanging.
MAX_NODES = 30_000
_BYTES_PER_NODE = 1_200  # Turtle bytes per node of a built corpus (62 MB for 50,000 nodes)
_MAX_BYTES_PER_NODE = 16 * _BYTES_PER_NODE  # a file this big per allowed node is refused unread
DEFAULT_OUTPUT = Path("build/graph.html")
#: Spacing of the first view's layout (:func:`kg.view.layout.layout`): wider than the default, so
#: the labels of a cluster's nodes overlap less at a readable zoom.
FIRST_SPACING = 95.0
#: The labels' fonts, CJK fonts named first: with a bare "sans-serif" the browser searches for a
#: font with Chinese glyphs as it measures each label, which doubled the time to create the
#: network (0.43-0.75 s against 0.15-0.34 s on data/triples.ttl).
CJK_FACES = '"Noto Sans CJK SC", "WenQuanYi Zen Hei", "PingFang SC", "Microsoft YaHei", sans-serif'
STABILIZE_MS = 500  # physics may polish the layout this long before the page is handed over


def _options(physics: bool, size: int) -> dict[str, Any]:
    """vis-network options, built the pyvis way."""
    from pyvis.network import Network

    net = Network(directed=True, cdn_resources="in_line")
    net.toggle_physics(physics)
    net.barnes_hut(gravity=-3000, central_gravity=0.2, spring_length=120, spring_strength=0.03,
                   damping=0.4, overlap=0.2)
    options = json.loads(net.options.to_json())
    options["physics"]["enabled"] = physics
    # The seeded layout is already readable, so physics only polishes it: fewer iterations for
    # bigger graphs keep time-to-interactive under ~1 s (each iteration costs O(n log n)).
    iterations = max(50, min(300, 60_000 // max(size, 1)))
    options["physics"]["stabilization"] = {"enabled": physics, "iterations": iterations, "updateInterval": 25,
                                           "fit": True}
    options["physics"]["solver"] = "barnesHut"
    big = size > PHYSICS_LIMIT
    options["edges"] = {"smooth": False if big else {"enabled": True, "type": "continuous"},
                        "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
                        "font": {"size": 10}, "selectionWidth": 2}
    options["nodes"] = {"scaling": {"min": 8, "max": 40, "label": {"enabled": True, "min": 11, "max": 22}},
                        "font": {"size": 12, "face": CJK_FACES}, "borderWidth": 1}
    options["interaction"] = {"hover": not big, "tooltipDelay": 200, "hideEdgesOnDrag": big,
                              "hideEdgesOnZoom": big, "navigationButtons": False, "keyboard": False,
                              "multiselect": False}
    options["layout"] = {"improvedLayout": False, "randomSeed": 0}
    options.pop("configure", None)
    return options


def _safe_json(value: Any) -> str:
    """JSON that can sit inside a ``<script>`` element: no ``</``, ``<!--`` or line separators."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    for raw, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


def _script_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _part_graph(data: dict[str, Any], *, structure: bool) -> nx.Graph:
    """The entities (or, with ``structure``, the document structure) and the edges among them."""
    structure_classes = {c["id"] for c in data["classes"] if c.get("structure")}
    g = nx.Graph()
    g.add_nodes_from(i for i, n in enumerate(data["nodes"]) if (n.cls in structure_classes) == structure)
    edges: list[Edge] = data["edges"]
    g.add_edges_from((e.head, e.tail) for e in edges if e.head in g and e.tail in g)
    return g


def stated_graph(data: dict[str, Any]) -> nx.Graph:
    """The first view: entities of a known class linked by a relation a report states.

    Stated relations (``"stated"`` in ``style.json``: located in, part of, in industry, organised
    by, issued by, partner of, and an indicator's link to what it measures) are what a report says;
    co-mention, taxonomy and indicator-matching links are drawn only on demand. Every node of this
    graph has at least one edge, so the first view draws no unconnected node.
    """
    skip = {c["id"] for c in data["classes"] if c.get("structure")} | {"Other"}
    stated = {i for i, r in enumerate(data["relations"]) if r.get("stated")}
    nodes = data["nodes"]
    g = nx.Graph()
    edges: list[Edge] = data["edges"]
    g.add_edges_from((e.head, e.tail) for e in edges if e.relation in stated
                     and nodes[e.head].cls not in skip and nodes[e.tail].cls not in skip)
    return g


def report_title(reports: list[Any]) -> str:
    """The page's title: the reports drawn, by government and year.

    >>> from kg.view.data import Report
    >>> report_title([Report("r1", "…", "河北省人民政府", "2021"), Report("r2", "…", "河北省人民政府", "2022"),
    ...               Report("r3", "…", "上海市嘉定区人民政府", "2021")])
    '政府工作报告 · 上海市嘉定区人民政府 2021 · 河北省人民政府 2021, 2022'
    >>> report_title([])
    'kg explorer'
    """
    years: dict[str, list[str]] = {}
    for r in reports:
        if r.government:
            years.setdefault(r.government, []).append(r.year or "?")
        else:
            years.setdefault(r.label, [])
    if not years:
        return "kg explorer"
    parts = [f"{gov} {', '.join(sorted(set(ys)))}".strip() for gov, ys in sorted(years.items())]
    return "政府工作报告 · " + " · ".join(parts)


def resolve_node(data: dict[str, Any], name: str) -> int:
    """The index of the node named by an IRI, a ``prefix:local`` name or a label."""
    from kg.vocab.iri import PREFIXES

    candidates = [name]
    if ":" in name and not name.startswith("http"):
        prefix, local = name.split(":", 1)
        if prefix in PREFIXES:
            candidates.append(PREFIXES[prefix] + local)
    for i, node in enumerate(data["nodes"]):
        if node.id in candidates:
            return i
    matches = [i for i, node in enumerate(data["nodes"])
               if node.label == name or any(lab.text == name for lab in data["labels"].get(node.id, []))]
    if matches:
        return matches[0]
    import difflib

    near = difflib.get_close_matches(name, [n.label for n in data["nodes"]], n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(near)}?" if near else "; give an IRI, prefix:name or exact label"
    raise InputError(f"--focus {name!r}: no such node in the graph{hint}")


def ego_nodes(data: dict[str, Any], centre: int, depth: int) -> list[int]:
    """Nodes within ``depth`` links of ``centre`` (document structure only if the centre is structure)."""
    structure = {c["id"] for c in data["classes"] if c.get("structure")}
    g = nx.Graph()
    g.add_nodes_from(range(len(data["nodes"])))
    inside = data["nodes"][centre].cls in structure
    edges: list[Edge] = data["edges"]
    g.add_edges_from((e.head, e.tail) for e in edges
                     if inside or (data["nodes"][e.head].cls not in structure
                                   and data["nodes"][e.tail].cls not in structure))
    return sorted(nx.ego_graph(g, centre, radius=max(depth, 0)))


class ViewTooLarge(InputError):
    """The graph has more nodes than one explorer page can hold (exit code 2)."""


def _too_large(nodes: int, max_nodes: int, what: str = "the graph") -> ViewTooLarge:
    return ViewTooLarge(
        f"{what} has {nodes:,} nodes to draw, more than a browser page can hold ({max_nodes:,}); "
        "draw a part of it with --query FILE.rq (a CONSTRUCT of the part you want), build a graph "
        "of fewer reports, or raise --max-nodes (the page may then take minutes to open)")


def check_view_size(path: str | Path, *, max_nodes: int = MAX_NODES) -> int:
    """Count the nodes a page of the graph file at ``path`` would hold, fast, before drawing it.

    Oxigraph reads the file (about 2 s per million triples, where rdflib and the layout would
    take minutes) and counts the IRIs of a class the explorer draws. Raises
    :class:`ViewTooLarge` past ``max_nodes``, so ``kg view`` refuses a corpus at once.

    >>> from kg.resources import ontology_dir
    >>> check_view_size(ontology_dir().parent / "data" / "triples.ttl") > 500
    True
    """
    from kg.store import load_into, oxigraph_graph, oxigraph_store
    from kg.view.data import style
    from kg.vocab.namespace import KG

    path = Path(path)
    if path.is_file() and path.stat().st_size > max_nodes * _MAX_BYTES_PER_NODE:
        size = path.stat().st_size
        raise _too_large(size // _BYTES_PER_NODE, max_nodes, f"{path} ({size / 1e6:,.0f} MB)")
    classes = " ".join(f"<{KG[c['id']]}>" for c in style()["classes"] if c["id"] != "Other")
    store = oxigraph_store(load_into(oxigraph_graph(), path))
    rows = store.query(f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ VALUES ?c {{ {classes} <{KG.Entity}> }} ?s a ?c }}",
                       use_default_graph_as_union=True)
    count = int(next(iter(rows))[0].value)  # type: ignore[index]
    if count > max_nodes:
        raise _too_large(count, max_nodes, str(path))
    return count


def _page(data: dict[str, Any], *, seed: int, title: str | None, max_nodes: int | None = MAX_NODES) -> str:
    """Lay out ``data``, then fill the page template with the inlined library, script and data."""
    return fill_page(prepare(data, seed=seed, title=title, max_nodes=max_nodes))


def prepare(data: dict[str, Any], *, seed: int, title: str | None, max_nodes: int | None = MAX_NODES) -> dict[str, Any]:
    """Lay out ``data`` (:func:`kg.view.data.explorer_data`) and add the page's options and metadata."""
    if max_nodes is not None and len(data["nodes"]) > max_nodes:
        raise _too_large(len(data["nodes"]), max_nodes)
    title = title or report_title(data["reports"])
    shown = data.get("view")
    entity = _part_graph(data, structure=False)
    if shown is None:
        # The first view (entities and their stated relations) gets its own layout, so what is
        # drawn first is placed by the edges drawn; the other entities are placed below it.
        first = stated_graph(data)
        if first.number_of_nodes() > 0:
            data["first"] = sorted(first)
            pos = layout(first, seed=seed, spacing=FIRST_SPACING)
            rest = entity.subgraph(set(entity) - set(first))
            below = max((y for _, y in pos.values()), default=0.0) + 400.0
            for i, (x, y) in layout(rest, seed=seed).items():
                pos[i] = (x, below + y)
        else:
            pos = layout(entity, seed=seed)
        drawn = len(data.get("first", entity))
    else:
        pos = layout(entity.subgraph(shown), seed=seed)
        drawn = len(shown)
    structure_pos = layout(_part_graph(data, structure=True), seed=seed)
    right = max((x for x, _ in pos.values()), default=0.0) + 400.0
    for i, (x, y) in structure_pos.items():
        pos.setdefault(i, (right + x, y))
    # The first view's layout is final (physics would only cost time to interactive); a chosen
    # view of a few nodes is polished by physics for a moment.
    physics = shown is not None and drawn <= PHYSICS_LIMIT
    nodes = data["nodes"]
    for i, node in enumerate(nodes):
        if i in pos:
            x, y = pos[i]
            nodes[i] = node._replace(x=x, y=y)
    data["options"] = _options(physics, drawn)
    data["meta"] = {"seed": seed, "physics": physics, "title": title, "physicsLimit": PHYSICS_LIMIT,
                    "stabilizeMs": STABILIZE_MS}
    data["meta"]["key"] = hashlib.sha256(_safe_json([n.id for n in data["nodes"]]).encode()).hexdigest()[:16]
    data.setdefault("overrides", {})
    return data


def fill_page(data: dict[str, Any]) -> str:
    """The page template filled with the inlined library, script and ``data`` (see :func:`prepare`)."""
    title = data["meta"]["title"]
    template = (STATIC / "explorer.html").read_text(encoding="utf-8")
    vis = (STATIC / "vis-network.min.js").read_text(encoding="utf-8")
    app = (STATIC / "explorer.js").read_text(encoding="utf-8")
    css = (STATIC / "explorer.css").read_text(encoding="utf-8")
    for script in (vis, app):
        if re.search(r"</script|<!--", script, re.IGNORECASE):
            raise RuntimeError("an inlined script contains '</script' or '<!--'")  # would break the page
    csp = (f"default-src 'none'; script-src {_script_hash(vis)} {_script_hash(app)}; "
           "style-src 'unsafe-inline'; img-src data: blob:; connect-src 'self'; "
           "base-uri 'none'; form-action 'none'")
    parts = {"CSP": csp, "CSS": css, "VIS": vis, "APP": app, "DATA": _safe_json(data),
             "TITLE": title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")}
    return re.sub(r"\{\{([A-Z]+)\}\}", lambda m: parts[m.group(1)], template)


def render_html(
    graph: Graph,
    *,
    focus: str | None = None,
    depth: int = 1,
    seed: int = 0,
    nodes: Iterable[str] | None = None,
    title: str | None = None,
    max_nodes: int | None = MAX_NODES,
) -> str:
    """One self-contained HTML page that draws ``graph``; the same graph and seed give the same page.

    ``focus`` (an IRI, ``prefix:name`` or label) draws just that node's ego graph of radius
    ``depth``; ``nodes`` draws just those IRIs. The whole graph is still embedded, so the
    page can expand any node's neighbourhood on demand. A graph of more than ``max_nodes``
    nodes (``None``: no limit) raises :class:`ViewTooLarge` rather than make a page no browser opens.
    The title defaults to the reports drawn, by government and year (:func:`report_title`).
    """
    data = explorer_data(graph)
    if focus is not None:
        centre = resolve_node(data, focus)
        data["view"] = ego_nodes(data, centre, depth)
        data["focus"] = centre
    elif nodes is not None:
        index = {n.id: i for i, n in enumerate(data["nodes"])}
        data["view"] = sorted({index[str(n)] for n in nodes if str(n) in index})
    return _page(data, seed=seed, title=title, max_nodes=max_nodes)


def render_html_from_construct(
    result: Graph, *, context: Graph | None = None, seed: int = 0, title: str = "kg explorer: query result",
    max_nodes: int | None = MAX_NODES,
) -> str:
    """Draw a CONSTRUCT result; labels, observations and sentences come from ``context`` if given."""
    data = explorer_data(result, details=context)
    return _page(data, seed=seed, title=title, max_nodes=max_nodes)


def render_query(
    graph: Graph, query: str | NamedQuery, *, seed: int = 0, source: str = "query", max_nodes: int | None = MAX_NODES
) -> str:
    """Run a SPARQL CONSTRUCT/DESCRIBE (draw its graph) or SELECT (draw the IRIs it returns).

    The query runs through :func:`kg.query.run_query`: the project's prefixes are predefined and
    a named catalogue query's parameters take their defaults.
    """
    from kg.query import run_query

    try:
        result: Result = run_query(graph, query)
    except QueryError as err:
        raise QueryError(f"{source}: {err}") from err
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        assert result.graph is not None
        return render_html_from_construct(result.graph, context=graph, seed=seed, title=f"kg explorer: {source}",
                                          max_nodes=max_nodes)
    if result.type == "SELECT":
        iris = [term for row in result for term in row if isinstance(term, URIRef)]  # type: ignore[union-attr]
        return render_html(graph, nodes=iris, seed=seed, title=f"kg explorer: {source}", max_nodes=max_nodes)
    raise QueryError(f"{source}: an ASK query has nothing to draw; use CONSTRUCT or SELECT")


def write_view(
    graph: Graph,
    output: str | Path = DEFAULT_OUTPUT,
    *,
    focus: str | None = None,
    depth: int = 1,
    query: str | Path | None = None,
    seed: int = 0,
    max_nodes: int | None = MAX_NODES,
) -> Path:
    """Write the explorer page for ``graph`` to ``output`` (atomically) and return its path.

    Raises :class:`ViewTooLarge` for a graph of more than ``max_nodes`` nodes (see :func:`render_html`).
    """
    if query is not None:
        from kg.query import read_named_query
        from kg.text.source import read_text_file

        path = Path(query)
        text = read_text_file(path, what="a SPARQL query file (.rq)")
        # A catalogue query (with a '# title:' header) runs with its parameters' defaults.
        named = read_named_query(path) if re.search(r"^#\s*title:", text, re.MULTILINE) else None
        page = render_query(graph, named or text, seed=seed, source=str(path), max_nodes=max_nodes)
    else:
        page = render_html(graph, focus=focus, depth=depth, seed=seed, max_nodes=max_nodes)
    write_atomic(output, page)
    return Path(output)


class InlineView:
    """The explorer page shown inline in Jupyter and VS Code notebooks.

    Notebook front ends show an output's ``_repr_html_`` but strip or block the scripts of a
    full page pasted into the notebook, which leaves the graph blank; inside an
    ``<iframe srcdoc=…>`` the page runs as it does from a file. The iframe is sandboxed with
    scripts only, so the page cannot reach the notebook.

    >>> view = InlineView("<!DOCTYPE html><p>\\"甲\\" & <b>乙</b></p>", height=300)
    >>> html = view._repr_html_()
    >>> html.startswith("<iframe "), 'height="300"' in html, "&lt;b&gt;乙" in html
    (True, True, True)
    """

    def __init__(self, page: str, *, height: int = 600) -> None:
        self.page = page
        self.height = height

    def __repr__(self) -> str:  # what a notebook stores as text/plain: no memory address, so it is stable
        return f"<kg explorer: {len(self.page):,} characters; shown inline in Jupyter and VS Code>"

    def _repr_html_(self) -> str:
        import html

        return (f'<iframe srcdoc="{html.escape(self.page, quote=True)}" width="100%" height="{self.height}" '
                'style="border:1px solid #ddd" sandbox="allow-scripts" title="kg explorer"></iframe>')

    def save(self, path: str | Path) -> Path:
        """Write the page to ``path`` (atomically), to open it in a browser."""
        write_atomic(path, self.page)
        return Path(path)


def show(
    graph: Graph,
    *,
    focus: str | None = None,
    depth: int = 1,
    nodes: Iterable[str] | None = None,
    seed: int = 0,
    height: int = 600,
) -> InlineView:
    """The explorer for ``graph`` as a notebook output (see :func:`render_html` for the options).

    In a notebook, end a cell with ``kg.view.show(graph, focus="嘉定区")`` to draw it inline.
    """
    return InlineView(render_html(graph, focus=focus, depth=depth, nodes=nodes, seed=seed), height=height)
