"""Build benchmarks for bench/run.py: speed against a pinned baseline, Dask, incremental rebuilds.

* **Pinned baseline.** The code issue 21 started from (commit :data:`BASELINE_COMMIT`) is checked
  out with ``git worktree`` under ``build/bench/baseline`` and run with this same Python
  (``PYTHONPATH=<baseline>/src``), on the same input files, in the same run. Its rules differ
  from today's, so only speed is compared with it; byte-identity is checked among today's
  serial, ``--jobs 2``, Dask and cached outputs.
* **Inputs** the old code can read: ``kg corpus`` output (synthetic ``.txt`` reports) and the
  shipped real reports (``data/corpora``) exported as plain ``.txt`` files, the dataset's title
  put on the first line where the text lacks it. Files the old code refuses are left out of
  both runs (listed in the row's note).
* **Dask**: a ``distributed.LocalCluster`` (2 worker processes, 1 thread each) started here,
  ``kg build --scheduler ADDRESS``, against ``kg build --jobs 2``.
* **Incremental**: with a fresh cache, build all but the last report, then all (one added),
  then all again with one lexicon row changed, on a copy of the package (``src/``,
  ``data/lexicon``, ``ontology/``), so the checkout is never edited.
"""

from __future__ import annotations

import filecmp
import hashlib
import os
import re
import shutil
import statistics
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BASELINE_COMMIT = "264351b"
BASELINE = ROOT / "build" / "bench" / "baseline"
SPEED_GOAL = 2.5  # × the baseline's characters per second, serial and --jobs 2


def baseline_tree(commit: str = BASELINE_COMMIT, folder: Path = BASELINE) -> Path:
    """A worktree of ``commit`` at ``folder`` (made once, then reused while it is at that commit)."""
    head = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=folder) \
        if folder.is_dir() else None
    found = subprocess.run(["git", "rev-parse", "--verify", f"{commit}^{{commit}}"], capture_output=True, text=True,
                           cwd=ROOT)
    if found.returncode != 0:
        raise SystemExit(f"the baseline commit {commit} is not in this clone; fetch the full history "
                         "(git fetch --unshallow) or give another with --baseline")
    want = found.stdout.strip()
    if head is not None and head.returncode == 0 and head.stdout.strip() == want:
        return folder
    if folder.exists():
        subprocess.run(["git", "worktree", "remove", "--force", str(folder)], cwd=ROOT, capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)
        subprocess.run(["git", "worktree", "prune"], cwd=ROOT, capture_output=True)
    folder.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "worktree", "add", "--detach", str(folder), want], cwd=ROOT, check=True,
                   capture_output=True)
    return folder


def kg_command(src: Path | None = None) -> tuple[list[str], dict[str, str]]:
    """How to run ``kg`` from the checkout ``src`` folder (today's code when None), with this Python."""
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(src)
    return [sys.executable, "-c", "import sys; from kg.cli import main; sys.argv[0] = 'kg'; main()"], env


def export_real(folder: Path) -> list[Path]:
    """The shipped real reports as plain UTF-8 ``.txt`` files, one per report, in input order."""
    from kg.text.datasets import ReportInput, read_inputs

    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    paths = []
    for number, item in enumerate(read_inputs([ROOT / "data" / "corpora"])):
        if not isinstance(item, ReportInput):
            continue  # the NPC resolutions and the collector's logs: not reports
        text = item.source.text
        title = item.fields.get("title", "")
        if title and title not in text[:300]:
            text = f"{title}\n\n{text}"
        stem = re.sub(r"[^\w-]+", "_", Path(item.origin.split("#")[0]).stem)[:40]
        path = folder / f"{number:03d}-{stem}{'-' + item.origin.split('#')[1] if '#' in item.origin else ''}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def readable_by_both(paths: list[Path], work: Path, baseline_src: Path) -> tuple[list[Path], list[str]]:
    """``paths`` without the files the old or the new code refuses (a quick serial check of each)."""
    dropped: list[str] = []
    keep = list(paths)
    for src in (baseline_src, None):
        cmd, env = kg_command(src)
        for _ in range(len(keep)):
            run = subprocess.run([*cmd, "build", *map(str, keep), "-o", str(work / "probe.ttl"), "--jobs", "2",
                                  *(["--no-cache"] if src is None else [])],
                                 capture_output=True, text=True, env=env, cwd=ROOT)
            if run.returncode == 0:
                break
            named = [p for p in keep if str(p) in run.stderr]
            if not named:
                raise SystemExit(f"the {'baseline' if src else 'current'} build failed:\n{run.stderr[-2000:]}")
            for path in named:
                keep.remove(path)
                dropped.append(f"{path.name} ({'baseline' if src else 'current'})")
    (work / "probe.ttl").unlink(missing_ok=True)
    return keep, dropped


