from __future__ import annotations

import datetime
from uuid import UUID

from ninja import Schema
from pydantic import Field


class ReportIn(Schema):
    kind: str = Field(pattern="^(quarterly|annual)$")
    year: int = Field(ge=2000, le=9999)
    quarter: int | None = Field(None, ge=1, le=4, description="Required for a quarterly report")
    scope: str = Field("national", pattern="^(agency|national)$")
    language: str = Field("kk", pattern="^(kk|ru|en)$")
    format: str = Field("pdf", pattern="^(pdf|xlsx)$")
    privacy: str = Field(
        "k_anonymity",
        pattern="^(k_anonymity|differential)$",
        description="How the national figures are protected: k_anonymity, or differential "
        "(coordinators only, national scope; spends epsilon from the year's privacy budget "
        "when asked for, and leaves out the tables without a mechanism)",
    )
    epsilon: float | None = Field(
        None, ge=0.01, le=10, description="The privacy loss of the whole report (differential)"
    )
    mechanism: str = Field(
        "laplace", pattern="^(laplace|gaussian)$", description="The noise (differential)"
    )


class ReportOut(Schema):
    id: UUID
    kind: str
    year: int
    quarter: int | None
    scope: str
    language: str
    format: str
    privacy: str
    epsilon: float | None = Field(description="The ε the report spent (differential privacy)")
    delta: float | None = Field(description="The δ stated on it (0 for Laplace noise)")
    mechanism: str | None
    status: str
    status_label: str
    progress: int = Field(description="Percent done")
    created_at: datetime.datetime
    finished_at: datetime.datetime | None
    expires_at: datetime.datetime | None = Field(
        description="When the file will be deleted (a finished report)"
    )
    download: str | None = Field(description="The file's address, once ready")
