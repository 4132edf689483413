"""Which period a figure speaks of, beyond its own sentence: look-backs over several years.

A report's review of the past year often holds a look-back at the whole plan period: a
paragraph that opens with 五年来, 过去五年 or “十四五”时期 (or a section whose heading says so)
speaks of the five years before the report, and so do the paragraphs that follow it in the same
section, until the text moves on: a heading, an address to the deputies (各位代表), or a paragraph
that starts with a single year again (过去一年, 今年). Inside such a scope a figure with no year
of its own is about the span (2021-2025), a level reached (达到, 提高到) is about its last year,
and the first value of 从A到B about the year before the span. The words are rows of
``data/lexicon/period-words.csv``.

>>> from kg.text.segment import segment
>>> from kg.text.source import SourceText
>>> from pathlib import Path
>>> text = ("2026年X省政府工作报告\\n——2026年1月20日在X省人民代表大会上\\n省长 王某\\n各位代表：\\n"
...         "一、工作回顾\\n过去一年，生产总值增长5%。\\n五年来，生产总值年均增长5.9%。\\n"
...         "——新增就业300万人。\\n各位代表！\\n二、今年工作\\n")
>>> doc = segment(SourceText(Path("x.txt"), text, ""))
>>> sorted(lookback_spans(doc).items())
[(4, '2021-2025'), (5, '2021-2025')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kg.extract.lexicon import alternation
from kg.resources import lexicon_dir, read_rule_table
from kg.text.numerals import arabic_years, chinese_number
from kg.text.segment import Document

__all__ = ["PERIOD_ROLES", "PLAN_NAME", "PeriodWords", "load_period_words", "lookback_spans", "plan_years"]

PERIOD_ROLES = ("lookback", "year-scope", "level", "since-congress", "last-year", "existing", "recall", "remark")
PLAN_NAME = r"(?:十[一二三四五六七八九]?|[六七八九])五"  # 十四五, 十五, 九五: a five-year plan's short name
_PLAN_SPAN = re.compile(rf"“?({PLAN_NAME})”?(?:时期|期间|以来|这五年)")
_ADDRESS = re.compile(r"^各位(?:代表|委员)[，,！!：:、]*")
_BOTH = re.compile(r"(?:19|20)\d{2}年(?:及|和|暨|与)")  # 2025年及“十四五”时期工作回顾: one year, then the plan
# A first clause that names one year as its topic (2012年，… / 刚刚过去的2017年，…) speaks of that year.
# A plan named in a paragraph's first sentence (“十五五”规划纲要, 第十五个五年规划): if it starts in the report's
# year or later, the text has turned from the look-back to the plan ahead.
_PLAN_AHEAD = re.compile(rf"“({PLAN_NAME})”|第(十[一二三四五六七八九]?|[一二三四五六七八九])个五年")
# A top-level title that names the five years as its subject (改革开放和现代化建设取得伟大成就的五年) reviews them;
# 今后的五年, 未来的五年 look ahead.
_FIVE_YEARS_TITLE = re.compile(r"(?<!今后)(?<!未来)(?<!新)的五年$")
YEAR_TOPIC = re.compile(r"^(?:刚刚过去的|过去的|在)?(?:19|20)\d{2}年(?:[^，,；;：:。\d]{0,6})$")


_NEVER = re.compile(r"(?!)")  # a pattern that matches nothing (a role with no words)


@dataclass(frozen=True)
class PeriodWords:
    """The period words of ``period-words.csv``, by role."""

    lookback: tuple[str, ...]
    year_scope: tuple[str, ...]
    level: re.Pattern[str]  # a level word right before a value (ends the text before it)
    since: tuple[tuple[str, int], ...]
    last_year: tuple[str, ...] = ()  # 去年, 剩余: in a tasks section, last year's fact
    existing: tuple[str, ...] = ()  # 现有: in a tasks section, a fact that stands
    recall: tuple[str, ...] = ()  # 过去一年: a sentence opening with it recalls last year, in any section
    remark: re.Pattern[str] = _NEVER  # 这里要特别指出，: an opening remark before what a paragraph is about


def load_period_words(folder: str | Path | None = None) -> PeriodWords:
    """Read ``period-words.csv`` (checked: every role one of :data:`PERIOD_ROLES`)."""
    return _load(str(folder or lexicon_dir()))


@lru_cache(maxsize=4)
def _load(folder: str) -> PeriodWords:
    path = Path(folder) / "period-words.csv"
    rows = [row for _, row in read_rule_table(path, ("word", "role", "year"), choices={"role": PERIOD_ROLES},
                                              required=("word", "role"))]

    def words(role: str) -> tuple[str, ...]:
        return tuple(r["word"] for r in rows if r["role"] == role)

    since = tuple((r["word"], int(r["year"])) for r in rows if r["role"] == "since-congress" and r["year"].isdigit())
    return PeriodWords(words("lookback"), words("year-scope"), re.compile(rf"(?:{alternation(words('level'))})$"),
                       since, words("last-year"), words("existing"), words("recall"),
                       re.compile(rf"(?:{alternation(words('remark'))})[，,]") if words("remark") else _NEVER)


def plan_years(name: str) -> tuple[int, int]:
    """The years of a five-year plan named by its short name (the N-th plan ends in 1955 + 5N).

    >>> plan_years("十四五"), plan_years("十五"), plan_years("九五")
    ((2021, 2025), (2001, 2005), (1996, 2000))
    """
    last = 1955 + 5 * chinese_number(name.strip("“”").removesuffix("五"))
    return last - 4, last


def _opens(text: str, words: PeriodWords, year: int) -> str | None:
    """The span a look-back marker in ``text`` opens, or ``None``."""
    if plan := _PLAN_SPAN.search(text):
        first, last = plan_years(plan.group(1))
        return f"{first}-{min(last, year - 1)}" if first < year else None
    for word, since in words.since:
        if word in text and since < year:
            return f"{since}-{year - 1}"
    if any(word in text for word in words.lookback):
        return f"{year - 5}-{year - 1}"
    return None


def _ahead(text: str, year: int) -> bool:
    """Whether ``text`` names a five-year plan that starts in ``year`` or later (“十五五” in a 2026 report)."""
    for m in _PLAN_AHEAD.finditer(text):
        first = plan_years(m[1])[0] if m[1] else 1955 + 5 * chinese_number(m[2]) - 4
        if first >= year:
            return True
    return False


def _first_clause(text: str) -> str:
    return re.split(r"[，,。；;：:！!]", text, maxsplit=1)[0]


def lookback_spans(doc: Document, words: PeriodWords | None = None) -> dict[int, str]:
    """Paragraph index → the multi-year span it speaks of, for paragraphs inside a look-back."""
    words = words or load_period_words()
    year = doc.meta.year or 0
    headings: dict[str, str] = {}
    for section in doc.sections:
        # "“十四五”时期和2025年工作回顾" reviews the five years (the year's figures name it); "2025年及“十四五”
        # 时期工作回顾" reviews the year first and opens its look-back later (五年来…)
        title = arabic_years(section.title)
        named = re.search(r"(?:19|20)\d{2}年", title)
        plan = _PLAN_SPAN.search(title)
        # 过去五年回顾和2002年工作情况: the five years named before the year, as a plan before it
        marker_at = min(([plan.start()] if plan else []) + [title.find(w) for w in words.lookback if w in title],
                        default=None)
        # a title naming the plan behind and the plan ahead (“十四五”时期发展成就和“十五五”时期主要目标任务) is a
        # plan section: its look-back is only what its paragraphs open (过去五年…)
        if section.level == 1 and (span := _opens(title, words, year) or (
                f"{year - 5}-{year - 1}" if _FIVE_YEARS_TITLE.search(title) else None)) \
                and (not named or (marker_at is not None and marker_at < named.start())) \
                and not _ahead(title, year):
            headings[section.id] = span
    spans: dict[int, str] = {}
    current: str | None = None
    current_section: str | None = None
    opened_in: str | None = None  # the section whose own paragraph opened the current look-back
    ended: set[str] = set()  # top-level sections whose look-back has given way to one year's review
    for paragraph in doc.paragraphs:
        if not paragraph.sentences:
            continue
        first = arabic_years(paragraph.sentences[0].text)
        top = paragraph.section.split(".")[0] if paragraph.section else None
        # a new section moves on, except into the subsections of the section whose own paragraph opened
        # the look-back (各位代表！…五年来，… then （一）…（十）: the five years, point by point)
        if paragraph.section != current_section and not first.startswith("——") and not (
                opened_in and paragraph.section and paragraph.section.startswith(opened_in + ".")):
            current = None
        current_section = paragraph.section
        clause = _first_clause(first)
        after = _ADDRESS.sub("", first)  # 各位代表，…: what follows the speaker's address
        addressed = after != first
        # 这里要特别指出，刚刚过去的1992年，…: a short opening remark before the year's review
        remark = words.remark.match(after)
        after_remark = after[remark.end():] if remark else after
        if any(after_remark.startswith(w) for w in words.year_scope) or YEAR_TOPIC.match(_first_clause(after_remark)) \
                or (not addressed and current and _ahead(first, year)):
            # 刚刚过去的2025年，… (after the address or not): the review of the year; 根据…建议，我们编制了“十五五”
            # 规划纲要: the plan ahead. The look-back ends here, the heading's span too.
            current = None
            if top:
                ended.add(top)
            continue
        if addressed:  # 各位代表！2025年是“十四五”收官之年。五年来，…: the address opens what follows
            current = next((o for s in paragraph.sentences[1:]
                            if (o := _opens(_first_clause(arabic_years(s.text)), words, year))),
                           None)
            if current:
                spans[paragraph.index] = current
                opened_in = paragraph.section
            continue
        opened = None if _BOTH.search(clause) else _opens(clause, words, year)
        if opened:
            current = opened
        span = current or (headings.get(top) if top and top not in ended else None)
        if span:
            spans[paragraph.index] = span
    return spans


def recalled_sentences(doc: Document, words: PeriodWords | None = None) -> frozenset[int]:
    """Sentences that recall the year before the report although they stand among this year's tasks.

    A sentence that opens with a recall word (过去一年，我们的各项工作取得了很大成绩。) makes itself and the
    sentences after it in its paragraph speak of last year, until one names this year again (今年,
    a year-scope word) or the paragraph ends: 国内生产总值增长10.3% there is an outcome, not a target.
    """
    words = words or load_period_words()
    onward = tuple(w for w in words.year_scope if w not in words.recall)
    out: set[int] = set()
    for paragraph in doc.paragraphs:
        recalling = False
        for sentence in paragraph.sentences:
            text = sentence.text.lstrip("—")
            if any(text.startswith(w) for w in words.recall):
                recalling = True
            elif any(w in text for w in onward):
                recalling = False
            if recalling:
                out.add(sentence.index)
    return frozenset(out)
