"""``providers_for``: the providers that fit a person, a territory and have free places."""

from __future__ import annotations

import datetime

import pytest

from tirek.accounts.models import Agency
from tirek.directory.models import Place, Service
from tirek.directory.selectors import (
    Seeker,
    eligibility_misfits,
    providers_for,
    seeker_of,
)
from tirek.testing.builders import case_build
from tirek.testing.directory import service_build
from tirek.testing.personas import Personas


def _names(offers: list) -> list[str]:  # type: ignore[type-arg]
    return [offer.agency.name for offer in offers]


@pytest.fixture
def shymkent(db: None) -> Place:
    return Place.objects.create(kind=Place.Kind.CITY, code="test-shymkent", name_en="Shymkent")


@pytest.fixture
def second_shelter(people: Personas) -> Agency:
    return Agency.objects.create(name="Test Shelter Two", type=Agency.Type.NGO, place=people.almaty)


def test_shelter_with_free_places_is_proposed(people: Personas) -> None:
    service_build(people.crisis_centre, people.shelter_service, free=3)
    offers = providers_for(service_type=people.shelter_service, territory=people.almaty)
    assert [(o.agency.pk, o.free_places) for o in offers] == [(people.crisis_centre.pk, 3)]


def test_full_shelter_is_left_out(people: Personas) -> None:
    service_build(people.crisis_centre, people.shelter_service, free=0)
    assert providers_for(service_type=people.shelter_service) == []


def test_full_shelter_is_listed_when_asked(people: Personas) -> None:
    service_build(people.crisis_centre, people.shelter_service, free=0)
    offers = providers_for(service_type=people.shelter_service, include_full=True)
    assert [o.is_full for o in offers] == [True]


def test_most_free_places_first_then_uncounted(people: Personas, second_shelter: Agency) -> None:
    service_build(people.crisis_centre, people.shelter_service, free=1)
    service_build(second_shelter, people.shelter_service, free=4)
    service_build(people.health, people.shelter_service)
    offers = providers_for(service_type=people.shelter_service.code)
    assert _names(offers) == [second_shelter.name, people.crisis_centre.name, people.health.name]


def test_other_city_is_left_out(people: Personas, shymkent: Place) -> None:
    service_build(people.crisis_centre, people.shelter_service, free=2)
    assert providers_for(service_type=people.shelter_service, territory=shymkent) == []


def test_service_area_of_a_country_covers_its_city(people: Personas, shymkent: Place) -> None:
    country = Place.objects.create(kind=Place.Kind.COUNTRY, code="test-kaz", name_en="Kazakhstan")
    shymkent.parent = country
    shymkent.save()
    service_build(people.embassy, people.shelter_service, areas=[country])
    offers = providers_for(service_type=people.shelter_service, territory=shymkent)
    assert _names(offers) == [people.embassy.name]


def test_women_only_shelter_is_not_proposed_for_a_man(people: Personas) -> None:
    service_build(people.crisis_centre, people.shelter_service, free=2, sex=Service.Sex.FEMALE)
    offers = providers_for(service_type=people.shelter_service, person=Seeker(sex="M"))
    assert offers == []


def test_child_service_is_not_proposed_for_an_adult(people: Personas) -> None:
    service_build(people.crisis_centre, people.shelter_service, maximum_age=17)
    case = case_build(people.aigul, birth_date=datetime.date(1990, 1, 1))
    assert providers_for(service_type=people.shelter_service, person=case) == []


def test_foreigners_service_is_not_proposed_for_a_citizen(people: Personas) -> None:
    service_build(
        people.embassy, people.shelter_service, citizenship=Service.Citizenship.FOREIGNERS
    )
    case = case_build(people.aigul, citizenship=["KAZ"])
    assert providers_for(service_type=people.shelter_service, person=case.person) == []


def test_foreigners_service_is_proposed_for_a_foreign_national(people: Personas) -> None:
    service_build(
        people.embassy, people.shelter_service, citizenship=Service.Citizenship.FOREIGNERS
    )
    case = case_build(people.aigul, citizenship=["UZB"])
    assert _names(providers_for(service_type=people.shelter_service, person=case)) == [
        people.embassy.name
    ]


def test_unknown_facts_never_exclude(people: Personas) -> None:
    service = service_build(
        people.crisis_centre,
        people.shelter_service,
        sex=Service.Sex.FEMALE,
        minimum_age=18,
        citizenship=Service.Citizenship.CITIZENS,
    )
    assert eligibility_misfits(service, Seeker()) == []


def test_closed_service_is_not_proposed(people: Personas) -> None:
    service_build(
        people.crisis_centre, people.shelter_service, free=2, status=Service.Status.INACTIVE
    )
    assert providers_for(service_type=people.shelter_service) == []


def test_own_agency_can_be_left_out(people: Personas) -> None:
    service_build(people.crisis_centre, people.shelter_service, free=2)
    offers = providers_for(
        service_type=people.shelter_service, exclude_agency_id=people.crisis_centre.pk
    )
    assert offers == []


def test_seeker_of_a_case_reads_its_person(people: Personas) -> None:
    case = case_build(people.aigul, birth_date=datetime.date(2010, 6, 1), citizenship=["KGZ"])
    seeker = seeker_of(case, today=datetime.date(2026, 5, 31))
    assert (seeker.sex, seeker.age, tuple(seeker.citizenship)) == ("F", 15, ("KGZ",))


def test_seeker_of_a_person_known_by_an_estimated_age_has_that_age(people: Personas) -> None:
    """A child with no birth date, estimated 15 on 1 March, is 15 on 31 May (a service for
    children finds her) and 16 a year after the estimate."""
    case = case_build(people.aigul, birth_date=None, approximate_age=15)
    type(case.person).objects.filter(pk=case.person_id).update(
        age_estimated_on=datetime.date(2026, 3, 1)
    )
    case.person.refresh_from_db()
    assert seeker_of(case, today=datetime.date(2026, 5, 31)).age == 15
    assert seeker_of(case, today=datetime.date(2027, 3, 1)).age == 16
