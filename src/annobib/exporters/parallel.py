"""Per-record export work on two cores, with the same result as on one.

An exporter splits its records into contiguous chunks and gives :func:`map_chunks` a function
from one chunk to a picklable result (text and findings). On Linux, for large inputs, a forked
worker and the calling process take chunks from a shared counter until none is left; the
worker sends its results back and they are returned in chunk order, so the caller joins them
exactly as if one process had done every chunk in turn. The worker sees the parent's records
through fork (copy-on-write): nothing is pickled on the way in.

The calling process may have something else to do first (``first``: loading the record
positions, for instance); the worker starts on the chunks meanwhile, and the counter balances
the rest. Anything that goes wrong in the worker (an exception, a crash, no result) makes the
caller do the missing chunks itself: the worker can only save time, never change a result.

Used only where ``fork`` exists, for at least :data:`MIN_ITEMS` records, while the process has
no other thread (forking a threaded process can deadlock); elsewhere everything runs in turn.
"""

from __future__ import annotations

import contextlib
import gc
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

#: Below this many records the worker costs more (fork, results sent back) than it saves.
MIN_ITEMS = 2000
#: Records per chunk: small enough to balance two processes, large enough to be cheap to send.
CHUNK = 400
#: How the last :func:`map_chunks` call shared its chunks (for tests and benchmarks).
LAST: dict[str, int] = {"own_chunks": 0, "worker_chunks": 0}


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic collections while records are built and written: they create no cycles worth
    collecting, and each collection would walk every record model (seconds in total)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def available() -> bool:
    """Whether a forked worker may be used here and now (:func:`annobib.workers.fork_allowed`)."""
    from annobib import workers

    return workers.fork_allowed()


def chunks(items: Sequence[T], size: int = CHUNK) -> list[Sequence[T]]:
    """``items`` in contiguous pieces of ``size`` (the last one shorter), in order."""
    return [items[i : i + size] for i in range(0, len(items), size)]


def map_chunks(
    items: Sequence[T],
    work: Callable[[Sequence[T]], R],
    *,
    first: Callable[[], None] | None = None,
    parallel: bool | None = None,
    size: int = CHUNK,
) -> list[R]:
    """``[work(c) for c in chunks(items, size)]``, on two processes when it pays.

    ``first`` runs in the calling process before it takes any chunk (and always runs, once).
    ``parallel`` forces the choice (tests); by default it is :func:`available` and at least
    :data:`MIN_ITEMS` items.
    """
    pieces = chunks(items, size)
    if parallel is None:
        parallel = len(items) >= MIN_ITEMS and available()
    if not parallel or len(pieces) < 2:
        if first is not None:
            first()
        LAST.update(own_chunks=len(pieces), worker_chunks=0)
        return [work(p) for p in pieces]

    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    counter = ctx.Value("i", 0)
    receiver, sender = ctx.Pipe(duplex=False)

    def take() -> int:
        with counter.get_lock():
            i: int = counter.value
            counter.value = i + 1
        return i

    def worker() -> None:
        receiver.close()
        done: list[tuple[int, Any]] = []
        try:
            while (i := take()) < len(pieces):
                done.append((i, work(pieces[i])))
            sender.send(done)
        except BaseException:  # the parent redoes whatever is missing
            with contextlib.suppress(BaseException):
                sender.send(None)
        finally:
            sender.close()

    for stream in (sys.stdout, sys.stderr):  # nothing buffered may be written twice
        stream.flush()
    proc = ctx.Process(target=worker, name="annobib-export-worker", daemon=True)
    proc.start()
    sender.close()
    results: dict[int, R] = {}
    finished = False
    try:
        if first is not None:
            first()
        while (i := take()) < len(pieces):
            results[i] = work(pieces[i])
        try:
            theirs = receiver.recv()
        except (EOFError, OSError):
            theirs = None
        own = len(results)
        for i, r in theirs or ():
            results[i] = r
        LAST.update(own_chunks=own, worker_chunks=len(results) - own)
        finished = True
    finally:
        receiver.close()
        if not finished:  # the caller is failing: the worker's chunks are of no use
            proc.terminate()
        proc.join()
    return [results[i] if i in results else work(p) for i, p in enumerate(pieces)]


__all__ = ["CHUNK", "LAST", "MIN_ITEMS", "available", "chunks", "gc_paused", "map_chunks"]
