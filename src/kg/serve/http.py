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

Security stance: binds ``127.0.0.1`` by default; read-only unless ``allow_update``, and updates
only by POST from a program or this server's own page (a cross-site ``Origin`` or
``Sec-Fetch-Site`` gets 403); a ``Host`` that names anything but an IP address, ``localhost``, the
bind address or an ``allow_hosts`` name gets 403 (DNS rebinding); never calls another server
(``SERVICE``, ``LOAD`` → 403); every HTML page has :data:`CONTENT_SECURITY_POLICY`; request lines
over 64 KB get 414, bodies over :data:`~kg.serve.connections.MAX_BODY_BYTES` 413; slow clients
hold no worker thread and a request must arrive whole within
:data:`~kg.serve.connections.REQUEST_TIMEOUT` seconds (:mod:`kg.serve.connections`); error bodies
are one plain-text line without paths or tracebacks.

>>> from kg.store import oxigraph_graph
>>> app = SparqlApp(oxigraph_graph())
>>> status, headers, body = app.sparql({"query": ["ASK { ?s ?p ?o }"]}, accept="application/sparql-results+json")
>>> status, body
(200, b'{"head":{},"boolean":false}')
"""

from __future__ import annotations

import ipaddress
import re
import socket
import time
import urllib.parse
from pathlib import Path
from typing import Any

from rdflib import Graph

from kg.errors import InputError
from kg.serve.connections import IDLE_TIMEOUT, MAX_BODY_BYTES, ConnectionHandler, PooledHTTPServer
from kg.serve.protocol import (
    DEFAULT_CONCURRENCY,
    DEFAULT_MAX_MEMORY_MB,
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
#: Threads answering whole requests (a slow client holds none: see :mod:`kg.serve.connections`).
WORKERS = 64
#: The one policy for every HTML page (the query page and the explorer): nothing from another
#: origin, no plugins, no framing, forms post only here.
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
                           "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
                           "base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
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


def host_name(host: str) -> str:
    """The name in a ``Host`` header, without its port, lower case.

    >>> [host_name(h) for h in ("LocalHost:8000", "[::1]:80", "127.0.0.1", "example.org.")]
    ['localhost', '::1', '127.0.0.1', 'example.org']
    """
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:host.find("]")] if "]" in host else host
    if host.count(":") == 1:
        host = host.split(":")[0]
    return host.rstrip(".")


def host_allowed(host: str | None, allowed: frozenset[str]) -> bool:
    """Whether a request's ``Host`` is one this server answers to: an IP address (a DNS rebinding
    attack needs a name), ``localhost``, or a name in ``allowed``. No ``Host`` at all (HTTP/1.0
    clients, never a browser) is allowed.

    >>> host_allowed("192.168.1.5:8000", frozenset()), host_allowed("evil.example", frozenset())
    (True, False)
    """
    if host is None:
        return True
    name = host_name(host)
    try:
        ipaddress.ip_address(name)
        return True
    except ValueError:
        return name == "localhost" or name in allowed


class _Handler(ConnectionHandler):
    """HTTP plumbing: turn requests into :class:`SparqlApp` calls."""

    app: SparqlApp
    static_root: Path = STATIC
    allowed_hosts: frozenset[str] = frozenset()
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
        if headers.get("Content-Type", "").startswith("text/html"):
            self.send_header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
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

    def _refused_host(self) -> bool:
        """Answer 403 when the Host header names someone else (DNS rebinding); True if refused."""
        host = self.headers.get("Host")
        if host_allowed(host, self.allowed_hosts):
            return False
        name = host_name(host or "")[:100]
        if not re.fullmatch(r"[a-z0-9.\-]+", name):  # never echo a hostile header back
            self._send(error(400, "the Host header is not a host name"), close=True)
            return True
        self._send(error(403, f"this server does not answer to the host name {name!r}; start kg serve with "
                              f"--allow-host {name} if that name is really yours"), close=True)
        return True

    def _cross_site(self) -> str | None:
        """Why a request comes from another site's page (its Origin or Sec-Fetch-Site), or None."""
        site = (self.headers.get("Sec-Fetch-Site") or "").strip().lower()
        if site and site not in ("same-origin", "none"):
            return f"Sec-Fetch-Site is {site}"
        origin = self.headers.get("Origin")
        if origin is None:
            return None
        parts = urllib.parse.urlsplit(origin.strip())
        if origin.strip() == "null" or parts.scheme not in ("http", "https") or \
                parts.netloc.lower() != (self.headers.get("Host") or "").strip().lower():
            return f"Origin is {origin.strip()[:100]}"
        return None

    def _base(self) -> str:
        """This endpoint's own URL (the base IRI of queries and updates)."""
        host = (self.headers.get("Host") or "").strip()
        if not host or not host_allowed(host, self.allowed_hosts) or not all(c.isalnum() or c in ".-:[]" for c in host):
            address: Any = self.server.server_address
            host = f"{address[0]!s}:{address[1]!s}"
        return f"http://{host}/sparql"

    def _route(self, head: bool = False) -> None:
        if self._refused_host():
            return
        url = urllib.parse.urlsplit(self.path)
        path = url.path
        if path == "/sparql":
            params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
            base = self._base()
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
        if self._refused_host():
            return
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
        data = self.rfile.read(length) if length else b""
        content_type = self.headers.get("Content-Type") or ""
        media = content_type.split(";")[0].strip().lower()
        charset = next((p.split("=", 1)[1].strip().strip('"').lower() for p in content_type.split(";")[1:]
                        if p.strip().lower().startswith("charset=")), "utf-8")
        if charset not in ("utf-8", "utf8"):
            self._send(error(415, f"the body is {charset[:40]}; send SPARQL as UTF-8 (charset=utf-8)"))
            return
        try:
            raw = data.decode("utf-8")
        except UnicodeDecodeError as err:
            self._send(error(400, f"the body is not UTF-8 (byte {err.start}); send SPARQL as UTF-8"))
            return
        params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        accept = self.headers.get("Accept")
        if media == "application/x-www-form-urlencoded":
            params.update(urllib.parse.parse_qs(raw, keep_blank_values=True))
        if (media == "application/sparql-update" or "update" in params) and (why := self._cross_site()):
            self._send(error(403, f"an update must come from this server's own page or a program, not from "
                                  f"another site's page ({why})"))
            return
        if media == "application/x-www-form-urlencoded":
            response = self.app.sparql(params, accept=accept, base=self._base())
        elif media in ("application/sparql-query", "application/sparql-update"):
            response = self.app.sparql(params, accept=accept, body=raw, body_type=media, base=self._base())
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
                static_dir: str | Path | None = None, allow_hosts: tuple[str, ...] = (),
                max_memory_mb: int = DEFAULT_MAX_MEMORY_MB) -> PooledHTTPServer:
    """A ready-to-run HTTP server for ``graph`` (an embedded Oxigraph graph from
    :func:`kg.store.open_graph`). ``port=0`` picks a free port (see ``server.server_address``).

    ``isolate`` runs each query in a forked process that is killed at the timeout; turn it off
    for an on-disk store (a forked RocksDB handle is not safe), where queries run in threads.
    ``concurrency`` queries run at once; others wait up to ``queue_timeout`` seconds (then 503).
    ``workers`` threads answer requests. ``static_dir`` replaces ``kg/serve/static`` under ``/static/``.
    Requests whose ``Host`` is a name other than ``localhost``, ``host`` or one of ``allow_hosts`` get
    403 (IP addresses are always accepted). A query process may grow by ``max_memory_mb``.
    """
    app = SparqlApp(graph, allow_update=allow_update, timeout=timeout, max_rows=max_rows, isolate=isolate,
                    concurrency=concurrency, queue_timeout=queue_timeout, max_memory_mb=max_memory_mb)
    allowed = frozenset(host_name(name) for name in (host, *allow_hosts))
    oxigraph_store(graph)  # fail early for a graph on another backend
    _fewer_malloc_arenas()
    handler = type("Handler", (_Handler,), {"app": app, "static_root": Path(static_dir) if static_dir else STATIC,
                                            "allowed_hosts": allowed})
    try:
        server = PooledHTTPServer((host, port), handler, workers=workers)
    except OSError as err:
        raise InputError(f"cannot listen on {host}:{port} ({err.strerror or err}); pick another --port") from err
    server.verbose = verbose  # type: ignore[attr-defined]
    return server
