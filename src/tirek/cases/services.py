"""Every write to case data: one function, one transaction, one timeline event."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tirek.accounts.actor import Actor
from tirek.accounts.roles import Capability
from tirek.cases.choices import (
    BirthDatePrecision,
    CaseStatus,
    DecisionMakingOrg,
    Gender,
    HistoricEventType,
    MethodOfControl,
    Sex,
    TraffickingStatus,
    TypeOfExploitation,
    is_country_code,
)
from tirek.cases.hooks import CLOSED, person_changed, stage_entered, transition_problems
from tirek.cases.models import Case, CaseEvent, HistoricEvent, Person
from tirek.cases.policy import case_require_open
from tirek.core.chain import chain_append
from tirek.core.phones import NotAPhoneNumber, phone_normalize
from tirek.core.versioning import versioned_update
from tirek.directory.models import Place

MAX_AGE = 120


@dataclass
class PersonInput:
    """HTCDS ``prs_`` fields of a person at registration."""

    first_name: str = ""
    patronymic: str = ""
    family_name: str = ""
    sex: str = Sex.UNKNOWN
    gender: str = Gender.UNKNOWN
    birth_date: datetime.date | None = None
    birth_date_precision: str = BirthDatePrecision.DAY
    approximate_age: int | None = None
    citizenship: list[str] = field(default_factory=list)
    primary_language: str = ""
    secondary_language: str = ""
    mobile_phone: str = ""
    email: str = ""
    contact_notes: str = ""


@dataclass
class VictimInput:
    """HTCDS ``vic_`` fields of a case at registration."""

    trafficking_status: str = TraffickingStatus.POSSIBLE
    trafficking_status_decision_org: str = ""
    types_of_exploitation: list[str] = field(default_factory=list)
    methods_of_control: list[str] = field(default_factory=list)
    age_when_trafficked: int | None = None
    agreement_to_manage_personal_data: bool = False


@dataclass
class PlaceInput:
    """Where and when something happened (HTCDS ``hte_``)."""

    type: str = HistoricEventType.EXPLOITATION
    country: str = ""
    place_id: int | None = None
    city: str = ""
    date: datetime.date | None = None
    description: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.country or self.place_id or self.city or self.date or self.description)


def _check_choices(
    errors: dict[str, list[str]], name: str, values: list[str], allowed: list[str]
) -> None:
    unknown = sorted(set(values) - set(allowed))
    if unknown:
        errors.setdefault(name, []).append(
            _("Unknown value(s): %(values)s.") % {"values": ", ".join(unknown)}
        )


def person_validate(data: PersonInput, *, today: datetime.date) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not (data.first_name.strip() or data.family_name.strip()):
        errors["first_name"] = [_("Enter at least a given name or a family name.")]
    if data.sex not in Sex.values:
        errors["sex"] = [_("Choose a valid sex.")]
    if data.gender not in Gender.values:
        errors["gender"] = [_("Choose a valid gender.")]
    if data.birth_date_precision not in BirthDatePrecision.values:
        errors["birth_date_precision"] = [_("Choose how precise the birth date is.")]
    if data.birth_date and data.birth_date > today:
        errors["birth_date"] = [_("The birth date cannot be in the future.")]
    if data.birth_date and data.birth_date.year < today.year - MAX_AGE:
        errors["birth_date"] = [_("The birth date is too far in the past.")]
    if data.approximate_age is not None and not 0 <= data.approximate_age <= MAX_AGE:
        errors["approximate_age"] = [_("The age must be between 0 and 120.")]
    bad = [c for c in data.citizenship if not is_country_code(c)]
    if bad:
        errors["citizenship"] = [_("Use three-letter ISO 3166 country codes, e.g. KAZ.")]
    try:
        phone_normalize(data.mobile_phone)
    except NotAPhoneNumber:
        errors["mobile_phone"] = [
            _("This is not a phone number. Write it with the country code, e.g. +7 701 234 56 78.")
        ]
    if data.email.strip():
        try:
            validate_email(data.email.strip())
        except ValidationError:
            errors["email"] = [_("This is not an e-mail address, e.g. name@example.org.")]
    return errors


def victim_validate(data: VictimInput) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if data.trafficking_status not in TraffickingStatus.values:
        errors["trafficking_status"] = [_("Choose a valid trafficking status.")]
    if (
        data.trafficking_status_decision_org
        and data.trafficking_status_decision_org not in DecisionMakingOrg.values
    ):
        errors["trafficking_status_decision_org"] = [_("Choose a valid organisation type.")]
    _check_choices(
        errors, "types_of_exploitation", data.types_of_exploitation, TypeOfExploitation.values
    )
    _check_choices(errors, "methods_of_control", data.methods_of_control, MethodOfControl.values)
    if data.age_when_trafficked is not None and not 0 <= data.age_when_trafficked <= MAX_AGE:
        errors["age_when_trafficked"] = [_("The age must be between 0 and 120.")]
    return errors


def place_validate(data: PlaceInput, *, today: datetime.date) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if data.type not in HistoricEventType.values:
        errors["place_type"] = [_("Choose recruitment, transit or exploitation.")]
    if data.country and not is_country_code(data.country):
        errors["place_country"] = [_("Use three-letter ISO 3166 country codes, e.g. KAZ.")]
    if data.place_id is not None and not Place.objects.filter(pk=data.place_id).exists():
        errors["place_id"] = [_("Choose a city from the list.")]
    if data.date and data.date > today:
        errors["place_date"] = [_("The date cannot be in the future.")]
    return errors


def case_event_build(
    *,
    case: Case,
    actor: Actor | None,
    kind: str,
    section: str = "",
    data: dict[str, Any] | None = None,
) -> CaseEvent:
    """An unsaved timeline row, for ``case_events_record``."""
    return CaseEvent(
        case=case,
        kind=kind,
        actor_user=actor.user if actor else None,
        actor_agency=actor.agency if actor else None,
        section=section,
        data=data or {},
    )


def case_events_record(events: Sequence[CaseEvent]) -> list[CaseEvent]:
    """Append rows (from ``case_event_build``) to the timelines of their cases, all at once.

    Each case's timeline is its own hash chain: the heads of the cases involved are locked in
    one fixed order, so a list recording many cases never deadlocks with another request and
    never waits for people working on other cases. A few statements, whatever the number of
    cases. Call inside the service's transaction.
    """
    return chain_append(events)


def case_event_record(
    *,
    case: Case,
    actor: Actor | None,
    kind: str,
    section: str = "",
    data: dict[str, Any] | None = None,
) -> CaseEvent:
    """Append one row to the case timeline. Call inside the changing service's transaction."""
    event = case_event_build(case=case, actor=actor, kind=kind, section=section, data=data)
    return case_events_record([event])[0]


