"""A body that is too large gets a 413 in the user's language (JSON from the API), never a 500
with a traceback and never a bare HTML 400; nothing is written."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tirek.accounts.services import api_token_create
from tirek.cases.models import Case
from tirek.web.tests.support import SecureClient

TEN_MB = 10 * 1024 * 1024


def big_registration() -> str:
    return json.dumps({"person": {"prs_FirstName": "Testgul", "prs_SecondName": "x" * TEN_MB}})


@pytest.mark.parametrize("debug", [False, True])
def test_api_answers_413_in_its_error_format(people, settings, debug):
    settings.DEBUG = debug
    _token, secret = api_token_create(actor=people.aigul, name="script")
    response = Client().post(
        "/api/v1/cases",
        data=big_registration(),
        content_type="application/json",
        secure=True,
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert (response.status_code, response.json()["code"]) == (413, "too_large")


def test_api_413_is_in_the_users_language(people):
    _token, secret = api_token_create(actor=people.aigul, name="script")
    response = Client().post(
        "/api/v1/cases",
        data=big_registration(),
        content_type="application/json",
        secure=True,
        HTTP_AUTHORIZATION=f"Bearer {secret}",
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    assert "слишком" in response.json()["detail"]


def test_api_413_writes_nothing(people):
    _token, secret = api_token_create(actor=people.aigul, name="script")
    Client().post(
        "/api/v1/cases",
        data=big_registration(),
        content_type="application/json",
        secure=True,
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert Case.objects.count() == 0


def test_anonymous_api_request_gets_413_too(db):
    response = Client().post(
        "/api/v1/cases", data="x" * TEN_MB, content_type="application/json", secure=True
    )
    assert response.status_code == 413 and response.json()["code"] == "too_large"


@pytest.mark.parametrize("debug", [False, True])
def test_web_form_answers_a_413_page(people, settings, debug):
    settings.DEBUG = debug
    client = SecureClient()
    client.force_login(people.aigul.user)
    response = client.post(
        "/cases/new/",
        data="family_name=" + "x" * TEN_MB,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 413 and b"Too large" in response.content


def test_a_small_body_passes(people):
    _token, secret = api_token_create(actor=people.aigul, name="script")
    response = Client().post(
        "/api/v1/cases",
        data=json.dumps({"person": {"prs_FirstName": "Testgul", "prs_SecondName": "Smallova"}}),
        content_type="application/json",
        secure=True,
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 201


def test_uploads_have_their_own_larger_limit(settings):
    from tirek.core.middleware import body_limit_for

    assert body_limit_for("multipart/form-data; boundary=x") == settings.TIREK_MAX_UPLOAD_BYTES
    assert settings.TIREK_MAX_UPLOAD_BYTES > settings.TIREK_MAX_BODY_BYTES
