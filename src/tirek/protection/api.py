"""API: record a person's informed consent, list it, withdraw it."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Router, Status

from tirek.cases.reads import Via, case_open
from tirek.cases.selectors import case_for_change
from tirek.core.api_support import actor_of, field_names
from tirek.protection.models import Consent
from tirek.protection.schemas import ConsentIn, ConsentOut, ConsentWithdrawIn
from tirek.protection.selectors import consents_for_case
from tirek.protection.services import consent_record, consent_withdraw

router = Router(tags=["consent"], by_alias=True)

CONSENT_FIELDS = {
    "recipient_agency": "recipient_agency_id",
    "service_type": "service_type_id",
}


def consent_out(consent: Consent) -> dict[str, Any]:
    return {
        "id": consent.pk,
        "case_id": consent.case_id,
        "consent": consent.is_active,
        "purpose": consent.purpose,
        "method": consent.method,
        "sections": consent.sections,
        "recipient_agency": consent.recipient_agency,
        "service_type": consent.service_type,
        "given_on": consent.given_on,
        "recorded_by_agency": consent.recorded_by_agency,
        "created_at": consent.created_at,
        "withdrawn_at": consent.withdrawn_at,
        "withdrawal_reason": consent.withdrawal_reason,
    }


@router.get(
    "/cases/{case_id}/consents",
    response=list[ConsentOut],
    summary="Consents of a case (only its owning agency sees them)",
)
def consents_list(request: HttpRequest, case_id: UUID) -> list[dict[str, Any]]:
    view = case_open(actor=actor_of(request), case_id=case_id, via=Via.CONSENTS)
    return [consent_out(c) for c in consents_for_case(view=view)]


@router.post(
    "/cases/{case_id}/consents", response={201: ConsentOut}, summary="Record informed consent"
)
def consent_create(
    request: HttpRequest, case_id: UUID, payload: ConsentIn
) -> Status[dict[str, Any]]:
    actor = actor_of(request)
    case = case_for_change(actor=actor, case_id=case_id)
    with field_names(CONSENT_FIELDS):
        consent = consent_record(
            actor=actor,
            case=case,
            purpose=payload.purpose,
            method=payload.method,
            sections=payload.sections,
            recipient_agency_id=payload.recipient_agency_id,
            service_type_id=payload.service_type_id,
            given_on=payload.given_on,
        )
    return Status(201, consent_out(consent))


@router.post(
    "/consents/{consent_id}/withdraw",
    response=ConsentOut,
    summary="The person withdrew the consent: sharing based on it stops at once",
)
def consent_withdraw_route(
    request: HttpRequest, consent_id: UUID, payload: ConsentWithdrawIn | None = None
) -> dict[str, Any]:
    reason = payload.reason if payload else ""
    consent = consent_withdraw(actor=actor_of(request), consent_id=consent_id, reason=reason)
    return consent_out(consent)
