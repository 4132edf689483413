"""Where the project's data files live: the ontology, the shapes and the query catalogue.

In a source checkout (and an editable install) they are the top-level ``ontology/`` and
``queries/`` folders; in a wheel they are packaged under ``kg/_data/``.

>>> (ontology_dir() / "kg.ttl").is_file()
True
"""

from __future__ import annotations

import csv
from pathlib import Path

from kg.errors import InputError

_PACKAGE = Path(__file__).resolve().parent
_CHECKOUT = _PACKAGE.parent.parent


def _find(name: str, packaged: str | None = None) -> Path:
    for candidate in (_CHECKOUT / name, _PACKAGE / "_data" / (packaged or name)):
        if candidate.is_dir():
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
    """The tables the corpus generator draws from: ``data/corpus/`` (governments, names)."""
    return _find("data/corpus", "corpus")


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
