"""Find the report body among the page furniture, and read the report's metadata.

Scraped reports come wrapped in site navigation, collector headers (``标题：…``), photo
captions and footers, and some files hold the report twice. The body starts at the address to
the deputies (``各位代表：``) and ends with the last paragraph that ends a sentence, before a
second copy of the report if there is one.

The metadata is read from everything the text and its container say, strongest first:
the user's overrides; the delivery line (``——2026年1月26日在X省第十四届人民代表大会…``,
``（2007年1月16日）``); the speaker line in its real variety (``X省人民政府省长 NAME``,
``X省省长 NAME``, ``省长NAME``, a name with a space inside, a line broken in three); the title
line; a collector's header (``标题``/``发文单位``/``发文时间``/``报告人``); the dataset's fields
(``title``, ``year``, ``province``, ``publish_date``); and the file name (``河北省_2011_report.txt``).
Names are normalised (``中华人民共和国国务院`` is ``国务院``; ``报告人：`` is not part of a name;
``自治区人民政府`` in a report of 内蒙古自治区 is ``内蒙古自治区人民政府``). When sources disagree
on the year, :attr:`ReportMeta.notes` says which was believed and why.

>>> from kg.text.normalize import clean_lines
>>> lines = clean_lines("2021年X区人民政府工作报告\\n——2021年2月3日在X区人大会议上\\n"
...                     "X区人民政府区长 高香\\n各位代表：\\n现在，我报告工作。\\n版权所有")
>>> body = find_body(lines)
>>> [line.text for line in lines[body]]
['各位代表：', '现在，我报告工作。']
>>> meta = read_metadata(lines[: body.start])
>>> meta.government, meta.year, meta.delivered, meta.speaker, meta.speaker_role, meta.level
('X区人民政府', 2021, '2021-02-03', '高香', '区长', 'county')
>>> read_metadata([], hints={"title": "2025年中华人民共和国国务院政府工作报告", "year": "2025"}).government
'国务院'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import lru_cache

from kg.errors import InputError
from kg.resources import lexicon_dir, read_rule_table
from kg.text.normalize import Line, heading_level, is_terminal
from kg.text.numerals import chinese_number

__all__ = [
    "LEVELS", "TEXT_KINDS", "ReportMeta", "chinese_number", "find_body", "government_level", "is_caption",
    "normalise_government", "read_metadata", "require_complete",
]

#: Levels of government, from the State Council down.
LEVELS = ("national", "provincial", "city", "county")
#: The kinds of provincial-level division in ``provincial-governments.csv``.
PROVINCIAL_KINDS = ("province", "autonomous-region", "municipality", "special-administrative-region")
#: Kinds of text: the whole report, an abstract (摘要), an excerpt (节选), a press version.
TEXT_KINDS = ("full", "abstract", "excerpt", "press")

_OPENING = re.compile(r"^各位(?:代表|委员)")
_CAPTION = re.compile(r"(?:记者\S{0,12}摄|摄影[：:]\S{0,12}|^图为|^（图片来源)")
_NUM = r"[0-9〇零一二三四五六七八九十]"
_DATE = re.compile(rf"({_NUM}{{4}})\s*年\s*({_NUM}{{1,2}})\s*月\s*({_NUM}{{1,3}})\s*日")
_CONGRESS = re.compile(
    r"在(?P<place>(?!第|全国)[\u4e00-\u9fff]{2,20}?)(?:第[一二三四五六七八九十]{1,3}届)?人民代表大会"
)
_ROLE = r"(?:代理?|副)?(?:省长|市长|区长|县长|州长|旗长|盟长|主席|总理)"
_SPEAKER = re.compile(
    rf"^(?:报告人[：:])?(?P<gov>[^\s：:，。]{{1,30}}?(?:人民政府|省|市|自治区|县|区|旗|州|盟|国务院))?"
    rf"(?P<role>{_ROLE})\s*(?P<name>[\u4e00-\u9fff·]{{1,4}}(?:\s[\u4e00-\u9fff·]{{1,3}})?)$"
)
_NAME = re.compile(r"^[\u4e00-\u9fff·]{2,4}$")
_FULL_STOP = re.compile(r"[。！？!?][”’」』）)]*$")
_HEADER_FIELD = re.compile(r"^(标题|发文单位|发文时间|报告人|来源URL)[：:](.*)$")
_TITLE = re.compile(
    r"^(?:(?P<y1>\d{4})年)?(?P<gov>[^\s\d]*?)(?:(?P<y2>\d{4})年)?(?:人民)?政府工作报告"
    r"(?:[（(](?P<note>[^）)]*)[）)])?$"
)
_YEAR = re.compile(r"(?<!\d)(19[4-9]\d|20\d\d)(?!\d)")
_FILE_GOV = re.compile(r"^(?P<gov>[\u4e00-\u9fff]{2,20})[_\-\s]")
_LEVEL_WORDS = ("省", "市", "自治区", "区", "县", "旗", "州", "盟")
_RELATIVE_GOV = re.compile(r"^(省|市|自治区|区|县|旗|州|盟)(?:人民)?政府$")
_DELIVERY_CONTEXT = re.compile(rf"人民代表大会|人大|会议上|^[—\-－―]|^[（(]|[（(]\s*{_NUM}{{4}}\s*年")


@dataclass(frozen=True)
class ReportMeta:
    """What the front matter and the report's container say about a report."""

    government: str | None
    year: int | None
    delivered: str | None  # ISO date, e.g. "2021-02-03"
    speaker: str | None
    speaker_role: str | None
    title: str | None
    level: str | None = None  # one of LEVELS
    kind: str = "full"  # one of TEXT_KINDS
    notes: tuple[str, ...] = ()  # which source was believed where sources disagree
    source_url: str | None = None  # the page the collector took the text from

    def with_overrides(self, *, government: str | None = None, year: int | None = None) -> ReportMeta:
        """A copy with the user's overrides applied (``None`` keeps what the text said)."""
        gov = normalise_government(government) if government else self.government
        return replace(self, government=gov, year=year or self.year, level=government_level(gov) if gov else None)


