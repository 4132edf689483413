"""Targets reconciled across years: was each target met?

A report sets targets for its year (``kind "target"``, e.g. 生产总值增长6.5% in Hebei's 2021 report);
the next year's report says what that year achieved (``kind "change"``, ``"actual"``, ``"share"`` for
the same indicator and period: 全省生产总值…增长6.5%). :func:`target_table` pairs every target that
report *Y* sets for period *P* with the outcomes that the same government's report for *P + 1* states
for *P*, on the same indicator concept or one linked to it by ``skos:exactMatch`` /
``skos:closeMatch`` (:mod:`kg.rdf.crosslink`), and :func:`judge` gives the verdict.

Verdicts
--------
``met`` / ``missed``
    A comparable outcome was found and reaches / does not reach the target.
``not_reported``
    The next report exists but states no outcome for the indicator and period.
``not_comparable``
    It states one, but of another kind (a level against a growth rate), another unit (亿元 against
    %, % against 个百分点) or a different measure (``skos:relatedMatch``): shown, not judged.
``open``
    No verdict yet: the target is for a later year (2025, 2035) or a span (2021-2025), or the graph
    has no report for the year after the target's year.
``no_target``
    The report says it sets no target for the indicator (我们没有提出全年经济增速具体目标): a row of its
    own, with that sentence, so a gap in a series is explained rather than blank.

Verdicts stated in words
------------------------
The next report sometimes says it in words (去年…进出口总额出现下降，预期增长目标未能实现; 单位生产总值能耗
超额完成年度目标). Such statements (``data/lexicon/target-statements.csv``) fill the ``stated`` and
``stated_sentence`` columns of the targets they name; a target with no comparable figure takes the
stated verdict, and its reason says so.

Margin
------
``margin`` is outcome − target in the target's unit (a change counted in the target's direction):
7.7 against 7.5 is +0.2; for a ceiling a negative margin is room to spare.

Rules, in the order they apply
------------------------------
* **Units**: values are compared after normalisation (``kg:valueNormalized``: 4.03万亿元 and 40300亿元
  are the same number of CNY); two different normalised units are not comparable.
* **Kinds**: a target with a direction and a rate unit (增长6.5%, 下降3%) is a *change* and is compared
  with a change of the same unit; any other target is a *level* and is compared with a level
  (``actual``, ``share``, ``cumulative``).
* **Direction**: a change is measured in the target's direction: for 下降3%以上, a fall of 5% counts
  5 and a rise of 1% counts −1.
* **Qualifiers and polarity**: 控制在/以内/以下/不超过/不高于/低于 make a *ceiling* (met when the outcome
  is at or below it), and so does an indicator that is better lower (prices, unemployment, deficits,
  energy intensity, emissions, accidents: ``data/lexicon/indicator-polarity.csv``) whatever word the
  target uses (居民消费价格涨幅3%左右 is met by 2%); anything else is a *floor* (以上, 超, 突破, 达到, 至少, or no
  qualifier: met when the outcome is at or above it).
* **Band**: 左右 and 约 widen the target by a band: **±0.5 percentage points** for rates (% and
  个百分点), **±5 % of the target** for levels. A floor of 8%左右 is met from 7.5%; a ceiling of
  3%左右 is met up to 3.5%.
* **Stretch goals**: 力争 marks a stretch goal; it is judged like a floor on its own value, without a
  band (met only if the stretch value was reached), and the reason says it was a stretch goal.
  A baseline target stated next to it is a separate row with its own verdict.
* **Ranges**: a target written as a range (增长6.5%－7%, ``kg:valueMax``) is a floor on its lower
  bound, or for a ceiling a cap on its upper bound; no band is added.
* **Subjects**: a figure that belongs to one project, company or place (``kg:about``) is never the
  outcome of another's target: three projects' 总投资 are three measures. For a measure that always
  belongs to something (总投资, 建筑面积: ``owned`` in ``observation-words.csv``) an outcome whose
  subject is not named is not taken either.
* **Additions and stocks**: a level target for additions (新增, 新建, 净增 before the figure) is not
  judged against a stock (总数, 累计, 达到 …) but on the net change when the target's own report
  gives the stock of the year before (3000 − 2600 = 400 against 新增500); without it,
  ``not_comparable``, with the reason.
* **Outcome qualifiers**: 超1000 and 1000以上 count as 1000; an outcome is taken at its stated value.
* **A target stated twice** in one report (the goal, then 提出…的考虑) is one row.

>>> t = Quantity.of("8", "%", direction="up", qualifier="左右")
>>> judge(t, Quantity.of("6.3", "%", kind="change", direction="up"))
Verdict(verdict='missed', reason='floor 8 % − band 0.5 = 7.5: change up 6.3 < 7.5', margin=Decimal('-1.7'))
>>> judge(Quantity.of("3", "%", direction="up", qualifier="控制在|左右"),
...       Quantity.of("1", "%", kind="change", direction="up")).verdict
'met'
>>> judge(Quantity.of("4", "万亿元"), Quantity.of("40300", "亿元", kind="actual")).verdict
'met'
>>> judge(t, None).verdict
'not_reported'
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from rdflib import Graph
from rdflib.namespace import SKOS

from kg.extract.observations import indicator_label, load_rules, read_unit
from kg.query.run import run_query
from kg.rdf.crosslink import cross_links, indicator_graph
from kg.rdf.observations import indicator_iri
from kg.resources import lexicon_dir, read_rule_table, row_error

VERDICTS = ("met", "missed", "not_reported", "not_comparable", "open", "no_target")
STATED = ("met", "missed", "no_target")
POLARITIES = ("lower",)
CEILING = re.compile(r"控制在|以内|以下|不超过|不高于|低于")
BAND = re.compile(r"左右|约")
STRETCH = "力争"
RATE_UNITS = frozenset({"percent", "percentage-point"})
ADDED = re.compile(r"新增|新建|净增|新开工|新认定|新培育|新引进|新改扩建")
STOCK = re.compile(r"总数|总量|累计|共有|现有|拥有|达到|达|总计|全部")
#: The band of 左右: ± this many percentage points for rates, ± this share of the target for levels.
RATE_BAND = Decimal("0.5")
LEVEL_BAND = Decimal("0.05")
MATCH_RANK = {"same": 0, "exact": 1, "close": 2, "related": 3}
_LINKS = {SKOS.exactMatch: "exact", SKOS.closeMatch: "close", SKOS.relatedMatch: "related"}


@dataclass(frozen=True)
class Quantity:
    """A target or an outcome, as :func:`judge` needs it."""

    value: Decimal
    unit: str
    kind: str = "target"
    direction: str = ""
    qualifier: str = ""
    value_normalized: Decimal | None = None
    unit_normalized: str = ""
    lower_better: bool = False  # the indicator is better lower (prices, unemployment): a ceiling
    upper: Decimal | None = None  # a range target (增长6.5%－7%): value is its lower bound

    @classmethod
    def of(cls, value: str | Decimal, unit: str, *, kind: str = "target", direction: str = "",
           qualifier: str = "", upper: str | Decimal | None = None) -> Quantity:
        """A quantity from its value and unit as written, normalised with ``units.csv``.

        >>> Quantity.of("4.03", "万亿元").value_normalized
        Decimal('4030000000000.00')
        """
        value = Decimal(str(value))
        top = Decimal(str(upper)) if upper is not None else None
        read = read_unit(unit)
        if read is None or not read[2]:
            return cls(value, unit, kind, direction, qualifier, upper=top)
        return cls(value, unit, kind, direction, qualifier, value * read[3], read[2], upper=top)

    @property
    def rate(self) -> bool:
        """Measured in % or 个百分点 (the 左右 band is then ±0.5 points)."""
        return (self.unit_normalized or self.unit) in RATE_UNITS or self.unit in ("%", "％", "个百分点")

    @property
    def is_change(self) -> bool:
        """A change (增长6.5%) rather than a level (达到89%)."""
        if self.kind == "target":
            return bool(self.direction) and self.rate
        return self.kind == "change" and self.rate


@dataclass(frozen=True)
class Verdict:
    """A verdict and the reason for it, in words a reader can check."""

    verdict: str
    reason: str
    margin: Decimal | None = None  # outcome − target in the target's unit (a change counted in its direction)


def _fmt(value: Decimal) -> str:
    return format(value.normalize(), "f")


def comparable(target: Quantity, outcome: Quantity) -> str:
    """Why ``outcome`` cannot be compared with ``target``; ``""`` when it can.

    >>> comparable(Quantity.of("6.5", "%", direction="up"), Quantity.of("4", "万亿元", kind="actual"))
    'a level (万亿元) against a change target'
    """
    if target.is_change != outcome.is_change:
        what = "a change" if outcome.is_change else f"a level ({outcome.unit})"
        return f"{what} against a {'change' if target.is_change else 'level'} target"
    if target.unit_normalized and outcome.unit_normalized:
        if target.unit_normalized != outcome.unit_normalized:
            return f"unit {outcome.unit} ({outcome.unit_normalized}) against {target.unit} ({target.unit_normalized})"
    elif target.unit != outcome.unit:
        return f"unit {outcome.unit} against {target.unit}"
    return ""


def judge(target: Quantity, outcome: Quantity | None, *, match: str = "same") -> Verdict:
    """The verdict on ``target`` given the ``outcome`` the next report states (``None``: none).

    ``match`` is how the outcome's indicator is linked to the target's: ``same``, ``exact``,
    ``close`` or ``related`` (a different measure: never judged).

    >>> judge(Quantity.of("3", "%", direction="down", qualifier="以上"),
    ...       Quantity.of("15.3", "%", kind="change", direction="down"))
    Verdict(verdict='met', reason='floor 3 %: change down 15.3 ≥ 3', margin=Decimal('12.3'))
    >>> judge(Quantity.of("6.5", "%", direction="up", upper="7"),
    ...       Quantity.of("6.7", "%", kind="change", direction="up"))
    Verdict(verdict='met', reason='range 6.5–7 %, floor 6.5: change up 6.7 ≥ 6.5', margin=Decimal('0.2'))
    """
    if outcome is None:
        return Verdict("not_reported", "the next report states no outcome for this indicator and period")
    if match == "related":
        return Verdict("not_comparable", "the outcome is a related but different measure (skos:relatedMatch)")
    why = comparable(target, outcome)
    if why:
        return Verdict("not_comparable", why)
    # Compare in normalised units (万亿元 against 亿元), show numbers in the target's unit.
    goal, got = target.value, outcome.value
    if target.value_normalized and outcome.value_normalized is not None:
        got = outcome.value_normalized * target.value / target.value_normalized
    if target.is_change:
        wanted = target.direction or "up"
        said = outcome.direction or "up"
        got = got if said == wanted else -got
        shown = f"change {wanted} {_fmt(got)}"
    else:
        shown = f"level {_fmt(got)}"
    stretch = STRETCH in target.qualifier
    # better lower: a level or a rise is capped (涨幅3%左右); a fall to make (下降3%) stays a floor on the fall
    capped = target.lower_better and not (target.is_change and target.direction == "down")
    ceiling = CEILING.search(target.qualifier) is not None or capped
    if target.upper is not None:  # a range (6.5%－7%): a floor on its lower bound, a ceiling on its upper one
        goal = target.upper if ceiling else goal
        ok = got <= goal if ceiling else got >= goal
        span = f"range {_fmt(target.value)}–{_fmt(target.upper)} {target.unit}"
        sign = ("≤" if ok else ">") if ceiling else ("≥" if ok else "<")
        return Verdict("met" if ok else "missed", f"{span}, {'ceiling' if ceiling else 'floor'} {_fmt(goal)}: "
                       f"{shown} {sign} {_fmt(goal)}", got - goal)
    band = Decimal(0)
    if BAND.search(target.qualifier) and not stretch:
        band = RATE_BAND if target.rate else abs(goal) * LEVEL_BAND
    limit = goal + band if ceiling else goal - band
    ok = got <= limit if ceiling else got >= limit
    kind = "ceiling" if ceiling else "stretch goal (力争)" if stretch else "floor"
    head = f"{kind} {_fmt(goal)} {target.unit}"
    if band:
        head += f" {'+' if ceiling else '−'} band {_fmt(band)} = {_fmt(limit)}"
    sign = ("≤" if ok else ">") if ceiling else ("≥" if ok else "<")
    return Verdict("met" if ok else "missed", f"{head}: {shown} {sign} {_fmt(limit)}", got - goal)


@dataclass(frozen=True)
class TargetRow:
    """One row of the targets table: a target, the outcome chosen for it, the verdict and evidence."""

    indicator: str
    target_value: Decimal
    target_unit: str
    qualifier: str
    target_period: str
    outcome_value: Decimal | None
    outcome_unit: str
    verdict: str
    target_sentence: str
    outcome_sentence: str
    government: str = ""
    target_report: str = ""
    outcome_report: str = ""
    target_direction: str = ""
    outcome_direction: str = ""
    outcome_kind: str = ""
    outcome_indicator: str = ""
    match: str = ""
    reason: str = ""
    target: str = ""
    outcome: str = ""
    target_sentence_iri: str = ""
    outcome_sentence_iri: str = ""
    target_start: int = 0
    baseline_value: Decimal | None = None
    baseline_unit: str = ""
    baseline_direction: str = ""
    baseline_sentence: str = ""
    margin: Decimal | None = None
    target_max: Decimal | None = None
    stated: str = ""
    stated_sentence: str = ""
    order: tuple[str, int, int] = field(default=("", 0, 0), repr=False, compare=False)

    @classmethod
    def columns(cls) -> tuple[str, ...]:
        """The table's columns: the ten the issue names, in its order, then the extras.

        >>> TargetRow.columns()[:4]
        ('indicator', 'target_value', 'target_unit', 'qualifier')
        """
        return tuple(f.name for f in fields(cls) if f.name != "order")


_OBSERVATION = """
  ?{o} a kg:Observation ; kg:kind ?{o}_kind ; kg:indicator ?{o}_i ; kg:period ?{o}_period ;
       kg:value ?{o}_value ; kg:unit ?{o}_unit ; kg:sentence ?{o}_s ; kg:inReport ?{o}_report .
  ?{o}_s kg:text ?{o}_text .
  ?{o}_report kg:government ?{o}_gov ; kg:year ?{o}_year .
  OPTIONAL {{ ?{o}_i skos:prefLabel ?{o}_label }}
  OPTIONAL {{ ?{o} kg:valueNormalized ?{o}_vnorm ; kg:unitNormalized ?{o}_unorm }}
  OPTIONAL {{ ?{o} kg:direction ?{o}_direction }}
  OPTIONAL {{ ?{o} kg:qualifier ?{o}_qualifier }}
  OPTIONAL {{ ?{o} kg:start ?{o}_start }}
  OPTIONAL {{ ?{o} kg:valueMax ?{o}_max }}
  OPTIONAL {{ ?{o} kg:about ?{o}_about }}
  OPTIONAL {{ ?{o}_s kg:start ?{o}_sstart }}
