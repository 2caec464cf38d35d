"""How steps read to people: who is responsible, the deadline, the conditions (one place, used by
the table, the diagram, the comparison and the checklist)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tirek.accounts.models import Agency
from tirek.cases.choices import TypeOfExploitation
from tirek.mechanisms.models import Step


def step_who(step: Step) -> str:
    if step.agency is not None:
        return step.agency.label
    return str(dict(Agency.Type.choices).get(step.agency_type, step.agency_type))


def step_deadline(step: Step) -> str:
    if step.deadline_value is None:
        return _("no deadline")
    value = step.deadline_value
    if step.deadline_unit == Step.Unit.HOURS:
        amount = ngettext("%(n)d hour", "%(n)d hours", value) % {"n": value}
    elif step.deadline_unit == Step.Unit.DAYS:
        amount = ngettext("%(n)d day", "%(n)d days", value) % {"n": value}
    else:
        amount = ngettext("%(n)d working day", "%(n)d working days", value) % {"n": value}
    if step.counted_from == Step.CountedFrom.CASE_REGISTERED:
        return _("within %(amount)s of registration") % {"amount": amount}
    return _("within %(amount)s of entering the stage") % {"amount": amount}


def step_escalation(step: Step) -> str:
    if step.escalate_after is None or step.deadline_value is None:
        return ""
    unit = dict(Step.Unit.choices)[step.deadline_unit]
    return _("escalated to the coordinator %(n)d %(unit)s after the deadline") % {
        "n": step.escalate_after,
        "unit": unit,
    }


def step_conditions(step: Step) -> str:
    parts = []
    if step.age_group != Step.AgeGroup.ANY:
        parts.append(str(step.get_age_group_display()))
    if step.citizenship != Step.Citizenship.ANY:
        parts.append(str(step.get_citizenship_display()))
    if step.exploitation:
        names = dict(TypeOfExploitation.choices)
        parts.append(", ".join(str(names.get(e, e)) for e in step.exploitation))
    return "; ".join(parts) or _("everyone")


def step_action(step: Step) -> str:
    return str(step.get_action_display())
