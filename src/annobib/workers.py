"""When annobib may fork worker processes: one rule for the import, the exports and the loader.

Work is split over forked processes only on Linux (``fork`` is the one start method cheap
enough, and safe there), with more than one CPU, while the process has no other thread (forking
a threaded process can deadlock the child), and unless ``ANNOBIB_JOBS=1`` turns it off. A worker
may only save time: every caller gets the same result without one.
"""

from __future__ import annotations

import os
import sys
import threading


def cpus() -> int:
    """CPUs this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def other_threads() -> bool:
    return threading.active_count() > 1


def fork_allowed() -> bool:
    """Whether a forked worker may be used here and now."""
    if os.environ.get("ANNOBIB_JOBS", "") == "1":
        return False
    if not sys.platform.startswith("linux") or cpus() < 2:
        return False
    return not other_threads()
