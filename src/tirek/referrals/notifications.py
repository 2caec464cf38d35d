"""E-mails about referrals: they say only that there is something to look at, with a link.

A background task (``referral_notify``), queued in the transaction that sends or answers the
referral: it runs after the commit, in the worker, retried if the mail server is away, and each
recipient gets the message once even if the task runs again.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from tirek.accounts.roles import Capability
from tirek.accounts.selectors import agency_members_able_to
from tirek.core.tasks import background_task
from tirek.core.tasks.mail import mail_users_once
from tirek.referrals.models import Referral

KINDS = ("received", "answered", "outcome", "question", "information")
TO_RECEIVER = ("received", "information")  # the other kinds go to the sending agency


@background_task()
def referral_notify(*, referral_id: str, kind: str, item_id: str = "") -> int:
    """Tell the agency that must act: the receiver of a new referral or of the information it
    asked for, the sender of an answer or of a question (``item_id``: the question, so each
    question and answer is told once).

    Returns how many e-mails this run sent.
    """
    if kind not in KINDS:
        raise ValueError("Unknown referral notification kind")
    referral = Referral.objects.filter(pk=referral_id).first()
    if referral is None:
        return 0
    agency_id = referral.to_agency_id if kind in TO_RECEIVER else referral.from_agency_id
    link = settings.SITE_URL.rstrip("/") + reverse("referrals:detail", args=[referral.pk])

    def compose() -> tuple[str, str]:
        if kind == "received":
            subject = _("Tirek: you have a new referral")
        elif kind == "question":
            subject = _("Tirek: a question about a referral you sent")
        elif kind == "information":
            subject = _("Tirek: the information you asked for about a referral")
        elif kind == "outcome":
            subject = _("Tirek: the outcome of a referral you sent is recorded")
        else:
            subject = _("Tirek: a referral you sent has been answered")
        return subject, _("Sign in to Tirek to see it:") + f"\n{link}\n"

    return mail_users_once(
        key=f"referral:{referral.pk}:{kind}" + (f":{item_id}" if item_id else ""),
        users=agency_members_able_to(agency_id=agency_id, capability=Capability.DECIDE_REFERRALS),
        compose=compose,
    )


TRANSFER_KINDS = ("received", "answered")


@background_task()
def transfer_notify(*, transfer_id: str, kind: str) -> int:
    """Tell the receiving agency of a proposed transfer, or the proposing agency of the answer;
    each recipient once. Returns how many e-mails this run sent."""
    from tirek.referrals.models import CaseTransfer

    if kind not in TRANSFER_KINDS:
        raise ValueError("Unknown transfer notification kind")
    transfer = CaseTransfer.objects.filter(pk=transfer_id).first()
    if transfer is None:
        return 0
    agency_id = transfer.to_agency_id if kind == "received" else transfer.from_agency_id
    link = settings.SITE_URL.rstrip("/") + reverse("referrals:transfer", args=[transfer.pk])

    def compose() -> tuple[str, str]:
        if kind == "received":
            subject = _("Tirek: a case is proposed to be transferred to your agency")
        else:
            subject = _("Tirek: a transfer of a case you proposed has been answered")
        return subject, _("Sign in to Tirek to see it:") + f"\n{link}\n"

    return mail_users_once(
        key=f"transfer:{transfer.pk}:{kind}",
        users=agency_members_able_to(agency_id=agency_id, capability=Capability.DECIDE_REFERRALS),
        compose=compose,
    )
