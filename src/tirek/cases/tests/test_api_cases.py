from __future__ import annotations

from typing import Any

import pytest

from tirek.cases.models import Case, CaseEvent, Person
from tirek.testing.api import ApiClient
from tirek.testing.builders import case_build, referral_build

REGISTRATION: dict[str, Any] = {
    "person": {
        "prs_FirstName": "Testgul",
        "prs_MiddleName": "Fictionovna",
        "prs_SecondName": "Synthetova",
        "sex": "F",
        "prs_Gender": "Feminine",
        "prs_Birthdate": "1998-03-02",
        "prs_Citizenship": ["UZB"],
        "prs_PrimaryLanguage": "uz",
        "prs_MobilePhone": "+77010000000",
    },
    "victim": {
        "vic_TraffickingStatus": "PossibleVictimOfTrafficking",
        "vic_TypeOfExploitation": ["ForcedLabour"],
        "vic_MethodsOfControl": ["WithholdsDocuments", "DebtBondage"],
    },
    "place": {"hte_Type": "Exploitation", "hte_Country": "KAZ", "hte_City": "Almaty"},
}


@pytest.fixture
def aigul(people):
    return ApiClient(people.aigul)


def test_register_creates_the_case_with_htcds_fields(people, aigul):
    response = aigul.post("/cases", REGISTRATION)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["person"]["prs_SecondName"], body["victim"]["vic_MethodsOfControl"]) == (
        "Synthetova",
        ["DebtBondage", "WithholdsDocuments"],
    )


def test_register_records_the_place(people, aigul):
    body = aigul.post("/cases", REGISTRATION).json()
    assert [(e["hte_Type"], e["hte_Country"]) for e in body["historic_events"]] == [
        ("Exploitation", "KAZ")
    ]


def test_register_with_unknown_values_writes_nothing(people, aigul):
    bad = REGISTRATION | {"victim": {"vic_TypeOfExploitation": ["Juggling"]}}
    response = aigul.post("/cases", bad)
    assert (response.status_code, Case.objects.count(), Person.objects.count()) == (400, 0, 0)


def test_validation_errors_name_the_htcds_field(people, aigul):
    bad = REGISTRATION | {"victim": {"vic_TypeOfExploitation": ["Juggling"]}}
    body = aigul.post("/cases", bad).json()
    assert list(body["errors"]) == ["victim.vic_TypeOfExploitation"]


def test_error_messages_are_built_in_the_requested_language(people, aigul):
    response = aigul.post("/cases", {"person": {"prs_FirstName": ""}}, language="kk")
    assert (response.status_code, response["Content-Language"]) == (400, "kk")


def test_missing_person_is_a_readable_422(people, aigul):
    response = aigul.post("/cases", {"victim": {}})
    body = response.json()
    assert (response.status_code, body["code"], body["errors"][0]["loc"][-1]) == (
        422,
        "invalid_request",
        "person",
    )


def test_enormous_names_are_refused_without_writing(people, aigul):
    bad = REGISTRATION | {"person": {"prs_FirstName": "A" * 100_000}}
    response = aigul.post("/cases", bad)
    assert (response.status_code, Case.objects.count()) == (422, 0)


def test_wrong_types_are_refused(people, aigul):
    bad = REGISTRATION | {"victim": {"vic_AgeWhenTrafficked": "seventeen"}}
    assert aigul.post("/cases", bad).status_code == 422


def test_unknown_fields_are_refused(people, aigul):
    bad = REGISTRATION | {"person": {"first_name": "Testgul"}}
    assert aigul.post("/cases", bad).status_code == 422


def test_malformed_json_is_a_400(people, aigul):
    response = aigul.client.post(
        "/api/v1/cases",
        data="{not json",
        content_type="application/json",
        secure=True,
        HTTP_AUTHORIZATION=f"Bearer {aigul.secret}",
    )
    assert response.status_code == 400


def test_malformed_case_id_is_a_4xx_not_a_500(people, aigul):
    assert aigul.get("/cases/not-a-uuid").status_code in (404, 422)


def test_unknown_place_id_is_a_field_error(people, aigul):
    bad = REGISTRATION | {"place": {"hte_Country": "KAZ", "place_id": 2**62}}
    body = aigul.post("/cases", bad).json()
    assert "place.place_id" in body["errors"]


def test_case_list_is_paginated(people, aigul):
    for _ in range(3):
        case_build(people.aigul)
    body = aigul.get("/cases?limit=2&offset=0").json()
    assert (body["count"], len(body["items"])) == (3, 2)


def test_case_list_refuses_an_absurd_offset(people, aigul):
    assert aigul.get("/cases?offset=99999999999999999999").status_code == 422


def test_reading_a_case_is_recorded(people, aigul):
    case = case_build(people.aigul)
    aigul.get(f"/cases/{case.pk}")
    assert case.events.filter(kind=CaseEvent.Kind.CASE_VIEWED).count() == 1


def test_receiver_sees_only_granted_sections(people):
    case = case_build(people.aigul)
    referral = referral_build(
        people.aigul,
        case,
        to=people.employment,
        service=people.employment_service,
        sections=["identity"],
    )
    dana = ApiClient(people.dana)
    dana.post(f"/referrals/{referral.pk}/accept")
    body = dana.get(f"/cases/{case.pk}").json()
    assert (body["sections"], body["victim"], body["person"]["prs_FirstName"]) == (
        ["identity"],
        None,
        "Testgul",
    )


