from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProtectionConfig(AppConfig):
    name = "tirek.protection"
    label = "protection"
    verbose_name = _("Protection")

    def ready(self) -> None:
        from tirek.cases.views import case_panel_register
        from tirek.protection.views import CONSENTS_PANEL

        case_panel_register(CONSENTS_PANEL)

        from tirek.cases.page import action_register
        from tirek.protection.views import consent_actions

        action_register("protection", consent_actions)
