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

        from tirek.mechanisms.checklist import checklist_on_referral_sent
        from tirek.referrals.hooks import referral_sent_register

        referral_sent_register("mechanism_checklist", checklist_on_referral_sent)

        from tirek.mechanisms.checklist import checklist_on_referral_outcome
        from tirek.referrals.hooks import referral_outcome_register

        referral_outcome_register("mechanism_checklist", checklist_on_referral_outcome)

        from tirek.mechanisms.checklist import (
            checklist_on_outside_outcome,
            checklist_on_outside_referral,
            checklist_steps_for_outside,
        )
        from tirek.referrals.hooks import (
            outside_linked_register,
            outside_outcome_register,
            outside_steps_register,
        )

        outside_steps_register("mechanism_checklist", checklist_steps_for_outside)
        outside_linked_register("mechanism_checklist", checklist_on_outside_referral)
        outside_outcome_register("mechanism_checklist", checklist_on_outside_outcome)

        from tirek.mechanisms.checklist import checklist_on_consent_withdrawn
        from tirek.protection.hooks import consent_withdrawn_register

        consent_withdrawn_register("mechanism_checklist", checklist_on_consent_withdrawn)

        from tirek.mechanisms.checklist import reflection_days_of_case
        from tirek.protection.reflection import reflection_days_provider_register

        reflection_days_provider_register("mechanism", reflection_days_of_case)

        from tirek.mechanisms.plan_links import delivering_steps
        from tirek.protection.hooks import support_steps_register

        support_steps_register("mechanism_checklist", delivering_steps)

        from datetime import timedelta

        from tirek.core.tasks import periodic_register
        from tirek.mechanisms.deadlines import deadlines_sweep

        periodic_register(
            name="mechanisms.deadlines", task=deadlines_sweep, every=timedelta(minutes=10)
        )

        from tirek.mechanisms import case_page

        case_page.register()
