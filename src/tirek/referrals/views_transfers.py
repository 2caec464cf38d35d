"""Web views for transfers of case ownership: the case page's panel and action, the proposal,
one transfer (summary, answer, withdrawal), the waiting transfers of the inbox and the page of
transfers the agency proposed.

The receiving agency sees, before it accepts, only a summary that identifies nobody.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tirek.accounts.actor import Actor
from tirek.accounts.roles import Capability
from tirek.accounts.views import actor_view
from tirek.cases.choices import LANGUAGE_CHOICES, Section, TypeOfExploitation
from tirek.cases.page import Action, case_is_open, tab_url
from tirek.cases.reads import case_open
from tirek.cases.selectors import CaseView, case_for_change, case_view
from tirek.cases.views import CasePanel, case_detail_url, case_page
from tirek.core.errors import DomainError
from tirek.core.forms import service_errors_apply
from tirek.core.views import FORM_INVALID
from tirek.referrals.forms import TransferDeclineForm, TransferForm, TransferKeptForm
from tirek.referrals.models import CaseTransfer
from tirek.referrals.selectors import case_summary
from tirek.referrals.transfers import (
    case_transfer_accept,
    case_transfer_decline,
    case_transfer_kept_reduce,
    case_transfer_propose,
    case_transfer_withdraw,
    transfer_for_owner,
    transfer_get,
    transfer_open_record,
    transfers_for_case,
    transfers_of_agency,
)


def section_labels(sections: list[str]) -> list[str]:
    labels = dict(Section.choices)
    return [str(labels.get(s, s)) for s in sections]


def _can_propose(actor: Actor, view: CaseView) -> bool:
    return (
        view.is_owner
        and actor.can(Capability.SEND_REFERRALS)
        and actor.can(Capability.EDIT_CASES)
        and case_is_open(view)
    )


# --- the case page ---------------------------------------------------------------------------


def _panel_context(
    request: HttpRequest, actor: Actor, view: CaseView, bound: Mapping[str, Any]
) -> dict[str, Any] | None:
    transfers = list(transfers_for_case(actor=actor, case=view.case))
    pending = next((t for t in transfers if t.status == CaseTransfer.Status.PROPOSED), None)
    can_propose = _can_propose(actor, view) and pending is None
    if not transfers and not can_propose:
        return None
    form = bound.get("transfer_form")
    if can_propose and form is None:
        form = TransferForm(actor=actor, view=view)
    can_reduce = view.is_owner and actor.can(Capability.EDIT_CASES)
    bound_kept = bound.get("kept_form")
    rows = []
    for t in transfers:
        kept_form = None
        if can_reduce and t.status == CaseTransfer.Status.ACCEPTED and t.kept_sections:
            kept_form = (
                bound_kept
                if bound_kept is not None and bound_kept.prefix == _kept_prefix(t)
                else _kept_form(t)
            )
        rows.append({"transfer": t, "kept": section_labels(t.kept_sections), "form": kept_form})
    return {
        "case": view.case,
        "transfers": rows,
        "pending": pending,
        "can_propose": can_propose,
        "form": form,
        "has_consent": form is not None and form.has_consent,
    }


def _kept_prefix(transfer: CaseTransfer) -> str:
    return f"kept-{transfer.pk}"


def _kept_form(transfer: CaseTransfer, data: Any = None) -> TransferKeptForm:
    kept = list(transfer.kept_sections)
    return TransferKeptForm(
        data,
        kept=kept,
        prefix=_kept_prefix(transfer),
        initial={"kept_sections": kept, "version": transfer.version},
    )


TRANSFER_PANEL = CasePanel(
    name="transfer",
    order=40,
    template="referrals/_transfer_panel.html",
    context=_panel_context,
    tab="referrals",
    forms=("transfer_form", "kept_form"),
    anchors=("transfer",),
)


def transfer_actions(actor: Actor, view: CaseView) -> list[Action]:
    """Handing the case to another agency that is to carry it on."""
    if not _can_propose(actor, view):
        return []
    return [
        Action(_("Transfer the case"), tab_url(view.case.pk, "referrals", "transfer"), order=80)
    ]


@require_POST
@actor_view(Capability.SEND_REFERRALS)
def transfer_propose_view(request: HttpRequest, actor: Actor, case_id: str) -> HttpResponse:
    case = case_for_change(actor=actor, case_id=case_id)
    view = case_view(actor=actor, case_id=case.pk)
    form = TransferForm(request.POST, actor=actor, view=view)
    form.is_valid()  # the service checks everything; the form only parses
    data = getattr(form, "cleaned_data", {})
    try:
        transfer = case_transfer_propose(
            actor=actor,
            case_id=case.pk,
            to_agency_id=data["to_agency"].pk if data.get("to_agency") else None,
            consent_id=data["consent"].pk if data.get("consent") else None,
            kept_sections=list(data.get("kept_sections") or []),
            reason=data.get("reason") or "",
        )
    except ValidationError as error:
        service_errors_apply(error, form, only_new=True)
    except DomainError as error:
        form.add_error(None, str(error.message))
    else:
        if not form.errors:
            messages.success(
                request,
                _("Transfer proposed to %(agency)s: the case stays yours until it accepts.")
                % {"agency": transfer.to_agency.label},
            )
            return redirect(case_detail_url(case.pk, "referrals"))
    view = case_open(actor=actor, case_id=case.pk)
    return case_page(request, actor, view, bound={"transfer_form": form}, status=FORM_INVALID)


@require_POST
@actor_view(Capability.EDIT_CASES)
def transfer_kept_view(request: HttpRequest, actor: Actor, transfer_id: str) -> HttpResponse:
    """The owning agency unticks sections the previous owner of the case keeps seeing."""
    transfer = transfer_for_owner(actor, transfer_id)
    form = _kept_form(transfer, request.POST)
    form.is_valid()  # parses the version; the service judges the sections (never more)
    form.errors.pop("kept_sections", None)
    version = getattr(form, "cleaned_data", {}).get("version")
    try:
        case_transfer_kept_reduce(
            actor=actor,
            transfer_id=transfer.pk,
            kept_sections=request.POST.getlist(form.add_prefix("kept_sections")),
            expected_version=version if version is not None else -1,
        )
    except ValidationError as error:
        service_errors_apply(error, form)
    except DomainError as error:
        if error.status_code in (403, 404):
            raise
        form.add_error(None, str(error.message))
    else:
        if not form.errors:
            messages.success(
                request,
                _("%(agency)s now keeps seeing less of this case.")
                % {"agency": transfer.from_agency.label},
            )
            return redirect(case_detail_url(transfer.case_id, "referrals"))
    view = case_open(actor=actor, case_id=transfer.case_id)
    return case_page(request, actor, view, bound={"kept_form": form}, status=FORM_INVALID)


# --- one transfer ----------------------------------------------------------------------------


def _detail_context(actor: Actor, transfer: CaseTransfer, **extra: Any) -> dict[str, Any]:
    agency_id = actor.membership.agency_id
    is_receiver = transfer.to_agency_id == agency_id
    is_sender = transfer.from_agency_id == agency_id
    waiting = transfer.status == CaseTransfer.Status.PROPOSED
    summary = case_summary(transfer.case)
    exploitation = dict(TypeOfExploitation.choices)
    return {
        "transfer": transfer,
        "summary": summary,
        "exploitation": [str(exploitation.get(t, t)) for t in summary.types_of_exploitation],
        "language": str(dict(LANGUAGE_CHOICES).get(summary.primary_language, "—")),
        "kept": section_labels(transfer.kept_sections),
        "is_receiver": is_receiver,
        "can_decide": is_receiver and waiting and actor.can(Capability.DECIDE_REFERRALS),
        "can_withdraw": is_sender and waiting and actor.can(Capability.SEND_REFERRALS),
        "decline_form": TransferDeclineForm(),
    } | extra


@actor_view(Capability.READ_CASES)
def transfer_detail(request: HttpRequest, actor: Actor, transfer_id: str) -> HttpResponse:
    transfer = transfer_get(actor=actor, transfer_id=transfer_id)
    transfer_open_record(actor=actor, transfer=transfer)
    return render(request, "referrals/transfer.html", _detail_context(actor, transfer))


def _refused(request: HttpRequest, actor: Actor, transfer_id: str, **extra: Any) -> HttpResponse:
    """The transfer's page again with what went wrong (a 422, so HTMX swaps it in)."""
    transfer = transfer_get(actor=actor, transfer_id=transfer_id)
    context = _detail_context(actor, transfer, **extra)
    return render(request, "referrals/transfer.html", context, status=FORM_INVALID)


