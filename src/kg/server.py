"""``kg serve``: a SPARQL 1.1 Protocol endpoint, a query page and the explorer, on loopback.

Routes:

* ``/sparql`` — SPARQL 1.1 Protocol: ``GET ?query=``, ``POST`` form (``query=`` / ``update=``)
  and ``POST`` direct (``application/sparql-query`` / ``application/sparql-update``). Results as
  JSON, XML, CSV or TSV; graphs as Turtle, N-Triples, RDF/XML or JSON-LD, by ``Accept``.
  Without a query it returns the service description. Updates are refused (403) unless the
  server was started with ``allow_update``; a query that runs past ``timeout`` seconds gets 503;
  a bad query gets 400 with the parser's message; results stop at ``max_rows``.
* ``/query`` — a query page for people (YASGUI, served from ``kg/static``, nothing from the
  internet) with the catalogue of named queries preloaded; ``/catalogue.json`` feeds it.
* ``/`` — the interactive explorer from :mod:`kg.view` (a redirect to ``/query`` until it exists).

The server is the standard library's threading HTTP server over an embedded Oxigraph store.

>>> from kg.store import oxigraph_graph
>>> app = SparqlApp(oxigraph_graph())
>>> status, headers, body = app.sparql({"query": ["ASK { ?s ?p ?o }"]}, accept="application/sparql-results+json")
>>> status, body
(200, b'{"head":{},"boolean":false}')
"""

from __future__ import annotations

import json
import re
import threading
import urllib.parse
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from rdflib import Graph

from kg.errors import InputError, QueryError
from kg.query import bind_values, catalogue, check_query, describe_syntax_error, fetches_remote
from kg.rdf import PREFIXES
from kg.store import oxigraph_store

STATIC = Path(__file__).resolve().parent / "static"
DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_ROWS = 10_000

RESULT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": "TURTLE",
    "application/n-triples": "N_TRIPLES",
    "text/plain": "N_TRIPLES",
    "application/rdf+xml": "RDF_XML",
    "application/ld+json": "JSON_LD",
}
_STATIC_FILES = {
    "yasgui.min.js": "text/javascript; charset=utf-8",
    "yasgui.min.css": "text/css; charset=utf-8",
    "query.js": "text/javascript; charset=utf-8",
    "query.css": "text/css; charset=utf-8",
}

Response = tuple[int, dict[str, str], bytes]
# kgr: is left out: Oxigraph would escape the "/" in every data IRI's local name (kgr:report\/…).
_TURTLE_PREFIXES = {k: v for k, v in PREFIXES.items() if k != "kgr"}


def negotiate(accept: str | None, offered: Sequence[str]) -> str | None:
    """The offered media type ``accept`` likes best (first offered wins ties); None if none fits.

    >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", ["application/json", "text/csv",
    ...           "application/sparql-results+xml"])
    'application/sparql-results+xml'
    >>> negotiate(None, ["text/turtle"]), negotiate("image/png", ["text/turtle"])
    ('text/turtle', None)
    """
    if not accept or not accept.strip():
        return offered[0]
    best: tuple[float, int, str] | None = None
    for part in accept.split(","):
        fields = [f.strip() for f in part.split(";")]
        media, quality = fields[0].lower(), 1.0
        for param in fields[1:]:
            if param.startswith("q="):
                try:
                    quality = float(param[2:])
                except ValueError:
                    quality = 0.0
        if quality <= 0:
            continue
        for rank, candidate in enumerate(offered):
            kind = candidate.split("/")[0]
            if media in (candidate, "*/*", f"{kind}/*"):
                specific = 0 if media == candidate else 1
                key = (-quality, specific * 1000 + rank, candidate)
                if best is None or key < best:
                    best = key
    return best[2] if best else None


