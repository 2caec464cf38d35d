"""``tirek match``: cluster a CSV of person records, count unique persons, rebuild the index.

tirek match --input records.csv --output clusters.csv [--threshold 0.4] [--strict] [--engine spark]
            [--weights weights.json]
tirek match train --input records.csv --truth truth.csv --output weights.json
tirek match train --from-register --output weights.json
tirek match --count-persons
tirek match --review-queue
tirek match reindex
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tirek.matching.batch import DEFAULT_THRESHOLD, ClusterSummary
from tirek.matching.csv_input import InputError
from tirek.matching.scoring import ScoringModel
from tirek.matching.selectors import (
    REGISTER_SAMPLE,
    persons_count,
    review_queue,
    scoring_model,
    weights_learn_from_register,
)
from tirek.matching.services import candidate_index_rebuild
from tirek.matching.training import DEFAULT_NON_MATCHES, DEFAULT_POPULATION, model_train_csv


class Command(BaseCommand):
    help = (
        "Cluster person records (CSV), learn match weights from labelled records, count unique "
        "persons, count the uncertain pairs to review, or rebuild the candidate index."
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "action",
            nargs="?",
            choices=["reindex", "train"],
            help="reindex: rebuild the candidate index; train: learn match weights from "
            "--input and --truth into --output",
        )
        parser.add_argument("--input", type=Path, help="record_id,given_name,... CSV")
        parser.add_argument(
            "--output",
            type=Path,
            help="record_id,cluster_id CSV to write (train: the weights file to write)",
        )
        parser.add_argument(
            "--weights",
            type=Path,
            help="A weights file from `tirek match train` (default: TIREK_MATCH_WEIGHTS, else "
            "the weights shipped with Tirek).",
        )
        parser.add_argument(
            "--truth",
            type=Path,
            help="train: record_id,person_id CSV saying which records are one person",
        )
        parser.add_argument(
            "--from-register",
            action="store_true",
            help="train: learn from the person records coordinators confirmed as one person "
            "(and a random sample of the others) instead of --input and --truth",
        )
        parser.add_argument(
            "--sample",
            type=int,
            default=REGISTER_SAMPLE,
            help="train --from-register: other person records sampled for the non-matches "
            f"(default {REGISTER_SAMPLE})",
        )
        parser.add_argument(
            "--non-matches",
            type=int,
            default=DEFAULT_NON_MATCHES,
            help=f"train: random pairs of different persons drawn (default {DEFAULT_NON_MATCHES})",
        )
        parser.add_argument(
            "--population",
            type=int,
            default=DEFAULT_POPULATION,
            help="train: persons the intake search looks among, for the weights' prior "
            f"(default {DEFAULT_POPULATION})",
        )
        parser.add_argument(
            "--threshold",
            type=float,
            default=DEFAULT_THRESHOLD,
            help=f"Match probability from which records are linked (default {DEFAULT_THRESHOLD},"
            " chosen on the evaluation sets, see docs/matching.md).",
        )
        parser.add_argument(
            "--strict",
            action="store_true",
            help="Fail when a birth date, sex or citizenship value is not understood (default: "
            "count them, report their lines and treat them as missing).",
        )
        parser.add_argument(
            "--engine",
            choices=["duckdb", "spark"],
            default="duckdb",
            help="Where pairs are scored: DuckDB in this process (default), or Apache Spark "
            "(needs the tirek[spark] extra and Java 17; see docs/deployment.md).",
        )
        parser.add_argument(
            "--spark-master",
            default=os.environ.get("SPARK_MASTER", "local[*]"),
            help="Spark master URL (default: SPARK_MASTER, else local[*]).",
        )
        parser.add_argument(
            "--count-persons",
            action="store_true",
            help="Print how many unique persons the database holds (no names are printed).",
        )
        parser.add_argument(
            "--review-queue",
            action="store_true",
            help="Print how many uncertain pairs await a coordinator's review (counts only).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "reindex":
            rows = candidate_index_rebuild()
            self.stdout.write(f"Candidate index rebuilt: {rows} keys.")
            return
        if options["action"] == "train":
            self._train(options)
            return
        if options["count_persons"]:
            count = persons_count(threshold=options["threshold"])
            self.stdout.write(
                f"{count.unique_persons} unique persons in {count.records} person records."
            )
            return
        if options["review_queue"]:
            queue = review_queue()
            more = "" if queue.complete else " (a limit was reached: more may follow)"
            self.stdout.write(
                f"{len(queue.pairs)} uncertain pairs to review{more}; {queue.scored} candidate "
                f"pairs scored, {queue.skipped_digests} index keys shared by too many persons "
                "skipped."
            )
            return
        if not (options["input"] and options["output"]):
            raise CommandError(
                "Give --input and --output, --count-persons, --review-queue, or reindex."
            )
        if not options["input"].is_file():
            raise CommandError(f"No such file: {options['input']}")
        if not options["output"].resolve().parent.is_dir():
            raise CommandError(f"No such folder for the output: {options['output'].parent}")
        if not 0 < options["threshold"] < 1:
            raise CommandError("--threshold is a probability between 0 and 1 (exclusive).")
        model = self._model(options)
        try:
            summary = self._cluster(options, model)
        except InputError as error:
            raise CommandError(f"{options['input'].name}: {error}") from None
        for note in summary.input.notes() if summary.input else ():
            self.stderr.write(note)
        self.stdout.write(
            f"{summary.records} records, {summary.clusters} clusters, "
            + (f"{summary.pairs_blocked} pairs blocked, " if summary.pairs_blocked else "")
            + f"{summary.pairs_scored} pairs scored, {summary.total_seconds:.1f} s."
        )

    def _model(self, options: dict[str, Any]) -> ScoringModel:
        """The weights of --weights, else those the application uses (``TIREK_MATCH_WEIGHTS``,
        checked at start-up, or the shipped ones)."""
        path = options["weights"]
        if path is None:
            return scoring_model()
        try:
            return ScoringModel.load(path)
        except OSError:
            raise CommandError(f"The weights file cannot be read: {path}") from None
        except ValueError as error:
            raise CommandError(f"{path.name}: {error}") from None

    def _train(self, options: dict[str, Any]) -> None:
        if options["from_register"]:
            self._train_from_register(options)
            return
        for name in ("input", "truth", "output"):
            if not options[name]:
                raise CommandError(
                    "train needs --input, --truth and --output (or --from-register)."
                )
        for name in ("input", "truth"):
            if not options[name].is_file():
                raise CommandError(f"No such file: {options[name]}")
        self._output_check(options)
        try:
            model, summary = model_train_csv(
                options["input"],
                options["truth"],
                non_matches=options["non_matches"],
                population=options["population"],
                strict=options["strict"],
            )
        except InputError as error:
            raise CommandError(str(error)) from None
        for note in summary.notes():
            self.stderr.write(note)
        options["output"].write_text(model.to_json() + "\n", encoding="utf-8")
        self.stdout.write(
            f"Weights learnt from {summary.records} labelled records of {summary.persons} "
            f"persons: {summary.match_pairs} pairs of one person, {summary.non_match_pairs} "
            f"random pairs of different persons. Written to {options['output']}."
        )

    def _train_from_register(self, options: dict[str, Any]) -> None:
        if options["input"] or options["truth"]:
            raise CommandError(
                "--from-register learns from the database: leave out --input and --truth."
            )
        if not options["output"]:
            raise CommandError("train needs --output, the weights file to write.")
        self._output_check(options)
        if options["sample"] < 1 or options["non_matches"] < 1 or options["population"] < 2:
            raise CommandError("--sample and --non-matches are at least 1, --population 2.")
        try:
            learnt = weights_learn_from_register(
                sample=options["sample"],
                non_matches=options["non_matches"],
                population=options["population"],
            )
        except InputError as error:
            raise CommandError(str(error)) from None
        options["output"].write_text(learnt.model.to_json() + "\n", encoding="utf-8")
        self.stdout.write(
            f"Weights learnt from {learnt.persons} person records of this register: "
            f"{learnt.match_pairs} pairs confirmed as one person, {learnt.non_match_pairs} "
            f"random pairs of different persons. Written to {options['output']}."
        )

    def _output_check(self, options: dict[str, Any]) -> None:
        if not options["output"].resolve().parent.is_dir():
            raise CommandError(f"No such folder for the output: {options['output'].parent}")

    def _cluster(self, options: dict[str, Any], model: ScoringModel) -> ClusterSummary:
        if options["engine"] == "spark":
            try:
                from tirek.matching.spark import cluster_csv_spark
            except ImportError:
                raise CommandError(
                    "The Spark engine needs the extra: pip install 'tirek[spark]' (and Java 17)."
                ) from None
            return cluster_csv_spark(
                options["input"],
                options["output"],
                threshold=options["threshold"],
                model=model,
                master=options["spark_master"],
                strict=options["strict"],
            )
        from tirek.matching.batch import cluster_csv

        return cluster_csv(
            options["input"],
            options["output"],
            threshold=options["threshold"],
            model=model,
            strict=options["strict"],
        )
