"""Load a built graph, into rdflib's memory, an embedded Oxigraph store or a remote server.

One interface, an rdflib :class:`~rdflib.Graph`, over three backends:

* **embedded** (the default): an rdflib graph on Oxigraph through ``oxrdflib``, in memory or in a
  store directory on disk (for corpora bigger than memory). Same rdflib API, much faster SPARQL.
* **remote**: any SPARQL 1.1 server (Oxigraph, Fuseki, Virtuoso, GraphDB) through the SPARQL 1.1
  Protocol, asking for JSON results and reading one named graph; :func:`load_endpoint` puts a
  Turtle file into that named graph with the Graph Store Protocol.
* plain rdflib memory, via :func:`load_graph` (what ``kg validate`` and ``kg stats`` use).

>>> import tempfile, pathlib
>>> bad = pathlib.Path(tempfile.mkdtemp()) / "bad.ttl"
>>> _ = bad.write_text("@prefix x: <http://x/> .\\nx:a x:b .\\n", encoding="utf-8")
>>> load_graph(bad)
Traceback (most recent call last):
...
kg.errors.InputError: ...bad.ttl:2:9: malformed Turtle (. is not a valid RDF object); ...

>>> good = bad.with_name("good.ttl")
>>> _ = good.write_text("<http://x/a> <http://x/b> 1 .\\n", encoding="utf-8")
>>> graph = open_graph(good)
>>> len(graph), backend(graph)
(1, 'oxigraph')
"""

from __future__ import annotations

import io
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from rdflib import XSD, BNode, Dataset, Graph, Literal, URIRef

from kg.errors import InputError, where
from kg.text.source import read_source, refuse_other_rdf_format
from kg.vocab.iri import bind_prefixes, mint

DEFAULT_GRAPH = Path("data/triples.ttl")
#: The named graph kg reads and writes on a remote server, so it never mixes with other data there.
GRAPH_IRI = mint("graph", "reports")
#: Seconds to wait for a remote server before giving up.
HTTP_TIMEOUT = 60.0


class GraphFormat(NamedTuple):
    """How kg reads one kind of graph file."""

    rdflib: str  #: rdflib's parser name
    oxigraph: str  #: the ``pyoxigraph.RdfFormat`` member
    name: str  #: what error messages call it


#: RDF formats kg reads, by file suffix.
GRAPH_FORMATS: dict[str, GraphFormat] = {
    ".ttl": GraphFormat("turtle", "TURTLE", "Turtle"),
    ".nt": GraphFormat("nt", "N_TRIPLES", "N-Triples"),
    ".trig": GraphFormat("trig", "TRIG", "TriG"),
    ".nq": GraphFormat("nquads", "N_QUADS", "N-Quads"),
}
#: What error messages ask for instead of a file that is not a graph.
GRAPH_FILE = "a graph file written by kg build (.ttl, .nt, .trig or .nq)"
#: Formats with named graphs: one per report (see :mod:`kg.build`); queries see their union.
DATASET_SUFFIXES = (".trig", ".nq")


def graph_format(path: str | Path) -> GraphFormat:
    """How to read a graph file, by its suffix; Turtle when the suffix is unknown.

    >>> graph_format("corpus.trig")
    GraphFormat(rdflib='trig', oxigraph='TRIG', name='TriG')
    """
    return GRAPH_FORMATS.get(Path(path).suffix.lower(), GRAPH_FORMATS[".ttl"])


def _refuse_empty(path: Path) -> None:
    """An empty graph file is bad input for every command alike (exit 2), never an empty graph."""
    try:
        size = path.stat().st_size if path.is_file() else -1
        blank = size == 0 or (0 < size < 65536 and not path.read_bytes().strip())
    except OSError:  # unreadable: read_source says so, with the fix
        return
    if blank:
        raise InputError(f"{path}: the graph file is empty; build it with: kg build -o {path}")


