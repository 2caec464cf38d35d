"""API schemas for the acting user and personal API tokens."""

from __future__ import annotations

import datetime
from uuid import UUID

from ninja import Field

from tirek.core.api_support import AgencyRef, InSchema, OutSchema


class UserOut(OutSchema):
    id: UUID
    username: str
    display_name: str
    email: str
    preferred_language: str


class MembershipOut(OutSchema):
    id: int
    agency: AgencyRef
    role: str
    role_label: str


class MeOut(OutSchema):
    """Who the API client acts as: the user, the agency, the role and what it may do."""

    user: UserOut
    agency: AgencyRef
    membership_id: int
    role: str
    role_label: str
    capabilities: list[str]
    memberships: list[MembershipOut]


class TokenCreateIn(InSchema):
    name: str = Field(max_length=1000, description="What the token is for, e.g. a program.")
    expires_in_days: int | None = Field(
        90, description="Between 1 and 366 days; null for a token that does not expire."
    )


class TokenOut(OutSchema):
    id: UUID
    name: str
    prefix: str = Field(description="The first characters of the secret, to recognise it.")
    agency: AgencyRef
    created_at: datetime.datetime
    last_used_at: datetime.datetime | None
    expires_at: datetime.datetime | None
    revoked_at: datetime.datetime | None


class TokenCreatedOut(TokenOut):
    secret: str = Field(description="Shown once: store it now, Tirek keeps only a digest.")


class RoleGrantOut(OutSchema):
    """A role that would let a member read cases, held until a second administrator decides."""

    id: UUID
    member: UserOut
    agency: AgencyRef
    role: str
    role_label: str
    status: str
    requested_by: UUID
    requested_at: datetime.datetime
    decided_by: UUID | None
    decided_at: datetime.datetime | None
