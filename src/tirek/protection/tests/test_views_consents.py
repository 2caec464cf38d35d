from __future__ import annotations

import pytest
from django.urls import reverse

from tirek.protection.models import Consent
from tirek.testing.builders import case_build, consent_build
from tirek.web.tests.support import SecureClient


@pytest.fixture
def client():
    return SecureClient()


@pytest.fixture
def aigul_client(client, people):
    client.force_login(people.aigul.user)
    return client


def test_owner_sees_the_record_consent_form(aigul_client, people):
    case = case_build(people.aigul)
    url = reverse("cases:detail", args=[case.pk]) + "?tab=consents"
    content = aigul_client.get(url).content.decode()
    assert reverse("protection:consent_record", args=[case.pk]) in content


def test_consent_is_recorded(aigul_client, people):
    case = case_build(people.aigul)
    response = aigul_client.post(
        reverse("protection:consent_record", args=[case.pk]),
        {
            "purpose": Consent.Purpose.REFERRAL,
            "recipient_agency": str(people.employment.pk),
            "sections": ["identity", "victim"],
            "method": Consent.Method.WRITTEN,
        },
    )
    assert response.status_code == 302
    assert Consent.objects.get(case=case).recipient_agency == people.employment


def test_consent_without_sections_is_refused_and_nothing_written(aigul_client, people):
    case = case_build(people.aigul)
    response = aigul_client.post(
        reverse("protection:consent_record", args=[case.pk]),
        {"purpose": Consent.Purpose.REFERRAL, "method": Consent.Method.VERBAL},
    )
    assert response.status_code == 422
    assert "Choose at least one part of the case" in response.content.decode()
    assert not Consent.objects.exists()


def test_outsider_cannot_record_consent(client, people):
    case = case_build(people.aigul)
    client.force_login(people.outsider.user)
    response = client.post(
        reverse("protection:consent_record", args=[case.pk]),
        {"purpose": "referral", "method": "written", "sections": ["identity"]},
    )
    assert response.status_code == 404
    assert not Consent.objects.exists()


def test_consent_is_withdrawn_with_the_reason(aigul_client, people):
    case = case_build(people.aigul)
    consent = consent_build(people.aigul, case)
    aigul_client.post(
        reverse("protection:consent_withdraw", args=[consent.pk]), {"reason": "Changed mind"}
    )
    consent.refresh_from_db()
    assert consent.withdrawal_reason == "Changed mind" and not consent.is_active


def test_withdrawing_twice_shows_a_message(aigul_client, people):
    case = case_build(people.aigul)
    consent = consent_build(people.aigul, case)
    url = reverse("protection:consent_withdraw", args=[consent.pk])
    aigul_client.post(url, {"reason": "Changed mind"})
    response = aigul_client.post(url, {"reason": "Again"}, follow=True)
    assert "already been withdrawn" in response.content.decode()


def test_receiver_does_not_see_consents(client, people):
    from tirek.referrals.services import referral_accept
    from tirek.testing.builders import referral_build

    case = case_build(people.aigul)
    referral = referral_build(
        people.aigul, case, to=people.employment, service=people.employment_service
    )
    referral_accept(actor=people.dana, referral_id=referral.pk)
    client.force_login(people.dana.user)
    content = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'id="consents"' not in content
