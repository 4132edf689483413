"""The benchmark suite (not a test): build, load, query, analysis and view at corpus scale.

It generates a corpus (``kg corpus``) of 10, 100 and 1,000 variant reports, then measures, for
each size, every stage against a baseline measured in the same run:

* **build** — characters of report text per second (wall and CPU), serial and ``--jobs 2``,
  against the pinned baseline commit 264351b run on the same files (``bench_build.py``), also
  on the shipped real reports exported as .txt; peak RSS of the whole process tree; whether
  ``--jobs 2`` is byte-identical to serial; from 100 reports, rebuilds with the cache (one
  report added, nothing changed, one lexicon row changed); at the largest size
  ``kg build --scheduler`` on a Dask LocalCluster against the local build;
* **load** — Oxigraph's own parser into the embedded store (triples/s) against rdflib's default
  ``Graph().parse``, plus an on-disk store directory loaded once and reopened;
* **query** — every catalogue query (``kg.query.catalogue()``) on Oxigraph against rdflib's
  Memory store (the baseline runs in a forked process with a time limit);
* **analysis** — projection + PageRank, and Louvain communities (networkx, seeded);
* **view** — time-to-interactive in headless Chromium (bench_view.py) and ``kg view``'s refusal
  of a graph too big to draw;
* **end to end** — the Jiading report: build, validate, view, against ``kg --version``.

Each figure is the median of several runs (the ``runs`` column; the slowest steps run once at
the largest sizes). It prints one table, and writes ``bench/results.json``::

    .venv/bin/python bench/run.py            # 10, 100, 1000 reports (hours with the baseline builds)
    .venv/bin/python bench/run.py --quick    # 10 and 100 reports (40 minutes on 2 busy cores)
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import math
import multiprocessing
import os
import platform
import re
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
KG = str(BIN / "kg") if (BIN / "kg").exists() else "kg"
RESULTS = ROOT / "bench" / "results.json"
WORK = ROOT / "build" / "bench"
GB = 2**30

# Goals from the issue.
BUILD_GOAL_S = 300.0  # 1,000 reports with --jobs 2
RSS_GOAL = 4 * GB
LOAD_GOAL_TPS = 300_000
LOAD_GOAL_RATIO = 8.0
QUERY_GOAL_RATIO = 10.0
QUERY_GOAL_S = 0.5  # at ~1M triples
ANALYSIS_GOAL_S = 30.0  # projection + PageRank at ~1M triples
VIEW_JIADING_S = 2.0
VIEW_20K_S = 10.0


@dataclass
class Row:
    """One line of the table."""

    area: str
    measure: str
    corpus: str
    value: float | None
    unit: str
    baseline: float | None = None
    baseline_name: str = ""
    runs: int = 1
    goal: str = ""
    met: bool | None = None
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    floor: bool = False  # the baseline is a floor (a blank page, kg --version): ratio = value / baseline

    @property
    def ratio(self) -> float | None:
        """Speed-up over the baseline (> 1 is faster), or for a floor how many times the floor it costs."""
        if self.value is None or self.baseline is None or not self.value or not self.baseline:
            return None
        if self.floor or self.unit.endswith("/s"):
            return self.value / self.baseline
        return self.baseline / self.value


def _cpu() -> float:
    """CPU seconds this process has used, all threads (Oxigraph's loader runs its own)."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def median_time(fn: Callable[[], Any], runs: int) -> tuple[float, list[float], Any]:
    """Median wall time of ``runs`` calls, every time, and the last call's value."""
    times, value = [], None
    for _ in range(max(1, runs)):
        gc.collect()
        start = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times, value


# --- processes: wall time and peak RSS of the whole tree -------------------------------------


def _tree_rss(root: int) -> int:
    """Resident bytes of ``root`` and all its descendants, read from /proc."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status", encoding="ascii", errors="replace") as handle:
                text = handle.read()
        except OSError:
            continue
        ppid = re.search(r"^PPid:\s+(\d+)", text, re.M)
        vm = re.search(r"^VmRSS:\s+(\d+) kB", text, re.M)
        if ppid:
            parents[int(entry)] = int(ppid.group(1))
            rss[int(entry)] = int(vm.group(1)) * 1024 if vm else 0
    tree, frontier = {root}, [root]
    children: dict[int, list[int]] = {}
    for pid, parent in parents.items():
        children.setdefault(parent, []).append(pid)
    while frontier:
        for child in children.get(frontier.pop(), []):
            if child not in tree:
                tree.add(child)
                frontier.append(child)
    return sum(rss.get(pid, 0) for pid in tree)


@dataclass
class Run:
    """A finished command: wall seconds, peak RSS (tree, sampled; largest process), output."""

    seconds: float
    tree_rss: int
    max_rss: int
    returncode: int
    stdout: str
    stderr: str
    cpu: float = 0.0  # user + system seconds of the process and the children it waited for


def run_command(cmd: Sequence[str], env: dict[str, str] | None = None) -> Run:
    """Run ``cmd``; sample the process tree's RSS every 0.2 s; the kernel gives the largest process's."""
    start = time.perf_counter()
    proc = subprocess.Popen(list(cmd), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env)
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.2):
            peak[0] = max(peak[0], _tree_rss(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out: dict[str, str] = {}

    def drain(name: str, stream: Any) -> None:
        out[name] = stream.read()

    readers = [threading.Thread(target=drain, args=item, daemon=True)
               for item in (("stdout", proc.stdout), ("stderr", proc.stderr))]
    for reader in readers:
        reader.start()
    try:
        _, status, usage = os.wait4(proc.pid, 0)  # this child's own rusage: its largest process's maxrss
    finally:
        done.set()
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    for reader in readers:
        reader.join()
    sampler.join()
    return Run(seconds, peak[0], usage.ru_maxrss * 1024, proc.returncode, out.get("stdout", ""),
               out.get("stderr", ""), usage.ru_utime + usage.ru_stime)


# --- the stages ----------------------------------------------------------------------------------


class Bench:
    """Holds the options, the rows measured so far, and prints progress on stderr."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.rows: list[Row] = []
        self.queries: list[dict[str, Any]] = []
        self.started = time.perf_counter()
        self.skip: set[str] = set(filter(None, args.skip.split(",")))
        self.baseline_src = ROOT / "src"  # replaced by the pinned baseline's (bench_build.baseline_tree)

    def log(self, message: str) -> None:
        print(f"[{time.perf_counter() - self.started:7.1f} s] {message}", file=sys.stderr, flush=True)

    def add(self, row: Row) -> Row:
        self.rows.append(row)
        ratio = f" ratio {row.ratio:.1f}x" if row.ratio else ""
        self.log(f"{row.area}: {row.measure} [{row.corpus}] = {_fmt(row.value, row.unit)}{ratio} {row.note}")
        return row

    def runs(self, size: int) -> int:
        """How many runs a slow step gets at this corpus size."""
        return self.args.repeat if size <= 10 else 1


def corpus(bench: Bench, sizes: Sequence[int]) -> tuple[list[Path], list[int]]:
    from kg.synthetic import write_corpus

    folder = WORK / "corpus"
    seconds, _, result = median_time(lambda: write_corpus(max(sizes), folder, seed=bench.args.seed), 1)
    chars = [len(p.read_text(encoding="utf-8")) for p in result.paths]
    bench.add(Row("corpus", "generate variant reports", f"{max(sizes)} reports", result.chars / seconds, "chars/s",
                  note=f"{result.chars:,} characters in {seconds:.1f} s"))
    return list(result.paths), chars


def build(bench: Bench, paths: list[Path], chars: list[int], size: int) -> Path:
    """Build speed against the pinned baseline (serial, --jobs 2), then Dask and incremental rebuilds."""
    import bench_build  # type: ignore[import-not-found]

    files = paths[:size]
    text = sum(chars[:size])
    label = f"{size} reports"
    runs = bench.runs(size)
    outputs = bench_build.speed(bench, Row, run_command, label, files, text, WORK, bench.baseline_src, runs)
    output = outputs[bench.args.jobs]
    par = next(r for r in reversed(bench.rows) if r.measure.startswith("report text per second, --jobs"))
    ser = next((r for r in reversed(bench.rows) if r.measure.startswith("report text per second, serial")
                and r.corpus == label), None)  # none past --serial-up-to
    seconds = par.extra["seconds"]
    goal = size >= 1000
    bench.add(Row("build", f"kg build --jobs {bench.args.jobs}", label, seconds, "s",
                  ser.extra["seconds"] if ser else None, "serial build" if ser else "", runs,
                  "< 300 s at 1,000" if goal else "", seconds < BUILD_GOAL_S if goal else None,
                  extra={"triples": par.extra["triples"], "chars": text}))
    cmd, env = bench_build.kg_command()
    if "rss" in bench.skip:
        return _after_build(bench, label, files, output, seconds, size)
    rss_run = run_command([*cmd, "build", *map(str, files), "-o", str(WORK / "rss.ttl"), "--jobs",
                           str(bench.args.jobs), "--no-cache"], env=env)
    (WORK / "rss.ttl").unlink(missing_ok=True)
    bench.add(Row("build", f"peak RSS, --jobs {bench.args.jobs} (process tree)", label, rss_run.tree_rss / GB, "GB",
                  goal="< 4 GB" if goal else "", met=rss_run.tree_rss < RSS_GOAL if goal else None,
                  note=f"largest single process {rss_run.max_rss / GB:.2f} GB"))
    return _after_build(bench, label, files, output, seconds, size)


def _after_build(bench: Bench, label: str, files: list[Path], output: Path, seconds: float, size: int) -> Path:
    import bench_build

    if size >= bench.args.incremental_from and "incremental" not in bench.skip:
        bench_build.incremental(bench, Row, run_command, label, files, output, seconds, WORK)
    if size == max(bench.args.sizes) and "dask" not in bench.skip:
        bench_build.dask(bench, Row, run_command, label, files, output, seconds, WORK)
    return output


def real_corpus(bench: Bench) -> None:
    """The shipped real reports, exported as .txt: today's build against the baseline's."""
    import bench_build

    folder = WORK / "real"
    exported = bench_build.export_real(folder)[:bench.args.real_limit or None]
    files, dropped = bench_build.readable_by_both(exported, WORK, bench.baseline_src)
    chars = sum(len(p.read_text(encoding="utf-8")) for p in files)
    label = f"real: {len(files)} reports"
    if dropped:
        bench.log(f"real corpus: left out {len(dropped)} file(s) one build refuses: {', '.join(dropped)}")
    bench_build.speed(bench, Row, run_command, label, files, chars, WORK, bench.baseline_src, 1)
    bench.rows[-3].note += f"; {len(exported)} exported, {len(dropped)} left out" if dropped else ""
    (WORK / f"{label.replace(' ', '-')}-current-{bench.args.jobs}.ttl").unlink(missing_ok=True)


def _count_rows(result: Any) -> int:
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        return len(result.graph)
    if result.type == "ASK":
        return int(bool(result.askAnswer))
    return sum(1 for _ in result)


def _forked_query_times(graph: Any, query: Any, runs: int, limit: float) -> tuple[list[float], int] | None:
    """Run a query ``runs`` times in a forked child (it shares ``graph``); None past ``limit`` seconds."""
    from kg.query import run_query

    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)

    def child() -> None:
        times, rows = [], 0
        for _ in range(runs):
            start = time.perf_counter()
            rows = _count_rows(run_query(graph, query))
            times.append(time.perf_counter() - start)
            if sum(times) > limit / 2:
                break
        send.send((times, rows))

    proc = ctx.Process(target=child, daemon=True)
    proc.start()
    ready = receive.poll(limit)
    result = receive.recv() if ready else None
    if proc.is_alive():
        proc.kill()
    proc.join()
    return result


