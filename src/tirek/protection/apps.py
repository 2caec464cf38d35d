from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProtectionConfig(AppConfig):
    name = "tirek.protection"
    label = "protection"
    verbose_name = _("Protection")

    def ready(self) -> None:
        from tirek.cases.agenda import agenda_source_register
        from tirek.cases.hooks import person_changed_register, stage_entered_register
        from tirek.cases.listing import list_filter_register
        from tirek.cases.page import action_register, due_register, flag_register, tab_register
        from tirek.cases.views import case_panel_register
        from tirek.core.tasks import periodic_register
        from tirek.protection.children import child_mark_by_age, child_stage_entered
        from tirek.protection.reflection import reflection_reminders
        from tirek.protection.selectors import hearings_mine
        from tirek.protection.views import CONSENTS_PANEL, consent_actions
        from tirek.protection.views_children import CHILD_PANEL, PERPETRATORS_PANEL
        from tirek.protection.views_plans import (
            PROTECTION_TAB,
            REFLECTION_PANEL,
            RISK_FILTER,
            RISK_PANEL,
            SUPPORT_PANEL,
            protection_actions,
            protection_dues,
            protection_flags,
        )
        from tirek.protection.views_return import (
            PROCEEDING_PANEL,
            RETURN_PANEL,
            RETURN_TAB,
            hearing_dues,
        )

        tab_register(PROTECTION_TAB)
        tab_register(RETURN_TAB)
        list_filter_register(RISK_FILTER)
        for panel in (
            CONSENTS_PANEL,
            CHILD_PANEL,
            REFLECTION_PANEL,
            RISK_PANEL,
            SUPPORT_PANEL,
            PERPETRATORS_PANEL,
            RETURN_PANEL,
            PROCEEDING_PANEL,
        ):
            case_panel_register(panel)
        action_register("protection", consent_actions)
        action_register("protection.plans", protection_actions)
        flag_register("protection", protection_flags)
        due_register("protection", protection_dues)
        due_register("protection.hearings", hearing_dues)
        agenda_source_register("protection.hearings", hearings_mine)
        person_changed_register("protection.child_by_age", child_mark_by_age)
        stage_entered_register("protection.child_by_age", child_stage_entered)
        periodic_register(
            name="protection.reflection_reminders",
            task=reflection_reminders,
            every=timedelta(hours=1),
        )
