"""kg build: deterministic, valid, up to date, and working on reports it has never seen."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.build import build_graph
from kg.cli import main
from kg.namespace import KG
from kg.rdf import PREFIXES
from kg.serialize import to_turtle
from kg.validate import validate_graph

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "data" / "source"


def test_committed_triples_are_up_to_date(built_graph):
    committed = (ROOT / "data" / "triples.ttl").read_text(encoding="utf-8")
    assert committed == to_turtle(built_graph, PREFIXES), "data/triples.ttl is stale: run kg build"


def test_build_is_byte_identical_twice(tmp_path: Path):
    runner = CliRunner()
    outputs = []
    for name in ("a.ttl", "b.ttl"):
        result = runner.invoke(main, ["build", "-o", str(tmp_path / name), *map(str, sorted(SOURCES.glob("*.txt")))])
        assert result.exit_code == 0, result.output
        outputs.append((tmp_path / name).read_bytes())
    assert outputs[0] == outputs[1]


def test_built_graph_conforms(built_graph):
    report = validate_graph(built_graph)
    assert report.conforms, report.describe()


def test_turtle_round_trips_to_an_isomorphic_graph(built_graph):
    from rdflib import Graph
    from rdflib.compare import isomorphic

    parsed = Graph().parse(data=to_turtle(built_graph, PREFIXES), format="turtle")
    assert isomorphic(parsed, built_graph)


def _variant(text: str) -> str:
    """The Jiading report as another site might publish it: CRLF line ends, full-width digits,
    no blank lines, a navigation header and a footer."""
    fullwidth = str.maketrans("0123456789", "０１２３４５６７８９")
    body = "\r\n".join(line for line in text.split("\n") if line.strip()).translate(fullwidth)
    return "首页\r\n政务公开\r\n" + body + "\r\n版权所有 © 某某区人民政府\r\n"


def test_build_works_on_a_report_it_has_never_seen(tmp_path: Path):
    unseen = tmp_path / "某区-报告.txt"
    unseen.write_text(_variant((SOURCES / "jiading-2021.txt").read_text(encoding="utf-8")), encoding="utf-8")
    graph = build_graph([unseen])
    assert validate_graph(graph).conforms
    reference = build_graph([SOURCES / "jiading-2021.txt"])
    count = lambda g: len(set(g.subjects(predicate=KG.text)))  # noqa: E731
    assert count(graph) == count(reference)
    texts = {str(o) for o in graph.objects(predicate=KG.text)}
    assert any("全区增加值完成2488.4亿元" in t for t in texts)
    assert not any("版权所有" in t or "政务公开" in t for t in texts)


def test_overrides_replace_metadata(tmp_path: Path):
    out = tmp_path / "x.ttl"
    result = CliRunner().invoke(
        main, ["build", str(SOURCES / "hebei-2022.txt"), "-o", str(out), "--government", "测试省人民政府", "--year", "2030"]
    )
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "report/测试省/2030" in text and '"测试省人民政府"' in text


def test_failed_build_leaves_the_old_output_untouched(tmp_path: Path):
    out = tmp_path / "keep.ttl"
    out.write_text("old", encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes("各位代表：".encode("gb18030"))
    result = CliRunner().invoke(main, ["build", str(bad), "-o", str(out)])
    assert result.exit_code == 2
    assert out.read_text(encoding="utf-8") == "old"
    assert not list(tmp_path.glob(".keep.ttl.*"))


@pytest.mark.parametrize("report", sorted(p.name for p in SOURCES.glob("*.txt")))
def test_each_report_validates_on_its_own(report: str):
    assert validate_graph(build_graph([SOURCES / report])).conforms
