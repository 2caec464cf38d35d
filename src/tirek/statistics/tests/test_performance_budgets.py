"""Query budget of mechanism performance: the page, a CSV and the API cost the same number of
queries with 2 cases as with 14 in two territories (more steps, more territories, more rows)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tirek.accounts.models import Agency
from tirek.accounts.roles import Role
from tirek.directory.models import Place
from tirek.mechanisms.tests.support import to_first_assistance
from tirek.statistics.step_facts import step_facts_refresh
from tirek.statistics.tests.test_performance import mechanism_for, member
from tirek.testing.api import ApiClient
from tirek.testing.builders import case_build
from tirek.web.tests.support import SecureClient

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small_k(settings: Any) -> None:
    settings.TIREK_STATISTICS_K = 3
    settings.TIREK_STATISTICS_ROUNDING = 1
    settings.TIREK_STATISTICS_NOISE = 0


def _web(path: str) -> Callable[[Any], Callable[[], Any]]:
    def call_for(actor: Any) -> Callable[[], Any]:
        client = SecureClient()
        client.force_login(actor.user)
        return lambda: client.get(path)

    return call_for


def _api(path: str) -> Callable[[Any], Callable[[], Any]]:
    def call_for(actor: Any) -> Callable[[], Any]:
        client = ApiClient(actor)
        return lambda: client.get(path)

    return call_for


CALLS = {
    # name -> (the call for an actor, at most this many queries: PostgreSQL's count; SQLite
    # issues one less)
    "web page": (lambda: _web(reverse("statistics:performance")), 27),
    "web page, agency": (lambda: _web(reverse("statistics:performance") + "?scope=agency"), 28),
    "web csv": (lambda: _web(reverse("statistics:performance_csv", args=["territories"])), 25),
    "api": (lambda: _api("/statistics/performance"), 15),
}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_performance_queries_do_not_grow_with_steps(people: Any, name: str) -> None:
    make, limit = CALLS[name]
    commission = Agency.objects.create(
        name="Test Budget Commission", type=Agency.Type.COMMISSION, place=people.almaty
    )
    coordinator = member("budget-coordinator", commission, Role.COORDINATOR)
    actor = member("budget-chief", people.crisis_centre, Role.SUPERVISOR)
    if "agency" not in name:
        actor = coordinator
    mechanism_for(coordinator, people, people.almaty, "Almaty")
    shymkent = Place.objects.create(kind=Place.Kind.CITY, code="test-shymkent", name_en="Shymkent")
    south = Agency.objects.create(name="Test South NGO", type=Agency.Type.NGO, place=shymkent)
    south_commission = Agency.objects.create(
        name="Test South Commission", type=Agency.Type.COMMISSION, place=shymkent
    )
    south_coordinator = member("budget-south-coord", south_commission, Role.COORDINATOR)
    mechanism_for(south_coordinator, people, shymkent, "S")
    south_worker = member("budget-south", south, Role.CASE_WORKER)
    call = make()(actor)
    counts = []
    for almaty_cases, south_cases in ((2, 0), (8, 4)):
        for n in range(almaty_cases):
            case = case_build(people.aigul, first_name=f"Budget{n}")
            if n % 2:
                to_first_assistance(people.aigul, case)
        for n in range(south_cases):
            case_build(south_worker, first_name=f"South{n}")
        step_facts_refresh()
        call()  # warm: sessions, caches
        with CaptureQueriesContext(connection) as captured:
            response = call()
        assert response.status_code == 200
        counts.append(len(captured.captured_queries))
    few, many = counts
    assert (few == many, many <= limit) == (True, True), (name, counts)
