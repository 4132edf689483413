"""Relations the text states between entities, each with its evidence sentence.

Three kinds of evidence, from strongest to weakest:

* **name** — the relation is stated inside a name: 安亭新院 is located in 安亭, 中德智能网联汽车
  推广应用中心 is in the 智能网联汽车 industry, 上汽大众MEB工厂 is run by 上汽大众, 南翔精准医学产业园二期
  is part of 南翔精准医学产业园, 中科院雄安创新研究院 part of 中科院, 电力体制改革 is about 电力; a place
  named before 园 inside a name located elsewhere (上海嘉定工业区温州园) or before another place in
  brackets (温州（嘉定）科创园) is a partner the park is named after, not where it is;
* **pattern** — the structure of the sentence: "举办X" (X organised by the government that
  speaks), "制定《X》" (X issued by it), "与Y合作推出X" (X partner of Y), "携手Y" (Y partner of the
  government), "在X建设Y" / "Y落户X" / "X镇的Y" (Y located in X), "在A、B等领域…X改革" (X about A
  and B); the marker words are the rows of ``data/lexicon/relation-words.csv``;
* **context** — a project or organisation with no industry in its name takes the industry named
  just before it in the same sentence.

Co-mention (two entities in one sentence) is kept apart by :func:`co_mentions`: it is a weaker
relation that analysis may use or ignore.

>>> from kg.extract.entities import Extraction, Mention, Part
>>> m = Mention("安亭新院", 7, 0, 4, 100, 104, "Project", "安亭新院", "rule")
>>> ext = Extraction((), (m,), (Part(m, "安亭镇", "Place", 0, 2),))
>>> find_relations(ext)
[Relation(subject='安亭新院', predicate='locatedIn', object='安亭镇', sentence=7, evidence='name')]
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations
from pathlib import Path

from kg.extract.entities import Extraction, Mention, Part
from kg.extract.lexicon import Lexicon, alternation, load_lexicon
from kg.extract.observations import load_rules
from kg.resources import lexicon_dir, read_rule_table
from kg.text.segment import Document
from kg.vocab.registry import RELATIONS

#: The stated relations, in their order in the ontology (kg.vocab.registry).
PREDICATES = RELATIONS
#: The roles of ``relation-words.csv`` (see its header).
VERB_ROLES = ("issue", "issue-also", "organise", "partner", "partner-with", "partner-lead", "branch", "namesake",
              "at", "build", "settle", "of", "field", "section", "launch", "legislation", "not-legislation",
              "around", "surround", "themed", "back", "back-verb", "same", "seat")

_CLAUSE = re.compile(r"[，；。：！？]")
_TITLE_MARKS = re.compile(r"[《》“”]|（[^（）]*）$|\([^()]*\)$")  # 《…条例（草案）》: the name inside
_CONTEXT_WINDOW = 40
_ABOUT_TOPICS = ("Industry", "Place", "Organization")  # what a policy can be about
_SITED = ("Project", "Organization", "Event")  # what can be located in a place (an event: where it is held)


@dataclass(frozen=True)
class VerbPatterns:
    """The marker patterns of :func:`find_relations`, built from ``relation-words.csv``."""

    issue: re.Pattern[str]  # 制定《 right before a policy
    organise: re.Pattern[str]  # 举办 right before an event
    partner: re.Pattern[str]  # 合作 right after 与X
    partner_with: re.Pattern[str] = re.compile(r"与$")  # 与 right before X
    partner_lead: re.Pattern[str] = re.compile(r"(?!)")  # 携手 right before X
    branch: tuple[str, ...] = ()  # an organisation's name + 研究院: part of it
    namesake: tuple[str, ...] = ()  # a place + 园 inside a name located elsewhere: a partner
    at: re.Pattern[str] = re.compile(r"(?!)")  # 在 right before a place
    build: re.Pattern[str] = re.compile(r"(?!)")  # 建设 right after 在X
    settle: re.Pattern[str] = re.compile(r"(?!)")  # 落户 between a project and a place
    of: tuple[str, ...] = ()  # 的 between a place and a project
    field: re.Pattern[str] = re.compile(r"(?!)")  # 等领域 after a list of industries
    section: tuple[str, ...] = ()  # 片区: a place named by another and ending with it is partOf it
    launch: re.Pattern[str] = re.compile(r"(?!)")  # 实施 right before a policy whose sentence lists its industries
    legislation: tuple[str, ...] = ()  # 条例, 法: a law or regulation, passed by a people's congress
    not_legislation: tuple[str, ...] = ()  # 办法: a government's rules, although it ends in 法
    around: tuple[str, ...] = ()  # 都市圈: a name ending so is the area around the place it names, not in it
    surround: tuple[str, ...] = ()  # 环: a place right after it inside a name is surrounded, not the site
    themed: tuple[str, ...] = ()  # 博物馆: a name ending so is about the river or mountain it names
    seat: tuple[str, ...] = ()  # 医院: after a later place, the branch is there (…第一人民医院酒泉医院: in 酒泉)
    back: tuple[str, ...] = ()  # 支持 right before places that then build or run what the verb after them names
    back_verb: tuple[str, ...] = ()  # 建设, 开展: after 支持 and places, the verb of what they build or run
    same: tuple[str, ...] = ()  # 区域: a place named by a place and this word is that place (长三角区域)


def load_verbs(folder: str | Path | None = None) -> VerbPatterns:
    """Read ``relation-words.csv`` from ``folder`` (default :func:`~kg.resources.lexicon_dir`) once.

    Raises :class:`~kg.errors.InputError` as ``file:line`` for a role outside :data:`VERB_ROLES`.

    >>> bool(load_verbs().issue.search("制定出台《")), bool(load_verbs().organise.search("举办了"))
    (True, True)
    """
    return _load_verbs(str(Path(folder) if folder else lexicon_dir()))


@lru_cache(maxsize=4)
def _load_verbs(folder: str) -> VerbPatterns:
    rows = read_rule_table(Path(folder) / "relation-words.csv", ("word", "role"), choices={"role": VERB_ROLES},
                           required=("word",))

    def words(role: str) -> str:
        return alternation(tuple(r["word"] for _, r in rows if r["role"] == role))

    def listed(role: str) -> tuple[str, ...]:
        return tuple(sorted((r["word"] for _, r in rows if r["role"] == role), key=lambda w: (-len(w), w)))

    return VerbPatterns(issue=re.compile(rf"({words('issue')})({words('issue-also')})?[《“]?$"),
                        organise=re.compile(rf"({words('organise')})[了“]?$"),
                        partner=re.compile(rf"(等[^，。；、与和]{{0,4}})?({words('partner')})"),
                        partner_with=re.compile(rf"({words('partner-with')})$"),
                        partner_lead=re.compile(rf"({words('partner-lead')})$"),
                        branch=listed("branch"), namesake=listed("namesake"),
                        at=re.compile(words("at")),
                        build=re.compile(rf"(了)?({words('build')})"),
                        settle=re.compile(rf"^(等[^，。；、]{{0,4}})?(正式|成功|顺利)?({words('settle')})(在|于)?$"),
                        of=listed("of"),
                        field=re.compile(rf"等(重点)?({words('field')})"),
                        section=listed("section"),
                        launch=re.compile(rf"({words('launch')})“?$"),
                        legislation=listed("legislation"), not_legislation=listed("not-legislation"),
                        around=listed("around"), surround=listed("surround"), themed=listed("themed"),
                        back=listed("back"), back_verb=listed("back-verb"), same=listed("same"),
                        seat=listed("seat"))


@dataclass(frozen=True)
class Relation:
    """``subject predicate object``, stated by sentence ``sentence`` (entity keys as labels)."""

    subject: str
    predicate: str
    object: str
    sentence: int
    evidence: str


def find_relations(
    extraction: Extraction, doc: Document | None = None, verbs: VerbPatterns | None = None,
) -> list[Relation]:
    """Relations stated by the text, in sentence order, without duplicates per sentence; ``verbs``
    defaults to :func:`load_verbs`."""
    verbs = verbs or load_verbs()
    found: list[Relation] = []
    found += _name_relations(extraction, verbs)
    if doc is not None:
        found += _pattern_relations(extraction, doc, verbs)
        found += _partner_relations(extraction, doc, verbs)
        found += _place_relations(extraction, doc, verbs)
        found += _backed_relations(extraction, doc, verbs)
        found += _field_relations(extraction, doc, verbs)
        found += _listed_policy_relations(extraction, doc)
        found += _launched_policy_relations(extraction, doc, verbs)
        found += _described_policy_relations(extraction, doc)
        found += _kinds_relations(extraction, doc)
        found += _context_relations(extraction, doc)
        found += _section_relations(extraction, verbs)
        found += _maker_relations(extraction, doc)
        found += _base_relations(extraction, doc)
    seen: set[tuple[str, str, str, int]] = set()
    unique = []
    for rel in sorted(found, key=lambda r: (r.sentence, PREDICATES.index(r.predicate), r.subject, r.object)):
        key = (rel.subject, rel.predicate, rel.object, rel.sentence)
        if key not in seen and rel.subject != rel.object:
            seen.add(key)
            unique.append(rel)
    return unique


def _broader(extraction: Extraction) -> dict[str, set[str]]:
    """Each entity's broader labels (what :func:`_narrowest` climbs)."""
    broader: dict[str, set[str]] = defaultdict(set)
    for entity in extraction.entities:
        broader[entity.key].update(entity.broader)
    return broader