def graph_files(path: str | Path) -> list[Path]:
    """The graph files ``path`` stands for: itself, or for an output folder of ``kg build -o DIR/``
    the files its manifest lists, in order, each checked against its size and SHA-256
    (:mod:`kg.rdf.folder`). A folder without a manifest, or a listed file missing, changed or
    corrupt, is an :class:`~kg.errors.InputError` naming the folder.

    >>> import tempfile
    >>> graph_files(tempfile.mkdtemp())
    Traceback (most recent call last):
    ...
    kg.errors.InputError: ...: a folder without manifest.json, so not an output folder of kg build; ...
    """
    from kg.rdf.folder import check_file, read_folder

    path = Path(path)
    if not path.is_dir():
        return [path]
    return [check_file(path, row) for row in read_folder(path)]


def is_dataset(path: str | Path) -> bool:
    """Whether ``path`` holds named graphs: a TriG or N-Quads file, or an output folder."""
    path = Path(path)
    return path.suffix.lower() in DATASET_SUFFIXES or path.is_dir()


def load_graph(path: str | Path = DEFAULT_GRAPH, *, graph: Graph | None = None) -> Graph:
    """Parse a graph file into ``graph`` (a new in-memory graph by default).

    The suffix picks the format (:data:`GRAPH_FORMATS`); a TriG or N-Quads file gives a
    :class:`~rdflib.Dataset` whose default graph is the union of its named graphs, so the same
    queries work on one report, a corpus, or a corpus split into named graphs.
    Raises :class:`~kg.errors.InputError` naming the file and line when the file is missing,
    not UTF-8, or not valid syntax.
    """
    path = Path(path)
    if not path.exists():
        hint = "; build it first with: kg build" if path == DEFAULT_GRAPH else ""
        raise InputError(f"{path}: no such graph file{hint}")
    if path.is_dir():  # an output folder: each of its files into one dataset
        target = graph if graph is not None else Dataset(default_union=True)
        for part in graph_files(path):
            load_graph(part, graph=target)
        return target
    _refuse_empty(path)
    source = read_source(path, max_bytes=0, what=GRAPH_FILE)
    text = source.text
    fmt, _, name = graph_format(path)
    refuse_other_rdf_format(path, text, name)  # before rdflib, which would log warnings about it
    if graph is not None:
        target = graph
    elif path.suffix.lower() in DATASET_SUFFIXES:
        target = Dataset(default_union=True)
    else:
        target = Graph()
    data = None if source.encoding == "utf-8" else text.encode("utf-8")  # Oxigraph reads UTF-8 only
    if _parse_fast(target, path, data, text):
        return target
    _check_syntax(path, data, text)  # rdflib accepts IRIs with spaces or bad %-escapes; Oxigraph does not
    try:
        target.parse(data=text, format=fmt, publicID=path.resolve().as_uri())
    except Exception as err:  # rdflib raises several unrelated types for bad syntax
        why = getattr(err, "_why", None)  # rdflib's BadSyntax knows the reason and the line
        if why is not None and isinstance(getattr(err, "lines", None), int):
            # At end of input rdflib counts past the last line; point at the last line instead.
            line_number = min(err.lines + 1, len(text.rstrip("\n").split("\n")))  # type: ignore[attr-defined]
            message, at = str(why), where(path, line=line_number)
        else:
            message = str(err).strip().splitlines()[-1] if str(err).strip() else type(err).__name__
            line = re.search(r"line (\d+)", str(err))
            at = where(path, line=int(line.group(1))) if line else str(path)
        raise InputError(f"{at}: malformed {name} ({message}); fix the file or rebuild it with kg build") from err
    return target


