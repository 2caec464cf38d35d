from __future__ import annotations

import datetime
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


class CtdcExportOut(Schema):
    id: UUID
    format: str
    status: str
    status_label: str
    progress: int = Field(description="Percent done")
    k: int | None = Field(description="Every released combination is shared by at least k rows")
    l: int | None = Field(  # noqa: E741 - the name of the parameter of l-diversity
        description="Means of control and recruiter relation take at least l values in each"
    )
    rows: int | None = Field(description="People released (once finished)")
    suppressed: int | None = Field(description="People left out to keep the rules")
    counted_once: int | None = Field(
        description="Person records counted together with another record of the same person "
        "(confirmed or high-confidence matches)"
    )
    uncertain_duplicates: int | None = Field(
        description="Pairs of counted records matching is unsure about and nobody has decided: "
        "each may be one person counted twice"
    )
    created_at: datetime.datetime
    finished_at: datetime.datetime | None
    expires_at: datetime.datetime | None = Field(description="When the file will be deleted")
    download: str | None = Field(description="The file's address, once ready")
