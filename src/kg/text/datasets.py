"""Report texts from the containers researchers have: ``.txt`` files, folders, JSONL and CSV.

:func:`read_inputs` turns paths into :class:`ReportInput` items (one report each, with the
metadata its container holds) and :class:`Skipped` items (an input that is not a report, or
cannot be read, with the reason and the fix), so a corpus build can build every report it can
and name every one it could not.

* a ``.txt`` file is one report; a folder is every ``.txt``, ``.jsonl`` and ``.csv`` in it,
  sorted by name;
* a ``.jsonl`` file holds one report per line, a ``.csv`` file one per row: the text comes from
  the first of :data:`TEXT_FIELDS` present (or ``text_field=``), the other fields (``title``,
  ``year``, ``province``, ``publish_date`` …) are hints for the metadata;
* a record whose title marks a resolution on the report (…关于政府工作报告的决议) or that has
  no text is skipped with its reason; so is a CSV with no text column (a collector's manifest);
* a manifest (CSV with an ``input`` column and any of ``government``, ``year``, ``title``,
  ``kind``) gives per-input overrides: ``input`` is a path as given, or ``path#N`` for record N.

>>> import json, tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> rows = [{"title": "2025年国务院政府工作报告", "year": "2025", "content": "各位代表：" + "现在，我报告工作。" * 30},
...         {"title": "关于政府工作报告的决议", "year": None, "content": "会议批准……"}]
>>> _ = (folder / "r.jsonl").write_text("\\n".join(json.dumps(r, ensure_ascii=False) for r in rows), "utf-8")
>>> [(type(i).__name__, pathlib.Path(i.origin).name) for i in read_inputs([folder / "r.jsonl"])]
[('ReportInput', 'r.jsonl#1'), ('Skipped', 'r.jsonl#2')]
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import InputError, where
from kg.text.source import SourceText, read_source, read_text_file

__all__ = ["DATASET_SUFFIXES", "TEXT_FIELDS", "ReportInput", "Skipped", "read_inputs", "read_manifest"]

#: Field names that hold a report's text, in the order they are tried.
TEXT_FIELDS = ("content", "full_text", "text", "正文", "body")
#: Suffixes read as datasets of many reports; anything else is one report's text.
DATASET_SUFFIXES = (".jsonl", ".csv")
_RESOLUTION = re.compile(r"关于.{0,12}政府工作报告的决议|政府工作报告的决议$")
_MIN_REPORT_CHARS = 200  # shorter "reports" are page shells or failures of a scraper


@dataclass(frozen=True)
class ReportInput:
    """One report to build: its text, where it came from, and what its container says of it."""

    origin: str  # the path as given, or ``path#N`` for record N of a dataset
    source: SourceText
    fields: Mapping[str, str] = field(default_factory=dict)  # title, year, province, publish_date …
    government: str | None = None  # overrides, from the command line or a manifest
    year: int | None = None


@dataclass(frozen=True)
class Skipped:
    """An input that was not built: where, why, and how to fix it if it should be."""

    origin: str
    reason: str
    fix: str = ""

    def message(self) -> str:
        """One line for the build's summary."""
        head = self.reason if self.reason.startswith(self.origin) else f"{self.origin}: {self.reason}"
        return head + (f"; {self.fix}" if self.fix else "")


def _display(path: Path) -> str:
    return str(path)


def _expand(paths: Iterable[str | Path]) -> Iterator[Path | Skipped]:
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")
                           and p.suffix.lower() in (".txt", *DATASET_SUFFIXES))
            if not found:
                yield Skipped(str(path), "is a folder with no .txt, .jsonl or .csv reports in it",
                              "name report files, or a folder that holds them")
            yield from found
        else:
            yield path


def _record_source(path: Path, number: int, text: str) -> SourceText:
    """A dataset record as a source: the container's path, the text, a digest of the record."""
    digest = hashlib.sha256(f"{path.name}#{number}\n{text}".encode()).hexdigest()
    return SourceText(path=path.with_name(f"{path.name}#{number}"), text=text, sha256=digest)


def _records_jsonl(path: Path, text: str) -> Iterator[tuple[int, dict[str, object] | None, str]]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            yield number, None, f"line {number}, column {err.colno}: not JSON ({err.msg})"
            continue
        if not isinstance(record, dict):
            yield number, None, f"line {number}: a JSON {type(record).__name__}, not an object with fields"
            continue
        yield number, record, ""


def _records_csv(path: Path, text: str) -> Iterator[tuple[int, dict[str, object] | None, str]]:
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # a report is one very long field
    reader = csv.DictReader(io.StringIO(text, newline=""))
    for number, row in enumerate(reader, start=1):
        yield number, dict(row), ""


def _text_of(record: Mapping[str, object], text_field: str | None) -> tuple[str | None, str]:
    names = (text_field,) if text_field else TEXT_FIELDS
    for name in names:
        value = record.get(name)
        if isinstance(value, str):
            return name, value
    return None, ""


