"""API schemas for break-glass and the audit log."""

from __future__ import annotations

import datetime
from uuid import UUID

from ninja import Field

from tirek.cases.schemas import enum_of
from tirek.core.api_support import AgencyRef, InSchema, OutSchema
from tirek.oversight.models import BreakGlassAccess
from tirek.oversight.services import COMMENT_MAX, REASON_MAX, REASON_MIN


class BreakGlassOpenIn(InSchema):
    case_reference: str = Field(max_length=20, description="The case reference, e.g. TK-ACDE3479.")
    reason: str = Field(
        max_length=REASON_MAX, description=f"Why this is an emergency ({REASON_MIN}+ characters)."
    )


class BreakGlassReviewIn(InSchema):
    justified: bool
    comment: str = Field("", max_length=COMMENT_MAX, description="Required when not justified.")


class BreakGlassAccessOut(OutSchema):
    id: UUID
    case_id: UUID
    case_reference: str
    owner_agency: AgencyRef
    opened_by_name: str
    agency: AgencyRef
    reason: str
    opened_at: datetime.datetime
    expires_at: datetime.datetime
    is_active: bool
    review: str = Field(json_schema_extra=enum_of(BreakGlassAccess.Review.values))
    reviewed_by_name: str | None
    reviewed_at: datetime.datetime | None
    review_comment: str


class BreakGlassPageOut(OutSchema):
    count: int
    limit: int
    offset: int
    items: list[BreakGlassAccessOut]


class AuditFilterIn(InSchema):
    case_reference: str = Field("", max_length=20)
    person_reference: str = Field(
        "", max_length=20, description="Any case reference of the person: all their cases."
    )
    agency_id: UUID | None = None
    user_id: UUID | None = None
    kind: str = Field("", max_length=64, description="A case event kind or an audit action.")
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


class AuditEventOut(OutSchema):
    source: str = Field(description='"case" (case timeline) or "audit" (other audit events).')
    at: datetime.datetime
    what: str
    what_label: str
    user: str
    agency: str
    case_reference: str
    section: str


class AuditPageOut(OutSchema):
    count: int
    limit: int
    offset: int
    items: list[AuditEventOut]
