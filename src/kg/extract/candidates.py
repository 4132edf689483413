"""Candidate entity names in one sentence, and the choice between overlaps.

Candidates come from the lexicon (longest form first), 《…》 titles, the name shapes of
``entity-patterns.csv`` extended left to a boundary, coordinated names (北管、周泾、毛桥3个村),
relative names (本区) and goals; :func:`choose` keeps the longest of overlapping candidates
(ties by source priority). :mod:`kg.extract.entities` turns the chosen ones into mentions and entities.

The words the rules look for are data of the :class:`~kg.extract.lexicon.Lexicon` (``entity-words.csv``,
``list-heads.csv``, ``relative-names.csv``); the patterns here only give them their places.

>>> from kg.extract.lexicon import load_lexicon
>>> kept, _ = choose(candidates("推进安亭新院建设", load_lexicon()))
>>> [("推进安亭新院建设"[c.i:c.j], c.cls) for c in kept]
[('安亭新院', 'Project')]
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from kg.extract.lexicon import Lexicon, RelativeNames, alternation

# Punctuation that never sits inside a name (brackets （） may, when balanced).
_STOP = set("，。、；：！？“”‘’《》,.;:!?\"' \u3000…—")
_OPEN, _CLOSE = "“", "”"
_NUMERAL = r"[0-9一二三四五六七八九十两几多余]"
_NUMERAL_CHARS = frozenset("0123456789一二三四五六七八九十两几多余")  # what _NUMERAL matches, as a set


@lru_cache(maxsize=4096)
def _literal(word: str) -> re.Pattern[str]:
    """``word`` as a compiled pattern (``re.finditer(re.escape(word), …)`` escaped it on every call)."""
    return re.compile(re.escape(word))


@lru_cache(maxsize=8)
def _list_head(quantifiers: tuple[str, ...], classifiers: tuple[str, ...], modifiers: tuple[str, ...],
               heads: tuple[str, ...]) -> re.Pattern[str]:
    """The head of a list: (等)(各类)(3)(个)(特色)(村); groups 1, 4 and 5 are 等, the classifier, the head."""
    return re.compile(rf"(等)?({alternation(quantifiers)})?([0-9]+|[一二三四五六七八九十两]+)?"
                      rf"({alternation(classifiers)})?(?:{alternation(modifiers)})?({alternation(heads)})")


@lru_cache(maxsize=8)
def _relative_patterns(rel: RelativeNames) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """区委, 市政府 (a level and a body) and 本区, 我市 (a place), as found in a sentence."""
    bodies = rf"({alternation(rel.levels)})({alternation(tuple(body for body, _ in rel.bodies))})"
    return re.compile(bodies), re.compile(alternation(tuple(name for name, _ in rel.places)))


@dataclass(frozen=True)
class Cand:
    """A candidate name: characters ``i:j`` of the sentence, its class, where it came from
    (``lexicon``, ``rule``, ``title``, ``list``, ``goal``, ``alias``) and its lexicon label if any."""

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
        elif ch in _STOP or (depth == 0 and _boundary_before(text, k, lex, cls, loose=loose, first=k == end)):
            return k
        k -= 1
    return 0


def _boundary_before(text: str, k: int, lex: Lexicon, cls: str, *, loose: bool, first: bool) -> bool:
    for word, kind in lex.boundaries_by_last.get(text[k - 1], ()):
        if not text.endswith(word, 0, k) or kind == "prefix":
            continue
        if kind == "verb" and (loose or (first and cls == "Event")):
            continue  # 区公共卫生建设大会: a verb-noun right before 大会 belongs to the name
        if kind == "lead" and cls != "Industry" and k - len(word) > 0 and text[k - len(word) - 1] not in _STOP:
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
    if a >= len(text):
        return
    limit = min(len(text) - a, 12)
    for size in lex.form_sizes.get(text[a], ()):  # longest first, as b counting down did
        if 2 <= size <= limit and text[a:a + size] in lex.forms:
            yield text[a:a + size]


def _drop_prefix(text: str, start: int, stop: int, lex: Lexicon) -> int:
    """Skip modifiers such as 新一轮 at the start of a name."""
    for word, kind in lex.boundaries_by_first.get(text[start], ()) if start < len(text) else ():
        if kind == "prefix" and text.startswith(word, start) and start + len(word) < stop:
            return start + len(word)
    return start


def _is_proper(name: str, lex: Lexicon, quoted: bool = False) -> bool:
    if quoted or _OPEN in name or re.search(r"[A-Za-z]", name):
        return True
    return any(form in name for form in _lexicon_forms_in(name, lex))


def _lexicon_forms_in(name: str, lex: Lexicon) -> Iterator[str]:
    for a in range(len(name)):
        sizes = lex.form_sizes.get(name[a])
        if not sizes:
            continue
        limit = min(len(name) - a, 16)
        for size in sizes:  # longest first
            if 2 <= size <= limit and (form := name[a:a + size]) in lex.forms and form not in lex.context_only:
                yield form
                break


def _is_programme(text: str, start: int, stem_len: int, lex: Lexicon) -> bool:
    """实施优势传统产业升级工程: a programme launched by 实施 (启动, 开展: the ``launch`` words) is named
    without a proper noun.

    >>> from kg.extract.lexicon import load_lexicon
    >>> _is_programme("实施特色产业提质工程", 2, 6, load_lexicon()), _is_programme("实施民生工程", 2, 2, load_lexicon())
    (True, False)
    """
    return stem_len >= 4 and text.endswith(lex.words["launch"], 0, start)


def _rule_candidates(text: str, lex: Lexicon) -> Iterator[Cand]:
    spans: set[tuple[int, int]] = set()  # the longest suffix names a span first (科技城 before 城)
    for pattern in lex.patterns:
        if pattern.suffix not in text:
            continue
        for match in _literal(pattern.suffix).finditer(text):
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
            if pattern.needs == "programme":  # 实施特色产业提质工程: a programme's name holds verbs
                window = max(0, match.start() - pattern.max_len)
                launch, verb = max(((text.rfind(v, window, match.start()), v) for v in lex.words["launch"]),
                                   default=(-1, ""))
                after = launch + len(verb)  # where the name starts when the verb launches it
                stem = text[after:match.start()] if launch >= 0 else ""
                if launch >= 0 and after < start and _is_programme(text, after, len(stem), lex) \
                        and not _STOP.intersection(stem) and pattern.suffix not in stem and "等" not in stem \
                        and not re.match(_NUMERAL, stem):  # 实施20项民生工程, 实施…治理等重大生态工程
                    start = after
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
            if any(size in bare for size in lex.words["size"]) or re.search(r"(?<!升)级$|\+", bare):
                continue  # 千亿级, 省级: a size or a rank (but 产业升级工程 is a name)
            if re.match(r"[0-9]", bare) and pattern.cls not in ("Event", "Project"):
                continue
            if pattern.cls == "Industry" and lex.forms.get(bare) and lex.entries[lex.forms[bare]].cls == "Place":
                continue  # 河北产业: a place's industries, not an industry
            if re.search(r"（(村|社区)）", name) and pattern.cls in ("Project", "Organization"):
                continue  # 村（社区）综合服务站: a kind of facility in every community
            if pattern.cls in ("Project", "Place") and re.search(r"[省市县]级(以上)?(重大|重点)?$", text[:start]):
                continue  # 省级以上应急产业示范基地, 国家级高新区: a rank of facility, not a name
            if pattern.cls == "Place" and re.match(_NUMERAL, bare):
                continue  # 一镇三片区: a count of places, not a name
            national = next((w for w in lex.words["national"] if name.startswith(w)), None)
            if pattern.cls == "Place" and national and not _is_proper(name[len(national):], lex):
                continue  # 全国文明城区, 国家…示范区: honours, not places
            if pattern.needs in ("proper", "programme") and not _is_proper(name, lex, quoted) \
                    and not (pattern.needs == "programme" and _is_programme(text, start, len(bare), lex)):
                continue
            if pattern.needs == "rail" and not (name.startswith(lex.words["rail"])
                                                or re.match(r"[A-Z]+[0-9]*线", name)):
                continue
            if (start, end) not in spans:
                spans.add((start, end))
                yield Cand(start, end, pattern.cls, "rule")


def _coordinated(text: str, cands: list[Cand], lex: Lexicon) -> Iterator[Cand]:
    """雄商、雄忻高铁: short items listed before a line or road share its class."""
    for cand in cands:
        if cand.cls != "Project" or not text[cand.i:cand.j].endswith(lex.words["line"]):
            continue
        end = cand.i
        while end > 0 and text[end - 1] == "、":
            start = _left_edge(text, end - 1, lex, 6, cls="Project")
            if start is None or not 2 <= end - 1 - start <= 4:
                break
            yield Cand(start, end - 1, "Project", "list")
            end = start


def _lexicon_candidates(text: str, lex: Lexicon) -> Iterator[Cand]:
    longest = 20
    forms, prefixes = lex.forms, lex.form_prefixes
    for a in range(len(text)):
        if text[a] not in prefixes:
            continue
        # The longest form at a (of at most `longest` characters): walk right while what is read
        # still begins some form; only that longest form counts, as when lengths were tried
        # longest first.
        found = 0
        for b in range(a + 1, min(len(text), a + longest) + 1):
            piece = text[a:b]
            if piece not in prefixes:
                break
            if piece in forms:
                found = b
        if not found:
            continue
        b = found
        label = forms[text[a:b]]
        entry = lex.entries[label]
        form = text[a:b]
        if form in lex.context_only and not _sector_follows(text, b, lex):  # 服务业增加值: a statistic's sector
            continue
        yield Cand(a, b, entry.cls, "lexicon", label)
        if entry.cls == "Policy":  # 房地产发展新模式: the industry opening a policy's name is a part of it
            inner = next((c for c in range(b - 1, a + 1, -1) if text[a:c] in lex.forms
                          and lex.entries[lex.forms[text[a:c]]].cls != "Policy"), None)
            if inner is not None and text[a:inner] not in lex.context_only:
                yield Cand(a, inner, lex.entries[lex.forms[text[a:inner]]].cls, "lexicon", lex.forms[text[a:inner]])


def _sector_follows(text: str, at: int, lex: Lexicon) -> bool:
    """Whether a sector word (产业, 业, 增加值) starts at ``at``; the longest word of the ``sector``
    and ``not-sector`` words there decides (建筑业 is a sector, 建筑业务 is not)."""
    found = [w for w in (*lex.words["sector"], *lex.words["not-sector"]) if text.startswith(w, at)]
    return bool(found) and max(found, key=len) in lex.words["sector"]


def _relative_candidates(text: str, lex: Lexicon) -> Iterator[Cand]:
    """区委, 市政府, 本区: names that mean this report's own district, city or province."""
    bodies, places = _relative_patterns(lex.relative)
    for match in bodies.finditer(text):
        if match.start() == 0 or not re.match(r"[\u4e00-\u9fff]", text[match.start() - 1]) \
                or text.endswith(lex.relative.leads, 0, match.start()):
            yield Cand(match.start(), match.end(), "Organization", "rule")
    for match in places.finditer(text):
        yield Cand(match.start(), match.end(), "Place", "rule")


