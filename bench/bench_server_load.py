"""Load on ``kg serve``: concurrent clients send the catalogue queries for a while (not a test).

Three scenarios (``--scenario``, default ``load``):

* ``load`` — ``--clients`` clients for ``--seconds`` (below); 0 errors expected.
* ``slow`` — the same clients twice, alone and beside two clients that loop a query hitting the
  timeout (``kg serve``'s default 10 s): the others should keep at least half their throughput.
* ``oxigraph`` — side by side with ``oxigraph serve-read-only`` on the same graph: 20 clients
  cycling the catalogue's SELECT queries for 15 s against each; median latency and answers/s.

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


def _ask(connection: http.client.HTTPConnection, text: str, path: str = "/sparql") -> tuple[int, bytes]:
    body = urllib.parse.urlencode({"query": text}).encode("utf-8")
    connection.request("POST", path, body=body, headers={
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


def run_load(url: str, pid: int, *, clients: int = 50, seconds: float = 30.0,
             queries: list[tuple[str, str]] | None = None, client_timeout: float = 120.0,
             path: str = "/sparql") -> LoadResult:
    """Drive the server at ``url`` (process ``pid``) with ``clients`` threads for ``seconds``,
    each cycling ``queries`` (default: the catalogue of the kg serve at ``url``)."""
    queries = queries or catalogue_queries(url)
    host, port = urllib.parse.urlsplit(url).hostname or "127.0.0.1", urllib.parse.urlsplit(url).port or 80
    warm = http.client.HTTPConnection(host, port, timeout=client_timeout)
    for name, text in queries:  # warm-up: every query once, so caches are filled before we measure
        try:
            status, _ = _ask(warm, text, path)
        except (OSError, http.client.HTTPException):
            warm.close()
            warm = http.client.HTTPConnection(host, port, timeout=client_timeout)
            continue  # a query slower than the client's patience (Oxigraph has no timeout)
        if status not in (200, 503):
            raise RuntimeError(f"warm-up query {name} got HTTP {status}")
    warm.close()
    result = LoadResult(clients=clients, seconds=seconds, rss_start_mb=rss_mb(pid))
    result.rss_max_mb = result.rss_start_mb
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(number: int) -> None:
        connection = http.client.HTTPConnection(host, port, timeout=client_timeout)
        turn = number  # clients start at different queries
        while time.monotonic() < stop:
            name, text = queries[turn % len(queries)]
            turn += 1
            with lock:
                result.sent += 1
            started = time.monotonic()
            try:
                status, body = _ask(connection, text, path)
                problem = None if status == 200 and _complete(body) else \
                    f"HTTP {status} {body[:120].decode('utf-8', 'replace').strip()}"
            except (OSError, http.client.HTTPException, ValueError) as err:
                problem = type(err).__name__
                connection.close()
                connection = http.client.HTTPConnection(host, port, timeout=client_timeout)
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


#: A cross product of ~10^12 rows: it runs until the server's timeout stops it.
FOREVER = ("SELECT (COUNT(*) AS ?n) WHERE { ?a a kg:Sentence . ?b a kg:Sentence . ?c a kg:Sentence . "
           "?d a kg:Paragraph }")


def _loop_slow(url: str, stop: float, counts: Counter[int]) -> None:
    """Send :data:`FOREVER` again and again until ``stop``, counting the statuses."""
    parts = urllib.parse.urlsplit(url)
    while time.monotonic() < stop:
        connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port or 80, timeout=120)
        try:
            counts[_ask(connection, "PREFIX kg: <https://w3id.org/policykg/ontology#> " + FOREVER)[0]] += 1
        except (OSError, http.client.HTTPException):
            counts[0] += 1
        finally:
            connection.close()


def slow_neighbours(graph: Path, *, clients: int, seconds: float) -> tuple[LoadResult, LoadResult, Counter[int]]:
    """The clients' throughput alone, then beside two clients looping timeout-hitting queries."""
    with serving(graph) as (url, pid):
        alone = run_load(url, pid, clients=clients, seconds=seconds)
        counts: Counter[int] = Counter()
        stop = time.monotonic() + seconds
        loopers = [threading.Thread(target=_loop_slow, args=(url, stop, counts), daemon=True) for _ in range(2)]
        for looper in loopers:
            looper.start()
        time.sleep(1)
        beside = run_load(url, pid, clients=clients, seconds=seconds)
        for looper in loopers:
            looper.join()
    return alone, beside, counts