def test_victim_update_changes_the_given_fields_only(people, aigul):
    case = case_build(people.aigul)
    response = aigul.patch(
        f"/cases/{case.pk}/victim",
        {"version": case.version, "vic_TraffickingStatus": "ActualVictimOfTrafficking"},
    )
    victim = response.json()["victim"]
    assert (victim["vic_TraffickingStatus"], victim["vic_TypeOfExploitation"]) == (
        "ActualVictimOfTrafficking",
        ["ForcedLabour"],
    )


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("victim", {"vic_AgeWhenTrafficked": 19}),
        ("person/identity", {"prs_SecondName": "Apiova"}),
    ],
)
def test_an_update_records_the_read_of_the_case_it_answers(people, aigul, path, body):
    """The answer to a change is the whole case as the person may see it: that read is
    recorded, as a GET's is (and as the web's page after the form)."""
    case = case_build(people.aigul)
    viewed = CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.CASE_VIEWED)
    version = case.version if path == "victim" else case.person.identity_version
    response = aigul.patch(f"/cases/{case.pk}/{path}", {"version": version, **body})
    read = viewed.order_by("-pk").first()
    assert (response.status_code, viewed.count(), read.actor_user_id if read else None) == (
        200,
        1,
        people.aigul.user.pk,
    )


def test_victim_update_with_a_stale_version_is_a_409(people, aigul):
    case = case_build(people.aigul)
    aigul.patch(f"/cases/{case.pk}/victim", {"version": case.version, "vic_AgeWhenTrafficked": 19})
    response = aigul.patch(
        f"/cases/{case.pk}/victim", {"version": case.version, "vic_AgeWhenTrafficked": 20}
    )
    assert (response.status_code, response.json()["code"]) == (409, "concurrent_update")


def test_receiver_cannot_change_the_case(people):
    case = case_build(people.aigul)
    referral = referral_build(
        people.aigul, case, to=people.employment, service=people.employment_service
    )
    dana = ApiClient(people.dana)
    dana.post(f"/referrals/{referral.pk}/accept")
    response = dana.patch(f"/cases/{case.pk}/victim", {"version": 1, "vic_AgeWhenTrafficked": 3})
    assert response.status_code == 403


def test_adding_a_place(people, aigul):
    case = case_build(people.aigul)
    response = aigul.post(
        f"/cases/{case.pk}/places",
        {"hte_Type": "Recruitment", "hte_Country": "UZB", "hte_Date": "2024-05-01"},
    )
    assert (response.status_code, response.json()["hte_Country"]) == (201, "UZB")


def test_empty_place_is_refused(people, aigul):
    case = case_build(people.aigul)
    response = aigul.post(f"/cases/{case.pk}/places", {"hte_Type": "Recruitment"})
    assert (response.status_code, list(response.json()["errors"])) == (400, ["hte_Country"])


def test_search_finds_the_person_by_name_and_birth_date(people, aigul):
    case = case_build(people.aigul)
    response = aigul.post(
        "/persons/search", {"name": "synthetova testgul", "birth_date": "1999-04-12"}
    )
    assert [item["id"] for item in response.json()] == [str(case.pk)]


def test_search_never_finds_cases_of_other_agencies(people):
    case_build(people.aigul)
    response = ApiClient(people.outsider).post("/persons/search", {"name": "Synthetova"})
    assert response.json() == []


def test_timeline_lists_the_registration(people, aigul):
    case = case_build(people.aigul)
    kinds = [e["kind"] for e in aigul.get(f"/cases/{case.pk}/events").json()]
    assert kinds == ["case_registered"]


def test_administrators_get_an_empty_case_list(people):
    case_build(people.aigul)
    assert ApiClient(people.agency_admin).get("/cases").json()["count"] == 0


def test_administrators_get_404_for_a_case(people):
    case = case_build(people.aigul)
    assert ApiClient(people.system_admin).get(f"/cases/{case.pk}").status_code == 404


def test_nul_characters_are_refused_without_writing(people, aigul):
    bad = REGISTRATION | {"place": {"hte_Country": "KAZ", "hte_City": "Al\u0000maty"}}
    response = aigul.post("/cases", bad)
    assert (response.status_code, Case.objects.count()) == (422, 0)


def test_listing_cases_with_names_is_recorded_as_a_read(people):
    case = case_build(people.aigul)
    ApiClient(people.aigul).get("/cases")
    assert case.events.filter(kind=CaseEvent.Kind.CASE_VIEWED, data__via="list").count() == 1


def test_api_register_reports_every_error_at_once(aigul):
    person: dict[str, object] = {
        **REGISTRATION["person"],
        "prs_Email": "not-an-email",
        "prs_Birthdate": "2999-01-01",
        "approximate_age": -5,
        "prs_MobilePhone": "12",
    }
    body = {
        "person": person,
        "victim": {"vic_AgeWhenTrafficked": 500},
        "place": {"hte_Type": "Exploitation", "hte_Date": "2999-01-01"},
    }
    response = aigul.post("/cases", body)
    assert (response.status_code, sorted(response.json()["errors"])) == (
        400,
        [
            "person.approximate_age",
            "person.prs_Birthdate",
            "person.prs_Email",
            "person.prs_MobilePhone",
            "place.hte_Date",
            "victim.vic_AgeWhenTrafficked",
        ],
    )


def test_api_stores_phone_numbers_as_e164(aigul):
    person = {**REGISTRATION["person"], "prs_MobilePhone": "8 701 234 56 78"}
    created = aigul.post("/cases", REGISTRATION | {"person": person})
    assert created.json()["contact"]["prs_MobilePhone"] == "+77012345678"
