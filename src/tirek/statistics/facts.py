"""Keeping the de-identified facts and their cells current.

Every change of case data writes a row to the case timeline (``CaseEvent``) and every matching
decision a ``PersonPairDecision``. :func:`facts_refresh` reads both past its watermark, finds the
groups of person records concerned (a person and everyone matching confirmed to be the same
person) and replaces their facts, adding the difference to the cells in the same transaction.
It runs as a periodic background task; ``tirek statistics rebuild`` starts again from nothing.

A group gives one national fact (its earliest counted case gives the quarter, the territory and
the other dimensions; identified if any of its cases is) and one fact for each agency owning
one of its cases (the same rule within that agency's cases).
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max, Q
from django.utils import timezone

from tirek.cases.choices import AgeGroup, Sex, TraffickingStatus
from tirek.cases.models import Case, CaseEvent
from tirek.directory.models import Place
from tirek.matching.models import PersonPair, PersonPairDecision
from tirek.protection.models import Proceeding, ReflectionPeriod, ReturnPlan
from tirek.referrals.models import OutsideReferral, Referral
from tirek.retention.services import age_group
from tirek.statistics.models import NATIONAL, Cell, Fact, Watermark

PERSON = "person"
PRESUMED = "presumed"
IDENTIFIED = "identified"
UNKNOWN = "unknown"
SEVERAL = "several"
NONE = "none"
COUNTED = (TraffickingStatus.POSSIBLE, TraffickingStatus.ACTUAL)
NOISE_KEY_BOUND = 2**31
ALL = "*"  # the territory of national cells summed over every territory
# Late commits: a timeline row committed after a later one was read is caught on the next run.
SAFETY_WINDOW = datetime.timedelta(minutes=10)
BATCH = 500

CellKey = tuple[
    str, str, int, str, str, str, str
]  # unit, scope, quarter, territory, dim, value, series


def quarter_of(day: datetime.date) -> int:
    return day.year * 10 + (day.month - 1) // 3 + 1


def territory_of(place: Place | None) -> str:
    """The region a place lies in (a city of republican significance is its own territory)."""
    if place is None:
        return UNKNOWN
    if place.kind != Place.Kind.REGION and place.parent and place.parent.kind == Place.Kind.REGION:
        return place.parent.code
    return place.code


def group_key(person_ids: Iterable[Any]) -> str:
    """The keyed hash standing for a group of person records (the smallest id of the group)."""
    first = min(str(pid) for pid in person_ids)
    secret = f"tirek.statistics:{settings.SECRET_KEY}".encode()
    return hmac.new(secret, first.encode(), hashlib.sha256).hexdigest()[:32]


def person_groups() -> dict[Any, set[Any]]:
    """Person id -> every person id matching confirmed to be the same person (confirmed only)."""
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
    members: dict[Any, set[Any]] = defaultdict(set)
    for node in list(parent):
        members[root(node)].add(node)
    return {node: members[root(node)] for node in parent}


@dataclass
class CaseFacts:
    """What one case contributes: its dimensions, ready to become a fact."""

    case_id: Any
    agency_id: Any
    opened_on: datetime.date
    created_at: datetime.datetime
    territory: str
    identified: bool
    dims: dict[str, Any]
    assisted: dict[str, datetime.date] = field(default_factory=dict)  # service -> first day


def assistance_days(start: datetime.date, assisted: dict[str, datetime.date]) -> dict[str, Any]:
    """The waiting times of one person (pure): days from identification (``start``, the day
    their first case was opened) to the first assistance of any kind, and to each service.

    A referral accepted, or a referral outside Tirek whose service was delivered, is assistance
    begun on that day. The values are cell values: ``"12"``, or ``none``; ``"code:12"`` per
    service.
    """
    days = {code: days_bucket((day - start).days) for code, day in assisted.items()}
    return {
        "assistance_days": str(min(days.values())) if days else NONE,
        "service_days": sorted(f"{code[:SERVICE_CODE_LENGTH]}:{n}" for code, n in days.items()),
    }


def days_bucket(days: int) -> int:
    """Days kept as counted up to 30, then as the first day of their week, and a year or more
    as 365: a few dozen values, so the cells stay few (docs/statistics.md)."""
    if days <= EXACT_DAYS:
        return max(0, days)
    if days >= YEAR:
        return YEAR
    return days - (days - EXACT_DAYS - 1) % 7


EXACT_DAYS = 30
YEAR = 365
SERVICE_CODE_LENGTH = 56  # the cell value holds "code:days" in 64 letters


def _first_days(rows: Iterable[tuple[Any, str, datetime.datetime | None]]) -> dict[Any, Any]:
    """case -> service code -> the first local day of assistance."""
    first: dict[Any, dict[str, datetime.date]] = defaultdict(dict)
    for case_id, code, moment in rows:
        if moment is None:
            continue
        day = timezone.localtime(moment).date()
        if code not in first[case_id] or day < first[case_id][code]:
            first[case_id][code] = day
    return first


CROSS_SEPARATOR = "|"


def sex_age(sex: str, group: str) -> str:
    """The cell value of the sex × age group cross table: ``F|25-34``."""
    return f"{sex}{CROSS_SEPARATOR}{group}"


def _forms(values: list[str] | None) -> str:
    values = values or []
    return values[0] if len(values) == 1 else (SEVERAL if values else UNKNOWN)


def _case_facts(cases: list[Case]) -> list[CaseFacts]:
    ids = [case.pk for case in cases]
    reflection = dict(
        ReflectionPeriod.objects.filter(case_id__in=ids)
        .order_by("case_id", "starts_on")
        .values_list("case_id", "outcome")
    )
    returned = {
        case_id: (RETURNED if returned_on else PLANNED)
        for case_id, returned_on in ReturnPlan.objects.filter(case_id__in=ids).values_list(
            "case_id", "returned_on"
        )
    }
    proceedings = dict(Proceeding.objects.filter(case_id__in=ids).values_list("case_id", "role"))
    accepted = Referral.objects.filter(
        Q(status=Referral.Status.ACCEPTED) | Q(outcome=Referral.Outcome.DELIVERED),
        case_id__in=ids,
    )
    delivered = OutsideReferral.objects.filter(case_id__in=ids, outcome=Referral.Outcome.DELIVERED)
    assisted = _first_days(
        [
            *accepted.values_list("case_id", "service_type__code", "decided_at"),
            *delivered.values_list("case_id", "service_type__code", "outcome_at"),
        ]
    )
    result = []
    for case in cases:
        person = case.person
        if case.anonymised_at is not None:
            sex, group, citizenship = case.stats_sex, case.stats_age_group, case.stats_citizenship
        else:
            sex = person.sex
            group = age_group(person.age_on(case.opened_on))
            citizenship = person.citizenship
        dims = {
            "sex": sex or Sex.UNKNOWN,
            "age_group": group or AgeGroup.UNKNOWN,
            "sex_age": sex_age(sex or Sex.UNKNOWN, group or AgeGroup.UNKNOWN),
            "citizenship": citizenship[0] if citizenship else UNKNOWN,
            "exploitation": _forms(case.types_of_exploitation),
            "means_of_control": sorted(set(case.methods_of_control or [])) or [UNKNOWN],
            "nrm_stage": case.nrm_stage,
            "reflection": (reflection.get(case.pk) or GRANTED) if case.pk in reflection else NONE,
            "return": returned.get(case.pk, NONE),
            "proceedings": proceedings.get(case.pk, NONE),
        }
        result.append(
            CaseFacts(
                case_id=case.pk,
                agency_id=case.owner_agency_id,
                opened_on=case.opened_on,
                created_at=case.created_at,
                territory=territory_of(case.owner_agency.place),
                identified=case.trafficking_status == TraffickingStatus.ACTUAL,
                dims=dims,
                assisted=assisted.get(case.pk, {}),
            )
        )
    return result


GRANTED = "granted"  # a reflection period without an outcome yet
RETURNED = "returned"
PLANNED = "planned"


def _facts_of_group(key: str, cases: list[CaseFacts]) -> list[Fact]:
    """The national fact and one fact per agency for the cases of one group."""
    facts = []
    scopes: dict[str, list[CaseFacts]] = {NATIONAL: cases}
    for case in cases:
        scopes.setdefault(str(case.agency_id), []).append(case)
    for scope, own in scopes.items():
        first = min(own, key=lambda c: (c.opened_on, c.created_at))
        assisted: dict[str, datetime.date] = {}
        for case in own:
            for code, day in case.assisted.items():
                assisted[code] = min(day, assisted.get(code, day))
        facts.append(
            Fact(
                unit=PERSON,
                scope=scope,
                key=key,
                quarter=quarter_of(first.opened_on),
                territory=first.territory,
                series=IDENTIFIED if any(c.identified for c in own) else PRESUMED,
                dims=first.dims | assistance_days(first.opened_on, assisted),
                noise_key=0,
            )
        )
    return facts


def cell_contributions(
    unit: str,
    scope: str,
    quarter: int,
    territory: str,
    series: str,
    dims: dict[str, Any],
) -> Iterator[CellKey]:
    """The cells one fact counts in: one per dimension, one per value of a list; a national
    fact also counts in the cells of all territories together (``ALL``)."""
    places = [territory, ALL] if scope == NATIONAL else [territory]
    for dimension, value in dims.items():
        for one in value if isinstance(value, list) else [value]:
            for place in places:
                yield (unit, scope, quarter, place, dimension, str(one), series)


def _delta(facts: Iterable[Fact], sign: int, into: dict[CellKey, list[int]]) -> None:
    for fact in facts:
        for cell in cell_contributions(
            fact.unit, fact.scope, fact.quarter, fact.territory, fact.series, fact.dims
        ):
            entry = into.setdefault(cell, [0, 0])
            entry[0] += sign
            entry[1] += sign * fact.noise_key


def cells_apply(delta: dict[CellKey, list[int]]) -> None:
    """Add ``delta`` (cell -> [count, key sum]) to the cells; empty cells are removed."""
    delta = {cell: change for cell, change in delta.items() if change != [0, 0]}
    if not delta:
        return
    existing: dict[CellKey, Cell] = {}
    by_scope: dict[tuple[str, str], set[str]] = defaultdict(set)
    for unit, scope, _q, _t, dimension, _v, _s in delta:
        by_scope[(unit, scope)].add(dimension)
    for (unit, scope), dimensions in by_scope.items():
        mine = [cell for cell in delta if cell[:2] == (unit, scope)]
        rows = Cell.objects.filter(
            unit=unit,
            scope=scope,
            dimension__in=dimensions,
            quarter__in={cell[2] for cell in mine},
            territory__in={cell[3] for cell in mine},
        )
        for found in rows:
            key = (found.unit, found.scope, found.quarter, found.territory, found.dimension)
            existing[(*key, found.value, found.series)] = found
    changed: list[Cell] = []
    created: list[Cell] = []
    emptied: list[Cell] = []
    for cell, (count, keys) in delta.items():
        row = existing.get(cell)
        if row is None:
            unit, scope, quarter, territory, dimension, value, series = cell
            created.append(
                Cell(
                    unit=unit,
                    scope=scope,
                    quarter=quarter,
                    territory=territory,
                    dimension=dimension,
                    value=value,
                    series=series,
                    n=count,
                    key_sum=keys,
                )
            )
            continue
        row.n += count
        row.key_sum += keys
        (emptied if row.n == 0 else changed).append(row)
    Cell.objects.filter(pk__in=[row.pk for row in emptied]).delete()
    Cell.objects.bulk_update(changed, ["n", "key_sum"], batch_size=BATCH)
    Cell.objects.bulk_create(created, batch_size=BATCH)


def facts_replace(person_ids: Iterable[Any], groups: dict[Any, set[Any]] | None = None) -> int:
    """Recompute the facts of the groups these person records belong to; returns facts written.

    Call inside a transaction holding the watermark (one refresh at a time).
    """
    groups = person_groups() if groups is None else groups
    members: set[Any] = set()
    for pid in person_ids:
        members |= groups.get(pid, {pid})
    if not members:
        return 0
    cases = list(
        Case.objects.filter(person_id__in=members, trafficking_status__in=COUNTED).select_related(
            "person", "owner_agency__place__parent"
        )
    )
    by_group: dict[str, list[Case]] = defaultdict(list)
    for case in cases:
        by_group[group_key(groups.get(case.person_id, {case.person_id}))].append(case)
    new: list[Fact] = []
    for key, group_cases in by_group.items():
        new += _facts_of_group(key, _case_facts(group_cases))
    return facts_swap(PERSON, [group_key([pid]) for pid in members], new)


def facts_swap(unit: str, keys: list[str], new: list[Fact]) -> int:
    """Replace the facts of ``unit`` with these keys by ``new`` and add the difference to the
    cells (a fact kept keeps its noise key); returns the facts written. Call inside the
    refresh's transaction."""
    old = list(Fact.objects.filter(unit=unit, key__in=keys))
    noise = {(fact.key, fact.scope): fact.noise_key for fact in old}
    for fact in new:
        fact.noise_key = noise.get((fact.key, fact.scope)) or secrets.randbelow(NOISE_KEY_BOUND)
    delta: dict[CellKey, list[int]] = {}
    _delta(old, -1, delta)
    _delta(new, 1, delta)
    Fact.objects.filter(pk__in=[fact.pk for fact in old]).delete()
    Fact.objects.bulk_create(new, batch_size=BATCH)
    cells_apply(delta)
    return len(new)