@require_POST
@actor_view(Capability.DECIDE_REFERRALS)
def transfer_accept_view(request: HttpRequest, actor: Actor, transfer_id: str) -> HttpResponse:
    try:
        transfer = case_transfer_accept(actor=actor, transfer_id=transfer_id)
    except DomainError as error:
        if error.status_code in (403, 404):
            raise
        return _refused(request, actor, transfer_id, error=str(error.message))
    messages.success(request, _("Your agency now owns this case."))
    return redirect(case_detail_url(transfer.case_id))


@require_POST
@actor_view(Capability.DECIDE_REFERRALS)
def transfer_decline_view(request: HttpRequest, actor: Actor, transfer_id: str) -> HttpResponse:
    form = TransferDeclineForm(request.POST)
    form.is_valid()  # the service decides who may decline before it looks at the reason
    reason = getattr(form, "cleaned_data", {}).get("reason", "")
    try:
        case_transfer_decline(actor=actor, transfer_id=transfer_id, reason=reason)
    except ValidationError as error:
        service_errors_apply(error, form, only_new=True)
    except DomainError as error:
        if error.status_code in (403, 404):
            raise
        form.add_error(None, str(error.message))
    else:
        if not form.errors:
            messages.success(request, _("Transfer declined: the proposing agency is told why."))
            return redirect("referrals:transfer", transfer_id)
    return _refused(request, actor, transfer_id, decline_form=form)


