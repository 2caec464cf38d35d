"""API of matching: intake search, the neutral flag, pairs and check requests."""

from __future__ import annotations

from tirek.matching.models import MatchCheckRequest, PersonPair
from tirek.testing.api import ApiClient

from .conftest import zhumabayeva

AIGERIM = {
    "prs_FirstName": "Aigerim",
    "prs_SecondName": "Zhumabayeva",
    "prs_Birthdate": "1994-03-12",
    "sex": "F",
}


def test_intake_returns_the_visible_match_with_its_explanation(world):
    body = ApiClient(world.people.nurlan).post("/matching/intake", AIGERIM).json()
    assert (
        body["matches"][0]["reference"],
        "across scripts" in body["matches"][0]["explanation"],
    ) == (
        world.police_case.reference,
        True,
    )


def test_intake_gives_the_outsider_only_the_flag(world):
    body = ApiClient(world.people.outsider).post("/matching/intake", AIGERIM).json()
    assert body == {"count": 0, "matches": [], "match_elsewhere": True}


def test_outsider_response_names_no_person_case_or_agency(world):
    text = ApiClient(world.people.outsider).post("/matching/intake", AIGERIM).content.decode()
    secrets = ["ЖУМАБАЕВА", "Айгерим", "Zhumabayeva", "Police", "Crisis"]
    secrets += [world.police_case.reference, world.crisis_case.reference, str(world.police_case.pk)]
    assert [s for s in secrets if s in text] == []


def test_intake_with_a_year_only(world):
    body = (
        ApiClient(world.people.nurlan)
        .post(
            "/matching/intake",
            AIGERIM | {"prs_Birthdate": "1994-01-01", "birth_date_precision": "year"},
        )
        .json()
    )
    assert [m["reference"] for m in body["matches"]] == [world.police_case.reference]


def test_intake_refuses_unknown_fields(world):
    response = ApiClient(world.people.nurlan).post("/matching/intake", AIGERIM | {"name": "x"})
    assert response.status_code == 422


def test_check_request_is_recorded(world):
    response = ApiClient(world.people.outsider).post("/matching/check-requests", AIGERIM)
    assert (response.status_code, MatchCheckRequest.objects.count()) == (201, 1)


def test_requester_does_not_see_the_candidates(world):
    client = ApiClient(world.people.outsider)
    client.post("/matching/check-requests", AIGERIM)
    assert client.get("/matching/check-requests").json()[0]["candidates"] is None


def test_coordinator_sees_the_references_of_both_sides(world):
    ApiClient(world.people.aigul).post(
        "/matching/check-requests", {"case_id": str(world.crisis_case.pk)}
    )
    item = ApiClient(world.coordinator).get("/matching/check-requests").json()[0]
    assert (item["case_reference"], [c["reference"] for c in item["candidates"]]) == (
        world.crisis_case.reference,
        [world.police_case.reference],
    )


def test_coordinator_list_has_no_names(world):
    ApiClient(world.people.aigul).post(
        "/matching/check-requests", {"case_id": str(world.crisis_case.pk)}
    )
    text = ApiClient(world.coordinator).get("/matching/check-requests").content.decode()
    assert [s for s in ("ЖУМАБАЕВА", "Айгерим", "Aigerim", "Zhumabayeva") if s in text] == []


def test_other_agency_does_not_see_the_request(world):
    ApiClient(world.people.outsider).post("/matching/check-requests", AIGERIM)
    assert ApiClient(world.people.dana).get("/matching/check-requests").json() == []


def test_coordinator_resolves_a_request(world):
    ApiClient(world.people.aigul).post(
        "/matching/check-requests", {"case_id": str(world.crisis_case.pk)}
    )
    request = MatchCheckRequest.objects.get()
    response = ApiClient(world.coordinator).post(
        f"/matching/check-requests/{request.pk}/resolve",
        {"decision": "same", "case_id": str(world.police_case.pk)},
    )
    assert (response.status_code, PersonPair.objects.get().status) == (200, "confirmed")


def test_case_worker_cannot_resolve(world):
    ApiClient(world.people.aigul).post(
        "/matching/check-requests", {"case_id": str(world.crisis_case.pk)}
    )
    request = MatchCheckRequest.objects.get()
    response = ApiClient(world.people.aigul).post(
        f"/matching/check-requests/{request.pk}/resolve", {"decision": "closed"}
    )
    assert response.status_code == 404


def test_pair_confirmed_through_the_api(world):
    other = zhumabayeva(world.people.aigul, cyrillic=True)
    response = ApiClient(world.people.aigul).post(
        "/matching/pairs",
        {"case_a": str(world.crisis_case.pk), "case_b": str(other.pk), "decision": "same"},
    )
    assert (response.status_code, response.json()["status"]) == (201, "confirmed")


def test_supervisor_undoes_through_the_api(world):
    other = zhumabayeva(world.people.aigul, cyrillic=True)
    pair = (
        ApiClient(world.people.aigul)
        .post(
            "/matching/pairs",
            {"case_a": str(world.crisis_case.pk), "case_b": str(other.pk), "decision": "same"},
        )
        .json()
    )
    response = ApiClient(world.supervisor).post(f"/matching/pairs/{pair['id']}/undo")
    assert (response.status_code, response.json()["status"]) == (200, "undone")


def test_case_worker_undo_is_forbidden(world):
    other = zhumabayeva(world.people.aigul, cyrillic=True)
    client = ApiClient(world.people.aigul)
    pair = client.post(
        "/matching/pairs",
        {"case_a": str(world.crisis_case.pk), "case_b": str(other.pk), "decision": "same"},
    ).json()
    assert client.post(f"/matching/pairs/{pair['id']}/undo").status_code == 403


def test_case_matches_lists_suggestions(world):
    other = zhumabayeva(world.people.aigul, cyrillic=True)
    body = (
        ApiClient(world.people.aigul).get(f"/matching/cases/{world.crisis_case.pk}/matches").json()
    )
    assert ([m["reference"] for m in body["suggestions"]], body["match_elsewhere"]) == (
        [other.reference],
        True,
    )
