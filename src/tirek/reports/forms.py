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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        year, quarter = _last_quarter()
        defaults: dict[str, Any] = {
            "kind": ReportRun.Kind.QUARTERLY,
            "year": year,
            "quarter": str(quarter),
            "scope": NATIONAL,
            "language": (get_language() or "kk")[:2],
            "format": ReportRun.Format.PDF,
        }
        self.initial = defaults | dict(self.initial)
