"""Reminders of tasks due: a periodic background task e-mails each owner once a day.

The e-mail says only that tasks are due, with a link to "My tasks": never the task or the person.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tirek.accounts.models import User
from tirek.casework.models import CaseTask
from tirek.core.tasks import background_task
from tirek.core.tasks.mail import mail_users_once


@background_task()
def task_reminders_send() -> int:
    """E-mail the owners of open tasks due today or overdue, once a day each; returns how many
    e-mails this run sent."""
    today = timezone.localdate()
    due = CaseTask.objects.filter(done_at__isnull=True, due_on__lte=today).exclude(
        reminded_on=today
    )
    owner_ids = sorted({str(owner) for owner in due.values_list("owner_id", flat=True)})
    link = settings.SITE_URL.rstrip("/") + reverse("casework:my_tasks")

    def compose() -> tuple[str, str]:
        return _("Tirek: you have tasks due"), _("Sign in to Tirek to see them:") + f"\n{link}\n"

    sent = mail_users_once(
        key=f"tasks-due:{today.isoformat()}",
        users=User.objects.filter(pk__in=owner_ids, is_active=True).order_by("pk"),
        compose=compose,
    )
    due.update(reminded_on=today)
    return sent


@background_task()
def task_assigned_notify(*, task_id: str, owner_id: str, version: int) -> int:
    """E-mail the new owner of a task that it was given to them (once per change), if it is
    still theirs and open: only that, with a link to "My tasks"."""
    task = CaseTask.objects.filter(pk=task_id, done_at__isnull=True).first()
    if task is None or str(task.owner_id) != owner_id:
        return 0
    link = settings.SITE_URL.rstrip("/") + reverse("casework:my_tasks")

    def compose() -> tuple[str, str]:
        return _("Tirek: a task was given to you"), _("Sign in to Tirek to see it:") + f"\n{link}\n"

    return mail_users_once(
        key=f"task-assigned:{task_id}:{version}",
        users=User.objects.filter(pk=owner_id, is_active=True),
        compose=compose,
    )