def _narrowest(parts: list[Part], broader: dict[str, set[str]]) -> list[Part]:
    """Drop a place part that is broader than another part of the same name (中国 in 中国（上海）…);
    ``broader`` is :func:`_broader` of the extraction."""
    keys = {p.key for p in parts}

    def ancestors(key: str) -> set[str]:
        out, todo = set(), list(broader.get(key, ()))
        while todo:
            head = todo.pop()
            if head not in out:
                out.add(head)
                todo.extend(broader.get(head, ()))
        return out

    covered = set().union(*(ancestors(k) for k in keys)) if keys else set()
    return [p for p in parts if p.key not in covered]


def _own_places(extraction: Extraction) -> set[str]:
    """The place the government speaks for and the places above it: a policy named after them
    (河北省…条例) says nothing about what it is about."""
    gov = extraction.government or ""
    keys = {e.key for e in extraction.entities}
    own = {k for k in keys if k in gov and k != gov}  # 上海市 and 嘉定区 for 上海市嘉定区人民政府
    broader = {e.key: e.broader for e in extraction.entities}
    lex = load_lexicon()  # the government's own places and those above them, named in the report or not
    own |= {label for label in _government_places(gov, lex) if label != gov}
    broader |= {label: lex.entries[label].broader for label in own if label in lex.entries and label not in broader}
    todo = list(own)
    while todo:
        for parent in broader.get(todo.pop(), ()):
            if parent not in own:
                own.add(parent)
                todo.append(parent)
    return own


