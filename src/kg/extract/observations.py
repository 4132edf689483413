"""Find every number that states a quantity and read it as an :class:`Observation`.

A quantity is a number (Arabic digits, or Chinese numerals before a counting word: 六个专项工作组,
两大平台, 突破千亿元) followed by a unit (亿元, %, 个百分点, 万户 …). Numbers that are not quantities
are skipped by the patterns of ``data/lexicon/not-quantities.csv``: dates, ordinals, numbers in
quotes, titles and names (13号线, 5G, “3+16”, 3.0版), years and footnote markers.

Each observation is read from the language of the sentence and where it sits:

* **kind**: ``target`` in a section about the coming year or a plan (or after 力争/到2025年),
  ``change`` after a change word (增长, 下降, 收窄 …), ``share`` for other percentages,
  ``cumulative`` for a multi-year total (五年累计), else ``actual``;
* **period**: the section's year (the review speaks of the past year, the tasks of the report's
  year, a plan of its last year), overridden by a marker earlier in the sentence (上半年, 到2035年,
  在2018年, 五年 …);
* **unit** as written and a **normalised** value and unit (``data/lexicon/units.csv``);
* **qualifier** as written (``data/lexicon/qualifiers.csv``), **indicator** from the words before
  the number, cleaned by ``data/lexicon/indicator-rules.csv``.

The words these readings look for (change words, target markers, list joins, section titles …)
are rows of the rule tables in ``data/lexicon/``, each checked as it is read (:func:`load_rules`);
the patterns here only give them their places.

Values are :class:`~decimal.Decimal` read from the text, never floats.

>>> from kg.text.source import SourceText
>>> from pathlib import Path
>>> from kg.text.segment import segment
>>> text = ("2021年X区人民政府工作报告\\n——2021年2月3日在X区人大会议上\\nX区人民政府区长 高香\\n"
...         "各位代表：\\n一、2020年工作回顾\\n全区增加值完成2488.4亿元，可比下降3.9%，"
...         "轨交13号线建成。\\n二、2021年主要任务\\n增加值增长6%以上。\\n")
>>> doc = segment(SourceText(Path("x.txt"), text, ""))
>>> [(o.text, o.unit, o.kind, o.direction, o.period, o.qualifier, o.indicator)
...  for o in extract_observations(doc)]  # doctest: +NORMALIZE_WHITESPACE
[('2488.4', '亿元', 'actual', '', '2020', '', '地区生产总值'),
 ('3.9', '%', 'change', 'down', '2020', '可比', '地区生产总值'),
 ('6', '%', 'target', 'up', '2021', '以上', '地区生产总值')]
>>> extract_observations(doc)[0].value_normalized
Decimal('248840000000')
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from kg.extract.lexicon import alternation, find_all
from kg.extract.periods import (
    PLAN_NAME,
    YEAR_TOPIC,
    PeriodWords,
    load_period_words,
    lookback_spans,
    plan_years,
    recalled_sentences,
)
from kg.resources import lexicon_dir, read_rule_table, row_error
from kg.text.numerals import arabic_years, chinese_decimal, chinese_number
from kg.text.segment import Document, Sentence

KINDS = ("actual", "change", "share", "cumulative", "target", "note")
#: The fixed values of the rule tables' columns (see each table's header for what they mean).
UNIT_TYPES = ("unit", "prefix")
POSITIONS = ("before", "after")
IN_UNIT = ("", "yes")
DIRECTIONS = ("up", "down")
INDICATOR_RULES = ("strip-prefix", "strip-suffix", "synonym", "stop-word", "pair", "keep-after", "count-head",
                   "predicate", "named-count", "inner-stop", "subject", "subject-verb", "predicate-end", "reach",
                   "not-a-name", "unbroken")
WORD_ROLES = ("future", "then", "list-join", "past-title", "plan-title", "not-count-before", "not-change-before",
              "owned", "indicator-head", "head-sector", "note-title", "done", "unitless", "held",
              "plan-content", "rank", "opening-change", "spent", "bond", "pays-out", "growing", "whose",
              "added", "adding", "bound", "grade", "place-noun")

_SHARE_UNITS = ("percent", "permille")  # normalised units of a share (a percentage with no change word)
# a one-character change word (增, 降) counts before these
_RATE_UNITS = ("percent", "permille", "percentage-point", "permille-point", "times", "doublings")
# a number in digits; 23，042，405，000元 (older reports group thousands with commas) is one number
_ARABIC = re.compile(r"(?<![\d.,，])\d{1,3}(?:[，,]\d{3})+(?:\.\d+)?(?![\d.]*\d)|(?<![\d.])\d+(?:\.\d+)?(?![\d.]*\d)")
# 占全国1/3以上: a fraction written with a slash is one share (a small numerator and denominator only:
# 201203/21 in a web address is none)
_FRACTION = re.compile(r"(?<![\d./])([1-9])/([1-9]\d?)(?![\d/.])")
_CN_DIGITS = "一二两三四五六七八九十百千"
_CN_DECIMALS = "零〇一二三四五六七八九"  # the digits after 点 (一点二六倍)
# 、7个国家级、9个区域级(产业集群): the counts after a bare level, up to the noun they share
_RANKED_ITEM = r"[、和][\d.]+[个家所座项批处]?"
_RANKED_LIST = re.compile(rf"(?:{_RANKED_ITEM}[\u4e00-\u9fff]{{2,3}}?级)*"
                          rf"{_RANKED_ITEM}(?P<rank>[\u4e00-\u9fff]{{1,3}}级)")
# X占Y, not yet named a share (not …占有率, …比重则, …占比最高的税率)
_SHARE_OF = re.compile(r"^(?!.*(?:比重|比例|份额|占比|占有|率))[^占]{2,}占[^占]{2,}$")
_CN_MONEY = re.compile(rf"(?<![{_CN_DIGITS}第\d.个])(?:[{_CN_DIGITS}]+|万(?=亿元))(?=(?:万亿|亿|万)元)")
# 突破万件, 近亿人次: a bare magnitude after a word of approach is a quantity (its unit follows); so is 百, 千 or
# 万 before 亿 without 元 (产值突破百亿, 海洋生产总值突破万亿: 百 of unit 亿; not the grade 万亿级)
_CN_MAGNITUDE = re.compile(r"(?:(?<=突破|超过|接近|达到)|(?<=[近超逾上达]))"
                           r"(?:(?:千万|百万|千|万|亿)(?![亿万千百元])|[百千万](?=亿(?![元级])))(?=[\u4e00-\u9fff])")
# 五百三十五万吨, 一千三百八十七亿四千万元: a Chinese numeral before a unit of measure (with 万/亿 before it), as
# the reports of the 1950s-1980s write their figures; X亿Y before 万 is one number (in units of 万)
_CN_NUM = rf"[{_CN_DIGITS}](?:[{_CN_DIGITS}零〇]*[{_CN_DIGITS}])?"  # 六百零八: a numeral, with 零 inside
_CN_MEASURE = re.compile(rf"(?<![{_CN_DIGITS}零〇万亿第\d.个几数])(?=[十百千]*[一二两三四五六七八九])"
                         rf"{_CN_NUM}(?:亿零?{_CN_NUM}(?=万))?(?:万零?{_CN_NUM})?"
                         r"(?=(?:万亿|亿|万)?(?:元|美元|吨|公斤|斤|千瓦时|千瓦|公里|立方米|平方米|亩|人次))")
_MAGNITUDES = {"千": 1000, "万": 10000, "亿": 100000000, "百万": 1000000, "千万": 10000000}
_CLAUSE_END = re.compile(r"[，,；;。！？!?]|(?<!\d)[：:]|[：:](?!\d)")  # 22.2：46.4: one ratio, one clause
_RATIO_TERM = re.compile(r"\d[：:]\d")  # a term of a ratio written a：b(：c)
_RATIO_CHAIN = re.compile(r"\d+(?:\.\d+)?(?:[：:]\d+(?:\.\d+)?)+")  # the whole ratio


def _clause_start(text: str, at: int) -> int:
    """Where the clause holding position ``at`` begins (after the last ，；。… before it)."""
    # the whole text is searched: a colon's look-ahead must see the digit after it (22.2：46.4)
    return max([m.end() for m in _CLAUSE_END.finditer(text, 0, at + 1) if m.end() <= at], default=0)


def _clause_end(text: str, at: int) -> int:
    """Where the clause holding position ``at`` ends (the next ，；。… or the end of the text)."""
    stop = _CLAUSE_END.search(text, at)
    return stop.start() if stop else len(text)

# 百分之十一点八: a percentage in words, as older reports write them (the numeral is the number)
_PERCENT_WORDS = re.compile(r"百分之([零〇一二两三四五六七八九十百]+(?:点[零〇一二三四五六七八九]+)?)")
_YEAR_MARK = re.compile(r"(?:到|至|在|于)?((?:19|20)\d{2})(?:\s*[-—–至]\s*((?:19|20)\d{2}))?年(上半年|下半年)?")
# a rate noun and a level word before a rate (涨幅回落到2.6%, 增速保持在6%): the value is the change itself
_RATE_LEVEL = re.compile(r"(涨幅|增幅|增速|降幅)(?:回落|回升|下降|降低|提高|上升|保持|稳定|控制)?(?:到|至|在|为)$")
# a change word before the word for a goal (经济增长预期目标7%左右, 增长目标拟定13%): the goal is a change
_RATE_GOAL = re.compile(r"(增长|涨幅|增幅|增速|下降|降低)(?:速度)?的?(?:预期|调控|增长)*目标(?:拟?定为?|为|是)?$")
# between the two bounds of a range: 6.5%－7%, 3-5所, 10～20家 (the first unit may be repeated)
_RANGE_JOIN = re.compile(r"[%％]?(?:[－\-—–~～至]|至百分之)")  # 3至5个, 百分之八至九, 百分之四至百分之五 too
# amounts (money, mass, length, area, volume, energy), unlike counts, are named by the words before them:
# 粮食产量首次跃上1.4万亿斤新台阶 measures 粮食产量, not 新台阶
_AMOUNTS = frozenset({"CNY", "jin", "kg", "t", "km", "km2", "m", "m2", "m3", "mu", "kWh", "kW", "tce"})
# 经济总量连续跨过(3个万亿元大关): the measure, then the verb that crosses the thresholds counted
_CROSSING = re.compile(r"(?P<subject>[^，,；;：:。]{2,}?)(?:连续|先后|相继|连)?"
                       r"(?P<verb>跨越|跨过|跨上|迈上|迈过|登上|站上|跨)")
_THRESHOLDS = ("台阶", "大关", "关口")
_CROSSED = re.compile(r"(?:跨越|跨过|跨上|跨入|迈上|迈过|迈入)$")  # a threshold crossed: the level then
_MIDDLE = frozenset("心层型小试央间坚")  # 产业中心, 企业中层: 中 inside a word, not "among"
_RATIO_BASE = re.compile(r"(?:为|是|相当于)(?:(?:19|20)\d{2}年|上年|去年|上一年|前一年)(?:同期|底|末)?的$")
_BASE_YEAR = re.compile(r"(?:比|较|为|是|相当于|从|由)((?:19|20)\d{2})\s*年")  # the base year of a change
_RATE_NAME = re.compile(r"(?:增长幅度|上涨幅度|增幅|涨幅|降幅|增速|增长速度)$")  # a measure that is a rate of change
_BALANCE = re.compile(r"(?:贷款|存款|续贷|余额)$")  # a balance: what is 新增 to it is a change
_OPENING_YEAR = re.compile(r"^((?:19|20)\d{2})年是")  # 2025年是“十四五”收官之年: a section about that year
_OPENING_PAST = re.compile(r"^(?:一年来|过去一年|过去的一年|刚刚过去的一年)")
_PLAN_END_BASE = re.compile(rf"[较比]“?({PLAN_NAME})”?(?:期?末)的?$")  # 较“十三五”末的: a base value
_STOCK = re.compile("积累|余额|结余|结存")  # 已积累资金1242亿元: a fund's balance, not money spent
_PER_YEAR = re.compile(r"每年|年均")  # 每年实施20项: a level per year, not a total
_GAP = re.compile(rf"(高于|快于|低于|慢于)(?:全国|全省|全市|全区|平均|同期|全国平均|全省平均|“?(?:{PLAN_NAME})”?时期)?"
                  r"(?:平均)?(?:水平)?$")
_HAVE = re.compile(r"(?<![拥所持享具占没还只])有$")
_YEAR_WORD = re.compile(r"(?:去年|上年|今年|前年)")  # 从2009年的2.8%降到去年的1.5%: the second keeps the measure
_NOTE_MARK = frozenset("：:［[【(（1234567890１２３４５６７８９")  # 注释［1］…: a note title joined with its first note
_LAST_YEAR = re.compile(r"(?<![比较同与])去年")
# after a figure: 8%左右的国内生产总值增长目标, 6.5%左右的增速; 73%的国有大中型骨干企业初步建立现代企业制度
_GROWTH_AFTER = re.compile(r"(?:左右|以上)?的([^，,；;。\d]{0,12}?)(?:预期)?"
                           r"(?:增长预期目标|增长目标|增长速度|增速|速度)")
_SHARE_AFTER = re.compile(r"(?:左右|以上)?的([^，,；;。\d%％]{4,24})(?=$|[，,；;。])")
_OWNER_BEFORE = re.compile(r"(?:^|[，,；;、])(?:省直部门|省直)$|(?:省|市|县|区|市县|县市|中央|省直|部)属$")
_OF_AFTER = re.compile(r"的([^，,；;。、\d]{3,16})(?=$|[，,；;。])")  # 7公里的县城东外环道路建设
_QUOTED_NAME = re.compile(r"“[^“”]{1,12}”")
_BARE_ITEM = re.compile(r"[，,、；;]?[\u4e00-\u9fff]{1,8}")  # ，复线: an item named with no verb
_TRAILING_JOIN = re.compile(r"(?<![总不])[和与及、]$")  # not the 和 of 总和 (a sum), nor 不及 (short of)
# in an indicator's name: a year with its base word and its 底/末 (比1995年底), a plan period (“十五”期间)
# 比上年预计数, 比上年末, 比1954年完成数: the base a change is measured from, no part of the measure
_BASE_IN_LABEL = re.compile(r"(?:比|较)(?:上年|去年|前年|上一年|(?:19|20)\d{2}年|前(?:五年)?|上一?个(?:五年)?|改革前)"
                            r"(?:末|底|同期)?(?:预计数|完成数|预计|数)?$")
_YEAR_IN_LABEL = re.compile(rf"(?:比|较|与|同)?(?:{_YEAR_MARK.pattern})(?:底|末|初)?(?:的(?=.))?")
_PLAN_IN_LABEL = re.compile(r"(?:比|较)?(?:“十?[一二三四五六七八九]五”"
                            r"|(?<![一二三四五六七八九])十?[一二三四五六七八九]五(?=时期|期间|以来|末))(?:时期|期间|以来|末)?")
_YEARS_OF_TIME = r"(?:用|利用|花|经过)([一二两三四五六七八九十\d]+)年(?:左右)?时间"  # 利用三年时间: a span ahead
# 高新技术企业5年增加…, 利用三年时间完成植树: the span, not the name
_SPAN_IN_LABEL = re.compile(rf"{_YEARS_OF_TIME}|(?<![\d.])\d{{1,2}}年(?:来|间|内|中)?")
_STREAK = re.compile(r"连续([0-9]{1,2}|[二两三四五六七八九十]{1,2})年(?:保持|稳定|位居|居|达到)")
_HALF = re.compile(r"(?<![较比])(上半年|下半年)")
# 今年第一季度, 今年以来: in a report given early in the year, a result of this year so far (never a target)
_SO_FAR = re.compile(r"(?<![比较同与])今年(?:第一季度|一季度|一月份|1月份|[前头]两个月|1[－—-]2月|1至2月|以来)")
_COUNTED_MAX = 14  # a counted noun is read this far, then cut after its last head word (count-head rows)
_FROM_BASE = re.compile(r"(?:已经?)?[由从](?!于)[^，,；;]*的")  # 已由五十年代的: a base and nothing measured
# 五年内, 今后五年 too: from the report's year
_WITHIN_YEARS = re.compile(rf"{_YEARS_OF_TIME}|([一二两三四五六七八九十\d]+)年内"
                           r"|(?:今后|未来)([一二两三四五六七八九十\d]+)年")
# 把增长预期目标定在7.5%左右, 确定4.5%左右的增长目标, 经济增长速度的…目标，定为百分之八至九: the growth target
_SET_GOAL = re.compile(r"(?:确定|定|设定)(?:为|在)?$")
_GROWTH_GOAL = re.compile(r"增长(?:速度|预期目标|目标)")
# a digit, half or full width: 提高利用两个市场 (两个 names, not an amount); a topic clause holding no figure
_IN_DIGITS = re.compile(r"[0-9０-９]")
# 提高到, 比上年, 减少收入的农户只占10%: the change word is not an opening verb (nor for a later item)
_TO_OR_BASE = re.compile(r"[到至为比较由从占、]")  # 提高城乡低保标准、覆盖119.2万人: the change is the first item's
# 一级学科由6个增加到13个, 比重由上年的8.9%提高到9.3%: a base value, the year before the one reviewed
# 均 or 都 before the verb: one figure said of every item listed (游客人数、旅游收入均增长10%; 国民收入和国家财政
#收入都比上年增长12%), not the 均 of 人均 or 年均
_BOTH = re.compile(r"(?<![人年平])均(?=[增达超为占削提下降在有实稳保])|平均(?=[降增提])"
                   r"|(?<![首京成])都(?=[比增达超为提在有实稳保])")
_FROM_PER = re.compile(r"从(?:每[月年人户天])?$")  # 最低标准从每月70元提高到88元: 70 is the base
_FROM_LAST = re.compile(r"由(?:上年|去年)?的?(?:平均)?$")  # 由上年729万人, 由平均2900元 (下降到…)
# after a base value that 由/从 opens: a short verb reaching the next value (由71所优化整合为47所), and that value
_SHORT_REACH = re.compile(r"[\u4e00-\u9fff]{1,4}?[为到至]")
_REACHES_COUNT = re.compile(r"[为到至]\d")
_RISES_TO = re.compile(r"[^，,；;。\d]{0,4}?(?:增加|提高|提升|上升|增长|扩大|下降|降低|减少|缩小|回落)(?:到|至)")
_FROM_YEAR_TO = re.compile(r"(?:从|自)?((?:19|20)\d{2})年(?:底|末)?(?:到|至)(?:19|20)\d{2}年")  # 2020年到2025年
_CENTURY_END = re.compile(r"(?:到|在|至)本世纪末")
_DECADE = re.compile(r"(?<![比较])([五六七八九])十年代")  # 五十年代的50%左右: the 1950s
_TO = re.compile(r"[到至]")
_YEAR_BEFORE = re.compile(r"(?:19|20)\d{2}年$")  # 1950年到2002年: the year a span runs from
_FIVE_YEARS = re.compile(rf"“?({PLAN_NAME})”?(?:时期|期间|以来)|(?<![今未后])五年(?!前)")
_COMPARED_YEAR = re.compile(r"(?:比|较)((?:19|20)\d{2})\s*年")  # 比2002年: a base (从1998年起 is a start)
_OWN_BASE = re.compile(r"[比较]|同比|上年|去年")  # a change against a base of its clause's own
_ONE_YEAR_BASE = re.compile(r"(?:比|较)(?:上年|去年|上一年)|同比")  # a change over one year
_YEARS_AGO = re.compile(r"(?<=[由从])([一二两三四五六七八九十\d]+)年前")  # 由五年前的…: a base N years before now
_PAST_FIVE = re.compile(r"(?:过去|近|这|前)五年|五年(?:来|前|间|中)")  # five years behind, in any section
_PLAN = re.compile(rf"“({PLAN_NAME})”|(十[一二三四五六七八九]五)|第(十[一二三四五六七八九]?|[六七八九])个五年")


@dataclass(frozen=True)
class Observation:
    """One quantity stated in a sentence.

    ``start``/``end`` are offsets of the number as written in the original file; ``char_start``/
    ``char_end`` are its position in the sentence's normalised text.
    """

    sentence: int
    section: str | None
    text: str
    value: Decimal
    unit: str
    kind: str
    period: str
    indicator: str
    direction: str = ""
    qualifier: str = ""
    value_normalized: Decimal | None = None
    unit_normalized: str = ""
    char_start: int = 0
    char_end: int = 0
    start: int = 0
    end: int = 0
    upper: Decimal | None = None  # the upper bound of a range (6.5%－7%, 3-5所); value is the lower


@dataclass(frozen=True)
class Unit:
    """A unit or multiplier prefix from ``units.csv``."""

    text: str
    type: str
    normalized: str
    multiplier: Decimal


@dataclass(frozen=True)
class Rules:
    """The data that drive extraction, read from ``data/lexicon/``."""

    units: tuple[Unit, ...]
    classifiers: tuple[str, ...]
    before: tuple[str, ...]
    after: tuple[str, ...]
    changes: tuple[tuple[str, str], ...]
    skip: tuple[re.Pattern[str], ...]
    strip_prefix: tuple[str, ...]
    strip_suffix: tuple[str, ...]
    synonyms: dict[str, str]
    stop_words: tuple[str, ...]
    in_unit: tuple[str, ...]  # qualifiers also read inside a unit (150余家, 1.2万余人)
    shares: frozenset[str]  # units of a share: %, ％
    rates: frozenset[str]  # units a one-character change word may stand before: %, 个百分点, 倍
    future: re.Pattern[str]  # 力争, 确保: what follows is a target
    then: re.Pattern[str]  # 提高到, 至: the value a change reaches
    list_joins: frozenset[str]  # 、, 和, 至: between two items of one list
    past_titles: tuple[str, ...]  # 回顾: a section title of the past year's review
    plan_titles: tuple[str, ...]  # 规划: a section title of a plan
    not_count_before: tuple[str, ...]  # 第, 前: a Chinese numeral right after counts nothing
    not_change_before: tuple[str, ...]  # 新: a change word right after is no change (新增)
    heads: tuple[str, ...] = ()  # 产量, 增加值: the measure items listed before 分别 share, longest first
    predicates: tuple[str, ...] = ()  # 入选, 获: after a counted noun, what the counted things did (名录…企业)
    head_sectors: tuple[str, ...] = ()  # 行业, 产业: a sector word before the shared measure goes with it
    owned: tuple[str, ...] = ()  # a measure that belongs to the thing named before it (总投资, 建筑面积)
    note_titles: tuple[str, ...] = ()  # 注释, 名词解释: the line that opens the report's glossary
    done: re.Pattern[str] = re.compile(r"(?!)")  # 建成, 治理: in a look-back, what follows is work done over it
    spent: re.Pattern[str] = re.compile(r"(?!)")  # 资金, 经费: in a look-back, a sum of money so named is spent over it
    unitless: re.Pattern[str] = re.compile(r"(?!)")  # 收入比, 满意度: a measure stated without a unit (2.12, 89.6)
    held: re.Pattern[str] = re.compile(r"(?!)")  # 稳定在, 控制在: a level kept through a span, never a total
    plan_content: tuple[str, ...] = ()  # 指标: a count of them in a plan section describes the plan itself
    ranks: tuple[str, ...] = ()  # 国家级, 省级: a level that alone, before 、, shares the noun of the last item
    opening_changes: tuple[str, ...] = ()  # 降低: opening a clause, it changes what the clause names by the amount
    pairs: dict[str, tuple[str, ...]] = field(default_factory=dict)  # 城乡 → (城镇, 农村)
    keep_after: tuple[str, ...] = ()  # 项目中: the measure is what follows (项目中战略性新兴产业项目)
    count_heads: tuple[str, ...] = ()  # 企业, 试点, 基地: a noun that ends what a count counts
    named_counts: tuple[str, ...] = ()  # 举措: counted, it is named by the words before the count (…发展27条举措)
    inner_stops: tuple[str, ...] = ()  # 建设: a stop word a counted name runs past to a head word (…建设示范区)
    subjects: tuple[str, ...] = ()  # 企业, 市县: counted things a predicate may follow (3家企业主板上市)
    subject_verbs: tuple[str, ...] = ()  # 开展, 进入: after a subject only, what the counted things did
    predicate_ends: tuple[str, ...] = ()  # 上市, 清零: a clause ending so says what the counted things did
    reaches: tuple[str, ...] = ()  # 惠及, 覆盖: what the words before it reach is counted (…补贴惠及婴幼儿)
    not_names: frozenset[str] = frozenset()  # 就, 才, 数: a whole label that names no measure
    unbroken: tuple[str, ...] = ()  # 和美: a word no strip-prefix cuts into (和美乡村样板村 keeps its 和)
    bonds: tuple[str, ...] = ()  # 国债, 债券: a two-character noun complete in itself that a purpose may follow
    pays_out: re.Pattern[str] = re.compile(r"(?!)")  # 增发, 拨付: a verb that puts money out names no measure
    growing: re.Pattern[str] = re.compile(r"(?!)")  # 发展加快: a clause's state of growth, after whose owner
    whose: tuple[str, ...] = ()  # 总量, 招生规模: a measure that names its owner in the clause before
    added: re.Pattern[str] = re.compile(r"(?!)")  # 新增, 累计: an addition over a span (城镇新增就业5000万人)
    adding: re.Pattern[str] = re.compile(r"(?!)")  # 新增, 净增: opening an owner, the verb of what was added
    bound: tuple[str, ...] = ()  # 性, 型: a character that ends a word (保障性, 新型) and starts no name
    grades: re.Pattern[str] = re.compile(r"(?!)")  # 中等, 高等: a grade word whose 等 closes no list
    place_nouns: frozenset[str] = frozenset()  # 镇, 村: one character that, after a head word, ends a counted noun
    # strip-suffix, qualifier and change words, taken off a label's end longest first (接近 before 近)
    label_ends: tuple[str, ...] = ()


def load_rules(folder: str | Path | None = None) -> Rules:
    """Read the rule tables from ``folder`` (default :func:`~kg.resources.lexicon_dir`) once.

    Every table is checked as it is read: a value outside its column's fixed set (:data:`UNIT_TYPES`,
    :data:`POSITIONS`, :data:`IN_UNIT`, :data:`DIRECTIONS`, :data:`INDICATOR_RULES`, :data:`WORD_ROLES`),
    a bad number or regex, a missing word or a wrong header raises :class:`~kg.errors.InputError`
    as ``file:line: …``.

    >>> rules = load_rules()
    >>> "个百分点" in [u.text for u in rules.units], sorted(rules.shares)
    (True, ['%', '‰', '成', '％'])
    """
    return _load_rules(str(Path(folder) if folder else lexicon_dir()))


@lru_cache(maxsize=4)
def _load_rules(folder_name: str) -> Rules:
    folder = Path(folder_name)

    def rows(name: str, columns: tuple[str, ...], **choices: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
        """The rows of a table with their lines; the first column names a word and is never empty."""
        return read_rule_table(folder / name, columns, choices=choices, required=columns[:1])

    units = []
    for line, r in rows("units.csv", ("unit", "type", "unit_normalized", "multiplier"), type=UNIT_TYPES):
        try:
            multiplier = Decimal(r["multiplier"])
        except ArithmeticError:
            raise row_error(folder / "units.csv", line, f"column multiplier has {r['multiplier']!r}; "
                                                        "expected a number") from None
        units.append(Unit(r["unit"], r["type"], r["unit_normalized"], multiplier))
    quals = [r for _, r in rows("qualifiers.csv", ("qualifier", "position", "in_unit"), position=POSITIONS,
                                in_unit=IN_UNIT)]
    skip = []
    for line, row in rows("not-quantities.csv", ("pattern", "reason")):
        try:
            skip.append(re.compile(row["pattern"]))
        except re.error as err:
            raise row_error(folder / "not-quantities.csv", line, f"bad pattern ({err}); fix the regex") from err
    rules = []
    for line, row in rows("indicator-rules.csv", ("rule", "text", "replacement"), rule=INDICATOR_RULES):
        if not row["text"] or (row["rule"] in ("synonym", "pair")) != bool(row["replacement"]) \
                or (row["rule"] == "pair" and (len(named := row["replacement"].split("|")) < 2 or "" in named)):
            raise row_error(folder / "indicator-rules.csv", line, "needs a text, and a replacement exactly "
                                                                  "when the rule is synonym or pair (words: A|B)")
        rules.append(row)
    changes = [(r["word"], r["direction"]) for _, r in rows("change-words.csv", ("word", "direction"),
                                                              direction=DIRECTIONS)]
    words = [r for _, r in rows("observation-words.csv", ("word", "role"), role=WORD_ROLES)]

    def pick(kind: str) -> tuple[str, ...]:
        return tuple(r["text"] for r in rules if r["rule"] == kind)

    def said(role: str) -> tuple[str, ...]:
        return tuple(r["word"] for r in words if r["role"] == role)

    before = tuple(r["qualifier"] for r in quals if r["position"] == "before")
    return Rules(
        units=tuple(sorted(units, key=lambda u: -len(u.text))),
        classifiers=tuple(r["classifier"] for _, r in rows("numeral-classifiers.csv", ("classifier",))),
        before=before,
        after=tuple(r["qualifier"] for r in quals if r["position"] == "after"),
        changes=tuple(sorted(changes, key=lambda c: -len(c[0]))),
        skip=tuple(skip),
        strip_prefix=tuple(sorted(pick("strip-prefix"), key=len, reverse=True)),  # the longest word first:
        strip_suffix=tuple(sorted(pick("strip-suffix"), key=len, reverse=True)),  # 转为 before 为
        synonyms={r["text"]: r["replacement"] for r in rules if r["rule"] == "synonym"},
        stop_words=pick("stop-word"),
        predicates=pick("predicate"),
        in_unit=tuple(r["qualifier"] for r in quals if r["in_unit"] == "yes"),
        shares=frozenset(u.text for u in units if u.type == "unit" and u.normalized in _SHARE_UNITS),
        rates=frozenset(u.text for u in units if u.type == "unit" and u.normalized in _RATE_UNITS),
        future=re.compile(alternation(said("future"))),
        then=re.compile(rf"^(?:{alternation(said('then'))})?(?:到|至|为)的?$"),
        list_joins=frozenset(said("list-join")),
        past_titles=said("past-title"),
        plan_titles=said("plan-title"),
        not_count_before=said("not-count-before"),
        not_change_before=said("not-change-before"),
        heads=tuple(sorted(said("indicator-head"), key=len, reverse=True)),
        head_sectors=said("head-sector"),
        owned=tuple(sorted(said("owned"), key=len, reverse=True)),
        note_titles=said("note-title"),
        done=re.compile(alternation(said("done"))),
        spent=re.compile(f"(?:{alternation(said('spent'))})(?:共计|共|累计|总计|合计|达到|达|超过|超)?$"),
        unitless=re.compile(f"(?:{alternation(said('unitless'))})$"),
        held=re.compile(f"(?:{alternation(said('held'))})$"),
        plan_content=said("plan-content"),
        ranks=said("rank"),
        opening_changes=said("opening-change"),
        pairs={r["text"]: tuple(r["replacement"].split("|")) for r in rules if r["rule"] == "pair"},
        keep_after=pick("keep-after"),
        count_heads=pick("count-head"),
        named_counts=pick("named-count"),
        inner_stops=pick("inner-stop"),
        subjects=tuple(sorted(pick("subject"), key=len, reverse=True)),
        subject_verbs=pick("subject-verb"),
        predicate_ends=pick("predicate-end"),
        reaches=pick("reach"),
        not_names=frozenset(pick("not-a-name")),
        unbroken=pick("unbroken"),
        bonds=said("bond"),
        pays_out=re.compile(f"(?:{alternation(said('pays-out'))})$"),
        growing=re.compile(f"(?:{alternation(said('growing'))})$"),
        whose=said("whose"),
        added=re.compile(alternation(said("added"))),
        adding=re.compile(f"^(?:{alternation(said('adding'))})"),
        bound=said("bound"),
        grades=re.compile(alternation(said("grade"))),
        place_nouns=frozenset(said("place-noun")),
        label_ends=tuple(sorted((*pick("strip-suffix"), *before, *(c for c, _ in changes)), key=len, reverse=True)),
    )


def read_unit(text: str, rules: Rules | None = None) -> tuple[str, int, str, Decimal, str] | None:
    """Read the unit at the start of ``text`` (what follows a number).

    Returns ``(unit as written, characters used, normalised unit, multiplier, qualifier)`` or
    ``None`` when no unit follows. 余/多 inside or before the unit is a qualifier, not unit.

    >>> read_unit("万余人次，检查")
    ('万人次', 4, 'person-time', Decimal('10000'), '余')
    >>> read_unit("亿美元。")[:4]
    ('亿美元', 3, 'USD', Decimal('100000000'))
    >>> read_unit("号线") is None
    True
    """
    rules = rules or load_rules()
    pos, written, multiplier, qualifier = 0, "", Decimal(1), ""

    def approx(p: int) -> tuple[int, str]:
        for word in rules.in_unit:
            if text.startswith(word, p):
                return p + len(word), word
        return p, ""

    pos, qualifier = approx(pos)
    prefix = next((u for u in rules.units if u.type == "prefix" and text.startswith(u.text, pos)), None)
    if prefix:
        written, multiplier, pos = prefix.text, prefix.multiplier, pos + len(prefix.text)
        pos, more = approx(pos)
        qualifier = qualifier or more
    unit = next((u for u in rules.units if u.type == "unit" and text.startswith(u.text, pos)
                 and not (u.text.endswith("人") and text.startswith("口", pos + len(u.text)))), None)
    if unit:  # 13亿多人口: 人口 is what is counted, not the unit 人
        return written + unit.text, pos + len(unit.text), unit.normalized, multiplier * unit.multiplier, qualifier
    if prefix:
        return written, pos, "count", multiplier, qualifier
    return None


#: The unit of a percentage in words (百分之五): read as if written 5%.
_PERCENT_UNIT = ("%", 0, "percent", Decimal(1), "")
_NO_UNIT = ("", 0, "", Decimal(1), "")  # a measure without a unit (1/3, 城乡收入比2.12)


def _exact(value: Decimal) -> Decimal:
    """A decimal without exponent or trailing zeros (2.48840E+11 → 248840000000)."""
    return Decimal(format(value.normalize(), "f"))


def _context(doc: Document, sentence: Sentence, rules: Rules) -> tuple[str, str]:
    """The section's stance and default period: ``("past", "2020")``, ``("tasks", "2021")`` or
    ``("plan", "2025")``, from the title of the top-level section."""
    year = doc.meta.year or 0
    top = doc.section(sentence.section.split(".")[0]) if sentence.section else None
    title = arabic_years(top.title) if top else ""
    # the plan ahead: the last one a title names (“十四五”时期发展成就和“十五五”时期主要目标任务 → 十五五)
    plan = next(reversed(list(_PLAN.finditer(title))), None)
    if any(word in title for word in rules.past_titles) \
            or any(int(y) < year for y in re.findall(r"(?:19|20)\d{2}", title)):
        return "past", str(year - 1)
    # a title that is a slogan (一年接着一年干，…): the section's first sentence says what it is about
    opening = doc.openings.get(top.id, "") if top and not re.search(r"(?:19|20)\d{2}", title) else ""
    if (said := _OPENING_YEAR.match(opening)) and int(said[1]) in (year - 1, year):
        return ("past", str(year - 1)) if int(said[1]) < year else ("tasks", str(year))
    if _OPENING_PAST.match(opening):
        return "past", str(year - 1)
    if plan or any(word in title for word in rules.plan_titles):
        name = (plan[1] or plan[2] or f"{plan[3]}五") if plan else None
        end = plan_years(name)[1] if name else year + 4
        return "plan", str(end)
    if top is None:
        return "past", str(year - 1)
    return "tasks", str(year)


def _markers(text: str, stance: str, year: int) -> list[tuple[int, int, str]]:
    """Period markers in a sentence, as (position, end of scope, period).

    到2025年 speaks for the rest of the sentence; 从2015年 until the next 到/至; other markers
    (上半年, 五年, 在2018年) for the rest of their clause. 比2020年 is a base, not a period.
    """
    marks = []
    for m in _YEAR_MARK.finditer(text):
        if m.start() and text[m.start() - 1] in "比较同与":
            continue
        if m.start() and text[m.start() - 1] in "为是" and re.match(r"(?:底|末)?的\d[\d.]*倍", text[m.end():]):
            continue  # 为1997年的2.9倍: 1997 is the base of a ratio, not the period
        period = f"{m[1]}-{m[2]}" if m[2] else m[1] + {"上半年": "H1", "下半年": "H2"}.get(m[3] or "", "")
        if not m[2] and not m[3] and text.startswith("以来", m.end()) and int(m[1]) < year:
            period = f"{m[1]}-{year - 1}"  # 1998年以来，国有企业下岗职工达2700多万人: from that year to the last
        first = _CLAUSE_END.search(text)
        if m.group().startswith(("到", "至")) and _YEAR_BEFORE.search(text, 0, m.start()):
            end = _clause_end(text, m.end())  # 1950年到2002年53年的总和: the end of a span, not a year ahead
        elif m.group().startswith(("到", "至")) or (
                first and m.end() <= first.start() and YEAR_TOPIC.match(text[: first.start()])):
            end = len(text)  # 到2025年…, and a year as the sentence's topic (2012年，…)
        else:
            end = _until(text, m)
        marks.append((m.start(), end, period))
    base = year - 1 if stance == "past" else year
    if stance == "past":  # 去年 in a review: last year's figure, also inside a look-back (not 比去年)
        marks += [(m.start(), len(text) if not text[: m.start()].strip("—") else _clause_end(text, m.end()),
                   str(year - 1)) for m in _LAST_YEAR.finditer(text)]
    marks += [(m.start(), _clause_end(text, m.end()), f"{base}{'H1' if m[1] == '上半年' else 'H2'}")
              for m in _HALF.finditer(text)]
    if year < 2000:  # 到本世纪末 in a report of the 1980s or 1990s: the year 2000
        marks += [(m.start(), _clause_end(text, m.end()), "2000") for m in _CENTURY_END.finditer(text)]
    if stance != "past":  # 利用三年时间完成植树2.3万亩, 五年内: the years ahead from the report's own
        marks += [(m.start(), len(text), f"{year}-{year + n - 1}") for m in _WITHIN_YEARS.finditer(text)
                  if 1 < (n := chinese_number(m[1] or m[2] or m[3])) <= 10]
    for m in _YEARS_AGO.finditer(text):  # 已经由五年前的50%左右扩大到80%左右: the year before the span, until 到
        if 1 < (n := chinese_number(m[1])) <= 10:
            marks.append((m.start(), _until(text, m), str(year - 1 - n)))
    for m in _DECADE.finditer(text):  # 由五十年代的50%上升到80%: the decade holds until 到
        decade = chinese_number(m[1])
        marks.append((m.start(), _until(text, m), f"19{decade}0-19{decade}9"))
    for m in _FIVE_YEARS.finditer(text):
        if m.start() and text.endswith(("比", "较", "高于", "低于", "快于", "慢于"), 0, m.start()):
            continue  # 比“八五”时期增长79.6%, 高于“十三五”时期1.2个百分点: the plan is the base
        if m[1]:
            since, last = plan_years(m[1])
            marks.append((m.start(), _clause_end(text, m.end()), f"{since}-{last}"))
        elif stance == "past":
            marks.append((m.start(), _clause_end(text, m.end()), f"{year - 5}-{year - 1}"))
        elif not _PAST_FIVE.search(text, 0, m.end() + 1):
            # 大力发展电力工业，五年新增装机容量6500万千瓦 among the tasks: the five years ahead
            marks.append((m.start(), _clause_end(text, m.end()), f"{year}-{year + 4}"))
    return sorted(marks)


def _until(text: str, m: re.Match[str]) -> int:
    """Where the scope of the period marker ``m`` ends: at the next 到/至 when it follows 从/由 (从2015年…到,
    由五十年代的50%上升到80%), else at the end of its clause."""
    if m.start() and text[m.start() - 1] in "从由" and (stop := _TO.search(text, m.end())):
        return stop.start()
    return _clause_end(text, m.end())


def _last_year(period: str) -> int:
    """The last year a period covers: ``2016-2020`` → 2020, ``2020H1`` → 2020."""
    years = re.findall(r"\d{4}", period)
    return int(years[-1]) if years else 0


def _base_period(doc: Document, sentence: Sentence, period: str) -> str:
    """The period of the first value of 从A增长到B when no year is written: the year before the
    span the paragraph reviews (2015 in a paragraph about 这五年 of a 2021 report), else the year
    before ``period``."""
    paragraphs = doc.paragraphs
    k = sentence.paragraph
    para = paragraphs[k] if k < len(paragraphs) and paragraphs[k].index == k else next(
        (p for p in paragraphs if p.index == k), None)
    before = [s.text for s in para.sentences if s.index <= sentence.index] if para else [sentence.text]
    if any(_FIVE_YEARS.search(text) for text in before) and doc.meta.year:
        return str(doc.meta.year - 6)
    return str(int(period) - 1) if re.fullmatch(r"\d{4}", period) else period


@lru_cache(maxsize=16)
def _counted(classifiers_: tuple[str, ...], not_count_before: tuple[str, ...]) -> re.Pattern[str]:
    """A Chinese count before a classifier, built once per rule table (not once per sentence)."""
    classifiers = "|".join(map(re.escape, classifiers_))
    not_after = "".join(f"(?<!{re.escape(word)})" for word in not_count_before)  # 第三届, 首个
    # 三十多种; 一点二倍, 零点六倍, 二點六倍: a decimal before 倍
    return re.compile(rf"(?<![{_CN_DIGITS}〇零点點]){not_after}(?:零[点點][{_CN_DECIMALS}]+|[{_CN_DIGITS}]+"
                      rf"(?:[点點][{_CN_DECIMALS}]+)?)(?=[多余]?(?:{classifiers}))")


def _candidates(text: str, rules: Rules) -> Iterator[tuple[int, int, str, Decimal]]:
    """Numbers in a sentence: (start, end, text, value), Arabic and Chinese, in reading order.

    A percentage in words (百分之十一点八) gives its numeral (十一点八); :func:`_percent_in_words`
    says which numbers are such percentages.
    """
    fractions = [(m.start(), m.end(), m.group(), (Decimal(m[1]) / Decimal(m[2])).quantize(Decimal("0.0001")))
                 for m in _FRACTION.finditer(text)]
    found = [*fractions, *((m.start(), m.end(), m.group(), Decimal(re.sub("[，,]", "", m.group())))
                           for m in _ARABIC.finditer(text) if not any(a <= m.start() < b for a, b, *_ in fractions))]
    for m in _PERCENT_WORDS.finditer(text):
        found.append((m.start(1), m.end(1), m.group(1), chinese_decimal(m.group(1))))
    counted = _counted(rules.classifiers, rules.not_count_before)
    found += [(m.start(), m.end(), m.group(), Decimal(1)) for m in _DOUBLED_WORD.finditer(text)]
    # the longest readings first: 一千三百八十七亿四千(万元) before the 四千(万元) inside it
    for m in [*_CN_MEASURE.finditer(text), *counted.finditer(text), *_CN_MONEY.finditer(text),
              *_CN_MAGNITUDE.finditer(text)]:
        numeral = m.group()
        doubling = text.endswith(("翻", "翻了"), 0, m.start()) and text.startswith("番", m.end())  # 翻一番: a change
        times = text.startswith(("倍", "多倍"), m.end())  # 增长一倍多: a rise of 100%
        if (numeral in ("一", "二") and not (doubling or times)) \
                or (text.startswith("大", m.end()) and len(numeral) > 1):
            continue  # 一批/一个 and 二期 are not counts; 十九大 is a congress
        if any(s <= m.start() < e for s, e, *_ in found):
            continue
        value: int | Decimal
        if "亿" in numeral:  # 二十七亿四千(万元): 27 × 10000 + 4000 of 万
            high, low = numeral.split("亿")
            value = chinese_number(high) * 10000 + chinese_number(low.lstrip("零"))
        elif re.search("[点點]", numeral):
            value = chinese_decimal(numeral.replace("點", "点"))  # 一点二倍: 1.2
        else:
            value = _MAGNITUDES.get(numeral) or chinese_number(numeral, ranges=True)  # 五六个: 6
        clause = text[_clause_start(text, m.start()):m.start()]
        if value > 1 and clause.count("、") == value - 1:
            continue  # 7万亿、8万亿、9万亿三个大台阶: the count of the items just listed, not a quantity
        if value == 2 and len(re.findall("[和与及]", clause)) == 1 and re.search(r"[\u4e00-\u9fff”\"]$", clause):
            continue  # 改造和建设两个项目, “引进来”和“走出去”两轮齐转: the two just named
        found.append((m.start(), m.end(), numeral, Decimal(value)))
    yield from sorted(found)


_DOUBLED = "翻番"
# not 六个翻番 (a name's), nor a doubling spoken of (放在工业产值的翻番上, 追求提前翻番和快翻多翻)
_DOUBLED_WORD = re.compile(rf"(?<![一二两三四五六七八九十个的])(?<!提前){_DOUBLED}(?![上和])")
_DOUBLING = ("", 0, "doublings", Decimal(1), "")  # the unit of 翻番: none written, one doubling
_FOOTNOTE = re.compile(r"[［\[〔]\d{1,3}[］\]〕]")  # a note's number after a term: ［2］, [6], 〔1〕


def _strip(label: str, rules: Rules) -> str:
    label = _SPAN_IN_LABEL.sub("", _PLAN_IN_LABEL.sub("", _YEAR_IN_LABEL.sub("", label)))
    label = re.sub(r"^.*?(?:到|在|至)?本世纪末的?", "", label)  # 到本世纪末实现工农业年总产值: what precedes
    label = _FOOTNOTE.sub("", label)  # 四大主导产业［2］占GDP比重: the note's number is no part of the name
    label = re.sub(r"[“”‘’（）()《》]", "", label)
    for word in rules.keep_after:  # 省市重点项目中战略性新兴产业项目: the part is what is measured
        at = _ungraded(label, rules).rfind(word)  # not the 等 of 中等职业教育
        if at >= 0 and len(label) - at - len(word) >= 2 and label[at + len(word)] not in _MIDDLE:
            label = label[at + len(word):]
    prefixes = (*rules.strip_prefix, *(q for q in rules.before if len(q) > 1))
    suffixes = rules.label_ends
    changed = True
    while changed and label and label not in rules.synonyms:  # a synonym's key is a whole name: 新增城镇就业
        changed = False
        for word in prefixes if label.startswith(prefixes) else ():  # in order, once one is known to match
            if label.startswith(word) and not label.startswith(rules.bound, len(word)) \
                    and not label.startswith(rules.unbroken):  # not 保障|性安居工程, nor 和|美乡村
                label, changed = label[len(word):], True
                if label in rules.synonyms:
                    return label
        for word in suffixes if label.endswith(suffixes) else ():
            if label.endswith(word):
                label, changed = label[: -len(word)], True
                if label in rules.synonyms:
                    return label
                break  # the longest word first again: 平均每年实际 loses 实际, then 平均每年 (not 每年, then 均)
        if _HAVE.search(label):  # 新兴产业项目有6个: 有 states the count; 拥有 is part of a measure
            label, changed = label[:-1], True
    label = _TRAILING_JOIN.sub("", label)  # 长江干堤和(近千公里的黄河堤防): the join belongs to what follows
    if label not in rules.synonyms and rules.heads:
        # 规模以上工业实现利润, 省属企业完成产业类投资: the verb of work done is not part of the measure
        label = _done_before_head(rules.heads).sub("", label)
    return label


@lru_cache(maxsize=4)
def _done_before_head(heads: tuple[str, ...]) -> re.Pattern[str]:
    """实现/完成 inside a label, before the measure that ends it (…实现利润, …完成产业类投资), and 实现 before
    the two characters of what was achieved (贫困人口实现脱贫)."""
    return re.compile(rf"(?<=..)(?:实现|完成)(?=[^，。实完]{{0,4}}(?:{alternation(heads)})$)"
                      r"|(?<=..)实现(?=[^，。]{2}$)")


def indicator_label(label: str, rules: Rules | None = None) -> str:
    """The normalised label of an indicator, as used for its IRI.

    >>> indicator_label("全区增加值完成"), indicator_label("规模以上工业总产值比上年增长")
    ('地区生产总值', '规模以上工业总产值')
    """
    rules = rules or load_rules()
    label = _BASE_IN_LABEL.sub("", _strip(label, rules))
    label = rules.synonyms.get(label, label)
    return "" if label in rules.not_names else label


def coordinated_items(label: str, rules: Rules | None = None) -> list[str]:
    """The indicators of ``A、B和C`` listed before 分别, each with the measure they share.

    >>> coordinated_items("新能源汽车、集成电路、工业机器人产量")
    ['新能源汽车产量', '集成电路产量', '工业机器人产量']
    >>> coordinated_items("城镇和农村居民人均可支配收入")
    ['城镇居民人均可支配收入', '农村居民人均可支配收入']
    >>> coordinated_items("全域旅游人数、旅游综合收入")
    ['全域旅游人数', '旅游综合收入']
    >>> coordinated_items("船舶、电子专用材料行业增加值")
    ['船舶行业增加值', '电子专用材料行业增加值']
    >>> coordinated_items("城镇居民和农村居民人均居住面积")
    ['城镇居民人均居住面积', '农村居民人均居住面积']
    >>> coordinated_items("城乡居民人均可支配收入")
    ['城镇居民人均可支配收入', '农村居民人均可支配收入']
    >>> coordinated_items("城镇、农村居民收入")
    ['城镇居民收入', '农村居民收入']
    >>> coordinated_items("刑事、治安案件")
    ['刑事案件', '治安案件']
    >>> coordinated_items("进口货值、免签入境游客、离岛免税销售额")
    ['进口货值', '免签入境游客', '离岛免税销售额']
    >>> coordinated_items("农村自来水、卫生户厕普及率"), coordinated_items("关键工序数控化率、工具普及率")
    (['农村自来水普及率', '卫生户厕普及率'], ['关键工序数控化率', '工具普及率'])
    """
    rules = rules or load_rules()
    if any("、" in word and word in label for word in rules.pairs):  # 第一、二、三产业增加值: one pair word
        return _pair_parts(label, rules)
    items = [item for item in re.split(r"、|(?<=.{2})[和及与](?=.{2})", label) if item]
    if len(items) < 2:
        return _pair_parts(label, rules) or [label]
    last = items[-1]
    # 进口货值、免签入境游客…、离岛免税销售额: an item that names its own measure says the list shares none
    own = any(item.endswith(h) and len(item) > len(h) for item in items[:-1] for h in rules.heads)
    # 城镇居民和农村居民人均居住面积: an item ending as a word of the last item does (居民) shares what follows it
    items = [item + last[at + 2:] if len(item) >= 3 and (at := last.find(item[-2:], 1)) > 0
             and len(last) - at - 2 >= 2 and not item.startswith(last[:at]) else item for item in items[:-1]] + [last]
    # 城镇、农村居民收入: an item that is one part of a pair word (城镇) shares what follows the part opening the last
    parts = {part for pair in rules.pairs.values() for part in pair}
    items = [item + last[len(other):] if item in parts and (other := next(
        (p for p in parts if p != item and last.startswith(p) and len(last) > len(p) + 1), "")) else item
        for item in items[:-1]] + [last]
    head = "" if own else next((h for h in rules.heads if items[-1].endswith(h) and len(items[-1]) > len(h)), "")
    if not head and len(last) >= 4:  # 刑事、治安案件: a two-character item takes the rest of the last one
        items = [item + last[2:] if len(item) == 2 else item for item in items[:-1]] + [last]
    # 中、高等职业教育在校生: a one-character item takes the rest of the last one after its first character
    items = [item + last[1:] if len(item) == 1 and len(last) >= 3 else item for item in items[:-1]] + [items[-1]]
    sector = next((w for w in rules.head_sectors if head and items[-1].endswith(w + head)
                   and len(items[-1]) > len(w + head) + 1), "")
    # 船舶、电子专用材料行业增加值: each item's 行业增加值 (战略性新兴产业, 制造业: a sector already, its 增加值)
    # an item that is a rate already (关键工序数控化率、…普及率) keeps its own measure
    items = [item if not head or any(item.endswith(h) for h in rules.heads) or (head[-1] == item[-1] == "率")
             else item + head if item.endswith((sector or head, "业")) else item + sector + head for item in items]
    # 生产安全事故起数和死亡人数: a bare measure after the first item shares what that item measures
    first = next((h for h in rules.heads if items[0].endswith(h) and len(items[0]) > len(h)), "")
    owner = items[0][: -len(first)] if first else ""
    return [items[0], *(owner + item if owner and item in rules.heads else item for item in items[1:])]


def _pair_parts(label: str, rules: Rules) -> list[str]:
    """The label once for each part of the first ``pair`` word it holds (城乡 → 城镇, 农村); empty if none."""
    pair = next(((word, parts) for word, parts in sorted(rules.pairs.items(), key=lambda p: -len(p[0]))
                 if word in label), None)
    return [label.replace(pair[0], part, 1) for part in pair[1]] if pair else []


def _ratio_parts(label: str, rules: Rules) -> list[str]:
    """The measures of a ratio's terms, from the measure named before it.

    >>> _ratio_parts("三次产业增加值比例", load_rules())
    ['第一产业增加值比例', '第二产业增加值比例', '第三产业增加值比例']
    >>> _ratio_parts("农业与林牧渔业的产值比例", load_rules())
    ['农业产值比例', '林牧渔业产值比例']
    """
    if parts := _pair_parts(label, rules):
        return parts
    plain = label.replace("的", "")
    items = [item for item in re.split(r"[与和及、]", plain) if item]
    if len(items) < 2:
        return [label]
    last = items[-1]
    # 农业与林牧渔业产值比例: the words after the last item's own name (its lexicon of heads) are shared
    shared = next((last[k:] for k in range(1, len(last)) if last[k:].endswith(("比例", "比重", "结构"))
                   and len(last[:k]) >= 2 and last[k:k + 2] in ("产值", "增加", "比例", "比重", "就业", "结构")), "")
    return [item + shared if shared and not item.endswith(shared) else item for item in items]


def _unitless(text: str, j: int, prefix: str, out: list[Observation], rules: Rules) -> bool:
    """Whether the number ending at ``j``, with no unit after it, measures a ratio, index or score
    (``unitless`` words: 收入比, 倍差, 满意度, 指数): named in the ``prefix`` before it, or reached from one
    (从1.96缩小至1.81)."""
    if j < len(text) and ((text[j].isascii() and text[j].isalnum()) or text[j] in ".%％‰"):
        return False
    if _RATIO_TERM.match(text, j - 1) or prefix in ("：", ":"):
        return True  # 三次产业增加值比例由22.2：46.4：31.4调整为16.1：50：33.9: each term a share
    named = _strip(prefix, rules)
    if named and rules.unitless.search(named):
        return True
    return bool(out) and out[-1].unit == "" and rules.then.match(_YEAR_WORD.sub("", prefix)) is not None


def _list_size(text: str, candidates: list[tuple[int, int, str, Decimal]], k: int, rules: Rules) -> int:
    """How many figures of one list start at candidate ``k`` (2253元和6280元: 2)."""
    size = 1
    while k + size < len(candidates):
        unit = read_unit(text[candidates[k + size - 1][1]:], rules)
        gap = text[candidates[k + size - 1][1] + (unit[1] if unit else 0):candidates[k + size][0]]
        if gap not in rules.list_joins:
            break
        size += 1
    return size


def _ungraded(text: str, rules: Rules) -> str:
    """``text`` with its grade words (中等, 高等 …) masked, same length: their 等 closes no list."""
    return rules.grades.sub(lambda m: "_" * len(m.group()), text)


_ACTION = re.compile(r"[^，,；;：:。！？!?、（(和\d]{3,20}(?=$|[，,；;：:。！？!?、和])")  # 三次提高出口退税率
_PREDICATE = re.compile(r"[^，,；;：:。！？!?、（(]{2,24}(?=$|[，,；;：:。！？!?])")  # to the clause's end


def _subject_predicate(text: str, rules: Rules) -> str:
    """What counted things did, named with them: 3家企业主板上市 → 主板上市企业, 28个省份开展…试点 →
    开展…试点省份; ``""`` unless ``text`` opens with a subject (and 地区和园区) and the clause goes on with
    a predicate up to its end."""
    subject = ""
    while (word := next((w for w in rules.subjects if text.startswith(w, len(subject))), "")):
        subject += word
        if not text.startswith("和", len(subject)) or not text.startswith(rules.subjects, len(subject) + 1):
            break
        subject += "和"
    rest = _PREDICATE.match(text, len(subject)) if subject else None
    opens = rest is not None and rest.group().startswith((*rules.predicates, *rules.subject_verbs))
    if rest is None or not (opens or rest.group().endswith(rules.predicate_ends)) \
            or (not opens and any(h in rest.group() for h in rules.count_heads)):
        return ""  # 106个乡镇综合文化站项目开工建设: the noun runs on (项目), the subject is no subject
    done = rest.group().replace("了", "")
    return done if done.endswith(subject) else done + subject  # 10家企业被认定为高新技术企业: not twice


_GRADE_BEFORE = re.compile(r"(?:\d+(?:\.\d+)?(?:千伏|万伏|kV|KV)[和、及与]?)+(?=[\u4e00-\u9fff])")


def _counted_noun(text: str, rules: Rules) -> str:
    """The noun right after a count's unit (864个小区、143个村 → 小区), up to a stop word."""
    if done := _subject_predicate(text, rules):
        return done
    if text.startswith("新的"):  # 三项新的重大任务: what is counted follows 的
        return "新" + _counted_noun(text[2:], rules)
    if grade := _GRADE_BEFORE.match(text):  # 22个750千伏和330千伏电网工程: the grade is no part of what is counted
        return _counted_noun(text[grade.end():], rules)
    if any(text.startswith(w) and not text.startswith("性", len(w))
           for w in (*rules.strip_suffix, *(c for c, _ in rules.changes)) if len(w) > 1):
        return ""  # 从15家跃升到38家: a predicate follows the count, not the counted noun (预期性指标 is a noun)
    stops = (*rules.stop_words, *(w for w, _ in rules.changes if len(w) > 1), "到", "至", "为")
    # 为 ends the noun (…个增加为), but does not open it: 10件为民实事
    end = min([len(text), _COUNTED_MAX] + [i for w in stops if (i := text.find(w, int(w == "为"))) >= 0])
    graded = _ungraded(text, rules)  # 中等职业教育: its 等 closes no list
    end = min([end] + [i + len(w) - 1 for w in rules.keep_after if 0 <= (i := graded.find(w)) < end])  # 项目中…
    stop = re.search(r"[，,；;：:。！？!?\d]", text[:end])
    end = stop.start() if stop else end
    if text.startswith(rules.inner_stops, end):
        # 4个国家生态文明建设示范区, 3000多个宜居宜业和美乡村: a head word after the stop word ends the name
        clause = re.search(r"[，,；;：:。！？!?\d、]", text)
        reach = min(clause.start() if clause else len(text), _COUNTED_MAX + 4)
        later = max((i + len(w) for w in rules.count_heads for i in find_all(text, w, 0, reach)), default=0)
        end = later if later > end else end
    # 省级县域特色产业集群竞争力…: the noun ends with the last head word it holds (集群); with none, within 10
    head = max((i + len(w) for w in rules.count_heads for i in find_all(text, w, 0, end)), default=0)
    if head >= 3 and end == head + 1 and text[head] in rules.place_nouns:
        head += 1  # 30个省级重点专业镇: a one-character place noun after the head word ends the noun
    bond = text.startswith(rules.bonds) and not text.startswith(rules.count_heads, 2)  # 国债支持灾后恢复重建: 国债,
    noun = text[: 2 if bond else head if head >= 3 else end if end <= 12 else 10]  # then its purpose
    if noun in rules.ranks and text.startswith(("、", "和"), len(noun)):
        # 6个世界级、7个国家级、9个区域级产业集群: each level counts the noun of the last item
        last = _RANKED_LIST.match(text, len(noun))
        if last and last["rank"] in rules.ranks:
            return noun + _counted_noun(text[last.end():], rules)
    if len(noun) == end and text.startswith(rules.predicates, end):
        # 26个项目入选国家级…典型案例: the things counted are those that did it (入选…典型案例项目)
        rest = re.match(r"[^，,；;：:。！？!?\d、]{2,24}(?=$|[，,；;：:。！？!?])", text[end:])
        if rest:  # …中试平台 already names the noun: not twice
            done = rest.group().replace("了", "")
            return done if done.endswith(noun) else done + noun
    return noun


