"""Every query result format, in one registry, used by ``kg query --format`` and by ``kg serve``'s
content negotiation alike.

A :class:`Format` has a name (what ``--format`` takes), the media types it is served as (first
is the preferred one; none for ``table``, which is for terminals only), a file suffix, the kinds of
answer it can write (``select`` and ``boolean``, or ``graph``) and one writer. A writer works on
one small term model, :class:`Term`: rdflib terms (the CLI, notebooks) and pyoxigraph terms (the
server) are converted to it once each (:func:`term_from_rdflib`, :func:`term_from_oxigraph`).

Each writer has two presentations of its format:

* for people (``wire=False``, the CLI): IRIs compacted with the project's prefixes in table, CSV
  and TSV cells, JSON indented, lines ending in ``\\n``, an ASK answer as a one-cell ``ask`` table;
* on the wire (``wire=True``, ``kg serve``): the W3C SPARQL 1.1 results formats as specified:
  full IRIs, CSV lines ending in ``\\r\\n``, TSV cells in N-Triples syntax, compact JSON.

XML results and RDF/XML have one presentation. Graphs (CONSTRUCT, DESCRIBE) are written by the
RDF libraries: the project's deterministic Turtle writer and rdflib for people, Oxigraph (which
streams) on the wire.

>>> rows = Solutions(["城市", "n"], [{"城市": Term("literal", "嘉定"), "n": Term("literal", "3", XSD_INTEGER)}])
>>> print(FORMAT["table"].write(rows), end="")
城市  n
----  -
嘉定  3
(1 row)
>>> FORMAT["json"].write(rows, wire=True)
'{"head":{"vars":["城市","n"]},"results":{"bindings":[{"城市":{"type":"literal","value":"嘉定"},\
"n":{"type":"literal","value":"3","datatype":"http://www.w3.org/2001/XMLSchema#integer"}}]}}'
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, NamedTuple
from xml.sax.saxutils import escape, quoteattr

from kg.errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    from rdflib import Graph
    from rdflib.term import Node

# This module imports neither rdflib nor pyoxigraph until a writer needs them, so the CLI can
# read the registry for its --format choices and still start fast.
_XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = _XSD + "string"
XSD_INTEGER = _XSD + "integer"
XSD_BOOLEAN = _XSD + "boolean"


@cache
def _prefixes() -> dict[str, str]:
    from kg.vocab.iri import PREFIXES

    return PREFIXES


@cache
def wire_prefixes() -> dict[str, str]:
    """The prefixes Oxigraph's writers declare: the project's except kgr:, as Oxigraph would
    escape the "/" in every data IRI's local name (kgr:report\\/…)."""
    return {k: v for k, v in _prefixes().items() if k != "kgr"}


class Term(NamedTuple):
    """An RDF term as every writer sees it, whichever library produced it.

    ``kind`` is SPARQL JSON's term type: ``uri``, ``bnode``, ``literal`` (or ``triple`` for an
    RDF-star triple term, whose ``value`` is its N-Triples text). A literal's ``datatype`` is
    None when it has a language or is a plain string: Oxigraph's ``xsd:string`` is made None here,
    rdflib's by :func:`~kg.query.results.plain` in query results.
    """

    kind: str
    value: str
    datatype: str | None = None
    language: str | None = None
    direction: str | None = None


@dataclass(frozen=True)
class Solutions:
    """A SELECT answer: the variables in order, and one mapping per row of the variables bound."""

    names: list[str]
    rows: Sequence[Mapping[str, Term]]


@dataclass(frozen=True)
class Triples:
    """A CONSTRUCT or DESCRIBE answer: an rdflib ``Graph`` (the CLI) or a list of pyoxigraph
    triples (the server); a writer that needs the other is given a converted copy. ``prefixes``
    are the ones Oxigraph's writers declare."""

    source: Graph | list[Any]
    prefixes: Mapping[str, str] | None = None

    def rdflib_graph(self) -> Graph:
        """The graph as an rdflib ``Graph``."""
        if not isinstance(self.source, list):
            return self.source
        from oxrdflib._converter import from_ox

        from kg.vocab.iri import new_graph

        graph = new_graph()
        for triple in self.source:
            graph.add((from_ox(triple.subject), from_ox(triple.predicate), from_ox(triple.object)))  # type: ignore[arg-type]
        return graph

    def oxigraph_triples(self) -> list[Any]:
        """The graph as a list of pyoxigraph triples."""
        if isinstance(self.source, list):
            return self.source
        import pyoxigraph as ox
        from oxrdflib._converter import to_ox

        return [ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in self.source]  # type: ignore[arg-type]


