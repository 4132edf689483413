"""Deterministic Turtle: the same graph always gives the same bytes.

rdflib's own Turtle writer is correct but its layout is not a contract. This writer sorts
prefixes, subjects, predicates (``rdf:type`` first) and objects, uses no blank nodes, and
ends with a newline, so ``git diff data/triples.ttl`` shows only real changes.

>>> from rdflib import Graph, Literal, URIRef
>>> g = Graph()
>>> _ = g.add((URIRef("http://x/b"), URIRef("http://x/p"), Literal(2)))
>>> _ = g.add((URIRef("http://x/a"), URIRef("http://x/p"), Literal("一")))
>>> print(to_turtle(g, {"x": "http://x/"}), end="")
@prefix x: <http://x/> .
<BLANKLINE>
x:a x:p "一" .
<BLANKLINE>
x:b x:p 2 .
"""

from __future__ import annotations

import os
import re
import tempfile
from collections import defaultdict
from pathlib import Path

from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kg.errors import InputError

_LOCAL = re.compile(r"^[A-Za-z_\u4e00-\u9fff][A-Za-z0-9_\-\u4e00-\u9fff]*$")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_INTEGER = URIRef("http://www.w3.org/2001/XMLSchema#integer")
_DECIMAL = URIRef("http://www.w3.org/2001/XMLSchema#decimal")


def _iri(term: URIRef, prefixes: list[tuple[str, str]]) -> str:
    text = str(term)
    for prefix, namespace in prefixes:
        if text.startswith(namespace) and _LOCAL.match(text[len(namespace):]):
            return f"{prefix}:{text[len(namespace):]}"
    return f"<{text}>"


def _literal(term: Literal, prefixes: list[tuple[str, str]]) -> str:
    lexical = str(term)
    if term.datatype == _INTEGER and re.fullmatch(r"[+-]?\d+", lexical):
        return lexical
    if term.datatype == _DECIMAL and re.fullmatch(r"[+-]?\d*\.\d+", lexical):
        return lexical
    quoted = '"' + "".join(_ESCAPES.get(c, c) for c in lexical) + '"'
    if term.language:
        return f"{quoted}@{term.language}"
    if term.datatype:
        return f"{quoted}^^{_iri(term.datatype, prefixes)}"
    return quoted


def _term(term: Node, prefixes: list[tuple[str, str]]) -> str:
    if isinstance(term, BNode):
        raise ValueError("blank nodes make output non-deterministic; mint an IRI instead")
    if isinstance(term, Literal):
        return _literal(term, prefixes)
    return _iri(URIRef(str(term)), prefixes)


def to_turtle(graph: Graph, prefixes: dict[str, str]) -> str:
    """Serialise ``graph`` as sorted Turtle using ``prefixes`` (name → namespace)."""
    # Longest namespace first, so kgr:… wins over a shorter prefix of the same IRI.
    ordered = sorted(prefixes.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    by_subject: dict[Node, dict[Node, list[str]]] = defaultdict(lambda: defaultdict(list))
    for s, p, o in graph:
        by_subject[s][p].append(_term(o, ordered))
    out = [f"@prefix {name}: <{ns}> .\n" for name, ns in sorted(prefixes.items())]
    for subject in sorted(by_subject, key=str):
        predicates = by_subject[subject]
        keys = sorted(predicates, key=lambda p: (p != RDF.type, str(p)))
        parts = []
        for p in keys:
            verb = "a" if p == RDF.type else _term(p, ordered)
            parts.append(f"{verb} " + " ,\n        ".join(sorted(set(predicates[p]))))
        out.append("\n" + _term(subject, ordered) + " " + " ;\n    ".join(parts) + " .\n")
    return "".join(out)


def write_atomic(path: str | Path, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file, so a failure never leaves half a file."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        # mkstemp makes the file private (0600); give it the mode a plain open() would.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except OSError as err:
        raise InputError(f"{path}: cannot write: {err.strerror or err}") from err
    finally:
        if "tmp" in locals() and os.path.exists(tmp):
            os.unlink(tmp)
