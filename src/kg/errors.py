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
