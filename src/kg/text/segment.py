"""Segment a report into sections, paragraphs and sentences.

This is the stage every later one reads: :func:`segment` turns a :class:`~kg.text.source.SourceText`
into a :class:`Document`. Each :class:`Sentence` keeps the original-file offset of every one
of its characters, so a fact found at ``sentence.text[i:j]`` is located in the file by
:meth:`Sentence.span`.

>>> from kg.text.source import SourceText
>>> from pathlib import Path
>>> text = ("2021年X区人民政府工作报告\\n——2021年2月3日在X区人大会议上\\nX区人民政府区长 高香\\n"
...         "各位代表：\\n一、2020年工作回顾\\n全区增加值完成 2488.4 亿元。同比\\n\\n增长3%。\\n")
>>> doc = segment(SourceText(Path("x.txt"), text, ""))
>>> [(s.number, s.title) for s in doc.sections]
[('一、', '2020年工作回顾')]
>>> [s.text for s in doc.sentences]
['各位代表：', '一、2020年工作回顾', '全区增加值完成2488.4亿元。', '同比增长3%。']
>>> s = doc.sentences[2]
>>> start, end = s.span(7, 13)
>>> text[start:end]
'2488.4'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

from kg.errors import InputError
from kg.text.metadata import ReportMeta, find_body, is_caption, read_metadata, require_complete
from kg.text.normalize import Line, clean_lines, heading_level, is_bare_heading, join_paragraphs
from kg.text.source import SourceText

_SENTENCE_END = re.compile(r"[。！？!?]+[”’」』）)]*")
_TITLE_END = re.compile(r"[。！？；：]")
_CLOSING = re.compile(r"^各位(?:代表|委员)")


@dataclass(frozen=True)
class Section:
    """A numbered section. ``id`` is its path of ordinals, e.g. ``"2.4.1"``."""

    id: str
    number: str
    title: str
    level: int
    parent: str | None
    index: int


@dataclass(frozen=True)
class Sentence:
    """One sentence: normalised text, the offset of each character, and where it sits."""

    index: int
    text: str
    offsets: tuple[int, ...]
    paragraph: int
    section: str | None

    @property
    def start(self) -> int:
        """Offset of the sentence's first character in the original file."""
        return self.offsets[0]

    @property
    def end(self) -> int:
        """Offset just after the sentence's last character in the original file."""
        return self.offsets[-1] + 1

    def span(self, i: int, j: int) -> tuple[int, int]:
        """Original-file offsets ``(start, end)`` of ``self.text[i:j]`` (``j`` exclusive)."""
        if not 0 <= i < j <= len(self.text):
            raise ValueError(f"span {i}:{j} is outside a sentence of {len(self.text)} characters")
        return self.offsets[i], self.offsets[j - 1] + 1


@dataclass(frozen=True)
class Paragraph:
    """A logical paragraph: the sentences of one run of text between paragraph breaks."""

    index: int
    section: str | None
    sentences: tuple[Sentence, ...]


@dataclass(frozen=True)
class Document:
    """A segmented report: its metadata, source, sections and paragraphs."""

    meta: ReportMeta
    source: SourceText
    sections: tuple[Section, ...]
    paragraphs: tuple[Paragraph, ...]

    @cached_property
    def sentences(self) -> tuple[Sentence, ...]:
        """All sentences in reading order."""
        return tuple(s for p in self.paragraphs for s in p.sentences)

    def section(self, section_id: str | None) -> Section | None:
        """The section with this id (``None`` for text outside any section)."""
        return next((s for s in self.sections if s.id == section_id), None)

    @cached_property
    def openings(self) -> dict[str, str]:
        """Top-level section id → the first sentence after its title (``2025年是“十四五”收官之年。``):
        what a section is about when its title is a slogan."""
        titles = {s.id: s.title for s in self.sections}
        out: dict[str, str] = {}
        for sentence in self.sentences:
            top = sentence.section.split(".")[0] if sentence.section else None
            if top is None or top in out or (titles.get(top) and titles[top] in sentence.text):
                continue
            out[top] = sentence.text
        return out


