"""Corpora for scale: N variant reports made from the real ones in ``data/source/``.

Each variant takes one real report and gives it another government (``data/corpus/governments.csv``)
and year, a new speaker, numbers perturbed by up to ±20 %, and its paragraphs recombined: the
paragraphs under each heading are shuffled, and about one in eight is swapped for a paragraph of
another report. Headings, page furniture and the sentences themselves stay real text, so the
extraction does the same work on a variant as on a real report.

Everything is drawn from a seeded :class:`random.Random`: the same ``n`` and ``seed`` give the same
bytes, and a corpus of 10 reports is the first 10 of a corpus of 100 with the same seed.

>>> variants = generate(2, seed=1)
>>> [(v.government, v.year) for v in variants] == [(v.government, v.year) for v in generate(2, seed=1)]
True
>>> import tempfile
>>> from kg.text.segment import segment
>>> result = write_corpus(2, tempfile.mkdtemp(), seed=1)
>>> doc = segment(read_source(result.paths[0]))
>>> (doc.meta.government, doc.meta.year) == (variants[0].government, variants[0].year)
True
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from kg.errors import InputError
from kg.resources import corpus_data_dir, read_table
from kg.text.normalize import heading_level, is_terminal
from kg.text.source import read_source

DEFAULT_SOURCES = Path(__file__).resolve().parent.parent.parent / "data" / "source"
YEARS = range(2010, 2025)  # report years a variant may get
PERTURB = 0.2  # numbers are scaled by a factor in [1 - PERTURB, 1 + PERTURB]
SWAP = 0.125  # chance that a paragraph is replaced by a paragraph of another report

# A number to perturb: not part of a longer number, a date (年月日), a meeting (第八次, 六届),
# a line or lot number (14号线), a name such as 5G, or a list item (1.).
_NUMBER = re.compile(r"(?<![\d.．第A-Za-z])(\d+(?:\.\d+)?)(?![\d.．A-Za-z]|\s*(?:年|月|日|届|次|号|条|期|批|轮|版))")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?=\s*年)")
_OPENING = re.compile(r"^各位(?:代表|委员)")
_FULL_STOP = re.compile(r"[。！？!?][”’」』）)]*$")
# Hebei's provincial words, said of a city instead (全省 → 全市).
_PROVINCE_TO_CITY = (("全省", "全市"), ("我省", "我市"), ("本省", "本市"), ("省委", "市委"), ("省政府", "市政府"),
                     ("省人大", "市人大"), ("省政协", "市政协"), ("省长", "市长"))


@dataclass(frozen=True)
class Government:
    """A government a variant speaks for (a row of ``data/corpus/governments.csv``)."""

    name: str  # 山西省, 无锡市, 闵行区
    stem: str  # 山西, 无锡, 闵行
    level: str  # province, city or district
    parent: str  # the city of a district (上海市), else ""

    @property
    def full(self) -> str:
        """The government's name as a report's speaker line gives it: 上海市闵行区人民政府."""
        return f"{self.parent}{self.name}人民政府"

    @property
    def role(self) -> str:
        """Its head's title: 省长, 市长 or 区长."""
        return {"province": "省长", "city": "市长", "district": "区长"}[self.level]


@dataclass(frozen=True)
class Variant:
    """One generated report: its file name, government, year and text."""

    name: str
    government: str
    year: int
    base: str  # the real report it was made from
    text: str


@dataclass(frozen=True)
class CorpusResult:
    """What :func:`write_corpus` wrote."""

    folder: Path
    paths: tuple[Path, ...]
    chars: int


@dataclass(frozen=True)
class _Base:
    name: str
    government: str  # 河北省人民政府
    place: str  # 河北省 (上海市嘉定区 for a district)
    short: tuple[tuple[str, str], ...]  # other names to replace, longest first: (嘉定区, name) …
    speaker: str
    year: int
    front: list[str]
    paragraphs: list[list[str]]  # body, as heading lines (one-line groups) and paragraphs
    back: list[str]  # footers after the last sentence