#: What a writer is given: solutions, an ASK answer, or a graph.
Answer = Solutions | bool | Triples


@dataclass(frozen=True)
class Format:
    """One results format: its ``--format`` name, the media types it is served as (the first
    is sent as Content-Type), its file suffix, the kinds of answer it writes (``select``,
    ``boolean``, ``graph``), its name in the W3C's format registry (for the service
    description) and its writer."""

    name: str
    media_types: tuple[str, ...]
    suffix: str
    kinds: tuple[str, ...]
    writer: Callable[[Answer, bool], str]
    w3c: str | None = None

    def write(self, answer: Answer, *, wire: bool = False) -> str:
        """``answer`` in this format, for people (the CLI) or on the wire (``kg serve``)."""
        kind = "graph" if isinstance(answer, Triples) else "boolean" if isinstance(answer, bool) else "select"
        if kind not in self.kinds:
            raise InputError(f"the {self.name} format does not fit a {kind} answer")
        return self.writer(answer, wire)


# -- terms ----------------------------------------------------------------------------------

def term_from_rdflib(node: Node) -> Term:
    """An rdflib term as a :class:`Term`.

    >>> from rdflib import Literal
    >>> term_from_rdflib(Literal("甲", lang="zh")), term_from_rdflib(Literal(3))[2]
    (Term(kind='literal', value='甲', datatype=None, language='zh', direction=None), \
'http://www.w3.org/2001/XMLSchema#integer')
    """
    from rdflib import Literal, URIRef

    if isinstance(node, URIRef):
        return Term("uri", str(node))
    if isinstance(node, Literal):
        return Term("literal", str(node), str(node.datatype) if node.datatype else None, node.language or None)
    return Term("bnode", str(node))


