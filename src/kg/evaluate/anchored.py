"""Gold sets anchored by quotes, for reports in datasets (``tests/gold/*-<slug>.csv`` with ``# input:``).

Gold sets written against the shipped corpora name their report and scope by what the text
says, not by segmenter indices, so they stay valid when segmentation changes:

* ``# input: data/corpora/state-council/government_work_reports.jsonl#69`` — the report: a file,
  or record N of a dataset, as ``kg build`` names it;
* ``# scope: from «first words» to «last words»`` — one or more spans of the text (the first
  occurrence of each quote; a file that holds the report twice is annotated in its first copy);
* observations: ``clause,text,unit,kind,direction,period,qualifier,indicator``, where ``clause``
  is a quote holding the number ``text`` once, and ``indicator`` lists accepted names with ``|``;
  ``note`` in the qualifier marks glossary and footnote numbers;
* entities: ``text,type``, and relations ``subject,predicate,object,sentence`` beside them.

A predicted observation matches the gold number whose characters it covers; precision and recall
count matches, and kind, unit, period, direction and indicator are scored on the matches.

>>> spans_of("甲乙丙丁戊己", ["from «乙丙» to «戊»"])
[(1, 5)]
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import defaultdict
from pathlib import Path

from kg.errors import InputError
from kg.evaluate.entities import GoldSet, normalise
from kg.evaluate.entities import Scores as EntityScores
from kg.evaluate.entities import score as score_entities
from kg.evaluate.observations import Scores as ObservationScores
from kg.evaluate.observations import report_lines
from kg.extract.entities import ENTITY_CLASSES
from kg.extract.observations import Observation, extract_observations, indicator_label
from kg.text.datasets import ReportInput, read_inputs
from kg.text.segment import Document, segment
from kg.text.source import read_text_file

__all__ = [
    "ATTRIBUTES",
    "ObservationScores",
    "evaluate_entities",
    "evaluate_observations",
    "is_anchored",
    "load_document",
    "observation_lines",
    "spans_of",
]

ATTRIBUTES = ("kind", "unit", "period", "direction", "indicator")
_SCOPE = re.compile(r"from «(.+?)» to «(.+?)»")
_DIGIT = re.compile(r"[0-9０-９]")


def is_anchored(path: str | Path) -> bool:
    """Whether a gold file names its report with ``# input:`` (this module's format)."""
    lines = read_text_file(path, what="a gold CSV file (.csv)").splitlines()
    return any(line.startswith("# input:") for line in lines if line.startswith("#"))


def _header(path: Path) -> tuple[str, list[str], list[dict[str, str]]]:
    lines = read_text_file(path, what="a gold CSV file (.csv)").splitlines()
    comments = [line for line in lines if line.startswith("#")]
    inputs = [line.split(":", 1)[1].strip() for line in comments if line.startswith("# input:")]
    if not inputs:
        raise InputError(f"{path}:1: no '# input: FILE[#N]' line naming the annotated report")
    scopes = [line.split(":", 1)[1].strip() for line in comments if line.startswith("# scope:")]
    rows = list(csv.DictReader(line for line in lines if not line.startswith("#")))
    return inputs[0], scopes, rows


def spans_of(text: str, scopes: list[str]) -> list[tuple[int, int]]:
    """Character spans of ``text`` that the scope lines cover (first occurrence of each quote)."""
    spans = []
    for scope in scopes:
        match = _SCOPE.search(scope)
        if not match:
            raise InputError(f"scope {scope!r} is not 'from «…» to «…»'")
        start = text.find(match.group(1))
        end = text.find(match.group(2), max(start, 0))
        if start < 0 or end < 0:
            raise InputError(f"scope quote not found in the report: {scope!r}")
        spans.append((start, end + len(match.group(2))))
    return spans


def load_document(ref: str) -> Document:
    """Segment the report a gold file names (``path`` or ``path#N``)."""
    container = ref.split("#", 1)[0]
    if not Path(container).exists():
        raise InputError(f"{container}: the gold set's report is missing; run from the project folder")
    for item in read_inputs([container]):
        if isinstance(item, ReportInput) and item.origin == ref:
            return segment(item.source, government=item.government, year=item.year, hints=item.fields)
    raise InputError(f"{ref}: no such report in {container}")


def observation_lines(scores: ObservationScores, *, details: bool = False) -> list[str]:
    """Human-readable lines for an anchored observation gold set (indicator instead of qualifier)."""
    return report_lines(scores, details=details, attributes=ATTRIBUTES)