def _government_places(government: str, lex: Lexicon) -> set[str]:
    """The lexicon places a government's name holds (上海市, 嘉定区 in 上海市嘉定区人民政府)."""
    return {label for k in range(len(government)) for n in range(2, min(len(government) - k, 10) + 1)
            if (label := lex.forms.get(government[k:k + n])) and label == government[k:k + n]
            and lex.entries[label].cls == "Place"}


def _namesakes(mention: Mention, places: list[Part], verbs: VerbPatterns) -> set[Part]:
    """Places a name is named after rather than located in: one right before 园 with another place
    before it (上海嘉定工业区温州园), one followed by another place in brackets (温州（嘉定）科创园)."""
    out = set()
    name = mention.text
    for part in places:
        after = name[part.j - mention.i:]
        if after.startswith(verbs.namesake) and any(q.j <= part.i for q in places):
            out.add(part)
        if after.startswith(("（", "(")) and any(q.i == part.j + 1 and name[q.j - mention.i:].startswith(("）", ")"))
                                                for q in places):
            out.add(part)
    return out


def _parents(mention: Mention, places: list[Part], verbs: VerbPatterns) -> set[Part]:
    """The places of a parent institution named before a later place that seats its branch: neither the
    branch's site nor its partner (上海市第一人民医院酒泉医院 is in 酒泉; 四川大学华西医院西藏医院 in 西藏)."""
    name = mention.text
    seats = [q for q in places if name[q.j - mention.i:].startswith(verbs.seat)] if verbs.seat else []
    return {part for part in places if any(q.i >= part.j for q in seats)}


def _named_after(mention: Mention, part: Part, verbs: VerbPatterns) -> bool:
    """A place inside a name that the named thing is not located in: the centre of an area around it
    (武汉大都市圈, 石家庄都市圈), a place it surrounds (环京津高新技术产业带), either of two places joined by a
    dash (中国—中亚峰会), the river or mountain a
    museum or park is named after (长江博物馆, 黄河国家文化公园; a division, 延安革命纪念馆, still sites it)."""
    name = mention.text
    before, after = name[:part.i - mention.i], name[part.j - mention.i:]
    if name.endswith(verbs.around) or before.endswith((*verbs.surround, "—")) or after.startswith("—"):
        return True  # 中国—中亚峰会: the two places a dash joins are the parties, not the site
    entry = load_lexicon().entries.get(part.key)
    return name.endswith(verbs.themed) and not (entry and entry.code)


def _inside_other(part: Part, parts: list[Part]) -> bool:
    """A part inside another, longer part of the same name (工业 in 嘉定工业区 in …温州园)."""
    return any(q is not part and q.cls != "Project" and q.i <= part.i and part.j <= q.j and q.j - q.i > part.j - part.i
               for q in parts)