@contextmanager
def oxigraph_serving(graph: Path) -> Iterator[tuple[str, int]]:
    """``oxigraph serve-read-only`` on a store loaded with ``graph``: yields (url, pid)."""
    oxigraph = Path(sys.executable).with_name("oxigraph")
    port = _free_port()
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run([str(oxigraph), "load", "--location", folder, "--file", str(graph)], check=True,
                       capture_output=True)
        process = subprocess.Popen([str(oxigraph), "serve-read-only", "--location", folder,
                                    "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    if time.monotonic() > deadline or process.poll() is not None:
                        raise
                    time.sleep(0.2)
            yield url, process.pid
        finally:
            process.terminate()
            process.wait(timeout=15)


def side_by_side(graph: Path, *, clients: int, seconds: float) -> tuple[LoadResult, LoadResult]:
    """kg serve and Oxigraph's own server, the same clients cycling the catalogue's SELECT queries."""
    from kg.query import query_form

    with serving(graph) as (url, pid):
        selects = [(n, t) for n, t in catalogue_queries(url) if query_form(t) == "SELECT"]
        kg_result = run_load(url, pid, clients=clients, seconds=seconds, queries=selects, client_timeout=30)
    with oxigraph_serving(graph) as (url, pid):
        ox_result = run_load(url, pid, clients=clients, seconds=seconds, queries=selects, client_timeout=30,
                             path="/query")
    return kg_result, ox_result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scenario", choices=("load", "slow", "oxigraph"), default="load")
    parser.add_argument("--clients", type=int, default=None, help="default: 50 (load), 20 (slow, oxigraph)")
    parser.add_argument("--seconds", type=float, default=None, help="default: 30 (load), 15 (slow, oxigraph)")
    parser.add_argument("--graph", type=Path, default=ROOT / "data" / "triples.ttl")
    parser.add_argument("--url", help="a running kg serve, e.g. http://127.0.0.1:8000 (needs --pid)")
    parser.add_argument("--pid", type=int, help="the running server's process id, for its memory")
    parser.add_argument("--rounds", type=int, default=1, help="runs one after the other on the same server "
                        "(memory that keeps growing from round to round is a leak)")
    args = parser.parse_args()
    load = args.scenario == "load"
    clients = args.clients or (50 if load else 20)
    seconds = args.seconds or (30.0 if load else 15.0)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, graph {args.graph.name}", flush=True)
    if args.scenario == "slow":
        alone, beside, counts = slow_neighbours(args.graph, clients=clients, seconds=seconds)
        print("alone: " + alone.describe())
        print("beside two timeout loops: " + beside.describe())
        print(f"timeout loops: {dict(counts)} (status: count); the others kept "
              f"{beside.throughput / alone.throughput:.0%} of their throughput")
        sys.exit(1 if beside.throughput < alone.throughput / 2 else 0)
    if args.scenario == "oxigraph":
        kg_result, ox_result = side_by_side(args.graph, clients=clients, seconds=seconds)
        for name, result in (("kg serve", kg_result), ("oxigraph serve-read-only", ox_result)):
            print(f"{name}: {result.throughput:.1f} answers/s, median {result.percentile(50):.0f} ms, "
                  f"p99 {result.percentile(99):.0f} ms, errors {sum(result.errors.values())}, lost {result.lost}")
            for error, count in sorted(result.errors.items()):
                print(f"    {count} × {error[:140]}")
        print(f"median ratio kg/oxigraph: {kg_result.percentile(50) / ox_result.percentile(50):.2f}")
        return
    results = []
    with (nullcontext((args.url, args.pid)) if args.url else serving(args.graph)) as (url, pid):
        if pid is None:
            parser.error("--url needs --pid (the server's process id, to sample its memory)")
        for number in range(1, args.rounds + 1):
            results.append(run_load(url, pid, clients=clients, seconds=seconds))
            print(f"round {number}: " + results[-1].describe(), flush=True)
    if any(r.errors or r.lost for r in results):
        sys.exit(1)


if __name__ == "__main__":
    main()
