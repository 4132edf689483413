"""Deterministic Turtle, TriG and N-Quads: the same graph always gives the same bytes.

rdflib's own writers are correct but their layout is not a contract. Every writer here works
from sorted, de-duplicated N-Triples lines (:func:`ntriples_lines`), so a graph held in memory
and a corpus merged from per-report files (:mod:`kg.build`) give the same bytes. Turtle groups
each subject's triples (``rdf:type`` first, then predicates and objects sorted), uses no blank
nodes, and ends with a newline, so ``git diff data/triples.ttl`` shows only real changes.

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
>>> print(ntriples_lines(g)[0], end="")
<http://x/a> <http://x/p> "一" .
"""

from __future__ import annotations

import bisect
import heapq
import itertools
import os
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TextIO

from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kg.errors import InputError

_LOCAL = re.compile(r"^[A-Za-z_\u4e00-\u9fff][A-Za-z0-9_\-\u4e00-\u9fff]*$")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_INTEGER = URIRef("http://www.w3.org/2001/XMLSchema#integer")
_DECIMAL = URIRef("http://www.w3.org/2001/XMLSchema#decimal")


_RDF_TYPE = f"<{RDF.type}>"
_LITERAL = re.compile(r'^"(?P<text>.*)"(?:@(?P<lang>[A-Za-z0-9-]+)|\^\^<(?P<dt>[^>]*)>)?$', re.DOTALL)


_INTEGER_TEXT_IRI, _DECIMAL_TEXT_IRI = str(_INTEGER), str(_DECIMAL)  # plain str: a URIRef never equals a str
_INTEGER_TAIL = f'"^^<{_INTEGER_TEXT_IRI}>'
_INTEGER_TAIL_LEN = len(_INTEGER_TAIL)
_INTEGER_TEXT = re.compile(r"[+-]?\d+")
_DECIMAL_TEXT = re.compile(r"[+-]?\d*\.\d+")
_NEEDS_ESCAPE = re.compile(r'[\\"\n\r\t]')


def _escape(text: str) -> str:
    return _NEEDS_ESCAPE.sub(lambda m: _ESCAPES[m.group(0)], text)


def _nt_term(term: Node) -> str:
    """One term in N-Triples syntax (the escaping Turtle uses too, so it can be reused as is)."""
    if type(term) is URIRef:  # the common case first
        return f"<{term}>"
    if isinstance(term, BNode):
        raise ValueError("blank nodes make output non-deterministic; mint an IRI instead")
    if isinstance(term, Literal):
        quoted = f'"{_escape(str(term))}"'
        if term.language:
            return f"{quoted}@{term.language}"
        if term.datatype:
            return f"{quoted}^^<{term.datatype}>"
        return quoted
    return f"<{term}>"


def ntriples_line(s: Node, p: Node, o: Node) -> str:
    """One triple as an N-Triples line, ending in a newline."""
    return f"{_nt_term(s)} {_nt_term(p)} {_nt_term(o)} .\n"


def ntriples_lines(graph: Iterable[tuple[Node, Node, Node]]) -> list[str]:
    """A graph's triples as sorted, unique N-Triples lines: the canonical form every writer uses."""
    triples = graph.triples((None, None, None)) if isinstance(graph, Graph) else graph  # a Dataset: its union
    return sorted({ntriples_line(s, p, o) for s, p, o in triples})


def merge_sorted(*runs: Iterable[str]) -> Iterator[str]:
    """Merge sorted runs of lines into one sorted run without duplicates (streaming)."""
    previous = None
    for line in heapq.merge(*runs):
        if line != previous:
            yield line
            previous = line


