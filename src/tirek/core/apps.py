from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "tirek.core"
    label = "core"
