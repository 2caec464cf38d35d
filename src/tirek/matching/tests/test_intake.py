"""Intake search: cross-script matches in the actor's cases, only a flag for other agencies."""

from __future__ import annotations

from tirek.cases.models import CaseEvent
from tirek.matching.selectors import Probe, matches_find
from tirek.testing.api import ApiClient

AIGERIM = Probe(given_name="Aigerim", family_name="Zhumabayeva", birth_date="1994-03-12", sex="F")


def test_latin_search_finds_the_cyrillic_record(world):
    found = matches_find(actor=world.people.nurlan, probe=AIGERIM)
    assert [m.case for m in found.matches] == [world.police_case]


def test_match_is_explained_across_scripts(world):
    found = matches_find(actor=world.people.nurlan, probe=AIGERIM)
    assert "family name matches across scripts" in found.matches[0].explanation


def test_match_explains_the_missing_patronymic(world):
    found = matches_find(actor=world.people.nurlan, probe=AIGERIM)
    assert "patronymic missing" in found.matches[0].explanation


def test_cyrillic_search_with_swapped_names_finds_the_latin_record(world):
    probe = Probe(given_name="Жумабаева", family_name="Айгерим", birth_date="1994-03-12")
    found = matches_find(actor=world.people.aigul, probe=probe)
    assert [m.case for m in found.matches] == [world.crisis_case]


def test_kazakh_spelling_with_only_a_birth_year_finds_the_record(world):
    probe = Probe(given_name="Айгерім", family_name="Жұмабай", birth_date="1994")
    found = matches_find(actor=world.people.aigul, probe=probe)
    assert [m.case for m in found.matches] == [world.crisis_case]


def test_match_at_another_agency_is_only_flagged(world):
    found = matches_find(actor=world.people.aigul, probe=AIGERIM)
    assert (world.police_case not in [m.case for m in found.matches], found.match_elsewhere) == (
        True,
        True,
    )


def test_outsider_gets_the_flag_and_no_match(world):
    found = matches_find(actor=world.people.outsider, probe=AIGERIM)
    assert (found.matches, found.match_elsewhere) == ([], True)


def test_name_alone_raises_no_flag_for_other_agencies(world):
    probe = Probe(given_name="Aigerim", family_name="Zhumabayeva")
    assert matches_find(actor=world.people.outsider, probe=probe).match_elsewhere is False


def test_different_birth_date_is_no_match(world):
    probe = Probe(given_name="Aigerim", family_name="Zhumabayeva", birth_date="1971-08-30")
    found = matches_find(actor=world.people.outsider, probe=probe)
    assert (found.matches, found.match_elsewhere) == ([], False)


INTAKE_BODY = {
    "prs_FirstName": "Aigerim",
    "prs_SecondName": "Zhumabayeva",
    "prs_Birthdate": "1994-03-12",
    "sex": "F",
}


def test_shown_match_is_recorded_as_a_read(world):
    matches_find(actor=world.people.nurlan, probe=AIGERIM)
    assert not CaseEvent.objects.filter(kind=CaseEvent.Kind.CASE_VIEWED).exists()  # selector
    assert ApiClient(world.people.nurlan).post("/matching/intake", INTAKE_BODY).status_code == 200
    reads = CaseEvent.objects.filter(
        case=world.police_case, kind=CaseEvent.Kind.CASE_VIEWED, data__via="match"
    )
    assert reads.count() == 1


def test_flagged_match_is_not_recorded_as_a_read(world):
    response = ApiClient(world.people.outsider).post("/matching/intake", INTAKE_BODY)
    assert response.json()["match_elsewhere"] is True
    assert not CaseEvent.objects.filter(kind=CaseEvent.Kind.CASE_VIEWED).exists()


def test_administrator_finds_nothing(world):
    found = matches_find(actor=world.people.agency_admin, probe=AIGERIM)
    assert (found.matches, found.match_elsewhere) == ([], False)
