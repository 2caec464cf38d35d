from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RetentionConfig(AppConfig):
    name = "tirek.retention"
    label = "retention"
    verbose_name = _("Retention and subject rights")

    def ready(self) -> None:
        from tirek.cases.views import case_panel_register
        from tirek.retention.views import PERSONAL_DATA_PANEL

        case_panel_register(PERSONAL_DATA_PANEL)