def _person_from(data: PersonInput, *, today: datetime.date) -> Person:
    return Person(
        first_name=data.first_name.strip(),
        patronymic=data.patronymic.strip(),
        family_name=data.family_name.strip(),
        sex=data.sex,
        gender=data.gender,
        birth_date=data.birth_date,
        birth_date_precision=data.birth_date_precision,
        approximate_age=None if data.birth_date else data.approximate_age,
        age_estimated_on=today
        if (data.approximate_age is not None and not data.birth_date)
        else None,
        citizenship=sorted(set(data.citizenship)),
        primary_language=data.primary_language,
        secondary_language=data.secondary_language,
        mobile_phone=phone_normalize(data.mobile_phone),
        email=data.email.strip(),
        contact_notes=data.contact_notes.strip(),
    )


def case_register_errors(
    *, person: PersonInput, victim: VictimInput, place: PlaceInput | None = None
) -> dict[str, list[str]]:
    """Everything wrong with a registration, all at once, writing nothing: ``case_register``
    refuses on it, and a form whose other fields did not parse shows it beside their errors."""
    today = timezone.localdate()
    errors = person_validate(person, today=today) | victim_validate(victim)
    if place is not None and not place.is_empty:
        errors |= place_validate(place, today=today)
    return errors


@transaction.atomic
def case_register(
    *,
    actor: Actor,
    person: PersonInput,
    victim: VictimInput,
    place: PlaceInput | None = None,
) -> Case:
    """Register a new case for a person, owned by the actor's agency.

    Validates everything first and writes nothing unless all is valid.
    """
    actor.require(Capability.REGISTER_CASES)
    today = timezone.localdate()
    errors = case_register_errors(person=person, victim=victim, place=place)
    if errors:
        raise ValidationError(errors)

    new_person = _person_from(person, today=today)
    new_person.save()
    person_changed(new_person)
    case = Case.objects.create(
        person=new_person,
        owner_agency=actor.agency,
        case_worker=actor.user,
        trafficking_status=victim.trafficking_status,
        trafficking_status_decision_org=victim.trafficking_status_decision_org,
        types_of_exploitation=sorted(set(victim.types_of_exploitation)),
        methods_of_control=sorted(set(victim.methods_of_control)),
        age_when_trafficked=victim.age_when_trafficked,
        agreement_to_manage_personal_data=victim.agreement_to_manage_personal_data,
        opened_on=today,
    )
    if place is not None and not place.is_empty:
        _historic_event_create(case=case, data=place)
    case_event_record(
        case=case,
        actor=actor,
        kind=CaseEvent.Kind.CASE_REGISTERED,
        data={"reference": case.reference, "trafficking_status": case.trafficking_status},
    )
    stage_entered(case, case.nrm_stage, actor)
    return case


def _historic_event_create(*, case: Case, data: PlaceInput) -> HistoricEvent:
    return HistoricEvent.objects.create(
        case=case,
        type=data.type,
        country=data.country,
        place_id=data.place_id,
        city=data.city.strip(),
        date=data.date,
        description=data.description.strip(),
    )


