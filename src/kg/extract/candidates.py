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

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from kg.extract.lexicon import Lexicon, RelativeNames, alternation, find_all

# Punctuation that never sits inside a name (brackets （） may, when balanced).
_STOP = set("，。、；：！？“”‘’《》,.;:!?\"' \u3000…—")
_OPEN, _CLOSE = "“", "”"
_COMPLEMENT = "好"  # a result complement after a verb (落实好, 实施好, 用好): never the start of a name
_NUMERAL = r"[0-9一二三四五六七八九十两几多余]"
_STOP_CLASS = re.escape("".join(sorted(_STOP)))
_LIST_WORDS = 8  # words between 等 and a list's head
_NUMERAL_CHARS = frozenset("0123456789一二三四五六七八九十两几多余")  # what _NUMERAL matches, as a set
# Compiled once: the rules below run them for every sentence or candidate.
_ENDS_IN_NUMERAL = re.compile(_NUMERAL + "$")
_AND = re.compile("[和及与]")
_LIST_ITEMS = re.compile("[^、]+")
_DIGIT_OR_DENG = re.compile(r"[0-9等]")
_BOOK_TITLE = re.compile(r"《([^《》]{2,80})》")
_ORDINAL_SESSION = re.compile(r"第[一二三四五六七八九十百0-9]+[届次]")
_TITLE_NOTE = re.compile(r"(?:[（(][^（）()]*[）)]|草案|\s)+$")  # （草案）, (试行), 草案 after a document's name


@lru_cache(maxsize=4096)
def _literal(word: str) -> re.Pattern[str]:
    """``word`` as a compiled pattern (``re.finditer(re.escape(word), …)`` escaped it on every call)."""
    return re.compile(re.escape(word))


@lru_cache(maxsize=64)
def _any_of(words: tuple[str, ...]) -> re.Pattern[str]:
    """Whether any of ``words`` is in a text, in one search (a loop of ``in`` over them was slower)."""
    return re.compile(alternation(words))


@lru_cache(maxsize=8)
def _list_head(quantifiers: tuple[str, ...], classifiers: tuple[str, ...], modifiers: tuple[str, ...],
               heads: tuple[str, ...]) -> re.Pattern[str]:
    """The head of a list: (等)(各类)(3)(个)(特色)(村); groups 1 and 4 are 等 and the classifier, ``head`` the head.

    After 等, or after a classifier, a few more words (group ``free``) may describe the head
    (等高耗能行业, 等知识密集型生产性服务业, 等30项重大科技创新项目): the nearest head within
    ``_LIST_WORDS`` characters ends the list.
    """
    # 项目 is a head, never the classifier 项 and 目
    return re.compile(rf"(等)?({alternation(quantifiers)})?([0-9]+|[一二三四五六七八九十两]+)?"
                      rf"((?:{alternation(classifiers)})(?!目))?(?:{alternation(modifiers)})?"
                      rf"(?P<free>(?(4)|(?<=等))[^{_STOP_CLASS}0-9]{{1,{_LIST_WORDS}}}?)??(?P<head>{alternation(heads)})")


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


# shared: an item named with the suffix it shares (嘉陵江 of 金凤、嘉陵江、明月湖实验室 is a laboratory, not the
# river of the lexicon); parallel: the same for a policy whose head its items share (快速响应 of 快速响应、联合执法
# 机制 is 快速响应机制, a name restored rather than written, see _parallel_items)
_PRIORITY = {"title": 0, "shared": 0, "parallel": 0, "lexicon": 1, "rule": 2, "goal": 1, "list": 3, "alias": 1}


_FOOTNOTE_BEFORE = re.compile(r"[［\[]\d{1,3}[］\]]$")  # a note's number: ［17］, [6]


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
        elif ch in "］]" and _FOOTNOTE_BEFORE.search(text, 0, k):
            return k  # “四个一批”［17］项目: a note's number closes the term it explains
        elif ch == "." and 1 < k < len(text) and text[k - 2].isdigit() and text[k].isdigit():
            pass  # 3.0版
        elif ch == "—" and (_place_dash(text, k - 1, lex) or _joining_dash(text, k - 1)):
            pass  # 中国—中亚峰会, 太行山—燕山生态保护带, 就业—专业—招生联动机制: one dash joins the parts of a name
        elif ch in _STOP:
            return k
        elif depth == 0 and ch in lex.boundaries_by_last:  # most characters end no boundary word
            size = _boundary_before(text, k, lex, cls, loose=loose, first=k == end)
            if size:
                return _overlapped(text, k, size, lex)
        k -= 1
    return 0


def _place_dash(text: str, at: int, lex: Lexicon) -> bool:
    """Whether the dash at ``at`` joins a place of the lexicon before it to one after it (中国—中亚)."""
    def place(form: str) -> bool:
        return form in lex.forms and lex.entries[lex.forms[form]].cls == "Place"
    return any(place(text[at - n:at]) for n in range(2, min(at, 6) + 1)) \
        and any(place(form) for form in _forms_at(text, at + 1, lex))


def _joining_dash(text: str, at: int) -> bool:
    """Whether the dash at ``at`` stands alone between two Chinese characters (就业—专业), not as a pair (——)."""
    return 0 < at < len(text) - 1 and "\u4e00" <= text[at - 1] <= "\u9fff" and "\u4e00" <= text[at + 1] <= "\u9fff"


def _overlapped(text: str, k: int, size: int, lex: Lexicon) -> int:
    """Where a name stops whose boundary word ends at ``k``: after the word, or inside it when a
    boundary word ending on its first character reads first (落实|现代化, 加强|化工: the word on the
    left wins, as a reader segments; 统筹|建立 keeps 建立, since 统筹 in turn overlaps 筹建).
    """
    return k - size + 1 if _word_ending(text, k - size + 1, lex) else k


def _word_ending(text: str, end: int, lex: Lexicon, depth: int = 0) -> int:
    """The length of a verb-like boundary word of two or more characters that ends at ``end`` and is
    read as a word (no such word ends on its own first character), 0 if none."""
    for word, kind in lex.boundaries_by_last.get(text[end - 1], ()) if end > 0 else ():
        if (len(word) > 1 and kind in _VERB_KINDS and text.endswith(word, 0, end)
                and (depth > 3 or not _word_ending(text, end - len(word) + 1, lex, depth + 1))):
            return len(word)
    return 0


def _boundary_before(text: str, k: int, lex: Lexicon, cls: str, *, loose: bool, first: bool) -> int:
    """The length of the boundary word ending at ``k`` (0 if none)."""
    for word, kind in lex.boundaries_by_last.get(text[k - 1], ()):
        if not text.endswith(word, 0, k) or kind == "prefix":
            continue
        if _inside_word(text, k, word, lex):
            continue  # 教育部重庆高等研究院, 对外开放新高地: 等 and 对 inside a word (``word`` rows) are no boundary
        if kind == "verb" and (loose or (first and cls == "Event")):
            continue  # 区公共卫生建设大会: a verb-noun right before 大会 belongs to the name
        if kind == "lead" and cls != "Industry" and k - len(word) > 0 and text[k - len(word) - 1] not in _STOP:
            continue
        if kind == "measure" and not _ENDS_IN_NUMERAL.search(text, 0, k - len(word)):
            continue
        if kind == "org-only" and cls not in ("Organization", "Event"):
            continue
        if kind == "and" and cls not in ("Organization", "Event", "Industry"):
            continue
        if kind == "before-name" and not any(True for _ in _forms_at(text, k, lex)):
            continue
        # A lexicon name runs across the word: such a name starting at a begins with text[a:k + 1].
        if any(text[a:k + 1] in lex.form_prefixes and a + _longest_form_at(text, a, lex) > k
               for a in range(max(0, k - 6), k)):
            continue
        if any(text[a:k] in lex.forms for a in range(max(0, k - 8), k - len(word))):
            continue  # 上合组织减贫论坛: a lexicon name ends with the word (组织 of 上合组织)
        return len(word)
    return 0


def _forms_at(text: str, a: int, lex: Lexicon) -> Iterator[str]:
    if text[a:a + 2] not in lex.form_prefixes:
        return  # most positions: no form of two or more characters begins here
    limit = min(len(text) - a, 12)
    for size in lex.form_sizes.get(text[a], ()):  # longest first, as b counting down did
        if 2 <= size <= limit and text[a:a + size] in lex.forms:
            yield text[a:a + size]


def _longest_form_at(text: str, a: int, lex: Lexicon) -> int:
    """The length of the longest form :func:`_forms_at` finds at ``a`` (0 if none)."""
    return next(map(len, _forms_at(text, a, lex)), 0)


