"""The periodic schedule: enqueue each registered job when it is due, once, whoever asks."""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from tirek.core.tasks import periodic_jobs
from tirek.core.tasks.models import ScheduledJob

logger = logging.getLogger("tirek.tasks")


def schedule_tick(*, now: datetime | None = None) -> list[str]:
    """Enqueue the periodic jobs that are due; return their names.

    Each job's ``next_run_at`` moves forward with a compare-and-swap in the transaction that
    enqueues it: two schedulers (or the embedded one and ``tirek scheduler``) never both enqueue
    one period. A job whose period has passed several times while nothing ran runs once.
    """
    now = now or timezone.now()
    jobs = periodic_jobs()
    if not jobs:
        return []
    due_at = dict(ScheduledJob.objects.values_list("name", "next_run_at"))
    enqueued = []
    for job in jobs:
        next_run_at = due_at.get(job.name)
        if next_run_at is None:
            ScheduledJob.objects.get_or_create(name=job.name, defaults={"next_run_at": now})
            next_run_at = now
        if next_run_at > now:
            continue
        with transaction.atomic():
            advanced = ScheduledJob.objects.filter(name=job.name, next_run_at=next_run_at).update(
                next_run_at=now + job.every, last_enqueued_at=now
            )
            if advanced:
                job.task.enqueue()
                enqueued.append(job.name)
    for name in enqueued:
        logger.info("Periodic job %s enqueued", name)
    return enqueued
