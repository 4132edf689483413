"""The exceptions kg raises, rooted at one :class:`KGError`.

Each exception class carries the process exit code the CLI maps it to:

====  ===========================================================
code  meaning
====  ===========================================================
0     success
1     the data fails a check (``kg validate`` found violations)
2     bad input or usage: unreadable file, bad encoding, malformed
      Turtle or SPARQL, a request the server refuses
3     ``kg build`` wrote the graph but skipped some inputs (each is
      named with its reason; ``--strict`` makes any skip exit 2)
====  ===========================================================

>>> issubclass(InputError, KGError), InputError.exit_code
(True, 2)
>>> ValidationFailed("3 violations").exit_code
1
"""

from __future__ import annotations

import os

#: Exit code of a build that wrote its output but skipped some inputs.
EXIT_SKIPPED = 3


class KGError(Exception):
    """Base class of every error kg raises on purpose."""

    exit_code: int = 2


class InputError(KGError):
    """The input is bad: a missing, binary or non-UTF-8 file, malformed Turtle, a bad option.

    The message names the file and position and says how to fix it.
    """

    exit_code = 2


class QueryError(InputError):
    """A SPARQL query is malformed or cannot be run; the message gives line and column."""


class ValidationFailed(KGError):
    """The graph was read fine but does not conform to the SHACL shapes."""

    exit_code = 1


def where(
    source: str | os.PathLike[str],
    *,
    line: int | None = None,
    column: int | None = None,
    data: str | bytes | None = None,
    offset: int | None = None,
    encoding: str = "utf-8",
) -> str:
    r"""Where a mistake is, as ``source:line:column``: the one way kg names a position.

    Give the ``line`` and ``column`` a parser reports (1-based; Oxigraph counts characters), or
    the ``data`` and an ``offset`` into it: a character offset into a ``str``, or a byte offset
    into ``bytes`` in ``encoding``, turned into a character column (a line with Chinese before
    the mistake counts each character once, not three times). Parts not known are left out.

    >>> where("r.txt", line=3, column=7)
    'r.txt:3:7'
    >>> where("q.rq", data="中文\n中文 x", offset=6)
    'q.rq:2:4'
    >>> where("q.rq", data="中文 x".encode("utf-8"), offset=7)
    'q.rq:1:4'
    >>> where("g.ttl", line=2)
    'g.ttl:2'
    """
    if data is not None and offset is not None:
        # Decode the part before the mistake (it is valid up to there), then count characters.
        text = data[:offset].decode(encoding, "replace") if isinstance(data, bytes) else data[:offset]
        line = text.count("\n") + 1
        column = len(text) - (text.rfind("\n") + 1) + 1
    parts = [os.fspath(source)]
    if line is not None:
        parts.append(str(line))
        if column is not None:
            parts.append(str(column))
    return ":".join(parts)
