"""Find the named things a report mentions — projects, industries, places,
organisations, policies, events and goals.

Two sources, both data under ``data/lexicon/`` (read by :mod:`kg.extract.lexicon`):

* a curated **lexicon** (SKOS Turtle: ``places.ttl``, ``industries.ttl``, ``organizations.ttl``)
  whose preferred and alternative labels are matched longest-first;
* **open-vocabulary rules**: 《…》 titles, name shapes from ``entity-patterns.csv`` (…号线, …产业园,
  …医院, …博览会) that extend left from the suffix until a boundary word, lists such as
  ``北管、周泾、毛桥3个村``, and "健康嘉定"-style goals.

Overlapping candidates resolve to the longest; lexicon entities inside a longer name are kept as
:class:`Part` objects, so :mod:`kg.extract.relations` can say that 安亭新院 is located in 安亭. Names
relative to the report (区委, 市政府, 本区, 区公共卫生中心) are made absolute, so the same thing
gets the same key — and later the same IRI — in every report.

>>> from kg.text.source import SourceText
>>> from kg.text.segment import segment
>>> from pathlib import Path
>>> text = ("2021年上海市嘉定区人民政府工作报告\\n——2021年1月6日在嘉定区人大会议上\\n区长 高香\\n"
...         "各位代表：\\n一、工作回顾\\n安亭新院建成，召开区公共卫生建设大会。\\n")
>>> found = extract_entities(segment(SourceText(Path("x.txt"), text, "")))
>>> [(m.text, m.cls, m.key) for m in found.mentions]
[('安亭新院', 'Project', '安亭新院'), ('区公共卫生建设大会', 'Event', '嘉定区公共卫生建设大会')]
>>> [(p.key, p.cls) for p in found.parts]
[('安亭镇', 'Place')]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from kg.extract.candidates import Cand as _Cand
from kg.extract.candidates import candidates as _candidates
from kg.extract.candidates import choose as _choose
from kg.extract.lexicon import (
    ENTITY_CLASSES,
    LexEntry,
    Lexicon,
    Pattern,
    RelativeNames,
    alternation,
    lexicon_dir,
    load_lexicon,
)
from kg.text.segment import Document, Sentence

__all__ = [
    "ENTITY_CLASSES", "Entity", "Extraction", "LexEntry", "Lexicon", "Mention", "Part", "Pattern",
    "extract_entities", "lexicon_dir", "load_lexicon", "mentions_in",
]

_LEVELS = re.compile(r"(.+?(?:省|自治区))?(.+?市)?(.+?(?:区|县))?$")


@lru_cache(maxsize=8)
def _key_patterns(rel: RelativeNames, line_prefixes: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    """The patterns of names made absolute (words from ``relative-names.csv`` and ``entity-words.csv``):

    * a level and a body: 区委 is this district's committee, 市政府 the city's government;
    * a leading level that means "this district/city/province" (区公共卫生中心), not 市场, 区域 or 市民;
    * a line prefix dropped from a line's key (轨交14号线 is 14号线).
    """
    levels = alternation(rel.levels)
    return (re.compile(rf"^({levels})({alternation(tuple(body for body, _ in rel.bodies))})$"),
            re.compile(rf"^({levels})(?!{alternation(rel.not_prefix)})"),
            re.compile(rf"^({alternation(line_prefixes)})(?=.+线)"))


# ----------------------------------------------------------------------------------------------
# Value objects


@dataclass(frozen=True)
class Mention:
    """One occurrence of an entity: ``text == sentence.text[i:j]``; ``start``/``end`` are the
    offsets of the same characters in the original file."""

    text: str
    sentence: int
    i: int
    j: int
    start: int
    end: int
    cls: str
    key: str
    source: str


@dataclass(frozen=True)
class Part:
    """An entity named inside a longer mention (安亭 inside 安亭新院); ``i``/``j`` are offsets
    in the sentence text, like the mention's."""

    mention: Mention
    key: str
    cls: str
    i: int
    j: int


@dataclass(frozen=True)
class Entity:
    """A named thing. ``key`` is its canonical Chinese label, from which its IRI is minted."""

    key: str
    cls: str
    aliases: tuple[str, ...] = ()
    en: str | None = None
    broader: tuple[str, ...] = ()