def _agrees(attribute: str, predicted: Observation, row: dict[str, str]) -> bool:
    if attribute == "indicator":  # the reader's names, also as the curated synonym table names them
        names = [a for a in (row.get("indicator") or "").split("|") if a]
        accepted = {normalise(a) for a in names} | {normalise(indicator_label(a)) for a in names}
        return normalise(predicted.indicator) in accepted
    if attribute == "unit":  # ％ and % are one unit written in two widths
        return unicodedata.normalize("NFKC", predicted.unit) == unicodedata.normalize("NFKC", row.get("unit") or "")
    return str(getattr(predicted, attribute)) == (row.get(attribute) or "")


def evaluate_observations(path: str | Path, doc: Document | None = None,
                          predicted: tuple[Observation, ...] | None = None) -> ObservationScores:
    """Score the extractor on an anchored observation gold file."""
    path = Path(path)
    ref, scopes, rows = _header(path)
    doc = doc or load_document(ref)
    text = doc.source.text
    spans = spans_of(text, scopes)
    gold: list[tuple[int, int, dict[str, str]]] = []
    for number, row in enumerate(rows, start=2):
        clause, written = row.get("clause") or "", row.get("text") or ""
        at = text.find(clause)
        if not clause or at < 0 or written not in clause:
            raise InputError(f"{path}: row {number}: clause {clause!r} is not in the report or lacks {written!r}")
        start = at + clause.index(written)
        gold.append((start, start + len(written), row))
    observations = predicted if predicted is not None else extract_observations(doc)
    # a .chinese.csv file scores numbers written in Chinese numerals, the main file those in digits
    chinese = path.name.endswith(".chinese.csv")
    in_scope = [o for o in observations if any(a <= o.start < b for a, b in spans)
                and (_DIGIT.search(o.text) is None) == chinese]
    open_gold = list(gold)
    agree: dict[str, int] = defaultdict(int)
    matched, extras, wrong = 0, [], []
    for o in in_scope:
        hit = next((g for g in open_gold if g[0] < max(o.end, o.start + 1) and o.start < g[1]), None)
        if hit is None:
            extras.append(f"{text[max(0, o.start - 8):o.end + 4]!r} {o.text}{o.unit}")
            continue
        open_gold.remove(hit)
        matched += 1
        row = hit[2]
        for attribute in ATTRIBUTES:
            if _agrees(attribute, o, row):
                agree[attribute] += 1
            else:
                wrong.append(f"{row['clause']}: {attribute} {getattr(o, attribute)!r}≠{row.get(attribute)!r}")
    misses = [f"{g[2]['clause']}: {g[2]['text']}{g[2].get('unit', '')}" for g in open_gold]
    return ObservationScores(path.stem.removeprefix("observations-"), len(gold), len(in_scope), matched,
                             dict(agree), tuple(misses), tuple(extras), tuple(wrong))


def evaluate_entities(path: str | Path, doc: Document | None = None) -> EntityScores:
    """Score the extractor on an anchored entity gold file (and its ``.relations.csv``)."""
    path = Path(path)
    ref, scopes, rows = _header(path)
    doc = doc or load_document(ref)
    spans = spans_of(doc.source.text, scopes)
    entities: dict[str, str] = {}
    for number, row in enumerate(rows, start=2):
        if row.get("type") not in ENTITY_CLASSES:
            raise InputError(f"{path}: row {number}: type {row.get('type')!r} is not one of "
                             f"{', '.join(ENTITY_CLASSES)}")
        entities[normalise(row["text"])] = row["type"]
    rel_path = path.with_name(path.stem + ".relations.csv")
    relations: tuple[tuple[str, str, str], ...] = ()
    if rel_path.is_file():
        _, _, rel_rows = _header(rel_path) if is_anchored(rel_path) else ("", [], list(
            csv.DictReader(line for line in read_text_file(rel_path, what="a gold CSV file (.csv)").splitlines()
                           if not line.startswith("#"))))
        relations = tuple((normalise(r["subject"]), r["predicate"], normalise(r["object"])) for r in rel_rows)
    scope = {s.index for s in doc.sentences if any(a <= s.start < b for a, b in spans)}
    name = path.stem.removeprefix("entities-")
    return score_entities(doc, GoldSet(name, ("quoted scope",), entities, relations, name), scope=scope)
