"""``kg serve``: a SPARQL 1.1 Protocol endpoint, a query page and the explorer, on loopback.

Routes:

* ``/sparql`` — SPARQL 1.1 Protocol: ``GET ?query=``, ``POST`` form (``query=`` / ``update=``)
  and ``POST`` direct (``application/sparql-query`` / ``application/sparql-update``). Results as
  JSON, XML, CSV or TSV; graphs as Turtle, N-Triples, RDF/XML or JSON-LD, by ``Accept``.
  Without a query it returns the service description. The protocol logic (what is refused and
  why) is :class:`~kg.serve.protocol.SparqlApp`; the formats are in :mod:`kg.query.formats`.
* ``/query`` — a query page for people (YASGUI, served from ``kg/serve/static``, nothing from the
  internet) with the catalogue of named queries preloaded; ``/catalogue.json`` feeds it.
* ``/static/…`` — files of ``kg/serve/static`` only: no ``..``, no hidden files, no symlinks (404).
* ``/`` — the interactive explorer from :mod:`kg.view` (a redirect to ``/query`` until it exists).

Security stance: binds ``127.0.0.1`` by default; read-only unless ``allow_update``; never calls
another server (``SERVICE``, ``LOAD`` → 403); request lines over 64 KB get 414, bodies over
:data:`MAX_BODY_BYTES` 413; a fixed pool of :data:`WORKERS` threads serves connections (more
wait in a bounded queue, beyond which they get 503); idle connections close after
:data:`IDLE_TIMEOUT` seconds; error bodies are one plain-text line without paths or tracebacks.

>>> from kg.store import oxigraph_graph
>>> app = SparqlApp(oxigraph_graph())
>>> status, headers, body = app.sparql({"query": ["ASK { ?s ?p ?o }"]}, accept="application/sparql-results+json")
>>> status, body
(200, b'{"head":{},"boolean":false}')
"""

from __future__ import annotations

import queue
import socket
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

from rdflib import Graph

from kg.errors import InputError
from kg.serve.protocol import (
    DEFAULT_CONCURRENCY,
    DEFAULT_MAX_ROWS,
    DEFAULT_QUEUE_TIMEOUT,
    DEFAULT_TIMEOUT,
    Response,
    SparqlApp,
    error,
    log,
    query_is_update,
    with_prefixes,
)
from kg.store import oxigraph_store

__all__ = [
    "DEFAULT_MAX_ROWS", "DEFAULT_TIMEOUT", "STATIC", "PooledHTTPServer", "SparqlApp", "make_server",
    "query_is_update", "static_file", "with_prefixes",
]

STATIC = Path(__file__).resolve().parent / "static"
#: Largest POST body accepted (413 beyond); a GET request line is capped at 64 KB by http.server (414).
MAX_BODY_BYTES = 1 * 2**20
#: Threads serving connections; further connections wait in a queue of :data:`BACKLOG`.
WORKERS = 64
BACKLOG = 256
#: Seconds a connection may sit idle (or a client may take to send its request) before it closes.
IDLE_TIMEOUT = 15.0
#: After refusing an oversized request, read and drop at most this much of it, so the client
#: sees the answer instead of a reset connection.
_DRAIN_BYTES = 64 * 2**20
_CONTENT_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".woff2": "font/woff2",
}


def static_file(root: Path, name: str) -> Path | None:
    """The file ``name`` (URL-encoded, relative) inside ``root``, or None when it is not one:
    ``..``, absolute or hidden parts, a symlink anywhere on the way, an unknown type.

    >>> static_file(STATIC, "query.js") == STATIC / "query.js"
    True
    >>> [static_file(STATIC, n) for n in ("../server.py", "%2e%2e/server.py", "/etc/passwd", "VENDOR.md")]
    [None, None, None, None]
    """
    name = urllib.parse.unquote(name)
    parts = name.split("/")
    if not name or "\\" in name or "\x00" in name or any(p in ("", ".", "..") or p.startswith(".") for p in parts):
        return None
    path = root
    for part in parts:
        path = path / part
        if path.is_symlink():
            return None
    if path.suffix not in _CONTENT_TYPES or not path.is_file():
        return None
    try:
        path.resolve(strict=True).relative_to(root.resolve())
    except (OSError, ValueError):
        return None
    return path


