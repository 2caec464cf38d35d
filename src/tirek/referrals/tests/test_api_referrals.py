"""Issue 2's flow, through the HTTP API only: register, search, consent, refer, answer, timeline."""

from __future__ import annotations

import pytest

from tirek.cases.models import CaseEvent
from tirek.referrals.models import Referral
from tirek.testing.api import ApiClient
from tirek.testing.builders import case_build, referral_build

PERSON = {
    "prs_FirstName": "Testgul",
    "prs_MiddleName": "Fictionovna",
    "prs_SecondName": "Synthetova",
    "sex": "F",
    "prs_Birthdate": "1999-04-12",
    "prs_Citizenship": ["KAZ"],
    "prs_PrimaryLanguage": "kk",
}


@pytest.fixture
def aigul(people):
    return ApiClient(people.aigul)


@pytest.fixture
def dana(people):
    return ApiClient(people.dana)


def _register_and_refer(people, aigul) -> tuple[str, str]:
    """Search first, register, record consent, refer to employment. Returns (case, referral)."""
    assert aigul.post("/persons/search", {"name": "Synthetova Testgul"}).json() == []
    case = aigul.post(
        "/cases",
        {"person": PERSON, "victim": {"vic_TypeOfExploitation": ["ForcedLabour"]}},
    ).json()
    consent = aigul.post(
        f"/cases/{case['id']}/consents",
        {
            "method": "written",
            "sections": ["identity", "victim"],
            "recipient_agency_id": str(people.employment.pk),
        },
    ).json()
    referral = aigul.post(
        f"/cases/{case['id']}/referrals",
        {
            "cas_ReferredOrganisation": str(people.employment.pk),
            "service_type_id": people.employment_service.pk,
            "consent_id": consent["id"],
            "sections": ["identity", "victim"],
            "cas_OutgoingReferralDetails": "Needs help finding work.",
        },
    )
    assert referral.status_code == 201, referral.json()
    return case["id"], referral.json()["id"]


def test_search_before_create_then_finds_the_registered_person(people, aigul):
    case_id, _referral_id = _register_and_refer(people, aigul)
    found = aigul.post("/persons/search", {"name": "synthetova", "birth_date": "1999-04-12"})
    assert [c["id"] for c in found.json()] == [case_id]


def test_referral_arrives_in_the_receivers_inbox(people, aigul, dana):
    _case_id, referral_id = _register_and_refer(people, aigul)
    inbox = dana.get("/referrals/inbox?status=sent").json()
    assert [r["id"] for r in inbox["items"]] == [referral_id]


def test_receiver_sees_no_name_before_accepting(people, aigul, dana):
    _case_id, referral_id = _register_and_refer(people, aigul)
    body = dana.get(f"/referrals/{referral_id}").content.decode()
    assert "Synthetova" not in body and "Testgul" not in body


def test_receiver_sees_a_summary_before_accepting(people, aigul, dana):
    _case_id, referral_id = _register_and_refer(people, aigul)
    summary = dana.get(f"/referrals/{referral_id}").json()["summary"]
    assert summary["vic_TypeOfExploitation"] == ["ForcedLabour"]


def test_receiver_cannot_open_the_case_before_accepting(people, aigul, dana):
    case_id, _referral_id = _register_and_refer(people, aigul)
    assert dana.get(f"/cases/{case_id}").status_code == 404


def test_accepting_opens_the_granted_sections(people, aigul, dana):
    case_id, referral_id = _register_and_refer(people, aigul)
    assert dana.post(f"/referrals/{referral_id}/accept").status_code == 200
    case = dana.get(f"/cases/{case_id}").json()
    assert (case["sections"], case["person"]["prs_SecondName"], case["contact"]) == (
        ["identity", "victim"],
        "Synthetova",
        None,
    )


def test_accepted_referral_shows_the_name_to_the_receiver(people, aigul, dana):
    _case_id, referral_id = _register_and_refer(people, aigul)
    accepted = dana.post(f"/referrals/{referral_id}/accept").json()
    assert accepted["display_name"] == "Synthetova Testgul Fictionovna"


def test_sender_sees_the_outcome(people, aigul, dana):
    _case_id, referral_id = _register_and_refer(people, aigul)
    dana.post(f"/referrals/{referral_id}/decline", {"reason": "No places this month"})
    sent = aigul.get("/referrals/sent").json()["items"]
    assert [(r["status"], r["decision_reason"]) for r in sent] == [
        ("declined", "No places this month")
    ]