@dataclass
class SparqlApp:
    """The endpoint's logic, independent of HTTP plumbing (so it can be tested directly)."""

    graph: Graph
    allow_update: bool = False
    timeout: float = DEFAULT_TIMEOUT
    max_rows: int = DEFAULT_MAX_ROWS
    isolate: bool = True
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _busy: threading.BoundedSemaphore = field(default_factory=lambda: threading.BoundedSemaphore(4), repr=False)
    _explorer_html: bytes | None = field(default=None, repr=False)

    @property
    def store(self) -> Any:
        """The embedded pyoxigraph store."""
        return oxigraph_store(self.graph)

    # -- protocol ---------------------------------------------------------------------------

    def sparql(self, params: dict[str, list[str]], *, accept: str | None, body: str | None = None,
               body_type: str | None = None, base: str = "http://127.0.0.1/sparql") -> Response:
        """Answer one protocol request: ``params`` from the URL or form, or a direct ``body``."""
        query = params.get("query", [None])[0]
        update = params.get("update", [None])[0]
        if body is not None and body_type == "application/sparql-query":
            query = body
        elif body is not None and body_type == "application/sparql-update":
            update = body
        if query is not None and update is not None:
            return _error(400, "give either a query or an update, not both")
        if update is not None:
            return self._update(update)
        if query is None:
            return self.service_description(accept, base)
        if query_is_update(query):
            return _error(400, "this is a SPARQL Update; send it as update= or application/sparql-update")
        if fetches_remote(query):
            return _error(403, "federated queries (SERVICE) are disabled: this endpoint never calls other servers")
        try:
            form = check_query(query)
        except QueryError as err:
            return _error(400, str(err))
        offered = list(GRAPH_TYPES) if form in ("CONSTRUCT", "DESCRIBE") else list(RESULT_TYPES)
        media = negotiate(accept, offered)
        if media is None:
            return _error(406, f"cannot answer a {form} query as {accept}; accept one of {', '.join(offered)}")
        return self._run(lambda: self._evaluate(query, form, media), isolate=self.isolate)

    def _update(self, update: str) -> Response:
        if not self.allow_update:
            return _error(403, "updates are disabled; this endpoint is read-only (start kg serve --allow-update)")
        if fetches_remote(update):
            return _error(403, "LOAD and SERVICE are disabled: this endpoint never calls other servers")
        try:
            check_query(update, allow_update=True)
        except QueryError as err:
            return _error(400, str(err))

        def run() -> Response:
            with self._lock:
                self.store.update(update, prefixes=PREFIXES)
            return 204, {}, b""

        return self._run(run)

    def _run(self, work: Any, *, isolate: bool = False) -> Response:
        """Run ``work`` within ``timeout`` seconds, in a forked child process when ``isolate``
        (the child is killed at the deadline, so a runaway query stops using CPU) or else in a
        worker thread (which is abandoned at the deadline: Oxigraph cannot cancel a query)."""
        if not self._busy.acquire(blocking=False):
            return _error(503, "the server is busy with other queries; try again shortly")
        try:
            outcome = self._in_process(work) if isolate else self._in_thread(work)
        finally:
            self._busy.release()
        if outcome is None:
            return _error(503, f"the query ran past the {self.timeout:g} s timeout; add LIMIT or narrow it, "
                               "or start kg serve with a larger --timeout")
        if isinstance(outcome, SyntaxError):
            return _error(400, describe_syntax_error(str(outcome)))
        if isinstance(outcome, Exception):
            return _error(500, f"the query failed: {outcome}")
        return outcome  # type: ignore[no-any-return]

    def _in_thread(self, work: Any) -> Any:
        outcome: list[Any] = []

        def target() -> None:
            try:
                outcome.append(work())
            except Exception as err:  # noqa: BLE001 - reported to the client
                outcome.append(err)

        worker = threading.Thread(target=target, daemon=True, name="kg-sparql")
        worker.start()
        worker.join(self.timeout)
        return outcome[0] if outcome else None

    def _in_process(self, work: Any) -> Any:
        import multiprocessing

        context = multiprocessing.get_context("fork")
        receiver, sender = context.Pipe(duplex=False)

        def target() -> None:
            try:
                sender.send(work())
            except Exception as err:  # noqa: BLE001 - reported to the client
                sender.send(err if isinstance(err, SyntaxError) else RuntimeError(str(err)))

        child = context.Process(target=target, daemon=True, name="kg-sparql")
        with self._lock:  # never fork in the middle of an update
            child.start()
        sender.close()
        try:
            if receiver.poll(self.timeout):
                try:
                    return receiver.recv()
                except EOFError:  # the child died without an answer
                    return RuntimeError(f"the query process ended with code {child.exitcode}")
            return None
        finally:
            receiver.close()
            if child.is_alive():
                child.kill()
            child.join()

    def _evaluate(self, query: str, form: str, media: str) -> Response:
        import pyoxigraph as ox

        result = self.store.query(query, prefixes=PREFIXES)
        headers = {"Content-Type": f"{media}; charset=utf-8" if media.startswith("text/") else media}
        if isinstance(result, ox.QueryBoolean):
            return 200, headers, serialize_boolean(bool(result), RESULT_TYPES[media])
        if isinstance(result, ox.QueryTriples):
            triples: list[Any] = []
            for triple in result:
                if len(triples) == self.max_rows:
                    headers["X-KG-Truncated"] = f"max-rows={self.max_rows}"
                    break
                triples.append(triple)
            fmt = getattr(ox.RdfFormat, GRAPH_TYPES[media])
            body = ox.serialize(triples, format=fmt, prefixes=_TURTLE_PREFIXES if fmt != ox.RdfFormat.N_TRIPLES else None)
            return 200, headers, bytes(body or b"")
        names = [v.value for v in result.variables]
        rows: list[list[Any]] = []
        for solution in result:
            if len(rows) == self.max_rows:
                headers["X-KG-Truncated"] = f"max-rows={self.max_rows}"
                break
            rows.append([solution[n] for n in names])
        return 200, headers, serialize_solutions(names, rows, RESULT_TYPES[media])

    def service_description(self, accept: str | None, base: str) -> Response:
        """The SPARQL 1.1 Service Description of this endpoint, as RDF."""
        import pyoxigraph as ox

        media = negotiate(accept, list(GRAPH_TYPES) + ["text/html"])
        if media is None:
            return _error(406, f"accept one of {', '.join(GRAPH_TYPES)}")
        if media == "text/html":
            return 302, {"Location": "/query"}, b""
        languages = "sd:SPARQL11Query" + (", sd:SPARQL11Update" if self.allow_update else "")
        results = ", ".join(f"<http://www.w3.org/ns/formats/{f}>" for f in
                            ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV",
                             "SPARQL_Results_TSV", "Turtle", "N-Triples", "RDF_XML", "JSON-LD"))
        text = f"""@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
<{base}> a sd:Service ;
    sd:endpoint <{base}> ;
    sd:supportedLanguage {languages} ;
    sd:resultFormat {results} ;
    dcterms:title "kg: government work reports knowledge graph" ;
    sd:defaultDataset [ a sd:Dataset ; sd:defaultGraph [ a sd:Graph ; sd:triples {len(self.graph)} ] ] .
"""
        triples = list(ox.parse(text.encode("utf-8"), format=ox.RdfFormat.TURTLE))
        fmt = getattr(ox.RdfFormat, GRAPH_TYPES[media])
        prefixes = {"sd": "http://www.w3.org/ns/sparql-service-description#", "dcterms": PREFIXES["dcterms"]}
        body = ox.serialize(triples, format=fmt, prefixes=prefixes if fmt != ox.RdfFormat.N_TRIPLES else None)
        return 200, {"Content-Type": media}, bytes(body or b"")

    # -- pages ------------------------------------------------------------------------------

    def catalogue_json(self) -> bytes:
        """The named queries as JSON for the query page: ``text`` is ready to run in the editor,
        with PREFIX lines for the prefixes it uses (so the editor and result table know them)
        and the parameters bound to their defaults in a VALUES block the user can edit."""
        items = [
            {"name": q.name, "title": q.title, "description": q.description, "query": q.text,
             "text": with_prefixes(bind_values(q.text, q.defaults())),
             "parameters": [{"name": p.name, "default": str(p.default), "description": p.description}
                            for p in q.parameters]}
            for q in catalogue().values()
        ]
        return json.dumps({"prefixes": PREFIXES, "queries": items}, ensure_ascii=False).encode("utf-8")

    def explorer(self) -> Response:
        """``/``: the explorer page from :mod:`kg.view`, or a redirect to the query page."""
        try:
            from kg.view import render_html  # imported late: the view stage is optional here
        except ImportError:
            return 302, {"Location": "/query"}, b""
        with self._lock:
            if self._explorer_html is None:
                try:
                    self._explorer_html = render_html(self.graph).encode("utf-8")
                except Exception as err:  # noqa: BLE001 - the endpoint keeps working without the explorer
                    return _error(500, f"the explorer failed ({type(err).__name__}: {err}); the query page is at /query")
        return 200, {"Content-Type": "text/html; charset=utf-8"}, self._explorer_html