def load_query_analyse(bench: Bench, ttl: Path, size: int) -> None:
    from rdflib import Graph

    from kg.store import close_graph, load_graph, load_into, load_store, open_graph, oxigraph_graph, triple_count

    label = f"{size} reports"
    runs = bench.args.repeat
    ox_s, _, ox = median_time(lambda: load_into(oxigraph_graph(), ttl), runs)
    triples = triple_count(ox)
    label = f"{size} reports, {triples / 1e6:.2f}M triples"
    baseline_graph = None
    base_s = None
    if triples <= bench.args.baseline_max_triples:
        base_s, _, baseline_graph = median_time(lambda: Graph().parse(ttl, format="turtle"), bench.runs(size))
    big = size == max(bench.args.sizes_with_baseline) if bench.args.sizes_with_baseline else False
    bench.add(Row("load", "Oxigraph's parser into the embedded store", label, triples / ox_s, "triples/s",
                  triples / base_s if base_s else None, "rdflib Graph().parse", runs,
                  "≥ 300k/s and ≥ 8x" if big else "",
                  (triples / ox_s >= LOAD_GOAL_TPS and (base_s or 0) / ox_s >= LOAD_GOAL_RATIO) if big else None,
                  note="" if base_s else "baseline skipped: rdflib needs ~1 GB and ~30 s per million triples",
                  extra={"seconds": ox_s, "baseline_seconds": base_s, "triples": triples}))
    if size <= 100:
        fast_s, _, _ = median_time(lambda: load_graph(ttl), bench.runs(size))
        bench.add(Row("load", "kg.store.load_graph (rdflib memory, Oxigraph's parser)", label, triples / fast_s,
                      "triples/s", triples / base_s if base_s else None, "rdflib Graph().parse", bench.runs(size)))
    store_dir = WORK / f"store-{size}"
    cpu_before = _cpu()
    disk_s, _, _ = median_time(lambda: load_store(store_dir, ttl), 1)
    disk_cpu = _cpu() - cpu_before
    bench.add(Row("load", "kg load --store DIR (on disk, bulk loader)", label, triples / disk_s, "triples/s",
                  triples / base_s if base_s else None, "rdflib Graph().parse", 1,
                  "≥ 300k/s and ≥ 8x" if big else "",
                  (triples / disk_s >= LOAD_GOAL_TPS and (base_s or 0) / disk_s >= LOAD_GOAL_RATIO) if big else None,
                  note=f"{triples / disk_cpu / 1e3:.0f}k triples per CPU-second (the loader's threads)",
                  extra={"seconds": disk_s, "cpu_s": disk_cpu, "baseline_seconds": base_s, "triples": triples}))

    def reopen() -> bool:
        graph = open_graph(store=store_dir)
        answer = bool(graph.query("ASK { ?s a kg:Report }").askAnswer)  # the store answers at once
        close_graph(graph)
        return answer

    reopen_s, _, _ = median_time(reopen, runs)
    bench.add(Row("load", "reopen the store directory and ask a query", label, reopen_s, "s", disk_s, "loading it",
                  runs))

    queries(bench, ox, baseline_graph, label, triples, size)
    analysis(bench, ox, baseline_graph, label, triples, size)
    del ox, baseline_graph
    gc.collect()


