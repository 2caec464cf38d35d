"""API: transfer a case to another agency (propose, list, open, accept, decline, withdraw)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from tirek.accounts.actor import Actor
from tirek.cases.choices import Section
from tirek.cases.reads import Via, case_open
from tirek.core.api_support import PageParams, actor_of, field_names, page_of
from tirek.referrals.models import CaseTransfer
from tirek.referrals.schemas import (
    TransferDeclineIn,
    TransferKeptIn,
    TransferOut,
    TransferPageOut,
    TransferProposeIn,
)
from tirek.referrals.selectors import case_summary
from tirek.referrals.transfers import (
    case_transfer_accept,
    case_transfer_decline,
    case_transfer_kept_reduce,
    case_transfer_propose,
    case_transfer_withdraw,
    transfer_get,
    transfer_open_record,
    transfers_for_case,
    transfers_of_agency,
)

router = Router(tags=["transfers"], by_alias=True)

PROPOSE_FIELDS = {"to_agency": "to_agency_id", "consent": "consent_id"}


class TransferFilter(Schema):
    direction: str = "received"
    status: str | None = None


def _filter(filter_: TransferFilter) -> tuple[str, str | None]:
    errors: dict[str, list[str]] = {}
    if filter_.direction not in ("received", "sent"):
        errors["direction"] = [_("Use one of: %(values)s.") % {"values": "received, sent"}]
    if filter_.status and filter_.status not in CaseTransfer.Status.values:
        values = ", ".join(CaseTransfer.Status.values)
        errors["status"] = [_("Use one of: %(values)s.") % {"values": values}]
    if errors:
        raise ValidationError(errors)
    return filter_.direction, filter_.status or None


def transfer_out(transfer: CaseTransfer) -> dict[str, Any]:
    return {
        "id": transfer.pk,
        "case_id": transfer.case_id,
        "case_reference": transfer.case.reference,
        "status": transfer.status,
        "status_label": transfer.get_status_display(),
        "from_agency": transfer.from_agency,
        "to_agency": transfer.to_agency,
        "kept_sections": transfer.kept_sections,
        "reason": transfer.reason,
        "proposed_at": transfer.proposed_at,
        "proposed_by_name": transfer.proposed_by.display_name,
        "decided_at": transfer.decided_at,
        "decided_by_name": transfer.decided_by.display_name if transfer.decided_by else None,
        "decision_reason": transfer.decision_reason,
        "version": transfer.version,
        "summary": asdict(case_summary(transfer.case)),
    }


def _reloaded(actor: Actor, transfer: CaseTransfer) -> dict[str, Any]:
    return transfer_out(transfer_get(actor=actor, transfer_id=transfer.pk))


@router.get(
    "/cases/{case_id}/transfers",
    response=list[TransferOut],
    summary="Transfers of a case's ownership (the owner sees all, others their own)",
)
def case_transfers(request: HttpRequest, case_id: UUID) -> list[dict[str, Any]]:
    actor = actor_of(request)
    view = case_open(actor=actor, case_id=case_id, via=Via.REFERRALS, shows=[Section.REFERRALS])
    return [transfer_out(t) for t in transfers_for_case(actor=actor, case=view.case)]


@router.post(
    "/cases/{case_id}/transfers",
    response={201: TransferOut},
    summary="Propose that another agency own the case (needs the person's consent to share it all)",
)
def transfer_propose(
    request: HttpRequest, case_id: UUID, payload: TransferProposeIn
) -> Status[dict[str, Any]]:
    actor = actor_of(request)
    with field_names(PROPOSE_FIELDS):
        transfer = case_transfer_propose(
            actor=actor,
            case_id=case_id,
            to_agency_id=payload.to_agency_id,
            consent_id=payload.consent_id,
            kept_sections=payload.kept_sections,
            reason=payload.reason,
        )
    return Status(201, _reloaded(actor, transfer))


@router.get(
    "/transfers",
    response=TransferPageOut,
    summary="Transfers proposed to your agency (direction=received) or by it (direction=sent)",
)
def transfers(
    request: HttpRequest, page: Query[PageParams], filter_: Query[TransferFilter]
) -> dict[str, Any]:
    actor = actor_of(request)
    direction, status = _filter(filter_)
    rows = transfers_of_agency(actor=actor, direction=direction, status=status)
    return page_of(rows.order_by("-proposed_at", "pk"), page, transfer_out)


@router.get(
    "/transfers/{transfer_id}",
    response=TransferOut,
    summary="Open a transfer (before accepting, the receiver sees only a summary, no names)",
)
def transfer_detail(request: HttpRequest, transfer_id: UUID) -> dict[str, Any]:
    actor = actor_of(request)
    transfer = transfer_get(actor=actor, transfer_id=transfer_id)
    transfer_open_record(actor=actor, transfer=transfer)
    return transfer_out(transfer)


@router.post(
    "/transfers/{transfer_id}/accept",
    response=TransferOut,
    summary="Accept: your agency owns the case (409 if it was answered or changed meanwhile)",
)
def accept(request: HttpRequest, transfer_id: UUID) -> dict[str, Any]:
    actor = actor_of(request)
    return _reloaded(actor, case_transfer_accept(actor=actor, transfer_id=transfer_id))


@router.post(
    "/transfers/{transfer_id}/decline", response=TransferOut, summary="Decline, saying why"
)
def decline(request: HttpRequest, transfer_id: UUID, payload: TransferDeclineIn) -> dict[str, Any]:
    actor = actor_of(request)
    transfer = case_transfer_decline(actor=actor, transfer_id=transfer_id, reason=payload.reason)
    return _reloaded(actor, transfer)


@router.post(
    "/transfers/{transfer_id}/withdraw",
    response=TransferOut,
    summary="Withdraw a transfer not answered yet (proposing agency)",
)
def withdraw(request: HttpRequest, transfer_id: UUID) -> dict[str, Any]:
    actor = actor_of(request)
    return _reloaded(actor, case_transfer_withdraw(actor=actor, transfer_id=transfer_id))


@router.post(
    "/transfers/{transfer_id}/kept",
    response=TransferOut,
    summary="Reduce what the previous owner keeps seeing (the case's owning agency; never more)",
)
def kept_reduce(request: HttpRequest, transfer_id: UUID, payload: TransferKeptIn) -> dict[str, Any]:
    actor = actor_of(request)
    transfer = case_transfer_kept_reduce(
        actor=actor,
        transfer_id=transfer_id,
        kept_sections=payload.kept_sections,
        expected_version=payload.version,
    )
    return transfer_out(transfer)  # the owner may be neither the proposer nor the receiver
