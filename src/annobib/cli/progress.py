"""A rich progress bar on standard error for work that takes more than about a second.

Shown only when standard error is a terminal, not under CI (``CI`` set) or ``TERM=dumb``, and
not for ``--format json``; it appears after :data:`DELAY` seconds (``ANNOBIB_PROGRESS_DELAY``),
so quick commands never flash one, and is erased when the work is done.

The bar is redrawn by one thread of ours (rich's own refresh thread is not used) that draws
only while holding :attr:`_Bar.lock`; :func:`annobib.progress.forking` holds that lock while
worker processes are forked, so no child starts with the terminal or a lock half-written, and
``annobib.workers`` does not count this thread as one that forbids forking.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Iterator
from typing import Any

from annobib import progress

DELAY = 1.0
REFRESH = 0.1


def wanted() -> bool:
    if os.environ.get("CI") or os.environ.get("TERM") == "dumb":
        return False
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


class _Bar:
    """:class:`annobib.progress.Reporter` drawing one rich task per phase."""

    def __init__(self, delay: float) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            Progress,
            TaskProgressColumn,
            TextColumn,
            TimeElapsedColumn,
        )

        self.bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TaskProgressColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True, highlight=False),
            transient=True,
            auto_refresh=False,
            redirect_stdout=False,
            redirect_stderr=False,
        )
        self.task: Any = None
        self.lock = threading.Lock()
        self.done = threading.Event()
        self.started = False
        self.thread = threading.Thread(target=self._run, args=(delay,),
                                       name=progress.THREAD_NAME, daemon=True)

    def phase(self, description: str, total: int | None) -> None:
        with self.lock:
            if self.task is not None:
                self.bar.remove_task(self.task)
            self.task = self.bar.add_task(description, total=total)

    def update(self, done: int, total: int | None) -> None:
        with self.lock:
            if self.task is None:
                self.task = self.bar.add_task("working", total=total)
            if total is not None:
                self.bar.update(self.task, completed=done, total=total)
            else:
                self.bar.update(self.task, completed=done)

    def hold(self) -> contextlib.AbstractContextManager[Any]:
        return self.lock

    def _run(self, delay: float) -> None:
        if self.done.wait(delay):
            return
        with self.lock:
            if self.done.is_set():
                return
            self.bar.start()
            self.started = True
        while not self.done.wait(REFRESH):
            with self.lock:
                if not self.done.is_set():
                    self.bar.refresh()

    def stop(self) -> None:
        self.done.set()
        self.thread.join()
        with self.lock:
            if self.started:
                self.bar.stop()


@contextlib.contextmanager
def shown(enabled: bool = True) -> Iterator[None]:
    """Draw the progress of the work inside, if :func:`wanted` and ``enabled``."""
    if not enabled or not wanted():
        yield
        return
    try:
        delay = float(os.environ.get("ANNOBIB_PROGRESS_DELAY", DELAY))
    except ValueError:
        delay = DELAY
    bar = _Bar(delay)
    progress.install(bar)
    bar.thread.start()
    try:
        yield
    finally:
        progress.uninstall()
        bar.stop()
