"""kg corpus: variant reports that are deterministic, realistic enough to extract from, and valid."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.build import build_graph
from kg.cli import main
from kg.errors import InputError
from kg.rdf.validate import validate_graph
from kg.synthetic import YEARS, generate, governments, write_corpus
from kg.text.segment import segment
from kg.text.source import read_source
from kg.vocab.namespace import KG

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "data" / "source"


def _bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.txt"))}


def test_same_seed_gives_the_same_bytes(tmp_path: Path):
    write_corpus(6, tmp_path / "a", seed=3)
    write_corpus(6, tmp_path / "b", seed=3)
    write_corpus(6, tmp_path / "c", seed=4)
    assert _bytes(tmp_path / "a") == _bytes(tmp_path / "b")
    assert _bytes(tmp_path / "a") != _bytes(tmp_path / "c")


def test_a_smaller_corpus_is_a_prefix_of_a_bigger_one():
    small, big = generate(4, seed=0), generate(12, seed=0)
    assert small == big[:4]


def test_each_report_has_its_own_government_and_year():
    variants = generate(300, seed=0)
    assert len({(v.government, v.year) for v in variants}) == 300
    assert {v.year for v in variants} <= set(YEARS)
    assert {v.base for v in variants} == {p.stem for p in SOURCES.glob("*.txt")}


def test_variants_read_back_with_their_new_metadata(tmp_path: Path):
    result = write_corpus(9, tmp_path, seed=0)
    variants = generate(9, seed=0)
    for path, variant in zip(result.paths, variants, strict=True):
        doc = segment(read_source(path))
        assert (doc.meta.government, doc.meta.year) == (variant.government, variant.year), path.name
        assert len(doc.sentences) > 150, path.name
        # The base report's own government and speaker are gone (unless it drew itself).
        if "嘉定" not in variant.government:
            assert "嘉定" not in variant.text
        if "河北" not in variant.government:
            assert "河北省人民政府" not in variant.text and "许勤" not in variant.text


def test_numbers_are_perturbed_and_paragraphs_recombined():
    jiading = read_source(SOURCES / "jiading-2021.txt").text
    variant = next(v for v in generate(10, seed=0) if v.base == "jiading-2021")
    # The opening figures of the review are real numbers in the source, perturbed in the variant.
    assert "2213.9亿元" not in jiading and "1227.7亿元" in jiading
    assert "1227.7亿元" not in variant.text
    original = [line for line in jiading.split("\n") if len(line) > 200]
    kept = [line for line in variant.text.split("\n") if line in set(original)]
    assert len(kept) < len(original) // 2  # most long paragraphs hold a perturbed number now


def test_generated_reports_build_and_validate(tmp_path: Path):
    result = write_corpus(3, tmp_path, seed=0)
    graph = build_graph(list(result.paths))
    assert len(set(graph.subjects(predicate=None, object=KG.Report))) == 3
    assert len(set(graph.subjects(object=KG.Observation))) > 300  # the extraction found real figures
    report = validate_graph(graph)
    assert report.conforms, report.describe()


def test_rewriting_a_corpus_replaces_its_files(tmp_path: Path):
    write_corpus(5, tmp_path, seed=0)
    write_corpus(2, tmp_path, seed=1)
    assert sorted(_bytes(tmp_path)) == sorted(f"{v.name}.txt" for v in generate(2, seed=1))


@pytest.mark.parametrize(("n", "match"), [(0, "at least 1 report"), (len(YEARS) * 10_000, "at most")])
def test_bad_sizes_are_refused(n: int, match: str):
    with pytest.raises(InputError, match=match):
        generate(n)


def test_a_folder_holding_other_reports_is_refused(tmp_path: Path):
    (tmp_path / "mine.txt").write_text("各位代表：", encoding="utf-8")
    with pytest.raises(InputError, match="already holds other reports"):
        write_corpus(2, tmp_path)


def test_a_source_without_an_opening_is_refused(tmp_path: Path):
    bad = tmp_path / "bad.txt"
    bad.write_text("2021年X区人民政府工作报告\n——2021年2月3日在X区人大会议上\nX区人民政府区长 高香\n"
                   "一、2020年工作回顾\n今年我们做了很多工作。\n",
                   encoding="utf-8")
    with pytest.raises(InputError, match="opening address"):
        generate(1, sources=[bad])


def test_governments_table_is_consistent():
    rows = governments()
    assert len({g.name for g in rows}) == len(rows)
    for g in rows:
        assert g.name.startswith(g.stem) and g.level in ("province", "city", "district")
        assert bool(g.parent) == (g.level == "district")


def test_cli_writes_the_corpus(tmp_path: Path):
    result = CliRunner().invoke(main, ["corpus", "4", "-o", str(tmp_path / "c"), "--seed", "2"])
    assert result.exit_code == 0, result.output
    assert _bytes(tmp_path / "c") == {f"{v.name}.txt": v.text.encode("utf-8") for v in generate(4, seed=2)}
    bad = CliRunner().invoke(main, ["corpus", "100000", "-o", str(tmp_path / "d")])
    assert bad.exit_code == 2 and "at most" in bad.output
