"""The lexicon and the name rules the entity extractor reads, all data under ``data/lexicon/``.

* ``places.ttl``, ``industries.ttl``, ``organizations.ttl``, ``events.ttl``: SKOS concepts typed
  with their entity class, with Chinese preferred and alternative labels, English labels and
  ``skos:broader`` links. A concept's IRI is the IRI the graph mints for the entity.
* ``entity-patterns.csv``: name shapes (suffix → class), ``boundary-words.csv``: words that end a
  name, ``generic-names.csv``: generic nouns that are not names, ``context-only.csv``: industry
  words matched only in context, ``goal-prefixes.csv``: 健康/平安/数字… + a place is a goal.

>>> lex = load_lexicon()
>>> lex.forms["安亭"], lex.entries["安亭镇"].broader
('安亭镇', ('嘉定区',))
>>> lex.generic_heads("村")[:3]
('中心村', '乡村', '保护村')
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kg.errors import InputError
from kg.resources import lexicon_dir, read_table

ENTITY_CLASSES = ("Project", "Industry", "Place", "Organization", "Policy", "Event", "Goal")
LEXICON_FILES = ("places.ttl", "industries.ttl", "organizations.ttl", "events.ttl")



@dataclass(frozen=True)
class LexEntry:
    """One lexicon concept: its Chinese preferred label, class, other labels and parents."""

    label: str
    cls: str
    en: str | None = None
    alt: tuple[str, ...] = ()
    broader: tuple[str, ...] = ()


@dataclass(frozen=True)
class Pattern:
    """A name shape: a name ending in ``suffix`` is a ``cls``."""

    suffix: str
    cls: str
    min_name: int
    max_len: int
    not_followed_by: re.Pattern[str] | None
    needs: str  # "", "proper" (holds a lexicon name, quote or Latin), "programme" (proper, or 实施… with 4+
    # characters: 实施特色产业提质工程) or "rail" (轨交…线)
    loose: bool = False  # the name may hold verbs: stop only at strong boundaries


@dataclass(frozen=True)
class Lexicon:
    """Lexicon concepts by label, every surface form, and the open-vocabulary rules."""

    entries: dict[str, LexEntry]
    forms: dict[str, str]
    patterns: tuple[Pattern, ...]
    boundaries: tuple[tuple[str, str], ...]  # (word, kind), longest first
    generic: frozenset[str]
    context_only: frozenset[str]
    goal_prefixes: tuple[str, ...] = ()
    heads: frozenset[str] = frozenset()  # generic nouns that end no proper name (乡村, 城市公园)

    def generic_heads(self, suffix: str) -> tuple[str, ...]:
        """Generic nouns that end with ``suffix`` and are longer than it (乡村 for 村)."""
        return _generic_heads(self.heads, suffix)

    def ancestors(self, label: str) -> Iterator[str]:
        """Labels broader than ``label``, nearest first (breadth-first, no repeats)."""
        seen, queue = {label}, list(self.entries[label].broader) if label in self.entries else []
        while queue:
            head = queue.pop(0)
            if head in seen:
                continue
            seen.add(head)
            yield head
            queue.extend(self.entries[head].broader if head in self.entries else ())


@lru_cache(maxsize=256)
def _generic_heads(generic: frozenset[str], suffix: str) -> tuple[str, ...]:
    return tuple(sorted(g for g in generic if g.endswith(suffix) and len(g) > len(suffix)))


# ----------------------------------------------------------------------------------------------
# Loading the data files


def _read_lexicon_ttl(path: Path) -> list[LexEntry]:
    from rdflib import RDF, Graph
    from rdflib.namespace import SKOS

    from kg.vocab.namespace import KG

    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except Exception as err:  # rdflib raises many parser exception types
        raise InputError(f"{path}: is not valid Turtle: {err}; fix the file") from err
    labels = {s: str(o) for s, o in graph.subject_objects(SKOS.prefLabel) if getattr(o, "language", None) == "zh"}
    entries = []
    for concept, label in sorted(labels.items(), key=lambda kv: kv[1]):
        classes = [str(c).rsplit("#", 1)[-1] for c in graph.objects(concept, RDF.type) if str(c).startswith(str(KG._NS))]
        cls = next((c for c in classes if c in ENTITY_CLASSES), None)
        if cls is None:
            raise InputError(f"{path}: {label} has no kg: entity class; add e.g. `a kg:Place`")
        en = next((str(o) for o in graph.objects(concept, SKOS.prefLabel) if getattr(o, "language", None) == "en"), None)
        alt = tuple(sorted(str(o) for o in graph.objects(concept, SKOS.altLabel)))
        broader = tuple(sorted(labels[b] for b in graph.objects(concept, SKOS.broader) if b in labels))
        entries.append(LexEntry(label, cls, en, alt, broader))
    return entries


def load_lexicon(folder: str | Path | None = None) -> Lexicon:
    """Load the lexicon Turtle files and the rule tables from ``folder`` (default :func:`lexicon_dir`).

    Raises :class:`~kg.errors.InputError` naming the file for malformed Turtle or an unknown class.
    """
    return _load_lexicon(str(Path(folder) if folder else lexicon_dir()))


@lru_cache(maxsize=4)
def _load_lexicon(folder_name: str) -> Lexicon:
    folder = Path(folder_name)
    entries: dict[str, LexEntry] = {}
    forms: dict[str, str] = {}
    for name in LEXICON_FILES:
        path = folder / name
        if not path.is_file():
            continue
        for entry in _read_lexicon_ttl(path):
            entries[entry.label] = entry
            for form in (entry.label, *entry.alt):
                forms.setdefault(form, entry.label)
    patterns = []
    for row in read_table(folder / "entity-patterns.csv"):
        if row["class"] not in ENTITY_CLASSES:
            raise InputError(f"{folder / 'entity-patterns.csv'}: unknown class {row['class']!r} for {row['suffix']}")
        nf = (row.get("not_followed_by") or "").strip()
        patterns.append(Pattern(row["suffix"], row["class"], int(row["min_name"]), int(row["max_len"]),
                                re.compile(nf) if nf else None, (row.get("needs") or "").strip(),
                                (row.get("scan") or "").strip() == "loose"))
    patterns.sort(key=lambda p: -len(p.suffix))
    boundaries = tuple(sorted({(r["word"], r["kind"]) for r in read_table(folder / "boundary-words.csv")},
                              key=lambda w: (-len(w[0]), w)))
    generic_rows = read_table(folder / "generic-names.csv")
    generic = frozenset(r["word"] for r in generic_rows)
    heads = frozenset(r["word"] for r in generic_rows if (r.get("head") or "").strip() == "yes")
    context_only = frozenset(r["label"] for r in read_table(folder / "context-only.csv"))
    goal_prefixes = tuple(r["prefix"] for r in read_table(folder / "goal-prefixes.csv"))
    return Lexicon(entries, forms, tuple(patterns), boundaries, generic, context_only, goal_prefixes, heads)
