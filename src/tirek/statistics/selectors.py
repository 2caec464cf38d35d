"""The tables of the statistics dashboard: who may see them, and the counts behind them.

The unit counted is a *person*: cases of one person record, and of person records that matching
has confirmed to be the same person, count once (the person's earliest case in the selection
gives the row; the person counts as identified if any of those cases is). An agency sees its own
work as counted; the national picture only as protected tables (``privacy.protect``).
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tirek.accounts.actor import Actor
from tirek.accounts.models import Agency
from tirek.accounts.roles import Role
from tirek.cases.choices import (
    COUNTRY_CHOICES,
    AgeGroup,
    NrmStage,
    Sex,
    TraffickingStatus,
    TypeOfExploitation,
)
from tirek.cases.models import Case
from tirek.core.errors import Forbidden
from tirek.directory.models import Place
from tirek.matching.models import PersonPair, ReviewCandidate
from tirek.retention.services import age_group
from tirek.statistics.privacy import Table, exact, protect, round_to

# Coordinators and supervisors read aggregates; administrators and the DPO configure or audit.
READERS = frozenset({Role.COORDINATOR, Role.SUPERVISOR})

AGENCY = "agency"
NATIONAL = "national"
SCOPES = {AGENCY: gettext_lazy("My agency"), NATIONAL: gettext_lazy("National (protected)")}

PRESUMED = "presumed"
IDENTIFIED = "identified"
COLUMNS = (PRESUMED, IDENTIFIED)
UNKNOWN = "unknown"
SEVERAL = "several"

TABLES = {
    "quarter": gettext_lazy("Period (quarter)"),
    "territory": gettext_lazy("Territory"),
    "sex": gettext_lazy("Sex"),
    "age_group": gettext_lazy("Age group"),
    "citizenship": gettext_lazy("Citizenship"),
    "exploitation": gettext_lazy("Form of exploitation"),
    "nrm_stage": gettext_lazy("Stage of the mechanism"),
}


def statistics_scope(actor: Actor, scope: str) -> str:
    """The scope the actor may read (403 for anyone but coordinators and supervisors)."""
    if not actor.membership.is_active or actor.role not in READERS:
        raise Forbidden(_("Your role does not allow this action."))
    return scope if scope in SCOPES else NATIONAL


@dataclass(frozen=True)
class Filters:
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    territory: str = ""

    def as_data(self) -> dict[str, str]:
        return {
            "date_from": self.date_from.isoformat() if self.date_from else "",
            "date_to": self.date_to.isoformat() if self.date_to else "",
            "territory": self.territory,
        }


@dataclass
class Record:
    """One person as counted: the attributes of their earliest case in the selection."""

    quarter: str
    territory: str
    sex: str
    age_group: str
    citizenship: str
    exploitation: str
    nrm_stage: str
    column: str


@dataclass(frozen=True)
class Release:
    """The tables released to one actor for one scope and filters."""

    scope: str
    filters: Filters
    k: int
    rounding: int
    tables: dict[str, Table]
    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    uncertain: int = 0  # pairs of counted records matching is unsure about (rounded if national)


def territory_of(place: Place | None) -> str:
    """The region a place lies in (a city of republican significance is its own territory)."""
    if place is None:
        return UNKNOWN
    if place.kind != Place.Kind.REGION and place.parent and place.parent.kind == Place.Kind.REGION:
        return place.parent.code
    return place.code


def territories() -> list[tuple[str, str]]:
    """The territories agencies work in, as (code, label), by label."""
    agencies = Agency.objects.filter(place__isnull=False).select_related("place__parent")
    codes = {territory_of(agency.place) for agency in agencies}
    places = Place.objects.filter(code__in=codes)
    return sorted(((p.code, p.label) for p in places), key=lambda pair: pair[1])


def _same_person_roots() -> dict[Any, Any]:
    """Person id -> one id standing for everyone matching confirmed to be the same person."""
    parent: dict[Any, Any] = {}

    def root(node: Any) -> Any:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    pairs = PersonPair.objects.filter(status=PersonPair.Status.CONFIRMED)
    for low, high in pairs.values_list("person_low_id", "person_high_id"):
        parent[root(low)] = root(high)
    return {node: root(node) for node in list(parent)}


def _quarter(day: datetime.date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def _record(case: Case) -> Record:
    person = case.person
    if case.anonymised_at is not None:
        sex, group, citizenship = case.stats_sex, case.stats_age_group, case.stats_citizenship
    else:
        sex = person.sex
        group = age_group(person.age_on(case.opened_on))
        citizenship = person.citizenship
    forms = case.types_of_exploitation or []
    return Record(
        quarter=_quarter(case.opened_on),
        territory=territory_of(case.owner_agency.place),
        sex=sex or Sex.UNKNOWN,
        age_group=group or AgeGroup.UNKNOWN,
        citizenship=citizenship[0] if citizenship else UNKNOWN,
        exploitation=forms[0] if len(forms) == 1 else (SEVERAL if forms else UNKNOWN),
        nrm_stage=case.nrm_stage,
        column=IDENTIFIED if case.trafficking_status == TraffickingStatus.ACTUAL else PRESUMED,
    )


@dataclass
class Selection:
    """The people counted, and how many pairs among them matching is still unsure about."""

    people: list[Record]
    uncertain: int


def _uncertain(person_ids: set[Any], roots: dict[Any, Any]) -> int:
    """Pairs of selected person records in the review band that nobody has decided."""
    pairs = ReviewCandidate.objects.values_list("person_low_id", "person_high_id")
    return sum(
        1
        for low, high in pairs.iterator()
        if low in person_ids and high in person_ids and roots.get(low, low) != roots.get(high, high)
    )


def records(*, filters: Filters, agency_id: Any = None) -> Selection:
    """One record per person among the presumed and identified victims selected."""
    cases = Case.objects.filter(
        trafficking_status__in=[TraffickingStatus.POSSIBLE, TraffickingStatus.ACTUAL]
    ).select_related("person", "owner_agency__place__parent")
    if agency_id is not None:
        cases = cases.filter(owner_agency_id=agency_id)
    if filters.date_from:
        cases = cases.filter(opened_on__gte=filters.date_from)
    if filters.date_to:
        cases = cases.filter(opened_on__lte=filters.date_to)
    roots = _same_person_roots()
    people: dict[Any, Record] = {}
    person_ids = set()
    for case in cases.order_by("opened_on", "created_at"):
        record = _record(case)
        if filters.territory and record.territory != filters.territory:
            continue
        person_ids.add(case.person_id)
        key = roots.get(case.person_id, case.person_id)
        first = people.get(key)
        if first is None:
            people[key] = record
        elif record.column == IDENTIFIED:
            first.column = IDENTIFIED
    return Selection(list(people.values()), _uncertain(person_ids, roots))


def _row_keys(name: str, values: Iterable[str]) -> list[str]:
    present = sorted(set(values))
    fixed: dict[str, list[str]] = {
        "sex": list(Sex.values),
        "age_group": list(AgeGroup.values),
        "nrm_stage": list(NrmStage.values),
        "exploitation": [*TypeOfExploitation.values, SEVERAL, UNKNOWN],
    }
    if name in fixed:
        return fixed[name] + [value for value in present if value not in fixed[name]]
    return present


def labels(name: str, keys: Iterable[str]) -> dict[str, str]:
    """Row labels in the active language."""
    keys = list(keys)
    common = {UNKNOWN: _("Unknown"), SEVERAL: _("Several forms")}
    if name == "quarter":
        return {
            key: _("Q%(quarter)s %(year)s") % {"quarter": key[-1], "year": key[:4]} for key in keys
        }
    if name == "territory":
        places = {p.code: p.label for p in Place.objects.filter(code__in=keys)}
        return {key: places.get(key) or common.get(key, key) for key in keys}
    choices: dict[str, Any] = {
        "sex": dict(Sex.choices),
        "age_group": dict(AgeGroup.choices),
        "nrm_stage": dict(NrmStage.choices),
        "exploitation": dict(TypeOfExploitation.choices),
        "citizenship": dict(COUNTRY_CHOICES),
    }[name]
    return {key: str(choices.get(key) or common.get(key, key)) for key in keys}


def column_labels() -> dict[str, str]:
    return {PRESUMED: _("Presumed victims"), IDENTIFIED: _("Identified victims")}


def release_build(*, actor: Actor, scope: str, filters: Filters) -> Release:
    """The tables the actor may see: their agency's as counted, the national ones protected."""
    scope = statistics_scope(actor, scope)
    k = settings.TIREK_STATISTICS_K
    rounding = settings.TIREK_STATISTICS_ROUNDING
    agency_id = actor.membership.agency_id if scope == AGENCY else None
    selection = records(filters=filters, agency_id=agency_id)
    people = selection.people
    tables: dict[str, Table] = {}
    row_labels: dict[str, dict[str, str]] = {}
    for name in TABLES:
        values = [getattr(person, name) for person in people]
        rows = _row_keys(name, values)
        counts = Counter((getattr(person, name), person.column) for person in people)
        if scope == AGENCY:
            tables[name] = exact(rows, COLUMNS, counts)
        else:
            tables[name] = protect(rows, COLUMNS, counts, k=k, base=rounding)
        row_labels[name] = labels(name, rows)
    return Release(
        scope=scope,
        filters=filters,
        k=k,
        rounding=rounding,
        tables=tables,
        labels=row_labels,
        uncertain=(
            selection.uncertain if scope == AGENCY else round_to(selection.uncertain, rounding)
        ),
    )