def _drop_prefix(text: str, start: int, stop: int, lex: Lexicon) -> int:
    """Skip modifiers such as 新一轮 at the start of a name (and 改革 before what it reforms: 改革公务员工资制度),
    unless they open a longer word (改革开放新高地)."""
    for word, kind in lex.boundaries_by_first.get(text[start], ()) if start < len(text) else ():
        if kind == "prefix" and text.startswith(word, start) and start + len(word) < stop \
                and not any(w != word and text.startswith(w, start) for w in lex.unbroken_words):
            return start + len(word)
    return start


def _generic_kind(name: str, suffix: str, lex: Lexicon) -> bool:
    """A name that is only generic modifiers (``generic-modifier`` words of entity-words.csv, the national
    and rank words: 国家级, 省, 一批, 重点, 标杆) before a generic noun (generic-names.csv) or the bare suffix.

    >>> from kg.extract.lexicon import load_lexicon
    >>> lex = load_lexicon()
    >>> [_generic_kind(n, s, lex) for n, s in (("省技术创新中心", "中心"), ("国家级零碳园区", "园区"),
    ...                                         ("国家会议中心", "中心"), ("重庆技术创新中心", "中心"))]
    [True, True, False, False]
    """
    words = lex.generic_modifiers
    rest, stripped = name, False
    while True:
        word = next((w for w in words if rest.startswith(w) and len(rest) > len(w)), None)
        if word is None:
            break
        rest, stripped = rest[len(word):], True
    if not stripped:
        return False
    return rest == suffix or rest in lex.generic or rest[:len(rest) - len(suffix)] in lex.generic


def _is_proper(name: str, lex: Lexicon, quoted: bool = False) -> bool:
    if quoted or _OPEN in name or re.search(r"[A-Za-z]", name):
        return True
    return any(form in name for form in _lexicon_forms_in(name, lex))


def _lexicon_forms_in(name: str, lex: Lexicon, *, everyday: bool = False) -> Iterator[str]:
    """Lexicon forms inside ``name``; ``everyday`` forms (context-only.csv: 电力, 教育) count only if asked."""
    for a in range(len(name)):
        sizes = lex.form_sizes.get(name[a])
        if not sizes or name[a:a + 2] not in lex.form_prefixes:  # no form of two or more characters here
            continue
        limit = min(len(name) - a, 16)
        for size in sizes:  # longest first
            if 2 <= size <= limit and (form := name[a:a + size]) in lex.forms \
                    and (everyday or form not in lex.context_only):
                yield form
                break


def _is_programme(text: str, start: int, stem_len: int, lex: Lexicon) -> bool:
    """实施优势传统产业升级工程: a programme launched by 实施 (启动, 开展: the ``launch`` words) is named
    without a proper noun.

    >>> from kg.extract.lexicon import load_lexicon
    >>> _is_programme("实施特色产业提质工程", 2, 6, load_lexicon()), _is_programme("实施民生工程", 2, 2, load_lexicon())
    (True, False)

    A programme coordinated with one before it shares its verb:

    >>> _is_programme("实施高新技术产业化工程和科技创新示范工程", 12, 6, load_lexicon())
    True
    """
    if stem_len >= 4 and start > 2 and text[start - 1] in "和及、" and text.endswith(_LAUNCHED_ENDS, 0, start - 1):
        return True  # 实施高新技术产业化工程和科技创新示范工程, …突破计划和优质本科扩容工程: the verb launches both
    return stem_len >= 4 and text.endswith(lex.words["launch"], 0, start)


_JOINS = "、和与及"
_LAUNCHED_ENDS = ("工程", "计划", "行动")  # a programme before 和: the verb that launched it launches the next
_SHARED_ITEM = 7  # the longest item a shared suffix reaches over (政企常态化交流沟通、…机制: two)


def _shared_start(text: str, start: int, end: int, lex: Lexicon) -> int:
    """Where a policy name whose suffix the items before it share begins: 医疗、医保、医药联动改革
    begins at 医疗. Each item is 2–7 name characters joined by 、和与及; the run stops at an item that
    ends in a policy suffix of its own (金融体制、…改革) or in 性, holds 等 or a quote, is a generic noun,
    or follows no join (参与 is a word).

    >>> from kg.extract.lexicon import load_lexicon
    >>> text = "深化医疗、医保、医药联动改革"
    >>> text[_shared_start(text, 8, 12, load_lexicon()):]
    '医疗、医保、医药联动改革'
    """
    suffixes = lex.policy_suffixes
    if _CLOSE in text[start:end]:
        return start  # 成果评奖“四评”改革: the quoted formula is the name
    while start > 2 and text[start - 1] in _JOINS and text[start - 2] not in _STOP \
            and not any(len(word) > 1 and text.endswith(word, 0, start) for word, _ in lex.boundaries):  # 参与
        before = _left_edge(text, start - 1, lex, _SHARED_ITEM + 1, cls="Policy")
        if before is None:
            break
        item = text[before:start - 1]
        if not 2 <= len(item) <= _SHARED_ITEM or item.endswith((*suffixes, "性")) or "等" in item or _CLOSE in item \
                or item in lex.generic:  # 基础性、关键性改革, 重点领域和关键环节改革: kinds, not names
            break
        start = before
    return start


_PARALLEL_ITEM = re.compile(r"[\u4e00-\u9fff]{4}")


def _parallel_items(text: str, start: int, suffix_at: int, suffix: str, lex: Lexicon) -> list[tuple[int, int]]:
    """The items of a coordination that each name a 机制 or 制度 of their own with the suffix they share, or
    none: every item is a four-character phrase (快速响应、联合执法机制; 守信激励和失信惩戒机制; 生产许可、
    强制认证、注册备案制度 — three systems); not 基本医疗保险、大病保险和医疗救助保障机制 (one mechanism over
    three schemes) nor 基本养老、医疗保险制度 (the shared head is 保险制度). An item named with a suffix of its
    own before them is no part of it (监测体系、评价考核和责任追究制度).

    >>> from kg.extract.lexicon import load_lexicon
    >>> text = "建立守信激励和失信惩戒机制"
    >>> _parallel_items(text, 2, 11, "机制", load_lexicon())
    [(2, 6), (7, 11)]
    """
    if suffix not in lex.words["parallel-suffix"]:
        return []
    items = [(start + m.start(), start + m.end()) for m in re.finditer(r"[^、和与及]+", text[start:suffix_at])]
    while items and text.endswith((*lex.policy_suffixes, "体系", "政策"), items[0][0], items[0][1]):
        items.pop(0)
    if len(items) < 2 or text[items[-1][0]:suffix_at].endswith(lex.words["open-head"]) \
            or not all(_PARALLEL_ITEM.fullmatch(text, i, j) for i, j in items):
        return []
    return items


def _shared_items(text: str, start: int, end: int, lex: Lexicon) -> Iterator[Cand]:
    """The coordinated items before a shared suffix that are industries, everyday words included (电力 in
    电力和石油天然气体制改革): nested in the policy's name, they say what it is about."""
    for item in re.finditer(rf"[^{_JOINS}]+", text[start:end]):
        label = lex.forms.get(item.group(0))
        if label and lex.entries[label].cls == "Industry":
            yield Cand(start + item.start(), start + item.end(), "Industry", "lexicon", label)


_VERB_JOIN = re.compile("参与|涉及|普及")  # a join character inside a verb joins no two names (民营企业参与…机制)
_FRUITS = re.compile("成果|经验|红利")  # after a quoted reform (“一枚印章管审批”改革成果), the name still ends at 改革
# What may follow a name's suffix and still belong to it (see _rule_candidates); matched at the suffix's end.
_SECTION = re.compile(r"（[^（）]{1,6}段）")
_QUALIFIER = re.compile(r"（[^（）0-9]{2,8}）(?=[、，。；等和])")
_LINE_SECTION = re.compile(r"[\u4e00-\u9fff]{2}段")
_PROGRAMME_ENDS = ("工程", "项目")  # a programme so named takes no works after it (“双代”工程改造)


@lru_cache(maxsize=8)
def _longest_first(words: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted(words, key=len, reverse=True))


def _works_after(text: str, at: int, lex: Lexicon) -> int:
    """Where the works named right after a project's name at ``at`` end (``works`` and ``phase`` words of
    entity-words.csv, one after another: 一期二单元); ``at`` when none follows."""
    words = _longest_first((*lex.words["works"], *lex.words["phase"]))  # sorted once, not once a candidate
    while word := next((w for w in words if text.startswith(w, at)), ""):
        at += len(word)
    return at
_FORMULA_AT_END = re.compile(rf"{_OPEN}([^{_OPEN}{_CLOSE}]+){_CLOSE}$")  # a quoted formula ending a stem
_FORMULAS = re.compile(rf"(?:{_OPEN}[^{_OPEN}{_CLOSE}]+{_CLOSE}){{2,}}")  # two or more of them


