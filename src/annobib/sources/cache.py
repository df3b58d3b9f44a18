"""A content-addressed cache of validated documents, so unchanged files load fast.

The key is the SHA-256 of the file's bytes, the file name (findings and origins name it) and
the code that validates it (:func:`code_hash`: the sources of the model and of the YAML reader,
not a hand-bumped number): any edit, rename, upgrade or changed validator misses. Entries live
outside the data (``$ANNOBIB_CACHE_DIR``, else ``$XDG_CACHE_HOME/annobib``, else
``~/.cache/annobib``), are written atomically, and any problem reading or writing them is
ignored: the cache can only save time, never change a result. ``ANNOBIB_NO_CACHE=1`` switches
it off.
"""

from __future__ import annotations

import functools
import hashlib
import marshal
import os
from pathlib import Path
from typing import Any

from annobib import __version__
from annobib.findings import Finding, Location, Severity


def cache_dir() -> Path:
    explicit = os.environ.get("ANNOBIB_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "annobib"


def _enabled() -> bool:
    return os.environ.get("ANNOBIB_NO_CACHE", "") not in ("1", "true", "yes")


_PACKAGE = Path(__file__).resolve().parents[1]
# what decides a cached entry's contents and its shape: the types, the reader, its positions
# and this module (no hand-bumped format number: editing any of them misses every entry)
_VALIDATING = ("model/*.py", "sources/yaml*.py", "sources/yaml/*.py", "sources/located.py",
               "sources/messages.py", "sources/cache.py", "codes.py", "findings.py")


@functools.cache
def code_hash() -> str:
    """SHA-256 of the modules that validate a document and shape its entry, read once per run.

    A development checkout whose validator changed never serves findings of the old one;
    without readable sources (a frozen build) the version stands in.
    """
    h = hashlib.sha256()
    try:
        for pattern in _VALIDATING:
            for path in sorted(_PACKAGE.glob(pattern)):
                rel = path.relative_to(_PACKAGE).as_posix()
                h.update(rel.encode() + b"\0" + path.read_bytes() + b"\0")
    except OSError:
        return f"version {__version__}"
    return h.hexdigest()


def _entry(raw: bytes, name: str) -> Path:
    h = hashlib.sha256()
    h.update(f"{code_hash()}\0{name}\0".encode())
    h.update(raw)
    digest = h.hexdigest()
    return cache_dir() / digest[:2] / f"{digest}.entry"


def _finding_row(f: Finding) -> tuple[Any, ...]:
    loc = f.location or Location()
    return (
        f.code,
        f.severity.value,
        f.message,
        loc.file,
        loc.line,
        loc.col,
        f.key,
        f.field,
        f.data,
    )


def _finding(row: tuple[Any, ...]) -> Finding:
    code, severity, message, file, line, col, key, field, data = row
    return Finding(code, Severity(severity), message, Location(file, line, col), key, field, data)


def get(raw: bytes, name: str) -> tuple[Any, list[Finding], Path] | None:
    """On a hit: (summary in plain form or None, findings, path of the document data)."""
    if not _enabled():
        return None
    entry = _entry(raw, name)
    try:
        rows, summary = marshal.loads(entry.read_bytes())
        return summary, [_finding(tuple(r)) for r in rows], entry.with_suffix(".data")
    except Exception:  # a missing, stale or corrupt entry is a miss
        return None


def read_data(path: Path) -> dict[str, Any]:
    """The validated document data stored beside a cache entry."""
    value: dict[str, Any] = marshal.loads(path.read_bytes())
    return value


def put(
    raw: bytes,
    name: str,
    data: dict[str, Any] | None,
    summary: Any,
    findings: list[Finding],
) -> None:
    """Remember the findings and summary (read on every hit) and the document data (read only
    when a command needs the records), the data first so an entry never lacks it."""
    if not _enabled():
        return
    entry = _entry(raw, name)
    try:
        if data is not None:
            _write(entry.with_suffix(".data"), marshal.dumps(data))
        _write(entry, marshal.dumps(([_finding_row(f) for f in findings], summary)))
    except (OSError, ValueError):
        return


def get_index(raw: bytes, name: str) -> bytes | None:
    """Positions of a file's records and fields as stored (:func:`put_index`; undecoded, so a
    load that never needs them pays one read), if an earlier run stored them."""
    if not _enabled():
        return None
    try:
        return _entry(raw, name).with_suffix(".index").read_bytes()
    except Exception:
        return None


def decode_index(stored: bytes) -> Any:
    """What :func:`get_index` read, as :func:`put_index` was given it (in memory only)."""
    return marshal.loads(stored)


def put_index(raw: bytes, name: str, plain: Any) -> None:
    if not _enabled():
        return
    try:
        _write(_entry(raw, name).with_suffix(".index"), marshal.dumps(plain))
    except (OSError, ValueError):
        return


def _write(target: Path, payload: bytes) -> None:
    from annobib.atomic import write_atomic

    write_atomic(target, payload, sync=False)