"""
PREFIX = """PREFIX kg: <https://w3id.org/policykg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""
#: Every target.
TARGETS = PREFIX + "SELECT * WHERE {" + _OBSERVATION.format(o="t") + ' FILTER(?t_kind = "target") }'
#: Every outcome a report states about the year before it: the only ones a target can meet. A share
#: kept through a span that ends then (人口自然增长率控制在6.94‰以内, said of 2006-2010) is its level then too.
OUTCOMES = PREFIX + "SELECT * WHERE {" + _OBSERVATION.format(o="o") + """
  BIND(STR(xsd:integer(STR(?o_year)) - 1) AS ?o_last)
  FILTER(?o_kind != "target" && ?o_kind != "note" && (?o_period = ?o_last
         || (?o_kind = "share" && STRENDS(?o_period, CONCAT("-", ?o_last))))) }"""
REPORTS = PREFIX + "SELECT DISTINCT ?gov ?year WHERE { ?r kg:government ?gov ; kg:year ?year }"
#: Sentences that may state a verdict in words (目标未能实现, 超额完成, 没有提出…目标).
STATEMENTS = PREFIX + """SELECT ?s ?text ?gov ?year WHERE {
  ?s a kg:Sentence ; kg:text ?text ; kg:inReport ?r . ?r kg:government ?gov ; kg:year ?year .
  FILTER(CONTAINS(?text, "目标") || CONTAINS(?text, "计划") || CONTAINS(?text, "任务")) }"""