@transaction.atomic
def historic_event_add(*, actor: Actor, case: Case, data: PlaceInput) -> HistoricEvent:
    """Add where and when recruitment, transit or exploitation happened. Owner agency only."""
    from tirek.cases.selectors import case_for_change

    case = case_for_change(actor=actor, case_id=case.pk)
    case_require_open(case)
    errors = place_validate(data, today=timezone.localdate())
    if data.is_empty:
        errors["place_country"] = [_("Enter at least a country, a city or a date.")]
    if errors:
        raise ValidationError(errors)
    event = _historic_event_create(case=case, data=data)
    case_event_record(
        case=case,
        actor=actor,
        kind=CaseEvent.Kind.HISTORIC_EVENT_ADDED,
        section="events",
        data={"type": data.type, "historic_event_id": str(event.pk)},
    )
    return event


@transaction.atomic
def case_victim_update(
    *, actor: Actor, case: Case, expected_version: int, victim: VictimInput
) -> Case:
    """Change the trafficking details of a case; refuses if someone changed it meanwhile."""
    from tirek.cases.selectors import case_for_change

    case = case_for_change(actor=actor, case_id=case.pk)
    case_require_open(case)
    errors = victim_validate(victim)
    if errors:
        raise ValidationError(errors)
    fields = {
        "trafficking_status": victim.trafficking_status,
        "trafficking_status_decision_org": victim.trafficking_status_decision_org,
        "types_of_exploitation": sorted(set(victim.types_of_exploitation)),
        "methods_of_control": sorted(set(victim.methods_of_control)),
        "age_when_trafficked": victim.age_when_trafficked,
        "agreement_to_manage_personal_data": victim.agreement_to_manage_personal_data,
    }
    changed = sorted(k for k, v in fields.items() if getattr(case, k) != v)
    _case_swap(case, expected_version, **fields)
    case_event_record(
        case=case,
        actor=actor,
        kind=CaseEvent.Kind.CASE_UPDATED,
        section="victim",
        data={"fields": changed},
    )
    return case


CLOSED_STATUSES = frozenset({CaseStatus.CLOSED, CaseStatus.CLOSED_REFERRED})
MAX_CLOSURE_REASON = 2000


def _case_swap(case: Case, expected_version: int, **fields: Any) -> None:
    """Compare-and-swap on the row version; ``ConcurrentUpdate`` if someone changed it."""
    versioned_update(
        case,
        expected_version=expected_version,
        conflict_message=gettext_lazy(
            "Someone else changed this case while you were editing. Reload and try again."
        ),
        fields=fields,
    )


@transaction.atomic
def case_close(
    *, actor: Actor, case: Case, expected_version: int, status: str, reason: str
) -> Case:
    """Close a case (HTCDS ``cas_Status`` Closed/ClosedReferred with ``cas_ReasonForCaseClosure``).

    Owner agency only. The retention period runs from the closing date.
    """
    from tirek.cases.selectors import case_for_change
    from tirek.core.errors import InvalidState

    case = case_for_change(actor=actor, case_id=case.pk)
    errors: dict[str, list[str]] = {}
    if status not in CLOSED_STATUSES:
        errors["status"] = [_("Choose closed or closed (referred).")]
    if not reason.strip():
        errors["reason"] = [_("Give the reason for closing the case.")]
    elif len(reason) > MAX_CLOSURE_REASON:
        errors["reason"] = [_("The reason is too long.")]
    if case.status in CLOSED_STATUSES or case.anonymised_at is not None:
        raise InvalidState(_("This case is already closed."))
    problems = transition_problems(case, CLOSED)
    if problems:
        errors.setdefault("status", []).extend(problems)
    if errors:
        raise ValidationError(errors)
    _case_swap(
        case,
        expected_version,
        status=status,
        closed_on=timezone.localdate(),
        closure_reason=reason.strip(),
    )
    case_event_record(
        case=case, actor=actor, kind=CaseEvent.Kind.CASE_CLOSED, data={"status": status}
    )
    return case


@transaction.atomic
def case_reopen(*, actor: Actor, case: Case, expected_version: int) -> Case:
    """Reopen a closed case (status Active); an anonymised case cannot be reopened."""
    from tirek.cases.selectors import case_for_change
    from tirek.core.errors import InvalidState

    case = case_for_change(actor=actor, case_id=case.pk)
    if case.anonymised_at is not None:
        raise InvalidState(_("This case was anonymised and cannot be reopened."))
    if case.status not in CLOSED_STATUSES:
        raise InvalidState(_("This case is not closed."))
    previous = case.status
    _case_swap(case, expected_version, status=CaseStatus.ACTIVE, closed_on=None, closure_reason="")
    case_event_record(
        case=case,
        actor=actor,
        kind=CaseEvent.Kind.CASE_REOPENED,
        data={"previous_status": previous},
    )
    return case
