"""Median time from identification to assistance: the pure rules (median, k, rounding), the
facts that carry the waiting times, who sees them, and two releases compared."""

from __future__ import annotations

import datetime
import statistics
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from tirek.accounts.actor import Actor
from tirek.accounts.models import Agency
from tirek.accounts.roles import Role
from tirek.referrals.models import Referral
from tirek.referrals.services import referral_accept
from tirek.statistics.facts import assistance_days, days_bucket, facts_rebuild, facts_refresh
from tirek.statistics.models import Cell
from tirek.statistics.privacy import median_of, released_median
from tirek.statistics.tests.support import assert_refused, member
from tirek.testing.api import ApiClient
from tirek.testing.builders import case_build, referral_build
from tirek.web.tests.support import SecureClient

DAY = datetime.date(2026, 3, 1)


@given(st.dictionaries(st.integers(0, 400), st.integers(0, 30)))
def test_the_median_of_a_histogram_is_the_median_of_its_values(histogram):
    values = [value for value, n in histogram.items() for _ in range(n)]
    expected = statistics.median(values) if values else None
    assert median_of(histogram) == expected


@given(st.dictionaries(st.integers(0, 400), st.integers(0, 30)), st.integers(2, 20))
def test_a_national_median_needs_k_people(histogram, k):
    people = sum(histogram.values())
    released = released_median(histogram, k=k, base=5, protected=True)
    if 0 < people < k:
        assert released.people is None and released.median is None
    else:
        assert released.people is not None and released.people % 5 == 0
        assert abs(released.people - people) <= 2
    # An agency's own: as counted.
    own = released_median(histogram, k=k, base=5, protected=False)
    assert own.people == people


def test_days_are_kept_exact_for_a_month_then_by_week_up_to_a_year():
    assert [days_bucket(d) for d in (-2, 0, 30, 31, 37, 38, 364, 365, 1000)] == [
        0,
        0,
        30,
        31,
        31,
        38,
        360,
        365,
        365,
    ]


def test_waiting_times_start_on_the_day_of_identification():
    start = datetime.date(2026, 1, 10)
    days = assistance_days(
        start,
        {"shelter": datetime.date(2026, 1, 12), "legal": datetime.date(2026, 2, 9)},
    )
    assert days == {"assistance_days": "2", "service_days": ["legal:30", "shelter:2"]}
    assert assistance_days(start, {}) == {"assistance_days": "none", "service_days": []}
    # Assistance recorded before the case was opened counts as the same day.
    early = assistance_days(start, {"shelter": datetime.date(2026, 1, 1)})
    assert early["assistance_days"] == "0"


@pytest.fixture(autouse=True)
def _small(small_k):
    pass


@pytest.fixture
def world(people) -> dict[str, Any]:
    """Two people referred for employment support and accepted 4 and 10 days after their case
    was opened; a third still waiting."""
    commission = Agency.objects.create(
        name="Test Median Commission", type=Agency.Type.COMMISSION, place=people.almaty
    )
    cases = [case_build(people.aigul, first_name=f"Med{n}") for n in range(3)]
    for case, days in zip(cases, (4, 10, None), strict=True):
        referral = referral_build(
            people.aigul, case, to=people.employment, service=people.employment_service
        )
        if days is not None:
            referral_accept(actor=people.dana, referral_id=referral.pk)
            moment = timezone.make_aware(datetime.datetime.combine(DAY, datetime.time(12)))
            Referral.objects.filter(pk=referral.pk).update(
                decided_at=moment + datetime.timedelta(days=days)
            )
        case.__class__.objects.filter(pk=case.pk).update(opened_on=DAY)
    facts_rebuild()
    return {
        "people": people,
        "coordinator": member("med-coordinator", commission, Role.COORDINATOR),
        "chief": member("med-chief", people.crisis_centre, Role.SUPERVISOR),
    }


def _medians(actor: Actor, scope: str, **extra: str) -> dict[str, Any]:
    query = "&".join(f"{key}={value}" for key, value in {"scope": scope, **extra}.items())
    response = ApiClient(actor).get(f"/statistics/assistance-time?{query}")
    assert response.status_code == 200, response.content
    return {row["key"]: (row["people"], row["median"]) for row in response.json()["medians"]}


def test_an_agency_sees_its_own_median_and_the_nation_only_for_k_people(world):
    own = _medians(world["chief"], "agency")
    assert own["first"] == (2, 7)  # (4 + 10) / 2
    assert own["test-employment"] == (2, 7)
    national = _medians(world["coordinator"], "national")
    assert national["first"] == (None, None)  # 2 people < k = 3


def test_refresh_keeps_the_waiting_times_and_rebuild_agrees(world):
    cells = {
        (c.scope, c.territory, c.dimension, c.value, c.series): c.n
        for c in Cell.objects.filter(dimension__in=["assistance_days", "service_days"])
    }
    assert cells[("", "*", "assistance_days", "4", "presumed")] == 1
    assert cells[("", "*", "service_days", "test-employment:10", "presumed")] == 1
    assert cells[("", "*", "assistance_days", "none", "presumed")] == 1
    facts_refresh()
    again = {
        (c.scope, c.territory, c.dimension, c.value, c.series): c.n
        for c in Cell.objects.filter(dimension__in=["assistance_days", "service_days"])
    }
    assert again == cells


def test_two_periods_a_few_days_apart_release_the_same_medians(world, settings):
    settings.TIREK_STATISTICS_K = 2
    one = _medians(world["coordinator"], "national", date_from="2026-01-01", date_to="2026-03-31")
    other = _medians(world["coordinator"], "national", date_from="2026-01-15", date_to="2026-03-02")
    assert one == other == {"first": (2, 7), "test-employment": (2, 7)}


@pytest.mark.parametrize("persona", ["aigul", "agency_admin", "system_admin", "outsider"])
def test_others_see_no_waiting_times(world, persona):
    actor = getattr(world["people"], persona)
    assert_refused(actor, "/statistics/assistance-time", "assistance_time")


def test_the_page_and_csv_show_the_medians(world):
    client = SecureClient()
    client.force_login(world["chief"].user)
    page = client.get(reverse("statistics:dashboard") + "?scope=agency")
    assert [row["median_text"] for row in page.context["medians"]] == [7, 7]
    url = reverse("statistics:table_csv", args=["assistance_time"]) + "?scope=agency"
    lines = client.get(url).content.decode().splitlines()
    assert lines == [
        "Assistance,People assisted,Median days",
        "First assistance of any kind,2,7",
        "Employment support,2,7",
    ]
