"""API: the same exports as the data exchange page (supervisors and coordinators)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status

from tirek.core.api_support import actor_of
from tirek.exchange.models import CtdcExport
from tirek.exchange.schemas import CtdcExportIn, CtdcExportOut, HtcdsExportIn
from tirek.exchange.selectors import ctdc_export_for, ctdc_exports_of
from tirek.exchange.services import ctdc_download, ctdc_request, htcds_export
from tirek.exchange.views import SHOWN, ctdc_file_response, download

router = Router(tags=["data exchange"])


@router.post(
    "/exchange/htcds",
    response={200: None},
    summary="The agency's cases in HTCDS 2.0 fields for a partner, only what each person "
    "consented to share with it (CSV or JSON; every case recorded as read)",
)
def exchange_htcds(request: HttpRequest, payload: HtcdsExportIn) -> HttpResponse:
    export = htcds_export(
        actor=actor_of(request), partner_id=payload.partner_id, fmt=payload.format, channel="api"
    )
    return download(export)


def ctdc_out(export: CtdcExport) -> dict[str, Any]:
    done = export.status == CtdcExport.Status.DONE
    return {
        "id": export.pk,
        "format": export.format,
        "status": export.status,
        "status_label": export.get_status_display(),
        "progress": export.progress,
        "k": export.k or None,
        "l": export.l_div or None,
        "rows": export.rows if done else None,
        "suppressed": export.suppressed if done else None,
        "counted_once": export.merged if done else None,
        "uncertain_duplicates": export.uncertain if done else None,
        "created_at": export.created_at,
        "finished_at": export.finished_at,
        "expires_at": export.expires_at,
        "download": f"/api/v1/exchange/ctdc/{export.pk}/file" if done else None,
    }


@router.post(
    "/exchange/ctdc",
    response={202: CtdcExportOut},
    summary="Ask for every presumed and identified victim once, de-identified in the shape of "
    "the CTDC global dataset (k-anonymous, l-diverse; CSV or JSON), prepared in the background",
)
def exchange_ctdc(request: HttpRequest, payload: CtdcExportIn) -> Status[dict[str, Any]]:
    export = ctdc_request(actor=actor_of(request), fmt=payload.format, channel="api")
    return Status(202, ctdc_out(export))


@router.get(
    "/exchange/ctdc", response=list[CtdcExportOut], summary="The CTDC exports you asked for lately"
)
def exchange_ctdc_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [ctdc_out(export) for export in ctdc_exports_of(actor_of(request))[:SHOWN]]


@router.get(
    "/exchange/ctdc/{export_id}", response=CtdcExportOut, summary="One CTDC export's progress"
)
def exchange_ctdc_detail(request: HttpRequest, export_id: UUID) -> dict[str, Any]:
    return ctdc_out(ctdc_export_for(actor_of(request), export_id))


@router.get(
    "/exchange/ctdc/{export_id}/file",
    response={200: None},
    summary="Download a finished CTDC export (each download recorded); 404 once deleted",
)
def exchange_ctdc_file(request: HttpRequest, export_id: UUID) -> HttpResponse:
    export, content = ctdc_download(actor=actor_of(request), export_id=export_id, channel="api")
    return ctdc_file_response(export, content)
