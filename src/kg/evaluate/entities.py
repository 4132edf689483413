"""Score entity and relation extraction against hand annotation in ``tests/gold/``.

A gold set is ``entities-<report>[.<name>].csv`` (``section,text,type``: one row per distinct surface form
in the annotated sections) and optionally ``entities-<report>.relations.csv``
(``subject,predicate,object,sentence``). The report is ``data/source/<report>.txt``; the scope is
the sections named in the ``section`` column (``1`` covers 1, 1.1, 1.2.3 …).

Entities are compared as distinct surface forms after light normalisation (quotes, 《》 and a
trailing 产业 are ignored), so the score says how many of the annotated names were found, with
which type. A predicted relation is correct when the gold set has the same predicate and its
subject and object are among the predicted entities' label or aliases.

The government speaking as "we" (山西省人民政府, 国务院) has a row in most gold sets, noted as "not
written in the scope; used as a relation endpoint". Such a row is left out of the entity figures
when its name does not occur in the scope's text and it is the report's own government
(``doc.meta.government``, or the reporting government the extractor mints; a shorter form ending in
政府, 嘉定区人民政府 for 上海市嘉定区人民政府, counts too): no extractor can find a name that is not
written, so counting it would only lower recall by one in every set. It stays a relation endpoint,
and any other gold row is counted missed as before, written in the scope or not.

>>> normalise("“十三五”规划"), normalise("生物医药产业")
('十三五规划', '生物医药')
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path

from kg.errors import InputError
from kg.evaluate.scoring import PrecisionRecall, ratio
from kg.extract.entities import ENTITY_CLASSES, Extraction, Lexicon, extract_entities, load_lexicon
from kg.extract.relations import Relation, find_relations
from kg.resources import read_table
from kg.text.segment import Document, segment
from kg.text.source import read_source

_IGNORED = re.compile(r"[“”\"《》「」\s]")


def normalise(text: str) -> str:
    """The form surface texts are compared in."""
    text = _IGNORED.sub("", text)
    return text[:-2] if text.endswith("产业") and len(text) > 3 else text


@dataclass(frozen=True)
class GoldSet:
    """Hand-annotated entities (normalised text → type) and relations of some sections."""

    report: str
    sections: tuple[str, ...]
    entities: dict[str, str]
    relations: tuple[tuple[str, str, str], ...] = ()
    source: str = ""  # the report's file stem; defaults to ``report``


@dataclass(frozen=True)
class Scores(PrecisionRecall):
    """Precision/recall by type, type accuracy and relation precision for one gold set."""

    report: str
    sections: tuple[str, ...]
    gold: int
    predicted: int
    matched: int
    typed: int
    by_type: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # type → (gold, predicted, matched)
    relations_predicted: int = 0
    relations_correct: int = 0
    relations_gold: int = 0
    relations_found: int = 0
    missed: tuple[str, ...] = ()
    spurious: tuple[str, ...] = ()
    wrong_type: tuple[str, ...] = ()
    wrong_relations: tuple[str, ...] = ()
    missed_relations: tuple[str, ...] = ()
    left_out: tuple[str, ...] = ()  # gold rows not scored: the speaking government, not written in the scope

    @property
    def type_accuracy(self) -> float:
        return ratio(self.typed, self.matched)

    @property
    def relation_precision(self) -> float:
        return ratio(self.relations_correct, self.relations_predicted)

    @property
    def relation_recall(self) -> float:
        return ratio(self.relations_found, self.relations_gold)

    def describe(self, *, details: bool = False) -> str:
        """A printable report of the figures (and, with ``details``, the errors)."""
        lines = [
            f"{self.report} sections {','.join(self.sections)}: {self.gold} gold entities, {self.predicted} predicted",
            f"  entities: precision {self.precision:.3f}  recall {self.recall:.3f}"
            f"  type accuracy {self.type_accuracy:.3f}",
        ]
        for cls, (g, p, m) in sorted(self.by_type.items()):
            prec = f"{m / p:.3f}" if p else "  -  "
            rec = f"{m / g:.3f}" if g else "  -  "
            lines.append(f"    {cls:<13} gold {g:>3}  predicted {p:>3}  precision {prec}  recall {rec}")
        if self.relations_predicted or self.relations_gold:
            lines.append(
                f"  relations: {self.relations_predicted} predicted, precision {self.relation_precision:.3f}; "
                f"{self.relations_gold} gold, recall {self.relation_recall:.3f}"
            )
        if details:
            for title, items in (("left out (the government speaking, not written in the scope)", self.left_out),
                                 ("missed", self.missed), ("spurious", self.spurious),
                                 ("wrong type", self.wrong_type), ("wrong relations", self.wrong_relations),
                                 ("missed relations", self.missed_relations)):
                if items:
                    lines.append(f"  {title}: " + " | ".join(items))
        return "\n".join(lines)


def load_gold(path: str | Path) -> GoldSet:
    """Read ``entities-<report>.csv`` and its ``.relations.csv`` sibling if present."""
    path = Path(path)
    report = path.stem.removeprefix("entities-").split(".")[0]  # entities-hebei-2022.blind.csv → hebei-2022
    entities: dict[str, str] = {}
    sections: list[str] = []
    for line, row in enumerate(read_table(path), start=2):
        if row.get("type") not in ENTITY_CLASSES:
            raise InputError(f"{path}: row {line}: type {row.get('type')!r} is not one of {', '.join(ENTITY_CLASSES)}")
        entities[normalise(row["text"])] = row["type"]
        if row["section"] not in sections:
            sections.append(row["section"])
    rel_path = path.with_name(path.stem + ".relations.csv")
    relations = tuple((normalise(r["subject"]), r["predicate"], normalise(r["object"]))
                      for r in read_table(rel_path)) if rel_path.is_file() else ()
    return GoldSet(path.stem.removeprefix("entities-"), tuple(sections), entities, relations, report)


def in_scope(section: str | None, sections: tuple[str, ...]) -> bool:
    """Whether a sentence's section id falls under one of ``sections``."""
    return section is not None and any(section == s or section.startswith(s + ".") for s in sections)