@lru_cache(maxsize=1)
def _provinces() -> dict[str, str]:
    """Provincial-level names, full and short, to the full name (``河北`` → ``河北省``)."""
    path = lexicon_dir() / "provincial-governments.csv"
    names: dict[str, str] = {}
    rows = read_rule_table(path, ("code", "name", "short", "kind"), required=("code", "name", "short", "kind"),
                           choices={"kind": PROVINCIAL_KINDS})
    for _, row in rows:
        names[row["name"]] = names[row["short"]] = row["name"]
    return names


def normalise_government(name: str) -> str:
    """The government's name as kg writes it: ``…人民政府``, or ``国务院``.

    >>> [normalise_government(n) for n in ("报告人：河北省人民政府", "中华人民共和国国务院", "河北", "高阳县政府")]
    ['河北省人民政府', '国务院', '河北省人民政府', '高阳县人民政府']
    """
    name = re.sub(r"\s+", "", name).removeprefix("报告人：").removeprefix("报告人:")
    if "国务院" in name:
        return "国务院"
    for suffix in ("人民政府", "政府"):
        if name.endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
            break
    name = _provinces().get(name, name)
    return f"{name}人民政府"


def government_level(government: str) -> str | None:
    """``national``, ``provincial``, ``city`` or ``county`` from the government's name.

    >>> [government_level(g) for g in ("国务院", "北京市人民政府", "保定市人民政府", "上海市嘉定区人民政府")]
    ['national', 'provincial', 'city', 'county']
    """
    if government == "国务院":
        return "national"
    place = government.removesuffix("人民政府")
    if place in _provinces():
        return "provincial"
    if re.search(r"(县|旗|(?<!自治)区|县级市)$", place):
        return "county"
    if re.search(r"(市|州|盟|地区)$", place):
        return "city"
    return None


def _opening_lines(lines: list[Line]) -> list[int]:
    return [i for i, line in enumerate(lines) if _OPENING.match(line.text)]


def _second_copy(lines: list[Line], start: int) -> int | None:
    """Where a second copy of the report begins, if the file holds the report twice.

    A later opening line counts only when it and the report's first lines after it come again, so
    the closing address (``各位代表，…``) is never taken for a copy.
    """
    first = [line.text for line in lines[start: start + 4]]
    for i in _opening_lines(lines):
        if i > start and [line.text for line in lines[i: i + 4]] == first and len(first) > 1:
            return i
    return None


