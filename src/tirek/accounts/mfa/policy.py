"""Who must use a second factor: pure rules over the user's roles, read in one place."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django_otp import user_has_device

from tirek.accounts.models import Membership
from tirek.accounts.roles import ROLE_CAPABILITIES, Capability, role_can


def role_needs_mfa(role: str) -> bool:
    """Whether a member with ``role`` must use a second factor (when MFA is required at all).

    Every role that reads case data, and every role holding any other capability (managing
    accounts or reference data, reading the audit log): in practice, every role.
    """
    return role_can(role, Capability.READ_CASES) or bool(ROLE_CAPABILITIES.get(role))


def mfa_required_for(user: Any) -> bool:
    """Whether ``user`` must pass a second factor before using Tirek.

    Always true once the user has a confirmed factor (or enrolling would change nothing);
    otherwise true under ``TIREK_MFA_REQUIRED`` for staff and for members whose role reads case
    data or manages accounts.
    """
    if not user.is_authenticated:
        return False
    if user_has_device(user, confirmed=True):
        return True
    if not settings.TIREK_MFA_REQUIRED:
        return False
    if user.is_staff or user.is_superuser:
        return True
    roles = Membership.objects.filter(user_id=user.pk, is_active=True).values_list(
        "role", flat=True
    )
    return any(role_needs_mfa(role) for role in roles)


def session_passed_second_factor(user: Any) -> bool:
    """Whether a signed-in web session may be used: it has passed the second factor, or the
    user is not asked for one. The one rule for pages and for API calls riding on a session."""
    return bool(user.is_verified()) or not mfa_required_for(user)
