"""Who may call the API: personal tokens, or the web session with CSRF on unsafe methods."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from tirek.accounts.models import ApiToken, Membership, User
from tirek.accounts.services import api_token_create, api_token_revoke
from tirek.cases.models import Case
from tirek.testing.api import ApiClient
from tirek.testing.personas import PASSWORD

REGISTRATION = {"person": {"prs_FirstName": "Testgul", "prs_SecondName": "Synthetova"}}
CSRF_SECRET = "a" * 32


def test_no_credentials_is_a_401(people):
    response = ApiClient().get("/me")
    assert (response.status_code, response.json()["code"]) == (401, "not_authenticated")


def test_401_tells_the_client_to_use_a_bearer_token(people):
    assert ApiClient().get("/me")["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("secret", ["garbage", "tirek_garbage", "", "tirek_" + "x" * 10_000])
def test_garbage_tokens_are_a_401(people, secret):
    client = Client()
    response = client.get("/api/v1/me", secure=True, HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 401


def test_other_authorization_schemes_are_a_401(people):
    response = Client().get("/api/v1/me", secure=True, HTTP_AUTHORIZATION="Basic YWlndWw6eA==")
    assert response.status_code == 401


def test_revoked_token_is_a_401(people):
    token, secret = api_token_create(actor=people.aigul, name="script")
    api_token_revoke(user=people.aigul.user, token_id=token.pk)
    assert ApiClient(secret=secret).get("/me").status_code == 401


def test_expired_token_is_a_401(people):
    token, secret = api_token_create(actor=people.aigul, name="script", expires_in_days=1)
    ApiToken.objects.filter(pk=token.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert ApiClient(secret=secret).get("/me").status_code == 401


def test_token_of_a_deactivated_membership_is_a_401(people):
    _token, secret = api_token_create(actor=people.aigul, name="script")
    Membership.objects.filter(pk=people.aigul.membership.pk).update(is_active=False)
    assert ApiClient(secret=secret).get("/me").status_code == 401


def test_a_token_acts_for_its_membership(people):
    body = ApiClient(people.dana).get("/me").json()
    assert (body["user"]["username"], body["agency"]["id"], body["role"]) == (
        "dana",
        str(people.employment.pk),
        "case_worker",
    )


def test_me_lists_the_capabilities_of_the_role(people):
    capabilities = ApiClient(people.agency_admin).get("/me").json()["capabilities"]
    assert capabilities == ["manage_members", "manage_directory", "update_capacity"]


def test_session_user_can_read(people):
    client = Client()
    client.force_login(people.aigul.user)
    assert client.get("/api/v1/me", secure=True).json()["user"]["username"] == "aigul"


def test_session_post_without_csrf_is_refused(people):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people.aigul.user)
    response = client.post(
        "/api/v1/cases", REGISTRATION, content_type="application/json", secure=True
    )
    assert (response.status_code, response.json()["code"], Case.objects.count()) == (
        403,
        "csrf",
        0,
    )


def test_session_post_with_csrf_token_is_accepted(people):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people.aigul.user)
    client.cookies["csrftoken"] = CSRF_SECRET
    response = client.post(
        "/api/v1/cases",
        REGISTRATION,
        content_type="application/json",
        secure=True,
        HTTP_X_CSRFTOKEN=CSRF_SECRET,
        HTTP_REFERER="https://testserver/api/docs",
    )
    assert response.status_code == 201


def test_token_post_needs_no_csrf_token(people):
    token_client = ApiClient(people.aigul)
    token_client.client = Client(enforce_csrf_checks=True)
    assert token_client.post("/cases", REGISTRATION).status_code == 201


def test_signed_in_user_without_membership_is_a_403(people):
    nomad = User.objects.create_user(username="nomad", password=PASSWORD)
    client = Client()
    client.force_login(nomad)
    response = client.get("/api/v1/me", secure=True)
    assert (response.status_code, response.json()["code"]) == (403, "no_membership")
