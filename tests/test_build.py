"""kg build: deterministic, valid, up to date, and working on reports it has never seen."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import RDF, Graph

from kg.build import build_graph
from kg.cli import main
from kg.rdf.serialize import to_turtle
from kg.rdf.validate import validate_graph
from kg.vocab.iri import PREFIXES
from kg.vocab.namespace import KG

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
        main,
        ["build", str(SOURCES / "hebei-2022.txt"), "-o", str(out), "--government", "测试省人民政府", "--year", "2030"],
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


# --- corpus builds: parallel jobs, named graphs, streaming merge -------------------------------

def _build(args: list[str]) -> None:
    result = CliRunner().invoke(main, ["build", *args])
    assert result.exit_code == 0, result.output


def test_parallel_build_is_byte_identical_to_serial(tmp_path: Path):
    reports = [str(p) for p in sorted(SOURCES.glob("*.txt"))]
    for jobs in ("1", "2"):
        _build(["-o", str(tmp_path / f"j{jobs}.ttl"), "--jobs", jobs, *reports])
        _build(["-o", str(tmp_path / f"j{jobs}.trig"), "--jobs", jobs, *reports])
    assert (tmp_path / "j1.ttl").read_bytes() == (tmp_path / "j2.ttl").read_bytes()
    assert (tmp_path / "j1.trig").read_bytes() == (tmp_path / "j2.trig").read_bytes()
    assert (tmp_path / "j1.ttl").read_bytes() == (ROOT / "data" / "triples.ttl").read_bytes()


def test_named_graph_output_keeps_each_report_apart(tmp_path: Path):
    from rdflib import Dataset, URIRef

    from kg.store import load_graph, open_graph
    from kg.vocab.iri import report_iri

    reports = [str(p) for p in sorted(SOURCES.glob("*.txt"))]
    _build(["-o", str(tmp_path / "all.nq"), *reports])
    _build(["-o", str(tmp_path / "all.trig"), *reports])
    for name in ("all.nq", "all.trig"):
        dataset = load_graph(tmp_path / name)
        assert isinstance(dataset, Dataset)
        names = {str(g.identifier) for g in dataset.graphs() if len(g)}
        assert {str(report_iri(g, y)) for g, y in [("河北省人民政府", 2021), ("河北省人民政府", 2022),
                                                    ("上海市嘉定区人民政府", 2021)]} <= names
        jiading = dataset.graph(URIRef(report_iri("上海市嘉定区人民政府", 2021)))
        assert (None, KG.inReport, report_iri("河北省人民政府", 2021)) not in jiading
    # The union of the named graphs is exactly the Turtle build, on rdflib and on Oxigraph.
    union = Graph().parse(ROOT / "data" / "triples.ttl")
    assert len(load_graph(tmp_path / "all.trig")) == len(union)
    per_report = """SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?o a kg:Observation } } GROUP BY ?g"""
    counts = {"/".join(str(r[0]).rsplit("/", 2)[-2:]): int(r[1]) for r in open_graph(tmp_path / "all.trig").query(
        per_report, initNs={"kg": str(KG._NS)})}
    assert sorted(counts) == ["上海市嘉定区/2021", "河北省/2021", "河北省/2022"]
    assert sum(counts.values()) == len(set(union.subjects(RDF.type, KG.Observation)))


def test_unknown_output_suffix_exits_2_before_building(tmp_path: Path):
    result = CliRunner().invoke(main, ["build", "-o", str(tmp_path / "graph.json")])
    assert result.exit_code == 2
    assert "graph.json" in result.output and ".trig" in result.output
    assert not list(tmp_path.iterdir())


def test_a_failed_strict_build_leaves_the_previous_output_and_no_temporary_files(tmp_path: Path):
    output = tmp_path / "out.ttl"
    output.write_text("previous\n", encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01binary")
    result = CliRunner().invoke(main, ["build", "-o", str(output), "--jobs", "2", "--strict",
                                       str(SOURCES / "jiading-2021.txt"), str(bad)])
    assert result.exit_code == 2 and "bad.txt" in result.output and "--strict" in result.output
    assert output.read_text(encoding="utf-8") == "previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.txt", "out.ttl"]


def test_one_bad_report_never_costs_the_good_ones(tmp_path: Path):
    """Without --strict the good reports are built and written; the bad one is named; exit 3."""
    output = tmp_path / "out.ttl"
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01binary")
    result = CliRunner().invoke(main, ["build", "-o", str(output), "--jobs", "2",
                                       str(SOURCES / "jiading-2021.txt"), str(bad)])
    assert result.exit_code == 3, result.output
    assert "skipped" in result.output and "bad.txt" in result.output and "binary data" in result.output
    assert "from 1 report(s), skipped 1 input(s)" in result.output
    assert "上海市嘉定区" in output.read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.txt", "out.ttl"]


def test_merge_of_many_sorted_runs_streams_in_rounds(tmp_path: Path, monkeypatch):
    """More runs than the merge fan-in are merged in rounds, giving the same sorted, unique lines."""
    import kg.build as build_module

    monkeypatch.setattr(build_module, "_MERGE_FAN_IN", 3)
    spool = build_module._Spool(tmp_path)
    runs = [[f"<http://x/{i % 4}> <http://x/p> \"{j}\" .\n" for j in range(i, i + 3)] for i in range(10)]
    for i, run in enumerate(runs):
        spool.add(f"g{i}", sorted(run))
    assert list(spool.union()) == sorted({line for run in runs for line in run})


def test_stale_temporary_files_of_dead_builds_are_removed_and_live_ones_kept(tmp_path: Path):
    """Only kg's own temporary names are touched, and only when the process that wrote them is gone."""
    import os
    import subprocess
    import sys

    from kg.rdf.serialize import remove_stale_temps, temp_path

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(dead.stdout)
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        output = tmp_path / "triples.ttl"
        stale_file = tmp_path / f".triples.ttl.ab12cd34.kg-tmp-{dead_pid}"
        stale_dir = tmp_path / f".triples.ttl.parts.x1y2.kg-tmp-{dead_pid}"
        live_file = tmp_path / f".triples.ttl.ef56.kg-tmp-{alive.pid}"
        other_output = tmp_path / f".other.ttl.ab12.kg-tmp-{dead_pid}"
        unrelated = [tmp_path / ".triples.ttl.swp", tmp_path / f"triples.ttl.kg-tmp-{dead_pid}"]
        stale_dir.mkdir()
        (stale_dir / "run-000000.nt").write_text("x\n")
        for path in (stale_file, live_file, other_output, *unrelated):
            path.write_text("x")
        assert remove_stale_temps(tmp_path, output.name) == 2
        assert not stale_file.exists() and not stale_dir.exists()
        assert live_file.exists() and other_output.exists() and all(p.exists() for p in unrelated)
        assert temp_path(output).name.startswith(".triples.ttl.")
        assert temp_path(output).name.endswith(f".kg-tmp-{os.getpid()}")
        # kg build does the same before it writes
        build_result = CliRunner().invoke(main, ["build", str(SOURCES / "jiading-2021.txt"), "-o", str(output)])
        assert build_result.exit_code == 0, build_result.output
        assert other_output.exists() and live_file.exists()  # a build clears its own output's names only
        assert remove_stale_temps(tmp_path) == 1 and not other_output.exists()
    finally:
        alive.kill()
        alive.wait()
