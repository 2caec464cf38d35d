"""The dashboard, its CSV downloads and the API: who may see what, and each person counted once."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from tirek.accounts.actor import Actor
from tirek.accounts.models import Agency, Membership, User
from tirek.accounts.roles import Role
from tirek.cases.choices import Sex
from tirek.core.models import AuditEvent
from tirek.matching.models import PersonPair, PersonPairDecision, ReviewCandidate
from tirek.statistics.facts import facts_refresh
from tirek.statistics.selectors import quarter_end
from tirek.statistics.services import RELEASED
from tirek.statistics.tests.support import born_aged
from tirek.testing.api import ApiClient
from tirek.testing.builders import case_build
from tirek.web.tests.support import SecureClient


def member(username: str, agency: Agency, role: str) -> Actor:
    user = User.objects.create_user(username=username, password=None)
    return Actor(
        user=user, membership=Membership.objects.create(user=user, agency=agency, role=role)
    )


@pytest.fixture(autouse=True)
def small_k(settings):
    settings.TIREK_STATISTICS_K = 3
    settings.TIREK_STATISTICS_ROUNDING = 1
    settings.TIREK_STATISTICS_NOISE = 0


@pytest.fixture
def world(people):
    commission = Agency.objects.create(
        name="Test Coordinating Commission", type=Agency.Type.COMMISSION, place=people.almaty
    )
    born = born_aged(27)
    cases = [case_build(people.aigul, first_name=f"Test{n}", birth_date=born) for n in range(4)]
    cases.append(case_build(people.aigul, first_name="Testmale", sex=Sex.MALE, birth_date=born))
    facts_refresh()
    return {
        "people": people,
        "cases": cases,
        "coordinator": member("stat-coordinator", commission, Role.COORDINATOR),
        "centre_chief": member("stat-chief", people.crisis_centre, Role.SUPERVISOR),
    }


def _client(actor: Actor) -> SecureClient:
    client = SecureClient()
    client.force_login(actor.user)
    return client


def _confirm(world: dict[str, Any], one: Any, other: Any) -> None:
    """Matching confirmed that two person records are the same person."""
    low, high = sorted([one, other])
    pair = PersonPair.objects.create(
        person_low_id=low,
        person_high_id=high,
        status=PersonPair.Status.CONFIRMED,
        decided_by=world["people"].aigul.user,
        decided_agency=world["people"].crisis_centre,
        decided_at=timezone.now(),
    )
    PersonPairDecision.objects.create(
        pair=pair,
        status=pair.status,
        actor_user=world["people"].aigul.user,
        actor_agency=world["people"].crisis_centre,
        at=pair.decided_at,
    )
    facts_refresh()


def _sex_table(payload: dict[str, Any]) -> dict[str, Any]:
    return next(t for t in payload["tables"] if t["name"] == "sex")


@pytest.mark.parametrize("persona", ["aigul", "nurlan", "agency_admin", "system_admin", "outsider"])
def test_case_workers_and_administrators_see_no_statistics(world, persona):
    actor = getattr(world["people"], persona)
    assert _client(actor).get(reverse("statistics:dashboard")).status_code == 403
    assert ApiClient(actor).get("/statistics/tables").status_code == 403
    assert not AuditEvent.objects.filter(action=RELEASED).exists()


def test_coordinator_sees_the_national_picture_protected_and_the_view_is_recorded(world):
    response = _client(world["coordinator"]).get(reverse("statistics:dashboard"))
    assert response.status_code == 200
    charts = {chart["name"]: chart for chart in response.context["charts"]}
    female, male = (row for row in charts["sex"]["rows"] if row["label"] in ("Female", "Male"))
    # One man: withheld, and so is a value that would give him away.
    assert male["cells"][0]["value"] is None
    assert female["cells"][0]["value"] is None or male["total"] is None
    event = AuditEvent.objects.get(action=RELEASED)
    assert (event.actor_user_id, event.data["scope"], event.data["channel"]) == (
        world["coordinator"].user.pk,
        "national",
        "page",
    )


def test_agency_sees_its_own_work_as_counted(world):
    response = ApiClient(world["centre_chief"]).get("/statistics/tables?scope=agency")
    sex = _sex_table(response.json())
    assert (sex["protected"], sex["total"]) == (False, 5)
    assert [row["total"] for row in sex["rows"] if row["key"] == "M"] == [1]


def test_a_confirmed_same_person_is_counted_once(world):
    _confirm(world, world["cases"][0].person_id, world["cases"][1].person_id)
    response = ApiClient(world["centre_chief"]).get("/statistics/tables?scope=agency")
    assert _sex_table(response.json())["total"] == 4


def test_period_filter_releases_whole_quarters(world):
    today = timezone.localdate()
    next_quarter = quarter_end(today) + datetime.timedelta(days=1)
    api = ApiClient(world["centre_chief"])
    response = api.get(f"/statistics/tables/sex?scope=agency&date_from={next_quarter}")
    assert (response.status_code, response.json()["total"]) == (200, 0)
    # A period starting today is widened to the whole quarter: today's cases are in it, and so is
    # everything a period starting a day earlier would show (no differencing by days).
    response = api.get(f"/statistics/tables?scope=agency&date_from={today}").json()
    assert _sex_table(response)["total"] == 5
    assert response["filters"]["date_from"] <= today.isoformat()


def test_csv_download_is_recorded(world):
    response = _client(world["coordinator"]).get(
        reverse("statistics:table_csv", args=["sex"]) + "?scope=national"
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert (
        response.content.decode().splitlines()[0] == "Sex,Presumed victims,Identified victims,Total"
    )
    event = AuditEvent.objects.get(action=RELEASED)
    assert (event.object_id, event.data["channel"]) == ("sex", "csv")


def test_bad_filters_are_explained(world):
    client = _client(world["coordinator"])
    response = client.get(
        reverse("statistics:dashboard") + "?date_from=2026-05-01&date_to=2026-01-01"
    )
    assert response.status_code == 422
    assert "before its start" in response.content.decode()
    api = ApiClient(world["coordinator"])
    bad_dates = api.get("/statistics/tables?date_from=2026-05-01&date_to=2026-01-01")
    assert bad_dates.status_code == 400 or bad_dates.status_code == 422
    assert api.get("/statistics/tables/nothing").status_code == 404
    assert api.get("/statistics/tables?scope=everything").status_code == 422
    assert client.get(reverse("statistics:table_csv", args=["nothing"])).status_code == 404


def test_uncertain_pairs_are_told_and_confirmed_ones_are_not(world):
    first, second, third = (case.person_id for case in world["cases"][:3])
    for one, other in ((first, second), (first, third)):
        low, high = sorted([one, other])
        ReviewCandidate.objects.create(
            person_low_id=low, person_high_id=high, probability=0.5, scan_pass=1
        )
    _confirm(world, first, third)
    payload = ApiClient(world["centre_chief"]).get("/statistics/tables?scope=agency").json()
    assert payload["uncertain_duplicates"] == 1
    response = _client(world["centre_chief"]).get(reverse("statistics:dashboard") + "?scope=agency")
    assert "1 pair of these records" in response.content.decode()