def merge_unique(*runs: Iterable[list[str]]) -> Iterator[str]:
    """:func:`merge_sorted` for runs of sorted lines *without repeats*, each given in chunks (lists).

    Most of a corpus's lines belong to one report, so one run holds long stretches that no other
    run interleaves: each stretch (the lines before the smallest head of the other runs, found by
    a binary search) is passed on whole, where :func:`heapq.merge` would take a heap step a line.
    """
    sources = [iter(run) for run in runs]
    chunks: list[list[str]] = []
    heap: list[tuple[str, int]] = []  # (the next line of each run, the run's index)
    for index, source in enumerate(sources):
        chunk = next(source, [])
        chunks.append(chunk)
        if chunk:
            heap.append((chunk[0], index))
    heapq.heapify(heap)
    starts = [0] * len(sources)
    previous = None
    while heap:
        _, index = heap[0]
        chunk, start = chunks[index], starts[index]
        if len(heap) == 1:
            end = len(chunk)
        else:  # the other runs' smallest head is a child of the heap's root
            bound = heap[1][0] if len(heap) == 2 else min(heap[1][0], heap[2][0])
            end = max(bisect.bisect_left(chunk, bound, start), start + 1)  # at least the head itself
        if chunk[start] == previous:  # another run's line, already passed on (runs repeat no line)
            start += 1
        if start < end:
            yield from chunk[start:end] if end - start > 1 else (chunk[start],)
            previous = chunk[end - 1]
        if end < len(chunk):
            starts[index] = end
            heapq.heapreplace(heap, (chunk[end], index))
        elif chunk := next(sources[index], []):
            chunks[index], starts[index] = chunk, 0
            heapq.heapreplace(heap, (chunk[0], index))
        else:
            heapq.heappop(heap)


def line_chunks(handle: TextIO, size: int = 1 << 16) -> Iterator[list[str]]:
    """A text file's lines in lists of about ``size`` characters (for :func:`merge_unique`)."""
    while chunk := handle.readlines(size):
        yield chunk


def _split(line: str) -> tuple[str, str, str]:
    subject, predicate, rest = line.split(" ", 2)
    return subject, predicate, rest[:-3] if rest.endswith(" .\n") else rest.rstrip().removesuffix(" .")


def _iri(iri: str, prefixes: list[tuple[str, str]]) -> str:
    """``<iri>`` (N-Triples form) as a prefixed name when one fits."""
    text = iri[1:-1]
    for prefix, namespace in prefixes:
        if text.startswith(namespace) and _LOCAL.match(text[len(namespace):]):
            return f"{prefix}:{text[len(namespace):]}"
    return iri


def _object(term: str, prefixes: list[tuple[str, str]]) -> str:
    if term.startswith("<"):
        return _iri(term, prefixes)
    match = _LITERAL.match(term)
    if match is None:  # pragma: no cover - lines come from ntriples_line
        return term
    text, lang, datatype = match.group("text", "lang", "dt")
    if datatype == _INTEGER_TEXT_IRI and _INTEGER_TEXT.fullmatch(text):
        return text
    if datatype == _DECIMAL_TEXT_IRI and _DECIMAL_TEXT.fullmatch(text):
        return text
    if lang:
        return f'"{text}"@{lang}'
    if datatype:
        return f'"{text}"^^{_iri(f"<{datatype}>", prefixes)}'
    return f'"{text}"'


def _ordered(prefixes: dict[str, str]) -> list[tuple[str, str]]:
    # Longest namespace first, so kgr:… wins over a shorter prefix of the same IRI.
    return sorted(prefixes.items(), key=lambda kv: (-len(kv[1]), kv[0]))


@lru_cache(maxsize=8)
def _prefixer(ordered: tuple[tuple[str, str], ...]) -> Callable[[str, int, int], re.Match[str] | None]:
    """:func:`_iri`'s choice as one regular expression (``match(text, start, end)``): group *k* is
    the local name under the *k*-th namespace of ``ordered``, tried in the same order."""
    local = _LOCAL.pattern.removeprefix("^").removesuffix("$")
    return re.compile("|".join(f"{re.escape(ns)}({local})$" for _, ns in ordered)).match


def _prefix_lines(prefixes: dict[str, str]) -> str:
    return "".join(f"@prefix {name}: <{ns}> .\n" for name, ns in sorted(prefixes.items()))