def _rule_candidates(text: str, lex: Lexicon) -> Iterator[Cand]:
    spans: set[tuple[int, int]] = set()  # the longest suffix names a span first (科技城 before 城)
    # Only patterns whose suffix ends in a character of the sentence can match (in file order still).
    by_last = lex.patterns_by_last
    indexes = sorted(itertools.chain.from_iterable(map(by_last.__getitem__, lex.pattern_ends.intersection(text))))
    for pattern in map(lex.patterns.__getitem__, indexes):
        if pattern.suffix not in text:
            continue
        for match in _literal(pattern.suffix).finditer(text):
            end = match.end()
            if pattern.not_followed_by and pattern.not_followed_by.match(text, end) \
                    and not (text.endswith(_CLOSE, 0, match.start()) and _FRUITS.match(text, end)):
                continue  # but “一枚印章管审批”改革成果: the fruits of a quoted reform are the reform's
            # 轨交14号线（嘉定段）: a bracketed section right after the suffix belongs to the name
            tail = _SECTION.match(text, end)
            qualifier = _QUALIFIER.match(text, end)
            if tail and pattern.cls == "Project":
                end = tail.end()
            elif pattern.cls == "Project" and not text.endswith(_PROGRAMME_ENDS, 0, end) \
                    and (works := _works_after(text, end, lex)) > end and not text.startswith(_PROGRAMME_ENDS, works):
                end = works  # 成渝高速改扩建, 曹妃甸煤码头一期二单元: the works are named with the project
            elif qualifier and pattern.cls in ("Project", "Organization"):
                end = qualifier.end()  # 北航重庆科创中心（低空电磁安全）等: a bracketed field names the branch
            elif pattern.suffix in lex.words["line"] and _LINE_SECTION.match(text, end):
                end += 3  # 沿江高铁宜涪段: the section between two places (宜昌, 涪陵) belongs to the name
            start = _left_edge(text, match.start(), lex, pattern.max_len, cls=pattern.cls, loose=pattern.loose)
            if start is None:
                continue
            if pattern.needs in ("programme", "launched"):  # 实施特色产业提质工程: a programme's name holds verbs
                window = max(0, match.start() - pattern.max_len)
                verbs = lex.words["launch"] + (lex.words["institute"] if pattern.needs == "launched" else ())
                # the nearest verb that leaves a stem of 4+ characters launches the name: 完善乡村建设推进机制
                # is launched by 完善, not by the 推进 inside it
                found = sorted(((k, v) for v in verbs for k in find_all(text, v, window, match.start())), reverse=True)
                launch, verb = next(((k, v) for k, v in found if match.start() - k - len(v) >= 4), (-1, ""))
                after = launch + len(verb)  # where the name starts when the verb launches it
                stem = text[after:match.start()] if launch >= 0 else ""
                joined = "[等和与及]" if pattern.needs == "launched" else "等"  # 主体功能区制度和生态补偿机制: two
                if launch >= 0 and after < start and len(stem) >= 4 \
                        and not re.search(joined, _VERB_JOIN.sub("", stem)) \
                        and not _STOP.intersection(stem) and pattern.suffix not in stem \
                        and not re.match(_NUMERAL, stem):  # 实施20项民生工程, 实施…治理等重大生态工程
                    start = after
            crossed = False  # a name that runs over a word such as 建设 is no list's last item
            if pattern.suffix in lex.words["named-kind"]:
                start, crossed = _inner_word_start(text, start, match.start(), pattern.max_len, lex, pattern.cls)
            if pattern.needs == "issued":  # 出台优化气价改革举措: a document is named from the verb that issues it
                issued = _issued_start(text, match.start(), pattern.max_len, lex)
                if issued is None:
                    continue
                start = issued
            if pattern.cls == "Policy" and pattern.suffix in lex.words["shared"] and not crossed \
                    and match.start() - start >= 2:  # 建机制 is no name to share; nor one that ran over a word
                first = start
                start = _shared_start(text, start, match.start(), lex)
                yield from _shared_items(text, start, first, lex)
                if items := _parallel_items(text, start, match.start(), pattern.suffix, lex):
                    # 快速响应、联合执法机制: two mechanisms, each item named with the suffix it shares
                    yield from (Cand(i, j, "Policy", "parallel", text[i:j] + pattern.suffix) for i, j in items[:-1])
                    start = items[-1][0]
            if pattern.needs != "issued":  # 省级预算内基本建设投资管理办法: a document keeps its issuer's level
                start = _drop_prefix(text, start, match.start(), lex)
            if text[start] in _COMPLEMENT and start + 1 < match.start() and start > 0 \
                    and "\u4e00" <= text[start - 1] <= "\u9fff":
                start += 1  # 落实好民营经济促进法, 建设好…: the verb's complement is no part of the name
            lead = next((w for w in lex.words["policy-lead"] if text.endswith(w, 0, start)), None)
            if pattern.cls == "Policy" and lead:
                start -= len(lead)  # 最严格的耕地保护制度: the degree is part of the policy's name
            if pattern.cls == "Event" and text.endswith("党的", 0, start):
                start -= 2  # 党的十七届三中全会: the party's plenum is named with 党的 (as 党的十九大 in events.ttl)
            formula = _FORMULA_AT_END.search(text[start:match.start()])
            if formula and formula.start() > 0 and text[start + formula.start() - 1] != _CLOSE \
                    and _COUNTS.search(formula.group(1).replace("一体", "")):  # not “感存算一体化”
                start += formula.start()  # 成果评奖“四评”改革: the quoted formula and its suffix are the name
            if pattern.cls in ("Place", "Goal", "Project"):
                start = _after_place_verb(text, start, match.start(), lex)  # 荆州建设国家…试验区: what 荆州 builds
            quoted = start > 0 and text[start - 1] == _OPEN and text[end:end + 1] == _CLOSE
            if match.start() - start < (min(pattern.min_name, 2) if quoted else pattern.min_name):
                continue
            name = text[start:end]
            stem = text[start:match.start()]
            if _FORMULAS.fullmatch(stem) \
                    and all(_COUNTS.search(q) for q in re.findall(rf"{_OPEN}([^{_CLOSE}]+){_CLOSE}", stem)):
                continue  # “拨改投”“补转股”改革: two formulas, each a name of its own (not “米袋子”“菜篮子”责任制)
            bare = stem.replace(_OPEN, "").replace(_CLOSE, "")
            # (a goal is named by a quality: 创新之城, although 创新 alone names no project or place)
            if name in lex.generic or (stem in lex.generic and pattern.cls != "Goal") \
                    or bare.strip("0123456789") in ("", "新", "大"):
                continue
            if any(name.endswith(g) for g in lex.generic_heads(pattern.suffix)):
                continue  # 让乡村, 若干城市公园: a generic noun longer than the suffix ends the name
            if pattern.cls != "Policy" and _generic_kind(name, pattern.suffix, lex):
                continue  # 省技术创新中心, 国家级零碳园区: a kind with generic modifiers (现代企业制度 is a policy)
            if pattern.cls in ("Project", "Place", "Organization") \
                    and text.endswith(lex.words["kind-quantifier"], 0, start):
                continue  # 一批科创平台, 更多直播电商中心: things counted by the batch are of a kind, not named
            if re.match(_NUMERAL + r"+大", bare) or (pattern.cls == "Industry" and re.search(_NUMERAL + r"+大", bare)):
                continue  # 六大工程; 畜牧、蔬菜、果品三大优势产业: the items of a list, counted
            if any(size in bare for size in lex.words["size"]) or re.search(r"(?<!升)级$|\+", bare):
                continue  # 千亿级, 省级: a size or a rank (but 产业升级工程 is a name)
            if re.match(r"[0-9]", bare) and pattern.cls not in ("Event", "Project") and not stem.startswith(_OPEN):
                continue
            if pattern.cls == "Industry" and bare.endswith("业"):
                continue  # 汽车产业制造业: two sectors run together, not one
            last = re.split("[与和及]", bare)[-1]
            if pattern.cls == "Industry" and (len(last) < 2 or last in lex.generic):
                continue  # 创新策源与产业, 基础设施与新兴产业: the suffix ends a coordination, not a name
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
            if pattern.needs == "quoted":  # “重点项目建设质量年”活动: a quoted name makes the activity a named one
                opening = text.rfind(_OPEN, 0, match.start())
                inside = text[opening + 1:match.start() - 1]
                if not text.endswith(_CLOSE, 0, match.start()) or opening < 0 or any(
                        inside.endswith(p.suffix) for p in lex.patterns if p.cls == pattern.cls):
                    continue  # not 各类活动; “818金秋购车节”活动 is the 购车节 itself
                start = opening  # 系列“雄安行”活动: the name opens with the quote
            if pattern.needs == "rail" and not (name.startswith(lex.words["rail"])
                                                or re.match(r"[A-Z]+[0-9]*线", name)):
                continue
            if (start, end) not in spans:
                spans.add((start, end))
                yield Cand(start, end, pattern.cls, "rule")


