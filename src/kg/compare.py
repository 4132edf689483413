"""Compare reports across years: which targets were met?

A report sets targets for its year (``kind "target"``, e.g. 地区生产总值增长6.5%左右 for 2021);
the next year's report says what that year achieved (``kind "change"`` or ``"actual"`` for the
same indicator and period). :func:`target_checks` pairs each target with the result the same
government reported later for the same indicator and period, and judges whether it was met.

The judgement is deliberately simple and explained in each row's ``reason``:

* a result is comparable when its unit is the target's unit (after normalisation), and its kind
  fits the target: a growth target (a rate in %) is compared with a change, a level with a level;
* a target qualified by 控制在/以内/以下/不超过 is a ceiling; any other target is a floor;
* a growth target is met by a change of at least that size in the same direction.

>>> from rdflib import Graph
>>> target_checks(Graph())
[]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from rdflib import Graph

CEILING = re.compile(r"控制在|以内|以下|不超过|不高于|低于")
RATE_UNITS = {"%", "个百分点", "percent", "percentage-point"}

CANDIDATES = """
PREFIX kg: <https://w3id.org/policykg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?government ?indicator ?period ?target ?tvalue ?tunit ?tnorm ?tqualifier ?tdirection ?ttext ?treport
       ?result ?rvalue ?runit ?rnorm ?rkind ?rdirection ?rtext ?rreport
WHERE {
  ?target a kg:Observation ; kg:kind "target" ; kg:indicator ?i ; kg:period ?period ;
          kg:value ?tvalue ; kg:unit ?tunit ; kg:sentence/kg:text ?ttext ; kg:inReport ?treport .
  ?treport kg:government ?government ; kg:year ?tyear .
  ?i skos:prefLabel ?indicator .
  OPTIONAL { ?target kg:unitNormalized ?tnorm }
  OPTIONAL { ?target kg:qualifier ?tqualifier }
  OPTIONAL { ?target kg:direction ?tdirection }
  OPTIONAL {
    ?result a kg:Observation ; kg:indicator ?i ; kg:period ?period ; kg:kind ?rkind ;
            kg:value ?rvalue ; kg:unit ?runit ; kg:sentence/kg:text ?rtext ; kg:inReport ?rreport .
    ?rreport kg:government ?government ; kg:year ?ryear .
    OPTIONAL { ?result kg:unitNormalized ?rnorm }
    OPTIONAL { ?result kg:direction ?rdirection }
    FILTER(?rkind != "target" && STR(?ryear) > STR(?tyear))
  }
}
"""


@dataclass(frozen=True)
class TargetCheck:
    """One target and, when a later report gave one, its result and whether it was met."""

    government: str
    indicator: str
    period: str
    target: Decimal
    target_unit: str
    qualifier: str
    target_sentence: str
    result: Decimal | None
    result_unit: str
    result_kind: str
    result_sentence: str
    met: bool | None
    reason: str

    COLUMNS = (
        "government", "indicator", "period", "target", "target_unit", "qualifier", "result",
        "result_unit", "result_kind", "met", "reason", "target_sentence", "result_sentence",
    )


def _signed(value: Decimal, direction: str | None) -> Decimal:
    return -value if direction == "down" else value


def judge(
    target: Decimal, qualifier: str, target_direction: str | None,
    result: Decimal, result_kind: str, result_direction: str | None, rate: bool,
) -> tuple[bool, str]:
    """Whether ``result`` meets ``target``, and why.

    >>> judge(Decimal("6.5"), "左右", None, Decimal("6.5"), "change", "up", True)
    (True, 'change up 6.5 ≥ target up 6.5')
    >>> judge(Decimal("3"), "控制在|左右", None, Decimal("1"), "change", "up", True)
    (True, 'ceiling: 1 ≤ 3')
    >>> judge(Decimal("3"), "", "down", Decimal("2"), "change", "down", True)
    (False, 'change down 2 < target down 3')
    """
    if CEILING.search(qualifier):
        ok = _signed(result, result_direction) <= target
        return ok, f"ceiling: {result} {'≤' if ok else '>'} {target}"
    if rate and result_kind == "change":
        wanted = target_direction or "up"
        got = result_direction or "up"
        if got != wanted:
            return False, f"change {got} {result}, target {wanted} {target}"
        ok = result >= target
        return ok, f"change {got} {result} {'≥' if ok else '<'} target {wanted} {target}"
    ok = result >= target
    return ok, f"level {result} {'≥' if ok else '<'} target {target}"


def _fits(rate: bool, kind: str, target_has_direction: bool) -> bool:
    if rate:
        return kind == "change" or (kind in ("share", "actual") and not target_has_direction)
    return kind in ("actual", "cumulative", "share")


def target_checks(graph: Graph) -> list[TargetCheck]:
    """Every target in the graph with its later result (if any) and verdict, sorted."""
    by_target: dict[str, list[dict[str, object]]] = {}
    for row in graph.query(CANDIDATES):
        values = row.asdict()  # type: ignore[union-attr]
        by_target.setdefault(str(values["target"]), []).append(dict(values))
    checks = []
    for rows in by_target.values():
        first = rows[0]
        tunit = str(first.get("tnorm") or first["tunit"])
        rate = str(first["tunit"]) in RATE_UNITS or tunit in RATE_UNITS
        tdirection = str(first["tdirection"]) if first.get("tdirection") else None
        qualifier = str(first.get("tqualifier") or "")
        candidates = [
            r for r in rows
            if r.get("result") is not None
            and str(r.get("rnorm") or r["runit"]) == tunit
            and _fits(rate, str(r["rkind"]), tdirection is not None)
        ]
        # A change beats a level for a rate target; ties go to the earliest sentence text.
        candidates.sort(key=lambda r: (str(r["rkind"]) != "change", str(r["rtext"]), str(r["rvalue"])))
        target = Decimal(str(first["tvalue"]))
        base = dict(
            government=str(first["government"]), indicator=str(first["indicator"]),
            period=str(first["period"]), target=target, target_unit=str(first["tunit"]),
            qualifier=qualifier, target_sentence=str(first["ttext"]),
        )
        if not candidates:
            checks.append(TargetCheck(**base, result=None, result_unit="", result_kind="",  # type: ignore[arg-type]
                                      result_sentence="", met=None, reason="no comparable result reported"))
            continue
        best = candidates[0]
        result = Decimal(str(best["rvalue"]))
        rdirection = str(best["rdirection"]) if best.get("rdirection") else None
        met, reason = judge(target, qualifier, tdirection, result, str(best["rkind"]), rdirection, rate)
        checks.append(TargetCheck(**base, result=result, result_unit=str(best["runit"]),  # type: ignore[arg-type]
                                  result_kind=str(best["rkind"]), result_sentence=str(best["rtext"]),
                                  met=met, reason=reason))
    checks.sort(key=lambda c: (c.government, c.period, c.met is None, c.indicator, c.target))
    return checks
