"""Connections for ``kg serve``: one thread reads every request, worker threads answer whole ones.

A slow client costs no worker thread: a single reader thread (a :mod:`selectors` loop over
non-blocking sockets) collects each request's head and body, and only a complete request goes to
the pool of worker threads that run the query and write the answer. A request must arrive whole
within :data:`REQUEST_TIMEOUT` seconds of its first byte (a deadline for headers and body together,
not per read: dribbling a header line every few seconds does not keep it alive), else 408; a
connection may wait :data:`IDLE_TIMEOUT` seconds for its next request; at most
:data:`MAX_CONNECTIONS` are open at once (503 beyond). A request the reader cannot frame (too long,
chunked, a bad ``Content-Length``) goes to a worker as it is, whose handler refuses it (414, 431,
411, 413, 400) reading the rest under the same deadline.
"""

from __future__ import annotations

import contextlib
import io
import queue
import re
import selectors
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

#: Seconds from a request's first byte until its head and body must all have arrived (408 after).
REQUEST_TIMEOUT = 10.0
#: Seconds a connection may wait for its next request before it is closed.
IDLE_TIMEOUT = 15.0
#: Connections open at once (reading, waiting or being answered); more get 503.
MAX_CONNECTIONS = 2048
#: Largest POST body the reader collects; a larger one goes to the handler, which answers 413.
MAX_BODY_BYTES = 1 * 2**20
_MAX_LINE = 65537  # http.server's own limit for the request line and each header line
_HEAD_END = re.compile(rb"\r?\n\r?\n")
_LENGTH = re.compile(rb"^content-length[ \t]*:[ \t]*(.*?)[ \t]*\r?$", re.I | re.M)
_CHUNKED = re.compile(rb"^transfer-encoding[ \t]*:", re.I | re.M)
_EXPECT = re.compile(rb"^expect[ \t]*:[ \t]*100-continue", re.I | re.M)


@dataclass
class Connection:
    """A client connection and what the reader has received on it so far."""

    sock: socket.socket
    address: Any
    buffer: bytes = b""
    deadline: float = field(default_factory=lambda: time.monotonic() + IDLE_TIMEOUT)
    continued: bool = False  # whether this request's "100 Continue" has been sent


@dataclass(frozen=True)
class Job:
    """A request for a worker: its bytes, whether they are the whole request, and the deadline
    for reading the rest when they are not."""

    connection: Connection
    data: bytes
    complete: bool
    leftover: bytes = b""


def request_extent(buffer: bytes) -> int | None:
    """How many bytes of ``buffer`` make up its first whole request; None while more is needed;
    -1 when the reader cannot frame it (the handler will refuse it).

    >>> request_extent(b"GET / HTTP/1.1\\r\\nHost: x\\r\\n\\r\\nGET")
    27
    >>> request_extent(b"POST / HTTP/1.1\\r\\nContent-Length: 5\\r\\n\\r\\nab") is None
    True
    >>> request_extent(b"POST / HTTP/1.1\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n")
    -1
    """
    end = _HEAD_END.search(buffer)
    if end is None:
        if len(buffer) > 2 * _MAX_LINE or (len(buffer) > _MAX_LINE and b"\n" not in buffer[:_MAX_LINE]):
            return -1  # a request line or header over the limit: 414 or 431
        return None
    head = buffer[:end.end()]
    if _CHUNKED.search(head):
        return -1
    lengths = _LENGTH.findall(head)
    if not lengths:
        return end.end()
    if len(lengths) > 1 or not lengths[0].isdigit() or int(lengths[0]) > MAX_BODY_BYTES:
        return -1
    total = end.end() + int(lengths[0])
    return total if len(buffer) >= total else None


class _DeadlineReader(io.RawIOBase):
    """What the reader already has, then the socket, every read bounded by one deadline."""

    def __init__(self, sock: socket.socket, data: bytes, deadline: float) -> None:
        self._sock, self._data, self._deadline = sock, data, deadline

    def readable(self) -> bool:
        return True

    def readinto(self, target: Any) -> int:
        if self._data:
            size = min(len(target), len(self._data))
            target[:size] = self._data[:size]
            self._data = self._data[size:]
            return size
        remaining = self._deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("the request took too long to arrive")
        self._sock.settimeout(remaining)
        return self._sock.recv_into(target)


