"""Mechanism performance: per stage and step, how often the deadline was met and where cases wait.

Read from the step cells (``StepCell``: the step facts summed, ``step_facts.py``) in one query
whatever the number of cases: the outcomes counted per step and territory, and the durations of
the steps done as histograms; only the open steps of the current quarter are read from the facts
(whether they are overdue depends on the moment of reading). An
agency sees its own work as counted (the steps of its cases and the steps it had to act on); the
national picture is protected like every statistical release (``privacy.protect``: suppression
below k, complementary suppression, cell-key noise, rounding), a share or a duration computed
from fewer than k steps is not shown, and says why (docs/statistics.md).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    F,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tirek.accounts.actor import Actor
from tirek.accounts.models import Agency
from tirek.directory.models import Place
from tirek.mechanisms.models import Mechanism, MechanismStage, Step
from tirek.statistics.facts import quarter_of
from tirek.statistics.models import NATIONAL as NATIONAL_CELLS
from tirek.statistics.models import StepCell, StepFact
from tirek.statistics.performance import (
    ALLOWED,
    DUE,
    MET,
    OPEN,
    OPEN_OVERDUE,
    TAKEN,
    duration_rounded,
    percentile_counted,
    share_percent,
)
from tirek.statistics.privacy import Table, exact, protect
from tirek.statistics.selectors import AGENCY, NATIONAL, quarter_end, quarter_start
from tirek.statistics.selectors import statistics_scope as performance_scope
from tirek.statistics.step_facts import step_facts_refreshed_at

__all__ = ["performance_scope"]

ORDERS = {
    "wait": gettext_lazy("Longest median time to completion"),
    "missed": gettext_lazy("Largest share not met"),
}
TABLES = {
    "steps": gettext_lazy("Deadlines met, by stage and step"),
    "waits": gettext_lazy("Where cases wait longest"),
    "territories": gettext_lazy("Territories side by side"),
}

StepKey = tuple[str, str]  # stage, step code


@dataclass(frozen=True)
class PerformanceFilters:
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    territory: str = ""
    mechanism: str = ""  # a mechanism version's id, or every version
    order: str = "wait"

    def in_quarters(self) -> PerformanceFilters:
        """The period widened to whole quarters (of the steps' due times), as the dashboard."""
        return PerformanceFilters(
            date_from=quarter_start(self.date_from) if self.date_from else None,
            date_to=quarter_end(self.date_to) if self.date_to else None,
            territory=self.territory,
            mechanism=self.mechanism,
            order=self.order if self.order in ORDERS else "wait",
        )

    def as_data(self) -> dict[str, str]:
        return {
            "date_from": self.date_from.isoformat() if self.date_from else "",
            "date_to": self.date_to.isoformat() if self.date_to else "",
            "territory": self.territory,
            "mechanism": self.mechanism,
            "order": self.order,
        }


@dataclass(frozen=True)
class Duration:
    """A duration as released: ``amount`` hours (``unit`` "h") or days ("d")."""

    amount: int
    unit: str

    @property
    def minutes(self) -> int:
        return self.amount * (60 if self.unit == "h" else 1440)

    def __str__(self) -> str:
        if self.unit == "h":
            return _("%(count)s h") % {"count": self.amount}
        return _("%(count)s d") % {"count": self.amount}


def _duration(minutes: float | None) -> Duration | None:
    rounded = duration_rounded(minutes)
    return Duration(*rounded) if rounded else None


@dataclass(frozen=True)
class StepRow:
    """One step of the mechanism as released."""

    stage: str
    code: str
    label: str
    agency_type: str
    counts: tuple[int | None, ...]  # met, late, not done, open overdue (as released)
    due: int | None
    met_share: int | None
    missed_share: int | None
    share_reason: str
    median: Duration | None
    p90: Duration | None
    deadline: Duration | None  # the median deadline of the steps done
    wait_reason: str


@dataclass(frozen=True)
class TerritoryCell:
    territory: str
    label: str
    due: int | None
    met_share: int | None
    median: Duration | None
    reason: str


@dataclass(frozen=True)
class ComparisonRow:
    stage: str
    code: str
    label: str
    agency_type: str
    cells: tuple[TerritoryCell, ...]


@dataclass(frozen=True)
class PerformanceRelease:
    scope: str
    filters: PerformanceFilters
    k: int
    rounding: int
    protected: bool
    stages: list[tuple[str, list[StepRow]]]
    ranked: list[StepRow]
    territories: list[tuple[str, str]]
    comparison: list[ComparisonRow]
    withheld: int
    counted_at: datetime.datetime | None


def mechanism_choices() -> list[tuple[str, str]]:
    """Versions steps can have been counted under (in force and retired), as (id, label)."""
    versions = Mechanism.objects.exclude(status=Mechanism.Status.DRAFT).select_related("territory")
    statuses = dict(Mechanism.Status.choices)
    return [
        (
            str(m.pk),
            _("%(territory)s, version %(number)s (%(status)s)")
            % {"territory": m.territory.label, "number": m.number, "status": statuses[m.status]},
        )
        for m in sorted(versions, key=lambda m: (m.territory.label, -m.number))
    ]


def _agency(actor: Actor, scope: str) -> str:
    """The scope of the step cells read: national, or the actor's agency."""
    return NATIONAL_CELLS if scope == NATIONAL else str(actor.membership.agency_id)


def _open_facts(
    actor: Actor, scope: str, filters: PerformanceFilters, current: int
) -> QuerySet[StepFact]:
    """The open steps whose due time falls in the current quarter or later (in the release):
    the only ones whose being overdue depends on the moment of reading."""
    facts = StepFact.objects.filter(status="open", quarter__gte=current)
    if scope == AGENCY:
        mine = _agency(actor, scope)
        facts = facts.filter(Q(owner_agency_id=mine) | Q(acting_agency_id=mine))
    if filters.date_from:
        facts = facts.filter(quarter__gte=quarter_of(filters.date_from))
    if filters.date_to:
        facts = facts.filter(quarter__lte=quarter_of(filters.date_to))
    if filters.territory:
        facts = facts.filter(territory=filters.territory)
    if filters.mechanism:
        facts = facts.filter(mechanism_id=filters.mechanism)
    return facts


@dataclass(frozen=True)
class PeriodRows:
    """Which step cell rows sum to a period of whole quarters: the year rows of the whole years
    from ``first_year`` to ``last_year`` (``None``: without a bound; ``years`` False: none),
    and the quarters left over at either end, read one by one (at most six)."""

    years: bool
    first_year: int | None
    last_year: int | None
    quarters: tuple[int, ...]


def period_rows(first: int | None, last: int | None) -> PeriodRows:
    """The rows summing to the quarters ``first`` to ``last`` (``year * 10 + q``; ``None``:
    without a bound; not both ``None``)."""
    first_year = None if first is None else first // 10 + (first % 10 != 1)
    last_year = None if last is None else last // 10 - (last % 10 != 4)
    if first is not None and last is not None and first_year > last_year:  # type: ignore[operator]
        quarters = (
            year * 10 + q
            for year in range(first // 10, last // 10 + 1)
            for q in range(1, 5)
            if first <= year * 10 + q <= last
        )
        return PeriodRows(False, None, None, tuple(quarters))
    leading = () if first is None or first % 10 == 1 else range(first, first // 10 * 10 + 5)
    trailing = () if last is None or last % 10 == 4 else range(last // 10 * 10 + 1, last + 1)
    return PeriodRows(True, first_year, last_year, (*leading, *trailing))


IS_YEAR_ROW = Q(quarter=F("quarter") / 10 * 10)  # a year's row (or ALL_QUARTERS: 0)


def _period(rows: PeriodRows, current: int) -> tuple[Q, Q | None]:
    """The step cells a period's release reads and, among them, those subtracted: the open
    steps of the current quarter and later counted in the year rows read (they are read from
    the facts instead, overdue or not at the moment of reading)."""
    read = Q(quarter__in=rows.quarters) & ~Q(measure=OPEN, quarter__gte=current)
    if not rows.years:
        return read, None
    first = rows.first_year * 10 if rows.first_year is not None else 1
    years = Q(quarter__gte=first) & IS_YEAR_ROW
    subtracted = Q(measure=OPEN, quarter__gte=max(current, first)) & ~IS_YEAR_ROW
    if rows.last_year is not None:
        years &= Q(quarter__lte=rows.last_year * 10)
        subtracted &= Q(quarter__lte=rows.last_year * 10 + 9)
    return read | years | subtracted, subtracted


def _cells(
    actor: Actor, scope: str, filters: PerformanceFilters, current: int
) -> QuerySet[StepCell, tuple[Any, ...]]:
    """The step cells of the release, summed by step, territory, measure and minutes: the row
    of every quarter together, or the rows of the period's whole years and of its quarters left
    over; open steps of the current quarter and later are left out (read from the facts)."""
    cells = StepCell.objects.filter(scope=_agency(actor, scope))
    if filters.territory:
        cells = cells.filter(territory=filters.territory)
    if filters.mechanism:
        cells = cells.filter(mechanism_id=filters.mechanism)
    if filters.date_from or filters.date_to:
        first = quarter_of(filters.date_from) if filters.date_from else None
        last = quarter_of(filters.date_to) if filters.date_to else None
        read, subtracted = _period(period_rows(first, last), current)
    else:  # every quarter together, less the open steps of this quarter and later
        subtracted = Q(measure=OPEN, quarter__gte=current) & ~IS_YEAR_ROW
        read = Q(quarter=StepCell.ALL_QUARTERS) | subtracted
    cells = cells.filter(read)
    sign: Value | Case = Value(1)
    if subtracted is not None:
        sign = Case(When(subtracted, then=Value(-1)), default=Value(1))
    return (
        cells.values_list("stage", "step_code", "territory", "measure", "minutes")
        .annotate(
            total=Sum(F("n") * sign, output_field=IntegerField()),
            keys=Sum(F("key_sum") * sign, output_field=BigIntegerField()),
        )
        .order_by()
    )


Counts = dict[tuple[StepKey, str], dict[str, int]]  # (step, territory) -> outcome -> n / key
Histogram = dict[int, int]  # duration in minutes (as counted) -> how many steps


@dataclass
class Tally:
    """Per step and territory: the steps of each outcome and their noise keys, and how long the
    steps done took and were allowed (histograms)."""

    counts: Counts
    keys: Counts
    taken: dict[tuple[StepKey, str], Histogram]
    allowed: dict[tuple[StepKey, str], Histogram]


def _tally(actor: Actor, scope: str, filters: PerformanceFilters, now: datetime.datetime) -> Tally:
    """One query whatever the number of steps: the step cells of the release (a few thousand
    rows, ``StepCell``) and, beside them, the open steps of this quarter and later read from
    the facts, overdue against ``now`` (an open step of an earlier quarter is overdue)."""
    current = quarter_of(timezone.localdate(now))
    cells = _cells(actor, scope, filters, current)
    overdue = Q(due_at__lt=now)
    open_now = (
        _open_facts(actor, scope, filters, current)
        .values_list("stage", "step_code", "territory")
        .annotate(
            measure=Value(OPEN_OVERDUE),
            minutes=Value(0),
            total=Count("id", filter=overdue),
            keys=Coalesce(
                Sum("noise_key", filter=overdue), Value(0), output_field=BigIntegerField()
            ),
        )
        .order_by()
    )
    tally = Tally(counts={}, keys={}, taken=defaultdict(dict), allowed=defaultdict(dict))
    for stage, code, territory, measure, minutes, n, key_sum in cells.union(open_now, all=True):
        where = ((stage, code), territory)
        if measure in (TAKEN, ALLOWED):
            if n:
                histogram = (tally.taken if measure == TAKEN else tally.allowed)[where]
                histogram[minutes] = histogram.get(minutes, 0) + int(n)
            continue
        outcome = OPEN_OVERDUE if measure == OPEN else measure
        tally.counts.setdefault(where, dict.fromkeys(DUE, 0))[outcome] += int(n or 0)
        tally.keys.setdefault(where, dict.fromkeys(DUE, 0))[outcome] += int(key_sum or 0)
    return tally


def _merged(histograms: Iterable[Histogram]) -> Histogram:
    merged: Histogram = defaultdict(int)
    for histogram in histograms:
        for minutes, n in histogram.items():
            merged[minutes] += n
    return merged


@dataclass(frozen=True)
class StepLabel:
    label: str
    agency_type: str
    position: int


def _step_labels(keys: Iterable[StepKey], mechanism: str) -> dict[StepKey, StepLabel]:
    """The title and acting agency type of each step, from the version chosen, else from the
    newest version having a step of that code (one query)."""
    keys = set(keys)
    codes = {code for _stage, code in keys}
    steps = Step.objects.filter(code__in=codes).select_related("mechanism", "agency")
    types = dict(Agency.Type.choices)
    chosen: dict[StepKey, tuple[tuple[int, int, int], Step]] = {}
    for step in steps:
        key = (step.stage, step.code)
        if key not in keys:
            continue
        rank = (
            int(str(step.mechanism_id) == mechanism),
            int(step.mechanism.status == Mechanism.Status.IN_FORCE),
            step.mechanism.number,
        )
        if key not in chosen or rank > chosen[key][0]:
            chosen[key] = (rank, step)
    labels = {}
    for key in keys:
        if key not in chosen:
            labels[key] = StepLabel(key[1], "", 0)
            continue
        step = chosen[key][1]
        kind = step.agency_type or (step.agency.type if step.agency else "")
        labels[key] = StepLabel(step.label, str(types.get(kind, kind)), step.position)
    return labels


def _share_reason(counted: int, share: int | None, k: int) -> str:
    if share is not None:
        return ""
    if counted == 0:
        return _("No step was due.")
    if counted < k:
        return _("Fewer than %(k)s steps were due: not shown.") % {"k": k}
    return _("Withheld: it would reveal a small count.")


def _wait_reason(done: int, k: int) -> str:
    if done == 0:
        return _("No step was done.")
    if done < k:
        return _("Fewer than %(k)s steps were done: not shown.") % {"k": k}
    return ""


def _durations(
    taken: Histogram, allowed: Histogram, k: int
) -> tuple[Duration | None, Duration | None, Duration | None, str]:
    done = sum(taken.values())
    if done < k or not done:
        return None, None, None, _wait_reason(done, k)
    return (
        _duration(percentile_counted(taken, 0.5)),
        _duration(percentile_counted(taken, 0.9)),
        _duration(percentile_counted(allowed, 0.5)),
        "",
    )


@dataclass(frozen=True)
class Rules:
    """How a release is protected: national (k, rounding, noise) or an agency's own (exact)."""

    protected: bool
    k: int
    rounding: int
    noise: int

    @property
    def least(self) -> int:
        """The fewest steps a share or a duration is computed from (1 for own work)."""
        return self.k if self.protected else 1


def _release_table(
    rows: list[str],
    columns: list[str],
    counts: dict[tuple[str, str], int],
    keys: dict[tuple[str, str], int],
    rules: Rules,
) -> Table:
    if not rules.protected:
        return exact(rows, columns, counts)
    return protect(
        rows, columns, counts, k=rules.k, base=rules.rounding, keys=keys, noise=rules.noise
    )


def _step_rows(
    tally: Tally,
    labels: dict[StepKey, StepLabel],
    order: list[StepKey],
    rules: Rules,
) -> tuple[list[StepRow], int]:
    """One row per step, the territories summed."""
    by_step: dict[tuple[str, str], int] = defaultdict(int)
    key_sums: dict[tuple[str, str], int] = defaultdict(int)
    for (step, _territory), outcome in tally.counts.items():
        for name, n in outcome.items():
            by_step[("|".join(step), name)] += n
            key_sums[("|".join(step), name)] += tally.keys[(step, _territory)][name]
    names = ["|".join(step) for step in order]
    table = _release_table(names, list(DUE), by_step, key_sums, rules)
    limit = rules.least
    rows = []
    for step, cells, due in zip(order, table.cells, table.row_totals, strict=True):
        counted = sum(by_step[("|".join(step), name)] for name in DUE)
        met_share = share_percent(cells[0], due, counted=counted, k=limit)
        median, p90, deadline, wait_reason = _durations(
            _merged(h for (s, _t), h in tally.taken.items() if s == step),
            _merged(h for (s, _t), h in tally.allowed.items() if s == step),
            limit,
        )
        label = labels[step]
        rows.append(
            StepRow(
                stage=step[0],
                code=step[1],
                label=label.label,
                agency_type=label.agency_type,
                counts=cells,
                due=due,
                met_share=met_share,
                missed_share=None if met_share is None else 100 - met_share,
                share_reason=_share_reason(counted, met_share, limit),
                median=median,
                p90=p90,
                deadline=deadline,
                wait_reason=wait_reason,
            )
        )
    return rows, table.withheld


def _comparison(
    tally: Tally,
    labels: dict[StepKey, StepLabel],
    order: list[StepKey],
    territories: list[tuple[str, str]],
    rules: Rules,
) -> list[ComparisonRow]:
    """The same steps in every territory: steps due, share met and median time, side by side."""
    due: dict[tuple[str, str], int] = defaultdict(int)
    due_keys: dict[tuple[str, str], int] = defaultdict(int)
    met: dict[tuple[str, str], int] = {}
    met_keys: dict[tuple[str, str], int] = {}
    for (step, territory), outcome in tally.counts.items():
        cell = ("|".join(step), territory)
        due[cell] = sum(outcome.values())
        due_keys[cell] = sum(tally.keys[(step, territory)].values())
        met[cell] = outcome[MET]
        met_keys[cell] = tally.keys[(step, territory)][MET]
    names = ["|".join(step) for step in order]
    codes = [code for code, _label in territories]
    due_table = _release_table(names, codes, due, due_keys, rules)
    met_table = _release_table(names, codes, met, met_keys, rules)
    limit = rules.least
    rows = []
    for i, step in enumerate(order):
        cells = []
        for j, (territory, territory_label) in enumerate(territories):
            counted = due.get(("|".join(step), territory), 0)
            share = share_percent(
                met_table.cells[i][j], due_table.cells[i][j], counted=counted, k=limit
            )
            median, _p90, _deadline, wait_reason = _durations(
                tally.taken.get((step, territory), {}),
                tally.allowed.get((step, territory), {}),
                limit,
            )
            cells.append(
                TerritoryCell(
                    territory=territory,
                    label=territory_label,
                    due=due_table.cells[i][j],
                    met_share=share,
                    median=median,
                    reason=_share_reason(counted, share, limit) or wait_reason,
                )
            )
        label = labels[step]
        rows.append(ComparisonRow(step[0], step[1], label.label, label.agency_type, tuple(cells)))
    return rows


STAGE_ORDER = {stage: n for n, stage in enumerate(MechanismStage.values)}


def performance_build(
    *, actor: Actor, scope: str, filters: PerformanceFilters
) -> PerformanceRelease:
    """The performance tables the actor may see: own work as counted, the national protected."""
    scope = performance_scope(actor, scope)
    filters = filters.in_quarters()
    rules = Rules(
        protected=scope == NATIONAL,
        k=settings.TIREK_STATISTICS_K,
        rounding=settings.TIREK_STATISTICS_ROUNDING,
        noise=settings.TIREK_STATISTICS_NOISE,
    )
    tally = _tally(actor, scope, filters, timezone.now())
    steps = {step for step, _territory in tally.counts} | {step for step, _t in tally.taken}
    labels = _step_labels(steps, filters.mechanism)
    order = sorted(
        steps, key=lambda s: (STAGE_ORDER.get(s[0], 99), labels[s].position, labels[s].label)
    )
    rows, withheld = _step_rows(tally, labels, order, rules)
    stage_labels = dict(MechanismStage.choices)
    stages: dict[str, list[StepRow]] = {}
    for row in rows:
        stages.setdefault(str(stage_labels.get(row.stage, row.stage)), []).append(row)
    if filters.order == "missed":
        ranked = sorted(rows, key=lambda r: (r.missed_share is None, -(r.missed_share or 0)))
    else:
        ranked = sorted(
            rows, key=lambda r: (r.median is None, -(r.median.minutes if r.median else 0))
        )
    codes = sorted({t for _step, t in tally.counts} | {t for _step, t in tally.taken})
    places = {p.code: p.label for p in Place.objects.filter(code__in=codes)}
    territory_labels = sorted(
        ((code, places.get(code) or _("Unknown")) for code in codes), key=lambda pair: pair[1]
    )
    comparison = _comparison(tally, labels, order, territory_labels, rules)
    return PerformanceRelease(
        scope=scope,
        filters=filters,
        k=rules.k,
        rounding=rules.rounding,
        protected=rules.protected,
        stages=list(stages.items()),
        ranked=ranked,
        territories=territory_labels,
        comparison=comparison,
        withheld=withheld,
        counted_at=step_facts_refreshed_at(),
    )