def turtle_blocks(lines: Iterable[str], prefixes: dict[str, str]) -> Iterator[str]:
    """Turtle for sorted N-Triples ``lines``, one block per subject (each starting with a blank line).

    Lines of one subject are adjacent in sorted order, so this streams: memory holds one subject.
    Predicates, classes and objects repeat across subjects, so their written forms are memoised
    (bounded): finding an IRI's prefix was most of the time a corpus rebuilt from the cache took.
    """
    ordered = _ordered(prefixes)
    prefixed = _prefixer(tuple(ordered))

    def subject_name(iri: str) -> str:  # subjects rarely repeat: not memoised
        found = prefixed(iri, 1, len(iri) - 1)
        if found is None or found.lastindex is None:
            return iri
        return f"{ordered[found.lastindex - 1][0]}:{found.group(found.lastindex)}"

    @lru_cache(maxsize=1 << 16)
    def short(iri: str) -> str:
        return _iri(iri, ordered)

    @lru_cache(maxsize=1 << 16)
    def written_term(term: str) -> str:
        return short(term) if term.startswith("<") else _object(term, ordered)

    @lru_cache(maxsize=1 << 16)
    def written_object(rest: str) -> str:  # what follows a line's predicate ("obj .\n"), as Turtle writes it
        obj = rest[:-3] if rest.endswith(" .\n") else rest.rstrip().removesuffix(" .")
        if not obj.endswith(">"):  # a plain or tagged literal is written as it is
            return obj
        # An integer (offsets, indexes: rarely repeated) is written bare, as _object does.
        if obj.endswith(_INTEGER_TAIL) and _INTEGER_TEXT.fullmatch(obj, 1, len(obj) - _INTEGER_TAIL_LEN):
            return obj[1:-_INTEGER_TAIL_LEN]
        return written_term(obj)

    # Each predicate's place in a block (rdf:type first, then by IRI) as an integer, and its written
    # form: a block sorts its predicates by a dict lookup. Ranks are recomputed when a predicate is
    # first seen (a few dozen times a build).
    rank: dict[str, int] = {}
    verbs: dict[str, str] = {}

    def learn(predicates: Iterable[str]) -> None:
        for predicate in predicates:
            verbs.setdefault(predicate, "a" if predicate == _RDF_TYPE else short(predicate))
        ordered_verbs = sorted(verbs, key=lambda p: (p != _RDF_TYPE, p[1:-1]))
        rank.update((predicate, n) for n, predicate in enumerate(ordered_verbs))

    def block(subject: str, runs: list[tuple[str, list[str]]]) -> str:
        by_predicate: dict[str, list[str]] = {}
        for predicate, rests in runs:  # each run's objects written by one map (no Python loop a line)
            written = list(map(written_object, rests))
            objects = by_predicate.get(predicate)
            if objects is None:
                by_predicate[predicate] = written
            else:  # lines not sorted by predicate within the subject: still one group
                objects.extend(written)
        if not by_predicate.keys() <= rank.keys():
            learn(by_predicate)
        parts = []
        for predicate in sorted(by_predicate, key=rank.__getitem__) if len(by_predicate) > 1 else by_predicate:
            objects = by_predicate[predicate]
            parts.append(f"{verbs[predicate]} {objects[0]}" if len(objects) == 1
                         else f"{verbs[predicate]} " + " ,\n        ".join(sorted(set(objects))))
        return "\n" + subject_name(subject) + " " + " ;\n    ".join(parts) + " .\n"  # each subject once

    # Sorted lines come grouped by subject, and within it by predicate: collect each predicate's
    # run of objects, and write a subject's block when the next subject starts.
    current: str | None = None
    runs: list[tuple[str, list[str]]] = []
    last_predicate = ""
    rests: list[str] = []
    for line in lines:
        subject, predicate, rest = line.split(" ", 2)
        if subject != current:
            if current is not None:
                yield block(current, runs)
            current, runs, last_predicate = subject, [], ""
        if predicate != last_predicate:
            rests = []
            runs.append((predicate, rests))
            last_predicate = predicate
        rests.append(rest)
    if current is not None:
        yield block(current, runs)


def write_turtle(handle: TextIO, lines: Iterable[str], prefixes: dict[str, str]) -> None:
    """Write sorted N-Triples ``lines`` to ``handle`` as Turtle."""
    handle.write(_prefix_lines(prefixes))
    write_batched(handle, turtle_blocks(lines, prefixes))


def write_batched(handle: TextIO, texts: Iterable[str], size: int = 512) -> None:
    """Write ``texts`` joined a batch of ``size`` at a time: a write a line (``writelines``) encodes
    and buffers each one, and one join of a whole run makes a large string to encode at once; both
    cost more."""
    texts = iter(texts)
    while batch := list(itertools.islice(texts, size)):
        handle.write("".join(batch))


def prefix_lines(prefixes: dict[str, str]) -> str:
    """The ``@prefix`` lines a Turtle or TriG file starts with."""
    return _prefix_lines(prefixes)


