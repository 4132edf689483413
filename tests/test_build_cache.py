"""Incremental builds: the cache rebuilds exactly what changed, and never gives a wrong graph.

Real reports (data/source and a Gaoyang county report from data/corpora). Changing a lexicon row
or a source file is done on a copy of the package (src/, data/lexicon, ontology) run in its own
process, so the checkout is never touched: the copy's fingerprint equals the checkout's until
one of its files changes, which is what lets the copy share the cache.
"""

from __future__ import annotations

import gzip
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kg.build import build
from kg.build.cache import BuildCache, entry_key, fingerprint, shaping_files
from kg.text.datasets import read_inputs

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted((ROOT / "data" / "source").glob("*.txt"))
GAOYANG = ROOT / "data" / "corpora" / "hebei-and-gaoyang" / "高阳县_2015_report.txt"


@pytest.fixture(scope="module")
def uncached(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The reference outputs, built without a cache: the three reports, and with Gaoyang added."""
    folder = tmp_path_factory.mktemp("uncached")
    three = build(SOURCES, folder / "three.ttl")
    four = build([*SOURCES, GAOYANG], folder / "four.trig")
    assert not three.cached and three.reports == 3 and four.reports == 4
    return {"three": three.output.read_bytes(), "four": four.output.read_bytes()}


def test_adding_one_report_builds_that_one_alone(tmp_path: Path, uncached: dict[str, bytes]):
    cache = tmp_path / "cache"
    first = build(SOURCES, tmp_path / "three.ttl", cache=cache)
    assert (first.stats.built, first.stats.reused) == (3, 0)
    assert first.output.read_bytes() == uncached["three"]
    again = build(SOURCES, tmp_path / "three-again.ttl", cache=cache)
    assert (again.stats.built, again.stats.reused) == (0, 3)
    assert again.output.read_bytes() == uncached["three"]
    added = build([*SOURCES, GAOYANG], tmp_path / "four.trig", cache=cache, jobs=2)
    assert (added.stats.built, added.stats.reused) == (1, 3)
    assert added.output.read_bytes() == uncached["four"]


def test_the_cli_prints_what_it_reused(tmp_path: Path, uncached: dict[str, bytes]):
    cmd = [str(Path(sys.executable).with_name("kg")), "build", *map(str, SOURCES), "-o", str(tmp_path / "out.ttl"),
           "--cache", str(tmp_path / "cache")]
    first = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    second = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    assert "kg: cache: 0 reused, 3 built" in first.stderr
    assert "kg: cache: 3 reused, 0 built" in second.stderr
    assert "wrote " in first.stderr and "out.ttl is up to date (nothing written)" in second.stderr
    assert (tmp_path / "out.ttl").read_bytes() == uncached["three"]
    off = subprocess.run([*cmd[:-2], "--no-cache"], capture_output=True, text=True, timeout=300)
    assert off.returncode == 0 and "cache:" not in off.stderr


def _entries(cache: Path) -> list[Path]:
    return sorted(cache.rglob("*.nt.gz"))


@pytest.mark.parametrize("damage", ["truncated", "garbage", "edited line", "another key", "empty"])
def test_an_unreadable_entry_is_rebuilt_never_read(tmp_path: Path, uncached: dict[str, bytes], damage: str):
    cache = tmp_path / "cache"
    build(SOURCES, tmp_path / "first.ttl", cache=cache)
    entries = _entries(cache)
    assert len(entries) == 3
    victim = entries[0]
    data = victim.read_bytes()
    if damage == "truncated":
        victim.write_bytes(data[: len(data) // 2])
    elif damage == "garbage":
        victim.write_bytes(os.urandom(len(data)))
    elif damage == "edited line":  # valid gzip, but one triple changed: the lines no longer match their hash
        header, _, body = gzip.decompress(data).decode("utf-8").partition("\n")  # edit a triple, not the header
        edited = re.sub(r'"(\d)', r'"9\1', body, count=1)
        assert edited != body
        victim.write_bytes(gzip.compress(f"{header}\n{edited}".encode()))
    elif damage == "another key":  # a whole, valid entry, but for another report
        victim.write_bytes(entries[1].read_bytes())
    else:
        victim.write_bytes(b"")
    result = build(SOURCES, tmp_path / "second.ttl", cache=cache)
    assert (result.stats.built, result.stats.reused, result.stats.corrupt) == (1, 2, 1)
    assert result.output.read_bytes() == uncached["three"]
    assert BuildCache(cache).get(victim.name.removesuffix(".nt.gz")) is not None, "the rebuilt entry was not stored"


def test_the_key_follows_how_the_report_was_read(tmp_path: Path):
    """Same bytes, but another override or another container field: another key."""
    (plain,) = read_inputs([SOURCES[0]])
    (overridden,) = read_inputs([SOURCES[0]], government="河北省人民政府", year=2021)
    copy = tmp_path / SOURCES[0].name
    shutil.copy(SOURCES[0], copy)
    (moved,) = read_inputs([copy])
    keys = {entry_key(plain), entry_key(overridden), entry_key(moved), entry_key(plain, {"option": 1})}
    assert len(keys) == 4
    assert entry_key(plain) == entry_key(next(iter(read_inputs([SOURCES[0]]))))


def _copy_package(target: Path) -> Path:
    """src/, data/lexicon and ontology/ copied: a checkout kg finds its data in (resources._CHECKOUT)."""
    shutil.copytree(ROOT / "src", target / "src", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "data" / "lexicon", target / "data" / "lexicon")
    shutil.copytree(ROOT / "ontology", target / "ontology")
    return target


def _build_with(copy: Path, output: Path, cache: Path) -> tuple[int, int]:
    """Build the three reports with the copy's code and data, in a fresh process: (reused, built)."""
    code = ("import sys; from kg.build import build; "
            f"r = build({[str(p) for p in SOURCES]!r}, {str(output)!r}, cache={str(cache)!r}); "
            "print(r.stats.reused, r.stats.built)")
    env = {**os.environ, "PYTHONPATH": str(copy / "src")}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=600,
                          cwd=copy)
    assert done.returncode == 0, done.stderr[-3000:]
    reused, built = map(int, done.stdout.split())
    return reused, built


