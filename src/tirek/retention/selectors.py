"""Reads for retention and subject rights: due cases, erasure requests, the subject access data."""

from __future__ import annotations

import datetime
from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from tirek.accounts.actor import Actor
from tirek.cases import policy
from tirek.cases.choices import Section
from tirek.cases.models import Case
from tirek.cases.selectors import CaseView, cases_visible_to
from tirek.cases.services import CLOSED_STATUSES
from tirek.core.errors import Forbidden
from tirek.protection.models import Consent
from tirek.referrals.models import Referral
from tirek.retention.models import ErasureRequest
from tirek.retention.policy import can_handle_erasure


def cases_due_for_anonymisation(*, cutoff: datetime.date) -> QuerySet[Case]:
    """Closed cases, not yet anonymised, closed on or before ``cutoff``."""
    return (
        Case.objects.filter(
            status__in=CLOSED_STATUSES,
            closed_on__isnull=False,
            closed_on__lte=cutoff,
            anonymised_at__isnull=True,
        )
        .select_related("person")
        .order_by("closed_on", "pk")
    )


def erasure_requests_for_case(*, actor: Actor, view: CaseView) -> QuerySet[ErasureRequest]:
    """The case's erasure requests, for whoever may handle them (``policy``); anyone else in the
    circle gets ``Forbidden``."""
    if not can_handle_erasure(actor, view):
        raise Forbidden(_("Only a supervisor of the agency that owns the case can do this."))
    return ErasureRequest.objects.filter(case=view.case).select_related(
        "recorded_by", "executed_by"
    )


def _person(case: Case) -> dict[str, Any]:
    person = case.person
    return {
        "prs_FirstName": person.first_name,
        "prs_MiddleName": person.patronymic,
        "prs_SecondName": person.family_name,
        "sex": person.sex,
        "prs_Gender": person.gender,
        "prs_Birthdate": person.birth_date.isoformat() if person.birth_date else None,
        "birth_date_precision": person.birth_date_precision,
        "approximate_age": person.approximate_age,
        "prs_Citizenship": list(person.citizenship),
        "prs_PrimaryLanguage": person.primary_language,
        "prs_SecondaryLanguage": person.secondary_language,
    }


def _contact(case: Case) -> dict[str, Any]:
    person = case.person
    return {
        "prs_MobilePhone": person.mobile_phone,
        "prs_Email": person.email,
        "contact_notes": person.contact_notes,
    }


def _victim(case: Case) -> dict[str, Any]:
    return {
        "vic_TraffickingStatus": case.trafficking_status,
        "vic_TraffickingStatusDecisionMakingOrg": case.trafficking_status_decision_org,
        "vic_TypeOfExploitation": list(case.types_of_exploitation),
        "vic_MethodsOfControl": list(case.methods_of_control),
        "vic_AgeWhenTrafficked": case.age_when_trafficked,
        "vic_AgreementToManagePersonalData": case.agreement_to_manage_personal_data,
    }


def _historic_events(case: Case) -> list[dict[str, Any]]:
    return [
        {
            "hte_Type": e.type,
            "hte_Country": e.country,
            "place": e.place.name_en if e.place else "",
            "hte_City": e.city,
            "hte_Date": e.date.isoformat() if e.date else None,
            "hte_Description": e.description,
        }
        for e in case.historic_events.select_related("place")
    ]


def _consents(case: Case) -> list[dict[str, Any]]:
    return [
        {
            "purpose": c.purpose,
            "shared_with": c.recipient_agency.name if c.recipient_agency else None,
            "service": c.service_type.name_en if c.service_type else None,
            "sections": list(c.sections),
            "method": c.method,
            "given_on": c.given_on.isoformat(),
            "recorded_by_agency": c.recorded_by_agency.name,
            "withdrawn_at": c.withdrawn_at.isoformat() if c.withdrawn_at else None,
            "withdrawal_reason": c.withdrawal_reason,
        }
        for c in Consent.objects.filter(case=case).select_related(
            "recipient_agency", "service_type", "recorded_by_agency"
        )
    ]


def _referrals(case: Case, agency_id: UUID, all_referrals: bool) -> list[dict[str, Any]]:
    referrals = Referral.objects.filter(case=case).select_related(
        "from_agency", "to_agency", "service_type"
    )
    if not all_referrals:
        referrals = referrals.filter(to_agency_id=agency_id) | referrals.filter(
            from_agency_id=agency_id
        )
    return [
        {
            "from_agency": r.from_agency.name,
            "cas_ReferredOrganisation": r.to_agency.name,
            "service": r.service_type.name_en,
            "cas_ReasonForOutgoingReferral": r.reason,
            "message": r.message,
            "sections": list(r.sections),
            "status": r.status,
            "sent_at": r.sent_at.isoformat(),
            "decided_at": r.decided_at.isoformat() if r.decided_at else None,
            "decision_reason": r.decision_reason,
        }
        for r in referrals.order_by("sent_at")
    ]


def _events(case: Case) -> list[dict[str, Any]]:
    return [
        {
            "at": e.at.isoformat(),
            "kind": e.kind,
            "agency": e.actor_agency.name if e.actor_agency else None,
            "section": e.section,
        }
        for e in case.events.select_related("actor_agency").order_by("at", "id")
    ]


def subject_access_data(*, actor: Actor, case: Case) -> dict[str, Any]:
    """What is held about the person of ``case``, across the person's cases the agency may see.

    Each case carries only the sections the agency may see of it. Used by the export service,
    which records the export.
    """
    cases = []
    for other in (
        cases_visible_to(actor=actor).filter(person_id=case.person_id).order_by("opened_on", "pk")
    ):
        sections = policy.case_sections(
            actor, case_id=other.pk, owner_agency_id=other.owner_agency_id
        )
        item: dict[str, Any] = {
            "id": str(other.pk),
            "reference": other.reference,
            "owner_agency": other.owner_agency.name,
            "cas_Status": other.status,
            "nrm_stage": other.nrm_stage,
            "opened_on": other.opened_on.isoformat(),
            "closed_on": other.closed_on.isoformat() if other.closed_on else None,
            "cas_ReasonForCaseClosure": (
                other.closure_reason if Section.REFERRALS in sections else None
            ),
            "anonymised_at": other.anonymised_at.isoformat() if other.anonymised_at else None,
            "sections": sorted(sections),
            "person": _person(other) if Section.IDENTITY in sections else None,
            "contact": _contact(other) if Section.CONTACT in sections else None,
            "victim": _victim(other) if Section.VICTIM in sections else None,
            "historic_events": _historic_events(other) if Section.EVENTS in sections else None,
            "consents": _consents(other) if Section.REFERRALS in sections else None,
            "referrals": _referrals(
                other, actor.membership.agency_id, Section.REFERRALS in sections
            ),
            "events": _events(other) if Section.REFERRALS in sections else None,
        }
        cases.append(item)
    return {
        "format": "tirek-subject-access/1",
        "exported_by_agency": actor.agency.name,
        "person": _person(case),
        "cases": cases,
    }
