"""Batch clustering: links respect conflicts; the CSV round trip through Splink works."""

from __future__ import annotations

import csv

import duckdb
import pytest

from tirek.matching.batch import (
    BLOCKING_RULES,
    DEFAULT_CONFLICT_WEIGHT,
    EXPLODING_RULES,
    RecordFacts,
    cluster_csv,
    clusters_link,
    facts_conflict,
    prior_estimate,
    records_prepare,
)
from tirek.matching.normalize import part_keys
from tirek.matching.scoring import LEVELS, BirthDate, ScoringModel, birth_date_parse

from .conftest import records_csv_write


@pytest.fixture(scope="module")
def model() -> ScoringModel:
    return ScoringModel.load()


def facts(birth: str = "", sex: str = "F", citizenship: str = "", patronymic: str = ""):
    return RecordFacts(
        birth_date=birth_date_parse(birth),
        sex=sex,
        citizenship=citizenship,
        patronymic=part_keys(patronymic, part="patronymic"),
    )


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (facts("1990-03-12"), facts("1990-07-05")),
        (facts("1990"), facts("1993")),
        # Another year and another month: two errors in one date are two people.
        (facts("1984-08-19"), facts("1985-06-08")),
        (facts("1984-08-19"), facts("1983-09-19")),
        # A year and a recorded month that both differ, partial dates too.
        (facts("1990-03"), facts("1991-07")),
        (facts("1990-03"), facts("1991-07-05")),
        (facts(sex="F"), facts(sex="M")),
        (facts(citizenship="KAZ"), facts(citizenship="UZB")),
        (facts(patronymic="Кайратовна"), facts(patronymic="Болатовна")),
    ],
)
def test_different_birth_dates_sex_citizenship_or_patronymic_conflict(model, a, b):
    assert facts_conflict(a, b, model, DEFAULT_CONFLICT_WEIGHT)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (facts("1990-03-12"), facts("1990")),
        (facts("1990-03-12"), facts("1990-03-21")),
        (facts("1990-03-12"), facts("1991-03-12")),
        # A year typo and a swapped day and month, or another day, in one record.
        (facts("1990-03-12"), facts("1991-12-03")),
        (facts("1990-03-12"), facts("1991-03-15")),
        (facts("1990-03-12"), facts("1991")),
        (facts("1990"), facts("1991")),
        (facts("1990-03-12", citizenship="KAZ"), facts("", sex="")),
        (facts(patronymic="Кайратовна"), facts(patronymic="Қайрат қызы")),
        (facts(patronymic="Хуршидович"), facts(patronymic="Хуршид ўғли")),
        # A year and month that is the other date with day and month swapped, cut short.
        (facts("1982-10"), facts("1982-11-10")),
    ],
)
def test_partial_dates_typos_and_missing_fields_do_not_conflict(model, a, b):
    assert not facts_conflict(a, b, model, DEFAULT_CONFLICT_WEIGHT)


def test_record_with_only_a_birth_year_does_not_chain_two_namesakes(model):
    # 0 and 2 are namesakes with different full birth dates; 1 has only the year.
    records = [facts("1990-03-12"), facts("1990"), facts("1990-07-05")]
    edges = [(0, 1, 6.0), (1, 2, 5.5)]
    labels = clusters_link(3, edges, records, model, min_weight=3.3)
    assert labels[0] == labels[1] != labels[2]


def test_links_below_the_minimum_weight_are_not_made(model):
    labels = clusters_link(2, [(0, 1, 1.0)], [facts(), facts()], model, min_weight=3.3)
    assert labels[0] != labels[1]


def test_ambiguous_record_is_left_alone_with_a_margin(model):
    records = [facts("1990-03-12"), facts("1990"), facts("1990-07-05")]
    edges = [(0, 1, 6.0), (1, 2, 5.5)]
    labels = clusters_link(3, edges, records, model, min_weight=3.3, margin=1.0)
    assert len(set(labels)) == 3


def test_rival_that_cannot_join_the_records_own_cluster_does_not_make_it_ambiguous(model):
    # 1 (no date) is already one person with 3 (citizenship KGZ); its rival 2 (UZB) conflicts
    # with 3, so 1's link to 0 is not ambiguous.
    records = [
        facts("1990-03-12"),
        facts(""),
        facts("1990-07-05", citizenship="UZB"),
        facts("", citizenship="KGZ"),
    ]
    edges = [(1, 3, 10.0), (0, 1, 6.0), (1, 2, 5.8)]
    labels = clusters_link(4, edges, records, model, min_weight=3.3, margin=1.0)
    assert labels[0] == labels[1] == labels[3] != labels[2]