@dataclass(frozen=True)
class Extraction:
    """What :func:`extract_entities` found in one document."""

    entities: tuple[Entity, ...]
    mentions: tuple[Mention, ...]
    parts: tuple[Part, ...]
    government: str | None = None

    def entity(self, key: str) -> Entity:
        """The entity with this key (raises ``KeyError``)."""
        for entity in self.entities:
            if entity.key == key:
                return entity
        raise KeyError(key)


# ----------------------------------------------------------------------------------------------
# Canonical keys


@dataclass(frozen=True)
class _Context:
    """Where a report speaks from: 上海市 / 嘉定区, for resolving 区委, 本市, 区公共卫生中心."""

    government: str | None
    levels: dict[str, str]

    @classmethod
    def of(cls, doc: Document) -> _Context:
        government = doc.meta.government
        place = government or ""
        for suffix in ("人民政府", "政府"):
            if place.endswith(suffix):
                place = place[: -len(suffix)]
        levels: dict[str, str] = {}
        match = _LEVELS.match(place)
        if match and place:
            province, city, district = match.groups()
            if province:
                levels["省"] = province
                if province.endswith("自治区"):  # 自治区人民政府, 我区: an autonomous region speaking of itself
                    levels["自治区"] = levels["区"] = province  # (a district of it, below, is 区 instead)
            if city:
                levels["市"] = city
            if district:
                levels["县" if district.endswith("县") else "区"] = district
        return cls(government, levels)


def _canonical(name: str, cls: str, ctx: _Context, lex: Lexicon) -> str:
    if name in lex.forms and lex.entries[lex.forms[name]].cls == cls:
        return lex.forms[name]
    if cls == "Industry" and name.endswith(("产业", "行业")) and lex.forms.get(name[:-2]) in lex.entries \
            and lex.entries[lex.forms[name[:-2]]].cls == "Industry":
        return lex.forms[name[:-2]]  # 汽车智能化产业 is the lexicon's 汽车智能化, 钢铁行业 its 钢铁
    places = dict(lex.relative.places)
    if name in places and places[name] in ctx.levels:
        place = ctx.levels[places[name]]
        return lex.forms.get(place, place)
    relative_org, relative_prefix, road_prefix = _key_patterns(lex.relative, lex.words["line-prefix"])
    rel = relative_org.match(name)
    if rel and rel.group(1) in ctx.levels:
        owner = ctx.levels[rel.group(1)]
        body = dict(lex.relative.bodies)[rel.group(2)]  # 政府 → 人民政府
        return f"{owner}{body}"
    if cls == "Organization" and name.endswith(("人民政府", "委")) and ctx.government:
        # 嘉定区人民政府 said in Shanghai's district is 上海市嘉定区人民政府
        for level in ("省", "市"):
            if level in ctx.levels and f"{ctx.levels[level]}{name}" == ctx.government:
                return ctx.government
    prefix = relative_prefix.match(name)
    if prefix and prefix.group(1) in ctx.levels and cls != "Place":
        return ctx.levels[prefix.group(1)] + name[prefix.end(1):]  # 自治区数据条例: the whole level word
    road = road_prefix.match(name)
    if road and cls == "Project":
        return name[road.end():]
    return name


# ----------------------------------------------------------------------------------------------
# The document-level pass


