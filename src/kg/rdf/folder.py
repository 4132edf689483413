"""An output folder: one N-Quads file per named graph, and a manifest that lists them.

``kg build REPORTS -o DIR/`` writes each report's named graph, and the cross-report links graph,
to a file of its own in ``DIR``, plus :data:`MANIFEST`: the files in graph-name order, each with
its graph IRI, size and SHA-256. The files joined in the manifest's order are, byte for byte, the
single N-Quads file the same build writes with ``-o FILE.nq``. A rebuild writes only the files
whose content changed and removes the files the previous manifest listed that this one does not
(a report dropped from the input); every file goes through a temporary file and a rename, and
the manifest last, so a manifest never lists a half-written file.

Readers (:func:`kg.store.graph_files`) expand a folder into its manifest's files and check each
against its size and hash.

>>> graph_file_name("https://w3id.org/policykg/id/report/河北省/2021")
'report%2F河北省%2F2021.nq'
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from kg.errors import InputError
from kg.rdf.serialize import remove_stale_temps, temp_path, write_atomic
from kg.vocab.iri import PREFIXES

#: The manifest's name inside an output folder.
MANIFEST = "manifest.json"
#: What the manifest's ``format`` field says; a reader refuses any other.
FOLDER_FORMAT = "kg-nquads-folder 1"
_BASE = PREFIXES["kgr"]
_UNSAFE = set('%/\\:*?"<>|')


@dataclass(frozen=True)
class FolderFile:
    """One file of an output folder, as its manifest lists it."""

    file: str  #: its name inside the folder
    graph: str  #: the named graph it holds
    sha256: str
    size: int


def graph_file_name(iri: str) -> str:
    """The file name for named graph ``iri``: its name under ``kgr:``, with ``/``, ``%`` and the
    characters file systems refuse percent-escaped, so two IRIs never share a file; a hash when
    that is too long for a file name or the IRI is not kg's."""
    if iri.startswith(_BASE):
        local = iri[len(_BASE):]
        name = "".join(f"%{ord(c):02X}" if c in _UNSAFE or ord(c) < 32 else c for c in local) + ".nq"
        if local and not local.startswith(".") and len(name.encode("utf-8")) <= 200:
            return name
    return f"graph-{hashlib.sha256(iri.encode('utf-8')).hexdigest()[:32]}.nq"


def read_folder(folder: str | Path) -> list[FolderFile]:
    """The files ``folder``'s manifest lists, in order; :class:`~kg.errors.InputError` naming the
    folder when there is no manifest or it cannot be read."""
    folder = Path(folder)
    path = folder / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        if manifest.get("format") != FOLDER_FORMAT:
            raise ValueError(f"format {manifest.get('format')!r}, not {FOLDER_FORMAT!r}")
        files = [FolderFile(row["file"], row["graph"], row["sha256"], int(row["bytes"])) for row in manifest["files"]]
    except FileNotFoundError as err:
        raise InputError(f"{folder}: a folder without {MANIFEST}, so not an output folder of kg build; "
                         f"build it with: kg build REPORTS -o {folder}/") from err
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise InputError(f"{path}: not a readable output-folder manifest ({err}); rebuild the folder with: "
                         f"kg build REPORTS -o {folder}/") from err
    for row in files:
        if Path(row.file).name != row.file or row.file.startswith("."):
            raise InputError(f"{path}: lists {row.file!r}, not a file name in the folder; rebuild the folder")
    return files


def check_file(folder: Path, row: FolderFile) -> Path:
    """``row``'s file in ``folder`` if it is there with the size and SHA-256 the manifest gives, else
    :class:`~kg.errors.InputError` naming the folder and the file."""
    path = folder / row.file
    fix = f"rebuild the folder with: kg build REPORTS -o {folder}/"
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
            size = handle.tell()
    except FileNotFoundError as err:
        raise InputError(f"{folder}: {MANIFEST} lists {row.file}, which is missing; {fix}") from err
    except OSError as err:
        raise InputError(f"{path}: cannot read ({err.strerror or err}); {fix}") from err
    if size != row.size or digest.hexdigest() != row.sha256:
        raise InputError(f"{path}: does not match {folder / MANIFEST} ({size} bytes, the manifest says "
                         f"{row.size}; SHA-256 differs): changed or corrupt since it was built; {fix}")
    return path


def _previous(folder: Path) -> tuple[dict[str, FolderFile], int]:
    """The previous manifest's files by name, and its change time (0 and nothing without one)."""
    try:
        files = read_folder(folder)
        return {row.file: row for row in files}, (folder / MANIFEST).stat().st_ctime_ns
    except (InputError, OSError):
        return {}, 0


class FolderWriter:
    """Writes an output folder graph by graph, in graph-name order, then its manifest.

    :meth:`unchanged` says whether a graph's file already holds the bytes of a given hash (it is
    listed so by the previous manifest, has that size, and was not changed since that manifest
    was written: its change time is not after the manifest's, the ``stat`` evidence
    :mod:`kg.build.cache` uses, so no file is read to know it); :meth:`keep` lists it as it is,
    :meth:`write` writes it (temporary file, then rename). :meth:`finish` writes the manifest and
    then removes the files the previous manifest listed that this one does not.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        remove_stale_temps(folder)
        self.old, self.old_time = _previous(folder)
        self.rows: list[FolderFile] = []
        self.written = 0

    def unchanged(self, iri: str, digest: str, size: int) -> bool:
        name = graph_file_name(iri)
        row = self.old.get(name)
        if row is None or row.sha256 != digest or row.size != size or row.graph != iri:
            return False
        try:
            found = (self.folder / name).stat()
        except OSError:
            return False
        return found.st_size == size and found.st_ctime_ns <= self.old_time

    def keep(self, iri: str, digest: str, size: int) -> None:
        self.rows.append(FolderFile(graph_file_name(iri), iri, digest, size))

    def write(self, iri: str, body: bytes) -> None:
        name = graph_file_name(iri)
        path = self.folder / name
        tmp = temp_path(path)
        try:
            with tmp.open("xb") as handle:
                handle.write(body)
            os.replace(tmp, path)
        except OSError as err:
            raise InputError(f"{path}: cannot write: {err.strerror or err}") from err
        finally:
            tmp.unlink(missing_ok=True)
        self.rows.append(FolderFile(name, iri, hashlib.sha256(body).hexdigest(), len(body)))
        self.written += 1

    def finish(self) -> None:
        names = [row.file for row in self.rows]
        if len(set(names)) != len(names):
            raise InputError(f"{self.folder}: two graphs would share a file name; build to a single .nq file")
        manifest = {"format": FOLDER_FORMAT,
                    "files": [{"file": r.file, "graph": r.graph, "sha256": r.sha256, "bytes": r.size}
                              for r in self.rows]}
        write_atomic(self.folder / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1) + "\n")
        kept = set(names)
        for name in self.old:
            if name not in kept:
                (self.folder / name).unlink(missing_ok=True)
