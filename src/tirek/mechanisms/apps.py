from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MechanismsConfig(AppConfig):
    name = "tirek.mechanisms"
    label = "mechanisms"
    verbose_name = _("Referral mechanisms")

    def ready(self) -> None:
        from tirek.cases.hooks import stage_entered_register
        from tirek.mechanisms.checklist import checklist_on_stage_entered

        stage_entered_register("mechanism_checklist", checklist_on_stage_entered)

        from tirek.mechanisms import case_page

        case_page.register()
