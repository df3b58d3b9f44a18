"""The process-wide runtime policy: the garbage collector, when workers may be forked, and
the work nobody waits for. Speed lives here, not in the code that says what a format means.

The garbage collector (this is the one module that touches it):

annobib builds hundreds of thousands of small objects (records, names, values) that hold no
reference cycles. The cyclic collector would walk them all again and again and find nothing,
which costs about half the time of a large load. So:

- :func:`gc_paused` turns cyclic collection off around such work and restores the previous
  state afterwards (nesting is safe: an inner pause leaves an outer one in force);
- :func:`freeze_loaded` moves everything alive now out of the collector's sight once, for a
  command whose loaded records live until it exits (``gc.freeze``); :func:`unfreeze` undoes it
  (tests that run commands in-process, tests/conftest.py).

No other module calls ``gc.disable``, ``gc.enable`` or ``gc.freeze`` (tests/test_runtime.py).

Workers (:func:`fork_allowed`): one rule for the import, the exports and the loader. Work is
split over forked processes (:func:`annobib.workers.map_chunks`) only on Linux (``fork`` is
the one start method cheap enough, and safe there), with more than one CPU, while the process
has no other thread (forking a threaded process can deadlock the child), and unless
``ANNOBIB_JOBS=1`` turns it off.

Deferred tasks (:func:`later`, :func:`finish_later`): see below.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
import threading
from collections.abc import Callable, Iterator

from annobib import progress


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


def freeze_loaded() -> None:
    """Move every object alive now into the collector's permanent generation: a command's
    loaded records hold no cycles and live until it exits, and each later full collection
    would walk all of them again (sorting the 28,000 findings of a 20,000-record export set
    one off: about a second)."""
    gc.freeze()


def unfreeze() -> None:
    """Undo :func:`freeze_loaded` (a long-lived process that ran a command in-process)."""
    gc.unfreeze()


# --- workers ---------------------------------------------------------------------------------


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
# of the next :func:`annobib.workers.map_chunks` does it before taking pieces, while this
# process gets on with the pieces. Whatever no worker did is done by :func:`finish_later`,
# which that caller must call before it ends (:func:`annobib.api.export` does).

_LATER: list[Callable[[], None]] = []


def later(task: Callable[[], None]) -> None:
    """Queue ``task`` (see above)."""
    _LATER.append(task)


def pending() -> list[Callable[[], None]]:
    """The queued tasks, in order (a copy: a forked worker does them, see :func:`done`)."""
    return list(_LATER)


def done(n: int) -> None:
    """The first ``n`` queued tasks were done (by a worker)."""
    del _LATER[:n]


def finish_later() -> None:
    """Do here, in order, the queued tasks no worker did."""
    while _LATER:
        _LATER.pop(0)()
