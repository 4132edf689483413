"""Each catalogue query's answer against its expected rows, kept as data, on two graphs: the built
``data/triples.ttl`` (``tests/cases/queries/NAME.json``) and a hand-written fixture with entities
and observations (``tests/cases/queries-fixture/NAME.json``). Regenerate both with
``tests/cases/regenerate.py``, then review the diff."""

from __future__ import annotations

import importlib.util
import json
from functools import cache
from pathlib import Path

import pytest
from rdflib import Graph

from kg.query import catalogue
from kg.store import open_graph

ROOT = Path(__file__).resolve().parent.parent
REGENERATE = "run `.venv/bin/python tests/cases/regenerate.py {name}` and review the diff"

_spec = importlib.util.spec_from_file_location("regenerate", ROOT / "tests" / "cases" / "regenerate.py")
assert _spec and _spec.loader
regenerate = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(regenerate)


@cache
def graph(case_set: str) -> Graph:
    return open_graph(regenerate.SETS[case_set][0])


def test_the_catalogue_has_at_least_15_documented_questions():
    queries = catalogue()
    assert len(queries) >= 15
    for query in queries.values():
        assert query.title and query.description, f"queries/{query.name}.rq needs # title: and # description:"


@pytest.mark.parametrize("case_set", sorted(regenerate.SETS))
def test_every_case_file_has_a_query(case_set: str):
    folder = regenerate.SETS[case_set][1]
    stale = {p.stem for p in folder.glob("*.json")} - set(catalogue())
    assert not stale, f"case files in {folder.name}/ without a query in queries/: {sorted(stale)}; delete them"


def test_the_fixture_gives_every_question_an_answer():
    folder = regenerate.SETS["fixture"][1]
    empty = [p.stem for p in sorted(folder.glob("*.json"))
             if not json.loads(p.read_text(encoding="utf-8")).get("rows", json.loads(p.read_text(encoding="utf-8")).get("triples"))]
    assert not empty, f"catalogue queries with no rows on the fixture (extend queries-fixture/graph.ttl): {empty}"


@pytest.mark.parametrize("case_set", sorted(regenerate.SETS))
@pytest.mark.parametrize("name", sorted(catalogue()))
def test_catalogue_query_gives_its_expected_rows(case_set: str, name: str):
    folder = regenerate.SETS[case_set][1]
    path = folder / f"{name}.json"
    assert path.is_file(), f"queries/{name}.rq has no expected rows in {folder.name}/: {REGENERATE.format(name=name)}"
    want = json.loads(path.read_text(encoding="utf-8"))
    got = regenerate.expected(name, graph(case_set))
    for key in ("bindings", "columns"):
        assert got.get(key) == want.get(key), f"query {name!r}: {key} changed; {REGENERATE.format(name=name)}"
    body = "triples" if "triples" in want else "rows"
    missing = [r for r in want[body] if r not in got[body]]
    extra = [r for r in got[body] if r not in want[body]]
    assert not missing and not extra, (
        f"query {name!r} on the {case_set} graph differs from {path.relative_to(ROOT)}: "
        f"{len(missing)} expected {body} missing (first: {missing[:2]}), "
        f"{len(extra)} unexpected (first: {extra[:2]}); {REGENERATE.format(name=name)}"
    )
    assert got[body] == want[body], f"query {name!r}: same {body} in a different order; {REGENERATE.format(name=name)}"