def queries(bench: Bench, ox: Any, baseline: Any, label: str, triples: int, size: int) -> None:
    from kg.query import bind_values, catalogue, run_query
    from kg.store import oxigraph_store
    from kg.vocab.iri import PREFIXES

    runs = bench.args.repeat if size <= 100 else 1
    times: dict[str, float] = {}
    base: dict[str, float | None] = {}
    limits: dict[str, float] = {}
    store = oxigraph_store(ox)
    prologue = "".join(f"PREFIX {k}: <{v}>\n" for k, v in PREFIXES.items())
    engine: dict[str, float] = {}
    for name, query in sorted(catalogue().items()):
        def rows_of(q: Any = query) -> int:
            return _count_rows(run_query(ox, q))

        seconds, _, rows = median_time(rows_of, runs)
        times[name] = seconds
        # The engine alone: pyoxigraph without rdflib's query check and term conversion.
        text = prologue + bind_values(query.text, query.defaults())
        def engine_rows(t: str = text) -> int:
            return sum(1 for _ in store.query(t, use_default_graph_as_union=True))

        engine[name], _, _ = median_time(engine_rows, runs)
        entry: dict[str, Any] = {"query": name, "corpus": label, "size": size, "triples": triples,
                                 "oxigraph_s": seconds, "engine_s": engine[name], "rows": rows}
        if baseline is not None:
            # Long enough to show a 10x speed-up, short enough that the slow baseline ends.
            limits[name] = min(bench.args.query_limit_max, max(bench.args.query_limit, 12 * seconds))
            got = _forked_query_times(baseline, query, runs, limits[name])
            if got is None:
                base[name] = None
                entry["rdflib_s"] = f"> {limits[name]:g}"
            else:
                base[name] = statistics.median(got[0])
                entry.update(rdflib_s=base[name], rdflib_rows=got[1], rdflib_runs=len(got[0]))
                if got[1] != rows:
                    entry["note"] = f"row counts differ: oxigraph {rows}, rdflib {got[1]}"
        bench.queries.append(entry)
    slowest = max(times, key=lambda n: times[n])
    at_million = 900_000 <= triples <= 1_500_000  # the goal is at 1M triples
    bench.add(Row("query", f"slowest of {len(times)} catalogue queries ({slowest})", label, times[slowest], "s",
                  goal="< 500 ms at 1M" if at_million else "",
                  met=times[slowest] < QUERY_GOAL_S if at_million else None,
                  runs=runs, extra={"query": slowest},
                  note=f"engine alone {_fmt(engine[slowest], 's')}; slowest in the engine: "
                       f"{max(engine, key=lambda n: engine[n])} {_fmt(max(engine.values()), 's')}"))
    bench.add(Row("query", f"all {len(times)} catalogue queries, total", label, sum(times.values()), "s",
                  runs=runs))
    if baseline is not None:
        # A baseline that timed out counts as the time limit: the ratio is then a lower bound.
        ratios = {n: (limits[n] if (was := base[n]) is None else was) / max(times[n], 1e-9) for n in times}
        worst = min(ratios, key=lambda n: ratios[n])
        timed_out = [n for n in times if base[n] is None]
        largest = size == max(bench.args.sizes_with_baseline)  # the goal is for the largest corpus
        bench.add(Row("query", f"least speed-up over rdflib Memory ({worst})", label, times[worst], "s",
                      base[worst] if base[worst] is not None else limits[worst], "rdflib Memory store", runs,
                      "every query ≥ 10x" if largest else "",
                      min(ratios.values()) >= QUERY_GOAL_RATIO if largest else None,
                      note=f"median speed-up {statistics.median(ratios.values()):.0f}x"
                      + (f"; {len(timed_out)} rdflib queries stopped at their limit" if timed_out else "")
                      + ("; ratio ≥" if base[worst] is None else "")))
        if largest:
            for name in sorted(times):
                bench.rows.append(Row("query", name, label, times[name], "s",
                                      base[name] if base[name] is not None else limits[name], "rdflib Memory store",
                                      runs, "≥ 10x, < 500 ms" if at_million else "≥ 10x",
                                      ratios[name] >= QUERY_GOAL_RATIO
                                      and (times[name] < QUERY_GOAL_S or not at_million),
                                      note=f"engine alone {_fmt(engine[name], 's')}"
                                      + (f"; rdflib stopped at {limits[name]:.0f} s: ratio ≥"
                                         if base[name] is None else "")))


