"""Web views for referrals: the case page's referrals panel, inbox, sent list and answers.

A receiving agency sees, before it accepts, only a summary that identifies nobody.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tirek.accounts.actor import Actor
from tirek.accounts.roles import Capability
from tirek.accounts.views import actor_view
from tirek.cases.choices import LANGUAGE_CHOICES, NrmStage, TypeOfExploitation
from tirek.cases.page import Action, Due, case_is_open, tab_url
from tirek.cases.reads import case_open
from tirek.cases.selectors import CaseView, case_for_change, case_view
from tirek.cases.views import CasePanel, case_detail_url, case_page
from tirek.core.errors import Forbidden, InvalidState
from tirek.core.forms import service_errors_apply
from tirek.core.views import FORM_INVALID, is_htmx
from tirek.referrals.forms import (
    OutsideReferralForm,
    ReferralAnswerForm,
    ReferralDeclineForm,
    ReferralForm,
    ReferralQuestionForm,
    ReferralWithdrawForm,
)
from tirek.referrals.models import INFORMATION_REQUESTED, Referral
from tirek.referrals.outside import (
    outside_referral_check,
    outside_referral_form,
    outside_referral_outcome,
    outside_referral_record,
    outside_referrals_for_case,
)
from tirek.referrals.pdf import outside_form_pdf
from tirek.referrals.questions import referral_question_answer, referral_question_ask
from tirek.referrals.selectors import (
    providers_for_case,
    questions_waiting_for_case,
    referral_get,
    referral_questions,
    referral_summary,
    referrals_for_case,
    referrals_inbox,
    referrals_sent,
)
from tirek.referrals.services import (
    referral_accept,
    referral_decline,
    referral_open_record,
    referral_outcome_record,
    referral_resend,
    referral_send,
    referral_withdraw,
)
from tirek.referrals.views_transfers import section_labels as _section_labels

# --- the case page's panel -----------------------------------------------------------------


def _panel_context(
    request: HttpRequest, actor: Actor, view: CaseView, bound: Mapping[str, Any]
) -> dict[str, Any] | None:
    referrals = list(referrals_for_case(actor=actor, case=view.case))
    can_send = view.is_owner and actor.can(Capability.SEND_REFERRALS)
    outside = list(outside_referrals_for_case(actor=actor, case=view.case))
    if not referrals and not outside and not can_send:
        return None
    outside_form = bound.get("outside_form")
    if can_send and outside_form is None:
        outside_form = OutsideReferralForm(actor=actor, view=view)
    form = bound.get("referral_form")
    if can_send and form is None:
        form = ReferralForm(actor=actor, view=view)
    offers: list[Any] = []
    if can_send and form is not None and form.is_bound:
        offers = providers_for_case(
            actor=actor, case=view.case, service_type=form.data.get("service_type", "")
        )
    return {
        "case": view.case,
        "referrals": [{"referral": r, "sections": _section_labels(r.sections)} for r in referrals],
        "offers": offers,
        "can_send": can_send,
        "form": form,
        "outside": [{"referral": o, "sections": _section_labels(o.sections)} for o in outside],
        "outside_form": outside_form,
    }


REFERRALS_PANEL = CasePanel(
    name="referrals",
    order=20,
    template="referrals/_referrals_panel.html",
    context=_panel_context,
    tab="referrals",
    forms=("referral_form", "outside_form"),
    anchors=("outside",),
)


def referral_actions(actor: Actor, view: CaseView) -> list[Action]:
    """Referring to a service is the next step once the person is assisted."""
    if not (view.is_owner and actor.can(Capability.SEND_REFERRALS) and case_is_open(view)):
        return []
    later = view.case.nrm_stage != NrmStage.IDENTIFICATION
    return [
        Action(
            _("Refer to a service"),
            tab_url(view.case.pk, "referrals", "referrals"),
            order=30,
            primary=later,
        )
    ]


@require_POST
@actor_view(Capability.SEND_REFERRALS)
def referral_send_view(request: HttpRequest, actor: Actor, case_id: str) -> HttpResponse:
    case = case_for_change(actor=actor, case_id=case_id)
    view = case_view(actor=actor, case_id=case.pk)
    form = ReferralForm(request.POST, actor=actor, view=view)
    if form.is_valid():
        data = form.cleaned_data
        try:
            referral = referral_send(
                actor=actor,
                case=case,
                to_agency_id=data["to_agency"].pk,
                service_type_id=data["service_type"].pk,
                consent_id=data["consent"].pk,
                sections=list(data["sections"]),
                message=data["message"],
                reason=data["reason"],
            )
        except ValidationError as error:
            service_errors_apply(error, form)
        except InvalidState as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(
                request,
                _("Referral sent to %(agency)s.") % {"agency": referral.to_agency.label},
            )
            return redirect(case_detail_url(case.pk, "referrals"))
    view = case_open(actor=actor, case_id=case.pk)
    return case_page(request, actor, view, bound={"referral_form": form}, status=FORM_INVALID)


@actor_view(Capability.SEND_REFERRALS)
def referral_providers(request: HttpRequest, actor: Actor, case_id: str) -> HttpResponse:
    """The providers of the chosen service that fit the person, with their free places."""
    case = case_for_change(actor=actor, case_id=case_id)
    service_type = request.GET.get("service_type", "")
    offers = providers_for_case(actor=actor, case=case, service_type=service_type)
    return render(
        request, "referrals/_providers.html", {"offers": offers, "asked": bool(service_type)}
    )


# --- lists ---------------------------------------------------------------------------------


def _status_filter(request: HttpRequest) -> str:
    status = request.GET.get("status", "")
    return status if status in Referral.Status.values else ""


@actor_view(Capability.READ_CASES)
def referral_inbox(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Referrals received by the agency: waiting ones first, the most overdue first among them,
    then the newest."""
    status = _status_filter(request)
    waiting_first = models.Case(
        models.When(status=Referral.Status.SENT, then=models.Value(0)),
        default=models.Value(1),
        output_field=models.IntegerField(),
    )
    referrals = referrals_inbox(actor=actor, status=status or None).order_by(
        waiting_first, models.F("due_at").asc(nulls_last=True), "-sent_at"
    )
    rows = [{"referral": r, "summary": referral_summary(r)} for r in referrals[:200]]
    from tirek.referrals.views_transfers import transfers_waiting_rows

    return render(
        request,
        "referrals/inbox.html",
        {
            "rows": rows,
            "status": status,
            "statuses": Referral.Status.choices,
            "transfers": transfers_waiting_rows(actor),
        },
    )