def term_from_oxigraph(term: Any) -> Term:
    """A pyoxigraph term as a :class:`Term` (``xsd:string`` literals become plain ones).

    >>> import pyoxigraph as ox
    >>> term_from_oxigraph(ox.Literal("x")) == Term("literal", "x")
    True
    """
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return Term("uri", term.value)
    if isinstance(term, ox.BlankNode):
        return Term("bnode", term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Term("literal", term.value, None, term.language, str(term.direction) if term.direction else None)
        datatype = term.datatype.value
        return Term("literal", term.value, None if datatype == XSD_STRING else datatype)
    return Term("triple", str(term))


def converter(convert: Callable[[Any], Term]) -> Callable[[Any], Term]:
    """``convert`` remembering its answers: a large result repeats few distinct terms."""
    seen: dict[Any, Term] = {}

    def term(value: Any) -> Term:
        found = seen.get(value)
        if found is None:
            found = seen[value] = convert(value)
        return found

    return term


_NT_ESCAPES = {i: f"\\u{i:04X}" for i in [*range(0x20), 0x7F, 0xFFFE, 0xFFFF]} | {
    0x08: "\\b", 0x09: "\\t", 0x0A: "\\n", 0x0C: "\\f", 0x0D: "\\r", 0x22: '\\"', 0x5C: "\\\\"}


def ntriples(term: Term) -> str:
    """A term in N-Triples syntax, escaped as Oxigraph writes it.

    >>> ntriples(Term("literal", 'say "hi"\\n', None, "en")), ntriples(Term("literal", "3", XSD_INTEGER))
    ('"say \\\\"hi\\\\"\\\\n"@en', '"3"^^<http://www.w3.org/2001/XMLSchema#integer>')
    """
    if term.kind == "uri":
        return f"<{term.value}>"
    if term.kind == "bnode":
        return f"_:{term.value}"
    if term.kind != "literal":
        return term.value
    quoted = '"' + term.value.translate(_NT_ESCAPES) + '"'
    if term.language:
        return f"{quoted}@{term.language}" + (f"--{term.direction}" if term.direction else "")
    return f"{quoted}^^<{term.datatype}>" if term.datatype else quoted


def compact(term: Term | None) -> str:
    """A term as people read it: IRIs compacted with the project's prefixes, literals as text.

    >>> compact(Term("uri", "https://w3id.org/policykg/ontology#Report")), compact(None)
    ('kg:Report', '')
    """
    if term is None:
        return ""
    if term.kind == "uri":
        for prefix, namespace in _longest_first():
            if term.value.startswith(namespace):
                return f"{prefix}:{term.value[len(namespace):]}"
    return term.value


@cache
def _longest_first() -> list[tuple[str, str]]:
    return sorted(_prefixes().items(), key=lambda kv: -len(kv[1]))


def _solutions(answer: Answer) -> Solutions:
    """Solutions as they are, or an ASK answer as a one-cell ``ask`` table (for people)."""
    if isinstance(answer, bool):
        return Solutions(["ask"], [{"ask": Term("literal", str(answer).lower(), XSD_BOOLEAN)}])
    assert isinstance(answer, Solutions)
    return answer


# -- table ----------------------------------------------------------------------------------

def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def terminal_width() -> int | None:
    """The width a table must fit when stdout is a terminal (``COLUMNS`` or the terminal's size);
    ``None`` when the output is piped or redirected: it keeps every column whole, up to the
    per-cell limit, for the programs that read it."""
    import shutil
    import sys

    return (shutil.get_terminal_size((0, 0)).columns or None) if sys.stdout.isatty() else None


def fit_widths(widths: list[int], total: int, *, narrowest: int = 6) -> list[int]:
    """Column widths that fit ``total`` characters (with two spaces between columns): the widest
    column gives way first, none below ``narrowest``.

    >>> fit_widths([10, 40, 60], 60)
    [10, 23, 23]
    >>> fit_widths([4, 5], 80)
    [4, 5]
    """
    widths = list(widths)
    room = total - 2 * (len(widths) - 1)
    while sum(widths) > room and max(widths) > narrowest:
        widest = max(range(len(widths)), key=lambda i: (widths[i], i))
        widths[widest] -= 1
    return widths


def _write_table(answer: Answer, wire: bool, limit: int = 80, width: int | None = None) -> str:
    """A plain-text table; wide (CJK) characters count double, long cells are cut at ``limit``, and
    the table is narrowed to the terminal (:func:`terminal_width`): long text columns give way."""
    solutions = _solutions(answer)
    names = solutions.names

    def cut(text: str, room: int) -> str:
        text = " ".join(text.split())
        if _width(text) <= room:
            return text
        while text and _width(text) > room - 1:
            text = text[:-1]
        return text + "…"

    rows = [[cut(compact(row.get(n)), limit) for n in names] for row in solutions.rows]
    widths = [max([_width(n)] + [_width(r[i]) for r in rows]) for i, n in enumerate(names)]
    total = width if width is not None else terminal_width()
    if total:
        widths = fit_widths(widths, total)
        rows = [[cut(value, w) for value, w in zip(row, widths, strict=True)] for row in rows]
        names = [cut(name, w) for name, w in zip(names, widths, strict=True)]
        widths = [max([_width(names[i])] + [_width(r[i]) for r in rows]) for i in range(len(names))]

    def line(values: list[str]) -> str:
        return "  ".join(v + " " * (w - _width(v)) for v, w in zip(values, widths, strict=True)).rstrip()

    out = [line(names), line(["-" * w for w in widths])] + [line(r) for r in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"


# -- CSV and TSV ----------------------------------------------------------------------------

def _delimited(solutions: Solutions, delimiter: str, newline: str, cell: Callable[[Term | None], str],
               *, quote_lone_empty: bool) -> str:
    """Rows of cells: a cell holding the delimiter, a quote or a line break is quoted (quotes
    doubled). ``quote_lone_empty`` writes a row of one empty cell as ``""``, as Python's csv
    module does (for people; on the wire it is an empty line)."""
    special = (delimiter, '"', *newline)

    def field(text: str) -> str:
        return '"' + text.replace('"', '""') + '"' if any(c in text for c in special) else text

    def line(cells: list[str]) -> str:
        if quote_lone_empty and cells == [""]:
            return '""'
        return delimiter.join(field(c) for c in cells)

    names = solutions.names
    lines = [line(names)] + [line([cell(row.get(n)) for n in names]) for row in solutions.rows]
    return "".join(text + newline for text in lines)


def _value(term: Term | None) -> str:
    return "" if term is None else term.value


def _write_csv(answer: Answer, wire: bool) -> str:
    """CSV: for people, cells as :func:`compact` text; on the wire, SPARQL 1.1 CSV results."""
    if wire and isinstance(answer, bool):
        return f"_askResult\r\n{str(answer).lower()}\n"
    if wire:
        return _delimited(_solutions(answer), ",", "\r\n", _value, quote_lone_empty=False)
    return _delimited(_solutions(answer), ",", "\n", compact, quote_lone_empty=True)


def _write_tsv(answer: Answer, wire: bool) -> str:
    """TSV: for people, CSV with tabs; on the wire, SPARQL 1.1 TSV results (terms in N-Triples)."""
    if not wire:
        return _delimited(_solutions(answer), "\t", "\n", compact, quote_lone_empty=True)
    if isinstance(answer, bool):
        return f"?_askResult\n{str(answer).lower()}\n"
    names = _solutions(answer).names
    lines = ["\t".join(f"?{n}" for n in names)]
    lines += ["\t".join(ntriples(row[n]) if n in row else "" for n in names) for row in _solutions(answer).rows]
    return "\n".join(lines) + "\n"


# -- JSON and XML ---------------------------------------------------------------------------

def _json_term(term: Term) -> dict[str, str]:
    out = {"type": term.kind, "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype:
        out["datatype"] = term.datatype
    return out


def _write_json(answer: Answer, wire: bool) -> str:
    """SPARQL 1.1 Query Results JSON: compact on the wire, indented for people."""
    if isinstance(answer, bool):
        if wire:
            return json.dumps({"head": {}, "boolean": answer}, separators=(",", ":"))
        return json.dumps({"head": {}, "boolean": answer}) + "\n"
    assert isinstance(answer, Solutions)
    bindings = [{n: _json_term(t) for n, t in row.items()} for row in answer.rows]
    data = {"head": {"vars": answer.names}, "results": {"bindings": bindings}}
    if wire:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def _xml_term(term: Term) -> str:
    if term.kind == "uri":
        return f"<uri>{escape(term.value)}</uri>"
    if term.kind == "bnode":
        return f"<bnode>{escape(term.value)}</bnode>"
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
    if term.datatype:
        return f"<literal datatype={quoteattr(term.datatype)}>{escape(term.value)}</literal>"
    return f"<literal>{escape(term.value)}</literal>"


_XML_HEAD = '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'


def _write_xml(answer: Answer, wire: bool) -> str:
    """SPARQL 1.1 Query Results XML; every string is escaped, so a label ``<script>`` stays text.

    >>> rows = Solutions(["label"], [{"label": Term("literal", "<b>甲</b>", language="zh")}])
    >>> _write_xml(rows, True).split("<binding")[1]
    ' name="label"><literal xml:lang="zh">&lt;b&gt;甲&lt;/b&gt;</literal></binding></result></results></sparql>\\n'
    """
    if isinstance(answer, bool):
        return f"{_XML_HEAD}<head/><boolean>{str(answer).lower()}</boolean></sparql>\n"
    assert isinstance(answer, Solutions)
    out = [_XML_HEAD, "<head>"]
    out += [f"<variable name={quoteattr(n)}/>" for n in answer.names]
    out.append("</head><results>")
    for row in answer.rows:
        out.append("<result>")
        out += [f"<binding name={quoteattr(n)}>{_xml_term(row[n])}</binding>" for n in answer.names if n in row]
        out.append("</result>")
    out.append("</results></sparql>\n")
    return "".join(out)


# -- graphs ---------------------------------------------------------------------------------

def _oxigraph(answer: Answer, name: str) -> str:
    import pyoxigraph as ox

    assert isinstance(answer, Triples)
    rdf_format = getattr(ox.RdfFormat, name)
    prefixes = None if rdf_format == ox.RdfFormat.N_TRIPLES else dict(answer.prefixes or wire_prefixes())
    return bytes(ox.serialize(answer.oxigraph_triples(), format=rdf_format, prefixes=prefixes) or b"").decode("utf-8")


def _write_turtle(answer: Answer, wire: bool) -> str:
    """Turtle: Oxigraph's on the wire, the project's deterministic writer (every prefix) for people."""
    if wire:
        return _oxigraph(answer, "TURTLE")
    from kg.rdf.serialize import to_turtle

    assert isinstance(answer, Triples)
    return to_turtle(answer.rdflib_graph(), _prefixes())


def _write_ntriples(answer: Answer, wire: bool) -> str:
    """N-Triples: Oxigraph's on the wire (streamed), rdflib's lines sorted for people."""
    if wire:
        return _oxigraph(answer, "N_TRIPLES")
    assert isinstance(answer, Triples)
    return "".join(sorted(answer.rdflib_graph().serialize(format="nt").splitlines(keepends=True)))


def _write_json_ld(answer: Answer, wire: bool) -> str:
    """JSON-LD: Oxigraph's on the wire, rdflib's with the project's context (sorted keys) for people."""
    if wire:
        return _oxigraph(answer, "JSON_LD")
    assert isinstance(answer, Triples)
    return answer.rdflib_graph().serialize(format="json-ld", context=_prefixes(), indent=2, sort_keys=True) + "\n"


def _write_rdf_xml(answer: Answer, wire: bool) -> str:
    """RDF/XML, by Oxigraph."""
    return _oxigraph(answer, "RDF_XML")


# -- the registry ---------------------------------------------------------------------------

_RESULTS = ("select", "boolean")
#: Every format, once. The order is the server's preference when ``Accept`` allows several.
FORMATS: tuple[Format, ...] = (
    Format("table", (), ".txt", _RESULTS, _write_table),
    Format("json", ("application/sparql-results+json", "application/json"), ".srj", _RESULTS, _write_json,
           "SPARQL_Results_JSON"),
    Format("xml", ("application/sparql-results+xml", "application/xml"), ".srx", _RESULTS, _write_xml,
           "SPARQL_Results_XML"),
    Format("csv", ("text/csv",), ".csv", _RESULTS, _write_csv, "SPARQL_Results_CSV"),
    Format("tsv", ("text/tab-separated-values",), ".tsv", _RESULTS, _write_tsv, "SPARQL_Results_TSV"),
    Format("turtle", ("text/turtle",), ".ttl", ("graph",), _write_turtle, "Turtle"),
    Format("ntriples", ("application/n-triples", "text/plain"), ".nt", ("graph",), _write_ntriples, "N-Triples"),
    Format("rdf-xml", ("application/rdf+xml",), ".rdf", ("graph",), _write_rdf_xml, "RDF_XML"),
    Format("json-ld", ("application/ld+json",), ".jsonld", ("graph",), _write_json_ld, "JSON-LD"),
)
#: Formats by name.
FORMAT: dict[str, Format] = {f.name: f for f in FORMATS}
#: Names of the formats for SELECT and ASK answers, and for CONSTRUCT and DESCRIBE graphs.
SELECT_FORMATS = tuple(f.name for f in FORMATS if "select" in f.kinds)
GRAPH_FORMATS = tuple(f.name for f in FORMATS if "graph" in f.kinds)
#: The formats of the project's own tables (``kg table``, ``kg analyze``, ``kg compare``).
TABLE_FORMATS = ("table", "csv", "json")


def formats_for(kind: str) -> tuple[Format, ...]:
    """The formats that write a ``select``, ``boolean`` or ``graph`` answer, in registry order."""
    return tuple(f for f in FORMATS if kind in f.kinds)


def media_types(kind: str) -> list[str]:
    """Every media type a ``kind`` of answer is served as, in order of preference.

    >>> media_types("graph")
    ['text/turtle', 'application/n-triples', 'text/plain', 'application/rdf+xml', 'application/ld+json']
    """
    return [media for f in formats_for(kind) for media in f.media_types]


def format_for_media_type(media: str) -> Format:
    """The format served as ``media`` (one of :func:`media_types`).

    >>> format_for_media_type("text/plain").name
    'ntriples'
    """
    for candidate in FORMATS:
        if media in candidate.media_types:
            return candidate
    raise InputError(f"no results format is served as {media}")


def negotiate(accept: str | None, offered: Sequence[str]) -> str | None:
    """The offered media type ``accept`` likes best (first offered wins ties); None if none fits.

    >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", media_types("select"))
    'application/sparql-results+xml'
    >>> negotiate(None, ["text/turtle"]), negotiate("image/png", ["text/turtle"])
    ('text/turtle', None)
    """
    if not accept or not accept.strip():
        return offered[0]
    best: tuple[float, int, str] | None = None
    for part in accept.split(",")[:64]:  # a hostile header with thousands of parts costs nothing
        fields = [f.strip() for f in part.split(";")]
        media, quality = fields[0].lower(), 1.0
        for param in fields[1:]:
            if param.startswith("q="):
                try:
                    quality = float(param[2:])
                except ValueError:
                    quality = 0.0
        if not quality > 0:  # also NaN
            continue
        for rank, candidate in enumerate(offered):
            kind = candidate.split("/")[0]
            if media in (candidate, "*/*", f"{kind}/*"):
                specific = 0 if media == candidate else 1
                key = (-quality, specific * 1000 + rank, candidate)
                if best is None or key < best:
                    best = key
    return best[2] if best else None


def solutions(names: list[str], rows: Iterable[Iterable[tuple[str, Any]]], convert: Callable[[Any], Term]) -> Solutions:
    """Solutions from rows of ``(name, term)`` pairs in any library's terms (unbound ones None or
    left out), each distinct term converted once by ``convert``."""
    term = converter(convert)
    return Solutions(names, [{n: term(v) for n, v in row if v is not None} for row in rows])