def _title_candidates(text: str) -> Iterator[Cand]:
    for match in re.finditer(r"《([^《》]{2,80})》", text):
        yield Cand(match.start(1), match.end(1), "Policy", "title")


# A quoted formula or slogan that counts (“两新”, “三去一降一补”, “1+N”, “拨改投”), standing alone: the
# quote marks and the number are the name. One quoted word inside a longer name (“千项万亿”重大项目) is
# left to the name shapes, and a quote without a number is a figure of speech (“最后一公里”).
_QUOTED = re.compile(r"“([^“”，。；：！？、\s]{2,12})”(?=[，。；：！？、和及与等的”）)]|$)")
_COUNTS = re.compile(r"[0-9一二两三四五六七八九十百千万+＋]|[改转]")


def _quoted_candidates(text: str) -> Iterator[Cand]:
    for match in _QUOTED.finditer(text):
        if _COUNTS.search(match.group(1)):
            yield Cand(match.start(1), match.end(1), "Policy", "title")


def _goal_candidates(text: str, lex: Lexicon) -> Iterator[Cand]:
    for prefix in lex.goal_prefixes:
        if prefix not in text:
            continue
        for match in _literal(prefix).finditer(text):
            for b in range(min(len(text), match.end() + 6), match.end(), -1):
                label = lex.forms.get(text[match.end():b])
                if label and lex.entries[label].cls == "Place" \
                        and (match.start() == 0 or text[match.start() - 1] in _STOP | {"的"}):
                    yield Cand(match.start(), b, "Goal", "goal")
                    break


