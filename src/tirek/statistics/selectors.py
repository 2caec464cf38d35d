"""The tables of the statistics dashboard: who may see them, and the counts behind them.

The unit counted is a *person*: cases of one person record, and of person records that matching
has confirmed to be the same person, count once (the person's earliest case gives the row; the
person counts as identified if any of those cases is). An agency sees its own work as counted;
the national picture only as protected tables (``privacy.protect``).

The tables are sums of pre-aggregated cells (``facts.py``, ``models.Cell``), one query per
release whatever the number of cases; periods are whole quarters (docs/statistics.md).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tirek.accounts.actor import Actor
from tirek.accounts.models import Agency
from tirek.accounts.roles import Role
from tirek.cases.choices import (
    COUNTRY_CHOICES,
    AgeGroup,
    MethodOfControl,
    NrmStage,
    Sex,
    TraffickingStatus,
    TypeOfExploitation,
)
from tirek.cases.models import Case
from tirek.core.errors import Forbidden
from tirek.core.models import AuditEvent
from tirek.directory.models import Place, ServiceType
from tirek.matching.models import PersonPair, ReviewCandidate
from tirek.protection.choices import ProceedingRole, ReflectionOutcome
from tirek.referrals.models import Referral
from tirek.retention.services import age_group
from tirek.screening.models import OutcomeChoices
from tirek.statistics import activity, differential, facts
from tirek.statistics.models import NATIONAL as NATIONAL_SCOPE
from tirek.statistics.models import Cell
from tirek.statistics.privacy import Table, exact, protect, released_median, round_to
from tirek.statistics.tilemap import GRID

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
    "sex_age": gettext_lazy("Victims by sex and age group"),
    "citizenship": gettext_lazy("Citizenship"),
    "exploitation": gettext_lazy("Form of exploitation"),
    "nrm_stage": gettext_lazy("Stage of the mechanism"),
    "means_of_control": gettext_lazy("Means of control"),
    "reflection": gettext_lazy("Reflection period"),
    "return": gettext_lazy("Return"),
    "proceedings": gettext_lazy("Criminal or civil proceedings"),
    "screening_agency_type": gettext_lazy("Screenings and their outcomes, by agency type"),
    "referral_service": gettext_lazy("Referrals by service"),
    "referral_provider": gettext_lazy("Referrals by provider"),
    "referral_quarter": gettext_lazy("Referrals by period (quarter)"),
}
# Tables of the mechanism's work (not of persons): name -> (unit, dimension of the rows).
ACTIVITY_TABLES = {
    "screening_agency_type": (activity.SCREENING, "agency_type"),
    "referral_service": (activity.REFERRAL, "service_type"),
    "referral_provider": (activity.REFERRAL, "provider"),
    "referral_quarter": (activity.REFERRAL, "quarter"),
}
# Cross tables: name -> the dimensions of their rows and of their columns. Every person counted
# (presumed or identified) counts once, in the cell of their sex and age group.
CROSS = {"sex_age": ("sex", "age_group")}
# Tables where one person may count in several rows (the rows do not add up to the total).
MULTIPLE = frozenset({"means_of_control"})
GRANTED = facts.GRANTED
NONE = facts.NONE


def statistics_scope(actor: Actor, scope: str) -> str:
    """The scope the actor may read (403 for anyone but coordinators and supervisors)."""
    if not actor.membership.is_active or actor.role not in READERS:
        raise Forbidden(_("Your role does not allow this action."))
    return scope if scope in SCOPES else NATIONAL


def quarter_start(day: datetime.date) -> datetime.date:
    return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarter_end(day: datetime.date) -> datetime.date:
    start = quarter_start(day)
    following = datetime.date(start.year + start.month // 10, (start.month + 2) % 12 + 1, 1)
    return following - datetime.timedelta(days=1)


@dataclass(frozen=True)
class Filters:
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    territory: str = ""

    def in_quarters(self) -> Filters:
        """The period widened to whole quarters: the only periods released (no differencing of
        two periods that differ by a few days)."""
        return Filters(
            date_from=quarter_start(self.date_from) if self.date_from else None,
            date_to=quarter_end(self.date_to) if self.date_to else None,
            territory=self.territory,
        )

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
    counted_at: datetime.datetime | None = None  # when the facts were last brought up to date
    medians: list[MedianRow] = field(default_factory=list)  # time to assistance
    budget: differential.Budget | None = None  # a differentially private release's ε, else None


FIRST_ASSISTANCE = "first"  # the row of the time to the first assistance of any kind


@dataclass(frozen=True)
class MedianRow:
    """Days from identification to assistance: the first of any kind, or one service."""

    key: str  # FIRST_ASSISTANCE or a service type's code
    label: str
    people: int | None  # the people assisted (None where withheld)
    median: int | None  # median days (None where withheld or nobody)


territory_of = facts.territory_of


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
        "sex_age": list(Sex.values),
        "nrm_stage": list(NrmStage.values),
        "exploitation": [*TypeOfExploitation.values, SEVERAL, UNKNOWN],
        "means_of_control": [*MethodOfControl.values, UNKNOWN],
        "reflection": [NONE, GRANTED, *ReflectionOutcome.values],
        "return": [NONE, facts.PLANNED, facts.RETURNED],
        "proceedings": [NONE, *ProceedingRole.values],
        "screening_agency_type": [t for t in Agency.Type.values if t in present],
    }
    if name in fixed:
        return fixed[name] + [value for value in present if value not in fixed[name]]
    return present


def labels(name: str, keys: Iterable[str]) -> dict[str, str]:
    """Row labels in the active language."""
    keys = list(keys)
    common = {UNKNOWN: _("Unknown"), SEVERAL: _("Several forms")}
    if name == "reflection":
        common |= {NONE: _("No reflection period"), GRANTED: _("Granted, under way")}
    if name == "return":
        common |= {
            NONE: _("No return planned"),
            facts.PLANNED: _("Return planned"),
            facts.RETURNED: _("Returned"),
        }
    if name == "proceedings":
        common |= {NONE: _("No proceedings recorded")}
    if name in ("quarter", "referral_quarter"):
        return {
            key: _("Q%(quarter)s %(year)s") % {"quarter": key[-1], "year": key[:4]} for key in keys
        }
    if name == "territory":  # also names every tile of the map (in the same query)
        places = {p.code: p.label for p in Place.objects.filter(code__in=[*keys, *GRID])}
        return {code: label for code, label in places.items() if code in GRID} | {
            key: places.get(key) or common.get(key, key) for key in keys
        }
    if name == "referral_service":
        services = {s.code: s.label for s in ServiceType.objects.filter(code__in=keys)}
        return {key: services.get(key) or key for key in keys}
    if name == "referral_provider":
        agencies = {str(a.pk): a.label for a in Agency.objects.filter(pk__in=keys)}
        return {key: agencies.get(key) or _("Unknown") for key in keys}
    choices: dict[str, Any] = {
        "sex": dict(Sex.choices),
        "sex_age": dict(Sex.choices),
        "age_group": dict(AgeGroup.choices),
        "nrm_stage": dict(NrmStage.choices),
        "exploitation": dict(TypeOfExploitation.choices),
        "citizenship": dict(COUNTRY_CHOICES),
        "means_of_control": dict(MethodOfControl.choices),
        "reflection": dict(ReflectionOutcome.choices),
        "return": {},
        "proceedings": dict(ProceedingRole.choices),
        "screening_agency_type": dict(Agency.Type.choices),
    }[name]
    return {key: str(choices.get(key) or common.get(key, key)) for key in keys}


def column_labels(name: str = "") -> dict[str, str]:
    """The columns of a table, in the active language: presumed and identified victims, or the
    outcomes of screenings, or the states of referrals."""
    unit = ACTIVITY_TABLES[name][0] if name in ACTIVITY_TABLES else facts.PERSON
    if name in CROSS:
        return {str(key): str(label) for key, label in AgeGroup.choices}
    if unit == activity.SCREENING:
        outcomes = dict(OutcomeChoices.choices)
        return {code: str(outcomes[value]) for value, code in activity.SCREENING_OUTCOMES.items()}
    if unit == activity.REFERRAL:
        return {
            activity.WAITING: _("Waiting for an answer"),
            activity.OVERDUE: _("Overdue"),
            Referral.Status.ACCEPTED: _("Accepted"),
            Referral.Status.DECLINED: _("Declined"),
            Referral.Status.WITHDRAWN: _("Withdrawn"),
        }
    return {PRESUMED: _("Presumed victims"), IDENTIFIED: _("Identified victims")}


def table_columns(name: str) -> tuple[str, ...]:
    return tuple(column_labels(name))


def row_heading(name: str) -> str:
    """The heading of a table's row labels: its title, or for a cross table what its rows and
    columns are ("Sex / age group")."""
    if name in CROSS:
        return _("Sex / age group")
    return str(TABLES[name])


def _cells(scope_key: str, filters: Filters) -> QuerySet[Cell]:
    cells = Cell.objects.filter(unit=facts.PERSON, scope=scope_key)
    if filters.date_from:
        cells = cells.filter(quarter__gte=facts.quarter_of(filters.date_from))
    if filters.date_to:
        cells = cells.filter(quarter__lte=facts.quarter_of(filters.date_to))
    return cells


Counts = dict[str, dict[tuple[str, str], int]]


def cell_counts(scope_key: str, filters: Filters) -> tuple[Counts, Counts]:
    """Counts and cell keys by table, (row, column), summed from the cells in three queries.

    National cells are also kept summed over every territory (``facts.ALL``): a release reads a
    few thousand cells whatever the number of people.
    """
    cells = _cells(scope_key, filters)
    if filters.territory:
        selected = cells.filter(territory=filters.territory)
    elif scope_key == NATIONAL_SCOPE:
        selected = cells.filter(territory=facts.ALL)
    else:
        selected = cells
    counts: Counts = {name: {} for name in TABLES}
    keys: Counts = {name: {} for name in TABLES}

    def add(name: str, rows: Iterable[tuple[Any, str, int, int]]) -> None:
        for value, series, count, key in rows:
            row = f"{value // 10}-Q{value % 10}" if name == "quarter" else str(value)
            if name in CROSS:  # "F|25-34": the row and the column; presumed and identified
                row, _sep, series = row.partition(facts.CROSS_SEPARATOR)
            counts[name][(row, series)] = counts[name].get((row, series), 0) + count
            keys[name][(row, series)] = keys[name].get((row, series), 0) + key

    # Only the dimensions of the tables (the waiting times are read as histograms apart).
    grouped = (
        selected.filter(dimension__in=[name for name in TABLES if name in facts.DIMENSIONS])
        .values_list("dimension", "value", "series")
        .annotate(count=Sum("n"), key=Sum("key_sum"))
    )
    for dimension, value, series, count, key in grouped:
        if dimension in counts:
            add(dimension, [(value, series, count, key)])
    # Every person counts once in the sex table: it gives the counts by quarter and territory.
    sums = {"count": Sum("n"), "key": Sum("key_sum")}
    people = selected.filter(dimension="sex")
    add("quarter", people.values_list("quarter", "series").annotate(**sums))
    places = cells.filter(dimension="sex")  # (the sums over all territories are left out below)
    if filters.territory:
        places = places.filter(territory=filters.territory)
    by_place = places.values_list("territory", "series").annotate(**sums)
    add("territory", [row for row in by_place if row[0] != facts.ALL])
    return counts, keys


def activity_counts(scope_key: str, filters: Filters) -> tuple[Counts, Counts]:
    """Counts and cell keys of the screening and referral tables, in one query."""
    cells = Cell.objects.filter(
        unit__in=[activity.SCREENING, activity.REFERRAL],
        scope=scope_key,
        dimension__in=[dimension for _unit, dimension in ACTIVITY_TABLES.values()],
    ).exclude(dimension="quarter")
    by_service = Cell.objects.filter(
        unit=activity.REFERRAL, scope=scope_key, dimension="service_type"
    )
    if filters.date_from:
        cells = cells.filter(quarter__gte=facts.quarter_of(filters.date_from))
        by_service = by_service.filter(quarter__gte=facts.quarter_of(filters.date_from))
    if filters.date_to:
        cells = cells.filter(quarter__lte=facts.quarter_of(filters.date_to))
        by_service = by_service.filter(quarter__lte=facts.quarter_of(filters.date_to))
    if filters.territory:
        cells = cells.filter(territory=filters.territory)
        by_service = by_service.filter(territory=filters.territory)
    elif scope_key == NATIONAL_SCOPE:
        cells = cells.filter(territory=facts.ALL)
        by_service = by_service.filter(territory=facts.ALL)
    names = {spec: name for name, spec in ACTIVITY_TABLES.items()}
    counts: Counts = {name: {} for name in ACTIVITY_TABLES}
    keys: Counts = {name: {} for name in ACTIVITY_TABLES}
    grouped = cells.values_list("unit", "dimension", "value", "series").annotate(
        count=Sum("n"), key=Sum("key_sum")
    )
    for unit, dimension, value, series, count, key in grouped:
        name = names[(unit, dimension)]
        counts[name][(value, series)] = count
        keys[name][(value, series)] = key
    # Every referral counts once by service: it gives the referrals by quarter.
    quarters = by_service.values_list("quarter", "series").annotate(
        count=Sum("n"), key=Sum("key_sum")
    )
    for quarter, series, count, key in quarters:
        row = f"{quarter // 10}-Q{quarter % 10}"
        counts["referral_quarter"][(row, series)] = count
        keys["referral_quarter"][(row, series)] = key
    return counts, keys


def assistance_histograms(scope_key: str, filters: Filters) -> dict[str, dict[int, int]]:
    """Days to assistance -> people, for the first assistance and each service (one query)."""
    cells = _cells(scope_key, filters).filter(dimension__in=["assistance_days", "service_days"])
    if filters.territory:
        cells = cells.filter(territory=filters.territory)
    elif scope_key == NATIONAL_SCOPE:
        cells = cells.filter(territory=facts.ALL)
    result: dict[str, dict[int, int]] = {FIRST_ASSISTANCE: {}}
    grouped = cells.values_list("dimension", "value").annotate(count=Sum("n"))
    for dimension, value, count in grouped:
        if dimension == "assistance_days":
            if value != NONE:
                result[FIRST_ASSISTANCE][int(value)] = count
            continue
        code, _sep, days = value.rpartition(":")
        histogram = result.setdefault(code, {})
        histogram[int(days)] = histogram.get(int(days), 0) + count
    return result


def medians_build(
    histograms: dict[str, dict[int, int]], *, k: int, base: int, protected: bool
) -> list[MedianRow]:
    """The released median of each group, the first assistance first, then services by name."""
    services = {s.code[: facts.SERVICE_CODE_LENGTH]: s.label for s in ServiceType.objects.all()}
    order = [
        FIRST_ASSISTANCE,
        *sorted((c for c in histograms if c != FIRST_ASSISTANCE), key=lambda c: services.get(c, c)),
    ]
    rows = []
    for key in order:
        released = released_median(histograms[key], k=k, base=base, protected=protected)
        label = (
            _("First assistance of any kind") if key == FIRST_ASSISTANCE else services.get(key, key)
        )
        rows.append(MedianRow(key, str(label), released.people, released.median))
    return rows


def uncertain_pairs(*, filters: Filters, agency_id: Any = None) -> int:
    """Pairs in matching's review band, nobody has decided, whose two person records both have a
    counted case in the selection (the review band is small: one query for its persons)."""
    pairs = list(ReviewCandidate.objects.values_list("person_low_id", "person_high_id"))
    if not pairs:
        return 0
    cases = Case.objects.filter(
        trafficking_status__in=[TraffickingStatus.POSSIBLE, TraffickingStatus.ACTUAL],
        person_id__in={pid for pair in pairs for pid in pair},
    )
    if agency_id is not None:
        cases = cases.filter(owner_agency_id=agency_id)
    if filters.date_from:
        cases = cases.filter(opened_on__gte=filters.date_from)
    if filters.date_to:
        cases = cases.filter(opened_on__lte=filters.date_to)
    if filters.territory:
        cases = cases.filter(
            Q(owner_agency__place__code=filters.territory)
            | Q(owner_agency__place__parent__code=filters.territory)
        )
    counted = set(cases.values_list("person_id", flat=True))
    groups = facts.person_groups()
    return sum(
        1
        for low, high in pairs
        if low in counted and high in counted and high not in groups.get(low, {low})
    )


# --- Differential privacy (docs/statistics.md) -------------------------------------------------

# Coordinators spend the national privacy budget; supervisors read k-anonymous tables only.
DP_RELEASERS = frozenset({Role.COORDINATOR})
DP_YEARS = 5  # a release without a start date covers this many calendar years
DP_RELEASED = "statistics.released"  # the audit action whose data records the ε spent
# The tables of persons. The tables of the mechanism's work (screenings, referrals) and the times
# to assistance are left out of a differentially private release: one person may have any number
# of screenings or referrals, so their sensitivity has no bound.
DP_TABLES = tuple(name for name in TABLES if name not in ACTIVITY_TABLES)


@dataclass(frozen=True)
class Protection:
    """How a national release is protected: k-anonymity (the default) or differential privacy."""

    method: str = differential.K_ANONYMITY
    epsilon: float = 1.0
    mechanism: str = differential.LAPLACE

    @property
    def differential(self) -> bool:
        return self.method == differential.DIFFERENTIAL


def dp_allowed(actor: Actor) -> bool:
    """Whether the actor may spend the national privacy budget (an active coordinator)."""
    return actor.membership.is_active and actor.role in DP_RELEASERS


def dp_refusal() -> str:
    return _("Only a coordinator may make a differentially private release.")


def dp_require(actor: Actor) -> None:
    """403 for anyone but an active coordinator: a differentially private release spends the
    national privacy budget."""
    statistics_scope(actor, NATIONAL)
    if not dp_allowed(actor):
        raise Forbidden(dp_refusal())


def dp_spent(year: int) -> float:
    """The ε spent by the differentially private releases of one calendar year (the ledger is the
    audit chain: every such release records its ε there)."""
    events = AuditEvent.objects.filter(action=DP_RELEASED, at__year=year).filter(
        data__privacy=differential.DIFFERENTIAL
    )
    return sum(float(data.get("epsilon") or 0) for data in events.values_list("data", flat=True))


def dp_left(year: int) -> float:
    """The ε left of one calendar year's national budget (``TIREK_DP_BUDGET``)."""
    return max(0.0, settings.TIREK_DP_BUDGET - dp_spent(year))