def analysis(bench: Bench, ox: Any, baseline: Any, label: str, triples: int, size: int) -> None:
    import networkx as nx

    from kg.analysis import project, read_facts

    runs = bench.runs(size)
    at_million = 900_000 <= triples <= 1_500_000  # the goal is at 1M triples

    def project_rank(graph: Any, projection: str) -> tuple[int, int]:
        net = project(read_facts(graph), projection)
        nx.pagerank(net, weight="weight")
        return net.number_of_nodes(), net.number_of_edges()

    for projection in ("entity", "comention"):
        def ranked(p: str = projection, graph: Any = ox) -> tuple[int, int]:
            return project_rank(graph, p)

        seconds, _, (nodes, edges) = median_time(ranked, runs)
        base_s = None
        if baseline is not None:
            def ranked_baseline(p: str = projection, graph: Any = baseline) -> tuple[int, int]:
                return project_rank(graph, p)

            base_s, _, _ = median_time(ranked_baseline, 1)
        goal = projection == "comention" and at_million
        bench.add(Row("analysis", f"{projection} projection + PageRank", label, seconds, "s", base_s,
                      "same on rdflib Memory", runs, "< 30 s at 1M" if goal else "",
                      seconds < ANALYSIS_GOAL_S if goal else None, note=f"{nodes:,} nodes, {edges:,} edges"))
    net = project(read_facts(ox), "comention")
    seconds, _, found = median_time(
        lambda: nx.community.louvain_communities(net, weight="weight", seed=0), 1)
    bench.add(Row("analysis", "Louvain communities (comention, seeded)", label, seconds, "s", runs=1,
                  goal="finishes", met=True, note=f"{len(found)} communities"))


