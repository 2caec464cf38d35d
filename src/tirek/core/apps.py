from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "tirek.core"
    label = "core"

    def ready(self) -> None:
        from tirek.core.anchor import anchor_schedule_register

        anchor_schedule_register()