@actor_view(Capability.READ_CASES)
def referral_sent_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    status = _status_filter(request)
    referrals = referrals_sent(actor=actor, status=status or None)[:200]
    return render(
        request,
        "referrals/sent.html",
        {"referrals": referrals, "status": status, "statuses": Referral.Status.choices},
    )


# --- one referral --------------------------------------------------------------------------


def _detail_context(actor: Actor, referral: Referral) -> dict[str, Any]:
    is_receiver = referral.to_agency_id == actor.membership.agency_id
    is_sender = referral.from_agency_id == actor.membership.agency_id
    summary = referral_summary(referral)
    exploitation = dict(TypeOfExploitation.choices)
    waiting = referral.status == Referral.Status.SENT
    asking = referral.information == INFORMATION_REQUESTED
    return {
        "referral": referral,
        "questions": referral_questions(referral),
        "can_ask": is_receiver
        and waiting
        and not asking
        and actor.can(Capability.DECIDE_REFERRALS),
        "can_answer": is_sender and waiting and asking and actor.can(Capability.SEND_REFERRALS),
        "question_form": ReferralQuestionForm(),
        "answer_form": ReferralAnswerForm(),
        "is_receiver": is_receiver,
        "is_sender": is_sender,
        "is_waiting": referral.status == Referral.Status.SENT,
        "summary": summary,
        "exploitation": [str(exploitation.get(t, t)) for t in summary.types_of_exploitation],
        "language": str(dict(LANGUAGE_CHOICES).get(summary.primary_language, "—")),
        "sections": _section_labels(referral.sections),
        "can_decide": is_receiver and actor.can(Capability.DECIDE_REFERRALS),
        "can_withdraw": is_sender and actor.can(Capability.SEND_REFERRALS),
        "resend_agencies": _resend_agencies(actor, referral) if is_sender else [],
        "can_record_outcome": is_receiver
        and actor.can(Capability.DECIDE_REFERRALS)
        and referral.status == Referral.Status.ACCEPTED
        and not referral.outcome,
    }


@actor_view(Capability.READ_CASES)
def referral_detail(request: HttpRequest, actor: Actor, referral_id: str) -> HttpResponse:
    referral = referral_get(actor=actor, referral_id=referral_id)
    referral_open_record(actor=actor, referral=referral)
    return render(request, "referrals/detail.html", _detail_context(actor, referral))