def _after_place_verb(text: str, start: int, stop: int, lex: Lexicon) -> int:
    """Where a name that opens with a lexicon place and a verb really starts: after the verb (支持黄冈、荆州建设国家
    中医药传承创新发展试验区: 荆州 builds the zone, whose name is 国家中医药传承创新发展试验区); ``start`` otherwise.

    >>> from kg.extract.lexicon import load_lexicon
    >>> text = "支持武汉建设国家数字经济创新发展试验区"
    >>> text[_after_place_verb(text, 2, text.index("试验区"), load_lexicon()):]
    '国家数字经济创新发展试验区'
    """
    for form in _forms_at(text, start, lex):
        at = start + len(form)
        if lex.entries[lex.forms[form]].cls != "Place" or at >= stop:
            continue
        for word, kind in lex.boundaries_by_first.get(text[at], ()):
            if kind in _VERB_KINDS and text.startswith(word, at) and stop - at - len(word) >= 2:
                return at + len(word)
    return start


def _ends_with_boundary(text: str, k: int, lex: Lexicon) -> tuple[str, str] | None:
    """The longest boundary word (and its kind) that ends at ``k``, unless it sits inside a ``word`` row
    (同 in 协同)."""
    return next(((w, kind) for w, kind in lex.boundaries_by_last.get(text[k - 1], ()) if text.endswith(w, 0, k)
                 and not _inside_word(text, k, w, lex)), None) if k > 0 else None


def _inside_word(text: str, k: int, word: str, lex: Lexicon) -> bool:
    """Whether the boundary ``word`` ending at ``k`` sits inside a ``word`` row of boundary-words.csv
    (等 in 高等, 对 in 对外, 同 in 协同): then it is no boundary."""
    return any(text.startswith(w, a) for w in lex.unbroken_words if word in w
               for a in range(max(0, k - len(w)), k - len(word) + 1))


def _inner_word_start(text: str, start: int, suffix_at: int, limit: int, lex: Lexicon, cls: str) -> tuple[int, bool]:
    """Where a name of a named kind (``named-kind`` suffixes: 机制, 制度, 试点, 改革, 示范区 …) begins when
    the word that stopped the scan sits inside it (``inner-word``: 建设, 基本, 全面, 和 …): right after a
    noun (草原基本经营制度改革, 国家数据基础设施建设先行先试试点, 石保廊全面创新改革试验区), not after another
    boundary word, an adverb in 地 or at a clause's start (建立健全…, ，全面深化改革), and the part before it
    is no name of its own (主体功能区制度和生态补偿机制 are two) nor a generic noun. Across 和/与 both
    halves are more than a word, and neither is a name nor ends like one (自动驾驶和车路云一体化试点, 省财政直接
    管理和县乡财政体制改革, 全国平安建设先进区和…示范区 are two). Also says whether a word other than a join
    was crossed: such a name is no list's last item.

    >>> from kg.extract.lexicon import load_lexicon
    >>> text = "继续推进草原基本经营制度改革"
    >>> start, crossed = _inner_word_start(text, 8, 12, 20, load_lexicon(), "Policy")
    >>> text[start:], crossed
    ('草原基本经营制度改革', True)
    >>> text = "建立未来产业投入增长和风险分担机制"
    >>> text[_inner_word_start(text, 11, 15, 24, load_lexicon(), "Policy")[0]:]
    '未来产业投入增长和风险分担机制'
    """
    suffixes, name_ends = lex.name_suffixes  # not an industry's (未来产业投入)
    crossed = False
    while True:
        found = _ends_with_boundary(text, start, lex)
        if found is None or found[0] not in lex.words["inner-word"]:
            return start, crossed
        word = found[0]
        k = start - len(word)
        if k < 2 or text[k - 1] in _STOP or text[k - 1] == "地":
            return start, crossed
        right = text[start:suffix_at]
        joined = word in ("和", "与")
        if joined and (len(right) < 2 or right in lex.forms or right.endswith(suffixes) or _OPEN in right):
            return start, crossed
        previous = _ends_with_boundary(text, k, lex)
        if previous is not None:  # 跨区域协同投入和财税分享机制: one inner word after another
            if previous[0] not in lex.words["inner-word"] or previous[0] in ("和", "与"):
                return start, crossed
            start, crossed = k, crossed or word not in ("和", "与")
            continue
        before = _left_edge(text, k, lex, limit - (suffix_at - k), cls=cls)
        if before is None:
            return start, crossed
        left = text[before:k]
        if len(left) < 2 or left.endswith(suffixes) or left in lex.generic or re.match(_NUMERAL, left) \
                or (joined and (left in lex.forms or _ends_in_policy(left, lex) or left[-1] in name_ends)):
            return start, crossed
        start, crossed = before, crossed or word not in ("和", "与")


def _ends_in_policy(name: str, lex: Lexicon) -> bool:
    """Whether ``name`` ends in a policy of the lexicon (地方政府举债终身问责制 ends in 问责制)."""
    return any(name[-n:] in lex.forms and lex.entries[lex.forms[name[-n:]]].cls == "Policy"
               for n in range(3, min(len(name), 10) + 1))


def _issued_start(text: str, end: int, limit: int, lex: Lexicon) -> int | None:
    """Where a document named after the verb that issues or carries it out begins (``issue`` words of
    entity-words.csv): 出台优化气价改革举措 → 优化气价改革举措. A document joined by 及/和 to one before
    it is named from the join (落实民营经济促进法及促进民间投资发展措施 → 促进民间投资发展措施). ``None``
    without such a verb in the clause, or when the stem is short, counted or generic (落实各项措施).

    >>> from kg.extract.lexicon import load_lexicon
    >>> text = "落实好深化水价机制改革意见"
    >>> text[_issued_start(text, 11, 24, load_lexicon()):]
    '深化水价机制改革意见'
    """
    window = max(0, end - limit)
    verb_at, verb = max(((text.rfind(v, window, end), v) for v in lex.words["issue"]), default=(-1, ""))
    if verb_at < 0:
        return None
    start = verb_at + len(verb)
    also = next((f"{joint}{v}" for v in lex.words["launch"] for joint in ("", "并")
                 if text.startswith(joint + v, start)), "")
    start += len(also)  # 制定(并)实施新基建三年行动方案: the second verb carries the document out, no part of it
    stem = text[start:end]
    joined = max(stem.rfind("及"), stem.rfind("和"))
    if joined >= 0:
        start, stem = start + joined + 1, stem[joined + 1:]
    if len(stem) < 4 or _STOP.intersection(stem) or re.match(_NUMERAL, stem) or "等" in stem \
            or stem.startswith(("各", "相关", "有关", "一系列", "一批", "政策")) or stem in lex.generic \
            or "的" in stem or stem.endswith("政策"):  # 支持非公有制经济发展的政策措施: a description of measures
        return None
    return start


def _coordinated(text: str, cands: list[Cand], lex: Lexicon) -> Iterator[Cand]:
    """雄商、雄忻高铁; 金凤、嘉陵江、明月湖实验室: short items listed before a line, a road or a
    laboratory (``line`` and ``shared-name`` words of entity-words.csv) share its class."""
    for cand in cands:
        name = text[cand.i:cand.j]
        if not ((cand.cls == "Project" and name.endswith(lex.words["line"]))
                or name.endswith(lex.words["shared-name"])):
            continue
        # the item is named with the suffix it shares: 雄商 is 雄商高铁, 京唐 is 京唐城际 (the key its IRI
        # is minted from; the mention keeps the text as written)
        suffix = max((w for w in (*lex.words["line"], *lex.words["shared-name"]) if name.endswith(w)), key=len)
        end = cand.i
        while end > 0 and text[end - 1] == "、":
            start = _left_edge(text, end - 1, lex, 6, cls=cand.cls)
            if start is None or not 2 <= end - 1 - start <= 4:
                break
            item = text[start:end - 1]
            yield Cand(start, end - 1, cand.cls, "shared", None if item.endswith(suffix) else item + suffix)
            end = start


_BEFORE_HUA = "业代优绿美强深转净亮硬固细活量"  # 产业化, 优化, 绿化, 强化, 深化, 转化 …: 化 ends a verb here
_POLICY_TAIL = re.compile(r"(?!配套)[\u4e00-\u9fff]{0,8}?政策(?!性)")  # …改革配套政策: other policies, in support


