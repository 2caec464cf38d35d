"""Keeping the step facts of mechanism performance current (``StepFact``, one per checklist step).

Every write to a case's checklist sets the item's ``updated_at``, and every change of the case
(a transfer to another agency, a new stage) writes a row to the case timeline.
:func:`step_facts_refresh` reads both past its watermark (the last ten minutes again, for
transactions that committed late) and replaces the facts of the steps concerned; it runs with
the periodic ``statistics.refresh`` task and ``tirek statistics refresh``;
:func:`step_facts_rebuild` (``tirek statistics rebuild``) counts every step again.
Whether an open step is overdue is decided when the facts are read, not here.

The facts are summed into step cells (``StepCell``) in the same transaction: a refresh adds
the difference between the old and the new facts of the steps it replaces
(:func:`step_cells_apply`); a rebuild, or the first refresh, sums every fact again
(:func:`step_cells_rebuild`).
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from tirek.cases.models import CaseEvent
from tirek.mechanisms.models import ChecklistItem
from tirek.statistics.facts import (
    BATCH,
    NOISE_KEY_BOUND,
    SAFETY_WINDOW,
    quarter_of,
    territory_of,
)
from tirek.statistics.models import NATIONAL, StepCell, StepFact, Watermark, year_row
from tirek.statistics.performance import is_late, minutes_between, step_measures

WATERMARK = "steps"


def step_key(item_id: Any) -> str:
    """The keyed hash standing for one checklist item (not an id, cannot be turned back)."""
    secret = f"tirek.statistics.steps:{settings.SECRET_KEY}".encode()
    return hmac.new(secret, str(item_id).encode(), hashlib.sha256).hexdigest()[:32]


def _fact(item: ChecklistItem) -> StepFact:
    step, case = item.step, item.case
    if item.referral_id is not None and item.referral is not None:
        acting = item.referral.to_agency_id
    else:
        acting = item.responsible_agency_id or case.owner_agency_id
    started = item.created_at
    day = timezone.localdate(item.due_at or started)
    closing = (ChecklistItem.Status.DONE, ChecklistItem.Status.NOT_DONE)
    closed = item.closed_at if item.status in closing else None
    return StepFact(
        key=step_key(item.pk),
        mechanism_id=step.mechanism_id,
        step_id=step.pk,
        step_code=step.code,
        stage=item.stage,
        agency_type=step.agency_type or (step.agency.type if step.agency else ""),
        territory=territory_of(case.owner_agency.place),
        owner_agency_id=str(case.owner_agency_id),
        acting_agency_id=str(acting),
        quarter=quarter_of(day),
        status=item.status,
        started_at=started,
        due_at=item.due_at,
        late=is_late(item.due_at, closed),
        wait_minutes=minutes_between(started, closed),
        allowed_minutes=minutes_between(started, item.due_at),
        noise_key=0,
    )


# scope, quarter, mechanism id, stage, step code, territory, measure, minutes
StepCellKey = tuple[str, int, str, str, str, str, str, int]
FACT_FIELDS = (
    "owner_agency_id",
    "acting_agency_id",
    "quarter",
    "mechanism_id",
    "stage",
    "step_code",
    "territory",
    "status",
    "due_at",
    "late",
    "wait_minutes",
    "allowed_minutes",
    "noise_key",
)


def step_cell_contributions(
    owner: str,
    acting: str,
    quarter: int,
    mechanism: Any,
    stage: str,
    code: str,
    territory: str,
    status: str,
    due_at: datetime.datetime | None,
    late: bool | None,
    wait: int | None,
    allowed: int | None,
) -> Iterator[StepCellKey]:
    """The step cells one fact counts in: nationally and in the scope of the agency owning the
    case and of the one that had to act, in its quarter, its whole year and every quarter
    together (a release of whole years reads a year's row instead of its four quarters)."""
    measures = step_measures(
        status=status,
        has_due=due_at is not None,
        late=late,
        wait_minutes=wait,
        allowed_minutes=allowed,
    )
    for scope in dict.fromkeys((NATIONAL, str(owner), str(acting))):
        for when in (quarter, year_row(quarter), StepCell.ALL_QUARTERS):
            for measure, minutes in measures:
                yield (scope, when, str(mechanism), stage, code, territory, measure, minutes)


def _step_delta(
    rows: Iterable[tuple[Any, ...]], sign: int, into: dict[StepCellKey, list[int]]
) -> None:
    """Add the facts given as :data:`FACT_FIELDS` tuples to ``into`` (cell -> [count, keys])."""
    for *fields, noise_key in rows:
        for cell in step_cell_contributions(*fields):
            entry = into.setdefault(cell, [0, 0])
            entry[0] += sign
            entry[1] += sign * noise_key


def _fields(fact: StepFact) -> tuple[Any, ...]:
    return tuple(getattr(fact, name) for name in FACT_FIELDS)


def step_cells_apply(delta: dict[StepCellKey, list[int]]) -> None:
    """Add ``delta`` (cell -> [count, key sum]) to the step cells; emptied cells are removed."""
    delta = {cell: change for cell, change in delta.items() if change != [0, 0]}
    if not delta:
        return
    by_scope: dict[str, list[StepCellKey]] = defaultdict(list)
    for cell in delta:
        by_scope[cell[0]].append(cell)
    existing: dict[StepCellKey, StepCell] = {}
    for scope, cells in by_scope.items():
        rows = StepCell.objects.filter(
            scope=scope,
            quarter__in={cell[1] for cell in cells},
            step_code__in={cell[4] for cell in cells},
            territory__in={cell[5] for cell in cells},
            measure__in={cell[6] for cell in cells},
        )
        for row in rows:
            existing[_cell_key(row)] = row
    changed: list[StepCell] = []
    created: list[StepCell] = []
    emptied: list[int] = []
    for cell, (count, keys) in delta.items():
        found = existing.get(cell)
        if found is None:
            scope, quarter, mechanism, stage, code, territory, measure, minutes = cell
            created.append(
                StepCell(
                    scope=scope,
                    quarter=quarter,
                    mechanism_id=mechanism,
                    stage=stage,
                    step_code=code,
                    territory=territory,
                    measure=measure,
                    minutes=minutes,
                    n=count,
                    key_sum=keys,
                )
            )
            continue
        found.n += count
        found.key_sum += keys
        if found.n == 0:
            emptied.append(found.pk)
        else:
            changed.append(found)
    StepCell.objects.filter(pk__in=emptied).delete()
    StepCell.objects.bulk_update(changed, ["n", "key_sum"], batch_size=BATCH)
    StepCell.objects.bulk_create(created, batch_size=BATCH)


def _cell_key(row: StepCell) -> StepCellKey:
    return (
        row.scope,
        row.quarter,
        str(row.mechanism_id),
        row.stage,
        row.step_code,
        row.territory,
        row.measure,
        row.minutes,
    )


def step_cells_rebuild() -> int:
    """Sum every step fact into the step cells again (after a rebuild or a bulk load); returns
    the number of cells. The facts are read once, in order of their id."""
    sums: dict[StepCellKey, list[int]] = {}
    rows = StepFact.objects.order_by().values_list(*FACT_FIELDS)
    _step_delta(rows.iterator(chunk_size=10_000), 1, sums)
    with transaction.atomic():
        StepCell.objects.all().delete()
        cells = (
            StepCell(
                scope=scope,
                quarter=quarter,
                mechanism_id=mechanism,
                stage=stage,
                step_code=code,
                territory=territory,
                measure=measure,
                minutes=minutes,
                n=count,
                key_sum=keys,
            )
            for (scope, quarter, mechanism, stage, code, territory, measure, minutes), (
                count,
                keys,
            ) in sums.items()
            if count
        )
        written = 0
        while chunk := list(islice(cells, 5_000)):
            StepCell.objects.bulk_create(chunk)
            written += len(chunk)
    return written


def step_facts_replace(item_ids: Iterable[Any], *, cells: bool = True) -> int:
    """Recompute the facts of these checklist items (an item gone loses its fact) and add the
    difference to the step cells (unless ``cells`` is False: a rebuild sums them afterwards)."""
    ids = list(item_ids)
    if not ids:
        return 0
    items = ChecklistItem.objects.filter(pk__in=ids).select_related(
        "step__agency", "case__owner_agency__place__parent", "referral"
    )
    keys = [step_key(pk) for pk in ids]
    old = list(StepFact.objects.filter(key__in=keys))
    noise = {fact.key: fact.noise_key for fact in old}
    new = []
    for item in items:
        fact = _fact(item)
        fact.noise_key = noise.get(fact.key) or secrets.randbelow(NOISE_KEY_BOUND)
        new.append(fact)
    StepFact.objects.filter(pk__in=[fact.pk for fact in old]).delete()
    StepFact.objects.bulk_create(new, batch_size=BATCH)
    if cells:
        delta: dict[StepCellKey, list[int]] = {}
        _step_delta(map(_fields, old), -1, delta)
        _step_delta(map(_fields, new), 1, delta)
        step_cells_apply(delta)
    return len(new)


def _watermark() -> Watermark:
    Watermark.objects.get_or_create(name=WATERMARK)
    return Watermark.objects.select_for_update().get(name=WATERMARK)


@dataclass(frozen=True)
class StepRefreshReport:
    steps: int


def _in_batches(ids: list[Any], *, cells: bool = True) -> int:
    written = 0
    for start in range(0, len(ids), BATCH):
        written += step_facts_replace(ids[start : start + BATCH], cells=cells)
    return written


def step_facts_refresh() -> StepRefreshReport:
    """Bring the step facts and their cells up to date with the checklists changed since last
    time (the first time: every step, as :func:`step_facts_rebuild`)."""
    now = timezone.now()
    with transaction.atomic():
        mark = _watermark()
        last_event = CaseEvent.objects.aggregate(last=Max("id"))["last"] or 0
        if mark.refreshed_at is None:
            written = _recount()
        else:
            events = CaseEvent.objects.filter(
                id__gt=mark.case_event_id, id__lte=last_event
            ).exclude(kind__in=CaseEvent.READ_KINDS)
            items = ChecklistItem.objects.filter(
                Q(updated_at__gte=mark.refreshed_at - SAFETY_WINDOW)
                | Q(case_id__in=events.values("case_id"))
            )
            written = _in_batches(sorted(items.values_list("pk", flat=True), key=str))
        mark.case_event_id = last_event
        mark.refreshed_at = now
        mark.save(update_fields=["case_event_id", "refreshed_at"])
    return StepRefreshReport(steps=written)


def _recount() -> int:
    """Every step fact and cell counted again (inside the caller's transaction)."""
    StepFact.objects.all().delete()
    ids = sorted(ChecklistItem.objects.values_list("pk", flat=True), key=str)
    written = _in_batches(ids, cells=False)
    step_cells_rebuild()
    return written


def step_facts_rebuild() -> StepRefreshReport:
    """Forget every step fact and cell and count every checklist step again."""
    now = timezone.now()
    with transaction.atomic():
        mark = _watermark()
        last_event = CaseEvent.objects.aggregate(last=Max("id"))["last"] or 0
        written = _recount()
        mark.case_event_id = last_event
        mark.refreshed_at = now
        mark.save(update_fields=["case_event_id", "refreshed_at"])
    return StepRefreshReport(steps=written)


def step_facts_refreshed_at() -> datetime.datetime | None:
    mark = Watermark.objects.filter(name=WATERMARK).first()
    return mark.refreshed_at if mark else None
