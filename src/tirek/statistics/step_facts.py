"""Keeping the step facts of mechanism performance current (``StepFact``, one per checklist step).

Every write to a case's checklist sets the item's ``updated_at``, and every change of the case
(a transfer to another agency, a new stage) writes a row to the case timeline.
:func:`step_facts_refresh` reads both past its watermark (the last ten minutes again, for
transactions that committed late) and replaces the facts of the steps concerned; it runs with
the periodic ``statistics.refresh`` task and ``tirek statistics refresh``;
:func:`step_facts_rebuild` (``tirek statistics rebuild``) counts every step again.
Whether an open step is overdue is decided when the facts are read, not here.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
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
from tirek.statistics.models import StepFact, Watermark
from tirek.statistics.performance import is_late, minutes_between

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


def step_facts_replace(item_ids: Iterable[Any]) -> int:
    """Recompute the facts of these checklist items (an item gone loses its fact)."""
    ids = list(item_ids)
    if not ids:
        return 0
    items = ChecklistItem.objects.filter(pk__in=ids).select_related(
        "step__agency", "case__owner_agency__place__parent", "referral"
    )
    keys = [step_key(pk) for pk in ids]
    noise = dict(StepFact.objects.filter(key__in=keys).values_list("key", "noise_key"))
    new = []
    for item in items:
        fact = _fact(item)
        fact.noise_key = noise.get(fact.key) or secrets.randbelow(NOISE_KEY_BOUND)
        new.append(fact)
    StepFact.objects.filter(key__in=keys).delete()
    StepFact.objects.bulk_create(new, batch_size=BATCH)
    return len(new)


def _watermark() -> Watermark:
    Watermark.objects.get_or_create(name=WATERMARK)
    return Watermark.objects.select_for_update().get(name=WATERMARK)


@dataclass(frozen=True)
class StepRefreshReport:
    steps: int


def _in_batches(ids: list[Any]) -> int:
    written = 0
    for start in range(0, len(ids), BATCH):
        written += step_facts_replace(ids[start : start + BATCH])
    return written


def step_facts_refresh() -> StepRefreshReport:
    """Bring the step facts up to date with the checklists changed since last time."""
    now = timezone.now()
    with transaction.atomic():
        mark = _watermark()
        last_event = CaseEvent.objects.aggregate(last=Max("id"))["last"] or 0
        items = ChecklistItem.objects.all()
        if mark.refreshed_at is not None:
            events = CaseEvent.objects.filter(
                id__gt=mark.case_event_id, id__lte=last_event
            ).exclude(kind__in=CaseEvent.READ_KINDS)
            items = items.filter(
                Q(updated_at__gte=mark.refreshed_at - SAFETY_WINDOW)
                | Q(case_id__in=events.values("case_id"))
            )
        written = _in_batches(sorted(items.values_list("pk", flat=True), key=str))
        mark.case_event_id = last_event
        mark.refreshed_at = now
        mark.save(update_fields=["case_event_id", "refreshed_at"])
    return StepRefreshReport(steps=written)


def step_facts_rebuild() -> StepRefreshReport:
    """Forget every step fact and count every checklist step again."""
    now = timezone.now()
    with transaction.atomic():
        mark = _watermark()
        last_event = CaseEvent.objects.aggregate(last=Max("id"))["last"] or 0
        StepFact.objects.all().delete()
        written = _in_batches(sorted(ChecklistItem.objects.values_list("pk", flat=True), key=str))
        mark.case_event_id = last_event
        mark.refreshed_at = now
        mark.save(update_fields=["case_event_id", "refreshed_at"])
    return StepRefreshReport(steps=written)


def step_facts_refreshed_at() -> datetime.datetime | None:
    mark = Watermark.objects.filter(name=WATERMARK).first()
    return mark.refreshed_at if mark else None
