"""Perpetrators of the trafficking (HTCDS ``per_``): recorded by the owning agency, seen by the
agencies granted the ``perpetrators`` section (e.g. police and prosecutors)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from tirek.accounts.actor import Actor
from tirek.cases.choices import Section, Sex, is_country_code
from tirek.cases.models import CaseEvent
from tirek.cases.policy import case_require_open
from tirek.cases.selectors import CaseView, case_for_change
from tirek.cases.services import case_event_record
from tirek.core.errors import ConcurrentUpdate, NotFound
from tirek.protection.children import child_case_require
from tirek.protection.choices import PerpetratorRole, RelationshipToTrafficker
from tirek.protection.models import Perpetrator

MAX_TEXT = 4000


def perpetrators_for(*, view: CaseView) -> QuerySet[Perpetrator]:
    if not view.has(Section.PERPETRATORS):
        return Perpetrator.objects.none()
    return view.case.perpetrators.all()


def perpetrator_validate(
    *,
    roles: list[str],
    name: str,
    sex: str,
    citizenship: list[str],
    role_details: str,
    relationship: str,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not roles:
        errors["roles"] = [_("Choose at least one role in the trafficking.")]
    elif set(roles) - set(PerpetratorRole.values):
        errors["roles"] = [_("Unknown role.")]
    if sex not in Sex.values:
        errors["sex"] = [_("Choose a valid sex.")]
    if relationship and relationship not in RelationshipToTrafficker.values:
        errors["relationship"] = [_("Choose the relationship from the list.")]
    if any(not is_country_code(code) for code in citizenship):
        errors["citizenship"] = [_("Use three-letter ISO 3166 country codes, e.g. KAZ.")]
    if len(name) > 200:
        errors["name"] = [_("The text is too long.")]
    if len(role_details) > MAX_TEXT:
        errors["role_details"] = [_("The text is too long.")]
    return errors


def _checked_fields(**given: Any) -> dict[str, object]:
    """The row's values from what was given, once the rules passed (``ValidationError`` if not)."""
    errors = perpetrator_validate(**given)
    if errors:
        raise ValidationError(errors)
    return _fields(**given)


def _fields(
    *,
    roles: list[str],
    name: str,
    sex: str,
    citizenship: list[str],
    role_details: str,
    relationship: str,
) -> dict[str, object]:
    return {
        "name": name.strip(),
        "sex": sex,
        "citizenship": sorted(set(citizenship)),
        "roles": [r for r in PerpetratorRole.values if r in set(roles)],
        "role_details": role_details.strip(),
        "relationship": relationship,
    }


@transaction.atomic
def perpetrator_add(
    *,
    actor: Actor,
    case_id: UUID | str,
    roles: list[str],
    name: str = "",
    sex: str = Sex.UNKNOWN,
    citizenship: list[str] | None = None,
    role_details: str = "",
    relationship: str = "",
) -> Perpetrator:
    """Record a perpetrator of the case (owning agency)."""
    case = case_for_change(actor=actor, case_id=case_id)
    case_require_open(case)
    child_case_require(actor, case)
    fields = _checked_fields(
        roles=roles,
        name=name,
        sex=sex,
        citizenship=citizenship or [],
        role_details=role_details,
        relationship=relationship,
    )
    perpetrator = Perpetrator.objects.create(case=case, recorded_by=actor.user, **fields)
    case_event_record(
        case=case,
        actor=actor,
        kind=CaseEvent.Kind.PERPETRATOR_ADDED,
        section=Section.PERPETRATORS,
        data={"perpetrator_id": str(perpetrator.pk), "roles": perpetrator.roles},
    )
    return perpetrator


def _perpetrator_for_change(actor: Actor, perpetrator_id: UUID | str) -> Perpetrator:
    """The perpetrator, locked, if the actor's agency may change its case; ``NotFound`` for an
    id that does not exist or a case outside the actor's circle."""
    try:
        perpetrator = (
            Perpetrator.objects.select_for_update().select_related("case").get(pk=perpetrator_id)
        )
    except (Perpetrator.DoesNotExist, ValueError, ValidationError):
        raise NotFound() from None
    case = case_for_change(actor=actor, case_id=perpetrator.case_id)
    case_require_open(case)
    child_case_require(actor, case)
    return perpetrator


@transaction.atomic
def perpetrator_update(
    *,
    actor: Actor,
    perpetrator_id: UUID | str,
    expected_version: int,
    roles: list[str],
    name: str = "",
    sex: str = Sex.UNKNOWN,
    citizenship: list[str] | None = None,
    role_details: str = "",
    relationship: str = "",
) -> Perpetrator:
    """Correct what is recorded about a perpetrator; refused if someone changed it meanwhile."""
    perpetrator = _perpetrator_for_change(actor, perpetrator_id)
    fields = _checked_fields(
        roles=roles,
        name=name,
        sex=sex,
        citizenship=citizenship or [],
        role_details=role_details,
        relationship=relationship,
    )
    if perpetrator.version != expected_version:
        raise ConcurrentUpdate(
            _("Someone else changed this perpetrator meanwhile. Reload to see it.")
        )
    changed = sorted(key for key, value in fields.items() if getattr(perpetrator, key) != value)
    for field, value in fields.items():
        setattr(perpetrator, field, value)
    perpetrator.version += 1
    perpetrator.save(update_fields=[*fields, "version", "updated_at"])
    case_event_record(
        case=perpetrator.case,
        actor=actor,
        kind=CaseEvent.Kind.PERPETRATOR_UPDATED,
        section=Section.PERPETRATORS,
        data={"perpetrator_id": str(perpetrator.pk), "fields": changed},
    )
    return perpetrator


@transaction.atomic
def perpetrator_remove(*, actor: Actor, perpetrator_id: UUID | str) -> None:
    """Remove a perpetrator recorded by mistake. The timeline keeps that it was removed, not
    what was recorded."""
    perpetrator = _perpetrator_for_change(actor, perpetrator_id)
    case = perpetrator.case
    pk = perpetrator.pk
    perpetrator.delete()
    case_event_record(
        case=case,
        actor=actor,
        kind=CaseEvent.Kind.PERPETRATOR_REMOVED,
        section=Section.PERPETRATORS,
        data={"perpetrator_id": str(pk)},
    )