def _parse_fast(target: Graph, path: Path, data: bytes | None, text: str) -> bool:
    """Parse a Turtle or N-Triples file into an rdflib memory graph with Oxigraph's parser.

    About three times faster than rdflib's own parser, with the same terms (a plain literal
    stays plain, not ``xsd:string``). ``data`` is the file as UTF-8 when it is not that on disk
    (a byte-order mark, UTF-16). False (and nothing added) when it does not apply or a token is
    too long for Oxigraph; a malformed file raises :class:`~kg.errors.InputError` at its
    ``file:line:column``.
    """
    import pyoxigraph as ox

    suffix = path.suffix.lower()
    if suffix not in (".ttl", ".nt") or backend(target) != "memory" or isinstance(target, Dataset) or len(target):
        return False
    iris: dict[str, URIRef] = {}

    def term(node: Any) -> Any:
        if isinstance(node, ox.NamedNode):
            iri = iris.get(node.value)
            if iri is None:
                iri = iris[node.value] = URIRef(node.value)
            return iri
        if isinstance(node, ox.Literal):
            if node.language:
                return Literal(node.value, lang=node.language)
            datatype = node.datatype.value
            return (Literal(node.value) if datatype == str(XSD.string)
                    else Literal(node.value, datatype=URIRef(datatype)))
        return BNode(node.value)

    try:
        triples = ox.parse(data, path=None if data is not None else str(path), base_iri=path.resolve().as_uri(),
                           format=getattr(ox.RdfFormat, GRAPH_FORMATS[suffix].oxigraph))
        target.addN((term(t.subject), term(t.predicate), term(t.object), target) for t in triples)
    except SyntaxError as err:
        target.remove((None, None, None))
        raise malformed(path, err, text) from err
    except (ValueError, OSError, MemoryError):  # MemoryError: a token over Oxigraph's 16 MB buffer
        target.remove((None, None, None))
        return False
    return True


def _check_syntax(path: Path, data: bytes | None, text: str) -> None:
    """Raise :class:`~kg.errors.InputError` at ``file:line:column`` if Oxigraph's parser, which is
    strict where rdflib's is lenient, finds the graph file malformed (a token too long for it is
    left to rdflib)."""
    import pyoxigraph as ox

    try:
        for _ in ox.parse(data, path=None if data is not None else str(path),
                          format=getattr(ox.RdfFormat, graph_format(path).oxigraph), base_iri=path.resolve().as_uri()):
            pass
    except SyntaxError as err:
        raise malformed(path, err, text) from err
    except (ValueError, OSError, MemoryError):
        return


def malformed(path: str | Path, err: SyntaxError, text: str | None = None) -> InputError:
    """The error for a graph file Oxigraph's parser rejected: ``file:line:column`` (in characters,
    as Oxigraph counts them), what is wrong, and the fix.

    ``text``, the decoded file, moves a position past the end (a statement cut short) onto the
    last line, and notes a string or IRI that is never closed.

    >>> str(malformed("g.ttl", SyntaxError("Parser error at line 4 between columns 1 and 4: A dot is expected",
    ...                                    ("g.ttl", 4, 1, None, 4, 4))))
    'g.ttl:4:1: malformed Turtle (a dot is expected); fix the file or rebuild it with kg build'
    """
    name = graph_format(path).name
    detail = str(err.msg).split(": ", 1)[-1].strip() if ": " in str(err.msg) else str(err.msg)
    if detail[:1].isupper() and not detail[1:2].isupper():  # "A dot is expected", but "IRI …" stays
        detail = detail[:1].lower() + detail[1:]
    line, column = err.lineno, err.offset
    if text is not None and line is not None:
        lines = text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        if line > len(lines) and lines:
            line, column = len(lines), len(lines[-1].rstrip("\r")) + 1
        elif column is not None and detail.startswith("unexpected end") and 0 < line <= len(lines):
            opened = lines[line - 1][column - 1:column]
            if opened in ('"', "'", "<"):
                detail += f"; the {'IRI' if opened == '<' else 'string'} that starts here is never closed"
    if len(detail) > 200:
        detail = detail[:197] + "..."
    return InputError(f"{where(path, line=line, column=column)}: malformed {name} ({detail}); "
                      "fix the file or rebuild it with kg build")


def _bind_prefixes(graph: Graph) -> Graph:
    bind_prefixes(graph)
    return graph


