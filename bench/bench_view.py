"""Benchmark (not a test): how fast the explorer page becomes interactive in headless Chromium.

Time-to-interactive is measured inside the page, from navigation start to the moment the
explorer sets ``window.kgReady`` (the network is drawn and, for small graphs, physics has
settled and stopped). A baseline page that only sets the flag is measured in the same run,
so the ratios are comparable across machines. Targets: the bundled graph (data/triples.ttl,
its first view) < 1 s, the Jiading graph < 2 s, a 20,000-node synthetic graph (precomputed
layout, physics off) < 10 s.

Run: .venv/bin/python bench/bench_view.py [--repeat 3] [--only bundled]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal
from rdflib.namespace import RDF, SKOS

from kg.build import build_graph
from kg.store import load_graph
from kg.view import render_html
from kg.vocab.iri import mint, new_graph
from kg.vocab.namespace import KG

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
BASELINE = ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>baseline</title></head><body>"
            "<script>window.kgReadyAt = performance.now(); window.kgReady = true;</script></body></html>")
CLASSES = [KG.Project, KG.Industry, KG.Place, KG.Organization, KG.Policy, KG.Event, KG.Goal]
RELATIONS = [KG.locatedIn, KG.partOf, KG.inIndustry, KG.partnerOf, KG.organizedBy, KG.coMentionedWith]


def synthetic_graph(nodes: int = 20_000, *, seed: int = 0) -> Graph:
    """``nodes`` entities of every class, each linked to one or two earlier ones (a sparse, hubby graph)."""
    rng = random.Random(seed)
    graph = new_graph()
    iris = [mint("entity", "synthetic", i) for i in range(nodes)]
    for i, iri in enumerate(iris):
        graph.add((iri, RDF.type, CLASSES[i % len(CLASSES)]))
        graph.add((iri, SKOS.prefLabel, Literal(f"实体{i}", lang="zh")))
        graph.add((iri, SKOS.altLabel, Literal(f"entity {i}", lang="en")))
        if i and i % 50:  # every 50th node starts a new component
            for _ in range(rng.choice((1, 1, 2))):
                target = iris[int(rng.random() ** 2 * i)]  # preferential: low indices become hubs
                if target != iri:
                    graph.add((iri, rng.choice(RELATIONS), target))
    return graph


def jiading_fixture() -> Graph:
    graph = build_graph([ROOT / "data" / "source" / "jiading-2021.txt"])
    graph.parse(ROOT / "tests" / "cases" / "view-fixture.ttl", format="turtle")
    return graph


def page_nodes(html: str) -> int:
    """How many nodes (drawn or hidden) an explorer page holds."""
    match = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', html, re.S)
    return len(json.loads(match.group(1))["nodes"]) if match else 0


def measure(browser: object, html: str, folder: Path, name: str) -> dict[str, Any]:
    path = folder / f"{name}.html"
    path.write_text(html, encoding="utf-8")
    context = browser.new_context(viewport={"width": 1400, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    errors: list[str] = []
    def console(message: Any) -> None:
        if message.type == "error":
            errors.append(message.text)

    page.on("console", console)
    page.on("pageerror", lambda e: errors.append(str(e)))
    start = time.perf_counter()
    page.goto(path.as_uri(), timeout=120_000)
    page.wait_for_function("() => window.kgReady === true", timeout=120_000, polling=20)
    wall = time.perf_counter() - start
    ready = page.evaluate("() => window.kgReadyAt") / 1000
    result = {"ready_s": ready, "wall_s": wall}
    if name != "baseline":
        result["drawn"] = page.evaluate("() => kgExplorer.drawnCount()")
        result["timings"] = page.evaluate("() => window.kgTimings")
        # Interactive means it answers: time a search that focuses a node and fills the panel.
        t0 = time.perf_counter()
        page.evaluate("""() => { const box = document.getElementById('search');
            box.value = kgExplorer.data.nodes[0].label; box.dispatchEvent(new Event('input'));
            box.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter'})); }""")
        page.wait_for_selector("#panel h2")
        result["search_s"] = time.perf_counter() - t0
    if errors:
        raise SystemExit(f"{name}: console errors: {errors}")
    context.close()
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="page loads per case (median reported)")
    parser.add_argument("--only", action="append", default=[],
                        help="run only this case (repeatable); the baseline always runs")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    cases: list[tuple[str, Callable[[], Graph] | None, float | None]] = [
        ("baseline", None, None),
        ("bundled", lambda: load_graph(ROOT / "data" / "triples.ttl"), 1.0),
        ("jiading", lambda: build_graph([ROOT / "data" / "source" / "jiading-2021.txt"]), 2.0),
        ("jiading+fixture", jiading_fixture, 2.0),
        ("all-reports", lambda: build_graph(sorted((ROOT / "data" / "source").glob("*.txt"))), None),
        ("synthetic-1k", lambda: synthetic_graph(1000), 2.0),  # the most drawn with physics on
        ("synthetic-20k", synthetic_graph, 10.0),
    ]
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        base = None
        for name, make, target in cases:
            if args.only and make is not None and name not in args.only:
                continue
            if make is None:
                html, render_s, nodes = BASELINE, 0.0, 0
            else:
                graph = make()
                t0 = time.perf_counter()
                html = render_html(graph)
                render_s = time.perf_counter() - t0
                nodes = page_nodes(html)
            runs = [measure(browser, html, Path(tmp), name) for _ in range(args.repeat)]
            ready = statistics.median(r["ready_s"] for r in runs)
            wall = statistics.median(r["wall_s"] for r in runs)
            search = statistics.median(r.get("search_s", 0.0) for r in runs)
            drawn = int(runs[0].get("drawn", 0))
            base = base if base is not None else ready
            verdict = "" if target is None else (" OK" if ready < target else " SLOW") + f" (target < {target:g} s)"
            print(f"{name:16} nodes={nodes:6d} drawn={drawn:6d} page={len(html) / 1e6:5.2f} MB "
                  f"render={render_s:6.2f} s  ready={ready:6.3f} s  wall={wall:6.3f} s  "
                  f"search={search * 1000:6.0f} ms  ratio={ready / base:7.1f}x baseline{verdict}")
            if "timings" in runs[0]:
                t = runs[0]["timings"]
                steps = ", ".join(f"{k} {t[k] / 1000:.2f}" for k in ("script", "parsed", "datasets", "network",
                                                                     "stabilizing", "ready") if k in t)
                print(f"{'':16} (first run, seconds from navigation: {steps})")
            sys.stdout.flush()
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
