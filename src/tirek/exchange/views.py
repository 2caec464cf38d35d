"""Data exchange pages: the HTCDS export for a partner and the de-identified CTDC dataset (built
in the background, its progress shown, kept for download for a while)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from tirek.accounts.actor import Actor
from tirek.accounts.views import actor_view
from tirek.core.views import FORM_INVALID, is_htmx
from tirek.exchange.forms import CtdcExportForm, HtcdsExportForm
from tirek.exchange.models import CtdcExport
from tirek.exchange.selectors import ctdc_export_for, ctdc_exports_of, exchange_require
from tirek.exchange.services import Export, ctdc_download, ctdc_request, htcds_export

SHOWN = 10  # the latest CTDC exports listed
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


def download(export: Export) -> HttpResponse:
    response = HttpResponse(export.body, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["Cache-Control"] = "no-store"
    return response


def ctdc_file_response(export: CtdcExport, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES.get(export.format, "text/plain"))
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _page(
    request: HttpRequest,
    actor: Actor,
    htcds: HtcdsExportForm | None = None,
    ctdc: CtdcExportForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "htcds_form": htcds or HtcdsExportForm(actor=actor),
        "ctdc_form": ctdc or CtdcExportForm(),
        "k": settings.TIREK_STATISTICS_K,
        "l": settings.TIREK_CTDC_L,
        "keep_hours": settings.TIREK_REPORT_KEEP_HOURS,
        "exports": ctdc_exports_of(actor)[:SHOWN],
    }
    return render(request, "exchange/index.html", context, status=status)


@require_http_methods(["GET", "HEAD"])
@actor_view()
def index(request: HttpRequest, actor: Actor) -> HttpResponse:
    """The two exports, with what each contains, and the person's recent CTDC exports."""
    exchange_require(actor)
    return _page(request, actor)


@require_POST
@actor_view()
def htcds(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Download the HTCDS export for the chosen partner (recorded: audit and case reads)."""
    exchange_require(actor)
    form = HtcdsExportForm(request.POST, actor=actor)
    if form.is_valid():
        try:
            export = htcds_export(
                actor=actor,
                partner_id=form.cleaned_data["partner"].pk,
                fmt=form.cleaned_data["format"],
                channel="web",
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return download(export)
    return _page(request, actor, htcds=form, status=FORM_INVALID)


@require_POST
@actor_view()
def ctdc(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Ask for the de-identified dataset: it is prepared in the background (recorded)."""
    exchange_require(actor)
    form = CtdcExportForm(request.POST)
    if not form.is_valid():
        return _page(request, actor, ctdc=form, status=FORM_INVALID)
    export = ctdc_request(actor=actor, fmt=form.cleaned_data["format"], channel="web")
    return redirect("exchange:ctdc_detail", export_id=export.pk)


@require_safe
@actor_view()
def ctdc_detail(request: HttpRequest, actor: Actor, export_id: str) -> HttpResponse:
    """One CTDC export: its progress while it is prepared (the page asks again every 2 s)."""
    export = ctdc_export_for(actor, export_id)
    template = "exchange/_ctdc_status.html" if is_htmx(request) else "exchange/ctdc_detail.html"
    return render(request, template, {"export": export})


@require_safe
@actor_view()
def ctdc_file(request: HttpRequest, actor: Actor, export_id: str) -> HttpResponse:
    """The export's file (each download recorded in the audit log)."""
    export, content = ctdc_download(actor=actor, export_id=export_id, channel="web")
    return ctdc_file_response(export, content)
