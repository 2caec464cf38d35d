"""Every read of case data, already scoped to the acting user."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from tirek.accounts.actor import Actor
from tirek.accounts.roles import Capability
from tirek.cases import policy
from tirek.cases.choices import Section
from tirek.cases.models import Case, CaseEvent
from tirek.core.errors import NotFound

SEARCH_LIMIT = 20


def cases_visible_to(*, actor: Actor) -> QuerySet[Case]:
    """Every case the actor may open: owned by their agency or shared with it.

    Each case once without ``DISTINCT``: the access sources select cases by subqueries
    (``pk__in``), never by joins. ``DISTINCT`` over the selected person columns made PostgreSQL
    read, sort and count every visible case before it could return one page (issue 14).
    """
    condition = policy.visible_cases_filter(actor)
    if condition is None:
        return Case.objects.none()
    return Case.objects.filter(condition).select_related("person", "owner_agency", "case_worker")


@dataclass(frozen=True)
class CaseCount:
    """How many cases a list holds: ``value`` exactly, or more than ``value`` when the list
    holds more than the count limit (``is_exact`` false)."""

    value: int
    is_exact: bool


def cases_visible_count(
    *,
    actor: Actor,
    refine: Callable[[QuerySet[Case]], QuerySet[Case]] = lambda cases: cases,
    limit: int | None = None,
) -> CaseCount:
    """How many of ``cases_visible_to`` a list shows after ``refine`` (its filters), counted up
    to ``limit`` (``TIREK_CASE_LIST_COUNT_LIMIT``): beyond it, "more than ``limit``".

    Counted as two disjoint parts, each reading at most ``limit + 1`` rows: the agency's own
    cases (index-only on PostgreSQL when nothing is refined) and the others shared with it. One
    count over "own OR shared" reads every row of the table; an exact count of an agency's
    167,000 cases was half of the list's time at 1,000,000 cases (issue 14,
    docs/architecture.md, "How many cases a list holds")."""
    most = settings.TIREK_CASE_LIST_COUNT_LIMIT if limit is None else limit
    shared = policy.shared_cases_filters(actor)
    if shared is None:
        return CaseCount(value=0, is_exact=True)
    agency_id = actor.membership.agency_id
    total = _count_at_most(refine(Case.objects.filter(owner_agency_id=agency_id)), most + 1)
    if total <= most and shared:
        # Each source's cases by itself (a semi-join each), then together: "source 1 OR source 2"
        # in one WHERE read the whole table (0.8 s at 1,000,000 cases).
        ids = [Case.objects.filter(each).order_by().values("pk") for each in shared]
        others = Case.objects.filter(pk__in=ids[0].union(*ids[1:])).exclude(
            owner_agency_id=agency_id
        )
        total += _count_at_most(refine(others), most + 1 - total)
    return CaseCount(value=min(total, most), is_exact=total <= most)


def _count_at_most(cases: QuerySet[Case], most: int) -> int:
    """``min(cases.count(), most)``, reading at most ``most`` rows (a count over a subquery
    with ``LIMIT``)."""
    return cases.order_by().values("pk")[:most].count()


@dataclass(frozen=True)
class CasePage:
    """One page of a case list, newest first: ``has_more`` whether rows follow it (known
    without counting them)."""

    cases: list[Case]
    offset: int
    has_more: bool


NEWEST_FIRST = ("-created_at", "pk")


def cases_page(
    *,
    actor: Actor,
    refine: Callable[[QuerySet[Case]], QuerySet[Case]] = lambda cases: cases,
    offset: int,
    limit: int,
) -> CasePage:
    """One page of ``cases_visible_to`` after ``refine``, newest first: ``limit`` rows from
    ``offset``, reading one row more to know whether another page follows.

    The newest ``offset + limit + 1`` of each part (the agency's own cases along the index
    ``(owner_agency, created_at, id)``, then each access source's) are taken apart and merged.
    One query over "own OR shared" walked the whole newest-first index when the actor's agency
    owns few of the cases: 5 s at 1,000,000 cases (issue 14, docs/deployment.md)."""
    shared = policy.shared_cases_filters(actor)
    if shared is None:
        return CasePage(cases=[], offset=offset, has_more=False)
    most = offset + limit + 1
    parts = [Q(owner_agency_id=actor.membership.agency_id), *shared]
    newest = [
        refine(Case.objects.filter(part)).order_by(*NEWEST_FIRST).values("pk")[:most]
        for part in parts
    ]
    if connection.features.supports_slicing_ordering_in_compound:  # PostgreSQL: one semi-join
        condition = Q(pk__in=newest[0].union(*newest[1:], all=True))
    else:  # SQLite: no LIMIT inside UNION; it looks each IN up in the primary key
        condition = Q(pk__in=[])
        for each in newest:
            condition |= Q(pk__in=each)
    cases = Case.objects.filter(condition).select_related("person", "owner_agency", "case_worker")
    rows = list(cases.order_by(*NEWEST_FIRST)[offset:most])
    return CasePage(cases=rows[:limit], offset=offset, has_more=len(rows) > limit)


def cases_with_sections(
    *, actor: Actor, cases: Iterable[Case]
) -> list[tuple[Case, frozenset[str]]]:
    """Each case with the sections the actor may see of it, decided for all at once."""
    rows = list(cases)
    sections = policy.case_sections_many(actor, [(c.pk, c.owner_agency_id) for c in rows])
    return [(case, sections[case.pk]) for case in rows]


@dataclass(frozen=True)
class CaseView:
    """A case as one actor may see it: the case and the sections they are allowed."""

    case: Case
    sections: frozenset[str]
    is_owner: bool

    def has(self, section: str) -> bool:
        return section in self.sections

    @property
    def can_see_identity(self) -> bool:
        return Section.IDENTITY in self.sections


def _not_found(case_id: object) -> NotFound:
    """The same answer whether the case does not exist or is outside the circle; it names the
    id asked for, so that the error handlers record the refused attempt."""
    return NotFound(object_type="case", object_id=case_id)


def case_view(*, actor: Actor, case_id: UUID | str) -> CaseView:
    """A case as the actor may see it; ``NotFound`` outside the actor's circle. Records nothing:
    what shows the case records the read (``cases.reads``)."""
    try:
        case = Case.objects.select_related("person", "owner_agency", "case_worker").get(pk=case_id)
    except (Case.DoesNotExist, ValueError, TypeError, ValidationError):
        raise _not_found(case_id) from None
    sections = policy.case_sections(actor, case_id=case.pk, owner_agency_id=case.owner_agency_id)
    if not sections:
        raise _not_found(case_id)
    return CaseView(
        case=case,
        sections=sections,
        is_owner=policy.is_owner(actor, owner_agency_id=case.owner_agency_id),
    )


def case_for_change(*, actor: Actor, case_id: UUID | str) -> Case:
    """A case the actor's agency owns and may edit; ``NotFound`` otherwise."""
    view = case_view(actor=actor, case_id=case_id)
    if not view.is_owner or not actor.can(Capability.EDIT_CASES):
        from tirek.core.errors import Forbidden

        raise Forbidden(_("Only the agency that owns the case can change it."))
    return view.case


def case_timeline(
    *, actor: Actor, view: CaseView, include_reads: bool = False
) -> QuerySet[CaseEvent]:
    """The case's events the actor may see.

    The owning agency sees all; a referral receiver sees the events of the sections it was granted
    and of its own referrals, never who else the case was referred to (unless granted).
    """
    events = view.case.events.select_related("actor_user", "actor_agency", "revision")
    if not include_reads:
        events = events.exclude(kind__in=CaseEvent.READ_KINDS)
    if view.is_owner or view.has(Section.REFERRALS):
        return events
    agency = str(actor.membership.agency_id)
    # Its own events, and those naming it as the receiver (of a referral or a transfer) or as
    # the agency that handed the case on (a transfer).
    own = (
        Q(actor_agency_id=actor.membership.agency_id)
        | Q(data__to_agency_id=agency)
        | Q(data__from_agency_id=agency)
    )
    referral_kinds = {
        CaseEvent.Kind.REFERRAL_SENT,
        CaseEvent.Kind.REFERRAL_ACCEPTED,
        CaseEvent.Kind.REFERRAL_DECLINED,
        CaseEvent.Kind.REFERRAL_WITHDRAWN,
        CaseEvent.Kind.REFERRAL_INFO_REQUESTED,
        CaseEvent.Kind.REFERRAL_INFO_GIVEN,
        CaseEvent.Kind.REFERRAL_VIEWED,
        CaseEvent.Kind.CONSENT_RECORDED,
        CaseEvent.Kind.CONSENT_WITHDRAWN,
    }
    hidden_sections = [s for s in Section.values if s not in view.sections]
    return events.filter(own | (~Q(kind__in=referral_kinds) & ~Q(section__in=hidden_sections)))


def person_search(
    *, actor: Actor, name: str = "", birth_date: datetime.date | None = None
) -> list[Case]:
    """Search before create: cases whose identity the actor may see and whose person matches
    the name (any words, any order, any alphabet) and birth date, best first.

    One search for the whole application: the matching index (``matching.cases_search``). A
    search result never reveals a name the actor could not otherwise read; what shows the
    results records them as reads (``cases.reads``).
    """
    from tirek.matching.selectors import cases_search

    return cases_search(actor=actor, name=name, birth_date=birth_date, limit=SEARCH_LIMIT).cases
