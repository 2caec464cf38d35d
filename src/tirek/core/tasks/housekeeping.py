"""The task framework's own periodic job: keep the queue tables small."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tirek.core.tasks import background_task
from tirek.core.tasks.models import TaskDelivery


@background_task()
def tasks_prune() -> dict[str, int]:
    """Delete finished task results and delivery keys older than ``TIREK_TASK_RESULT_DAYS``.

    Failed tasks are kept as long as successful ones, so operators can see what went wrong.
    Delivery keys only matter while a task may still be retried (hours), so the same age is ample.
    """
    before = timezone.now() - timedelta(days=settings.TIREK_TASK_RESULT_DAYS)
    results, _ = DBTaskResult.objects.filter(
        status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED], finished_at__lt=before
    ).delete()
    deliveries, _ = TaskDelivery.objects.filter(delivered_at__lt=before).delete()
    return {"results": results, "deliveries": deliveries}
