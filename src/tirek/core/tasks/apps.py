from django.apps import AppConfig


class TasksConfig(AppConfig):
    """Background tasks: the worker, retries, the periodic schedule, delivery keys."""

    name = "tirek.core.tasks"
    label = "tasks"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from datetime import timedelta

        from tirek.core.tasks import periodic_register
        from tirek.core.tasks.housekeeping import tasks_prune

        periodic_register(name="tasks.prune", task=tasks_prune, every=timedelta(hours=6))
