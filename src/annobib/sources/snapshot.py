"""``annobib snapshot build``: Crossref work records in, a Parquet snapshot out.

Sources are the files of Crossref's public data file (``*.json.gz``, each
``{"items": [work, ...]}``) and the API's own work records: single-work responses
(``{"message": work}``), list responses (``{"message": {"items": [...]}}``) and annobib
evidence files (``.crossref/works/*.json``). A directory stands for every ``*.json.gz`` and
``*.json`` below it.

Each record keeps, exactly as deposited, the fields the check compares (:data:`KEEP`): the DOI,
every title variant, names, dates, container, volume/issue/pages, type, publisher and the update
relations. Nothing is changed; a record without a DOI is reported with its file and item
number and left out, and every other record of that file is kept.

Layout of a snapshot directory::

    manifest.json                      sources (path, size, sha256, records), date, segments
    works/bucket=NN/part-SSSSS.parquet doi, record (JSON of the kept fields), type, year, indexed
    tokens/bucket=NN/part-SSSSS.parquet token, doi: bibliographic search

``bucket`` is ``crc32(doi) % buckets`` for works and ``crc32(token) % buckets`` for tokens
(:func:`bucket_of`), so a DOI lookup reads one partition. Rows are sorted by DOI (by token)
inside each file, so a lookup reads one row group of it.

Streaming and resumable: sources are read one at a time (on forked workers when allowed) and
their rows gathered until ``segment_rows``; then the segment's files are written (temporary
name, then rename) and the manifest records the segment and its sources. Memory is bounded by
the segment size and the largest source file, not by the input. A killed build, run again with
the same output directory, deletes the files of the segment it did not finish and goes on with
the first source no segment holds. A source that changed since (size or mtime) stops the build:
the snapshot would no longer say what it was built from.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
import os
import re
import zlib
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

from annobib.services.snapshot import (
    CHECK_COLUMNS,
    FORMAT,
    MANIFEST,
    SnapshotUnusable,
    bucket_of,
    check_columns,
    parse_manifest,
    tokens_of,
    year_of,
)

__all__ = ["FORMAT", "MANIFEST", "bucket_of", "build", "read_source"]

DEFAULT_BUCKETS = 32
DEFAULT_SEGMENT_ROWS = 200_000

#: The fields of a work record that a snapshot keeps (what the check compares, what a record
#: imported from the snapshot needs, and the date Crossref last indexed the record).
KEEP: tuple[str, ...] = (
    "DOI", "type", "title", "subtitle", "original-title", "short-title", "container-title",
    "short-container-title", "author", "editor", "issued", "published", "published-print",
    "published-online", "posted", "volume", "issue", "page", "article-number", "publisher",
    "publisher-location", "language", "ISSN", "ISBN", "update-to", "updated-by", "relation",
    "indexed",
)  # fmt: skip
#: Kept only with ``--with-references``: the publisher's deposited reference list, which the
#: check compares with an article's own numbered references. It is most of a record's bytes.
REFERENCES = "reference"


class SnapshotError(Exception):
    """The build cannot go on (a changed source, a foreign directory)."""


def _indexed(record: dict[str, Any]) -> str | None:
    ix = record.get("indexed")
    if isinstance(ix, dict) and isinstance(ix.get("date-time"), str):
        return str(ix["date-time"])
    return None


def kept(record: dict[str, Any], references: bool = False) -> dict[str, Any]:
    """The kept fields of ``record``, values untouched, in :data:`KEEP` order."""
    out = {k: record[k] for k in KEEP if k in record}
    if references and REFERENCES in record:
        out[REFERENCES] = record[REFERENCES]
    return out


# --- reading sources ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Problem:
    """A record or file that could not be used: ``file: where: message``."""

    file: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.where}: {self.message}" if self.where else (
            f"{self.file}: {self.message}"
        )


def expand_sources(sources: Iterable[Path]) -> list[Path]:
    """Files named, and every ``*.json.gz``/``*.json`` below a directory named, sorted."""
    out: list[Path] = []
    for src in sources:
        if src.is_dir():
            found = [p for p in src.rglob("*") if p.is_file()
                     and (p.name.endswith(".json.gz") or p.name.endswith(".json"))]
            out.extend(sorted(found))
        else:
            out.append(src)
    return list(dict.fromkeys(p.resolve() for p in out))


def _records_of(data: Any) -> Iterator[tuple[str, Any]]:
    """(where, record) for each work record a parsed source holds."""
    if not isinstance(data, dict):
        return
    if data.get("annobib-evidence") is not None:
        for i, ex in enumerate(data.get("exchanges") or []):
            if not isinstance(ex, dict) or ex.get("status") != 200:
                continue
            body = ex.get("body")
            if not isinstance(body, dict):
                continue
            if ex.get("part") == "item":
                yield f"exchanges[{i}]", body
            elif ex.get("kind") == "search":
                message = body.get("message")
                items = message.get("items") if isinstance(message, dict) else None
                for j, item in enumerate(items or []):
                    yield f"exchanges[{i}].items[{j}]", item
            elif isinstance(body.get("message"), dict):
                yield f"exchanges[{i}].message", body["message"]
        return
    if isinstance(data.get("items"), list):
        for i, item in enumerate(data["items"]):
            yield f"items[{i}]", item
        return
    message = data.get("message")
    if isinstance(message, dict):
        if isinstance(message.get("items"), list):
            for i, item in enumerate(message["items"]):
                yield f"message.items[{i}]", item
        elif data.get("message-type", "work") == "work":
            yield "message", message


try:  # ISA-L's inflate: the same gzip, in half zlib's CPU time (docs/performance.md)
    from isal import isal_zlib as _fast_zlib

    _INFLATE_ERRORS: tuple[type[Exception], ...] = (zlib.error,
                                                    cast(type[Exception], _fast_zlib.error))
except ImportError:  # a platform without its wheel: zlib
    _fast_zlib = zlib  # type: ignore[misc]
    _INFLATE_ERRORS = (zlib.error,)


_READ_ERRORS: tuple[type[Exception], ...] = (EOFError, ValueError, *_INFLATE_ERRORS)


def _decompressobj() -> Any:
    return _fast_zlib.decompressobj(31)


@functools.cache
def _item_decoders() -> tuple[Any, Any, list[bytes]]:
    """msgspec decoders for the public data file's shape: ``{"items": [work, ...]}`` with each
    work's kept fields as their raw JSON text (every other field is skipped unparsed), and a
    plain one for the kept fields' text."""
    import msgspec

    names = [*KEEP, REFERENCES]
    attrs = [f"f{i}" for i in range(len(names))]
    item = msgspec.defstruct("Item", [(a, msgspec.Raw, msgspec.field(default=msgspec.Raw(),
                                                                      name=n))
                                      for a, n in zip(attrs, names, strict=True)])
    doc = msgspec.defstruct("DataFile", [
        ("items", list[item] | None, None),  # type: ignore[valid-type]
        ("evidence", msgspec.Raw, msgspec.field(default=msgspec.Raw(), name="annobib-evidence")),
    ])
    keys = [json.dumps(n).encode() + b":" for n in names]
    return msgspec.json.Decoder(doc), msgspec.json.Decoder(), keys