def _lexicon_candidates(text: str, lex: Lexicon) -> Iterator[Cand]:
    longest = 28  # 学习贯彻习近平新时代中国特色社会主义思想主题教育 (24)
    forms, prefixes = lex.forms, lex.form_prefixes
    for a in range(len(text)):
        if text[a:a + 2] not in prefixes and text[a] not in forms:
            continue  # no form starts here (the walk below would stop by the second character)
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
        if form.startswith("化") and a > 0 and text[a - 1] in _BEFORE_HUA:
            continue  # 化工 in 高新技术产业化工程, 人居环境优化工程: the 化 of 产业化, 现代化, 优化
        if entry.cls == "Industry" and form.endswith("工") and text.startswith(("程", "作"), b):
            continue  # 化工 in 一体化工程, 文化工程: the 工 of 工程, 工作
        if entry.cls == "Industry" and text.startswith("化", b) and not text.startswith(("化工", "化纤"), b):
            continue  # 工业化, 信息化: a process, not the industry
        if entry.cls == "Organization" and form.endswith("部") and text.startswith(("门", "署", "队"), b):
            continue  # 财政部门, 建设部署, 公安部队: a department, a plan or a force, not the ministry
        if form in lex.context_only and not _sector_follows(text, b, lex):  # 服务业增加值: a statistic's sector
            continue
        if entry.cls == "Industry" and form.endswith("消费") and text.endswith("等", 0, a):
            continue  # 数字家庭、在线教育等信息消费: the kind a list closes with is its hypernym, not one more item
        yield Cand(a, b, entry.cls, "lexicon", label)
        if entry.cls == "Industry" and a > 1:
            # 智慧农业, 新型建材, 高技术制造业: a modifier of industry-modifier right before an industry, at the
            # start of a name, names a branch of it
            modifier = next((m for m in lex.words["industry-modifier"] if text.endswith(m, 0, a)), None)
            if modifier and _left_edge(text, a, lex, 8, cls="Industry") == a - len(modifier):
                yield Cand(a - len(modifier), b, "Industry", "rule")
        if entry.cls == "Policy" and (tail := _POLICY_TAIL.match(text, b)) \
                and _left_edge(text, tail.end() - 2, lex, tail.end() - a, cls="Policy") == a:
            # 企业所得税政策, 个人所得税专项附加扣除政策: a policy of the lexicon named as a 政策 is that policy
            yield Cand(a, tail.end(), "Policy", "rule")
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
        if not (match.group(0).endswith("市") and text.startswith("场", match.end())):  # 资本市场 holds no 本市
            yield Cand(match.start(), match.end(), "Place", "rule")


def _title_candidates(text: str, lex: Lexicon) -> Iterator[Cand]:
    """《…》 titles of documents (``document-end`` words of entity-words.csv): 《河北省…规划纲要（草案）》 is a
    policy, 《山海情》 a work, no entity.

    >>> from kg.extract.lexicon import load_lexicon
    >>> text = "出台《促进民营经济发展条例（试行）》，推出《山海情》等精品力作"
    >>> [text[c.i:c.j] for c in _title_candidates(text, load_lexicon())]
    ['促进民营经济发展条例（试行）']
    """
    for match in _BOOK_TITLE.finditer(text):
        name = _TITLE_NOTE.sub("", match.group(1))
        if name.endswith(lex.words["document-end"]):
            yield Cand(match.start(1), match.end(1), "Policy", "title")


# A quoted formula or slogan that counts (“两新”, “三去一降一补”, “1+N”, “拨改投”), standing alone or before the
# words of putting it to work (“四大板块”发展, “退二进三”步伐, “补转股”改革): the quote marks and the number are
# the name; 、 may join parts that each count (“走一步、看两步、想三步”). A quoted word before other words is
# left to the name shapes (“千项万亿”重大项目, “十三五”时期); a quote without a number is a figure of speech
# (“城市病”), and so is a distance (“最后一公里”) or a bare number.
_QUOTED = re.compile(r"“([^“”，。；：！？\s]{2,16})”"
                     r"(?=[，。；：！？、和及与等的“”）)［\[]|改革|发展|步伐|实施|改造|监管|协同|融合|战略|提质|$"
                     # a counted formula as the subject or object of a verb: “一网统管”实现新突破, “两张网”全面投入使用,
                     # 坚持“四集中”原则, “多校一圈”建设路径, “两翼”带动, 坚持“走一步、看两步、想三步”加强项目谋划
                     r"|建设|原则|带动|保护|全面|实现|向|加强|深入)")
_COUNTS = re.compile(r"[0-9一二两三四五六七八九十百千万+＋]|[改转]")
_NOT_FORMULA = re.compile(r"^[0-9]+$|公里|米$")


_HOSTED = re.compile(r"“([^“”，。；：！？、\s]{2,8})”")


def _listed_from(text: str, at: int, quoted: re.Pattern[str]) -> int:
    """Where the run of quoted names that ends with the one opening at ``at`` begins (“村超”“村BA”, “A”、“B”)."""
    while at > 0 and text[at - 1] in "、和”":
        opening = text.rfind("“", 0, at - 1)
        if opening < 0 or not quoted.fullmatch(text, opening, text.find("”", opening) + 1):
            break
        at = opening
    return at


def _hosted_candidates(text: str, lex: Lexicon) -> Iterator[Cand]:
    """办好“浙BA”、城市足球联赛, 举办“村超”“村BA”: a short quoted name right after a ``host`` verb of
    entity-words.csv, or listed right after such a name, is an event (a counted formula is a policy's name)."""
    hosts = lex.words["host"]
    for match in _HOSTED.finditer(text):
        at = _listed_from(text, match.start(), _HOSTED)
        hosted = text.endswith(hosts, 0, at) or text.endswith(tuple(h + "了" for h in hosts), 0, at)
        if hosted and not _COUNTS.search(match.group(1)):
            yield Cand(match.start(1), match.end(1), "Event", "title")


_SLOGAN = re.compile(r"“([\u4e00-\u9fff]{2,8}(?:、[\u4e00-\u9fff]{2,8})?)”")
_PRACTICE_WORDS = re.compile(r"事项|出让|检查|模式|做法|改革|机制|制度")  # “立等可取”事项, “标准地”出让


def _practised_candidates(text: str, lex: Lexicon) -> Iterator[Cand]:
    """A quoted slogan of government practice is a policy's name, counted or not: right after a ``practise``
    verb of entity-words.csv, or listed with such a slogan (推行“拿地即开工”“交地即交证”), or right before a
    practice word (“立等可取”事项52项, 加大“标准地”出让力度). Quoted words elsewhere are figures of speech
    (“城市病”, 热门消费“打卡地”), and so is one before another noun (实行“三公”经费限额管理).

    >>> from kg.extract.lexicon import load_lexicon
    >>> text = "推行“拿地即开工”“交地即交证”，加大“标准地”出让力度，破解“城市病”。"
    >>> [text[c.i:c.j] for c in _practised_candidates(text, load_lexicon())]
    ['拿地即开工', '交地即交证', '标准地']
    """
    verbs = lex.words["practise"]
    for match in _SLOGAN.finditer(text):
        at = _listed_from(text, match.start(), _SLOGAN)
        alone = text[match.end():match.end() + 1] in ("", *"，。；、“和及")  # not before a noun: “三公”经费
        if _PRACTICE_WORDS.match(text, match.end()) or (alone and text.endswith(verbs, 0, at)):
            yield Cand(match.start(1), match.end(1), "Policy", "title")


# A formula joined by + or × names the way of working after it with it (“节水滴灌+密植”模式, “科学家+工程师”团队,
# “行业管理+社区+物业”联动机制): the words of such a way, up to two describing characters before them.
_JOINED_FORMULA = re.compile(r"“[^“”，。；：！？\s]{0,16}[+＋×][^“”，。；：！？\s]{0,16}”")
_FORMULA_WAY = re.compile(r"(?!等)[\u4e00-\u9fff]{0,2}?(?:行动|模式|改革|机制|体系|团队|联合体|计划|试点)"
                          r"(?![\u4e00-\u9fff]{0,1}[化性])")