def oxigraph_graph(store_dir: str | Path | None = None, *, create: bool = False) -> Graph:
    """An empty (or existing, on disk) rdflib graph backed by Oxigraph.

    The graph is the store's default graph, so a store directory reopened later, the server and
    plain pyoxigraph all see the same triples. ``store_dir=None`` keeps everything in memory;
    a directory must exist unless ``create`` is true.
    """
    # A dataset whose default graph, for queries, is the union of all graphs: a store loaded from
    # TriG (one named graph per report) answers the same queries as one loaded from Turtle.
    graph = Dataset(store="Oxigraph", default_union=True)
    if store_dir is not None:
        folder = Path(store_dir)
        if not folder.is_dir():
            if not create:
                raise InputError(f"{folder}: no such store directory; create it with: kg load --store {folder}")
            folder.mkdir(parents=True)
        try:
            graph.open(str(folder))
        except OSError as err:
            raise InputError(f"{folder}: cannot open the Oxigraph store ({err}); is another process using it?") from err
    return _bind_prefixes(graph)


def close_graph(graph: Graph) -> None:
    """Close a graph and release its store directory's lock, so another process can open it.

    Query results hold the Oxigraph store too, so they are collected first.
    """
    import gc

    graph.close()
    gc.collect()


def load_into(graph: Graph, path: str | Path = DEFAULT_GRAPH, *, bulk: bool = False) -> Graph:
    """Add a graph file's triples to ``graph``, with Oxigraph's own parser when it is on Oxigraph.

    Oxigraph reads the file itself, straight from disk (300k–500k triples/s, about ten times
    rdflib's parser). ``bulk`` uses its bulk loader, faster on big files but not transactional:
    for a fresh store (:func:`load_store`). Errors are reported like :func:`load_graph` (file and line).
    """
    path = Path(path)
    if path.is_dir():  # an output folder: each of its files in turn
        for part in graph_files(path):
            load_into(graph, part, bulk=bulk)
        return graph
    if backend(graph) == "oxigraph" and path.is_file():
        _refuse_empty(path)
        import pyoxigraph as ox

        store = oxigraph_store(graph)
        suffix = path.suffix.lower()
        fmt = getattr(ox.RdfFormat, graph_format(path).oxigraph)
        into = {} if suffix in DATASET_SUFFIXES else {"to_graph": ox.DefaultGraph()}
        try:
            (store.bulk_load if bulk else store.load)(path=str(path), format=fmt, base_iri=path.resolve().as_uri(),
                                                      **into)
            return graph
        except (SyntaxError, ValueError, OSError, MemoryError):  # rdflib's parser then names the line
            if bulk:
                store.clear()
    return load_graph(path, graph=graph)


def remote_graph(
    endpoint: str, *, graph_iri: str | URIRef | None = None, update_endpoint: str | None = None
) -> Graph:
    """An rdflib graph that sends every query to a SPARQL 1.1 endpoint.

    Queries read the server's default dataset, where ``oxigraph load`` and most loaders put
    data, unless ``graph_iri`` names a graph (an IRI, or a prefixed name such as
    ``kgr:graph/reports``, the graph :func:`load_endpoint` fills): then only that graph, sent as
    the protocol's ``default-graph-uri``. Results come as JSON (N-Triples for
    CONSTRUCT/DESCRIBE), and HTTP errors fail loudly, where rdflib's own ``SPARQLStore`` would
    return an error tuple instead of a result. :func:`explain_empty` says why a query found nothing.
    """
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    _check_url(endpoint)
    if update_endpoint:
        _check_url(update_endpoint)
    store = _remote_store_class()(
        query_endpoint=endpoint, update_endpoint=update_endpoint or endpoint, returnFormat="json", method="POST_FORM"
    )
    identifier = DATASET_DEFAULT_GRAPH_ID if graph_iri is None else expand_iri(graph_iri)
    return _bind_prefixes(Graph(store=store, identifier=identifier))