def find_body(lines: list[Line]) -> slice:
    """The slice of ``lines`` that holds the report body (opening address to closing words).

    A second copy of the report in the same file, and the navigation before it, are left out.
    """
    openings = _opening_lines(lines)
    start = openings[0] if openings else next((i for i, line in enumerate(lines) if heading_level(line.text) == 1), 0)
    end = _second_copy(lines, start) or len(lines)
    while end > start + 1 and not _ends_report_text(lines[end - 1].text):
        end -= 1
    return slice(start, end)


def _ends_report_text(text: str) -> bool:
    # Footers ("来源：河北新闻网", "责任编辑：…", "版权所有") do not end with a full stop.
    return bool(_FULL_STOP.search(text)) or (is_terminal(text) and len(text) > 10)


def is_caption(text: str) -> bool:
    """True for a photo caption line such as ``许勤作政府工作报告。河北日报记者孟宇光摄``."""
    return bool(_CAPTION.search(text)) and len(text) < 80


def _date(match: re.Match[str]) -> str | None:
    try:
        y, m, d = (chinese_number(g) for g in match.groups())
    except (KeyError, ValueError):
        return None
    return f"{y:04d}-{m:02d}-{d:02d}" if 1 <= m <= 12 and 1 <= d <= 31 else None


def _speaker(text: str) -> re.Match[str] | None:
    # "…会议上陕西省省长赵刚": the speaker can follow the delivery line on the same line
    tail = text.rsplit("会议上", 1)[-1] if "会议上" in text else text
    tail = re.sub(r"[（(][^）)]*[）)]$", "", tail.strip())  # "长钮茂生（2002年1月24日）"
    return _SPEAKER.match(tail)


def _short_runs(texts: list[str]) -> list[str]:
    """Runs of very short lines joined, with and without the line after them: a speaker line
    broken in three (``河北`` ``省省`` ``长季允石``) reads ``河北省省长季允石`` again."""
    joined, run = [], []
    for text in [*texts, ""]:
        if text and len(text) <= 5:
            run.append(text)
            continue
        if run and text:
            joined.append("".join(run) + text)
        if len(run) >= 2:
            joined.append("".join(run))
        run = []
    return joined


def _title_parts(title: str) -> tuple[str | None, int | None, str | None]:
    match = _TITLE.match(re.sub(r"\s+", "", title))
    if not match:
        return None, None, None
    year = match.group("y1") or match.group("y2")
    return (match.group("gov") or None), (int(year) if year else None), match.group("note")


def _resolve_relative(government: str, places: list[str]) -> str:
    """``自治区人民政府`` in a report whose other sources name 内蒙古自治区 → ``内蒙古自治区人民政府``."""
    relative = _RELATIVE_GOV.match(government)
    if not relative:
        return government
    level = relative.group(1)
    for place in places:
        full = normalise_government(place).removesuffix("人民政府")
        if full.endswith(level) and full != level:
            return f"{full}人民政府"
    return government


def _kind(title: str | None, has_opening: bool, repost: bool = False) -> str:
    if repost:
        return "press"
    if title and re.search(r"摘要|摘编", title):
        return "abstract"
    if title and re.search(r"节选|要点|全文摘登", title):
        return "excerpt"
    return "full" if has_opening else "press"


