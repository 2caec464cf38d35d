"""``tirek match``: clusters a CSV, counts unique persons, rebuilds the index."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import CommandError, call_command

from tirek.testing.builders import case_build

from .conftest import zhumabayeva

ROWS = [
    ("p1", "Айгерим", "ЖУМАБАЕВА", "Кайратовна", "F", "1994-03-12", "KAZ"),
    ("p2", "Aigerim", "Zhumabayeva", "", "F", "1994-03-12", "KAZ"),
    ("p3", "Aıgerım", "Jumabaeva", "Qaırat qyzy", "F", "1994", ""),
    ("p4", "Dmitry", "Synthetov", "", "M", "1980-01-01", "RUS"),
]


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("match", *args, stdout=out)
    return out.getvalue()


def test_match_writes_clusters_of_a_csv(tmp_path):
    records, clusters = tmp_path / "records.csv", tmp_path / "clusters.csv"
    with records.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ("record_id", "given_name", "family_name", "patronymic", "sex", "birth_date",
             "citizenship")
        )  # fmt: skip
        writer.writerows(ROWS)
    _run("--input", str(records), "--output", str(clusters))
    with clusters.open(encoding="utf-8") as handle:
        result = {row["record_id"]: row["cluster_id"] for row in csv.DictReader(handle)}
    assert result == {"p1": "p1", "p2": "p1", "p3": "p1", "p4": "p4"}


def test_match_needs_input_and_output():
    with pytest.raises(CommandError):
        _run("--input", "x.csv")


def test_count_persons_counts_one_woman_registered_twice_once(world):
    case_build(world.people.aigul, family_name="Synthetova", first_name="Testgul")
    assert _run("--count-persons").startswith("2 unique persons in 3 person records")


def test_count_persons_prints_no_name(world):
    assert "Zhumabayeva" not in _run("--count-persons")


def test_reindex_reports_the_keys(people):
    zhumabayeva(people.aigul)
    assert _run("reindex").startswith("Candidate index rebuilt:")