def test_a_lexicon_row_or_a_source_file_changed_rebuilds_every_report(tmp_path: Path,
                                                                      uncached: dict[str, bytes]):
    cache, blocks = tmp_path / "cache", tmp_path / "blocks"
    build(SOURCES, tmp_path / "checkout.ttl", cache=cache)
    build(SOURCES, tmp_path / "checkout.nq", cache=blocks)
    copy = _copy_package(tmp_path / "copy")
    # The same code and data elsewhere: the same fingerprint, so everything is reused.
    assert _build_with(copy, tmp_path / "same.ttl", cache) == (3, 0)
    assert (tmp_path / "same.ttl").read_bytes() == uncached["three"]
    # One lexicon row more: every report is rebuilt, and the result is what a build without a cache gives.
    with (copy / "data" / "lexicon" / "generic-names.csv").open("a", encoding="utf-8") as table:
        table.write("综合服务站,yes\n")
    assert _build_with(copy, tmp_path / "lexicon.ttl", cache) == (0, 3)
    assert _build_with(copy, tmp_path / "lexicon-again.ttl", cache) == (3, 0)
    fresh = tmp_path / "fresh-cache"
    assert _build_with(copy, tmp_path / "lexicon-fresh.ttl", fresh) == (0, 3)
    assert (tmp_path / "lexicon.ttl").read_bytes() == (tmp_path / "lexicon-fresh.ttl").read_bytes()
    # The blocks of named-graph output share their part's key: the same row makes them stale too.
    assert _build_with(copy, tmp_path / "lexicon.nq", blocks) == (0, 3)
    assert _build_with(copy, tmp_path / "lexicon-fresh.nq", fresh) == (3, 0)
    assert (tmp_path / "lexicon.nq").read_bytes() == (tmp_path / "lexicon-fresh.nq").read_bytes()
    # One source file changed (a comment is enough: the fingerprint hashes files, not a version).
    with (copy / "src" / "kg" / "extract" / "entities.py").open("a", encoding="utf-8") as source:
        source.write("# changed\n")
    assert _build_with(copy, tmp_path / "code.ttl", cache) == (0, 3)


