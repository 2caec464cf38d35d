"""The directory pages: search, a service, describing one, free places in one tap."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tirek.accounts.actor import Actor
from tirek.accounts.models import Agency
from tirek.core.models import AuditEvent
from tirek.directory.models import Service, ServiceCapacity
from tirek.testing.builders import case_build
from tirek.testing.directory import service_build
from tirek.testing.personas import Personas
from tirek.web.tests.support import SecureClient


def _client(actor: Actor, language: str = "en") -> SecureClient:
    client = SecureClient(headers={"Accept-Language": language})
    client.force_login(actor.user)
    return client


def test_directory_filters_by_kind_of_service(people: Personas) -> None:
    service_build(people.crisis_centre, people.shelter_service, name_en="Umit shelter")
    service_build(people.employment, people.employment_service, name_en="Job centre")
    page = _client(people.outsider).get("/directory/?service_type=test-shelter").content.decode()
    assert ("Umit shelter" in page, "Job centre" in page) == (True, False)


def test_directory_search_as_you_type_answers_the_results_only(people: Personas) -> None:
    service_build(people.crisis_centre, people.shelter_service, name_en="Umit shelter")
    response = _client(people.outsider).get("/directory/?q=umit", headers={"HX-Request": "true"})
    text = response.content.decode()
    assert ("Umit shelter" in text, "<html" in text) == (True, False)


def test_directory_shows_names_in_kazakh(people: Personas) -> None:
    people.crisis_centre.name_kk = "«Тест-Үміт» дағдарыс орталығы"
    people.crisis_centre.save()
    service_build(people.crisis_centre, people.shelter_service, name_kk="Әйелдер баспанасы")
    page = _client(people.outsider, "kk").get("/directory/").content.decode()
    assert "«Тест-Үміт» дағдарыс орталығы" in page and "Әйелдер баспанасы" in page


def test_service_page_shows_free_places_and_when(people: Personas) -> None:
    service = service_build(people.crisis_centre, people.shelter_service, free=4, maximum=9)
    capacity = service.capacities.get()
    page = _client(people.outsider).get(f"/directory/{service.pk}/").content.decode()
    assert ">4<" in page and timezone.localtime(capacity.updated).strftime("%Y-%m-%dT") in page


def test_private_address_is_not_shown(people: Personas) -> None:
    client = _client(people.agency_admin)
    client.post("/directory/new/", _form(people, address="Hidden lane 7", is_address_private="on"))
    service = Service.objects.get()
    page = _client(people.outsider).get(f"/directory/{service.pk}/").content.decode()
    assert "Hidden lane 7" not in page


def _form(people: Personas, **changes: str) -> dict[str, str]:
    return {
        "service_type": str(people.shelter_service.pk),
        "name_kk": "Баспана",
        "status": "active",
        "sex": "F",
        "citizenship": "any",
        "languages": "kk",
        "city": str(people.almaty.pk),
        "days_0": "MO",
        "opens_0": "09:00",
        "closes_0": "18:00",
        "capacity_unit": "bed",
        "capacity_maximum": "10",
        "capacity_available": "6",
    } | changes


def test_agency_admin_describes_a_service(people: Personas) -> None:
    response = _client(people.agency_admin).post("/directory/new/", _form(people))
    service = Service.objects.get()
    assert (response.status_code, service.agency_id, service.capacities.get().available) == (
        302,
        people.crisis_centre.pk,
        6,
    )


def test_half_given_opening_hours_are_refused(people: Personas) -> None:
    response = _client(people.agency_admin).post("/directory/new/", _form(people, closes_0=""))
    assert (response.status_code, Service.objects.count()) == (422, 0)


def test_agency_admin_edits_the_service(people: Personas) -> None:
    client = _client(people.agency_admin)
    client.post("/directory/new/", _form(people))
    service = Service.objects.get()
    response = client.post(
        f"/directory/{service.pk}/edit/",
        _form(people, version=str(service.version), alert="Closed on Monday"),
    )
    service.refresh_from_db()
    assert (response.status_code, service.alert) == (302, "Closed on Monday")


def test_case_worker_cannot_open_the_service_form(people: Personas) -> None:
    assert _client(people.aigul).get("/directory/new/").status_code == 403


def _capacity(people: Personas, free: int = 3) -> ServiceCapacity:
    return service_build(people.crisis_centre, people.shelter_service, free=free).capacities.get()


def test_one_tap_updates_free_places(people: Personas) -> None:
    capacity = _capacity(people)
    response = _client(people.aigul).post(
        f"/directory/capacities/{capacity.pk}/",
        {"available": "2", "version": str(capacity.version)},
        headers={"HX-Request": "true"},
    )
    capacity.refresh_from_db()
    assert (
        response.status_code,
        capacity.available,
        'class="free-number">2<' in response.content.decode(),
    ) == (200, 2, True)


def test_one_tap_is_audited(people: Personas) -> None:
    capacity = _capacity(people)
    _client(people.aigul).post(
        f"/directory/capacities/{capacity.pk}/", {"available": "2"}, headers={"HX-Request": "true"}
    )
    assert AuditEvent.objects.filter(action="directory.capacity_updated").count() == 1


def test_stale_tap_shows_the_new_number(people: Personas) -> None:
    capacity = _capacity(people)
    client = _client(people.aigul)
    url = f"/directory/capacities/{capacity.pk}/"
    seen = str(capacity.version)
    client.post(url, {"available": "2", "version": seen}, headers={"HX-Request": "true"})
    response = client.post(url, {"available": "2", "version": seen}, headers={"HX-Request": "true"})
    assert (response.status_code, 'class="free-number">2<' in response.content.decode()) == (
        409,
        True,
    )


def test_outsider_cannot_tap(people: Personas) -> None:
    capacity = _capacity(people)
    response = _client(people.outsider).post(
        f"/directory/capacities/{capacity.pk}/", {"available": "0"}
    )
    capacity.refresh_from_db()
    assert (response.status_code, capacity.available) == (403, 3)


def test_free_places_page_lists_own_agency_only(people: Personas) -> None:
    service_build(people.crisis_centre, people.shelter_service, free=3, name_en="Ours")
    service_build(people.health, people.shelter_service, free=3, name_en="Theirs")
    page = _client(people.aigul).get("/directory/free-places/").content.decode()
    assert ("Ours" in page, "Theirs" in page) == (True, False)


@pytest.fixture
def mens_shelter(people: Personas) -> Agency:
    agency = Agency.objects.create(
        name="Test Men's Shelter", type=Agency.Type.NGO, place=people.almaty
    )
    service_build(agency, people.shelter_service, free=2, sex=Service.Sex.MALE)
    return agency


def test_referral_form_proposes_fitting_providers(people: Personas, mens_shelter: Agency) -> None:
    service_build(people.health, people.shelter_service, free=5, sex=Service.Sex.FEMALE)
    case = case_build(people.aigul)  # a woman
    page = (
        _client(people.aigul)
        .get(f"/cases/{case.pk}/providers/?service_type={people.shelter_service.pk}")
        .content.decode()
    )
    assert (people.health.name in page, mens_shelter.name in page, "5 free places" in page) == (
        True,
        False,
        True,
    )


def test_referral_form_proposals_are_for_the_owner_only(people: Personas) -> None:
    case = case_build(people.aigul)
    response = _client(people.outsider).get(
        f"/cases/{case.pk}/providers/?service_type={people.shelter_service.pk}"
    )
    assert response.status_code == 404


def test_search_ignores_case_in_kazakh(people: Personas) -> None:
    service_build(people.crisis_centre, people.shelter_service, name_kk="Кәмелетке толмағандар үйі")
    page = _client(people.outsider, "kk").get("/directory/?q=кәмелетке").content.decode()
    assert "Кәмелетке толмағандар үйі" in page


def _list_queries(people: Personas, client: SecureClient) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get("/directory/?territory=test-almaty")
    return len(queries)


def test_directory_list_costs_the_same_for_few_and_many_services(people: Personas) -> None:
    client = _client(people.outsider)
    for index in range(2):
        service_build(people.crisis_centre, people.shelter_service, free=index, name_en=f"A{index}")
    few = _list_queries(people, client)
    for index in range(8):
        service_build(people.health, people.shelter_service, free=index, name_en=f"B{index}")
    assert _list_queries(people, client) == few


def test_home_page_offers_free_places_one_tap_away(people: Personas) -> None:
    capacity = _capacity(people)
    page = _client(people.aigul).get("/").content.decode()
    assert f"/directory/capacities/{capacity.pk}/" in page


def test_home_page_of_an_agency_counting_no_places_has_no_panel(people: Personas) -> None:
    _capacity(people)
    page = _client(people.outsider).get("/").content.decode()
    assert "/directory/capacities/" not in page