def trig_graph(name: str, lines: Iterable[str], prefixes: dict[str, str]) -> str:
    """One named graph of a TriG file (after its prefix lines): a function of its name and lines
    alone, so a build can keep each report's and join them (:mod:`kg.build.named`)."""
    return f"\n{_iri(f'<{name}>', _ordered(prefixes))} {{" + "".join(turtle_blocks(lines, prefixes)) + "}\n"


def nquads_graph(name: str, lines: Iterable[str]) -> str:
    """One named graph as N-Quads lines, from its sorted N-Triples ``lines``."""
    suffix = f" <{name}> .\n"
    return "".join(line[:-3] + suffix for line in lines)


def write_trig(handle: TextIO, graphs: Iterable[tuple[str, Iterable[str]]], prefixes: dict[str, str]) -> None:
    """Write named graphs as TriG: ``graphs`` gives (graph IRI, sorted N-Triples lines), in order."""
    handle.write(_prefix_lines(prefixes))
    for name, lines in graphs:
        handle.write(trig_graph(name, lines, prefixes))


def write_nquads(handle: TextIO, graphs: Iterable[tuple[str, Iterable[str]]]) -> None:
    """Write named graphs as N-Quads: ``graphs`` gives (graph IRI, sorted N-Triples lines), in order."""
    for name, lines in graphs:
        handle.write(nquads_graph(name, lines))


def to_turtle(graph: Graph, prefixes: dict[str, str]) -> str:
    """Serialise ``graph`` as sorted Turtle using ``prefixes`` (name → namespace)."""
    return _prefix_lines(prefixes) + "".join(turtle_blocks(ntriples_lines(graph), prefixes))


#: What every temporary file or folder kg writes ends with, then the writing process's id:
#: ``.triples.ttl.k3x9.kg-tmp-4242``. A killed build leaves them; the next one removes them.
TEMP_MARK = ".kg-tmp-"
_TEMP = re.compile(re.escape(TEMP_MARK) + r"(\d+)$")


def temp_path(path: str | Path) -> Path:
    """A hidden temporary name next to ``path``, unique, marked with this process's id."""
    path = Path(path)
    return path.with_name(f".{path.name}.{os.urandom(4).hex()}{TEMP_MARK}{os.getpid()}")


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's live process
        return True
    return True


def remove_stale_temps(folder: str | Path, name: str | None = None) -> int:
    """Remove the temporary files and folders in ``folder`` whose writer is dead; how many.

    Only names kg makes (hidden, ending in :data:`TEMP_MARK` and a process id) are touched, and
    only when no process with that id is running; with ``name``, only those of that output file.
    A live build's temporary files are never removed, so two builds can share a folder.
    """
    import shutil

    removed = 0
    try:
        entries = list(Path(folder).iterdir())
    except OSError:
        return 0
    for entry in entries:
        found = _TEMP.search(entry.name)
        if not found or not entry.name.startswith(f".{name}." if name else ".") or _alive(int(found.group(1))):
            continue
        try:
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
            removed += 1
        except FileNotFoundError:  # another build removed it first
            continue
        except OSError as err:
            raise InputError(f"{entry}: cannot remove a stale temporary file ({err.strerror or err}); "
                             "remove it by hand") from err
    return removed


@contextmanager
def atomic_writer(path: str | Path) -> Iterator[TextIO]:
    """A text handle on a temporary file next to ``path``, renamed onto ``path`` only on success.

    If the block raises (or the process dies), ``path`` keeps its previous contents. The
    temporary file is named by :func:`temp_path`, so one a killed process left behind is
    recognised and removed by :func:`remove_stale_temps`.
    """
    path = Path(path)
    if path.is_dir():
        raise InputError(f"{path}: is a folder; name a file inside it to write, e.g. {path / ('out' + path.suffix)}"
                         if path.suffix else f"{path}: is a folder; name a file inside it to write")
    tmp: Path | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = temp_path(path)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # the mode a plain open() gives
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            yield handle
        os.replace(tmp, path)
    except OSError as err:
        raise InputError(f"{path}: cannot write: {err.strerror or err}") from err
    finally:
        if tmp is not None and tmp.exists():
            tmp.unlink()


def write_atomic(path: str | Path, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file, so a failure never leaves half a file."""
    with atomic_writer(path) as handle:
        handle.write(text)
