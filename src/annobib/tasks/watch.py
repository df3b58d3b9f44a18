"""``annobib export --watch``: run again whenever a data file changes.

Pure of the terminal: the caller (``cli/export.py``) hands in one run as a callable that keeps
its own state: a :class:`Reloader` (only the files whose bytes changed are read and validated
again) and a long-lived :class:`annobib.styles.Formatter` with ``reuse`` on (its warm
citeproc-js engine renders again only the entries whose record, disambiguation or number
changed; the CSL items of unchanged records are kept). The loop polls modification times and
sizes (no file-system notification dependency), so an edit is seen within ``interval``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from annobib.errors import UsageError

if TYPE_CHECKING:
    from annobib.findings import Finding
    from annobib.model.library import LoadedDocument
    from annobib.sources.yaml import LoadResult

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


@dataclass(slots=True)
class _Loaded:
    raw: bytes
    document: LoadedDocument | None
    findings: list[Finding]
    readable: bool


class Reloader:
    """:func:`annobib.api.load` of the same paths again and again, reading again only the
    files whose bytes changed since the last call (the others keep their validated records,
    the same objects). Files added or removed under a directory are seen; the offline lint
    runs over the whole library each time, as in a cold load, so the findings are the same.
    """

    def __init__(self, paths: Sequence[str | Path], *, use_cache: bool = True,
                 positions: bool = False) -> None:
        self.paths = [Path(p) for p in paths]
        self.use_cache = use_cache
        self.positions = positions
        self._files: dict[str, _Loaded] = {}
        #: files read again by the last :meth:`load` (all of them the first time)
        self.last_read: list[str] = []

    def load(self) -> LoadResult:
        from annobib.checks import lint as lint_rules
        from annobib.errors import InputError
        from annobib.findings import Severity
        from annobib.model.library import Library
        from annobib.reading import read_input
        from annobib.sources.yaml import LoadResult, expand_paths, load_file

        files, problems = expand_paths(self.paths)
        result = LoadResult(Library(), problems)
        result.unreadable.extend(str(p.location.file) for p in problems if p.location)
        known: dict[str, _Loaded] = {}
        self.last_read = []
        for path in files:
            name = str(path)
            before = self._files.get(name)
            try:
                raw = read_input(path)
            except InputError:
                raw = None
            if before is None or raw is None or raw != before.raw:
                loaded, findings, readable = load_file(
                    path, use_cache=self.use_cache, positions=self.positions)
                before = _Loaded(raw or b"", loaded, findings, readable)
                self.last_read.append(name)
            known[name] = before
            result.findings.extend(before.findings)
            if not before.readable:
                result.unreadable.append(name)
            if before.document is not None:
                result.library.documents.append(before.document)
        self._files = known
        # as annobib.api.load: the offline lint over the whole library
        failed = frozenset(f.key for f in result.findings
                           if f.key and f.severity is Severity.ERROR and f.code.startswith("A1"))
        result.findings.extend(lint_rules.run(result.library, failed=failed))
        return result