LINKS = PREFIX + """SELECT ?a ?p ?b WHERE {
  VALUES ?p { skos:exactMatch skos:closeMatch skos:relatedMatch } ?a ?p ?b . ?a a kg:Indicator }"""


@lru_cache(maxsize=1)
def _polarity() -> tuple[str, ...]:
    path = lexicon_dir() / "indicator-polarity.csv"
    rows = read_rule_table(path, ("word", "polarity"), choices={"polarity": POLARITIES}, required=("word", "polarity"))
    return tuple(row["word"] for _, row in rows if row["polarity"] == "lower")


def lower_better(indicator: str) -> bool:
    """Whether an indicator is better lower (``data/lexicon/indicator-polarity.csv``): a target on it
    is a ceiling whatever word it uses.

    >>> lower_better("居民消费价格涨幅"), lower_better("城镇调查失业率"), lower_better("地区生产总值")
    (True, True, False)
    """
    return any(word in indicator for word in _polarity())


def _quantity(row: dict[str, object], o: str) -> Quantity:
    norm, top = row.get(f"{o}_vnorm"), row.get(f"{o}_max")
    return Quantity(
        Decimal(str(row[f"{o}_value"])), str(row[f"{o}_unit"]), str(row[f"{o}_kind"]),
        str(row.get(f"{o}_direction") or ""), str(row.get(f"{o}_qualifier") or ""),
        Decimal(str(norm)) if norm is not None else None, str(row.get(f"{o}_unorm") or ""),
        upper=Decimal(str(top)) if top is not None else None,
    )


