"""What referrals say about a case's life cycle: a case is not closed while a referral waits."""

from __future__ import annotations

from django.utils.translation import ngettext

from tirek.cases.hooks import CLOSED
from tirek.cases.models import Case
from tirek.referrals.models import Referral


def referrals_open_guard(case: Case, target: str) -> list[str]:
    """Closing needs every referral answered or withdrawn (a receiver would be left waiting)."""
    if target != CLOSED:
        return []
    waiting = Referral.objects.filter(case=case, status=Referral.Status.SENT).count()
    if not waiting:
        return []
    return [
        ngettext(
            "%(count)d referral is still waiting for an answer: withdraw it or wait for the "
            "answer before closing the case.",
            "%(count)d referrals are still waiting for an answer: withdraw them or wait for the "
            "answers before closing the case.",
            waiting,
        )
        % {"count": waiting}
    ]


def transfer_pending_guard(case: Case, target: str) -> list[str]:
    """Closing needs no transfer waiting (the receiving agency could no longer accept it)."""
    from django.utils.translation import gettext

    from tirek.referrals.models import CaseTransfer

    if target != CLOSED:
        return []
    if not CaseTransfer.objects.filter(case=case, status=CaseTransfer.Status.PROPOSED).exists():
        return []
    return [
        gettext(
            "A transfer of this case to another agency is waiting for an answer: withdraw it or "
            "wait for the answer before closing the case."
        )
    ]
