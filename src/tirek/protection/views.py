"""Web views for consent: the consents panel of the case page, record and withdraw."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tirek.accounts.actor import Actor
from tirek.accounts.roles import Capability
from tirek.accounts.views import actor_view
from tirek.cases.choices import NrmStage, Section
from tirek.cases.page import Action, case_is_open, owner_only, tab_url
from tirek.cases.reads import case_open
from tirek.cases.selectors import CaseView, case_for_change
from tirek.cases.views import CasePanel, case_detail_url, case_page
from tirek.core.forms import service_errors_apply
from tirek.core.views import FORM_INVALID
from tirek.protection.forms import ConsentForm, ConsentWithdrawForm
from tirek.protection.selectors import consents_for_case
from tirek.protection.services import consent_record, consent_withdraw


def _section_labels(sections: list[str]) -> list[str]:
    labels = dict(Section.choices)
    return [str(labels.get(s, s)) for s in sections]


def _panel_context(
    request: HttpRequest, actor: Actor, view: CaseView, bound: Mapping[str, Any]
) -> dict[str, Any] | None:
    if not view.is_owner:
        return None
    consents = [
        {"consent": consent, "sections": _section_labels(consent.sections)}
        for consent in consents_for_case(view=view)
    ]
    return {
        "case": view.case,
        "consents": consents,
        "can_record": actor.can(Capability.RECORD_CONSENT),
        "form_open": not consents,
        "form": bound.get("consent_form") or ConsentForm(actor=actor),
        "withdraw_form": ConsentWithdrawForm(),
    }


CONSENTS_PANEL = CasePanel(
    name="consents",
    order=10,
    template="protection/_consents_panel.html",
    context=_panel_context,
    tab="consents",
    visible_for=owner_only,
    forms=("consent_form",),
)


def consent_actions(actor: Actor, view: CaseView) -> list[Action]:
    """Recording consent comes first while the person is identified and first assisted."""
    if not (view.is_owner and actor.can(Capability.RECORD_CONSENT) and case_is_open(view)):
        return []
    early = view.case.nrm_stage in (NrmStage.IDENTIFICATION, NrmStage.FIRST_ASSISTANCE)
    return [
        Action(
            _("Record consent"),
            tab_url(view.case.pk, "consents", "consents"),
            order=20,
            primary=early and view.case.nrm_stage == NrmStage.FIRST_ASSISTANCE,
        )
    ]


@require_POST
@actor_view(Capability.RECORD_CONSENT)
def consent_record_view(request: HttpRequest, actor: Actor, case_id: str) -> HttpResponse:
    case = case_for_change(actor=actor, case_id=case_id)
    form = ConsentForm(request.POST, actor=actor, case=case)
    if form.is_valid():
        data = form.cleaned_data
        try:
            consent_record(
                actor=actor,
                case=case,
                purpose=data["purpose"],
                method=data["method"],
                sections=list(data["sections"]),
                recipient_agency_id=data["recipient_agency"].pk
                if data["recipient_agency"]
                else None,
                service_type_id=data["service_type"].pk if data["service_type"] else None,
                given_on=data["given_on"],
            )
        except ValidationError as error:
            service_errors_apply(error, form)
        else:
            messages.success(request, _("Consent recorded."))
            return redirect(case_detail_url(case.pk, "consents"))
    view = case_open(actor=actor, case_id=case.pk)
    return case_page(request, actor, view, bound={"consent_form": form}, status=FORM_INVALID)


@require_POST
@actor_view(Capability.RECORD_CONSENT)
def consent_withdraw_view(request: HttpRequest, actor: Actor, consent_id: str) -> HttpResponse:
    form = ConsentWithdrawForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    consent = consent_withdraw(actor=actor, consent_id=consent_id, reason=reason)
    messages.success(request, _("Consent withdrawn. Sharing based on it has stopped."))
    return redirect(case_detail_url(consent.case_id, "consents"))
