"""The dashboard's filters: scope, period and territory."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tirek.core.forms import DateInput
from tirek.statistics.selectors import NATIONAL, SCOPES, Filters, territories


class StatisticsFilterForm(forms.Form):
    scope = forms.ChoiceField(label=_("Whose work"), choices=list(SCOPES.items()), required=False)
    date_from = forms.DateField(
        label=pgettext_lazy("period", "From"), required=False, widget=DateInput
    )
    date_to = forms.DateField(label=pgettext_lazy("period", "To"), required=False, widget=DateInput)
    territory = forms.ChoiceField(label=_("Territory"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        territory = self.fields["territory"]
        assert isinstance(territory, forms.ChoiceField)  # noqa: S101
        territory.choices = [("", str(_("Everywhere"))), *territories()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end of the period is before its start."))
        return data

    def chosen_scope(self) -> str:
        return self.cleaned_data.get("scope") or NATIONAL

    def to_filter(self) -> Filters:
        data = self.cleaned_data
        return Filters(
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            territory=data.get("territory") or "",
        )
