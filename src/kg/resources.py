"""Where the project's data files live: the ontology, the shapes and the query catalogue.

In a source checkout (and an editable install) they are the top-level ``ontology/`` and
``queries/`` folders; in a wheel they are packaged under ``kg/_data/``.

>>> (ontology_dir() / "kg.ttl").is_file()
True
"""

from __future__ import annotations

import csv
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path

from kg.errors import InputError, where

_PACKAGE = Path(__file__).resolve().parent
_CHECKOUT = _PACKAGE.parent.parent


_FOUND: dict[tuple[str, str | None], Path] = {}


def _find(name: str, packaged: str | None = None) -> Path:
    # Remembered once found: the extractors ask for lexicon_dir() per sentence, and two stat()s
    # each time were a measurable part of a build.
    found = _FOUND.get((name, packaged))
    if found is not None:
        return found
    for candidate in (_CHECKOUT / name, _PACKAGE / "_data" / (packaged or name)):
        if candidate.is_dir():
            _FOUND[name, packaged] = candidate
            return candidate
    raise FileNotFoundError(
        f"kg data folder {name!r} is missing from the installation; reinstall kg or run from a checkout"
    )


def ontology_dir() -> Path:
    """The folder holding ``kg.ttl`` (the ontology) and ``shapes.ttl`` (SHACL)."""
    return _find("ontology")


def ontology_file() -> Path:
    """The ontology in Turtle."""
    return ontology_dir() / "kg.ttl"


def shapes_files() -> list[Path]:
    """The SHACL shapes in Turtle: ``ontology/shapes*.ttl``, sorted by name."""
    return sorted(ontology_dir().glob("shapes*.ttl"))


def queries_dir() -> Path:
    """The catalogue of named SPARQL queries (``*.rq``)."""
    return _find("queries")


def lexicon_dir() -> Path:
    """The lexicons and rule tables: ``data/lexicon/`` (SKOS Turtle and CSV)."""
    return _find("data/lexicon", "lexicon")


def corpus_data_dir() -> Path:
    """The tables the corpus generator draws from: ``data/synthetic/`` (governments, names)."""
    return _find("data/synthetic", "synthetic")


def _not_utf8(path: Path) -> InputError:
    """The error for a table that is not UTF-8, at the first bad byte (a text stream's own error
    counts from the start of the chunk it was decoding, not of the file)."""
    data = path.read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as err:
        return InputError(f"{where(path, data=data, offset=err.start)}: byte 0x{data[err.start]:02x} (offset "
                          f"{err.start}) is not UTF-8; save the table as UTF-8")
    return InputError(f"{path}: not UTF-8; save the table as UTF-8")


def read_table(path: Path) -> list[dict[str, str]]:
    """Rows of a CSV data file (lexicon rules, gold sets); lines starting with ``#`` are comments.

    Raises :class:`~kg.errors.InputError` naming the file when it cannot be read.

    >>> rows = read_table(lexicon_dir() / "units.csv")
    >>> "unit" in rows[0]
    True
    """
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(line for line in handle if line.strip() and not line.startswith("#")))
    except OSError as err:
        raise InputError(f"{path}: cannot read: {err.strerror or err}; restore it from the repository") from err
    except UnicodeDecodeError as err:
        raise _not_utf8(path) from err


def read_rule_table(
    path: Path, columns: Sequence[str], *, choices: Mapping[str, Collection[str]] | None = None,
    required: Collection[str] = (),
) -> list[tuple[int, dict[str, str]]]:
    """Rows of a rule table, each with the line of the file it is on, checked as they are read.

    Lines starting with ``#`` are comments. The header must name exactly ``columns``, in order;
    every row has one value per column (a value holding a comma is quoted); a ``required`` column
    is never empty; a column of ``choices`` holds one of its values ("" only when listed), and
    its value is returned stripped; no row repeats an earlier one. Anything else raises
    :class:`~kg.errors.InputError` as ``path:line: …``, e.g. ``units.csv:9: column type has 'unti';
    expected one of unit, prefix``.

    >>> rows = read_rule_table(lexicon_dir() / "units.csv", ["unit", "type", "unit_normalized", "multiplier"],
    ...                        choices={"type": ("unit", "prefix")}, required=["unit", "multiplier"])
    >>> rows[0]
    (6, {'unit': '万亿', 'type': 'prefix', 'unit_normalized': '', 'multiplier': '1000000000000'})
    """
    choices = choices or {}
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            numbered = [(n, text) for n, text in enumerate(handle, start=1)
                        if text.strip() and not text.startswith("#")]
    except OSError as err:
        raise InputError(f"{path}: cannot read: {err.strerror or err}; restore it from the repository") from err
    except UnicodeDecodeError as err:
        raise _not_utf8(path) from err
    reader = csv.reader(line for _, line in numbered)
    rows: list[tuple[int, dict[str, str]]] = []
    seen: dict[tuple[str, ...], int] = {}  # a row's values, stripped → the line it is first on
    header: list[str] | None = None
    while True:
        line = numbered[reader.line_num][0] if reader.line_num < len(numbered) else 0
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            raise row_error(path, line, f"{err}; fix the quoting") from err
        if header is None:
            header = fields
            if header != list(columns):
                raise row_error(path, line, f"the header is {','.join(header)}; expected {','.join(columns)}")
            continue
        if len(fields) != len(columns):
            raise row_error(path, line, f"{len(fields)} values for the {len(columns)} columns {','.join(columns)}; "
                                        "quote a value that holds a comma")
        row = dict(zip(columns, fields, strict=True))
        for column in required:
            if not row[column].strip():
                raise row_error(path, line, f"column {column} is empty; give a value")
        for column, allowed in choices.items():
            row[column] = row[column].strip()
            if row[column] not in allowed:
                expected = ", ".join(a for a in allowed if a) + (" (or empty)" if "" in allowed else "")
                raise row_error(path, line, f"column {column} has {row[column]!r}; expected one of {expected}")
        values = tuple(value.strip() for value in row.values())
        if values in seen:
            raise row_error(path, line, f"the row repeats line {seen[values]}; delete one of them")
        seen[values] = line
        rows.append((line, row))
    if header is None:
        raise InputError(f"{path}: no header line; the first line that is not a comment names the columns "
                         f"{','.join(columns)}")
    return rows


def row_error(path: Path, line: int, message: str) -> InputError:
    """The error for a bad row of a data file: ``path:line: message``."""
    return InputError(f"{where(path, line=line)}: {message}")
