"""Crossref's records from a local snapshot (``annobib snapshot build``), asked with SQL.

:class:`SnapshotService` is a :class:`~annobib.services.base.MetadataService`: it answers
``lookup`` with the snapshot's work records (the same record shape the API returns, so the
check compares them with the same code) and ``search`` from the snapshot's token table. A DOI
the snapshot does not hold is :class:`~annobib.services.base.Unavailable` with the reason
"not in the snapshot": the snapshot is Crossref's data of one date, so a DOI missing from it
may have been registered since; it is never "not found". :class:`SnapshotThenAPI` asks the API
for exactly those DOIs.

The check over a snapshot is a few SQL queries over the snapshot's Parquet files (the
``*_SQL`` constants below) and an in-memory table of the DOIs or tokens asked for (``wanted``,
``qtokens``). The same text runs on DuckDB (embedded; this module is the one that imports
it) and on Apache Spark (:mod:`annobib.services.snapshot_spark`, local or on a cluster).
"""

from __future__ import annotations

import hashlib
import json
import re
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from annobib.model import Work
from annobib.runtime import gc_paused
from annobib.services.answers import record_problem
from annobib.services.base import (
    Agreement,
    Exchange,
    Found,
    Lookup,
    MetadataService,
    Progress,
    Search,
    SearchHit,
    SearchResult,
    ServiceStats,
    Unavailable,
)
from annobib.services.evidence import search_key
from annobib.textmatch import fold, strip_markup

FORMAT = 1
MANIFEST = "manifest.json"
_DATES = ("issued", "published-print", "published-online", "published", "posted")
_TOKEN_RE = re.compile(r"\w{3,}")
_TOKEN_FIELDS = ("title", "subtitle", "original-title", "short-title")


# --- the layout, shared by the build (annobib.sources.snapshot) and the queries ------------


def bucket_of(key: str, buckets: int) -> int:
    """The partition of a DOI or token: the same on every engine and every machine."""
    return zlib.crc32(key.encode("utf-8")) % buckets


def tokens_of(record: dict[str, Any]) -> set[str]:
    """Search tokens of a record: words (case-folded, 3 letters or more) of its titles and
    family names, and its year."""
    texts: list[str] = []
    for name in _TOKEN_FIELDS:
        value = record.get(name)
        if isinstance(value, list):
            texts.extend(v for v in value if isinstance(v, str))
        elif isinstance(value, str):
            texts.append(value)
    for person in record.get("author") or ():
        if isinstance(person, dict):
            for k in ("family", "name"):
                v = person.get(k)
                if isinstance(v, str):
                    texts.append(v)
    out = set(_TOKEN_RE.findall(strip_markup(" ".join(texts)).casefold())) if texts else set()
    year = year_of(record)
    if year is not None:
        out.add(str(year))
    return out


def query_tokens(text: str) -> list[str]:
    """The tokens of a search text, as :func:`tokens_of` makes them."""
    return sorted(set(_TOKEN_RE.findall(strip_markup(text).casefold())))


def year_of(record: dict[str, Any]) -> int | None:
    for name in _DATES:
        d = record.get(name)
        if isinstance(d, dict):
            parts = d.get("date-parts")
            if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
                y = parts[0][0]
                if isinstance(y, int) and not isinstance(y, bool):
                    return y
    return None



# --- what the check compares, as plain columns (the agreement query) ------------------------

#: The columns of the works table that the agreement query compares with our side, each the
#: form the check (``checks/crossref.py``) compares of the record: ``title0`` its
#: ``title[0]``, ``families``/``givens`` its people's family and given names joined with
#: :data:`SEP`, ``container0`` the first container title, the numbers and the publisher when
#: they are non-blank strings, ``ctype`` the record's type as annobib's, and ``plain``: no
#: update relation and the DOI exactly as the key (else the record always goes to the check).
CHECK_COLUMNS: tuple[tuple[str, str], ...] = (
    ("title0", "STRING"), ("families", "STRING"), ("givens", "STRING"),
    ("container0", "STRING"), ("volume", "STRING"), ("issue", "STRING"), ("page", "STRING"),
    ("article_number", "STRING"), ("publisher", "STRING"), ("ctype", "STRING"),
    ("plain", "BOOLEAN"),
)  # fmt: skip
SEP = "\x1f"