def _name_relations(extraction: Extraction, verbs: VerbPatterns) -> list[Relation]:
    by_mention: dict[Mention, list[Part]] = defaultdict(list)
    for part in extraction.parts:
        by_mention[part.mention].append(part)
    own = _own_places(extraction)
    above = {k for k in own if k not in (extraction.government or "")}  # 中国 above 上海市嘉定区
    broader = _broader(extraction)  # once, not once a mention
    out = []
    for mention, all_parts in by_mention.items():
        cls = mention.cls
        if mention.key == extraction.government:
            continue  # 嘉定区人民政府 is in 嘉定区: true, and says nothing
        parts = [p for p in all_parts if not _inside_other(p, all_parts)]
        places = _narrowest([p for p in parts if p.cls == "Place"], broader)
        parents = _parents(mention, places, verbs)
        places = [p for p in places if p not in parents]
        namesakes = _namesakes(mention, places, verbs) if cls in _SITED else set()
        located = [p for p in places if p not in namesakes] or places
        for part in places:
            if cls in _SITED and part.key in above:
                continue  # 复诺健中国研发总部 in a Jiading report: that it is in China says nothing
            if _named_after(mention, part, verbs):
                continue
            if cls in _SITED:
                predicate = "partnerOf" if part in namesakes and part not in located else "locatedIn"
                out.append(Relation(mention.key, predicate, part.key, mention.sentence, "name"))
            elif cls == "Place" and mention.source != "lexicon" and part.j < mention.j \
                    and mention.text[part.j - mention.i:] not in verbs.same:  # 长三角区域 is 长三角
                # (上海浦东新区 is 浦东新区, named with its city: the place ending the name is itself)
                # a lexicon place has its real parents (skos:broader); a place word inside its name
                # is no parent of it (南亚 in 东南亚). A zone, port or park named by its place lies in it
                # (雄安中关村科技园 locatedIn 雄安新区); a section of a place is part of it (…廊坊片区)
                predicate = "partOf" if mention.text.endswith(verbs.section) else "locatedIn"
                out.append(Relation(mention.key, predicate, part.key, mention.sentence, "name"))
        branch = mention.text.endswith(verbs.branch)
        for part in parts:
            if cls == "Policy" and part.cls in _ABOUT_TOPICS and part.key not in own \
                    and part.key != extraction.government and not (part.cls == "Organization" and part.i == mention.i):
                # 电力体制改革 is about 电力; 国务院部门权力和责任清单 about 国务院部门 (an organisation
                # opening a title is rather its issuer: 国务院关于…的意见)
                out.append(Relation(mention.key, "about", part.key, mention.sentence, "name"))
            elif part.cls == "Industry" and cls in ("Project", "Organization", "Place"):
                out.append(Relation(mention.key, "inIndustry", part.key, mention.sentence, "name"))
            elif part.cls == "Project" and cls == "Project" and part.i == mention.i:
                # the project a name starts with (…一期, 14号线（嘉定段）), not one named inside it
                out.append(Relation(mention.key, "partOf", part.key, mention.sentence, "name"))  # …一期
            elif part.cls == "Organization":
                if branch and cls in _SITED and part.i == mention.i:
                    out.append(Relation(mention.key, "partOf", part.key, mention.sentence, "name"))  # …研究院
                elif cls in ("Project", "Event"):
                    out.append(Relation(mention.key, "organizedBy", part.key, mention.sentence, "name"))
                elif cls == "Organization" and part.i == mention.i:
                    # 中科院山西煤化所 partOf 中科院; but 甘肃省政协 is the province's own body of a kind, no
                    # part of the body its name ends with
                    out.append(Relation(mention.key, "partOf", part.key, mention.sentence, "name"))
    return out


def _pattern_relations(extraction: Extraction, doc: Document, verbs: VerbPatterns) -> list[Relation]:
    government = extraction.government
    keys = {e.key for e in extraction.entities}
    texts = {s.index: s.text for s in doc.sentences}
    by_sentence: dict[int, list[Mention]] = defaultdict(list)
    for m in extraction.mentions:
        by_sentence[m.sentence].append(m)
    out = []
    for index, mentions in by_sentence.items():
        text = texts[index]
        for m in mentions:
            before = text[max(0, m.i - 8):m.i]
            # a 市/省-prefixed title names its issuer: 《市推进科技创新中心建设条例》 is the city's
            bare = _TITLE_MARKS.sub("", m.key)  # 《…条例（草案）》: the name inside
            law = bare.endswith(verbs.legislation) and not bare.endswith(verbs.not_legislation)
            if m.cls == "Policy" and m.key != m.text and m.text[:1] in "市区省县" and not law:
                issuer = m.key[: len(m.key) - len(m.text) + 1] + "人民政府"
                if issuer in keys:
                    out.append(Relation(m.key, "issuedBy", issuer, index, "name"))
                    continue
            if government and government in keys:
                lead = _listed_first(text, m, mentions)  # 办好A和B: the verb before A makes B too
                before = text[max(0, lead.i - 8):lead.i]
                own = _OWN_POLICY.search(text, max(0, m.i - 4), m.i)  # 我省“民营经济32条”: the province's own
                if m.cls == "Policy" and (verbs.issue.search(before) or own) and not law:
                    # 推动出台自治区数据条例: a law or regulation is passed by the people's congress, not issued
                    out.append(Relation(m.key, "issuedBy", government, index, "pattern"))
                if m.cls == "Event" and verbs.organise.search(before):
                    out.append(Relation(m.key, "organizedBy", government, index, "pattern"))
    return out


_LISTED = re.compile(r"[”]?[、和及与]?[“]?")
_OWN_POLICY = re.compile(r"(?:我|本)(?:省|市|区|县)(?:的)?[“《]?$")  # 我省“民营经济32条”: a policy the government made


def _listed_first(text: str, m: Mention, mentions: list[Mention]) -> Mention:
    """The first of the names of ``m``'s class listed with it (A、B和C; “A”“B”): a verb right before
    the first governs them all (办好太原能源低碳发展论坛和中国（太原）国际能源产业博览会)."""
    first = m
    while True:
        prev = next((o for o in mentions if o.j <= first.i and o.cls == m.cls
                     and _LISTED.fullmatch(text, o.j, first.i) and first.i - o.j <= 3), None)
        if prev is None or prev is first:
            return first
        first = prev


