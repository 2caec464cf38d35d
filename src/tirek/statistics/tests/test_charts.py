"""Line charts over time: the pure geometry, gaps where a value is withheld, and the page."""

from __future__ import annotations

from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tirek.accounts.roles import Role
from tirek.statistics.charts import (
    HEIGHT,
    WIDTH,
    line_chart,
    nice_top,
    quarters_between,
    ticks_of,
)
from tirek.statistics.facts import facts_refresh
from tirek.statistics.tests.support import member
from tirek.testing.builders import case_build, referral_build
from tirek.web.tests.support import SecureClient


def test_quarters_between_fills_the_gaps_across_years():
    assert quarters_between(20253, 20262) == [20253, 20254, 20261, 20262]
    assert quarters_between(20261, 20261) == [20261]


@given(st.integers(0, 10**7))
def test_the_value_axis_is_round_and_holds_the_largest(largest):
    top = nice_top(largest)
    assert top >= max(largest, 1)
    assert str(top).strip("0") in {"1", "2", "5"}
    ticks = ticks_of(top)
    assert ticks[0] == 0 and ticks[-1] == top
    assert len({b - a for a, b in zip(ticks, ticks[1:], strict=False)}) == 1


@given(st.lists(st.one_of(st.none(), st.integers(0, 500)), min_size=1, max_size=40))
def test_a_withheld_value_breaks_the_line_and_every_point_is_inside(values):
    chart = line_chart([str(n) for n in range(len(values))], [("a", "c", values)])
    (line,) = chart.lines
    assert len(line.dots) == sum(v is not None for v in values)
    runs, current = [], 0
    for value in [*values, None]:
        if value is None:
            runs.append(current)
            current = 0
        else:
            current += 1
    assert len(line.segments) == sum(1 for run in runs if run > 1)
    for x, y in line.dots:
        assert 0 <= x <= WIDTH and 0 <= y <= HEIGHT


def test_the_page_draws_victims_and_referrals_over_time(people, small_k):
    case = case_build(people.aigul, first_name="Line")
    referral_build(people.aigul, case, to=people.employment, service=people.employment_service)
    facts_refresh()
    chief = member("line-chief", people.crisis_centre, Role.SUPERVISOR)
    client = SecureClient()
    client.force_login(chief.user)
    response = client.get(reverse("statistics:dashboard") + "?scope=agency")
    charts = {chart["name"]: chart for chart in response.context["charts"]}
    assert charts["quarter"]["line"]["legend"][0][0] == "Presumed victims"
    assert charts["referral_quarter"]["line"]["legend"][0][0] == "Referrals sent"
    assert charts["sex"]["line"] is None
    assert b"<polyline" in response.content or b"<circle" in response.content
