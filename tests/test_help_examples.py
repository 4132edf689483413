"""Every example command line in ``kg … --help`` really runs.

The examples are read from the help text itself (each ``Example:``/``Examples:`` block of every
command, found by walking the click group), then run with bash, as written, each in a fresh copy
of a small project folder: the two 2021 reports in ``data/source/`` and ``data/triples.ttl``
built from them once per session (Jiading's has ``上汽大众``, Hebei's ``雄安新区``: ``kg analyze
--path`` joins the two), plus the repository files the examples name, copied in. Files that stand
for the user's own (``my-report.txt``, ``my.rq``) are made from real ones, and ``xdg-open`` is a
stand-in that only checks the page is there. Each example must exit 0 (or the code listed in
:data:`EXIT_CODE`, with its reason) without a traceback, and must write the files it names with
``-o``/``--output``/``--write``/``>``. An example that reads a file another one writes to
``build/`` runs after that one, in the same folder.

Whatever is not run verbatim is listed here with its reason: :data:`LONG_RUNNING` (not run),
:data:`ADAPTED` (one substitution), :data:`SAMPLED` (a big folder replaced by a few of its files).
An entry that no example needs any more fails ``test_every_exception_is_still_needed``.
The examples run in parallel, one per CPU (each in its own folder): about 30 s on two idle CPUs.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from kg.cli import main
from support import oxigraph_server

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent  # the venv's bin: kg and oxigraph
REPORTS = ("data/source/jiading-2021.txt", "data/source/hebei-2021.txt")
#: Files that stand for the user's own in the examples -> the repository file each is a copy of.
PLACEHOLDERS = {
    "my-report.txt": "data/source/jiading-2021.txt",
    "my.rq": "queries/reports.rq",
}
#: Commands whose examples serve until Ctrl-C: run in the background on a free port (in place of the
#: example's), asked for the page the example names, then stopped with Ctrl-C (SIGINT).
LONG_RUNNING = {
    "kg serve": "serves until Ctrl-C: started on a free port, its /query page fetched, then stopped",
}
#: Text replaced in an example before it runs -> (replacement, why).
ADAPTED = {
    "127.0.0.1:7878": ("127.0.0.1:{port}", "the example's Oxigraph port: the test starts `oxigraph serve` on a "
                                           "free loopback port instead"),
    "kg corpus 100 ": ("kg corpus 3 ", "building 100 variant reports takes minutes; 3 run the same commands"),
}
#: Repository folders an example reads -> (the few files of it the test copies, why).
SAMPLED = {
    "data/corpora": (
        ("data/corpora/hebei-and-gaoyang/高阳县_2019_report.txt",
         "data/corpora/provinces-2026/2026_河北省_政府工作报告.csv",
         "data/corpora/provinces-2026/failures_2026.csv"),
        "its 110 inputs take minutes to build; a .txt report, a CSV dataset and the collector's log (not a "
        "report, skipped as in the full folder) run the same command",
    ),
}
#: Examples documented to exit with another code than 0 -> (code, why).
EXIT_CODE = {
    "kg build data/corpora -o build/corpus.trig --jobs 2": (
        3, "data/corpora holds inputs that are not reports (a collector's log, NPC resolutions): built, some skipped"),
}
EXAMPLE_HEAD = re.compile(r"^\s*Examples?:\s*$")
#: Options and redirections after which an example names a file (or folder) it writes.
WRITES = ("-o", "--output", "--write", ">")
#: The git-ignored folder examples write to: never copied in from a working copy.
OUTPUTS = "build/"
XDG_OPEN = '#!/bin/sh\n# stand-in for the desktop opener: the page must be there and not empty\ntest -s "$1"\n'
TIMEOUT = 300


def commands(group: click.Group = main, path: str = "kg") -> Iterator[tuple[str, click.Command]]:
    """``("kg table targets", command)`` for the group and every command under it."""
    yield path, group
    for name in sorted(group.commands):
        command = group.commands[name]
        if isinstance(command, click.Group):
            yield from commands(command, f"{path} {name}")
        else:
            yield f"{path} {name}", command


def help_text(path: str) -> str:
    result = CliRunner().invoke(main, [*path.split()[1:], "--help"], terminal_width=200)
    assert result.exit_code == 0, result.output
    return result.output


def examples(text: str) -> list[str]:
    """The command lines of the ``Example(s):`` blocks of one --help text."""
    found, inside = [], False
    for line in text.splitlines():
        if EXAMPLE_HEAD.match(line):
            inside = True
        elif inside and line.strip().startswith("kg "):
            found.append(line.strip())
        else:
            inside = False
    return found


HELP = {path: help_text(path) for path, _ in commands()}
EXAMPLES = [(path, line) for path in HELP for line in examples(HELP[path])]


def _words(example: str) -> list[str]:
    return shlex.split(example, comments=True)


def written(example: str) -> list[str]:
    """What an example writes, by its -o/--output/--write options and > redirections."""
    words = _words(example)
    return [words[i + 1] for i, word in enumerate(words[:-1]) if word in WRITES]


def prerequisites(example: str) -> list[str]:
    """The examples that write what this one reads from build/ (``kg table reports --graph
    build/corpus.trig`` reads what ``kg build … -o build/corpus.trig`` writes): run first, in the
    same folder."""
    reads = {word for word in _words(example) if word.startswith(OUTPUTS)} - set(written(example))
    return [other for _, other in EXAMPLES if other != example and reads & set(written(other))]


def _is_written(path: Path) -> bool:
    return (path.is_dir() and any(path.iterdir())) or (path.is_file() and path.stat().st_size > 0)



def _run(command: str, cwd: Path, path: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": path}
    return subprocess.run(["bash", "-o", "pipefail", "-c", command], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=TIMEOUT)


def _copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(source, target)


def adapt(example: str, port: int) -> str:
    """The example as the test runs it (see :data:`ADAPTED`)."""
    for text, (replacement, _why) in ADAPTED.items():
        example = example.replace(text, replacement.format(port=port))
    return example


@pytest.fixture(scope="session")
def project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A small project folder, built once, and the PATH the examples run with."""
    base = tmp_path_factory.mktemp("help-examples")
    shims = base / "bin"
    shims.mkdir()
    (shims / "xdg-open").write_text(XDG_OPEN, encoding="utf-8")
    (shims / "xdg-open").chmod(0o755)
    path = os.pathsep.join([str(shims), str(BIN), os.environ.get("PATH", "")])
    folder = base / "project"
    for name in REPORTS:
        _copy(ROOT / name, folder / name)
    built = _run(f"kg build {' '.join(REPORTS)} -o data/triples.ttl", folder, path)
    assert built.returncode == 0, built.stderr
    for target, source in PLACEHOLDERS.items():
        _copy(ROOT / source, folder / target)
    for files, _why in SAMPLED.values():
        for name in files:
            assert (ROOT / name).is_file(), f"SAMPLED names {name}, which is not in the repository any more"
            _copy(ROOT / name, folder / name)
    for _, example in EXAMPLES:  # repository files an example reads: not the graph (built above), not outputs
        for word in set(_words(example)) - set(written(example)):
            named = ROOT / word
            if word.startswith(OUTPUTS) or (folder / word).exists() or not named.is_file():
                continue
            _copy(named, folder / word)
            companion = named.with_suffix(".relations.csv")  # kg eval-entities reads it beside the gold file
            if named.suffix == ".csv" and companion.is_file():
                _copy(companion, (folder / word).with_suffix(".relations.csv"))
            if named.suffix == ".csv":  # a gold file names the reports it was annotated on (# input:, # outcome:)
                for line in named.read_text(encoding="utf-8").splitlines():
                    if line.startswith(("# input:", "# outcome:")):
                        report = line.split(":", 1)[1].strip().split("#")[0]
                        if (ROOT / report).is_file() and not (folder / report).exists():
                            _copy(ROOT / report, folder / report)
    return folder, path


