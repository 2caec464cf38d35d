from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "tirek.reports"
    verbose_name = _("Official reports")

    def ready(self) -> None:
        from tirek.core.tasks import periodic_register
        from tirek.reports.tasks import reports_expire

        periodic_register(name="reports.expire", task=reports_expire, every=timedelta(hours=1))