def _data_file_items(text: bytes, references: bool) -> list[tuple[str, Any, str]] | None:
    """``(where, kept fields, their JSON text)`` of each work of a data file piece, reading
    only the kept fields (:data:`KEEP`): their text is the source's own, byte for byte. None
    when ``text`` is not that shape with an object for every item (the general reader,
    :func:`_records_of`, then reads it and reports each bad item)."""
    import msgspec

    decoder, plain, keys = _item_decoders()
    if not references:
        keys = keys[:-1]
    try:
        doc = decoder.decode(text)
        if doc.items is None or len(doc.evidence):
            return None
        out = []
        astuple = msgspec.structs.astuple
        for i, item in enumerate(doc.items):
            body = b",".join([k + bytes(v) for k, v in zip(keys, astuple(item), strict=False)
                              if len(v)])
            kept_text = b"{" + body + b"}"
            out.append((f"items[{i}]", plain.decode(kept_text), kept_text.decode("utf-8")))
        return out
    except (msgspec.DecodeError, msgspec.ValidationError, UnicodeDecodeError):
        return None


@dataclass(slots=True)
class SourceRows:
    """What one source gave: its checksum and its rows, as columns."""

    path: str
    size: int
    mtime_ns: int
    sha256: str = ""
    records: int = 0
    problems: list[Problem] = field(default_factory=list)
    unreadable: bool = False
    latest_indexed: str | None = None
    doi: list[str] = field(default_factory=list)
    record: list[str] = field(default_factory=list)
    type: list[str | None] = field(default_factory=list)
    year: list[int | None] = field(default_factory=list)
    indexed: list[str | None] = field(default_factory=list)
    bucket: list[int] = field(default_factory=list)
    checks: list[tuple[Any, ...]] = field(default_factory=list)  # CHECK_COLUMNS, per record
    token: list[str] = field(default_factory=list)
    token_doi: list[str] = field(default_factory=list)
    token_bucket: list[int] = field(default_factory=list)
    tables: tuple[Any, Any] | None = None  # the rows as tables (works, tokens), lists emptied