def test_record_as_close_to_two_records_of_one_person_is_not_ambiguous(model):
    # 1 (a year only) is as close to 0 as to 2, a typo of the same date: not two people, so
    # the margin does not hold 1 apart, whether or not 0 and 2 are linked yet.
    records = [facts("1990-03-12"), facts("1990"), facts("1990-03-21")]
    edges = [(0, 1, 6.0), (1, 2, 5.8), (0, 2, 4.0)]
    labels = clusters_link(3, edges, records, model, min_weight=3.3, margin=1.0)
    assert len(set(labels)) == 1


def test_consistent_records_chain_into_one_cluster(model):
    records = [facts("1990-03-12", citizenship="KAZ"), facts("1990"), facts("", sex="")]
    labels = clusters_link(3, [(0, 1, 8.0), (1, 2, 4.0)], records, model, min_weight=3.3)
    assert len(set(labels)) == 1


@pytest.mark.parametrize(
    ("a", "c"),
    [
        # Different full birth dates that no day/month swap or year typo explains.
        (facts("1990-03-12"), facts("1991-07-05")),
        (facts("1990-03-12"), facts("1990-07-05")),
        (facts("1990-03-12", sex="F"), facts("1990-03-12", sex="M")),
        (facts(citizenship="KAZ"), facts(citizenship="UZB")),
    ],
)
def test_a_chain_a_b_c_does_not_join_a_and_c_that_conflict(model, a, c):
    # B has nothing that conflicts with either (no date, no sex, no citizenship); its link to
    # C is weak but above the minimum.  A and C never meet in one cluster.
    b = facts("", sex="")
    labels = clusters_link(3, [(0, 1, 12.0), (1, 2, 3.5)], [a, b, c], model, min_weight=3.3)
    assert labels[0] == labels[1] != labels[2]
    # C first (strongest link): then A stays out.
    labels = clusters_link(3, [(1, 2, 12.0), (0, 1, 3.5)], [a, b, c], model, min_weight=3.3)
    assert labels[1] == labels[2] != labels[0]


def test_a_chain_a_b_c_is_one_person_when_the_dates_are_a_swap(model):
    a, b, c = facts("1990-03-12"), facts("", sex=""), facts("1990-12-03")
    labels = clusters_link(3, [(0, 1, 12.0), (1, 2, 3.5)], [a, b, c], model, min_weight=3.3)
    assert len(set(labels)) == 1


def test_a_chain_a_b_c_does_not_join_a_and_c_kept_apart_by_their_own_pair(model):
    # No field conflicts, but A and C were compared and their names say two people: B (a
    # record close to both) must not chain them.
    records = [facts("1990-03-12"), facts("1990"), facts("1990-03-12")]
    edges = [(0, 1, 12.0), (1, 2, 4.0)]
    joined = clusters_link(3, edges, records, model, min_weight=3.3)
    assert len(set(joined)) == 1
    labels = clusters_link(3, edges, records, model, min_weight=3.3, apart=[(0, 2)])
    assert labels[0] == labels[1] != labels[2]
    # Also when the weak link comes first: A then stays out.
    edges = [(1, 2, 12.0), (0, 1, 4.0)]
    labels = clusters_link(3, edges, records, model, min_weight=3.3, apart=[(2, 0)])
    assert labels[1] == labels[2] != labels[0]


def test_cluster_csv_keeps_apart_records_whose_own_pair_weighs_little(tmp_path):
    source, target = tmp_path / "records.csv", tmp_path / "clusters.csv"
    records_csv_write(source, ROWS)
    # Every compared pair counted as "apart": no two records are clustered.
    cluster_csv(source, target, work_dir=tmp_path, apart_weight=1000.0)
    with target.open(encoding="utf-8") as f:
        clusters = {row["record_id"]: row["cluster_id"] for row in csv.DictReader(f)}
    assert clusters == {r[0]: r[0] for r in ROWS}


def test_record_facts_keep_a_partial_birth_date():
    assert facts("1990-03").birth_date == BirthDate(1990, 3)


