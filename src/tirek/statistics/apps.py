from __future__ import annotations

from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatisticsConfig(AppConfig):
    name = "tirek.statistics"
    label = "statistics"
    verbose_name = _("Statistics")

    def ready(self) -> None:
        from tirek.core.tasks import periodic_register
        from tirek.statistics.tasks import statistics_refresh

        periodic_register(
            name="statistics.refresh", task=statistics_refresh, every=timedelta(minutes=1)
        )
