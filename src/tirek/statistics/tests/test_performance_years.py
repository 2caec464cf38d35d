"""Mechanism performance over whole years: a year's step cells are kept as one row per step
(``year * 10``) so that a release of a year reads one row instead of four quarters; the rows of
a period add up to exactly its quarters, the open steps of the current quarter are read from
the facts once, and the year rows kept by refreshes are the quarters summed again."""

from __future__ import annotations

import datetime
import importlib
from typing import Any

import pytest
import time_machine
from django.db import connection
from hypothesis import given
from hypothesis import strategies as st

from tirek.mechanisms.tests.support import NOW
from tirek.statistics.models import StepCell, year_row
from tirek.statistics.selectors_performance import period_rows
from tirek.statistics.step_facts import step_cells_rebuild, step_facts_refresh
from tirek.statistics.tests import test_performance as base
from tirek.statistics.tests.test_performance import HOUR, build, close, police_row

world, english, small_k = base.world, base.english, base.small_k  # the same fixtures

QUARTERS = st.builds(lambda year, q: year * 10 + q, st.integers(2018, 2030), st.integers(1, 4))
FAR = (2000, 2100)  # stands for "no bound" when the rows are written out


def _covered(rows: Any, first: int | None, last: int | None) -> list[int]:
    """Every quarter the rows stand for, each as often as it is counted."""
    covered = list(rows.quarters)
    if rows.years:
        low = FAR[0] if rows.first_year is None else rows.first_year
        high = FAR[1] if rows.last_year is None else rows.last_year
        covered += [year * 10 + q for year in range(low, high + 1) for q in range(1, 5)]
    return sorted(covered)


@given(QUARTERS, QUARTERS, st.sampled_from(["both", "from", "to"]))
def test_the_rows_of_a_period_count_each_of_its_quarters_once(a: int, b: int, bound: str) -> None:
    first, last = min(a, b), max(a, b)
    if bound == "from":
        last = None  # type: ignore[assignment]
    if bound == "to":
        first = None  # type: ignore[assignment]
    rows = period_rows(first, last)
    low, high = first or FAR[0] * 10 + 1, last or FAR[1] * 10 + 4
    wanted = [y * 10 + q for y in range(low // 10, high // 10 + 1) for q in range(1, 5)]
    wanted = [q for q in wanted if low <= q <= high]
    assert (_covered(rows, first, last), len(rows.quarters) <= 6) == (wanted, True)


def test_a_whole_year_reads_its_year_row_and_no_quarter() -> None:
    rows = period_rows(20251, 20264)
    assert rows == type(rows)(True, 2025, 2026, ())
    assert period_rows(20253, 20262) == type(rows)(False, None, None, (20253, 20254, 20261, 20262))
    assert year_row(20263) == 20260


YEAR_2026: dict[str, Any] = {
    "date_from": datetime.date(2026, 1, 1),
    "date_to": datetime.date(2026, 12, 31),
}


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        (YEAR_2026, (1, 0, 0, 3)),
        ({"date_from": datetime.date(2025, 4, 1), "date_to": datetime.date(2027, 3, 31)}, None),
        ({"date_from": datetime.date(2026, 10, 1), "date_to": datetime.date(2027, 6, 30)}, None),
        ({"date_to": datetime.date(2026, 12, 31)}, None),
        ({"date_from": datetime.date(2026, 4, 1)}, None),
        ({"date_from": datetime.date(2025, 1, 1), "date_to": datetime.date(2025, 12, 31)}, ()),
    ],
)
def test_a_period_of_whole_years_counts_what_its_quarters_count(
    world: dict[str, Any], period: dict[str, datetime.date], expected: Any
) -> None:
    """Steps due in the last quarter of 2026, read in 2027 (open ones are overdue): every
    period holding that quarter counts what every quarter together counts, one without none."""
    close(world["people"].aigul, world["almaty_cases"][0], "police-informed", NOW + HOUR)
    step_facts_refresh()
    with time_machine.travel(NOW + datetime.timedelta(days=120), tick=False):
        every = police_row(build(world["chief"], "agency")).counts
        release = build(world["chief"], "agency", **period)
    rows = [row for _stage, rows in release.stages for row in rows if row.code == "police-informed"]
    counts = rows[0].counts if rows else ()
    assert (counts, every) == (every if expected is None else expected, (1, 0, 0, 3))


def test_open_steps_of_the_current_quarter_count_once_in_a_year(world: dict[str, Any]) -> None:
    """In 2026's last quarter the year row holds its open steps; they are read from the facts,
    overdue only once past their due time, and not counted twice."""
    step_facts_refresh()
    chief = world["chief"]
    with time_machine.travel(NOW + 2 * HOUR, tick=False):
        before = police_row(build(world["coordinator"], **YEAR_2026))
        own_before = police_row(build(chief, "agency", **YEAR_2026))
    with time_machine.travel(NOW + 30 * HOUR, tick=False):
        after = police_row(build(world["coordinator"], **YEAR_2026))
        own_after = police_row(build(chief, "agency", **YEAR_2026))
        every_quarter = police_row(build(world["coordinator"]))
    counts = (before.counts[3], own_before.counts[3], after.counts[3], own_after.counts[3])
    assert (counts, every_quarter.counts) == ((0, 0, 7, 4), after.counts)


def _cells() -> list[tuple[Any, ...]]:
    fields = ["scope", "quarter", "mechanism_id", "stage", "step_code", "territory", "measure"]
    return sorted(StepCell.objects.values_list(*fields, "minutes", "n", "key_sum"))


def test_year_rows_kept_by_refreshes_are_the_rebuild_and_the_upgrades(
    world: dict[str, Any],
) -> None:
    """Refreshes keep the year rows as a rebuild sums them, and the upgrade (migration 0008)
    sums the quarters of cells counted before it into the same year rows."""
    aigul = world["people"].aigul
    step_facts_refresh()
    close(aigul, world["almaty_cases"][0], "police-informed", NOW + HOUR)
    close(world["south"], world["south_cases"][0], "police-informed", NOW + 30 * HOUR, "not_done")
    step_facts_refresh()
    refreshed = _cells()
    step_cells_rebuild()
    rebuilt = _cells()
    StepCell.objects.filter(quarter=20260).delete()
    upgrade = importlib.import_module("tirek.statistics.migrations.0008_step_year_rows")
    with connection.cursor() as cursor:
        cursor.execute(upgrade.YEAR_ROWS)
    years = [cell for cell in refreshed if cell[1] == 20260]
    assert (rebuilt, _cells(), len(years) > 0) == (refreshed, refreshed, True)


@pytest.mark.parametrize("scope", ["national", "agency"])
@pytest.mark.parametrize(
    "period",
    [{}, YEAR_2026, {"date_from": datetime.date(2026, 4, 1)}, {"territory": "test-almaty"}],
)
def test_a_release_reads_the_cells_in_one_query_whatever_the_period(
    world: dict[str, Any], django_assert_num_queries: Any, scope: str, period: dict[str, Any]
) -> None:
    """The step cells and the open steps of this quarter (one query), the steps' labels, the
    territories' names and when the counts were brought up to date: 4 queries."""
    step_facts_refresh()
    actor = world["coordinator"] if scope == "national" else world["chief"]
    with django_assert_num_queries(4):
        release = build(actor, scope, **period)
    assert release.stages
