"""Where a build's per-report tasks run: past one machine, on Dask's distributed scheduler.

A build is one independent task per report and one merge, so any ``concurrent.futures``-style
executor can run the tasks (:func:`kg.build.build`'s ``executor``). :func:`dask_executor` connects
to a running ``dask.distributed`` scheduler and gives its executor; every worker needs the same
kg installed (the parent checks each part's code fingerprint, so a worker running other code is
an error, never a different graph). Only report text travels to the workers and N-Triples lines
back: workers need no shared filesystem, and the cache stays with the parent.

Start a cluster with ``dask scheduler`` on one machine and ``dask worker tcp://HOST:8786`` on
each of the others, then::

    kg build data/corpora -o build/corpus.trig --scheduler tcp://HOST:8786
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Executor
from contextlib import contextmanager

from kg.errors import InputError

#: Seconds to wait for the scheduler before giving up.
CONNECT_TIMEOUT = 10.0


def _check_address(address: str) -> None:
    scheme, sep, rest = address.partition("://")
    if not sep or scheme not in ("tcp", "tls", "ws", "wss", "inproc", "ucx") or not rest:
        raise InputError(f"{address}: not a Dask scheduler address; give it like tcp://HOST:8786")


@contextmanager
def dask_executor(address: str, *, timeout: float = CONNECT_TIMEOUT) -> Iterator[Executor]:
    """A ``concurrent.futures`` executor on the Dask scheduler at ``address`` (``tcp://host:8786``).

    Raises :class:`~kg.errors.InputError` when the address is malformed or nothing answers there
    within ``timeout`` seconds. The connection is closed when the block ends.
    """
    _check_address(address)
    import logging

    from distributed import Client

    # distributed logs every failed connection attempt; the one error below says it all.
    quiet = logging.getLogger("distributed")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)
    try:
        client = Client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as err:
        raise InputError(f"{address}: cannot reach the Dask scheduler ({type(err).__name__}: {err}); "
                         "start one with `dask scheduler` (and workers with `dask worker ADDRESS`), "
                         "or fix the address") from err
    finally:
        quiet.setLevel(level)
    try:
        # pure=False: two reports with the same text are still two tasks (Dask would merge them).
        yield client.get_executor(pure=False)
    finally:
        client.close()


def worker_count(executor: Executor) -> int | None:
    """How many tasks ``executor`` runs at once, when it says (a Dask cluster's threads)."""
    client = getattr(executor, "_client", None)
    if client is not None:
        return sum(client.nthreads().values())
    workers = getattr(executor, "_max_workers", None)
    return workers if isinstance(workers, int) else None
