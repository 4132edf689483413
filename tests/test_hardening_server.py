"""Hostile requests against the real ``kg serve`` process on a free loopback port.

Each gets a clear 4xx/5xx, the server stays healthy afterwards, labels are escaped in every
HTML and XML answer, and no error body reveals a file path, a stack trace or a Python file.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.serve.http import make_server
from kg.store import open_graph
from support import free_port as _free_port

pytestmark = pytest.mark.server

ROOT = Path(__file__).resolve().parent.parent
KG = Path(sys.executable).with_name("kg")
EVIL = '</script><script>alert("kg")</script><img src=x onerror=alert(1)>'
REPORT = "https://w3id.org/policykg/id/report/河北省/2022"
# A cross product of ~10^12 rows: it would run for hours.
FOREVER = ("SELECT (COUNT(*) AS ?n) WHERE { ?a a kg:Sentence . ?b a kg:Sentence . ?c a kg:Sentence . "
           "?d a kg:Paragraph }")
LEAKS = ("/work", "Traceback", ".py", "File \"", str(ROOT))
ERROR_BODIES: list[tuple[str, bytes]] = []



class Serve:
    """The real ``kg serve`` command, with a few raw-HTTP helpers."""

    def __init__(self, graph: Path, log: Path, *options: str) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.process = subprocess.Popen(
            [str(KG), "serve", "--graph", str(graph), "--port", str(self.port), *options],
            cwd=ROOT, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, log.read_text()
            try:
                if self.get("/sparql?" + urllib.parse.urlencode({"query": "ASK {}"}))[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise AssertionError(f"kg serve did not start: {log.read_text()}")

    def close(self) -> None:
        os.killpg(self.process.pid, signal.SIGINT)
        self.process.wait(timeout=10)

    def get(self, path: str, *, method: str = "GET", data: bytes | None = None,
            headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        request = urllib.request.Request(self.url + path, data=data, method=method, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as err:
            answer = err.code, dict(err.headers), err.read()
            ERROR_BODIES.append((path[:80], answer[2]))
            return answer

    def query(self, text: str, accept: str = "application/sparql-results+json") -> tuple[int, bytes]:
        status, _, body = self.get("/sparql?" + urllib.parse.urlencode({"query": text}), headers={"Accept": accept})
        return status, body

    def raw(self, request: bytes, *, send_in_thread: bool = False) -> tuple[int, bytes]:
        """Send raw bytes; return the status and body of the answer (0 if there was none)."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=60) as sock:
            if send_in_thread:  # a huge request: keep sending while the answer comes back
                sender = threading.Thread(target=_send_quietly, args=(sock, request), daemon=True)
                sender.start()
            else:
                sock.sendall(request)
            answer = b""
            while chunk := sock.recv(65536):
                answer += chunk
                if b"\r\n\r\n" in answer:
                    head, _, body = answer.partition(b"\r\n\r\n")
                    length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n")
                                   if line.lower().startswith(b"content-length:")), None)
                    if length is not None and len(body) >= length:
                        break
        if not answer:
            return 0, b""
        head, _, body = answer.partition(b"\r\n\r\n")
        ERROR_BODIES.append((request[:80].decode("latin-1"), body))
        return int(head.split(b" ")[1]), body

    def healthy(self) -> bool:
        status, body = self.query("ASK { ?s a kg:Report }")
        return status == 200 and body == b'{"head":{},"boolean":true}'


def _send_quietly(sock: socket.socket, data: bytes) -> None:
    with contextlib.suppress(OSError):  # the server answered and closed before reading it all: that is the point
        sock.sendall(data)


@pytest.fixture(scope="module")
def serve(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Serve]:
    folder = tmp_path_factory.mktemp("serve")
    graph = folder / "hostile.ttl"
    text = (ROOT / "data" / "triples.ttl").read_text(encoding="utf-8")
    evil = EVIL.replace("\\", "\\\\").replace('"', '\\"')
    graph.write_text(text + f'\n<{REPORT}> <http://www.w3.org/2004/02/skos/core#prefLabel> "{evil}"@zh .\n',
                     encoding="utf-8")
    running = Serve(graph, folder / "serve.log", "--timeout", "1")
    yield running
    running.close()


# -- what it refuses ---------------------------------------------------------------------------

@pytest.mark.parametrize("how", ["form", "direct"])
def test_updates_are_403_and_change_nothing(serve: Serve, how: str):
    update = 'INSERT DATA { <http://x/a> <http://x/b> "c" }'
    if how == "form":
        status, _, body = serve.get("/sparql", method="POST", data=urllib.parse.urlencode({"update": update}).encode(),
                                    headers={"Content-Type": "application/x-www-form-urlencoded"})
    else:
        status, _, body = serve.get("/sparql", method="POST", data=update.encode(),
                                    headers={"Content-Type": "application/sparql-update"})
    assert status == 403 and b"read-only" in body
    assert serve.query("ASK { <http://x/a> ?p ?o }")[1] == b'{"head":{},"boolean":false}'


