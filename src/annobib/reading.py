"""The one way annobib reads an input file: bounded, regular files only (or standard input).

Every reader of user input (YAML data files, ``import`` sources, ``check --apply``'s edit,
``.csl`` style files) calls :func:`read_input`. It

* refuses what is not a regular file (``/dev/zero`` would be read for ever, a FIFO blocks until
  someone writes to it, a directory cannot be read) unless it is standard input, named ``-``;
* reads at most the limit, ``ANNOBIB_MAX_FILE_BYTES`` (default 64 MiB), plus one byte, from
  any input, a growing file and a pipe included, and refuses a larger one;
* turns every ``OSError`` into :class:`~annobib.errors.InputError` whose message is the reason
  alone (the caller names the file): exit 3, never a traceback.
"""

from __future__ import annotations

import os
import stat
import sys

from annobib.errors import InputError

#: Inputs above this size are refused (a safety bound; override with ANNOBIB_MAX_FILE_BYTES).
MAX_FILE_BYTES = 64 * 1024 * 1024
STDIN = "-"
_CHUNK = 1 << 20

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class MissingInput(InputError):
    """The input does not exist (for a caller to whom that is no error: stored evidence)."""


def max_bytes() -> int:
    """The size limit in bytes: ``ANNOBIB_MAX_FILE_BYTES`` when it is a whole number."""
    try:
        value = int(os.environ.get("ANNOBIB_MAX_FILE_BYTES", MAX_FILE_BYTES))
    except ValueError:
        return MAX_FILE_BYTES
    return value if value >= 0 else MAX_FILE_BYTES


def _too_large(limit: int, size: int | None = None) -> InputError:
    what = f"file is {size} bytes" if size is not None else "input is larger than the limit"
    return InputError(f"{what}, over the {limit}-byte limit (ANNOBIB_MAX_FILE_BYTES)")


def _reason(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "no such file"
    return f"cannot read: {exc.strerror or exc}"


def _read_fd(fd: int, limit: int) -> bytes:
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = os.read(fd, min(_CHUNK, limit + 1 - total))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            raise _too_large(limit)


def read_input(path: str | os.PathLike[str]) -> bytes:
    """The bytes of ``path`` (``-``: standard input), at most :func:`max_bytes` of them."""
    limit = max_bytes()
    if os.fspath(path) == STDIN:
        stream = getattr(sys.stdin, "buffer", None)
        if stream is None:
            raise InputError("no standard input to read")
        try:
            raw: bytes = stream.read(limit + 1)
        except (OSError, ValueError) as exc:  # ValueError: stdin was closed
            raise InputError(f"cannot read standard input: {exc}") from None
        if len(raw) > limit:
            raise _too_large(limit)
        return raw
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        # O_NONBLOCK: opening a FIFO no one writes to returns at once (to be refused below)
        fd = os.open(path, flags)
    except IsADirectoryError:
        raise InputError("not a regular file (a directory)") from None
    except FileNotFoundError:
        raise MissingInput("no such file") from None
    except OSError as exc:
        raise InputError(_reason(exc)) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = next((name for test, name in _KINDS if test(info.st_mode)), "not a file")
            raise InputError(f"not a regular file ({kind}); give a file, or - for standard input")
        if info.st_size > limit:
            raise _too_large(limit, info.st_size)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return _read_fd(fd, limit)
    except OSError as exc:
        raise InputError(_reason(exc)) from None
    finally:
        os.close(fd)
