"""The directory through the API: search, describe a service, update free places."""

from __future__ import annotations

from tirek.accounts.models import Agency
from tirek.directory.models import Service
from tirek.testing.api import ApiClient
from tirek.testing.directory import service_build
from tirek.testing.personas import Personas


def _body(people: Personas, **changes: object) -> dict[str, object]:
    return {
        "service_type": people.shelter_service.code,
        "name_kk": "Баспана",
        "name_ru": "Приют",
        "name_en": "Shelter",
        "sex": "F",
        "languages": ["kk", "ru"],
        "service_areas": [people.almaty.code],
        "location": {
            "address": "Secret street 5",
            "city": people.almaty.code,
            "is_address_private": True,
        },
        "schedules": [{"byday": ["MO", "FR"], "opens_at": "09:00", "closes_at": "18:00"}],
        "capacity": {"unit": "bed", "maximum": 8, "available": 5},
    } | changes


def test_search_filters_by_kind_of_service(people: Personas) -> None:
    service_build(people.crisis_centre, people.shelter_service, free=2)
    service_build(people.employment, people.employment_service)
    response = ApiClient(people.outsider).get("/directory/services?service_type=test-shelter")
    assert [item["organization"]["org_Name"] for item in response.json()["items"]] == [
        people.crisis_centre.name
    ]


def test_search_shows_names_in_the_request_language(people: Personas) -> None:
    people.crisis_centre.name_kk = "Тест-Үміт дағдарыс орталығы"
    people.crisis_centre.save()
    service_build(people.crisis_centre, people.shelter_service, name_kk="Баспана")
    item = ApiClient(people.outsider).get("/directory/services", language="kk").json()["items"][0]
    assert (item["name"], item["organization"]["label"]) == (
        "Баспана",
        "Тест-Үміт дағдарыс орталығы",
    )


def test_search_filters_free_places(people: Personas) -> None:
    service_build(people.crisis_centre, people.shelter_service, free=0)
    response = ApiClient(people.outsider).get("/directory/services?free_places=true")
    assert response.json()["count"] == 0


def test_agency_admin_creates_a_service(people: Personas) -> None:
    response = ApiClient(people.agency_admin).post("/directory/services", _body(people))
    data = response.json()
    assert (
        response.status_code,
        data["capacities"][0]["available"],
        data["eligibility"]["sex"],
    ) == (
        201,
        5,
        "F",
    )


def test_private_address_is_not_published(people: Personas) -> None:
    ApiClient(people.agency_admin).post("/directory/services", _body(people))
    response = ApiClient(people.outsider).get("/directory/services")
    assert "Secret street" not in response.content.decode()


def test_unknown_service_type_is_a_readable_400(people: Personas) -> None:
    response = ApiClient(people.agency_admin).post(
        "/directory/services", _body(people, service_type="nonsense")
    )
    assert (response.status_code, list(response.json()["errors"])) == (400, ["service_type"])


def test_case_worker_may_not_create_a_service(people: Personas) -> None:
    response = ApiClient(people.aigul).post("/directory/services", _body(people))
    assert (response.status_code, Service.objects.count()) == (403, 0)


def test_update_with_a_stale_version_is_409(people: Personas) -> None:
    client = ApiClient(people.agency_admin)
    created = client.post("/directory/services", _body(people)).json()
    response = client.request(
        "PUT", f"/directory/services/{created['id']}", _body(people, version=0)
    )
    assert response.status_code == 409


def test_worker_sets_free_places(people: Personas) -> None:
    capacity = service_build(people.crisis_centre, people.shelter_service, free=3).capacities.get()
    response = ApiClient(people.aigul).post(
        f"/directory/capacities/{capacity.pk}", {"available": 1, "version": capacity.version}
    )
    assert (response.status_code, response.json()["available"]) == (200, 1)


def test_outsider_may_not_set_free_places(people: Personas) -> None:
    capacity = service_build(people.crisis_centre, people.shelter_service, free=3).capacities.get()
    response = ApiClient(people.outsider).post(
        f"/directory/capacities/{capacity.pk}", {"available": 0}
    )
    assert response.status_code == 403


def test_providers_fit_a_described_person(people: Personas) -> None:
    service_build(people.crisis_centre, people.shelter_service, free=2, sex="F")
    other = Agency.objects.create(
        name="Men's Shelter Test", type=Agency.Type.NGO, place=people.almaty
    )
    service_build(other, people.shelter_service, free=2, sex="M")
    response = ApiClient(people.outsider).get(
        "/directory/providers?service_type=test-shelter&sex=M&territory=test-almaty"
    )
    assert [p["service"]["organization"]["org_Name"] for p in response.json()] == [other.name]


def test_organizations_carry_three_names(people: Personas) -> None:
    people.police.name_ru = "Тестовый департамент полиции"
    people.police.save()
    response = ApiClient(people.outsider).get("/directory/organizations", language="ru")
    labels = {o["org_Name"]: o["label"] for o in response.json()}
    assert labels[people.police.name] == "Тестовый департамент полиции"