def test_update_sent_as_a_query_is_400(serve: Serve):
    assert serve.query("DELETE WHERE { ?s ?p ?o }")[0] == 400
    assert serve.healthy()


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <{target}> { ?s ?p ?o } }",
    "select * where { service silent <{target}> { ?s ?p ?o } }",
    "SELECT * WHERE { ?x a kg:Report . SeRvIcE\n<{target}> { ?s ?p ?o } }",
])
def test_service_never_reaches_out(serve: Serve, query: str):
    with socket.socket() as trap:
        trap.bind(("127.0.0.1", 0))
        trap.listen(1)
        trap.settimeout(0.5)
        status, body = serve.query(query.replace("{target}", f"http://127.0.0.1:{trap.getsockname()[1]}/sparql"))
        assert status == 403 and b"SERVICE" in body
        with pytest.raises(socket.timeout):
            trap.accept()


def test_load_is_refused(serve: Serve):
    status, _, _ = serve.get("/sparql", method="POST", data=b"LOAD <http://127.0.0.1:9/x.ttl>",
                             headers={"Content-Type": "application/sparql-update"})
    assert status == 403


@pytest.mark.parametrize("path", [
    "/static/../server.py",
    "/static/%2e%2e/server.py",
    "/static/%2e%2e%2fserver.py",
    "/static/..%2f..%2fpyproject.toml",
    "/static/%252e%252e/server.py",
    "/static//etc/passwd",
    "/static/%2fetc%2fpasswd",
    "/static/explorer/../../server.py",
    "/static/.hidden.js",
    "/static/VENDOR.md",
    "/../../../../etc/passwd",
    "/etc/passwd",
    "/static/query.js%00.py",
])
def test_paths_outside_the_static_folder_are_404(serve: Serve, path: str):
    status, body = serve.raw(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
    assert status == 404, body
    assert b"root:" not in body and b"import" not in body
    assert serve.raw(b"GET /static/query.js HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")[0] == 200


def test_symlinks_in_the_static_folder_are_404(tmp_path: Path):
    static = tmp_path / "static"
    (static / "sub").mkdir(parents=True)
    (static / "ok.js").write_text("1;", encoding="utf-8")
    (tmp_path / "secret.js").write_text("secret", encoding="utf-8")
    (static / "link.js").symlink_to(tmp_path / "secret.js")
    (static / "up").symlink_to(tmp_path)
    (static / "sub" / "inner.js").symlink_to(static / "ok.js")
    server = make_server(open_graph(ROOT / "data" / "triples.ttl"), port=0, static_dir=static)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}/static/"

        def status(name: str) -> int:
            try:
                with urllib.request.urlopen(base + name, timeout=10) as response:
                    return int(response.status)
            except urllib.error.HTTPError as err:
                return err.code

        assert status("ok.js") == 200
        assert [status(n) for n in ("link.js", "up/secret.js", "sub/inner.js", "up/static/ok.js")] == [404] * 4
    finally:
        server.shutdown()
        server.server_close()


def test_a_10_mb_query_string_is_414_and_the_server_stays_healthy(serve: Serve):
    query = urllib.parse.quote("SELECT * WHERE { ?s ?p ?o } #" + "x" * 10 * 2**20)
    status, body = serve.raw(f"GET /sparql?query={query} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode(),
                             send_in_thread=True)
    assert status == 414 and b"POST" in body
    assert serve.healthy()


def test_a_10_mb_post_body_is_413_and_the_server_stays_healthy(serve: Serve):
    body = b"SELECT * WHERE { ?s ?p ?o } #" + b"x" * 10 * 2**20
    head = ("POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
            f"Content-Length: {len(body)}\r\n\r\n")
    status, answer = serve.raw(head.encode() + body, send_in_thread=True)
    assert status == 413 and b"MB" in answer
    assert serve.healthy()


