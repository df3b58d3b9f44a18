"""Atomic file writes: a temporary file in the same directory, then a rename.

A reader (or a crash, or Ctrl-C) sees either the old file or the new one, never half of it.
The new file gets the old file's permission bits, or the umask's default for a new file
(``mkstemp`` alone would leave it readable by its owner only). A writer killed outright
(SIGKILL, power loss) cannot remove its temporary file; the next synced write of the same
file (the user's files, not caches) removes such leftovers once they are an hour old (no write
takes that long).
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
import time
from pathlib import Path

#: A temporary file of this age or older, beside its target, was left by a killed writer.
STALE_SECONDS = 3600
# mkstemp's names: the prefix and suffix given here around 8 of its own characters
_RANDOM_PART = re.compile(r"[a-z0-9_]{8}")


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_bytes_atomic(path: Path, data: bytes, *, sync: bool = True) -> None:
    """``sync=False`` skips fsync: still atomic for a process crash or Ctrl-C; only an OS crash
    could lose the newest file (fine for caches and re-fetchable evidence)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mode = _default_mode()
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if sync:
                fh.flush()
                os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if sync:  # a user's file; caches and evidence (many files, thousands of writes) are not swept
        _sweep(path)


def _sweep(path: Path) -> None:
    """Remove the temporary files of earlier writes of ``path`` that were killed midway."""
    prefix, suffix = f".{path.name}.", ".tmp"
    cutoff = time.time() - STALE_SECONDS
    try:
        with os.scandir(path.parent) as entries:
            for entry in entries:
                name = entry.name
                if not (name.startswith(prefix) and name.endswith(suffix)):
                    continue
                if not _RANDOM_PART.fullmatch(name[len(prefix) : -len(suffix)]):
                    continue
                try:
                    if entry.is_file(follow_symlinks=False) and entry.stat().st_mtime < cutoff:
                        os.unlink(entry.path)
                except OSError:
                    continue
    except OSError:
        return


def write_text_atomic(
    path: Path, text: str, *, newline: str | None = None, sync: bool = True
) -> None:
    """Write ``text`` as UTF-8. ``newline=None`` writes ``\\n`` as is (no platform translation)."""
    if newline not in (None, "", "\n"):
        text = text.replace("\n", newline)
    write_bytes_atomic(path, text.encode("utf-8"), sync=sync)