_SOLVING = re.compile(r"(?:基本)?解决了?$")
_SOLVED = re.compile(r"的?([^，,；;。的\d]{2,12}(?:问题|困难))(?=$|[，,；;。])")


def _solved_for(text: str, at: int, prefix: str, noun: str) -> str:
    """Whom a problem was solved for, named with the problem: 解决了378万农村人口的饮水安全问题 (解决饮水安全问题的
    农村人口), 基本解决90万贫困人口温饱问题 (基本解决温饱问题的贫困人口); empty unless the figure follows 解决 and
    its counted ``noun`` the problem.

    >>> _solved_for("3.6万户低收入家庭住房困难。", 5, "解决了", "低收入家庭")
    '解决住房困难的低收入家庭'
    """
    verb = _SOLVING.search(prefix)
    solved = _SOLVED.match(text, at + len(noun)) if verb and len(noun) >= 2 and text.startswith(noun, at) else None
    return f"{verb.group().replace('了', '')}{solved[1]}的{noun}" if verb and solved else ""


_OWNER_AFTER = re.compile(r"的(?:\d+(?:\.\d+)?[多余]?[个项家座条所批])?"  # 的75个重点项目, 的引黄工程
                          r"([^，,；;。、：:\d的“”]{2,14}?)(?=\d|$|[，,；;。、])")


