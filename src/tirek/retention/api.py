"""API: subject access export and erasure requests (close/reopen live in the cases API)."""

from __future__ import annotations

import datetime
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Router, Status

from tirek.accounts.mfa.reauth import reauthentication_require
from tirek.cases.selectors import case_view
from tirek.core.api_support import InSchema, OutSchema, actor_of
from tirek.retention.models import ErasureRequest
from tirek.retention.selectors import erasure_requests_for_case
from tirek.retention.services import (
    MAX_LEGAL_BASIS,
    erasure_execute,
    erasure_request_record,
    subject_access_export,
)

router = Router(tags=["retention and subject rights"], by_alias=True)


class ErasureRequestIn(InSchema):
    legal_basis: str = Field(
        max_length=MAX_LEGAL_BASIS,
        description="The legal basis and reason of the request (no names: say 'the person').",
    )
    received_on: datetime.date | None = Field(None, description="Default: today.")


class ErasureRequestOut(OutSchema):
    id: UUID
    received_on: datetime.date
    legal_basis: str
    created_at: datetime.datetime
    executed_at: datetime.datetime | None


@router.post(
    "/cases/{case_id}/subject-access",
    response=dict[str, Any],
    summary="Export everything held about the person of a case (owner agency; re-authenticate)",
)
def subject_access(request: HttpRequest, case_id: UUID) -> dict[str, Any]:
    actor = actor_of(request)
    case_view(actor=actor, case_id=case_id)  # 404 outside the circle first
    reauthentication_require(request)
    return subject_access_export(actor=actor, case_id=case_id)


@router.get(
    "/cases/{case_id}/erasure-requests",
    response=list[ErasureRequestOut],
    summary="The case's erasure requests (supervisor of the owner agency)",
)
def erasure_requests(request: HttpRequest, case_id: UUID) -> list[ErasureRequest]:
    actor = actor_of(request)
    view = case_view(actor=actor, case_id=case_id)
    return list(erasure_requests_for_case(actor=actor, view=view))


@router.post(
    "/cases/{case_id}/erasure-requests",
    response={201: ErasureRequestOut},
    summary="Record a person's request to erase their data (supervisor of the owner agency)",
)
def erasure_request_create(
    request: HttpRequest, case_id: UUID, payload: ErasureRequestIn
) -> Status[ErasureRequest]:
    erasure = erasure_request_record(
        actor=actor_of(request),
        case_id=case_id,
        legal_basis=payload.legal_basis,
        received_on=payload.received_on,
    )
    return Status(201, erasure)


@router.post(
    "/cases/{case_id}/erasure-requests/{request_id}/execute",
    response=ErasureRequestOut,
    summary="Erase the person's data now (supervisor of the owner agency; re-authenticate)",
)
def erasure_request_execute(
    request: HttpRequest, case_id: UUID, request_id: UUID
) -> ErasureRequest:
    actor = actor_of(request)
    case_view(actor=actor, case_id=case_id)
    reauthentication_require(request)
    return erasure_execute(actor=actor, case_id=case_id, request_id=request_id)
