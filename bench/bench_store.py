"""Embedded Oxigraph vs rdflib's in-memory store on ~100k synthetic triples (not a test).

Both stores are driven through the same rdflib API (``Graph.query``); the numbers are the best
of a few runs, measured in this run, and the ratio is rdflib's time over Oxigraph's::

    .venv/bin/python bench/bench_store.py [--triples 100000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable

from rdflib import RDF, RDFS, Graph, Literal, URIRef

from kg.store import oxigraph_graph
from kg.vocab.iri import PREFIXES, mint
from kg.vocab.namespace import KG

WORDS = [
    "汽车", "氢能", "智能", "制造", "新城", "科技", "产业", "园区", "创新", "绿色",
    "民生", "交通", "教育", "医疗", "生态", "数字", "芯片", "物流", "金融", "文化",
]

QUERIES = {
    "join: projects in a place's industry": """
        SELECT ?project ?place ?industry WHERE {
          ?project a kg:Project ; kg:locatedIn ?place ; kg:inIndustry ?industry .
          ?place kg:partOf ?region . ?region rdfs:label "区域 3" .
          ?industry rdfs:label ?ilabel . FILTER(?ilabel IN ("产业 1", "产业 2", "产业 5"))
        }""",
    "join: sentences mentioning two projects of one place": """
        SELECT ?sentence ?a ?b WHERE {
          ?sentence kg:mentions ?a , ?b . FILTER(STR(?a) < STR(?b))
          ?a kg:locatedIn ?place . ?b kg:locatedIn ?place .
        }""",
    "aggregate: projects per place": """
        SELECT ?place (COUNT(?project) AS ?n) WHERE { ?project kg:locatedIn ?place }
        GROUP BY ?place ORDER BY DESC(?n) LIMIT 20""",
    "aggregate: mentions per class and industry": """
        SELECT ?class ?industry (COUNT(*) AS ?n) WHERE {
          ?s kg:mentions ?e . ?e a ?class ; kg:inIndustry ?industry }
        GROUP BY ?class ?industry""",
    "text: CONTAINS over sentences": """
        SELECT ?s WHERE { ?s a kg:Sentence ; kg:text ?t . FILTER(CONTAINS(?t, "氢能") && CONTAINS(?t, "芯片")) }""",
    "text: REGEX over sentences": """
        SELECT (COUNT(?s) AS ?n) WHERE { ?s kg:text ?t . FILTER(REGEX(?t, "汽车.{0,6}新城")) }""",
}


def synthetic(target: int, seed: int = 7) -> Graph:
    """About ``target`` triples shaped like the report graph: places, industries, projects, sentences."""
    rng = random.Random(seed)
    graph = Graph()

    def node(kind: str, i: int, cls: URIRef, label: str) -> URIRef:
        iri = mint("bench", kind, i)
        graph.add((iri, RDF.type, cls))
        graph.add((iri, RDFS.label, Literal(label)))
        return iri

    regions = [node("region", i, KG.Place, f"区域 {i}") for i in range(10)]
    places = [node("place", i, KG.Place, f"地点 {i}") for i in range(200)]
    industries = [node("industry", i, KG.Industry, f"产业 {i}") for i in range(30)]
    for place in places:
        graph.add((place, KG.partOf, rng.choice(regions)))
    projects = [node("project", i, KG.Project, f"项目 {i}") for i in range(target // 20)]
    for project in projects:
        graph.add((project, KG.locatedIn, rng.choice(places)))
        graph.add((project, KG.inIndustry, rng.choice(industries)))
    i = 0
    while len(graph) < target:
        sentence = mint("bench", "sentence", i)
        text = "".join(rng.choice(WORDS) for _ in range(rng.randint(8, 30)))
        graph.add((sentence, RDF.type, KG.Sentence))
        graph.add((sentence, KG.text, Literal(text, lang="zh")))
        graph.add((sentence, KG.index, Literal(i)))
        for project in rng.sample(projects, rng.randint(1, 3)):
            graph.add((sentence, KG.mentions, project))
        i += 1
    return graph


def best(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    times, value = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - start)
    return min(times), value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    source = synthetic(args.triples)
    data = source.serialize(format="nt")
    memory_load, memory = best(lambda: Graph().parse(data=data, format="nt"), 1)
    oxi_load, oxigraph = best(lambda: oxigraph_graph().parse(data=data, format="ox-ntriples"), 1)
    assert isinstance(memory, Graph) and isinstance(oxigraph, Graph)
    print(f"{len(memory)} triples (rdflib memory) / {len(oxigraph)} triples (Oxigraph); best of {args.repeat} runs")
    print(f"{'':58}{'rdflib':>10}{'oxigraph':>10}{'ratio':>8}")
    print(f"{'load N-Triples':<58}{memory_load:>9.3f}s{oxi_load:>9.3f}s{memory_load / oxi_load:>7.1f}x")
    ratios = []
    for name, text in QUERIES.items():
        def run(graph: Graph, text: str = text) -> int:
            return len(list(graph.query(text, initNs=PREFIXES)))
        slow, rows_memory = best(lambda: run(memory), args.repeat)
        fast, rows_oxigraph = best(lambda: run(oxigraph), args.repeat)
        if rows_memory != rows_oxigraph:
            raise SystemExit(f"{name}: the stores disagree ({rows_memory} vs {rows_oxigraph} rows)")
        ratios.append(slow / fast)
        print(f"{name:<58}{slow:>9.3f}s{fast:>9.3f}s{slow / fast:>7.1f}x   ({rows_memory} rows)")
    print(f"queries: Oxigraph is {min(ratios):.1f}x to {max(ratios):.1f}x faster than rdflib's memory store")


if __name__ == "__main__":
    main()