def read_source(path: Path, buckets: int = DEFAULT_BUCKETS,
                references: bool = False) -> SourceRows:
    """Parse one source file into rows. Never raises for bad content: problems are listed.

    The cyclic garbage collector is off meanwhile: the rows are acyclic (strings, numbers,
    plain lists and dicts), and its passes over the thousands of records a file holds cost a
    fifth of the time (docs/performance.md)."""
    from annobib.runtime import gc_paused

    with gc_paused():
        return _read_source(path, buckets, references)


def _read_source(path: Path, buckets: int, references: bool) -> SourceRows:
    st = path.stat()
    out = SourceRows(str(path), st.st_size, st.st_mtime_ns)
    from annobib.errors import InputError
    from annobib.reading import max_bytes, read_input

    try:
        raw = read_input(path)
    except InputError as exc:
        out.unreadable = True
        out.problems.append(Problem(str(path), "", f"cannot read: {exc}"))
        return out
    out.sha256 = hashlib.sha256(raw).hexdigest()
    cap = 32 * max_bytes()  # what one data file piece may decompress to
    try:
        if raw[:2] == b"\x1f\x8b":
            inflater = _decompressobj()
            text = inflater.decompress(raw, cap)
            if inflater.unconsumed_tail:
                raise ValueError(f"decompresses to more than {cap:,} bytes")
            if not inflater.eof:
                raise EOFError("compressed data ends early")
        else:
            text = raw
        del raw
        fast = _data_file_items(text, references)
        data = json.loads(text) if fast is None else None
    except _READ_ERRORS as exc:
        out.unreadable = True
        out.problems.append(Problem(str(path), "", f"not a gzipped or plain JSON file: {exc}"))
        return out
    del text
    latest = ""
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    found: Iterable[tuple[str, Any, str | None]] = fast if fast is not None else (
        (where, rec, None) for where, rec in _records_of(data))
    for where, rec, text_kept in found:
        if not isinstance(rec, dict):
            out.problems.append(Problem(str(path), where, "not a work record (an object)"))
            continue
        doi = rec.get("DOI")
        if not isinstance(doi, str) or not doi.strip():
            out.problems.append(Problem(str(path), where, "work record without a DOI: left out"))
            continue
        doi = doi.strip().lower()
        out.doi.append(doi)
        out.bucket.append(bucket_of(doi, buckets))
        record = kept(rec, references) if text_kept is None else rec
        out.record.append(dumps(record) if text_kept is None else text_kept)
        out.checks.append(check_columns(record, doi))
        t = record.get("type")
        out.type.append(t if isinstance(t, str) else None)
        out.year.append(year_of(record))
        ix = _indexed(record)
        out.indexed.append(ix)
        if ix is not None and ix > latest:
            latest = ix
        toks = tokens_of(record)
        out.token.extend(toks)
        out.token_doi.extend([doi] * len(toks))
        out.token_bucket.extend(bucket_of(t, buckets) for t in toks)
        out.records += 1
    evidence = isinstance(data, dict) and data.get("annobib-evidence") is not None
    if not out.records and not out.problems and not evidence:
        # (an evidence file of a 404 holds an answer, and no record: nothing to report)
        out.problems.append(Problem(str(path), "", "holds no work records"))
    out.latest_indexed = latest or None
    return out


