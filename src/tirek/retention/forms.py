"""Forms for closing and reopening a case and for erasure requests."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tirek.cases.choices import CaseStatus
from tirek.cases.services import MAX_CLOSURE_REASON
from tirek.core.forms import DateInput
from tirek.retention.services import MAX_LEGAL_BASIS


class CaseCloseForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Close as"),
        choices=[
            (CaseStatus.CLOSED, CaseStatus.CLOSED.label),
            (CaseStatus.CLOSED_REFERRED, CaseStatus.CLOSED_REFERRED.label),
        ],
        initial=CaseStatus.CLOSED,
    )
    reason = forms.CharField(
        label=_("Reason for closing the case"),
        max_length=MAX_CLOSURE_REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "closure_%s")
        super().__init__(*args, **kwargs)


class CaseReopenForm(forms.Form):
    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ErasureRequestForm(forms.Form):
    legal_basis = forms.CharField(
        label=_("Legal basis and reason"),
        help_text=_("Do not write the person's name: say 'the person'."),
        max_length=MAX_LEGAL_BASIS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    received_on = forms.DateField(label=_("Date received"), widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"received_on": timezone.localdate()})
        kwargs.setdefault("auto_id", "erasure_%s")
        super().__init__(*args, **kwargs)