def expand_iri(name: str | URIRef) -> URIRef:
    """An absolute IRI from ``<http://…>``, ``http://…`` or a prefixed name of the project's.

    >>> expand_iri("kgr:graph/reports")
    rdflib.term.URIRef('https://w3id.org/policykg/id/graph/reports')
    >>> expand_iri("reports")
    Traceback (most recent call last):
    ...
    kg.errors.InputError: graph 'reports': not an IRI; give an absolute IRI such as <http://example.org/g> ...
    """
    from kg.vocab.iri import PREFIXES

    text = str(name).strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    prefix, sep, local = text.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        text = PREFIXES[prefix] + local
    if not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:\S+$", text):
        raise InputError(f"graph {str(name)!r}: not an IRI; give an absolute IRI such as <http://example.org/g> "
                         "or kgr:graph/reports")
    return URIRef(text)


def _ask(endpoint: str, query: str) -> Any:
    """The JSON answer of a small query to ``endpoint``: a bool for ASK, the bindings for SELECT."""
    import json

    body = http_request("POST", endpoint, data=urllib.parse.urlencode({"query": query}).encode("utf-8"),
                        headers={"Accept": "application/sparql-results+json",
                                 "Content-Type": "application/x-www-form-urlencoded"})
    answer = json.loads(body.decode("utf-8"))
    return bool(answer["boolean"]) if "boolean" in answer else answer["results"]["bindings"]


