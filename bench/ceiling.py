"""The best pairwise precision, recall and F1 any classifier on our comparison fields can reach.

    .venv/bin/python -m bench.evaluate --sets variants-1000000 --seed 202 --out bench/out/t202
    .venv/bin/python -m bench.ceiling --sets variants-1000000 --seed 202 --out bench/out/t202

Every pair the blocking rules proposed (``pairs-NAME.parquet``, kept by ``bench.evaluate
--out``; made by ``cluster_csv`` here when missing) is described by its *comparison vector*:
the level of each field, exactly as the batch SQL computes it (``batch._COMPARISONS``), and a
name-frequency bucket (log2 of the number of records that carry the more common of the two
records' exact given + family name pair). Pairs with the same vector are the same to any
classifier that sees only these features, so the best it can do is to accept whole cells. The
cells are accepted from the purest (most true pairs per pair) down and the cut with the best F1
is kept. Recall counts every true pair of the set, also those never compared, so the blocking's
own recall ceiling (the true pairs compared at all) bounds it. The figures are in-sample (the
cells are sorted on the truth they are scored on): an upper bound for pairwise decisions on
these features, not for clustering, which can also join records that were never compared.

For comparison the same lines give the model's own pairwise figures (a pair accepted when its
match weight reaches the threshold, before clustering).
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

if __package__ in {None, ""}:  # run as `python bench/ceiling.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import duckdb

from bench.evaluate import set_files
from bench.run import PairwiseQuality
from tirek.matching.batch import (
    _COMPARISONS,
    DEFAULT_THRESHOLD,
    cluster_csv,
    records_prepare,
)
from tirek.matching.csv_input import records_normalize

# The records' columns the comparison levels read.
_COLUMNS = (
    "g_sk", "g_root", "g_coarse", "f_sk", "f_root", "f_coarse", "p_sk", "p_root", "p_coarse",
    "dob_y", "dob_m", "dob_d", "sex", "citizenship",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Ceiling:
    """One set's figures (see the module's docstring)."""

    true_pairs: int
    blocked_pairs: int
    true_pairs_compared: int
    cells: int
    cells_accepted: int
    best: PairwiseQuality  # levels and name-frequency bucket
    best_without_bucket: PairwiseQuality  # levels alone
    model: PairwiseQuality  # the model's match weight at the threshold, before clustering
    model_best: PairwiseQuality  # the same at the model's F1-best threshold
    model_best_threshold: float  # that threshold, a probability

    @property
    def blocking_recall(self) -> float:
        return self.true_pairs_compared / self.true_pairs if self.true_pairs else 1.0


def _best_prefix(
    groups: Iterable[tuple[int, int, int]], true_pairs: int
) -> tuple[PairwiseQuality, int]:
    """The F1-best prefix of ``groups`` ``(true, false, members)`` taken in order, and the
    members it takes."""
    best, best_members = PairwiseQuality(true_pairs, 0, 0), 0
    accepted_true = accepted_false = members = 0
    for true, false, count in groups:
        accepted_true += true
        accepted_false += false
        members += count
        cut = PairwiseQuality(true_pairs, accepted_true + accepted_false, accepted_true)
        if cut.f1 > best.f1:
            best, best_members = cut, members
    return best, best_members


def best_cut(cells: Iterable[tuple[int, int]], true_pairs: int) -> tuple[PairwiseQuality, int]:
    """The F1-best acceptance of whole cells ``(true, false)``, purest first; and the number
    of cells accepted. Cells of equal purity are taken together (no classifier on these
    features can tell their pairs apart either)."""
    by_purity: dict[float, list[int]] = {}
    for true, false in cells:
        if true + false:
            totals = by_purity.setdefault(true / (true + false), [0, 0, 0])
            totals[0] += true
            totals[1] += false
            totals[2] += 1
    ordered = [by_purity[p] for p in sorted(by_purity, reverse=True)]
    return _best_prefix(((t, f, n) for t, f, n in ordered), true_pairs)


def best_threshold(
    bins: Iterable[tuple[float, int, int]], true_pairs: int
) -> tuple[PairwiseQuality, float]:
    """The model's F1-best threshold on its own match weights ``(weight, true, false)``:
    the figures and the lowest weight accepted (``inf`` when none is)."""
    ordered = sorted(bins, reverse=True)
    best, taken = _best_prefix(((t, f, 1) for _, t, f in ordered), true_pairs)
    return best, ordered[taken - 1][0] if taken else math.inf


def _level_sql(levels: Sequence[tuple[str, str]]) -> str:
    whens = " ".join(
        f"WHEN {condition} THEN '{level}'" for level, condition in levels if condition != "ELSE"
    )
    otherwise = next((level for level, condition in levels if condition == "ELSE"), "other")
    return f"CASE {whens} ELSE '{otherwise}' END"


def ceiling(
    records_path: Path,
    truth_path: Path,
    pairs_path: Path,
    *,
    threshold: float,
    memory_limit: str = "4GB",
) -> Ceiling:
    """Figures for one set (see the module's docstring)."""
    with tempfile.TemporaryDirectory(prefix="tirek-ceiling-") as tmp:
        con = duckdb.connect(str(Path(tmp) / "ceiling.duckdb"))
        con.execute("SET preserve_insertion_order = false")
        con.execute(f"SET memory_limit = '{memory_limit}'")
        con.execute(f"SET temp_directory = '{Path(tmp) / 'spill'}'")
        canonical = Path(tmp) / "records.csv"
        records_normalize(records_path, canonical)
        records_prepare(con, canonical)
        con.execute(
            "CREATE TABLE truth AS SELECT record_id, person_id "
            "FROM read_csv(?, header = true, all_varchar = true)",
            [str(truth_path)],
        )
        con.execute(
            """
            CREATE TABLE names AS
            SELECT g_root, f_root, count(*) AS n FROM records
            WHERE g_root IS NOT NULL AND f_root IS NOT NULL GROUP BY ALL
            """
        )
        columns = ", ".join(f"r.{c}" for c in _COLUMNS)
        con.execute(
            f"""
            CREATE TABLE facts AS
            SELECT r.record_id, t.person_id, coalesce(n.n, 0) AS names_n, {columns}
            FROM records r JOIN truth t USING (record_id)
            LEFT JOIN names n USING (g_root, f_root)
            """  # noqa: S608
        )
        sides = ", ".join(f"l.{c} AS {c}_l, r.{c} AS {c}_r" for c in _COLUMNS)
        levels = ", ".join(
            f"{_level_sql(field_levels)} AS {field}"
            for field, (field_levels, _) in _COMPARISONS.items()
        )
        fields = ", ".join(_COMPARISONS)
        con.execute(
            f"""
            CREATE TABLE cells AS
            WITH joined AS (
                SELECT p.match_weight, l.person_id = r.person_id AS same,
                       CAST(floor(log2(greatest(l.names_n, r.names_n, 1))) AS INTEGER) AS bucket,
                       {sides}
                FROM read_parquet(?) p
                JOIN facts l ON l.record_id = p.record_id_l
                JOIN facts r ON r.record_id = p.record_id_r
            ), levelled AS (SELECT same, match_weight, bucket, {levels} FROM joined)
            SELECT {fields}, bucket,
                   count(*) FILTER (WHERE same) AS true_pairs,
                   count(*) FILTER (WHERE NOT same) AS false_pairs,
                   count(*) FILTER (WHERE same AND match_weight >= {math.log2(threshold / (1 - threshold))!r}) AS model_true,
                   count(*) FILTER (WHERE NOT same AND match_weight >= {math.log2(threshold / (1 - threshold))!r}) AS model_false
            FROM levelled GROUP BY ALL
            """,  # noqa: S608, E501
            [str(pairs_path)],
        )
        weights = con.execute(
            """
            SELECT round(p.match_weight, 1), count(*) FILTER (WHERE l.person_id = r.person_id),
                   count(*) FILTER (WHERE l.person_id <> r.person_id)
            FROM read_parquet(?) p
            JOIN facts l ON l.record_id = p.record_id_l
            JOIN facts r ON r.record_id = p.record_id_r
            GROUP BY 1
            """,
            [str(pairs_path)],
        ).fetchall()
        true_pairs = int(
            con.execute(
                "SELECT coalesce(sum(n * (n - 1) // 2), 0) FROM "
                "(SELECT count(*) AS n FROM truth GROUP BY person_id)"
            ).fetchall()[0][0]
        )
        rows = con.execute(
            "SELECT true_pairs, false_pairs, model_true, model_false FROM cells"
        ).fetchall()
        no_bucket = con.execute(
            f"SELECT sum(true_pairs), sum(false_pairs) FROM cells GROUP BY {fields}"  # noqa: S608
        ).fetchall()
        con.close()
    compared_true = sum(int(r[0]) for r in rows)
    compared = compared_true + sum(int(r[1]) for r in rows)
    best, cells_accepted = best_cut(((int(t), int(f)) for t, f, _, _ in rows), true_pairs)
    best_plain, _ = best_cut(((int(t), int(f)) for t, f in no_bucket), true_pairs)
    model_true = sum(int(r[2]) for r in rows)
    model = PairwiseQuality(true_pairs, model_true + sum(int(r[3]) for r in rows), model_true)
    model_best, weight = best_threshold(
        ((float(w), int(t), int(f)) for w, t, f in weights), true_pairs
    )
    return Ceiling(
        true_pairs=true_pairs,
        blocked_pairs=compared,
        true_pairs_compared=compared_true,
        cells=len(rows),
        cells_accepted=cells_accepted,
        best=best,
        best_without_bucket=best_plain,
        model=model,
        model_best=model_best,
        model_best_threshold=1 / (1 + 2**-weight) if weight < math.inf else 1.0,
    )


def _line(label: str, cut: PairwiseQuality) -> str:
    return (
        f"  {label:<34} P {cut.precision:.4f}  R {cut.recall:.4f}  F1 {cut.f1:.4f}  "
        f"({cut.correct_pairs:,} true, {cut.predicted_pairs - cut.correct_pairs:,} false pairs)"
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sets", nargs="*", default=["variants-20000"])
    parser.add_argument("--seed", type=int, default=202)
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    parser.add_argument(
        "--out", type=Path, default=None, help="where bench.evaluate --out kept the pairs"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="tirek-ceiling-") as tmp:
        out_dir = args.out or Path(tmp)
        out_dir.mkdir(parents=True, exist_ok=True)
        for name in args.sets:
            records_path, truth_path = set_files(name, out_dir, seed=args.seed)
            pairs_path = out_dir / f"pairs-{name}.parquet"
            if not pairs_path.exists():
                cluster_csv(
                    records_path,
                    out_dir / f"clusters-{name}.csv",
                    threshold=args.threshold,
                    pairs_path=pairs_path,
                )
            figures = ceiling(records_path, truth_path, pairs_path, threshold=args.threshold)
            print(
                f"{name} (seed {args.seed}): {figures.true_pairs:,} true pairs, "
                f"{figures.blocked_pairs:,} blocked pairs, "
                f"{figures.true_pairs_compared:,} true pairs compared "
                f"(blocking recall ceiling {figures.blocking_recall:.4f}), "
                f"{figures.cells:,} cells, {figures.cells_accepted:,} accepted",
                flush=True,
            )
            print(_line("ceiling (levels + name bucket)", figures.best))
            print(_line("ceiling (levels only)", figures.best_without_bucket))
            print(_line("model, pairwise at the threshold", figures.model))
            best_at = f"model, pairwise at {figures.model_best_threshold:.3g}"
            print(_line(best_at, figures.model_best), flush=True)


if __name__ == "__main__":
    main()
