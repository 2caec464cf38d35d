from __future__ import annotations

from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "tirek.matching"
    label = "matching"
    verbose_name = _("Matching")

    def ready(self) -> None:
        from tirek.cases.hooks import person_changed_register
        from tirek.cases.views import case_panel_register
        from tirek.core.tasks import periodic_register
        from tirek.matching.services import candidate_index_refresh, review_scan
        from tirek.matching.views import CASE_PANEL

        person_changed_register("matching.candidate_index", candidate_index_refresh)
        periodic_register(
            name="matching.review_scan", task=review_scan, every=timedelta(minutes=10)
        )
        case_panel_register(CASE_PANEL)
