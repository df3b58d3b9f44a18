"""Worker processes: when annobib may fork them, and work shared among them.

One rule for the import, the exports and the loader (:func:`fork_allowed`), and one way to
share work (:func:`map_chunks`).

Work is split over forked processes only on Linux (``fork`` is the one start method cheap
enough, and safe there), with more than one CPU, while the process has no other thread (forking
a threaded process can deadlock the child), and unless ``ANNOBIB_JOBS=1`` turns it off. A worker
may only save time: every caller gets the same result without one.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from annobib import progress

T = TypeVar("T")
R = TypeVar("R")


def cpus() -> int:
    """CPUs this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def other_threads() -> bool:
    """Whether a thread other than this one runs (the progress bar's does not count: it is
    held still while workers are forked, annobib.progress.forking)."""
    return any(t is not threading.current_thread() and t.name != progress.THREAD_NAME
               for t in threading.enumerate())


def fork_allowed() -> bool:
    """Whether a forked worker may be used here and now."""
    if os.environ.get("ANNOBIB_JOBS", "") == "1":
        return False
    if not sys.platform.startswith("linux") or cpus() < 2:
        return False
    return not other_threads()


# --- work nobody waits for -------------------------------------------------------------------
# A cold load validates a file and then stores the validated data in the cache: seconds for a
# large file, for the next run's sake. A caller that will share work among processes anyway
# (an export) may queue such work instead (``load(..., defer_cache=True)``): the first worker
# of the next :func:`map_chunks` does it before taking pieces, while this process gets on
# with the pieces. Whatever no worker did is done by :func:`finish_later`, which that caller
# must call before it ends.

_LATER: list[Callable[[], None]] = []


def later(task: Callable[[], None]) -> None:
    """Queue ``task`` (see above)."""
    _LATER.append(task)


def finish_later() -> None:
    """Do here, in order, the queued tasks no worker did."""
    while _LATER:
        _LATER.pop(0)()


# --- work on several processes, with the result of one -------------------------------------------
# A caller splits its work into pieces and gives :func:`map_chunks` a function from one piece to
# a picklable result. Forked workers and the calling process take pieces from a shared counter
# until none is left (so a slower process simply takes fewer); the workers send their results
# back and everything is returned in piece order, exactly as if one process had done every
# piece in turn. A worker sees the parent's data through fork (copy-on-write): nothing is
# pickled on the way in. Anything that goes wrong in a worker (an exception, a crash, no
# result) makes the caller do the missing pieces itself: a worker can only save time.

#: Below this many records a worker costs more (fork, results sent back) than it saves.
MIN_ITEMS = 2000
#: Records per chunk: small enough to balance two processes, large enough to be cheap to send.
CHUNK = 400
#: How the last :func:`map_chunks` call shared its pieces (for tests and benchmarks).
LAST: dict[str, int] = {"own_chunks": 0, "worker_chunks": 0}


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
    processes: int = 2,
) -> list[R]:
    """``[work(c) for c in chunks(items, size)]``, on ``processes`` processes when it pays.

    ``first`` runs in the calling process before it takes any piece (and always runs, once);
    the workers start on the pieces meanwhile (the first one on the queued tasks, see
    :func:`later`). ``parallel`` forces the choice (tests); by
    default it is :func:`fork_allowed` and at least :data:`MIN_ITEMS` items. ``processes``
    counts the calling process; it is capped by the CPUs and the pieces.
    """
    pieces = chunks(items, size)
    if parallel is None:
        parallel = len(items) >= MIN_ITEMS and fork_allowed()
        processes = min(processes, max(2, cpus()))
    helpers = min(processes, len(pieces)) - 1
    if not parallel or helpers < 1:
        if first is not None:
            first()
        LAST.update(own_chunks=len(pieces), worker_chunks=0)
        out = []
        for done, p in enumerate(pieces, 1):
            out.append(work(p))
            progress.update(done, len(pieces))
        return out

    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    counter = ctx.Value("i", 0)

    def take() -> int:
        with counter.get_lock():
            i: int = counter.value
            counter.value = i + 1
        return i

    tasks = list(_LATER)  # the first worker does these before taking pieces

    def worker(sender: Any, with_tasks: bool) -> None:
        done: list[tuple[int, Any]] = []
        try:
            if with_tasks:
                for task in tasks:
                    task()
            while (i := take()) < len(pieces):
                done.append((i, work(pieces[i])))
            sender.send((with_tasks, done))
        except BaseException:  # the parent redoes whatever is missing
            with contextlib.suppress(BaseException):
                sender.send(None)
        finally:
            sender.close()

    for stream in (sys.stdout, sys.stderr):  # nothing buffered may be written twice
        stream.flush()
    started: list[tuple[Any, Any]] = []
    with progress.forking():
        for n in range(helpers):
            receiver, sender = ctx.Pipe(duplex=False)
            proc = ctx.Process(target=worker, args=(sender, n == 0 and bool(tasks)),
                               name=f"annobib-worker-{n + 1}", daemon=True)
            proc.start()
            sender.close()
            started.append((proc, receiver))
    results: dict[int, R] = {}
    finished = False
    try:
        if first is not None:
            first()
        while (i := take()) < len(pieces):
            results[i] = work(pieces[i])
            # pieces taken, less those the helpers may still be working on
            progress.update(max(len(results), min(counter.value, len(pieces)) - helpers),
                            len(pieces))
        own = len(results)
        for _proc, receiver in started:
            try:
                theirs = receiver.recv()
            except (EOFError, OSError):
                theirs = None
            if theirs is None:
                continue
            did_tasks, done = theirs
            if did_tasks:
                del _LATER[: len(tasks)]
            for i, r in done:
                results[i] = r
        LAST.update(own_chunks=own, worker_chunks=len(results) - own)
        progress.update(len(pieces), len(pieces))
        finished = True
    finally:
        for proc, receiver in started:
            receiver.close()
            if not finished:  # the caller is failing: the workers' pieces are of no use
                proc.terminate()
            proc.join()
    return [results[i] if i in results else work(p) for i, p in enumerate(pieces)]
