"""Run SPARQL over the graph: the project's prefixes predefined, a catalogue of named queries,
safe parameters, clear errors and results in every format of :mod:`kg.query.formats`.

The catalogue lives in ``queries/*.rq``. Each file starts with comment headers::

    # title: Sentences that mention an entity
    # description: Every sentence whose text mentions the entity with this label, in reading order.
    # param: name = "嘉定新城" -- the entity's label

A parameter is a variable of the query. Its value is bound with a ``VALUES`` block placed at the
start of the query's ``WHERE`` group, built from escaped RDF terms: values are never pasted into
the query text, and the same binding works on every backend (rdflib, Oxigraph, remote servers).

>>> from rdflib import Graph, Literal, URIRef
>>> from kg.query.results import result_rows
>>> g = Graph()
>>> _ = g.add((URIRef("http://x/a"), URIRef("http://www.w3.org/2000/01/rdf-schema#label"), Literal("甲")))
>>> rows = result_rows(run_query(g, "SELECT ?s WHERE { ?s rdfs:label ?name }", bindings={"name": "甲"}))
>>> rows
[{'s': rdflib.term.URIRef('http://x/a')}]
>>> run_query(g, "SELECT ?s WHERE {\\n  ?s rdfs:label }")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
kg.errors.QueryError: query line 2, column 17: expected one of ...
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import Graph, Literal, URIRef
from rdflib.query import Result
from rdflib.term import Node, Variable

from kg.errors import InputError, QueryError
from kg.query.results import plain, to_dataframe
from kg.resources import queries_dir
from kg.vocab.iri import PREFIXES

if TYPE_CHECKING:  # pragma: no cover
    import pandas


_HEADER = re.compile(r"^#\s*(title|description|param)\s*:\s*(.*?)\s*$")
_PARAM = re.compile(r"^(\w+)\s*=\s*(.+?)(?:\s+--\s+(.*))?$")
_POSITION = re.compile(r"error at (\d+):(\d+):\s*(.*)", re.S)
_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.I)
_UPDATE = re.compile(r"\b(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD)\b", re.I)


@dataclass(frozen=True)
class Parameter:
    """A named query's parameter: a variable, its default value and what it means."""

    name: str
    default: Node
    description: str = ""


@dataclass(frozen=True)
class NamedQuery:
    """One query of the catalogue, read from ``queries/NAME.rq``."""

    name: str
    title: str
    description: str
    text: str
    parameters: tuple[Parameter, ...] = ()

    def defaults(self) -> dict[str, Node]:
        """Each parameter's default value."""
        return {p.name: p.default for p in self.parameters}


def parse_term(value: str | Node) -> Node:
    """A parameter value as an RDF term: ``<iri>`` or ``http…`` is an IRI, ``"…"`` a literal
    in SPARQL syntax, anything else a plain string literal.

    >>> parse_term("汽车"), parse_term("<http://x/a>"), parse_term('"2020"')
    (rdflib.term.Literal('汽车'), rdflib.term.URIRef('http://x/a'), rdflib.term.Literal('2020'))
    """
    if isinstance(value, Node):
        return value
    text = value.strip()
    if text.startswith("<") and text.endswith(">"):
        return URIRef(text[1:-1])
    if re.match(r"^https?://\S+$", text):
        return URIRef(text)
    if len(text) >= 2 and text[0] == text[-1] == '"':
        from rdflib.util import from_n3

        term = from_n3(text)
        if isinstance(term, Node):
            return term
    return Literal(value)


def read_named_query(path: Path) -> NamedQuery:
    """Read one catalogue file; its header comments give the title, description and parameters."""
    text = path.read_text(encoding="utf-8")
    fields: dict[str, str] = {}
    params: list[Parameter] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("#"):
            break
        match = _HEADER.match(line)
        if not match:
            continue
        key, value = match.groups()
        if key == "param":
            found = _PARAM.match(value)
            if not found:
                raise InputError(f"{path}:{number}: write a parameter as '# param: name = \"default\" -- meaning'")
            params.append(Parameter(found.group(1), parse_term(found.group(2)), found.group(3) or ""))
        else:
            fields[key] = value
    if "title" not in fields:
        raise InputError(f"{path}:1: a catalogue query needs a '# title: ...' header comment")
    return NamedQuery(path.stem, fields["title"], fields.get("description", ""), text, tuple(params))


