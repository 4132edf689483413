"""TriG and N-Quads output joined from cached per-report blocks.

In named-graph output each report is its own graph, written from its own lines alone
(:func:`kg.rdf.serialize.trig_graph`, :func:`~kg.rdf.serialize.nquads_graph`), so a report's
graph, once written, is kept in the cache next to its part (:meth:`BuildCache.put_block`, under
the same key). A rebuild then reads each block's small header (its IRI, notes, indicator labels,
line count), builds what has no block, recomputes the cross-report links from the labels alone,
and writes the output by joining the blocks' bytes in graph-name order: no merge, no parsing and
no serialising of the reports that did not change. Each body is checked against its hash as it
is copied; one that no longer matches is written again from the report's part.

Where the previous output is still the file the last such build wrote (the same ``stat``
evidence as the output records of :mod:`kg.build.cache`), the graphs it already holds are copied
from it with ``os.copy_file_range``, in the kernel, at the offsets that build recorded (its
*layout*), instead of being read from the cache and hashed.

The bytes are those :func:`kg.rdf.serialize.write_trig` and
:func:`~kg.rdf.serialize.write_nquads` give for the same graphs (``tests/test_build_cache.py``).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.build.cache import Block, BuildCache, entry_key
from kg.build.part import ReportPart, part_worker
from kg.errors import InputError
from kg.rdf.folder import FolderWriter
from kg.rdf.serialize import atomic_writer, nquads_graph, prefix_lines, trig_graph
from kg.text.datasets import ReportInput, Skipped
from kg.vocab.iri import PREFIXES


@dataclass(frozen=True)
class Written:
    """What :func:`write_named` wrote."""

    reports: int
    quads: int
    skipped: tuple[Skipped, ...]


def graph_text(fmt: str, name: str, lines: list[str]) -> str:
    """One named graph in ``fmt`` (``trig`` or ``nquads``), as the output holds it."""
    return trig_graph(name, lines, PREFIXES) if fmt == "trig" else nquads_graph(name, lines)


def make_block(key: str, fmt: str, part: ReportPart, labels: Callable[[list[str]], list[str]]) -> tuple[Block, bytes]:
    """``part``'s graph written in ``fmt``, with the header a rebuild reads instead of the lines."""
    body = graph_text(fmt, part.iri, part.lines).encode("utf-8")
    block = Block(key, fmt, part.origin, part.key, part.iri, part.notes, tuple(labels(part.lines)),
                  len(part.lines), len(body), hashlib.sha256(body).hexdigest())
    return block, body