def test_decline_needs_a_reason(people, aigul, dana):
    _case_id, referral_id = _register_and_refer(people, aigul)
    response = dana.post(f"/referrals/{referral_id}/decline", {"reason": "  "})
    assert (response.status_code, Referral.objects.get().status) == (400, "sent")


def test_answering_twice_is_a_409(people, aigul, dana):
    _case_id, referral_id = _register_and_refer(people, aigul)
    dana.post(f"/referrals/{referral_id}/accept")
    response = dana.post(f"/referrals/{referral_id}/decline", {"reason": "Changed our mind"})
    assert (response.status_code, response.json()["code"]) == (409, "invalid_state")


def test_sender_cannot_accept_its_own_referral(people, aigul):
    _case_id, referral_id = _register_and_refer(people, aigul)
    assert aigul.post(f"/referrals/{referral_id}/accept").status_code == 403


def test_sender_can_withdraw_without_a_body(people, aigul):
    _case_id, referral_id = _register_and_refer(people, aigul)
    response = aigul.client.post(
        f"/api/v1/referrals/{referral_id}/withdraw",
        data=b"",
        content_type="application/json",
        secure=True,
        HTTP_AUTHORIZATION=f"Bearer {aigul.secret}",
    )
    assert (response.status_code, response.json()["status"]) == (200, "withdrawn")


def test_both_agencies_see_the_timeline(people, aigul, dana):
    case_id, referral_id = _register_and_refer(people, aigul)
    dana.post(f"/referrals/{referral_id}/accept")
    owner = [e["kind"] for e in aigul.get(f"/cases/{case_id}/events").json()]
    receiver = [e["kind"] for e in dana.get(f"/cases/{case_id}/events").json()]
    expected = ["case_registered", "consent_recorded", "referral_sent", "referral_accepted"]
    assert (owner, receiver) == (expected, expected)


def test_opening_a_referral_is_recorded(people, aigul, dana):
    _case_id, referral_id = _register_and_refer(people, aigul)
    dana.get(f"/referrals/{referral_id}")
    viewed = CaseEvent.objects.filter(kind=CaseEvent.Kind.REFERRAL_VIEWED)
    assert viewed.filter(actor_user=people.dana.user).count() == 1


def test_an_answer_to_a_change_records_the_read_of_the_referral(people, aigul, dana):
    """Accepting answers with the referral as GET shows it (the person's name, the questions):
    that read is recorded as GET's is."""
    _case_id, referral_id = _register_and_refer(people, aigul)
    viewed = CaseEvent.objects.filter(
        kind=CaseEvent.Kind.REFERRAL_VIEWED, actor_user=people.dana.user
    )
    response = dana.post(f"/referrals/{referral_id}/accept")
    assert (response.status_code, response.json()["display_name"] is not None, viewed.count()) == (
        200,
        True,
        1,
    )


def test_referral_without_covering_consent_writes_nothing(people, aigul):
    case = case_build(people.aigul)
    consent = aigul.post(
        f"/cases/{case.pk}/consents",
        {
            "method": "verbal",
            "sections": ["identity"],
            "recipient_agency_id": str(people.police.pk),
        },
    ).json()
    response = aigul.post(
        f"/cases/{case.pk}/referrals",
        {
            "cas_ReferredOrganisation": str(people.employment.pk),
            "service_type_id": people.employment_service.pk,
            "consent_id": consent["id"],
            "sections": ["identity"],
        },
    )
    assert (response.status_code, list(response.json()["errors"]), Referral.objects.count()) == (
        400,
        ["consent_id"],
        0,
    )


def test_inbox_refuses_an_unknown_status(people, dana):
    assert dana.get("/referrals/inbox?status=lost").status_code == 400


def test_case_referrals_show_a_receiver_only_its_own(people):
    case = case_build(people.aigul)
    to_dana = referral_build(
        people.aigul, case, to=people.employment, service=people.employment_service
    )
    referral_build(people.aigul, case, to=people.police, service=people.investigation_service)
    dana = ApiClient(people.dana)
    dana.post(f"/referrals/{to_dana.pk}/accept")
    assert [r["id"] for r in dana.get(f"/cases/{case.pk}/referrals").json()] == [str(to_dana.pk)]
