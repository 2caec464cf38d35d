"""Dates due for a person on the cases they are responsible for, from the apps that know them
(court hearings: ``protection``). My tasks (``casework``) lists them beside the person's tasks;
``cases`` only keeps the registry, so no app imports another to fill the list.

Each source reads with a fixed number of queries, whatever the number of rows: My tasks has a
query budget.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from uuid import UUID

from django.utils.functional import Promise

from tirek.accounts.actor import Actor

UPCOMING_DAYS = 7


@dataclass(frozen=True)
class AgendaDate:
    """A date due on a case: what (``label``, ``detail``: codes' labels, never personal data),
    when, and the case (its reference, and the tab of the case page where it is kept)."""

    kind: str
    label: str | Promise
    due_on: datetime.date
    case_id: UUID
    case_reference: str
    tab: str
    detail: str | Promise = ""


AgendaSource = Callable[[Actor], Iterable[AgendaDate]]
_sources: dict[str, AgendaSource] = {}


def agenda_source_register(name: str, source: AgendaSource) -> None:
    _sources[name] = source


def agenda_dates_for(*, actor: Actor) -> list[AgendaDate]:
    """Every source's dates for the actor, by date."""
    dates = [date for source in _sources.values() for date in source(actor)]
    return sorted(dates, key=lambda date: (date.due_on, date.case_reference))


def due_mark(day: datetime.date, *, today: datetime.date) -> str:
    """``overdue``, ``today``, ``upcoming`` (within ``UPCOMING_DAYS``) or ``""`` (later)."""
    if day < today:
        return "overdue"
    if day == today:
        return "today"
    if day <= today + datetime.timedelta(days=UPCOMING_DAYS):
        return "upcoming"
    return ""
