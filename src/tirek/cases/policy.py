"""Who may see which part of a case: the one place where case access is decided.

A case is visible to its owning agency (all sections) and to other agencies only through
*access sources* registered by higher apps (referrals registers one: an accepted referral grants
its sections). Administrators configure; their roles do not hold ``read_cases``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from uuid import UUID

from django.db.models import Q

from tirek.accounts.actor import Actor
from tirek.accounts.roles import Capability
from tirek.cases.choices import ALL_SECTIONS

if TYPE_CHECKING:
    from tirek.cases.models import Case


@dataclass(frozen=True)
class AccessSource:
    """A way other than ownership in which an agency may see a case.

    ``case_filter(agency_id)`` returns a ``Q`` over ``Case`` selecting the cases shared with the
    agency; ``sections(agency_id, case_id)`` returns the sections it may see of one case.
    """

    name: str
    case_filter: Callable[[UUID], Q]
    sections: Callable[[UUID, UUID], frozenset[str]]


@dataclass(frozen=True)
class PersonalAccessSource:
    """A way in which one person (not their whole agency) may see a case, e.g. break-glass.

    ``case_filter(actor)`` returns a ``Q`` over ``Case``; ``sections(actor, case_id)`` the sections.
    """

    name: str
    case_filter: Callable[[Actor], Q]
    sections: Callable[[Actor, UUID], frozenset[str]]


_sources: dict[str, AccessSource] = {}
_personal_sources: dict[str, PersonalAccessSource] = {}


def access_source_register(source: AccessSource | PersonalAccessSource) -> None:
    if isinstance(source, PersonalAccessSource):
        _personal_sources[source.name] = source
    else:
        _sources[source.name] = source


def visible_cases_filter(actor: Actor) -> Q | None:
    """A ``Q`` over ``Case`` for every case the actor may open, or None for no case at all."""
    if not actor.can(Capability.READ_CASES):
        return None
    agency_id: UUID = actor.membership.agency_id
    condition = Q(owner_agency_id=agency_id)
    for source in _sources.values():
        condition |= source.case_filter(agency_id)
    for personal in _personal_sources.values():
        condition |= personal.case_filter(actor)
    return condition


def case_sections(actor: Actor, *, case_id: UUID, owner_agency_id: UUID) -> frozenset[str]:
    """The sections of one case the actor may see (empty: the case does not exist for them)."""
    if not actor.can(Capability.READ_CASES):
        return frozenset()
    agency_id: UUID = actor.membership.agency_id
    if owner_agency_id == agency_id:
        return ALL_SECTIONS
    granted: set[str] = set()
    for source in _sources.values():
        granted |= source.sections(agency_id, case_id)
    for personal in _personal_sources.values():
        granted |= personal.sections(actor, case_id)
    return frozenset(granted)


def is_emergency_only(actor: Actor, *, case_id: UUID, owner_agency_id: UUID) -> bool:
    """Whether the actor sees the case only through a personal source (break-glass): read-only,
    so other apps refuse writes such as screening or a status decision."""
    if owner_agency_id == actor.membership.agency_id:
        return False
    agency_id: UUID = actor.membership.agency_id
    if any(source.sections(agency_id, case_id) for source in _sources.values()):
        return False
    return any(personal.sections(actor, case_id) for personal in _personal_sources.values())


def is_owner(actor: Actor, *, owner_agency_id: UUID) -> bool:
    return bool(actor.membership.agency_id == owner_agency_id)


def case_require_open(case: Case) -> None:
    """Refuse new work on a closed or anonymised case (withdrawing consent stays possible)."""
    from django.utils.translation import gettext as _

    from tirek.cases.choices import CaseStatus
    from tirek.core.errors import InvalidState

    if case.anonymised_at is not None:
        raise InvalidState(_("This case was anonymised; it can no longer be changed."))
    if case.status in (CaseStatus.CLOSED, CaseStatus.CLOSED_REFERRED):
        raise InvalidState(_("This case is closed. Reopen it to continue working on it."))