def test_every_module_a_worker_imports_is_in_the_fingerprint():
    """A report's graph may only depend on files the fingerprint hashes: import a worker in a fresh
    process, build a report, and every kg module it loaded must be one of the shaping files."""
    code = ("import sys, kg.build.part as p; p.part_worker(__import__('kg.text.datasets', fromlist=['x'])"
            f".read_inputs([{str(SOURCES[0])!r}]).__next__()); "
            "print('\\n'.join(m.__file__ for n, m in sorted(sys.modules.items()) "
            "if n.split('.')[0] == 'kg' and getattr(m, '__file__', None)))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    loaded = {Path(line).resolve() for line in done.stdout.split()}
    hashed = {path.resolve() for _, path in shaping_files()}
    assert len(loaded) > 20
    assert loaded <= hashed, f"modules that shape a graph but are not hashed: {sorted(map(str, loaded - hashed))}"
    assert len(fingerprint()) == 64


def test_the_default_cache_is_git_ignored_and_the_build_package_is_not():
    ignored = subprocess.run(["git", "check-ignore", "-q", "build/cache/ab/" + "ab" * 32 + ".nt.gz"], cwd=ROOT)
    tracked = subprocess.run(["git", "check-ignore", "-q", "src/kg/build/cache.py"], cwd=ROOT)
    assert (ignored.returncode, tracked.returncode) == (0, 1)


# --- named-graph output joined from cached blocks, and output records --------------------------------


@pytest.mark.parametrize("suffix", [".nq", ".trig"])
def test_named_graph_output_is_joined_from_blocks_byte_identical(tmp_path: Path, suffix: str):
    """TriG and N-Quads rebuilds join each report's cached block: the same bytes as without a cache."""
    three = build(SOURCES, tmp_path / f"three-uncached{suffix}").output.read_bytes()
    uncached_four = build([*SOURCES, GAOYANG], tmp_path / f"four-uncached{suffix}")
    four = uncached_four.output.read_bytes()
    cache = tmp_path / "cache"
    first = build(SOURCES, tmp_path / f"out{suffix}", cache=cache)
    assert first.output.read_bytes() == three and (first.stats.built, first.stats.reused) == (3, 0)
    assert len(list(cache.rglob(f"*{suffix}"))) == 3, "a block per report, next to its part"
    added = build([*SOURCES, GAOYANG], tmp_path / f"out{suffix}", cache=cache)
    assert (added.stats.built, added.stats.reused) == (1, 3)
    assert added.output.read_bytes() == four and added.triples == uncached_four.triples
    removed = build(SOURCES, tmp_path / f"out{suffix}", cache=cache)  # a report dropped: its graph and links go
    assert removed.output.read_bytes() == three and not removed.unchanged


def test_a_damaged_block_is_written_again_from_the_part_never_copied(tmp_path: Path):
    reference = build(SOURCES, tmp_path / "uncached.nq").output.read_bytes()
    cache = tmp_path / "cache"
    build(SOURCES, tmp_path / "first.nq", cache=cache)
    victim = sorted(cache.rglob("*.nq"))[0]
    header, _, body = victim.read_bytes().partition(b"\n")
    victim.write_bytes(header + b"\n" + re.sub(rb'"(\d)', rb'"9\1', body, count=1))
    result = build(SOURCES, tmp_path / "second.nq", cache=cache)
    assert result.output.read_bytes() == reference
    assert result.stats.corrupt == 1
    assert victim.read_bytes().partition(b"\n")[2] == body, "the block was not stored again"


def test_a_rebuild_with_nothing_changed_leaves_the_output_untouched(tmp_path: Path, uncached: dict[str, bytes]):
    cache, output = tmp_path / "cache", tmp_path / "out.ttl"
    first = build(SOURCES, output, cache=cache)
    before = output.stat()
    again = build(SOURCES, output, cache=cache)
    assert again.unchanged and (again.reports, again.triples) == (first.reports, first.triples)
    assert (again.stats.built, again.stats.reused) == (0, 3)
    assert output.stat().st_ino == before.st_ino and output.stat().st_mtime_ns == before.st_mtime_ns


@pytest.mark.parametrize("damage", ["edited", "touched", "removed", "replaced"])
def test_an_output_changed_since_its_build_is_written_again(tmp_path: Path, uncached: dict[str, bytes],
                                                            damage: str):
    """The record of a build vouches only for the very file it wrote: any change means a rewrite."""
    cache, output = tmp_path / "cache", tmp_path / "out.ttl"
    build(SOURCES, output, cache=cache)
    if damage == "edited":  # same size, same modification time: the change time still moves
        stat = output.stat()
        with output.open("r+b") as handle:
            handle.seek(stat.st_size // 2)
            handle.write(b"#")
        os.utime(output, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    elif damage == "touched":
        os.utime(output)
    elif damage == "removed":
        output.unlink()
    else:
        output.write_bytes(b"")
    again = build(SOURCES, output, cache=cache)
    assert not again.unchanged
    assert output.read_bytes() == uncached["three"]


def test_an_override_is_another_build_not_the_cached_one(tmp_path: Path):
    """Overrides (--government/--year) shape the graph: another key, so the report is built again."""
    cache = tmp_path / "cache"
    build(SOURCES[:1], tmp_path / "plain.nq", cache=cache)
    overridden = build(SOURCES[:1], tmp_path / "overridden.nq", cache=cache, year=2001)
    assert (overridden.stats.built, overridden.stats.reused) == (1, 0)
    assert overridden.output.read_bytes() == build(SOURCES[:1], tmp_path / "uncached.nq", year=2001).output.read_bytes()
    assert overridden.output.read_bytes() != (tmp_path / "plain.nq").read_bytes()


@pytest.mark.parametrize("edited", [False, True])
def test_a_rebuild_copies_unchanged_graphs_from_the_previous_output_only_if_untouched(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edited: bool):
    """Graphs the previous N-Quads file holds unchanged are copied from it; an edited file is not trusted."""
    import kg.build.named as named

    four = build([*SOURCES, GAOYANG], tmp_path / "uncached.nq").output.read_bytes()
    cache, output = tmp_path / "cache", tmp_path / "out.nq"
    build(SOURCES, output, cache=cache)
    if edited:  # the same size, the modification time put back: only the change time tells
        stat = output.stat()
        data = output.read_bytes()
        output.write_bytes(re.sub(rb'"(\d)', rb'"9\1', data, count=1)[: len(data)])
        os.utime(output, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    copied: list[int] = []
    copy_span = named._copy_span
    monkeypatch.setattr(named, "_copy_span", lambda *args: copied.append(args[3]) or copy_span(*args))
    added = build([*SOURCES, GAOYANG], output, cache=cache)
    assert added.output.read_bytes() == four
    assert len(copied) == (0 if edited else 3)
