"""Mechanism performance: per stage and step, how often the deadline was met and where cases wait.

Read from the step facts (``StepFact``, ``step_facts.py``) in two queries whatever the number of
cases: the outcomes counted per step and territory, and the durations of the steps done. An
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
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tirek.accounts.actor import Actor
from tirek.accounts.models import Agency
from tirek.directory.models import Place
from tirek.mechanisms.models import Mechanism, MechanismStage, Step
from tirek.statistics.facts import quarter_of
from tirek.statistics.models import StepFact
from tirek.statistics.performance import (
    DUE,
    LATE,
    MET,
    NOT_DONE,
    OPEN_OVERDUE,
    duration_rounded,
    percentile,
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


def _facts(actor: Actor, scope: str, filters: PerformanceFilters) -> QuerySet[StepFact]:
    facts = StepFact.objects.all()
    if scope == AGENCY:
        mine = str(actor.membership.agency_id)
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


def _outcomes(now: datetime.datetime) -> dict[str, Q]:
    return {
        MET: Q(status="done", late=False),
        LATE: Q(status="done", late=True),
        NOT_DONE: Q(status="not_done", due_at__isnull=False),
        OPEN_OVERDUE: Q(status="open", due_at__lt=now),
    }


Counts = dict[tuple[StepKey, str], dict[str, int]]  # (step, territory) -> outcome -> n / key


def _counted(facts: QuerySet[StepFact], now: datetime.datetime) -> tuple[Counts, Counts]:
    """Counts and noise-key sums per step, territory and outcome (one query)."""
    sums: dict[str, Any] = {}
    for name, condition in _outcomes(now).items():
        sums[f"n_{name}"] = Count("id", filter=condition)
        sums[f"key_{name}"] = Sum("noise_key", filter=condition)
    counts: Counts = {}
    keys: Counts = {}
    for row in facts.values("stage", "step_code", "territory").annotate(**sums):
        where = ((row["stage"], row["step_code"]), row["territory"])
        counts[where] = {name: row[f"n_{name}"] for name in DUE}
        keys[where] = {name: row[f"key_{name}"] or 0 for name in DUE}
    return counts, keys


Waits = dict[tuple[StepKey, str], list[tuple[int, int | None]]]


def _waits(facts: QuerySet[StepFact]) -> Waits:
    """Time to completion and deadline of every step done, per step and territory (one query)."""
    waits: Waits = defaultdict(list)
    done = facts.filter(status="done", wait_minutes__isnull=False)
    rows = done.values_list("stage", "step_code", "territory", "wait_minutes", "allowed_minutes")
    for stage, code, territory, wait, allowed in rows.iterator(chunk_size=5000):
        waits[((stage, code), territory)].append((wait or 0, allowed))
    return waits


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
    waits: list[tuple[int, int | None]], k: int
) -> tuple[Duration | None, Duration | None, Duration | None, str]:
    if len(waits) < k or not waits:
        return None, None, None, _wait_reason(len(waits), k)
    times = [wait for wait, _allowed in waits]
    allowed = [a for _wait, a in waits if a is not None]
    return (
        _duration(percentile(times, 0.5)),
        _duration(percentile(times, 0.9)),
        _duration(percentile(allowed, 0.5)),
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
    counts: Counts,
    keys: Counts,
    waits: Waits,
    labels: dict[StepKey, StepLabel],
    order: list[StepKey],
    rules: Rules,
) -> tuple[list[StepRow], int]:
    """One row per step, the territories summed."""
    by_step: dict[tuple[str, str], int] = defaultdict(int)
    key_sums: dict[tuple[str, str], int] = defaultdict(int)
    step_waits: dict[StepKey, list[tuple[int, int | None]]] = defaultdict(list)
    for (step, _territory), outcome in counts.items():
        for name, n in outcome.items():
            by_step[("|".join(step), name)] += n
            key_sums[("|".join(step), name)] += keys[(step, _territory)][name]
    for (step, _territory), times in waits.items():
        step_waits[step].extend(times)
    names = ["|".join(step) for step in order]
    table = _release_table(names, list(DUE), by_step, key_sums, rules)
    limit = rules.least
    rows = []
    for step, cells, due in zip(order, table.cells, table.row_totals, strict=True):
        counted = sum(by_step[("|".join(step), name)] for name in DUE)
        met_share = share_percent(cells[0], due, counted=counted, k=limit)
        median, p90, deadline, wait_reason = _durations(step_waits.get(step, []), limit)
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
    counts: Counts,
    keys: Counts,
    waits: Waits,
    labels: dict[StepKey, StepLabel],
    order: list[StepKey],
    territories: list[str],
    rules: Rules,
) -> list[ComparisonRow]:
    """The same steps in every territory: steps due, share met and median time, side by side."""
    due: dict[tuple[str, str], int] = defaultdict(int)
    due_keys: dict[tuple[str, str], int] = defaultdict(int)
    met: dict[tuple[str, str], int] = {}
    met_keys: dict[tuple[str, str], int] = {}
    for (step, territory), outcome in counts.items():
        cell = ("|".join(step), territory)
        due[cell] = sum(outcome.values())
        due_keys[cell] = sum(keys[(step, territory)].values())
        met[cell] = outcome[MET]
        met_keys[cell] = keys[(step, territory)][MET]
    names = ["|".join(step) for step in order]
    due_table = _release_table(names, territories, due, due_keys, rules)
    met_table = _release_table(names, territories, met, met_keys, rules)
    limit = rules.least
    rows = []
    for i, step in enumerate(order):
        cells = []
        for j, territory in enumerate(territories):
            counted = due.get(("|".join(step), territory), 0)
            share = share_percent(
                met_table.cells[i][j], due_table.cells[i][j], counted=counted, k=limit
            )
            median, _p90, _deadline, wait_reason = _durations(
                waits.get((step, territory), []), limit
            )
            cells.append(
                TerritoryCell(
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
    facts = _facts(actor, scope, filters)
    counts, keys = _counted(facts, timezone.now())
    waits = _waits(facts)
    steps = {step for step, _territory in counts} | {step for step, _territory in waits}
    labels = _step_labels(steps, filters.mechanism)
    order = sorted(
        steps, key=lambda s: (STAGE_ORDER.get(s[0], 99), labels[s].position, labels[s].label)
    )
    rows, withheld = _step_rows(counts, keys, waits, labels, order, rules)
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
    codes = sorted({territory for _step, territory in counts} | {t for _s, t in waits})
    places = {p.code: p.label for p in Place.objects.filter(code__in=codes)}
    territory_labels = sorted(
        ((code, places.get(code) or _("Unknown")) for code in codes), key=lambda pair: pair[1]
    )
    columns = [code for code, _label in territory_labels]
    comparison = _comparison(counts, keys, waits, labels, order, columns, rules)
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