def explain_empty(graph: Graph) -> str | None:
    """Why a query on a remote graph found nothing, when the reason is where the data is.

    On the server's default dataset: it is empty, but kg's named graph (or another) holds
    triples. On a named graph: the server has no such graph. None when the graph read has
    triples (the query simply matched nothing) or the graph is not remote.
    """
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    if backend(graph) != "remote":
        return None
    endpoint = str(graph.store.query_endpoint)  # type: ignore[attr-defined]
    iri = graph.identifier
    if iri == DATASET_DEFAULT_GRAPH_ID:
        if _ask(endpoint, "ASK { ?s ?p ?o }"):
            return None
        if _ask(endpoint, f"ASK {{ GRAPH <{GRAPH_IRI}> {{ ?s ?p ?o }} }}"):
            return (f"the default graph of {endpoint} is empty, and the data is in the named graph <{GRAPH_IRI}> "
                    "(where kg load puts it); read it with --graph-iri kgr:graph/reports")
        named = _ask(endpoint, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 4")
        if named:
            shown = ", ".join(f"<{row['g']['value']}>" for row in named[:3]) + (" …" if len(named) > 3 else "")
            return (f"the default graph of {endpoint} is empty, and its data is in named graphs ({shown}); "
                    "name one with --graph-iri IRI")
        return f"{endpoint} holds no triples; load the graph with kg load --endpoint URL/store or oxigraph load"
    if _ask(endpoint, f"ASK {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}"):
        return None
    where_else = ("its default graph has data: drop --graph-iri to read it" if _ask(endpoint, "ASK { ?s ?p ?o }")
                  else "load it with kg load --endpoint URL/store --graph-iri IRI")
    return f"{endpoint} has no graph <{iri}> (or it is empty); {where_else}"


_ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8"


def _remote_store_class() -> type:
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
    from rdflib.plugins.stores.sparqlstore import SPARQLUpdateStore
    from rdflib.query import Result

    class RemoteStore(SPARQLUpdateStore):  # type: ignore[misc]
        """SPARQLUpdateStore whose queries go through :func:`http_request`."""

        def _query(self, query: str, default_graph: str | None = None, named_graph: str | None = None) -> Result:
            self._queries += 1
            form = {"query": query}
            # rdflib names the default graph urn:x-rdflib:default; a server knows no such graph.
            if isinstance(default_graph, URIRef) and default_graph != DATASET_DEFAULT_GRAPH_ID:
                form["default-graph-uri"] = str(default_graph)
            body, media = http_request_typed(
                "POST", str(self.query_endpoint), data=urllib.parse.urlencode(form).encode("utf-8"),
                headers={"Accept": _ACCEPT, "Content-Type": "application/x-www-form-urlencoded"},
            )
            if media in ("application/n-triples", "text/turtle", "text/plain"):
                result = Result("CONSTRUCT")
                result.graph = Graph().parse(data=body.decode("utf-8"),
                                             format="nt" if media != "text/turtle" else "turtle")
                return result
            return Result.parse(io.BytesIO(body), format="json")

    return RemoteStore


def backend(graph: Graph) -> str:
    """Which backend a graph runs on: ``oxigraph``, ``remote`` or ``memory``."""
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    if isinstance(graph.store, SPARQLStore):
        return "remote"
    if type(graph.store).__name__ == "OxigraphStore":
        return "oxigraph"
    return "memory"


def oxigraph_store(graph: Graph) -> Any:
    """The :class:`pyoxigraph.Store` under an Oxigraph-backed graph (for the HTTP endpoint)."""
    if backend(graph) != "oxigraph":
        raise InputError("this graph is not on an embedded Oxigraph store; open it with kg.store.open_graph")
    return graph.store._inner  # type: ignore[attr-defined]


def open_graph(
    graph_file: str | Path | None = None,
    *,
    store: str | Path | None = None,
    endpoint: str | None = None,
    graph_iri: str | URIRef | None = None,
    update_endpoint: str | None = None,
) -> Graph:
    """Open the graph to query, from exactly one of a Turtle file, a store directory or an endpoint.

    * ``graph_file`` (default ``data/triples.ttl``): loaded into an in-memory Oxigraph store;
    * ``store``: an on-disk Oxigraph store directory made by ``kg load --store DIR``
      (see :func:`load_store`);
    * ``endpoint``: a SPARQL 1.1 query URL, such as ``http://127.0.0.1:7878/query``; queries read
      the server's default dataset, or the named graph ``graph_iri`` (see :func:`remote_graph`).
    """
    given = [name for name, value in (("--graph", graph_file), ("--store", store), ("--endpoint", endpoint)) if value]
    if len(given) > 1:
        raise InputError(f"give one of --graph, --store or --endpoint, not {' and '.join(given)}")
    if endpoint is not None:
        return remote_graph(endpoint, graph_iri=graph_iri, update_endpoint=update_endpoint)
    if store is not None:
        return oxigraph_graph(store)
    return load_into(oxigraph_graph(), DEFAULT_GRAPH if graph_file is None else graph_file)


def triple_count(graph: Graph) -> int:
    """How many triples ``graph`` holds (distinct over its named graphs), fast on Oxigraph.

    ``len()`` of an rdflib graph on Oxigraph walks every triple through Python (11 s per million);
    Oxigraph counts its own quads in a fraction of a second.
    """
    if backend(graph) != "oxigraph":
        return len(graph)
    store = oxigraph_store(graph)
    if not any(True for _ in store.named_graphs()):
        return len(store)
    rows = store.query("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }",
                       use_default_graph_as_union=True)
    return int(next(iter(rows))[0].value)


@dataclass(frozen=True)
class LoadResult:
    """What :func:`load_endpoint` or :func:`load_store` loaded, and where."""

    target: str
    graph_iri: str | None
    triples: int


def load_store(store_dir: str | Path, graph_file: str | Path = DEFAULT_GRAPH) -> LoadResult:
    """Replace the contents of an on-disk Oxigraph store with a graph file or an output folder's
    files (:func:`graph_files`), creating the store.

    Oxigraph's bulk loader reads the file straight into the store, with no rdflib layer in
    between (``bench/run.py`` measures it against rdflib's parser). A file Oxigraph cannot parse
    leaves the store empty and is reported with its line by rdflib's parser, as in
    :func:`load_graph`; a store directory this call created is removed again.
    """
    import shutil

    import pyoxigraph as ox

    path, folder = Path(graph_file), Path(store_dir)
    if not path.is_file() and not path.is_dir():
        load_graph(path)  # the same message as every other command: no such graph file
    parts = graph_files(path)  # an output folder: its files, checked, before the store is touched
    for part in parts:
        _refuse_empty(part)
    # The outermost folder this call creates (the store's, or a parent): removed again on failure.
    created = next((f for f in reversed((folder, *folder.parents)) if not f.exists()), None)
    folder.mkdir(parents=True, exist_ok=True)
    loaded = False
    try:
        try:
            store = ox.Store(str(folder))
        except OSError as err:
            raise InputError(f"{folder}: cannot open the Oxigraph store ({err}); is another process using it?") from err
        try:
            store.clear()
            for part in parts:
                into = None if part.suffix.lower() in DATASET_SUFFIXES else ox.DefaultGraph()
                try:
                    store.bulk_load(path=str(part), format=getattr(ox.RdfFormat, graph_format(part).oxigraph),
                                    base_iri=part.resolve().as_uri(), to_graph=into)
                except (SyntaxError, ValueError, OSError, MemoryError):
                    store.clear()
                    load_graph(part)  # raises InputError naming the file and the line
                    raise
            store.flush()
            if any(True for _ in store.named_graphs()):
                rows: Any = store.query("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }",
                                        use_default_graph_as_union=True)
                triples = int(next(iter(rows))[0].value)
            else:
                triples = len(store)
            loaded = True
            return LoadResult(str(store_dir), None, triples)
        finally:
            del store  # releases the directory's lock at once (no cycles hold it)
    finally:
        if created is not None and not loaded:
            shutil.rmtree(created, ignore_errors=True)


def _check_url(url: str, *, example: str = "http://127.0.0.1:7878/query") -> None:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InputError(f"{url}: not an http(s) URL; give the endpoint like {example}")


def http_request(method: str, url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None) -> bytes:
    """One HTTP request with kg's error messages: unreachable servers and HTTP errors are InputError."""
    return http_request_typed(method, url, data=data, headers=headers)[0]


def http_request_typed(
    method: str, url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[bytes, str]:
    """Like :func:`http_request`, also giving the response's media type."""
    _check_url(url)
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT) as response:
            media = (response.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            return bytes(response.read()), media
    except urllib.error.HTTPError as err:
        body = err.read().decode("utf-8", "replace").strip()[:500]
        raise InputError(f"{url}: the server answered {err.code} {err.reason}: {body}") from err
    except (urllib.error.URLError, OSError) as err:
        reason = getattr(err, "reason", err)
        raise InputError(f"{url}: cannot reach the server ({reason}); start it or fix the URL") from err


def load_endpoint(
    store_url: str, graph_file: str | Path = DEFAULT_GRAPH, *, graph_iri: str | URIRef = GRAPH_IRI
) -> LoadResult:
    """Replace a named graph on a server with a Turtle file, by the SPARQL 1.1 Graph Store Protocol.

    ``store_url`` is the server's Graph Store endpoint: ``http://HOST:7878/store`` for Oxigraph,
    ``http://HOST:3030/DATASET/data`` for Fuseki. The file is checked locally first, so a bad
    file is reported with its line instead of as a server error. A TriG or N-Quads file (one
    named graph per report) is sent as the union of its graphs, since kg reads one named graph.
    """
    _check_url(store_url, example="http://127.0.0.1:7878/store")
    path = Path(graph_file)
    graph_iri = expand_iri(graph_iri)
    checked = load_graph(path)
    target = f"{store_url}{'&' if '?' in store_url else '?'}graph={urllib.parse.quote(str(graph_iri), safe='')}"
    if is_dataset(path):
        from kg.rdf.serialize import ntriples_lines

        body, media = "".join(ntriples_lines(checked.triples((None, None, None)))), "application/n-triples"
    else:
        body, media = read_source(path, max_bytes=0).text, "text/turtle"
    http_request("PUT", target, data=body.encode("utf-8"), headers={"Content-Type": f"{media}; charset=utf-8"})
    return LoadResult(store_url, str(graph_iri), len(checked))
