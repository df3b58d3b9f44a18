"""Progress of long work: reported by any layer, shown (or not) by the CLI.

Library code calls :func:`update` (``done`` of ``total``) where it can count its work; the CLI
names the work with :func:`phase` and decides whether anything is drawn (``annobib.cli.progress``:
only on a terminal, never in a pipe, under CI or for ``--format json``). With no reporter
installed every call here is a no-op costing one attribute test, and a forked worker never
draws (only the process that installed the reporter does).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from typing import Any, Protocol

#: the name of the thread a reporter may draw from (``annobib.workers`` may fork beside it)
THREAD_NAME = "annobib-progress"


class Reporter(Protocol):
    def phase(self, description: str, total: int | None) -> None: ...

    def update(self, done: int, total: int | None) -> None: ...

    def hold(self) -> contextlib.AbstractContextManager[Any]:
        """Held, the reporter draws nothing (while processes are forked)."""
        ...


_REPORTER: list[tuple[int, Reporter]] = []


def install(reporter: Reporter) -> None:
    _REPORTER[:] = [(os.getpid(), reporter)]


def uninstall() -> None:
    _REPORTER.clear()


def _active() -> Reporter | None:
    if not _REPORTER:
        return None
    pid, reporter = _REPORTER[0]
    return reporter if pid == os.getpid() else None


@contextlib.contextmanager
def phase(description: str, total: int | None = None) -> Iterator[None]:
    """Name the work done inside (``reading tugboat.bib``); ``total`` steps if known."""
    reporter = _active()
    if reporter is not None:
        reporter.phase(description, total)
    yield


def update(done: int, total: int | None = None) -> None:
    """``done`` steps of ``total`` (None: the phase's) of the current phase are finished."""
    reporter = _active()
    if reporter is not None:
        reporter.update(done, total)


@contextlib.contextmanager
def forking() -> Iterator[None]:
    """Hold the reporter still while worker processes are forked."""
    reporter = _active()
    if reporter is None:
        yield
        return
    with reporter.hold():
        yield
