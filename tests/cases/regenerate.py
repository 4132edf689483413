"""Regenerate the expected results of the query catalogue, one JSON file per query, on two graphs:

* ``tests/cases/queries/NAME.json`` — on the built graph, ``data/triples.ttl``;
* ``tests/cases/queries-fixture/NAME.json`` — on the hand-written ``queries-fixture/graph.ttl``,
  which has entities and observations for every question whatever the extractors produce.

These files are snapshots: they pin change, not correctness (nobody checked the rows against the
reports; the ``test_hand_checked_*`` tests in ``tests/test_query_catalogue.py`` do that for a few
answers). Run it after changing a query in ``queries/``, the fixture, or rebuilding
``data/triples.ttl``, then READ the diff (``git diff tests/cases``) before committing: a changed
answer must be one you meant.

    .venv/bin/kg build && .venv/bin/python tests/cases/regenerate.py            # all queries
    .venv/bin/python tests/cases/regenerate.py search-sentences reports         # some of them
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
#: case set name -> (graph file, folder of expected results)
SETS = {
    "built": (ROOT / "data" / "triples.ttl", HERE / "queries"),
    "fixture": (HERE / "queries-fixture" / "graph.ttl", HERE / "queries-fixture"),
}


def expected(name: str, graph: object) -> dict[str, object]:
    """The case file's content for one catalogue query, run with its default parameters."""
    from kg.query import named_query, result_graph, result_rows, run_query

    query = named_query(name)
    result = run_query(graph, query)  # type: ignore[arg-type]
    case: dict[str, object] = {
        "query": name,
        "bindings": {k: v.n3() for k, v in query.defaults().items()},
    }
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        case["triples"] = sorted(" ".join(t.n3() for t in triple) + " ." for triple in result_graph(result))
    else:
        names = [str(v) for v in result.vars or []] if result.type == "SELECT" else ["ask"]
        case["columns"] = names
        case["rows"] = [[row[n].n3() if n in row else None for n in names] for row in result_rows(result)]
    return case


def write(case: dict[str, object], folder: Path) -> Path:
    path = folder / f"{case['query']}.json"
    path.write_text(json.dumps(case, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


def main(names: list[str]) -> None:
    from kg.query import catalogue
    from kg.store import open_graph

    for graph_file, folder in SETS.values():
        graph = open_graph(graph_file)
        folder.mkdir(parents=True, exist_ok=True)
        for name in names or list(catalogue()):
            case = expected(name, graph)
            size = len(case.get("rows", case.get("triples", [])))  # type: ignore[arg-type]
            print(f"{write(case, folder).relative_to(ROOT)}: {size} row(s)")
        stale = {p.stem for p in folder.glob("*.json")} - set(catalogue())
        for name in sorted(stale):
            print(f"note: {folder.name}/{name}.json has no query in queries/ any more; delete it", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
