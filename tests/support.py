"""Small helpers the tests that start real servers share (imported as ``from support import …``)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def oxigraph_binary() -> str:
    """The ``oxigraph`` server the test extra installs beside this Python (a failure, never a skip)."""
    found = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
    if not found:
        pytest.fail("the oxigraph server is missing: pip install oxigraph (it is in the test extra)")
    return found


@contextmanager
def oxigraph_server(folder: Path) -> Iterator[str]:
    """A real ``oxigraph serve`` on a free loopback port over the store in ``folder / "db"``, its
    log in ``folder / "server.log"``; yields the base URL once it answers, and stops it after."""
    port = free_port()
    log = (folder / "server.log").open("w")
    process = subprocess.Popen(
        [oxigraph_binary(), "serve", "--location", str(folder / "db"), "--bind", f"127.0.0.1:{port}"],
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=2).read()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"oxigraph serve did not start:\n{(folder / 'server.log').read_text()}")
                time.sleep(0.1)
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
        log.close()


@contextmanager
def serving(graph: object) -> Iterator[str]:
    """``kg serve``'s server over ``graph`` in a thread on a free loopback port; yields its base URL."""
    import threading

    from kg.serve.http import make_server

    server = make_server(graph, host="127.0.0.1", port=0)  # type: ignore[arg-type]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
