"""Forms for recording and withdrawing a person's informed consent."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tirek.accounts.actor import Actor
from tirek.accounts.models import Agency
from tirek.accounts.selectors import referral_recipients
from tirek.cases.choices import Section
from tirek.core.forms import DateInput
from tirek.directory.models import ServiceType
from tirek.protection.models import Consent


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(
        label=_("The person agrees to"),
        choices=Consent.Purpose.choices,
        initial=Consent.Purpose.REFERRAL,
    )
    recipient_agency = forms.ModelChoiceField(
        label=_("Shared with"),
        queryset=Agency.objects.none(),
        required=False,
        empty_label=_("Any agency of the referral mechanism"),
    )
    service_type = forms.ModelChoiceField(
        label=_("For the service"),
        queryset=ServiceType.objects.none(),
        required=False,
        empty_label=_("Any service"),
    )
    sections = forms.MultipleChoiceField(
        label=_("What may be shared"),
        choices=Section.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    method = forms.ChoiceField(
        label=_("How consent was given"),
        choices=Consent.Method.choices,
        widget=forms.RadioSelect,
        initial=Consent.Method.WRITTEN,
    )
    given_on = forms.DateField(label=_("Date given"), required=False, widget=DateInput())

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"given_on": timezone.localdate()})
        kwargs.setdefault("auto_id", "consent_%s")  # unique ids beside the referral form
        super().__init__(*args, **kwargs)
        agency = self.fields["recipient_agency"]
        service = self.fields["service_type"]
        assert isinstance(agency, forms.ModelChoiceField)  # noqa: S101
        assert isinstance(service, forms.ModelChoiceField)  # noqa: S101
        agency.queryset = referral_recipients(exclude_agency_id=actor.membership.agency_id)
        service.queryset = ServiceType.objects.filter(is_active=True)


class ConsentWithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for withdrawal"),
        max_length=300,
        required=False,
        widget=forms.TextInput(),
    )
