"""The reflection and recovery period: start, extend, end with an outcome, remind before it ends.

The length comes from ``reflection_days_for(case)``: the mechanism in force may register a
provider (``reflection_days_provider_register``); without one it is ``DEFAULT_REFLECTION_DAYS``,
the Council of Europe Convention's minimum (art. 13).
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tirek.accounts.actor import Actor
from tirek.cases.choices import Section
from tirek.cases.models import Case, CaseEvent
from tirek.cases.policy import case_require_open
from tirek.cases.selectors import CaseView, case_for_change
from tirek.cases.services import case_event_record
from tirek.core.errors import InvalidState, NotFound
from tirek.core.tasks import background_task
from tirek.core.versioning import versioned_update
from tirek.protection.children import child_case_require
from tirek.protection.choices import ReflectionOutcome
from tirek.protection.models import ReflectionExtension, ReflectionPeriod

logger = logging.getLogger(__name__)

DEFAULT_REFLECTION_DAYS = 30
MAX_REFLECTION_DAYS = 365
REMIND_DAYS_BEFORE = 3
MAX_NOTE = 2000

ReflectionDaysProvider = Callable[[Case], "int | None"]
_providers: dict[str, ReflectionDaysProvider] = {}


def reflection_days_provider_register(name: str, provider: ReflectionDaysProvider) -> None:
    """Let a higher app (the mechanism in force) say how long a case's reflection period is;
    ``provider(case)`` returns a number of days, or None to leave it to others."""
    _providers[name] = provider


def reflection_days_for(case: Case) -> int:
    """The length of the reflection period for ``case``: the mechanism's, else the default."""
    for provider in _providers.values():
        days = provider(case)
        if days:
            return days
    return DEFAULT_REFLECTION_DAYS


# --- reads ---------------------------------------------------------------------------------


def reflection_periods_for(*, view: CaseView) -> QuerySet[ReflectionPeriod]:
    """The case's reflection periods, newest first; empty without the support section."""
    if not view.has(Section.SUPPORT):
        return ReflectionPeriod.objects.none()
    return view.case.reflection_periods.prefetch_related("extensions")


def reflection_countdown(period: ReflectionPeriod, *, today: datetime.date) -> dict[str, object]:
    """What the countdown shows: days left, whether it ends soon or is overdue."""
    left = period.days_left(today)
    return {
        "days_left": max(left, 0),
        "overdue_days": max(-left, 0),
        "ends_soon": period.is_running and 0 <= left <= REMIND_DAYS_BEFORE,
        "is_overdue": period.is_running and left < 0,
    }


def _period_for_change(*, actor: Actor, period_id: UUID | str) -> ReflectionPeriod:
    period = ReflectionPeriod.objects.filter(pk=period_id).first()
    if period is None:
        raise NotFound()
    period.case = case_for_change(actor=actor, case_id=period.case_id)
    child_case_require(actor, period.case)
    return period


def _swap(period: ReflectionPeriod, expected_version: int, **fields: object) -> None:
    versioned_update(
        period,
        expected_version=expected_version,
        conflict_message=gettext_lazy(
            "Someone else changed this reflection period meanwhile. Reload to see it."
        ),
        where={"ended_on__isnull": True},
        fields=fields,
    )


# --- rules: pure, shared by the services, the forms and so the API ----------------------------


def reflection_start_validate(
    *, starts_on: datetime.date | None, days: int | None, minimum: int, today: datetime.date
) -> dict[str, list[str]]:
    """A start not in the future, for at least the mechanism's days (None: not given)."""
    errors: dict[str, list[str]] = {}
    if starts_on is not None and starts_on > today:
        errors["starts_on"] = [_("The start cannot be in the future.")]
    if days is not None and days < minimum:
        errors["days"] = [_("The reflection period is at least %(days)s days.") % {"days": minimum}]
    elif days is not None and days > MAX_REFLECTION_DAYS:
        errors["days"] = [_("At most %(days)s days.") % {"days": MAX_REFLECTION_DAYS}]
    return errors


