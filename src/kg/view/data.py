"""What the explorer page draws: nodes, edges and the details shown in its side panel.

:func:`explorer_data` reads any rdflib graph and returns plain JSON-ready data. Entities
(``kg:Project`` … ``kg:Goal``, ``kg:Indicator``) are the nodes shown at first; document
structure (``kg:Report``, ``kg:Section``, ``kg:Paragraph``, ``kg:Sentence``) is drawn but hidden
until switched on; observations, mentions and assertions are details, not nodes. Any other IRI
linked to another IRI (say, in a CONSTRUCT result) becomes a node of class ``Other``.

Every table of the data (nodes, edges, sentences, the panel's labels, observations, targets …)
is a list of rows of one :class:`~typing.NamedTuple` below, so Python reads each field by its
name. In the page a row is a JSON array (which keeps the page small) and :data:`COLUMNS`, the
field names of each table, travels with the data once; the page's script turns each row into an
object through those names, so neither language reads a field by its position. A new field is
one line in its row type here (plus where it is computed) and the code that reads it in
``static/explorer.js``.

>>> from rdflib import Graph, Literal, URIRef
>>> from rdflib.namespace import RDF, SKOS
>>> from kg.vocab.namespace import KG
>>> g = Graph()
>>> a, b = URIRef("http://x/a"), URIRef("http://x/b")
>>> _ = g.add((a, RDF.type, KG.Project)); _ = g.add((a, SKOS.prefLabel, Literal("甲", lang="zh")))
>>> _ = g.add((b, RDF.type, KG.Place)); _ = g.add((a, KG.locatedIn, b))
>>> data = explorer_data(g)
>>> [(n.label, n.cls) for n in data["nodes"]]
[('甲', 'Project'), ('b', 'Place')]
>>> data["edges"]
[Edge(head=0, tail=1, relation=0, predicate='')]
>>> data["columns"]["edges"]
('head', 'tail', 'relation', 'predicate')
"""

from __future__ import annotations

import json
from collections import defaultdict
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import unquote

from rdflib import DCTERMS, RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SKOS
from rdflib.term import Node as RDFNode

from kg.vocab.iri import local_name
from kg.vocab.namespace import KG

STATIC = Path(__file__).resolve().parent / "static"
KG_NS = str(KG._NS)
# Detail classes: shown in the side panel of the node they are about, never as nodes.
DETAIL_CLASSES = {KG.Observation, KG.Mention, KG.Assertion, KG.SourceFile}
# Links that are details or bookkeeping, not edges to draw.
SKIP_PREDICATES = {
    RDF.type, RDF.subject, RDF.predicate, RDF.object, KG.inReport, KG.sourceFile, KG.sentence,
    KG.entity, KG.indicator, KG.about, KG.place, URIRef("http://www.w3.org/ns/oa#hasSource"),
    URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"),  # an indicator link's evidence, not a relation
}
LABELS = ((SKOS.prefLabel, "pref"), (RDFS.label, "label"), (SKOS.altLabel, "alt"), (DCTERMS.title, "title"))
# Which label to draw, best first: (kind, language).
DISPLAY_ORDER = (("pref", "zh"), ("label", "zh"), ("title", "zh"), ("pref", ""), ("label", ""),
                 ("pref", "en"), ("label", "en"), ("alt", "zh"))


class Node(NamedTuple):
    """A node of the drawing (table ``nodes``; its index in the table is its id in the page)."""

    id: str  #: its IRI
    label: str  #: the label drawn (:func:`display_label`)
    cls: str  #: its class in ``style.json``: ``Project`` … ``Indicator``, ``Other`` or document structure
    reports: list[int]  #: indices in ``reports`` of the reports it comes from (the report filter)
    sections: list[int]  #: indices in ``sections`` of the sections it is in (the section filter)
    degree: int  #: its links to other nodes, document structure not counted (entities grow with it)
    x: float | None = None  #: the seeded position (:mod:`kg.view.layout`); None: the page places it
    y: float | None = None