def _by_sentence(extraction: Extraction, doc: Document) -> list[tuple[str, list[Mention]]]:
    """Each sentence's text and its mentions in reading order (sentences with none left out)."""
    texts = {s.index: s.text for s in doc.sentences}
    grouped: dict[int, list[Mention]] = defaultdict(list)
    for m in extraction.mentions:
        grouped[m.sentence].append(m)
    return [(texts[i], sorted(ms, key=lambda m: m.i)) for i, ms in sorted(grouped.items())]


def _clause_end(text: str, at: int) -> int:
    end = _CLAUSE.search(text, at)
    return end.start() if end else len(text)


def _partner_relations(extraction: Extraction, doc: Document, verbs: VerbPatterns) -> list[Relation]:
    """与上汽大众合作推出“818金秋购车节”: the partners, then what they made together in the rest of
    the clause; with nothing made, the partners of whoever is named right before 与 (A与B合作), or of
    the government speaking. 携手X: X is the government's partner, or of what the clause makes."""
    government = extraction.government
    keys = {e.key for e in extraction.entities}
    out = []
    for text, mentions in _by_sentence(extraction, doc):
        for k, m in enumerate(mentions):
            if m.cls not in ("Organization", "Place"):
                continue
            lead = verbs.partner_lead.search(text, max(0, m.i - 2), m.i)
            marker = verbs.partner_with.search(text, max(0, m.i - 1), m.i)
            if not (lead or marker):
                continue
            partners = [m]
            for other in mentions[k + 1:]:
                if other.cls == partners[-1].cls and text[partners[-1].j:other.i] in ("、", "和", "及"):
                    partners.append(other)
                    continue
                break
            end = partners[-1].j
            if not lead and not verbs.partner.match(text, end):
                continue
            made = [o for o in mentions if end < o.i < _clause_end(text, end) and o.cls in ("Project", "Event")]
            subjects = [o.key for o in made]
            if not subjects and marker:
                subjects = [o.key for o in mentions if o.j == marker.start() and o.cls in ("Organization", "Place")]
            if not subjects and government and government in keys:
                subjects = [government]  # the government speaks as "we": 我们与X合作
            for subject in subjects:
                for p in partners:
                    out.append(Relation(subject, "partnerOf", p.key, m.sentence, "pattern"))
    return out


def _place_relations(extraction: Extraction, doc: Document, verbs: VerbPatterns) -> list[Relation]:
    """Located in a place the sentence names: 在X建设Y (the projects of the rest of the clause), Y落户X
    (Y and the names listed with it), X镇的Y."""
    out = []
    for text, mentions in _by_sentence(extraction, doc):
        for k, m in enumerate(mentions):
            if m.cls != "Place":
                continue
            if verbs.at.search(text, max(0, m.i - 1), m.i) and verbs.build.match(text, m.j):
                for o in mentions:
                    if m.j < o.i < _clause_end(text, m.j) and o.cls in _SITED:
                        out.append(Relation(o.key, "locatedIn", m.key, m.sentence, "pattern"))
            if text.startswith(verbs.of, m.j) and k + 1 < len(mentions):
                nxt = mentions[k + 1]
                if nxt.cls in _SITED and text[m.j:nxt.i] in verbs.of:
                    out.append(Relation(nxt.key, "locatedIn", m.key, m.sentence, "pattern"))
            before = [o for o in mentions if o.j <= m.i and verbs.settle.match(text[o.j:m.i])]
            if before and before[-1].cls in _SITED:
                listed = [before[-1]]
                for o in reversed([o for o in mentions if o.j <= listed[0].i]):
                    if o.cls == listed[0].cls and text[o.j:listed[0].i] == "、":
                        listed.insert(0, o)
                    else:
                        break
                for o in listed:
                    out.append(Relation(o.key, "locatedIn", m.key, m.sentence, "pattern"))
    return out


def _backed_relations(extraction: Extraction, doc: Document, verbs: VerbPatterns) -> list[Relation]:
    """支持邯郸建设生产服务型国家物流枢纽, 支持杭州、宁波、温州开展可信数据空间创新发展试点: the places a
    ``back`` verb supports, then a ``back-verb``: what comes right after is located in each place (a project
    or an organisation) or about it (a policy or a goal; an industry is neither)."""
    out = []
    for text, mentions in _by_sentence(extraction, doc):
        for k, m in enumerate(mentions):
            if m.cls != "Place" or not text.endswith(verbs.back, 0, m.i):
                continue
            places = [m]
            for o in mentions[k + 1:]:
                if o.cls == "Place" and text[places[-1].j:o.i] in _LIST_JOINS:
                    places.append(o)
                else:
                    break
            end = places[-1].j + (text.startswith("等", places[-1].j))  # 支持鞍山、…、辽阳等建设…
            verb = next((v for v in verbs.back_verb if text.startswith(v, end)), None)
            if verb is None:
                continue
            at = end + len(verb)
            target = next((o for o in mentions if o.i >= at), None)
            if target is None or target.i > at + 2 or target.cls in ("Place", "Industry"):
                continue  # 支持武汉建设国家…: the name right after the verb (a degree word may stand between)
            targets = [target]  # …建设世界级菱镁产业基地和国家级铁矿基地: each name the verb governs
            for o in mentions:
                if o.i >= targets[-1].j and text[targets[-1].j:o.i] in _LIST_JOINS and o.cls == target.cls:
                    targets.append(o)
            for t in targets:
                # a title won (争创国家历史文化名城) or a pilot run is about the place; a project is located there
                predicate = "about" if t.cls in ("Policy", "Goal") else "locatedIn"
                out += [Relation(t.key, predicate, p.key, m.sentence, "pattern") for p in places]
    return out


