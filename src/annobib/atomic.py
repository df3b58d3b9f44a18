"""Atomic file writes: a temporary file in the same directory, then a rename.

A reader (or a crash, or Ctrl-C) sees either the old file or the new one, never half of it.
The new file gets the old file's permission bits, or the umask's default for a new file
(``mkstemp`` alone would leave it readable by its owner only). A writer killed outright
(SIGKILL, power loss) cannot remove its temporary file; the next synced write of the same
file (the user's files, not caches) removes such leftovers once they are an hour old (no write
takes that long).
"""

from __future__ import annotations

import errno
import os
import re
import stat
import tempfile
import time
from pathlib import Path

from annobib.errors import OutputExists, WriteError

#: A temporary file of this age or older, beside its target, was left by a killed writer.
STALE_SECONDS = 3600
# mkstemp's names: the prefix and suffix given here around 8 of its own characters
_RANDOM_PART = re.compile(r"[a-z0-9_]{8}")


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _write_all(fd: int, data: bytes) -> None:
    """Every byte of ``data`` to ``fd`` (the seam a test puts a full disk behind)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "no space left on the device"
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return f"the directory is not writable ({exc.strerror})"
    return exc.strerror or str(exc)


def write_atomic(
    path: Path, data: str | bytes, *, newline: str | None = None, sync: bool = True,
    exclusive: bool = False
) -> None:
    """Replace ``path`` by a file holding ``data``, atomically: every write of annobib's.

    Text is written as UTF-8, its ``\\n`` as they are (``newline=None`` or ``""``: no
    platform translation; another ``newline`` replaces each ``\\n``).

    ``sync=False`` skips fsync: still atomic for a process crash or Ctrl-C; only an OS crash
    could lose the newest file (fine for caches and re-fetchable evidence).

    A symbolic link is written through: the file it points to is replaced (atomically, in that
    file's directory) and the link stays. ``exclusive``: the file must not exist yet, and of
    two writers racing to create it exactly one wins; the other gets
    :class:`~annobib.errors.OutputExists`. Any other failure (read-only directory, full disk)
    is a :class:`~annobib.errors.WriteError` naming the path and the reason; the file that was
    there is left as it was.
    """
    if isinstance(data, str):
        if newline not in (None, "", "\n"):
            data = data.replace("\n", newline)
        data = data.encode("utf-8")
    path = Path(path)
    if exclusive and os.path.lexists(path):
        raise OutputExists(f"{path} exists; not overwriting it")
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    try:
        _write(target, data, sync=sync, exclusive=exclusive)
    except OutputExists:
        raise
    except OSError as exc:
        shown = f"{path} (a link to {target})" if target != path else str(path)
        raise WriteError(f"cannot write {shown}: {_reason(exc)}; nothing was changed") from None
    if sync:  # a user's file; caches and evidence (many files, thousands of writes) are not swept
        _sweep(target)


def _write(target: Path, data: bytes, *, sync: bool, exclusive: bool) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        mode = _default_mode()
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        try:
            _write_all(fd, data)
            if sync:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.chmod(tmp, mode)
        if exclusive:
            _create(tmp, target)
        else:
            os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _create(tmp: str, target: Path) -> None:
    """Rename ``tmp`` to ``target`` only if ``target`` does not exist, atomically: a hard link
    fails if the name is taken (then the loser is told); where links are not supported, an
    exclusively created placeholder claims the name first."""
    try:
        os.link(tmp, target)
    except FileExistsError:
        raise OutputExists(f"{target} exists; not overwriting it") from None
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK,
                             errno.ENOSYS, errno.EXDEV):
            raise
        try:
            os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:
            raise OutputExists(f"{target} exists; not overwriting it") from None
        os.replace(tmp, target)
    else:
        os.unlink(tmp)


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
