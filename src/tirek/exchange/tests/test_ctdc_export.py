"""The CTDC export as a background task: asked for, prepared with progress, downloaded by the
person who asked (each download recorded), deleted after the keeping time; and every victim
counted once across agencies (confirmed and high-confidence matches)."""

from __future__ import annotations

import csv
import datetime
import io
import json
from typing import Any

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tirek.accounts.actor import Actor
from tirek.accounts.models import Membership, User
from tirek.accounts.roles import Role
from tirek.core.models import AuditEvent
from tirek.exchange.models import CtdcExport
from tirek.exchange.selectors import ctdc_victims, same_person_links
from tirek.exchange.services import CTDC_DOWNLOADED, CTDC_EXPORTED, CTDC_REQUESTED
from tirek.exchange.tasks import ctdc_build, ctdc_exports_expire
from tirek.testing.api import ApiClient
from tirek.testing.builders import case_build
from tirek.testing.tasks import tasks_run_pending
from tirek.web.tests.support import SecureClient

BORN = datetime.date(1994, 3, 12)


def member(username: str, agency: Any, role: str) -> Actor:
    user = User.objects.create_user(username=username, password=None)
    return Actor(
        user=user, membership=Membership.objects.create(user=user, agency=agency, role=role)
    )


def _client(actor: Actor) -> SecureClient:
    client = SecureClient()
    client.force_login(actor.user)
    return client


@pytest.fixture
def world(people, settings):
    settings.TIREK_STATISTICS_K = 2
    settings.TIREK_CTDC_L = 1
    # Айгерим registered by the crisis centre and again by the police: the same person.
    same = {"family_name": "Жумабаева", "first_name": "Айгерим", "patronymic": ""} | {
        "birth_date": BORN
    }
    case_build(people.aigul, **same)
    case_build(people.nurlan, **same)
    # A namesake without a birth date: matching is unsure (nobody has decided).
    case_build(people.dana, **(same | {"birth_date": None, "citizenship": []}))
    case_build(people.aigul, first_name="Testother", family_name="Kasymova")
    return {
        "people": people,
        "chief": member("ctdc-chief", people.crisis_centre, Role.SUPERVISOR),
        "coordinator": member("ctdc-coordinator", people.police, Role.COORDINATOR),
    }


def test_a_victim_registered_by_two_agencies_is_counted_once(world):
    links = same_person_links()
    victims = ctdc_victims(links)
    assert links.high_confidence == 1
    assert (len(victims.people), victims.merged) == (3, 1)
    assert victims.uncertain >= 1  # the namesake without a birth date, with either record


def test_the_export_is_prepared_in_the_background_and_downloaded_once_ready(world):
    client = _client(world["chief"])
    response = client.post(reverse("exchange:ctdc"), {"format": "json"})
    export = CtdcExport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("exchange:ctdc_detail", args=[export.pk])
    assert export.status == CtdcExport.Status.QUEUED
    page = client.get(reverse("exchange:ctdc_detail", args=[export.pk]), HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 2s"' in page.content.decode()
    assert client.get(reverse("exchange:ctdc_file", args=[export.pk])).status_code == 404
    tasks_run_pending()
    export.refresh_from_db()
    assert (export.status, export.progress) == (CtdcExport.Status.DONE, 100)
    page = client.get(reverse("exchange:ctdc_detail", args=[export.pk]))
    assert "every 2s" not in page.content.decode()
    body = json.loads(client.get(reverse("exchange:ctdc_file", args=[export.pk])).content)
    assert body["counted_once"] == 1 and body["uncertain_duplicates"] >= 1
    assert len(body["rows"]) + body["suppressed"] == 3
    assert "Айгерим" not in json.dumps(body, ensure_ascii=False)
    client.get(reverse("exchange:ctdc_file", args=[export.pk]))
    actions = list(
        AuditEvent.objects.filter(object_id=str(export.pk)).values_list("action", "actor_user_id")
    )
    user = world["chief"].user.pk
    assert actions.count((CTDC_REQUESTED, user)) == 1
    assert actions.count((CTDC_EXPORTED, user)) == 1
    assert actions.count((CTDC_DOWNLOADED, user)) == 2


def test_the_api_asks_follows_and_downloads(world):
    api = ApiClient(world["coordinator"])
    asked = api.post("/exchange/ctdc", {"format": "csv"})
    assert asked.status_code == 202
    export_id = asked.json()["id"]
    assert asked.json()["download"] is None
    tasks_run_pending()
    state = api.get(f"/exchange/ctdc/{export_id}").json()
    assert state["status"] == "done" and state["counted_once"] == 1
    assert state["k"] == 2 and state["l"] == 1
    assert [e["id"] for e in api.get("/exchange/ctdc").json()] == [export_id]
    response = api.get(state["download"].removeprefix("/api/v1"))
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == state["rows"]


def test_only_the_person_who_asked_sees_and_downloads_it(world):
    export_id = ApiClient(world["chief"]).post("/exchange/ctdc", {"format": "csv"}).json()["id"]
    tasks_run_pending()
    for actor in (world["coordinator"], world["people"].outsider, world["people"].aigul):
        api = ApiClient(actor)
        assert api.get(f"/exchange/ctdc/{export_id}").status_code in (403, 404)
        assert api.get(f"/exchange/ctdc/{export_id}/file").status_code in (403, 404)
        client = _client(actor)
        assert client.get(reverse("exchange:ctdc_file", args=[export_id])).status_code in (
            403,
            404,
        )
    assert not AuditEvent.objects.filter(action=CTDC_DOWNLOADED).exists()


@pytest.mark.parametrize("persona", ["aigul", "outsider", "agency_admin", "system_admin"])
def test_case_workers_outsiders_and_administrators_may_not_ask(world, persona):
    actor = getattr(world["people"], persona)
    assert ApiClient(actor).post("/exchange/ctdc", {"format": "csv"}).status_code == 403
    assert ApiClient(actor).get("/exchange/ctdc").status_code == 403
    assert _client(actor).post(reverse("exchange:ctdc"), {"format": "csv"}).status_code == 403
    assert not CtdcExport.objects.exists()


def test_the_file_is_deleted_after_the_keeping_time(world, settings):
    settings.TIREK_REPORT_KEEP_HOURS = 1
    api = ApiClient(world["chief"])
    export_id = api.post("/exchange/ctdc", {"format": "csv"}).json()["id"]
    tasks_run_pending()
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=2)):
        assert ctdc_exports_expire.call() == 1
    export = CtdcExport.objects.get(pk=export_id)
    assert (export.status, export.content) == (CtdcExport.Status.EXPIRED, None)
    assert api.get(f"/exchange/ctdc/{export_id}/file").status_code == 404
    page = _client(world["chief"]).get(reverse("exchange:ctdc_detail", args=[export_id]))
    assert "deleted" in page.content.decode()


def test_a_person_who_lost_the_role_gets_no_file(world):
    export_id = ApiClient(world["chief"]).post("/exchange/ctdc", {"format": "csv"}).json()["id"]
    Membership.objects.filter(pk=world["chief"].membership.pk).update(role=Role.CASE_WORKER)
    assert ctdc_build.call(export_id=export_id) == "refused"
    assert CtdcExport.objects.get(pk=export_id).status == CtdcExport.Status.FAILED