def view(bench: Bench, ttl_by_size: dict[int, Path]) -> None:
    """Time-to-interactive in Chromium (bench_view.py) and kg view's refusal of a corpus."""
    for size, ttl in sorted(ttl_by_size.items()):
        run = run_command([KG, "view", "--graph", str(ttl), "-o", str(WORK / f"view-{size}.html")])
        refused = run.returncode == 2 and "more than a browser page can hold" in run.stderr
        drawn = run.returncode == 0
        bench.add(Row("view", "kg view on the whole corpus", f"{size} reports", run.seconds, "s",
                      goal="draws, or refuses with exit 2", met=refused or drawn,
                      note="refused: " + run.stderr.strip()[:90] if refused
                      else ("drawn" if drawn else run.stderr[-200:])))
    if bench.args.no_browser or not Path("/usr/bin/chromium").exists():
        bench.add(Row("view", "time to interactive (browser)", "-", None, "s", note="skipped: no browser run"))
        return
    sys.path.insert(0, str(ROOT / "bench"))
    import tempfile

    from bench_view import (  # type: ignore[import-not-found]
        BASELINE,
        jiading_fixture,
        measure,
        page_nodes,
        synthetic_graph,
    )
    from playwright.sync_api import sync_playwright

    from kg.build import build_graph
    from kg.view import render_html

    cases: list[tuple[str, Callable[[], Any] | None, float | None, str]] = [
        ("baseline", None, None, ""),
        ("jiading", lambda: build_graph([ROOT / "data" / "source" / "jiading-2021.txt"]), VIEW_JIADING_S, "< 2 s"),
        ("jiading+fixture", jiading_fixture, VIEW_JIADING_S, "< 2 s"),
        ("synthetic-20k", synthetic_graph, VIEW_20K_S, "< 10 s"),
    ]
    runs = bench.args.repeat
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium",
                                     args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
        base = None
        for name, make, target, goal in cases:
            html = BASELINE if make is None else render_html(make())
            ready = statistics.median(measure(browser, html, Path(tmp), name)["ready_s"] for _ in range(runs))
            if base is None:
                base = ready
                continue
            nodes = page_nodes(html)
            bench.add(Row("view", f"time to interactive: {name}", f"{nodes:,} nodes", ready, "s", base,
                          "blank page", runs, goal, ready < target if target else None,
                          note=f"page {len(html) / 1e6:.1f} MB", floor=True))
        browser.close()


