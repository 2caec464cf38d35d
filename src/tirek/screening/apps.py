from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    name = "tirek.screening"
    label = "screening"
    verbose_name = _("Screening")

    def ready(self) -> None:
        from tirek.cases.views import case_panel_register
        from tirek.screening.views import SCREENINGS_PANEL

        case_panel_register(SCREENINGS_PANEL)

        from tirek.cases.page import action_register
        from tirek.screening.views import screening_actions

        action_register("screening", screening_actions)