def _holds_industry(item: str, lex: Lexicon) -> bool:
    """大数据与物联网 holds 大数据; 政府债务 holds no industry of the lexicon.

    >>> from kg.extract.lexicon import load_lexicon
    >>> _holds_industry("大数据与物联网", load_lexicon()), _holds_industry("政府债务", load_lexicon())
    (True, False)
    """
    return any(lex.entries[lex.forms[form]].cls == "Industry" for form in _lexicon_forms_in(item, lex))


def _joined_item(text: str, end: int, lex: Lexicon) -> int | None:
    """Start of the last item of ``A、B和C`` ending at ``end`` when 和/及 joins it to a 、 list, else ``None``.

    >>> from kg.extract.lexicon import load_lexicon
    >>> _joined_item("发展海洋牧场、远洋渔业和水产加工", 16, load_lexicon())
    12
    """
    start = _left_edge(text, end, lex, 8, cls="Industry")
    if start is None or start < 2 or end - start < 2 or text[start - 1] not in "和及":
        return None
    before = _left_edge(text, start - 1, lex, 8, cls="Industry")
    if before is None or before < 1 or text[before - 1] != "、" or start - 1 - before < 2:
        return None
    return start


def _coordinated_industries(text: str, cands: list[Cand], lex: Lexicon) -> Iterator[Cand]:
    """海洋牧场、远洋渔业和水产加工产业: the items coordinated before an industry are industries too."""
    for cand in cands:
        if cand.cls != "Industry" or not text.endswith("产业", 0, cand.j):
            continue
        start = _joined_item(text, cand.j - 2, lex)
        if start is None or start != cand.i:
            continue
        end = cand.i - 1  # the 和/及
        while end > 0:
            first = _left_edge(text, end, lex, 8, cls="Industry")
            if first is None or not 2 <= end - first <= 8 or re.search(r"[0-9]", text[first:end]):
                break
            if text[first:end] not in lex.generic:
                yield Cand(first, end, "Industry", "list")
            if first == 0 or text[first - 1] != "、":
                break
            end = first - 1