def _field_relations(extraction: Extraction, doc: Document, verbs: VerbPatterns) -> list[Relation]:
    """在电力、石油、天然气等领域 … 混合所有制改革: every policy of the sentence is about the industries
    named in a list that 在 opens and 等领域 closes (inside one clause)."""
    out = []
    for text, mentions in _by_sentence(extraction, doc):
        policies = [m for m in mentions if m.cls == "Policy"]
        if not policies:
            continue
        for opening in verbs.at.finditer(text):
            close = verbs.field.search(text, opening.end(), _clause_end(text, opening.end()))
            if close is None:
                continue
            items = [m for m in mentions if opening.end() <= m.i and m.j <= close.start() and m.cls == "Industry"]
            for policy in policies:
                for item in items:
                    out.append(Relation(policy.key, "about", item.key, policy.sentence, "pattern"))
    return out


_LIST_JOINS = ("、", "和", "及")  # between the names of one list


def _listed_before(text: str, at: int, mentions: list[Mention], cls: str) -> list[Mention]:
    """The names of class ``cls`` listed with 、和及 and ending at ``at`` (煤炭、智能电网 before 等)."""
    items: list[Mention] = []
    end = at
    for o in sorted(mentions, key=lambda o: -o.i):
        if o.j > end:
            continue
        if o.cls != cls or (o.j != end if not items else text[o.j:end] not in _LIST_JOINS):
            break
        items.insert(0, o)
        end = o.i
    return items


def _listed_after(text: str, first: Mention, later: list[Mention]) -> list[Mention]:
    """``first`` and the names of its class listed after it with 、和及 (``later``: the mentions after it,
    in reading order)."""
    items = [first]
    for o in later:
        if o.cls != first.cls or text[items[-1].j:o.i] not in _LIST_JOINS:
            break
        items.append(o)
    return items


_CLOSER = re.compile(r"等(重点)?(领域|行业)?$")


def _listed_policy_relations(extraction: Extraction, doc: Document) -> list[Relation]:
    """煤炭、智能电网等2030国家科技重大专项; 供热等公用事业价格改革; 能源、交通等领域价格改革: a policy right after
    a list of industries that 等 (等领域) closes is about them; so is one right after a list of two or more
    with no closer (小麦、稻谷最低收购价)."""
    out = []
    for text, mentions in _by_sentence(extraction, doc):
        for m in mentions:
            if m.cls != "Policy":
                continue
            closer = _CLOSER.search(text, max(0, m.i - 4), m.i)
            items = _listed_before(text, closer.start() if closer else m.i, mentions, "Industry")
            for item in items if closer or len(items) > 1 else ():
                out.append(Relation(m.key, "about", item.key, m.sentence, "pattern"))
    return out


_PROGRAMMES = ("工程", "计划")  # a project so named may be a programme (实施产业创新工程)


def _launched_policy_relations(extraction: Extraction, doc: Document, verbs: VerbPatterns) -> list[Relation]:
    """实施产业创新工程，持续提升新型材料、清洁能源、数字信息等产业规模: a policy (or a programme named …工程)
    the sentence launches is about the industries of the lists (two or more, joined by 、和及) that follow
    it, up to another policy (实施提振消费专项行动，促进家电、汽车…，扩大餐饮住宿、家政服务…: both lists)."""
    out = []
    for text, mentions in _by_sentence(extraction, doc):
        for k, m in enumerate(mentions):
            programme = m.cls == "Policy" or (m.cls == "Project" and m.text.endswith(_PROGRAMMES))
            if not programme or not verbs.launch.search(text, max(0, m.i - 6), m.i):
                continue
            later = [o for o in mentions[k + 1:] if o.i >= m.j]
            # the lists of industries after the policy (促进家电、汽车…，扩大餐饮住宿、家政服务…), up to another policy
            n = 0
            while n < len(later) and later[n].cls != "Policy":
                if later[n].cls != "Industry":
                    n += 1
                    continue
                items = _listed_after(text, later[n], later[n + 1:])
                if len(items) > 1 and not _measured(text, items[-1].j):
                    out += [Relation(m.key, "about", item.key, m.sentence, "pattern") for item in items]
                n += len(items)
    return out


