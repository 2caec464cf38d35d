"""Forms for API tokens and for choosing the agency to act for."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ApiTokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        required=False,
        help_text=_("What the token is for, e.g. the program that will use it."),
    )
    expires_in_days = forms.IntegerField(
        label=_("Valid for (days)"),
        initial=90,
        required=False,
        help_text=_("Between 1 and 366 days."),
    )


class MembershipChooseForm(forms.Form):
    membership_id = forms.IntegerField()
