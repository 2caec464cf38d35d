from __future__ import annotations

import datetime

from ninja import Schema
from pydantic import Field


class StatisticsFilterIn(Schema):
    scope: str = Field("national", pattern="^(agency|national)$")
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    territory: str = Field("", max_length=64)
    privacy: str = Field(
        "k_anonymity",
        pattern="^(k_anonymity|differential)$",
        description="How the national tables are protected: k-anonymity (suppression, noise, "
        "rounding) or differential privacy (OpenDP noise; coordinators only, spends ε).",
    )
    epsilon: float = Field(
        1.0, ge=0.01, le=10.0, description="ε of a differentially private release (all tables)"
    )
    noise: str = Field(
        "laplace",
        pattern="^(laplace|gaussian)$",
        description="Discrete Laplace (pure ε-DP) or discrete Gaussian ((ε, δ)-DP)",
    )


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
    epsilon: float | None = Field(
        None, description="ε spent on this table (a differentially private release)"
    )


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
    uncertain_duplicates: int | None = Field(
        description="Pairs of counted person records matching is unsure about and nobody has "
        "decided: each may be one person counted twice (rounded in a national release; null in a "
        "differentially private one, where one person could lie in many pairs)."
    )
    privacy: str = Field(description="k_anonymity, differential, or none (an agency's own)")
    mechanism: str | None = Field(description="laplace or gaussian (differential privacy)")
    epsilon: float | None = Field(description="ε spent by the whole release (differential)")
    delta: float | None = Field(description="δ of the Gaussian mechanism (0 for Laplace)")
    epsilon_by_table: dict[str, float] | None = Field(
        description="ε spent on each table; they add up to at most ``epsilon``"
    )
    totals_consistent: bool = Field(
        description="Whether every total is the sum of its released cells (true under "
        "differential privacy, where negative noisy counts are set to 0 and totals summed; "
        "false under k-anonymity, where each value is rounded on its own)."
    )
    counted_at: datetime.datetime | None = Field(
        description="When the de-identified facts were last brought up to date (a background "
        "task refreshes them every minute); null before the first refresh."
    )
    tables: list[StatisticsTableOut]
    medians: list[StatisticsMedianOut]