def _owner_after(text: str, at: int, label: str, rules: Rules) -> str:
    """A measure that belongs to a thing (``owned``: 总投资, 建筑面积) named after the figure, with its thing:
    总投资313.9亿元的75个重点项目 (重点项目总投资), 总投资50亿元的引黄工程 (引黄工程总投资); empty unless the
    label ends with such a measure and 的 and the thing follow the figure.

    >>> _owner_after("313.9亿元的75个重点项目。", 7, "着力抓好总投资", load_rules())
    '重点项目总投资'
    """
    measure = next((w for w in rules.owned if label.endswith(w)), "")
    thing = _OWNER_AFTER.match(text, at) if measure else None
    owner = indicator_label(thing[1], rules) if thing else ""
    return owner + measure if len(owner) >= 2 else ""


def _done_to(text: str, at: int, prefix: str, rules: Rules) -> str:
    """What a verb of work done did the amount of, named after it: 推进了7公里的县城东外环道路建设 (县城东外环
    道路), 下达了2万户的农村气代煤改造任务; empty unless the verb ends with 了 and 的 follows the figure."""
    if not prefix.endswith("了") or not (done := _OF_AFTER.match(text, at)):
        return ""
    return indicator_label(done[1].removesuffix("建设"), rules)


def _named_after(text: str, at: int, unit: str, rules: Rules) -> str:
    """The measure named after a figure with none before it: 提出8%左右的国内生产总值增长目标 (国内生产总值),
    6.5%左右的增速 (economic growth), 61%的城市污水处理厂完成提标改造 (…提标改造比例: a share of the things
    that did it)."""
    if goal := _GROWTH_AFTER.match(text, at):
        return indicator_label(goal[1], rules) or indicator_label("经济增长", rules)
    if unit in rules.shares and (share := _SHARE_AFTER.match(text, at)):
        return indicator_label(share[1] + "比例", rules)
    return ""