def _speaking_government(text: str, governments: set[str]) -> bool:
    """Whether a gold name is the report's own government (嘉定区人民政府 for 上海市嘉定区人民政府).

    >>> own = {"上海市嘉定区人民政府"}
    >>> _speaking_government("嘉定区人民政府", own), _speaking_government("嘉定区", own)
    (True, False)
    """
    return text in governments or (text.endswith("政府") and any(g.endswith(text) for g in governments))


def score(doc: Document, gold: GoldSet, extraction: Extraction | None = None,
          relations: list[Relation] | None = None, lexicon: Lexicon | None = None,
          scope: set[int] | None = None) -> Scores:
    """Score what was extracted from ``doc`` against ``gold``, in the gold set's sections or,
    given ``scope``, in those sentences (by index)."""
    extraction = extraction or extract_entities(doc)
    if scope is None:
        scope = {s.index for s in doc.sentences if in_scope(s.section, gold.sections)}
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for m in extraction.mentions:
        if m.sentence in scope:  # an item named with the head it shares is its restored name (快速响应机制)
            votes[normalise(m.key if m.source == "parallel" else m.text)][m.cls] += 1
    predicted = {text: counter.most_common(1)[0][0] for text, counter in votes.items()}
    scope_text = _IGNORED.sub("", "".join(s.text for s in doc.sentences if s.index in scope))
    governments = {normalise(g) for g in (doc.meta.government, extraction.government) if g}
    left_out = {t for t in gold.entities if _speaking_government(t, governments) and t not in scope_text}
    gold = replace(gold, entities={t: c for t, c in gold.entities.items() if t not in left_out})
    matched = [t for t in predicted if t in gold.entities]
    by_type: dict[str, tuple[int, int, int]] = {}
    for cls in ENTITY_CLASSES:
        n_gold = sum(1 for t in gold.entities.values() if t == cls)
        n_pred = sum(1 for t in predicted.values() if t == cls)
        n_hit = sum(1 for t in matched if predicted[t] == cls and gold.entities[t] == cls)
        by_type[cls] = (n_gold, n_pred, n_hit)

    relations = relations if relations is not None else find_relations(extraction, doc)
    names: dict[str, set[str]] = defaultdict(set)
    lex = lexicon or load_lexicon()
    for label, entry in lex.entries.items():
        names[label] = {normalise(label), *(normalise(a) for a in entry.alt)}
    for e in extraction.entities:
        names[e.key] = {normalise(e.key), *(normalise(a) for a in e.aliases)}
    gold_rel = set(gold.relations)
    predicted_rel = {(r.subject, r.predicate, r.object) for r in relations if r.sentence in scope}

    def hit(rel: tuple[str, str, str]) -> tuple[str, str, str] | None:
        s, p, o = rel
        return next((g for g in gold_rel if g[1] == p and g[0] in names.get(s, {normalise(s)})
                     and g[2] in names.get(o, {normalise(o)})), None)

    hits = {rel: hit(rel) for rel in predicted_rel}
    found = {h for h in hits.values() if h}  # the gold relations some prediction matched
    return Scores(
        report=gold.report, sections=gold.sections, gold=len(gold.entities), predicted=len(predicted),
        matched=len(matched), typed=sum(1 for t in matched if predicted[t] == gold.entities[t]), by_type=by_type,
        relations_predicted=len(predicted_rel) if gold_rel else 0,
        relations_correct=sum(1 for h in hits.values() if h) if gold_rel else 0,
        relations_gold=len(gold_rel), relations_found=len(found),
        missed=tuple(sorted(f"{t}/{c}" for t, c in gold.entities.items() if t not in predicted)),
        spurious=tuple(sorted(f"{t}/{c}" for t, c in predicted.items() if t not in gold.entities)),
        wrong_type=tuple(sorted(f"{t}: {predicted[t]}≠{gold.entities[t]}" for t in matched
                                if predicted[t] != gold.entities[t])),
        wrong_relations=tuple(sorted(f"{s} {p} {o}" for (s, p, o), h in hits.items() if not h)) if gold_rel else (),
        missed_relations=tuple(sorted(" ".join(g) for g in gold_rel - found)),
        left_out=tuple(sorted(left_out)),
    )


def evaluate(gold_path: str | Path, source_dir: str | Path = "data/source",
             lexicon: Lexicon | None = None) -> Scores:
    """Score the extractor on one gold file against its report in ``source_dir``."""
    gold = load_gold(gold_path)
    source = Path(source_dir) / f"{gold.source or gold.report}.txt"
    if not source.is_file():
        raise InputError(f"{gold_path}: its report {source} does not exist; name the folder with --source")
    doc = segment(read_source(source))
    return score(doc, gold, extract_entities(doc, lexicon), lexicon=lexicon)
