"""Segmentation of the real report texts: metadata, sections, paragraphs, sentences, offsets.

Golden figures live in tests/cases/segments.json.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest

from kg.text.normalize import clean_line
from kg.text.segment import Document, segment
from kg.text.source import read_source

HERE = Path(__file__).resolve().parent
CASES = json.loads((HERE / "cases" / "segments.json").read_text(encoding="utf-8"))
SOURCES = HERE.parent / "data" / "source"


@pytest.fixture(scope="module", params=sorted(CASES), ids=[CASES[name]["label"] for name in sorted(CASES)])
def case(request: pytest.FixtureRequest) -> tuple[dict, Document]:
    expected = CASES[request.param]
    return expected, segment(read_source(SOURCES / expected["file"]))


def test_metadata_is_read_from_the_text(case):
    expected, doc = case
    meta = doc.meta
    assert {
        "government": meta.government,
        "year": meta.year,
        "delivered": meta.delivered,
        "speaker": meta.speaker,
        "speaker_role": meta.speaker_role,
    } == expected["meta"]


def test_sections_have_numbers_titles_and_nesting(case):
    expected, doc = case
    assert [[s.id, s.number, s.title] for s in doc.sections] == expected["sections"]
    ids = {s.id for s in doc.sections}
    assert all(s.parent is None or s.parent in ids for s in doc.sections)


def test_paragraph_and_sentence_counts(case):
    expected, doc = case
    assert (len(doc.paragraphs), len(doc.sentences)) == (expected["paragraphs"], expected["sentences"])
    assert doc.sentences[0].text == expected["first_sentence"]
    assert doc.sentences[-1].text == expected["last_sentence"]


def test_broken_lines_are_joined_inside_one_sentence(case):
    expected, doc = case
    for phrase in expected["joined"]:
        assert any(phrase in s.text for s in doc.sentences), phrase


def test_navigation_captions_and_footers_are_not_report_text(case):
    expected, doc = case
    for phrase in expected["absent"]:
        assert not any(phrase in s.text for s in doc.sentences), phrase


def _normalised(raw: str) -> str:
    return "".join(clean_line(line, 0).text for line in raw.split("\n"))


def test_sentence_offsets_round_trip_to_the_original_file(case):
    """The original text at a sentence's offsets, with line breaks and stray spaces removed,
    is the sentence; and it starts and ends on the sentence's first and last characters."""
    _, doc = case
    original = doc.source.text
    for sentence in doc.sentences:
        raw = original[sentence.start : sentence.end]
        assert _normalised(raw) == sentence.text, sentence.index
        assert unicodedata.normalize("NFKC", raw[0]) == unicodedata.normalize("NFKC", sentence.text[0])
        assert unicodedata.normalize("NFKC", raw[-1]) == unicodedata.normalize("NFKC", sentence.text[-1])


def test_span_of_a_number_finds_it_in_the_original_file():
    doc = segment(read_source(SOURCES / "jiading-2021.txt"))
    sentence = next(s for s in doc.sentences if "23.1万人次" in s.text)
    i = sentence.text.index("23.1")
    start, end = sentence.span(i, i + 4)
    assert doc.source.text[start:end] == "23.1"
    # the PDF page put a space before the number; the offsets skip it
    assert doc.source.text[start - 1] == " "


def test_every_sentence_ends_a_sentence_or_is_a_heading(case):
    _, doc = case
    for sentence in doc.sentences:
        if not re.search(r"[。！？：；”]$", sentence.text):
            assert sentence.text.startswith(tuple(s.number for s in doc.sections)), sentence.text


METADATA_CASES = json.loads((HERE / "cases" / "metadata.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", METADATA_CASES, ids=lambda c: c["label"])
def test_front_matter_variants(case: dict):
    from kg.text.metadata import read_metadata
    from kg.text.normalize import clean_lines

    meta = read_metadata(clean_lines(case["front"]))
    got = {k: getattr(meta, k) for k in case["expected"]}
    assert got == case["expected"]
