from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "tirek.exchange"
    verbose_name = _("Data exchange")

    def ready(self) -> None:
        from tirek.core.tasks import periodic_register
        from tirek.exchange.tasks import ctdc_exports_expire

        periodic_register(
            name="exchange.ctdc_expire", task=ctdc_exports_expire, every=timedelta(hours=1)
        )
