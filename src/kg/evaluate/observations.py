"""Score observation extraction against hand annotation in ``tests/gold/observations-*.csv``.

A gold file ``observations-<report>.csv`` annotates ``data/source/<report>.txt``. Comment lines at
its top give the ``# scope:`` — ``all``, or the ids of the sections whose own sentences were
annotated (``1.1`` covers the sentences of section 1.1, not of 1.1.2). Each row is one quantity:
``sentence,text,unit,kind,direction,period,qualifier``, where ``sentence`` is the 1-based sentence
index and ``text`` the number as written.

A predicted observation matches a gold one in the same sentence with the same number text (in
reading order when a number occurs twice). Precision and recall count matches; attribute accuracy
is measured over the matches.

>>> s = Scores("x", 10, 9, 9, {"kind": 8})
>>> round(s.precision, 3), round(s.recall, 3), s.accuracy("kind")
(1.0, 0.9, 0.889)
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import InputError
from kg.evaluate.scoring import PrecisionRecall, ratio
from kg.extract.observations import Observation, extract_observations
from kg.text.segment import Document, segment
from kg.text.source import read_source, read_text_file

ATTRIBUTES = ("kind", "unit", "period", "direction", "qualifier")


@dataclass(frozen=True)
class GoldSet:
    """Hand-annotated observations of a report, limited to a scope of sections."""

    report: str
    scope: tuple[str, ...] | None  # None: the whole report
    rows: tuple[dict[str, str], ...]


@dataclass(frozen=True)
class Scores(PrecisionRecall):
    """Matches between gold and predicted observations, and attribute agreement on the matches."""

    report: str
    gold: int
    predicted: int
    matched: int
    agree: dict[str, int] = field(default_factory=dict)
    misses: tuple[str, ...] = ()
    extras: tuple[str, ...] = ()
    wrong: tuple[str, ...] = ()

    def accuracy(self, attribute: str) -> float:
        """Share of matched observations whose ``attribute`` equals the gold value."""
        return round(ratio(self.agree.get(attribute, 0), self.matched), 3)


def read_gold(path: str | Path) -> GoldSet:
    """Read a gold file; its report is the name after ``observations-``."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such gold file")
    scope: tuple[str, ...] | None = None
    lines = read_text_file(path, what="a gold CSV file (.csv)").splitlines()
    for line in lines:
        if line.startswith("# scope:"):
            words = line.split(":", 1)[1].split()
            scope = None if words == ["all"] else tuple(words)
    rows = tuple(csv.DictReader(line for line in lines if not line.startswith("#")))
    for number, row in enumerate(rows, start=2):
        if not (row.get("sentence") or "").isdigit() or not row.get("text"):
            raise InputError(f"{path}: row {number}: needs a sentence index and a number text")
    return GoldSet(path.stem.removeprefix("observations-"), scope, rows)


def score(gold: GoldSet, doc: Document, predicted: tuple[Observation, ...] | None = None) -> Scores:
    """Compare the extractor's observations of ``doc`` with a gold set."""
    observations = predicted if predicted is not None else extract_observations(doc)
    in_scope = {s.index for s in doc.sentences if gold.scope is None or s.section in gold.scope}
    texts = {s.index: s.text for s in doc.sentences}
    for row in gold.rows:
        if row["text"] not in texts.get(int(row["sentence"]), ""):
            raise InputError(f"gold {gold.report}: sentence {row['sentence']} has no {row['text']!r}; "
                             "the segmentation changed: re-check the sentence indices")
    wanted: dict[tuple[int, str], list[dict[str, str]]] = defaultdict(list)
    for row in gold.rows:
        wanted[int(row["sentence"]), row["text"]].append(row)
    predicted_in_scope = [o for o in observations if o.sentence in in_scope]
    agree: dict[str, int] = defaultdict(int)
    matched, extras, wrong = 0, [], []
    for o in predicted_in_scope:
        queue = wanted.get((o.sentence, o.text))
        if not queue:
            extras.append(f"{o.sentence}:{o.text}{o.unit}")
            continue
        row = queue.pop(0)
        matched += 1
        for attribute in ATTRIBUTES:
            if getattr(o, attribute) == row[attribute]:
                agree[attribute] += 1
            elif attribute in ("kind", "unit", "period", "direction"):
                wrong.append(f"{o.sentence}:{o.text} {attribute} {getattr(o, attribute)!r}≠{row[attribute]!r}")
    misses = [f"{k[0]}:{k[1]}{r['unit']}" for k, rows in wanted.items() for r in rows]
    return Scores(gold.report, len(gold.rows), len(predicted_in_scope), matched, dict(agree),
                  tuple(misses), tuple(extras), tuple(wrong))


def evaluate(gold_path: str | Path, source_dir: str | Path) -> Scores:
    """Score the report a gold file names, read from ``source_dir``."""
    gold = read_gold(gold_path)
    source = Path(source_dir) / f"{gold.report}.txt"
    if not source.is_file():
        raise InputError(f"{source}: the report of gold file {gold_path} is missing")
    return score(gold, segment(read_source(source)))


def report_lines(scores: Scores, *, details: bool = False, attributes: tuple[str, ...] = ATTRIBUTES) -> list[str]:
    """Human-readable lines for one gold set (the accuracy of each of ``attributes``)."""
    lines = [f"{scores.report}: gold {scores.gold}, predicted {scores.predicted}, matched {scores.matched}: "
             f"precision {scores.precision:.3f}, recall {scores.recall:.3f}",
             "  accuracy on matches: " + ", ".join(f"{a} {scores.accuracy(a):.3f}" for a in attributes)]
    if details:
        lines += [f"  missed {m}" for m in scores.misses]
        lines += [f"  extra {e}" for e in scores.extras]
        lines += [f"  wrong {w}" for w in scores.wrong]
    return lines
