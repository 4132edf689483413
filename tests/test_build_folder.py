"""Output folders (``kg build … -o DIR/``): one N-Quads file per named graph and a manifest.

Joined in manifest order the files are the single ``.nq`` output byte for byte; a rebuild writes
only what changed; readers expand a folder and refuse a missing or corrupt file.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from kg.build import build
from kg.errors import InputError
from kg.rdf.folder import MANIFEST, read_folder
from kg.store import graph_files, load_graph, load_store, open_graph, triple_count

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted((ROOT / "data" / "source").glob("*.txt"))
GAOYANG = ROOT / "data" / "corpora" / "hebei-and-gaoyang" / "高阳县_2015_report.txt"
KG = str(Path(sys.executable).with_name("kg"))


def joined(folder: Path) -> bytes:
    return b"".join((folder / row.file).read_bytes() for row in read_folder(folder))


def hashes(folder: Path) -> dict[str, tuple[str, int]]:
    """Every file in ``folder``: its content hash and its inode (a rewrite renames a new file in)."""
    return {p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_ino) for p in folder.iterdir()}


@pytest.fixture(scope="module")
def single(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The single-file N-Quads outputs: the three reports, and with Gaoyang added."""
    folder = tmp_path_factory.mktemp("single")
    return {"three": build(SOURCES, folder / "three.nq", cache=folder / "cache").output.read_bytes(),
            "four": build([*SOURCES, GAOYANG], folder / "four.nq", cache=folder / "cache").output.read_bytes()}


@pytest.mark.parametrize("cached", [True, False])
def test_the_folder_joined_in_manifest_order_is_the_nquads_file(tmp_path: Path, single: dict[str, bytes],
                                                                  cached: bool):
    result = build(SOURCES, f"{tmp_path}/out/", cache=tmp_path / "cache" if cached else None)
    folder = tmp_path / "out"
    assert result.reports == 3 and result.output == folder
    assert joined(folder) == single["three"]
    rows = read_folder(folder)
    assert [row.graph for row in rows] == sorted(row.graph for row in rows)
    assert sorted(p.name for p in folder.iterdir()) == sorted([MANIFEST, *(row.file for row in rows)])
    assert any(row.graph.endswith("/graph/links") for row in rows) and len(rows) == 4


def test_adding_a_report_writes_its_file_the_links_and_the_manifest_only(tmp_path: Path, single: dict[str, bytes]):
    cache, folder = tmp_path / "cache", tmp_path / "out"
    folder.mkdir()  # an existing directory is a folder output too
    build(SOURCES, folder, cache=cache)
    before = hashes(folder)
    added = build([*SOURCES, GAOYANG], folder, cache=cache)
    assert (added.stats.built, added.stats.reused) == (1, 3)
    after = hashes(folder)
    changed = {name for name in after if before.get(name) != after[name]}
    links = next(row.file for row in read_folder(folder) if row.graph.endswith("/graph/links"))
    new = set(after) - set(before)
    assert len(new) == 1 and "高阳县" in next(iter(new))
    assert changed == {MANIFEST, links, *new}
    assert joined(folder) == single["four"]
    fresh = build([*SOURCES, GAOYANG], f"{tmp_path}/fresh/", cache=None)
    assert hashes(fresh.output).keys() == after.keys()
    assert all(hashes(fresh.output)[name][0] == after[name][0] for name in after)
    # Nothing changed: nothing but the manifest is written again.
    build([*SOURCES, GAOYANG], folder, cache=cache)
    assert {name for name, value in hashes(folder).items() if value != after[name]} <= {MANIFEST}


def test_dropping_a_report_removes_its_file(tmp_path: Path, single: dict[str, bytes]):
    cache, folder = tmp_path / "cache", tmp_path / "out"
    build([*SOURCES, GAOYANG], f"{folder}/", cache=cache)
    gaoyang = next(p for p in folder.iterdir() if "高阳县" in p.name)
    (folder / "notes.txt").write_text("not kg's", encoding="utf-8")
    build(SOURCES, f"{folder}/", cache=cache)
    assert not gaoyang.exists()
    assert (folder / "notes.txt").exists()  # a file the manifest never listed is left alone
    assert joined(folder) == single["three"]


def test_a_file_changed_since_the_build_is_written_again(tmp_path: Path, single: dict[str, bytes]):
    cache, folder = tmp_path / "cache", tmp_path / "out"
    build(SOURCES, f"{folder}/", cache=cache)
    victim = folder / read_folder(folder)[0].file
    data = victim.read_bytes()
    victim.write_bytes(data[:100] + (b"X" if data[100:101] != b"X" else b"Y") + data[101:])  # same size
    build(SOURCES, f"{folder}/", cache=cache)
    assert joined(folder) == single["three"]


def test_readers_take_a_folder(tmp_path: Path, single: dict[str, bytes]):
    build(SOURCES, f"{tmp_path}/out/", cache=tmp_path / "cache")
    (tmp_path / "three.nq").write_bytes(single["three"])
    expected = len(load_graph(tmp_path / "three.nq"))
    assert len(load_graph(tmp_path / "out")) == expected
    assert triple_count(open_graph(tmp_path / "out")) == triple_count(open_graph(tmp_path / "three.nq"))
    assert load_store(tmp_path / "store", tmp_path / "out").triples == load_store(
        tmp_path / "store2", tmp_path / "three.nq").triples
    for command in (["stats"], ["validate"], ["query", "--format", "csv",
                                              "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"]):
        out = subprocess.run([KG, *command, "--graph", str(tmp_path / "out")], capture_output=True, text=True,
                             timeout=300)
        assert out.returncode == 0, out.stderr
    loaded = subprocess.run([KG, "load", "--store", str(tmp_path / "store3"), "--graph", str(tmp_path / "out")],
                            capture_output=True, text=True, timeout=300)
    assert loaded.returncode == 0, loaded.stderr


@pytest.mark.parametrize("damage", ["corrupt", "missing", "manifest"])
def test_a_corrupt_or_missing_file_is_an_error_naming_the_folder(tmp_path: Path, damage: str):
    folder = build(SOURCES, f"{tmp_path}/out/", cache=tmp_path / "cache").output
    victim = folder / read_folder(folder)[1].file
    if damage == "corrupt":
        victim.write_bytes(victim.read_bytes()[:-10])
        match = "does not match"
    elif damage == "missing":
        victim.unlink()
        match = "which is missing"
    else:
        (folder / MANIFEST).unlink()
        match = "a folder without manifest.json"
    with pytest.raises(InputError, match=match):
        graph_files(folder)
    out = subprocess.run([KG, "stats", "--graph", str(folder)], capture_output=True, text=True, timeout=300)
    assert out.returncode == 2 and str(folder) in out.stderr and "Traceback" not in out.stderr
    assert match in out.stderr


def test_the_manifest_lists_hashes_and_graphs(tmp_path: Path):
    folder = build(SOURCES, f"{tmp_path}/out/", cache=tmp_path / "cache").output
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    for row in manifest["files"]:
        data = (folder / row["file"]).read_bytes()
        assert row["sha256"] == hashlib.sha256(data).hexdigest() and row["bytes"] == len(data)
        assert row["graph"].startswith("https://")


def test_build_help_documents_the_folder_rule():
    out = subprocess.run([KG, "build", "--help"], capture_output=True, text=True, timeout=60)
    assert "ending in /" in out.stdout and "existing directory" in out.stdout and "manifest.json" in out.stdout
