"""Data exchange pages: the HTCDS export for a partner and the de-identified CTDC dataset."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods, require_POST

from tirek.accounts.actor import Actor
from tirek.accounts.views import actor_view
from tirek.core.views import FORM_INVALID
from tirek.exchange.forms import CtdcExportForm, HtcdsExportForm
from tirek.exchange.selectors import exchange_require
from tirek.exchange.services import Export, ctdc_export, htcds_export


def download(export: Export) -> HttpResponse:
    response = HttpResponse(export.body, content_type=export.content_type)
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
    }
    return render(request, "exchange/index.html", context, status=status)


@require_http_methods(["GET", "HEAD"])
@actor_view()
def index(request: HttpRequest, actor: Actor) -> HttpResponse:
    """The two exports, with what each contains."""
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
    """Download the de-identified dataset (recorded in the audit log)."""
    exchange_require(actor)
    form = CtdcExportForm(request.POST)
    if not form.is_valid():
        return _page(request, actor, ctdc=form, status=FORM_INVALID)
    return download(ctdc_export(actor=actor, fmt=form.cleaned_data["format"], channel="web"))