@lru_cache(maxsize=4)
def _catalogue(folder: Path, stamp: tuple[tuple[str, float], ...]) -> dict[str, NamedQuery]:
    return {name: read_named_query(folder / name) for name, _ in stamp}


def catalogue(folder: str | Path | None = None) -> dict[str, NamedQuery]:
    """Every named query in ``folder`` (default: the project's ``queries/``), by name, sorted.

    >>> "reports" in catalogue()
    True
    """
    root = Path(folder) if folder is not None else queries_dir()
    stamp = tuple((p.name, p.stat().st_mtime) for p in sorted(root.glob("*.rq")))
    return {q.name: q for q in _catalogue(root, stamp).values()}


def named_query(name: str, folder: str | Path | None = None) -> NamedQuery:
    """The catalogue query called ``name``; the error lists the names there are."""
    queries = catalogue(folder)
    if name not in queries:
        raise InputError(f"no query named {name!r} in the catalogue; kg query --list shows: {', '.join(queries)}")
    return queries[name]


def query_form(text: str) -> str:
    """``SELECT``, ``ASK``, ``CONSTRUCT``, ``DESCRIBE`` or ``UPDATE`` (for SPARQL Update).

    >>> query_form("PREFIX x: <http://x/#select> CONSTRUCT WHERE { ?s ?p ?o }")
    'CONSTRUCT'
    """
    code = _strip(text)
    form = _FORM.search(code)
    update = _UPDATE.search(code)
    if update and (not form or update.start() < form.start()):
        return "UPDATE"
    return form.group(1).upper() if form else "SELECT"


def _strip(text: str) -> str:
    """The query with comments, strings and IRIs blanked out (same length), for keyword search."""
    out = []
    for kind, token in _tokens(text):
        out.append(token if kind == "code" else " " * len(token))
    return "".join(out)


_TOKEN = re.compile(
    r'(?P<comment>#[^\n]*)|(?P<string>"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\')'
    r"|(?P<iri><[^<>\"{}|^`\\\s]*>)|(?P<code>(?:\\.|[^#\"'<\\])+|[\s\S])"  # kg:a\' is code, no string
)
#: How deep brackets may nest in a query: deeper ones are refused before any parser sees them (a
#: parser recursing 6,000 levels overflows its stack and takes the process down).
MAX_NESTING = 64
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def _tokens(text: str) -> list[tuple[str, str]]:
    return [(m.lastgroup or "code", m.group(0)) for m in _TOKEN.finditer(text)]


def check_query(text: str, *, allow_update: bool = False) -> str:
    """Parse ``text`` (project prefixes predefined) and return its form, or raise :class:`QueryError`
    with the line and column of the mistake.

    >>> check_query("SELECT * WHERE { ?s kg:text ?t }")
    'SELECT'
    >>> check_query("SELECT * WHERE { ?s nope:text ?t }")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kg.errors.QueryError: query line 1, column 30: unknown prefix; ...
    """
    import pyoxigraph as ox

    check_nesting(text)
    form = query_form(text)
    if fetches_remote(text):
        # Oxigraph would call the SERVICE (or LOAD the URL) even on an empty store, so a query
        # that reaches out is checked by rdflib's parser instead of by running it.
        _check_with_rdflib(text, update=form == "UPDATE")
        return form
    try:
        if form == "UPDATE":
            if not allow_update:
                raise QueryError("this is a SPARQL Update, and kg only reads; "
                                 "use a SELECT, ASK, CONSTRUCT or DESCRIBE query")
            ox.Store().update(text, prefixes=PREFIXES)
        else:
            ox.Store().query(text, prefixes=PREFIXES)
    except SyntaxError as err:
        raise QueryError(describe_syntax_error(str(err))) from err
    return form


def check_nesting(text: str) -> None:
    """Refuse a query whose brackets nest deeper than :data:`MAX_NESTING` (before any parsing).

    >>> check_nesting("SELECT * WHERE { FILTER((1)) }")
    >>> check_nesting("ASK {" + "(" * 100 + ")" * 100 + "}")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kg.errors.QueryError: query nests brackets 101 levels deep; kg accepts at most 64 ...
    """
    depth = deepest = 0
    for kind, token in _tokens(text):
        if kind != "code":
            continue
        for ch in token:
            if ch in "([{":
                depth += 1
                deepest = max(deepest, depth)
                if deepest > MAX_NESTING:
                    raise QueryError(f"query nests brackets {_depth(text)} levels deep; kg accepts at most "
                                     f"{MAX_NESTING} (write the expression flatter)")
            elif ch in ")]}":
                depth = max(0, depth - 1)