def _quoted_candidates(text: str) -> Iterator[Cand]:
    """“两新”, “三去一降一补”, “1+N”: counted formulas (see _QUOTED); one joined by + or × keeps the way of
    working named right after it (“节水滴灌+密植”模式 → 节水滴灌+密植模式).

    >>> text = "推广“节水滴灌+密植”模式，组建“科学家+工程师”团队。"
    >>> [text[c.i:c.j] for c in _quoted_candidates(text)]
    ['“节水滴灌+密植”模式', '“科学家+工程师”团队']
    """
    named = set()  # where a formula named with its way of working opens
    for match in _JOINED_FORMULA.finditer(text):
        if way := _FORMULA_WAY.match(text, match.end()):
            named.add(match.start())
            yield Cand(match.start(), way.end(), "Policy", "title")
    for match in _QUOTED.finditer(text):
        body = match.group(1)
        if all(_COUNTS.search(part) for part in body.split("、")) and not _NOT_FORMULA.search(body) \
                and match.start() not in named:
            yield Cand(match.start(1), match.end(1), "Policy", "title")


_DEGREE = ("水平", "高质量")  # a degree right before a goal named as a quality of a place


def _goal_candidates(text: str, lex: Lexicon) -> Iterator[Cand]:
    """健康嘉定, 数字湖北: a quality and a place, at the start of a clause or after 的 or a verb (推动数字湖北建设)."""
    for prefix in lex.goal_prefixes:
        if prefix not in text:
            continue
        for match in _literal(prefix).finditer(text):
            for b in range(min(len(text), match.end() + 6), match.end(), -1):
                label = lex.forms.get(text[match.end():b])
                if label and lex.entries[label].cls == "Place" \
                        and (match.start() == 0 or text[match.start() - 1] in _STOP | {"的"}
                             or text.endswith(_DEGREE, 0, match.start())  # 建设更高水平平安西藏
                             or any(text.endswith(word, 0, match.start()) for word, kind in lex.boundaries
                                    if kind in _VERB_KINDS)):
                    yield Cand(match.start(), b, "Goal", "goal")
                    break


_TITLE = re.compile(r"[^，。；：！？、“”《》（）()\s]{4,24}")


def _titles_before_campaign(text: str, lex: Lexicon) -> Iterator[Cand]:
    """A title named right before the campaign to win it is a goal too: 文明城市、卫生城市、森林城市创建活动,
    创业型城区创建, 巩固国家卫生区镇创建成果 — each 、-item before 创建 that ends like a title or a name.

    >>> from kg.extract.lexicon import load_lexicon
    >>> text = "深入开展文明城市、卫生城市、森林城市创建活动。"
    >>> [text[c.i:c.j] for c in _titles_before_campaign(text, load_lexicon())]
    ['森林城市', '卫生城市', '文明城市']
    """
    if "创建" not in text:
        return  # most sentences: the tuple below is built only where a campaign is named
    ends = (*(p.suffix for p in lex.patterns), *lex.words["title-end"])
    for match in re.finditer("创建", text):
        end = match.start()
        while end > 0:
            start = _left_edge(text, end, lex, 16)
            start = start if start is None else _drop_prefix(text, start, end, lex)  # 新一轮示范村创建
            if start is None or end - start < 4 or not text.endswith(ends, start, end) \
                    or text.endswith(("建设", "发展"), 0, start) or text[start:end] in lex.generic \
                    or re.search(r"[0-9十百千万][个家所座批]$", text[:start]):
                break  # 国家社会信用体系建设示范城市: cut at 建设; 100个乡村振兴示范村创建: counted, a kind
            yield Cand(start, end, "Goal", "goal")
            if start == 0 or text[start - 1] != "、":
                break
            end = start - 1


_TITLE_COUNT = re.compile(r"(?:\d+|[一二两三四五六七八九十]+)(?:多|余)?(?:个|家|项|所|座|名|处)")


_AT_LEAST_RANK = re.compile(r"(?:国家|省|市|区|县)级及以上(?=.{3})")


def _title_goals(text: str, lex: Lexicon) -> Iterator[Cand]:
    """A title a place strives to win is a goal: 争创国家高新区, 创建全国文明城区、国家卫生区镇 — after a
    ``title`` verb of entity-words.csv, each 、-item that starts with a rank (national words, 省级, 市级)
    up to the end of the clause.

    >>> from kg.extract.lexicon import load_lexicon
    >>> text = "支持武汉争创国家服务贸易创新发展示范区、国家数字贸易示范区。"
    >>> [text[c.i:c.j] for c in _title_goals(text, load_lexicon())]
    ['国家服务贸易创新发展示范区', '国家数字贸易示范区']
    """
    verbs = [verb for verb in lex.words["title"] if verb in text]
    if not verbs:
        return  # most sentences: the tuples below are built only where a title verb stands
    ranks = (*lex.words["national"], *lex.words["rank"])
    ends = (*(p.suffix for p in lex.patterns), *(h.head for h in lex.list_heads), *lex.words["title-end"])
    for verb in verbs:
        for match in re.finditer(re.escape(verb), text):
            at = match.end()
            at += next((len(w) for w in lex.words["batch"] if text.startswith(w, at)), 0)  # 入选首批…: no part
            if count := _TITLE_COUNT.match(text, at):
                at = count.end()  # 新增11个全国县域商业领跑县: the titles won, counted
            while text.startswith(ranks, at):
                item = _TITLE.match(text, at)
                if item is None or text.startswith("“", item.end()):
                    break  # 入选国家第二期“双高计划”: the quoted name is the title
                stop = item.end()
                joined = next((k for k in range(at + 4, stop)
                               if text[k] in "和及" and text.startswith(ranks, k + 1)), None)
                stop = joined or stop  # 全国平安建设先进区和国家公共文化服务体系示范区: two titles
                name = next((b for b in range(stop, at + 3, -1) if text.endswith(ends, at, b)), None)
                if name is None:
                    break  # 市级乡村振兴示范村任务过半 ends in 示范村
                least = _AT_LEAST_RANK.match(text, at, name)  # 省级及以上旅游度假区: the title is what follows
                yield Cand(least.end() if least else at, name, "Goal", "goal")
                if text[stop:stop + 1] not in ("、", "和", "及") or name != stop:
                    break
                at = stop + 1


def _holds_industry(item: str, lex: Lexicon) -> bool:
    """大数据与物联网 holds 大数据, 电力 the everyday word 电力 (an item of a list is where it names an
    industry); 政府债务 holds no industry of the lexicon.

    >>> from kg.extract.lexicon import load_lexicon
    >>> [_holds_industry(item, load_lexicon()) for item in ("大数据与物联网", "电力", "政府债务")]
    [True, True, False]
    """
    return any(lex.entries[lex.forms[form]].cls == "Industry" for form in _lexicon_forms_in(item, lex, everyday=True))


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


def _first_item(text: str, a: int, b: int, lex: Lexicon) -> tuple[int, int]:
    """The first item of a list of industries without the verbs before it: 细化分解工业、房地产… starts
    at 工业, the longest industry of the lexicon ending the item (kept whole when none ends it, when the
    item is itself a lexicon name, or when the words cut off name something: 大数据与物联网).

    >>> from kg.extract.lexicon import load_lexicon
    >>> text = "细化分解工业、房地产"
    >>> text[slice(*_first_item(text, 0, 6, load_lexicon()))]
    '工业'
    """
    if text[a:b] in lex.forms:
        return a, b
    for k in range(a, b - 1):
        label = lex.forms.get(text[k:b])
        if label and lex.entries[label].cls == "Industry":
            # 大数据与物联网 stays whole: what is cut off must name nothing
            return (a, b) if any(_lexicon_forms_in(text[a:k], lex, everyday=True)) else (k, b)
    return a, b


_CLAUSE = re.compile(r"[^，。；：！？,.;:!?\s]+")
_ITEM = 10  # the longest item of a list of industries
_NAMED_ITEM = 16  # the longest item of a list of projects, places or organisations


def _industry_form(item: str, lex: Lexicon) -> bool:
    label = lex.forms.get(item)
    return label is not None and lex.entries[label].cls == "Industry"


def _leading_industry(text: str, a: int, b: int, lex: Lexicon) -> int | None:
    """End of the longest industry of the lexicon starting at ``a`` (before ``b``): 功率器件 in 功率器件上量发展."""
    return next((k for k in range(min(b, a + _ITEM), a + 1, -1) if _industry_form(text[a:k], lex)), None)


def _hypernym_after(text: str, at: int, lex: Lexicon) -> bool:
    """Whether ``等`` at ``at`` is followed by an industry of the lexicon that the listed items are kinds of
    (光伏、风电等新能源。, 保险、商务、科技等服务业): the clause ends after it, or a list head of industries
    follows it that lists no risks (股市、汇市异常波动等金融领域的风险: ``not-industry-head`` words). The items of
    庆铃、鑫源等商用车电动化 or 比亚迪等新能源汽车企业 are the makers, and those of 大湾、盘南等煤电项目 the
    projects, not kinds."""
    if not text.startswith("等", at):
        return False
    size = next((len(form) for form in _forms_at(text, at + 1, lex)
                 if lex.entries[lex.forms[form]].cls == "Industry"), 0)
    if size == 0:
        return False
    after = text[at + 1 + size:at + 1 + size + 4]
    if any(word in text[at:at + 1 + size + _LIST_WORDS] for word in lex.words["not-industry-head"]):
        return False
    return after[:1] in ("", *"，。；、") \
        or any(after.startswith(h.head) for h in lex.list_heads if h.cls == "Industry")


