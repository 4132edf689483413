"""Every golden case in tests/cases says what it is and what it pins (see tests/cases/README.md).

A golden case carries a ``label``, unique in its file (the tests use it as the pytest id), and
``pins``, one sentence naming the rule or fact it holds the code to. Snapshot files, written by a
script from what the code answered, pin change instead and are listed apart.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
#: golden file -> its list of cases
GOLDEN: dict[str, Callable[[Any], list[dict]]] = {
    "metadata.json": lambda data: data,
    "metadata-variants.json": lambda data: data,
    "observations.json": lambda data: data["cases"],
    "segments.json": lambda data: list(data.values()),
    "verdicts.json": lambda data: data,
}
#: snapshot file -> what writes it
SNAPSHOTS = {"analysis-pagerank.json": "tests/test_analysis.py, run as a script"}


def test_every_case_file_is_golden_or_a_snapshot():
    found = {p.name for p in HERE.glob("*.json")}
    assert found == set(GOLDEN) | set(SNAPSHOTS), (
        f"list each case file in GOLDEN (cases checked by hand, with label and pins) or SNAPSHOTS here, "
        f"and in tests/cases/README.md: new {sorted(found - set(GOLDEN) - set(SNAPSHOTS))}, "
        f"gone {sorted(set(GOLDEN) | set(SNAPSHOTS) - found)}"
    )


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_every_golden_case_has_a_label_and_says_what_it_pins(name: str):
    cases = GOLDEN[name](json.loads((HERE / name).read_text(encoding="utf-8")))
    assert cases, f"{name} holds no cases"
    bare = [i for i, case in enumerate(cases)
            if not str(case.get("label", "")).strip() or not str(case.get("pins", "")).strip()]
    assert not bare, f"{name}: cases without a label or without pins (what the case holds the code to): {bare}"
    twice = [label for label, n in Counter(case["label"] for case in cases).items() if n > 1]
    assert not twice, f"{name}: labels used twice (they are pytest ids): {twice}"