class Edge(NamedTuple):
    """A link drawn from node ``head`` to node ``tail`` (indices in ``nodes``)."""

    head: int
    tail: int
    relation: int  #: index in ``relations`` (``style.json``)
    predicate: str  #: the predicate's IRI for relation ``other``, else ""


class Report(NamedTuple):
    """A report (table ``reports``), for the report filter and the page's title."""

    id: str  #: its IRI
    label: str
    government: str  #: kg:government, "" if the graph does not say
    year: str  #: kg:year, "" if the graph does not say


class Section(NamedTuple):
    """A section (table ``sections``), for the section filter."""

    id: str  #: its IRI
    label: str
    report: int | None  #: index in ``reports``


class Sentence(NamedTuple):
    """A sentence the panel quotes (table ``sentences``, referred to by its index)."""

    iri: str
    text: str
    report: int | None  #: index in ``reports``
    section: int | None  #: index in ``sections`` of the innermost section it is in


class Label(NamedTuple):
    """A label of a node (table ``labels``: a list per node IRI)."""

    text: str
    lang: str  #: its language tag, "" for none
    kind: str  #: ``pref``, ``label``, ``alt`` or ``title`` (skos:prefLabel, rdfs:label, skos:altLabel, dcterms:title)


class Source(NamedTuple):
    """A sentence a node is mentioned in (table ``sources``: a list per node IRI)."""

    sentence: int  #: index in ``sentences``
    start: int  #: where to mark the mention in the sentence's text (:func:`highlight`); -1: nowhere
    end: int


class Observation(NamedTuple):
    """An observation about or of a node (table ``observations``: a list per node IRI)."""

    value: str
    unit: str
    period: str
    kind: str  #: ``actual``, ``target`` …
    indicator: str  #: the label of its indicator, "" for none
    sentence: int | None  #: index in ``sentences`` of the sentence stating it
    iri: str  #: the observation's IRI
    direction: str  #: ``up`` (增长), ``down`` (下降) or "" (kg:direction): 下降3.9% is not 增长3.9%
    government: str  #: the government whose report states it (kg:government of its report), "" if unknown


class Target(NamedTuple):
    """A target of an indicator with its outcome (table ``targets``: a list per indicator IRI).

    See :func:`kg.targets.reconcile.target_table`.
    """

    target: str  #: the target as stated: value, unit and qualifier
    period: str
    outcome: str  #: the outcome's value and unit, "" while there is none
    verdict: str  #: ``met``, ``missed``, ``not_comparable``, ``not_reported`` or ``open``
    reason: str  #: why that verdict
    target_sentence: int  #: index in ``sentences`` of the sentence setting the target
    outcome_sentence: int | None  #: index in ``sentences`` of the sentence stating the outcome
    outcome_indicator: str  #: the indicator the outcome was matched through, "" if the same one
    government: str  #: the government that set the target


#: The field names of each table, in the order of a row's values in the page. The page's script
#: reads rows only through these names (``records`` in ``static/explorer.js``).
COLUMNS: dict[str, tuple[str, ...]] = {
    "nodes": Node._fields, "edges": Edge._fields, "reports": Report._fields, "sections": Section._fields,
    "sentences": Sentence._fields, "labels": Label._fields, "sources": Source._fields,
    "observations": Observation._fields, "targets": Target._fields,
}


@cache
def style() -> dict[str, Any]:
    """The classes and relations the explorer knows, with colours and shapes (``style.json``)."""
    data: dict[str, Any] = json.loads((STATIC / "style.json").read_text(encoding="utf-8"))
    return data


@cache
def _ontology_labels() -> dict[str, tuple[str, str]]:
    from kg.resources import ontology_file

    onto = Graph().parse(ontology_file(), format="turtle")
    out: dict[str, list[str]] = defaultdict(lambda: ["", ""])
    for s, o in onto.subject_objects(RDFS.label):
        if isinstance(o, Literal) and str(s).startswith(KG_NS) and o.language in ("zh", "en"):
            out[str(s)[len(KG_NS):]][0 if o.language == "zh" else 1] = str(o)
    return {k: (v[0], v[1]) for k, v in out.items()}