def _depth(text: str) -> int:
    depth = deepest = 0
    for ch in _strip(text):
        depth += ch in "([{"
        deepest = max(deepest, depth)
        depth -= ch in ")]}" and depth > 0
    return deepest


def fetches_remote(text: str) -> bool:
    """Whether a query or update reaches out to other servers (``SERVICE`` or ``LOAD``).

    Codepoint escapes (``\\u0053ERVICE``) are decoded first, as SPARQL does before parsing. A text
    that holds either word anywhere is parsed (by rdflib, which can show its syntax tree) and the
    tree is searched; a text that cannot be parsed counts as reaching out, so no escape, comment,
    IRI form or case trick gets a SERVICE past this check.

    >>> fetches_remote("SELECT * WHERE { SERVICE <http://x/sparql> { ?s ?p ?o } }")
    True
    >>> fetches_remote('SELECT * WHERE { ?s ?p "SERVICE" }  # LOAD')
    False
    >>> fetches_remote("SELECT * WHERE { ?s kg:a\\' ?o . SERVICE <http://x/> { ?a ?b ?c } }")
    True
    """
    decoded = _CODEPOINT.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)
    if not re.search(r"service|load", decoded, re.I):
        return False
    check_nesting(decoded)
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    for parse in (parseQuery, parseUpdate):
        try:
            tree = parse(decoded)
        except (ParseException, RecursionError, ValueError):
            continue
        return _holds(tree, ("ServiceGraphPattern", "Load"))
    return True  # neither a query nor an update rdflib can read: do not let it near a network


def _holds(node: object, names: tuple[str, ...]) -> bool:
    """Whether an rdflib SPARQL parse tree holds a node of one of ``names``."""
    from rdflib.plugins.sparql.parserutils import CompValue

    stack, seen = [node], 0
    while stack and seen < 1_000_000:
        item, seen = stack.pop(), seen + 1
        if isinstance(item, CompValue):
            if item.name in names:
                return True
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)) or type(item).__name__ == "ParseResults":
            stack.extend(item)  # type: ignore[arg-type]
        elif isinstance(item, dict):
            stack.extend(item.values())
    return False


def _check_with_rdflib(text: str, *, update: bool) -> None:
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        (parseUpdate if update else parseQuery)(text)
    except ParseException as err:
        raise QueryError(f"query line {err.lineno}, column {err.col}: {err.msg}") from err


def describe_syntax_error(message: str) -> str:
    """Turn Oxigraph's ``error at L:C: expected …`` into a short message that says where and what.

    >>> describe_syntax_error("error at 3:5: expected [_]")
    'query line 3, column 5: expected [_]'
    """
    match = _POSITION.match(message)
    if not match:
        return f"malformed query: {message}"
    line, column, detail = match.groups()
    detail = " ".join(detail.split())
    if "Prefix not found" in detail:
        predefined = ", ".join(sorted(PREFIXES))
        detail = f"unknown prefix; the predefined ones are {predefined} (or declare it with PREFIX)"
    elif len(detail) > 160:
        detail = detail[:157] + "..."
    return f"query line {line}, column {column}: {detail}"


def bind_values(text: str, bindings: Mapping[str, Node]) -> str:
    """``text`` with a ``VALUES`` block for ``bindings`` at the start of its ``WHERE`` group.

    Values are written as escaped RDF terms (``Node.n3()``), on the same line as the brace, so
    error positions in the rest of the query do not move.

    >>> bind_values('SELECT ?s WHERE { ?s ?p ?o }', {"o": Literal('a "b"')})
    'SELECT ?s WHERE { VALUES (?o) { ("a \\\\"b\\\\"") } ?s ?p ?o }'
    """
    if not bindings:
        return text
    for name in bindings:
        if not re.fullmatch(r"\w+", name):
            raise QueryError(f"{name!r} is not a variable name")
    names = " ".join(f"?{name}" for name in bindings)
    values = " ".join(_n3(term) for term in bindings.values())
    block = f" VALUES ({names}) {{ ({values}) }}"
    code = _strip(text)
    where = re.search(r"\bWHERE\b", code, re.I)
    form = _FORM.search(code)
    start = where.end() if where else (form.end() if form and form.group(1).upper() != "CONSTRUCT" else 0)
    brace = code.find("{", start)
    if brace < 0:
        raise QueryError("cannot bind parameters: the query has no WHERE { ... } group")
    return text[: brace + 1] + block + text[brace + 1 :]