_AMOUNT_NOUNS = ("经费", "资金", "投入", "支出", "收入")  # a clause of its own naming an amount


_HEADED_ITEM = re.compile(r"[\s\u3000]*([\u4e00-\u9fff、]{1,8})[：:](?=从|由|达到|为|增长|比)")


_ON_THE_BASIS = re.compile(r"在[^，,；;。]{2,16}的?基础上$")


def _topic(text: str, clause: int, rules: Rules) -> str:
    """The measure a sentence opens with, in a clause of its own before the figure's (1955年全国铁路运输的
    货物周转量，由于不合理运输的减少，比1954年只增长了5%), or the heading of an item in a list of products
    (钢：从一百三十五万吨增加到四百十二万吨); empty when that clause holds a number or names none.

    >>> _topic("　　钢：从135万吨增加到412万吨，增长2.1倍。", 16, load_rules())
    '钢'
    """
    if headed := _HEADED_ITEM.match(text):
        return indicator_label(headed.group(1), rules)
    first = _CLAUSE_END.search(text)
    if first is None or first.start() >= clause or _IN_DIGITS.search(_YEAR_MARK.sub("", text[: first.start()])):
        return ""
    opening = _ON_THE_BASIS.sub("", text[: first.start()])  # 粮食总产量在上年大幅度增长的基础上，又增产…
    topic = indicator_label(opening, rules)
    # 全社会研究与实验发展经费，从2002年1288亿元增加到…: a clause that is a noun alone (nothing taken off but a
    # time word: 今年中央财政用于教育的投入，将由去年的…) names it too
    named = topic.endswith(rules.heads) or (opening.endswith(topic) and topic.endswith(_AMOUNT_NOUNS)
                                            and rules.added.search(opening) is None)
    return topic if 2 <= len(topic) <= 16 and named else ""


