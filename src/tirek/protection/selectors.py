"""Reading consents, scoped to the acting user."""

from __future__ import annotations

from django.db.models import QuerySet

from tirek.cases.selectors import CaseView
from tirek.protection.models import Consent


def consents_for_case(*, view: CaseView) -> QuerySet[Consent]:
    """Consents of a case: only its owning agency sees them."""
    if not view.is_owner:
        return Consent.objects.none()
    return view.case.consents.select_related(
        "recipient_agency", "service_type", "recorded_by", "recorded_by_agency"
    )


def consents_active_for_referral(*, view: CaseView) -> QuerySet[Consent]:
    return consents_for_case(view=view).filter(
        withdrawn_at__isnull=True, purpose=Consent.Purpose.REFERRAL
    )
