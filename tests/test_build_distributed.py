"""The build on other executors: a real Dask cluster (LocalCluster, two worker processes), and
executors that finish tasks in any order. Output must be byte-identical to the local build.

Inputs are real reports in three shapes: plain files (data/source), a county report from the
Hebei and Gaoyang collection, and a provincial report held in a one-row CSV (data/corpora).
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from concurrent.futures import Executor, Future
from pathlib import Path
from typing import Any

import pytest

from kg.build import build
from kg.build.executors import dask_executor
from kg.errors import InputError

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT / "data" / "corpora"
REPORTS = [*sorted((ROOT / "data" / "source").glob("*.txt")),
           CORPORA / "hebei-and-gaoyang" / "高阳县_2019_report.txt",
           CORPORA / "provinces-2026" / "2026_海南省_政府工作报告.csv"]
KG = str(Path(sys.executable).with_name("kg"))


@pytest.fixture(scope="module")
def local(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The local serial build, the reference every other executor must match byte for byte."""
    out = build(REPORTS, tmp_path_factory.mktemp("local") / "local.trig")
    assert out.reports == len(REPORTS)
    return out.output.read_bytes()


@pytest.fixture(scope="module")
def cluster():
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      memory_limit="1GiB") as running:
        yield running


@pytest.mark.server
def test_a_dask_cluster_builds_the_same_bytes(tmp_path: Path, local: bytes, cluster: Any):
    with dask_executor(cluster.scheduler_address) as executor:
        result = build(REPORTS, tmp_path / "dask.trig", executor=executor)
    assert result.reports == len(REPORTS)
    assert result.output.read_bytes() == local
    # The tasks ran on the cluster: its workers hold the build's (finished) tasks in their logs.
    from distributed import Client

    with Client(cluster.scheduler_address, set_as_default=False) as client:
        ran = client.run(lambda dask_worker: sum("part_worker" in str(key) for key in dask_worker.state.log))
    assert len(ran) == 2 and sum(ran.values()) >= len(REPORTS), ran


@pytest.mark.server
def test_kg_build_scheduler_on_the_command_line(tmp_path: Path, local: bytes, cluster: Any):
    out = tmp_path / "cli.trig"
    done = subprocess.run([KG, "build", *map(str, REPORTS), "-o", str(out), "--scheduler", cluster.scheduler_address,
                           "--no-cache"], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert out.read_bytes() == local


@pytest.mark.parametrize("address, match", [
    ("tcp://127.0.0.1:9", "cannot reach the Dask scheduler"),  # the discard port: nothing listens
    ("127.0.0.1:8786", "not a Dask scheduler address; give it like tcp://HOST:8786"),
])
def test_an_unreachable_or_malformed_scheduler_is_exit_2(tmp_path: Path, address: str, match: str):
    out = tmp_path / "out.ttl"
    done = subprocess.run([KG, "build", str(REPORTS[0]), "-o", str(out), "--scheduler", address],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert match in done.stderr and "Traceback" not in done.stderr
    assert not out.exists() and list(tmp_path.iterdir()) == []
    with pytest.raises(InputError, match=match), dask_executor(address, timeout=2):
        pass


class Reversed(Executor):
    """Runs nothing until a result is asked for, then runs every task submitted so far, last first:
    the first report's result is the last one to finish."""

    def __init__(self, change: Any = None) -> None:
        self.waiting: list[tuple[Future[Any], Any, tuple[Any, ...]]] = []
        self.order: list[str] = []
        self.change = change

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        future.add_done_callback(lambda f: self.order.append(args[0].origin))
        self.waiting.append((future, fn, args))
        original = future.result

        def result(timeout: float | None = None) -> Any:
            for waiting, task, task_args in reversed(self.waiting):
                value = task(*task_args)
                waiting.set_result(self.change(value) if self.change else value)
            self.waiting.clear()
            return original(timeout)

        future.result = result  # type: ignore[method-assign]
        return future


def test_results_are_merged_in_input_order_whatever_order_they_finish(tmp_path: Path, local: bytes):
    executor = Reversed()
    result = build(REPORTS, tmp_path / "reversed.trig", executor=executor, window=len(REPORTS))
    assert executor.order[0] != str(REPORTS[0]) and len(executor.order) == len(REPORTS)
    assert result.output.read_bytes() == local


def test_a_worker_running_other_code_is_refused(tmp_path: Path):
    """A part built with another code fingerprint (another kg on a worker) is an error, not a graph."""
    executor = Reversed(change=lambda part: dataclasses.replace(part, fingerprint="0" * 64))
    with pytest.raises(InputError, match="worker running other kg code or data"):
        build(REPORTS[:2], tmp_path / "other.ttl", executor=executor)
    assert not (tmp_path / "other.ttl").exists()
