"""SPARQL results on the wire for ``kg serve``: content negotiation and the four results formats.

Solutions are pyoxigraph terms; JSON, XML, CSV and TSV follow the W3C SPARQL 1.1 results
specifications. Every string that reaches XML is escaped, so a label such as ``<script>`` stays
text.

>>> import pyoxigraph as ox
>>> rows = [[ox.Literal("<b>甲</b>", language="zh")]]
>>> serialize_solutions(["label"], rows, "xml").decode().split("<results>")[1]
'<result><binding name="label"><literal xml:lang="zh">&lt;b&gt;甲&lt;/b&gt;</literal></binding></result></results></sparql>\\n'
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any
from xml.sax.saxutils import escape, quoteattr

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
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


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
        elif term.datatype.value != _XSD_STRING:
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
    if term.datatype.value != _XSD_STRING:
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
    """An ASK answer in ``json``, ``xml``, ``csv`` or ``tsv``.

    >>> serialize_boolean(True, "json")
    b'{"head":{},"boolean":true}'
    """
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}, separators=(",", ":")).encode("utf-8")
    if fmt == "xml":
        return (f'<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/>'
                f"<boolean>{str(value).lower()}</boolean></sparql>\n").encode()
    return (("_askResult\r\n" if fmt == "csv" else "?_askResult\n") + str(value).lower() + "\n").encode("utf-8")
