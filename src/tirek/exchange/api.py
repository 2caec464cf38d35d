"""API: the same exports as the data exchange page (supervisors and coordinators)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Router

from tirek.core.api_support import actor_of
from tirek.exchange.schemas import CtdcExportIn, HtcdsExportIn
from tirek.exchange.services import ctdc_export, htcds_export
from tirek.exchange.views import download

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


@router.post(
    "/exchange/ctdc",
    response={200: None},
    summary="Every presumed and identified victim once, de-identified in the shape of the CTDC "
    "global dataset, k-anonymous (CSV or JSON)",
)
def exchange_ctdc(request: HttpRequest, payload: CtdcExportIn) -> HttpResponse:
    return download(ctdc_export(actor=actor_of(request), fmt=payload.format, channel="api"))
