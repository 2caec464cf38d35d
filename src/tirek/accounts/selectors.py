"""Reads on accounts and reference data (no case data here)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from tirek.accounts.models import Agency, ApiToken, Membership, RoleGrant, User
from tirek.accounts.roles import Capability, Role, role_can
from tirek.core.errors import NotFound


def agencies_active() -> QuerySet[Agency]:
    return Agency.objects.filter(is_active=True).select_related("place")


def referral_recipients(*, exclude_agency_id: UUID) -> QuerySet[Agency]:
    """Agencies a case can be referred to (every active agency but one's own)."""
    return agencies_active().exclude(pk=exclude_agency_id).prefetch_related("services")


def api_tokens_of(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).select_related("membership__agency")


def api_token_own(*, user: User, token_id: UUID | str) -> ApiToken:
    """One of the user's own tokens; anyone else's, or none, is the one not-found answer."""
    try:
        return api_tokens_of(user=user).get(pk=token_id)
    except (ApiToken.DoesNotExist, ValueError, ValidationError):
        raise NotFound() from None


def memberships_of(*, user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(
        user=user, is_active=True, agency__is_active=True
    ).select_related("agency")


def administered_agency_ids(user: Any) -> set[UUID] | None:
    """The agencies whose members ``user`` may manage; ``None`` means every agency."""
    if user.is_superuser:
        return None
    roles = Membership.objects.filter(
        user_id=user.pk, is_active=True, agency__is_active=True
    ).values_list("agency_id", "role")
    if any(role_can(role, Capability.MANAGE_REFERENCE_DATA) for _, role in roles):
        return None
    return {agency_id for agency_id, role in roles if role_can(role, Capability.MANAGE_MEMBERS)}


def role_grants_for(*, user: Any, pending_only: bool = True) -> QuerySet[RoleGrant]:
    """Role grants in the agencies ``user`` administers, newest first, waiting ones by default.

    Grants to the user themselves are listed (so they can see them), never decidable by them.
    """
    grants = RoleGrant.objects.select_related(
        "membership__user", "membership__agency", "agency", "requested_by", "decided_by"
    )
    if pending_only:
        grants = grants.filter(status=RoleGrant.Status.PENDING)
    scope = administered_agency_ids(user)
    if scope is not None:
        grants = grants.filter(Q(agency_id__in=scope) | Q(membership__agency_id__in=scope))
    return grants


def agency_members_able_to(*, agency_id: UUID, capability: Capability) -> list[User]:
    """Active users whose active membership of the agency holds the capability (for notices)."""
    roles = [role for role in Role if role_can(role, capability)]
    return list(
        User.objects.filter(
            is_active=True,
            memberships__agency_id=agency_id,
            memberships__is_active=True,
            memberships__role__in=roles,
        )
        .distinct()
        .order_by("pk")
    )