def _before(row: dict[str, object], o: str, width: int = 12) -> str:
    """The words of the sentence right before the figure, within its clause (新增1500家 → 新增)."""
    text = str(row[f"{o}_text"])
    at = int(str(row.get(f"{o}_start") or 0)) - int(str(row.get(f"{o}_sstart") or 0))
    head = text[max(0, at - width):max(0, at)]
    return re.split(r"[，,；;：:。]", head)[-1]


def flow_or_stock(row: dict[str, object], o: str) -> str:
    """``"flow"`` for additions in the year (新增, 新建, 净增 before the figure), ``"stock"`` for a
    total that stands (总数, 累计, 达到, 共有), ``""`` when the words do not say."""
    words = _before(row, o) + str(row.get(f"{o}_label") or "")
    if ADDED.search(words):
        return "flow"
    if STOCK.search(words):
        return "stock"
    return ""


def _rows(graph: Graph, query: str) -> list[dict[str, object]]:
    """The rows of a SELECT, as dictionaries (answered by Oxigraph itself when the graph is in it)."""
    return [{str(k): v for k, v in row.items()} for row in run_query(graph, query).bindings]


def indicator_links(graph: Graph, *, compute: bool = True) -> dict[str, list[tuple[str, str]]]:
    """For each indicator IRI, the indicators linked to it and how (``exact``/``close``/``related``).

    Reads the links in ``graph`` and, with ``compute``, also those :func:`kg.rdf.crosslink.cross_links`
    makes from its indicator concepts (so a graph built before the links existed still gets them).
    """
    pairs = [(str(r["a"]), _LINKS[r["p"]], str(r["b"])) for r in _rows(graph, LINKS)]  # type: ignore[index]
    if compute:
        computed = cross_links(indicator_graph(graph))
        pairs += [(str(a), _LINKS[p], str(b)) for a, p, b in computed if p in _LINKS]  # type: ignore[index]
    links: dict[str, dict[str, str]] = defaultdict(dict)
    for a, match, b in pairs:
        for x, y in ((a, b), (b, a)):
            old = links[x].get(y)
            if old is None or MATCH_RANK[match] < MATCH_RANK[old]:
                links[x][y] = match
    return {k: sorted(v.items()) for k, v in links.items()}