def _hints(record: Mapping[str, object], used: str | None) -> dict[str, str]:
    return {str(k).strip(): str(v).strip() for k, v in record.items()
            if k != used and v is not None and not isinstance(v, (dict, list)) and str(v).strip()}


def _dataset(path: Path, *, text_field: str | None, encoding: str | None) -> Iterator[ReportInput | Skipped]:
    source = read_source(path, encoding=encoding, max_bytes=0)
    reader = _records_jsonl if path.suffix.lower() == ".jsonl" else _records_csv
    shown = _display(path)
    if reader is _records_csv:
        header = next(csv.reader(io.StringIO(source.text, newline="")), [])
        names = [h.strip() for h in header]
        if not ({text_field} if text_field else set(TEXT_FIELDS)) & set(names):
            wanted = text_field or "/".join(TEXT_FIELDS)
            yield Skipped(shown, f"no report text column ({wanted}); its columns are {', '.join(names) or 'none'}"
                          " (a collector's manifest or log?)", "name the text column with --text-field if it has one")
            return
    any_record = False
    for number, record, problem in reader(path, source.text):
        any_record = True
        origin = f"{shown}#{number}"
        if record is None:
            yield Skipped(origin, problem, "fix the line or remove it")
            continue
        used, text = _text_of(record, text_field)
        if used is None:
            wanted = text_field or "/".join(TEXT_FIELDS)
            yield Skipped(origin, f"no report text: no {wanted} field (fields: {', '.join(map(str, record))})",
                          "name the text field with --text-field if this is a report")
            continue
        hints = _hints(record, used)
        title = hints.get("title", "")
        if _RESOLUTION.search(title):
            yield Skipped(origin, f"a resolution on the report ({title}), not a report")
            continue
        if len(text.strip()) < _MIN_REPORT_CHARS:
            yield Skipped(origin, f"no report text ({len(text.strip())} characters in {used})",
                          "check the record's source page")
            continue
        yield ReportInput(origin, _record_source(path, number, text), hints)
    if not any_record:
        yield Skipped(shown, "no records", "give a JSONL file with one object per line or a CSV with a header row")


def read_manifest(path: str | Path) -> dict[str, dict[str, str]]:
    """Per-input overrides from a CSV manifest (``input,government,year,…``), keyed by input.

    Raises :class:`~kg.errors.InputError` naming the file and row when a row has no input or a
    year that is not a number.
    """
    path = Path(path)
    reader = csv.DictReader(io.StringIO(read_text_file(path, what="a manifest CSV file (.csv)"), newline=""))
    if not reader.fieldnames or "input" not in reader.fieldnames:
        raise InputError(f"{path}:1: a manifest needs a header row with an 'input' column "
                         "(and any of government, year, title, kind)")
    overrides: dict[str, dict[str, str]] = {}
    for row in reader:
        key = (row.get("input") or "").strip()
        if not key:
            raise InputError(f"{where(path, line=reader.line_num)}: the input column is empty; "
                             "name a file or file#record")
        year = (row.get("year") or "").strip()
        if year and not year.isdigit():
            raise InputError(f"{where(path, line=reader.line_num)}: year {year!r} is not a number such as 2021")
        overrides[key] = {k: v.strip() for k, v in row.items() if k != "input" and v and v.strip()}
    return overrides


def _override(item: ReportInput, manifest: Mapping[str, Mapping[str, str]],
              government: str | None, year: int | None) -> ReportInput:
    found = next(
        (manifest[k] for k in (item.origin, str(item.source.path), item.source.path.name) if k in manifest), {})
    fields = {**item.fields, **{k: v for k, v in found.items() if k not in ("government", "year")}}
    gov = found.get("government") or government
    yr = int(found["year"]) if found.get("year") else year
    return ReportInput(item.origin, item.source, fields, gov, yr)


def read_inputs(
    paths: Iterable[str | Path],
    *,
    text_field: str | None = None,
    manifest: Mapping[str, Mapping[str, str]] | None = None,
    government: str | None = None,
    year: int | None = None,
    encoding: str | None = None,
) -> Iterator[ReportInput | Skipped]:
    """Every report in ``paths`` (files, folders, datasets), or why an input was skipped.

    ``government``/``year`` override what every report says; ``manifest`` overrides per input.
    A file that cannot be read is yielded as :class:`Skipped` (with the reader's message), so
    one bad input never stops the others; the caller decides whether that is fatal.
    """
    manifest = manifest or {}
    for path in _expand(paths):
        if isinstance(path, Skipped):
            yield path
            continue
        try:
            if path.suffix.lower() in DATASET_SUFFIXES:
                items: Iterable[ReportInput | Skipped] = list(_dataset(path, text_field=text_field, encoding=encoding))
            else:
                items = [ReportInput(str(path), read_source(path, encoding=encoding))]
        except InputError as err:  # the reader's message names the file (and line:column)
            yield Skipped(str(path), str(err).removeprefix(f"{path}: "))
            continue
        for item in items:
            yield _override(item, manifest, government, year) if isinstance(item, ReportInput) else item
