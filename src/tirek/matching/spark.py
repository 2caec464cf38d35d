"""Batch clustering with the pairwise comparisons on Apache Spark (optional extra ``tirek[spark]``).

The same model as ``batch.cluster_csv``: records are normalised once in DuckDB on this machine
(``records_prepare``: linear in the number of records), then the quadratic part — generating and
scoring candidate pairs with Splink — runs on Spark, locally (``local[*]``) or on a cluster
(``spark://host:7077``). The strongest-first clustering with conflict checks runs here on the
edges Spark returns. Needs Java 17 and ``pip install 'tirek[spark]'``.
"""

from __future__ import annotations

import logging
import tempfile
import time
from pathlib import Path
from typing import Any

import duckdb

from tirek.matching.batch import (
    DEFAULT_APART_WEIGHT,
    DEFAULT_CONFLICT_WEIGHT,
    DEFAULT_MARGIN,
    DEFAULT_THRESHOLD,
    ClusterSummary,
    _weight,
    clusters_write,
    labels_constrained,
    prior_estimate,
    records_prepare,
    splink_settings,
)
from tirek.matching.csv_input import records_normalize
from tirek.matching.scoring import ScoringModel

logger = logging.getLogger(__name__)

# Splink ships the Scala similarity functions; ours are written with DuckDB's function name.
_JARO_WINKLER_CLASS = "uk.gov.moj.dash.linkage.JaroWinklerSimilarity"


def spark_session(master: str = "local[*]", *, app_name: str = "tirek-match") -> Any:
    """A Spark session with Splink's similarity functions on the class path."""
    from pyspark.sql import SparkSession
    from splink.internals.spark.jar_location import similarity_jar_location

    logging.getLogger("py4j").setLevel(logging.WARNING)

    return (
        SparkSession.builder.master(master)
        .appName(app_name)
        .config("spark.jars", similarity_jar_location())
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .getOrCreate()
    )


def spark_settings(model: ScoringModel) -> dict[str, Any]:
    """``splink_settings`` with every condition marked as DuckDB SQL, for Splink to translate."""
    settings = splink_settings(model)
    for comparison in settings["comparisons"]:
        for level in comparison["comparison_levels"]:
            if level["sql_condition"] != "ELSE":
                level["base_dialect_str"] = "duckdb"
    return settings


def cluster_csv_spark(
    input_path: str | Path,
    output_path: str | Path,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    model: ScoringModel | None = None,
    master: str = "local[*]",
    spark: Any = None,
    conflict_weight: float = DEFAULT_CONFLICT_WEIGHT,
    margin: float = DEFAULT_MARGIN,
    apart_weight: float | None = DEFAULT_APART_WEIGHT,
    strict: bool = False,
) -> ClusterSummary:
    """Like ``batch.cluster_csv`` (constrained clustering), with the pairs scored on Spark."""
    from pyspark.sql.functions import col
    from pyspark.sql.functions import round as spark_round
    from pyspark.sql.types import DoubleType
    from splink import Linker, SparkAPI

    model = model or ScoringModel.load()
    input_path, output_path = Path(input_path), Path(output_path)
    own_session = spark is None
    spark = spark or spark_session(master)
    with tempfile.TemporaryDirectory(prefix="tirek-match-spark-") as tmp:
        con = duckdb.connect(str(Path(tmp) / "prepare.duckdb"))
        started = time.perf_counter()
        canonical = Path(tmp) / "records.csv"
        report = records_normalize(input_path, canonical, strict=strict)
        records = records_prepare(con, canonical)
        parquet = Path(tmp) / "records.parquet"
        con.execute(f"COPY records TO '{parquet}' (FORMAT parquet)")
        prepared = time.perf_counter()

        # DuckDB's jaro_winkler_similarity, as sqlglot names it after translation.
        for name in ("jaro_winkler_similarity", "jarowinkler_similarity"):
            spark.udf.registerJavaFunction(name, _JARO_WINKLER_CLASS, DoubleType())
        # Splink writes intermediate tables under the checkpoint directory (a shared file
        # system on a cluster: set spark.checkpoint.dir there; here a folder of this run).
        if not spark.sparkContext.getCheckpointDir():
            spark.sparkContext.setCheckpointDir(str(Path(tmp) / "checkpoints"))
        frame = spark.read.parquet(str(parquet))
        db_api = SparkAPI(spark_session=spark, break_lineage_method="parquet")  # type: ignore[no-untyped-call]
        linker = Linker(
            db_api.register(frame, table_name="records"),
            spark_settings(model),
            log_level=logging.WARNING,
        )
        min_weight = _weight(threshold)
        # As in ``batch.cluster_csv``: every blocked pair scored with the model's prior, the
        # prior of this data estimated from the scores, the weights shifted by the difference.
        predictions = linker.inference.predict().as_spark_dataframe()
        histogram = predictions.groupBy(spark_round("match_weight", 2).alias("w")).count().collect()
        blocked = sum(int(r["count"]) for r in histogram)
        prior = prior_estimate(
            ((float(r["w"]), int(r["count"])) for r in histogram), records, model.prior
        )
        shift = _weight(prior) - _weight(model.prior)
        scored = predictions.select("idx_l", "idx_r", (col("match_weight") + shift).alias("w"))
        linked = scored.where(col("w") >= min_weight - margin)
        rows = linked.orderBy("w", "idx_l", "idx_r", ascending=[False, True, True]).collect()
        edges = [(int(r["idx_l"]), int(r["idx_r"]), float(r["w"])) for r in rows]
        apart: list[tuple[int, int]] = []
        if apart_weight is not None:
            # As in ``batch.cluster_csv``: pairs that weigh too little to be chained, among
            # records with a link that may be made.
            ids = (
                linked.select(col("idx_l").alias("idx"))
                .union(linked.select(col("idx_r").alias("idx")))
                .distinct()
            )
            far = (
                scored.where(col("w") <= float(apart_weight))
                .join(ids.withColumnRenamed("idx", "idx_l"), "idx_l", "left_semi")
                .join(ids.withColumnRenamed("idx", "idx_r"), "idx_r", "left_semi")
            )
            apart = [(int(r["idx_l"]), int(r["idx_r"])) for r in far.collect()]
        predicted = time.perf_counter()

        labels_constrained(
            con,
            records,
            edges,
            model,
            min_weight=min_weight,
            conflict_weight=conflict_weight,
            margin=margin,
            apart=apart,
        )
        clusters = clusters_write(con, output_path)
        finished = time.perf_counter()
        con.close()
    if own_session:
        spark.stop()
    return ClusterSummary(
        records=records,
        clusters=clusters,
        pairs_scored=len(edges),
        prepare_seconds=prepared - started,
        predict_seconds=predicted - prepared,
        cluster_seconds=finished - predicted,
        pairs_blocked=blocked,
        prior=prior,
        input=report,
    )