@pytest.fixture(scope="session")
def oxigraph_port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """A real ``oxigraph serve`` on a free loopback port, for the --endpoint examples."""
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as base:
        yield int(base.rsplit(":", 1)[1])


@pytest.fixture(scope="session")
def runs(project: tuple[Path, str], request: pytest.FixtureRequest,
         tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, Path, subprocess.CompletedProcess[str]]]:
    """Every example not in LONG_RUNNING, run in parallel, each in its own copy of the project:
    example -> (the line run, its folder, the finished process)."""
    todo = [example for command, example in EXAMPLES if command not in LONG_RUNNING]
    needs_server = any("{port}" in replacement and text in example
                       for text, (replacement, _) in ADAPTED.items() for example in todo)
    port = request.getfixturevalue("oxigraph_port") if needs_server else 0
    base = tmp_path_factory.mktemp("runs")

    def run(item: tuple[int, str]) -> tuple[str, Path, subprocess.CompletedProcess[str]]:
        index, example = item
        folder = base / f"example-{index}"
        shutil.copytree(project[0], folder)
        for before in prerequisites(example):
            done = _run(adapt(before, port), folder, project[1])
            if done.returncode != EXIT_CODE.get(before, (0, ""))[0]:
                return adapt(before, port), folder, done
        line = adapt(example, port)
        return line, folder, _run(line, folder, project[1])

    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 1)) as pool:
        return dict(zip(todo, pool.map(run, enumerate(todo)), strict=True))


