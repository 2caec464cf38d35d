"""Referrals outside Tirek: a provider that does not use the system gets a printed form.

The owning agency records the referral (to a provider of the directory, or to an organisation
it names), downloads the form as a PDF carrying only the parts of the case the person consented
to share *and* the worker chose, and later records by hand whether the service was delivered.
Printing the form is a read of the case, recorded through ``cases.reads`` like any other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tirek.accounts.actor import Actor
from tirek.accounts.models import Agency
from tirek.accounts.roles import Capability
from tirek.cases.choices import Section
from tirek.cases.models import Case, CaseEvent
from tirek.cases.policy import case_require_open
from tirek.cases.reads import Via, case_open
from tirek.cases.selectors import CaseView, case_for_change
from tirek.cases.services import case_event_record
from tirek.core.errors import InvalidState, NotFound
from tirek.directory.models import ServiceType
from tirek.protection.models import Consent
from tirek.referrals.hooks import outside_linked, outside_outcome, outside_steps
from tirek.referrals.models import OutsideReferral, Referral
from tirek.referrals.services import MESSAGE_MAX

ORGANISATION_MAX = 200


def _event_data(outside: OutsideReferral) -> dict[str, object]:
    return {
        "outside_referral_id": str(outside.pk),
        "provider_id": str(outside.provider_id or ""),
        "service": outside.service_type.code,
    }


@dataclass(frozen=True)
class OutsideRequest:
    """What a worker asks to record (the keyword arguments of ``outside_referral_record``)."""

    service_type_id: int | None
    consent_id: UUID | str | None
    sections: list[str]
    provider_id: UUID | str | None = None
    organisation: str = ""
    message: str = ""
    step_id: UUID | str | None = None


@dataclass(frozen=True)
class _Checked:
    errors: dict[str, list[str]]
    provider: Agency | None
    service: ServiceType | None
    consent: Consent | None


def _check(*, actor: Actor, case: Case, request: OutsideRequest) -> _Checked:
    organisation = request.organisation.strip()
    provider_id, sections = request.provider_id, request.sections
    errors: dict[str, list[str]] = {}
    provider = None
    if provider_id is not None:
        provider = Agency.objects.filter(pk=provider_id, is_active=True).first()
        if provider is None:
            errors["provider"] = [_("Choose an agency from the list.")]
        elif provider.pk == actor.membership.agency_id:
            errors["provider"] = [_("A case cannot be referred to your own agency.")]
    if (provider_id is None) == (not organisation):
        errors["organisation"] = [
            _("Choose a provider from the directory or name an organisation (one of the two).")
        ]
    elif len(organisation) > ORGANISATION_MAX:
        errors["organisation"] = [_("The name is too long (200 characters at most).")]
    service = None
    if request.service_type_id is not None:
        service = ServiceType.objects.filter(pk=request.service_type_id, is_active=True).first()
    if service is None:
        errors["service_type"] = [_("Choose a service from the list.")]
    if not sections:
        errors["sections"] = [_("Choose at least one part of the case to share.")]
    elif set(sections) - set(Section.values):
        errors["sections"] = [_("Unknown section.")]
    if len(request.message) > MESSAGE_MAX:
        errors["message"] = [_("The message is too long (4000 characters at most).")]
    step = str(request.step_id or "")
    if step:
        offer = next((o for o in outside_steps(case) if o.id == step), None)
        if offer is None:
            errors["step"] = [_("Choose an open step of the case's checklist.")]
        elif service is not None and offer.service_type_id not in (None, service.pk):
            errors["step"] = [_("This step is for another service.")]
    consent = None
    if request.consent_id is not None:
        consent = Consent.objects.filter(pk=request.consent_id, case=case).first()
    if consent is None:
        errors["consent"] = [_("Record the person's consent to this referral first.")]
    elif not consent.covers(agency_id=provider.pk if provider else None, sections=set(sections)):
        errors["consent"] = [
            _(
                "The person's consent does not cover this agency or these parts of the case. "
                "Record a new consent or share less."
            )
        ]
    return _Checked(errors=errors, provider=provider, service=service, consent=consent)


def outside_referral_check(
    *, actor: Actor, case_id: UUID | str, **fields: Any
) -> dict[str, list[str]]:
    """Every error ``outside_referral_record`` would raise, by field, without writing: a form
    that could not read every field still shows all its errors at once."""
    case = case_for_change(actor=actor, case_id=case_id)
    return _check(actor=actor, case=case, request=OutsideRequest(**fields)).errors


@transaction.atomic
def outside_referral_record(
    *,
    actor: Actor,
    case_id: UUID | str,
    service_type_id: int,
    consent_id: UUID,
    sections: list[str],
    provider_id: UUID | None = None,
    organisation: str = "",
    message: str = "",
    step_id: UUID | str | None = None,
) -> OutsideReferral:
    """Record a referral to a provider outside Tirek, under a consent that covers it: a provider
    of the directory (the consent may name it), or a named organisation (only a consent to
    "any agency" covers one). Given an open step of the case's checklist (``step_id``), the
    referral delivers it: its outcome closes the step."""
    case = case_for_change(actor=actor, case_id=case_id)  # outside the circle: not found
    actor.require(Capability.SEND_REFERRALS)
    case_require_open(case)
    request = OutsideRequest(
        service_type_id=service_type_id,
        consent_id=consent_id,
        sections=sections,
        provider_id=provider_id,
        organisation=organisation,
        message=message,
        step_id=step_id,
    )
    checked = _check(actor=actor, case=case, request=request)
    if checked.errors:
        raise ValidationError(checked.errors)
    provider, service, consent = checked.provider, checked.service, checked.consent
    organisation = organisation.strip()
    step = str(step_id or "")
    assert service is not None and consent is not None  # noqa: S101
    outside = OutsideReferral.objects.create(
        case=case,
        from_agency=actor.agency,
        provider=provider,
        organisation="" if provider else organisation,
        service_type=service,
        sections=sorted(set(sections)),
        consent=consent,
        message=message.strip(),
        sent_by=actor.user,
    )
    case_event_record(
        case=case,
        actor=actor,
        kind=CaseEvent.Kind.REFERRAL_SENT_OUTSIDE,
        section="referrals",
        data=_event_data(outside)
        | {"sections": outside.sections}
        | ({"checklist_item_id": step} if step else {}),
    )
    if step:
        outside_linked(outside, step)
    return outside


def outside_referrals_for_case(*, actor: Actor, case: Case) -> QuerySet[OutsideReferral]:
    """The case's referrals outside Tirek: the owning agency's business only."""
    if not actor.can(Capability.READ_CASES) or case.owner_agency_id != actor.membership.agency_id:
        return OutsideReferral.objects.none()
    return OutsideReferral.objects.filter(case=case).select_related(
        "provider", "service_type", "sent_by", "from_agency", "consent"
    )


def outside_referral_get(*, actor: Actor, outside_referral_id: UUID | str) -> OutsideReferral:
    """One referral outside Tirek, for a member of the agency that owns its case."""
    not_found = NotFound(object_type="outside_referral", object_id=outside_referral_id)
    if not actor.can(Capability.READ_CASES):
        raise not_found
    try:
        return OutsideReferral.objects.select_related(
            "case", "case__person", "provider", "service_type", "sent_by", "from_agency", "consent"
        ).get(pk=outside_referral_id, case__owner_agency_id=actor.membership.agency_id)
    except (OutsideReferral.DoesNotExist, ValueError, TypeError, ValidationError):
        raise not_found from None


@dataclass(frozen=True)
class OutsideForm:
    """What the printed form may carry: the referral and the case as opened for it, limited to
    the sections chosen and still consented."""

    outside: OutsideReferral
    view: CaseView
    sections: frozenset[str]


def outside_referral_form(*, actor: Actor, outside_referral_id: UUID | str) -> OutsideForm:
    """Open the form to print: refused once the consent is withdrawn; the sections it shows are
    recorded as a read of the case (``cases.reads``, via ``referral_form``)."""
    outside = outside_referral_get(actor=actor, outside_referral_id=outside_referral_id)
    if not outside.consent.is_active:
        raise InvalidState(
            _("The person has withdrawn the consent for this referral: the form cannot be printed.")
        )
    shows = set(outside.sections) & set(outside.consent.sections)
    view = case_open(actor=actor, case_id=outside.case_id, via=Via.REFERRAL_FORM, shows=shows)
    return OutsideForm(outside=outside, view=view, sections=frozenset(shows & view.sections))


@transaction.atomic
def outside_referral_outcome(
    *, actor: Actor, outside_referral_id: UUID | str, delivered: bool
) -> OutsideReferral:
    """Record by hand whether the provider outside Tirek delivered the service. Once."""
    outside = outside_referral_get(actor=actor, outside_referral_id=outside_referral_id)
    actor.require(Capability.SEND_REFERRALS)
    outcome = Referral.Outcome.DELIVERED if delivered else Referral.Outcome.NOT_DELIVERED
    now = timezone.now()
    updated = OutsideReferral.objects.filter(pk=outside.pk, outcome="").update(
        outcome=outcome,
        outcome_at=now,
        outcome_by=actor.user,
        version=outside.version + 1,
        updated_at=now,
    )
    if not updated:
        raise InvalidState(_("The outcome of this referral is already recorded."))
    outside.refresh_from_db()
    case_event_record(
        case=outside.case,
        actor=actor,
        kind=CaseEvent.Kind.REFERRAL_OUTSIDE_OUTCOME,
        section="referrals",
        data=_event_data(outside) | {"outcome": outcome},
    )
    outside_outcome(outside)
    return outside