def end_to_end(bench: Bench) -> None:
    """The single Jiading report: build, validate, view, each as the user runs it."""
    report = ROOT / "data" / "source" / "jiading-2021.txt"
    ttl, html = WORK / "jiading.ttl", WORK / "jiading.html"
    steps = {
        "build": [KG, "build", str(report), "-o", str(ttl), "--no-cache"],  # the build itself, not the cache
        "validate": [KG, "validate", "--graph", str(ttl)],
        "view": [KG, "view", "--graph", str(ttl), "-o", str(html)],
    }
    runs = bench.args.repeat
    startup = statistics.median(run_command([KG, "--version"]).seconds for _ in range(runs))
    total = 0.0
    for name, cmd in steps.items():
        times = []
        for _ in range(runs):
            run = run_command(cmd)
            if run.returncode != 0:
                raise SystemExit(f"{' '.join(cmd)} failed: {run.stderr[-1000:]}")
            times.append(run.seconds)
        seconds = statistics.median(times)
        total += seconds
        bench.add(Row("jiading", f"kg {name}", "1 report", seconds, "s", startup, "kg --version", runs, floor=True))
    bench.add(Row("jiading", "build + validate + view, end to end", "1 report", total, "s", startup * 3,
                  "3 x kg --version", runs, floor=True, note="plus time to interactive in the browser (view rows)"))


# --- scaling and output --------------------------------------------------------------------------


