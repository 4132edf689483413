"""Clean the lines of a report and join them into logical paragraphs.

Real report texts are messy: PDF page ends break paragraphs, even mid-word (``十\\n\\n四五``);
some pages put spaces around numbers (``23.1 万人次``); scraped pages break lines inside
sentences (``亲自\\n指挥、``) and use full-width digits. Cleaning never loses track of where a
character came from: every :class:`Line` keeps, for each of its characters, the offset of that
character in the original text.

>>> from kg.text.source import SourceText
>>> from pathlib import Path
>>> src = SourceText(Path("x.txt"), "累计排查 23.1 万人次，检查\\n\\n车辆３７８辆。", "")
>>> [line.text for line in join_paragraphs(clean_lines(src.text))]
['累计排查23.1万人次，检查车辆378辆。']
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Characters that end a paragraph; closing quotes and brackets may follow them.
_TERMINAL = re.compile(r"[。！？!?；;：:…][”’」』）)]*$")
_INNER_END = re.compile(r"[。！？!?]")
# A top-level title on a line of its own without a number, as some reports write them (2003年工作回顾,
# 过去五年回顾和2002年工作情况, 对今后五年和2003年政府工作的建议): a year or a span, then words that name a
# review or a year's work. Under such titles the numbered 一、 headings are one level down.
_BARE_HEADING = re.compile(r"^(?:对|关于)?(?:(?:19|20)\d{2}年|过去[五一]年|今后五年|“?十[一二三四五六七八九]五”?时期)"
                           r"[^，。；：,;:！？!?]{0,14}(?:工作回顾|回顾|工作|任务|措施|安排|目标|情况|建议|部署)$")
_HEADING = (
    re.compile(r"^[一二三四五六七八九十]{1,3}、"),
    re.compile(r"^[（(][一二三四五六七八九十]{1,3}[）)]"),
    re.compile(r"^第[一二三四五六七八九十]{1,3}[，、,：:]"),
)
_NUMBERED_TITLE = re.compile(r"^[0-9]{1,2}[、.．][^。！？；]{2,30}$")  # 1、…: a title numbered in digits, one line
_PAIRS = {"“": "”", "《": "》", "（": "）", "(": ")", "「": "」", "【": "】"}
_SPACE = " \t\r\u3000\u00a0\ufeff\u200b"


@dataclass(frozen=True)
class Line:
    """A cleaned line (or joined paragraph) and the original offset of each character."""

    text: str
    offsets: tuple[int, ...]

    @property
    def start(self) -> int:
        """Offset of the first character in the original text."""
        return self.offsets[0]

    @property
    def end(self) -> int:
        """Offset just after the last character in the original text."""
        return self.offsets[-1] + 1

    def __add__(self, other: Line) -> Line:
        return Line(self.text + other.text, self.offsets + other.offsets)

    def slice(self, i: int, j: int) -> Line:
        """The characters ``i`` to ``j`` of this line, with their offsets."""
        return Line(self.text[i:j], self.offsets[i:j])


def _is_cjk(ch: str) -> bool:
    return (
        "\u4e00" <= ch <= "\u9fff"
        or "\u3000" <= ch <= "\u303f"
        or "\uff00" <= ch <= "\uffef"
        or ch in "“”‘’《》（）、，。：；！？—…·"
    )


# Full-width ASCII digits, letters and ``％．`` become half-width, others are kept: a
# str.translate table, so a line is converted in one pass. And whether a line has a space to drop.
_HALFWIDTH = {code: code - 0xFEE0 for low, high in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A))
              for code in range(low, high + 1)} | {ord("％"): ord("%"), ord("．"): ord(".")}
_HAS_SPACE = re.compile(f"[{re.escape(_SPACE)}]")
# A middle dot between digits before a percent sign is a decimal point typed as ·  (增长19·5％); between
# digits elsewhere it joins a date's month and day in a name (“5·12”汶川特大地震) and is kept.
_DOT_DECIMAL = re.compile(r"(?<=\d)·(?=\d+%)")


def clean_line(text: str, start: int) -> Line:
    """Clean one physical line that starts at ``start`` in the original text.

    Spaces next to Chinese text or digits are dropped, and full-width digits become ASCII.
    A space between two Latin words is kept.

    >>> clean_line(" 新增 153 户 ", 10).text
    '新增153户'
    >>> clean_line("PM2.5 平均浓度", 0).text
    'PM2.5平均浓度'
    >>> clean_line("Made in China", 0).text
    'Made in China'
    >>> clean_line("全年增长19·5％，“5·12”汶川特大地震", 0).text
    '全年增长19.5%，“5·12”汶川特大地震'
    """
    half = text.translate(_HALFWIDTH)  # each character made half-width, in one pass
    if "·" in half:
        half = _DOT_DECIMAL.sub(".", half)  # same length: offsets stay
    if not _HAS_SPACE.search(text):  # most lines: every character kept, in place
        return Line(half, tuple(range(start, start + len(text))))
    chars: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text):
        if ch in _SPACE:
            continue
        if (chars and text[i - 1] in _SPACE and not (_is_cjk(chars[-1]) or _is_cjk(ch))
                and not (chars[-1].isdigit() or ch.isdigit())):
            chars.append(" ")
            offsets.append(start + i - 1)
        chars.append(half[i])
        offsets.append(start + i)
    return Line("".join(chars), tuple(offsets))


def clean_lines(text: str) -> list[Line]:
    """Split text into physical lines, clean each, and drop the empty ones."""
    lines = []
    position = 0
    for raw in text.split("\n"):
        line = clean_line(raw, position)
        if line.text:
            lines.append(line)
        position += len(raw) + 1
    return lines


def heading_level(text: str) -> int:
    """Section level of a heading line, or 0 when the line is not a heading.

    >>> heading_level("一、2020年工作回顾"), heading_level("（三）主动服务大局"), heading_level("第二，全力推动")
    (1, 2, 3)
    >>> heading_level("一是加快建设"), heading_level("2003年工作回顾"), heading_level("2004年主要工作及措施")
    (0, 1, 1)
    """
    for level, pattern in enumerate(_HEADING, start=1):
        if pattern.match(text):
            return level
    return 1 if is_bare_heading(text) else 0


def is_bare_heading(text: str) -> bool:
    """A top-level title without a number (2003年工作回顾); numbered headings under it go one level down.

    >>> is_bare_heading("过去五年回顾和2002年工作情况"), is_bare_heading("2003年，全省生产总值增长9%。")
    (True, False)
    """
    return _BARE_HEADING.match(text) is not None


def is_terminal(text: str) -> bool:
    """True when the text ends a sentence (so a following line starts a new paragraph)."""
    return bool(_TERMINAL.search(text))


def is_balanced(text: str) -> bool:
    """True when every opening quote or bracket in the text is closed.

    >>> is_balanced("二、“十四五”时期"), is_balanced("二、“")
    (True, False)
    """
    return all(text.count(o) <= text.count(c) for o, c in _PAIRS.items())


def _should_join(current: Line, following: Line) -> bool:
    if heading_level(following.text):
        return False
    if heading_level(current.text):
        # A bare heading continues only while a quote or bracket in it is still open
        # ("二、“\n十四五\n”时期"); a heading followed by body text ("第二，…。坚持…") is a
        # paragraph like any other.
        if not is_balanced(current.text):
            return True
        return bool(_INNER_END.search(current.text)) and not is_terminal(current.text)
    if _NUMBERED_TITLE.match(current.text) and is_balanced(current.text):
        return False  # 1、国民经济保持较快增长，综合实力明显增强: a numbered title on its own line ends there
    return not is_terminal(current.text)


def join_paragraphs(lines: list[Line]) -> list[Line]:
    """Join lines broken inside a paragraph (page ends, stray line breaks) into paragraphs.

    A line that does not end a sentence is continued by the next line, unless the next line is
    a section heading. Blank lines between the two do not matter: a page end leaves them.
    """
    paragraphs: list[Line] = []
    for line in lines:
        if paragraphs and _should_join(paragraphs[-1], line):
            paragraphs[-1] = paragraphs[-1] + line
        else:
            paragraphs.append(line)
    return paragraphs