def read_metadata(
    front: list[Line],
    *,
    hints: Mapping[str, str] | None = None,
    file_name: str | None = None,
    has_opening: bool = True,
) -> ReportMeta:
    """Read government, year, delivery date, speaker, title, level and kind.

    ``front`` is the text before the body; ``hints`` are the dataset's fields for the report
    (``title``, ``year``, ``province``, ``publish_date`` …); ``file_name`` is the report file's
    name; ``has_opening`` says whether the body starts at ``各位代表`` (a press version does not).
    """
    hints = hints or {}
    speaker = role = title = delivered = page_date = None
    speaker_gov: str | None = None
    congress_place: str | None = None
    header: dict[str, str] = {}
    texts = [line.text for line in front]
    for text in texts:
        if (field := _HEADER_FIELD.match(text)) and field.group(2).strip():
            header.setdefault(field.group(1), field.group(2).strip())
            continue
        if (place := _CONGRESS.search(text)) and congress_place is None:
            congress_place = place.group("place")
        if (date := _DATE.search(text)) and delivered is None:
            found = _date(date)
            if _DELIVERY_CONTEXT.search(text):
                delivered = found
            elif page_date is None:
                page_date = found
        if (who := _speaker(text)) and speaker is None:
            speaker_gov, role, speaker = who.group("gov"), who.group("role"), who.group("name").replace(" ", "")
        elif title is None and "政府工作报告" in text and len(text) < 60 and "作政府工作报告" not in text:
            title = text
    if speaker is None:
        who = next((m for text in _short_runs(texts) if (m := _speaker(text))), None)
        if who:
            speaker_gov, role, speaker = who.group("gov"), who.group("role"), who.group("name").replace(" ", "")
    if speaker is None:  # a name alone on its line after the delivery line (湖南: "毛伟明")
        congress = next((i for i, t in enumerate(texts) if _CONGRESS.search(t)), len(texts))
        alone = next((t for t in texts[congress:] if _NAME.match(t)), None)
        if alone:
            speaker = alone
            role = next((m.group(1) for t in texts if (m := re.search(rf"({_ROLE}){alone}", t))), None)
    reporter = header.get("报告人", "")
    if reporter and speaker is None:
        if who := _speaker(reporter):
            speaker_gov, role, speaker = who.group("gov"), who.group("role"), who.group("name").replace(" ", "")
        elif _NAME.match(reporter):
            speaker = reporter
        elif reporter.endswith("政府"):
            speaker_gov = reporter
    title = header.get("标题") or title or hints.get("title")
    title_gov, title_year, _ = _title_parts(title) if title else (None, None, None)
    hint_title_gov = _title_parts(hints["title"])[0] if hints.get("title") else None
    file_gov = (m.group("gov") if file_name and (m := _FILE_GOV.match(file_name)) else None)

    places = [p for p in (title_gov, hint_title_gov, header.get("发文单位"), congress_place, hints.get("province"),
                          file_gov) if p]
    government = None
    for candidate in (speaker_gov, header.get("发文单位"), title_gov, hint_title_gov, congress_place,
                      hints.get("province"), file_gov):
        if candidate and not re.fullmatch(r"(中华人民共和国)?", candidate):
            government = normalise_government(_resolve_relative(normalise_government(candidate), places))
            if not _RELATIVE_GOV.match(government):
                break
    if government and _RELATIVE_GOV.match(government):
        government = None

    year, notes = _choose_year(delivered, title_year, header, hints, file_name, page_date)
    level = government_level(government) if government else None
    url = next((v for v in (header.get("来源URL"), hints.get("source_url"), hints.get("url"))
                if v and re.match(r"https?://\S+$", v)), None)
    repost = any(re.match(r"^资料[:：]", t) for t in texts)  # a news site's repost ("资料:…政府工作报告")
    return ReportMeta(government, year, delivered, speaker, role, title, level, _kind(title, has_opening, repost),
                      tuple(notes), url)


def _choose_year(
    delivered: str | None, title_year: int | None, header: Mapping[str, str], hints: Mapping[str, str],
    file_name: str | None, page_date: str | None,
) -> tuple[int | None, list[str]]:
    """The report's year and, where sources disagree, a note saying which was believed."""
    def year_in(value: str | None) -> int | None:
        found = _YEAR.search(value or "")
        return int(found.group(1)) if found else None

    candidates = [
        ("the delivery line", int(delivered[:4]) if delivered else None),
        ("the title", title_year),
        ("the collector's 发文时间", year_in(header.get("发文时间"))),
        ("the dataset's year", year_in(hints.get("year"))),
        ("the dataset's title", _title_parts(hints["title"])[1] if hints.get("title") else None),
        ("the page date", year_in(page_date)),
        ("the file name", year_in(file_name)),
    ]
    known = [(source, year) for source, year in candidates if year]
    if not known:
        return None, []
    source, year = known[0]
    notes = [f"{other} says {other_year}, {source} says {year}: using {year}"
             for other, other_year in known[1:] if other_year != year and other != "the page date"]
    return year, notes


def require_complete(meta: ReportMeta, path: str) -> ReportMeta:
    """Raise :class:`InputError` when the government or year could not be read."""
    missing = [name for name in ("government", "year") if getattr(meta, name) is None]
    if missing:
        flags = " ".join(f"--{name} VALUE" for name in missing)
        raise InputError(
            f"{path}: could not read the report's {' and '.join(missing)} from its text; "
            f"give them with {flags} (or a manifest row for this input)"
        )
    return meta