def _split_item(text: str, i: int, j: int, lex: Lexicon) -> list[tuple[int, int]]:
    """氢能和核聚变能 is two items; 新能源及新型储能 too, as both halves are industries of the lexicon;
    食品及农产品加工 is one (an industry of its own), and so is any lexicon name (软件和信息服务)."""
    if text[i:j] in lex.forms:
        return [(i, j)]
    joined = _AND.search(text[i:j])
    if joined is None:
        return [(i, j)]
    first, second = (i, i + joined.start()), (i + joined.end(), j)
    if joined.group(0) == "及" and not (_industry_form(text[slice(*first)], lex)
                                        and _industry_form(text[slice(*second)], lex)):
        return [(i, j)]
    return [first, second]


def _lists_industries(text: str, at: int, end: int, lex: Lexicon) -> bool:
    """Whether the head after 等 at ``at`` lets a list name industries: not risks or costs (等累积风险, 等成本,
    ``not-industry-head`` words) and not a head of names of another class (等重大项目, 等成果孵化平台)."""
    window = text[at:min(end, at + 1 + _LIST_WORDS)]
    if any(word in window for word in lex.words["not-industry-head"]):
        return False
    heads = sorted(((h.head, h.cls) for h in lex.list_heads), key=lambda h: -len(h[0]))
    first = min(((window.find(head), -len(head), cls) for head, cls in heads if head in window), default=None)
    return first is None or first[2] == "Industry"


def _industry_lists(text: str, lex: Lexicon) -> Iterator[Cand]:
    """A list of products or sectors without a typed head: 推动…服务器、化合物半导体、功率器件上量发展;
    水利、交通、通信等基础设施; 林业、畜牧业和水产业. When at least two items, and at least half of
    them, are industries of the lexicon (everyday words included), every item is an industry.

    >>> from kg.extract.lexicon import load_lexicon
    >>> text = "积极发展林业、畜牧业和水产业。"
    >>> [text[c.i:c.j] for c in _industry_lists(text, load_lexicon())]
    ['林业', '畜牧业', '水产业']
    """
    for clause in _CLAUSE.finditer(text):
        a, b = clause.span()
        body = text[a:b]
        if "、" not in body and not _AND.search(body):
            continue
        pieces = [(a + m.start(), a + m.end()) for m in _LIST_ITEMS.finditer(body)]
        items: list[tuple[int, int]] = []
        for n, (i, j) in enumerate(pieces):
            if n == len(pieces) - 1 > 0:
                cut = text.find("等", i, j)
                if cut > i:
                    j = cut
                elif not _industry_form(text[i:j], lex):
                    joined = _AND.search(text[i:j])
                    if joined and _industry_form(text[i:i + joined.start()], lex):  # 畜牧业和水产业
                        items.append((i, i + joined.start()))
                        i += joined.end()
                    end = _leading_industry(text, i, j, lex)
                    if end is None:
                        break
                    j = end
            elif "等" in text[i:j]:  # 能源、重要原材料等基础产业和水利、交通: a new list starts after 和
                join_at = max(text.rfind("和", i, j), text.rfind("及", i, j))
                items = []
                if join_at < text.find("等", i, j):
                    continue
                i = join_at + 1
            if n == 0 and len(pieces) == 1:  # 开发新能源和可再生能源: two items joined by 和
                joined = _AND.search(text[i:j])
                start = _left_edge(text, i + joined.start(), lex, _ITEM, cls="Industry") if joined else None
                end = _leading_industry(text, i + joined.end(), j, lex) if joined else None
                if joined and start is not None and end is not None:
                    start = _first_item(text, start, i + joined.start(), lex)[0]  # 开发新能源: 新能源
                    if _industry_form(text[start:i + joined.start()], lex):
                        items += [(start, i + joined.start()), (i + joined.end(), end)]
                break
            if n == 0:
                start = _left_edge(text, j, lex, _ITEM, cls="Industry")
                if start is None or start < i:
                    continue
                if start > 1 and text[start - 1] == " " and re.match(r"[A-Za-z]", text[start - 2]):
                    start = _left_edge(text, start - 1, lex, _ITEM, cls="Industry") or start  # AI PC
                i, j = _first_item(text, start, j, lex)
                joined_before = i > 1 and text[i - 1] in "和及与"
                before = _left_edge(text, i - 1, lex, _ITEM, cls="Industry") if joined_before else None
                if before is not None:  # 培育新能源及新型储能、…: 及 ended the first item's scan
                    first = _first_item(text, before, i - 1, lex)
                    if _industry_form(text[slice(*first)], lex):
                        items.append(first)
            items.append((i, j))
        kinds = bool(items) and _hypernym_after(text, items[-1][1], lex)
        if items and text.startswith("等", items[-1][1]) and not kinds \
                and not _lists_industries(text, items[-1][1], b, lex):
            continue
        items = [part for i, j in items for part in _split_item(text, i, j, lex)]
        if items:
            items[0] = _first_item(text, *items[0], lex)  # 培育新能源及新型储能: the first half loses its verb
        items = [(i, j) for i, j in items if 2 <= j - i <= _ITEM and not _DIGIT_OR_DENG.search(text[i:j])
                 and text[i:j] not in lex.generic]
        named = sum(_industry_form(text[i:j], lex) for i, j in items)
        if kinds:
            named = len(items)  # 铝镁、黄金、超高纯铜等有色金属项目: kinds of the sector named after 等
        if named >= 2 and 2 * named >= len(items):
            for i, j in items:
                yield Cand(i, j, "Industry", "list")


@lru_cache(maxsize=4)
def _later_head(heads: tuple[str, ...]) -> re.Pattern[str]:
    """A second head word a few name characters after a list's head that ends the noun phrase (…产业示范基地建设)."""
    return re.compile(rf"[^{_STOP_CLASS}0-9]{{0,6}}?(?P<head>{alternation(heads)})(?=[{_STOP_CLASS}]|建设|$)")


def _opens_with_place(item: str, lex: Lexicon) -> bool:
    """Whether a list item starts with a place name and has more after it (北戴河生命健康, not 北戴河)."""
    return any(item.startswith(form) and len(item) > len(form) and lex.entries[lex.forms[form]].cls == "Place"
               for form in _forms_at(item, 0, lex))


def _list_candidates(text: str, lex: Lexicon) -> Iterator[Cand]:
    """Items of a list with a typed head: 北管、周泾、毛桥3个村; 建筑、交通、制造业、商贸等11个行业."""
    if not _any_of(lex.list_head_words).search(text):
        return  # most sentences: no head word, so no list (the search below would try every position)
    list_head = _list_head(lex.words["list-quantifier"], lex.words["list-classifier"], lex.words["list-modifier"],
                           lex.list_head_words)
    heads = lex.heads_by_word
    k = 0
    while True:
        # search finds the next k where the head matches (as matching at each k would, in C); the
        # cheap checks after it: matching at every digit of a long number would be quadratic.
        head = list_head.search(text, k + 1)
        if head is None:
            break
        k = head.start()
        if (text[k - 1] in _STOP and text[k - 1] != _CLOSE) or text[k - 1] in _NUMERAL_CHARS:
            continue
        if not head.group(1) and not head.group(4):
            continue  # "X项目" is a name shape, not a list; only "X等…" or "X3个村" is a list
        cls = heads[head.group("head")].cls
        # 京津冀大数据、…等30个战略性新兴产业示范基地: the phrase ends with a second head (基地), and items that
        # open with a place name are those bases, not industries (软件产业、卫星导航等产业园区: industries)
        later = _later_head(lex.list_head_words).match(text, head.end()) if cls == "Industry" else None
        placed = heads[later.group("head")].cls if later and heads[later.group("head")].cls != "Industry" else ""
        if cls == "Event" and head.group("free") and any(w in head.group("free") for w in lex.words["offence"]):
            continue  # 电信网络诈骗、…等违法犯罪活动: offences, not events
        if head.group("free") and cls not in ("Industry", "Event") \
                and not (cls == "Project" and head.group(1) and head.group(3)):
            # 概念验证、中试熟化等成果孵化平台: kinds of platform; only industries, events (陕北过大年等特色文旅活动)
            # and projects counted after 等 (邯钢高炉煤气发电等73个国家和省支持的项目) are listed so loosely
            continue
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
                # 发展现代物流、…: a lead verb ends an industry; a project's name runs longer (法士特新能源汽车传动系统)
                start = _left_edge(text, end, lex, _ITEM if cls == "Industry" else _NAMED_ITEM, cls=cls)
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
        needs = heads[head.group("head")].needs
        # 林下经济、森林康养等业态: an item named …经济 is a sector even when the lexicon lacks it
        named = sum(_holds_industry(text[a:b], lex) or text.endswith("经济", a, b) for a, b in items)
        if (needs == "industry" and named < len(items)) or (needs == "most-industry" and 2 * named <= len(items)):
            continue  # 金融、政府债务等重点领域: areas of work, not industries, unless every item names one
        if cls != "Industry" and items and text.startswith("类", items[0][1]):
            continue  # 民生、科技、生态、安全类项目: categories of projects, not named ones
        if cls == "Industry" and items:
            items[-1] = _first_item(text, *items[-1], lex)
        for a, b in items:
            if text[a] == _OPEN and text[b - 1] == _CLOSE:
                a, b = a + 1, b - 1  # “全嘉来赛”: the name is inside the quotes
            item = text[a:b]
            if b - a >= 2 and not re.search(r"[0-9]", item) and item not in lex.generic:
                yield Cand(a, b, placed if placed and _opens_with_place(item, lex) else cls, "list")


