"""The API answers 429 with a readable body once a client exceeds its rate."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.utils import translation
from django.utils.translation import ngettext

from tirek.testing.api import ApiClient
from tirek.testing.personas import Personas

ADDRESS = "203.0.113.41"  # TEST-NET-3: no other test sends from here


@pytest.fixture(autouse=True)
def _fresh_counters() -> Any:
    keys = [f"throttle_{scope}_{ADDRESS}" for scope in ("anon", "user")]
    cache.delete_many(keys)
    yield
    cache.delete_many(keys)


def _anonymous_calls(count: int, *, language: str = "en") -> list[Any]:
    client = ApiClient()
    return [
        client.client.get(
            "/api/v1/reference/choices",
            secure=True,
            REMOTE_ADDR=ADDRESS,
            HTTP_ACCEPT_LANGUAGE=language,
        )
        for _ in range(count)
    ]


@override_settings(TIREK_API_RATE_ANON="3/min")
def test_anonymous_client_over_the_rate_gets_429(db: None) -> None:
    assert [r.status_code for r in _anonymous_calls(4)] == [401, 401, 401, 429]


@override_settings(TIREK_API_RATE_ANON="3/min")
def test_throttled_answer_says_why_and_when_to_retry(db: None) -> None:
    response = _anonymous_calls(4)[-1]
    body = response.json()
    assert (body["code"], "Too many requests" in body["detail"], response["Retry-After"]) == (
        "throttled",
        True,
        "60",
    )


@override_settings(TIREK_API_RATE_ANON="1/min")
def test_throttled_answer_is_in_the_clients_language(db: None) -> None:
    response = _anonymous_calls(2, language="ru")[-1]
    with translation.override("ru"):
        expected = ngettext(
            "Too many requests. Wait %(seconds)d second and try again.",
            "Too many requests. Wait %(seconds)d seconds and try again.",
            60,
        ) % {"seconds": 60}
    assert response.json()["detail"] == expected


@override_settings(TIREK_API_RATE_ANON="2/min")
def test_wrong_tokens_count_as_anonymous_requests(db: None) -> None:
    client = ApiClient(secret="tirek_not-a-real-token")  # noqa: S106 - a wrong token
    statuses = [
        client.client.get(
            "/api/v1/me",
            secure=True,
            REMOTE_ADDR=ADDRESS,
            HTTP_AUTHORIZATION="Bearer tirek_not-a-real-token",
        ).status_code
        for _ in range(3)
    ]
    assert statuses == [401, 401, 429]


@override_settings(TIREK_API_RATE_USER="2/min")
def test_signed_in_user_over_the_rate_gets_429(people: Personas) -> None:
    client = ApiClient(people.aigul)
    statuses = [client.get("/me").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


@override_settings(TIREK_API_RATE_USER="2/min")
def test_one_users_rate_does_not_slow_another(people: Personas) -> None:
    aigul, dana = ApiClient(people.aigul), ApiClient(people.dana)
    for _ in range(3):
        aigul.get("/me")
    assert dana.get("/me").status_code == 200
