"""Anonymisation after the retention period, subject access export and erasure on request.

Anonymising a case erases everything that identifies its person (names, birth date, contacts,
free text) and keeps de-identified statistics on the case (age group at identification, sex,
citizenship). The timeline stays: it holds codes, dates and agencies, never personal data.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from tirek.accounts.actor import Actor
from tirek.cases.choices import AgeGroup, CaseStatus
from tirek.cases.models import Case, CaseEvent, Person
from tirek.cases.services import CLOSED_STATUSES, case_event_record
from tirek.core.audit import audit_record
from tirek.core.errors import Forbidden, InvalidState
from tirek.core.privacy import personal_data_erase, personal_fields
from tirek.retention.models import ErasureRequest
from tirek.retention.policy import can_handle_erasure

MAX_LEGAL_BASIS = 2000

_AGE_BANDS: list[tuple[int, str]] = [
    (12, AgeGroup.CHILD_0_11),
    (18, AgeGroup.CHILD_12_17),
    (25, AgeGroup.ADULT_18_24),
    (35, AgeGroup.ADULT_25_34),
    (45, AgeGroup.ADULT_35_44),
    (60, AgeGroup.ADULT_45_59),
]


def age_group(age: int | None) -> str:
    """The statistics age band of an age in whole years (``unknown`` for none)."""
    if age is None or age < 0:
        return AgeGroup.UNKNOWN
    for below, group in _AGE_BANDS:
        if age < below:
            return group
    return AgeGroup.ADULT_60_PLUS


def retention_cutoff(today: datetime.date, days: int | None = None) -> datetime.date:
    """Cases closed on or before this date have outlived the retention period."""
    period = settings.TIREK_RETENTION_DAYS if days is None else days
    return today - datetime.timedelta(days=period)


# --- anonymisation -----------------------------------------------------------------------------


def _person_derived_rows_delete(person: Person) -> None:
    """Delete rows derived from the person (blind indexes, matching keys, ...).

    Every model that would be deleted with the person (``on_delete=CASCADE``) holds data derived
    from them; cases (``PROTECT``) stay.
    """
    for relation in Person._meta.related_objects:
        model = relation.related_model
        if relation.on_delete is models.CASCADE and isinstance(model, type):
            model._default_manager.filter(**{relation.field.name: person}).delete()


def _anonymise(*, cases: list[Case], actor: Actor | None, kind: str, data: dict[str, Any]) -> None:
    """Anonymise the cases of one person (the caller holds the transaction and row locks)."""
    person = cases[0].person
    now = timezone.now()
    for case in cases:
        if case.anonymised_at is not None:
            continue
        Case.objects.filter(pk=case.pk).update(
            stats_age_group=age_group(person.age_on(case.opened_on)),
            stats_sex=person.sex,
            stats_citizenship=sorted(person.citizenship),
            status=case.status if case.status in CLOSED_STATUSES else CaseStatus.CLOSED,
            closed_on=case.closed_on or timezone.localdate(),
            anonymised_at=now,
            version=case.version + 1,
            updated_at=now,
        )
        case.refresh_from_db()
        case_event_record(case=case, actor=actor, kind=kind, data=data)
    # Every field that an app declares personal (its personal_data.py), for these cases and
    # their person; then every row derived from the person.
    personal_data_erase(case_ids=[case.pk for case in cases], person_id=person.pk)
    Person.objects.filter(pk=person.pk).update(version=F("version") + 1, updated_at=now)
    _person_derived_rows_delete(person)


def personal_data_tables() -> list[str]:
    """The tables that hold personal data (the registry's models) or rows derived from a person
    (models deleted with the person): the ones whose old row versions a vacuum must drop."""
    models_: set[type[models.Model]] = {entry.model_class() for entry in personal_fields()}
    for relation in Person._meta.related_objects:
        if relation.on_delete is models.CASCADE and isinstance(relation.related_model, type):
            models_.add(relation.related_model)
    return sorted(model._meta.db_table for model in models_)


def personal_data_vacuum() -> list[str]:
    """Rewrite the files of the personal-data tables so that erased values do not linger in old
    row versions (PostgreSQL: ``VACUUM (FULL, ANALYZE)`` per table, which locks each table while
    it runs; SQLite: ``VACUUM`` of the whole file). Must run outside a transaction."""
    tables = personal_data_tables()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in tables:
                cursor.execute(f"VACUUM (FULL, ANALYZE) {connection.ops.quote_name(table)}")
        else:
            cursor.execute("VACUUM")
    audit_record(
        action="retention.vacuumed",
        user_id=None,
        agency_id=None,
        data={"tables": len(tables), "engine": connection.vendor},
    )
    return tables


@dataclass(frozen=True)
class RetentionReport:
    """What a retention run did (or would do): counts only, never names."""

    cutoff: datetime.date
    cases_anonymised: int
    persons_anonymised: int
    cases_kept_for_open_cases: int


def _due_groups(cutoff: datetime.date) -> tuple[list[list[Case]], int]:
    """Expired closed cases grouped by person; a person with any other live case is kept."""
    from tirek.retention.selectors import cases_due_for_anonymisation

    due: dict[UUID, list[Case]] = {}
    for case in cases_due_for_anonymisation(cutoff=cutoff):
        due.setdefault(case.person_id, []).append(case)
    groups: list[list[Case]] = []
    kept = 0
    for person_id, cases in due.items():
        live = (
            Case.objects.filter(person_id=person_id, anonymised_at__isnull=True)
            .exclude(pk__in=[c.pk for c in cases])
            .exists()
        )
        if live:
            kept += len(cases)
        else:
            groups.append(cases)
    return groups, kept


def retention_apply(
    *, today: datetime.date | None = None, dry_run: bool = False, days: int | None = None
) -> RetentionReport:
    """Anonymise every case closed for longer than the retention period. Idempotent."""
    cutoff = retention_cutoff(today or timezone.localdate(), days)
    groups, kept = _due_groups(cutoff)
    if not dry_run:
        for cases in groups:
            with transaction.atomic():
                locked = list(
                    Case.objects.select_for_update()
                    .select_related("person")
                    .filter(pk__in=[c.pk for c in cases], anonymised_at__isnull=True)
                    .order_by("pk")
                )
                if locked:
                    _anonymise(
                        cases=locked,
                        actor=None,
                        kind=CaseEvent.Kind.CASE_ANONYMISED,
                        data={"cutoff": cutoff.isoformat()},
                    )
        if groups:
            audit_record(
                action="retention.applied",
                user_id=None,
                agency_id=None,
                data={
                    "cutoff": cutoff.isoformat(),
                    "cases": sum(len(g) for g in groups),
                    "persons": len(groups),
                },
            )
    return RetentionReport(
        cutoff=cutoff,
        cases_anonymised=sum(len(g) for g in groups),
        persons_anonymised=len(groups),
        cases_kept_for_open_cases=kept,
    )


# --- subject access ----------------------------------------------------------------------------


@transaction.atomic
def subject_access_export(*, actor: Actor, case_id: UUID | str) -> dict[str, Any]:
    """Everything held about the person of a case that the actor's agency may see, as JSON data.

    Owner agency only (the view and API ask for re-authentication first); recorded on each
    exported case's timeline and in the audit log.
    """
    from tirek.cases.selectors import case_view
    from tirek.retention.selectors import subject_access_data

    view = case_view(actor=actor, case_id=case_id)
    if not view.is_owner:
        raise Forbidden(_("Only the agency that owns the case can export the person's data."))
    export = subject_access_data(actor=actor, case=view.case)
    export["exported_at"] = timezone.now().isoformat()
    for item in export["cases"]:
        case_event_record(
            case=Case.objects.get(pk=item["id"]),
            actor=actor,
            kind=CaseEvent.Kind.SUBJECT_ACCESS_EXPORTED,
            data={"from_case": str(view.case.pk)},
        )
    audit_record(
        action="subject_access.exported",
        user_id=actor.user.pk,
        agency_id=actor.membership.agency_id,
        object_type="case",
        object_id=view.case.pk,
        data={"cases": [str(item["id"]) for item in export["cases"]]},
    )
    return export


# --- erasure on request ------------------------------------------------------------------------


def _case_for_erasure(actor: Actor, case_id: UUID | str) -> Case:
    from tirek.cases.selectors import case_view

    view = case_view(actor=actor, case_id=case_id)
    if not can_handle_erasure(actor, view):
        raise Forbidden(_("Only a supervisor of the agency that owns the case can do this."))
    return view.case


@transaction.atomic
def erasure_request_record(
    *, actor: Actor, case_id: UUID | str, legal_basis: str, received_on: datetime.date | None = None
) -> ErasureRequest:
    """Record a person's request to erase their data (supervisor of the owner agency)."""
    case = _case_for_erasure(actor, case_id)
    today = timezone.localdate()
    received_on = received_on or today
    errors: dict[str, list[str]] = {}
    if not legal_basis.strip():
        errors["legal_basis"] = [_("Give the legal basis and the reason for the request.")]
    elif len(legal_basis) > MAX_LEGAL_BASIS:
        errors["legal_basis"] = [_("The text is too long.")]
    if received_on > today:
        errors["received_on"] = [_("The date cannot be in the future.")]
    if errors:
        raise ValidationError(errors)
    if case.anonymised_at is not None:
        raise InvalidState(_("This case was already anonymised."))
    request = ErasureRequest.objects.create(
        case=case,
        agency=actor.agency,
        legal_basis=legal_basis.strip(),
        received_on=received_on,
        recorded_by=actor.user,
    )
    audit_record(
        action="erasure.requested",
        user_id=actor.user.pk,
        agency_id=actor.membership.agency_id,
        object_type="case",
        object_id=case.pk,
        data={"erasure_request": str(request.pk), "received_on": received_on.isoformat()},
    )
    return request


@transaction.atomic
def erasure_execute(*, actor: Actor, case_id: UUID | str, request_id: UUID | str) -> ErasureRequest:
    """Erase the person's data now, as retention would, on a recorded request.

    Covers every case of the person; refused while another agency owns one of them (that agency
    must erase its own case).
    """
    case = _case_for_erasure(actor, case_id)
    try:
        request = ErasureRequest.objects.select_for_update().get(pk=request_id, case=case)
    except (ErasureRequest.DoesNotExist, ValueError, ValidationError):
        from tirek.core.errors import NotFound

        raise NotFound() from None
    if request.is_executed:
        raise InvalidState(_("This request was already executed."))
    cases = list(
        Case.objects.select_for_update()
        .select_related("person")
        .filter(person_id=case.person_id)
        .order_by("pk")
    )
    if any(c.owner_agency_id != case.owner_agency_id for c in cases):
        raise InvalidState(
            _("Another agency also holds a case of this person; it must erase its own case.")
        )
    _anonymise(
        cases=cases,
        actor=actor,
        kind=CaseEvent.Kind.CASE_ERASED,
        data={"erasure_request": str(request.pk)},
    )
    request.executed_at = timezone.now()
    request.executed_by = actor.user
    request.version += 1
    request.save(update_fields=["executed_at", "executed_by", "version", "updated_at"])
    audit_record(
        action="erasure.executed",
        user_id=actor.user.pk,
        agency_id=actor.membership.agency_id,
        object_type="case",
        object_id=case.pk,
        data={"erasure_request": str(request.pk), "cases": [str(c.pk) for c in cases]},
    )
    return request
