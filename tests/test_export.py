"""kg export and kg analyze from the command line: every format parses back, scores written
with --write can be sorted by in SPARQL, errors exit 2 with a message and no traceback."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from rdflib import Graph

from kg.cli import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "cases" / "analysis-fixture.ttl"
REAL = ROOT / "data" / "triples.ttl"
E = "http://example.org/e/"


def run(*args: str) -> tuple[int, bytes, str]:
    result = CliRunner().invoke(main, list(args))
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout_bytes, result.stderr


@pytest.mark.parametrize("projection", ["entity", "comention", "industry-place"])
def test_graphml_and_gexf_read_back_with_networkx(projection):
    for fmt, read in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        code, out, _ = run("export", "--graph", str(FIXTURE), "--projection", projection, "--format", fmt)
        assert code == 0
        graph = read(io.BytesIO(out))
        assert graph.nodes[E + "jd"]["label"] == "嘉定区"
        assert graph.nodes[E + "jd"]["class"] == "Place"
        if projection == "comention":
            edge = graph.edges[E + "car", E + "jd"]
            assert int(edge["weight"]) == 2
            assert edge["evidence"] == "http://example.org/s/1 http://example.org/s/6"


def test_csv_has_one_row_per_edge_with_labels():
    code, out, _ = run("export", "--graph", str(FIXTURE), "--format", "csv", "--projection", "comention")
    rows = list(csv.DictReader(io.StringIO(out.decode("utf-8"))))
    assert code == 0 and len(rows) == 8
    row = next(r for r in rows if r["source_label"] == "汽车" and r["target_label"] == "嘉定区")
    assert row["weight"] == "2" and row["relations"] == "coMentionedWith"


@pytest.mark.parametrize("fmt, rdf_format", [("jsonld", "json-ld"), ("nt", "nt")])
def test_rdf_exports_parse_back_with_rdflib(fmt, rdf_format):
    code, out, _ = run("export", "--graph", str(FIXTURE), "--format", fmt)
    graph = Graph().parse(data=out.decode("utf-8"), format=rdf_format)
    assert code == 0
    expected = Graph().parse(data=f"""
        @prefix kg: <https://w3id.org/policykg/ontology#> . @prefix e: <{E}> .
        e:p1 kg:locatedIn e:jd ; kg:inIndustry e:car . e:p2 kg:locatedIn e:nx ; kg:inIndustry e:ai .
        e:nx kg:partOf e:jd .""", format="turtle")
    assert set(expected) <= set(graph)
    assert len(set(graph.subjects(predicate=None))) == 7  # every entity, with class and label


def test_export_output_file_is_written_and_same_as_stdout(tmp_path):
    target = tmp_path / "out" / "g.graphml"
    code, out, _ = run("export", "--graph", str(FIXTURE), "--format", "graphml", "-o", str(target))
    assert code == 0 and out == b""
    _, stdout, _ = run("export", "--graph", str(FIXTURE), "--format", "graphml")
    assert target.read_bytes() == stdout
    assert sorted(p.name for p in target.parent.iterdir()) == ["g.graphml"]  # no temporary file left


def test_export_stdout_is_utf8_whatever_the_locale():
    env = {"PATH": "/usr/bin:/bin", "LC_ALL": "C", "PYTHONIOENCODING": "ascii"}
    done = subprocess.run(
        [str(Path(sys.executable).parent / "kg"), "export", "--graph", str(FIXTURE), "--format", "csv"],
        capture_output=True, env=env, cwd=ROOT, check=False)
    assert done.returncode == 0, done.stderr.decode()
    assert "嘉定区" in done.stdout.decode("utf-8")


def test_export_needs_a_format_and_names_a_missing_graph(tmp_path):
    code, _, err = run("export", "--graph", str(FIXTURE))
    assert code == 2 and "--format" in err
    code, _, err = run("export", "--graph", str(tmp_path / "none.ttl"), "--format", "csv")
    assert code == 2 and "none.ttl: no such graph file" in err


def test_analyze_prints_a_ranking_in_each_format():
    code, out, _ = run("analyze", "--graph", str(FIXTURE), "--metric", "degree,core", "--top", "2", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out.decode("utf-8"))))
    # ties by label
    assert [(r["label"], r["degree"], r["core"]) for r in rows] == [("乙项目", "2", "1"), ("南翔镇", "2", "1")]
    code, out, _ = run("analyze", "--graph", str(FIXTURE), "--top", "3", "--format", "json")
    data = json.loads(out)
    assert data["head"]["vars"] == ["node", "label", "class", "pagerank", "degree", "betweenness", "community"]
    assert len(data["results"]["bindings"]) == 3
    code, out, _ = run("analyze", "--graph", str(FIXTURE), "--projection", "comention")
    assert code == 0 and "(7 rows)" in out.decode("utf-8")


def test_analyze_path_shows_the_sentences():
    code, out, _ = run("analyze", "--graph", str(FIXTURE), "--path", "甲项目", "南翔镇", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out.decode("utf-8"))))
    assert code == 0
    assert [(r["step"], r["source"], r["target"], r["relations"], r["text"]) for r in rows] == [
        ("1", "甲项目", "嘉定区", "locatedIn", "甲项目在嘉定区，属于汽车产业。"),
        ("2", "嘉定区", "南翔镇", "partOf", "南翔镇是嘉定区的一个镇。"),
    ]


@pytest.mark.parametrize("args, message", [
    (["--metric", "fame"], "fame: choose from degree"),
    (["--path", "区政府", "嘉定区"], "no path joins '区政府' and '嘉定区'"),
    (["--path", "火星", "嘉定区"], "no entity '火星' in this projection"),
    (["--projection", "places"], "'places' is not one of"),
])
def test_analyze_errors_exit_2_with_a_message(args, message):
    code, _, err = run("analyze", "--graph", str(FIXTURE), *args)
    assert code == 2 and message in err and "Traceback" not in err


def test_analyze_write_adds_scores_that_sparql_can_sort_by(tmp_path):
    from kg.analysis import project
    from kg.analysis.metrics import ranking
    from kg.query import sparql
    from kg.store import load_graph
    from kg.vocab.namespace import KG

    target = tmp_path / "scored.ttl"
    code, out, err = run("analyze", "--graph", str(REAL), "--projection", "comention", "--metric", "pagerank,community",
                         "--top", "3", "--write", str(target))
    original = load_graph(REAL)
    nodes = project(original, "comention").number_of_nodes()
    assert code == 0 and f"wrote {nodes} nodes' pagerank, community to {target}" in err
    assert out.decode("utf-8").endswith("(3 rows)\n")
    scored = load_graph(target)
    top = sparql("SELECT ?e ?pr WHERE { ?e kg:pageRank ?pr } ORDER BY DESC(?pr) ?e LIMIT 5", scored)
    expected = [r["node"] for r in ranking(project(original, "comention"), ["pagerank"], top=5)]
    assert list(top["e"]) == expected
    assert list(sparql("central-entities", scored)["entity"].head(5)) == expected  # the catalogue uses the scores
    scores = {t for t in scored if t[1] in (KG.pageRank, KG.community)}
    assert len(scores) == 2 * nodes
    assert set(scored) - scores == set(original)  # nothing else changed


def test_cli_choices_match_the_library():
    """The CLI lists projections and metrics itself (so `kg --help` need not import networkx)."""
    from kg.analysis import PROJECTIONS
    from kg.analysis.export import FORMATS
    from kg.analysis.metrics import METRICS
    from kg.cli import analysis as cli

    assert cli._PROJECTIONS == PROJECTIONS and cli._METRICS == METRICS
    formats = next(p for p in main.commands["export"].params if p.name == "fmt")
    assert tuple(formats.type.choices) == FORMATS  # type: ignore[attr-defined]
