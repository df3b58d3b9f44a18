"""The snapshot's queries on Apache Spark (local mode) give DuckDB's verdicts, unchanged.

Needs PySpark (``pip install -e '.[spark]'``) and a Java runtime; skipped with the reason when
either is missing, and never skipped in CI (``.ci/run`` installs both; see tests/conftest.py).
One Spark session for the whole module, a few seconds of work.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from annobib.api import load
from annobib.checks.crossref import check_library
from annobib.services.snapshot import Snapshot, SnapshotService
from services.test_snapshot import checked_library, make_snapshot

pytestmark = pytest.mark.realclient


def _missing() -> str | None:
    if importlib.util.find_spec("pyspark") is None:
        return "PySpark is not installed (pip install -e '.[spark]')"
    if shutil.which("java") is None:
        return "no Java runtime (apt-get install default-jre-headless)"
    return None


@pytest.fixture(scope="module")
def spark_engine() -> Iterator[Any]:
    reason = _missing()
    if reason is not None:
        pytest.skip(reason)
    from annobib.services.snapshot_spark import SparkEngine

    yield SparkEngine(master="local[2]")


def outcome(result: Any) -> list[tuple[str, str, list[tuple[str, str | None, str]]]]:
    return [(w.key, w.status.value, sorted((f.code, f.field, f.message) for f in w.findings))
            for w in result.works]


def test_spark_gives_duckdbs_verdicts(spark_engine: Any, tmp_path: Path) -> None:
    lib = load([checked_library(tmp_path)], lint=False).library
    snap_dir = make_snapshot(tmp_path, buckets=8)
    snap = Snapshot.open(snap_dir)
    duck = check_library(lib, SnapshotService(snap))
    spark = check_library(lib, SnapshotService(snap, spark_engine))
    assert outcome(spark) == outcome(duck)
    statuses = {w.status.value for w in duck.works}
    assert {"verified", "differs", "unchecked"} <= statuses
    # and the search (DOI discovery) runs on Spark too, with the same candidates
    duck_svc, spark_svc = SnapshotService(snap), SnapshotService(snap, spark_engine)
    query = "Single-molecule FRET studies alpha-synuclein Tosatto 2015"
    d, s = duck_svc.search(query, 3), spark_svc.search(query, 3)
    assert [h.record["DOI"] for h in s.hits] == [h.record["DOI"] for h in d.hits]  # type: ignore[union-attr]
    assert d.hits  # type: ignore[union-attr]


def test_spark_agrees_where_duckdb_agrees(spark_engine: Any, tmp_path: Path) -> None:
    from annobib.sources.crossref import work_from_crossref
    from services.test_snapshot import _variants
    from snapshot_data import recorded_messages

    snap = Snapshot.open(make_snapshot(tmp_path, buckets=8))
    works = [v for i, m in enumerate(recorded_messages())
             for v in _variants(work_from_crossref(m, f"rec{i:02d}")[0], i)]
    duck = SnapshotService(snap).agreement(works)
    spark = SnapshotService(snap, spark_engine).agreement(works)
    assert spark.agreed == duck.agreed and duck.agreed
    assert spark.lookups.keys() == duck.lookups.keys()
