"""How a service reads on a page: one card, shared by the directory, its detail page and the
referral form's proposals."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from tirek.accounts.actor import Actor
from tirek.directory.forms import WEEKDAY_LABELS, language_name
from tirek.directory.models import Service, ServiceCapacity
from tirek.directory.policy import can_manage_services, can_update_capacity
from tirek.directory.services import WEEKDAYS


def days_label(byday: str) -> str:
    """``MO,TU,WE,TH,FR`` -> ``Mon–Fri``; other sets listed."""
    days = [day for day in byday.split(",") if day in WEEKDAYS]
    indexes = [WEEKDAYS.index(day) for day in days]
    if len(indexes) > 2 and indexes == list(range(indexes[0], indexes[-1] + 1)):
        return f"{WEEKDAY_LABELS[days[0]]}–{WEEKDAY_LABELS[days[-1]]}"
    return ", ".join(str(WEEKDAY_LABELS[day]) for day in days)


def eligibility_lines(service: Service) -> list[str]:
    lines: list[str] = []
    if service.sex != Service.Sex.ANY:
        lines.append(service.get_sex_display())
    if service.minimum_age is not None and service.maximum_age is not None:
        lines.append(
            _("aged %(min)d to %(max)d") % {"min": service.minimum_age, "max": service.maximum_age}
        )
    elif service.minimum_age is not None:
        lines.append(_("from the age of %(age)d") % {"age": service.minimum_age})
    elif service.maximum_age is not None:
        lines.append(_("up to the age of %(age)d") % {"age": service.maximum_age})
    if service.citizenship != Service.Citizenship.ANY:
        lines.append(service.get_citizenship_display())
    return lines


def schedule_lines(service: Service) -> list[str]:
    if service.is_always_open:
        return [_("Open around the clock")]
    return [
        f"{days_label(s.byday)} {s.opens_at:%H:%M}–{s.closes_at:%H:%M}"
        for s in service.schedules.all()
    ]


@dataclass
class CapacityCard:
    capacity: ServiceCapacity
    can_update: bool

    @property
    def less(self) -> int:
        return max(self.capacity.available - 1, 0)

    @property
    def more(self) -> int:
        return self.capacity.available + 1

    @property
    def can_add(self) -> bool:
        maximum = self.capacity.maximum
        return maximum is None or self.capacity.available < maximum


@dataclass
class ServiceCard:
    service: Service
    eligibility: list[str]
    languages: list[str]
    schedules: list[str]
    areas: list[str]
    location: Any
    capacities: list[CapacityCard] = field(default_factory=list)
    can_edit: bool = False


def service_card(service: Service, actor: Actor | None) -> ServiceCard:
    locations = list(service.locations.all())
    return ServiceCard(
        service=service,
        eligibility=eligibility_lines(service),
        languages=[language_name(code) for code in service.languages or []],
        schedules=schedule_lines(service),
        areas=[place.label for place in service.areas.all()],
        location=locations[0] if locations else None,
        capacities=[
            CapacityCard(
                capacity=c,
                can_update=bool(actor and can_update_capacity(actor, service.agency_id)),
            )
            for c in service.capacities.all()
        ],
        can_edit=bool(actor and can_manage_services(actor, service.agency_id)),
    )
