"""`tirek match --engine spark`: the same clusters as DuckDB, with the pairs scored on Spark in
local mode (the `tirek[spark]` extra, Java 17). Marked `spark`: run once per `make test`."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import call_command

from tirek.matching.tests.test_batch import ROWS, _write_records

pytestmark = pytest.mark.spark

# x1 and x2: one woman, a typo in her given name and no birth date on one side; d1 another.
TYPOS = [
    ("x1", "Раушан", "Сатысұлу", "Мейрамқызы", "F", "", ""),
    ("x2", "Раунан", "САТЫСУЛУ", "Мейрамовна", "F", "1972-03-14", "KAZ"),
    ("d1", "Мадина", "Ермекова", "", "F", "1990-11-02", "KAZ"),
]


def clusters(path) -> dict[str, str]:
    with path.open(encoding="utf-8") as f:
        return {row["record_id"]: row["cluster_id"] for row in csv.DictReader(f)}


def test_spark_engine_finds_the_same_persons_as_duckdb(tmp_path) -> None:
    source = tmp_path / "records.csv"
    _write_records(source, ROWS + TYPOS)
    out = io.StringIO()
    for engine in ("duckdb", "spark"):
        call_command(
            "match",
            "--input", str(source),
            "--output", str(tmp_path / f"{engine}.csv"),
            "--engine", engine,
            "--spark-master", "local[2]",
            stdout=out,
        )  # fmt: skip
    spark = clusters(tmp_path / "spark.csv")
    assert spark == clusters(tmp_path / "duckdb.csv")
    assert spark == {
        "a1": "a1", "a2": "a1", "a3": "a1", "b1": "b1", "b2": "b1", "c1": "c1",
        "x1": "x1", "x2": "x1", "d1": "d1",
    }  # fmt: skip
    assert "9 records, 5 clusters" in out.getvalue()


def test_spark_engine_applies_the_chaining_guard(tmp_path) -> None:
    from tirek.matching.spark import cluster_csv_spark

    source = tmp_path / "records.csv"
    _write_records(source, ROWS)
    # Every compared pair counted as "apart" (as in the DuckDB engine's test): no cluster forms.
    cluster_csv_spark(source, tmp_path / "spark.csv", master="local[2]", apart_weight=1000.0)
    assert clusters(tmp_path / "spark.csv") == {row[0]: row[0] for row in ROWS}
