"""The lexicon and the name rules the entity extractor reads, all data under ``data/lexicon/``.

* ``places.ttl``, ``industries.ttl``, ``organizations.ttl``, ``events.ttl``: SKOS concepts typed
  with their entity class, with Chinese preferred and alternative labels, English labels and
  ``skos:broader`` links. A concept's IRI is the IRI the graph mints for the entity.
* ``entity-patterns.csv``: name shapes (suffix → class), ``boundary-words.csv``: words that end a
  name, ``generic-names.csv``: generic nouns that are not names, ``context-only.csv``: industry
  words matched only in context, ``goal-prefixes.csv``: 健康/平安/数字… + a place is a goal,
  ``list-heads.csv``: heads of lists of names (…等3个村), ``entity-words.csv``: the words the name
  rules look for (launch verbs, line suffixes, list words …), ``relative-names.csv``: names relative
  to the report's government (区委, 本市), ``not-place-phrases.csv``: phrases a place word inside is
  no mention of (中国 in 中国特色社会主义).

Every rule table is checked as it is read (:func:`kg.resources.read_rule_table`): its columns, and
each column with a fixed set of values, fail with ``file:line`` and the values allowed.

>>> lex = load_lexicon()
>>> lex.forms["安亭"], lex.entries["安亭镇"].broader
('安亭镇', ('嘉定区',))
>>> lex.generic_heads("村")[:3]
('中心村', '乡村', '保护村')
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from kg.errors import InputError
from kg.extract.divisions import divisions
from kg.resources import lexicon_dir, read_rule_table, row_error
from kg.vocab.registry import ENTITY_CLASSES

LEXICON_FILES = ("places.ttl", "industries.ttl", "organizations.ttl", "events.ttl", "policies.ttl")
#: The fixed values of the rule tables' columns (see each table's header for what they mean).
BOUNDARY_KINDS = ("strong", "weak", "verb", "measure", "org-only", "and", "before-name", "lead", "prefix", "word")
PATTERN_NEEDS = ("", "proper", "programme", "rail", "launched", "issued", "quoted")
PATTERN_SCANS = ("", "loose")
GENERIC_HEADS = ("", "yes")
LIST_NEEDS = ("", "industry", "most-industry")
WORD_ROLES = ("launch", "list-quantifier", "list-classifier", "list-modifier", "line", "rail", "line-prefix", "size",
              "national", "sector", "not-sector", "phase", "shared", "title", "rank", "title-end",
              "institute", "not-industry-head", "shared-name", "issue", "policy-lead", "named-kind",
              "inner-word", "generic-modifier", "kind-quantifier", "industry-modifier", "batch", "document-end",
              "host", "section", "practise", "offence", "parallel-suffix", "open-head", "place-verb",
              "works")
RELATIVE_KINDS = ("level", "body", "place", "lead", "not-prefix")


@dataclass(frozen=True)
class LexEntry:
    """One lexicon concept: its Chinese preferred label, class, other labels and parents."""

    label: str
    cls: str
    en: str | None = None
    alt: tuple[str, ...] = ()
    broader: tuple[str, ...] = ()
    code: str = ""  # an administrative division's GB/T 2260 code (kg.extract.divisions)
    level: str = ""  # and its level: province, city or county


@dataclass(frozen=True)
class Pattern:
    """A name shape: a name ending in ``suffix`` is a ``cls``."""

    suffix: str
    cls: str
    min_name: int
    max_len: int
    not_followed_by: re.Pattern[str] | None
    needs: str  # "", "proper" (holds a lexicon name, quote or Latin), "programme" (proper, or 实施… with 4+
    # characters: 实施特色产业提质工程), "rail" (轨交…线), "quoted" (after a closing quote: “…”活动) …: one of
    # PATTERN_NEEDS
    loose: bool = False  # the name may hold verbs: stop only at strong boundaries


@dataclass(frozen=True)
class ListHead:
    """The head of a list of names (…等3个村): its items are ``cls`` names; ``needs`` is "" or
    "industry" (each item must hold a lexicon industry)."""

    head: str
    cls: str
    needs: str = ""
    industry: str = ""  # the industry the items work in (车企: 汽车产业)


@dataclass(frozen=True)
class RelativeNames:
    """Names relative to a report's government, from ``relative-names.csv`` (hashable, so the
    patterns built from it can be cached)."""

    levels: tuple[str, ...] = ()
    bodies: tuple[tuple[str, str], ...] = ()  # (body as written, its full name): (政府, 人民政府), (委, 委)
    places: tuple[tuple[str, str], ...] = ()  # (name, level): (本区, 区)
    leads: tuple[str, ...] = ()  # 在区委: a level + body right after these is still relative
    not_prefix: tuple[str, ...] = ()  # 市场, 区域: a level before these starts an everyday word


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
    words: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict.fromkeys(WORD_ROLES, ()))
    # the words of entity-words.csv by role (every role of WORD_ROLES), in file order
    list_heads: tuple[ListHead, ...] = ()
    relative: RelativeNames = RelativeNames()
    not_places: tuple[str, ...] = ()  # phrases a place word inside is no mention of (not-place-phrases.csv)

    @cached_property
    def form_lengths(self) -> dict[str, int]:
        """The longest surface form starting with each character (the matchers skip the others)."""
        longest: dict[str, int] = {}
        for form in self.forms:
            if form:
                longest[form[0]] = max(longest.get(form[0], 0), len(form))
        return longest

    @cached_property
    def boundaries_by_last(self) -> dict[str, tuple[tuple[str, str], ...]]:
        """:attr:`boundaries` grouped by their last character, each group in the original order."""
        groups: dict[str, list[tuple[str, str]]] = {}
        for word, kind in self.boundaries:
            if kind != "word":
                groups.setdefault(word[-1], []).append((word, kind))
        return {last: tuple(words) for last, words in groups.items()}

    @cached_property
    def unbroken_words(self) -> tuple[str, ...]:
        """The words that hold a boundary word but are no boundary (对外 in 对外开放新高地, 高等 in …高等研究院)."""
        return tuple(word for word, kind in self.boundaries if kind == "word")

    @cached_property
    def boundaries_by_first(self) -> dict[str, tuple[tuple[str, str], ...]]:
        """:attr:`boundaries` grouped by their first character, each group in the original order."""
        groups: dict[str, list[tuple[str, str]]] = {}
        for word, kind in self.boundaries:
            if kind != "word":
                groups.setdefault(word[0], []).append((word, kind))
        return {first: tuple(words) for first, words in groups.items()}

    @cached_property
    def form_sizes(self) -> dict[str, tuple[int, ...]]:
        """The lengths of the surface forms starting with each character, longest first (a matcher
        tries only those, not every length up to the longest)."""
        sizes: dict[str, set[int]] = {}
        for form in self.forms:
            if form:
                sizes.setdefault(form[0], set()).add(len(form))
        return {first: tuple(sorted(lengths, reverse=True)) for first, lengths in sizes.items()}

    @cached_property
    def form_prefixes(self) -> frozenset[str]:
        """Every non-empty beginning of a surface form: a matcher walking right from a character
        stops as soon as what it has read begins no form."""
        return frozenset(form[:size] for form in self.forms for size in range(1, len(form) + 1))

    @cached_property
    def patterns_by_last(self) -> dict[str, tuple[int, ...]]:
        """The indexes of :attr:`patterns` by their suffix's last character: a sentence without that
        character holds none of them (so the name rules skip most patterns without a search)."""
        groups: dict[str, list[int]] = {}
        for n, pattern in enumerate(self.patterns):
            groups.setdefault(pattern.suffix[-1], []).append(n)
        return {last: tuple(indexes) for last, indexes in groups.items()}

    @cached_property
    def pattern_ends(self) -> frozenset[str]:
        """The last characters of the patterns' suffixes (the keys of :attr:`patterns_by_last`)."""
        return frozenset(self.patterns_by_last)

    @cached_property
    def list_head_words(self) -> tuple[str, ...]:
        """The head words of :attr:`list_heads`, in file order."""
        return tuple(h.head for h in self.list_heads)

    @cached_property
    def name_suffixes(self) -> tuple[tuple[str, ...], frozenset[str]]:
        """The suffixes (of two or more characters) of every class's patterns but industries', and the
        last characters of those classes' suffixes: what ends a name other than an industry."""
        named = [p.suffix for p in self.patterns if p.cls != "Industry"]
        return tuple(suffix for suffix in named if len(suffix) >= 2), frozenset(suffix[-1] for suffix in named)

    @cached_property
    def policy_suffixes(self) -> tuple[str, ...]:
        """The suffixes of the policy patterns, in file order."""
        return tuple(p.suffix for p in self.patterns if p.cls == "Policy")

    @cached_property
    def generic_modifiers(self) -> tuple[str, ...]:
        """The ``generic-modifier``, ``national`` and ``rank`` words, longest first (file order among equals)."""
        return tuple(sorted(self.words["generic-modifier"] + self.words["national"] + self.words["rank"], key=len,
                            reverse=True))

    @cached_property
    def heads_by_word(self) -> dict[str, ListHead]:
        """:attr:`list_heads` by their head word."""
        return {h.head: h for h in self.list_heads}

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