def _measured(text: str, at: int) -> bool:
    """Whether a list ending at ``at`` names whose figures follow (…高技术制造业和装备制造业增加值分别增长13.8%、
    18.1%: the sectors of a statistic, not what a policy launched before them is about): a measure of
    observation-words.csv (indicator-head), maybe after a sector word (行业增加值), right after the list."""
    rules = load_rules()
    sector = next((w for w in rules.head_sectors if text.startswith(w, at)), "")
    return text.startswith(rules.heads, at + len(sector))


def _described_policy_relations(extraction: Extraction, doc: Document) -> list[Relation]:
    """先进制造业发展“渝西跨越计划”, 农业产业化项目“111行动计划”: a quoted policy right after the words that
    describe it is about the industry they name (an industry, or one named inside a name)."""
    inside: dict[Mention, list[str]] = defaultdict(list)
    for part in extraction.parts:
        if part.cls == "Industry":
            inside[part.mention].append(part.key)
    out = []
    for text, mentions in _by_sentence(extraction, doc):
        for m in mentions:
            quote = m.i - 1 if m.i and text[m.i - 1] == "“" else m.i if text.startswith("“", m.i) else -1
            if m.cls != "Policy" or quote < 1:
                continue
            described = next((o for o in mentions if o.j <= quote and text[o.j:quote] in ("", "发展")), None)
            if described is None:
                continue
            topics = [described.key] if described.cls == "Industry" else inside.get(described, [])
            out += [Relation(m.key, "about", key, m.sentence, "pattern") for key in topics]
    return out


_KINDS_AFTER = 2  # sentences after a policy that may spell out the kinds of industry it is about
_HEADING_WORDS = 5  # characters besides the policy's name in a sentence that only launches it (开展…。)


def _kinds_relations(extraction: Extraction, doc: Document) -> list[Relation]:
    """开展服务业扩能提质行动，推动…等知识密集型生产性服务业加快壮大，促进生活性服务业…: a policy named
    after an industry is about the kinds of that industry (names ending in it: 生产性服务业 of 服务业) that
    its paragraph goes on to name in the same or the next two sentences (the ones that spell it out), or
    anywhere after it in the paragraph when the policy's sentence only launches it (实施…行动。)."""
    paragraph = {s.index: s.paragraph for s in doc.sentences}
    texts = {s.index: s.text for s in doc.sentences}
    # 开展服务业扩能提质行动。: a sentence that only launches the policy heads what its paragraph says next
    heading = {m for m in extraction.mentions if len(texts[m.sentence]) - (m.j - m.i) <= _HEADING_WORDS}
    named: dict[Mention, list[str]] = defaultdict(list)
    for part in extraction.parts:
        if part.cls == "Industry" and part.mention.cls == "Policy":
            named[part.mention].append(part.key)
    out = []
    for policy, sectors in named.items():
        for m in extraction.mentions:
            if m.cls != "Industry" or paragraph[m.sentence] != paragraph[policy.sentence] \
                    or (m.sentence, m.i) <= (policy.sentence, policy.i) \
                    or (m.sentence > policy.sentence + _KINDS_AFTER and policy not in heading):
                continue
            if any(m.key != sector and m.key.endswith(sector) for sector in sectors):
                out.append(Relation(policy.key, "about", m.key, m.sentence, "pattern"))
    return out


def _context_relations(extraction: Extraction, doc: Document) -> list[Relation]:
    """A project without an industry in its name takes an industry named before it in the same
    sentence: in its own clause, or inside a goal just before (世界级汽车产业中心核心承载区建设
    全面推进，上汽大众MEB工厂等一批重点项目正式投产)."""
    texts = {s.index: s.text for s in doc.sentences}
    industries: dict[int, list[tuple[int, str, bool]]] = defaultdict(list)  # (end, key, from a goal)
    for m in extraction.mentions:
        if m.cls == "Industry":
            industries[m.sentence].append((m.j, m.key, False))
    for p in extraction.parts:
        if p.cls == "Industry" and p.mention.cls == "Goal":
            industries[p.mention.sentence].append((p.j, p.key, True))
    named = {p.mention for p in extraction.parts if p.cls == "Industry"}
    projects: dict[int, list[Mention]] = defaultdict(list)
    for m in extraction.mentions:
        if m.cls == "Project":
            projects[m.sentence].append(m)
    out = []
    for m in extraction.mentions:
        if m.cls != "Project" or m in named:
            continue
        text = texts[m.sentence]
        # not across another project or list item (…动力电池扩产、华天科技芯片技改: the battery is the first one's)
        between = [o.i for o in projects.get(m.sentence, []) if o.i < m.i]
        before = [(end, key) for end, key, goal in industries.get(m.sentence, [])
                  if end <= m.i and m.i - end <= _CONTEXT_WINDOW
                  and (goal or (not _CLAUSE.search(text, end, m.i) and "、" not in text[end:m.i]))
                  and not any(end <= i for i in between)]
        if before:
            out.append(Relation(m.key, "inIndustry", max(before)[1], m.sentence, "context"))
    return out


