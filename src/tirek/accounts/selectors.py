"""Reads on accounts and reference data (no case data here)."""

from __future__ import annotations

from uuid import UUID

from django.db.models import QuerySet

from tirek.accounts.models import Agency, ApiToken, Membership, User


def agencies_active() -> QuerySet[Agency]:
    return Agency.objects.filter(is_active=True).select_related("place")


def referral_recipients(*, exclude_agency_id: UUID) -> QuerySet[Agency]:
    """Agencies a case can be referred to (every active agency but one's own)."""
    return agencies_active().exclude(pk=exclude_agency_id).prefetch_related("services")


def api_tokens_of(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).select_related("membership__agency")


def memberships_of(*, user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(
        user=user, is_active=True, agency__is_active=True
    ).select_related("agency")