def _texts(value: Any) -> list[str]:
    """The check's reading of a title-like field: a string as is, a list's non-blank strings
    without markup."""
    if isinstance(value, str):
        return [value] if value.strip() else []
    if isinstance(value, list):
        return [strip_markup(v) for v in value if isinstance(v, str) and v.strip()]
    return []


def _number(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def check_columns(record: dict[str, Any], doi: str) -> tuple[Any, ...]:
    """The :data:`CHECK_COLUMNS` of ``record`` (stored under the key ``doi``)."""
    from annobib.model.crosswalk import from_crossref

    titles = _texts(record.get("title"))
    people = [p for p in record.get("author") or () if isinstance(p, dict)] if isinstance(
        record.get("author"), list) else []
    fam = [str(p.get("family") or "") for p in people]
    giv = [str(p.get("given") or "") for p in people]
    containers = (_texts(record.get("container-title"))
                  + _texts(record.get("short-container-title")))
    t = record.get("type")
    mapped = from_crossref(t) if isinstance(t, str) else None
    plain = (not record.get("updated-by") and not record.get("update-to")
             and str(record.get("DOI") or "").lower() == doi
             and not any(SEP in x for x in fam + giv) and record_problem(record) is None)
    return (titles[0] if titles else None, SEP.join(fam) if people else None,
            SEP.join(giv) if people else None, containers[0] if containers else None,
            _number(record.get("volume")), _number(record.get("issue")),
            _number(record.get("page")), _number(record.get("article-number")),
            _number(record.get("publisher")), mapped.value if mapped is not None else None,
            plain)


_ASCII_WORD = re.compile(r"[A-Za-z0-9]")


def _folds(text: str) -> bool:
    """Whether ``fold(text)`` is not empty (the check's similarity of a text with itself is
    1 then, 0 else). Plain ASCII with a letter or digit and no markup needs no folding."""
    if text.isascii() and "<" not in text and "&" not in text:
        return _ASCII_WORD.search(text) is not None
    return bool(fold(text))


def our_side(work: Work) -> tuple[Any, ...] | None:
    """Our side of ``work`` for :data:`AGREE_SQL` (the columns of :data:`OURS_COLUMNS` from
    ``doi`` to ``publisher``), or None when the agreement query cannot stand in for the check:
    no title, a title or container with nothing to compare once folded, an organisation among
    the authors, or a DOI with blanks around it."""
    doi = work.doi
    if not doi or doi != doi.strip() or work.title is None or not _folds(work.title.text):
        return None
    families = givens = None
    if work.author:
        fam: list[str] = []
        giv: list[str] = []
        for person in work.author:
            if person.literal is not None or not person.family or SEP in person.family:
                return None
            first = person.first_names() or ""
            if SEP in first:
                return None
            fam.append(person.family)
            giv.append(first)
        families, givens = SEP.join(fam), SEP.join(giv)
    container = None
    if work.container_title is not None:
        container = work.container_title.text
    elif work.container_title_short:
        container = work.container_title_short
    if container is not None and not _folds(container):
        return None
    year = work.issued.year if work.issued is not None else None
    return (doi.lower(), work.title.text, families, givens, year, container,
            work.volume or None, work.issue or None, work.pages or None, work.type.value,
            work.publisher or None)


#: Works asked for, joined with the works table. ``{buckets}`` is a list of integers (the
#: partitions the wanted DOIs fall in), so both engines read only those partitions.
LOOKUP_SQL = """
SELECT w.doi AS doi, w.record AS record, w.indexed AS indexed, w.bucket AS bucket
FROM wanted AS q JOIN works AS w ON w.bucket = q.bucket AND w.doi = q.doi
WHERE w.bucket IN ({buckets})
"""

#: Our side of each work asked for, as the agreement query compares it (see :func:`our_side`).
OURS_COLUMNS: tuple[tuple[str, str], ...] = (
    ("n", "INT"), ("doi", "STRING"), ("title", "STRING"), ("families", "STRING"),
    ("givens", "STRING"), ("year", "INT"), ("container", "STRING"), ("volume", "STRING"),
    ("issue", "STRING"), ("pages", "STRING"), ("type", "STRING"), ("publisher", "STRING"),
    ("bucket", "INT"),
)  # fmt: skip

#: Works asked for (``ours``, row ``n``) joined with the works table: ``agree`` when every
#: field the check compares is the same text on both sides (or absent on one side, where the
#: check compares nothing), so that the check could find nothing to report; the record's text
#: only for the rows that do not agree (they go to the check itself).
AGREE_SQL = """
SELECT n, doi, agree, CASE WHEN agree THEN NULL ELSE record END AS record, indexed, bucket
FROM (
  SELECT q.n AS n, w.doi AS doi, w.record AS record, w.indexed AS indexed, w.bucket AS bucket,
    COALESCE(w.plain AND q.title = w.title0
      AND (q.families IS NULL OR w.families IS NULL
           OR (q.families = w.families AND q.givens = w.givens))
      AND (q.year IS NULL OR q.year = w.year)
      AND (q.container IS NULL OR w.container0 IS NULL OR q.container = w.container0)
      AND (q.volume IS NULL OR w.volume IS NULL OR q.volume = w.volume)
      AND (q.issue IS NULL OR w.issue IS NULL OR q.issue = w.issue)
      AND (q.pages IS NULL OR q.pages = w.page
           OR (w.page IS NULL AND (w.article_number IS NULL OR w.article_number = q.pages)))
      AND (w.ctype IS NULL OR w.ctype = q.type)
      AND (q.publisher IS NULL OR w.publisher IS NULL OR q.publisher = w.publisher),
      FALSE) AS agree
  FROM ours AS q JOIN works AS w ON w.bucket = q.bucket AND w.doi = q.doi
  WHERE w.bucket IN ({buckets})
) AS joined
"""

#: Candidates of a bibliographic search: DOIs by the number of query tokens they hold.
SEARCH_SQL = """
SELECT t.doi AS doi, COUNT(*) AS hits
FROM qtokens AS q JOIN tokens AS t ON t.bucket = q.bucket AND t.token = q.token
WHERE t.bucket IN ({buckets})
GROUP BY t.doi
ORDER BY hits DESC, t.doi
LIMIT {rows}
"""

#: The snapshot's tables, as DDL column lists (the partition column ``bucket`` last).
SCHEMAS = {
    "works": "doi STRING, record STRING, type STRING, year INT, indexed STRING, "
             + "".join(f"{c} {t}, " for c, t in CHECK_COLUMNS) + "bucket INT",
    "tokens": "token STRING, doi STRING, bucket INT",
}

# words too common to choose among works (they only make the search slower)
_STOP = frozenset({"the", "and", "for", "with", "from", "des", "der", "die", "und", "les",
                   "von", "une", "del", "los", "las", "dans", "sur", "zur", "über", "into"})
ENGINES = ("duckdb", "spark")


class SnapshotUnusable(Exception):
    """The directory is not a usable snapshot (no manifest, an unfinished build, ...)."""


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A snapshot directory and what its manifest says."""

    path: str
    manifest: dict[str, Any]

    @property
    def date(self) -> str:
        return str(self.manifest.get("date") or "undated")

    @property
    def buckets(self) -> int:
        return int(self.manifest["buckets"])

    @property
    def references(self) -> bool:
        return bool(self.manifest.get("references"))

    @property
    def records(self) -> int:
        return int(self.manifest.get("records") or 0)

    @property
    def check_columns(self) -> bool:
        """Whether the works table has :data:`CHECK_COLUMNS` (snapshots built since they were
        added)."""
        return bool(self.manifest.get("check-columns"))

    @property
    def label(self) -> str:
        return f"{self.path} (Crossref data of {self.date})"

    def table_path(self, table: str) -> str:
        return f"{self.path.rstrip('/')}/{table}"

    def has(self, table: str) -> bool:
        return bool(self.manifest.get("segments")) and (
            "://" in self.path or Path(self.table_path(table)).is_dir()
        )

    @classmethod
    def from_text(cls, path: str, text: str) -> Snapshot:
        data = parse_manifest(path, text)
        if data.get("state") == "building":
            raise SnapshotUnusable(f"{path}: its build did not finish; run `annobib snapshot "
                                   "build` again with the same sources to complete it")
        return cls(path, data)

    @classmethod
    def open(cls, path: Path | str) -> Snapshot:
        p = Path(path)
        try:
            text = (p / MANIFEST).read_text(encoding="utf-8")
        except FileNotFoundError:
            raise SnapshotUnusable(f"{p}: no {MANIFEST}: not a snapshot (make one with "
                                   "`annobib snapshot build`)") from None
        except OSError as exc:
            raise SnapshotUnusable(f"{p / MANIFEST}: cannot read: {exc}") from exc
        return cls.from_text(str(p), text)


def parse_manifest(path: str, text: str) -> dict[str, Any]:
    """The manifest of the snapshot at ``path``, from its text; :class:`SnapshotUnusable`
    when it is not one."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise SnapshotUnusable(f"{path}/{MANIFEST}: not valid JSON ({exc})") from exc
    if not isinstance(data, dict) or data.get("annobib-snapshot") != FORMAT:
        raise SnapshotUnusable(f"{path}/{MANIFEST}: not an annobib snapshot manifest")
    return data


class Engine(Protocol):
    """Where the queries run. ``rows`` returns plain tuples in the SELECT's column order."""

    name: str

    def parquet(self, name: str, path: str) -> None:
        """Make the Parquet dataset at ``path`` (hive-partitioned by ``bucket``) table ``name``."""
        ...

    def values(self, name: str, columns: Sequence[str], rows: Sequence[tuple[Any, ...]],
               types: Sequence[str] | None = None) -> None:
        """Make ``rows`` table ``name``: columns of ``types`` (``STRING``, ``INT``,
        ``BOOLEAN``), by default strings and then an integer ``bucket``."""
        ...

    def rows(self, sql: str) -> list[tuple[Any, ...]]: ...

    def close(self) -> None: ...


class DuckDBEngine:
    """The queries on DuckDB, in this process."""

    name = "duckdb"

    def __init__(self, threads: int | None = None, memory_limit: str | None = None) -> None:
        import duckdb

        self._con = duckdb.connect(":memory:")
        if threads:
            self._con.execute(f"SET threads = {int(threads)}")
        if memory_limit:
            self._con.execute("SET memory_limit = ?", [memory_limit])
        self._keep: list[Any] = []

    def parquet(self, name: str, path: str) -> None:
        glob = path.rstrip("/") + "/*/*.parquet"
        self._con.execute(
            f"CREATE OR REPLACE VIEW {name} AS SELECT * FROM read_parquet("
            f"'{_sql_text(glob)}', hive_partitioning = true, "
            "hive_types = {'bucket': INTEGER})"
        )

    def values(self, name: str, columns: Sequence[str], rows: Sequence[tuple[Any, ...]],
               types: Sequence[str] | None = None) -> None:
        import pyarrow as pa

        kinds = {"STRING": pa.string(), "INT": pa.int32(), "BOOLEAN": pa.bool_()}
        chosen = types or [*["STRING"] * (len(columns) - 1), "INT"]
        cols = list(zip(*rows, strict=True)) if rows else [() for _ in columns]
        arrays = [pa.array(list(c), kinds[t]) for c, t in zip(cols, chosen, strict=True)]
        table = pa.table(dict(zip(columns, arrays, strict=True)))
        self._keep.append(table)
        self._con.register(name, table)

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        return self._con.execute(sql).fetchall()

    def close(self) -> None:
        self._con.close()


def _sql_text(text: str) -> str:
    return text.replace("'", "''")


def make_engine(name: str) -> Engine:
    if name == "duckdb":
        return DuckDBEngine()
    if name == "spark":
        from annobib.services.snapshot_spark import SparkEngine

        return SparkEngine()
    raise ValueError(f"unknown engine '{name}': use one of {', '.join(ENGINES)}")


def _in_list(buckets: Iterable[int]) -> str:
    return ", ".join(str(int(b)) for b in sorted(set(buckets))) or "-1"


class SnapshotService:
    """A :class:`~annobib.services.base.MetadataService` over a snapshot directory."""

    name = "crossref-snapshot"

    def __init__(self, snapshot: Snapshot, engine: Engine | None = None) -> None:
        self.snapshot = snapshot
        self.engine = engine or DuckDBEngine()
        self.stats = ServiceStats()
        self.stats.extra.update({"snapshot_found": 0, "snapshot_absent": 0})
        self._tables: set[str] = set()

    @classmethod
    def open(cls, path: Path | str, engine: str = "duckdb") -> SnapshotService:
        eng = make_engine(engine)
        if engine == "spark" and "://" in str(path):
            snap = Snapshot.from_text(str(path), eng.manifest_text(str(path)))  # type: ignore[attr-defined]
        else:
            snap = Snapshot.open(path)
        return cls(snap, eng)

    @property
    def down(self) -> str | None:
        """Never: the snapshot is on disk; a DOI it lacks is one work unchecked (A334)."""
        return None

    @property
    def problems(self) -> Sequence[str]:
        return ()

    @property
    def source(self) -> dict[str, Any]:
        """The snapshot the answers come from: its path, the date of its Crossref data (what
        the verdicts rest on), its records and the engine asked."""
        return {"kind": "snapshot", "path": self.snapshot.path, "date": self.snapshot.date,
                "records": self.snapshot.records, "engine": self.engine.name}

    def _table(self, name: str) -> bool:
        if name in self._tables:
            return True
        if not self.snapshot.has(name):
            return False
        self.engine.parquet(name, self.snapshot.table_path(name))
        self._tables.add(name)
        return True

    def absent(self, doi: str) -> Unavailable:
        return Unavailable(doi, f"not in the snapshot {self.snapshot.label}: not checked "
                                "(a DOI registered since is not in it; this is not 'not found')",
                           "A334")

    def answer(self, doi: str, record: str, bucket: int) -> Lookup:
        """The verdict from the snapshot's record text: the rules of the API path
        (:func:`~annobib.services.answers.record_problem`) apply to it as well."""
        ex = self.evidence(doi, bucket, record)
        problem = record_problem(ex.body)
        if problem is not None:
            return Unavailable(doi, f"the snapshot's record for this DOI is malformed: "
                               f"{problem}", "A332")
        return Found(doi, ex.body, (ex,))

    def evidence(self, doi: str, bucket: int, text: str) -> Exchange:
        """What a verdict from the snapshot rests on: the snapshot, its date, the record."""
        return Exchange(
            kind="snapshot",
            url=f"{self.snapshot.table_path('works')}/bucket={bucket:03d}#{doi}",
            time=self.snapshot.date,
            status=200,
            sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
            body=json.loads(text),
            part="snapshot",
        )

    def records(self, dois: Sequence[str]) -> dict[str, tuple[str, int]]:
        """``doi -> (record JSON, bucket)`` for the DOIs the snapshot holds (one query)."""
        if not dois or not self._table("works"):
            return {}
        buckets = self.snapshot.buckets
        wanted = [(d, bucket_of(d, buckets)) for d in dois]
        self.engine.values("wanted", ("doi", "bucket"), wanted)
        sql = LOOKUP_SQL.format(buckets=_in_list(b for _, b in wanted))
        best: dict[str, tuple[str, str, int]] = {}
        for doi, record, indexed, bucket in self.engine.rows(sql):
            # a DOI held twice (two sources gave it): the record Crossref indexed last
            seen = best.get(doi)
            stamp = indexed or ""
            if seen is None or (stamp, record) > (seen[1], seen[0]):
                best[doi] = (record, stamp, int(bucket))
        return {d: (r, b) for d, (r, _, b) in best.items()}

    def agreement(self, works: Sequence[Work], progress: Progress | None = None) -> Agreement:
        """Which of ``works`` agree with their record in every field the check compares (one
        SQL query, :data:`AGREE_SQL`): the check would report nothing for them and call them
        verified (title matched on ``title[0]``). For every other work with a DOI, its
        lookup, as :meth:`lookup` gives it. A snapshot built before these columns existed
        has every work looked up."""
        with gc_paused():  # records parsed by the thousand, none in a cycle
            out = self._agreement(works)
        if progress is not None and (out.agreed or out.lookups):
            progress(len(out.agreed) + len(out.lookups))
        return out

    def _agreement(self, works: Sequence[Work]) -> Agreement:
        ours: list[tuple[Any, ...]] = []
        buckets = self.snapshot.buckets
        if self.snapshot.check_columns and self._table("works"):
            unknown = (None,) * (len(OURS_COLUMNS) - 3)
            for n, work in enumerate(works):
                if not work.doi or not work.doi.strip():
                    continue
                # a work the query cannot judge is asked with no title: it never agrees, and
                # its record comes back with the others
                side = our_side(work) or (work.doi.strip().lower(), *unknown)
                ours.append((n, *side, bucket_of(side[0], buckets)))
        agreed: list[int] = []
        rows: dict[int, list[tuple[Any, ...]]] = {}
        if ours:
            self.engine.values("ours", [c for c, _ in OURS_COLUMNS], ours,
                               [t for _, t in OURS_COLUMNS])
            sql = AGREE_SQL.format(buckets=_in_list(r[-1] for r in ours))
            for row in self.engine.rows(sql):
                rows.setdefault(int(row[0]), []).append(row)
        found: dict[str, tuple[str, int]] = {}
        asked = {str(r[1]) for r in ours}
        for n, hits in rows.items():
            if len(hits) == 1 and hits[0][2]:
                agreed.append(n)
            elif len(hits) == 1:
                found[str(hits[0][1])] = (str(hits[0][3]), int(hits[0][5]))
            # else a DOI held twice: looked up below (the record Crossref indexed last)
        done = set(agreed)
        rest = [w.doi for n, w in enumerate(works) if w.doi and n not in done]
        todo = list(dict.fromkeys(d.strip().lower() for d in rest if d.strip()))
        self.stats.extra["snapshot_agreed"] = self.stats.extra.get("snapshot_agreed", 0) + len(
            agreed)
        # asked and no row: not in the snapshot; a row without its record in hand (it agreed
        # with another work of the same DOI, or the DOI is held twice): asked for below
        hit = {str(h[1]) for hits in rows.values() for h in hits}
        missing = [d for d in todo if d not in found and (d not in asked or d in hit)]
        if missing:
            found.update(self.records(missing))
        return Agreement(sorted(agreed), self._answers(todo, found))

    def lookup(self, dois: Iterable[str], progress: Progress | None = None) -> dict[str, Lookup]:
        todo = list(dict.fromkeys(d.strip().lower() for d in dois if d.strip()))
        with gc_paused():
            out = self._answers(todo, self.records(todo))
        if progress is not None and todo:
            progress(len(todo))
        return out

    def _answers(self, todo: Sequence[str], got: dict[str, tuple[str, int]]
                 ) -> dict[str, Lookup]:
        out: dict[str, Lookup] = {}
        for doi in todo:
            hit = got.get(doi)
            if hit is None:
                out[doi] = self.absent(doi)
                self.stats.extra["snapshot_absent"] += 1
            else:
                out[doi] = self.answer(doi, hit[0], hit[1])
                self.stats.extra["snapshot_found"] += 1
        return out

    def search(self, query: str, rows: int = 5) -> Search:
        key = search_key(query, rows)
        self.stats.searches += 1
        tokens = [t for t in query_tokens(query) if t not in _STOP]
        if not tokens or not self._table("tokens"):
            return SearchResult(key, ())
        buckets = self.snapshot.buckets
        qt = [(t, bucket_of(t, buckets)) for t in tokens]
        self.engine.values("qtokens", ("token", "bucket"), qt)
        sql = SEARCH_SQL.format(buckets=_in_list(b for _, b in qt), rows=int(rows))
        ranked = [(str(d), int(h)) for d, h in self.engine.rows(sql)]
        records = self.records([d for d, _ in ranked])
        hits: list[SearchHit] = []
        evidence: list[Exchange] = []
        for doi, n in ranked:
            if doi in records:
                ex = self.evidence(doi, records[doi][1], records[doi][0])
                evidence.append(ex)
                hits.append(SearchHit(float(n), ex.body))
        return SearchResult(key, tuple(hits), tuple(evidence))

    def close(self) -> None:
        self.engine.close()


class SnapshotThenAPI:
    """The snapshot first; the API only for the DOIs (and searches) the snapshot lacks."""

    name = "crossref-snapshot+api"

    def __init__(self, snapshot: SnapshotService, api: MetadataService) -> None:
        self.snapshot_service = snapshot
        self.api = api
        self.stats = api.stats
        self.stats.extra.update(snapshot.stats.extra)

    @property
    def down(self) -> str | None:
        return self.api.down

    @property
    def problems(self) -> Sequence[str]:
        return self.api.problems

    @property
    def source(self) -> dict[str, Any]:
        """The snapshot's, and ``"then": "api"``: what it lacks was asked of the API."""
        return {**self.snapshot_service.source, "then": "api"}

    def agreement(self, works: Sequence[Work], progress: Progress | None = None) -> Agreement:
        """The snapshot's agreement; the API's lookups for the DOIs the snapshot lacks."""
        out = self.snapshot_service.agreement(works)
        missing = [d for d, lk in out.lookups.items()
                   if isinstance(lk, Unavailable) and lk.code == "A334"]
        self.stats.extra.update(self.snapshot_service.stats.extra)
        self.stats.extra["snapshot_absent"] = len(missing)
        if progress is not None and len(out.agreed) + len(out.lookups) > len(missing):
            progress(len(out.agreed) + len(out.lookups) - len(missing))
        if missing:
            out.lookups.update(self.api.lookup(missing, progress=progress))
        return out

    def lookup(self, dois: Iterable[str], progress: Progress | None = None) -> dict[str, Lookup]:
        todo = list(dict.fromkeys(d.strip().lower() for d in dois if d.strip()))
        got = self.snapshot_service.records(todo)
        out: dict[str, Lookup] = {}
        for doi in todo:
            if doi in got:
                record, bucket = got[doi]
                out[doi] = self.snapshot_service.answer(doi, record, bucket)
        self.stats.extra["snapshot_found"] = len(out)
        missing = [d for d in todo if d not in out]
        self.stats.extra["snapshot_absent"] = len(missing)
        if progress is not None and out:
            progress(len(out))
        if missing:
            out.update(self.api.lookup(missing, progress=progress))
        return {d: out[d] for d in todo}

    def search(self, query: str, rows: int = 5) -> Search:
        result = self.snapshot_service.search(query, rows)
        if isinstance(result, SearchResult) and result.hits:
            return result
        return self.api.search(query, rows)

    def close(self) -> None:
        try:
            self.snapshot_service.close()
        finally:
            self.api.close()