class _Handler(BaseHTTPRequestHandler):
    """HTTP plumbing: turn requests into :class:`SparqlApp` calls."""

    app: SparqlApp
    static_root: Path = STATIC
    server_version = "kg-serve"
    sys_version = ""  # do not advertise the Python version
    protocol_version = "HTTP/1.1"
    default_request_version = "HTTP/1.0"  # answer even a garbled request line with a status line
    timeout = IDLE_TIMEOUT
    _drain = False

    def log_message(self, format: str, *args: Any) -> None:
        if getattr(self.server, "verbose", False):
            super().log_message(format, *args)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """http.server's own refusals (414, 431, 501 …) as one plain-text line like ours."""
        self.close_connection = True
        if code in (413, 414, 431):
            self._drain = True
        reasons = {414: "the request line is over 64 KB; send a long query with POST",
                   431: "the request headers are too large"}
        reason = reasons.get(code, message or self.responses.get(code, ("error",))[0])
        self._send(error(code, reason), close=True)

    def _send(self, response: Response, head: bool = False, *, close: bool = False) -> None:
        status, headers, body = response
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        if close:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if not head and self.command != "HEAD":
            self.wfile.write(body)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            if self._drain:
                _drain(self.connection)

    def _route(self, head: bool = False) -> None:
        url = urllib.parse.urlsplit(self.path)
        path = url.path
        if path == "/sparql":
            params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
            base = f"http://{self.headers.get('Host', '127.0.0.1')}/sparql"
            if "update" in params:  # a link or an <img> must never change the data: updates are POSTed
                self._send(error(405, "an update must be POSTed (form or application/sparql-update), never GET"),
                           head)
                return
            self._send(self.app.sparql(params, accept=self.headers.get("Accept"), base=base), head)
        elif path == "/query":
            self._send((200, {"Content-Type": "text/html; charset=utf-8"}, (STATIC / "query.html").read_bytes()), head)
        elif path == "/catalogue.json":
            self._send((200, {"Content-Type": "application/json"}, self.app.catalogue_json()), head)
        elif path.startswith("/static/") and (found := static_file(self.static_root, path[len("/static/"):])):
            self._send((200, {"Content-Type": _CONTENT_TYPES[found.suffix], "Cache-Control": "max-age=3600"},
                        found.read_bytes()), head)
        elif path == "/":
            self._send(self.app.explorer(), head)
        else:
            self._send(error(404, "no such page; try /query, /sparql or /"), head)

    def _safely(self, handle: Any, *args: Any) -> None:
        try:
            handle(*args)
        except (TimeoutError, BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client went away; nobody to answer
        except Exception as err:
            log(f"internal error on {self.command} {self.path[:200]}: {type(err).__name__}: {err}")
            self._send(error(500, "internal error; the server's log has the details"), close=True)

    def do_GET(self) -> None:
        self._safely(self._route)

    def do_HEAD(self) -> None:
        self._safely(self._route, True)

    def do_POST(self) -> None:
        self._safely(self._post)

    def _not_allowed(self) -> None:
        self._send(error(405, f"{self.command} is not supported; use GET or POST on /sparql"), close=True)

    def do_PUT(self) -> None:
        self._safely(self._not_allowed)

    def do_DELETE(self) -> None:
        self._safely(self._not_allowed)

    def do_PATCH(self) -> None:
        self._safely(self._not_allowed)

    def _post(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        if url.path != "/sparql":
            self._send(error(405, "POST goes to /sparql"), close=True)
            return
        if self.headers.get("Transfer-Encoding"):
            self._drain = True
            self._send(error(411, "send the body with a Content-Length, not chunked"), close=True)
            return
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0:
            self._send(error(400, "Content-Length is not a number of bytes"), close=True)
            return
        if length > MAX_BODY_BYTES:
            self._drain = True
            self._send(error(413, f"the body is over {MAX_BODY_BYTES // 2**20} MB; a SPARQL query is never that long"),
                       close=True)
            return
        raw = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        media = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        accept = self.headers.get("Accept")
        if media == "application/x-www-form-urlencoded":
            params.update(urllib.parse.parse_qs(raw, keep_blank_values=True))
            response = self.app.sparql(params, accept=accept)
        elif media in ("application/sparql-query", "application/sparql-update"):
            response = self.app.sparql(params, accept=accept, body=raw, body_type=media)
        else:
            response = error(415, "POST a form (application/x-www-form-urlencoded) or a direct "
                                  "application/sparql-query or application/sparql-update body")
        self._send(response)


def _drain(connection: socket.socket) -> None:
    """Lingering close: stop writing, then read and drop what the client is still sending (up to
    :data:`_DRAIN_BYTES`, for at most 2 s), so it reads our answer rather than a reset."""
    try:
        connection.shutdown(socket.SHUT_WR)
        connection.settimeout(0.5)
        deadline, dropped = time.monotonic() + 2.0, 0
        while dropped < _DRAIN_BYTES and time.monotonic() < deadline:
            chunk = connection.recv(1 << 16)
            if not chunk:
                break
            dropped += len(chunk)
    except OSError:
        pass


class PooledHTTPServer(HTTPServer):
    """An HTTP server with a fixed pool of worker threads and a bounded queue of connections.

    The standard library's ``ThreadingHTTPServer`` starts a thread per connection, without limit;
    here a burst of connections waits in the queue, and past it gets an immediate 503.
    """

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler], *,
                 workers: int = WORKERS, backlog: int = BACKLOG) -> None:
        self.request_queue_size = backlog  # the listen() backlog
        super().__init__(address, handler)
        self._jobs: queue.Queue[tuple[Any, Any] | None] = queue.Queue(maxsize=backlog)
        self._workers = [threading.Thread(target=self._work, daemon=True, name=f"kg-serve-{i}")
                         for i in range(workers)]
        for worker in self._workers:
            worker.start()

    def process_request(self, request: Any, client_address: Any) -> None:
        try:
            self._jobs.put_nowait((request, client_address))
        except queue.Full:
            try:
                body = b"the server is busy; try again shortly\n"
                head = (b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
                        b"Retry-After: 1\r\nConnection: close\r\nContent-Length: %d\r\n\r\n" % len(body))
                request.sendall(head + body)
            except OSError:
                pass
            self.shutdown_request(request)

    def _work(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            request, client_address = job
            try:
                self.finish_request(request, client_address)
            except (TimeoutError, BrokenPipeError, ConnectionResetError):
                pass
            except Exception as err:
                log(f"connection from {client_address[0]} failed: {type(err).__name__}: {err}")
            finally:
                self.shutdown_request(request)

    def server_close(self) -> None:
        super().server_close()
        for _ in self._workers:
            try:
                self._jobs.put(None, timeout=1)
            except queue.Full:
                break


def _fewer_malloc_arenas(arenas: int = 2) -> None:
    """Cap glibc's malloc arenas. With one arena per busy thread (up to 8 per CPU) the memory
    that worker threads free stays spread over many arenas, and the server's RSS creeps up
    under sustained load (68 → 99 MB over 30 s of 30 clients); with two it stays flat."""
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt(-8, arenas)  # M_ARENA_MAX
    except (OSError, AttributeError):  # not glibc: nothing to tune
        pass


def make_server(graph: Graph, *, host: str = "127.0.0.1", port: int = 8000, allow_update: bool = False,
                timeout: float = DEFAULT_TIMEOUT, max_rows: int = DEFAULT_MAX_ROWS,
                isolate: bool = True, verbose: bool = False, concurrency: int = DEFAULT_CONCURRENCY,
                queue_timeout: float = DEFAULT_QUEUE_TIMEOUT, workers: int = WORKERS,
                static_dir: str | Path | None = None) -> PooledHTTPServer:
    """A ready-to-run HTTP server for ``graph`` (an embedded Oxigraph graph from
    :func:`kg.store.open_graph`). ``port=0`` picks a free port (see ``server.server_address``).

    ``isolate`` runs each query in a forked process that is killed at the timeout; turn it off
    for an on-disk store (a forked RocksDB handle is not safe), where queries run in threads.
    ``concurrency`` queries run at once; others wait up to ``queue_timeout`` seconds (then 503).
    ``workers`` threads serve connections. ``static_dir`` replaces ``kg/serve/static`` under ``/static/``.
    """
    app = SparqlApp(graph, allow_update=allow_update, timeout=timeout, max_rows=max_rows, isolate=isolate,
                    concurrency=concurrency, queue_timeout=queue_timeout)
    oxigraph_store(graph)  # fail early for a graph on another backend
    _fewer_malloc_arenas()
    handler = type("Handler", (_Handler,), {"app": app, "static_root": Path(static_dir) if static_dir else STATIC})
    try:
        server = PooledHTTPServer((host, port), handler, workers=workers)
    except OSError as err:
        raise InputError(f"cannot listen on {host}:{port} ({err.strerror or err}); pick another --port") from err
    server.verbose = verbose  # type: ignore[attr-defined]
    return server
