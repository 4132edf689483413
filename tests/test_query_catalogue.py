"""The query catalogue, held two ways.

Snapshots pin change, not correctness: each catalogue query's answer is compared with its
expected rows, kept as data, on two graphs: the built ``data/triples.ttl``
(``tests/cases/queries/NAME.json``) and a hand-written fixture with entities and observations
(``tests/cases/queries-fixture/NAME.json``). They were written by ``tests/cases/regenerate.py``
from what the queries answered, so a failure says the answer moved, not that it is wrong: read
the diff, regenerate, review.

Hand-checked answers pin correctness: the ``test_hand_checked_*`` tests assert facts read in
``data/source/*.txt`` by a person (the line each comes from is named), independent of the
snapshot files, on the built graph.
"""

from __future__ import annotations

import importlib.util
import json
from collections import Counter
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from rdflib import Graph

from kg.query import catalogue, named_query, result_rows, run_query
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
    cases = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))}
    empty = [name for name, case in cases.items() if not case.get("rows", case.get("triples"))]
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


# -- Hand-checked answers: facts read in data/source/*.txt, independent of the snapshot files ------------

def answer(name: str, **bindings: str) -> list[dict[str, str]]:
    """The catalogue query ``name`` on the built graph, every cell as text."""
    rows = result_rows(run_query(graph("built"), named_query(name), bindings=bindings))
    return [{key: str(value) for key, value in row.items()} for row in rows]


def report_of(row: dict[str, str]) -> str:
    return row["report"].rsplit("/report/", 1)[-1]


def test_hand_checked_the_three_reports_with_their_dates_and_speakers():
    # the delivery line (——…在…会议上) and the speaker line of each file in data/source/
    got = {(r["government"], r["year"], r["delivered"], r["speaker"]) for r in answer("reports")}
    assert got == {
        ("上海市嘉定区人民政府", "2021", "2021-02-03", "高香"),  # jiading-2021.txt lines 5 and 7
        ("河北省人民政府", "2021", "2021-02-19", "许勤"),  # hebei-2021.txt lines 8 and 9
        ("河北省人民政府", "2022", "2022-01-17", "王正谱"),  # hebei-2022.txt lines 40 and 42 (代省长)
    }


def test_hand_checked_jiading_has_four_top_level_sections():
    # jiading-2021.txt lines 13, 79, 103 and 153
    rows = [r for r in answer("report-sections") if r["level"] == "1"]  # the default report is Jiading 2021
    assert [(r["number"], r["title"]) for r in rows] == [
        ("一、", "2020年工作回顾"),
        ("二、", "关于《上海市嘉定区国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要（草案）》的说明"),
        ("三、", "2021年主要任务"),
        ("四、", "推进政府治理现代化"),
    ]


def test_hand_checked_general_budget_revenue_in_2020():
    # jiading-2021.txt line 17: 一般公共预算收入完成220.4亿元，同比下降18.6%
    # hebei-2021.txt line 34: 一般公共预算收入从2649.2亿元增长到3826.4亿元 (2015 to 2020)
    got = {(report_of(r), r["kind"], Decimal(r["value"]), r["unit"])
           for r in answer("indicator-series", indicator_text="一般公共预算收入") if r["period"] == "2020"}
    assert {
        ("上海市嘉定区/2021", "actual", Decimal("220.4"), "亿元"),
        ("上海市嘉定区/2021", "change", Decimal("18.6"), "%"),
        ("河北省/2021", "actual", Decimal("3826.4"), "亿元"),
    } <= got


def test_hand_checked_hebei_2021_main_targets():
    # hebei-2021.txt line 93: 主要预期目标是：生产总值增长6.5%，一般公共预算收入增长6.5%，…
    # 社会消费品零售总额增长8%左右，… 居民消费价格指数涨幅控制在3%左右；城镇调查失业率控制在5.5%左右，
    # PM2.5平均浓度下降3%以上
    got = {(r["label"], Decimal(r["value"]), r["unit"], frozenset(r.get("qualifier", "").split("|")) - {""})
           for r in answer("targets", period="2021") if report_of(r) == "河北省/2021"}
    assert {
        ("一般公共预算收入", Decimal("6.5"), "%", frozenset()),
        ("社会消费品零售总额", Decimal("8"), "%", frozenset({"左右"})),
        ("居民消费价格指数", Decimal("3"), "%", frozenset({"控制在", "左右"})),
        ("城镇调查失业率", Decimal("5.5"), "%", frozenset({"控制在", "左右"})),
        ("PM2.5平均浓度", Decimal("3"), "%", frozenset({"以上"})),
    } <= got


def test_hand_checked_hebei_forest_fires_fell_in_2020():
    # hebei-2021.txt line 30: 全省森林火灾起数同比下降68.3%。
    got = {(report_of(r), r["label"], Decimal(r["value"]), r["unit"]) for r in answer("indicators-fell-2020")}
    assert ("河北省/2021", "森林火灾起数", Decimal("68.3"), "%") in got


def test_hand_checked_the_meb_plant_is_an_automotive_project_in_jiading():
    # jiading-2021.txt line 39: 世界级汽车产业中心核心承载区建设全面推进，上汽大众 MEB 工厂等一批重点项目正式投产
    rows = [r for r in answer("automotive-projects") if r["project_label"] == "上汽大众MEB工厂"]
    assert {(report_of(r), r["place"]) for r in rows} == {("上海市嘉定区/2021", "上海市嘉定区")}


def test_hand_checked_sentences_about_hydrogen():
    # 氢能 occurs twice in jiading-2021.txt (lines 41 and 113), once in hebei-2021.txt (line 39) and twice in
    # hebei-2022.txt (lines 68 and 93), each time in a different sentence
    rows = answer("search-sentences", keyword="氢能")
    assert Counter(report_of(r) for r in rows) == {"上海市嘉定区/2021": 2, "河北省/2021": 1, "河北省/2022": 2}
    assert all("氢能" in r["text"] for r in rows)
