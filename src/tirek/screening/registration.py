"""A case from an anonymous screening: the person of a hotline call or a street contact later
agrees to be registered, and what was observed is carried over to the new case.

A service (one transaction, events written with it) kept beside ``services.py``, which holds the
screening's own writes.
"""

from __future__ import annotations

from uuid import UUID

from django.db import transaction
from django.utils.translation import gettext as _

from tirek.accounts.actor import Actor
from tirek.accounts.roles import Capability
from tirek.cases.choices import Section
from tirek.cases.models import Case, CaseEvent
from tirek.cases.services import (
    PersonInput,
    PlaceInput,
    VictimInput,
    case_event_record,
    case_register,
)
from tirek.core.audit import audit_record
from tirek.core.errors import InvalidState
from tirek.screening.models import ObservedIndicator, Screening
from tirek.screening.selectors import screening_get


def screening_carry_over_check(*, actor: Actor, screening_id: UUID | str) -> Screening:
    """The anonymous screening a case may be registered from, or why not: ``NotFound`` outside
    the agency that made it, ``Forbidden`` without the right to register cases, ``InvalidState``
    once it is on a case or carried over."""
    actor.require(Capability.REGISTER_CASES)
    screening = screening_get(actor=actor, screening_id=screening_id)
    _carry_over_state_check(screening)
    return screening


def _carry_over_state_check(screening: Screening) -> None:
    if screening.case_id is not None:
        raise InvalidState(_("This screening is already on a case."))
    if Screening.objects.filter(carried_over_from=screening).exists():
        raise InvalidState(_("A case was already registered from this screening."))


@transaction.atomic
def screening_case_register(
    *,
    actor: Actor,
    screening_id: UUID | str,
    person: PersonInput,
    victim: VictimInput,
    place: PlaceInput | None = None,
) -> Case:
    """Register a case (as ``case_register`` does) and put the anonymous screening's indicators,
    sources and notes on it, unchanged: a screening on the case that points back to the
    anonymous one. The anonymous screening itself is never changed."""
    found = screening_carry_over_check(actor=actor, screening_id=screening_id)
    # Locked, then checked again: two people registering from one screening make one case.
    anonymous = Screening.objects.select_for_update().get(pk=found.pk)
    _carry_over_state_check(anonymous)
    case = case_register(actor=actor, person=person, victim=victim, place=place)
    carried = Screening.objects.create(
        catalogue=anonymous.catalogue,
        case=case,
        agency=anonymous.agency,
        agency_type=anonymous.agency_type,
        screened_by=anonymous.screened_by,
        age_group=anonymous.age_group,
        age_at_exploitation=anonymous.age_at_exploitation,
        has_signs_of_childhood=anonymous.has_signs_of_childhood,
        scope=anonymous.scope,
        outcome=anonymous.outcome,
        presumed_exploitation=anonymous.presumed_exploitation,
        result=anonymous.result,
        carried_over_from=anonymous,
    )
    observed = list(anonymous.observed.all())
    ObservedIndicator.objects.bulk_create(
        ObservedIndicator(
            screening=carried,
            indicator_id=o.indicator_id,
            code=o.code,
            dimension=o.dimension,
            source=o.source,
            note=o.note,
        )
        for o in observed
    )
    case_event_record(
        case=case,
        actor=actor,
        kind=CaseEvent.Kind.SCREENING_SAVED,
        section=Section.VICTIM,
        data={
            "screening_id": str(carried.pk),
            "carried_over_from": str(anonymous.pk),
            "catalogue": anonymous.catalogue.number,
            "outcome": anonymous.outcome,
            "presumed_exploitation": anonymous.presumed_exploitation,
            "indicators": len(observed),
        },
    )
    audit_record(
        action="screening_carried_over",
        user_id=actor.user.pk,
        agency_id=actor.agency.pk,
        object_type="screening",
        object_id=anonymous.pk,
        data={"screening_id": str(carried.pk), "case_id": str(case.pk)},
    )
    return case