@cache
def governments() -> tuple[Government, ...]:
    """Every government a variant may speak for, in file order."""
    rows = read_table(corpus_data_dir() / "governments.csv")
    return tuple(Government(r["name"], r["stem"], r["level"], r.get("parent") or "") for r in rows)


@cache
def _name_characters() -> tuple[str, str]:
    rows = {r["kind"]: r["characters"] for r in read_table(corpus_data_dir() / "names.csv")}
    return rows["surname"], rows["given"]


def _paragraphs(lines: list[str]) -> list[list[str]]:
    """Group body lines into headings (alone) and paragraphs (lines up to one that ends a sentence)."""
    groups: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        if heading_level(line.strip()) and not current:
            groups.append([line])
            continue
        current.append(line)
        if is_terminal(line.strip()) or not line.strip():
            groups.append(current)
            current = []
    if current:
        groups.append(current)
    return groups


def _read_base(path: Path) -> _Base:
    from kg.text.segment import segment

    source = read_source(path)
    meta = segment(source).meta
    if not (meta.government and meta.year and meta.speaker):
        raise InputError(f"{path}: its government, year or speaker cannot be read; it cannot seed a corpus")
    lines = source.text.split("\n")
    start = next((i for i, line in enumerate(lines) if _OPENING.match(line.strip())), None)
    if start is None:
        raise InputError(f"{path}: has no opening address (各位代表：); it cannot seed a corpus")
    place = meta.government.removesuffix("人民政府")
    own = next((g for g in governments() if place.endswith(g.name)), None)
    short: list[tuple[str, str]] = []
    if own is not None:
        short = [(own.name, "name"), (own.stem, "stem")]
        if own.parent:
            short += [(own.parent, "parent"), (own.parent.removesuffix("市"), "parent-stem")]
    end = max(i for i, line in enumerate(lines) if _FULL_STOP.search(line.strip())) + 1
    return _Base(path.stem, meta.government, place, tuple(short), meta.speaker, meta.year,
                 lines[:start], _paragraphs(lines[start:end]), lines[end:])


def _speaker(rng: random.Random) -> str:
    surnames, given = _name_characters()
    return rng.choice(surnames) + "".join(rng.choice(given) for _ in range(rng.choice((1, 2, 2))))


def _renamer(base: _Base, gov: Government, speaker: str, year: int) -> Callable[[str], str]:
    """A function that moves a text of ``base`` to ``gov``, ``speaker`` and ``year``."""
    values = {"name": gov.name, "stem": gov.stem, "parent": gov.parent or gov.name,
              "parent-stem": (gov.parent or gov.name).removesuffix("市")}
    pairs = [(base.government, gov.full), (base.place, gov.parent + gov.name), (base.speaker, speaker)]
    pairs += [(old, values[kind]) for old, kind in base.short]
    if gov.level == "city" and base.place.endswith("省"):
        pairs += list(_PROVINCE_TO_CITY)
    table = dict(pairs)
    pattern = re.compile("|".join(re.escape(old) for old in sorted(table, key=len, reverse=True)))
    shift = year - base.year

    def rename(text: str) -> str:
        text = pattern.sub(lambda m: table[m.group(0)], text)
        return _YEAR.sub(lambda m: str(int(m.group(1)) + shift), text)

    return rename


def _perturb(text: str, rng: random.Random) -> str:
    def scale(match: re.Match[str]) -> str:
        number = match.group(1)
        value = float(number) * rng.uniform(1 - PERTURB, 1 + PERTURB)
        if "." in number:
            return f"{value:.{len(number.split('.')[1])}f}"
        return str(max(1, round(value))) if number != "0" else number

    return _NUMBER.sub(scale, text)


def _compatible(base: _Base, gov: Government) -> bool:
    return (gov.level == "district") == (base.short != () and any(k == "parent" for _, k in base.short))


