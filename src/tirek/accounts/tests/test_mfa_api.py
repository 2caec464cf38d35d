"""The API is served by a valid token, or by a session that has passed the second factor.

Regression for a bypass: a session that had passed the password but not the second factor sent
an empty ``Authorization`` header; the page middleware let any API request with the header
through, token authentication ignored the empty value, and session authentication accepted the
unverified session. Whatever a request carries, credentials offered are either valid or refused,
and a session is used only when it may be.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from tirek.accounts.services import api_token_create
from tirek.cases.models import Case
from tirek.testing.api import BASE
from tirek.testing.builders import case_build

MALFORMED = [
    pytest.param("", id="empty"),
    pytest.param(" ", id="one-space"),
    pytest.param("   ", id="spaces"),
    pytest.param("Bearer", id="bearer-alone"),
    pytest.param("Bearer ", id="bearer-space"),
    pytest.param("bearer    ", id="bearer-spaces"),
    pytest.param("Basic YWlndWw6eA==", id="basic"),
    pytest.param("Token abcdef", id="other-scheme"),
    pytest.param("tirek_abcdef", id="no-scheme"),
    pytest.param("Bearer tirek_a, Bearer tirek_b", id="two-headers-joined"),
    pytest.param("Bearer tirek_a Bearer tirek_b", id="two-tokens"),
]

REGISTRATION = {"person": {"prs_FirstName": "Testgul", "prs_SecondName": "Synthetova"}}


@pytest.fixture(autouse=True)
def mfa_required(settings):
    settings.TIREK_MFA_REQUIRED = True


def unverified_session(user) -> Client:
    """Signed in with the password; the second factor (an authenticator app) not yet passed."""
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(user)
    return client


def verified_session(user) -> Client:
    client = unverified_session(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
    session.save()
    return client


@pytest.mark.parametrize("header", MALFORMED)
def test_malformed_authorization_does_not_open_a_case_to_an_unverified_session(people, header):
    case = case_build(people.aigul)
    client = unverified_session(people.aigul.user)
    response = client.get(f"{BASE}/cases/{case.pk}", secure=True, HTTP_AUTHORIZATION=header)
    assert response.status_code in {401, 403} and "person" not in response.json()


@pytest.mark.parametrize("header", MALFORMED)
def test_malformed_authorization_does_not_let_an_unverified_session_register(people, header):
    client = unverified_session(people.aigul.user)
    before = Case.objects.count()
    response = client.post(
        f"{BASE}/cases",
        data=json.dumps(REGISTRATION),
        content_type="application/json",
        secure=True,
        HTTP_AUTHORIZATION=header,
    )
    assert response.status_code in {401, 403} and Case.objects.count() == before


@pytest.mark.parametrize("header", MALFORMED)
def test_malformed_authorization_is_refused_even_with_a_verified_session(people, header):
    """Credentials offered are used or refused: never swapped silently for the session."""
    client = verified_session(people.aigul.user)
    response = client.get(f"{BASE}/me", secure=True, HTTP_AUTHORIZATION=header)
    assert (response.status_code, response.json()["code"]) == (401, "not_authenticated")


def test_unverified_session_without_a_header_is_asked_for_the_second_factor(people):
    response = unverified_session(people.aigul.user).get(f"{BASE}/me", secure=True)
    assert (response.status_code, response.json()["code"]) == (403, "mfa_required")


def test_verified_session_without_a_header_is_served(people):
    assert verified_session(people.aigul.user).get(f"{BASE}/me", secure=True).status_code == 200


def test_valid_token_is_served_beside_an_unverified_session(people):
    _token, secret = api_token_create(actor=people.aigul, name="script")
    client = unverified_session(people.aigul.user)
    response = client.get(f"{BASE}/me", secure=True, HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200


def test_unverified_session_still_reaches_the_second_factor_page(people):
    response = unverified_session(people.aigul.user).get("/cases/", secure=True)
    assert response.status_code == 302 and "/verify" in response["Location"]