# --- writing -----------------------------------------------------------------------------


@dataclass(slots=True)
class BuildOptions:
    buckets: int = DEFAULT_BUCKETS
    segment_rows: int = DEFAULT_SEGMENT_ROWS
    date: str | None = None  # the snapshot's date (YYYY-MM-DD); default: latest indexed
    jobs: int = 0  # worker processes; 0: as many as allowed
    references: bool = False  # keep the deposited reference lists (:data:`REFERENCES`)


@dataclass(slots=True)
class BuildResult:
    out: Path
    records: int
    sources: int
    resumed_sources: int
    problems: list[Problem]
    unreadable: int
    date: str | None


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def read_manifest(out: Path) -> dict[str, Any] | None:
    try:
        text = (out / MANIFEST).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    try:
        return parse_manifest(str(out), text)
    except SnapshotUnusable as exc:
        raise SnapshotError(str(exc)) from exc


def _write_manifest(out: Path, manifest: dict[str, Any]) -> None:
    from annobib.atomic import write_atomic

    write_atomic(out / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1) + "\n")


def _part_segment(name: str) -> int | None:
    m = re.fullmatch(r"part-(\d+)\.parquet", name)
    return int(m.group(1)) if m else None


def _clear_unfinished(out: Path, segments: set[int]) -> None:
    """Delete what a killed build left: temporary files and parts of uncommitted segments."""
    for table in ("works", "tokens"):
        folder = out / table
        if not folder.is_dir():
            continue
        for p in folder.rglob("*"):
            if not p.is_file():
                continue
            seg = _part_segment(p.name)
            if seg is None or seg not in segments:
                p.unlink()


class _Segment:
    """Rows gathered from whole sources until they are written together."""

    def __init__(self) -> None:
        self.parts: list[SourceRows] = []
        self.rows = 0

    def add(self, rows: SourceRows) -> None:
        self.parts.append(rows)
        self.rows += rows.records

    def write(self, out: Path, number: int) -> None:
        import pyarrow as pa

        tables = [p.tables if p.tables is not None else row_tables(p) for p in self.parts]
        write_parts(pa.concat_tables([w for w, _ in tables]), out / "works", number)
        write_parts(pa.concat_tables([t for _, t in tables]), out / "tokens", number)


def row_tables(rows: SourceRows) -> tuple[Any, Any]:
    """The works and tokens rows of one source as ``pyarrow`` tables (with ``bucket``)."""
    import pyarrow as pa

    kinds = {"STRING": pa.string(), "BOOLEAN": pa.bool_()}
    checks = list(zip(*rows.checks, strict=True)) or [() for _ in CHECK_COLUMNS]
    works = pa.table({
        "doi": pa.array(rows.doi, pa.string()),
        "record": pa.array(rows.record, pa.string()),
        "type": pa.array(rows.type, pa.string()),
        "year": pa.array(rows.year, pa.int32()),
        "indexed": pa.array(rows.indexed, pa.string()),
        **{name: pa.array(list(values), kinds[kind])
           for (name, kind), values in zip(CHECK_COLUMNS, checks, strict=True)},
        "bucket": pa.array(rows.bucket, pa.int32()),
    })
    tokens = pa.table({
        "token": pa.array(rows.token, pa.string()),
        "doi": pa.array(rows.token_doi, pa.string()),
        "bucket": pa.array(rows.token_bucket, pa.int32()),
    })
    return works, tokens


