"""API: break-glass (open, list to review, one access, review) and the DPO's audit log."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Query, Router, Status

from tirek.accounts.mfa.reauth import reauthentication_require
from tirek.core.api_support import PageParams, actor_of, page_of
from tirek.oversight.models import BreakGlassAccess
from tirek.oversight.schemas import (
    AuditFilterIn,
    AuditPageOut,
    BreakGlassAccessOut,
    BreakGlassOpenIn,
    BreakGlassPageOut,
    BreakGlassReviewIn,
)
from tirek.oversight.selectors import (
    AuditFilter,
    audit_events,
    audit_rows,
    audit_scope,
    break_glass_for_review,
    break_glass_get,
)
from tirek.oversight.services import audit_export, break_glass_open, break_glass_review

router = Router(tags=["oversight"])


def access_out(access: BreakGlassAccess) -> dict[str, Any]:
    return {
        "id": access.pk,
        "case_id": access.case_id,
        "case_reference": access.case.reference,
        "owner_agency": access.owner_agency,
        "opened_by_name": access.user.display_name,
        "agency": access.agency,
        "reason": access.reason,
        "opened_at": access.opened_at,
        "expires_at": access.expires_at,
        "is_active": access.is_active,
        "review": access.review,
        "reviewed_by_name": access.reviewed_by.display_name if access.reviewed_by else None,
        "reviewed_at": access.reviewed_at,
        "review_comment": access.review_comment,
    }


@router.post(
    "/break-glass",
    response={201: BreakGlassAccessOut},
    summary="Open a case outside your circle in an emergency (supervisors; recorded, reviewed)",
)
def break_glass_create(request: HttpRequest, payload: BreakGlassOpenIn) -> Status[dict[str, Any]]:
    actor = actor_of(request)
    reauthentication_require(request)
    access = break_glass_open(
        actor=actor, case_reference=payload.case_reference, reason=payload.reason
    )
    return Status(201, access_out(break_glass_get(actor=actor, access_id=access.pk).access))


@router.get(
    "/break-glass/review",
    response=BreakGlassPageOut,
    summary="Emergency accesses to your agency's cases, waiting ones first (supervisors)",
)
def break_glass_review_list(request: HttpRequest, page: Query[PageParams]) -> dict[str, Any]:
    actor = actor_of(request)
    return page_of(break_glass_for_review(actor=actor), page, access_out)


@router.get(
    "/break-glass/{access_id}",
    response=BreakGlassAccessOut,
    summary="One emergency access (its opener, or the owning agency's supervisors)",
)
def break_glass_detail(request: HttpRequest, access_id: UUID) -> dict[str, Any]:
    return access_out(break_glass_get(actor=actor_of(request), access_id=access_id).access)


@router.post(
    "/break-glass/{access_id}/review",
    response=BreakGlassAccessOut,
    summary="Record whether an emergency access was justified (owning agency's supervisors)",
)
def break_glass_review_create(
    request: HttpRequest, access_id: UUID, payload: BreakGlassReviewIn
) -> dict[str, Any]:
    actor = actor_of(request)
    break_glass_get(actor=actor, access_id=access_id)  # 404 outside the owning agency
    access = break_glass_review(
        actor=actor, access_id=access_id, justified=payload.justified, comment=payload.comment
    )
    return access_out(break_glass_get(actor=actor, access_id=access.pk).access)


def _filter(payload: AuditFilterIn) -> AuditFilter:
    return AuditFilter(**payload.model_dump())


@router.get(
    "/audit/events",
    response=AuditPageOut,
    summary="The audit log, newest first (data protection officers; 404 for anyone else)",
)
def audit_event_list(
    request: HttpRequest, filters: Query[AuditFilterIn], page: Query[PageParams]
) -> dict[str, Any]:
    actor = actor_of(request)
    audit_scope(actor=actor)
    events = audit_events(actor=actor, filters=_filter(filters))
    items = audit_rows(events[page.offset : page.offset + page.limit])
    return {
        "count": events.count(),
        "limit": page.limit,
        "offset": page.offset,
        "items": [asdict(row) for row in items],
    }


@router.post(
    "/audit/export",
    response={200: None},
    summary="Export the filtered audit log as CSV (recorded as an audit event itself)",
)
def audit_export_create(request: HttpRequest, payload: AuditFilterIn) -> HttpResponse:
    actor = actor_of(request)
    audit_scope(actor=actor)
    reauthentication_require(request)
    text, _count = audit_export(actor=actor, filters=_filter(payload))
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="tirek-audit-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response