class _Writer(io.BufferedIOBase):
    """Writes go out whole (``sendall``; a raw socket file may send part of a large answer),
    within the socket's timeout for each write."""

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self._sock.sendall(data)
        with memoryview(data) as view:
            return view.nbytes


class ConnectionHandler(BaseHTTPRequestHandler):
    """A request handler that answers one request a worker gives it, then hands the connection
    back to the reader (keep-alive) instead of reading the next request itself."""

    job: Job
    keep_alive = False

    def setup(self) -> None:
        self.connection = self.request
        self.job = self.server.take_job(self.request)  # type: ignore[attr-defined]
        self.connection.setblocking(True)
        self.connection.settimeout(IDLE_TIMEOUT)  # for writing the answer to a slow reader
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, True)
        if self.job.complete:
            self.rfile = io.BytesIO(self.job.data)
        else:
            raw = _DeadlineReader(self.connection, self.job.data, self.job.connection.deadline)
            self.rfile = io.BufferedReader(raw)
        self.wfile = _Writer(self.connection)

    def handle_expect_100(self) -> bool:
        """The reader already said "100 Continue" while it waited for the body."""
        return True

    def handle(self) -> None:
        self.close_connection = True
        self.handle_one_request()
        self.keep_alive = self.job.complete and not self.close_connection

    def finish(self) -> None:
        with contextlib.suppress(OSError):
            self.wfile.flush()
        self.wfile.close()
        self.rfile.close()


