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
