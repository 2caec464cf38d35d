"""Match weights learnt from a deployment's own labelled records (``tirek match train``).

The shipped weights (``data/default_weights.json``) were learnt on synthetic records. A
deployment that has records whose persons are known — pairs its reviewers confirmed or
rejected, a register with document numbers, a past reconciliation — learns weights that fit
how *its* records vary:

    tirek match train --input records.csv --truth truth.csv --output weights.json
    tirek match --input new.csv --output clusters.csv --weights weights.json

``records.csv`` has the columns of ``tirek match`` (read by ``csv_input.records_normalize``,
with the same checks); ``truth.csv`` has ``record_id,person_id``: records with one person_id
are one person. m-probabilities come from every pair of records of one person, u-probabilities
from random pairs of records of different persons. The prior is set for the intake search (one
true match among ``population`` persons); the batch re-estimates it on its data.

Messages name columns, lines and counts, never a value: the files are about persons.
"""

from __future__ import annotations

import csv
import itertools
import random
import tempfile
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from tirek.matching.csv_input import (
    InputError,
    InputReport,
    delimiter_guess,
    encoding_detect,
    lines_phrase,
    records_normalize,
    text_lines,
)
from tirek.matching.scoring import (
    PersonRecord,
    PreparedPerson,
    ScoringModel,
    compare,
    person_prepare,
)

__all__ = [
    "DEFAULT_NON_MATCHES",
    "DEFAULT_POPULATION",
    "TrainingSummary",
    "model_train_csv",
    "model_train_labelled",
    "truth_read",
]

# Random pairs of different persons drawn for the u-probabilities (the shipped weights used
# 300,000; fewer make rare levels noisy).
DEFAULT_NON_MATCHES = 300_000
# The intake search looks for one person among this many (the prior of the weights file).
DEFAULT_POPULATION = 100_000


@dataclass(frozen=True, slots=True)
class TrainingSummary:
    """What the weights were learnt from (counts only)."""

    records: int
    persons: int
    match_pairs: int
    non_match_pairs: int
    unlabelled: int
    input: InputReport

    def notes(self) -> list[str]:
        notes = list(self.input.notes())
        if self.unlabelled:
            notes.append(f"{self.unlabelled} record(s) have no line in the truth file: left out.")
        return notes


def truth_read(path: str | Path) -> dict[str, str]:
    """``record_id → person_id`` from a ``record_id,person_id`` CSV (comma, semicolon or tab).

    Raises ``InputError`` for a missing column, an empty id and a record_id given twice.
    """
    path = Path(path)
    try:
        with path.open("rb") as handle:
            sample = handle.read(1 << 20)
    except OSError:
        raise InputError("The truth file cannot be opened for reading.") from None
    if not sample.strip():
        raise InputError("The truth file is empty: expected a header record_id,person_id.")
    lines = text_lines(path, encoding_detect(sample))
    first = next(lines, "")
    delimiter = delimiter_guess(first)
    reader = csv.reader(itertools.chain([first], lines), delimiter=delimiter)
    try:
        header = [h.strip().lstrip("\ufeff").lower() for h in next(reader)]
    except csv.Error:
        raise InputError("The truth file's header line could not be read as CSV.") from None
    if "record_id" not in header or "person_id" not in header:
        raise InputError("The truth file must have the columns record_id and person_id.")
    at_record, at_person = header.index("record_id"), header.index("person_id")
    truth: dict[str, str] = {}
    repeated: list[int] = []
    empty: list[int] = []
    try:
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            cells = row + [""] * (len(header) - len(row))
            record_id, person_id = cells[at_record].strip(), cells[at_person].strip()
            if not record_id or not person_id:
                empty.append(reader.line_num)
            elif record_id in truth:
                repeated.append(reader.line_num)
            else:
                truth[record_id] = person_id
    except csv.Error:
        raise InputError(
            f"Line {reader.line_num} of the truth file could not be read as CSV."
        ) from None
    if empty:
        raise InputError(
            f"The truth file has an empty record_id or person_id on lines {lines_phrase(empty)}."
        )
    if repeated:
        raise InputError(
            f"The truth file gives a record_id twice (lines {lines_phrase(repeated)}): "
            "each record belongs to one person."
        )
    return truth


def model_train_csv(
    records_path: str | Path,
    truth_path: str | Path,
    *,
    non_matches: int = DEFAULT_NON_MATCHES,
    population: int = DEFAULT_POPULATION,
    seed: int = 7,
    strict: bool = False,
) -> tuple[ScoringModel, TrainingSummary]:
    """Learn m and u from the labelled records; the model and what it was learnt from."""
    if non_matches < 1:
        raise InputError("Draw at least one pair of different persons (--non-matches).")
    if population < 2:
        raise InputError("The population is at least 2 persons (--population).")
    truth = truth_read(truth_path)
    with tempfile.TemporaryDirectory(prefix="tirek-train-") as work:
        canonical = Path(work) / "records.csv"
        report = records_normalize(records_path, canonical, strict=strict)
        prepared: list[PreparedPerson] = []
        owners: list[str] = []  # the person of each prepared record
        unlabelled = 0
        with canonical.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            next(reader)
            for row in reader:
                person_id = truth.get(row[0])
                if person_id is None:
                    unlabelled += 1
                    continue
                owners.append(person_id)
                prepared.append(person_prepare(PersonRecord(*row[1:7])))
    model, matches, drawn = model_train_labelled(
        prepared, owners, non_matches=non_matches, population=population, seed=seed
    )
    summary = TrainingSummary(
        records=len(prepared),
        persons=len(set(owners)),
        match_pairs=matches,
        non_match_pairs=drawn,
        unlabelled=unlabelled,
        input=report,
    )
    return model, summary


def model_train_labelled(
    prepared: Sequence[PreparedPerson],
    owners: Sequence[str],
    *,
    non_matches: int = DEFAULT_NON_MATCHES,
    population: int = DEFAULT_POPULATION,
    seed: int = 7,
) -> tuple[ScoringModel, int, int]:
    """Learn m and u from prepared records and who each is; the model and the pair counts.

    ``owners[i]`` is the person of ``prepared[i]``. Every pair of records of one person is a
    match; ``non_matches`` random pairs of records of different persons are the non-matches.
    """
    if len(owners) != len(prepared):
        raise ValueError("One owner per prepared record.")
    by_person: dict[str, list[int]] = defaultdict(list)
    for index, person_id in enumerate(owners):
        by_person[person_id].append(index)
    if not any(len(records) > 1 for records in by_person.values()):
        raise InputError(
            "No two labelled records share a person_id: the weights learn how one person's "
            "records differ, so at least one person needs two records."
        )
    if len(by_person) < 2:
        raise InputError("All labelled records are one person: at least two persons are needed.")
    pairs: list[tuple[Mapping[str, str], bool]] = [
        (compare(prepared[a], prepared[b]), True)
        for records in by_person.values()
        for a, b in itertools.combinations(records, 2)
    ]
    matches = len(pairs)
    rng = random.Random(seed)  # noqa: S311 - sampling pairs, not a secret
    drawn = 0
    while drawn < non_matches:
        a, b = rng.randrange(len(prepared)), rng.randrange(len(prepared))
        if owners[a] != owners[b]:
            pairs.append((compare(prepared[a], prepared[b]), False))
            drawn += 1
    return ScoringModel.train(pairs, smoothing=1.0, prior=1 / population), matches, drawn
