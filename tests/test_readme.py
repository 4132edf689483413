"""The README's two commands are the real ones: CI runs the test command, and the run command
really builds, validates, writes the view and serves the explorer on 127.0.0.1."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

from support import free_port as _free_port

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _first_commands() -> list[str]:
    block = re.search(r"```sh\n(.*?)```", README, re.S)
    assert block, "the README must open with a sh code block"
    return [line.split("#", 1)[0].strip() for line in block.group(1).splitlines() if line.strip()]


def test_readme_opens_with_run_and_test():
    assert README.index("```sh") < 200, "the two commands come first"
    assert _first_commands() == ["make run", "make test"]


def test_ci_runs_exactly_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()
    assert ci[-1].strip() == _first_commands()[1]



def test_readme_run_command_builds_validates_and_serves(tmp_path: Path):
    before = (ROOT / "data" / "triples.ttl").read_bytes()
    port = _free_port()
    command = f"{_first_commands()[0]} PORT={port}"
    log = tmp_path / "run.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            command, shell=True, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            deadline = time.monotonic() + 240
            body = b""
            while time.monotonic() < deadline and process.poll() is None:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                        body = response.read()
                        break
                except OSError:
                    time.sleep(0.5)
            assert process.poll() is None, f"make run exited early:\n{log.read_text()}"
            assert body, f"nothing served on 127.0.0.1:{port}:\n{log.read_text()}"
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
    text = log.read_text()
    assert "conforms" in text, text
    assert (ROOT / "build" / "graph.html").is_file()
    assert (ROOT / "data" / "triples.ttl").read_bytes() == before, "make run changed the committed graph"


def documented(command: str, text: str) -> bool:
    """Whether ``text`` names ``command`` ("kg table entities") in full: as written, or as an
    alternative after ``|`` on a tour line ("kg table entities | relations"). A longer name does
    not count: ``kg eval-observations`` does not document ``kg eval``."""
    *parent, name = command.split()
    alternatives = r"(?:[\w-]+ \| )*"
    pattern = rf"(?<![\w-]){re.escape(' '.join(parent))} {alternatives}{re.escape(name)}(?![\w-])"
    return re.search(pattern, text) is not None


def test_a_command_is_documented_by_its_full_name_only():
    assert documented("kg eval-entities", "kg eval-observations | eval-entities  # score extraction")
    assert documented("kg table relations", "kg table entities | relations")
    assert documented("kg eval-entities", "(`kg eval-observations`, `kg eval-entities`)")
    assert not documented("kg eval", "kg eval-observations | eval-entities")
    assert not documented("kg table entity", "kg table entities --format csv")
    assert not documented("kg load", "kg loads; mkg load")
    assert not documented("kg table relations", "kg relations")


def test_every_command_is_in_the_readme():
    import click

    from kg.cli import main

    def names(group: click.Group, prefix: str = "kg") -> list[str]:
        found = []
        for name, command in group.commands.items():
            found.append(f"{prefix} {name}")
            if isinstance(command, click.Group):
                found += names(command, f"{prefix} {name}")
        return found

    # by full name: "kg eval-entities", "kg table relations" (the tour lists "kg table entities | relations")
    missing = [n for n in names(main) if not documented(n, README)]
    assert not missing, f"commands missing from the README: {missing}"
