"""Explicit cache access (issue 16): reading a loaded model's positions never opens a file.

The loader reads (and stores) positions in the cache only while it loads, when the caller asks
for them (``positions=True``); otherwise a model works them out, the first time a finding asks,
from the text the loader kept in memory. Every ``open`` of the process (Python's audit events:
``open()``, ``os.open``, ``Path.read_bytes``, the atomic writer's temporary files) is watched
while the properties are read."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from annobib.findings import Location
from annobib.model.library import Library, LoadedDocument, SourceIndex
from annobib.sources.yaml import load_paths, read_records, store_positions
from annobib.sources.yaml import positions as yaml_positions

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"

_WATCHING: list[list[str]] = []


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if _WATCHING and event in ("open", "os.listdir", "os.scandir", "os.rename", "os.replace"):
        _WATCHING[-1].append(f"{event} {args[0]!r}")


sys.addaudithook(_hook)  # audit hooks stay for the process: it records only while watching


@contextmanager
def no_file_opened() -> Iterator[None]:
    opened: list[str] = []
    _WATCHING.append(opened)
    try:
        yield
    finally:
        _WATCHING.pop()
    assert not opened, f"reading positions touched files: {opened}"


def _every_position(library: Library) -> list[object]:
    """What a finding can ask of a library's positions, through every property."""
    out: list[object] = []
    for loaded in library.documents:
        out.append((loaded.index, loaded.origins, loaded.definitions, loaded.refs,
                    loaded.fields))
        for key in loaded.defined_keys():
            out.append((loaded.locate(key), loaded.locate(key, "title"),
                        library.origin(key), library.origin(key, "issued")))
    return out


def _load(paths: list[Path], **options: Any) -> Library:
    result = load_paths(paths, **options)
    assert not result.unreadable
    return result.library


@pytest.mark.parametrize("positions", [False, True], ids=["lazy", "asked"])
def test_reading_positions_opens_no_file(positions: bool) -> None:
    reference = _every_position(_load([DATA], use_cache=False, positions=True))
    assert any(isinstance(p, tuple) and isinstance(p[0], SourceIndex) and p[0].fields
               for p in reference)
    for run in ("cold", "warm", "warm again"):
        library = _load([DATA], positions=positions)
        with no_file_opened():
            got = _every_position(library)
        assert got == reference, run


def test_a_summaries_only_load_reads_positions_without_a_file() -> None:
    _load([DATA])  # cold: the cache holds the files
    result = load_paths([DATA], records=False)
    assert result.unread
    with no_file_opened():
        for loaded in result.library.documents:
            assert loaded.origins and loaded.locate(loaded.defined_keys()[0]).line
    read_records(result)  # the records: read explicitly, by the loader
    assert all(d.has_document for d in result.library.documents)


def test_the_watch_catches_an_open(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("annobib: 1\n", encoding="utf-8")
    with pytest.raises(AssertionError, match="touched files"), no_file_opened():
        path.read_bytes()

    def reads() -> SourceIndex:
        path.read_bytes()
        return SourceIndex()

    with pytest.raises(AssertionError, match="touched files"), no_file_opened():
        assert LoadedDocument(str(path), summary=_load([DATA]).documents[0].summary,
                              indexer=reads).origins == {}


def test_asked_for_positions_come_from_the_cache_while_loading(
        monkeypatch: pytest.MonkeyPatch) -> None:
    cold = _every_position(_load([DATA], positions=True))  # stores them with the records

    def refuse(*_: object) -> object:
        raise AssertionError("positions worked out again")

    monkeypatch.setattr(yaml_positions, "indexer_from_bytes", refuse)
    monkeypatch.setattr("annobib.sources.yaml.read.indexer_from_bytes", refuse)
    warm = _load([DATA], positions=True)
    with no_file_opened():
        assert _every_position(warm) == cold


def test_positions_worked_out_are_stored_when_the_caller_asks(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "lib.yaml"
    path.write_text(
        "annobib: 1\nworks:\n- key: a\n  type: book\n  title: A\n- {key: b, type: misc}\n",
        encoding="utf-8")
    _load([path])  # cold, positions not asked for: none stored
    assert not list(Path(_cache_dir()).rglob("*.index"))
    result = load_paths([path])
    with no_file_opened():  # worked out from the bytes in memory
        assert result.library.origin("b") == Location(str(path), 6, 3)
        assert result.library.origin("a", "title") == Location(str(path), 5, 10)  # the value
    assert not list(Path(_cache_dir()).rglob("*.index"))  # reading them wrote nothing
    store_positions(result)  # the caller asks the loader to keep them
    assert list(Path(_cache_dir()).rglob("*.index")) and not result.unstored

    def refuse(*_: object) -> object:
        raise AssertionError("positions worked out again")

    monkeypatch.setattr("annobib.sources.yaml.read.indexer_from_bytes", refuse)
    warm = _load([path])  # read with the file's entry, while loading
    with no_file_opened():
        assert warm.origin("b") == Location(str(path), 6, 3)


def _cache_dir() -> str:
    import os

    return os.environ["ANNOBIB_CACHE_DIR"]
