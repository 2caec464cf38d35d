"""E-mail to the owning agency's supervisors: only that an emergency access needs review, with a
link. No name, no reference, no reason in the mail."""

from __future__ import annotations

import logging
from uuid import UUID

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override

from tirek.accounts.models import User
from tirek.accounts.roles import Capability, role_can
from tirek.oversight.models import BreakGlassAccess

logger = logging.getLogger(__name__)


def break_glass_notify(*, access_id: UUID, kind: str = "opened") -> None:
    """Runs after the commit; a failure is logged (no personal data) and never undoes the access."""
    try:
        _notify(access_id=access_id)
    except Exception:
        logger.exception("break-glass notification failed (access %s)", access_id)


def reviewers_of(agency_id: UUID) -> list[User]:
    """The active members of an agency who may review emergency accesses to its cases."""
    users = User.objects.filter(
        memberships__agency_id=agency_id, memberships__is_active=True, is_active=True
    ).distinct()
    result = []
    for user in users.prefetch_related("memberships"):
        roles = [m.role for m in user.memberships.all() if m.agency_id == agency_id and m.is_active]
        if any(role_can(role, Capability.BREAK_GLASS) for role in roles):
            result.append(user)
    return result


def _notify(*, access_id: UUID) -> None:
    access = BreakGlassAccess.objects.filter(pk=access_id).first()
    if access is None:
        return
    link = settings.SITE_URL.rstrip("/") + reverse("oversight:access_detail", args=[access.pk])
    for user in reviewers_of(access.owner_agency_id):
        if not user.email or user.pk == access.user_id:
            continue
        with override(user.preferred_language):
            subject = _("Tirek: an emergency access needs review")
            body = (
                _("An emergency access to one of your cases needs review.")
                + "\n"
                + _("Sign in to Tirek to see it:")
                + f"\n{link}\n"
            )
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