def _share_owner(before: str, rules: Rules) -> str:
    """Whose a share is when the clause before it names only that (非公有制经济发展加快，占…比重): the clause
    right before, without a state of growth; empty when it holds a number or is no short name.

    >>> _share_owner("活国有中小企业。非公有制经济发展加快，", load_rules())
    '非公有制经济'
    """
    last = re.split(r"[，,；;。：:]", before.rstrip("，,"))[-1]
    if not last or _IN_DIGITS.search(last) or not (rules.growing.search(last) or last.endswith(rules.heads)):
        return ""  # 我们从来相信，占人口…的人民群众: a clause of its own, not the share's owner
    owner = indicator_label(rules.growing.sub("", last), rules)
    return owner if 2 <= len(owner) <= 16 else ""


def _added(indicator: str, rules: Rules) -> str:
    """What was added, without the verb, of the last item listed (新增高速公路 → 高速公路; 地铁新线、新增运营里程
    → 运营里程): the owner of the total that follows."""
    return rules.adding.sub("", re.split("[、，,]", indicator)[-1])


def _joined(owner: str, measure: str) -> str:
    """``owner`` before ``measure``, the words they share written once (城乡居民储蓄存款 + 存款余额 →
    城乡居民储蓄存款余额; 高速公路通车里程 + 总里程 → 高速公路通车总里程); ``measure`` alone without an owner.

    >>> _joined("城乡居民储蓄存款", "存款余额"), _joined("高速公路通车里程", "总里程"), _joined("", "总量")
    ('城乡居民储蓄存款余额', '高速公路通车总里程', '总量')
    """
    whole = measure.removeprefix("总")
    if whole != measure and owner.endswith(whole):
        return owner[: -len(whole)] + measure
    shared = next((k for k in range(min(len(owner), len(measure)), 0, -1) if owner.endswith(measure[:k])), 0)
    return owner + measure[shared:]