def _order(row: dict[str, object], o: str) -> tuple[str, int, int]:
    sentence = str(row[f"{o}_s"])
    index = int(sentence.rsplit("/", 1)[-1]) if sentence.rsplit("/", 1)[-1].isdigit() else 0
    return str(row[f"{o}_report"]), index, int(str(row.get(f"{o}_start") or 0))


def _open_reason(period: str, year: int, government: str, reports: set[tuple[str, int]]) -> str:
    """Why a target stays open (``""`` when it can be judged)."""
    if not re.fullmatch(r"\d{4}", period):
        return f"a target for {period}: not a single year, stays open"
    if (government, int(period) + 1) in reports:
        return ""
    if int(period) > year:
        return f"a target for {period}, after the report's year {year}: open until a {int(period) + 1} report"
    return f"no {int(period) + 1} report of {government} in the graph to say what {period} achieved"


def _best(target: Quantity, candidates: list[tuple[str, dict[str, object]]], t: dict[str, object] | None = None,
          ) -> tuple[str, dict[str, object], Quantity, Verdict] | None:
    """The candidate outcome to judge ``target`` by: a comparable one first, then the closest link
    (same indicator, exact, close, related), a change in the target's direction before one against
    it (…分别上升4.9%、5.5%，转为下降1.2% for a fall to make), a yearly figure before a running total
    (累计), then reading order. With the target's row ``t``, an outcome about another subject (one project's
    总投资 against another's) is not a candidate, and additions are not judged against a stock."""
    judged = []
    for match, o in candidates:
        if t is not None and not _same_subject(t, o):
            continue  # the figure belongs to another project, company or place (or to one not named)
        outcome = _quantity(o, "o")
        verdict = judge(target, outcome, match=match)
        if t is not None and verdict.verdict in ("met", "missed") and not target.is_change \
                and flow_or_stock(t, "t") == "flow" and flow_or_stock(o, "o") == "stock":
            verdict = Verdict("not_comparable", "a target for additions (新增…) against a stock the next report "
                                                "states (总数, 累计, 达到…): the net change is not given")
        usable = verdict.verdict in ("met", "missed")
        turned = target.is_change and bool(outcome.direction) and outcome.direction != (target.direction or "up")
        judged.append(((not usable, MATCH_RANK[match], turned, "累计" in outcome.qualifier, _order(o, "o")),
                       (match, o, outcome, verdict)))
    return min(judged, key=lambda item: item[0])[1] if judged else None


def _net_change(target: Quantity, outcome: Quantity, verdict: Verdict, stocks: list[dict[str, object]]) -> Verdict:
    """A target for additions judged on the net change between two stocks: the stock the next report
    states, less the stock the target's own report gave for the year before (新增500家 against 总数
    2600 → 3000: a net change of 400). Without that earlier stock, ``verdict`` stands."""
    for row in sorted(stocks, key=lambda r: _order(r, "o")):
        before = _quantity(row, "o")
        if before.unit != outcome.unit or before.is_change:
            continue
        net = Quantity(outcome.value - before.value, outcome.unit, "actual")
        judged = judge(target, net)
        return replace(judged, reason=f"net change {_fmt(net.value)} = stock {_fmt(outcome.value)} − previous stock "
                                      f"{_fmt(before.value)} {before.unit}; {judged.reason}")
    return verdict


