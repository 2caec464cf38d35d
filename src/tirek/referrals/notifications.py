"""E-mails about referrals: they say only that there is something to look at, with a link."""

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
from tirek.referrals.models import Referral

logger = logging.getLogger(__name__)


def referral_notify(*, referral_id: UUID, kind: str) -> None:
    """Tell the agency that must act: the receiver of a new referral, the sender of an answer.

    Runs after the commit; a failure here is logged (without personal data) and never undoes or
    hides the referral itself.
    """
    try:
        _notify(referral_id=referral_id, kind=kind)
    except Exception:
        logger.exception("referral notification failed (referral %s)", referral_id)


def _notify(*, referral_id: UUID, kind: str) -> None:
    referral = Referral.objects.filter(pk=referral_id).first()
    if referral is None:
        return
    agency_id = referral.to_agency_id if kind == "received" else referral.from_agency_id
    link = settings.SITE_URL.rstrip("/") + reverse("referrals:detail", args=[referral.pk])
    users = User.objects.filter(
        memberships__agency_id=agency_id, memberships__is_active=True, is_active=True
    ).exclude(email="")
    for user in users.prefetch_related("memberships"):
        roles = [m.role for m in user.memberships.all() if m.agency_id == agency_id]
        if not any(role_can(role, Capability.DECIDE_REFERRALS) for role in roles):
            continue
        with override(user.preferred_language):
            if kind == "received":
                subject = _("Tirek: you have a new referral")
            else:
                subject = _("Tirek: a referral you sent has been answered")
            body = _("Sign in to Tirek to see it:") + f"\n{link}\n"
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