class PooledHTTPServer(HTTPServer):
    """An HTTP server where one reader thread collects requests and ``workers`` threads answer them.

    ``serve_forever`` (from :class:`socketserver.BaseServer`) accepts connections; each is given
    to the reader, which hands complete requests to the workers through a queue of ``backlog``
    (503 when it is full).
    """

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler], *,
                 workers: int = 64, backlog: int = 256) -> None:
        self.request_queue_size = backlog  # the listen() backlog
        super().__init__(address, handler)
        self._jobs: queue.Queue[Job | None] = queue.Queue(maxsize=backlog)
        self._taken: dict[int, Job] = {}
        self._open = 0
        self._lock = threading.Lock()
        self._reader = _Reader(self)
        self._workers = [threading.Thread(target=self._work, daemon=True, name=f"kg-serve-{i}")
                         for i in range(workers)]
        for worker in self._workers:
            worker.start()

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._lock:
            full = self._open >= MAX_CONNECTIONS
            self._open += not full
        if full:
            refuse(request, 503, "the server has too many open connections; try again shortly")
            self.shutdown_request(request)
            return
        request.setblocking(False)
        self._reader.add(Connection(request, client_address))

    def dispatch(self, job: Job) -> None:
        """Give a request to the workers, or refuse it when they are all busy and the queue is full."""
        try:
            self._jobs.put_nowait(job)
        except queue.Full:
            refuse(job.connection.sock, 503, "the server is busy; try again shortly")
            self.close(job.connection)

    def take_job(self, sock: socket.socket) -> Job:
        """The job a worker is answering on ``sock`` (for the handler's setup)."""
        return self._taken.pop(id(sock))

    def close(self, connection: Connection) -> None:
        """Close a connection for good."""
        with self._lock:
            self._open -= 1
        self.shutdown_request(connection.sock)

    def _work(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            connection, keep = job.connection, False
            self._taken[id(connection.sock)] = job
            try:
                handler = self.RequestHandlerClass(connection.sock, connection.address, self)  # type: ignore[arg-type]
                keep = bool(getattr(handler, "keep_alive", False))
            except (TimeoutError, BrokenPipeError, ConnectionResetError):
                pass
            except Exception as err:
                from kg.serve.protocol import log

                log(f"connection from {connection.address[0]} failed: {type(err).__name__}: {err}")
            finally:
                self._taken.pop(id(connection.sock), None)
            if keep:
                connection.buffer, connection.deadline = job.leftover, time.monotonic() + IDLE_TIMEOUT
                with contextlib.suppress(OSError):
                    connection.sock.setblocking(False)
                    self._reader.add(connection)
                    continue
            self.close(connection)

    def server_close(self) -> None:
        super().server_close()
        self._reader.stop()
        for _ in self._workers:
            try:
                self._jobs.put(None, timeout=1)
            except queue.Full:
                break


class _Reader:
    """The thread that reads requests off every open connection (a selectors loop)."""

    def __init__(self, server: PooledHTTPServer) -> None:
        self.server = server
        self.selector = selectors.DefaultSelector()
        self.waker, self._wake = socket.socketpair()
        self.waker.setblocking(False)
        self.selector.register(self.waker, selectors.EVENT_READ, None)
        self.pending: list[Connection] = []
        self.lock = threading.Lock()
        self.running = True
        self.thread = threading.Thread(target=self._loop, daemon=True, name="kg-serve-reader")
        self.thread.start()

    def add(self, connection: Connection) -> None:
        with self.lock:
            self.pending.append(connection)
        with contextlib.suppress(OSError):
            self._wake.send(b"x")

    def stop(self) -> None:
        self.running = False
        with contextlib.suppress(OSError):
            self._wake.send(b"x")
        self.thread.join(timeout=2)

    def _loop(self) -> None:
        while self.running:
            with self.lock:
                added, self.pending = self.pending, []
            for connection in added:
                self._safely(self._add, connection)
            for key, _ in self.selector.select(timeout=0.25):
                if key.data is None:
                    with contextlib.suppress(OSError):
                        self.waker.recv(4096)
                    continue
                self._safely(self._read, key.data)
            now = time.monotonic()
            for key in list(self.selector.get_map().values()):
                if key.data is not None and key.data.deadline < now:
                    self._drop(key.data, timed_out=True)
        for key in list(self.selector.get_map().values()):
            if key.data is not None:
                self._drop(key.data)

    def _safely(self, step: Any, connection: Connection) -> None:
        """One step on one connection; whatever goes wrong closes that connection, never the loop."""
        try:
            step(connection)
        except Exception as err:
            from kg.serve.protocol import log

            log(f"connection from {connection.address[0]} dropped: {type(err).__name__}: {err}")
            self._drop(connection)

    def _add(self, connection: Connection) -> None:
        if not self._check(connection):
            self.selector.register(connection.sock, selectors.EVENT_READ, connection)

    def _read(self, connection: Connection) -> None:
        try:
            chunk = connection.sock.recv(65536)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            chunk = b""
        if not chunk:
            self._drop(connection)
            return
        if not connection.buffer:  # the request's first byte: its whole-request deadline starts
            connection.deadline = time.monotonic() + REQUEST_TIMEOUT
        connection.buffer += chunk
        if self._check(connection):
            self.selector.unregister(connection.sock)

    def _check(self, connection: Connection) -> bool:
        """Dispatch the connection's request if it is whole (or unframeable); True if dispatched."""
        if not connection.buffer:
            return False
        extent = request_extent(connection.buffer)
        if extent is None:
            # A client that waits for "100 Continue" before its body (curl does) gets it at once.
            if not connection.continued and (end := _HEAD_END.search(connection.buffer)) and \
                    _EXPECT.search(connection.buffer[:end.end()]):
                connection.continued = True
                with contextlib.suppress(OSError):
                    connection.sock.send(b"HTTP/1.1 100 Continue\r\n\r\n")
            return False
        buffer, connection.buffer, connection.continued = connection.buffer, b"", False
        if extent < 0:
            self.server.dispatch(Job(connection, buffer, complete=False))
        else:
            self.server.dispatch(Job(connection, buffer[:extent], complete=True, leftover=buffer[extent:]))
        return True

    def _drop(self, connection: Connection, *, timed_out: bool = False) -> None:
        with contextlib.suppress(KeyError, ValueError):
            self.selector.unregister(connection.sock)
        if timed_out and connection.buffer:
            refuse(connection.sock, 408, f"the request did not arrive within {REQUEST_TIMEOUT:g} s")
        self.server.close(connection)


def refuse(sock: socket.socket, status: int, message: str) -> None:
    """Best-effort one-line plain-text answer on a raw socket, then nothing more."""
    reasons = {408: "Request Timeout", 503: "Service Unavailable"}
    body = (message + "\n").encode("utf-8")
    head = (f"HTTP/1.1 {status} {reasons.get(status, 'Error')}\r\nContent-Type: text/plain; charset=utf-8\r\n"
            f"X-Content-Type-Options: nosniff\r\nRetry-After: 1\r\nConnection: close\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode("ascii")
    with contextlib.suppress(OSError):
        sock.setblocking(False)
        sock.send(head + body)
