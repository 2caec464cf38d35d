from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "tirek.core"
    label = "core"

    def ready(self) -> None:
        from datetime import timedelta

        from django.conf import settings

        from tirek.core.anchor import audit_anchor
        from tirek.core.tasks import periodic_register

        minutes = settings.TIREK_AUDIT_ANCHOR_MINUTES
        if minutes and settings.TIREK_AUDIT_ANCHOR_KEY and settings.TIREK_AUDIT_ANCHOR_FILE:
            periodic_register(
                name="audit.anchor", task=audit_anchor, every=timedelta(minutes=minutes)
            )