def reflection_extend_validate(*, days: int | None, reason: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if days is not None and not 1 <= days <= MAX_REFLECTION_DAYS:
        errors["days"] = [_("Extend by 1 to %(days)s days.") % {"days": MAX_REFLECTION_DAYS}]
    if not reason.strip():
        errors["reason"] = [_("Say why the period is extended.")]
    elif len(reason) > MAX_NOTE:
        errors["reason"] = [_("The text is too long.")]
    return errors


def reflection_end_validate(
    *,
    outcome: str,
    ended_on: datetime.date | None,
    note: str,
    starts_on: datetime.date | None,
    today: datetime.date,
) -> dict[str, list[str]]:
    """An outcome, and an end between the period's start and today."""
    errors: dict[str, list[str]] = {}
    if outcome not in ReflectionOutcome.values:
        errors["outcome"] = [_("Choose the outcome.")]
    if ended_on is not None and ended_on > today:
        errors["ended_on"] = [_("The date cannot be in the future.")]
    elif ended_on is not None and starts_on is not None and ended_on < starts_on:
        errors["ended_on"] = [_("The end cannot be before the start.")]
    if len(note) > MAX_NOTE:
        errors["note"] = [_("The text is too long.")]
    return errors


# --- writes --------------------------------------------------------------------------------


@transaction.atomic
def reflection_start(
    *,
    actor: Actor,
    case_id: UUID | str,
    starts_on: datetime.date | None = None,
    days: int | None = None,
) -> ReflectionPeriod:
    """Start the case's reflection period (owning agency); one runs at a time."""
    case = case_for_change(actor=actor, case_id=case_id)
    case_require_open(case)
    child_case_require(actor, case)
    Case.objects.select_for_update().filter(pk=case.pk).first()
    today = timezone.localdate()
    minimum = reflection_days_for(case)
    days = minimum if days is None else days
    start = starts_on or today
    errors = reflection_start_validate(starts_on=start, days=days, minimum=minimum, today=today)
    if errors:
        raise ValidationError(errors)
    if case.reflection_periods.filter(ended_on__isnull=True).exists():
        raise InvalidState(_("A reflection period is already running for this case."))
    period = ReflectionPeriod.objects.create(
        case=case,
        starts_on=start,
        ends_on=start + datetime.timedelta(days=days),
        days_granted=days,
        started_by=actor.user,
    )
    case_event_record(
        case=case,
        actor=actor,
        kind=CaseEvent.Kind.REFLECTION_STARTED,
        section=Section.SUPPORT,
        data={"period_id": str(period.pk), "days": days, "ends_on": period.ends_on.isoformat()},
    )
    return period


@transaction.atomic
def reflection_extend(
    *, actor: Actor, period_id: UUID | str, days: int, reason: str, expected_version: int
) -> ReflectionPeriod:
    """Extend a running reflection period by ``days``; the reason is required."""
    period = _period_for_change(actor=actor, period_id=period_id)
    case_require_open(period.case)
    errors = reflection_extend_validate(days=days, reason=reason)
    if errors:
        raise ValidationError(errors)
    if not period.is_running:
        raise InvalidState(_("This reflection period has already ended."))
    previous = period.ends_on
    _swap(
        period,
        expected_version,
        ends_on=previous + datetime.timedelta(days=days),
        days_granted=period.days_granted + days,
        reminded_at=None,
    )
    ReflectionExtension.objects.create(
        period=period,
        days=days,
        previous_ends_on=previous,
        reason=reason.strip(),
        extended_by=actor.user,
    )
    case_event_record(
        case=period.case,
        actor=actor,
        kind=CaseEvent.Kind.REFLECTION_EXTENDED,
        section=Section.SUPPORT,
        data={"period_id": str(period.pk), "days": days, "ends_on": period.ends_on.isoformat()},
    )
    return period


@transaction.atomic
def reflection_end(
    *,
    actor: Actor,
    period_id: UUID | str,
    outcome: str,
    expected_version: int,
    note: str = "",
    ended_on: datetime.date | None = None,
) -> ReflectionPeriod:
    """Record the end of the reflection period and its outcome (the person's decision)."""
    period = _period_for_change(actor=actor, period_id=period_id)
    today = timezone.localdate()
    end = ended_on or today
    errors = reflection_end_validate(
        outcome=outcome, ended_on=end, note=note, starts_on=period.starts_on, today=today
    )
    if errors:
        raise ValidationError(errors)
    if not period.is_running:
        raise InvalidState(_("This reflection period has already ended."))
    _swap(period, expected_version, ended_on=end, outcome=outcome, outcome_note=note.strip())
    case_event_record(
        case=period.case,
        actor=actor,
        kind=CaseEvent.Kind.REFLECTION_ENDED,
        section=Section.SUPPORT,
        data={"period_id": str(period.pk), "outcome": outcome, "early": end < period.ends_on},
    )
    return period


# --- the reminder --------------------------------------------------------------------------


def reflection_reminders_due(*, today: datetime.date) -> QuerySet[ReflectionPeriod]:
    """Running periods that end within ``REMIND_DAYS_BEFORE`` days and were not reminded of."""
    return ReflectionPeriod.objects.filter(
        ended_on__isnull=True,
        reminded_at__isnull=True,
        ends_on__lte=today + datetime.timedelta(days=REMIND_DAYS_BEFORE),
        case__anonymised_at__isnull=True,
    ).select_related("case", "case__case_worker")


def reflection_remind(*, today: datetime.date | None = None) -> int:
    """Tell each case worker, once, that a reflection period ends soon; returns how many."""
    from tirek.core.tasks.mail import mail_users_once

    today = today or timezone.localdate()
    reminded = 0
    for period in reflection_reminders_due(today=today):
        reference = period.case.reference
        ends_on = period.ends_on

        def compose(
            reference: str = reference, ends_on: datetime.date = ends_on
        ) -> tuple[str, str]:
            day = formats.date_format(ends_on, "SHORT_DATE_FORMAT")
            subject = _("Reflection period ends on %(day)s: case %(reference)s") % {
                "day": day,
                "reference": reference,
            }
            body = _(
                "The reflection and recovery period of case %(reference)s ends on %(day)s. "
                "Talk with the person about their decision, then record the outcome or "
                "extend the period on the case page."
            ) % {"day": day, "reference": reference}
            return subject, body

        # Mail first (at most once per key), then mark: a failed mail leaves the period due,
        # and the retried task sends only what was not sent yet.
        mail_users_once(
            key=f"reflection:{period.pk}:ending:{ends_on.isoformat()}",
            users=[period.case.case_worker],
            compose=compose,
        )
        with transaction.atomic():
            claimed = ReflectionPeriod.objects.filter(
                pk=period.pk, reminded_at__isnull=True, ended_on__isnull=True
            ).update(reminded_at=timezone.now())
            if not claimed:
                continue
            case_event_record(
                case=period.case,
                actor=None,
                kind=CaseEvent.Kind.REFLECTION_REMINDED,
                section=Section.SUPPORT,
                data={"period_id": str(period.pk), "ends_on": ends_on.isoformat()},
            )
        reminded += 1
    return reminded


@background_task()
def reflection_reminders() -> int:
    """Periodic: remind case workers of reflection periods about to end."""
    return reflection_remind()