def find_all(text: str, word: str, start: int = 0, stop: int | None = None) -> Iterator[int]:
    """Where ``word`` begins in ``text[start:stop]``, every occurrence, left to right.

    >>> list(find_all("建设示范区和示范村", "示范")), list(find_all("建设示范区和示范村", "示范", 0, 6))
    ([2, 6], [2])
    """
    stop = len(text) if stop is None else stop
    at = text.find(word, start, stop)
    while at >= 0:
        yield at
        at = text.find(word, at + 1, stop)


def alternation(words: tuple[str, ...]) -> str:
    """A regex matching any of ``words``, longest first (one that never matches when there are none).

    >>> alternation(("产业", "产业链")), alternation(())
    ('产业链|产业', '(?!)')
    """
    return "|".join(map(re.escape, sorted(words, key=len, reverse=True))) or "(?!)"


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
        classes = [str(c).rsplit("#", 1)[-1] for c in graph.objects(concept, RDF.type)
                   if str(c).startswith(str(KG._NS))]
        cls = next((c for c in classes if c in ENTITY_CLASSES), None)
        if cls is None:
            raise InputError(f"{path}: {label} has no kg: entity class; add e.g. `a kg:Place`")
        en = next((str(o) for o in graph.objects(concept, SKOS.prefLabel)
                   if getattr(o, "language", None) == "en"), None)
        alt = tuple(sorted(str(o) for o in graph.objects(concept, SKOS.altLabel)))
        broader = tuple(sorted(labels[b] for b in graph.objects(concept, SKOS.broader) if b in labels))
        entries.append(LexEntry(label, cls, en, alt, broader))
    return entries


