"""A short load run on the real ``kg serve`` (bench/bench_server_load.py, 20 clients for 5 s):
every request answered completely, no errors, memory flat. The 50-client, 30-second figures
are in the benchmark's output."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.server

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("bench_server_load", ROOT / "bench" / "bench_server_load.py")
assert _spec and _spec.loader
bench = sys.modules.setdefault("bench_server_load", importlib.util.module_from_spec(_spec))
_spec.loader.exec_module(bench)


def test_20_clients_for_5_seconds_get_every_answer_with_flat_memory():
    with bench.serving(ROOT / "data" / "triples.ttl") as (url, pid):
        result = bench.run_load(url, pid, clients=20, seconds=5)
    print(result.describe())
    assert not result.errors, result.describe()
    assert result.lost == 0 and result.sent == result.ok
    assert result.ok >= 20, result.describe()  # every client got answers, not just a few
    assert result.rss_end_mb - result.rss_start_mb < 32, result.describe()