def _owner(indicator: str, rules: Rules) -> str:
    """Whose measure ``indicator`` is: what stands before the measure word that ends it (生物降解制品总产量 →
    生物降解制品); empty when it is a measure alone.

    >>> _owner("生物降解制品总产量", load_rules()), _owner("产值", load_rules())
    ('生物降解制品', '')
    """
    head = next((h for h in rules.heads if indicator.endswith(h)), "")
    owner = indicator[: -len(head)].removesuffix("总") if head else ""
    return owner if len(owner) >= 2 else ""


def _plan_span(end: str) -> str:
    """The five-year plan that ends in the year ``end``: 2030 → 2026-2030."""
    return f"{int(end) - 4}-{end}"


@lru_cache(maxsize=8)
def _plan_content(words: tuple[str, ...], *, closed: bool = True) -> re.Pattern[str]:
    """A counted noun of a few characters that ends with a plan-content word (…项主要指标, 其中…); ``closed``:
    and ends its clause there (not so in 5项预期性指标、1项约束性指标未能如期完成)."""
    return re.compile(rf"[^，,；;。\d]{{0,6}}?(?:{alternation(words)})" + (r"(?![^，,；;。])" if closed else ""))


def _about_plan(prefix: str, after: str, words: tuple[str, ...]) -> bool:
    """Whether a count in a plan section counts the plan's own parts: 约束性指标9项, 提出6项指标."""
    return bool(words) and (prefix.endswith(words) or _plan_content(words).match(after) is not None)


@lru_cache(maxsize=16)
def _done_label(done: str) -> re.Pattern[str]:
    """A label that is only a verb of work done, with at most two characters before it (提升改造, 完成治理),
    built once per rule table (not once per figure)."""
    return re.compile(rf"(?:.{{0,2}}?)(?:{done})")


def _unit_of(text: str, candidates: list[tuple[int, int, str, Decimal]], k: int, i: int, number: str,
             prefix: str, out: list[Observation], rules: Rules) -> tuple[str, int, str, Decimal, str] | None:
    """The unit of the ``k``-th figure (``number``, starting at ``i``): written after it, shared with the next
    figure of a list (分别达到14和25平方米), none for a fraction or a measure stated without one; ``None`` when
    the figure is no quantity."""
    j = candidates[k][1]
    if number == _DOUBLED:
        return _DOUBLING  # 数量实现翻番: one doubling, the word its own unit
    unit = _PERCENT_UNIT if text.endswith("百分之", 0, i) else read_unit(text[j:], rules)
    if unit is None and k + 1 < len(candidates) and text[j:candidates[k + 1][0]] in ("和", "、", "及", "与") \
            and not _RATIO_TERM.match(text, j - 1):
        shared = read_unit(text[candidates[k + 1][1]:], rules)  # 分别达到14和25平方米: the list shares its unit
        unit = (shared[0], 0, shared[2], shared[3], shared[4]) if shared else None  # none written here
    if unit is None and ("/" in number or _unitless(text, j, prefix, out, rules)):
        unit = _NO_UNIT  # 1/3 (a share); 城乡收入比缩小至2.12, 满意度从84.7提升至89.6
    return unit


def _change_of(prefix: str, number: str, written: str,
               rules: Rules) -> tuple[str, tuple[str, str] | None, str]:
    """The words before a figure without its qualifiers (``core``), the change word that makes it a change and
    its direction (增长 → up), and the change word that opens the clause when that is what makes it one.

    >>> _change_of("地区生产总值增长", "5.5", "%", load_rules())
    ('地区生产总值增长', ('增长', 'up'), '')
    >>> _change_of("降低交通物流成本", "65", "亿元", load_rules())[1:]
    (('降低', 'down'), '降低')
    """
    core = prefix.removesuffix("百分之").removesuffix("了")  # 增长百分之五, 只增长了5%: the change word before it
    for _ in range(3):
        core = next((core[: -len(q)] for q in rules.before if core.endswith(q)), core)
    change = next(((w, d) for w, d in rules.changes
                   if core.endswith(w) and not any(core.endswith(n + w) for n in rules.not_change_before)), None)
    if change and written not in rules.rates and len(change[0]) < 2:
        change = None
    if change is None and written in rules.rates and (rate := _RATE_LEVEL.search(core) or _RATE_GOAL.search(core)):
        change = next(((w, d) for w, d in rules.changes if w == rate[1]), None)  # 涨幅回落到2.6%: a rise of 2.6%
    opening = ""  # the change word that opens the clause (降低交通物流成本65亿元): no part of the measure
    if change is None and not _TO_OR_BASE.search(prefix) and _IN_DIGITS.search(number):
        # 降低交通物流成本65亿元, 增加…招生计划1.76万个: a clause opening with a change word changes what
        # it names by the amount (not 增加值, nor 提高到…, 比…)
        change = next(((w, d) for w, d in rules.changes if w in rules.opening_changes and prefix.startswith(w)
                       and not prefix.startswith(("值", "率", "幅"), len(w))), None)
        opening = change[0] if change else ""
    return core, change, opening


@dataclass(frozen=True)
class _Setting:
    """What a sentence's figures are read against: its report, text, section stance and period markers."""

    doc: Document
    sentence: Sentence
    text: str  # years in digits (一九五六年 → 1956年)
    stance: str  # past, tasks or plan: the section's
    default_period: str
    year: int  # the report's
    marks: tuple[tuple[int, int, str], ...]  # period markers: (position, end of scope, period)
    lookback: str | None  # the multi-year span the paragraph speaks of
    rules: Rules
    period_words: PeriodWords
    standing: bool  # the sentence opens with 目前…: it states what stands
    so_far: tuple[tuple[int, int], ...]  # spans of 今年第一季度…: this year so far


@dataclass(frozen=True)
class _Figure:
    """One figure being read: where it stands and what its clause says before it."""

    i: int  # where the number starts
    j: int  # where it ends
    number: str  # as written (both bounds of a range)
    clause: int  # where its clause starts
    unit_end: int  # where its unit ends
    after: int  # where the words after its unit and qualifier start
    prefix: str  # the clause's words before it (after the previous figure)
    core: str  # the prefix without its qualifiers
    unit: str  # as written
    normalized: str  # the unit's code
    change: tuple[str, str] | None  # the change word before it and its direction
    listed: Observation | None  # the figure it follows in a list (分别降低15%、15%)
    then: bool  # the value a change reaches (从46%提高到60%)
    held: bool  # a level kept (稳定在80%左右)
    explicit: bool  # a period marker of the sentence covers it


def _running_total(text: str, clause: int, i: int) -> bool:
    """Whether 累计 stands in the figure's clause before it: a running total (累计开行超1.4万列), cumulative, and in a
    look-back over the whole span even after a level word (城镇新增就业累计超过41万人)."""
    return "累计" in text[clause:i]


def _period_of(s: _Setting, f: _Figure, out: list[Observation]) -> str:
    """The period a figure is about: the sentence's markers, else the section's, read with the look-back
    the paragraph speaks of (a level reached at its end, work done over it), a base value's year, a plan's
    span for changes and additions, a streak held."""
    text, i, clause, prefix, rules, lookback = s.text, f.i, f.clause, f.prefix, s.rules, s.lookback
    period = next((p for pos, end, p in reversed(s.marks) if pos < i < end), s.default_period)
    if s.stance == "past" and not f.explicit and (base_plan := _PLAN_END_BASE.search(prefix)):
        period = str(plan_years(base_plan[1])[1])  # 较“十三五”末的9323.1亿元: the base plan's last year
    elif s.stance == "past" and (_FROM_PER.search(prefix) or (lookback and prefix.endswith("由")) or (
            _FROM_LAST.search(prefix) and _RISES_TO.match(text, f.after))):
        # 从2649.2亿元增长到3826.4亿元: a base value; only a year in its own clause dates it.
        # 2020年到2025年，…比重从17.9%提升到35.5%: the sentence's 从2020年 dates the base
        since = _FROM_YEAR_TO.search(text, 0, i)
        period = next((p for pos, end, p in reversed(s.marks) if clause <= pos < i < end), "") or (
            since[1] if since else str(int(lookback[:4]) - 1) if lookback
            else _base_period(s.doc, s.sentence, s.default_period))
    elif lookback and s.stance == "past" and not f.explicit:
        # inside a look-back: a level reached is about the span's last year, the rest about the span
        # a count of work done over the span (建成…36个, 累计, 新增) is about the span; a stock or a share
        # with no such word (国家级数字领航企业18家, 占比55.7%) is the level at its end
        listed_period = f.listed.period if f.listed else ""
        # 五年建成新线5944公里，复线4603公里: a bare item after a total over the span is one too
        # (累计进出口264.5亿美元，年均增长10.1％；其中出口184.9亿美元: the total before in the same unit)
        total = next((o for o in reversed(out) if o.unit == f.unit), None)
        continued = total is not None and total.period == lookback and total.kind == "cumulative" \
            and (_BARE_ITEM.fullmatch(prefix) is not None or prefix.lstrip("，,").startswith("其中")) \
            and not prefix.lstrip("，,、；;").startswith(rules.reaches) and "已" not in prefix
        # (…，惠及26个省份: whom it reached; …，远程教育已覆盖36万所: what stands)
        # 文化惠民工程惠及3500万人次: visits and services counted in person-times are a flow over the span
        over_span = continued or bool(f.change) or f.normalized == "person-time" or (f.unit not in rules.shares and (
            rules.done.search(text, clause, _clause_end(text, f.j)) is not None
            or rules.added.search(text, clause, i) is not None))  # 300项政务事项实现“跨省通办”: done; not a share
        # 民生支出占比稳定在80%左右, 每年办成10件实事: a level kept, or a per-year figure, over the whole span
        kept = f.held or _PER_YEAR.search(text, clause, i) is not None
        # 地区生产总值跨越5000亿元大关: an amount crossed is the level reached (跨越3个千亿元台阶 counts steps)
        crossed = _CROSSED.search(f.core) is not None and f.normalized in _AMOUNTS
        # 国民生产总值比上年增长12.8%: a change against the year before is the last year's
        one_year = bool(f.change) and _ONE_YEAR_BASE.search(text, clause, i) is not None
        # 五年来，…各项农业事业费达4077亿元: money spent is a total over the span, even when 达 reaches it
        spent = f.normalized == "CNY" and rules.spent.search(f.prefix) is not None and not _STOCK.search(f.prefix)
        # 城镇新增就业累计超过41万人: a running total reaches its level over the whole span
        running = _running_total(text, clause, i) and not f.then
        period = listed_period or (lookback if (kept or spent or running) and not one_year else lookback[-4:]
                                   if f.then or s.period_words.level.search(prefix) or crossed or not over_span
                                   or one_year else lookback)
    elif s.stance == "plan" and (f.change or f.held or _PER_YEAR.search(prefix) or (
            f.unit not in rules.rates and rules.added.search(prefix))) \
            and not f.explicit and re.fullmatch(r"\d{4}", period):
        period = _plan_span(period)  # 年均增长(率要达到) and 新增N over the plan, not in its last year
    if s.stance == "past" and not f.explicit and (streak := _STREAK.search(text, clause, i)) \
            and re.fullmatch(r"\d{4}", period) and 1 < (years := int(chinese_decimal(streak[1]))) < 30:
        period = f"{int(period) - years + 1}-{period}"  # 连续7年保持98%以上: a level held through the streak
    return period