def scaling(rows: list[Row]) -> list[dict[str, Any]]:
    """How each cost grows: the exponent k in time ∝ size^k between consecutive corpus sizes."""
    picks = {
        "build": ("build", "kg build --jobs"),
        "load": ("load", "Oxigraph's parser"),
        "query (all catalogue)": ("query", "all "),
        "analysis (comention + PageRank)": ("analysis", "comention projection"),
        "Louvain": ("analysis", "Louvain"),
    }
    out = []
    for name, (area, prefix) in picks.items():
        points = []
        for row in rows:
            if row.area == area and row.measure.startswith(prefix) and row.value:
                size = int(row.corpus.split()[0])
                seconds = row.extra.get("seconds", row.value) if row.unit.endswith("/s") else row.value
                points.append((size, seconds))
        points.sort()
        for (n1, t1), (n2, t2) in itertools.pairwise(points):
            k = math.log(t2 / t1) / math.log(n2 / n1) if t1 > 0 and t2 > 0 else float("nan")
            shape = "linear" if 0.8 <= k <= 1.2 else ("sublinear" if k < 0.8 else "superlinear")
            out.append({"stage": name, "from": n1, "to": n2, "seconds_from": t1, "seconds_to": t2,
                        "exponent": k, "shape": shape})
    return out


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "yes/no":
        return "yes" if value else "NO"
    if unit == "s":
        return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"
    if unit.endswith("/s"):
        return f"{value / 1e6:.2f}M {unit}" if value >= 1e6 else f"{value / 1e3:.0f}k {unit}"
    return f"{value:.2f} {unit}"


def table(rows: list[Row], scale: list[dict[str, Any]]) -> str:
    head = ("area", "measure", "corpus", "value", "baseline", "ratio", "runs", "goal", "met")
    body = []
    for r in rows:
        met = "" if r.met is None else ("yes" if r.met else "NO")
        base = f"{_fmt(r.baseline, r.unit)} ({r.baseline_name})" if r.baseline is not None else ""
        ratio = "" if not r.ratio else (f"{r.ratio:.1f}x floor" if r.floor else f"{r.ratio:.1f}x")
        if r.note and "ratio ≥" in r.note:
            ratio = "≥ " + ratio
        body.append((r.area, r.measure, r.corpus, _fmt(r.value, r.unit), base, ratio, str(r.runs), r.goal, met))
    for s in scale:
        body.append(("scaling", s["stage"], f"{s['from']} → {s['to']} reports",
                     f"{_fmt(s['seconds_from'], 's')} → {_fmt(s['seconds_to'], 's')}", "",
                     f"k={s['exponent']:.2f}", "", "", s["shape"]))
    widths = [max(len(str(x)) for x in col) for col in zip(head, *body, strict=True)]
    line = lambda cells: "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"  # noqa: E731
    return "\n".join([line(head), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *map(line, body)])