def load_lexicon(folder: str | Path | None = None) -> Lexicon:
    """Load the lexicon Turtle files and the rule tables from ``folder`` (default :func:`lexicon_dir`).

    Raises :class:`~kg.errors.InputError` naming the file for malformed Turtle or an unknown class,
    and ``file:line`` for a bad row of a rule table (a value outside its column's fixed set, a bad
    number or regex, a missing word, a wrong header).
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
    for division in divisions(folder_name):  # after the curated files, whose names and forms win
        known = entries.get(division.name)
        alt = tuple(sorted({*(known.alt if known else ()), *([division.short] if division.short else [])}))
        # a province's parent is the country (the dataset names none): 陕西省 → 中国, as the curated 河北省
        country = ("中国",) if "中国" in entries else ()
        broader = known.broader if known and known.broader else ((division.parent,) if division.parent else country)
        entries[division.name] = LexEntry(division.name, known.cls if known else "Place", known.en if known else None,
                                          alt, broader, division.code, division.level)
        for form in (division.name, *alt):
            forms.setdefault(form, division.name)
    patterns = _read_patterns(folder / "entity-patterns.csv")
    boundary_rows = _rows(folder / "boundary-words.csv", ("word", "kind"), choices={"kind": BOUNDARY_KINDS})
    boundaries = tuple(sorted({(r["word"], r["kind"]) for r in boundary_rows}, key=lambda w: (-len(w[0]), w)))
    generic_rows = _rows(folder / "generic-names.csv", ("word", "head"), choices={"head": GENERIC_HEADS})
    generic = frozenset(r["word"] for r in generic_rows)
    heads = frozenset(r["word"] for r in generic_rows if r["head"] == "yes")
    context_only = frozenset(r["label"] for r in _rows(folder / "context-only.csv", ("label",)))
    for line, row in read_rule_table(folder / "context-only.csv", ("label",)):
        if row["label"] not in forms:
            raise row_error(folder / "context-only.csv", line, f"{row['label']!r} is no label of the lexicon, so "
                            "it is never matched; add it to industries.ttl or delete the row")
    goal_prefixes = tuple(r["prefix"] for r in _rows(folder / "goal-prefixes.csv", ("prefix",)))
    word_rows = _rows(folder / "entity-words.csv", ("word", "role"), choices={"role": WORD_ROLES})
    words = {role: tuple(r["word"] for r in word_rows if r["role"] == role) for role in WORD_ROLES}
    list_heads = tuple(ListHead(r["head"], r["class"], r["needs"], r["industry"]) for r in _rows(
        folder / "list-heads.csv", ("head", "class", "needs", "industry"),
        choices={"class": ENTITY_CLASSES, "needs": LIST_NEEDS}))
    for line, row in read_rule_table(folder / "list-heads.csv", ("head", "class", "needs", "industry")):
        industry = row["industry"]
        if industry and (industry not in entries or entries[industry].cls != "Industry"):
            raise row_error(folder / "list-heads.csv", line,
                            f"column industry has {industry!r}, which is no Industry label of the lexicon; "
                            "add it to industries.ttl or fix the label")
    not_places = tuple(r["phrase"] for r in _rows(folder / "not-place-phrases.csv", ("phrase",)))
    for line, row in read_rule_table(folder / "not-place-phrases.csv", ("phrase",), required=("phrase",)):
        phrase = row["phrase"]
        inside = (phrase[a:b] for a in range(len(phrase)) for b in range(a + 1, len(phrase) + 1))
        if not any(form in forms and entries[forms[form]].cls == "Place" for form in inside):
            raise row_error(folder / "not-place-phrases.csv", line,
                            f"{row['phrase']!r} holds no place name of the lexicon; remove the row")
    return Lexicon(entries, forms, tuple(patterns), boundaries, generic, context_only, goal_prefixes, heads,
                   words, list_heads, _read_relative(folder / "relative-names.csv"), not_places)


def _rows(
    path: Path, columns: tuple[str, ...], choices: dict[str, tuple[str, ...]] | None = None,
) -> list[dict[str, str]]:
    """The rows of a rule table whose first column names a word (never empty), checked on load."""
    return [row for _, row in read_rule_table(path, columns, choices=choices, required=columns[:1])]


def _read_patterns(path: Path) -> list[Pattern]:
    """The name shapes of ``entity-patterns.csv``, longest suffix first."""
    columns = ("suffix", "class", "min_name", "max_len", "not_followed_by", "needs", "scan")
    patterns = []
    for line, row in read_rule_table(path, columns, required=("suffix", "min_name", "max_len"),
                                     choices={"class": ENTITY_CLASSES, "needs": PATTERN_NEEDS, "scan": PATTERN_SCANS}):
        try:
            min_name, max_len = int(row["min_name"]), int(row["max_len"])
        except ValueError:
            raise row_error(path, line, f"min_name {row['min_name']!r} and max_len {row['max_len']!r} must be "
                                        "whole numbers") from None
        nf = row["not_followed_by"].strip()
        try:
            not_followed_by = re.compile(nf) if nf else None
        except re.error as err:
            raise row_error(path, line, f"column not_followed_by has a bad regex ({err}); fix it") from err
        patterns.append(Pattern(row["suffix"], row["class"], min_name, max_len, not_followed_by, row["needs"],
                                row["scan"] == "loose"))
    patterns.sort(key=lambda p: -len(p.suffix))
    return patterns


def _read_relative(path: Path) -> RelativeNames:
    """The relative names of ``relative-names.csv``; a place means one of the levels, and only bodies
    and places have a ``means``."""
    rows = read_rule_table(path, ("word", "kind", "means"), choices={"kind": RELATIVE_KINDS}, required=("word",))
    levels = tuple(r["word"] for _, r in rows if r["kind"] == "level")
    for line, row in rows:
        if row["kind"] == "place" and row["means"] not in levels:
            raise row_error(path, line, f"column means has {row['means']!r}; expected one of {', '.join(levels)}")
        if row["kind"] not in ("place", "body") and row["means"]:
            raise row_error(path, line, f"column means has {row['means']!r}; expected it empty for a {row['kind']}")

    def of(kind: str) -> tuple[str, ...]:
        return tuple(r["word"] for _, r in rows if r["kind"] == kind)

    return RelativeNames(
        levels=levels,
        bodies=tuple((r["word"], r["means"] or r["word"]) for _, r in rows if r["kind"] == "body"),
        places=tuple((r["word"], r["means"]) for _, r in rows if r["kind"] == "place"),
        leads=of("lead"),
        not_prefix=of("not-prefix"),
    )
