"""Relations the text states between entities, each with its evidence sentence.

Three kinds of evidence, from strongest to weakest:

* **name** — the relation is stated inside a name: 安亭新院 is located in 安亭, 中德智能网联汽车
  推广应用中心 is in the 智能网联汽车 industry, 上汽大众MEB工厂 is run by 上汽大众;
* **pattern** — a verb pattern in the sentence: "举办X" (X organised by the government that
  speaks), "制定《X》" (X issued by it), "与Y合作推出X" (X partner of Y); the verbs are the rows
  of ``data/lexicon/relation-words.csv``;
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
from kg.extract.lexicon import alternation
from kg.resources import lexicon_dir, read_rule_table
from kg.text.segment import Document
from kg.vocab.registry import RELATIONS

#: The stated relations, in their order in the ontology (kg.vocab.registry).
PREDICATES = RELATIONS
#: The roles of ``relation-words.csv`` (see its header).
VERB_ROLES = ("issue", "issue-also", "organise", "partner")

_PARTNER = re.compile(r"与$")
_CLAUSE = re.compile(r"[，；。：！？]")
_CONTEXT_WINDOW = 40


@dataclass(frozen=True)
class VerbPatterns:
    """The verb patterns of :func:`find_relations`, built from ``relation-words.csv``."""

    issue: re.Pattern[str]  # 制定《 right before a policy
    organise: re.Pattern[str]  # 举办 right before an event
    partner: re.Pattern[str]  # 合作 right after 与X


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

    return VerbPatterns(issue=re.compile(rf"({words('issue')})({words('issue-also')})?[《“]?$"),
                        organise=re.compile(rf"({words('organise')})[了“]?$"),
                        partner=re.compile(rf"^(等)?({words('partner')})"))


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
    found: list[Relation] = []
    found += _name_relations(extraction)
    if doc is not None:
        found += _pattern_relations(extraction, doc, verbs or load_verbs())
        found += _context_relations(extraction, doc)
    seen: set[tuple[str, str, str, int]] = set()
    unique = []
    for rel in sorted(found, key=lambda r: (r.sentence, PREDICATES.index(r.predicate), r.subject, r.object)):
        key = (rel.subject, rel.predicate, rel.object, rel.sentence)
        if key not in seen and rel.subject != rel.object:
            seen.add(key)
            unique.append(rel)
    return unique


def _narrowest(parts: list[Part], extraction: Extraction) -> list[Part]:
    """Drop a place part that is broader than another part of the same name (中国 in 中国（上海）…)."""
    broader: dict[str, set[str]] = defaultdict(set)
    for entity in extraction.entities:
        broader[entity.key].update(entity.broader)
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


def _name_relations(extraction: Extraction) -> list[Relation]:
    by_mention: dict[Mention, list[Part]] = defaultdict(list)
    for part in extraction.parts:
        by_mention[part.mention].append(part)
    out = []
    for mention, parts in by_mention.items():
        cls = mention.cls
        if mention.key == extraction.government:
            continue  # 嘉定区人民政府 is in 嘉定区: true, and says nothing
        places = _narrowest([p for p in parts if p.cls == "Place"], extraction)
        for part in places:
            if cls in ("Project", "Organization"):
                out.append(Relation(mention.key, "locatedIn", part.key, mention.sentence, "name"))
            elif cls == "Place":
                out.append(Relation(mention.key, "partOf", part.key, mention.sentence, "name"))
        for part in parts:
            if part.cls == "Industry" and cls in ("Project", "Organization", "Place"):
                out.append(Relation(mention.key, "inIndustry", part.key, mention.sentence, "name"))
            elif part.cls == "Organization":
                if cls in ("Project", "Event"):
                    out.append(Relation(mention.key, "organizedBy", part.key, mention.sentence, "name"))
                elif cls == "Organization":
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
            if m.cls == "Policy" and m.key != m.text and m.text[:1] in "市区省县":
                issuer = m.key[: len(m.key) - len(m.text) + 1] + "人民政府"
                if issuer in keys:
                    out.append(Relation(m.key, "issuedBy", issuer, index, "name"))
                    continue
            if government and government in keys:
                if m.cls == "Policy" and verbs.issue.search(before):
                    out.append(Relation(m.key, "issuedBy", government, index, "pattern"))
                if m.cls == "Event" and verbs.organise.search(before):
                    out.append(Relation(m.key, "organizedBy", government, index, "pattern"))
        # 与上汽大众合作推出“818金秋购车节”: partner organisations, then what they made together
        for k, m in enumerate(mentions):
            if m.cls != "Organization" or not _PARTNER.search(text[max(0, m.i - 1):m.i]):
                continue
            partners = [m]
            for other in mentions[k + 1:]:
                gap = text[partners[-1].j:other.i]
                if other.cls == "Organization" and gap == "、":
                    partners.append(other)
                    continue
                break
            if not verbs.partner.match(text[partners[-1].j:]):
                continue
            clause_end = _CLAUSE.search(text, partners[-1].j)
            stop = clause_end.start() if clause_end else len(text)
            for other in mentions:
                if partners[-1].j < other.i < stop and other.cls in ("Project", "Event"):
                    for p in partners:
                        out.append(Relation(other.key, "partnerOf", p.key, index, "pattern"))
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
    out = []
    for m in extraction.mentions:
        if m.cls != "Project" or m in named:
            continue
        text = texts[m.sentence]
        before = [(end, key) for end, key, goal in industries.get(m.sentence, [])
                  if end <= m.i and m.i - end <= _CONTEXT_WINDOW
                  and (goal or not _CLAUSE.search(text, end, m.i))]
        if before:
            out.append(Relation(m.key, "inIndustry", max(before)[1], m.sentence, "context"))
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
