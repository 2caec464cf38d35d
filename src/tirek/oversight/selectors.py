"""Reads for oversight: emergency accesses (opener and reviewers) and the audit log (the DPO).

Who sees which part of the audit log (see docs/permissions.md):

* a data protection officer of a **coordinating commission** sees every agency's events;
* a data protection officer of any other agency sees the actions of their agency's members and
  every event on the cases their agency owns (whoever did it, e.g. another agency's break-glass);
* nobody else sees the audit log: it does not exist for them (404).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import Case as CaseWhen
from django.db.models import CharField, F, Q, QuerySet, Value, When
from django.db.models.functions import Cast
from django.utils import timezone

from tirek.accounts.actor import Actor
from tirek.accounts.models import Agency, User
from tirek.accounts.roles import Capability
from tirek.cases.models import Case, CaseEvent
from tirek.core.errors import NotFound
from tirek.core.models import AuditEvent
from tirek.oversight.models import BreakGlassAccess
from tirek.oversight.references import reference_normalise

# --- emergency accesses ---------------------------------------------------------------------


def break_glass_waiting_count(*, actor: Actor) -> int:
    """Emergency accesses to the actor's agency's cases waiting for a review (for reviewers)."""
    if not actor.can(Capability.BREAK_GLASS):
        return 0
    return BreakGlassAccess.objects.filter(
        owner_agency_id=actor.membership.agency_id, review=BreakGlassAccess.Review.WAITING
    ).count()


def break_glass_for_review(
    *, actor: Actor, review: str | None = None
) -> QuerySet[BreakGlassAccess]:
    """Emergency accesses to the cases the actor's agency owns, waiting ones first."""
    if not actor.can(Capability.BREAK_GLASS):
        return BreakGlassAccess.objects.none()
    accesses = BreakGlassAccess.objects.filter(owner_agency_id=actor.membership.agency_id)
    if review:
        accesses = accesses.filter(review=review)
    waiting_first = CaseWhen(
        When(review=BreakGlassAccess.Review.WAITING, then=Value(0)), default=Value(1)
    )
    return accesses.select_related("case", "user", "agency", "reviewed_by").order_by(
        waiting_first, "-opened_at"
    )


def break_glass_mine(*, actor: Actor) -> QuerySet[BreakGlassAccess]:
    """The emergency accesses the actor opened for their current agency."""
    return BreakGlassAccess.objects.filter(
        user_id=actor.user.pk, agency_id=actor.membership.agency_id
    ).select_related("case", "owner_agency", "reviewed_by")


@dataclass(frozen=True)
class AccessView:
    access: BreakGlassAccess
    is_reviewer: bool
    is_opener: bool


def break_glass_get(*, actor: Actor, access_id: UUID | str) -> AccessView:
    """One emergency access, for its opener or the owning agency's reviewers; else NotFound."""
    try:
        access = BreakGlassAccess.objects.select_related(
            "case", "user", "agency", "owner_agency", "reviewed_by"
        ).get(pk=access_id)
    except (BreakGlassAccess.DoesNotExist, ValueError, TypeError, ValidationError):
        raise NotFound() from None
    is_opener = access.user_id == actor.user.pk and access.agency_id == actor.membership.agency_id
    is_reviewer = (
        actor.can(Capability.BREAK_GLASS)
        and access.owner_agency_id == actor.membership.agency_id
        and not is_opener
    )
    if not (is_opener or is_reviewer):
        raise NotFound()
    return AccessView(access=access, is_reviewer=is_reviewer, is_opener=is_opener)


# --- the audit log --------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditScope:
    """Which part of the audit log a DPO sees: every agency, or one."""

    agency_id: UUID | None  # None: every agency

    @property
    def is_all(self) -> bool:
        return self.agency_id is None


def audit_scope(*, actor: Actor) -> AuditScope:
    """The actor's part of the audit log; ``NotFound`` for anyone without ``view_audit``."""
    if not actor.can(Capability.VIEW_AUDIT):
        raise NotFound()
    if actor.agency.type == Agency.Type.COMMISSION:
        return AuditScope(agency_id=None)
    return AuditScope(agency_id=actor.membership.agency_id)


@dataclass(frozen=True)
class AuditFilter:
    """What the DPO asks for. References are typed, never names."""

    case_reference: str = ""
    person_reference: str = ""  # every case of the person behind this case reference
    agency_id: UUID | None = None
    user_id: UUID | None = None
    kind: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None

    def as_data(self) -> dict[str, str]:
        """The filter as plain codes, for the export's own audit event."""
        return {k: str(v) for k, v in self.__dict__.items() if v not in ("", None)}


def audit_kinds() -> list[tuple[str, str]]:
    """Every kind a DPO can filter on: case events, then the other audit actions seen so far."""
    actions = (
        AuditEvent.objects.order_by("action").values_list("action", flat=True).distinct()[:200]
    )
    return [(str(v), str(label)) for v, label in CaseEvent.Kind.choices] + [(a, a) for a in actions]


def audit_agencies(*, actor: Actor) -> QuerySet[Agency]:
    scope = audit_scope(actor=actor)
    agencies = Agency.objects.order_by("name")
    if scope.agency_id is None:
        return agencies
    return agencies.filter(pk=scope.agency_id)


def audit_users(*, actor: Actor) -> QuerySet[User]:
    scope = audit_scope(actor=actor)
    users = User.objects.order_by("username")
    if scope.agency_id is None:
        return users
    return users.filter(memberships__agency_id=scope.agency_id).distinct()