def _watermark() -> Watermark:
    Watermark.objects.get_or_create(name="facts")
    return Watermark.objects.select_for_update().get(name="facts")


@dataclass(frozen=True)
class RefreshReport:
    persons: int
    facts: int


def facts_refresh() -> RefreshReport:
    """Bring the facts up to date with the timeline and the matching decisions since last time
    (and the screenings and referrals: ``activity.py``)."""
    from tirek.statistics.activity import activity_refresh

    now = timezone.now()
    with transaction.atomic():
        mark = _watermark()
        last_event = CaseEvent.objects.aggregate(last=Max("id"))["last"] or 0
        last_decision = PersonPairDecision.objects.aggregate(last=Max("id"))["last"] or 0
        changed = Q(id__gt=mark.case_event_id)
        if mark.refreshed_at is not None:
            changed |= Q(at__gte=mark.refreshed_at - SAFETY_WINDOW)
        events = CaseEvent.objects.filter(changed, id__lte=last_event).exclude(
            kind__in=CaseEvent.READ_KINDS
        )
        case_ids = set(events.values_list("case_id", flat=True).distinct())
        persons = set(
            Case.objects.filter(pk__in=case_ids).values_list("person_id", flat=True).distinct()
        )
        decisions = PersonPairDecision.objects.filter(
            id__gt=mark.pair_decision_id, id__lte=last_decision
        ).values_list("pair__person_low_id", "pair__person_high_id")
        for low, high in decisions:
            persons |= {low, high}
        facts = _replace_in_batches(persons)
        since = None if mark.refreshed_at is None else mark.refreshed_at - SAFETY_WINDOW
        facts += activity_refresh(case_ids=case_ids, since=since, now=now)
        mark.case_event_id = last_event
        mark.pair_decision_id = last_decision
        mark.refreshed_at = now
        mark.save()
    return RefreshReport(persons=len(persons), facts=facts)


