"""Load on ``kg serve``: concurrent clients send the catalogue queries for a while (not a test).

Starts ``kg serve`` on a free loopback port (or drives a running one given with ``--url`` and
``--pid``), warms it up with every catalogue query once, then runs ``--clients`` threads, each on
its own keep-alive connection, sending the catalogue queries (with their default parameters, as
the query page does) in turn for ``--seconds``. It checks every answer: status 200 and a
complete, parseable SPARQL JSON body. It prints throughput, p50/p99 latency, errors, and the
server's resident memory at the start and the end::

    .venv/bin/python bench/bench_server_load.py [--clients 50] [--seconds 30] [--graph data/triples.ttl]

tests/test_hardening_load.py runs a short version (20 clients for 5 s) through :func:`run_load`.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class LoadResult:
    """What a load run measured."""

    clients: int
    seconds: float
    sent: int = 0
    ok: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    rss_start_mb: float = 0.0
    rss_end_mb: float = 0.0
    rss_max_mb: float = 0.0

    @property
    def lost(self) -> int:
        """Requests sent that got no complete answer at all."""
        return self.sent - self.ok - sum(self.errors.values())

    @property
    def throughput(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0

    def percentile(self, q: float) -> float:
        """Latency percentile in milliseconds."""
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return 1000 * ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))]

    def describe(self) -> str:
        errors = ", ".join(f"{k}: {v}" for k, v in sorted(self.errors.items())) or "none"
        return (f"{self.clients} clients for {self.seconds:.1f} s: {self.ok} answers ({self.throughput:.1f}/s), "
                f"{self.sent} sent, {self.lost} lost, errors: {errors}\n"
                f"latency p50 {self.percentile(50):.0f} ms, p99 {self.percentile(99):.0f} ms, "
                f"max {1000 * max(self.latencies, default=0):.0f} ms, "
                f"mean {1000 * statistics.fmean(self.latencies) if self.latencies else 0:.0f} ms\n"
                f"server RSS: start {self.rss_start_mb:.1f} MB, end {self.rss_end_mb:.1f} MB, "
                f"max {self.rss_max_mb:.1f} MB")


def rss_mb(pid: int) -> float:
    """Resident memory of process ``pid`` in MB (Linux ``/proc``)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def catalogue_queries(url: str) -> list[tuple[str, str]]:
    """(name, ready-to-run text) of every catalogue query, as the server's query page gets them."""
    with urllib.request.urlopen(url + "/catalogue.json", timeout=30) as response:
        return [(q["name"], q["text"]) for q in json.load(response)["queries"]]


def _ask(connection: http.client.HTTPConnection, text: str) -> tuple[int, bytes]:
    body = urllib.parse.urlencode({"query": text}).encode("utf-8")
    connection.request("POST", "/sparql", body=body, headers={
        "Content-Type": "application/x-www-form-urlencoded",
        "Accept": "application/sparql-results+json, application/n-triples;q=0.9"})
    response = connection.getresponse()
    return response.status, response.read()


def _complete(body: bytes) -> bool:
    """Whether ``body`` is a whole SPARQL JSON result, or whole N-Triples (CONSTRUCT, DESCRIBE)."""
    if body.startswith(b"{"):
        answer = json.loads(body)
        return "results" in answer or "boolean" in answer
    return all(line.endswith(b" .") for line in body.splitlines() if line)


def run_load(url: str, pid: int, *, clients: int = 50, seconds: float = 30.0) -> LoadResult:
    """Drive the server at ``url`` (process ``pid``) with ``clients`` threads for ``seconds``."""
    queries = catalogue_queries(url)
    host, port = urllib.parse.urlsplit(url).hostname or "127.0.0.1", urllib.parse.urlsplit(url).port or 80
    warm = http.client.HTTPConnection(host, port, timeout=120)
    for name, text in queries:  # warm-up: every query once, so caches are filled before we measure
        status, _ = _ask(warm, text)
        if status != 200:
            raise RuntimeError(f"warm-up query {name} got HTTP {status}")
    warm.close()
    result = LoadResult(clients=clients, seconds=seconds, rss_start_mb=rss_mb(pid))
    result.rss_max_mb = result.rss_start_mb
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(number: int) -> None:
        connection = http.client.HTTPConnection(host, port, timeout=120)
        turn = number  # clients start at different queries
        while time.monotonic() < stop:
            name, text = queries[turn % len(queries)]
            turn += 1
            with lock:
                result.sent += 1
            started = time.monotonic()
            try:
                status, body = _ask(connection, text)
                problem = None if status == 200 and _complete(body) else \
                    f"HTTP {status} {body[:120].decode('utf-8', 'replace').strip()}"
            except (OSError, http.client.HTTPException, ValueError) as err:
                problem = type(err).__name__
                connection.close()
                connection = http.client.HTTPConnection(host, port, timeout=120)
            elapsed = time.monotonic() - started
            with lock:
                if problem:
                    result.errors[f"{name}: {problem}"] += 1
                else:
                    result.ok += 1
                    result.latencies.append(elapsed)
        connection.close()

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    while any(t.is_alive() for t in threads):
        time.sleep(0.5)
        result.rss_max_mb = max(result.rss_max_mb, rss_mb(pid))
    result.seconds = time.monotonic() - started
    result.rss_end_mb = rss_mb(pid)
    return result


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(graph: Path, *options: str) -> Iterator[tuple[str, int]]:
    """A ``kg serve`` process for ``graph`` on a free loopback port: yields (url, pid)."""
    port = _free_port()
    kg = Path(sys.executable).with_name("kg")
    with tempfile.TemporaryFile("w+", encoding="utf-8") as log:  # a pipe nobody reads could block the server
        process = subprocess.Popen([str(kg), "serve", "--graph", str(graph), "--port", str(port), *options],
                                   cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                if process.poll() is not None:
                    log.seek(0)
                    raise RuntimeError(f"kg serve exited: {log.read()}")
                try:
                    urllib.request.urlopen(url + "/catalogue.json", timeout=5).close()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.2)
            yield url, process.pid
        finally:
            os.killpg(process.pid, signal.SIGINT)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            log.seek(0)
            problems = [line for line in log.read().splitlines() if not line.startswith("kg serve: http://")]
            if problems:
                print("server log:\n  " + "\n  ".join(problems[-20:]), file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--graph", type=Path, default=ROOT / "data" / "triples.ttl")
    parser.add_argument("--url", help="a running kg serve, e.g. http://127.0.0.1:8000 (needs --pid)")
    parser.add_argument("--pid", type=int, help="the running server's process id, for its memory")
    parser.add_argument("--rounds", type=int, default=1, help="runs one after the other on the same server "
                        "(memory that keeps growing from round to round is a leak)")
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, graph {args.graph.name}", flush=True)
    results = []
    with (nullcontext((args.url, args.pid)) if args.url else serving(args.graph)) as (url, pid):
        if pid is None:
            parser.error("--url needs --pid (the server's process id, to sample its memory)")
        for number in range(1, args.rounds + 1):
            results.append(run_load(url, pid, clients=args.clients, seconds=args.seconds))
            print(f"round {number}: " + results[-1].describe(), flush=True)
    if any(r.errors or r.lost for r in results):
        sys.exit(1)


if __name__ == "__main__":
    main()
