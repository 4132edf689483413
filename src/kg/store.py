"""Stage 4: load a built graph from a Turtle file, with errors that say where the file is bad.

>>> import tempfile, pathlib
>>> bad = pathlib.Path(tempfile.mkdtemp()) / "bad.ttl"
>>> _ = bad.write_text("@prefix x: <http://x/> .\\nx:a x:b .\\n", encoding="utf-8")
>>> load_graph(bad)
Traceback (most recent call last):
...
kg.errors.InputError: ...bad.ttl:2: malformed Turtle ...
"""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import Graph

from kg.errors import InputError
from kg.source import read_source

DEFAULT_GRAPH = Path("data/triples.ttl")


def load_graph(path: str | Path = DEFAULT_GRAPH, *, graph: Graph | None = None) -> Graph:
    """Parse a Turtle file into ``graph`` (a new in-memory graph by default).

    Raises :class:`~kg.errors.InputError` naming the file and line when the file is missing,
    not UTF-8, or not valid Turtle.
    """
    path = Path(path)
    if not path.exists():
        hint = " ; build it first with: kg build" if path == DEFAULT_GRAPH else ""
        raise InputError(f"{path}: no such graph file{hint}")
    text = read_source(path).text
    target = graph if graph is not None else Graph()
    try:
        target.parse(data=text, format="turtle", publicID=path.resolve().as_uri())
    except Exception as err:  # rdflib raises several unrelated types for bad syntax
        message = str(err).strip().splitlines()[-1] if str(err).strip() else type(err).__name__
        line = re.search(r"line (\d+)", str(err))
        where = f"{path}:{line.group(1)}" if line else str(path)
        raise InputError(f"{where}: malformed Turtle ({message}); fix the file or rebuild it with kg build") from err
    return target