def _fact_of(s: _Setting, f: _Figure, period: str) -> tuple[str, str]:
    """Whether a figure among the tasks states a fact rather than a goal — last year's (去年, 剩余), one that
    stands (现有, 目前…), one dated to a year gone by, this year's so far (今年第一季度) — and its period then."""
    rules, prefix, year = s.rules, f.prefix, s.year
    fact = ""  # in this year's tasks, a figure that states a fact: last year's (去年, 剩余) or standing (现有)
    if s.stance == "tasks" and not f.explicit and rules.future.search(prefix) is None:
        clause_text = s.text[f.clause:f.i]

        def said(words: tuple[str, ...]) -> bool:  # not as a base: 比去年, 较去年
            return any(re.search(rf"(?<![比较同与实出体表发呈]){re.escape(w)}", clause_text) for w in words)

        fact = "" if f.then else "last-year" if said(s.period_words.last_year) \
            else "existing" if said(s.period_words.existing) else ""  # 从去年的2.1%提高到2.3%: 2.3 is the goal
        if fact == "last-year":
            period = str(year - 1)
    if s.stance == "tasks" and not fact and s.standing and rules.future.search(prefix) is None:
        fact = "existing"  # 目前…比例，已由五十年代的50%左右上升到80%以上: the sentence states what stands
    if s.stance != "past" and f.explicit and not fact and _last_year(period) < year \
            and rules.future.search(prefix) is None:
        fact = "dated"  # 1956年，…增长16%: in a section on the year ahead, a figure of a year gone by
    if s.stance != "past" and not fact and (now := re.search(r"[由从](.{2})的$", prefix)) \
            and now[1] in s.period_words.existing:
        fact, period = "existing", str(year - 1)  # 由现在的50：50调整为45：55: the base is where things stand
    if any(a < f.i < b for a, b in s.so_far):
        fact, period = "so-far", str(year)  # 今年第一季度，工业生产又比去年同期增长12%
    return fact, period


def _kind_of(s: _Setting, f: _Figure, period: str, change: tuple[str, str] | None,
             future: bool) -> tuple[str, str]:
    """What a figure is — actual, change, share, cumulative or target — and its period once that is known (a
    plan's own make-up is about the plan's span; a change against a base year covers the years since).
    ``change`` is the figure's own, or a gap or ratio read after its period (高于全国1.7个百分点, 为…的2.9倍)."""
    text, i, clause, rules = s.text, f.i, f.clause, s.rules
    # 提出了28个主要指标，其中预期性指标20个: the plan's own make-up, a fact about the whole plan period
    about_plan = s.stance == "plan" and not f.explicit and re.fullmatch(r"\d{4}", period) is not None \
        and _about_plan(f.prefix, text[f.unit_end:], rules.plan_content)
    # “十四五”时期，…5项预期性指标未能如期完成: a look-back counting a named plan's own parts
    counts_plan = s.stance != "plan" and not about_plan and bool(rules.plan_content) \
        and _plan_content(rules.plan_content, closed=False).match(text, f.unit_end) is not None
    named_plan = _PLAN.search(text, 0, i) if counts_plan else None
    if about_plan:
        kind, period = "actual", _plan_span(period)
    elif named_plan:
        first, last = plan_years(next(g for g in named_plan.groups() if g))
        kind, period = "actual", f"{first}-{last}"
    elif future:
        kind = "target"
    elif change:
        kind = "change"
    elif f.unit in rules.shares or "/" in f.number:
        kind = "share"
    elif (("-" in period and not f.held) or _running_total(text, clause, i)) and not _PER_YEAR.search(text, clause, i):
        kind = "cumulative"  # a total over a span, or a running total (累计开行超1.4万列); not 每年实施20项
    else:
        kind = "actual"
    # 比1995年增长69%, said of 2000: the change over 1996-2000; 比2002年增长65.5%，年均增长10.6%: the same span
    # 比2002年增长60.98%，实现利润增长2.23倍: a later change with no base of its own keeps the sentence's
    base = _BASE_YEAR.search(text, clause, i) \
        or (_PER_YEAR.search(text, clause, i) and _last_match(_BASE_YEAR, text, i)) \
        or (not _OWN_BASE.search(text, clause, i) and _last_match(_COMPARED_YEAR, text, i))
    if kind == "change" and base and int(base[1]) + 1 < _last_year(period):
        period = f"{int(base[1]) + 1}-{_last_year(period)}"
    return kind, period


def _last_match(pattern: re.Pattern[str], text: str, end: int) -> re.Match[str] | None:
    """The last match of ``pattern`` in ``text`` before ``end`` (the base year a sentence compared with last)."""
    return next(iter(reversed(list(pattern.finditer(text, 0, end)))), None)


