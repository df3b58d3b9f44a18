"""Reading: YAML files (or the cache) -> documents, the first stage callers meet.

A file unchanged since it was cached is not parsed: its findings, summary and (unless the
caller asks for summaries only) records come from :mod:`annobib.sources.cache`; otherwise it is
read and validated (:mod:`.validate`) and stored there.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annobib import runtime
from annobib.errors import InputError
from annobib.findings import Finding, Location, Severity
from annobib.model import trusted
from annobib.model.library import Document, DocumentSummary, Library, LoadedDocument
from annobib.reading import read_input
from annobib.sources.yaml.positions import Marked, indexer_from_bytes, store_index, stored_indexer
from annobib.sources.yaml.validate import parse_document

YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(slots=True)
class LoadResult:
    library: Library
    findings: list[Finding] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)
    # documents whose records were left in the cache (records=False): where they are
    unread: list[tuple[LoadedDocument, Path]] = field(default_factory=list)
    # documents whose positions the cache lacks, with their bytes (:func:`store_positions`)
    unstored: list[tuple[LoadedDocument, bytes]] = field(default_factory=list)


def expand_paths(paths: Sequence[Path]) -> tuple[list[Path], list[Finding]]:
    """Files as given, directories searched recursively for *.yaml/*.yml (hidden dirs skipped)."""
    files: list[Path] = []
    problems: list[Finding] = []
    for p in paths:
        if p.is_dir():
            found = sorted(
                f
                for f in p.rglob("*")
                if f.suffix in YAML_SUFFIXES
                and f.is_file()
                and not any(part.startswith(".") for part in f.relative_to(p).parts)
            )
            files.extend(found)
        elif p.exists():
            files.append(p)
        else:
            problems.append(
                Finding("A100", Severity.ERROR, "no such file or directory", Location(str(p)))
            )
    return files, problems


def load_paths(
    paths: Sequence[Path],
    *,
    use_cache: bool = True,
    positions: bool = False,
    defer_cache: bool = False,
    records: bool = True,
) -> LoadResult:
    """Load every YAML file under ``paths`` into one Library (``positions`` and
    ``defer_cache``: see :func:`load_file`).

    ``records=False``: a file unchanged since it was cached gives its summary and findings
    only (what ``validate`` needs), its records left in the cache until :func:`read_records`.
    """
    files, problems = expand_paths(paths)
    result = LoadResult(Library(), problems)
    result.unreadable.extend(str(p.location.file) for p in problems if p.location)
    for path in files:
        loaded, findings, readable = load_file(
            path, use_cache=use_cache, positions=positions, defer_cache=defer_cache,
            unread=None if records else result.unread, unstored=result.unstored,
        )
        result.findings.extend(findings)
        if not readable:
            result.unreadable.append(str(path))
        if loaded is not None:
            result.library.documents.append(loaded)
    return result


def read_records(result: LoadResult) -> None:
    """Read the records a ``records=False`` load left in the cache."""

    while result.unread:
        loaded, data_path = result.unread.pop(0)
        loaded.attach(_cached_document(data_path, loaded.path))


def _cached_document(data_path: Path, name: str, raw: bytes | None = None) -> Document:
    """A document the cache holds: validated when it was stored, so built back as it was
    (:mod:`annobib.model.trusted`), not validated again; a missing or foreign entry reads the
    file itself."""
    from annobib.sources import cache

    try:
        with runtime.gc_paused():  # hundreds of thousands of models, no cycles
            return trusted.load(Document, cache.read_data(data_path)["document"])
    except Exception:
        text = (raw if raw is not None else read_input(Path(name))).decode("utf-8")
        again, _ = parse_document(text.removeprefix("\ufeff"), name)
        if again is None:
            raise
        return again.document


def load_file(
    path: Path,
    *,
    use_cache: bool = True,
    positions: bool = False,
    defer_cache: bool = False,
    unread: list[tuple[LoadedDocument, Path]] | None = None,
    unstored: list[tuple[LoadedDocument, bytes]] | None = None,
) -> tuple[LoadedDocument | None, list[Finding], bool]:
    """Load one file. Returns (document or None, findings, readable).

    ``unread``: a file found in the cache gives its summary, and its records are left there,
    noted in ``unread`` (see :func:`load_paths`); else they are read.

    ``positions``: the caller's findings will name lines (a BibLaTeX export, say), so a valid
    file's record positions are noted while it is read (no second parse) and stored in the
    cache with the records. A file found in the cache comes with the positions stored there,
    read now; otherwise they are worked out from the text in memory if a finding asks, and
    the document is noted in ``unstored`` for :func:`store_positions`. Reading a model's
    positions never reads or writes a file.
    ``defer_cache``: a validated document's data is stored in the cache by a worker of the
    caller's next :func:`annobib.workers.map_chunks`, or by the caller's
    :func:`annobib.runtime.finish_later` (see there), not before this returns.
    """
    name = str(path)
    try:
        raw = read_input(path)
    except InputError as exc:
        return None, [Finding("A100", Severity.ERROR, str(exc), Location(name))], False
    if use_cache:
        from annobib.sources import cache

        hit = cache.get(raw, name)
        if hit is not None:
            summary, cached, data_path = hit
            if summary is None:
                return None, cached, True

            stored = stored_indexer(raw, name)
            hit_doc = LoadedDocument(
                name,
                summary=DocumentSummary.from_plain(summary),
                indexer=stored or indexer_from_bytes(raw, name),
            )
            if stored is None and unstored is not None:
                unstored.append((hit_doc, raw))
            if unread is not None:
                unread.append((hit_doc, data_path))
            else:
                hit_doc.attach(_cached_document(data_path, name, raw))
            return hit_doc, cached, True
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        msg = f"not UTF-8: byte 0x{raw[exc.start]:02x} cannot be decoded"
        return None, [Finding("A100", Severity.ERROR, msg, Location(name, line, col))], False
    if text.startswith("\ufeff"):
        text = text[1:]
    # hundreds of thousands of small objects: collections would cost half the time
    with runtime.gc_paused():
        loaded, findings = parse_document(text, name, positions=positions)
        if use_cache:
            from annobib.sources import cache

            if loaded is None:
                cache.put(raw, name, None, None, findings)
            else:
                if unstored is not None and not isinstance(loaded.indexer, Marked):
                    unstored.append((loaded, raw))
                store = _cache_writer(raw, name, loaded, list(findings))
                if defer_cache:
                    runtime.later(store)
                else:
                    store()
    return loaded, findings, True


def store_positions(result: LoadResult) -> None:
    """Keep in the cache the positions worked out since the load (a finding asked for them),
    for the next run's load to read: the loader's write, done when its caller asks (every
    :mod:`annobib.api` call does, when it is done), never when a model's positions are read."""
    if not result.unstored:
        return
    with runtime.gc_paused():
        for loaded, raw in result.unstored:
            if loaded.has_index:
                store_index(raw, loaded.path, loaded.index)
    result.unstored = [(d, raw) for d, raw in result.unstored if not d.has_index]


def _cache_writer(
    raw: bytes, name: str, loaded: LoadedDocument, findings: list[Finding]
) -> Callable[[], None]:
    """Storing the validated document in the cache: its data, findings and summary, and its
    positions when they were noted while reading."""
    document, summary = loaded.document, loaded.summary.to_plain()

    def store() -> None:
        from annobib.sources import cache

        with runtime.gc_paused():
            cache.put(raw, name, cached_data(document), summary, findings)
            if isinstance(loaded.indexer, Marked):
                cache.put_index(raw, name, loaded.indexer.plain())

    return store


def cached_data(doc: Document) -> dict[str, Any]:
    """What the cache stores of a validated document: :func:`annobib.model.trusted.dump`'s
    form, which the next load builds back without validating (``annobib: 1`` is kept as the
    YAML data has it, so the document is the one the YAML would give)."""
    dumped = trusted.dump(doc)
    dumped[1]["annobib"] = doc.annobib
    return {"document": dumped}
