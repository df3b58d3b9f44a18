"""Synthetic snapshots and reference lists for the snapshot benchmarks, derived from the
recorded Crossref work records in ``tests/fixtures/crossref`` (34 real records).

Record ``i`` is recorded record ``i % 34`` with a new DOI (``<its prefix>/annobib-gen.<i>``),
a title of words drawn from the recorded titles, the family names of its first three authors
drawn from the recorded family names, and a year, volume and pages drawn by a fixed arithmetic
hash of ``i``; every other field is the recorded record's. It is made by substituting these
values into a JSON template of the recorded record (kept fields only, no reference list), so
ten million records take minutes, not hours.

The reference list to check holds, for reference ``k``: a record of the snapshot (its DOI and
our side of it, the work annobib would hold: the recorded record's work as ``annobib import``
makes it, with the same substitutions), one in ten with its volume changed (expected:
``differs``), and one in ten with a DOI the snapshot does not hold (expected: ``unchecked``,
"not in the snapshot"). ``expected`` is the status each reference must get.

Also :func:`write_sources` writes the public data file's shape (``{"items": [...]}``, gzipped)
of full derived records (``tests/snapshot_data.py:derived_record``, reference lists included)
for the build benchmark.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "src"))

from annobib.model import Work  # noqa: E402
from annobib.services.snapshot import check_columns, year_of  # noqa: E402
from annobib.sources.crossref import work_from_crossref  # noqa: E402
from annobib.sources.snapshot import bucket_of, kept  # noqa: E402
from snapshot_data import _pools  # noqa: E402

_DATES = ("issued", "published", "published-print", "published-online", "posted")


@dataclass(frozen=True)
class Base:
    template: str
    prefix: str
    n_words: int
    authors: tuple[int, ...]  # indices (< 3) whose family name is drawn
    has_volume: bool
    has_page: bool
    type: str | None
    work: Work


@functools.cache
def bases() -> list[Base]:
    messages, _, _ = _pools()
    out = []
    for m in messages:
        k = kept(m)
        k["DOI"] = "@@D@@"
        title = m.get("title") or []
        n_words = max(4, min(14, len(str(title[0] if title else "x").split())))
        k["title"] = ["@@T@@"]
        authors: list[int] = []
        if isinstance(k.get("author"), list):
            new = []
            for a, person in enumerate(k["author"]):
                if a < 3 and isinstance(person, dict) and "family" in person:
                    person = {**person, "family": f"@@F{a}@@"}
                    authors.append(a)
                new.append(person)
            k["author"] = new
        for name in _DATES:
            d = k.get(name)
            if isinstance(d, dict) and isinstance(d.get("date-parts"), list) and d["date-parts"]:
                parts = list(d["date-parts"][0]) or [0]
                parts[0] = "@@Y@@"
                k[name] = {**d, "date-parts": [parts]}
        has_volume = "volume" in k
        if has_volume:
            k["volume"] = "@@V@@"
        has_page = isinstance(k.get("page"), str)
        if has_page:
            k["page"] = "@@P@@"
        template = json.dumps(k, ensure_ascii=False, separators=(",", ":"))
        template = template.replace('"@@Y@@"', "@@Y@@")
        work, _ = work_from_crossref({**m, "reference": []} if "reference" in m else m, "base")
        t = m.get("type")
        out.append(Base(template, str(m["DOI"]).split("/", 1)[0], n_words, tuple(authors),
                        has_volume, has_page, t if isinstance(t, str) else None, work))
    return out


@dataclass(frozen=True)
class Variation:
    doi: str
    title: str
    families: tuple[str, ...]
    year: int
    volume: str
    page: str


def variation(i: int) -> Variation:
    _, words, families = _pools()
    b = bases()[i % len(bases())]
    h = i * 2654435761
    title = " ".join(words[((h + j * 40503 + 17) // 7) % len(words)]
                     for j in range(b.n_words)).capitalize()
    fams = tuple(families[(i * 97 + a * 1000003 + 5) % len(families)] for a in range(3))
    first = 1 + (i * 7919) % 2000
    return Variation(f"{b.prefix}/annobib-gen.{i}", title, fams, 1950 + (i * 31 + 7) % 76,
                     str(1 + (i * 13) % 300), f"{first}-{first + 1 + i % 30}")


def record_json(i: int) -> str:
    """The snapshot's record text of derived record ``i``."""
    b = bases()[i % len(bases())]
    v = variation(i)
    t = (b.template.replace("@@D@@", v.doi).replace("@@T@@", v.title)
         .replace("@@Y@@", str(v.year)))
    for a in b.authors:
        t = t.replace(f"@@F{a}@@", v.families[a])
    if b.has_volume:
        t = t.replace("@@V@@", v.volume)
    if b.has_page:
        t = t.replace("@@P@@", v.page)
    return t


