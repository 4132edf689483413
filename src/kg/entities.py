"""Stage 3a: find the named things a report mentions — projects, industries, places,
organisations, policies, events and goals.

Two sources, both data under ``data/lexicon/`` (read by :mod:`kg.lexicon`):

* a curated **lexicon** (SKOS Turtle: ``places.ttl``, ``industries.ttl``, ``organizations.ttl``)
  whose preferred and alternative labels are matched longest-first;
* **open-vocabulary rules**: 《…》 titles, name shapes from ``entity-patterns.csv`` (…号线, …产业园,
  …医院, …博览会) that extend left from the suffix until a boundary word, lists such as
  ``北管、周泾、毛桥3个村``, and "健康嘉定"-style goals.

Overlapping candidates resolve to the longest; lexicon entities inside a longer name are kept as
:class:`Part` objects, so :mod:`kg.relations` can say that 安亭新院 is located in 安亭. Names
relative to the report (区委, 市政府, 本区, 区公共卫生中心) are made absolute, so the same thing
gets the same key — and later the same IRI — in every report.

>>> from kg.source import SourceText
>>> from kg.segment import segment
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

from kg.lexicon import ENTITY_CLASSES, LexEntry, Lexicon, Pattern, lexicon_dir, load_lexicon
from kg.segment import Document, Sentence

__all__ = [
    "ENTITY_CLASSES", "Entity", "Extraction", "LexEntry", "Lexicon", "Mention", "Part", "Pattern",
    "extract_entities", "lexicon_dir", "load_lexicon", "mentions_in",
]

# Punctuation that never sits inside a name (brackets （） may, when balanced).
_STOP = set("，。、；：！？“”‘’《》,.;:!?\"' \u3000…—")
_OPEN, _CLOSE = "“", "”"
# Names relative to the report: 区委 is this district's committee, 市政府 the city's government.
_RELATIVE_ORG = re.compile(r"^(区|市|省|县)(委|政府|人民政府|人大|人大常委会|政协)$")
_RELATIVE_PLACE = {"本区": "区", "我区": "区", "本市": "市", "我市": "市", "本省": "省", "我省": "省"}
# A leading 区/市/省 that means "this district/city/province" (区公共卫生中心), not 市场, 区域 or 市民.
_RELATIVE_PREFIX = re.compile(r"^(区|市|省|县)(?![场民级区域内属县镇委政人两])")
_LEVELS = re.compile(r"(.+?(?:省|自治区))?(.+?市)?(.+?(?:区|县))?$")
_LIST_HEAD = re.compile(
    r"(等)?(各类|各种|一批)?([0-9]+|[一二三四五六七八九十两]+)?(个|家|类|大)?"
    r"(村|镇|街镇|园区|重点区域|重点片区|片区|行业|产业|项目|重点项目|重大项目|平台|基地|赛事活动|赛事|活动|企业)"
)
_LIST_CLASS = {
    "村": "Place", "镇": "Place", "街镇": "Place", "园区": "Place", "重点区域": "Place", "重点片区": "Place",
    "片区": "Place", "重大项目": "Project", "基地": "Project",
    "行业": "Industry", "产业": "Industry", "项目": "Project", "重点项目": "Project",
    "平台": "Project", "赛事活动": "Event", "赛事": "Event", "活动": "Event", "企业": "Organization",
}
_NUMERAL = r"[0-9一二三四五六七八九十两几多余]"
_ROAD_PREFIX = re.compile(r"^(轨交|轨道交通)(?=.+线)")


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
# Finding candidates in one sentence


@dataclass(frozen=True)
class _Cand:
    i: int
    j: int
    cls: str
    source: str
    key: str | None = None  # lexicon label when known

    @property
    def length(self) -> int:
        return self.j - self.i


_PRIORITY = {"title": 0, "lexicon": 1, "rule": 2, "goal": 2, "list": 3, "alias": 1}


def _left_edge(text: str, end: int, lex: Lexicon, limit: int, *, cls: str = "", loose: bool = False) -> int | None:
    """Scan left from ``end`` over name characters; ``None`` if no boundary within ``limit``.

    ``loose`` names (policies) stop only at strong boundaries. A boundary word that is part of a
    lexicon name running across it (在 in 在线新经济) is no boundary.
    """
    k = end
    depth = 0
    while k > 0:
        if end - k >= limit:
            return None
        ch = text[k - 1]
        if ch in "）)":
            opening = max(text.rfind("（", 0, k - 1), text.rfind("(", 0, k - 1))
            if opening <= 0 or text[opening - 1] in _STOP:
                return k  # a heading number such as （五）, not part of a name
            depth += 1
        elif ch in "（(":
            if depth == 0:
                return k
            depth -= 1
        elif ch == _CLOSE:
            opening = text.rfind(_OPEN, 0, k - 1)
            if opening < 0 or k - 1 - opening > 12:
                return k
            k = opening
            continue
        elif ch == "." and 1 < k < len(text) and text[k - 2].isdigit() and text[k].isdigit():
            pass  # 3.0版
        elif ch in _STOP:
            return k
        elif depth == 0 and _boundary_before(text, k, lex, cls, loose=loose, first=k == end):
            return k
        k -= 1
    return 0


def _boundary_before(text: str, k: int, lex: Lexicon, cls: str, *, loose: bool, first: bool) -> bool:
    for word, kind in lex.boundaries:
        if not text.endswith(word, 0, k) or kind == "prefix":
            continue
        if kind == "verb" and (loose or (first and cls == "Event")):
            continue  # 区公共卫生建设大会: a verb-noun right before 大会 belongs to the name
        if kind == "lead" and k - len(word) > 0 and text[k - len(word) - 1] not in _STOP:
            continue
        if kind == "measure" and not re.search(r"[0-9一二三四五六七八九十两几多余]$", text[: k - len(word)]):
            continue
        if kind == "org-only" and cls not in ("Organization", "Event"):
            continue
        if kind == "and" and cls not in ("Organization", "Event", "Industry"):
            continue
        if kind == "before-name" and not any(True for _ in _forms_at(text, k, lex)):
            continue
        if any(text.startswith(form, a) and a + len(form) > k
               for a in range(max(0, k - 6), k) for form in _forms_at(text, a, lex)):
            continue
        return True
    return False


def _forms_at(text: str, a: int, lex: Lexicon) -> Iterator[str]:
    for b in range(min(len(text), a + 12), a + 1, -1):
        if text[a:b] in lex.forms:
            yield text[a:b]


def _drop_prefix(text: str, start: int, stop: int, lex: Lexicon) -> int:
    """Skip modifiers such as 新一轮 at the start of a name."""
    for word, kind in lex.boundaries:
        if kind == "prefix" and text.startswith(word, start) and start + len(word) < stop:
            return start + len(word)
    return start


def _is_proper(name: str, lex: Lexicon, quoted: bool = False) -> bool:
    if quoted or _OPEN in name or re.search(r"[A-Za-z]", name):
        return True
    return any(form in name for form in _lexicon_forms_in(name, lex))


def _lexicon_forms_in(name: str, lex: Lexicon) -> Iterator[str]:
    for a in range(len(name)):
        for b in range(min(len(name), a + 16), a + 1, -1):
            if name[a:b] in lex.forms and name[a:b] not in lex.context_only:
                yield name[a:b]
                break


def _rule_candidates(text: str, lex: Lexicon) -> Iterator[_Cand]:
    spans: set[tuple[int, int]] = set()  # the longest suffix names a span first (科技城 before 城)
    for pattern in lex.patterns:
        for match in re.finditer(re.escape(pattern.suffix), text):
            end = match.end()
            if pattern.not_followed_by and pattern.not_followed_by.match(text, end):
                continue
            # 轨交14号线（嘉定段）: a bracketed section right after the suffix belongs to the name
            tail = re.match(r"（[^（）]{1,6}段）", text[end:])
            if tail and pattern.cls == "Project":
                end += tail.end()
            start = _left_edge(text, match.start(), lex, pattern.max_len, cls=pattern.cls, loose=pattern.loose)
            if start is None:
                continue
            start = _drop_prefix(text, start, match.start(), lex)
            quoted = start > 0 and text[start - 1] == _OPEN and text[end:end + 1] == _CLOSE
            if match.start() - start < (min(pattern.min_name, 2) if quoted else pattern.min_name):
                continue
            name = text[start:end]
            stem = text[start:match.start()]
            bare = stem.replace(_OPEN, "").replace(_CLOSE, "")
            if name in lex.generic or stem in lex.generic or bare.strip("0123456789") in ("", "新", "大"):
                continue
            if any(name.endswith(g) for g in lex.generic_heads(pattern.suffix)):
                continue  # 让乡村, 若干城市公园: a generic noun longer than the suffix ends the name
            if re.match(_NUMERAL + r"+大", bare):
                continue  # 六大工程
            if re.search(r"千亿|百亿|万亿|级$|\+", bare) or (re.match(r"[0-9]", bare) and pattern.cls not in ("Event", "Project")):
                continue
            if pattern.cls == "Industry" and lex.forms.get(bare) and lex.entries[lex.forms[bare]].cls == "Place":
                continue  # 河北产业: a place's industries, not an industry
            if re.search(r"（(村|社区)）", name) and pattern.cls in ("Project", "Organization"):
                continue  # 村（社区）综合服务站: a kind of facility in every community
            if pattern.cls == "Place" and re.match(_NUMERAL, bare):
                continue  # 一镇三片区: a count of places, not a name
            if pattern.cls == "Place" and re.match(r"(全国|国家)", name) and not _is_proper(name[2:], lex):
                continue  # 全国文明城区, 国家…示范区: honours, not places
            if pattern.needs == "proper" and not _is_proper(name, lex, quoted):
                continue
            if pattern.needs == "rail" and not re.match(r"(轨交|轨道交通|地铁|城际|[A-Z]+[0-9]*线)", name):
                continue
            if (start, end) not in spans:
                spans.add((start, end))
                yield _Cand(start, end, pattern.cls, "rule")


def _coordinated(text: str, cands: list[_Cand], lex: Lexicon) -> Iterator[_Cand]:
    """雄商、雄忻高铁: short items listed before a line or road share its class."""
    for cand in cands:
        if cand.cls != "Project" or not re.search(r"(高铁|高速|城际|铁路|公路|线)$", text[cand.i:cand.j]):
            continue
        end = cand.i
        while end > 0 and text[end - 1] == "、":
            start = _left_edge(text, end - 1, lex, 6, cls="Project")
            if start is None or not 2 <= end - 1 - start <= 4:
                break
            yield _Cand(start, end - 1, "Project", "list")
            end = start


def _lexicon_candidates(text: str, lex: Lexicon) -> Iterator[_Cand]:
    longest = 20
    for a in range(len(text)):
        for b in range(min(len(text), a + longest), a, -1):
            label = lex.forms.get(text[a:b])
            if label is None:
                continue
            entry = lex.entries[label]
            form = text[a:b]
            if form in lex.context_only:
                if not re.match(r"(产业|行业|业(?!务|主|态|绩))", text[b:]):
                    break
            yield _Cand(a, b, entry.cls, "lexicon", label)
            break


def _relative_candidates(text: str) -> Iterator[_Cand]:
    """区委, 市政府, 本区: names that mean this report's own district, city or province."""
    for match in re.finditer(r"(区|市|省|县)(人大常委会|人民政府|政府|委|人大|政协)", text):
        if match.start() == 0 or not re.match(r"[\u4e00-\u9fff]", text[match.start() - 1]) \
                or text[match.start() - 1] in "在和与及届的对向是由经":
            yield _Cand(match.start(), match.end(), "Organization", "rule")
    for match in re.finditer("|".join(_RELATIVE_PLACE), text):
        yield _Cand(match.start(), match.end(), "Place", "rule")