ROWS = [
    ("a1", "Айгерим", "ЖУМАБАЕВА", "Кайратовна", "F", "1994-03-12", "KAZ"),
    ("a2", "Aigerim", "Zhumabayeva", "", "F", "1994-03-12", ""),
    ("a3", "Jumabaeva", "Aygerim", "", "", "1994", ""),
    ("b1", "Ерлан", "Сейткали", "Болатович", "M", "1980-01-20", "KAZ"),
    ("b2", "YERLAN", "SEITKALI", "", "M", "1980-01-20", "KAZ"),
    ("c1", "Динара", "Жумабаева", "Кайратовна", "F", "1997-05-02", "KAZ"),
]


@pytest.mark.parametrize("clustering", ["constrained", "components"])
def test_cluster_csv_groups_one_person_across_scripts(tmp_path, clustering):
    source, target = tmp_path / "records.csv", tmp_path / "clusters.csv"
    records_csv_write(source, ROWS)
    summary = cluster_csv(source, target, clustering=clustering, work_dir=tmp_path)
    with target.open(encoding="utf-8") as f:
        clusters = {row["record_id"]: row["cluster_id"] for row in csv.DictReader(f)}
    assert summary.records == 6
    assert clusters == {"a1": "a1", "a2": "a1", "a3": "a1", "b1": "b1", "b2": "b1", "c1": "c1"}


def test_cluster_csv_keeps_every_blocked_pair_for_evaluation(tmp_path):
    source, target, pairs = tmp_path / "r.csv", tmp_path / "c.csv", tmp_path / "p.parquet"
    _write_records(source, ROWS)
    summary = cluster_csv(source, target, work_dir=tmp_path, pairs_path=pairs)
    kept = duckdb.execute(
        "SELECT record_id_l, record_id_r, match_weight FROM read_parquet(?)", [str(pairs)]
    ).fetchall()
    assert summary.pairs_blocked == len(kept) >= summary.pairs_scored
    assert {tuple(sorted(row[:2])) for row in kept} >= {("a1", "a2"), ("b1", "b2")}
    with target.open(encoding="utf-8") as f:
        clusters = {row["record_id"]: row["cluster_id"] for row in csv.DictReader(f)}
    assert clusters["a2"] == clusters["a1"] != clusters["c1"]


def test_prior_is_estimated_from_the_blocked_pairs():
    # 100 records; 10 pairs that are surely one person (weight +30 with the model's prior),
    # 1,000 that surely are not: about 10 matches among 4,950 possible pairs.
    histogram = [(30.0, 10), (-30.0, 1000)]
    prior = prior_estimate(histogram, 100, 1e-5)
    assert prior == pytest.approx(10 / 4950, rel=0.01)


def test_prior_without_pairs_is_the_models():
    assert prior_estimate([], 100, 1e-5) == 1e-5
    assert prior_estimate([(3.0, 1)], 1, 1e-5) == 1e-5


def _write_records(path, rows) -> None:
    records_csv_write(path, rows)


@pytest.mark.parametrize(
    "rows",
    [
        [  # a typo in the given name, one birth date missing
            ("x1", "Раушан", "Сатысұлу", "Мейрамқызы", "F", "", ""),
            ("x2", "Раунан", "САТЫСУЛУ", "Мейрамовна", "F", "1972-03-14", "KAZ"),
        ],
        [  # a typo near the start of the family name, a birth year only
            ("y1", "Динара", "Алитокова", "Есенболовна", "F", "1973-03-29", "KAZ"),
            ("y2", "Динара", "Амитокова", "Есенбол қызы", "F", "1973", ""),
        ],
    ],
)
def test_typo_in_one_name_with_the_same_patronymic_is_a_candidate_pair(tmp_path, rows):
    source = tmp_path / "records.csv"
    _write_records(source, rows)
    con = duckdb.connect()
    records_prepare(con, source)
    any_rule = " OR ".join(f"({rule})" for rule in BLOCKING_RULES)
    row = con.execute(
        f"SELECT count(*) FROM records l JOIN records r ON l.idx < r.idx AND ({any_rule})"  # noqa: S608
    ).fetchone()
    con.close()
    assert row == (1,)


# Four records of a common name (one without a birth date) and two of a rarer one.
GROUPS = [
    ("c1", "Айгерим", "Токтарова", "", "F", "", ""),
    ("c2", "Айгерим", "Токтарова", "", "F", "1990-01-02", ""),
    ("c3", "AIGERIM", "TOKTAROVA", "", "F", "1991-03-04", ""),
    ("c4", "Айгерим", "Токтарова", "", "F", "1995-05-06", ""),
    ("r1", "Динара", "Жумабаева", "", "F", "", ""),
    ("r2", "Dinara", "Zhumabayeva", "", "F", "1987-07-08", ""),
]


