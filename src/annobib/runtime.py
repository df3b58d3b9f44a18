"""The process-wide runtime policy: the one place that touches the garbage collector.

annobib builds hundreds of thousands of small objects (records, names, values) that hold no
reference cycles. The cyclic collector would walk them all again and again and find nothing,
which costs about half the time of a large load. So:

- :func:`gc_paused` turns cyclic collection off around such work and restores the previous
  state afterwards (nesting is safe: an inner pause leaves an outer one in force);
- :func:`freeze_loaded` moves everything alive now out of the collector's sight once, for a
  command whose loaded records live until it exits (``gc.freeze``); :func:`unfreeze` undoes it
  (tests that run commands in-process, tests/conftest.py).

No other module calls ``gc.disable``, ``gc.enable`` or ``gc.freeze`` (tests/test_runtime.py).
The fork policy and the deferred tasks stay in :mod:`annobib.workers` (tests patch them there).
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


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
