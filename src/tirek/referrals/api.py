"""API: send a referral, the inbox and the sent list, open, accept, decline, withdraw."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from tirek.accounts.actor import Actor
from tirek.cases import policy
from tirek.cases.choices import Section
from tirek.cases.reads import Via, case_open
from tirek.cases.selectors import case_for_change
from tirek.core.api_support import PageParams, actor_of, field_names, page_of
from tirek.referrals.models import OutsideReferral, Referral
from tirek.referrals.outside import (
    outside_referral_form,
    outside_referral_get,
    outside_referral_outcome,
    outside_referral_record,
    outside_referrals_for_case,
)
from tirek.referrals.pdf import outside_form_pdf
from tirek.referrals.questions import referral_question_answer, referral_question_ask
from tirek.referrals.schemas import (
    OutsideReferralIn,
    OutsideReferralOut,
    ReferralAnswerIn,
    ReferralDeclineIn,
    ReferralOut,
    ReferralOutcomeIn,
    ReferralPageOut,
    ReferralQuestionIn,
    ReferralResendIn,
    ReferralSendIn,
    ReferralWithdrawIn,
)
from tirek.referrals.selectors import (
    referral_get,
    referral_questions,
    referral_summary,
    referrals_for_case,
    referrals_inbox,
    referrals_sent,
)
from tirek.referrals.services import (
    referral_accept,
    referral_decline,
    referral_open_record,
    referral_outcome_record,
    referral_resend,
    referral_send,
    referral_withdraw,
)

router = Router(tags=["referrals"], by_alias=True)

SEND_FIELDS = {
    "to_agency": "cas_ReferredOrganisation",
    "service_type": "service_type_id",
    "consent": "consent_id",
    "message": "cas_OutgoingReferralDetails",
    "reason": "cas_ReasonForOutgoingReferral",
}


class StatusFilter(Schema):
    status: str | None = None


def _status(filter_: StatusFilter) -> str | None:
    if filter_.status and filter_.status not in Referral.Status.values:
        raise ValidationError(
            {"status": [_("Use one of: %(values)s.") % {"values": ", ".join(Referral.Status)}]}
        )
    return filter_.status or None


def _thread(referral: Referral) -> list[dict[str, Any]]:
    return [
        {
            "id": item.pk,
            "question": item.question,
            "asked_at": item.asked_at,
            "asked_by_name": item.asked_by.display_name,
            "answer": item.answer,
            "answered_at": item.answered_at,
            "answered_by_name": item.answered_by.display_name if item.answered_by else None,
        }
        for item in referral_questions(referral)
    ]


def referral_out(actor: Actor, referral: Referral, *, with_name: bool = False) -> dict[str, Any]:
    """A referral; the person's name only if asked for and the caller may see the identity;
    with it (one referral, not a list) the question thread."""
    name = None
    if with_name:
        case = referral.case
        sections = policy.case_sections(
            actor, case_id=case.pk, owner_agency_id=case.owner_agency_id
        )
        name = case.person.full_name if Section.IDENTITY in sections else None
    return {
        "id": referral.pk,
        "case_id": referral.case_id,
        "case_reference": referral.case.reference,
        "status": referral.status,
        "status_label": referral.get_status_display(),
        "from_agency": referral.from_agency,
        "to_agency": referral.to_agency,
        "service_type": referral.service_type,
        "reason": referral.reason,
        "message": referral.message,
        "sections": referral.sections,
        "sent_at": referral.sent_at,
        "sent_by_name": referral.sent_by.display_name,
        "decided_at": referral.decided_at,
        "decided_by_name": referral.decided_by.display_name if referral.decided_by else None,
        "decision_reason": referral.decision_reason,
        "due_at": referral.due_at,
        "overdue": referral.is_overdue,
        "outcome": referral.outcome,
        "information": referral.information,
        "questions": _thread(referral) if with_name else [],
        "version": referral.version,
        "summary": asdict(referral_summary(referral)),
        "display_name": name,
    }


def _opened(actor: Actor, referral_id: UUID) -> dict[str, Any]:
    """The referral as GET shows it (the name, the questions), the read recorded: GET's answer,
    and every change's (as the web's page after the form)."""
    referral = referral_get(actor=actor, referral_id=referral_id)
    referral_open_record(actor=actor, referral=referral)
    return referral_out(actor, referral, with_name=True)


@router.get(
    "/cases/{case_id}/referrals",
    response=list[ReferralOut],
    summary="Referrals of a case (a receiver sees only those addressed to it)",
)
def case_referrals(request: HttpRequest, case_id: UUID) -> list[dict[str, Any]]:
    actor = actor_of(request)
    view = case_open(actor=actor, case_id=case_id, via=Via.REFERRALS)
    return [referral_out(actor, r) for r in referrals_for_case(actor=actor, case=view.case)]


@router.post(
    "/cases/{case_id}/referrals",
    response={201: ReferralOut},
    summary="Refer the case to another agency for a service (needs a recorded consent)",
)
def referral_create(
    request: HttpRequest, case_id: UUID, payload: ReferralSendIn
) -> Status[dict[str, Any]]:
    actor = actor_of(request)
    case = case_for_change(actor=actor, case_id=case_id)
    with field_names(SEND_FIELDS):
        referral = referral_send(
            actor=actor,
            case=case,
            to_agency_id=payload.to_agency_id,
            service_type_id=payload.service_type_id,
            consent_id=payload.consent_id,
            sections=payload.sections,
            message=payload.message,
            reason=payload.reason,
        )
    return Status(201, _opened(actor, referral.pk))


@router.get("/referrals/inbox", response=ReferralPageOut, summary="Referrals to your agency")
def inbox(
    request: HttpRequest, page: Query[PageParams], filter_: Query[StatusFilter]
) -> dict[str, Any]:
    actor = actor_of(request)
    referrals = referrals_inbox(actor=actor, status=_status(filter_)).order_by("-sent_at", "pk")
    return page_of(referrals, page, lambda r: referral_out(actor, r))


@router.get("/referrals/sent", response=ReferralPageOut, summary="Referrals your agency sent")
def sent(
    request: HttpRequest, page: Query[PageParams], filter_: Query[StatusFilter]
) -> dict[str, Any]:
    actor = actor_of(request)
    referrals = referrals_sent(actor=actor, status=_status(filter_)).order_by("-sent_at", "pk")
    return page_of(referrals, page, lambda r: referral_out(actor, r))


@router.get(
    "/referrals/{referral_id}",
    response=ReferralOut,
    summary="Open a referral (before accepting, the receiver sees only a summary, no names)",
)
def referral_detail(request: HttpRequest, referral_id: UUID) -> dict[str, Any]:
    return _opened(actor_of(request), referral_id)


@router.post("/referrals/{referral_id}/accept", response=ReferralOut, summary="Accept")
def accept(request: HttpRequest, referral_id: UUID) -> dict[str, Any]:
    actor = actor_of(request)
    referral_accept(actor=actor, referral_id=referral_id)
    return _opened(actor, referral_id)


@router.post(
    "/referrals/{referral_id}/decline", response=ReferralOut, summary="Decline, saying why"
)
def decline(request: HttpRequest, referral_id: UUID, payload: ReferralDeclineIn) -> dict[str, Any]:
    actor = actor_of(request)
    referral = referral_decline(actor=actor, referral_id=referral_id, reason=payload.reason)
    return _opened(actor, referral.pk)


@router.post(
    "/referrals/{referral_id}/withdraw", response=ReferralOut, summary="Withdraw (sender only)"
)
def withdraw(
    request: HttpRequest, referral_id: UUID, payload: ReferralWithdrawIn | None = None
) -> dict[str, Any]:
    actor = actor_of(request)
    reason = payload.reason if payload else ""
    referral = referral_withdraw(actor=actor, referral_id=referral_id, reason=reason)
    return _opened(actor, referral.pk)


@router.post(
    "/referrals/{referral_id}/outcome",
    response=ReferralOut,
    summary="Record the service delivered or not (receiver; closes the mechanism's step)",
)
def outcome(request: HttpRequest, referral_id: UUID, payload: ReferralOutcomeIn) -> dict[str, Any]:
    actor = actor_of(request)
    referral = referral_outcome_record(
        actor=actor, referral_id=referral_id, delivered=payload.delivered
    )
    return _opened(actor, referral.pk)


@router.post(
    "/referrals/{referral_id}/resend",
    response={201: ReferralOut},
    summary="Send a declined or overdue referral to another agency in one step (sender)",
)
def resend(
    request: HttpRequest, referral_id: UUID, payload: ReferralResendIn
) -> Status[dict[str, Any]]:
    actor = actor_of(request)
    with field_names({"to_agency": "cas_ReferredOrganisation"}):
        referral = referral_resend(
            actor=actor,
            referral_id=referral_id,
            to_agency_id=payload.to_agency_id,
            consent_id=payload.consent_id,
        )
    return Status(201, _opened(actor, referral.pk))


@router.post(
    "/referrals/{referral_id}/questions",
    response={201: ReferralOut},
    summary="Ask the sender for more information before accepting or declining (receiver)",
)
def ask(
    request: HttpRequest, referral_id: UUID, payload: ReferralQuestionIn
) -> Status[dict[str, Any]]:
    actor = actor_of(request)
    asked = referral_question_ask(actor=actor, referral_id=referral_id, question=payload.question)
    return Status(201, _opened(actor, asked.referral.pk))


@router.post(
    "/referrals/{referral_id}/answer",
    response=ReferralOut,
    summary="Answer the receiver's waiting question on the same thread (sender)",
)
def answer(request: HttpRequest, referral_id: UUID, payload: ReferralAnswerIn) -> dict[str, Any]:
    actor = actor_of(request)
    answered = referral_question_answer(actor=actor, referral_id=referral_id, answer=payload.answer)
    return _opened(actor, answered.referral.pk)


# --- referrals outside Tirek -----------------------------------------------------------------


def _outside_out(outside: OutsideReferral) -> dict[str, Any]:
    return {
        "id": outside.pk,
        "case_id": outside.case_id,
        "from_agency": outside.from_agency,
        "provider": outside.provider,
        "organisation": outside.organisation,
        "service_type": outside.service_type,
        "sections": outside.sections,
        "message": outside.message,
        "sent_at": outside.sent_at,
        "sent_by_name": outside.sent_by.display_name,
        "outcome": outside.outcome,
        "outcome_at": outside.outcome_at,
        "form_url": f"/api/v1/outside-referrals/{outside.pk}/form.pdf",
        "version": outside.version,
    }


@router.get(
    "/cases/{case_id}/outside-referrals",
    response=list[OutsideReferralOut],
    summary="A case's referrals outside Tirek (owning agency)",
)
def outside_referrals(request: HttpRequest, case_id: UUID) -> list[dict[str, Any]]:
    actor = actor_of(request)
    view = case_open(actor=actor, case_id=case_id, via=Via.REFERRALS, shows=[Section.REFERRALS])
    return [_outside_out(o) for o in outside_referrals_for_case(actor=actor, case=view.case)]


@router.post(
    "/cases/{case_id}/outside-referrals",
    response={201: OutsideReferralOut},
    summary="Refer to a provider outside Tirek (a printed form; needs a recorded consent)",
)
def outside_referral_create(
    request: HttpRequest, case_id: UUID, payload: OutsideReferralIn
) -> Status[dict[str, Any]]:
    actor = actor_of(request)
    names = {
        "provider": "provider_id",
        "service_type": "service_type_id",
        "step": "checklist_item_id",
    }
    with field_names(names):
        outside = outside_referral_record(
            actor=actor,
            case_id=case_id,
            service_type_id=payload.service_type_id,
            consent_id=payload.consent_id,
            sections=payload.sections,
            provider_id=payload.provider_id,
            organisation=payload.organisation,
            message=payload.message,
            step_id=payload.checklist_item_id,
        )
    return Status(
        201, _outside_out(outside_referral_get(actor=actor, outside_referral_id=outside.pk))
    )


@router.get(
    "/outside-referrals/{outside_referral_id}/form.pdf",
    summary="The printable referral form (PDF, in the request's language; a recorded read)",
)
def outside_referral_pdf(request: HttpRequest, outside_referral_id: UUID) -> HttpResponse:
    actor = actor_of(request)
    form = outside_referral_form(actor=actor, outside_referral_id=outside_referral_id)
    response = HttpResponse(outside_form_pdf(form), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="referral-{form.outside.case.reference}.pdf"'
    )
    response["Cache-Control"] = "no-store"
    return response


@router.post(
    "/outside-referrals/{outside_referral_id}/outcome",
    response=OutsideReferralOut,
    summary="Record by hand whether the provider outside Tirek delivered the service (once)",
)
def outside_referral_outcome_record(
    request: HttpRequest, outside_referral_id: UUID, payload: ReferralOutcomeIn
) -> dict[str, Any]:
    actor = actor_of(request)
    outside = outside_referral_outcome(
        actor=actor, outside_referral_id=outside_referral_id, delivered=payload.delivered
    )
    return _outside_out(outside_referral_get(actor=actor, outside_referral_id=outside.pk))
