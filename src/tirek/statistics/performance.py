"""The rules of mechanism performance: pure functions over plain data, no database.

A step of a case's checklist *met* its deadline when it was done by its due time. A step is *due*
(it counts in the share met) once it was closed or its due time has passed: done in time (met),
done late, closed as not done, or still open past its due time (open overdue). Steps without a
deadline and cancelled steps are not due; open steps before their due time are not due yet.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Mapping, Sequence

MET = "met"
LATE = "late"
NOT_DONE = "not_done"
OPEN_OVERDUE = "open_overdue"
OPEN_IN_TIME = "open_in_time"
NO_DEADLINE = "no_deadline"
CANCELLED = "cancelled"
DUE = (MET, LATE, NOT_DONE, OPEN_OVERDUE)  # the outcomes counted as due, in table order

HOURS_SHOWN_UP_TO = 48  # a duration up to two days is shown in hours, beyond in whole days


def step_outcome(
    *,
    status: str,
    due_at: datetime.datetime | None,
    late: bool | None,
    now: datetime.datetime,
) -> str:
    """The outcome of one step at ``now`` (``status`` is the checklist item's)."""
    if status == CANCELLED:
        return CANCELLED
    if due_at is None:
        return NO_DEADLINE
    if status == "done":
        return LATE if late else MET
    if status == NOT_DONE:
        return NOT_DONE
    return OPEN_OVERDUE if due_at < now else OPEN_IN_TIME


def is_late(due_at: datetime.datetime | None, closed_at: datetime.datetime | None) -> bool | None:
    """Whether a closed step was closed after its due time (None while open or without one)."""
    if due_at is None or closed_at is None:
        return None
    return closed_at > due_at


def minutes_between(start: datetime.datetime, end: datetime.datetime | None) -> int | None:
    """Whole minutes from ``start`` to ``end`` (never below 0); None without an end."""
    if end is None:
        return None
    return max(0, int((end - start).total_seconds() // 60))


def percentile(values: Sequence[float], fraction: float) -> float | None:
    """The nearest-rank percentile (``fraction`` 0.5: the median; 0.9: the 90th percentile).

    Nearest rank returns one of the values itself, never a value between two steps."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def percentile_counted(counts: Mapping[int, int], fraction: float) -> int | None:
    """The nearest-rank percentile of values given as value -> how many (a histogram): the same
    as :func:`percentile` of the values written out, without writing them out."""
    total = sum(counts.values())
    if total <= 0:
        return None
    rank = max(1, math.ceil(fraction * total))
    seen = 0
    for value in sorted(counts):
        seen += counts[value]
        if seen >= rank:
            return value
    return max(counts)  # pragma: no cover - the loop always reaches the rank


def duration_bucket(minutes: int) -> int:
    """A duration as counted in the step cells: the duration as shown (:func:`duration_rounded`:
    whole hours up to two days, whole days beyond), in minutes.

    Rounding is monotonic, so the nearest-rank percentile of these values is the rounded
    percentile of the exact durations: a percentile read from the histogram loses nothing that
    is shown (a duration between two days and 60 hours reads "48 h" rather than "2 d")."""
    amount, unit = duration_rounded(minutes) or (0, "h")
    return amount * (60 if unit == "h" else 1440)


TAKEN = "taken"  # a step cell counting steps done by the time they took
ALLOWED = "allowed"  # ... and by the time they were allowed (the deadline)
OPEN = "open"  # a step cell counting open steps with a due time (overdue once it has passed)


def step_measures(
    *,
    status: str,
    has_due: bool,
    late: bool | None,
    wait_minutes: int | None,
    allowed_minutes: int | None,
) -> list[tuple[str, int]]:
    """The step cells one step counts in, as (measure, minutes): its outcome if it is or may
    become due (met, late, not done, open with a due time), and for a step done the duration it
    took and was allowed (as counted: :func:`duration_bucket`)."""
    measures: list[tuple[str, int]] = []
    if status == "open" and has_due:
        measures.append((OPEN, 0))
    elif status in ("done", NOT_DONE) and late is not None:  # closed, with a deadline
        measures.append((NOT_DONE if status == NOT_DONE else (LATE if late else MET), 0))
    if status == "done" and wait_minutes is not None:
        measures.append((TAKEN, duration_bucket(wait_minutes)))
        if allowed_minutes is not None:
            measures.append((ALLOWED, duration_bucket(allowed_minutes)))
    return measures


def duration_rounded(minutes: float | None) -> tuple[int, str] | None:
    """A duration as shown: whole hours up to two days, whole days beyond (``(n, "h"|"d")``)."""
    if minutes is None:
        return None
    hours = minutes / 60
    if hours <= HOURS_SHOWN_UP_TO:
        return (max(0, round(hours)), "h")
    return (round(hours / 24), "d")


def share_percent(
    numerator: int | None, denominator: int | None, *, counted: int, k: int
) -> int | None:
    """The share in whole percent, or None when counted from fewer than ``k`` steps or when a
    value it needs is withheld (``numerator``/``denominator`` as released)."""
    if counted < k or numerator is None or not denominator:
        return None
    return min(100, round(100 * numerator / denominator))