def _answered(
    request: HttpRequest,
    actor: Actor,
    referral_id: str,
    *,
    done: str = "",
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    """After an answer: HTMX gets the refreshed decision panel (and the panel about the person,
    whose note depends on the answer), a plain POST a redirect."""
    if is_htmx(request):
        referral = referral_get(actor=actor, referral_id=referral_id)
        context = _detail_context(actor, referral) | {"done": done, "error": error}
        return render(request, "referrals/_answered.html", context, status=status)
    if done:
        messages.success(request, done)
    if error:
        messages.error(request, error)
    return redirect("referrals:detail", referral_id)


@dataclass(frozen=True)
class Confirmation:
    """The words and form of a confirmation step before a decline or a withdrawal."""

    title: str
    consequence: str
    button: str
    cancel: str
    url: str
    form: ReferralDeclineForm | ReferralWithdrawForm


def _decline_confirmation(referral: Referral, form: ReferralDeclineForm) -> Confirmation:
    return Confirmation(
        title=_("Decline the referral?"),
        consequence=_(
            "%(agency)s is told that your agency will not provide the service, with your reason, "
            "and can refer the person elsewhere. A declined referral cannot be accepted later."
        )
        % {"agency": referral.from_agency.label},
        button=_("Decline the referral"),
        cancel=_("Back, do not decline"),
        url=reverse("referrals:decline", args=[referral.pk]),
        form=form,
    )


def _withdraw_confirmation(referral: Referral, form: ReferralWithdrawForm) -> Confirmation:
    return Confirmation(
        title=_("Withdraw the referral?"),
        consequence=_(
            "%(agency)s can then no longer accept it and sees that it was withdrawn. To refer the "
            "person again later, send a new referral."
        )
        % {"agency": referral.to_agency.label},
        button=_("Withdraw the referral"),
        cancel=_("Back, keep the referral"),
        url=reverse("referrals:withdraw", args=[referral.pk]),
        form=form,
    )


def _confirm_page(
    request: HttpRequest, referral: Referral, confirm: Confirmation, *, status: int = 200
) -> HttpResponse:
    """The confirmation: its own page without JavaScript, the decision panel with HTMX."""
    template = "referrals/_confirm.html" if is_htmx(request) else "referrals/confirm.html"
    context = {"referral": referral, "confirm": confirm}
    return render(request, template, context, status=status)


def _to_confirm(
    request: HttpRequest, actor: Actor, referral_id: str, *, may: str
) -> Referral | HttpResponse:
    """The referral whose decline or withdrawal is to be confirmed; a refusal as a response."""
    referral = referral_get(actor=actor, referral_id=referral_id)
    context = _detail_context(actor, referral)
    if not context[may]:
        raise Forbidden(_("Your agency cannot answer this referral that way."))
    if not context["is_waiting"]:
        return _answered(
            request,
            actor,
            referral_id,
            error=_("This referral was already answered."),
            status=InvalidState.status_code,
        )
    return referral


@require_POST
@actor_view(Capability.DECIDE_REFERRALS)
def referral_accept_view(request: HttpRequest, actor: Actor, referral_id: str) -> HttpResponse:
    try:
        referral_accept(actor=actor, referral_id=referral_id)
    except InvalidState as error:
        return _answered(
            request, actor, referral_id, error=str(error.message), status=error.status_code
        )
    return _answered(
        request, actor, referral_id, done=_("Referral accepted. You can now open the case.")
    )


@require_http_methods(["GET", "POST"])
@actor_view(Capability.DECIDE_REFERRALS)
def referral_decline_view(request: HttpRequest, actor: Actor, referral_id: str) -> HttpResponse:
    """GET: the confirmation step, with the reason to give; POST: decline."""
    if request.method != "POST":
        found = _to_confirm(request, actor, referral_id, may="can_decide")
        if isinstance(found, HttpResponse):
            return found
        return _confirm_page(request, found, _decline_confirmation(found, ReferralDeclineForm()))
    form = ReferralDeclineForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        referral_decline(actor=actor, referral_id=referral_id, reason=reason)
    except ValidationError as error:
        service_errors_apply(error, form)
        referral = referral_get(actor=actor, referral_id=referral_id)
        confirm = _decline_confirmation(referral, form)
        return _confirm_page(request, referral, confirm, status=FORM_INVALID)
    except InvalidState as error:
        return _answered(
            request, actor, referral_id, error=str(error.message), status=error.status_code
        )
    return _answered(request, actor, referral_id, done=_("Referral declined."))


@require_http_methods(["GET", "POST"])
@actor_view(Capability.SEND_REFERRALS)
def referral_withdraw_view(request: HttpRequest, actor: Actor, referral_id: str) -> HttpResponse:
    """GET: the confirmation step, with an optional reason; POST: withdraw."""
    if request.method != "POST":
        found = _to_confirm(request, actor, referral_id, may="can_withdraw")
        if isinstance(found, HttpResponse):
            return found
        confirm = _withdraw_confirmation(found, ReferralWithdrawForm())
        return _confirm_page(request, found, confirm)
    form = ReferralWithdrawForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        referral_withdraw(actor=actor, referral_id=referral_id, reason=reason)
    except InvalidState as error:
        return _answered(
            request, actor, referral_id, error=str(error.message), status=error.status_code
        )
    return _answered(request, actor, referral_id, done=_("Referral withdrawn."))


@require_POST
@actor_view(Capability.DECIDE_REFERRALS)
def referral_outcome_view(request: HttpRequest, actor: Actor, referral_id: str) -> HttpResponse:
    """The receiver records the service as delivered or not delivered (closes the step)."""
    choice = request.POST.get("outcome", "")
    if choice not in Referral.Outcome.values:
        messages.error(request, _("Choose delivered or not delivered."))
        return redirect("referrals:detail", referral_id)
    try:
        referral_outcome_record(
            actor=actor, referral_id=referral_id, delivered=choice == Referral.Outcome.DELIVERED
        )
    except InvalidState as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The outcome is recorded."))
    return redirect("referrals:detail", referral_id)


def _resend_agencies(actor: Actor, referral: Referral) -> list[Any]:
    """Other agencies offering the service, when the referral may be sent elsewhere."""
    from tirek.accounts.models import Agency

    declined = referral.status == Referral.Status.DECLINED
    if not (actor.can(Capability.SEND_REFERRALS) and (declined or referral.is_overdue)):
        return []
    return list(
        Agency.objects.filter(is_active=True, services=referral.service_type_id)
        .exclude(pk__in=[referral.to_agency_id, actor.membership.agency_id])
        .order_by("name")
    )


@require_POST
@actor_view(Capability.SEND_REFERRALS)
def referral_resend_view(request: HttpRequest, actor: Actor, referral_id: str) -> HttpResponse:
    """Send a declined or overdue referral to another agency in one step."""
    from uuid import UUID

    try:
        to_agency_id = UUID(request.POST.get("to_agency", ""))
    except ValueError:
        messages.error(request, _("Choose an agency from the list."))
        return redirect("referrals:detail", referral_id)
    try:
        referral = referral_resend(actor=actor, referral_id=referral_id, to_agency_id=to_agency_id)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except InvalidState as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The referral is sent to the other agency."))
        return redirect("referrals:detail", referral.pk)
    return redirect("referrals:detail", referral_id)


# --- asking for more information -----------------------------------------------------------


def _thread_response(
    request: HttpRequest,
    actor: Actor,
    referral_id: str,
    *,
    forms: Mapping[str, Any] | None = None,
    done: str = "",
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    """After a question or an answer: HTMX gets the refreshed thread, a plain POST the page
    (with the form's errors) or a redirect to it."""
    if not is_htmx(request) and status == 200:
        messages.success(request, done)
        return redirect(f"{reverse('referrals:detail', args=[referral_id])}#thread")
    referral = referral_get(actor=actor, referral_id=referral_id)
    context = _detail_context(actor, referral) | dict(forms or {}) | {"done": done, "error": error}
    template = "referrals/_thread.html" if is_htmx(request) else "referrals/detail.html"
    return render(request, template, context, status=status)


@require_POST
@actor_view(Capability.DECIDE_REFERRALS)
def referral_ask_view(request: HttpRequest, actor: Actor, referral_id: str) -> HttpResponse:
    """The receiving agency asks the sender for more information before it decides."""
    form = ReferralQuestionForm(request.POST)
    form.is_valid()
    try:
        referral_question_ask(
            actor=actor, referral_id=referral_id, question=form.cleaned_data.get("question", "")
        )
    except ValidationError as error:
        service_errors_apply(error, form)
        forms = {"question_form": form}
        return _thread_response(request, actor, referral_id, forms=forms, status=FORM_INVALID)
    except InvalidState as error:
        return _thread_response(
            request, actor, referral_id, error=str(error.message), status=error.status_code
        )
    done = _("Question sent. The sending agency is told and answers here.")
    return _thread_response(request, actor, referral_id, done=done)


@require_POST
@actor_view(Capability.SEND_REFERRALS)
def referral_answer_view(request: HttpRequest, actor: Actor, referral_id: str) -> HttpResponse:
    """The sending agency answers the receiver's question on the same thread."""
    form = ReferralAnswerForm(request.POST)
    form.is_valid()
    try:
        referral_question_answer(
            actor=actor, referral_id=referral_id, answer=form.cleaned_data.get("answer", "")
        )
    except ValidationError as error:
        service_errors_apply(error, form)
        forms = {"answer_form": form}
        return _thread_response(request, actor, referral_id, forms=forms, status=FORM_INVALID)
    except InvalidState as error:
        return _thread_response(
            request, actor, referral_id, error=str(error.message), status=error.status_code
        )
    done = _("Answer sent. The receiving agency is told.")
    return _thread_response(request, actor, referral_id, done=done)


def referral_question_dues(actor: Actor, view: CaseView) -> list[Due]:
    """On the sender's case page: each question waiting for its answer is something to do, due
    when the referral is (the question does not stop its clock), or on the day it was asked."""
    if not view.is_owner:
        return []
    dues = []
    for referral in questions_waiting_for_case(actor=actor, case=view.case):
        asked = referral.questions.filter(answered_at__isnull=True).first()
        due = referral.due_at or (asked.asked_at if asked else referral.sent_at)
        dues.append(
            Due(
                label=_("Answer the question of %(agency)s about the referral")
                % {"agency": referral.to_agency.label},
                due_on=timezone.localtime(due).date(),
                tab="referrals",
            )
        )
    return dues


# --- referrals outside Tirek (a printed form) ----------------------------------------------


@require_POST
@actor_view(Capability.SEND_REFERRALS)
def outside_referral_send_view(request: HttpRequest, actor: Actor, case_id: str) -> HttpResponse:
    """Record a referral to a provider outside Tirek; its form is then downloaded (PDF)."""
    case = case_for_change(actor=actor, case_id=case_id)
    view = case_view(actor=actor, case_id=case.pk)
    form = OutsideReferralForm(request.POST, actor=actor, view=view)
    valid = form.is_valid()
    data = form.cleaned_data
    fields: dict[str, Any] = {
        "service_type_id": data["service_type"].pk if data.get("service_type") else None,
        "consent_id": data["consent"].pk if data.get("consent") else None,
        "sections": list(data.get("sections") or []),
        "provider_id": data["provider"].pk if data.get("provider") else None,
        "organisation": data.get("organisation", ""),
        "message": data.get("message", ""),
        "step_id": data.get("step") or None,
    }
    if not valid:
        # Every error at once: the service's checks of the fields that could be read too.
        errors = outside_referral_check(actor=actor, case_id=case.pk, **fields)
        service_errors_apply(ValidationError(errors), form, only_new=True)
    else:
        try:
            outside_referral_record(actor=actor, case_id=case.pk, **fields)
        except ValidationError as error:
            service_errors_apply(error, form)
        else:
            messages.success(
                request, _("Referral recorded. Download its form, print it and hand it over.")
            )
            return redirect(case_detail_url(case.pk, "outside"))
    view = case_open(actor=actor, case_id=case.pk)
    return case_page(request, actor, view, bound={"outside_form": form}, status=FORM_INVALID)


@actor_view(Capability.READ_CASES)
def outside_referral_pdf_view(
    request: HttpRequest, actor: Actor, outside_referral_id: str
) -> HttpResponse:
    """The printable form (PDF): a read of the case, recorded like any other."""
    try:
        form = outside_referral_form(actor=actor, outside_referral_id=outside_referral_id)
    except InvalidState as error:
        messages.error(request, str(error.message))
        return redirect("referrals:inbox")
    response = HttpResponse(outside_form_pdf(form), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="referral-{form.outside.case.reference}.pdf"'
    )
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@actor_view(Capability.SEND_REFERRALS)
def outside_referral_outcome_view(
    request: HttpRequest, actor: Actor, outside_referral_id: str
) -> HttpResponse:
    """Record by hand whether the provider outside Tirek delivered the service."""
    from tirek.referrals.outside import outside_referral_get

    outside = outside_referral_get(actor=actor, outside_referral_id=outside_referral_id)
    choice = request.POST.get("outcome", "")
    if choice not in Referral.Outcome.values:
        messages.error(request, _("Choose delivered or not delivered."))
    else:
        try:
            outside_referral_outcome(
                actor=actor,
                outside_referral_id=outside.pk,
                delivered=choice == Referral.Outcome.DELIVERED,
            )
        except InvalidState as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("The outcome is recorded."))
    return redirect(case_detail_url(outside.case_id, "outside"))