def _serve_example(example: str, project: tuple[Path, str]) -> None:
    """Run a serving example on a free port, fetch the page its comment names, stop it with Ctrl-C."""
    import signal

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    line = re.sub(r"--port \d+", f"--port {port}", example.split("#", 1)[0]).strip()
    page = re.search(r"http://127\.0\.0\.1:\d+(/\S*)", example)
    url = f"http://127.0.0.1:{port}{page.group(1) if page else '/'}"
    server = subprocess.Popen(["bash", "-c", f"exec {line}"], cwd=project[0], env={**os.environ, "PATH": project[1]},
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline, body = time.monotonic() + 60, ""
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    assert response.status == 200
                    body = response.read().decode("utf-8")
                    break
            except OSError:
                time.sleep(0.2)
        assert body, f"`{line}` never answered {url}: {server.stderr.read() if server.poll() is not None else ''}"
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    assert "Traceback" not in (server.stderr.read() if server.stderr else ""), line


def test_every_command_has_an_example():
    bare = [path for path in HELP if not examples(HELP[path])]
    assert not bare, f"commands whose --help has no Example: block: {bare}"


def test_every_exception_is_still_needed():
    lines = [line for _, line in EXAMPLES]
    stale = [command for command in LONG_RUNNING if command not in HELP]
    stale += [text for text in ADAPTED if not any(text in line for line in lines)]
    stale += [folder for folder in SAMPLED if not any(folder in _words(line) for line in lines)]
    stale += [line for line in EXIT_CODE if line not in lines]
    assert not stale, f"exceptions no --help example needs any more (delete them): {stale}"


@pytest.mark.parametrize("command,example", EXAMPLES, ids=[line for _, line in EXAMPLES])
def test_help_example_runs(command: str, example: str, runs: dict, project: tuple[Path, str]):
    if command in LONG_RUNNING:
        _serve_example(example, project)
        return
    line, folder, result = runs[example]
    code, why = EXIT_CODE.get(example, (0, ""))
    shown = f"`{line}` (from `{command} --help`) exited {result.returncode}:\n{result.stdout[-2000:]}{result.stderr}"
    assert result.returncode == code, f"{shown}\n(expected {code}{': ' + why if why else ''})"
    assert "Traceback" not in result.stderr, shown
    missing = [name for name in written(line) if not _is_written(folder / name)]
    assert not missing, f"`{line}` did not write {missing}:\n{result.stderr}"