def write_named(
    output: Path,
    fmt: str,
    inputs: list[ReportInput | Skipped],
    store: BuildCache,
    *,
    parts: Callable[[list[ReportInput]], Iterator[ReportPart | Skipped]],
    labels: Callable[[list[str]], list[str]],
    link_lines: Callable[[list[str]], list[str]],
    links_graph: str,
    repeated: Callable[[dict[str, str], str, str], str],
    reused: Callable[[], None],
    strict: bool = False,
    folder: bool = False,
    on_note: Callable[[str], None] | None = None,
    progress: Callable[[Iterable[Any]], Iterable[Any]] | None = None,
) -> Written:
    """Write ``output`` (TriG or N-Quads) from ``store``'s blocks, building the reports that have none.

    ``parts`` builds (or reads back from the cache) the inputs given, in order; ``labels`` picks a
    report's indicator label lines, ``link_lines`` turns all of them into the links graph's lines,
    ``repeated`` is the build's same-report check, ``reused`` counts a report taken from a block.
    With ``folder`` (N-Quads only), ``output`` is an output folder (:mod:`kg.rdf.folder`): one file
    per graph, only those whose bytes changed written again.
    """
    keys = {i: entry_key(item) for i, item in enumerate(inputs) if isinstance(item, ReportInput)}
    blocks: dict[int, Block | None] = {i: store.block(key, fmt) for i, key in keys.items()}
    missing = [i for i, block in blocks.items() if block is None]
    built = parts([item for i in missing if isinstance(item := inputs[i], ReportInput)])
    skipped: list[Skipped] = []
    seen: dict[str, str] = {}
    graphs: list[tuple[str, int, Block]] = []
    for i in progress(range(len(inputs))) if progress else range(len(inputs)):
        item = inputs[i]
        if isinstance(item, Skipped):
            found: ReportPart | Skipped | Block = item
        elif (block := blocks[i]) is not None:
            found = block
            reused()
        else:
            found = next(built)
            if isinstance(found, ReportPart):
                found, body = make_block(keys[i], fmt, found, labels)
                store.put_block(found, body)
        if isinstance(found, Block) and (why := repeated(seen, found.report, found.origin)):
            found = Skipped(found.origin, why, "build one of them, or give its government and year in a manifest")
        if isinstance(found, Skipped):
            if strict:
                raise InputError(f"{found.message()} (--strict: nothing was written)")
            skipped.append(found)
            continue
        assert isinstance(found, Block)
        for note in found.notes:
            if on_note:
                on_note(f"{found.origin}: {note}")
        graphs.append((found.iri, i, found))
    if not graphs:
        reasons = "; ".join(s.message() for s in skipped[:5])
        raise InputError(f"no report could be built from {len(inputs)} input(s): {reasons}")
    links = link_lines(sorted({label for _, _, block in graphs for label in block.labels}))
    quads = len(links) + sum(block.count for _, _, block in graphs)
    ordered: list[tuple[str, int, Block | None]] = sorted([*graphs, (links_graph, -1, None)], key=lambda g: g[0])
    if folder:
        _write_folder(output, ordered, links, store, inputs, labels)
        return Written(len(graphs), quads, tuple(skipped))
    with ExitStack() as stack:
        try:  # the previous output: graphs it holds unchanged are copied from it, in the kernel
            previous = stack.enter_context(output.open("rb")).fileno()
            kept_spans = store.layout(output, fmt, previous)
        except OSError:
            kept_spans = {}
        placed: list[tuple[str, str, int, int]] = []
        with atomic_writer(output) as handle:
            head = prefix_lines(PREFIXES).encode("utf-8") if fmt == "trig" else b""
            handle.flush()
            raw = handle.buffer
            raw.write(head)
            at = len(head)
            for name, i, maybe in ordered:
                if maybe is None:
                    body = graph_text(fmt, name, links).encode("utf-8")
                    digest = hashlib.sha256(body).hexdigest()
                else:
                    digest = maybe.digest
                    if (name, digest) in kept_spans:
                        raw.flush()
                        _copy_span(previous, raw.fileno(), *kept_spans[name, digest])
                        placed.append((name, digest, at, maybe.length))
                        at += maybe.length
                        continue
                    body = _block_body(store, maybe, inputs[i], fmt, labels)
                raw.write(body)
                placed.append((name, digest, at, len(body)))
                at += len(body)
            raw.flush()
    store.put_layout(output, fmt, placed)
    return Written(len(graphs), quads, tuple(skipped))


def _write_folder(output: Path, ordered: list[tuple[str, int, Block | None]], links: list[str], store: BuildCache,
                  inputs: list[ReportInput | Skipped], labels: Callable[[list[str]], list[str]]) -> None:
    """Write the output folder ``output``: a graph whose file already holds its block's bytes
    (by the previous manifest and ``stat``) is left alone, without reading either."""
    writer = FolderWriter(output)
    for name, i, maybe in ordered:
        if maybe is None:
            body = graph_text("nquads", name, links).encode("utf-8")
            digest = hashlib.sha256(body).hexdigest()
            if writer.unchanged(name, digest, len(body)):
                writer.keep(name, digest, len(body))
            else:
                writer.write(name, body)
        elif writer.unchanged(name, maybe.digest, maybe.length):
            writer.keep(name, maybe.digest, maybe.length)
        else:
            writer.write(name, _block_body(store, maybe, inputs[i], "nquads", labels))
    writer.finish()


def _copy_span(source: int, target: int, offset: int, length: int) -> None:
    """Append ``length`` bytes of ``source`` from ``offset`` to ``target`` (kernel-side where it can)."""
    while length > 0:
        try:
            done = os.copy_file_range(source, target, length, offset)
        except OSError:  # another file system, an old kernel: copy through memory
            data = os.pread(source, min(length, 1 << 24), offset)
            done = os.write(target, data) if data else 0
        if done <= 0:
            raise InputError("the previous output ended early while it was copied; build again")
        offset, length = offset + done, length - done


def _block_body(store: BuildCache, block: Block, item: ReportInput | Skipped, fmt: str,
                labels: Callable[[list[str]], list[str]]) -> bytes:
    """``block``'s body from the cache, checked against its hash; if it no longer matches, written
    again from the report's part (or the report itself) and stored again."""
    kept = store.block_body(block)
    if kept is not None:
        return kept
    assert isinstance(item, ReportInput)
    part = store.get(block.key)
    part = part if isinstance(part, ReportPart) else part_worker(item)
    if not isinstance(part, ReportPart):
        raise InputError(f"{item.origin}: its cache entry changed during the build; build it again")
    fresh, body = make_block(block.key, fmt, part, labels)
    if fresh.count != block.count or fresh.labels != block.labels or fresh.iri != block.iri:
        raise InputError(f"{item.origin}: its cache entry changed during the build; build it again")
    store.put_block(fresh, body)
    return body
