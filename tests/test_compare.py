"""Targets reconciled across years: the verdict rules on hand-made cases, and Hebei's 2021 targets
against what its 2022 report says, scored against a gold file checked by hand."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.resources import read_table
from kg.store import load_graph, open_graph
from kg.targets.reconcile import Quantity, TargetRow, judge, score_targets, target_table

HERE = Path(__file__).resolve().parent
SOURCES = HERE.parent / "data" / "source"
VERDICT_CASES = json.loads((HERE / "cases" / "verdicts.json").read_text(encoding="utf-8"))
GOLD = HERE / "gold" / "targets-hebei-2021.csv"
HEBEI = "河北省人民政府"
COLUMNS = ["indicator", "target_value", "target_unit", "qualifier", "target_period", "outcome_value",
           "outcome_unit", "verdict", "target_sentence", "outcome_sentence"]


def _quantity(spec: list[str], kind: str = "target") -> Quantity:
    if kind == "target":
        value, unit, direction, qualifier = spec
        return Quantity.of(value, unit, direction=direction, qualifier=qualifier)
    value, unit, kind, direction, *qualifier = spec
    return Quantity.of(value, unit, kind=kind, direction=direction, qualifier="".join(qualifier))


@pytest.mark.parametrize("case", VERDICT_CASES, ids=lambda c: c["label"])
def test_verdict_rule(case):
    outcome = _quantity(case["outcome"], "outcome") if case["outcome"] else None
    verdict = judge(_quantity(case["target"]), outcome, match=case.get("match", "same"))
    assert verdict.verdict == case["verdict"], verdict.reason
    assert verdict.reason


@pytest.fixture(scope="module")
def table(built_graph) -> list[TargetRow]:
    return target_table(built_graph)


@pytest.fixture(scope="module")
def hebei_2021(table) -> list[TargetRow]:
    return [r for r in table if r.government == HEBEI and r.target_report.endswith("/2021")]


def test_every_2021_target_of_the_2021_report_has_a_verdict(hebei_2021):
    this_year = [r for r in hebei_2021 if r.target_period == "2021"]
    assert len(this_year) >= 90
    assert all(r.verdict in ("met", "missed", "not_reported", "not_comparable") for r in this_year)


def test_the_table_matches_the_hand_checked_gold(hebei_2021):
    score = score_targets(hebei_2021, GOLD, SOURCES / "hebei-2021.txt")
    assert not score.missing and not score.extra, (score.missing, score.extra)
    assert score.verdicts_right / score.rows >= 0.9, "\n".join(score.wrong)
    assert score.judged_right / score.judged >= 0.9, "\n".join(score.wrong)
    assert score.outcomes_found / score.outcomes_stated >= 0.7, str(score)


def test_the_gold_quotes_both_reports():
    text_2021 = (SOURCES / "hebei-2021.txt").read_text(encoding="utf-8")
    text_2022 = (SOURCES / "hebei-2022.txt").read_text(encoding="utf-8")
    for row in read_table(GOLD):
        assert text_2021.count(row["target_clause"]) == 1, row["target_clause"]
        assert row["verdict"] in ("met", "missed", "not_reported", "not_comparable"), row
        if row["outcome_text"] != "not stated":
            assert row["outcome_text"] in text_2022, row["outcome_text"]
        if row["outcome_value"]:
            assert row["outcome_value"] + row["outcome_unit"] in row["outcome_text"], row


def test_a_missed_target_keeps_both_sentences_as_evidence(hebei_2021):
    retail = next(r for r in hebei_2021 if r.indicator == "社会消费品零售总额" and r.target_period == "2021")
    assert (retail.verdict, retail.outcome_value, retail.qualifier) == ("missed", Decimal("6.3"), "左右")
    assert "社会消费品零售总额增长8%左右" in retail.target_sentence
    assert "社会消费品零售总额增长6.3%" in retail.outcome_sentence
    assert retail.target_sentence_iri.endswith("/2021/sentence/171")
    assert "/2022/sentence/" in retail.outcome_sentence_iri and retail.outcome.startswith("https://")


def test_a_linked_indicator_finds_the_outcome_and_names_the_link(hebei_2021):
    firms = next(r for r in hebei_2021 if r.indicator == "新增国家级高新技术企业")
    assert (firms.verdict, firms.match, firms.outcome_indicator) == ("met", "close", "新增国家高新技术企业")


def test_later_years_and_reports_without_a_successor_stay_open(table):
    later = [r for r in table
             if r.government == HEBEI and r.target_report.endswith("/2021") and r.target_period > "2021"]
    assert later and all(r.verdict == "open" for r in later)
    jiading = [r for r in table if r.government == "上海市嘉定区人民政府"]
    assert jiading and {r.verdict for r in jiading} == {"open"}
    assert "no 2022 report" in next(r for r in jiading if r.target_period == "2021").reason


def test_oxigraph_and_rdflib_give_the_same_table(tmp_path):
    from kg.build import build

    out = tmp_path / "hebei.ttl"
    build([SOURCES / "hebei-2021.txt", SOURCES / "hebei-2022.txt"], out)
    assert target_table(open_graph(out)) == target_table(load_graph(out))


def test_named_graphs_give_the_same_table_as_the_union(tmp_path):
    from kg.build import build

    reports = [SOURCES / "hebei-2021.txt", SOURCES / "hebei-2022.txt"]
    build(reports, tmp_path / "hebei.ttl")
    build(reports, tmp_path / "hebei.trig")
    assert target_table(load_graph(tmp_path / "hebei.trig")) == target_table(load_graph(tmp_path / "hebei.ttl"))


def test_kg_table_targets_prints_the_columns_in_order(tmp_path):
    from kg.build import build

    out = tmp_path / "hebei.ttl"
    build([SOURCES / "hebei-2021.txt", SOURCES / "hebei-2022.txt"], out)
    result = CliRunner().invoke(main, ["table", "targets", "--graph", str(out), "--format", "csv", "--period", "2021"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split(",")[:10] == COLUMNS
    assert "社会消费品零售总额,8,%,左右,2021,6.3,%,missed," in result.stdout
    assert all(",2021," in line for line in lines[1:] if line.startswith("社会消费品零售总额"))
    summary = r"^\(\d+ met, 1 missed, \d+ not reported, \d+ not comparable, \d+ open, \d+ no target\)$"
    assert re.search(summary, result.stderr, re.M)
    as_json = CliRunner().invoke(main, ["compare", "--graph", str(out), "--format", "json", "--verdict", "missed"])
    assert as_json.exit_code == 0, as_json.output
    rows = json.loads(as_json.stdout)["results"]["bindings"]
    assert rows and {r["verdict"]["value"] for r in rows} == {"missed"}


def test_kg_table_targets_names_a_missing_graph(tmp_path):
    result = CliRunner().invoke(main, ["table", "targets", "--graph", str(tmp_path / "none.ttl")])
    assert result.exit_code == 2 and "none.ttl: no such graph file" in result.output


def test_kg_table_targets_names_the_government_and_refuses_a_bad_period(tmp_path):
    """Two governments' rows are told apart, and a typo in --period is an error, not zero rows."""
    from kg.build import build

    out = tmp_path / "hebei.ttl"
    build([SOURCES / "hebei-2021.txt", SOURCES / "hebei-2022.txt"], out)
    table = CliRunner().invoke(main, ["table", "targets", "--graph", str(out),
                                      "--government", "河北", "--period", "2021"])
    assert table.exit_code == 0, table.output
    assert table.stdout.splitlines()[0].split()[:3] == ["government", "target_report", "indicator"]
    assert "河北省人民政府" in table.stdout.splitlines()[2] and "河北省/2021" in table.stdout.splitlines()[2]
    assert re.search(r"地区生产总值\s+\+6\.5\s", table.stdout)  # a change target shows its sign
    typo = CliRunner().invoke(main, ["table", "targets", "--graph", str(out), "--period", "2O21"])
    assert typo.exit_code == 2 and "not a period such as 2021" in typo.output
    absent = CliRunner().invoke(main, ["table", "targets", "--graph", str(out), "--period", "2099"])
    assert absent.exit_code == 2 and "periods with targets: 2021" in absent.output
    other = CliRunner().invoke(main, ["table", "targets", "--graph", str(out), "--government", "浙江"])
    assert other.exit_code == 2 and "no targets of 浙江省人民政府" in other.output