def _title_candidates(text: str) -> Iterator[_Cand]:
    for match in re.finditer(r"《([^《》]{2,80})》", text):
        yield _Cand(match.start(1), match.end(1), "Policy", "title")


def _goal_candidates(text: str, lex: Lexicon) -> Iterator[_Cand]:
    for prefix in lex.goal_prefixes:
        for match in re.finditer(re.escape(prefix), text):
            for b in range(min(len(text), match.end() + 6), match.end(), -1):
                label = lex.forms.get(text[match.end():b])
                if label and lex.entries[label].cls == "Place" and (match.start() == 0 or text[match.start() - 1] in _STOP | {"的"}):
                    yield _Cand(match.start(), b, "Goal", "goal")
                    break


def _list_candidates(text: str, lex: Lexicon) -> Iterator[_Cand]:
    """Items of a list with a typed head: 北管、周泾、毛桥3个村; 建筑、交通、制造业、商贸等11个行业."""
    for k in range(1, len(text)):
        head = _LIST_HEAD.match(text, k)
        if not head or text[k - 1] in _STOP and text[k - 1] != _CLOSE or re.match(_NUMERAL, text[k - 1]):
            continue
        if not head.group(1) and not head.group(4):
            continue  # "X项目" is a name shape, not a list; only "X等…" or "X3个村" is a list
        cls = _LIST_CLASS[head.group(5)]
        end = k
        items: list[tuple[int, int]] = []
        while end > 0:
            if text[end - 1] == _CLOSE:
                opening = text.rfind(_OPEN, 0, end - 1)
                if opening < 0 or end - opening > 12:
                    break
                items.append((opening, end))
                end = opening
            else:
                start = _left_edge(text, end, lex, 10)
                if start is None or end - start < 2:
                    break
                items.append((start, end))
                end = start
            if end > 0 and text[end - 1] == "、":
                end -= 1
            elif end > 0 and text[end - 1] == _CLOSE:
                continue
            else:
                break
        if len(items) == 1 and not head.group(1):
            continue  # a single item needs 等: "周泾等3个村"
        for a, b in items:
            if text[a] == _OPEN and text[b - 1] == _CLOSE:
                a, b = a + 1, b - 1  # “全嘉来赛”: the name is inside the quotes
            item = text[a:b]
            if b - a >= 2 and not re.search(r"[0-9]", item) and item not in lex.generic:
                yield _Cand(a, b, cls, "list")


