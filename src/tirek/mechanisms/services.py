"""Writes of mechanisms: drafts, their steps, putting a version in force, importing a file.

Each function is one transaction and writes one audit row; validation comes before the first
write. Only drafts change; a version in force or retired stays as it was, so that the cases that
started under it keep the rules they started under.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from tirek.accounts.actor import Actor
from tirek.accounts.models import Agency
from tirek.core.audit import audit_record
from tirek.core.errors import ConcurrentUpdate, Forbidden, InvalidState, NotFound
from tirek.directory.models import Place, ServiceType
from tirek.mechanisms import policy
from tirek.mechanisms.models import Mechanism, Step
from tirek.mechanisms.rules import (
    NAME_MAX,
    StepInput,
    reflection_days_problems,
    step_problems,
)

NOTE_MAX = 4000


def _audit(actor: Actor, action: str, mechanism: Mechanism, **data: Any) -> None:
    audit_record(
        action=f"mechanism.{action}",
        user_id=actor.user.pk,
        agency_id=actor.agency.pk,
        object_type="mechanism",
        object_id=mechanism.pk,
        data={"territory": mechanism.territory.code, "number": mechanism.number} | data,
    )


def _for_change(actor: Actor, mechanism_id: UUID | str, expected_version: int | None) -> Mechanism:
    """The draft, locked; refuses versions no longer drafts and stale edits."""
    policy.require_edit(actor)
    mechanism = (
        Mechanism.objects.select_for_update().select_related("territory").filter(pk=mechanism_id)
    ).first()
    if mechanism is None:
        raise NotFound()
    if not mechanism.is_draft:
        raise InvalidState(_("Only a draft can be changed. Make a new draft from this version."))
    if expected_version is not None and mechanism.version != expected_version:
        raise ConcurrentUpdate(
            _("Someone changed this mechanism while you were editing. Reload and try again.")
        )
    return mechanism


def _touch(mechanism: Mechanism) -> None:
    Mechanism.objects.filter(pk=mechanism.pk).update(
        version=mechanism.version + 1, updated_at=timezone.now()
    )
    mechanism.version += 1


def _header_problems(title: str, note: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = [_("Give the mechanism a title.")]
    elif len(title) > NAME_MAX:
        errors["title"] = [_("The title is too long (200 characters at most).")]
    if len(note) > NOTE_MAX:
        errors["note"] = [_("The note is too long (4000 characters at most).")]
    return errors


def _next_number(territory: Place) -> int:
    top = Mechanism.objects.filter(territory=territory).aggregate(top=Max("number"))["top"]
    return (top or 0) + 1


def _create(
    actor: Actor,
    *,
    territory: Place,
    title: str,
    note: str,
    deadlines_illustrative: bool,
    based_on: Mechanism | None,
    reflection_days: int | None = None,
) -> Mechanism:
    for _attempt in range(3):
        try:
            with transaction.atomic():
                return Mechanism.objects.create(
                    territory=territory,
                    number=_next_number(territory),
                    title=title.strip(),
                    note=note.strip(),
                    deadlines_illustrative=deadlines_illustrative,
                    reflection_days=reflection_days,
                    based_on=based_on,
                    created_by=actor.user,
                    created_by_agency=actor.agency,
                )
        except IntegrityError:  # another draft took the number at the same moment
            continue
    raise ConcurrentUpdate(_("Another draft was made at the same moment. Try again."))


@transaction.atomic
def mechanism_create(
    *,
    actor: Actor,
    territory_id: int | None = None,
    title: str = "",
    note: str = "",
    based_on_id: UUID | str | None = None,
) -> Mechanism:
    """A new draft for a territory, empty or a copy of another version (of any territory: one city
    may start from another's mechanism)."""
    policy.require_edit(actor)
    based_on = None
    if based_on_id:
        based_on = Mechanism.objects.select_related("territory").filter(pk=based_on_id).first()
        if based_on is None:
            raise ValidationError({"based_on": [_("Choose a mechanism from the list.")]})
    territory = Place.objects.filter(pk=territory_id).first() if territory_id else None
    if territory is None and based_on is not None and not territory_id:
        territory = based_on.territory
    errors = _header_problems(title or (based_on.title if based_on else ""), note)
    if territory is None:
        errors["territory"] = [_("Choose a territory from the list.")]
    if errors:
        raise ValidationError(errors)
    assert territory is not None  # noqa: S101
    mechanism = _create(
        actor,
        territory=territory,
        title=title or (based_on.title if based_on else ""),
        note=note or (based_on.note if based_on else ""),
        deadlines_illustrative=based_on.deadlines_illustrative if based_on else False,
        reflection_days=based_on.reflection_days if based_on else None,
        based_on=based_on,
    )
    if based_on is not None:
        copies = []
        for step in based_on.steps.all():
            step.pk = None
            step._state.adding = True
            step.mechanism = mechanism
            step.version = 1
            copies.append(step)
        Step.objects.bulk_create(copies)
    _audit(actor, "created", mechanism, based_on=str(based_on.pk) if based_on else "")
    return mechanism


@transaction.atomic
def mechanism_update(
    *,
    actor: Actor,
    mechanism_id: UUID | str,
    expected_version: int,
    title: str,
    note: str = "",
    deadlines_illustrative: bool = False,
    reflection_days: int | None = None,
) -> Mechanism:
    """Change a draft's title, note, whether its deadlines are only illustrative, and the length
    of the reflection period it gives a case (None: the default)."""
    mechanism = _for_change(actor, mechanism_id, expected_version)
    errors = _header_problems(title, note)
    if problems := reflection_days_problems(reflection_days):
        errors["reflection_days"] = problems
    if errors:
        raise ValidationError(errors)
    mechanism.title = title.strip()
    mechanism.note = note.strip()
    mechanism.deadlines_illustrative = deadlines_illustrative
    mechanism.reflection_days = reflection_days
    mechanism.save(
        update_fields=["title", "note", "deadlines_illustrative", "reflection_days", "updated_at"]
    )
    _touch(mechanism)
    _audit(actor, "updated", mechanism)
    return mechanism


def _resolve(data: StepInput) -> tuple[dict[str, list[str]], Agency | None, ServiceType | None]:
    errors = step_problems(data)
    agency = None
    if data.agency_id is not None:
        agency = Agency.objects.filter(pk=data.agency_id, is_active=True).first()
        if agency is None:
            errors.setdefault("agency", []).append(_("Choose an agency from the list."))
    service = None
    if data.service_type_id is not None:
        service = ServiceType.objects.filter(pk=data.service_type_id).first()
        if service is None:
            errors.setdefault("service_type", []).append(_("Choose a service from the list."))
    return errors, agency, service


def _apply(step: Step, data: StepInput, agency: Agency | None, service: ServiceType | None) -> None:
    step.code = data.code
    step.stage = data.stage
    step.name_en = data.name_en.strip()
    step.name_ru = data.name_ru.strip()
    step.name_kk = data.name_kk.strip()
    step.action = data.action
    step.agency_type = data.agency_type if agency is None else ""
    step.agency = agency
    step.service_type = service
    step.deadline_value = data.deadline_value
    step.deadline_unit = data.deadline_unit
    step.counted_from = data.counted_from
    step.escalate_after = data.escalate_after
    step.age_group = data.age_group
    step.citizenship = data.citizenship
    step.exploitation = sorted(set(data.exploitation))
    step.position = data.position


@transaction.atomic
def step_save(
    *,
    actor: Actor,
    mechanism_id: UUID | str,
    expected_version: int,
    data: StepInput,
    step_id: UUID | str | None = None,
) -> Step:
    """Add a step to a draft, or change one."""
    mechanism = _for_change(actor, mechanism_id, expected_version)
    step = None
    if step_id is not None:
        step = Step.objects.filter(pk=step_id, mechanism=mechanism).first()
        if step is None:
            raise NotFound()
    errors, agency, service = _resolve(data)
    clash = Step.objects.filter(mechanism=mechanism, code=data.code)
    if step is not None:
        clash = clash.exclude(pk=step.pk)
    if "code" not in errors and clash.exists():
        errors["code"] = [_("Another step of this mechanism has this code.")]
    if errors:
        raise ValidationError(errors)
    created = step is None
    if step is None:
        step = Step(mechanism=mechanism)
        if not data.position:
            top = mechanism.steps.aggregate(top=Max("position"))["top"]
            data = StepInput(**{**data.__dict__, "position": (top or 0) + 10})
    else:
        step.version += 1
    _apply(step, data, agency, service)
    step.save()
    _touch(mechanism)
    _audit(actor, "step_added" if created else "step_changed", mechanism, step=step.code)
    return step


@transaction.atomic
def step_delete(
    *, actor: Actor, mechanism_id: UUID | str, expected_version: int, step_id: UUID | str
) -> Mechanism:
    """Remove a step from a draft."""
    mechanism = _for_change(actor, mechanism_id, expected_version)
    step = Step.objects.filter(pk=step_id, mechanism=mechanism).first()
    if step is None:
        raise NotFound()
    code = step.code
    step.delete()
    _touch(mechanism)
    _audit(actor, "step_removed", mechanism, step=code)
    return mechanism


@transaction.atomic
def mechanism_put_in_force(*, actor: Actor, mechanism_id: UUID | str) -> Mechanism:
    """The coordinating body of the territory puts a draft in force; the version in force until
    now is retired. Cases keep the version they started under."""
    mechanism = _for_change(actor, mechanism_id, None)
    if not policy.can_put_in_force(actor, mechanism):
        raise Forbidden(
            _("Only the coordinating body of this territory puts its mechanism in force.")
        )
    if not mechanism.steps.exists():
        raise InvalidState(_("A mechanism without steps cannot be put in force."))
    now = timezone.now()
    previous = (
        Mechanism.objects.select_for_update()
        .filter(territory=mechanism.territory, status=Mechanism.Status.IN_FORCE)
        .first()
    )
    if previous is not None:
        previous.status = Mechanism.Status.RETIRED
        previous.retired_at = now
        previous.version += 1
        previous.save(update_fields=["status", "retired_at", "version", "updated_at"])
    mechanism.status = Mechanism.Status.IN_FORCE
    mechanism.in_force_at = now
    mechanism.in_force_by = actor.user
    mechanism.version += 1
    mechanism.save(update_fields=["status", "in_force_at", "in_force_by", "version", "updated_at"])
    _audit(actor, "put_in_force", mechanism, retired=str(previous.pk) if previous else "")
    return mechanism


@transaction.atomic
def mechanism_import(*, actor: Actor, document: Any) -> Mechanism:
    """A new draft from a mechanism file (see docs/mechanisms.md); every problem is reported
    at once, by its place in the file, and nothing is written when there is one."""
    from tirek.mechanisms.format import document_read

    policy.require_edit(actor)
    parsed = document_read(document)
    mechanism = _create(
        actor,
        territory=parsed.territory,
        title=parsed.title,
        note=parsed.note,
        deadlines_illustrative=parsed.deadlines_illustrative,
        reflection_days=parsed.reflection_days,
        based_on=None,
    )
    steps = []
    for position, (data, agency, service) in enumerate(parsed.steps, start=1):
        step = Step(mechanism=mechanism)
        _apply(step, StepInput(**{**data.__dict__, "position": position * 10}), agency, service)
        steps.append(step)
    Step.objects.bulk_create(steps)
    _audit(actor, "imported", mechanism, steps=len(steps))
    return mechanism