def with_prefixes(text: str) -> str:
    """``text`` with ``PREFIX`` lines for the predefined prefixes it uses, placed after its header
    comments.

    >>> print(with_prefixes("# title: x\\nSELECT * WHERE { ?s a kg:Report }"))
    # title: x
    PREFIX kg: <https://w3id.org/policykg/ontology#>
    SELECT * WHERE { ?s a kg:Report }
    """
    from kg.query import _strip

    code = _strip(text)
    used = [name for name in PREFIXES if re.search(rf"(?<![\w:?$]){name}:", code)]
    declared = set(re.findall(r"PREFIX\s+(\w*):", code, re.I))
    lines = text.split("\n")
    head = 0
    while head < len(lines) and lines[head].startswith("#"):
        head += 1
    prefix_lines = [f"PREFIX {name}: <{PREFIXES[name]}>" for name in used if name not in declared]
    return "\n".join(lines[:head] + prefix_lines + lines[head:])


def query_is_update(text: str) -> bool:
    """Whether a request's ``query`` is really a SPARQL Update."""
    from kg.query import query_form

    return query_form(text) == "UPDATE"


def _error(status: int, message: str) -> Response:
    return status, {"Content-Type": "text/plain; charset=utf-8"}, (message + "\n").encode("utf-8")


