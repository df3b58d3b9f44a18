"""Atomic file writes: a temporary file in the same directory, then a rename.

A reader (or a crash, or Ctrl-C) sees either the old file or the new one, never half of it.
The new file gets the old file's permission bits, or the umask's default for a new file
(``mkstemp`` alone would leave it readable by its owner only).
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


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


def write_text_atomic(
    path: Path, text: str, *, newline: str | None = None, sync: bool = True
) -> None:
    """Write ``text`` as UTF-8. ``newline=None`` writes ``\\n`` as is (no platform translation)."""
    if newline not in (None, "", "\n"):
        text = text.replace("\n", newline)
    write_bytes_atomic(path, text.encode("utf-8"), sync=sync)