def cpu_seconds(run: Any) -> float:
    return float(run.cpu)


def speed(bench: Any, row: Any, run_command: Any, label: str, files: Sequence[Path], chars: int, work: Path,
          baseline_src: Path, runs: int, *, scaling: bool = False) -> dict[int, Path]:
    """Today's build against the baseline's, serial and ``--jobs 2``: characters per second.

    Past ``--serial-up-to`` reports only ``--jobs 2`` is run (today's and the baseline's): no
    serial builds, so no check that ``--jobs 2`` is byte-identical to serial either."""
    outputs = {}
    against = "baseline" not in bench.skip
    serial = len(files) <= bench.args.serial_up_to
    for jobs in (1, bench.args.jobs) if serial else (bench.args.jobs,):
        measured: dict[str, list[Any]] = {}
        for name, src in (("current", None), ("baseline", baseline_src))[:2 if against else 1]:
            cmd, env = kg_command(src)
            output = work / f"{label.replace(' ', '-')}-{name}-{jobs}.ttl"
            extra = ["--no-cache"] if src is None else []
            measured[name] = []
            for _ in range(runs):
                run = run_command([*cmd, "build", *map(str, files), "-o", str(output), "--jobs", str(jobs), *extra],
                                  env=env)
                if run.returncode not in (0, 3):
                    raise SystemExit(f"{name} kg build failed ({run.returncode}): {run.stderr[-2000:]}")
                measured[name].append(run)
            if name == "current":
                outputs[jobs] = output
            else:
                output.unlink(missing_ok=True)
        now = statistics.median(r.seconds for r in measured["current"])
        cpu_now = statistics.median(cpu_seconds(r) for r in measured["current"])
        what = "serial" if jobs == 1 else f"--jobs {jobs}"
        triples = re.search(r"(\d+) triples", measured["current"][-1].stderr)
        if not against:  # --skip baseline: today's build alone
            bench.add(row("build", f"report text per second, {what} (baseline not run)", label, chars / now,
                          "chars/s", runs=runs, note=f"{now:.1f} s; {cpu_now:.1f} CPU-s, per CPU-second "
                                                     f"{chars / cpu_now / 1e3:.0f}k chars",
                          extra={"seconds": now, "cpu_s": cpu_now, "chars": chars,
                                 "triples": int(triples.group(1)) if triples else None}))
            continue
        then = statistics.median(r.seconds for r in measured["baseline"])
        cpu_then = statistics.median(cpu_seconds(r) for r in measured["baseline"])
        base = bench.args.baseline
        bench.add(row("build", f"report text per second, {what}, vs {base}", label, chars / now,
                      "chars/s", chars / then, f"{base}, {what}", runs, f"≥ {SPEED_GOAL}x",
                      chars / now >= SPEED_GOAL * chars / then,
                      note=f"{now:.1f} s vs {then:.1f} s; per CPU-second {chars / cpu_now / 1e3:.0f}k vs "
                           f"{chars / cpu_then / 1e3:.0f}k chars ({cpu_then / cpu_now:.1f}x)",
                      extra={"seconds": now, "baseline_seconds": then, "cpu_s": cpu_now, "baseline_cpu_s": cpu_then,
                             "chars": chars, "triples": int(triples.group(1)) if triples else None}))
    if serial:
        same = filecmp.cmp(outputs[1], outputs[bench.args.jobs], shallow=False)
        bench.add(row("build", f"--jobs {bench.args.jobs} output byte-identical to serial", label, float(same),
                      "yes/no", goal="identical", met=same))
        outputs[1].unlink()
    return {bench.args.jobs: outputs[bench.args.jobs]}


