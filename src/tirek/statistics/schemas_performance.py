from __future__ import annotations

import datetime

from ninja import Schema
from pydantic import Field


class PerformanceFilterIn(Schema):
    scope: str = Field("national", pattern="^(agency|national)$")
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    territory: str = Field("", max_length=64)
    mechanism: str = Field("", max_length=36, description="A mechanism version's id; empty: all")
    order: str = Field("wait", pattern="^(wait|missed)$")


class DurationOut(Schema):
    amount: int
    unit: str = Field(description="h (hours, up to two days) or d (whole days)")


class PerformanceStepOut(Schema):
    stage: str
    code: str
    label: str
    agency_type: str
    met: int | None
    late: int | None
    not_done: int | None
    open_overdue: int | None
    due: int | None
    met_share: int | None = Field(description="Percent met on time; null when not shown")
    missed_share: int | None
    share_reason: str = Field(description="Why the share is not shown (empty when it is)")
    median: DurationOut | None
    p90: DurationOut | None
    deadline: DurationOut | None = Field(description="The median deadline of the steps done")
    wait_reason: str


class PerformanceTerritoryCellOut(Schema):
    territory: str
    due: int | None
    met_share: int | None
    median: DurationOut | None
    reason: str


class PerformanceComparisonOut(Schema):
    stage: str
    code: str
    label: str
    agency_type: str
    territories: list[PerformanceTerritoryCellOut]


class PerformanceOut(Schema):
    scope: str
    unit: str
    k: int | None
    rounding: int | None
    filters: dict[str, str]
    counted_at: datetime.datetime | None
    steps: list[PerformanceStepOut]
    waits: list[PerformanceStepOut] = Field(
        description="The steps, longest wait (or most missed) first"
    )
    territories: list[dict[str, str]]
    comparison: list[PerformanceComparisonOut]