def _labelled(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    names = _ontology_labels()
    return [{**i, "zh": i.get("label_zh") or names.get(i["id"], ("", ""))[0] or i["id"],
             "en": i.get("label_en") or names.get(i["id"], ("", ""))[1] or i["id"]} for i in items]


def _local(iri: str) -> str:
    return unquote(local_name(iri)) or iri


def _text(graph: Graph, node: RDFNode, pred: URIRef) -> str:
    value = graph.value(node, pred)
    return "" if value is None else str(value)


def _int(graph: Graph, node: RDFNode, pred: URIRef) -> int | None:
    value = graph.value(node, pred)
    try:
        return int(str(value)) if value is not None else None
    except ValueError:
        return None


def labels_of(graph: Graph, node: RDFNode) -> list[Label]:
    """Each label of ``node``: its text, language and kind (pref, label, alt or title)."""
    return [Label(text=str(lit), lang=lit.language or "", kind=kind) for pred, kind in LABELS
            for lit in sorted(graph.objects(node, pred), key=str) if isinstance(lit, Literal)]


def display_label(graph: Graph, node: RDFNode, labels: list[Label] | None = None) -> str:
    """The label to draw: a Chinese preferred label, any label, a sentence's text, or the IRI's tail."""
    labels = labels_of(graph, node) if labels is None else labels
    for want in DISPLAY_ORDER:
        for lab in labels:
            if (lab.kind, lab.lang) == want:
                return lab.text
    if labels:
        return labels[0].text
    text = _text(graph, node, KG.text)
    if text:
        return text if len(text) <= 24 else text[:23] + "…"
    return _local(str(node))


def highlight(text: str, surfaces: list[str], near: tuple[int, int] | None) -> tuple[int, int]:
    """Where to mark a mention in a sentence's (normalised) text; ``(-1, -1)`` if nowhere.

    Mention offsets count characters of the original file, but the sentence text is normalised
    (spaces around Latin letters and digits dropped), so the offsets are only a hint: the
    occurrence of the mention's surface form or a label nearest to them wins.

    >>> highlight("建成上汽大众MEB工厂。", ["上汽大众MEB工厂"], (2, 14))
    (2, 11)
    >>> highlight("abc", ["x"], (0, 2)), highlight("abc", [], None)
    ((0, 2), (-1, -1))
    """
    hits = []
    for surface in surfaces:
        for form in dict.fromkeys((surface, surface.replace(" ", ""))):
            at = text.find(form) if form else -1
            while at >= 0:
                hits.append((abs(at - near[0]) if near else 0, at, at + len(form)))
                at = text.find(form, at + 1)
        if hits:
            break
    if hits:
        _, lo, hi = min(hits)
        return lo, hi
    if near and 0 <= near[0] < near[1] <= len(text):
        return near
    return -1, -1


def _graph_nodes(
    graph: Graph, info: Graph, class_of: dict[URIRef, str]
) -> tuple[dict[URIRef, str], list[tuple[URIRef, URIRef, URIRef]]]:
    """Each node's class, and the IRI-to-IRI triples to draw as edges."""

    def kind(node: URIRef) -> str | None:
        types = set(info.objects(node, RDF.type)) | set(graph.objects(node, RDF.type))
        if types & DETAIL_CLASSES:
            return None
        known = sorted(class_of[t] for t in types if isinstance(t, URIRef) and t in class_of)
        return known[0] if known else "Other"

    kinds: dict[URIRef, str] = {}
    for cls in [*class_of, KG.Entity]:  # an entity of no known subclass is drawn as Other
        for node in graph.subjects(RDF.type, cls):
            if isinstance(node, URIRef) and (k := kind(node)) is not None:
                kinds[node] = k
    triples: list[tuple[URIRef, URIRef, URIRef]] = []
    for s, p, o in graph.triples((None, None, None)):  # a Dataset iterates quads; this gives its union
        if isinstance(s, URIRef) and isinstance(o, URIRef) and isinstance(p, URIRef) and p not in SKIP_PREDICATES:
            ks, ko = kinds.get(s) or kind(s), kinds.get(o) or kind(o)
            if ks and ko:
                kinds.setdefault(s, ks)
                kinds.setdefault(o, ko)
                triples.append((s, p, o))
    # An observation with an indicator links the indicator to the entity it is about; a policy,
    # plan or goal is kg:about an industry, place or group directly (an edge like any relation).
    for obs, ent in sorted(graph.subject_objects(KG.about), key=str):
        if obs in kinds and ent in kinds and isinstance(obs, URIRef) and isinstance(ent, URIRef):
            triples.append((obs, KG.about, ent))
        for ind in graph.objects(obs, KG.indicator):
            if isinstance(ind, URIRef) and isinstance(ent, URIRef) and ind in kinds and ent in kinds:
                triples.append((ind, KG.about, ent))
    return kinds, triples


class _Documents:
    """Reports, sections and sentences of a graph, for filters and the panel's source sentences."""

    def __init__(self, info: Graph) -> None:
        self.info = info
        self.parent = {s: o for s, o in info.subject_objects(DCTERMS.isPartOf) if isinstance(o, URIRef)}
        self.reports = sorted((r for r in info.subjects(RDF.type, KG.Report) if isinstance(r, URIRef)), key=str)
        self.report_ix = {r: i for i, r in enumerate(self.reports)}
        sections = [s for s in info.subjects(RDF.type, KG.Section) if isinstance(s, URIRef)]
        self.sections = sorted(sections, key=lambda s: (str(info.value(s, KG.inReport)),
                                                         _int(info, s, KG.index) or 0, str(s)))
        self.section_ix = {s: i for i, s in enumerate(self.sections)}
        self.rows: list[Sentence] = []
        self.sentence_ix: dict[RDFNode, int] = {}

    def chain(self, node: RDFNode) -> list[int]:
        """Indices of the sections ``node`` is in, innermost first."""
        out: list[int] = []
        seen: set[RDFNode] = set()
        while node in self.parent and node not in seen:
            seen.add(node)
            node = self.parent[node]
            if node in self.section_ix:
                out.append(self.section_ix[node])  # type: ignore[index]
        return out

    def report(self, node: RDFNode) -> int | None:
        found = node if node in self.report_ix else self.info.value(node, KG.inReport)
        return self.report_ix.get(found) if isinstance(found, URIRef) else None

    def sentence(self, node: RDFNode) -> int:
        """The index of a sentence in :attr:`rows` (the table ``sentences``), added on first use."""
        if node not in self.sentence_ix:
            self.sentence_ix[node] = len(self.rows)
            chain = self.chain(node)
            self.rows.append(Sentence(iri=str(node), text=_text(self.info, node, KG.text), report=self.report(node),
                                      section=chain[0] if chain else None))
        return self.sentence_ix[node]


def _sources(info: Graph, docs: _Documents, kinds: dict[URIRef, str]) -> dict[RDFNode, dict[Source, None]]:
    """Per node, its source sentences with the mention's place: from kg:Mention, else kg:mentions.

    Each sentence is listed once per node, with its first mention marked, however many
    mentions (or a mention and a kg:mentions link) point to it.
    """
    sources: dict[RDFNode, dict[Source, None]] = defaultdict(dict)
    listed: set[tuple[RDFNode, int]] = set()
    for mention in sorted(info.subjects(RDF.type, KG.Mention), key=str):
        ent, sent = info.value(mention, KG.entity), info.value(mention, KG.sentence)
        if not isinstance(ent, URIRef) or ent not in kinds or not isinstance(sent, URIRef):
            continue
        base, start, end = _int(info, sent, KG.start), _int(info, mention, KG.start), _int(info, mention, KG.end)
        near = (start - base, end - base) if base is not None and start is not None and end is not None else None
        surfaces = [_text(info, mention, KG.text)] + [lab.text for lab in labels_of(info, ent)]
        start, end = highlight(_text(info, sent, KG.text), surfaces, near)
        if (ent, docs.sentence(sent)) not in listed:
            listed.add((ent, docs.sentence(sent)))
            sources[ent][Source(sentence=docs.sentence(sent), start=start, end=end)] = None
    for sent, ent in sorted(info.subject_objects(KG.mentions), key=str):
        if ent in kinds and isinstance(sent, URIRef) and (ent, docs.sentence_ix.get(sent)) not in listed:
            listed.add((ent, docs.sentence(sent)))
            start, end = highlight(_text(info, sent, KG.text), [lab.text for lab in labels_of(info, ent)], None)
            sources[ent][Source(sentence=docs.sentence(sent), start=start, end=end)] = None
    return sources


def _observations(info: Graph, docs: _Documents, kinds: dict[URIRef, str]) -> dict[str, list[Observation]]:
    """Per node, observations about it (kg:about) or measuring it (kg:indicator)."""
    out: dict[str, list[Observation]] = defaultdict(list)
    for pred in (KG.about, KG.indicator):
        for obs, node in sorted(info.subject_objects(pred), key=str):
            if node not in kinds:
                continue
            ind, sent = info.value(obs, KG.indicator), info.value(obs, KG.sentence)
            report = info.value(obs, KG.inReport)
            out[str(node)].append(Observation(
                value=_text(info, obs, KG.value), unit=_text(info, obs, KG.unit), period=_text(info, obs, KG.period),
                kind=_text(info, obs, KG.kind), indicator=display_label(info, ind) if isinstance(ind, URIRef) else "",
                sentence=docs.sentence(sent) if isinstance(sent, URIRef) else None, iri=str(obs),
                direction=_text(info, obs, KG.direction),
                government=_text(info, report, KG.government) if report is not None else ""))
    # By government, then period, then kind: one government's figures together, in time order.
    return {node: sorted(rows, key=lambda o: (o.government, o.period, o.kind != "actual", o.kind, o.iri))
            for node, rows in out.items()}


def _targets(info: Graph, docs: _Documents, kinds: dict[URIRef, str]) -> dict[str, list[Target]]:
    """Per indicator node, its targets with outcomes and verdicts (:func:`kg.targets.reconcile.target_table`)."""
    from kg.targets.reconcile import target_table

    if (None, KG.kind, Literal("target")) not in info:
        return {}
    out: dict[str, list[Target]] = defaultdict(list)
    for row in target_table(info):
        indicator = info.value(URIRef(row.target), KG.indicator)
        if indicator in kinds:
            outcome = f"{row.outcome_value}{row.outcome_unit}" if row.outcome_value is not None else ""
            out[str(indicator)].append(Target(
                target=f"{row.target_value}{row.target_unit} {row.qualifier.replace('|', ' ')}".strip(),
                period=row.target_period, outcome=outcome, verdict=row.verdict, reason=row.reason,
                target_sentence=docs.sentence(URIRef(row.target_sentence_iri)),
                outcome_sentence=docs.sentence(URIRef(row.outcome_sentence_iri)) if row.outcome_sentence_iri else None,
                outcome_indicator=row.outcome_indicator if row.match not in ("", "same") else "",
                government=row.government))
    return dict(out)


def explorer_data(graph: Graph, *, details: Graph | None = None) -> dict[str, Any]:
    """Nodes, edges and panel details of ``graph``; labels and details are read from ``details``.

    ``details`` defaults to ``graph``; pass the full graph when ``graph`` is a query result,
    so the result's nodes keep their labels, observations and source sentences.

    The tables (see :data:`COLUMNS`, which the result carries as ``columns``) are lists of rows:
    ``nodes``, ``edges``, ``reports``, ``sections`` and ``sentences``, which refer to each other
    by index; and ``labels``, ``sources``, ``observations`` and ``targets``, a list per node IRI.
    ``classes`` and ``relations`` come from ``style.json``; ``types`` lists the local names of each node's rdf:types.
    """
    info = details if details is not None else graph
    classes = _labelled(style()["classes"])
    relations = _labelled(style()["relations"])
    class_of = {KG[c["id"]]: c["id"] for c in classes if c["id"] != "Other"}
    structure = {c["id"] for c in classes if c.get("structure")}
    rel_index = {r["id"]: i for i, r in enumerate(relations)}
    rel_of = {URIRef(r["iri"]) if "iri" in r else KG[r["id"]]: r["id"] for r in relations
              if r["id"] not in ("other", "isPartOf")}
    rel_of[DCTERMS.isPartOf] = "isPartOf"
    inverse = {URIRef(r["inverse"]): r["id"] for r in relations if "inverse" in r}

    kinds, triples = _graph_nodes(graph, info, class_of)
    order = sorted(kinds, key=lambda n: (kinds[n] in structure, str(n)))
    index = {n: i for i, n in enumerate(order)}
    edges: set[tuple[int, int, int, str]] = set()
    for s, p, o in triples:
        if s == o:
            continue
        if p in inverse:  # skos:narrower is drawn as skos:broader the other way
            rel, s, o = inverse[p], o, s
        else:
            rel = rel_of.get(p, "other")
        if relations[rel_index[rel]].get("symmetric") and str(o) < str(s):
            s, o = o, s
        edges.add((index[s], index[o], rel_index[rel], "" if rel != "other" else str(p)))
    degree = [0] * len(order)
    for s_i, o_i, r, _ in edges:
        if not relations[r].get("structure"):
            degree[s_i] += 1
            degree[o_i] += 1

    docs = _Documents(info)
    sources = _sources(info, docs, kinds)
    observations = _observations(info, docs, kinds)
    targets = _targets(info, docs, kinds)
    nodes: list[Node] = []
    panel_labels: dict[str, list[Label]] = {}
    panel_types: dict[str, list[str]] = {}
    panel_sources: dict[str, list[Source]] = {}
    for i, node in enumerate(order):
        labels = labels_of(info, node) or labels_of(graph, node)
        reports: set[int] = set()
        sections: set[int] = set()
        if (r_ix := docs.report(node)) is not None:
            reports.add(r_ix)
        if kinds[node] in structure:
            sections.update(docs.chain(node))
            if node in docs.section_ix:
                sections.add(docs.section_ix[node])
        for source in sources.get(node, {}):
            sentence = docs.rows[source.sentence]
            if sentence.report is not None:
                reports.add(sentence.report)
            sections.update(docs.chain(URIRef(sentence.iri)))
        nodes.append(Node(id=str(node), label=display_label(info, node, labels), cls=kinds[node],
                          reports=sorted(reports), sections=sorted(sections), degree=degree[i]))
        if labels:
            panel_labels[str(node)] = labels
        # Local names only (the panel shows "Concept, Place"): full IRIs were an eighth of the page.
        types = sorted({_local(str(t)) for g in (info, graph) for t in g.objects(node, RDF.type)})
        panel_types[str(node)] = types
        if node in sources:
            panel_sources[str(node)] = list(sources[node])
    return {
        "columns": COLUMNS, "classes": classes, "relations": relations, "nodes": nodes,
        "edges": [Edge(head=s, tail=o, relation=r, predicate=p) for s, o, r, p in sorted(edges)],
        "reports": [Report(id=str(r), label=display_label(info, r), government=_text(info, r, KG.government),
                           year=_text(info, r, KG.year)) for r in docs.reports],
        "sections": [Section(id=str(s), label=display_label(info, s), report=docs.report(s)) for s in docs.sections],
        "sentences": docs.rows, "labels": panel_labels, "types": panel_types,
        "sources": panel_sources, "observations": observations, "targets": targets,
    }
