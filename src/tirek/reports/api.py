"""API: ask for an official report, follow its progress, download it (its requester only)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status

from tirek.core.api_support import actor_of
from tirek.reports.models import ReportRun
from tirek.reports.schemas import ReportIn, ReportOut
from tirek.reports.selectors import SHOWN, report_for, reports_of
from tirek.reports.services import report_download, report_request
from tirek.reports.views import file_response

router = Router(tags=["reports"])


def report_out(report: ReportRun) -> dict[str, Any]:
    ready = report.status == ReportRun.Status.DONE
    return {
        "id": report.pk,
        "kind": report.kind,
        "year": report.year,
        "quarter": report.quarter,
        "scope": report.scope,
        "language": report.language,
        "format": report.format,
        "privacy": report.privacy,
        "epsilon": report.epsilon,
        "delta": report.delta,
        "mechanism": report.mechanism or None,
        "status": report.status,
        "status_label": report.get_status_display(),
        "progress": report.progress,
        "created_at": report.created_at,
        "finished_at": report.finished_at,
        "expires_at": report.expires_at,
        "download": f"/api/v1/reports/{report.pk}/file" if ready else None,
    }


@router.post(
    "/reports",
    response={202: ReportOut},
    summary="Ask for a quarterly or annual report (PDF or XLSX, kk/ru/en); it is prepared in "
    "the background (coordinators and supervisors; differential privacy: coordinators only)",
)
def reports_create(request: HttpRequest, payload: ReportIn) -> Status[dict[str, Any]]:
    report = report_request(
        actor=actor_of(request),
        kind=payload.kind,
        year=payload.year,
        quarter=payload.quarter,
        scope=payload.scope,
        language=payload.language,
        fmt=payload.format,
        channel="api",
        privacy=payload.privacy,
        epsilon=payload.epsilon,
        mechanism=payload.mechanism,
    )
    return Status(202, report_out(report))


@router.get("/reports", response=list[ReportOut], summary="The reports you asked for lately")
def reports_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [report_out(report) for report in reports_of(actor_of(request))[:SHOWN]]


@router.get("/reports/{report_id}", response=ReportOut, summary="One report's progress")
def reports_detail(request: HttpRequest, report_id: UUID) -> dict[str, Any]:
    return report_out(report_for(actor_of(request), report_id))


@router.get(
    "/reports/{report_id}/file",
    response={200: None},
    summary="Download a finished report (recorded); 404 once its file was deleted",
)
def reports_file(request: HttpRequest, report_id: UUID) -> HttpResponse:
    report, content = report_download(actor=actor_of(request), report_id=report_id, channel="api")
    return file_response(report, content)
