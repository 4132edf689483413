"""Identity across reports: link indicator concepts that different reports word differently.

An indicator's IRI comes from its normalised label alone (:func:`kg.rdf.observations.indicator_iri`),
so the same wording is already one node in every report. Where two reports word the same measure
differently (新增国家级高新技术企业 / 新增国家高新技术企业, 生产总值 / 地区生产总值), this module
links the two concepts instead of guessing silently, from two data files:

* ``data/lexicon/indicator-links.csv``: pairs checked by hand, each ``exact`` (``skos:exactMatch``),
  ``close`` (``skos:closeMatch``: the same measure for judging a target) or ``related``
  (``skos:relatedMatch``: a different measure of the same thing, never used to judge a target);
* ``data/lexicon/indicator-keys.csv``: rewriting rules that reduce a label to a key; two labels with
  the same key are ``skos:closeMatch``.

Each link comes with its evidence: an ``rdf:Statement`` naming the link, ``prov:wasDerivedFrom`` the
lexicon row (``…/id/lexicon/indicator-links/ROW``) and a ``skos:note`` saying why.

Called by :mod:`kg.build` once every report is built, with only the indicator concepts of all
reports (a small graph, whatever the corpus size); returns the links to add. Work is linear in the
number of concepts: labels are looked up in dictionaries, never compared pairwise.

>>> from rdflib import Graph, Literal
>>> from rdflib.namespace import SKOS
>>> from kg.rdf.observations import indicator_iri
>>> g = Graph()
>>> for label in ("新增国家级高新技术企业", "新增国家高新技术企业", "生产总值", "地区生产总值"):
...     _ = g.add((indicator_iri(label), SKOS.prefLabel, Literal(label, lang="zh")))
>>> sorted((str(g.value(s, SKOS.prefLabel)), p.fragment, str(g.value(o, SKOS.prefLabel)))
...        for s, p, o in cross_links(g).triples((None, None, None))
...        if p in (SKOS.exactMatch, SKOS.closeMatch))  # doctest: +NORMALIZE_WHITESPACE
[('地区生产总值', 'exactMatch', '生产总值'), ('新增国家级高新技术企业', 'closeMatch', '新增国家高新技术企业')]
>>> len(cross_links(Graph()))
0
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import PROV, SKOS

from kg.errors import InputError
from kg.resources import lexicon_dir, read_table
from kg.vocab.iri import mint
from kg.vocab.namespace import KG

LINKS_FILE = "indicator-links.csv"
KEYS_FILE = "indicator-keys.csv"
MATCHES = {"exact": SKOS.exactMatch, "close": SKOS.closeMatch, "related": SKOS.relatedMatch}


@dataclass(frozen=True)
class LinkRule:
    """One hand-checked pair of ``indicator-links.csv``; ``row`` is its line in the file."""

    label: str
    other: str
    match: str
    scope: str
    note: str
    row: int


@dataclass(frozen=True)
class KeyRule:
    """One rewriting rule of ``indicator-keys.csv``."""

    pattern: re.Pattern[str]
    replacement: str
    note: str
    row: int


def _data_rows(name: str) -> list[tuple[int, dict[str, str]]]:
    """Rows of a lexicon CSV with their line numbers in the file (comments and header skipped)."""
    path = lexicon_dir() / name
    rows = read_table(path)
    lines = [i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
             if line.strip() and not line.startswith("#")][1:]
    return list(zip(lines, rows, strict=False))


@lru_cache(maxsize=1)
def link_rules() -> tuple[LinkRule, ...]:
    """The hand-checked pairs.

    >>> any(r.other == "全省生产总值" for r in link_rules())
    True
    """
    rules = []
    for line, row in _data_rows(LINKS_FILE):
        if row.get("match") not in MATCHES or not row.get("label") or not row.get("other"):
            raise InputError(f"{lexicon_dir() / LINKS_FILE}:{line}: need label, other and match "
                             f"(one of {', '.join(MATCHES)}); fix the row")
        rules.append(LinkRule(row["label"], row["other"], row["match"], row.get("scope") or "*",
                              row.get("note") or "", line))
    return tuple(rules)


@lru_cache(maxsize=1)
def key_rules() -> tuple[KeyRule, ...]:
    """The rewriting rules, in file order."""
    rules = []
    for line, row in _data_rows(KEYS_FILE):
        try:
            pattern = re.compile(row["pattern"])
        except (re.error, KeyError) as err:
            raise InputError(f"{lexicon_dir() / KEYS_FILE}:{line}: bad pattern ({err}); fix the regex") from err
        rules.append(KeyRule(pattern, row.get("replacement") or "", row.get("note") or "", line))
    return tuple(rules)


def label_key(label: str) -> str:
    """The comparison key of an indicator label.

    >>> label_key("新增国家级高新技术企业"), label_key("净增规模以上工业企业"), label_key("城中村改造启动")
    ('新国家高新技术企业', '新规模以上工业企业', '城中村')
    """
    return _keyed(label)[0]


def _keyed(label: str) -> tuple[str, tuple[int, ...]]:
    """The key of ``label`` and the rows of the rules that changed it on the way."""
    fired = []
    for rule in key_rules():
        new = rule.pattern.sub(rule.replacement, label, count=1)
        if new != label:
            fired.append(rule.row)
        label = new
    return label, tuple(fired)


def _evidence(links: Graph, a: URIRef, match: str, b: URIRef, sources: list[URIRef], note: str) -> None:
    predicate = MATCHES[match]
    links.add((a, predicate, b))
    node = mint("link", str(a).rsplit("/", 1)[-1], predicate.fragment, str(b).rsplit("/", 1)[-1])
    links.add((node, RDF.type, RDF.Statement))
    links.add((node, RDF.subject, a))
    links.add((node, RDF.predicate, predicate))
    links.add((node, RDF.object, b))
    for source in sources:
        links.add((node, PROV.wasDerivedFrom, source))
    links.add((node, SKOS.note, Literal(note)))


def cross_links(indicators: Graph) -> Graph:
    """Links (``skos:exactMatch``/``closeMatch``/``relatedMatch``, with evidence) between indicator concepts.

    ``indicators`` holds every triple whose subject is an indicator concept
    (``kgr:indicator/…``), from every report in the build. Each pair is linked once, from the
    smaller IRI to the larger; read the links in both directions.
    """
    labels: dict[str, URIRef] = {}
    for concept, label in indicators.subject_objects(SKOS.prefLabel):
        if isinstance(concept, URIRef) and "/indicator/" in concept:
            labels.setdefault(str(label), concept)
    links = Graph()
    done: set[tuple[URIRef, URIRef]] = set()
    for rule in link_rules():
        a, b = labels.get(rule.label), labels.get(rule.other)
        if a is None or b is None or a == b:
            continue
        a, b = sorted((a, b))
        done.add((a, b))
        source = mint("lexicon", LINKS_FILE.removesuffix(".csv"), rule.row)
        _evidence(links, a, rule.match, b, [source],
                  f"{LINKS_FILE} row {rule.row} ({rule.match}, scope {rule.scope}): {rule.note}")
    groups: dict[str, list[tuple[URIRef, tuple[int, ...]]]] = defaultdict(list)
    for text, concept in labels.items():
        key, fired = _keyed(text)
        groups[key].append((concept, fired))
    for key, members in sorted(groups.items()):
        members.sort()
        # All pairs of a group: groups are a handful of wordings, so this stays linear in practice.
        for i, (a, fired_a) in enumerate(members):
            for b, fired_b in members[i + 1:]:
                if (a, b) in done:
                    continue
                rows = sorted(set(fired_a) | set(fired_b))
                sources = [mint("lexicon", KEYS_FILE.removesuffix(".csv"), row) for row in rows]
                _evidence(links, a, "close", b, sources,
                          f"{KEYS_FILE} rows {', '.join(map(str, rows))}: both labels reduce to the key {key!r}")
    return links


def indicator_graph(graph: Graph) -> Graph:
    """The triples of ``graph`` whose subject is an indicator concept (what :func:`cross_links` reads).

    >>> len(indicator_graph(Graph()))
    0
    """
    out = Graph()
    result = graph.query(
        f"CONSTRUCT {{ ?i ?p ?o }} WHERE {{ ?i a <{KG.Indicator}> ; ?p ?o }}")
    for triple in result:
        out.add(triple)  # type: ignore[arg-type]
    return out
