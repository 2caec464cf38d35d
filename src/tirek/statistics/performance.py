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


def duration_floor(minutes: int) -> int:
    """A duration as counted: whole hours (rounded down) up to two days, whole days beyond; in
    minutes. Percentiles are taken over these values, so the database can count them."""
    if minutes <= HOURS_SHOWN_UP_TO * 60:
        return minutes // 60 * 60
    return minutes // 1440 * 1440


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