@require_POST
@actor_view(Capability.SEND_REFERRALS)
def transfer_withdraw_view(request: HttpRequest, actor: Actor, transfer_id: str) -> HttpResponse:
    try:
        case_transfer_withdraw(actor=actor, transfer_id=transfer_id)
    except DomainError as error:
        if error.status_code in (403, 404):
            raise
        return _refused(request, actor, transfer_id, error=str(error.message))
    messages.success(request, _("Transfer withdrawn: the case stays with your agency."))
    if request.POST.get("next") == "sent":  # withdrawn from the list of sent transfers
        return redirect("referrals:transfers_sent")
    return redirect("referrals:transfer", transfer_id)


# --- the inbox -------------------------------------------------------------------------------


def transfers_waiting_rows(actor: Actor) -> list[dict[str, Any]]:
    """The transfers waiting for the actor's agency's answer, oldest first, with the summary a
    waiting referral shows (no names). One query for the whole list."""
    waiting = transfers_of_agency(actor=actor, status=CaseTransfer.Status.PROPOSED)
    return [
        {"transfer": t, "summary": case_summary(t.case)}
        for t in waiting.order_by("proposed_at")[:200]
    ]


def _transfer_status_filter(request: HttpRequest) -> str:
    status = request.GET.get("status", "")
    return status if status in CaseTransfer.Status.values else ""


@actor_view(Capability.READ_CASES)
def transfers_sent(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Transfers the actor's agency proposed, waiting ones first, then the newest: to whom, the
    summary a receiver sees (no names), the answer; a waiting one can be withdrawn here."""
    status = _transfer_status_filter(request)
    waiting_first = models.Case(
        models.When(status=CaseTransfer.Status.PROPOSED, then=models.Value(0)),
        default=models.Value(1),
        output_field=models.IntegerField(),
    )
    sent = transfers_of_agency(actor=actor, direction="sent", status=status or None)
    can_withdraw = actor.can(Capability.SEND_REFERRALS)
    rows = [
        {
            "transfer": t,
            "summary": case_summary(t.case),
            "kept": section_labels(t.kept_sections),
            "can_withdraw": can_withdraw and t.status == CaseTransfer.Status.PROPOSED,
        }
        for t in sent.order_by(waiting_first, "-proposed_at", "pk")[:200]
    ]
    context = {"rows": rows, "status": status, "statuses": CaseTransfer.Status.choices}
    return render(request, "referrals/transfers_sent.html", context)
