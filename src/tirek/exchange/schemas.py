from __future__ import annotations

from uuid import UUID

from ninja import Schema
from pydantic import Field


class HtcdsExportIn(Schema):
    partner_id: UUID = Field(
        description="The agency the data is for (it must be named by the "
        "person's consent to data processing)."
    )
    format: str = Field("json", pattern="^(csv|json)$")


class CtdcExportIn(Schema):
    format: str = Field("json", pattern="^(csv|json)$")
