"""The snapshot's queries on Apache Spark (``annobib check --snapshot DIR --engine spark``).

The SQL is :mod:`annobib.services.snapshot`'s, unchanged; only the tables are made the Spark
way (``spark.read.parquet`` for the snapshot, a DataFrame for the DOIs asked for). PySpark is
an optional extra (``pip install 'annobib[spark]'``) and needs a Java runtime.

Locally the session is ``local[*]`` (or ``ANNOBIB_SPARK_MASTER``). On a cluster, submit the
same command through ``spark-submit``, which sets the master; the script to submit is
annobib's own ``__main__.py`` (see docs/snapshot.md)::

    spark-submit --master yarn "$(python -c 'import annobib, os; print(os.path.dirname(
        annobib.__file__))')/__main__.py" check data/ --snapshot hdfs:///crossref/2026 \\
        --engine spark
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any


class SparkUnavailable(Exception):
    """PySpark or Java is missing."""


class SparkEngine:
    name = "spark"

    def __init__(self, master: str | None = None) -> None:
        try:
            from pyspark.sql import SparkSession
        except ImportError as exc:
            raise SparkUnavailable(
                "--engine spark needs PySpark: pip install 'annobib[spark]' (and a Java "
                "runtime, e.g. Debian's default-jre-headless)") from exc
        builder = SparkSession.builder.appName("annobib-check")
        chosen = master or os.environ.get("ANNOBIB_SPARK_MASTER")
        if chosen is None and not _submitted():
            chosen = "local[*]"
        if chosen is not None:
            builder = builder.master(chosen)
        builder = (builder.config("spark.ui.enabled", "false")
                   .config("spark.ui.showConsoleProgress", "false")
                   .config("spark.sql.shuffle.partitions", os.environ.get(
                       "ANNOBIB_SPARK_SHUFFLE_PARTITIONS", "4"))
                   .config("spark.sql.session.timeZone", "UTC"))
        try:
            self.spark = builder.getOrCreate()
        except Exception as exc:  # Java missing or unable to start: Py4J raises its own types
            raise SparkUnavailable(f"Spark could not start: {exc}") from exc
        self.spark.sparkContext.setLogLevel("ERROR")

    def manifest_text(self, path: str) -> str:
        rows = self.spark.read.text(path.rstrip("/") + "/manifest.json", wholetext=True).collect()
        return str(rows[0][0]) if rows else ""

    def parquet(self, name: str, path: str) -> None:
        from annobib.services.snapshot import SCHEMAS

        reader = self.spark.read
        if name in SCHEMAS:  # known: no job to infer it
            reader = reader.schema(SCHEMAS[name])
        reader.parquet(path).createOrReplaceTempView(name)

    def values(self, name: str, columns: Sequence[str], rows: Sequence[tuple[Any, ...]],
               types: Sequence[str] | None = None) -> None:
        chosen = types or [*["STRING"] * (len(columns) - 1), "INT"]
        schema = ", ".join(f"`{c}` {t.lower()}" for c, t in zip(columns, chosen, strict=True))
        self.spark.createDataFrame(list(rows), schema=schema).createOrReplaceTempView(name)

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in self.spark.sql(sql).collect()]

    def close(self) -> None:
        # the session stays up for the rest of the process (a second check reuses it); Spark
        # stops it when the process ends
        return None


def _submitted() -> bool:
    """Whether spark-submit started this process (it sets the master then)."""
    return "SPARK_SUBMIT" in os.environ or "PYSPARK_GATEWAY_PORT" in os.environ

