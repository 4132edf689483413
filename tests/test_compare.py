"""Which targets were met: Hebei's 2021 targets against what its 2022 report says of 2021."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.compare import target_checks

HERE = Path(__file__).resolve().parent
CASES = json.loads((HERE / "cases" / "targets-met.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def checks(built_graph):
    return target_checks(built_graph)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["indicator"])
def test_target_is_judged_against_the_later_report(checks, case):
    found = [
        c for c in checks
        if (c.government, c.indicator, c.period, c.target) == (case["government"], case["indicator"], case["period"], Decimal(case["target"]))
    ]
    assert found, f"no target {case}"
    check = found[0]
    assert check.result == Decimal(case["result"]) and check.met is case["met"], check
    assert check.target_sentence and check.result_sentence


def test_targets_without_a_later_report_are_not_judged(checks):
    jiading = [c for c in checks if c.government == "上海市嘉定区人民政府" and c.period == "2021"]
    assert jiading and all(c.met is None for c in jiading)


def test_compare_cli_prints_verdicts_as_csv():
    result = CliRunner().invoke(main, ["compare", "--format", "csv"])
    assert result.exit_code == 0, result.output
    header = result.output.splitlines()[0].split(",")
    assert header[:4] == ["government", "indicator", "period", "target"] and "met" in header
    assert "社会消费品零售总额" in result.output