def _candidates(text: str, lex: Lexicon) -> list[_Cand]:
    rules = list(_rule_candidates(text, lex))
    found = [*_title_candidates(text), *_lexicon_candidates(text, lex), *rules, *_coordinated(text, rules, lex),
             *_goal_candidates(text, lex), *_list_candidates(text, lex), *_relative_candidates(text)]
    return found


def _choose(cands: list[_Cand]) -> tuple[list[_Cand], list[tuple[_Cand, _Cand]]]:
    """Longest non-overlapping candidates, and (outer, inner) pairs for candidates nested in them."""
    chosen: list[_Cand] = []
    for cand in sorted(cands, key=lambda c: (-c.length, _PRIORITY[c.source], c.i)):
        if all(cand.j <= c.i or cand.i >= c.j for c in chosen):
            chosen.append(cand)
    chosen.sort(key=lambda c: c.i)
    nested = [(outer, c) for outer in chosen for c in cands
              if outer.i <= c.i and c.j <= outer.j and c.length < outer.length and c.source == "lexicon"
              and outer.source != "title"]
    return chosen, nested


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
            if city:
                levels["市"] = city
            if district:
                levels["县" if district.endswith("县") else "区"] = district
        return cls(government, levels)


def _canonical(name: str, cls: str, ctx: _Context, lex: Lexicon) -> str:
    if name in lex.forms and lex.entries[lex.forms[name]].cls == cls:
        return lex.forms[name]
    if cls == "Industry" and name.endswith("产业") and lex.forms.get(name[:-2]) in lex.entries \
            and lex.entries[lex.forms[name[:-2]]].cls == "Industry":
        return lex.forms[name[:-2]]  # 汽车智能化产业 is the lexicon's 汽车智能化
    if name in _RELATIVE_PLACE and _RELATIVE_PLACE[name] in ctx.levels:
        place = ctx.levels[_RELATIVE_PLACE[name]]
        return lex.forms.get(place, place)
    rel = _RELATIVE_ORG.match(name)
    if rel and rel.group(1) in ctx.levels:
        owner = ctx.levels[rel.group(1)]
        body = {"政府": "人民政府"}.get(rel.group(2), rel.group(2))
        return f"{owner}{body}"
    if cls == "Organization" and name.endswith(("人民政府", "委")) and ctx.government:
        # 嘉定区人民政府 said in Shanghai's district is 上海市嘉定区人民政府
        for level in ("省", "市"):
            if level in ctx.levels and f"{ctx.levels[level]}{name}" == ctx.government:
                return ctx.government
    prefix = _RELATIVE_PREFIX.match(name)
    if prefix and prefix.group(1) in ctx.levels and cls != "Place":
        return ctx.levels[prefix.group(1)] + name[1:]
    road = _ROAD_PREFIX.match(name)
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
                  for form in sorted(short_forms, key=lambda f: -len(f))
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
                if outer is cand and inner.key and inner.key != key:
                    parts.append(Part(mention, inner.key, inner.cls, inner.i, inner.j))
                    classes.setdefault(inner.key, inner.cls)
                    aliases.setdefault(inner.key, set()).add(text[inner.i:inner.j])
            _learn_short_form(surface, key, cls, cand, lex, short_forms)
    entities = []
    mentioned = set(classes)
    for key, cls in classes.items():
        entry = lex.entries.get(key)
        broader: tuple[str, ...] = ()
        if entry:
            # the nearest mentioned ancestor on each path, so broader links never dangle
            broader = tuple(sorted({next((a for a in _chain(lex, b) if a in mentioned), "") for b in entry.broader} - {""}))
        names = aliases.get(key, set()) | (set(entry.alt) if entry else set())
        entities.append(Entity(key, cls, tuple(sorted(names - {key})), entry.en if entry else None, broader))
    return Extraction(tuple(entities), tuple(mentions), tuple(parts), ctx.government)


def _chain(lex: Lexicon, label: str) -> Iterator[str]:
    yield label
    yield from lex.ancestors(label)


def _learn_short_form(surface: str, key: str, cls: str, cand: _Cand, lex: Lexicon, short: dict[str, str]) -> None:
    """嘉定综合保税区 = 嘉定 + 综合保税区: later, 综合保税区 alone means the same place."""
    if cand.source not in ("rule", "lexicon") or cls not in ("Place", "Project", "Event"):
        return
    for k in range(2, len(surface) - 1):
        head, rest = surface[:k], surface[k:]
        if head in lex.forms and lex.entries[lex.forms[head]].cls == "Place" and len(rest) >= 2 and rest in lex.generic:
            short.setdefault(rest, key)  # the first full name in the text keeps the short form
            return


def mentions_in(extraction: Extraction, sentences: Iterable[Sentence]) -> list[Mention]:
    """The mentions that fall in ``sentences``."""
    wanted = {s.index for s in sentences}
    return [m for m in extraction.mentions if m.sentence in wanted]
