"""Recording and withdrawing informed consent."""

from __future__ import annotations

import datetime
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tirek.accounts.actor import Actor
from tirek.accounts.models import Agency
from tirek.accounts.roles import Capability
from tirek.cases.choices import Section
from tirek.cases.models import Case, CaseEvent
from tirek.cases.policy import case_require_open
from tirek.cases.selectors import case_for_change
from tirek.cases.services import case_event_record
from tirek.core.errors import InvalidState, NotFound
from tirek.directory.models import ServiceType
from tirek.protection.children import child_case_require, child_consent_problems
from tirek.protection.hooks import consent_withdrawn
from tirek.protection.models import Consent


def consent_validate(
    *,
    purpose: str,
    method: str,
    sections: list[str],
    given_on: datetime.date | None,
    today: datetime.date,
) -> dict[str, list[str]]:
    """The consent's own rules. (The agency, the service and a child's consent: the service.)"""
    errors: dict[str, list[str]] = {}
    if purpose not in Consent.Purpose.values:
        errors["purpose"] = [_("Choose what the consent is for.")]
    if method not in Consent.Method.values:
        errors["method"] = [_("Choose how the consent was given.")]
    if not sections:
        errors["sections"] = [_("Choose at least one part of the case that may be shared.")]
    elif set(sections) - set(Section.values):
        errors["sections"] = [_("Unknown section.")]
    if given_on is not None and given_on > today:
        errors["given_on"] = [_("The date cannot be in the future.")]
    return errors


@transaction.atomic
def consent_record(
    *,
    actor: Actor,
    case: Case,
    purpose: str,
    method: str,
    sections: list[str],
    recipient_agency_id: UUID | None = None,
    service_type_id: int | None = None,
    given_on: datetime.date | None = None,
) -> Consent:
    """Record the person's informed consent. Only the owning agency records consent."""
    actor.require(Capability.RECORD_CONSENT)
    case = case_for_change(actor=actor, case_id=case.pk)
    case_require_open(case)
    child_case_require(actor, case)
    today = timezone.localdate()
    given = given_on or today
    errors = consent_validate(
        purpose=purpose, method=method, sections=sections, given_on=given, today=today
    )
    if (
        recipient_agency_id is not None
        and not Agency.objects.filter(pk=recipient_agency_id, is_active=True).exists()
    ):
        errors["recipient_agency"] = [_("Choose an agency from the list.")]
    if (
        service_type_id is not None
        and not ServiceType.objects.filter(pk=service_type_id, is_active=True).exists()
    ):
        errors["service_type"] = [_("Choose a service from the list.")]
    if "method" not in errors:
        errors |= child_consent_problems(case, method=method)
    if errors:
        raise ValidationError(errors)
    consent = Consent.objects.create(
        case=case,
        purpose=purpose,
        method=method,
        sections=sorted(set(sections)),
        recipient_agency_id=recipient_agency_id,
        service_type_id=service_type_id,
        given_on=given,
        recorded_by=actor.user,
        recorded_by_agency=actor.agency,
    )
    case_event_record(
        case=case,
        actor=actor,
        kind=CaseEvent.Kind.CONSENT_RECORDED,
        data={
            "consent_id": str(consent.pk),
            "purpose": purpose,
            "sections": consent.sections,
            "to_agency_id": str(recipient_agency_id) if recipient_agency_id else "",
        },
    )
    return consent


@transaction.atomic
def consent_withdraw(*, actor: Actor, consent_id: UUID | str, reason: str = "") -> Consent:
    """Record that the person withdrew a consent. Sharing based on it stops at once."""
    actor.require(Capability.RECORD_CONSENT)
    consent = Consent.objects.select_related("case").filter(pk=consent_id).first()
    if consent is None:
        raise NotFound()
    case_for_change(actor=actor, case_id=consent.case_id)
    updated = Consent.objects.filter(pk=consent.pk, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now(),
        withdrawn_by=actor.user,
        withdrawal_reason=reason.strip()[:300],
        version=consent.version + 1,
    )
    if not updated:
        raise InvalidState(_("This consent has already been withdrawn."))
    consent.refresh_from_db()
    case_event_record(
        case=consent.case,
        actor=actor,
        kind=CaseEvent.Kind.CONSENT_WITHDRAWN,
        data={"consent_id": str(consent.pk)},
    )
    consent_withdrawn(consent, actor)
    return consent
