"""The de-identified dataset's privacy rule, as properties: every released combination of
quasi-identifiers is shared by at least k rows, and nothing is invented or lost unseen."""

from __future__ import annotations

import datetime
from collections import Counter
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tirek.exchange.ctdc import (
    COLUMNS,
    LADDER,
    QUASI_IDENTIFIERS,
    Person,
    age_broad,
    anonymise,
    ctdc_row,
)

COUNTRIES = ["KAZ", "UZB", "KGZ", "RUS", "TUR", "ARE", "ZZZ", "", "FRA"]
TYPES = ["ForcedLabour", "SexualExploitation", "ForcedBegging", "OrganRemoval", "ForcedMarriage"]
MEANS = ["DebtBondage", "WithholdsDocuments", "PhysicalThreats", "Other"]

people = st.builds(
    Person,
    registered_on=st.dates(datetime.date(2015, 1, 1), datetime.date(2026, 12, 31)),
    sex=st.sampled_from(["F", "M", "U"]),
    gender=st.sampled_from(["", "Feminine", "NonConforming"]),
    age=st.one_of(st.none(), st.integers(0, 80)),
    minor=st.one_of(st.none(), st.booleans()),
    age_when_trafficked=st.one_of(st.none(), st.integers(0, 80)),
    citizenship=st.sampled_from(COUNTRIES),
    country_of_exploitation=st.sampled_from(COUNTRIES),
    types_of_exploitation=st.lists(st.sampled_from(TYPES), max_size=3),
    methods_of_control=st.lists(st.sampled_from(MEANS), max_size=3),
    recruiter_relations=st.lists(st.sampled_from(["Familial", "Acquainted", "Unaquainted"])),
)


def _key(row):
    return tuple(row[c] for c in QUASI_IDENTIFIERS)


@settings(max_examples=150, deadline=None)
@given(st.lists(people, max_size=120), st.integers(2, 15))
def test_every_released_combination_is_shared_by_at_least_k_rows(persons, k):
    rows = [ctdc_row(person) for person in persons]
    result = anonymise(rows, k=k)
    sizes = Counter(_key(row) for row in result.rows)
    assert all(size >= k for size in sizes.values())
    assert len(result.rows) + result.suppressed == len(rows)
    assert all(set(row) == set(COLUMNS) for row in result.rows)


@settings(max_examples=80, deadline=None)
@given(st.lists(people, min_size=1, max_size=80), st.integers(2, 11))
def test_attributes_that_are_not_quasi_identifiers_are_released_unchanged(persons, k):
    rows = [ctdc_row(person) for person in persons]
    released = anonymise(rows, k=k).rows
    attributes = [c for c in COLUMNS if c.startswith(("meansOfControl", "recruiterRelation"))]
    before = Counter(tuple(row[c] for c in attributes) for row in rows)
    after = Counter(tuple(row[c] for c in attributes) for row in released)
    assert not after - before  # every released attribute set comes from a real row


def test_a_person_alone_in_their_combination_is_generalised_or_left_out():
    common = Person(
        registered_on=datetime.date(2024, 3, 1),
        sex="F",
        gender="",
        age=25,
        minor=None,
        age_when_trafficked=24,
        citizenship="KAZ",
        country_of_exploitation="KAZ",
        types_of_exploitation=["ForcedLabour"],
        methods_of_control=["DebtBondage"],
        recruiter_relations=[],
    )
    rare = Person(**{**common.__dict__, "citizenship": "IND", "age": 61, "sex": "M"})
    rows = [ctdc_row(common)] * 30 + [ctdc_row(rare)]
    result = anonymise(rows, k=11)
    assert result.suppressed == 1
    assert not result.steps  # 1 of 31 is within the 5 % suppression budget
    assert all(row["citizenship"] == "KZ" for row in result.rows)


def test_many_small_groups_are_generalised_before_anyone_is_suppressed():
    base: dict[str, Any] = dict(
        registered_on=datetime.date(2024, 3, 1),
        sex="F",
        gender="",
        minor=None,
        age_when_trafficked=None,
        country_of_exploitation="RUS",
        types_of_exploitation=["SexualExploitation"],
        methods_of_control=[],
        recruiter_relations=["Familial"],
    )
    rows = [
        ctdc_row(Person(**base, age=age, citizenship=country))
        for age in (18, 20, 22, 24, 26, 28)
        for country in ("UZB", "KGZ", "TJK")
    ]
    result = anonymise(rows, k=11)
    assert result.suppressed == 0
    assert result.steps == tuple(name for name, _step in LADDER[:3])
    assert {row["ageBroad"] for row in result.rows} == {"18--29"}
    assert {row["citizenship"] for row in result.rows} == {"CentralAsia"}
    assert {row["recruiterRelationFamily"] for row in result.rows} == {"1"}


@pytest.mark.parametrize(
    ("age", "band"),
    [
        (None, ""),
        (0, "0--8"),
        (8, "0--8"),
        (17, "9--17"),
        (18, "18--20"),
        (47, "39--47"),
        (48, "48+"),
    ],
)
def test_age_bands_are_ctdcs(age, band):
    assert age_broad(age) == band


def test_k_below_two_is_refused():
    with pytest.raises(ValueError):
        anonymise([], k=1)