def _rule_pairs(
    path, rule: str, arrays: tuple[str, ...], group_limit: int | None
) -> set[tuple[str, str]]:
    con = duckdb.connect()
    records_prepare(con, path, group_limit=group_limit, name_pair_limit=group_limit)
    source = "records"
    if arrays:
        replaced = ", ".join(f"unnest({column}) AS {column}" for column in arrays)
        source = f"(SELECT * REPLACE ({replaced}) FROM records)"  # noqa: S608
    rows = con.execute(
        f"SELECT DISTINCT l.record_id, r.record_id FROM {source} l "  # noqa: S608
        f"JOIN {source} r ON l.record_id < r.record_id AND ({rule})"
    ).fetchall()
    con.close()
    return set(rows)


@pytest.mark.parametrize(
    ("rule", "arrays"),
    [(BLOCKING_RULES[2], ()), EXPLODING_RULES[3]],
    ids=["names with a date missing", "a name token with a date missing"],
)
def test_a_key_group_over_the_limit_proposes_no_pairs_and_a_small_one_does(tmp_path, rule, arrays):
    source = tmp_path / "records.csv"
    _write_records(source, GROUPS)
    uncapped = _rule_pairs(source, rule, arrays, None)
    assert {("c1", "c2"), ("c1", "c4"), ("r1", "r2")} <= uncapped
    assert _rule_pairs(source, rule, arrays, 3) == {("r1", "r2")}


def test_two_variations_at_once_are_found_and_siblings_stay_apart(tmp_path):
    source, target = tmp_path / "records.csv", tmp_path / "clusters.csv"
    rows = [
        # One woman: names swapped and spelled in Latin with a typo, day and month swapped.
        ("a1", "Айгерим", "Токтарова", "Кайратовна", "F", "1995-03-09", "KAZ"),
        ("a2", "Toktarowa", "Ajgerim", "", "F", "1995-09-03", ""),
        ("a3", "AIGERIM", "TOKTAROVA", "", "F", "1996-03-09", "KAZ"),
        # Her sisters: same family name and patronymic, other given names, no birth date.
        ("s1", "Динара", "Токтарова", "Кайратовна", "F", "", "KAZ"),
        ("s2", "Жанар", "Токтарова", "Кайратовна", "F", "", "KAZ"),
    ]
    _write_records(source, rows)
    cluster_csv(source, target, work_dir=tmp_path)
    with target.open(encoding="utf-8") as f:
        clusters = {row["record_id"]: row["cluster_id"] for row in csv.DictReader(f)}
    assert clusters["a1"] == clusters["a2"] == clusters["a3"]
    assert len({clusters["a1"], clusters["s1"], clusters["s2"]}) == 3


def test_batch_birth_date_levels_are_the_pure_models():
    """The SQL levels Splink scores with give the same level as ``scoring`` for every pair."""
    from tirek.matching.batch import _BIRTH_DATE_LEVELS
    from tirek.matching.scoring import birth_date_level

    dates = ["", "1982", "1983", "1985", "1982-10", "1982-11", "1982-10-11", "1982-11-10",
             "1982-10-10", "1983-11-10", "1982-10-25", "1983-10", "1984-10-11", "1981-10",
             "1983-10-05", "1981-11-10", "1983-11", "1983-10-25", "1981-10-02", "1984-10-25",
             "1981", "1983-12-01"]  # fmt: skip
    case = " ".join(
        f"WHEN {'TRUE' if condition == 'ELSE' else condition} THEN '{level}'"
        for level, condition in _BIRTH_DATE_LEVELS
    )
    con = duckdb.connect()
    reached = set()
    for a in dates:
        for b in dates:
            pa_, pb = birth_date_parse(a), birth_date_parse(b)
            reached.add(birth_date_level(pa_, pb))
            row = {
                f"dob_{part}_{side}": getattr(parsed, name) if parsed else None
                for side, parsed in (("l", pa_), ("r", pb))
                for part, name in (("y", "year"), ("m", "month"), ("d", "day"))
            }
            columns = ", ".join(f"?::INTEGER AS {column}" for column in row)
            sql = f"SELECT CASE {case} END FROM (SELECT {columns})"  # noqa: S608
            assert con.execute(sql, list(row.values())).fetchall() == [
                (birth_date_level(pa_, pb),)
            ], (a, b)
    assert reached == set(LEVELS["birth_date"])  # the grid reaches every level
