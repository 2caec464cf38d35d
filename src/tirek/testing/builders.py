"""Small builders for cases, consents and referrals used across tests (synthetic data only)."""

from __future__ import annotations

import datetime
from typing import Any

from tirek.accounts.actor import Actor
from tirek.accounts.models import Agency
from tirek.cases.choices import Section, Sex, TypeOfExploitation
from tirek.cases.models import Case
from tirek.cases.services import PersonInput, PlaceInput, VictimInput, case_register
from tirek.directory.models import ServiceType
from tirek.protection.models import Consent
from tirek.protection.services import consent_record
from tirek.referrals.models import CaseTransfer, Referral
from tirek.referrals.services import referral_accept, referral_send
from tirek.referrals.transfers import case_transfer_propose


def case_build(actor: Actor, **person: Any) -> Case:
    data: dict[str, Any] = {
        "first_name": "Testgul",
        "family_name": "Synthetova",
        "patronymic": "Fictionovna",
        "sex": Sex.FEMALE,
        "birth_date": datetime.date(1999, 4, 12),
        "citizenship": ["KAZ"],
        "primary_language": "kk",
    } | person
    return case_register(
        actor=actor,
        person=PersonInput(**data),
        victim=VictimInput(types_of_exploitation=[TypeOfExploitation.FORCED_LABOUR]),
        place=PlaceInput(country="KAZ", city="Almaty"),
    )


def consent_build(
    actor: Actor, case: Case, *, to: Agency | None = None, sections: list[str] | None = None
) -> Consent:
    return consent_record(
        actor=actor,
        case=case,
        purpose=Consent.Purpose.REFERRAL,
        method=Consent.Method.WRITTEN,
        sections=sections or [Section.IDENTITY, Section.VICTIM],
        recipient_agency_id=to.pk if to else None,
    )


def referral_build(
    actor: Actor,
    case: Case,
    *,
    to: Agency,
    service: ServiceType,
    sections: list[str] | None = None,
) -> Referral:
    sections = sections or [Section.IDENTITY, Section.VICTIM]
    consent = consent_build(actor, case, to=to, sections=sections)
    return referral_send(
        actor=actor,
        case=case,
        to_agency_id=to.pk,
        service_type_id=service.pk,
        consent_id=consent.pk,
        sections=sections,
        message="Needs help finding work.",
    )


def referral_accepted_build(
    actor: Actor,
    case: Case,
    *,
    receiver: Actor,
    service: ServiceType,
    sections: list[str] | None = None,
) -> Referral:
    """A referral from ``actor`` accepted by ``receiver`` (a member of the receiving agency)."""
    referral = referral_build(
        actor, case, to=receiver.membership.agency, service=service, sections=sections
    )
    return referral_accept(actor=receiver, referral_id=referral.pk)


def transfer_build(
    actor: Actor, case: Case, *, to: Agency, kept: list[str] | None = None
) -> CaseTransfer:
    """Propose that ``to`` own the case, under a consent to share every section with it."""
    consent = consent_build(actor, case, to=to, sections=sorted(Section.values))
    return case_transfer_propose(
        actor=actor,
        case_id=case.pk,
        to_agency_id=to.pk,
        consent_id=consent.pk,
        kept_sections=kept or [],
        reason="The person moves to the crisis centre's care.",
    )
