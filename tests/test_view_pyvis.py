"""pyvis as the explorer's Python-side API: :func:`kg.view.to_pyvis` builds a styled
:class:`pyvis.network.Network` from node and edge lists (never pyvis's per-item ``add_node`` /
``add_edge``, whose id checks make a loop quadratic), and :func:`kg.view.write_page` writes the
offline explorer page from a Network a user adjusted with pyvis calls — checked in Chromium."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from pyvis.network import Network
from rdflib import Graph

from kg.store import load_graph
from kg.view import to_pyvis, write_page
from kg.view.data import explorer_data, style
from kg.view.page import prepare, stated_graph

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def bundled() -> Graph:
    return load_graph(ROOT / "data" / "triples.ttl")


@pytest.fixture(scope="module")
def net(bundled: Graph) -> Network:
    return to_pyvis(bundled)


def test_to_pyvis_holds_the_first_view_styled_like_the_explorer(net: Network, bundled: Graph):
    assert isinstance(net, Network)
    first = stated_graph(prepare(explorer_data(bundled), seed=0, title=None))  # what the explorer draws first
    assert net.num_nodes() == len(set(net.node_ids)) == len(first) > 200 and net.num_edges() > 200
    colours = {c["id"]: (c["color"], c["shape"]) for c in style()["classes"]}
    assert all((n["color"], n["shape"]) == colours[n["group"]] for n in net.nodes)
    meb = net.get_node("https://w3id.org/policykg/id/entity/上汽大众MEB工厂")
    assert meb["label"] == "上汽大众MEB工厂" and isinstance(meb["x"], float)
    linked = {e["from"] for e in net.edges} | {e["to"] for e in net.edges}
    assert linked == set(net.node_ids)  # no unconnected node, as in the explorer's first view
    assert {e["relation"] for e in net.edges} <= {r["id"] for r in style()["relations"] if r.get("stated")}


def test_to_pyvis_never_calls_the_quadratic_per_item_methods(bundled: Graph, monkeypatch: pytest.MonkeyPatch):
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("to_pyvis called a per-item pyvis method")

    for name in ("add_node", "add_nodes", "add_edge", "add_edges"):
        monkeypatch.setattr(Network, name, refuse)
    whole = to_pyvis(bundled, whole=True)
    assert whole.num_nodes() > 1000 and whole.num_edges() > 1500


def test_focus_gives_the_neighbourhood(bundled: Graph):
    net = to_pyvis(bundled, focus="上汽大众MEB工厂")
    assert "https://w3id.org/policykg/id/entity/上汽大众MEB工厂" in net.node_ids
    assert 2 < net.num_nodes() < 20


@pytest.mark.browser
def test_a_network_adjusted_with_pyvis_calls_becomes_the_offline_page(net: Network, browser: object,
                                                                       tmp_path: Path):
    meb = "https://w3id.org/policykg/id/entity/上汽大众MEB工厂"
    net.get_node(meb)["color"] = "#ff00ff"
    net.add_node("http://example.org/note", label="我的注释 <b>note</b>", color="#00ffff", shape="box")
    net.add_edge("http://example.org/note", meb, title="注释 annotates")
    path = write_page(net, tmp_path / "pyvis.html")
    context = browser.new_context(viewport={"width": 1400, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    errors: list[str] = []
    remote: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    local = ("file", "data", "blob", "about")
    page.on("request", lambda r: urlsplit(r.url).scheme not in local and remote.append(r.url))
    try:
        page.goto(path.as_uri())
        page.wait_for_function("() => window.kgReady === true", timeout=20_000)
        assert page.evaluate("() => kgExplorer.drawnCount()") == net.num_nodes()
        assert page.evaluate("iri => kgExplorer.nodes.get(kgExplorer.idOf(iri)).color", meb) == "#ff00ff"
        page.fill("#search", "我的注释")
        page.press("#search", "Enter")
        assert page.text_content("#panel h2") == "我的注释 <b>note</b>"  # shown as text
        assert "注释 annotates" in page.text_content("#panel")
        page.fill("#search", "上汽大众MEB工厂")
        page.press("#search", "Enter")
        assert "世界级汽车产业中心核心承载区建设全面推进" in page.text_content("#panel")  # its sentence, from the graph
    finally:
        context.close()
    assert errors == [] and remote == []
