from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    name = "tirek.oversight"
    label = "oversight"
    verbose_name = _("Oversight")

    def ready(self) -> None:
        from tirek.cases.policy import access_source_register
        from tirek.oversight.access import BREAK_GLASS_ACCESS

        access_source_register(BREAK_GLASS_ACCESS)
