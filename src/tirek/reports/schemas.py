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


class ReportOut(Schema):
    id: UUID
    kind: str
    year: int
    quarter: int | None
    scope: str
    language: str
    format: str
    status: str
    status_label: str
    progress: int = Field(description="Percent done")
    created_at: datetime.datetime
    finished_at: datetime.datetime | None
    expires_at: datetime.datetime | None = Field(
        description="When the file will be deleted (a finished report)"
    )
    download: str | None = Field(description="The file's address, once ready")