def sentence_observations(doc: Document, sentence: Sentence, rules: Rules | None = None, *,
                          lookback: str | None = None, recalled: bool = False,
                          this_year: bool = False) -> list[Observation]:
    """The observations of one sentence; ``lookback`` is the multi-year span its paragraph
    speaks of (:func:`kg.extract.periods.lookback_spans`), if any; ``recalled``: the sentence
    recalls last year among this year's tasks (:func:`kg.extract.periods.recalled_sentences`);
    ``this_year``: it stands among this year's tasks inside a plan section (:func:`plan_year_sentences`)."""
    rules = rules or load_rules()
    period_words = load_period_words()
    text = arabic_years(sentence.text)  # 一九五六年 → 1956年, position for position
    candidates = list(_candidates(text, rules))
    if not candidates:
        return []  # most sentences hold no number: nothing below needs to run
    stance, default_period = _context(doc, sentence, rules)
    year = doc.meta.year or 0
    if recalled and stance == "tasks":
        stance, default_period = "past", str(year - 1)
    if lookback and stance == "plan":  # 过去五年，… in a section that then sets the plan ahead: a look-back
        stance, default_period = "past", str(year - 1)
    if this_year and stance == "plan":  # 2026年是“十五五”开局之年… inside the plan: this year's tasks
        stance, default_period = "tasks", str(year)
    # Digit runs too long to be a quantity are masked (same length, so spans hold): the skip
    # patterns would take quadratic time on a 10,000-digit number.
    masked = re.sub(r"\d{40,}", lambda m: "#" * len(m.group()), text)
    skipped = [m.span() for pattern in rules.skip for m in pattern.finditer(masked)]
    marks = _markers(text, stance, year)
    # “两个确保”: a future word inside quote marks is a name's, no target
    future_sentence = bool(rules.future.search(_QUOTED_NAME.sub("", text))) or any(
        _last_year(p) >= year for *_, p in marks)
    so_far = [(m.start(), len(text) if text.startswith("，", m.end()) else _clause_end(text, m.end()))
              for m in _SO_FAR.finditer(text)]  # 今年第一季度，…: the topic of the sentence
    standing = text.lstrip(" \u3000").startswith(period_words.existing)  # 目前…: what the sentence says stands
    setting = _Setting(doc, sentence, text, stance, default_period, year, tuple(marks), lookback, rules,
                       period_words, standing, tuple(so_far))
    out: list[Observation] = []
    pending: list[str] = []  # the indicators still to give to the values of a 分别 list
    run: list[str] = []  # the indicators of the last 分别 list, all of them
    ratio_parts: list[str] = []  # the measures still to give to the terms of a ratio (22.2：46.4：31.4)
    ratio_whole = ""  # the measure of the last ratio read
    last_end, last_indicator = 0, ""
    subject = ""  # what the next figures measure when it is not the label just given (…迈上4个万亿元台阶)
    crossed_to = 0  # where the thresholds counted end (…4个万亿元台阶|、达14.2万亿元)
    lows = {k for k in range(len(candidates) - 1)
            if _RANGE_JOIN.fullmatch(text[candidates[k][1]:candidates[k + 1][0]])}
    low: tuple[int, Decimal] | None = None
    for k, (i, j, number, value) in enumerate(candidates):
        if any(i < e and s < j for s, e in skipped) or i < last_end:
            low = None
            continue
        if k in lows:  # 6.5%－7%, 3-5所: the lower bound, read with the upper one
            low = (i, value)
            continue
        upper = None
        if low is not None:
            upper, number = value, text[low[0]:j]  # the observation spans both bounds and holds the lower
            i, value = low
            low = None
        clause = _clause_start(text, i)
        prefix = text[max(clause, last_end):i]
        unit = _unit_of(text, candidates, k, i, number, prefix, out, rules)
        if unit is None:
            continue
        written, used, normalized, multiplier, approx = unit
        unit_end = j + used
        after = next((q for q in rules.after if text.startswith(q, unit_end)), "")
        qualifiers = [(prefix.find(q), q) for q in rules.before if q in prefix and (len(q) > 1 or prefix.endswith(q))]
        # 接近, not 接近|近: a qualifier inside a longer one found there is that one
        qualifiers = [(at, q) for at, q in qualifiers if not any(q != q2 and q in q2 for _, q2 in qualifiers)]
        qualifier = "|".join([q for _, q in sorted(qualifiers)] + [q for q in (approx, after) if q])
        core, change, opening = _change_of(prefix, number, written, rules)
        if number == _DOUBLED:
            change = ("", "up")  # 翻番: a rise by a doubling
        listed = out[-1] if out and prefix in rules.list_joins and out[-1].unit == written else None
        if listed and listed.direction and not change:
            change = ("", listed.direction)  # 分别降低15%、15%、19%: each item keeps the direction
        held = rules.held.search(prefix) is not None or rules.held.search(core) is not None
        explicit = any(pos < i < end for pos, end, _ in marks)
        # 从46%提高到60%, 从2009年的2.8%降到去年的1.5%: the second value keeps the first's measure
        then = bool(out) and rules.then.match(_YEAR_WORD.sub("", _YEAR_MARK.sub("", prefix))) is not None
        # 中职学校由71所优化整合为47所: after a value that 由/从 opens, any short verb reaching another is a then
        then = then or (bool(out) and out[-1].unit == written and out[-1].char_start >= clause
                        and text.endswith(("由", "从"), 0, out[-1].char_start)
                        and _SHORT_REACH.fullmatch(prefix) is not None)
        figure = _Figure(i, j, number, clause, unit_end, unit_end + len(after), prefix, core, written, normalized,
                         change, listed, then, held, explicit)
        period = _period_of(setting, figure, out)
        fact, period = _fact_of(setting, figure, period)
        future = not fact and (stance != "past" or rules.future.search(_QUOTED_NAME.sub("", prefix)) is not None or (
            future_sentence and _last_year(period) >= year))
        gap = _GAP.search(core) if change is None and written in rules.rates else None
        if gap:
            change = ("", "down" if gap[1] in ("低于", "慢于") else "up")  # 高于全国1.7个百分点: a gap, a change
            period = out[-1].period if out and not explicit else period  # the gap of the figure just given
        if change is None and written == "倍" and _RATIO_BASE.search(core):
            change = ("", "up")  # 为1997年的2.9倍: a ratio to a base year
        kind, period = _kind_of(setting, figure, period, change, future)
        # 由22.2：46.4：31.4: a later term of a ratio is the same measure, of the same time, as the first
        ratio_next = prefix in ("：", ":") and bool(out) and out[-1].char_end == i - 1 and (not explicit or any(
            pos < out[-1].char_start and i < end for pos, end, _ in marks))  # 由1997年的19.3：48.9: one year's
        if ratio_next:
            period = out[-1].period
        else:
            ratio_parts = []
        if kind == "actual" and (ratio_next or _RATIO_TERM.match(text, j - 1)):
            kind = "share"  # 三次产业增加值比例16.1：50：33.9: each term a share of the whole
        label = out[-1].indicator if listed or then or ratio_next else indicator_label(prefix, rules)
        if ratio_next and ratio_parts:
            label = ratio_parts.pop(0)  # 16.1：50：33.9 of 三次产业增加值比例: 第二产业增加值比例, …
        elif (terms := _RATIO_CHAIN.match(text, i)) and _RATIO_TERM.match(text, j - 1):
            # the measure of a ratio names its parts (三次产业 → 第一产业…; 农业与林牧渔业): one for each term
            ratio_whole = label or ratio_whole  # 由…调整为16.1：50：33.9: the second ratio is of the same measure
            parts = _ratio_parts(ratio_whole, rules)
            if len(parts) == len(re.split(r"[：:]", terms.group())):
                label, ratio_parts = parts[0], parts[1:]
        if then and not pending and len(run) > 1 and out[-1].indicator == run[-1]:
            label, pending = run[0], run[1:]  # 分别由41.9%和50.3%下降到35.4%和40%: the values reached, item by item
        elif pending and (listed or prefix in rules.list_joins):
            # 新能源汽车、集成电路产量分别增长…: the next item's measure (also in another unit: 4.7个、27.3张)
            label = pending.pop(0)
        elif not listed and "分别" in prefix and len(items := coordinated_items(label, rules)) > 1:
            label, pending, run = items[0], items[1:], items
        elif not listed and "、" in label and len(items := coordinated_items(label, rules)) == _list_size(
                text, candidates, k, rules) > 1 and text[unit_end:unit_end + 1] in "、和及与":
            label, pending, run = items[0], items[1:], items  # 国内游客人次、总花费增长5.6%、7.5%: as many as figures
        elif not listed and not label and (size := _list_size(text, candidates, k, rules)) > 1:
            # A和B，2000年分别达到X和Y / 平均每年增长p和q: the measures named in the clause before, or the
            # measures of the list of figures just given
            before = text[_clause_start(text, max(clause - 1, 0)):max(clause - 1, 0)]
            items = coordinated_items(indicator_label(before, rules), rules) if before and not re.search(
                r"\d", before) else []
            if len(items) != size:
                items = [o.indicator for o in out[-size:]] if len(out) >= size else []
            if len(items) == size and all(items):
                label, pending, run = items[0], items[1:], items
        if not listed and not then and _FROM_BASE.fullmatch(prefix.removesuffix("百分之")):
            # 固定职工的比例，已由五十年代的50%左右…: the clause names only the base; the measure is before it
            before = text[_clause_start(text, max(clause - 1, 0)):max(clause - 1, 0)]
            label = indicator_label(before, rules) if before and not re.search(r"\d", before) else ""
        # 非公有制经济发展加快，占国内生产总值的比重达37.3%: with no figure before, the clause before names whose
        owner = last_indicator or (_share_owner(text[:clause], rules) if prefix.startswith("占") else "")
        if prefix.startswith("占") and owner:
            whole = _YEAR_IN_LABEL.sub("", prefix[1:]).rstrip("的由从达为到")  # 占全国比重由…: of the nation
            whole = whole if whole.endswith(("比重", "份额", "比例")) else _strip(whole, rules)
            label = f"{owner}占比" if whole in ("", "比") else f"{owner}占{whole}" \
                if whole.endswith(("比重", "份额", "比例")) else f"{owner}占{whole}比重"
        elif not label and kind == "share" and not change and (
                share_of := _named_after(text, unit_end + len(after), written, rules)):
            label = share_of  # …，61%的城市污水处理厂完成提标改造: the share of the things named after it
        elif (not label and kind in ("change", "share")) or (not label and change and last_indicator) or (
                last_indicator and _RATIO_BASE.fullmatch(prefix)):
            label = last_indicator  # …4400亿元，是上年同期的2.2倍: the ratio of the figure just given
        noun = _counted_noun(text[unit_end + len(after):], rules)
        if prefix.endswith(("由", "从")) and _REACHES_COUNT.match(text, unit_end + len(after) + len(noun)):
            noun = ""  # 中职学校由71所优化整合为47所: what follows a base count is how it came to the next
        action = _ACTION.match(text, unit_end + len(after)) if not noun and normalized == "time" else None
        counted = indicator_label(noun, rules)
        if action and (done := indicator_label(action.group(), rules)):
            counted = done + "次数"  # 两次下调存款准备金率、…: how often the action was done
        # an amount keeps the measure named before it (新增绿道1000公里), unless that is only a verb of work done
        # (提升改造210公里农村公路: what follows is the measure)
        # (国务院增发1000亿元财政债券: a verb that puts money out names no measure; what it puts out does)
        named = bool(label) and normalized in _AMOUNTS and _done_label(rules.done.pattern).fullmatch(label) is None \
            and not rules.pays_out.search(label)
        # 5个乡镇50个村: the words before this count were the count before's noun; its own noun names it
        follows = bool(out) and bool(counted) and prefix == out[-1].indicator and out[-1].char_end + len(prefix) + 2 > i
        if (len(counted) > 1 or (counted and (prefix.endswith("等") or follows))) and kind not in ("change", "share") \
                and not listed and (not named or prefix.endswith("等")):  # 边庞路等70公里农村公路: the kind after 等
            # 864个小区; 周泾等3个村: the noun after a count names what is counted; 促进民营经济高质量发展27条
            # 举措: a package of measures is named by the words before its count
            named_by = label and counted in rules.named_counts and "、" not in label \
                and not re.search(f"(?:{rules.done.pattern})$", label)  # 出台20条举措: no name before the count
            named_by = named_by or bool(_OWNER_BEFORE.search(prefix))  # 省属577户企业: whose the things counted are
            crossing = _CROSSING.fullmatch(prefix) if counted.endswith(_THRESHOLDS) else None
            if crossing:  # 地区生产总值连续迈上4个万亿元台阶、达14.2万亿元: the steps crossed, then the measure's
                subject = indicator_label(crossing["subject"], rules)  # 地区生产总值千亿级台阶: whose steps
                label = (subject or crossing["verb"]) + counted
                crossed_to = unit_end + len(after) + len(noun)  # the next figure's words start after the noun
            else:
                label = label + counted if named_by else counted
        label = _solved_for(text, unit_end + len(after), prefix, noun) \
            or _owner_after(text, unit_end + len(after), label, rules) \
            or _done_to(text, unit_end + len(after), prefix, rules) or label or counted or last_indicator \
            or _named_after(text, unit_end + len(after), written, rules) or _topic(text, clause, rules)
        if opening and label.startswith(opening) and len(label) > len(opening) + 1:
            label = label[len(opening):]
        reach = next((w for w in rules.reaches if core.endswith(w)), "") if not (listed or then) else ""
        if reach and kind != "change":
            # 育儿补贴惠及124万名婴幼儿, 基本药物制度覆盖80%以上村卫生室, 试点惠及165.3万人: who or what it reaches
            reached = counted if len(counted) > 1 else "人数" if normalized in ("person", "person-time") else ""
            giver = core[: -len(reach)]  # 发放…资金127.8亿元、惠及461万人次: with nothing before it, the figure's
            whose = indicator_label(giver, rules) or (last_indicator if giver in ("", "、", "，", ",") else "")
            if reached:
                label = f"{whose}{reach}{reached}{'比例' if written in rules.shares and reached != '人数' else ''}"
        if len(label) <= 2 and _SET_GOAL.search(core) and _GROWTH_GOAL.search(text):
            label = indicator_label("经济增长", rules)  # 确定4.5%左右的增长目标, 把增长预期目标定在7.5%左右
        if label in ("占比", "比重", "比例", "份额") and last_indicator:
            label = last_indicator + label  # 财政民生支出…，占比稳定在80%: the share of the measure just given
        elif len(label) <= 3 and label.removeprefix("总") in rules.heads and last_indicator and not listed \
                and not then:
            # 生物降解制品总产量增长19%、产值增长18%: its 产值; 实施重点项目2800多个，完成投资2400多亿元: the
            # projects just counted are whose the amount is
            counted_before = out[-1].unit_normalized not in _AMOUNTS and out[-1].unit not in rules.rates \
                and last_indicator not in rules.heads and len(last_indicator) <= 8 \
                and _owner(last_indicator, rules) == "" and label not in last_indicator
            label = (last_indicator if counted_before else _owner(last_indicator, rules)) + label
        elif label in rules.whose and not listed and not then:
            # 一般公共预算收入增长4.6%，总量首次突破1900亿元; 高中段教育发展迅速，招生规模由…: whose total it is
            just_before = bool(out) and out[-1].char_end >= _clause_start(text, max(clause - 1, 0))
            label = _joined(_added(last_indicator, rules) if just_before else _share_owner(text[:clause], rules), label)
        if gap and last_indicator and not listed:
            # 增长7.6%，高于全国1.7个百分点; 年均增长5.9%、高于全国0.5个百分点: the average yearly rate's gap
            yearly = bool(out) and "年均" in text[_clause_start(text, out[-1].char_start):out[-1].char_start]
            against = "" if gap[0].endswith("时期") else gap[0]  # 高于“十三五”时期: the rate against a past plan
            # 占比达到66%，高于全国平均水平0.28个百分点: the gap of a level, not of a growth rate
            rate = not out or out[-1].kind == "change" or last_indicator.endswith("增速")
            label = f"{last_indicator.removesuffix('增速')}{'年均' if yearly else ''}{'增速' if rate else ''}{against}"
        elif _BOTH.search(prefix) and re.search("[、和]", label) and kind in ("change", "share"):
            label = coordinated_items(label, rules)[0]  # 游客人数、旅游收入均增长10%: one figure, its first measure
        if change is None and kind == "actual" and core.endswith("新增") and _BALANCE.search(label):
            change, kind = ("", "up"), "change"  # 各项贷款新增1.91万亿元: the rise of a balance
        if not written and kind == "actual" and re.search(r"(?:比|倍差|比值)$", label):
            kind = "share"  # 城乡收入比2.12, 收入倍差1.81: a ratio
        if change is None and kind == "share" and (_RATE_NAME.search(label) or label.endswith("价格指数")):
            # 投资增长幅度…27.8%: a rate; 物价涨幅要从14.8%降到10%左右 (a price index's percentage): its rise
            change, kind = ("", "down" if label.endswith("降幅") else "up"), "change"
        if kind == "share" and _SHARE_OF.search(label):
            label += "比重"  # 民生支出占一般公共预算支出77.9%: the share is named as one (…支出比重)
        start, end = sentence.span(i, j)
        out.append(Observation(
            sentence=sentence.index, section=sentence.section, text=number, value=value, unit=written,
            kind=kind, period=period, indicator=label, direction=change[1] if change else "",
            qualifier=qualifier, value_normalized=_exact(value * multiplier) if normalized else None,
            unit_normalized=normalized, char_start=i, char_end=j, start=start, end=end, upper=upper,
        ))
        last_end, last_indicator = max(unit_end + len(after), crossed_to), subject or label
        subject, crossed_to = "", 0
    return out


def extract_observations(doc: Document) -> tuple[Observation, ...]:
    """Every observation of a document, in reading order."""
    rules = load_rules()
    spans = lookback_spans(doc)
    recalled = recalled_sentences(doc)
    notes = notes_start(doc, rules)
    this_year = plan_year_sentences(doc, rules)
    found = (o for s in doc.sentences for o in sentence_observations(
        doc, s, rules, lookback=spans.get(s.paragraph), recalled=s.index in recalled,
        this_year=s.index in this_year))
    return tuple(replace(o, kind="note", direction="") if o.sentence >= notes else o for o in found)


def plan_year_sentences(doc: Document, rules: Rules | None = None) -> frozenset[int]:
    """Sentences of a plan section that speak of the report's own year: from a paragraph that opens
    with the year (2026年是“十五五”开局之年, 今年…) and, where the title names the year too (“十五五”时期
    目标任务和2026年工作安排), from its first subsection on, to the end of the section."""
    rules = rules or load_rules()
    year = doc.meta.year or 0
    out: set[int] = set()
    started: set[str] = set()
    for paragraph in doc.paragraphs:
        if not paragraph.sentences or not paragraph.section:
            continue
        top = paragraph.section.split(".")[0]
        if top not in started:
            if _context(doc, paragraph.sentences[0], rules)[0] != "plan":
                continue
            section = doc.section(top)
            opens_year = paragraph.sentences[0].text.lstrip("—").startswith((f"{year}年", "今年"))
            if not opens_year and not (f"{year}年" in (section.title if section else "") and "." in paragraph.section):
                continue
            started.add(top)
        out.update(s.index for s in paragraph.sentences)
    return frozenset(out)


def notes_start(doc: Document, rules: Rules | None = None) -> int:
    """The index of the first sentence of the report's glossary or notes (注释, 名词解释 on a line of
    their own, after the speech), or one past the last sentence when there are none.

    Figures there describe how a programme is designed (每年…N个项目), not what a year achieved or
    aims at: they are kept with kind ``note``, and no target is judged against them.
    """
    rules = rules or load_rules()
    end = (doc.sentences[-1].index + 1) if doc.sentences else 0
    for paragraph in doc.paragraphs:
        text = paragraph.sentences[0].text.strip() if paragraph.sentences else ""
        titled = len(paragraph.sentences) == 1 and len(text) <= 30 and any(
            text.rstrip("：:").endswith(w) for w in rules.note_titles)
        if titled or any(text.startswith(w) and text[len(w):len(w) + 1] in _NOTE_MARK for w in rules.note_titles):
            if not titled:  # 注释［1］一降三减：… joined with its first note: the notes start here
                return paragraph.sentences[0].index
            later = [s.index for p in doc.paragraphs if p.index > paragraph.index for s in p.sentences]
            return later[0] if later else end
    return end
