"""Query budgets of the statistics: the dashboard and the tables (page, API, CSV) cost the same
number of queries with 3 cases as with 18 of many more kinds (more cells in every table)."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tirek.accounts.actor import Actor
from tirek.accounts.models import Agency, Membership, User
from tirek.accounts.roles import Role
from tirek.cases.choices import Sex
from tirek.screening.selectors import catalogue_current
from tirek.screening.services import Observation, ScreeningInput, screening_save
from tirek.statistics.facts import facts_refresh
from tirek.testing.api import ApiClient
from tirek.testing.builders import case_build, referral_build
from tirek.web.tests.support import SecureClient

CITIZENSHIPS = ["KAZ", "UZB", "KGZ", "TJK", "RUS", "AFG"]


@pytest.fixture(autouse=True)
def small_k(settings):
    settings.TIREK_STATISTICS_K = 3
    settings.TIREK_STATISTICS_ROUNDING = 1
    settings.TIREK_STATISTICS_NOISE = 0


def _member(agency: Agency, role: str) -> Actor:
    user = User.objects.create_user(username=f"budget-{role}", password=None)
    return Actor(
        user=user, membership=Membership.objects.create(user=user, agency=agency, role=role)
    )


def _cases(people, count: int, start: int) -> None:
    """``count`` more cases, each of another citizenship, sex and birth year."""
    for number in range(start, start + count):
        case = case_build(
            people.aigul,
            first_name=f"Stat{number}",
            sex=Sex.MALE if number % 2 else Sex.FEMALE,
            citizenship=[CITIZENSHIPS[number % len(CITIZENSHIPS)]],
            birth_date=datetime.date(1960 + 3 * number, 1 + number % 12, 10),
        )
        # Screenings and referrals of more kinds: more rows in their tables, not more queries.
        screening_save(
            actor=people.aigul,
            catalogue=catalogue_current(),
            data=ScreeningInput(scope="labour", observations=[Observation("DR-01")]),
        )
        to, service = [
            (people.employment, people.employment_service),
            (people.police, people.investigation_service),
        ][number % 2]
        if number < 12:  # adults: a child's case is referred by a child protection specialist
            referral_build(people.aigul, case, to=to, service=service)
    facts_refresh()


def _queries(call: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = call()
    assert getattr(response, "status_code", 0) == 200
    return len(captured.captured_queries)


def _web(actor: Actor, path: str) -> Callable[[], object]:
    client = SecureClient()
    client.force_login(actor.user)
    return lambda: client.get(path)


def _api(actor: Actor, path: str) -> Callable[[], object]:
    client = ApiClient(actor)
    return lambda: client.get(path)


CALLS = {
    # name -> (the call for an actor, at most this many queries: PostgreSQL's count; SQLite 2 less)
    "web dashboard": (lambda a: _web(a, reverse("statistics:dashboard")), 35),
    "web table csv": (lambda a: _web(a, reverse("statistics:table_csv", args=["sex"])), 33),
    "api tables": (lambda a: _api(a, "/statistics/tables"), 24),
    "api tables, agency": (lambda a: _api(a, "/statistics/tables?scope=agency"), 24),
    "api one table": (lambda a: _api(a, "/statistics/tables/citizenship"), 24),
    "api assistance time": (lambda a: _api(a, "/statistics/assistance-time"), 24),
}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_statistics_queries_do_not_grow_with_cases(people, name):
    call_for, limit = CALLS[name]
    commission = Agency.objects.create(
        name="Test Budget Commission", type=Agency.Type.COMMISSION, place=people.almaty
    )
    coordinator = _member(commission, Role.COORDINATOR)
    chief = _member(people.crisis_centre, Role.SUPERVISOR)
    actor = chief if "agency" in name else coordinator
    call = call_for(actor)
    counts = []
    for start, more in ((0, 3), (3, 15)):
        _cases(people, more, start)
        call()  # warm: sessions, caches
        counts.append(_queries(call))
    few, many = counts
    assert few == many, (name, counts)
    assert many <= limit, (name, counts)
