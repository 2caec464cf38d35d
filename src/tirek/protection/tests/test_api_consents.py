"""Informed consent through the API."""

from __future__ import annotations

from tirek.protection.models import Consent
from tirek.testing.api import ApiClient
from tirek.testing.builders import case_build, referral_build


def test_recorded_consent_is_listed_for_the_owner(people):
    case = case_build(people.aigul)
    aigul = ApiClient(people.aigul)
    created = aigul.post(
        f"/cases/{case.pk}/consents", {"method": "written", "sections": ["identity"]}
    )
    listed = aigul.get(f"/cases/{case.pk}/consents").json()
    assert (created.status_code, [c["id"] for c in listed], listed[0]["con_Consent"]) == (
        201,
        [created.json()["id"]],
        True,
    )


def test_consent_with_unknown_section_writes_nothing(people):
    case = case_build(people.aigul)
    response = ApiClient(people.aigul).post(
        f"/cases/{case.pk}/consents", {"method": "written", "sections": ["everything"]}
    )
    assert (response.status_code, list(response.json()["errors"]), Consent.objects.count()) == (
        400,
        ["sections"],
        0,
    )


def test_consent_for_an_unknown_agency_is_a_field_error(people):
    case = case_build(people.aigul)
    response = ApiClient(people.aigul).post(
        f"/cases/{case.pk}/consents",
        {
            "method": "written",
            "sections": ["identity"],
            "recipient_agency_id": "00000000-0000-0000-0000-000000000000",
        },
    )
    assert list(response.json()["errors"]) == ["recipient_agency_id"]


def test_receiver_sees_no_consents(people):
    case = case_build(people.aigul)
    referral = referral_build(
        people.aigul, case, to=people.employment, service=people.employment_service
    )
    dana = ApiClient(people.dana)
    dana.post(f"/referrals/{referral.pk}/accept")
    assert dana.get(f"/cases/{case.pk}/consents").json() == []


def test_receiver_cannot_record_consent(people):
    case = case_build(people.aigul)
    referral = referral_build(
        people.aigul, case, to=people.employment, service=people.employment_service
    )
    dana = ApiClient(people.dana)
    dana.post(f"/referrals/{referral.pk}/accept")
    response = dana.post(
        f"/cases/{case.pk}/consents", {"method": "verbal", "sections": ["identity"]}
    )
    assert (response.status_code, Consent.objects.count()) == (403, 1)


def test_withdrawing_consent_ends_the_receivers_access(people):
    case = case_build(people.aigul)
    referral = referral_build(
        people.aigul, case, to=people.employment, service=people.employment_service
    )
    dana = ApiClient(people.dana)
    dana.post(f"/referrals/{referral.pk}/accept")
    ApiClient(people.aigul).post(
        f"/consents/{referral.consent_id}/withdraw", {"reason": "Changed mind"}
    )
    assert dana.get(f"/cases/{case.pk}").status_code == 404


def test_withdrawing_twice_is_a_409(people):
    case = case_build(people.aigul)
    referral = referral_build(
        people.aigul, case, to=people.employment, service=people.employment_service
    )
    aigul = ApiClient(people.aigul)
    aigul.post(f"/consents/{referral.consent_id}/withdraw")
    assert aigul.post(f"/consents/{referral.consent_id}/withdraw").status_code == 409
