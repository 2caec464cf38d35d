"""Re-authentication before sensitive actions: password and a fresh code within five minutes."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from tirek.accounts.mfa.reauth import REAUTH_SESSION_KEY
from tirek.accounts.models import ApiToken
from tirek.core.models import AuditEvent
from tirek.testing.api import BASE
from tirek.testing.personas import PASSWORD
from tirek.web.tests.support import SecureClient

START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
LATER = START + datetime.timedelta(minutes=6)


@pytest.fixture(autouse=True)
def reauth_required(settings):
    settings.TIREK_MFA_REQUIRED = True
    settings.TIREK_REAUTH_REQUIRED = True


def code_for(device: TOTPDevice) -> str:
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


@pytest.fixture
def aigul(people):
    """Aigul signs in and confirms her code at START (which also counts as re-authentication)."""
    device = TOTPDevice.objects.create(user=people.aigul.user, name="app", confirmed=True)
    client = SecureClient()
    with time_machine.travel(START, tick=False):
        client.force_login(people.aigul.user)
        client.post(reverse("mfa:verify"), {"code": code_for(device)})
    return client, device


def test_signing_in_with_the_code_counts_as_reauthentication(aigul):
    client, _device = aigul
    with time_machine.travel(START + datetime.timedelta(minutes=4), tick=False):
        client.post(reverse("accounts:api_tokens"), {"name": "reporting"})
    assert ApiToken.objects.count() == 1


def test_token_creation_after_five_minutes_asks_to_reauthenticate(aigul):
    client, _device = aigul
    with time_machine.travel(LATER, tick=False):
        response = client.post(reverse("accounts:api_tokens"), {"name": "reporting"})
    assert response["Location"].startswith(reverse("mfa:reauth") + "?next=")
    assert not ApiToken.objects.exists()


def test_token_creation_is_accepted_after_reentering_password_and_code(aigul):
    client, device = aigul
    with time_machine.travel(LATER, tick=False):
        client.post(
            reverse("mfa:reauth"),
            {
                "password": PASSWORD,
                "code": code_for(device),
                "next": reverse("accounts:api_tokens"),
            },
        )
        response = client.post(reverse("accounts:api_tokens"), {"name": "reporting"})
    assert response.status_code == 200 and response.context["secret"]


def test_reauthentication_returns_to_the_page(aigul):
    client, device = aigul
    with time_machine.travel(LATER, tick=False):
        response = client.post(
            reverse("mfa:reauth"),
            {
                "password": PASSWORD,
                "code": code_for(device),
                "next": reverse("accounts:api_tokens"),
            },
        )
    assert response["Location"] == reverse("accounts:api_tokens")


def test_reauthentication_never_returns_to_another_site(aigul):
    client, device = aigul
    with time_machine.travel(LATER, tick=False):
        response = client.post(
            reverse("mfa:reauth"),
            {"password": PASSWORD, "code": code_for(device), "next": "//evil.example/x"},
        )
    assert response["Location"] == reverse("web:home")


def test_reauthentication_with_a_wrong_password_is_refused(aigul):
    client, device = aigul
    with time_machine.travel(LATER, tick=False):
        response = client.post(
            reverse("mfa:reauth"), {"password": "not-my-password", "code": code_for(device)}
        )
        client.post(reverse("accounts:api_tokens"), {"name": "reporting"})
    assert response.status_code == 422 and "password is not right" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_reauthentication_needs_the_code_too(aigul):
    client, _device = aigul
    with time_machine.travel(LATER, tick=False):
        response = client.post(reverse("mfa:reauth"), {"password": PASSWORD, "code": ""})
    assert response.status_code == 422


def test_repeated_wrong_reauthentication_signs_out(aigul):
    client, _device = aigul
    with time_machine.travel(LATER, tick=False):
        for _ in range(5):
            client.post(reverse("mfa:reauth"), {"password": "wrong", "code": "000000"})
        response = client.get(reverse("web:home"))
    assert response["Location"].startswith(reverse("login"))


def test_reauthentication_is_recorded(aigul):
    client, device = aigul
    with time_machine.travel(LATER, tick=False):
        client.post(reverse("mfa:reauth"), {"password": PASSWORD, "code": code_for(device)})
    assert AuditEvent.objects.filter(action="reauthenticated").exists()


def test_token_api_needs_a_recent_reauthentication(aigul):
    client, _device = aigul
    with time_machine.travel(LATER, tick=False):
        response = client.post(
            BASE + "/tokens", {"name": "x"}, content_type="application/json", secure=True
        )
    assert response.status_code == 403
    assert response.json()["code"] == "reauthentication_required"


def test_token_api_accepts_a_recent_reauthentication(aigul):
    client, device = aigul
    with time_machine.travel(LATER, tick=False):
        client.post(reverse("mfa:reauth"), {"password": PASSWORD, "code": code_for(device)})
        response = client.post(
            BASE + "/tokens", {"name": "x"}, content_type="application/json", secure=True
        )
    assert response.status_code == 201


def test_viewing_the_token_list_needs_no_reauthentication(aigul):
    client, _device = aigul
    with time_machine.travel(LATER, tick=False):
        assert client.get(reverse("accounts:api_tokens")).status_code == 200


def test_regenerating_recovery_codes_asks_to_reauthenticate(aigul):
    client, _device = aigul
    with time_machine.travel(LATER, tick=False):
        response = client.post(reverse("mfa:recovery_codes"))
    assert response["Location"].startswith(reverse("mfa:reauth"))


def test_regenerated_recovery_codes_replace_the_old_ones(aigul, people):
    client, device = aigul
    StaticDevice.objects.create(
        user=people.aigul.user, name="codes", confirmed=True
    ).token_set.create(token="oldcode1")
    with time_machine.travel(LATER, tick=False):
        client.post(reverse("mfa:reauth"), {"password": PASSWORD, "code": code_for(device)})
        response = client.post(reverse("mfa:recovery_codes"))
    tokens = set(
        StaticDevice.objects.filter(user=people.aigul.user)
        .get()
        .token_set.values_list("token", flat=True)
    )
    assert len(tokens) == 10 and "oldcode1" not in tokens
    assert all(token in response.content.decode() for token in tokens)


def test_user_without_an_app_reauthenticates_with_the_password(people, settings):
    settings.TIREK_MFA_REQUIRED = False
    client = SecureClient()
    client.force_login(people.aigul.user)
    client.post(reverse("mfa:reauth"), {"password": PASSWORD})
    assert REAUTH_SESSION_KEY in client.session and DEVICE_ID_SESSION_KEY not in client.session