def _meta(args: argparse.Namespace, seconds: float) -> dict[str, Any]:
    from importlib.metadata import version

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout
    return {
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "commit": commit.strip(),
        "mode": "quick" if args.quick else "full", "sizes": args.sizes, "repeat": args.repeat, "jobs": args.jobs,
        "seed": args.seed, "cpus": os.cpu_count(), "python": platform.python_version(),
        "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / GB, 1),
        "versions": {p: version(p) for p in ("rdflib", "pyoxigraph", "oxrdflib", "networkx", "scipy")},
        "seconds": round(seconds, 1),
        "note": "other work ran on the same machine: timings are noisy",
    }


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="10 and 100 reports only (a few minutes)")
    parser.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",")], default=None,
                        help="corpus sizes, e.g. 10,100,1000 (default: 10,100,1000; --quick: 10,100)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (median); slow steps run once")
    parser.add_argument("--jobs", type=int, default=2, help="kg build --jobs for the parallel build")
    parser.add_argument("--seed", type=int, default=0, help="corpus seed")
    parser.add_argument("--serial-up-to", type=int, default=10**9,
                        help="build serially too (today's and the baseline's, and the check that --jobs is "
                             "byte-identical to serial) only up to this many reports; past it, --jobs alone")
    parser.add_argument("--baseline-max-triples", type=int, default=1_500_000,
                        help="measure rdflib baselines only up to this many triples (memory, time)")
    parser.add_argument("--query-limit", type=float, default=None,
                        help="seconds an rdflib baseline query may run at least, 12x Oxigraph's time if longer "
                             "(default 10; --quick 4)")
    parser.add_argument("--query-limit-max", type=float, default=None, help="... and at most (default 60; --quick 15)")
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium time-to-interactive runs")
    parser.add_argument("--skip", default="",
                        help="comma-separated stages to skip: build,real,incremental,dask,load,view,jiading; "
                             "baseline (time today's build alone), rss (no peak-RSS build)")
    parser.add_argument("--baseline", default="264351b",
                        help="the commit whose build speed is the baseline (default: 264351b, where issue 21 began)")
    parser.add_argument("--incremental-from", type=int, default=100,
                        help="measure incremental rebuilds at corpus sizes from this many reports")
    parser.add_argument("--real-limit", type=int, default=0,
                        help="build only the first N shipped real reports (default: all)")
    parser.add_argument("-o", "--output", type=Path, default=RESULTS, help="results JSON")
    parser.add_argument("--work", type=Path, default=WORK, help="folder for the corpus, graphs and stores")
    args = parser.parse_args(argv)
    args.sizes = args.sizes or ([10, 100] if args.quick else [10, 100, 1000])
    args.query_limit = args.query_limit or (4.0 if args.quick else 10.0)
    args.query_limit_max = args.query_limit_max or (15.0 if args.quick else 60.0)
    return args


def main(argv: list[str] | None = None) -> int:
    global WORK
    args = parse_args(argv)
    WORK = args.work
    bench = Bench(args)
    WORK.mkdir(parents=True, exist_ok=True)
    skip = bench.skip
    sys.path.insert(0, str(ROOT / "bench"))
    import bench_build

    if "build" not in skip and "baseline" not in skip:
        pinned = args.baseline == bench_build.BASELINE_COMMIT
        folder = bench_build.BASELINE if pinned else WORK / "baseline"
        bench.log(f"checking out the baseline {args.baseline} in {folder}")
        bench.baseline_src = bench_build.baseline_tree(args.baseline, folder) / "src"
    paths, chars = corpus(bench, args.sizes)
    if "build" not in skip and "real" not in skip:
        bench.log("the shipped real corpus, exported as .txt")
        real_corpus(bench)
    ttl_by_size: dict[int, Path] = {}
    for size in args.sizes:
        bench.log(f"building {size} reports")
        ttl_by_size[size] = build(bench, paths, chars, size) if "build" not in skip else WORK / f"corpus-{size}.ttl"
    # rdflib baselines only where they fit: the largest such size gets the per-query rows.
    built = {int(r.corpus.split()[0]): r.extra.get("triples") or 0 for r in bench.rows
             if r.measure.startswith("kg build")}
    args.sizes_with_baseline = [s for s in args.sizes if built.get(s, 0) <= args.baseline_max_triples]
    if "load" not in skip:
        for size in args.sizes:
            bench.log(f"load, query and analysis on {size} reports")
            load_query_analyse(bench, ttl_by_size[size], size)
    if "view" not in skip:
        view(bench,
             {s: ttl_by_size[s] for s in args.sizes if s >= 100} or {max(args.sizes): ttl_by_size[max(args.sizes)]})
    if "jiading" not in skip:
        end_to_end(bench)
    scale = scaling(bench.rows)
    seconds = time.perf_counter() - bench.started
    results = {"meta": _meta(args, seconds), "rows": [asdict(r) | {"ratio": r.ratio} for r in bench.rows],
               "queries": bench.queries, "scaling": scale}
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(table(bench.rows, scale))
    missed = [r for r in bench.rows if r.met is False]
    print(f"\n{len(bench.rows)} figures in {seconds / 60:.1f} min; goals missed: {len(missed)}"
          + "".join(f"\n  - {r.area}: {r.measure} [{r.corpus}] = {_fmt(r.value, r.unit)} (goal {r.goal})"
                    for r in missed))
    print(f"(timings on a shared {os.cpu_count()}-core machine are noisy; results in {args.output})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
