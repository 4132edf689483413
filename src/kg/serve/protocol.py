"""The SPARQL 1.1 Protocol logic of ``kg serve``, independent of HTTP plumbing.

:class:`SparqlApp` answers one request at a time as ``(status, headers, body)``; the HTTP
server in :mod:`kg.serve.http` only parses requests and writes these answers. What it refuses:

* an update (403) unless started with ``allow_update``; ``LOAD`` and ``SERVICE`` always (403):
  the endpoint never calls other servers;
* a bad query (400, with line and column), an unacceptable ``Accept`` (406);
* a query past ``timeout`` seconds (503; in ``isolate`` mode the forked process running it is
  killed, so it stops using CPU), one that needs more than ``max_memory_mb`` (503, the process
  dies, the server lives), or one that waited ``queue_timeout`` seconds for one of the
  ``concurrency`` query slots (503).

Everything that parses or evaluates a query, the search for ``SERVICE`` included, runs in the
query process under the timeout; the request thread only scans bracket nesting (linear, bounded
by the 1 MB body) and the query's form. The dataset is the request's ``default-graph-uri`` /
``named-graph-uri``, else the query's ``FROM``, else the union of all graphs
(:mod:`kg.serve.dataset`); relative IRIs resolve against the endpoint's URL.

Error bodies are one line of plain text; they never carry a file path or a stack trace.

>>> from kg.store import oxigraph_graph
>>> app = SparqlApp(oxigraph_graph())
>>> app.sparql({"update": ["DELETE WHERE { ?s ?p ?o }"]}, accept=None)[0]
403
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from rdflib import Graph

from kg.errors import QueryError
from kg.query import bind_values, catalogue, describe_syntax_error, fetches_remote, query_form
from kg.query.formats import (
    FORMATS,
    Solutions,
    Triples,
    converter,
    format_for_media_type,
    media_types,
    negotiate,
    term_from_oxigraph,
)
from kg.query.run import check_nesting
from kg.serve.dataset import Dataset, with_using, without_empty_graphs
from kg.store import oxigraph_store
from kg.vocab.iri import PREFIXES

DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_ROWS = 10_000
#: Queries run at once; the rest wait (up to ``queue_timeout``) for a slot. More than the CPUs:
#: a slow query is demoted after :data:`_DEMOTE_AFTER` seconds, so quick ones overtake it.
DEFAULT_CONCURRENCY = max(4, min(32, 4 * (os.cpu_count() or 2)))
#: Seconds a query may wait for a slot (then 503). Waiting costs no CPU: under a burst (50
#: clients on 2 CPUs) a shorter wait turns queued quick queries into errors.
DEFAULT_QUEUE_TIMEOUT = 30.0
#: Address space one query process may add (MB): past it the query gets 503, the server lives on.
DEFAULT_MAX_MEMORY_MB = 1024
_DEMOTE_AFTER = 1.0
#: Not 19: on a machine shared with other work, a demoted query at 19 gets almost no CPU and a
#: legitimately long one (a 20,000-row dump) then misses its timeout.
_DEMOTE_NICE = 10
_OUT_OF_MEMORY = "out of memory"

Response = tuple[int, dict[str, str], bytes]
# A file-system path (not the path part of an IRI, which follows "//host").
_PATH = re.compile(r"(?<![\w:/.])/(?:[\w.\-]+/)+[\w.\-]*")


def public(message: str) -> str:
    """``message`` made safe to send to a client: one line, no file paths, no traceback.

    >>> public('failed: [Errno 2] No such file: "/work/main/src/kg/x.py"\\nTraceback ...')
    'failed: [Errno 2] No such file: "<path>"'
    >>> public("no row for <http://x/a/b>")
    'no row for <http://x/a/b>'
    """
    first = message.strip().split("\n")[0] if message.strip() else "error"
    return _PATH.sub("<path>", first)[:2000]


def error(status: int, message: str) -> Response:
    """A plain-text error response carrying :func:`public` ``message``."""
    return status, {"Content-Type": "text/plain; charset=utf-8"}, (public(message) + "\n").encode("utf-8")


def log(message: str) -> None:
    """One line on the server's stderr (the operator's log, never the client)."""
    print(f"kg serve: {message}", file=sys.stderr, flush=True)


@dataclass
class SparqlApp:
    """The endpoint's logic, independent of HTTP plumbing (so it can be tested directly)."""

    graph: Graph
    allow_update: bool = False
    timeout: float = DEFAULT_TIMEOUT
    max_rows: int = DEFAULT_MAX_ROWS
    isolate: bool = True
    concurrency: int = DEFAULT_CONCURRENCY
    queue_timeout: float = DEFAULT_QUEUE_TIMEOUT
    max_memory_mb: int = DEFAULT_MAX_MEMORY_MB
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _explorer_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _busy: threading.BoundedSemaphore = field(init=False, repr=False)
    _explorer_html: bytes | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self._busy = threading.BoundedSemaphore(self.concurrency)

    @property
    def store(self) -> Any:
        """The embedded pyoxigraph store."""
        return oxigraph_store(self.graph)

    # -- protocol ---------------------------------------------------------------------------

    def sparql(self, params: dict[str, list[str]], *, accept: str | None, body: str | None = None,
               body_type: str | None = None, base: str = "http://127.0.0.1/sparql") -> Response:
        """Answer one protocol request: ``params`` from the URL or form, or a direct ``body``.
        ``base`` (the endpoint's own URL) resolves relative IRIs in the query or update."""
        for name in ("query", "update"):
            if len(params.get(name, [])) > 1:
                return error(400, f"give one {name} parameter, not {len(params[name])}")
        query = params.get("query", [None])[0]
        update = params.get("update", [None])[0]
        if body is not None and body_type == "application/sparql-query":
            query = body
        elif body is not None and body_type == "application/sparql-update":
            update = body
        if query is not None and update is not None:
            return error(400, "give either a query or an update, not both")
        if update is not None:
            return self._update(update, params, base)
        if query is None:
            return self.service_description(accept, base)
        try:
            check_nesting(query)  # cheap and bounded; deeper nesting would crash a parser
            dataset = Dataset.from_params(params, "default-graph-uri", "named-graph-uri")
        except QueryError as err:
            return error(400, str(err))
        form = query_form(query)
        if form == "UPDATE":
            return error(400, "this is a SPARQL Update; send it as update= or application/sparql-update")
        offered = media_types("graph" if form in ("CONSTRUCT", "DESCRIBE") else "select")
        media = negotiate(accept, offered)
        if media is None:
            return error(406, f"cannot answer a {form} query as {accept}; accept one of {', '.join(offered)}")
        # Everything that parses or evaluates the query (the SERVICE check included) runs under
        # the timeout, in the query process: nothing unbounded happens in the request thread.
        return self._run(lambda: self._answer(query, media, dataset, base), isolate=self.isolate)

    def _update(self, update: str, params: dict[str, list[str]], base: str) -> Response:
        if not self.allow_update:
            return error(403, "updates are disabled; this endpoint is read-only (start kg serve --allow-update)")
        try:
            check_nesting(update)
            dataset = Dataset.from_params(params, "using-graph-uri", "using-named-graph-uri")
            text = without_empty_graphs(with_using(update, dataset))
        except QueryError as err:
            return error(400, str(err))

        def run() -> Response:
            if fetches_remote(text):
                return error(403, "LOAD and SERVICE are disabled: this endpoint never calls other servers")
            with self._lock:
                self.store.update(text, prefixes=PREFIXES, base_iri=base)
            return 204, {}, b""

        # An update changes this process's store, so it runs in a thread (abandoned at the timeout).
        return self._run(run)

    def _run(self, work: Callable[[], Response], *, isolate: bool = False) -> Response:
        """Run ``work`` within ``timeout`` seconds, in a forked child process when ``isolate``
        (the child is killed at the deadline, so a runaway query stops using CPU, and its memory
        is capped at ``max_memory_mb``) or else in a worker thread (abandoned at the deadline:
        Oxigraph cannot cancel a query).

        At most ``concurrency`` run at once; a request waits for a slot up to ``queue_timeout``
        seconds, or less when its own timeout would pass first."""
        started = time.monotonic()
        if not self._busy.acquire(timeout=self.queue_timeout):
            return error(503, "the server is busy with other queries; try again shortly")
        try:
            outcome = self._in_process(work) if isolate else self._in_thread(work)
        finally:
            self._busy.release()
        if outcome is None:
            return error(503, f"the query ran past the {self.timeout:g} s timeout; add LIMIT or narrow it, "
                              "or start kg serve with a larger --timeout")
        if outcome is _OUT_OF_MEMORY:
            return error(503, f"the query needed more than the {self.max_memory_mb} MB a query may use; add LIMIT "
                              "or narrow it, or start kg serve with a larger --max-memory")
        if isinstance(outcome, SyntaxError):
            return error(400, describe_syntax_error(str(outcome)))
        if isinstance(outcome, QueryError):
            return error(400, str(outcome))
        if isinstance(outcome, Exception):
            log(f"query failed after {time.monotonic() - started:.1f} s: {type(outcome).__name__}: {outcome}")
            return error(500, f"the query failed: {outcome}")
        return outcome  # type: ignore[no-any-return]

    def _in_thread(self, work: Callable[[], Response]) -> Any:
        outcome: list[Any] = []

        def target() -> None:
            try:
                outcome.append(work())
            except Exception as err:
                outcome.append(err)

        worker = threading.Thread(target=target, daemon=True, name="kg-sparql")
        worker.start()
        worker.join(self.timeout)
        return outcome[0] if outcome else None

    def _in_process(self, work: Callable[[], Response]) -> Any:
        import multiprocessing

        context = multiprocessing.get_context("fork")
        receiver, sender = context.Pipe(duplex=False)
        limit = self.max_memory_mb

        def target() -> None:
            _cap_memory(limit)
            # rdflib's parser (the SERVICE check) recurses once per triple pattern: a query of a few
            # hundred would be refused as unreadable at Python's default limit. In this process a
            # deeper stack costs nothing but its own time, which the timeout bounds.
            sys.setrecursionlimit(max(sys.getrecursionlimit(), 20_000))
            try:
                sender.send(work())
            except MemoryError:
                sender.send(_OUT_OF_MEMORY)
            except Exception as err:
                # Sent as plain exceptions made from their message: a SyntaxError raised by Oxigraph
                # does not always keep its message through pickling ("malformed query: None").
                if isinstance(err, SyntaxError):
                    sender.send(SyntaxError(str(err)))
                elif isinstance(err, QueryError):
                    sender.send(QueryError(str(err)))
                else:
                    sender.send(RuntimeError(str(err)))

        child = context.Process(target=target, daemon=True, name="kg-sparql")
        deadline = time.monotonic() + self.timeout
        # Never fork in the middle of an update; an update that outlives its own timeout keeps
        # the lock, and a query waiting for it still ends at its deadline.
        if not self._lock.acquire(timeout=self.timeout):
            receiver.close()
            sender.close()
            return None
        try:
            child.start()
        finally:
            self._lock.release()
        sender.close()
        try:
            # A query still running after a second drops to a low CPU priority, so a client
            # looping slow queries does not take the CPU from everyone else's quick ones.
            if receiver.poll(min(_DEMOTE_AFTER, self.timeout)) or (
                    _demote(child.pid) and receiver.poll(max(0.0, deadline - time.monotonic()))):
                try:
                    return receiver.recv()
                except EOFError:  # the child died without an answer
                    child.join(1)
                    if child.exitcode in (-signal.SIGABRT, -signal.SIGKILL):
                        return _OUT_OF_MEMORY  # Oxigraph aborts when an allocation fails
                    return RuntimeError(f"the query process ended with code {child.exitcode}")
            return None
        finally:
            receiver.close()
            if child.is_alive():
                child.kill()
            child.join()
            # Close its file descriptors now, not at garbage collection. ValueError: another thread's
            # Process.start() reaped it first (multiprocessing's _cleanup), so join() could not see it
            # end; it is gone all the same.
            with contextlib.suppress(ValueError):
                child.close()

    def _answer(self, query: str, media: str, dataset: Dataset, base: str) -> Response:
        """Check and evaluate ``query`` (in the query process): SERVICE refused, syntax errors 400."""
        if fetches_remote(query):
            return error(403, "federated queries (SERVICE) are disabled: this endpoint never calls other servers")
        return self._evaluate(query, media, dataset, base)

    def _evaluate(self, query: str, media: str, dataset: Dataset, base: str) -> Response:
        import pyoxigraph as ox

        # Without a dataset in the request or the query, the default graph is the union of all
        # graphs: a TriG build (one graph per report) answers like the Turtle build, and
        # GRAPH ?report { … } still asks within one report.
        result = self.store.query(query, prefixes=PREFIXES, base_iri=base, **dataset.query_options(query))
        headers = {"Content-Type": f"{media}; charset=utf-8" if media.startswith("text/") else media}
        if isinstance(result, ox.QueryBoolean):
            if media not in media_types("select"):
                return error(406, f"an ASK answer cannot be sent as {media}")
            return 200, headers, format_for_media_type(media).write(bool(result), wire=True).encode("utf-8")
        if isinstance(result, ox.QueryTriples) != (media in media_types("graph")):
            kind = "graph" if isinstance(result, ox.QueryTriples) else "select"
            media = media_types(kind)[0]
            headers = {"Content-Type": f"{media}; charset=utf-8" if media.startswith("text/") else media}
        fmt = format_for_media_type(media)
        items: list[Any] = []
        for item in result:
            if len(items) == self.max_rows:
                headers["X-KG-Truncated"] = f"max-rows={self.max_rows}"
                break
            items.append(item)
        if isinstance(result, ox.QueryTriples):
            return 200, headers, fmt.write(Triples(items), wire=True).encode("utf-8")
        names = [v.value for v in result.variables]
        term = converter(term_from_oxigraph)
        rows = [{n: term(t) for n in names if (t := solution[n]) is not None} for solution in items]
        return 200, headers, fmt.write(Solutions(names, rows), wire=True).encode("utf-8")

    def service_description(self, accept: str | None, base: str) -> Response:
        """The SPARQL 1.1 Service Description of this endpoint, as RDF."""
        import pyoxigraph as ox

        offered = media_types("graph")
        media = negotiate(accept, [*offered, "text/html"])
        if media is None:
            return error(406, f"accept one of {', '.join(offered)}")
        if media == "text/html":
            return 302, {"Location": "/query"}, b""
        if not re.fullmatch(r"http://[\w.\-\[\]:]+/sparql", base):
            base = "http://127.0.0.1/sparql"  # a hostile Host header must not reach the Turtle below
        languages = "sd:SPARQL11Query" + (", sd:SPARQL11Update" if self.allow_update else "")
        results = ", ".join(f"<http://www.w3.org/ns/formats/{f.w3c}>" for f in FORMATS if f.w3c)
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
        prefixes = {"sd": "http://www.w3.org/ns/sparql-service-description#", "dcterms": PREFIXES["dcterms"]}
        body = format_for_media_type(media).write(Triples(triples, prefixes), wire=True)
        return 200, {"Content-Type": media}, body.encode("utf-8")

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
        with self._explorer_lock:
            if self._explorer_html is None:
                try:
                    self._explorer_html = render_html(self.graph).encode("utf-8")
                except Exception as err:
                    log(f"the explorer failed: {type(err).__name__}: {err}")
                    return error(500, f"the explorer failed ({type(err).__name__}); the query page is at /query")
        return 200, {"Content-Type": "text/html; charset=utf-8"}, self._explorer_html


