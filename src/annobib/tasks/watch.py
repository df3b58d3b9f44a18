"""``annobib export --watch``: run again whenever a data file changes.

Pure of the terminal: the caller (``cli/export.py``) hands in one run as a callable that keeps
its own state (a long-lived :class:`annobib.styles.Formatter`, whose warm citeproc-js engine
re-renders only the records ``updateItems`` was given anew). The loop polls modification times
and sizes (no file-system notification dependency), so an edit is seen within ``interval``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from annobib.errors import UsageError

#: Environment variable bounding the number of runs (the first one included); for tests.
RUNS_ENV = "ANNOBIB_WATCH_RUNS"

Snapshot = dict[str, tuple[int, int]]


def snapshot(paths: Iterable[str | Path]) -> Snapshot:
    """Every regular file below ``paths`` (a file counts itself) -> (mtime in ns, size)."""
    seen: Snapshot = {}
    for root in paths:
        base = Path(root)
        files = sorted(p for p in base.rglob("*") if p.is_file()) if base.is_dir() else [base]
        for path in files:
            try:
                st = path.stat()
            except OSError:  # gone between listing and stat: the next poll sees it missing
                continue
            seen[str(path)] = (st.st_mtime_ns, st.st_size)
    return seen


def changed(before: Snapshot, after: Snapshot) -> list[str]:
    """Files added, removed or modified between two snapshots, sorted."""
    return sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))


def bound_from_env() -> int | None:
    """``ANNOBIB_WATCH_RUNS`` as a positive bound, or None (run until interrupted)."""
    raw = os.environ.get(RUNS_ENV, "").strip()
    if not raw:
        return None
    if not raw.isdigit() or int(raw) < 1:
        raise UsageError(f"{RUNS_ENV} must be a positive number of runs, not {raw!r}")
    return int(raw)


def watch(
    paths: Iterable[str | Path],
    run: Callable[[list[str]], object],
    *,
    interval: float = 0.25,
    max_runs: int | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """Call ``run`` once, then again (with the changed files) after each change below ``paths``.

    The snapshot is taken before each run, so an edit made during a run starts the next one.
    Returns the number of runs made: at ``max_runs``, or when interrupted (Ctrl-C), the loop
    ends; an interrupt is not an error.
    """
    roots = list(paths)
    runs = 0
    try:
        before = snapshot(roots)
        run([])
        runs += 1
        while max_runs is None or runs < max_runs:
            sleep(interval)
            now = snapshot(roots)
            edited = changed(before, now)
            if not edited:
                continue
            before = now
            run(edited)
            runs += 1
    except KeyboardInterrupt:
        pass
    return runs
