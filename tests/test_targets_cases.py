"""Targets judged on hand-made report pairs (``tests/cases/targets/*.txt``), end to end.

Each case is two short reports in the shapes real reports use, built with :func:`kg.build.build`
and reconciled with :func:`kg.targets.target_table`: ranges, the 左右 band, polarity, additions
against stocks, verdicts stated in words, a report that sets no target, a target stated twice, and
last year's figures recalled among this year's tasks. The expectations are the ``# expect:`` lines.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from kg.build import build
from kg.store import open_graph
from kg.targets import target_table
from kg.targets.reconcile import VERDICTS

CASES = Path(__file__).parent / "cases" / "targets"
GOVERNMENT = "测试市人民政府"


def _case(path: Path) -> tuple[dict[int, str], list[tuple[str, str, Decimal | None]], list[str]]:
    reports: dict[int, list[str]] = {}
    expect, absent = [], []
    year = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if m := re.fullmatch(r"# expect: (\S+) (\S+)(?: (\S+))?", line):
            assert m[2] in VERDICTS, f"{path.name}: unknown verdict {m[2]}"
            expect.append((m[1], m[2], Decimal(m[3]) if m[3] else None))
        elif m := re.fullmatch(r"# absent: (\S+)", line):
            absent.append(m[1])
        elif m := re.fullmatch(r"=== (\d{4})", line):
            year = int(m[1])
            reports[year] = []
        elif year is not None:
            reports[year].append(line)
    assert expect or absent, f"{path.name}: no # expect: line"
    return {y: "\n".join(lines) for y, lines in reports.items()}, expect, absent


def _table(tmp_path: Path, reports: dict[int, str]):  # type: ignore[no-untyped-def]
    paths = []
    for year, body in reports.items():
        path = tmp_path / f"测试市_{year}_report.txt"
        head = f"标题：{year}年测试市政府工作报告\n发文单位：{GOVERNMENT}\n\n正文：\n"
        path.write_text(f"{head}{body}\n", encoding="utf-8")
        paths.append(path)
    out = tmp_path / "case.ttl"
    build(paths, out)
    return target_table(open_graph(out))


@pytest.mark.parametrize("path", sorted(CASES.glob("*.txt")), ids=lambda p: p.stem)
def test_target_case(path: Path, tmp_path: Path) -> None:
    reports, expect, absent = _case(path)
    rows = _table(tmp_path, reports)
    shown = [(r.indicator, r.target_value, r.verdict, r.margin, r.reason) for r in rows]
    for indicator, verdict, margin in expect:
        found = [r for r in rows if r.indicator == indicator]
        assert found, f"no target row for {indicator}; rows: {shown}"
        assert len(found) == 1, f"{indicator} is {len(found)} rows, expected one: {shown}"
        assert found[0].verdict == verdict, (indicator, found[0].reason, found[0].stated_sentence)
        if margin is not None:
            assert found[0].margin == margin, (indicator, found[0].margin, found[0].reason)
    for indicator in absent:
        assert not [r for r in rows if r.indicator == indicator], shown


def test_stated_verdict_keeps_its_sentence(tmp_path: Path) -> None:
    reports, _, _ = _case(CASES / "stated-in-words.txt")
    row = next(r for r in _table(tmp_path, reports) if r.indicator == "进出口总额")
    assert row.stated == "missed" and "预期增长目标未能实现" in row.stated_sentence
    assert "预期增长目标未能实现" in row.outcome_sentence and "stated in words" in row.reason
