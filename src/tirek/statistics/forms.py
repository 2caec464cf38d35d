"""The dashboard's filters: scope, period and territory."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tirek.core.forms import DateInput
from tirek.statistics.differential import (
    DIFFERENTIAL,
    GAUSSIAN,
    K_ANONYMITY,
    LAPLACE,
    MAX_EPSILON,
    MIN_EPSILON,
)
from tirek.statistics.selectors import NATIONAL, SCOPES, Filters, Protection, territories

PRIVACY_CHOICES = [
    (K_ANONYMITY, _("k-anonymity (withheld small values, rounding)")),
    (DIFFERENTIAL, _("Differential privacy (noise with a stated ε)")),
]
MECHANISM_CHOICES = [
    (LAPLACE, _("Discrete Laplace (pure ε)")),
    (GAUSSIAN, _("Discrete Gaussian (ε, δ)")),
]


class StatisticsFilterForm(forms.Form):
    scope = forms.ChoiceField(label=_("Whose work"), choices=list(SCOPES.items()), required=False)
    date_from = forms.DateField(
        label=pgettext_lazy("period", "From"), required=False, widget=DateInput
    )
    date_to = forms.DateField(label=pgettext_lazy("period", "To"), required=False, widget=DateInput)
    territory = forms.ChoiceField(label=_("Territory"), required=False)
    privacy = forms.ChoiceField(
        label=_("Protection of the national tables"), choices=PRIVACY_CHOICES, required=False
    )
    epsilon = forms.FloatField(
        label=_("Privacy loss ε"),
        min_value=MIN_EPSILON,
        max_value=MAX_EPSILON,
        required=False,
        help_text=_(
            "Smaller is more private and noisier; each release spends its ε from the year's budget."
        ),
    )
    noise = forms.ChoiceField(label=_("Noise"), choices=MECHANISM_CHOICES, required=False)

    def __init__(self, *args: Any, differential: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        territory = self.fields["territory"]
        assert isinstance(territory, forms.ChoiceField)  # noqa: S101
        territory.choices = [("", str(_("Everywhere"))), *territories()]
        if not differential:  # only coordinators may spend the privacy budget
            for name in ("privacy", "epsilon", "noise"):
                del self.fields[name]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end of the period is before its start."))
        if data.get("privacy") == DIFFERENTIAL and data.get("scope") not in ("", None, NATIONAL):
            self.add_error(
                "privacy", _("Differential privacy applies to the national release only.")
            )
        return data

    def protection(self) -> Protection | None:
        data = self.cleaned_data
        if data.get("privacy") != DIFFERENTIAL:
            return None
        return Protection(
            method=DIFFERENTIAL,
            epsilon=data.get("epsilon") or settings.TIREK_DP_EPSILON,
            mechanism=data.get("noise") or LAPLACE,
        )

    def chosen_scope(self) -> str:
        return self.cleaned_data.get("scope") or NATIONAL

    def to_filter(self) -> Filters:
        data = self.cleaned_data
        return Filters(
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            territory=data.get("territory") or "",
        )
