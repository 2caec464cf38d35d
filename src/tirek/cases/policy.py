"""Who may see which part of a case: the one place where case access is decided.

A case is visible to its owning agency (all sections) and to other agencies only through
*access sources* registered by higher apps (referrals registers one: an accepted referral grants
its sections). Administrators configure; their roles do not hold ``read_cases``.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.db.models import Q

from tirek.accounts.actor import Actor
from tirek.accounts.roles import Capability
from tirek.cases.choices import ALL_SECTIONS, Section

if TYPE_CHECKING:
    from tirek.cases.models import Case


SectionsMany = Callable[[UUID, Collection[UUID]], Mapping[UUID, frozenset[str]]]
PersonalSectionsMany = Callable[[Actor, Collection[UUID]], Mapping[UUID, frozenset[str]]]


@dataclass(frozen=True)
class AccessSource:
    """A way other than ownership in which an agency may see a case.

    ``case_filter(agency_id)`` returns a ``Q`` over ``Case`` selecting the cases shared with the
    agency; ``sections_many(agency_id, case_ids)`` returns, in one query, the sections it may see
    of each of those cases (cases it may not see may be left out).
    """

    name: str
    case_filter: Callable[[UUID], Q]
    sections_many: SectionsMany


@dataclass(frozen=True)
class PersonalAccessSource:
    """A way in which one person (not their whole agency) may see a case, e.g. break-glass.

    ``case_filter(actor)`` returns a ``Q`` over ``Case``; ``sections_many(actor, case_ids)`` the
    sections of each case, in one query.
    """

    name: str
    case_filter: Callable[[Actor], Q]
    sections_many: PersonalSectionsMany


_sources: dict[str, AccessSource] = {}
_personal_sources: dict[str, PersonalAccessSource] = {}


def access_source_register(source: AccessSource | PersonalAccessSource) -> None:
    if isinstance(source, PersonalAccessSource):
        _personal_sources[source.name] = source
    else:
        _sources[source.name] = source


def visible_cases_filter(actor: Actor) -> Q | None:
    """A ``Q`` over ``Case`` for every case the actor may open, or None for no case at all."""
    shared = shared_cases_filter(actor)
    if shared is None:
        return None
    return Q(owner_agency_id=actor.membership.agency_id) | shared


def shared_cases_filter(actor: Actor) -> Q | None:
    """A ``Q`` over ``Case`` for the cases the access sources open to the actor (whoever owns
    them), or None for no case at all. Sources filter by subqueries, so no case repeats."""
    conditions = shared_cases_filters(actor)
    if conditions is None:
        return None
    condition = Q(pk__in=[])
    for each in conditions:
        condition |= each
    return condition


def shared_cases_filters(actor: Actor) -> list[Q] | None:
    """The ``Q`` of each access source (agency sources, then personal ones), or None for no
    case at all: a list can take the newest cases of each source apart (``cases_page``)."""
    if not actor.can(Capability.READ_CASES):
        return None
    agency_id: UUID = actor.membership.agency_id
    return [source.case_filter(agency_id) for source in _sources.values()] + [
        personal.case_filter(actor) for personal in _personal_sources.values()
    ]


@dataclass(frozen=True)
class _Granted:
    """The sections granted by agency sources and by personal sources, per case."""

    agency: dict[UUID, set[str]]
    personal: dict[UUID, set[str]]


def _granted(actor: Actor, case_ids: Collection[UUID]) -> _Granted:
    """Ask every access source once about all ``case_ids`` (one query per source)."""
    granted = _Granted(agency={}, personal={})
    if not case_ids:
        return granted
    agency_id: UUID = actor.membership.agency_id
    for source in _sources.values():
        for case_id, sections in source.sections_many(agency_id, case_ids).items():
            granted.agency.setdefault(case_id, set()).update(sections)
    for personal in _personal_sources.values():
        for case_id, sections in personal.sections_many(actor, case_ids).items():
            granted.personal.setdefault(case_id, set()).update(sections)
    return granted


def case_sections_many(
    actor: Actor, cases: Iterable[tuple[UUID, UUID]]
) -> dict[UUID, frozenset[str]]:
    """The sections the actor may see of each ``(case_id, owner_agency_id)``: a page of rows is
    decided with one query per access source, however many rows it has."""
    pairs = list(cases)
    if not actor.can(Capability.READ_CASES):
        return {case_id: frozenset() for case_id, _owner in pairs}
    agency_id: UUID = actor.membership.agency_id
    result = {case_id: ALL_SECTIONS for case_id, owner in pairs if owner == agency_id}
    others = [case_id for case_id, _owner in pairs if case_id not in result]
    granted = _granted(actor, others)
    for case_id in others:
        sections = granted.agency.get(case_id, set()) | granted.personal.get(case_id, set())
        result[case_id] = frozenset(sections)
    return result


def case_sections(actor: Actor, *, case_id: UUID, owner_agency_id: UUID) -> frozenset[str]:
    """The sections of one case the actor may see (empty: the case does not exist for them)."""
    return case_sections_many(actor, [(case_id, owner_agency_id)])[case_id]


def is_emergency_only(actor: Actor, *, case_id: UUID, owner_agency_id: UUID) -> bool:
    """Whether the actor sees the case only through a personal source (break-glass): read-only,
    so other apps refuse writes such as screening or a status decision."""
    if owner_agency_id == actor.membership.agency_id:
        return False
    granted = _granted(actor, [case_id])
    return not granted.agency.get(case_id) and bool(granted.personal.get(case_id))


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


# Keys of timeline event data that carry a section's content. An event recorded under a section
# is shown only to whoever holds that section (``selectors.case_timeline``), and its data belongs
# to that section. An event without a section (``case_registered``, ``case_closed``, ...) is shown
# to the whole circle, so these keys are removed from it for whoever lacks their section: e.g.
# ``case_registered`` carries the trafficking status, which belongs to ``victim``. A service that
# puts section content into a section-less event adds its key here.
EVENT_DATA_SECTIONS: dict[str, str] = {
    "trafficking_status": Section.VICTIM,
    "types_of_exploitation": Section.VICTIM,
    "methods_of_control": Section.VICTIM,
    "presumed_exploitation": Section.VICTIM,
    "decision_org": Section.VICTIM,
}


def event_data_visible(
    data: dict[str, Any], *, sections: frozenset[str], event_section: str = ""
) -> dict[str, Any]:
    """The part of an event's data that someone granted ``sections`` may see (the event itself
    being visible to them: one with a section of its own only reaches holders of that section)."""
    if event_section:
        return data
    return {
        key: value
        for key, value in data.items()
        if key not in EVENT_DATA_SECTIONS or EVENT_DATA_SECTIONS[key] in sections
    }
