"""The export forms: the partner and the format of an HTCDS export; the format of the CTDC one."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tirek.accounts.actor import Actor
from tirek.accounts.models import Agency
from tirek.exchange.selectors import partners

FORMAT_CHOICES = [("csv", "CSV"), ("json", "JSON")]


class HtcdsExportForm(forms.Form):
    partner: forms.ModelChoiceField[Agency] = forms.ModelChoiceField(
        label=_("Partner"),
        queryset=None,
        empty_label=_("Choose the partner"),
        help_text=_("Only cases whose person consented to sharing data with this partner."),
    )
    format = forms.ChoiceField(label=_("Format"), choices=FORMAT_CHOICES, initial="csv")

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        partner = self.fields["partner"]
        assert isinstance(partner, forms.ModelChoiceField)  # noqa: S101
        partner.queryset = partners(actor).order_by("name")


class CtdcExportForm(forms.Form):
    format = forms.ChoiceField(label=_("Format"), choices=FORMAT_CHOICES, initial="csv")
