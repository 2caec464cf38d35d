"""Splink as its tutorial sets it up, on our CSV, for a side-by-side comparison with Tirek.

The deduplication tutorial of Splink 4/5 ("Deduplicate 50k rows historical persons"), adapted
only as far as the columns need: names transliterated to lower-case Latin: Cyrillic as in
passports (ICAO 9303 by ``iuliia``), Kazakh and other letters by ``anyascii`` (generic
transliteration, not ``tirek.matching.normalize``), ``NameComparison`` on given name,
family name and patronymic, ``DateOfBirthComparison`` on the birth date (full ISO dates; a year
or year and month alone is no date to it), ``ExactMatch`` on sex and citizenship; blocking on
given name and birth date, or family name; the prior estimated from deterministic rules with
recall 0.7, u by random sampling, m by expectation maximisation on two blocking rules, and
clusters at probability 0.95, as in the tutorial.  Columns empty in the whole file (FEBRL has
no patronymic, sex or citizenship) are left out.

    cluster_csv_splink_tutorial("records.csv", "clusters.csv")
"""

from __future__ import annotations

import logging
import tempfile
import time
from pathlib import Path
from typing import Any

import duckdb
import iuliia
import pyarrow as pa
from anyascii import anyascii

NAMES = ("given_name", "family_name", "patronymic")
CATEGORICAL = ("sex", "citizenship")
CLUSTER_THRESHOLD = 0.95


def _latin(text: str) -> str:
    latin = anyascii(iuliia.ICAO_DOC_9303.translate(text)).lower()
    return "".join(c for c in latin if c.isalpha() or c == " ").strip()


def cluster_csv_splink_tutorial(
    input_path: str | Path,
    output_path: str | Path,
    *,
    memory_limit: str = "6GB",
    threads: int = 2,
    seed: int = 7,
) -> float:
    """Cluster ``input_path`` (our CSV) into ``record_id,cluster_id``; the seconds it took."""
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="tirek-splink-") as tmp:
        con = duckdb.connect(str(Path(tmp) / "splink.duckdb"))
        con.execute(f"SET memory_limit = '{memory_limit}'")
        con.execute(f"SET threads = {int(threads)}")
        con.execute(f"SET temp_directory = '{Path(tmp) / 'spill'}'")
        con.execute(
            "CREATE TABLE raw AS SELECT * FROM read_csv(?, header = true, all_varchar = true)",
            [str(input_path)],
        )
        for column in NAMES:
            values = [r[0] for r in con.execute(f"SELECT DISTINCT {column} FROM raw").fetchall()]  # noqa: S608
            con.register(
                "latin",
                pa.table({"value": values, "latin": [_latin(v) if v else None for v in values]}),
            )
            con.execute(f"CREATE TABLE latin_{column} AS SELECT * FROM latin")  # noqa: S608
            con.unregister("latin")
        con.execute(
            """
            CREATE TABLE records AS SELECT
                r.record_id,
                nullif(g.latin, '') AS given_name,
                nullif(f.latin, '') AS family_name,
                nullif(p.latin, '') AS patronymic,
                CASE WHEN length(r.birth_date) = 10 THEN r.birth_date END AS birth_date,
                nullif(upper(trim(r.sex)), '') AS sex,
                nullif(upper(trim(r.citizenship)), '') AS citizenship
            FROM raw r
            LEFT JOIN latin_given_name g ON g.value = r.given_name
            LEFT JOIN latin_family_name f ON f.value = r.family_name
            LEFT JOIN latin_patronymic p ON p.value = r.patronymic
            """
        )
        present = {
            column
            for column in (*NAMES, *CATEGORICAL)
            if con.execute(f"SELECT count({column}) FROM records").fetchall()[0][0]  # noqa: S608
        }
        comparisons: list[Any] = [cl.NameComparison(c) for c in NAMES if c in present]
        comparisons.append(cl.DateOfBirthComparison("birth_date", input_is_string=True))
        comparisons += [cl.ExactMatch(c) for c in CATEGORICAL if c in present]
        settings = SettingsCreator(
            link_type="dedupe_only",
            unique_id_column_name="record_id",
            comparisons=comparisons,
            blocking_rules_to_generate_predictions=[
                block_on("given_name", "birth_date"),
                block_on("family_name"),
            ],
            retain_intermediate_calculation_columns=False,
        )
        linker = Linker(DuckDBAPI(con).register("records"), settings, log_level=logging.WARNING)
        linker.training.estimate_probability_two_random_records_match(
            [block_on("given_name", "family_name", "birth_date")], recall=0.7
        )
        linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=seed)
        linker.training.estimate_parameters_using_expectation_maximisation(
            block_on("given_name", "family_name")
        )
        linker.training.estimate_parameters_using_expectation_maximisation(block_on("birth_date"))
        predictions = linker.inference.predict(threshold_match_probability=0.2)
        clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
            predictions, threshold_match_probability=CLUSTER_THRESHOLD
        )
        con.execute(
            f"""
            COPY (
                SELECT record_id, min(record_id) OVER (PARTITION BY cluster_id) AS cluster_id
                FROM {clusters.physical_name} ORDER BY record_id
            ) TO '{Path(output_path)}' (HEADER, DELIMITER ',')
            """  # noqa: S608
        )
        con.close()
    return time.perf_counter() - started