def _term_json(term: Any) -> dict[str, str]:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": str(term)}


def _term_xml(term: Any) -> str:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
    if term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
    return f"<literal>{escape(term.value)}</literal>"


def _csv_cell(term: Any) -> str:
    if term is None:
        return ""
    text = term.value
    if any(c in text for c in ',"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return str(text)


def serialize_solutions(names: list[str], rows: Iterable[Sequence[Any]], fmt: str) -> bytes:
    """SPARQL 1.1 query results in ``json``, ``xml``, ``csv`` or ``tsv`` for pyoxigraph terms."""
    if fmt == "json":
        bindings = [{n: _term_json(t) for n, t in zip(names, row) if t is not None} for row in rows]
        return json.dumps({"head": {"vars": names}, "results": {"bindings": bindings}},
                          ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if fmt == "xml":
        out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>']
        out += [f"<variable name={quoteattr(n)}/>" for n in names]
        out.append("</head><results>")
        for row in rows:
            out.append("<result>")
            out += [f"<binding name={quoteattr(n)}>{_term_xml(t)}</binding>" for n, t in zip(names, row) if t is not None]
            out.append("</result>")
        out.append("</results></sparql>\n")
        return "".join(out).encode("utf-8")
    if fmt == "csv":
        lines = [",".join(names)] + [",".join(_csv_cell(t) for t in row) for row in rows]
        return ("\r\n".join(lines) + "\r\n").encode("utf-8")
    lines = ["\t".join(f"?{n}" for n in names)] + ["\t".join("" if t is None else str(t) for t in row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def serialize_boolean(value: bool, fmt: str) -> bytes:
    """An ASK answer in ``json``, ``xml``, ``csv`` or ``tsv``."""
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}, separators=(",", ":")).encode("utf-8")
    if fmt == "xml":
        return (f'<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/>'
                f"<boolean>{str(value).lower()}</boolean></sparql>\n").encode("utf-8")
    return (("_askResult\r\n" if fmt == "csv" else "?_askResult\n") + str(value).lower() + "\n").encode("utf-8")


class _Handler(BaseHTTPRequestHandler):
    """HTTP plumbing: turn requests into :class:`SparqlApp` calls."""

    app: SparqlApp
    server_version = "kg-serve"
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        if getattr(self.server, "verbose", False):
            super().log_message(format, *args)

    def _send(self, response: Response, head: bool = False) -> None:
        status, headers, body = response
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _route(self, head: bool = False) -> None:
        url = urllib.parse.urlsplit(self.path)
        path = url.path
        params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        if path == "/sparql":
            base = f"http://{self.headers.get('Host', '127.0.0.1')}/sparql"
            self._send(self.app.sparql(params, accept=self.headers.get("Accept"), base=base), head)
        elif path == "/query":
            self._send((200, {"Content-Type": "text/html; charset=utf-8"}, _query_page()), head)
        elif path == "/catalogue.json":
            self._send((200, {"Content-Type": "application/json"}, self.app.catalogue_json()), head)
        elif path.startswith("/static/") and path[len("/static/"):] in _STATIC_FILES:
            name = path[len("/static/"):]
            self._send((200, {"Content-Type": _STATIC_FILES[name], "Cache-Control": "max-age=3600"},
                        (STATIC / name).read_bytes()), head)
        elif path == "/":
            self._send(self.app.explorer(), head)
        else:
            self._send(_error(404, f"no page {path}; try /query or /sparql"), head)

    def _safely(self, handle: Any, *args: Any) -> None:
        try:
            handle(*args)
        except Exception as err:  # noqa: BLE001 - a bug must not kill the connection without an answer
            self._send(_error(500, f"internal error: {type(err).__name__}: {err}"))

    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        self._safely(self._route)

    def do_HEAD(self) -> None:  # noqa: N802
        self._safely(self._route, True)

    def do_POST(self) -> None:  # noqa: N802
        self._safely(self._post)

    def _post(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        if url.path != "/sparql":
            self._send(_error(405, "POST goes to /sparql"))
            return
        length = int(self.headers.get("Content-Length") or 0)
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
            response = _error(415, "POST a form (application/x-www-form-urlencoded) or a direct "
                                   "application/sparql-query or application/sparql-update body")
        self._send(response)


def _query_page() -> bytes:
    return (STATIC / "query.html").read_bytes()


def make_server(graph: Graph, *, host: str = "127.0.0.1", port: int = 8000, allow_update: bool = False,
                timeout: float = DEFAULT_TIMEOUT, max_rows: int = DEFAULT_MAX_ROWS,
                isolate: bool = True, verbose: bool = False) -> ThreadingHTTPServer:
    """A ready-to-run HTTP server for ``graph`` (an embedded Oxigraph graph from
    :func:`kg.store.open_graph`). ``port=0`` picks a free port (see ``server.server_address``).

    ``isolate`` runs each query in a forked process that is killed at the timeout; turn it off
    for an on-disk store (a forked RocksDB handle is not safe), where queries run in threads.
    """
    app = SparqlApp(graph, allow_update=allow_update, timeout=timeout, max_rows=max_rows, isolate=isolate)
    oxigraph_store(graph)  # fail early for a graph on another backend
    handler = type("Handler", (_Handler,), {"app": app})
    try:
        server = ThreadingHTTPServer((host, port), handler)
    except OSError as err:
        raise InputError(f"cannot listen on {host}:{port} ({err.strerror or err}); pick another --port") from err
    server.daemon_threads = True
    server.verbose = verbose  # type: ignore[attr-defined]
    return server