_ZONES = ("新区", "试验区", "示范区", "开发区", "高新区", "科学城")  # what a 片区 or 启动区 is a section of


def _section_relations(extraction: Extraction, verbs: VerbPatterns) -> list[Relation]:
    """高质量推进雄安新区开发建设，抓好容东片区和高铁站片区、启动区…: a section named without its zone (a
    ``section`` word of relation-words.csv and no place in its name) is part of the zone named last before
    it in the same sentence."""
    placed = {p.mention for p in extraction.parts if p.cls == "Place"}
    zones: dict[int, list[Mention]] = defaultdict(list)
    for m in extraction.mentions:
        if m.cls == "Place" and m.key.endswith(_ZONES):
            zones[m.sentence].append(m)
    out = []
    for m in extraction.mentions:
        if m.cls != "Place" or m in placed or not m.text.endswith(verbs.section) or m.key.endswith(_ZONES):
            continue
        before = [z for z in zones.get(m.sentence, []) if z.j <= m.i]
        if before:
            out.append(Relation(m.key, "partOf", before[-1].key, m.sentence, "context"))
    return out


_COUNTED = re.compile(r"[0-9一二三四五六七八九十百余多]*[个家项批条座类]?")  # 等30个…: the count after 等


def _maker_relations(extraction: Extraction, doc: Document) -> list[Relation]:
    """赛力斯、长城等车企; 庆铃、上汽红岩、鑫源等商用车: organisations listed before 等 work in the industry
    named right after it (a count may stand between: 京津冀大数据、承德钒钛等30个战略性新兴产业示范基地, projects
    too), or in the industry of a list head of ``list-heads.csv`` (车企: 汽车产业)."""
    heads = [(h.head, h.industry) for h in sorted(load_lexicon().list_heads, key=lambda h: -len(h.head))
             if h.industry]
    parts: dict[int, list[Part]] = defaultdict(list)
    for p in extraction.parts:
        parts[p.mention.sentence].append(p)
    out = []
    for text, mentions in _by_sentence(extraction, doc):
        industries = {m.i: m.key for m in mentions if m.cls == "Industry"}
        # …等30个战略性新兴产业示范基地: the industry opening the name of what the items are
        industries |= {p.i: p.key for p in parts.get(mentions[0].sentence, ()) if p.cls == "Industry"
                       and p.i not in industries} if mentions else {}
        run: list[Mention] = []
        for m in mentions:
            if m.cls not in ("Organization", "Project"):
                run = []
                continue
            if run and (m.cls != run[-1].cls or text[run[-1].j:m.i] not in _LIST_JOINS):
                run = []
            run.append(m)
            if not text.startswith("等", m.j):
                continue
            counted = _COUNTED.match(text, m.j + 1)  # 等30个…: always matches, perhaps empty
            after = counted.end() if counted else m.j + 1
            industry = industries.get(m.j + 1) or industries.get(after) \
                or next((key for head, key in heads if text.startswith(head, m.j + 1)), None)
            if industry:
                out += [Relation(o.key, "inIndustry", industry, o.sentence, "pattern") for o in run]
            run = []
    return out


_BASES = ("基地", "园", "园区", "集群", "区", "中心", "平台")  # what works in the industries listed before it


_ETC_COUNTED = re.compile(rf"等{_COUNTED.pattern}$")  # 等, 等30个: what closes a list right before a name


def _base_relations(extraction: Extraction, doc: Document) -> list[Relation]:
    """创建时空信息、具身智能、地球科学等国家人工智能应用中试基地: a base, zone or cluster named right after
    a list of two or more industries and 等 (a count may stand between) works in each of them."""
    out = []
    for text, mentions in _by_sentence(extraction, doc):
        for base in mentions:
            if base.cls not in ("Project", "Place", "Goal") or not base.key.endswith(_BASES):
                continue
            closer = _ETC_COUNTED.search(text, max(0, base.i - 8), base.i)
            items = _listed_before(text, closer.start(), mentions, "Industry") if closer else []
            if len(items) > 1:
                out += [Relation(base.key, "inIndustry", o.key, base.sentence, "pattern") for o in items]
    return out


def co_mentions(extraction: Extraction) -> list[tuple[str, str, int]]:
    """Pairs of distinct entities mentioned in one sentence: ``(a, b, sentence)`` with ``a < b``.

    >>> from kg.extract.entities import Extraction, Mention
    >>> ms = (Mention("嘉定", 3, 0, 2, 0, 2, "Place", "嘉定区", "lexicon"),
    ...       Mention("上汽大众", 3, 5, 9, 5, 9, "Organization", "上汽大众", "lexicon"))
    >>> co_mentions(Extraction((), ms, ()))
    [('上汽大众', '嘉定区', 3)]
    """
    by_sentence: dict[int, set[str]] = defaultdict(set)
    for m in extraction.mentions:
        by_sentence[m.sentence].add(m.key)
    return [(a, b, s) for s, keys in sorted(by_sentence.items()) for a, b in combinations(sorted(keys), 2)]