def our_work(i: int, key: str, *, doi: str | None = None, volume: str | None = None) -> Work:
    """Our side of derived record ``i``: the recorded record's work with the same values."""
    b = bases()[i % len(bases())]
    v = variation(i)
    w = b.work
    update: dict[str, Any] = {"key": key, "doi": doi or v.doi.lower()}
    if w.title is not None:
        update["title"] = w.title.model_copy(update={"text": v.title})
    if b.authors and w.author:
        people = list(w.author)
        for a in b.authors:
            if a < len(people) and people[a].family is not None:
                people[a] = people[a].model_copy(update={"family": v.families[a]})
        update["author"] = people
    if w.issued is not None:
        update["issued"] = w.issued.model_copy(update={"year": v.year})
    if b.has_volume and w.volume is not None:
        update["volume"] = volume or v.volume
    if b.has_page and w.pages is not None:
        update["pages"] = v.page
    return w.model_copy(update=update)


@dataclass(frozen=True)
class Ref:
    record: int  # the derived record it cites (>= the snapshot's size: not in it)
    doi: str
    change: str  # "", "volume" or "absent"


def references(n_refs: int, n_records: int) -> Iterator[Ref]:
    for k in range(n_refs):
        j = (k * 2862933555777941757 + 3037000493) % n_records
        if k % 10 == 9:
            j = n_records + k  # a DOI the snapshot does not hold
            yield Ref(j, variation(j).doi.lower(), "absent")
        elif k % 10 == 8 and bases()[j % len(bases())].has_volume:
            yield Ref(j, variation(j).doi.lower(), "volume")
        else:
            yield Ref(j, variation(j).doi.lower(), "")


def write_snapshot(out: Path, n_records: int, buckets: int = 32,
                   segment_rows: int = 500_000, jobs: int = 2) -> None:
    """A snapshot directory of ``n_records`` derived records, in the layout ``annobib snapshot
    build`` writes (works table only: the check benchmark needs no token table)."""
    import multiprocessing

    from annobib.sources.snapshot import FORMAT, _write_manifest

    out.mkdir(parents=True, exist_ok=True)
    starts = list(range(0, n_records, segment_rows))
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        tasks = [(out, n, s, min(s + segment_rows, n_records), buckets)
                 for n, s in enumerate(starts)]
        for _ in pool.imap_unordered(_write_segment, tasks):
            pass
    _write_manifest(out, {
        "annobib-snapshot": FORMAT, "state": "complete", "buckets": buckets,
        "references": False, "check-columns": True, "date": "2026-12-01",
        "records": n_records,
        "segments": list(range(len(starts))), "generated": "benchmarks/snapshot_gen.py",
        "sources": [], "problems": [],
    })


def _write_segment(args: tuple[Path, int, int, int, int]) -> None:
    from annobib.sources.snapshot import SourceRows, _Segment

    out, number, start, stop, buckets = args
    rows = SourceRows("generated", 0, 0)
    b = bases()
    for i in range(start, stop):
        v_doi = variation(i).doi.lower()
        text = record_json(i)
        record = json.loads(text)
        rows.doi.append(v_doi)
        rows.bucket.append(bucket_of(v_doi, buckets))
        rows.record.append(text)
        rows.type.append(b[i % len(b)].type)
        rows.year.append(year_of(record))
        rows.indexed.append(None)
        rows.checks.append(check_columns(record, v_doi))
    rows.records = stop - start
    seg = _Segment()
    seg.add(rows)
    seg.write(out, number)


def write_sources(folder: Path, n_records: int, per_file: int = 5000) -> list[Path]:
    """The public data file's shape, full derived records (references included)."""
    from snapshot_data import derived_records, write_data_file

    return write_data_file(folder, derived_records(0, n_records), per_file=per_file, level=6)


# --- the same records, derived set-based in DuckDB (for the 10M-record snapshot) -------------

#: Record ``i`` of :func:`record_json`, its columns and its DOI, as one DuckDB query over the
#: numbers ``{start}`` to ``{stop}`` joined with the 34 templates (``bases``) and the word and
#: name pools (``pools``): the arithmetic of :func:`variation`, the substitutions of
#: :func:`record_json` and the template's own check columns with the same substitutions.
DERIVE_SQL = """
WITH r AS (
  SELECT i, b.*, i * 2654435761 AS h, b.prefix || '/annobib-gen.' || i AS doi_text,
         CAST(1950 + (i * 31 + 7) % 76 AS VARCHAR) AS year_v,
         CAST(1 + (i * 13) % 300 AS VARCHAR) AS volume_v, 1 + (i * 7919) % 2000 AS first_page
  FROM range({start}, {stop}) AS t(i) JOIN bases AS b ON b.base = i % {n_bases}
), v AS (
  SELECT r.*,
    array_to_string(list_transform(range(r.n_words), lambda j: CASE WHEN j = 0
        THEN p.capw[(r.h + j * 40503 + 17) // 7 % {n_words} + 1]
        ELSE p.loww[(r.h + j * 40503 + 17) // 7 % {n_words} + 1] END), ' ') AS title_v,
    p.fams[(r.i * 97 + 5) % {n_fams} + 1] AS f0,
    p.fams[(r.i * 97 + 1000003 + 5) % {n_fams} + 1] AS f1,
    p.fams[(r.i * 97 + 2000006 + 5) % {n_fams} + 1] AS f2,
    CAST(r.first_page AS VARCHAR) || '-' || CAST(r.first_page + 1 + r.i % 30 AS VARCHAR)
      AS page_v
  FROM r, pools AS p
)
SELECT lower(doi_text) AS doi,
  replace(replace(replace(replace(replace(replace(replace(replace(template,
    '@@D@@', doi_text), '@@T@@', title_v), '@@Y@@', year_v), '@@F0@@', f0), '@@F1@@', f1),
    '@@F2@@', f2), '@@V@@', volume_v), '@@P@@', page_v) AS record,
  type, CASE WHEN has_year THEN CAST(year_v AS INTEGER) END AS year,
  CAST(NULL AS VARCHAR) AS indexed,
  replace(title0, '@@T@@', title_v) AS title0,
  replace(replace(replace(families, '@@F0@@', f0), '@@F1@@', f1), '@@F2@@', f2) AS families,
  givens, container0, replace(volume, '@@V@@', volume_v) AS volume, issue,
  replace(page, '@@P@@', page_v) AS page, article_number, publisher, ctype, plain
FROM v
"""