@pytest.mark.parametrize("request_bytes,expected", [
    (b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: lots\r\n\r\n", 400),
    (b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -5\r\n\r\n", 400),
    (b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 411),
    (b"POST /other HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n", 405),
    (b"PUT /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n", 405),
    (b"DELETE /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 405),
    (b"GARBAGE\r\n\r\n", 400),
    (b"GET /sparql HTTP/1.1\r\n" + b"X-Big: " + b"y" * 70_000 + b"\r\n\r\n", 431),
    (b"GET /sparql HTTP/1.1\r\n" + b"".join(b"X-%d: 1\r\n" % i for i in range(200)) + b"\r\n", 431),
])
def test_malformed_requests_get_a_clear_status(serve: Serve, request_bytes: bytes, expected: int):
    status, body = serve.raw(request_bytes)
    assert status == expected, body
    assert body.endswith(b"\n") and body.count(b"\n") == 1
    assert serve.healthy()


def test_a_hostile_host_header_does_not_reach_the_service_description(serve: Serve):
    status, _, body = serve.get("/sparql", headers={"Accept": "text/turtle", "Host": "x> . <y> <z> <w"})
    assert status == 400 and b"<y>" not in body


def test_a_query_that_would_run_forever_is_503_at_the_timeout_and_the_server_recovers(serve: Serve):
    started = time.monotonic()
    status, body = serve.query(FOREVER)
    elapsed = time.monotonic() - started
    assert status == 503 and b"1 s timeout" in body
    assert elapsed < 5, f"answered after {elapsed:.1f} s"
    for _ in range(3):
        assert serve.healthy()


# -- what it shows --------------------------------------------------------------------------------

def test_the_explorer_escapes_labels(serve: Serve):
    status, headers, body = serve.get("/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    page = body.decode("utf-8")
    assert EVIL not in page and "<img src=x" not in page
    assert "\\u003cscript\\u003ealert" in page or "&lt;script&gt;alert" in page, "the label is not on the page"


def test_results_escape_labels(serve: Serve):
    query = f"SELECT ?l WHERE {{ <{REPORT}> skos:prefLabel ?l }}"
    status, body = serve.query(query, accept="application/sparql-results+xml")
    assert status == 200 and b"<script>" not in body and b"&lt;/script&gt;&lt;script&gt;" in body
    # JSON carries the label as data (never sniffed as HTML: nosniff) and the query page shows it as text.
    status, _, body = serve.get("/sparql?" + urllib.parse.urlencode({"query": query}))
    assert json.loads(body)["results"]["bindings"][0]["l"]["value"] == EVIL


def test_headers_do_not_advertise_the_python_version(serve: Serve):
    _, headers, _ = serve.get("/query")
    assert headers["Server"].strip() == "kg-serve" and headers["X-Content-Type-Options"] == "nosniff"


def test_no_error_body_reveals_paths_or_tracebacks(serve: Serve):
    # Runs last in this module: every error answer collected above, plus a few more.
    serve.get("/nope/../../src/kg/server.py")
    serve.query("SELECT * WHERE { ?s <file:///work/main/src/kg/server.py> ?o . FILTER(")
    serve.get("/sparql", method="POST", data=b"x", headers={"Content-Type": "application/json"})
    assert len(ERROR_BODIES) >= 20
    for where, body in ERROR_BODIES:
        text = body.decode("utf-8", "replace")
        assert text, where
        leaked = [leak for leak in LEAKS if leak in text and "file:///work" not in text]
        assert not leaked, f"{where}: {text[:300]}"
    assert "Traceback" not in serve.log.read_text()


# -- issue 19: one request must not kill it, and no trick gets a SERVICE out ------------------------

def test_deep_nesting_answers_400_and_the_server_lives(serve: Serve) -> None:
    """About 6,000 nested parentheses (a 12 KB GET) crashed the process: refused before parsing."""
    status, body = serve.query("SELECT * WHERE { FILTER(" + "(" * 6000 + "1" + ")" * 6000 + ") }")
    assert status == 400 and b"levels deep" in body
    assert serve.healthy()


class _Listener:
    """A TCP listener on loopback that counts connections (a host a SERVICE would call)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.running = True
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while self.running:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self.running = False
        self.thread.join(timeout=2)
        self.sock.close()


@pytest.mark.parametrize("trick", [
    "SELECT * WHERE { ?s kg:a\\' ?o . SERVICE <http://127.0.0.1:{port}/sparql> { ?a ?b ?c } }",
    "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:{port}/sparql> { ?a ?b ?c } }",
    "SELECT * WHERE { sErViCe <http://127.0.0.1:{port}/sparql> { ?a ?b ?c } }",
    "SELECT * WHERE { # comment\n SERVICE\n<http://127.0.0.1:{port}/sparql> { ?a ?b ?c } }",
    "SELECT * WHERE { SERVICE SILENT <http://127.0.0.1:{port}/sparql> { ?a ?b ?c } }",
    "PREFIX p: <http://127.0.0.1:{port}/> SELECT * WHERE { SERVICE p:sparql { ?a ?b ?c } }",
], ids=["escape-in-name", "codepoint-escape", "case", "comment-and-newlines", "silent", "prefixed-iri"])
def test_no_trick_reaches_another_host(serve: Serve, trick: str) -> None:
    listener = _Listener()
    try:
        status, _ = serve.query(trick.replace("{port}", str(listener.port)))
        time.sleep(0.3)
        assert status in (400, 403), status
        assert listener.connections == 0
    finally:
        listener.close()
    assert serve.healthy()


def test_an_update_sent_by_get_is_refused_and_changes_nothing(serve: Serve) -> None:
    status, _, body = serve.get("/sparql?" + urllib.parse.urlencode({"update": "DROP ALL"}))
    assert status == 405 and b"POST" in body
    assert serve.healthy()


def test_two_query_parameters_are_a_bad_request(serve: Serve) -> None:
    status, _, body = serve.get("/sparql?query=ASK%7B%7D&query=ASK%7B%7D")
    assert status == 400 and b"one query parameter" in body


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_other_methods_are_not_allowed(serve: Serve, method: str) -> None:
    status, _, _ = serve.get("/sparql", method=method, data=b"x")
    assert status == 405
