"""Stage 1b: find the report body among the page furniture, and read the report's metadata.

Scraped reports come wrapped in site navigation, metadata headers (``标题：…``), photo
captions and footers. The body starts at the address to the deputies (``各位代表：``) and ends
with the last paragraph that ends a sentence. The front matter before it names the report,
its delivery date, and the speaker with the government they speak for.

>>> from kg.text.normalize import clean_lines
>>> lines = clean_lines("2021年X区人民政府工作报告\\n——2021年2月3日在X区人大会议上\\n"
...                     "X区人民政府区长 高香\\n各位代表：\\n现在，我报告工作。\\n版权所有")
>>> body = find_body(lines)
>>> [line.text for line in lines[body]]
['各位代表：', '现在，我报告工作。']
>>> read_metadata(lines[: body.start])
ReportMeta(government='X区人民政府', year=2021, delivered='2021-02-03', speaker='高香', speaker_role='区长', title='2021年X区人民政府工作报告')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from kg.errors import InputError
from kg.text.normalize import Line, heading_level, is_terminal

_OPENING = re.compile(r"^各位(?:代表|委员)")
_CAPTION = re.compile(r"(?:记者\S{0,12}摄|摄影[：:]\S{0,12}|^图为|^（图片来源)")
_NUM = r"[0-9〇零一二三四五六七八九十]"
_DATE = re.compile(rf"^[—\-－―（(]*\s*({_NUM}{{4}})年({_NUM}{{1,2}})月({_NUM}{{1,3}})日")
_SPEAKER = re.compile(
    r"^(?P<gov>\S{2,30}?人民政府)?(?P<role>(?:代理?|副)?(?:省长|市长|区长|县长|州长|旗长|盟长|主席))"
    r"(?P<name>[\u4e00-\u9fff·]{2,5})$"
)
_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0}
_FULL_STOP = re.compile(r"[。！？!?][”’」』）)]*$")
_HEADER_FIELD = re.compile(r"^(标题|发文单位|发文时间)[：:](.*)$")
_TITLE = re.compile(r"^(?:(?P<year>\d{4})年)?(?P<gov>\S*?)(?:人民)?政府工作报告$")


@dataclass(frozen=True)
class ReportMeta:
    """What the front matter says about a report."""

    government: str | None
    year: int | None
    delivered: str | None  # ISO date, e.g. "2021-02-03"
    speaker: str | None
    speaker_role: str | None
    title: str | None

    def with_overrides(self, *, government: str | None = None, year: int | None = None) -> ReportMeta:
        """A copy with the user's overrides applied (``None`` keeps what the text said)."""
        return replace(self, government=government or self.government, year=year or self.year)


def chinese_number(text: str) -> int:
    """A year, month or day written in Arabic or Chinese numerals.

    >>> chinese_number("2021"), chinese_number("二〇二一"), chinese_number("十二"), chinese_number("二十四")
    (2021, 2021, 12, 24)
    """
    if text.isdigit():
        return int(text)
    if "十" not in text:
        return int("".join(str(_DIGITS[c]) for c in text))
    tens, _, ones = text.partition("十")
    return (_DIGITS[tens] if tens else 1) * 10 + (_DIGITS[ones] if ones else 0)


def find_body(lines: list[Line]) -> slice:
    """The slice of ``lines`` that holds the report body (opening address to closing words)."""
    start = next((i for i, line in enumerate(lines) if _OPENING.match(line.text)), None)
    if start is None:
        start = next((i for i, line in enumerate(lines) if heading_level(line.text) == 1), 0)
    end = len(lines)
    while end > start + 1 and not _ends_report_text(lines[end - 1].text):
        end -= 1
    return slice(start, end)


def _ends_report_text(text: str) -> bool:
    # Footers ("来源：河北新闻网", "责任编辑：…", "版权所有") do not end with a full stop.
    return bool(_FULL_STOP.search(text)) or (is_terminal(text) and len(text) > 10)


def is_caption(text: str) -> bool:
    """True for a photo caption line such as ``许勤作政府工作报告。河北日报记者孟宇光摄``."""
    return bool(_CAPTION.search(text)) and len(text) < 80


def read_metadata(front: list[Line]) -> ReportMeta:
    """Read government, year, delivery date, speaker and title from the front-matter lines."""
    government = speaker = role = title = delivered = None
    year = None
    header: dict[str, str] = {}
    for line in front:
        text = line.text
        if (field := _HEADER_FIELD.match(text)) and field.group(2).strip():
            header.setdefault(field.group(1), field.group(2).strip())
        elif (date := _DATE.match(text)) and delivered is None:
            y, m, d = (chinese_number(g) for g in date.groups())
            delivered = f"{y:04d}-{m:02d}-{d:02d}"
        elif (who := _SPEAKER.match(text)) and speaker is None:
            government, role, speaker = who.group("gov"), who.group("role"), who.group("name")
        elif title is None and "政府工作报告" in text and len(text) < 60 and "作政府工作报告" not in text:
            title = text
    title = header.get("标题", title)
    government = government or header.get("发文单位")
    if title and (match := _TITLE.match(title)):
        if match.group("year"):
            year = int(match.group("year"))
        if government is None and match.group("gov"):
            government = match.group("gov") + "人民政府"
    if delivered:
        year = int(delivered[:4])
    return ReportMeta(government, year, delivered, speaker, role, title)


def require_complete(meta: ReportMeta, path: str) -> ReportMeta:
    """Raise :class:`InputError` when the government or year could not be read."""
    missing = [name for name in ("government", "year") if getattr(meta, name) is None]
    if missing:
        flags = " ".join(f"--{name} VALUE" for name in missing)
        raise InputError(
            f"{path}: could not read the report's {' and '.join(missing)} from its text; "
            f"give them with {flags}"
        )
    return meta