def dp_window(filters: Filters, today: datetime.date) -> Filters:
    """The period of a differentially private release: whole quarters, from a public start (the
    filter's, or ``DP_YEARS`` years back) to a public end, so the rows never depend on the data."""
    start = filters.date_from or datetime.date(today.year - DP_YEARS + 1, 1, 1)
    end = filters.date_to or today
    return Filters(
        date_from=quarter_start(start), date_to=quarter_end(end), territory=filters.territory
    )


def dp_rows(name: str, filters: Filters) -> list[str]:
    """The rows of a table in a differentially private release: every possible value, never only
    the values that occur (a row that appears would tell someone has that value)."""
    if name == "quarter":
        assert filters.date_from and filters.date_to  # noqa: S101 (dp_window sets both)
        rows, day = [], filters.date_from
        while day <= filters.date_to:
            rows.append(_quarter(day))
            day = quarter_end(day) + datetime.timedelta(days=1)
        return rows
    if name == "territory":
        return [filters.territory] if filters.territory else [c for c, _l in territories()]
    if name == "citizenship":
        return [code for code, _label in COUNTRY_CHOICES] + [UNKNOWN]
    return _row_keys(name, [])


def cells_per_person(name: str) -> int:
    """The most cells of a table one person counts in: one, or in the means of control one per
    means they were held by (each at most once; "unknown" only when none is known), in a single
    column (presumed or identified)."""
    if name == "means_of_control":
        return len(MethodOfControl.values)
    return 1