def extract_entities(doc: Document, lexicon: Lexicon | None = None) -> Extraction:
    """Find every entity mention in ``doc`` and merge mentions into entities.

    Short forms seen after a full name (综合保税区 after 嘉定综合保税区, 新城 after 嘉定新城) are
    linked to the full name's entity.
    """
    lex = lexicon or load_lexicon()
    ctx = _Context.of(doc)
    mentions: list[Mention] = []
    parts: list[Part] = []
    classes: dict[str, str] = {}
    aliases: dict[str, set[str]] = {}
    short_forms: dict[str, str] = {}  # short form → key of the full name it abbreviates

    for sentence in doc.sentences:
        text = sentence.text
        cands = _candidates(text, lex)
        cands += [_Cand(m.start(), m.end(), classes[short_forms[m.group(0)]], "alias", short_forms[m.group(0)])
                  for form in sorted(short_forms, key=lambda f: -len(f)) if form in text
                  for m in re.finditer(re.escape(form), text)]
        chosen, nested = _choose(cands)
        for cand in chosen:
            surface = text[cand.i:cand.j]
            key = cand.key or _canonical(surface, cand.cls, ctx, lex)
            if cand.source == "alias":
                cls = classes[key]
            elif key in lex.entries:
                cls = lex.entries[key].cls
            else:
                cls = classes.setdefault(key, cand.cls)
            classes.setdefault(key, cls)
            start, end = sentence.span(cand.i, cand.j)
            mention = Mention(surface, sentence.index, cand.i, cand.j, start, end, cls, key, cand.source)
            mentions.append(mention)
            aliases.setdefault(key, set()).add(surface)
            for outer, inner in nested:
                if outer is not cand or (inner.source == "rule"
                                         and not text.endswith(lex.words["section"], inner.j, outer.j)):
                    continue  # 洛卢高速公路 is one road; 13号线西延伸段, …T5航站楼 are sections of the project before
                inner_key = inner.key or _canonical(text[inner.i:inner.j], inner.cls, ctx, lex)
                if inner_key and inner_key != key:
                    parts.append(Part(mention, inner_key, inner.cls, inner.i, inner.j))
                    classes.setdefault(inner_key, inner.cls)
                    aliases.setdefault(inner_key, set()).add(text[inner.i:inner.j])
            parent = _phase_parent(surface, cls, lex)
            if parent:  # 曹妃甸煤码头一期 is a phase of 曹妃甸煤码头: the project is named inside it
                parent_key = lex.forms.get(parent) or _canonical(parent, "Project", ctx, lex)
                if parent_key != key:
                    parts.append(Part(mention, parent_key, classes.setdefault(parent_key, "Project"),
                                      cand.i, cand.i + len(parent)))
                    aliases.setdefault(parent_key, set()).add(parent)
            _learn_short_form(surface, key, cls, cand, lex, short_forms)
    entities = []
    mentioned = set(classes)
    for key, cls in classes.items():
        entry = lex.entries.get(key)
        broader: tuple[str, ...] = ()
        if entry:
            # the nearest mentioned ancestor on each path, so broader links never dangle
            nearest = {next((a for a in _chain(lex, b) if a in mentioned), "") for b in entry.broader}
            broader = tuple(sorted(nearest - {""}))
        names = aliases.get(key, set()) | (set(entry.alt) if entry else set())
        entities.append(Entity(key, cls, tuple(sorted(names - {key})), entry.en if entry else None, broader))
    return Extraction(tuple(entities), tuple(mentions), tuple(parts), ctx.government)


def _phase_parent(surface: str, cls: str, lex: Lexicon) -> str | None:
    """The project a phase belongs to: 南翔精准医学产业园 for 南翔精准医学产业园二期 (phase words in
    ``entity-words.csv``); ``None`` for anything else, or when too little name is left (一期二期)."""
    if cls != "Project":
        return None
    for word in sorted(lex.words["phase"], key=len, reverse=True):
        rest = surface[: -len(word)].rstrip("（(")
        if surface.endswith(word) and len(rest) >= 4 and not rest.endswith(lex.words["phase"]):
            return rest
    return None


def _chain(lex: Lexicon, label: str) -> Iterator[str]:
    yield label
    yield from lex.ancestors(label)


def _learn_short_form(surface: str, key: str, cls: str, cand: _Cand, lex: Lexicon, short: dict[str, str]) -> None:
    """嘉定综合保税区 = 嘉定 + 综合保税区: later, 综合保税区 alone means the same place."""
    if cand.source not in ("rule", "lexicon") or cls not in ("Place", "Project", "Event"):
        return
    for k in range(2, len(surface) - 1):
        head, rest = surface[:k], surface[k:]
        if head in lex.forms and lex.entries[lex.forms[head]].cls == "Place" and len(rest) >= 2 \
                and rest in lex.generic and not _bare_kind(rest, lex):
            short.setdefault(rest, key)  # the first full name in the text keeps the short form
            return


def _bare_kind(word: str, lex: Lexicon) -> bool:
    """A name suffix that names nothing alone, only after a proper name (区域, 港: needs = proper): 区域 after
    京津冀区域 still means any region, not that one."""
    return any(p.suffix == word and p.needs == "proper" for p in lex.patterns)


def mentions_in(extraction: Extraction, sentences: Iterable[Sentence]) -> list[Mention]:
    """The mentions that fall in ``sentences``."""
    wanted = {s.index for s in sentences}
    return [m for m in extraction.mentions if m.sentence in wanted]
