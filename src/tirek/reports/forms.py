"""Asking for a report: which one, for which period, whose work, language and format."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tirek.reports.models import ReportRun
from tirek.statistics.selectors import NATIONAL, SCOPES


def _quarters() -> list[tuple[str, str]]:
    return [("", str(_("— (annual report)")))] + [
        (str(n), str(_("Q%(quarter)s") % {"quarter": n})) for n in range(1, 5)
    ]


def _last_quarter() -> tuple[int, int]:
    today = timezone.localdate()
    quarter = (today.month - 1) // 3
    return (today.year, quarter) if quarter else (today.year - 1, 4)


class EpsilonField(forms.FloatField):
    """ε as people write it: 0,5 (Kazakh and Russian) or 0.5, whatever the page's language."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Report"), choices=ReportRun.Kind.choices)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=9999)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        choices=_quarters,
        coerce=int,
        empty_value=None,
        required=False,
    )
    scope = forms.ChoiceField(label=_("Whose work"), choices=list(SCOPES.items()))
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    format = forms.ChoiceField(label=_("Format"), choices=ReportRun.Format.choices)
    privacy = forms.ChoiceField(
        label=_("Protection of the national tables"),
        choices=ReportRun.Privacy.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text=_(
            "Differential privacy adds random noise with a stated ε, spends that ε from the "
            "year's national privacy budget when you ask, and leaves out the tables it has no "
            "mechanism for (screenings, referrals, mechanism performance). Only a coordinator "
            "may choose it, for the national figures."
        ),
    )
    epsilon = EpsilonField(
        label=_("Privacy loss ε"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text=_("With differential privacy only: smaller is more private and noisier."),
    )
    mechanism = forms.ChoiceField(
        label=_("Noise"), choices=ReportRun.Mechanism.choices, required=False
    )

    def __init__(self, *args: Any, budget_left: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if budget_left:  # the person may spend the budget: say how much is left
            self.fields["epsilon"].help_text = _(
                "With differential privacy only: smaller is more private and noisier. "
                "Left of this year's privacy budget: ε = %(left)s."
            ) % {"left": budget_left}
        year, quarter = _last_quarter()
        defaults: dict[str, Any] = {
            "kind": ReportRun.Kind.QUARTERLY,
            "year": year,
            "quarter": str(quarter),
            "scope": NATIONAL,
            "language": (get_language() or "kk")[:2],
            "format": ReportRun.Format.PDF,
            "privacy": ReportRun.Privacy.K_ANONYMITY,
            "epsilon": settings.TIREK_DP_EPSILON,
            "mechanism": ReportRun.Mechanism.LAPLACE,
        }
        self.initial = defaults | dict(self.initial)

    def clean_privacy(self) -> str:
        return self.cleaned_data.get("privacy") or ReportRun.Privacy.K_ANONYMITY

    def clean_mechanism(self) -> str:
        return self.cleaned_data.get("mechanism") or ReportRun.Mechanism.LAPLACE
