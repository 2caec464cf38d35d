from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "tirek.casework"
    label = "casework"
    verbose_name = _("Case notes and tasks")

    def ready(self) -> None:
        from tirek.cases import page
        from tirek.cases.listing import list_filter_register
        from tirek.casework import views
        from tirek.casework.reminders import task_reminders_send
        from tirek.core.tasks import periodic_register

        page.panel_register(
            "notes",
            "notes",
            "casework/_notes_panel.html",
            views.notes_panel,
            visible_for=views.may_see_notes,
            forms=("note_form", "attachment_form"),
            anchors=("attachments",),
        )
        page.panel_register(
            "tasks",
            "tasks",
            "casework/_tasks_panel.html",
            views.tasks_panel,
            visible_for=views.may_see_notes,
            forms=("task_form", "task_edit_form"),
        )
        page.due_register("casework.tasks", views.task_dues)
        list_filter_register(views.OVERDUE_FILTER)
        periodic_register(
            name="casework.task_reminders", task=task_reminders_send, every=timedelta(hours=1)
        )
