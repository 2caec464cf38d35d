"""``tirek match``: clusters a CSV, counts unique persons, rebuilds the index."""

from __future__ import annotations

import csv
import inspect
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tirek.matching.batch import DEFAULT_THRESHOLD, cluster_csv
from tirek.testing.builders import case_build

from .conftest import records_csv_write, zhumabayeva

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
    records_csv_write(records, ROWS)
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


# --- Bad input: a message and a non-zero exit, never a traceback ---------------------------

SHORT_HEADER = ("record_id", "given_name", "family_name", "birth_date")


def _match_file(tmp_path, header, rows, *args, encoding="utf-8"):
    source, target = tmp_path / "records.csv", tmp_path / "clusters.csv"
    records_csv_write(source, rows, header, encoding=encoding)
    out, err = io.StringIO(), io.StringIO()
    call_command("match", "--input", str(source), "--output", str(target), *args,
                 stdout=out, stderr=err)  # fmt: skip
    with target.open(encoding="utf-8") as handle:
        clusters = {row["record_id"]: row["cluster_id"] for row in csv.DictReader(handle)}
    return clusters, err.getvalue()


def test_dates_in_iso_day_first_year_month_and_year_forms_find_one_person(tmp_path):
    rows = [
        ("a", "Айгерим", "Жумабаева", "1994-03-12"),
        ("b", "Aigerim", "Zhumabayeva", "12.03.1994"),
        ("c", "Айгерим", "ЖУМАБАЕВА", "03.1994"),
        ("d", "Aıgerım", "Jumabaeva", "1994"),
        ("e", "Dmitry", "Synthetov", "01.01.1980"),
    ]
    clusters, notes = _match_file(tmp_path, SHORT_HEADER, rows)
    assert clusters == {"a": "a", "b": "a", "c": "a", "d": "a", "e": "e"}
    assert "No column patronymic, sex, citizenship" in notes


def test_dates_not_understood_are_reported_with_lines_and_strict_fails(tmp_path):
    rows = [
        ("a", "Айгерим", "Жумабаева", "1994-03-12"),
        ("b", "Aigerim", "Zhumabayeva", "12 марта 1994"),
        ("c", "Dmitry", "Synthetov", "1980-02-31"),
    ]
    clusters, notes = _match_file(tmp_path, SHORT_HEADER, rows)
    assert set(clusters) == {"a", "b", "c"}
    assert "birth_date: 2 values not understood (lines 3, 4); treated as missing." in notes
    with pytest.raises(CommandError) as raised:
        _match_file(tmp_path, SHORT_HEADER, rows, "--strict")
    assert "birth_date: 2 values not understood (lines 3, 4)" in str(raised.value)
    assert "марта" not in str(raised.value) and "Aigerim" not in str(raised.value)


def test_a_windows_1251_file_gives_the_clusters_of_its_utf8_copy(tmp_path):
    rows = [
        ("a", "Айгерим", "Жумабаева", "1994-03-12"),
        ("b", "Айгерим", "Жумабаева", "12.03.1994"),
        ("c", "Ерлан", "Сейткали", "1980-01-20"),
    ]
    utf8, _ = _match_file(tmp_path, SHORT_HEADER, rows)
    cp1251, notes = _match_file(tmp_path, SHORT_HEADER, rows, encoding="cp1251")
    assert cp1251 == utf8 == {"a": "a", "b": "a", "c": "c"}
    assert "Read as cp1251" in notes


def test_two_different_people_alone_in_a_file_are_two_clusters(tmp_path):
    # The one blocked pair is a non-match: the prior estimated from it is about zero.
    header = (*SHORT_HEADER, "patronymic")
    rows = [
        ("a", "Айгерим", "Жумабаева", "1994-03-12", "Кайратовна"),
        ("b", "Айгерим", "Жумабаева", "1961-07-30", "Кайратовна"),
    ]
    clusters, _ = _match_file(tmp_path, header, rows)
    assert clusters == {"a": "a", "b": "b"}


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "The file is empty"),
        (b"record_id,given_name,family_name,birth_date\n", "header but no records"),
        (b"record_id,given_name,family_name,birth_date\n1,A,B,\n1,C,D,\n",
         "repeat a record_id used on an earlier line (lines 3)"),
        (b"record_id,given_name,family_name\n1,A,B\n", "Missing column(s): birth_date"),
        (b"record_id,given_name,family_name,birth_date\n" + bytes(range(128, 256)),
         "Save it as 'CSV UTF-8'"),
    ],
)  # fmt: skip
def test_files_that_cannot_be_used_stop_with_a_message(tmp_path, content, words):
    source = tmp_path / "records.csv"
    source.write_bytes(content)
    with pytest.raises(CommandError) as raised:
        _run("--input", str(source), "--output", str(tmp_path / "clusters.csv"))
    assert words in str(raised.value)
    assert not (tmp_path / "clusters.csv").exists()


def test_bad_input_exits_non_zero_without_a_traceback(tmp_path):
    source = tmp_path / "records.csv"
    source.write_bytes(b"record_id,given_name,family_name,birth_date\n")
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "tirek", "match", "--input", str(source), "--output",
         str(tmp_path / "clusters.csv")],
        capture_output=True, text=True, env={**os.environ, "TIREK_TESTING": "1"}, check=False,
    )  # fmt: skip
    assert result.returncode == 1
    assert "header but no records" in result.stderr
    assert "Traceback" not in result.stderr


def test_one_default_threshold_for_the_command_the_batch_and_the_docs():
    from tirek.matching.management.commands.match import Command

    parser = Command().create_parser("tirek", "match")
    default = parser.get_default("threshold")
    assert default == DEFAULT_THRESHOLD
    assert inspect.signature(cluster_csv).parameters["threshold"].default == default
    docs = (Path(__file__).resolve().parents[4] / "docs" / "matching.md").read_text("utf-8")
    assert f"one default threshold, **{default}**" in docs
