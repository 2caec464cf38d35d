"""The search box: one search across alphabets, spellings and name orders (issue 9 item 3)."""

from __future__ import annotations

import datetime

import pytest

from tirek.cases.selectors import person_search
from tirek.matching.selectors import cases_search
from tirek.testing.builders import case_build


@pytest.fixture
def olga(people):
    return case_build(
        people.aigul,
        first_name="Ольга",
        family_name="Образцова",
        patronymic="Ивановна",
        birth_date=datetime.date(1995, 3, 9),
    )


@pytest.mark.parametrize(
    "typed",
    [
        "Obraztsova Olga",  # passport Latin
        "Olga Obraztsova",  # the other order
        "ОБРАЗЦОВА",  # one word, capitals
        "Obrazcova Olga",  # informal Latin
        "Образцова Ольга Ивановна",  # with the patronymic
        "Obraztsova Olag",  # a typo
    ],
)
def test_one_search_finds_the_person_in_any_alphabet_and_order(people, olga, typed):
    assert person_search(actor=people.aigul, name=typed) == [olga]


def test_mixed_script_lookalikes_find_the_cyrillic_name(people):
    case = case_build(people.aigul, first_name="Айгүл", family_name="Тоқтарова")
    # "Aйгүл" is typed with a Latin A.
    assert person_search(actor=people.aigul, name="Aйгүл") == [case]


def test_every_word_must_match(people, olga):
    assert person_search(actor=people.aigul, name="Obraztsova Dinara") == []


def test_a_contradicting_birth_date_leaves_the_person_out(people, olga):
    assert person_search(
        actor=people.aigul, name="Obraztsova", birth_date=datetime.date(1995, 9, 3)
    ) == [olga]  # day and month swapped: the same date
    assert (
        person_search(actor=people.aigul, name="Obraztsova", birth_date=datetime.date(1980, 1, 1))
        == []
    )


def test_a_date_alone_finds_the_person(people, olga):
    assert person_search(actor=people.aigul, name="", birth_date=datetime.date(1995, 3, 9)) == [
        olga
    ]


def test_a_strong_match_at_another_agency_is_only_flagged(people):
    hidden = case_build(
        people.nurlan,
        first_name="Ольга",
        family_name="Образцова",
        birth_date=datetime.date(1995, 3, 9),
    )
    found = cases_search(
        actor=people.aigul, name="Obraztsova Olga", birth_date=datetime.date(1995, 3, 9)
    )
    assert found.cases == [] and found.match_elsewhere
    assert hidden not in found.cases


def test_a_name_alone_does_not_probe_other_agencies(people):
    case_build(people.nurlan, first_name="Ольга", family_name="Образцова")
    found = cases_search(actor=people.aigul, name="Obraztsova Olga")
    assert found.cases == [] and not found.match_elsewhere
