"""The filters of mechanism performance: whose work, period, territory, mechanism version, order."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tirek.statistics.forms import StatisticsFilterForm
from tirek.statistics.selectors_performance import ORDERS, PerformanceFilters, mechanism_choices


class PerformanceFilterForm(StatisticsFilterForm):
    mechanism = forms.ChoiceField(label=_("Mechanism version"), required=False)
    order = forms.ChoiceField(
        label=_("Where cases wait longest: order by"), choices=list(ORDERS.items()), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        mechanism = self.fields["mechanism"]
        assert isinstance(mechanism, forms.ChoiceField)  # noqa: S101
        mechanism.choices = [("", str(_("Every version"))), *mechanism_choices()]

    def to_performance_filter(self) -> PerformanceFilters:
        data = self.cleaned_data
        return PerformanceFilters(
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            territory=data.get("territory") or "",
            mechanism=data.get("mechanism") or "",
            order=data.get("order") or "wait",
        )
