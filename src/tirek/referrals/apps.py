from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "tirek.referrals"
    label = "referrals"
    verbose_name = _("Referrals")

    def ready(self) -> None:
        from tirek.cases.policy import access_source_register
        from tirek.referrals.access import ACCEPTED_REFERRALS, KEPT_AFTER_TRANSFER

        access_source_register(ACCEPTED_REFERRALS)
        access_source_register(KEPT_AFTER_TRANSFER)

        from tirek.protection.hooks import consent_withdrawn_register
        from tirek.referrals.transfers import transfers_on_consent_withdrawn

        consent_withdrawn_register("pending_transfers", transfers_on_consent_withdrawn)

        from tirek.cases.views import case_panel_register
        from tirek.referrals.views import REFERRALS_PANEL

        case_panel_register(REFERRALS_PANEL)

        from tirek.referrals.views_transfers import TRANSFER_PANEL, transfer_actions

        case_panel_register(TRANSFER_PANEL)

        from tirek.cases.hooks import transition_guard_register
        from tirek.referrals.guards import referrals_open_guard, transfer_pending_guard

        transition_guard_register("referrals_open", referrals_open_guard)
        transition_guard_register("transfer_pending", transfer_pending_guard)

        from tirek.cases.page import action_register
        from tirek.referrals.views import referral_actions

        action_register("referrals", referral_actions)
        action_register("transfer", transfer_actions)

        from tirek.cases.page import due_register
        from tirek.referrals.views import referral_question_dues

        due_register("referral_questions", referral_question_dues)