def _n3(term: Node) -> str:
    if isinstance(term, (URIRef, Literal)):
        return term.n3()
    raise QueryError(f"cannot bind {term!r}: only IRIs and literals can be parameters")


def run_query(
    graph: Graph,
    query: str | NamedQuery,
    *,
    bindings: Mapping[str, str | Node] | None = None,
) -> Result:
    """Run a SPARQL query (text or :class:`NamedQuery`) on ``graph`` with the project's prefixes.

    A named query's parameters take their defaults unless ``bindings`` gives them; a value that
    is a ``str`` is read by :func:`parse_term`. Raises :class:`QueryError` for a malformed query
    (with line and column) or a failure on a remote server.
    """
    values: dict[str, Node] = {}
    if isinstance(query, NamedQuery):
        values.update(query.defaults())
        unknown = set(bindings or ()) - set(values)
        if unknown:
            raise QueryError(
                f"query {query.name!r} has no parameter {', '.join(sorted(unknown))}; "
                f"its parameters are: {', '.join(values) or 'none'}"
            )
        text = query.text
    else:
        text = query
    values.update({k: parse_term(v) for k, v in (bindings or {}).items()})
    form = check_query(text)
    try:
        if form in ("SELECT", "ASK") and _on_oxigraph(graph):
            return _oxigraph_select(graph, bind_values(text, values))
        return graph.query(bind_values(text, values), initNs=PREFIXES)
    except QueryError:
        raise
    except Exception as err:  # a remote server's HTTP error, or an engine error at run time
        raise QueryError(f"the query failed: {' '.join(str(err).split())[:500]}") from err


def _on_oxigraph(graph: Graph) -> bool:
    from kg.store import backend

    return backend(graph) == "oxigraph"


def _oxigraph_select(graph: Graph, text: str) -> Result:
    """A SELECT or ASK answered by the Oxigraph store itself, terms converted once each.

    Going through rdflib's ``Graph.query`` converts every cell of every row on its own; a
    result of 20,000 rows × 16 columns repeats few distinct terms, so memoising the
    conversion makes a large result several times faster, with the same terms (``xsd:string``
    literals made :func:`~kg.query.results.plain`, as :func:`~kg.query.results.result_rows` would).
    """
    import pyoxigraph as ox
    from oxrdflib._converter import from_ox

    from kg.store import oxigraph_store

    store = oxigraph_store(graph)
    union = getattr(graph, "default_union", False)
    answer = store.query(text, prefixes=PREFIXES, use_default_graph_as_union=union)
    if isinstance(answer, ox.QueryBoolean):
        out = Result("ASK")
        out.askAnswer = bool(answer)
        return out
    converted: dict[Any, Any] = {}

    def term(value: Any) -> Any:
        found = converted.get(value)
        if found is None:
            found = converted[value] = plain(from_ox(value))  # type: ignore[arg-type]
        return found

    out = Result("SELECT")
    out.vars = [Variable(v.value) for v in answer.variables]
    out.bindings = [
        {var: term(cell) for var, cell in zip(out.vars, solution, strict=False) if cell is not None}
        for solution in answer
    ]
    return out


def sparql(
    query: str,
    graph: Graph | None = None,
    *,
    bindings: Mapping[str, str | Node] | None = None,
    **open_args: Any,
) -> pandas.DataFrame:
    """Run a SELECT query (or the name of a catalogue query) and get a DataFrame.

    Without ``graph``, the graph is opened with :func:`kg.store.open_graph` ``(**open_args)``
    (``graph_file=...``, ``store=...`` or ``endpoint=...``) and cached for the next call.
    """
    if graph is None:
        from kg.store import DEFAULT_GRAPH

        source = Path(open_args.get("graph_file") or DEFAULT_GRAPH)
        stamp = source.stat().st_mtime if source.is_file() else 0.0  # a rebuilt file is reloaded
        graph = _cached_graph(tuple(sorted((k, str(v)) for k, v in open_args.items())), stamp)
    target: str | NamedQuery = query
    if re.fullmatch(r"[\w-]+", query.strip()):
        target = named_query(query.strip())
    return to_dataframe(run_query(graph, target, bindings=bindings))


@lru_cache(maxsize=2)
def _cached_graph(args: tuple[tuple[str, str], ...], stamp: float) -> Graph:
    from kg.store import open_graph

    return open_graph(**dict(args))  # type: ignore[arg-type]