def _start(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


def _case_ids(filters: AuditFilter) -> list[UUID] | None:
    """The cases a reference filter names (``None``: no reference filter)."""
    ids: set[UUID] | None = None
    if filters.case_reference:
        found = Case.objects.filter(
            reference=reference_normalise(filters.case_reference)
        ).values_list("pk", flat=True)
        ids = set(found)
    if filters.person_reference:
        person_ids = Case.objects.filter(
            reference=reference_normalise(filters.person_reference)
        ).values_list("person_id", flat=True)
        cases = set(Case.objects.filter(person_id__in=person_ids).values_list("pk", flat=True))
        ids = cases if ids is None else ids & cases
    return None if ids is None else sorted(ids)


_NOTHING = Q(pk__in=[])


def audit_events(*, actor: Actor, filters: AuditFilter) -> QuerySet[Any]:
    """Case events and other audit events in the actor's scope, newest first, as dicts with
    ``source`` ("case"/"audit"), ``id``, ``at``, ``what``, ``user_id``, ``agency_id``,
    ``case_key`` and ``section``."""
    scope = audit_scope(actor=actor)
    case_q = Q()
    audit_q = Q()
    if not scope.is_all:
        case_q &= Q(actor_agency_id=scope.agency_id) | Q(case__owner_agency_id=scope.agency_id)
        audit_q &= Q(actor_agency_id=scope.agency_id)
    case_ids = _case_ids(filters)
    if case_ids is not None:
        case_q &= Q(case_id__in=case_ids)
        audit_q &= Q(object_type="case", object_id__in=[str(i) for i in case_ids])
    if filters.agency_id:
        case_q &= Q(actor_agency_id=filters.agency_id)
        audit_q &= Q(actor_agency_id=filters.agency_id)
    if filters.user_id:
        case_q &= Q(actor_user_id=filters.user_id)
        audit_q &= Q(actor_user_id=filters.user_id)
    if filters.kind:
        if filters.kind in CaseEvent.Kind.values:
            case_q &= Q(kind=filters.kind)
            audit_q &= _NOTHING
        else:
            case_q &= _NOTHING
            audit_q &= Q(action=filters.kind)
    if filters.date_from:
        start = _start(filters.date_from)
        case_q &= Q(at__gte=start)
        audit_q &= Q(at__gte=start)
    if filters.date_to:
        end = _start(filters.date_to + datetime.timedelta(days=1))
        case_q &= Q(at__lt=end)
        audit_q &= Q(at__lt=end)
    columns = ("source", "id", "at", "what", "user_id", "agency_id", "case_key", "section_key")
    case_events = (
        CaseEvent.objects.filter(case_q)
        .order_by()
        .annotate(
            source=Value("case", output_field=CharField()),
            what=F("kind"),
            user_id=F("actor_user_id"),
            agency_id=F("actor_agency_id"),
            case_key=Cast("case_id", output_field=CharField()),
            section_key=F("section"),
        )
        .values_list(*columns)
    )
    audit = (
        AuditEvent.objects.filter(audit_q)
        .order_by()
        .annotate(
            source=Value("audit", output_field=CharField()),
            what=F("action"),
            user_id=F("actor_user_id"),
            agency_id=F("actor_agency_id"),
            case_key=CaseWhen(
                When(object_type="case", then=F("object_id")),
                default=Value(""),
                output_field=CharField(),
            ),
            section_key=Value("", output_field=CharField()),
        )
        .values_list(*columns)
    )
    return case_events.union(audit, all=True).order_by("-at", "-id")


@dataclass
class AuditRow:
    """One line of the audit log as the DPO sees it: references and names of staff, no more."""

    source: str
    at: datetime.datetime
    what: str
    what_label: str
    user: str
    agency: str
    case_reference: str
    section: str
    extra: dict[str, Any] = field(default_factory=dict)


def _uuid(value: Any) -> UUID | None:
    if value in (None, ""):
        return None
    try:
        return value if isinstance(value, UUID) else UUID(str(value))
    except ValueError:
        return None


def _lookup(names: dict[UUID, str], value: Any) -> str:
    key = _uuid(value)
    return names.get(key, "") if key is not None else ""


def audit_rows(rows: Any) -> list[AuditRow]:
    """Turn raw union rows into display rows (one query per kind of name, not per row)."""
    rows = list(rows)
    user_ids = {u for r in rows if (u := _uuid(r[4]))}
    agency_ids = {a for r in rows if (a := _uuid(r[5]))}
    case_ids = {c for r in rows if (c := _uuid(r[6]))}
    users = dict(User.objects.filter(pk__in=user_ids).values_list("pk", "username"))
    agencies = dict(Agency.objects.filter(pk__in=agency_ids).values_list("pk", "name"))
    cases = dict(Case.objects.filter(pk__in=case_ids).values_list("pk", "reference"))
    labels = dict(CaseEvent.Kind.choices)
    result = []
    for source, _id, at, what, user_id, agency_id, case_key, section in rows:
        result.append(
            AuditRow(
                source=source,
                at=at,
                what=what,
                what_label=str(labels.get(what, what)),
                user=_lookup(users, user_id),
                agency=_lookup(agencies, agency_id),
                case_reference=_lookup(cases, case_key),
                section=section or "",
            )
        )
    return result