def dask(bench: Any, row: Any, run_command: Any, label: str, files: Sequence[Path], reference: Path,
         local_seconds: float, work: Path) -> None:
    """``kg build --scheduler`` on a LocalCluster of two worker processes, against the local --jobs 2."""
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      memory_limit="2GiB") as cluster:
        cmd, env = kg_command()
        output = work / "dask.ttl"
        run = run_command([*cmd, "build", *map(str, files), "-o", str(output), "--scheduler",
                           cluster.scheduler_address, "--no-cache"], env=env)
    if run.returncode not in (0, 3):
        raise SystemExit(f"kg build --scheduler failed ({run.returncode}): {run.stderr[-2000:]}")
    same = filecmp.cmp(output, reference, shallow=False)
    bench.add(row("dask", "kg build --scheduler (LocalCluster, 2 worker processes)", label, run.seconds, "s",
                  local_seconds, f"local --jobs {bench.args.jobs}", 1, "byte-identical", same,
                  note=("identical to the local build" if same else "DIFFERS from the local build")
                  + "; the cluster's start-up is not counted"))
    output.unlink()


def _copy_package(target: Path) -> Path:
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(ROOT / "src", target / "src", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "data" / "lexicon", target / "data" / "lexicon")
    shutil.copytree(ROOT / "ontology", target / "ontology")
    with (target / "data" / "lexicon" / "generic-names.csv").open("a", encoding="utf-8") as table:
        table.write("综合服务站,yes\n")  # one lexicon row more
    return target / "src"


def folder_equals(folder: Path, reference: Path) -> bool:
    """Whether an output folder's files, joined in its manifest's order, are ``reference`` byte for
    byte (kg.rdf.folder: they are the N-Quads file the same build writes)."""
    from kg.rdf.folder import read_folder

    joined, expected = hashlib.sha256(), hashlib.sha256()
    for entry in read_folder(folder):
        with (folder / entry.file).open("rb") as handle:
            shutil.copyfileobj(handle, _Hashing(joined))
    with reference.open("rb") as handle:
        shutil.copyfileobj(handle, _Hashing(expected))
    return joined.digest() == expected.digest()


class _Hashing:
    """A file-like sink that hashes what is written to it (for shutil.copyfileobj)."""

    def __init__(self, digest: Any) -> None:
        self.digest = digest

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        return len(data)