def _list_candidates(text: str, lex: Lexicon) -> Iterator[Cand]:
    """Items of a list with a typed head: 北管、周泾、毛桥3个村; 建筑、交通、制造业、商贸等11个行业."""
    list_head = _list_head(lex.words["list-quantifier"], lex.words["list-classifier"], lex.words["list-modifier"],
                           tuple(h.head for h in lex.list_heads))
    heads = {h.head: h for h in lex.list_heads}
    # A list's head word starts at or after k, so no k past the last head word can match.
    last_head = max((text.rfind(h) for h in heads), default=-1)
    for k in range(1, min(len(text), last_head + 1)):
        # The cheap checks first: matching at every digit of a long number would be quadratic.
        if (text[k - 1] in _STOP and text[k - 1] != _CLOSE) or text[k - 1] in _NUMERAL_CHARS:
            continue
        head = list_head.match(text, k)
        if not head:
            continue
        if not head.group(1) and not head.group(4):
            continue  # "X项目" is a name shape, not a list; only "X等…" or "X3个村" is a list
        cls = heads[head.group(5)].cls
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
                if cls == "Industry" and not items:  # 光电子、医疗器械和航空航天等产业: 和 joins the last item
                    last = _joined_item(text, end, lex)
                    start = last if last is not None else start
                if start is None or end - start < 2:
                    break
                items.append((start, end))
                end = start
            if end > 0 and (text[end - 1] == "、" or (len(items) == 1 and _joined_item(text, items[0][1], lex) == end)):
                end -= 1
            elif end > 0 and text[end - 1] == _CLOSE:
                continue
            else:
                break
        if len(items) == 1 and not head.group(1):
            continue  # a single item needs 等: "周泾等3个村"
        if heads[head.group(5)].needs == "industry" and not all(_holds_industry(text[a:b], lex) for a, b in items):
            continue  # 金融、政府债务等重点领域: areas of work, not industries, unless every item names one
        for a, b in items:
            if text[a] == _OPEN and text[b - 1] == _CLOSE:
                a, b = a + 1, b - 1  # “全嘉来赛”: the name is inside the quotes
            item = text[a:b]
            if b - a >= 2 and not re.search(r"[0-9]", item) and item not in lex.generic:
                yield Cand(a, b, cls, "list")