def read_source_tables(path: Path, buckets: int = DEFAULT_BUCKETS,
                       references: bool = False) -> SourceRows:
    """:func:`read_source` with its rows as ``pyarrow`` tables (:attr:`SourceRows.tables`)
    and the row lists emptied: what a reader sends the writer (an Arrow table is sent as
    its buffers, a list of strings one object at a time)."""
    rows = read_source(path, buckets, references)
    rows.tables = row_tables(rows)
    for name in ("doi", "record", "type", "year", "indexed", "bucket", "checks", "token",
                 "token_doi", "token_bucket"):
        setattr(rows, name, [])
    return rows


def write_parts(table: Any, folder: Path, number: int) -> None:
    """Segment ``number`` of a table (a ``pyarrow.Table`` with a ``bucket`` column): one
    Parquet file a partition, ``bucket=NNN/part-SSSSS.parquet``, rows sorted by their key
    (``doi``, or ``token`` then ``doi``), each file written under a temporary name first."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    if table.num_rows == 0:
        return
    key = "token" if "token" in table.column_names else "doi"
    sort_by = [("bucket", "ascending"), (key, "ascending")]
    if key == "token":
        sort_by.append(("doi", "ascending"))
    table = table.sort_by(sort_by)
    bucket_col = table.column("bucket")
    for b in pc.unique(bucket_col).to_pylist():
        piece = table.filter(pc.equal(bucket_col, b)).drop_columns(["bucket"])
        part = folder / f"bucket={b:03d}"
        part.mkdir(parents=True, exist_ok=True)
        target = part / f"part-{number:05d}.parquet"
        tmp = part / f".part-{number:05d}.parquet.tmp"
        pq.write_table(piece, tmp, compression="zstd", row_group_size=50_000)
        os.replace(tmp, target)


def _source_entry(rows: SourceRows, segment: int | None) -> dict[str, Any]:
    return {
        "path": rows.path,
        "name": Path(rows.path).name,
        "size": rows.size,
        "mtime_ns": rows.mtime_ns,
        "sha256": rows.sha256,
        "records": rows.records,
        "problems": len(rows.problems),
        "segment": segment,
    }


def _parsed(paths: Sequence[Path], jobs: int, buckets: int,
            references: bool) -> Iterator[SourceRows]:
    """Sources parsed in order, on forked workers when that is allowed and useful. At most
    two sources per worker are parsed ahead of the writer, so memory stays bounded."""
    from annobib import runtime

    n = jobs or runtime.cpus()
    if n > 1 and len(paths) > 1 and runtime.fork_allowed():
        import multiprocessing
        from multiprocessing.pool import AsyncResult

        from annobib import progress

        with progress.forking():
            pool = multiprocessing.get_context("fork").Pool(min(n, len(paths)))
        with pool:
            waiting: deque[AsyncResult[SourceRows]] = deque()
            it = iter(paths)
            for p in itertools.islice(it, 2 * n):
                waiting.append(pool.apply_async(read_source_tables, (p, buckets, references)))
            while waiting:
                rows = waiting.popleft().get()
                nxt = next(it, None)
                if nxt is not None:
                    waiting.append(pool.apply_async(read_source_tables,
                                                     (nxt, buckets, references)))
                yield rows
        return
    for p in paths:
        yield read_source(p, buckets, references)


def build(sources: Sequence[Path], out: Path, options: BuildOptions | None = None) -> BuildResult:
    """Build (or resume building) the snapshot in ``out`` from ``sources``. Progress (sources
    done of all, those of an interrupted build included) goes to :mod:`annobib.progress`."""
    from annobib import progress

    opts = options or BuildOptions()
    if opts.buckets < 1 or opts.segment_rows < 1:
        raise SnapshotError("buckets and segment rows must be at least 1")
    out = Path(out)
    paths = expand_sources(sources)
    for p in paths:
        if not p.is_file():
            raise SnapshotError(f"{p}: no such file")
    manifest = read_manifest(out)
    if manifest is None:
        if out.exists() and any(out.iterdir()):
            raise SnapshotError(f"{out}: exists and is not a snapshot; give an empty or new "
                                "directory")
        out.mkdir(parents=True, exist_ok=True)
        manifest = {
            "annobib-snapshot": FORMAT,
            "state": "building",
            "created": _now(),
            "buckets": opts.buckets,
            "references": opts.references,
            "check-columns": True,
            "date": None,
            "latest-indexed": None,
            "records": 0,
            "segments": [],
            "sources": [],
            "problems": [],
        }
    elif (manifest.get("buckets"), bool(manifest.get("references"))) != (
        opts.buckets, opts.references
    ):
        raise SnapshotError(f"{out}: begun with {manifest.get('buckets')} buckets and "
                            f"references {'kept' if manifest.get('references') else 'left out'}"
                            "; resume it with the same options")
    if not manifest.get("check-columns"):
        raise SnapshotError(f"{out}: begun by an older annobib (no check columns); build a "
                            "new snapshot in a new directory")
    buckets = int(manifest["buckets"])
    segments = set(int(s) for s in manifest.get("segments", []))
    _clear_unfinished(out, segments)
    done = {s["path"]: s for s in manifest.get("sources", [])}
    todo: list[Path] = []
    for p in paths:
        entry = done.get(str(p))
        if entry is None:
            todo.append(p)
            continue
        st = p.stat()
        if st.st_size != entry["size"] or st.st_mtime_ns != entry["mtime_ns"]:
            raise SnapshotError(f"{p}: changed since it went into the snapshot in {out} "
                                "(size or time); build a new snapshot in a new directory")
    skipped = len(paths) - len(todo)
    problems: list[Problem] = []
    unreadable = 0
    records_new = 0
    seg = _Segment()
    next_segment = max(segments, default=-1) + 1
    manifest["state"] = "building"

    def commit() -> None:
        nonlocal seg, next_segment
        if seg.parts:
            if seg.rows:
                seg.write(out, next_segment)
                manifest["segments"].append(next_segment)
            for rows in seg.parts:
                manifest["sources"].append(
                    _source_entry(rows, next_segment if rows.records else None))
                manifest["records"] += rows.records
                latest = manifest.get("latest-indexed")
                if rows.latest_indexed and (latest is None or rows.latest_indexed > latest):
                    manifest["latest-indexed"] = rows.latest_indexed
            next_segment += 1
            _write_manifest(out, manifest)
        seg = _Segment()

    done_count = skipped
    for rows in _parsed(todo, opts.jobs, buckets, bool(manifest["references"])):
        problems.extend(rows.problems)
        manifest["problems"].extend(str(p) for p in rows.problems[:100])
        done_count += 1
        if rows.unreadable:
            unreadable += 1  # not recorded as done: a later run tries it again
        else:
            records_new += rows.records
            seg.add(rows)
            if seg.rows >= opts.segment_rows:
                commit()
        progress.update(done_count, len(paths))
    commit()
    if opts.date is not None:
        manifest["date"] = opts.date
    elif manifest.get("latest-indexed"):
        manifest["date"] = str(manifest["latest-indexed"])[:10]
    manifest["state"] = "complete" if not unreadable else "incomplete"
    manifest["finished"] = _now()
    _write_manifest(out, manifest)
    return BuildResult(out, int(manifest["records"]), len(paths), skipped, problems,
                       unreadable, manifest.get("date"))
