"""Web views: the personal-data panel of the case page, closing and reopening a case, the
subject access export and erasure on request. Thin: parse, call a service, render."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tirek.accounts.actor import Actor
from tirek.accounts.mfa.reauth import sensitive_action
from tirek.accounts.roles import Capability
from tirek.accounts.views import actor_view
from tirek.cases.page import owner_only
from tirek.cases.reads import case_open
from tirek.cases.selectors import CaseView, case_for_change, case_view
from tirek.cases.services import CLOSED_STATUSES, case_close, case_reopen
from tirek.cases.views import CasePanel, case_detail_url, case_page
from tirek.core.errors import ConcurrentUpdate, Forbidden, NotFound
from tirek.core.forms import service_errors_apply
from tirek.core.views import FORM_INVALID
from tirek.retention.forms import CaseCloseForm, CaseReopenForm, ErasureRequestForm
from tirek.retention.models import ErasureRequest
from tirek.retention.policy import can_handle_erasure
from tirek.retention.selectors import erasure_requests_for_case
from tirek.retention.services import (
    erasure_execute,
    erasure_request_record,
    subject_access_export,
)

ANCHOR = "personal-data"


def _panel_context(
    request: HttpRequest, actor: Actor, view: CaseView, bound: Mapping[str, Any]
) -> dict[str, Any] | None:
    if not view.is_owner:
        return None
    case = view.case
    version = {"expected_version": case.version}
    return {
        "case": case,
        "is_closed": case.status in CLOSED_STATUSES,
        "is_anonymised": case.anonymised_at is not None,
        "can_edit": actor.can(Capability.EDIT_CASES) and case.anonymised_at is None,
        "can_erase": can_handle_erasure(actor, view) and case.anonymised_at is None,
        "close_form": bound.get("close_form") or CaseCloseForm(initial=version),
        "reopen_form": CaseReopenForm(initial=version),
        "erasure_form": bound.get("erasure_form") or ErasureRequestForm(),
        "erasure_requests": (
            list(erasure_requests_for_case(actor=actor, view=view))
            if can_handle_erasure(actor, view)
            else []
        ),
        "error": bound.get("closure_error"),
    }


PERSONAL_DATA_PANEL = CasePanel(
    name="personal_data",
    order=90,
    template="retention/_case_closure.html",
    context=_panel_context,
    tab="record",
    visible_for=owner_only,
    forms=("close_form", "erasure_form", "closure_error"),
    anchors=(ANCHOR,),
)


def _back(case_id: object) -> HttpResponse:
    return redirect(case_detail_url(case_id, ANCHOR))


@require_POST
@actor_view(Capability.EDIT_CASES)
def case_close_view(request: HttpRequest, actor: Actor, case_id: str) -> HttpResponse:
    case = case_for_change(actor=actor, case_id=case_id)
    form = CaseCloseForm(request.POST)
    bound: dict[str, Any] = {"close_form": form}
    status = FORM_INVALID
    if form.is_valid():
        data = form.cleaned_data
        try:
            case_close(
                actor=actor,
                case=case,
                expected_version=data["expected_version"],
                status=data["status"],
                reason=data["reason"],
            )
        except ValidationError as error:
            service_errors_apply(error, form)
        except ConcurrentUpdate as error:
            bound = {"closure_error": error.message}
            status = error.status_code
        else:
            messages.success(request, _("Case closed."))
            return _back(case.pk)
    view = case_open(actor=actor, case_id=case.pk)
    return case_page(request, actor, view, bound=bound, status=status)


@require_POST
@actor_view(Capability.EDIT_CASES)
def case_reopen_view(request: HttpRequest, actor: Actor, case_id: str) -> HttpResponse:
    case = case_for_change(actor=actor, case_id=case_id)
    form = CaseReopenForm(request.POST)
    if not form.is_valid():
        return _back(case.pk)
    try:
        case_reopen(actor=actor, case=case, expected_version=form.cleaned_data["expected_version"])
    except ConcurrentUpdate as error:
        view = case_open(actor=actor, case_id=case.pk)
        return case_page(
            request, actor, view, bound={"closure_error": error.message}, status=error.status_code
        )
    messages.success(request, _("Case reopened."))
    return _back(case.pk)


def _owned_view(actor: Actor, case_id: str) -> CaseView:
    view = case_view(actor=actor, case_id=case_id)
    if not view.is_owner:
        raise Forbidden(_("Only the agency that owns the case can do this."))
    return view


@actor_view(Capability.READ_CASES)
@sensitive_action
def subject_access_view(request: HttpRequest, actor: Actor, case_id: str) -> HttpResponse:
    """GET: what the export holds; POST: download it as a JSON file (recorded)."""
    view = _owned_view(actor, case_id)
    if request.method != "POST":
        return render(request, "retention/subject_access.html", {"case": view.case})
    export = subject_access_export(actor=actor, case_id=view.case.pk)
    response = HttpResponse(
        json.dumps(export, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    filename = f"subject-access-{view.case.reference}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@actor_view(Capability.ERASE_PERSONAL_DATA)
def erasure_request_view(request: HttpRequest, actor: Actor, case_id: str) -> HttpResponse:
    form = ErasureRequestForm(request.POST)
    if form.is_valid():
        try:
            erasure_request_record(
                actor=actor,
                case_id=case_id,
                legal_basis=form.cleaned_data["legal_basis"],
                received_on=form.cleaned_data["received_on"],
            )
        except ValidationError as error:
            service_errors_apply(error, form)
        else:
            messages.success(request, _("Erasure request recorded."))
            return redirect(case_detail_url(case_id, ANCHOR))
    view = _owned_view(actor, case_id)
    return case_page(request, actor, view, bound={"erasure_form": form}, status=FORM_INVALID)


@actor_view(Capability.ERASE_PERSONAL_DATA)
@sensitive_action
def erasure_execute_view(
    request: HttpRequest, actor: Actor, case_id: str, request_id: str
) -> HttpResponse:
    """GET: confirm (erasure cannot be undone); POST: erase now."""
    view = _owned_view(actor, case_id)
    erasure = ErasureRequest.objects.filter(pk=request_id, case=view.case).first()
    if erasure is None:
        raise NotFound()
    if request.method != "POST":
        return render(
            request, "retention/erasure_confirm.html", {"case": view.case, "erasure": erasure}
        )
    erasure_execute(actor=actor, case_id=view.case.pk, request_id=erasure.pk)
    messages.success(request, _("The person's data was erased."))
    return redirect(case_detail_url(view.case.pk, ANCHOR))
