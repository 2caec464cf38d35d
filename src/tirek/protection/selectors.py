"""Reads of protection, scoped to the acting user: consents, the hearings due in My tasks."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from tirek.accounts.actor import Actor
from tirek.cases.agenda import AgendaDate
from tirek.cases.selectors import CaseView
from tirek.protection.choices import ProceedingKind
from tirek.protection.models import Consent, Proceeding


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


def hearings_mine(actor: Actor) -> list[AgendaDate]:
    """The next hearing of each proceedings on the cases the actor is responsible for (their
    case worker, in the owning agency), for My tasks: the case reference and the kind of
    proceedings, nothing of what is recorded about them. One query."""
    kinds = dict(ProceedingKind.choices)
    rows = Proceeding.objects.filter(
        next_hearing_on__isnull=False,
        case__case_worker_id=actor.user.pk,
        case__owner_agency_id=actor.membership.agency_id,
        case__anonymised_at__isnull=True,
    ).values_list("case_id", "case__reference", "kind", "next_hearing_on")
    return [
        AgendaDate(
            kind="hearing",
            label=gettext_lazy("Court hearing"),
            detail=kinds.get(kind, kind),
            due_on=day,
            case_id=case_id,
            case_reference=reference,
            tab="return",
        )
        for case_id, reference, kind, day in rows
        if day is not None
    ]
