"""Return and reintegration (one plan per case) and the proceedings (several per case: criminal,
civil, ...), written whole by the owning agency with the version it read; each save is one
event."""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tirek.accounts.actor import Actor
from tirek.accounts.models import Agency
from tirek.cases.choices import RiskLevel, Section, is_country_code
from tirek.cases.models import CaseEvent
from tirek.cases.policy import case_require_open
from tirek.cases.selectors import CaseView, case_for_change
from tirek.cases.services import case_event_record
from tirek.core.errors import ConcurrentUpdate, NotFound
from tirek.core.versioning import versioned_update
from tirek.protection.children import child_case_require
from tirek.protection.choices import ProceedingKind, ProceedingRole
from tirek.protection.models import Proceeding, ReturnPlan

MAX_TEXT = 4000
STALE = gettext_lazy("Someone else changed this part meanwhile. Reload to see it.")


@dataclass
class ReturnInput:
    destination_country: str = ""
    destination_place: str = ""
    embassy_id: UUID | None = None
    travel_documents: str = ""
    return_risk: str = ""
    return_risk_notes: str = ""
    reintegration_plan: str = ""
    planned_on: datetime.date | None = None
    returned_on: datetime.date | None = None
    follow_up_contacts: str = ""


@dataclass
class ProceedingInput:
    role: str = ""
    kind: str = ProceedingKind.CRIMINAL
    police_reference: str = ""
    court_reference: str = ""
    protection_measures: str = ""
    next_hearing_on: datetime.date | None = None
    hearings: str = ""
    legal_aid: str = ""
    compensation: str = ""
    non_punishment: str = ""


def return_plan_for(*, view: CaseView) -> ReturnPlan | None:
    if not view.has(Section.RETURN):
        return None
    return ReturnPlan.objects.select_related("embassy").filter(case=view.case).first()


def proceedings_for(*, view: CaseView) -> QuerySet[Proceeding]:
    """The case's proceedings; none without the proceedings section."""
    if not view.has(Section.PROCEEDINGS):
        return Proceeding.objects.none()
    return Proceeding.objects.filter(case=view.case)


def _texts_too_long(data: object, errors: dict[str, list[str]]) -> None:
    for name, value in asdict(data).items():  # type: ignore[call-overload]
        if isinstance(value, str) and len(value) > MAX_TEXT:
            errors.setdefault(name, []).append(_("The text is too long."))


def return_validate(data: ReturnInput, *, today: datetime.date) -> dict[str, list[str]]:
    """The plan's own rules. (That the embassy is one of the directory's: the service.)"""
    errors: dict[str, list[str]] = {}
    if not is_country_code(data.destination_country):
        errors["destination_country"] = [_("Use three-letter ISO 3166 country codes, e.g. KAZ.")]
    if data.return_risk and data.return_risk not in RiskLevel.values:
        errors["return_risk"] = [_("Choose the level of risk.")]
    if data.returned_on is not None and data.returned_on > today:
        errors["returned_on"] = [_("The date cannot be in the future.")]
    _texts_too_long(data, errors)
    return errors


def proceeding_validate(data: ProceedingInput) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if data.role not in ProceedingRole.values:
        errors["role"] = [_("Choose the person's role.")]
    if data.kind not in ProceedingKind.values:
        errors["kind"] = [_("Choose which proceedings these are.")]
    for name in ("police_reference", "court_reference"):
        if len(getattr(data, name)) > 100:
            errors[name] = [_("The text is too long.")]
    _texts_too_long(data, errors)
    return errors


def _save(model: type, *, case: object, fields: dict[str, object], expected_version: int) -> object:
    """Create (version 0) or change the one row of ``model`` for the case, compare-and-swap."""
    row = model.objects.select_for_update().filter(case=case).first()  # type: ignore[attr-defined]
    if row is None:
        if expected_version != 0:
            raise ConcurrentUpdate(STALE)
        return model.objects.create(case=case, **fields)  # type: ignore[attr-defined]
    versioned_update(row, expected_version=expected_version, conflict_message=STALE, fields=fields)
    return row


@transaction.atomic
def return_plan_save(
    *, actor: Actor, case_id: UUID | str, data: ReturnInput, expected_version: int
) -> ReturnPlan:
    """Write the case's return and reintegration plan (version 0 creates it)."""
    case = case_for_change(actor=actor, case_id=case_id)
    case_require_open(case)
    child_case_require(actor, case)
    errors = return_validate(data, today=timezone.localdate())
    if (
        data.embassy_id is not None
        and not Agency.objects.filter(
            pk=data.embassy_id, type=Agency.Type.EMBASSY, is_active=True
        ).exists()
    ):
        errors["embassy"] = [_("Choose an embassy or consulate from the list.")]
    if errors:
        raise ValidationError(errors)
    fields = asdict(data)
    fields["destination_place"] = data.destination_place.strip()
    plan = _save(
        ReturnPlan,
        case=case,
        fields=fields | {"updated_by": actor.user},
        expected_version=expected_version,
    )
    assert isinstance(plan, ReturnPlan)  # noqa: S101
    case_event_record(
        case=case,
        actor=actor,
        kind=CaseEvent.Kind.RETURN_PLAN_SAVED,
        section=Section.RETURN,
        data={
            "return_plan_id": str(plan.pk),
            "country": plan.destination_country,
            "risk": plan.return_risk,
            "returned": plan.returned_on is not None,
        },
    )
    return plan


def _proceeding_fields(data: ProceedingInput) -> dict[str, object]:
    errors = proceeding_validate(data)
    if errors:
        raise ValidationError(errors)
    return {k: (v.strip() if isinstance(v, str) else v) for k, v in asdict(data).items()}


def _proceeding_event(actor: Actor, row: Proceeding, kind: str) -> None:
    case_event_record(
        case=row.case,
        actor=actor,
        kind=kind,
        section=Section.PROCEEDINGS,
        data={"proceeding_id": str(row.pk), "kind": row.kind, "role": row.role},
    )


@transaction.atomic
def proceeding_add(*, actor: Actor, case_id: UUID | str, data: ProceedingInput) -> Proceeding:
    """Record proceedings the person takes part in (a case may have several)."""
    case = case_for_change(actor=actor, case_id=case_id)
    case_require_open(case)
    child_case_require(actor, case)
    fields = _proceeding_fields(data)
    row = Proceeding.objects.create(case=case, updated_by=actor.user, **fields)
    _proceeding_event(actor, row, CaseEvent.Kind.PROCEEDING_ADDED)
    return row


@transaction.atomic
def proceeding_update(
    *, actor: Actor, proceeding_id: UUID | str, data: ProceedingInput, expected_version: int
) -> Proceeding:
    """Write what one of the case's proceedings stands at, with the version read."""
    try:
        row = Proceeding.objects.select_related("case").get(pk=proceeding_id)
    except (Proceeding.DoesNotExist, ValueError, ValidationError):
        raise NotFound() from None
    case = case_for_change(actor=actor, case_id=row.case_id)
    case_require_open(case)
    child_case_require(actor, case)
    fields = _proceeding_fields(data)
    versioned_update(
        row,
        expected_version=expected_version,
        conflict_message=STALE,
        fields={"updated_by": actor.user, **fields},
    )
    _proceeding_event(actor, row, CaseEvent.Kind.PROCEEDING_UPDATED)
    return row
