"""Blocked pairs per blocking rule, and the true pairs each rule finds, without scoring.

    .venv/bin/python -m bench.blocking --sets variants-100000 --seed 202
    .venv/bin/python -m bench.blocking --sets variants-20000 --seed 202 --limits 100 200 0

For each set and each key-group limit (``batch.GROUP_RECORD_LIMIT``; ``--name-pair-limit`` for
``batch.NAME_PAIR_RECORD_LIMIT``; 0: no limit), the records are prepared as ``cluster_csv``
prepares them and every rule of ``batch.BLOCKING_RULES`` and ``batch.EXPLODING_RULES`` is run
alone in DuckDB: its own pairs, the pairs no earlier rule proposed (what Splink counts as the
rule's ``match_key``), and the true pairs among both. The last line is the union: all blocked
pairs and the share of true pairs compared at all.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

if __package__ in {None, ""}:  # run as `python bench/blocking.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import duckdb

from bench.evaluate import set_files
from tirek.matching.batch import (
    BLOCKING_RULES,
    EXPLODING_RULES,
    GROUP_RECORD_LIMIT,
    NAME_PAIR_RECORD_LIMIT,
    records_prepare,
)
from tirek.matching.csv_input import records_normalize


def _rule_pairs_sql(rule: str, arrays: Sequence[str]) -> str:
    """The distinct pairs ``(a, b)``, ``a < b`` by ``idx``, that one rule proposes."""
    if arrays:
        replaced = ", ".join(f"unnest({column}) AS {column}" for column in arrays)
        source = f"(SELECT * REPLACE ({replaced}) FROM records)"  # noqa: S608
    else:
        source = "records"
    return (
        f"SELECT DISTINCT l.idx AS a, r.idx AS b FROM {source} l "  # noqa: S608
        f"JOIN {source} r ON l.idx < r.idx AND ({rule})"
    )


def rules_count(con: duckdb.DuckDBPyConnection) -> list[tuple[str, int, int, int, int]]:
    """Per rule: (rule, own pairs, new pairs, own true pairs, new true pairs); needs the tables
    ``records`` and ``truth(a, b)`` (true pairs by ``idx``, ``a < b``)."""
    con.execute("CREATE OR REPLACE TABLE seen (a INTEGER, b INTEGER)")
    rows = []
    rules = [(rule, ()) for rule in BLOCKING_RULES] + list(EXPLODING_RULES)
    for rule, arrays in rules:
        con.execute(f"CREATE OR REPLACE TABLE own AS {_rule_pairs_sql(rule, arrays)}")  # noqa: S608
        own, own_true = con.execute(
            "SELECT count(*), count(t.a) FROM own LEFT JOIN truth t USING (a, b)"
        ).fetchall()[0]
        con.execute(
            "CREATE OR REPLACE TABLE new AS SELECT a, b FROM own ANTI JOIN seen USING (a, b)"
        )
        new, new_true = con.execute(
            "SELECT count(*), count(t.a) FROM new LEFT JOIN truth t USING (a, b)"
        ).fetchall()[0]
        con.execute("INSERT INTO seen SELECT a, b FROM new")
        rows.append((rule, int(own), int(new), int(own_true), int(new_true)))
    return rows


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sets", nargs="*", default=["variants-20000"])
    parser.add_argument("--seed", type=int, default=101)
    parser.add_argument(
        "--limits", type=int, nargs="*", default=[GROUP_RECORD_LIMIT], help="0: no limit"
    )
    parser.add_argument(
        "--name-pair-limit",
        type=int,
        default=None,
        help=f"0: no limit; default: each --limits value (the batch: {NAME_PAIR_RECORD_LIMIT})",
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="tirek-blocking-") as tmp:
        out_dir = Path(tmp)
        for name in args.sets:
            records_path, truth_path = set_files(name, out_dir, seed=args.seed)
            canonical = out_dir / "records.csv"
            records_normalize(records_path, canonical)
            for limit in args.limits:
                started = time.perf_counter()
                con = duckdb.connect(str(out_dir / "blocking.duckdb"))
                con.execute(f"SET temp_directory = '{out_dir / 'spill'}'")
                pair_limit = limit if args.name_pair_limit is None else args.name_pair_limit
                records = records_prepare(
                    con, canonical, group_limit=limit or None, name_pair_limit=pair_limit or None
                )
                con.execute(
                    """
                    CREATE OR REPLACE TABLE truth AS
                    WITH t AS (
                        SELECT r.idx, t.person_id FROM records r JOIN read_csv(?, header = true,
                        all_varchar = true) t USING (record_id)
                    )
                    SELECT l.idx AS a, r.idx AS b FROM t l JOIN t r
                    ON l.person_id = r.person_id AND l.idx < r.idx
                    """,
                    [str(truth_path)],
                )
                true_pairs = con.execute("SELECT count(*) FROM truth").fetchall()[0][0]
                print(
                    f"{name} (seed {args.seed}), {records:,} records, {true_pairs:,} true pairs, "
                    f"group limit {limit or 'none'}, name pair limit {pair_limit or 'none'}",
                    flush=True,
                )
                print(f"{'own':>12} {'new':>12} {'own true':>10} {'new true':>10}  rule")
                for rule, own, new, own_true, new_true in rules_count(con):
                    print(f"{own:>12,} {new:>12,} {own_true:>10,} {new_true:>10,}  {rule}")
                blocked, found = con.execute(
                    "SELECT count(*), count(t.a) FROM seen LEFT JOIN truth t USING (a, b)"
                ).fetchall()[0]
                print(
                    f"{blocked:>12,} blocked pairs, {found:,} true pairs compared "
                    f"({100 * found / max(true_pairs, 1):.2f} %), "
                    f"{time.perf_counter() - started:.0f} s",
                    flush=True,
                )
                con.close()
                (out_dir / "blocking.duckdb").unlink()


if __name__ == "__main__":
    main()
