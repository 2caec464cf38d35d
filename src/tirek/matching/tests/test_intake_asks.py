"""Asking whether a person is registered (intake match) is recorded without the name, limited per
user, and coordinators see who asks about many people."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tirek.core.audit import refusal_record
from tirek.core.errors import NotFound
from tirek.core.models import AuditEvent
from tirek.matching import policy
from tirek.testing.api import ApiClient

AIGERIM = {
    "prs_FirstName": "Aigerim",
    "prs_SecondName": "Zhumabayeva",
    "prs_Birthdate": "1994-03-12",
    "sex": "F",
}
WEB_AIGERIM = {"first_name": "Aigerim", "family_name": "Zhumabayeva", "birth_date": "1994-03-12"}


def _asks() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=policy.ASKED).order_by("seq"))


def _web(actor: Any) -> Client:
    client = Client()
    client.force_login(actor.user)
    return client


def test_an_outsiders_ask_is_recorded_without_the_name(world):
    response = ApiClient(world.people.outsider).post("/matching/intake", AIGERIM)
    assert response.json()["match_elsewhere"] is True
    (ask,) = _asks()
    assert (ask.actor_user_id, ask.object_type) == (
        world.people.outsider.user.pk,
        "matching.person",
    )
    assert ask.data == {"via": "api", "match_elsewhere": True, "shown": 0}
    stored = json.dumps([ask.object_id, ask.data]).lower()
    assert "aigerim" not in stored and "zhumabayeva" not in stored and "1994" not in stored


def test_web_and_api_asks_about_one_person_count_as_one_person(world):
    outsider = world.people.outsider
    ApiClient(outsider).post("/matching/intake", AIGERIM)
    _web(outsider).post(reverse("matching:intake"), WEB_AIGERIM, HTTP_HX_REQUEST="true")
    first, second = _asks()
    assert (first.object_id, second.data["via"]) == (second.object_id, "web")


def test_asking_beyond_the_hourly_limit_is_refused_and_recorded(world, monkeypatch):
    monkeypatch.setattr(policy, "ASKS_PER_HOUR", 2)
    client = ApiClient(world.people.outsider)
    answers = [client.post("/matching/intake", AIGERIM) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert answers[2].json()["code"] == "too_many_attempts"
    assert len(_asks()) == 2
    assert AuditEvent.objects.filter(action=policy.ASK_LIMITED).count() == 1
    web = _web(world.people.outsider).post(
        reverse("matching:intake"), WEB_AIGERIM, HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert (web.status_code, b"Too many searches" in web.content) == (200, True)


def _ask_about(actor: Any, count: int) -> None:
    client = ApiClient(actor)
    for name in ["Aruzhan", "Dinara", "Madina", "Saltanat", "Zarina"][:count]:
        body = AIGERIM | {"prs_FirstName": name}
        assert client.post("/matching/intake", body).status_code == 200


def test_coordinator_sees_who_asks_about_many_people(world):
    _ask_about(world.people.outsider, 4)
    _ask_about(world.people.aigul, 1)
    refusal_record(
        actor=world.people.outsider,
        error=NotFound("x", object_type="case", object_id=world.police_case.pk),
        via="api",
    )
    rows = ApiClient(world.coordinator).get("/matching/askers").json()
    assert [(r["user_name"], r["persons"], r["asks"], r["refused"]) for r in rows] == [
        (world.people.outsider.user.display_name, 4, 4, 1),
        (world.people.aigul.user.display_name, 1, 1, 0),
    ]
    page = _web(world.coordinator).get(reverse("matching:askers"))
    assert page.status_code == 200
    assert world.people.outsider.user.display_name in page.content.decode()


@pytest.mark.parametrize("persona", ["aigul", "supervisor", "agency_admin"])
def test_only_coordinators_see_who_asks(world, persona):
    actor = getattr(world, persona, None) or getattr(world.people, persona)
    assert ApiClient(actor).get("/matching/askers").status_code == 404
    assert _web(actor).get(reverse("matching:askers")).status_code == 404


def test_who_asks_costs_the_same_queries_for_many_members(world):
    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            ApiClient(world.coordinator).get("/matching/askers")
        return len(captured.captured_queries)

    _ask_about(world.people.outsider, 1)
    few = count()
    for actor in (world.people.aigul, world.people.nurlan, world.people.dana, world.supervisor):
        _ask_about(actor, 2)
    assert count() == few
