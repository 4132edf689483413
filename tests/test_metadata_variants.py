"""Report metadata from everything the text and its container say (tests/cases/metadata-variants.json).

Each case is a real shape of front matter from the shipped collections: press versions, delivery
lines in titles, speaker lines in their variety, collector headers, dataset fields, file names.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.text.segment import segment
from kg.text.source import SourceText

CASES = json.loads((Path(__file__).parent / "cases" / "metadata-variants.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[c["label"] for c in CASES])
def test_metadata_variant(case: dict) -> None:
    source = SourceText(Path(case.get("file", "report.txt")), case["text"], "")
    meta = segment(source, hints=case.get("hints")).meta
    for field, expected in case["expected"].items():
        got = getattr(meta, field)
        assert (list(got) if isinstance(got, tuple) else got) == expected, f"{case['label']}: {field}"