def _same_subject(t: dict[str, object], o: dict[str, object]) -> bool:
    """Whether an outcome can be about what the target is about (``kg:about``): no subject on the
    target, the same one, or one the other's name extends (临空经济区 and 临空经济区廊坊片区). A target
    on a measure that always belongs to something (总投资) needs its subject named on the outcome."""
    mine, theirs = str(t.get("t_about") or ""), str(o.get("o_about") or "")
    if not mine:
        return True
    if not theirs:
        return str(t.get("t_label") or "") not in load_rules().owned
    return mine.startswith(theirs) or theirs.startswith(mine)


@lru_cache(maxsize=1)
def _statements() -> tuple[tuple[re.Pattern[str], str], ...]:
    path = lexicon_dir() / "target-statements.csv"
    out = []
    for line, row in read_rule_table(path, ("pattern", "verdict", "note"), choices={"verdict": STATED},
                                     required=("pattern", "verdict")):
        try:
            pattern = re.compile(row["pattern"])
        except re.error as err:
            raise row_error(path, line, f"bad pattern ({err}); fix the regex") from err
        if "indicator" not in pattern.groupindex:
            raise row_error(path, line, "the pattern has no (?P<indicator>…) group; add one around the indicator")
        out.append((pattern, row["verdict"]))
    return tuple(out)


def stated_verdicts(text: str) -> list[tuple[str, str]]:
    """What a sentence states in words about targets: ``(indicator label, verdict)`` pairs, from the
    patterns of ``data/lexicon/target-statements.csv``; a list of indicators (节能减排、物价调控目标没有完成)
    gives one pair per item.

    >>> stated_verdicts("去年我国进出口总额出现下降，预期增长目标未能实现。")
    [('进出口总额', 'missed')]
    >>> stated_verdicts("我们没有提出全年经济增速具体目标。")
    [('地区生产总值', 'no_target')]
    """
    out = []
    for pattern, verdict in _statements():
        for m in pattern.finditer(text):
            for item in re.split(r"[、和及]", m.group("indicator")):
                label = indicator_label(item)
                if len(label) >= 2 and (label, verdict) not in out:
                    out.append((label, verdict))
    return out


def _stated(graph: Graph) -> dict[tuple[str, int], list[tuple[str, str, str, str]]]:
    """(government, report year) → (indicator IRI, verdict, sentence text, sentence IRI) stated in words."""
    found: dict[tuple[str, int], list[tuple[str, str, str, str]]] = defaultdict(list)
    for row in _rows(graph, STATEMENTS):
        text = str(row["text"])
        for label, verdict in stated_verdicts(text):
            found[(str(row["gov"]), int(str(row["year"])))].append(
                (str(indicator_iri(label)), verdict, text, str(row["s"])))
    return found


def _restated(t: dict[str, object], links: dict[str, list[tuple[str, str]]]) -> tuple[str, ...]:
    """A key under which a target stated twice in one report (the goal, then 提出…的考虑) is one target."""
    indicator = str(t["t_i"])
    same = min([indicator] + [j for j, m in links.get(indicator, []) if m in ("exact", "close")])
    return (str(t["t_report"]), same, str(t["t_period"]), str(t["t_value"]), str(t["t_unit"]),
            str(t.get("t_direction") or ""), str(t.get("t_max") or ""))


