"""Reads on second factors: a user's own factors, and the members an administrator looks after."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tirek.accounts.actor import Actor
from tirek.accounts.models import User
from tirek.accounts.roles import Capability, Role
from tirek.core.errors import Forbidden


@dataclass(frozen=True)
class Factors:
    """What protects an account: the authenticator app and the recovery codes left."""

    authenticator_added_at: datetime.datetime | None
    authenticator_last_used_at: datetime.datetime | None
    recovery_codes_left: int

    @property
    def has_authenticator(self) -> bool:
        return self.authenticator_added_at is not None


def mfa_factors_of(*, user: User) -> Factors:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    return Factors(
        authenticator_added_at=device.created_at if device else None,
        authenticator_last_used_at=device.last_used_at if device else None,
        recovery_codes_left=StaticToken.objects.filter(
            device__user=user, device__confirmed=True
        ).count(),
    )


def mfa_members_of(*, actor: Actor) -> QuerySet[User]:
    """Members of the actor's agency whose factors the actor may reset, with ``has_mfa``."""
    if not actor.can(Capability.MANAGE_MEMBERS):
        raise Forbidden(_("Your role does not allow this action."))
    members = User.objects.filter(memberships__agency=actor.agency, is_superuser=False).distinct()
    if not actor.can(Capability.MANAGE_REFERENCE_DATA):
        members = members.exclude(memberships__role=Role.SYSTEM_ADMIN)
    return members.annotate(
        has_mfa=Exists(TOTPDevice.objects.filter(user_id=OuterRef("pk"), confirmed=True))
    ).order_by("username")