def dp_tables(
    counts: Counts, filters: Filters, protection: Protection
) -> tuple[dict[str, Table], differential.Budget]:
    """The national tables with OpenDP noise, ε split over them."""
    queries = {}
    for name in DP_TABLES:
        rows = tuple(dp_rows(name, filters))
        queries[name] = differential.Query(
            rows=rows,
            columns=table_columns(name),
            counts=counts[name],
            cells_per_person=cells_per_person(name),
        )
    return differential.release(queries, epsilon=protection.epsilon, mechanism=protection.mechanism)


def release_build(
    *, actor: Actor, scope: str, filters: Filters, protection: Protection | None = None
) -> Release:
    """The tables the actor may see: their agency's as counted, the national ones protected
    (k-anonymity, or differential privacy when asked for)."""
    scope = statistics_scope(actor, scope)
    if protection is not None and protection.differential and scope == NATIONAL:
        return _dp_release_build(filters, protection)
    filters = filters.in_quarters()
    k = settings.TIREK_STATISTICS_K
    rounding = settings.TIREK_STATISTICS_ROUNDING
    noise = settings.TIREK_STATISTICS_NOISE
    agency_id = actor.membership.agency_id if scope == AGENCY else None
    scope_key = NATIONAL_SCOPE if agency_id is None else str(agency_id)
    counts, keys = cell_counts(scope_key, filters)
    more_counts, more_keys = activity_counts(scope_key, filters)
    counts |= more_counts
    keys |= more_keys
    tables: dict[str, Table] = {}
    row_labels: dict[str, dict[str, str]] = {}
    for name in TABLES:
        rows = _row_keys(name, [row for row, _column in counts[name]])
        columns = table_columns(name)
        if scope == AGENCY:
            tables[name] = exact(rows, columns, counts[name])
        else:
            tables[name] = protect(
                rows, columns, counts[name], k=k, base=rounding, keys=keys[name], noise=noise
            )
        row_labels[name] = labels(name, rows)
    uncertain = uncertain_pairs(filters=filters, agency_id=agency_id)
    medians = medians_build(
        assistance_histograms(scope_key, filters),
        k=k,
        base=rounding,
        protected=scope != AGENCY,
    )
    return Release(
        scope=scope,
        filters=filters,
        k=k,
        rounding=rounding,
        tables=tables,
        labels=row_labels,
        uncertain=uncertain if scope == AGENCY else round_to(uncertain, rounding),
        counted_at=facts.facts_refreshed_at(),
        medians=medians,
    )


def _dp_release_build(filters: Filters, protection: Protection) -> Release:
    filters = dp_window(filters, timezone.localdate())
    counts, _keys = cell_counts(NATIONAL_SCOPE, filters)
    tables, budget = dp_tables(counts, filters, protection)
    row_labels = {name: labels(name, table.rows) for name, table in tables.items()}
    rounding = settings.TIREK_STATISTICS_ROUNDING
    return Release(
        scope=NATIONAL,
        filters=filters,
        k=settings.TIREK_STATISTICS_K,
        rounding=rounding,
        tables=tables,
        labels=row_labels,
        uncertain=0,  # not released: one person may lie in many pairs (no bounded sensitivity)
        counted_at=facts.facts_refreshed_at(),
        budget=budget,
    )