def target_table(graph: Graph, *, compute_links: bool = True) -> list[TargetRow]:
    """Every target in ``graph`` with the outcome chosen for it and its verdict.

    Four SPARQL queries (targets, outcomes about the year before each report, reports, sentences
    that state a verdict in words) and dictionary joins: linear in the number of observations,
    whatever the number of reports. Rows are in report order, then in reading order of the target
    sentence. A target a report states twice (the goal, then the reasons for it) is one row.

    >>> target_table(Graph())
    []
    """
    reports = {(str(r["gov"]), int(str(r["year"]))) for r in _rows(graph, REPORTS)}
    links = indicator_links(graph, compute=compute_links)
    outcomes: dict[tuple[str, str, str], list[dict[str, object]]] = defaultdict(list)
    for row in _rows(graph, OUTCOMES):
        outcomes[(str(row["o_gov"]), str(row["o_last"]), str(row["o_i"]))].append(row)
    stated = _stated(graph)
    table = []
    seen: set[str] = set()
    restated: set[tuple[str, ...]] = set()
    for t in sorted(_rows(graph, TARGETS), key=lambda t: (_order(t, "t"), str(t["t"]), str(t.get("t_about") or ""))):
        if str(t["t"]) in seen:  # a second label of the indicator would repeat the target
            continue
        seen.add(str(t["t"]))
        key = _restated(t, links)
        if key in restated:
            continue
        restated.add(key)
        government, period, indicator = str(t["t_gov"]), str(t["t_period"]), str(t["t_i"])
        target = replace(_quantity(t, "t"), lower_better=lower_better(str(t.get("t_label") or "")))
        base: dict[str, object] = {
            "indicator": str(t.get("t_label") or indicator.rsplit("/", 1)[-1]), "target_value": target.value,
            "target_unit": target.unit, "qualifier": target.qualifier, "target_period": period,
            "target_sentence": str(t["t_text"]), "government": government, "target_report": str(t["t_report"]),
            "target_direction": target.direction, "target": str(t["t"]), "target_sentence_iri": str(t["t_s"]),
            "target_start": _order(t, "t")[2], "order": _order(t, "t"), "target_max": target.upper,
        }
        linked = [(indicator, "same"), *links.get(indicator, [])]
        year = int(str(t["t_year"]))
        before = _best(target, [(m, o) for j, m in linked for o in outcomes.get((government, str(year - 1), j), [])
                                if o["o_report"] == t["t_report"]], t)
        if before and before[3].verdict in ("met", "missed"):
            base.update(baseline_value=before[2].value, baseline_unit=before[2].unit,
                        baseline_direction=before[2].direction, baseline_sentence=str(before[1]["o_text"]))
        words = [w for w in (stated.get((government, int(period) + 1), []) if period.isdigit() else [])
                 if w[0] in {j for j, _ in linked}]
        if words:
            base.update(stated=words[0][1], stated_sentence=words[0][2])
        why_open = _open_reason(period, year, government, reports)
        if why_open:
            table.append(TargetRow(**base, outcome_value=None, outcome_unit="", verdict="open",  # type: ignore[arg-type]
                                   outcome_sentence="", reason=why_open))
            continue
        best = _best(target, [(m, o) for j, m in linked for o in outcomes.get((government, period, j), [])
                              if o["o_report"] != t["t_report"]], t)
        if (best is None or best[3].verdict not in ("met", "missed")) and words and words[0][1] in ("met", "missed"):
            # no comparable figure, but the next report says it in words
            table.append(TargetRow(**base, outcome_value=None, outcome_unit="", verdict=words[0][1],  # type: ignore[arg-type]
                                   outcome_sentence=words[0][2], outcome_sentence_iri=words[0][3],
                                   reason="stated in words by the next report (no figure to compare)"))
            continue
        if best is None:
            verdict = judge(target, None)
            table.append(TargetRow(**base, outcome_value=None, outcome_unit="", verdict=verdict.verdict,  # type: ignore[arg-type]
                                   outcome_sentence="", reason=verdict.reason))
            continue
        match, o, outcome, verdict = best
        if verdict.verdict == "not_comparable" and verdict.reason.startswith("a target for additions"):
            verdict = _net_change(target, outcome, verdict, [
                o for j, _ in linked for o in outcomes.get((government, str(year - 1), j), [])
                if o["o_report"] == t["t_report"] and flow_or_stock(o, "o") != "flow"])
        table.append(TargetRow(
            **base, outcome_value=outcome.value, outcome_unit=outcome.unit, verdict=verdict.verdict,  # type: ignore[arg-type]
            outcome_sentence=str(o["o_text"]), outcome_report=str(o["o_report"]),
            outcome_direction=outcome.direction, outcome_kind=outcome.kind,
            outcome_indicator=str(o.get("o_label") or ""), match=match, reason=verdict.reason,
            outcome=str(o["o"]), outcome_sentence_iri=str(o["o_s"]), margin=verdict.margin,
        ))
    table += _no_targets(stated)
    table.sort(key=lambda r: (r.government, r.order, r.target))
    return table


def _no_targets(stated: dict[tuple[str, int], list[tuple[str, str, str, str]]]) -> list[TargetRow]:
    """A row for every indicator a report says it sets no target for (没有提出全年经济增速具体目标)."""
    rows = []
    for (government, year), said in sorted(stated.items()):
        for iri, verdict, text, sentence in said:
            if verdict != "no_target":
                continue
            period = str(year - 1) if "去年" in text else str(year)
            rows.append(TargetRow(
                indicator=iri.rsplit("/", 1)[-1], target_value=None, target_unit="", qualifier="",  # type: ignore[arg-type]
                target_period=period, outcome_value=None, outcome_unit="", verdict="no_target",
                target_sentence=text, outcome_sentence="", government=government, target_sentence_iri=sentence,
                reason=f"the report says it sets no target for {period}", order=(sentence, 0, 0),
            ))
    return rows