def candidates(text: str, lex: Lexicon) -> list[Cand]:
    rules = list(_rule_candidates(text, lex))
    found = [*_title_candidates(text, lex), *_quoted_candidates(text), *_hosted_candidates(text, lex),
             *_practised_candidates(text, lex),
             *_lexicon_candidates(text, lex), *rules,
             *_road_codes(text),
             *_coordinated(text, rules, lex),
             *_coordinated_industries(text, rules, lex),
             *_goal_candidates(text, lex), *_title_goals(text, lex), *_titles_before_campaign(text, lex),
             *_list_candidates(text, lex), *_industry_lists(text, lex), *_relative_candidates(text, lex)]
    silenced = _not_place_spans(text, lex)
    return [c for c in found if (c.source not in ("rule", "list", "shared", "parallel") or _well_formed(text, c, lex))
            and not (c.source == "lexicon" and c.cls == "Place" and any(a <= c.i and c.j <= b for a, b in silenced))]


_ROAD_CODE = re.compile(r"(?<![A-Za-z0-9])[GS][0-9]{1,4}(?![0-9A-Za-z])")  # G318, S7: national and provincial roads


_ROAD_STRETCH = re.compile(r"[\u4e00-\u9fff]{2,6}至[\u4e00-\u9fff]{2,6}?段")


def _road_codes(text: str) -> Iterator[Cand]:
    """National and provincial roads named by their code (G109、G219、G318; S7沪崇高速 is longer and wins).

    >>> [text[c.i:c.j] for text in ["推进G109、G219改造，G214加卡至邦达机场段建成"] for c in _road_codes(text)]
    ['G109', 'G219', 'G214加卡至邦达机场段']
    """
    for m in _ROAD_CODE.finditer(text):
        stretch = _ROAD_STRETCH.match(text, m.end())  # G214加卡至邦达机场段: a stretch of the road, named with it
        yield Cand(m.start(), stretch.end() if stretch else m.end(), "Project", "rule")


def _not_place_spans(text: str, lex: Lexicon) -> list[tuple[int, int]]:
    """Where a phrase of ``not-place-phrases.csv`` stands: a place word inside is not the place
    (中国 in 中国特色社会主义 is no mention of China)."""
    if not _any_of(lex.not_places).search(text):
        return []  # most sentences: none of the phrases, found in one search
    return [(m.start(), m.end()) for phrase in lex.not_places if phrase in text
            for m in _literal(phrase).finditer(text)]


_VERB_KINDS = ("strong", "weak", "verb")
_DOCUMENTS = ("举措", "措施", "意见", "办法")  # names joined after another document (…促进法及促进民间投资发展措施)


_INNER_COUNT = re.compile(r"[^\d.]\d+大")
_SPAN_OPENING = re.compile(r"[\d一二两三四五六七八九十]+年(?:多|来|间|内|期间)")  # 两年多, 五年来; not 五年规划


def _well_formed(text: str, cand: Cand, lex: Lexicon) -> bool:
    """A shaped name neither ends nor starts with a conjunction (创新策源与, 与企业改革) nor starts with a verb
    (抢占低空经济)."""
    if text[cand.j - 1] in "与和及或、" or text[cand.i] in "与和及或":
        return False  # 创新策源与; 与企业改革 (企业技术改造与企业改革结合)
    if cand.i > 0 and cand.cls != "Event" and (text[cand.i - 1].isdigit() or (
            text[cand.i - 1] in "十百千万亿" and cand.i > 1 and text[cand.i - 2].isdigit())):
        return False  # 80万亩蔬菜…基地, 1000万千瓦光伏大基地, 2万平方米村: a name cut from the number before it
    verbs = (*lex.words["launch"], *lex.words["institute"], *lex.words["issue"])
    opening = cand.i  # 实施新一轮重点产业链高质量发展行动: a dropped modifier stands between the verb and the name
    opening -= next((len(w) for w, kind in lex.boundaries_by_last.get(text[opening - 1], ()) if opening
                     and kind == "prefix" and text.endswith(w, 0, opening)), 0)
    if cand.cls == "Policy" and (text.endswith(verbs, 0, opening) or (
            text[cand.i - 1:cand.i] in ("及", "和") and text.endswith(_DOCUMENTS, 0, cand.j))):
        return True  # 健全促进民营经济发展工作协调机制, 出台优化气价改革举措: launched or issued names open with verbs
    head = text[cand.i:cand.j]
    if cand.cls == "Place" and cand.source == "rule" and not _places_before(head, lex):
        return False  # 维护香港, 抢抓雄安新区, 治理淮河: a verb before a place of the lexicon is no name
    if cand.cls != "Event" and _ORDINAL_SESSION.match(head):
        return False  # 第四届黄河(流域…活动): only an event is counted by its sessions
    if _SPAN_OPENING.match(head):
        return False  # 两年多试点证明, 五年来改革: a span of time opens no name
    if _INNER_COUNT.search(head):
        return False  # 武汉农村综合产权交易所7大要素交易服务平台: a count inside starts a list of its own
    if head.startswith(lex.unbroken_words):
        return True  # 对外开放新高地: 对 opens the word 对外, no verb
    return not any(head.startswith(word) and len(head) > len(word) + 1
                   for word, kind in lex.boundaries_by_first.get(head[:1], ())  # only these can start head
                   if kind in _VERB_KINDS and lex.forms.get(head[: len(word) + 2]) is None)


def _places_before(name: str, lex: Lexicon) -> bool:
    """Whether what stands before a lexicon place that ends a shaped place name ends in a place too
    (上海浦东新区, 中国（河北）自由贸易试验区: the city and its district), or no lexicon place ends the name;
    not a verb or a word (维护香港, 有香港; but 大黑河: one character that is no verb names a river).

    >>> from kg.extract.lexicon import load_lexicon
    >>> _places_before("上海浦东新区", load_lexicon()), _places_before("治理淮河", load_lexicon())
    (True, False)
    """
    for k in range(1, len(name) - 1):
        label = lex.forms.get(name[k:])
        if label and lex.entries[label].cls == "Place":
            before = re.sub("[（）()]", "", name[:k])
            if len(before) == 1:
                return before not in lex.words["place-verb"]
            return any(lex.entries[lex.forms[before[m:]]].cls == "Place" for m in range(len(before) - 1)
                       if before[m:] in lex.forms)
    return True


def choose(cands: list[Cand]) -> tuple[list[Cand], list[tuple[Cand, Cand]]]:
    """Longest non-overlapping candidates, and (outer, inner) pairs for candidates nested in them."""
    chosen: list[Cand] = []
    for cand in sorted(cands, key=lambda c: (-c.length, _PRIORITY[c.source], c.i)):
        if all(cand.j <= c.i or cand.i >= c.j for c in chosen):
            chosen.append(cand)
    chosen.sort(key=lambda c: c.i)
    # a project a longer project's name opens with is a part of that name too (西安咸阳国际机场 of …T5航站楼)
    # inside a 《》 title only an industry is a part (《民营经济促进法》 is about 民营经济; its places are no sites)
    nested = [(outer, c) for outer in chosen for c in cands
              if outer.i <= c.i and c.j <= outer.j and c.length < outer.length
              and (outer.source != "title" or (c.source == "lexicon" and c.cls == "Industry"))
              and (c.source == "lexicon" or (c.source == "rule" and c.cls == outer.cls == "Project"
                                             and c.i == outer.i and c.length >= 4))]
    return chosen, nested
