"""A content-addressed cache of validated documents, so unchanged files load fast.

The key is the SHA-256 of the file's bytes, the file name (findings and origins name it) and
annobib's version: any edit, rename or upgrade misses. Entries live outside the data
(``$ANNOBIB_CACHE_DIR``, else ``$XDG_CACHE_HOME/annobib``, else ``~/.cache/annobib``), are written
atomically, and any problem reading or writing them is ignored: the cache can only save time,
never change a result. ``ANNOBIB_NO_CACHE=1`` switches it off.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

from annobib import __version__
from annobib.findings import Finding
from annobib.model.library import LoadedDocument

_FORMAT = 1


def cache_dir() -> Path:
    explicit = os.environ.get("ANNOBIB_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "annobib"


def _enabled() -> bool:
    return os.environ.get("ANNOBIB_NO_CACHE", "") not in ("1", "true", "yes")


def _entry(raw: bytes, name: str) -> Path:
    h = hashlib.sha256()
    h.update(f"{_FORMAT}\0{__version__}\0{name}\0".encode())
    h.update(raw)
    digest = h.hexdigest()
    return cache_dir() / digest[:2] / f"{digest}.pickle"


def get(raw: bytes, name: str) -> tuple[LoadedDocument | None, list[Finding]] | None:
    if not _enabled():
        return None
    try:
        with _entry(raw, name).open("rb") as fh:
            value: Any = pickle.load(fh)
    except Exception:  # a missing, stale or corrupt entry is a miss
        return None
    if (
        isinstance(value, tuple)
        and len(value) == 2
        and (value[0] is None or isinstance(value[0], LoadedDocument))
        and isinstance(value[1], list)
    ):
        return value[0], value[1]
    return None


def put(raw: bytes, name: str, loaded: LoadedDocument | None, findings: list[Finding]) -> None:
    if not _enabled():
        return
    target = _entry(raw, name)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump((loaded, findings), fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        return
