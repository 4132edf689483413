"""Indicator polarity as data: a target on an indicator that is better lower is a ceiling.

Hand-made cases, each the shape of a real target: the State Council's CPI target (居民消费价格涨幅
3%左右) met by a lower outcome, an unemployment ceiling missed, and a fall to make (能耗下降3%) that
stays a floor on the fall.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from kg.targets import Quantity, judge, lower_better


def _target(value: str, unit: str, indicator: str, **kw: str) -> Quantity:
    return replace(Quantity.of(value, unit, **kw), lower_better=lower_better(indicator))


@pytest.mark.parametrize(("indicator", "target", "outcome", "verdict"), [
    ("居民消费价格涨幅", _target("3", "%", "居民消费价格涨幅", direction="up", qualifier="左右"),
     Quantity.of("2", "%", kind="change", direction="up"), "met"),
    ("居民消费价格涨幅", _target("3", "%", "居民消费价格涨幅", direction="up", qualifier="左右"),
     Quantity.of("3.6", "%", kind="change", direction="up"), "missed"),
    ("城镇调查失业率", _target("5.5", "%", "城镇调查失业率", qualifier="左右"),
     Quantity.of("5.2", "%", kind="share"), "met"),
    ("城镇调查失业率", _target("5.5", "%", "城镇调查失业率", qualifier="左右"),
     Quantity.of("6.1", "%", kind="share"), "missed"),
    ("单位GDP能耗", _target("3", "%", "单位GDP能耗", direction="down"),
     Quantity.of("3.2", "%", kind="change", direction="down"), "met"),
    ("单位GDP能耗", _target("3", "%", "单位GDP能耗", direction="down"),
     Quantity.of("2.5", "%", kind="change", direction="down"), "missed"),
    ("地区生产总值", _target("6", "%", "地区生产总值", direction="up", qualifier="左右"),
     Quantity.of("5.2", "%", kind="change", direction="up"), "missed"),
])
def test_polarity_makes_a_ceiling(indicator: str, target: Quantity, outcome: Quantity, verdict: str) -> None:
    assert judge(target, outcome).verdict == verdict, (indicator, judge(target, outcome).reason)


def test_the_polarity_table_names_what_is_better_lower() -> None:
    assert lower_better("居民消费价格") and lower_better("财政赤字率") and lower_better("PM2.5平均浓度")
    assert not lower_better("城镇新增就业") and not lower_better("粮食产量")
