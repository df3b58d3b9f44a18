"""Positions: where each record, field and ``ref:`` of a document is written.

Worked out from the marks the fast builder notes on the events it reads (:class:`Marked`), or
from the located reader's tree (:func:`collect_origins`), and kept in the cache in plain form.
What a model is given to work them out later (:func:`indexer`, :func:`indexer_from_bytes`,
:func:`stored_indexer`) works in memory only: the cache is read by the loader while it loads
and written when its caller asks (:func:`store_index`), never when a model's positions are
read.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from annobib.findings import Location
from annobib.model.library import SourceIndex
from annobib.sources.located import (
    Located,
    NeedsLocating,
    Pos,
    RecordMarks,
    read_located,
    read_plain,
)
from annobib.sources.located import Path as NodePath


def stored_indexer(raw: bytes, name: str) -> Callable[[], SourceIndex] | None:
    """The positions an earlier run stored in the cache for this file, read now (the loader
    calls this while it loads) and decoded in memory when first asked for; None when none are
    stored. A stale or foreign entry is worked out again from ``raw``."""
    from annobib.sources import cache

    stored = cache.get_index(raw, name)
    if stored is None:
        return None

    def decoded() -> SourceIndex:
        try:
            return _index_from_plain(cache.decode_index(stored), name)
        except (TypeError, ValueError, EOFError):
            return indexer_from_bytes(raw, name)()

    return decoded


def store_index(raw: bytes, name: str, index: SourceIndex) -> None:
    """Keep ``index`` in the cache for the next run that asks for positions."""
    from annobib.sources import cache

    cache.put_index(raw, name, _index_to_plain(index))


def _index_to_plain(index: SourceIndex) -> tuple[Any, ...]:
    def pos(loc: Location) -> tuple[int | None, int | None]:
        return (loc.line, loc.col)

    return (
        {k: pos(v) for k, v in index.origins.items()},
        [(k, pos(v)) for k, v in index.definitions],
        [(k, pos(v)) for k, v in index.refs],
        {k: pos(v) for k, v in index.fields.items()},
    )


def _index_from_plain(plain: Any, name: str) -> SourceIndex:
    origins, definitions, refs, fields = plain

    def loc(p: Any) -> Location:
        return Location(name, p[0], p[1])

    return SourceIndex(
        origins={k: loc(v) for k, v in origins.items()},
        definitions=[(k, loc(v)) for k, v in definitions],
        refs=[(k, loc(v)) for k, v in refs],
        fields={(k[0], k[1]): loc(v) for k, v in fields.items()},
    )


def indexer_from_bytes(raw: bytes, name: str) -> Callable[[], SourceIndex]:
    def build() -> SourceIndex:
        text = raw.decode("utf-8").removeprefix("\ufeff")
        return indexer(text, name, None)()

    return build


def indexer(text: str, filename: str, located: Located | None) -> Callable[[], SourceIndex]:
    def build() -> SourceIndex:
        loc = located
        if loc is None:
            marks: RecordMarks = []
            try:
                read_plain(text, marks)
            except NeedsLocating:
                loc = read_located(text, filename)
            else:
                return Marked(marks, filename)()
        index = SourceIndex()
        collect_origins(loc.data, (), loc, index, filename)
        return index

    return build


class Marked:
    """A document's positions from what :func:`read_plain` noted: as the cache stores them
    (:meth:`plain`, made straight from the marks) and as the index findings read (a call)."""

    __slots__ = ("_plain", "filename", "marks")

    def __init__(self, marks: RecordMarks, filename: str) -> None:
        self.marks = marks
        self.filename = filename
        self._plain: tuple[Any, ...] | None = None

    def plain(self) -> tuple[Any, ...]:
        """What :func:`_index_to_plain` makes of the index :func:`collect_origins` builds
        (made once: the cache store and the index may both ask)."""
        if self._plain is None:
            self._plain = self._from_marks()
        return self._plain

    def _from_marks(self) -> tuple[Any, ...]:
        origins: dict[str, Pos] = {}
        definitions: list[tuple[str, Pos]] = []
        refs: list[tuple[str, Pos]] = []
        fields: dict[tuple[str, str], Pos] = {}
        for mark in self.marks:
            if mark is None:
                continue
            record, used = mark
            if record is not None:
                key, pos, values = record
                definitions.append((key, pos))
                if key not in origins:
                    origins[key] = pos
                    for name, where in values.items():
                        fields[(key, name)] = where
            if used is not None:
                refs.append(used)
        return origins, definitions, refs, fields

    def __call__(self) -> SourceIndex:
        return _index_from_plain(self.plain(), self.filename)


def collect_origins(
    node: Any, path: NodePath, located: Located, out: SourceIndex, filename: str
) -> None:
    """Record where each work (a mapping with a string 'key' and 'type') is defined, and where
    each ``ref:`` points from."""
    if isinstance(node, dict):
        key = node.get("key")
        if isinstance(key, str) and "type" in node:
            loc = Location(filename, *(located.where(path) or (1, 1)))
            out.definitions.append((key, loc))
            if key not in out.origins:
                out.origins[key] = loc
                for name in node:
                    pos = located.where((*path, name))
                    if pos is not None:
                        out.fields[(key, name)] = Location(filename, *pos)
        ref = node.get("ref")
        if isinstance(ref, str):
            where = located.where((*path, "ref")) or (1, 1)
            out.refs.append((ref, Location(filename, *where)))
        for k, v in node.items():
            if isinstance(v, (dict, list)):
                collect_origins(v, (*path, k), located, out, filename)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            if isinstance(v, (dict, list)):
                collect_origins(v, (*path, i), located, out, filename)
