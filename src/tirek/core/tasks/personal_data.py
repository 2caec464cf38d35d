"""Personal data held by the task runner: none (see core.privacy)."""

from __future__ import annotations

from tirek.core.privacy import ClearText, PersonalFields

PERSONAL_DATA: list[PersonalFields] = []

CLEAR_TEXT = [
    ClearText(
        "tasks.TaskWorker",
        ("worker_id", "hostname", "current_task_id"),
        because="task runner bookkeeping: worker and task ids, the machine's host name",
    ),
    ClearText(
        "tasks.TaskDelivery",
        ("key",),
        because="delivery key of a task (kind and object id), never its content",
    ),
    ClearText("tasks.ScheduledJob", ("name",), because="the name of a periodic job in the code"),
]
