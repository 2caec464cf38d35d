"""E-mail to the owning agency's supervisors: only that an emergency access needs review, with a
link. No name, no reference, no reason in the mail.

A background task queued in the transaction that opens the access (see referrals/notifications.py
for how retries and the once-per-recipient key work)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from tirek.accounts.roles import Capability
from tirek.accounts.selectors import agency_members_able_to
from tirek.core.tasks import background_task
from tirek.core.tasks.mail import mail_users_once
from tirek.oversight.models import BreakGlassAccess


@background_task()
def break_glass_notify(*, access_id: str) -> int:
    """Ask the owning agency's reviewers to look at an emergency access; returns e-mails sent."""
    access = BreakGlassAccess.objects.filter(pk=access_id).first()
    if access is None:
        return 0
    link = settings.SITE_URL.rstrip("/") + reverse("oversight:access_detail", args=[access.pk])
    reviewers = agency_members_able_to(
        agency_id=access.owner_agency_id, capability=Capability.BREAK_GLASS
    )

    def compose() -> tuple[str, str]:
        return _("Tirek: an emergency access needs review"), (
            _("An emergency access to one of your cases needs review.")
            + "\n"
            + _("Sign in to Tirek to see it:")
            + f"\n{link}\n"
        )

    return mail_users_once(
        key=f"break-glass:{access.pk}:opened",
        users=[user for user in reviewers if user.pk != access.user_id],
        compose=compose,
    )