def candidates(text: str, lex: Lexicon) -> list[Cand]:
    rules = list(_rule_candidates(text, lex))
    found = [*_title_candidates(text), *_quoted_candidates(text), *_lexicon_candidates(text, lex), *rules,
             *_coordinated(text, rules, lex),
             *_coordinated_industries(text, rules, lex),
             *_goal_candidates(text, lex), *_list_candidates(text, lex), *_relative_candidates(text, lex)]
    silenced = _not_place_spans(text, lex)
    return [c for c in found if (c.source not in ("rule", "list") or _well_formed(text, c, lex))
            and not (c.source == "lexicon" and c.cls == "Place" and any(a <= c.i and c.j <= b for a, b in silenced))]


def _not_place_spans(text: str, lex: Lexicon) -> list[tuple[int, int]]:
    """Where a phrase of ``not-place-phrases.csv`` stands: a place word inside is not the place
    (中国 in 中国特色社会主义 is no mention of China)."""
    return [(m.start(), m.end()) for phrase in lex.not_places if phrase in text
            for m in _literal(phrase).finditer(text)]


_VERB_KINDS = ("strong", "weak", "verb")


def _well_formed(text: str, cand: Cand, lex: Lexicon) -> bool:
    """A shaped name neither ends in a conjunction (创新策源与) nor starts with a verb (抢占低空经济)."""
    if text[cand.j - 1] in "与和及或、":
        return False
    head = text[cand.i:cand.j]
    return not any(head.startswith(word) and len(head) > len(word) + 1
                   for word, kind in lex.boundaries_by_first.get(head[:1], ())  # only these can start head
                   if kind in _VERB_KINDS and lex.forms.get(head[: len(word) + 2]) is None)


def choose(cands: list[Cand]) -> tuple[list[Cand], list[tuple[Cand, Cand]]]:
    """Longest non-overlapping candidates, and (outer, inner) pairs for candidates nested in them."""
    chosen: list[Cand] = []
    for cand in sorted(cands, key=lambda c: (-c.length, _PRIORITY[c.source], c.i)):
        if all(cand.j <= c.i or cand.i >= c.j for c in chosen):
            chosen.append(cand)
    chosen.sort(key=lambda c: c.i)
    nested = [(outer, c) for outer in chosen for c in cands
              if outer.i <= c.i and c.j <= outer.j and c.length < outer.length and c.source == "lexicon"
              and outer.source != "title"]
    return chosen, nested
