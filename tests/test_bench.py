"""A smoke test of the benchmark harness (bench/run.py) on a corpus of 2 reports, so it does not rot.

The real benchmark runs on demand (make bench); this only checks that every stage runs, that the
table and bench results JSON come out, and that the parallel build matches the serial one.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def bench_run():
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_run"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_the_harness_runs_on_three_reports(bench_run, tmp_path: Path, capsys):
    import subprocess

    out = tmp_path / "results.json"
    work = tmp_path / "work"
    try:
        code = bench_run.main(["--sizes", "1,3", "--repeat", "1", "--no-browser", "--skip", "view,jiading",
                               "--incremental-from", "3", "--real-limit", "2", "--baseline", "HEAD",
                               "--query-limit", "0.1", "--query-limit-max", "0.1", "--baseline-max-triples", "15000",
                               "-o", str(out), "--work", str(work)])
    finally:  # the baseline worktree the bench checked out (of HEAD, under the work folder)
        subprocess.run(["git", "worktree", "remove", "--force", str(work / "baseline")], cwd=ROOT, capture_output=True)
    assert code == 0
    results = json.loads(out.read_text(encoding="utf-8"))
    areas = {row["area"] for row in results["rows"]}
    assert {"corpus", "build", "load", "query", "analysis"} <= areas
    identical = [r for r in results["rows"] if r["measure"] == "--jobs 2 output byte-identical to serial"]
    assert len(identical) == 3 and all(r["met"] for r in identical)  # two synthetic sizes and the real reports
    measures = {(r["area"], r["measure"]): r for r in results["rows"]}
    against = [r for r in results["rows"] if r["measure"].startswith("report text per second")]
    assert len(against) == 6 and all(r["baseline"] for r in against)
    assert measures[("dask", "kg build --scheduler (LocalCluster, 2 worker processes)")]["met"]
    for measure in ("N-Quads: rebuild after adding one report", "Turtle: rebuild after adding one report",
                    "Turtle: rebuild after changing one lexicon row"):
        assert measures[("incremental", measure)]["met"], measure
    assert len(results["queries"]) >= 2 * 20  # every catalogue query, at both sizes
    assert {s["stage"] for s in results["scaling"]} >= {"build", "load"}
    printed = capsys.readouterr().out
    assert printed.startswith("| area") and "goals missed" in printed


def test_scaling_says_linear_or_not(bench_run):
    rows = [bench_run.Row("build", "kg build --jobs 2", f"{n} reports", seconds, "s")
            for n, seconds in ((10, 1.0), (100, 10.0), (1000, 400.0))]
    shapes = [(s["from"], s["shape"]) for s in bench_run.scaling(rows)]
    assert shapes == [(10, "linear"), (100, "superlinear")]


def test_the_process_tree_rss_counts_children(bench_run):
    run = bench_run.run_command(["python3", "-c", "import subprocess, time; "
                                 "p = subprocess.Popen(['python3', '-c', 'x = bytearray(200_000_000); "
                                 "import time; time.sleep(1.0)']); time.sleep(1.2); p.wait()"])
    assert run.returncode == 0
    assert run.tree_rss > 150_000_000  # the child's 200 MB, seen through the parent
