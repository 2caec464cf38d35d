"""The pure rules of mechanism performance: outcomes, percentiles, durations and shares."""

from __future__ import annotations

import datetime

from hypothesis import given
from hypothesis import strategies as st

from tirek.statistics.performance import (
    CANCELLED,
    LATE,
    MET,
    NO_DEADLINE,
    NOT_DONE,
    OPEN_IN_TIME,
    OPEN_OVERDUE,
    duration_bucket,
    duration_rounded,
    is_late,
    minutes_between,
    percentile,
    percentile_counted,
    share_percent,
    step_measures,
    step_outcome,
)

NOW = datetime.datetime(2026, 11, 30, 9, 0, tzinfo=datetime.UTC)
HOUR = datetime.timedelta(hours=1)


def test_a_step_done_by_its_due_time_met_it() -> None:
    due = NOW + HOUR
    assert step_outcome(status="done", due_at=due, late=is_late(due, due), now=NOW) == MET


def test_a_step_done_after_its_due_time_is_late() -> None:
    late = is_late(NOW, NOW + HOUR)
    assert step_outcome(status="done", due_at=NOW, late=late, now=NOW + 2 * HOUR) == LATE


def test_a_step_closed_as_not_done_is_not_met_whenever_it_was_closed() -> None:
    assert step_outcome(status="not_done", due_at=NOW + HOUR, late=False, now=NOW) == NOT_DONE


def test_an_open_step_is_overdue_only_once_its_due_time_has_passed() -> None:
    outcomes = [
        step_outcome(status="open", due_at=NOW, late=None, now=NOW - HOUR),
        step_outcome(status="open", due_at=NOW, late=None, now=NOW + HOUR),
    ]
    assert outcomes == [OPEN_IN_TIME, OPEN_OVERDUE]


def test_steps_without_a_deadline_and_cancelled_steps_are_never_due() -> None:
    outcomes = {
        step_outcome(status="done", due_at=None, late=None, now=NOW),
        step_outcome(status="cancelled", due_at=NOW, late=None, now=NOW + HOUR),
    }
    assert outcomes == {NO_DEADLINE, CANCELLED}


@given(st.lists(st.integers(0, 10**6), min_size=1), st.floats(0.01, 1.0))
def test_a_percentile_is_one_of_the_values(values: list[int], fraction: float) -> None:
    assert percentile(values, fraction) in values


@given(st.lists(st.integers(0, 10**6), min_size=1), st.floats(0.01, 1.0), st.floats(0.01, 1.0))
def test_a_higher_percentile_is_never_smaller(values: list[int], low: float, high: float) -> None:
    low, high = sorted([low, high])
    assert percentile(values, low) <= percentile(values, high)  # type: ignore[operator]


@given(st.lists(st.integers(0, 10**6), min_size=1))
def test_at_least_half_the_values_are_at_most_the_median(values: list[int]) -> None:
    median = percentile(values, 0.5)
    assert median is not None
    assert 2 * len([v for v in values if v <= median]) >= len(values)


def test_no_percentile_of_nothing() -> None:
    assert percentile([], 0.5) is None


@given(st.integers(0, 48 * 60))
def test_up_to_two_days_a_duration_is_in_hours(minutes: int) -> None:
    amount, unit = duration_rounded(minutes)  # type: ignore[misc]
    assert (unit, abs(amount * 60 - minutes) <= 30) == ("h", True)


@given(st.integers(48 * 60 + 1, 10**7))
def test_beyond_two_days_a_duration_is_in_whole_days(minutes: int) -> None:
    amount, unit = duration_rounded(minutes)  # type: ignore[misc]
    assert (unit, abs(amount * 1440 - minutes) <= 720) == ("d", True)


def test_minutes_between_never_go_below_zero() -> None:
    assert minutes_between(NOW, NOW - HOUR) == 0


@given(st.integers(0, 1000), st.integers(1, 1000), st.integers(0, 1000), st.integers(1, 50))
def test_a_share_is_shown_only_from_k_steps_and_lies_in_0_to_100(
    numerator: int, denominator: int, counted: int, k: int
) -> None:
    share = share_percent(min(numerator, denominator), denominator, counted=counted, k=k)
    assert (share is None) == (counted < k) and (share is None or 0 <= share <= 100)


def test_a_share_needing_a_withheld_value_is_not_shown() -> None:
    assert share_percent(None, 20, counted=20, k=11) is None


@given(st.dictionaries(st.integers(0, 10**6), st.integers(1, 50), min_size=1), st.floats(0.01, 1))
def test_a_percentile_of_counted_values_is_that_of_the_values_written_out(
    counts: dict[int, int], fraction: float
) -> None:
    values = [value for value, n in counts.items() for _ in range(n)]
    assert percentile_counted(counts, fraction) == percentile(values, fraction)


def _shown_minutes(minutes: float | None) -> int | None:
    shown = duration_rounded(minutes)
    return None if shown is None else shown[0] * (60 if shown[1] == "h" else 1440)


@given(st.integers(0, 10**7))
def test_a_duration_is_counted_as_it_is_shown(minutes: int) -> None:
    counted = duration_bucket(minutes)
    assert counted == _shown_minutes(minutes) == _shown_minutes(counted)


@given(st.lists(st.integers(0, 60 * 24 * 400), min_size=1, max_size=60), st.floats(0.01, 1))
def test_a_percentile_of_the_histogram_shows_the_percentile_of_the_exact_durations(
    values: list[int], fraction: float
) -> None:
    histogram: dict[int, int] = {}
    for value in values:
        histogram[duration_bucket(value)] = histogram.get(duration_bucket(value), 0) + 1
    from_histogram = percentile_counted(histogram, fraction)
    assert _shown_minutes(from_histogram) == _shown_minutes(percentile(values, fraction))


def test_a_step_counts_by_its_outcome_and_when_done_by_its_durations() -> None:
    def measures(status: str, late: bool | None = None, has_due: bool = True) -> list[str]:
        wait = 125 if status == "done" else None
        found = step_measures(
            status=status, has_due=has_due, late=late, wait_minutes=wait, allowed_minutes=1440
        )
        return [f"{measure}:{minutes}" for measure, minutes in found]

    assert [
        measures("done", late=False),
        measures("done", late=True),
        measures("not_done", late=False),
        measures("open"),
        measures("open", has_due=False),
        measures("done", has_due=False),
        measures("cancelled"),
    ] == [
        ["met:0", "taken:120", "allowed:1440"],
        ["late:0", "taken:120", "allowed:1440"],
        ["not_done:0"],
        ["open:0"],
        [],
        ["taken:120", "allowed:1440"],
        [],
    ]