def split_sentences(paragraph: Line) -> list[Line]:
    """Split a paragraph after each ``。！？`` (with any closing quote that follows).

    >>> [s.text for s in split_sentences(Line("甲。“乙！”丙", (0, 1, 2, 3, 4, 5, 6)))]
    ['甲。', '“乙！”', '丙']
    """
    pieces = []
    start = 0
    for match in _SENTENCE_END.finditer(paragraph.text):
        pieces.append(paragraph.slice(start, match.end()))
        start = match.end()
    if start < len(paragraph.text):
        pieces.append(paragraph.slice(start, len(paragraph.text)))
    return pieces


def _heading(text: str, level: int) -> tuple[str, str]:
    """Split a heading line into its number as written and its title (level 0: no number)."""
    number = {
        0: None,
        1: re.match(r"^[一二三四五六七八九十]+、", text),
        2: re.match(r"^[（(][一二三四五六七八九十]+[）)]", text),
        3: re.match(r"^第[一二三四五六七八九十]+[，、,：:]", text),
    }[level]
    if number is None:  # a top-level title written without a number (2003年工作回顾)
        return "", text
    rest = text[number.end():]
    stop = _TITLE_END.search(rest)
    return number.group(0), (rest[: stop.start()] if stop else rest)


def segment(
    source: SourceText,
    *,
    government: str | None = None,
    year: int | None = None,
    hints: Mapping[str, str] | None = None,
) -> Document:
    """Segment a report. ``government`` and ``year`` override what the text says; ``hints`` are
    the fields a dataset holds for it (``title``, ``year``, ``province`` …).

    Raises :class:`~kg.errors.InputError` when the text has no body, or when the government or
    year can be read neither from the text nor from the overrides.
    """
    lines = clean_lines(source.text)
    body = find_body(lines)
    has_opening = bool(lines[body] and _CLOSING.match(lines[body][0].text))
    meta = read_metadata(lines[: body.start], hints=hints, file_name=source.path.name, has_opening=has_opening)
    meta = meta.with_overrides(government=government, year=year)
    require_complete(meta, str(source.path))
    body_lines = [line for line in lines[body] if not is_caption(line.text)]
    if not body_lines:
        raise InputError(f"{source.path}: no report text found; is this a government work report?")

    sections: list[Section] = []
    stack: list[Section] = []
    counters: dict[str | None, int] = {}
    blocks: list[tuple[Line, str | None]] = []
    joined = join_paragraphs(body_lines)
    bare = any(is_bare_heading(block.text) for block in joined)  # unnumbered top titles: 一、 one level down
    for block in joined:
        written = heading_level(block.text)
        level = 1 if bare and is_bare_heading(block.text) else written + bare if written else 0
        if level:
            while stack and stack[-1].level >= level:
                stack.pop()
            parent = stack[-1].id if stack else None
            counters[parent] = counters.get(parent, 0) + 1
            number, title = _heading(block.text, 0 if level == 1 and bare else written)
            section = Section(
                id=f"{parent}.{counters[parent]}" if parent else str(counters[parent]),
                number=number,
                title=title,
                level=level,
                parent=parent,
                index=len(sections) + 1,
            )
            sections.append(section)
            stack.append(section)
        elif _CLOSING.match(block.text):
            del stack[1:]  # "各位代表，…" speaks to the whole top-level section again
        blocks.append((block, stack[-1].id if stack else None))
    _detach_closing(blocks)

    paragraphs: list[Paragraph] = []
    sentence_index = 0
    for paragraph_index, (block, section_id) in enumerate(blocks, start=1):
        sentences = []
        for piece in split_sentences(block):
            sentence_index += 1
            sentences.append(Sentence(sentence_index, piece.text, piece.offsets, paragraph_index, section_id))
        paragraphs.append(Paragraph(paragraph_index, section_id, tuple(sentences)))
    return Document(meta, source, tuple(sections), tuple(paragraphs))


def _detach_closing(blocks: list[tuple[Line, str | None]]) -> None:
    """The last "各位代表" paragraph after the last heading, and all after it, close the report."""
    last_heading = max((i for i, (b, _) in enumerate(blocks) if heading_level(b.text)), default=-1)
    closing = [i for i in range(last_heading + 1, len(blocks)) if _CLOSING.match(blocks[i][0].text)]
    if last_heading >= 0 and closing:
        for i in range(closing[-1], len(blocks)):
            blocks[i] = (blocks[i][0], None)