def incremental(bench: Any, row: Any, run_command: Any, label: str, files: Sequence[Path], reference: Path,
                full_seconds: float, work: Path) -> None:
    """Rebuild times with the cache, for N-Quads (joined from cached per-report blocks), an output
    folder (one N-Quads file per report) and Turtle (merged): one report added, nothing changed;
    then one lexicon row changed (Turtle).

    One cache throughout: N-Quads first, on all but the last two reports, then with one of them
    added; Turtle next, first from the cached reports (all but the last), then with the last one
    added, so each "added" build builds exactly one report. The output folder is built on a copy
    of the cache as it was before the N-Quads report was added (hard links: entries are never
    rewritten in place): into an empty folder from the cached reports, then with that report
    added, then again. The N-Quads rebuild and the folder's files joined in manifest order are
    checked against an N-Quads build of the same reports without a cache, the Turtle one against
    ``reference``.
    """
    cache, folder_cache, folder = work / "cache", work / "cache-folder", work / "incremental-folder"
    shutil.rmtree(cache, ignore_errors=True)
    cmd, env = kg_command()
    jobs = ["--jobs", str(bench.args.jobs)]

    def timed(paths: Sequence[Path], output: Path, src: Path | None = None, *, cached: bool = True,
              cache_folder: Path = cache) -> tuple[Any, str]:
        command, environment = kg_command(src) if src else (cmd, env)
        target = f"{output}/" if output == folder else str(output)  # a trailing / names an output folder
        run = run_command([*command, "build", *map(str, paths), "-o", target, *jobs,
                           *(["--cache", str(cache_folder)] if cached else ["--no-cache"])], env=environment)
        if run.returncode not in (0, 3):
            raise SystemExit(f"kg build failed ({run.returncode}): {run.stderr[-2000:]}")
        stats = re.search(r"cache: (\d+) reused, (\d+) built", run.stderr)
        return run, (stats.group(0) if stats else "no cache line") + f"; {run.cpu:.1f} CPU-s"

    def add(measure: str, run: Any, base: float, base_name: str, note: str, goal: str = "",
            met: bool | None = None, floor: bool = False) -> None:
        bench.add(row("incremental", measure, label, run.seconds, "s", base, base_name, 1, goal, met, note=note,
                      extra={"cpu_s": run.cpu, "tree_rss": run.tree_rss}, floor=floor))

    nq, nq_reference, ttl = work / "incremental.nq", work / "reference.nq", work / "incremental.ttl"
    some, most = files[:-2], files[:-1]
    full_nq, _ = timed(most, nq_reference, cached=False)
    add(f"N-Quads build without a cache ({len(most)} reports)", full_nq, full_seconds,
        "the Turtle build without a cache", f"{full_nq.cpu:.1f} CPU-s; {nq_reference.stat().st_size / 1e9:.2f} GB")
    cold, note = timed(some, nq)
    add(f"cold build into an empty cache ({len(some)} reports, N-Quads)", cold, full_nq.seconds,
        "N-Quads build without a cache", note, floor=True)
    shutil.rmtree(folder_cache, ignore_errors=True)
    shutil.copytree(cache, folder_cache, copy_function=os.link)  # the cache holding `some`, for the folder
    added, note = timed(most, nq)
    same = filecmp.cmp(nq, nq_reference, shallow=False)
    add("N-Quads: rebuild after adding one report", added, full_nq.seconds, "N-Quads build without a cache",
        note + ("; identical to the build without a cache" if same else "; DIFFERS"), "byte-identical, 1 built",
        same and ", 1 built" in note)
    again, note = timed(most, nq)
    add("N-Quads: rebuild, nothing changed", again, full_nq.seconds, "N-Quads build without a cache", note)
    shutil.rmtree(folder, ignore_errors=True)
    first, note = timed(some, folder, cache_folder=folder_cache)
    add(f"output folder: first build into an empty folder from the cache ({len(some)} reports cached)", first,
        full_nq.seconds, "N-Quads build without a cache", note)
    added, note = timed(most, folder, cache_folder=folder_cache)
    same = folder_equals(folder, nq_reference)
    add("output folder: rebuild after adding one report", added, full_nq.seconds, "N-Quads build without a cache",
        note + ("; files joined identical to the N-Quads build without a cache" if same else "; DIFFERS"),
        "byte-identical, 1 built", same and ", 1 built" in note)
    again, note = timed(most, folder, cache_folder=folder_cache)
    same = folder_equals(folder, nq_reference)
    add("output folder: rebuild, nothing changed", again, full_nq.seconds, "N-Quads build without a cache",
        note + ("; still identical" if same else "; DIFFERS"), "byte-identical, 0 built",
        same and ", 0 built" in note)
    shutil.rmtree(folder, ignore_errors=True)
    shutil.rmtree(folder_cache, ignore_errors=True)
    nq.unlink(missing_ok=True)
    nq_reference.unlink(missing_ok=True)
    first, note = timed(most, ttl)
    add(f"Turtle: first build from the cache ({len(most)} reports cached)", first, full_seconds,
        "Turtle build without a cache", note)
    added, note = timed(files, ttl)
    same = filecmp.cmp(ttl, reference, shallow=False)
    add("Turtle: rebuild after adding one report", added, full_seconds, "full build, no cache",
        note + ("; identical to the build without a cache" if same else "; DIFFERS"), "byte-identical, 1 built",
        same and ", 1 built" in note)
    again, note = timed(files, ttl)
    add("Turtle: rebuild, nothing changed", again, full_seconds, "full build, no cache", note)
    changed_src = _copy_package(work / "lexicon-changed")
    lexicon, note = timed(files, ttl, changed_src)
    add("Turtle: rebuild after changing one lexicon row", lexicon, full_seconds, "full build, no cache", note,
        f"all {len(files)} rebuilt", f"0 reused, {len(files)} built" in note)
    shutil.rmtree(cache, ignore_errors=True)
    shutil.rmtree(work / "lexicon-changed", ignore_errors=True)
    ttl.unlink(missing_ok=True)
