"""Pure rules of mechanism steps: validation of a step, due times, whom a step applies to.

No database writes here; services and the import format share these rules.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from uuid import UUID

from django.utils import timezone
from django.utils.translation import gettext as _

from tirek.accounts.models import Agency
from tirek.cases.choices import TypeOfExploitation
from tirek.mechanisms.models import MechanismStage, Step

CODE_MAX = 64
NAME_MAX = 200
DEADLINE_MAX = 3650  # ten years in days; far more than any mechanism sets
ADULT_AGE = 18
# The reflection and recovery period a mechanism may set: at least the Council of Europe
# Convention's 30 days (art. 13), at most a year.
REFLECTION_DAYS_MIN = 30
REFLECTION_DAYS_MAX = 365

# Which mechanism stages a case enters when it enters an NRM stage of the case: the reflection
# and recovery period runs within first assistance and protection.
STAGES_ENTERED: dict[str, tuple[str, ...]] = {
    MechanismStage.IDENTIFICATION: (MechanismStage.IDENTIFICATION,),
    MechanismStage.FIRST_ASSISTANCE: (MechanismStage.FIRST_ASSISTANCE, MechanismStage.REFLECTION),
    MechanismStage.LONG_TERM: (MechanismStage.LONG_TERM,),
    MechanismStage.RETURN: (MechanismStage.RETURN,),
    MechanismStage.PROCEEDINGS: (MechanismStage.PROCEEDINGS,),
}
STAGE_ORDER: tuple[str, ...] = tuple(MechanismStage.values)


@dataclass(frozen=True)
class StepInput:
    """A step as typed in a form, sent to the API or read from a mechanism file."""

    code: str
    stage: str
    name_en: str
    name_ru: str = ""
    name_kk: str = ""
    action: str = Step.Action.ACT
    agency_type: str = ""
    agency_id: UUID | None = None
    service_type_id: int | None = None
    deadline_value: int | None = None
    deadline_unit: str = Step.Unit.HOURS
    counted_from: str = Step.CountedFrom.STAGE_ENTERED
    escalate_after: int | None = None
    age_group: str = Step.AgeGroup.ANY
    citizenship: str = Step.Citizenship.ANY
    exploitation: tuple[str, ...] = field(default_factory=tuple)
    position: int = 0


def _is_code(value: str) -> bool:
    return (
        bool(value)
        and len(value) <= CODE_MAX
        and all(c.isascii() and (c.isalnum() or c in "-_") for c in value)
    )


def step_problems(data: StepInput) -> dict[str, list[str]]:
    """Why ``data`` is not a valid step, by field; empty when it is. Existence of the agency and
    service is checked by the service (it needs the database)."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if not _is_code(data.code):
        add("code", _("A code is 1-64 Latin letters, digits, hyphens or underscores."))
    if data.stage not in MechanismStage.values:
        add("stage", _("Choose a stage from the list."))
    if not data.name_en.strip() and not data.name_ru.strip() and not data.name_kk.strip():
        add("name_en", _("Name the step in at least one language."))
    for name in ("name_en", "name_ru", "name_kk"):
        if len(getattr(data, name)) > NAME_MAX:
            add(name, _("The name is too long (200 characters at most)."))
    if data.action not in Step.Action.values:
        add("action", _("Choose whether the agency acts or is notified."))
    if not data.agency_type and data.agency_id is None:
        add("agency_type", _("Say who is responsible: an agency type or a named agency."))
    elif data.agency_type and data.agency_type not in Agency.Type.values:
        add("agency_type", _("Choose an agency type from the list."))
    if data.deadline_unit not in Step.Unit.values:
        add("deadline_unit", _("Choose hours, days or working days."))
    if data.counted_from not in Step.CountedFrom.values:
        add("counted_from", _("Choose the event the deadline is counted from."))
    for name in ("deadline_value", "escalate_after"):
        value = getattr(data, name)
        if value is not None and not 0 < value <= DEADLINE_MAX:
            add(name, _("Give a whole number between 1 and 3650."))
    if data.escalate_after is not None and data.deadline_value is None:
        add("escalate_after", _("A step without a deadline cannot be escalated."))
    if data.age_group not in Step.AgeGroup.values:
        add("age_group", _("Choose adults, children or both."))
    if data.citizenship not in Step.Citizenship.values:
        add("citizenship", _("Choose citizens, foreigners or both."))
    if set(data.exploitation) - set(TypeOfExploitation.values):
        add("exploitation", _("Unknown form of exploitation."))
    return errors


@dataclass(frozen=True)
class WorkingWeek:
    """Which days count as working days: not a weekend day (0 is Monday) nor a day off, or a
    weekend day that a transfer made a working day."""

    weekend: frozenset[int] = frozenset({5, 6})
    days_off: frozenset[datetime.date] = frozenset()
    working: frozenset[datetime.date] = frozenset()

    def is_working(self, day: datetime.date) -> bool:
        if day in self.working:
            return True
        return day.weekday() not in self.weekend and day not in self.days_off


MONDAY_TO_FRIDAY = WorkingWeek()


def reflection_days_problems(value: int | None) -> list[str]:
    if value is not None and not REFLECTION_DAYS_MIN <= value <= REFLECTION_DAYS_MAX:
        return [_("The reflection period is 30 to 365 days (empty: 30).")]
    return []


def deadline_add(
    start: datetime.datetime, value: int, unit: str, week: WorkingWeek = MONDAY_TO_FRIDAY
) -> datetime.datetime:
    """``start`` plus ``value`` hours, days or working days. A working day is counted on the
    local calendar (``TIME_ZONE``) of ``week``: its weekend and public holidays are skipped, a
    weekend day made a working day counts; the time of day is kept."""
    if unit == Step.Unit.HOURS:
        return start + datetime.timedelta(hours=value)
    if unit == Step.Unit.DAYS:
        return start + datetime.timedelta(days=value)
    moment = start
    left = value
    while left:
        moment += datetime.timedelta(days=1)
        local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
        if week.is_working(local.date()):
            left -= 1
    return moment


@dataclass(frozen=True)
class PersonFacts:
    """What the conditions of a step look at; None when unknown (then the step applies)."""

    is_child: bool | None
    is_citizen: bool | None
    exploitation: frozenset[str]


def step_applies(step: Step, facts: PersonFacts) -> bool:
    """Whether ``step`` applies to a person with ``facts``. Unknown facts never exclude a step:
    a missing age or citizenship must not make anyone lose a protection."""
    if step.age_group == Step.AgeGroup.ADULT and facts.is_child is True:
        return False
    if step.age_group == Step.AgeGroup.CHILD and facts.is_child is False:
        return False
    if step.citizenship == Step.Citizenship.CITIZEN and facts.is_citizen is False:
        return False
    if step.citizenship == Step.Citizenship.FOREIGNER and facts.is_citizen is True:
        return False
    return not (
        step.exploitation and facts.exploitation and not set(step.exploitation) & facts.exploitation
    )


def steps_in_order(steps: list[Step]) -> list[Step]:
    return sorted(steps, key=lambda s: (STAGE_ORDER.index(s.stage), s.position, s.code))