def with_prefixes(text: str) -> str:
    """``text`` with ``PREFIX`` lines for the predefined prefixes it uses, placed after its header
    comments.

    >>> print(with_prefixes("# title: x\\nSELECT * WHERE { ?s a kg:Report }"))
    # title: x
    PREFIX kg: <https://w3id.org/policykg/ontology#>
    SELECT * WHERE { ?s a kg:Report }
    """
    from kg.query.run import _strip

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


def _cap_memory(megabytes: int) -> None:
    """Let this (query) process grow by at most ``megabytes`` of address space beyond what it
    inherited: an allocation past it fails (Oxigraph aborts, Python raises MemoryError)."""
    try:
        import resource

        with open("/proc/self/statm", encoding="ascii") as statm:
            inherited = int(statm.read().split()[0]) * resource.getpagesize()
    except (ImportError, OSError, ValueError, IndexError):
        return  # not Linux: no cap
    limit = inherited + megabytes * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _demote(pid: int | None) -> bool:
    """Drop process ``pid`` to a low CPU priority (nice :data:`_DEMOTE_NICE`); always True."""
    with contextlib.suppress(OSError, TypeError):
        os.setpriority(os.PRIO_PROCESS, pid, _DEMOTE_NICE)  # type: ignore[arg-type]
    return True
