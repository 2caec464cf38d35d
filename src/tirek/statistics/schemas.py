from __future__ import annotations

import datetime

from ninja import Schema
from pydantic import Field


class StatisticsFilterIn(Schema):
    scope: str = Field("national", pattern="^(agency|national)$")
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    territory: str = Field("", max_length=64)


class StatisticsColumnOut(Schema):
    key: str
    label: str


class StatisticsRowOut(Schema):
    key: str
    label: str
    cells: list[int | None]
    total: int | None


class StatisticsTableOut(Schema):
    name: str
    title: str
    columns: list[StatisticsColumnOut]
    rows: list[StatisticsRowOut]
    column_totals: list[int | None]
    total: int | None
    protected: bool
    withheld: int


class StatisticsMedianOut(Schema):
    key: str = Field(description="first (assistance of any kind) or a service type's code")
    label: str
    people: int | None = Field(description="People assisted (rounded nationally; null: withheld)")
    median: int | None = Field(
        description="Median days from identification to assistance; null where withheld "
        "(fewer than k people, national) or nobody"
    )


class StatisticsMediansOut(Schema):
    scope: str
    k: int | None
    filters: dict[str, str]
    medians: list[StatisticsMedianOut]


class StatisticsReleaseOut(Schema):
    scope: str
    unit: str
    k: int | None
    rounding: int | None
    filters: dict[str, str]
    uncertain_duplicates: int = Field(
        description="Pairs of counted person records matching is unsure about and nobody has "
        "decided: each may be one person counted twice (rounded in a national release)."
    )
    counted_at: datetime.datetime | None = Field(
        description="When the de-identified facts were last brought up to date (a background "
        "task refreshes them every minute); null before the first refresh."
    )
    tables: list[StatisticsTableOut]
    medians: list[StatisticsMedianOut]
