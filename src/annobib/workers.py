"""Work shared among forked worker processes: :func:`map_chunks`, the one way to share it.

Whether a worker may be forked at all is the runtime's policy
(:func:`annobib.runtime.fork_allowed`), and so are the deferred tasks the first worker does
before taking pieces (:func:`annobib.runtime.later`). A worker may only save time: every
caller gets the same result without one.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from annobib import progress, runtime

T = TypeVar("T")
R = TypeVar("R")


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
    the workers start on the pieces meanwhile (the first one on the deferred tasks, see
    :func:`annobib.runtime.later`). ``parallel`` forces the choice (tests); by default it is
    :func:`annobib.runtime.fork_allowed` and at least :data:`MIN_ITEMS` items. ``processes``
    counts the calling process; it is capped by the CPUs and the pieces.
    """
    pieces = chunks(items, size)
    if parallel is None:
        parallel = len(items) >= MIN_ITEMS and runtime.fork_allowed()
        processes = min(processes, max(2, runtime.cpus()))
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

    tasks = runtime.pending()  # the first worker does these before taking pieces

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
                runtime.done(len(tasks))
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