def _bases_table() -> Any:
    """The 34 templates with what each record of a template shares (its type, whether it has
    a year) and its check columns with the placeholders left in."""
    import pyarrow as pa

    from annobib.services.snapshot import CHECK_COLUMNS

    rows: list[dict[str, Any]] = []
    for n, b in enumerate(bases()):
        record = json.loads(b.template.replace("@@Y@@", "0"))
        checks = check_columns(record, "@@d@@")  # the DOI as its key: "plain" as for i
        rows.append({"base": n, "n_words": b.n_words, "template": b.template,
                     "prefix": b.prefix, "type": b.type,
                     "has_year": year_of(record) is not None,
                     **{c: v for (c, _), v in zip(CHECK_COLUMNS, checks, strict=True)}})
    return pa.Table.from_pylist(rows)


def derive_snapshot(out: Path, n_records: int, buckets: int = 32,
                    segment_rows: int = 250_000, check: int = 2000) -> None:
    """The snapshot :func:`write_snapshot` makes (the same records, columns, partitions and
    manifest), derived set-based: each segment is one DuckDB query (:data:`DERIVE_SQL`) over
    the record numbers; Python only hashes the DOIs into partitions and writes the Parquet
    files. ``check`` records spread over the whole range are compared with
    :func:`record_json` and :func:`check_columns` made one at a time; a difference stops it."""
    import zlib

    import duckdb
    import pyarrow as pa

    from annobib.sources.snapshot import FORMAT, _write_manifest, write_parts

    _, words, families = _pools()
    con = duckdb.connect()
    con.register("bases", _bases_table())
    con.execute("CREATE TABLE pools AS SELECT ?::VARCHAR[] AS capw, ?::VARCHAR[] AS loww, "
                "?::VARCHAR[] AS fams",
                [[w.capitalize() for w in words], [w.lower() for w in words], families])
    out.mkdir(parents=True, exist_ok=True)
    starts = list(range(0, n_records, segment_rows))
    sample = {(k * 2862933555777941757 + 12345) % n_records for k in range(check)}
    for number, start in enumerate(starts):
        stop = min(start + segment_rows, n_records)
        sql = DERIVE_SQL.format(start=start, stop=stop, n_bases=len(bases()),
                                n_words=len(words), n_fams=len(families))
        table = con.sql(sql).to_arrow_table()
        dois = table.column("doi").to_pylist()
        _check_derived(table, start, [i for i in sample if start <= i < stop], dois)
        table = table.append_column("bucket", pa.array(
            [zlib.crc32(d.encode("utf-8")) % buckets for d in dois], pa.int32()))
        del dois
        write_parts(table, out / "works", number)
        del table
    _write_manifest(out, {
        "annobib-snapshot": FORMAT, "state": "complete", "buckets": buckets,
        "references": False, "check-columns": True, "date": "2026-12-01",
        "records": n_records, "segments": list(range(len(starts))),
        "generated": "benchmarks/snapshot_gen.py derive_snapshot: the records of "
                     "write_snapshot, derived set-based in DuckDB SQL (DERIVE_SQL)",
        "sources": [], "problems": [],
    })


def _check_derived(table: Any, start: int, sample: list[int], dois: list[str]) -> None:
    """Rows ``sample`` of a derived segment against the records made one at a time."""
    from annobib.services.snapshot import CHECK_COLUMNS

    names = [c for c, _ in CHECK_COLUMNS]
    for i in sample:
        row = table.slice(i - start, 1).to_pylist()[0]
        text = record_json(i)
        record = json.loads(text)
        want = {"doi": variation(i).doi.lower(), "record": text,
                "type": bases()[i % len(bases())].type, "year": year_of(record),
                "indexed": None,
                **dict(zip(names, check_columns(record, variation(i).doi.lower()),
                           strict=True))}
        if row != want or dois[i - start] != want["doi"]:
            diff = {k: (row.get(k), v) for k, v in want.items() if row.get(k) != v}
            raise SystemExit(f"derived record {i} differs from snapshot_gen's: {diff}")
