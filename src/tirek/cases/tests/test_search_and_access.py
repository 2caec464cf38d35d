from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tirek.cases.choices import Section
from tirek.cases.models import Case, CaseEvent, Person
from tirek.cases.reads import case_open
from tirek.cases.selectors import case_timeline, case_view, person_search
from tirek.cases.services import PersonInput, VictimInput, case_register, case_victim_update
from tirek.core.errors import ConcurrentUpdate, Forbidden
from tirek.referrals.services import referral_accept
from tirek.testing.builders import case_build, referral_build


def test_search_finds_cyrillic_names_whatever_the_case(people):
    case = case_build(people.aigul, first_name="Тестгүл", family_name="СИНТЕТОВА")
    assert person_search(actor=people.aigul, name="синтетова тестгүл") == [case]


def test_search_matches_a_year_only_birth_date(people):
    case = case_build(
        people.aigul, birth_date=datetime.date(1999, 1, 1), birth_date_precision="year"
    )
    found = person_search(actor=people.aigul, name="", birth_date=datetime.date(1999, 7, 3))
    assert found == [case]


def test_search_never_returns_cases_outside_the_circle(people):
    case_build(people.aigul)
    assert person_search(actor=people.outsider, name="Synthetova") == []


def test_search_selector_records_nothing_the_search_page_records_the_hits(people, client):
    case = case_build(people.aigul)
    assert person_search(actor=people.aigul, name="Synthetova") == [case]
    assert not case.events.filter(kind=CaseEvent.Kind.CASE_VIEWED).exists()
    client.force_login(people.aigul.user)
    client.post(reverse("cases:search"), {"search_name": "Synthetova"}, HTTP_HX_REQUEST="true")
    read = case.events.get(kind=CaseEvent.Kind.CASE_VIEWED)
    assert read.data == {"via": "search", "sections": ["identity"]}


def test_search_hides_cases_shared_without_identity(people):
    case = case_build(people.aigul)
    referral = referral_build(
        people.aigul,
        case,
        to=people.employment,
        service=people.employment_service,
        sections=[Section.VICTIM],
    )
    referral_accept(actor=people.dana, referral_id=referral.pk)
    assert person_search(actor=people.dana, name="Synthetova") == []


def test_registration_with_bad_input_writes_nothing(people):
    with pytest.raises(ValidationError) as error:
        case_register(
            actor=people.aigul,
            person=PersonInput(first_name="", family_name="", citizenship=["kazakhstan"]),
            victim=VictimInput(types_of_exploitation=["Unheard"]),
        )
    assert set(error.value.message_dict) == {"first_name", "citizenship", "types_of_exploitation"}
    assert (Person.objects.count(), Case.objects.count()) == (0, 0)


def test_opening_a_case_is_recorded_the_selector_records_nothing(people):
    case = case_build(people.aigul)
    case_view(actor=people.aigul, case_id=case.pk)
    assert not case.events.filter(kind=CaseEvent.Kind.CASE_VIEWED).exists()
    case_open(actor=people.aigul, case_id=case.pk)
    read = case.events.get(kind=CaseEvent.Kind.CASE_VIEWED)
    assert read.data == {"via": "case", "sections": sorted(Section.values)}


def test_concurrent_edit_is_refused(people):
    case = case_build(people.aigul)
    case_victim_update(actor=people.aigul, case=case, expected_version=1, victim=VictimInput())
    with pytest.raises(ConcurrentUpdate):
        case_victim_update(actor=people.aigul, case=case, expected_version=1, victim=VictimInput())


def test_receiver_cannot_edit_a_shared_case(people):
    case = case_build(people.aigul)
    referral = referral_build(
        people.aigul, case, to=people.employment, service=people.employment_service
    )
    referral_accept(actor=people.dana, referral_id=referral.pk)
    with pytest.raises(Forbidden):
        case_victim_update(actor=people.dana, case=case, expected_version=1, victim=VictimInput())


def test_receiver_timeline_hides_referrals_to_other_agencies(people):
    case = case_build(people.aigul)
    referral_build(people.aigul, case, to=people.police, service=people.investigation_service)
    referral = referral_build(
        people.aigul, case, to=people.employment, service=people.employment_service
    )
    referral_accept(actor=people.dana, referral_id=referral.pk)
    view = case_view(actor=people.dana, case_id=case.pk)
    seen = {e.data.get("to_agency_id") for e in case_timeline(actor=people.dana, view=view)}
    assert str(people.police.pk) not in seen