def summary(rows: list[TargetRow]) -> dict[str, int]:
    """How many rows have each verdict, in :data:`VERDICTS` order.

    >>> summary([])
    {'met': 0, 'missed': 0, 'not_reported': 0, 'not_comparable': 0, 'open': 0, 'no_target': 0}
    """
    counts = dict.fromkeys(VERDICTS, 0)
    for row in rows:
        counts[row.verdict] += 1
    return counts


@dataclass(frozen=True)
class GoldScore:
    """How a targets table agrees with a hand-made gold file (``tests/gold/targets-*.csv``).

    ``verdicts_right`` counts gold rows whose verdict the table gives; ``judged_right`` the same over
    the rows the gold calls met or missed; ``outcomes_found`` counts the outcomes the later report
    states (gold ``outcome_text`` not "not stated") whose value the table found.
    """

    rows: int
    verdicts_right: int
    judged: int
    judged_right: int
    outcomes_stated: int
    outcomes_found: int
    wrong: tuple[str, ...]
    missing: tuple[str, ...]
    extra: tuple[str, ...]
    spurious: int = 0  # met/missed given where the gold says the next report states nothing comparable
    settled_judged: int = 0  # gold met/missed rows the table gives met or missed (right or not)

    @classmethod
    def total(cls, scores: list[GoldScore]) -> GoldScore:
        """The scores of several gold files as one: counts added, lists joined.

        >>> GoldScore.total([]).rows
        0
        """
        added: dict[str, Any] = {f.name: sum((getattr(s, f.name) for s in scores),
                                             () if str(f.type).startswith("tuple") else 0) for f in fields(cls)}
        return cls(**added)

    def __str__(self) -> str:
        return (f"verdicts right: {self.verdicts_right}/{self.rows} ({self.verdicts_right / max(self.rows, 1):.0%}); "
                f"settled targets with a verdict: {self.settled_judged}/{self.judged}; "
                f"met/missed right: {self.judged_right}/{self.settled_judged}; "
                f"spurious met/missed: {self.spurious}; "
                f"stated outcomes found: {self.outcomes_found}/{self.outcomes_stated} "
                f"({self.outcomes_found / max(self.outcomes_stated, 1):.0%})")


def score_targets(table: list[TargetRow], gold: str | Path, source: str | Path, *, text: str | None = None
                  ) -> GoldScore:
    """Score ``table`` against the gold CSV for the report read from ``source``.

    A gold row is found in the table when a row of the same report has the same value and unit
    and its number sits inside the gold ``target_clause`` of the source text. Rows of the table
    for that report's own year that no gold row claims are ``extra`` (the gold must list them).
    """
    from kg.resources import read_table
    from kg.text.source import read_source

    text = read_source(Path(source)).text if text is None else text  # text: a dataset record's
    gold_rows = read_table(Path(gold))
    years = {row.target_report.rsplit("/", 1)[-1] for row in table}
    claimed: set[str] = set()
    right = judged = judged_right = stated = found = spurious = settled = 0
    wrong, missing = [], []
    for line, g in enumerate(gold_rows, start=1):
        start = text.find(g["target_clause"])
        if start < 0:
            missing.append(f"gold row {line}: clause {g['target_clause']!r} is not in {source}")
            continue
        end = start + len(g["target_clause"])
        hits = [r for r in table if start <= r.target_start < end and r.target_value == Decimal(g["target_value"])
                and r.target_unit == g["target_unit"] and r.target not in claimed]
        row = min(hits, key=lambda r: r.target_start) if hits else None
        if row is None and g.get("is_target") == "no":
            continue  # a number the gold marks as no target (a threshold, part of a name): right to skip
        if row is None:
            missing.append(f"gold row {line}: {g['target_clause']} ({g['target_value']}{g['target_unit']})")
        else:
            claimed.add(row.target)
        verdict = row.verdict if row else "(missing)"
        if verdict == g["verdict"]:
            right += 1
        else:
            wrong.append(f"{g['target_clause']} {g['target_value']}{g['target_unit']}: "
                         f"gold {g['verdict']}, table {verdict}")
        if g["verdict"] in ("met", "missed"):
            judged += 1
            judged_right += verdict == g["verdict"]
            settled += verdict in ("met", "missed")
        elif verdict in ("met", "missed"):
            spurious += 1
        if g["outcome_text"] != "not stated":
            stated += 1
            found += bool(row and g["outcome_value"] and row.outcome_value == Decimal(g["outcome_value"])
                          and row.outcome_unit == g["outcome_unit"])
    report = next(iter(years)) if len(years) == 1 else ""
    extra = tuple(f"{r.indicator} {r.target_value}{r.target_unit}" for r in table
                  if r.target not in claimed and r.verdict != "open"
                  and (not report or r.target_report.endswith(report)))
    return GoldScore(len(gold_rows), right, judged, judged_right, stated, found, tuple(wrong), tuple(missing), extra,
                     spurious, settled)
