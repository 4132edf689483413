"""Semantic fixes in observation extraction that let outcomes and baselines be found."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from kg.extract.observations import extract_observations
from kg.text.segment import segment
from kg.text.source import read_source

SOURCES = Path(__file__).resolve().parent.parent / "data" / "source"


@pytest.fixture(scope="module")
def hebei_2021():
    return extract_observations(segment(read_source(SOURCES / "hebei-2021.txt")))


@pytest.mark.parametrize(("indicator", "base", "end"), [
    ("一般公共预算收入", "2649.2", "3826.4"),   # 从2649.2亿元增长到3826.4亿元, after 到2020年 in the clause before
    ("高速公路", "6333", "7809"),
    ("居民人均可支配收入", "18118", "27136"),
])
def test_the_from_value_of_a_five_year_review_is_dated_2015(hebei_2021, indicator, base, end):
    periods = {o.value: o.period for o in hebei_2021 if o.indicator == indicator}
    assert periods[Decimal(base)] == "2015" and periods[Decimal(end)] == "2020"


def test_an_explicit_year_still_dates_the_from_value(hebei_2021):
    gdp = {o.value: o.period for o in hebei_2021 if o.indicator == "地区生产总值" and o.unit == "万亿元"}
    assert gdp[Decimal("2.6")] == "2015" and gdp[Decimal("3.62")] == "2020"