def _variant(index: int, gov: Government, year: int, bases: Sequence[_Base], seed: int) -> Variant:
    rng = random.Random(f"kg-corpus:{seed}:{index}")
    choices = [b for b in bases if _compatible(b, gov)] or list(bases)
    base = rng.choice(choices)
    speaker = _speaker(rng)
    rename = _renamer(base, gov, speaker, year)
    others = [b for b in bases if b is not base]
    out: list[str] = [rename(line) for line in base.front]
    block: list[list[str]] = []

    def flush() -> None:
        rng.shuffle(block)
        for group in block:
            out.extend(_perturb(rename(line), rng) for line in group)
        block.clear()

    for group in base.paragraphs:
        if len(group) == 1 and heading_level(group[0].strip()):
            flush()
            out.append(rename(group[0]))
        elif others and rng.random() < SWAP:
            other = rng.choice(others)
            donor = rng.choice([g for g in other.paragraphs if _FULL_STOP.search(g[-1].strip())])
            foreign = _renamer(other, gov, speaker, year)
            block.append([foreign(line) for line in donor])
        else:
            block.append(group)
    flush()
    out.extend(rename(line) for line in base.back)
    name = f"r{index + 1:04d}-{year}"
    return Variant(name, gov.full, year, base.name, "\n".join(out))


def _assignments(n: int, seed: int) -> list[tuple[Government, int]]:
    pairs = [(gov, year) for gov in governments() for year in YEARS]
    if n > len(pairs):
        raise InputError(f"a corpus holds at most {len(pairs)} reports (one per government and year); "
                         f"ask for fewer than {n}, or add governments to data/corpus/governments.csv")
    random.Random(f"kg-corpus:{seed}").shuffle(pairs)
    return pairs[:n]


def generate(n: int, *, seed: int = 0, sources: Iterable[str | Path] | None = None) -> list[Variant]:
    """``n`` variant reports of the reports in ``sources`` (default: ``data/source/*.txt``).

    Raises :class:`~kg.errors.InputError` for ``n`` < 1, more reports than governments × years,
    or a source whose government, year or speaker cannot be read.
    """
    if n < 1:
        raise InputError(f"a corpus needs at least 1 report, not {n}")
    paths = sorted(Path(p) for p in sources) if sources is not None else sorted(DEFAULT_SOURCES.glob("*.txt"))
    if not paths:
        raise InputError(f"{DEFAULT_SOURCES}: no *.txt reports to make a corpus from")
    bases = [_read_base(p) for p in paths]
    return [_variant(i, gov, year, bases, seed) for i, (gov, year) in enumerate(_assignments(n, seed))]


def write_corpus(
    n: int,
    folder: str | Path,
    *,
    seed: int = 0,
    sources: Iterable[str | Path] | None = None,
) -> CorpusResult:
    """Write ``n`` variant reports as ``folder/rNNNN-YEAR.txt`` (UTF-8); see :func:`generate`.

    The folder may exist, but must not hold other ``*.txt`` files (a build of the folder would
    mix them in); files of an earlier corpus in it are replaced.
    """
    from kg.rdf.serialize import write_atomic

    folder = Path(folder)
    variants = generate(n, seed=seed, sources=sources)
    names = {f"{v.name}.txt" for v in variants}
    if folder.is_dir():
        stray = sorted(p.name for p in folder.glob("*.txt") if not re.fullmatch(r"r\d{4}-\d{4}\.txt", p.name))
        if stray:
            raise InputError(f"{folder}: already holds other reports ({', '.join(stray[:3])}); "
                             "give an empty or new folder")
        for old in folder.glob("r[0-9][0-9][0-9][0-9]-*.txt"):
            if old.name not in names:
                old.unlink()
    paths = []
    for variant in variants:
        path = folder / f"{variant.name}.txt"
        write_atomic(path, variant.text)
        paths.append(path)
    return CorpusResult(folder, tuple(paths), sum(len(v.text) for v in variants))
