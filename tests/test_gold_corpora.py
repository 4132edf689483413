"""The corpus gold sets (tests/gold/*.csv with '# input:') parse, anchor, and score.

Every clause of every gold set is found in its report, inside its scope; the scorer can fail
(a wrong attribute or a missed number counts); and on the development sets the numbers written
in digits keep being found (a floor under the first-run figures in tests/gold/SCORES.md, which
catches a reader or segmenter change that loses text). The held-aside sets (listed in
SCORES.md) are only parsed here.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from kg.evaluate.anchored import (
    _header,
    evaluate_observations,
    is_anchored,
    load_document,
    observation_lines,
    spans_of,
)
from kg.evaluate.targets import evaluate_targets, pair_of

GOLD = Path(__file__).parent / "gold"
ANCHORED = sorted(p for p in GOLD.glob("*.csv") if is_anchored(p) and not p.name.startswith("targets-"))
TARGETS = sorted(p for p in GOLD.glob("targets-*.csv") if is_anchored(p))
HELD_ASIDE = ("hebei-2007", "henan-2026", "gaoyang-2015", "anhui-2026", "jiangxi-2026", "hunan-2026",
              "fujian-2026", "hebei-2011", "neimenggu-2026",  # these three: the fifth round's
              "guizhou-2026", "guangxi-2026",  # these two: the sixth round's
              "jilin-2026", "beijing-2026", "state-council-1998", "state-council-2000",  # the seventh round's
              "tianjin-2026", "qinghai-2026",  # the eighth round's
              "hebei-2002", "entities-jiangsu-2026",  # the ninth round's (江苏's observation set is a development set)
              # the tenth round's (重庆's entity set and 山东's observation set are development sets)
              "observations-chongqing-2026", "entities-shandong-2026",
              # the eleventh round's: 陕西's observations (its entity set is a development set) and 福建's entities
              # (held aside by the name fujian-2026 above, with 福建's observations)
              "observations-shaanxi-2026",
              # the twelfth round's: 山西's observations (its entity set is a development set) and 河南's entities
              # (held aside by the name henan-2026 above, with 河南's observations)
              "observations-shanxi-2026")
DEV_OBSERVATIONS = sorted(p for p in ANCHORED if p.name.startswith("observations-") and ".chinese" not in p.name
                          and not any(h in p.name for h in HELD_ASIDE))


@pytest.mark.parametrize("path", ANCHORED, ids=lambda p: p.name)
def test_gold_set_anchors_in_its_report(path: Path) -> None:
    ref, scopes, rows = _header(path)
    if not scopes and path.name.endswith(".relations.csv"):  # relations share their entities' scope
        scopes = _header(path.with_name(path.name.replace(".relations.csv", ".csv")))[1]
    text = load_document(ref).source.text
    spans = spans_of(text, scopes)
    assert rows and spans
    quote = "clause" if "clause" in rows[0] else "sentence" if "sentence" in rows[0] else None
    for row in rows if quote else ():
        at = text.find(row[quote])
        assert at >= 0, f"{path.name}: {row[quote]!r} is not in the report"
        assert any(a <= at < b for a, b in spans), f"{path.name}: {row[quote]!r} is outside the scope"


@pytest.mark.parametrize("path", TARGETS, ids=lambda p: p.name)
def test_target_gold_quotes_both_reports(path: Path) -> None:
    """Each target clause is in the report that sets it; each stated outcome is in the next report."""
    source, outcome = pair_of(path)
    target_text, outcome_text = load_document(source).source.text, load_document(outcome).source.text
    rows = _header(path)[2]
    assert rows
    for row in rows:
        assert row["target_clause"] in target_text, f"{path.name}: {row['target_clause']!r} is not in {source}"
        if row["outcome_text"] != "not stated":
            assert row["outcome_text"] in outcome_text, f"{path.name}: {row['outcome_text']!r} is not in {outcome}"


@pytest.mark.parametrize("name", ["targets-state-council-2016.csv", "targets-hebei-2003.csv"])
def test_target_verdicts_keep_their_figures(name: str) -> None:
    """A floor under this round's figures (tests/gold/SCORES.md) on two development pairs."""
    score = evaluate_targets(GOLD / name)
    assert score.settled_judged >= score.judged - 1 and score.judged_right == score.settled_judged, score.wrong
    assert score.spurious == 0, score.wrong


@pytest.mark.parametrize("path", DEV_OBSERVATIONS, ids=lambda p: p.name)
def test_numbers_in_digits_keep_being_found(path: Path) -> None:
    scores = evaluate_observations(path)
    assert scores.precision >= 0.95 and scores.recall >= 0.95, observation_lines(scores, details=True)


def test_the_scorer_counts_wrong_attributes_and_misses() -> None:
    path = GOLD / "observations-state-council-2014.csv"
    doc = load_document(_header(path)[0])
    from kg.extract.observations import extract_observations

    predicted = extract_observations(doc)
    perfect = evaluate_observations(path, doc, predicted)
    spoiled = tuple(replace(o, period="1900") for o in predicted[::2])
    worse = evaluate_observations(path, doc, spoiled)
    assert worse.recall < perfect.recall and worse.accuracy("period") < 1.0