def _replace_in_batches(persons: set[Any]) -> int:
    groups = person_groups()
    ordered = sorted(persons, key=str)
    written = 0
    for start in range(0, len(ordered), BATCH):
        written += facts_replace(ordered[start : start + BATCH], groups)
    return written


# The dimensions of a person fact; True where a person may have several values (a list).
DIMENSIONS = {
    "sex": False,
    "age_group": False,
    "sex_age": False,  # the cross table of sex and age group (Eurostat, UNODC)
    "citizenship": False,
    "exploitation": False,
    "means_of_control": True,
    "nrm_stage": False,
    "reflection": False,
    "return": False,
    "proceedings": False,
    "assistance_days": False,
    "service_days": True,
}


def _value_sql(vendor: str, dimension: str, several: bool) -> tuple[str, str]:
    """The FROM addition and the expression giving a dimension's value(s) of a fact row."""
    if vendor == "postgresql":
        if several:
            return (f", jsonb_array_elements_text(f.dims -> '{dimension}') AS v", "v")
        return ("", f"f.dims ->> '{dimension}'")
    if several:
        return (f", json_each(f.dims, '$.{dimension}') AS v", "v.value")
    return ("", f"json_extract(f.dims, '$.{dimension}')")


def cells_rebuild() -> int:
    """Sum every fact into the cells again with SQL ``GROUP BY`` (after a bulk load of facts)."""
    from tirek.statistics.activity import DIMENSIONS as ACTIVITY_DIMENSIONS

    vendor = connection.vendor
    every = [(PERSON, dimension, several) for dimension, several in DIMENSIONS.items()]
    for unit, names in ACTIVITY_DIMENSIONS.items():
        every += [(unit, dimension, False) for dimension in names]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM statistics_cell")
        for unit, dimension, several in every:
            join, value = _value_sql(vendor, dimension, several)
            for territory, national_only in (("f.territory", False), (f"'{ALL}'", True)):
                where = "WHERE f.unit = %s" + (" AND f.scope = ''" if national_only else "")
                # Dimension names and SQL fragments come from this module, never from input.
                columns = f"f.unit, f.scope, f.quarter, {territory}"
                grouped = "f.unit, f.scope, f.quarter" + ("" if national_only else ", f.territory")
                sql = " ".join(  # noqa: S608
                    [
                        "INSERT INTO statistics_cell (unit, scope, quarter, territory,",
                        "dimension, value, series, n, key_sum)",
                        f"SELECT {columns}, %s, {value}, f.series, COUNT(*), SUM(f.noise_key)",
                        f"FROM statistics_fact f{join} {where}",
                        f"GROUP BY {grouped}, {value}, f.series",
                    ]
                )
                cursor.execute(sql, [dimension, unit])
    return Cell.objects.count()


def facts_rebuild() -> RefreshReport:
    """Forget every fact and cell and count every case again (``tirek statistics rebuild``)."""
    from tirek.statistics.activity import activity_refresh

    now = timezone.now()
    with transaction.atomic():
        mark = _watermark()
        last_event = CaseEvent.objects.aggregate(last=Max("id"))["last"] or 0
        last_decision = PersonPairDecision.objects.aggregate(last=Max("id"))["last"] or 0
        Fact.objects.all().delete()
        Cell.objects.all().delete()
        persons = set(
            Case.objects.filter(trafficking_status__in=COUNTED)
            .values_list("person_id", flat=True)
            .distinct()
        )
        facts = _replace_in_batches(persons)
        facts += activity_refresh(case_ids=set(), since=None, now=now)
        mark.case_event_id = last_event
        mark.pair_decision_id = last_decision
        mark.refreshed_at = now
        mark.save()
    return RefreshReport(persons=len(persons), facts=facts)


def facts_refreshed_at() -> datetime.datetime | None:
    mark = Watermark.objects.filter(name="facts").first()
    return mark.refreshed_at if mark else None
