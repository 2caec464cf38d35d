"""The de-identified dataset's privacy rule, as properties: every released combination of
quasi-identifiers is shared by at least k rows and is l-diverse on the sensitive attributes, and
nothing is invented or lost unseen."""

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
    NOT_RECORDED,
    QUASI_IDENTIFIERS,
    SENSITIVE,
    Person,
    age_broad,
    anonymise,
    ctdc_row,
    l_diverse,
    sensitive_value,
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


# --- l-diversity -------------------------------------------------------------------------------


def _values(rows, attribute):
    classes: dict[tuple[str, ...], set[tuple[str, ...]]] = {}
    for row in rows:
        classes.setdefault(_key(row), set()).add(sensitive_value(row, attribute))
    return classes


@settings(max_examples=120, deadline=None)
@given(st.lists(people, max_size=120), st.integers(2, 11), st.integers(1, 4))
def test_every_released_combination_is_l_diverse(persons, k, l_div):
    rows = [ctdc_row(person) for person in persons]
    result = anonymise(rows, k=k, l_div=l_div)
    assert all(size >= k for size in Counter(_key(row) for row in result.rows).values())
    for attribute in SENSITIVE:
        for values in _values(result.rows, attribute).values():
            assert len(values) >= l_div or values == {NOT_RECORDED[attribute]}
    assert l_diverse(result.rows, l_div)
    assert len(result.rows) + result.suppressed == len(rows)


@settings(max_examples=60, deadline=None)
@given(st.lists(people, max_size=80), st.integers(2, 11))
def test_l_of_one_is_plain_k_anonymity(persons, k):
    rows = [ctdc_row(person) for person in persons]
    assert anonymise(rows, k=k, l_div=1) == anonymise(rows, k=k)


@settings(max_examples=60, deadline=None)
@given(st.lists(people, max_size=80), st.integers(2, 11))
def test_diversity_only_ever_withholds_more(persons, k):
    rows = [ctdc_row(person) for person in persons]
    plain, diverse = anonymise(rows, k=k), anonymise(rows, k=k, l_div=2)
    assert len(diverse.steps) >= len(plain.steps)
    assert diverse.steps[: len(plain.steps)] == plain.steps


def _victim(**changes: Any) -> Person:
    base: dict[str, Any] = dict(
        registered_on=datetime.date(2024, 3, 1),
        sex="F",
        gender="",
        age=25,
        minor=None,
        age_when_trafficked=24,
        citizenship="KAZ",
        country_of_exploitation="KAZ",
        types_of_exploitation=["ForcedLabour"],
        methods_of_control=["WithholdsDocuments"],
        recruiter_relations=["Acquainted"],
    )
    return Person(**(base | changes))


def test_an_attacker_cannot_infer_a_persons_means_of_control():
    """The attacker knows Dana (synthetic): a woman of 25 from Kazakhstan, registered in 2024,
    exploited in forced labour in Kazakhstan. Everyone sharing those facts was held by debt
    bondage; women of 25 from Uzbekistan exploited in Russia were held in various ways."""
    dana = _victim(methods_of_control=["DebtBondage"])
    same_group = [_victim(methods_of_control=["DebtBondage"]) for _ in range(11)]
    others = [
        _victim(
            citizenship="UZB",
            country_of_exploitation="RUS",
            methods_of_control=[means],
            recruiter_relations=[relation],
        )
        for means in ("WithholdsDocuments", "PhysicalThreats", "DebtBondage", "Other")
        for relation in ("Acquainted", "Familial", "Unaquainted")
    ]
    rows = [ctdc_row(p) for p in [dana, *same_group, *others]]

    def inferred(released):
        """What the attacker learns: the means of control of every row matching Dana's facts
        (as generalised in the export); a single value is an inference."""
        known = ctdc_row(dana)
        matches = [
            row
            for row in released
            if all(
                row[c] in ("", known[c], *_generalised(known[c], c))
                for c in ("gender", "yearOfRegistration", "citizenship", "ageBroad")
            )
        ]
        return {row["meansOfControlConcatenated"] for row in matches}

    # k-anonymity alone: Dana's combination holds 12 rows, all naming debt bondage.
    assert inferred(anonymise(rows, k=11).rows) == {"DebtBondage"}
    # l-diverse: the attacker is left with at least two possibilities, or nothing at all.
    learned = inferred(anonymise(rows, k=11, l_div=2).rows)
    assert len(learned) != 1


def _generalised(value: str, column: str) -> tuple[str, ...]:
    """The values a known fact may have become in the export (an attacker knows the ladder)."""
    row = {c: "" for c in COLUMNS} | {column: value}
    out = []
    for _name, step in LADDER:
        row = step(dict(row))
        out.append(row[column])
    return tuple(out)


def test_l_below_one_is_refused():
    with pytest.raises(ValueError):
        anonymise([], k=11, l_div=0)
