"""Forms for sending and answering referrals."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from tirek.accounts.actor import Actor
from tirek.accounts.models import Agency
from tirek.accounts.selectors import referral_recipients
from tirek.cases.choices import Section
from tirek.cases.selectors import CaseView
from tirek.directory.models import ServiceType
from tirek.protection.models import Consent
from tirek.protection.selectors import consents_active_for_referral
from tirek.referrals.hooks import outside_steps
from tirek.referrals.models import Referral


class ConsentSelect(forms.Select):
    """Options carry the consent's sections and agency, so the page can pre-tick them."""

    def create_option(
        self,
        name: str,
        value: Any,
        label: Any,
        selected: bool,
        index: int,
        subindex: int | None = None,
        attrs: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        consent = getattr(value, "instance", None)
        if isinstance(consent, Consent):
            option["attrs"]["data-sections"] = " ".join(consent.sections)
            if consent.recipient_agency_id:
                option["attrs"]["data-agency"] = str(consent.recipient_agency_id)
        return option


def consent_label(consent: Consent) -> str:
    agency = consent.recipient_agency.label if consent.recipient_agency else _("any agency")
    given = formats.date_format(consent.given_on, "SHORT_DATE_FORMAT")
    return f"{given} · {consent.get_method_display()} · {agency}"


class ConsentChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return consent_label(obj)


class ReferralForm(forms.Form):
    to_agency = forms.ModelChoiceField(
        label=_("Refer to"), queryset=Agency.objects.none(), empty_label="—"
    )
    service_type = forms.ModelChoiceField(
        label=_("For the service"), queryset=ServiceType.objects.none(), empty_label="—"
    )
    consent = ConsentChoiceField(
        label=_("Under the consent"),
        queryset=Consent.objects.none(),
        empty_label="—",
        widget=ConsentSelect(attrs={"data-consent-select": ""}),
        help_text=_("The person's consent must cover this agency and everything you share."),
    )
    sections = forms.MultipleChoiceField(
        label=_("Share these parts of the case"),
        choices=Section.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=Referral.Reason.choices,
        initial=Referral.Reason.ADDITIONAL_SERVICES,
    )
    message = forms.CharField(
        label=_("Message to the agency"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the person needs. The agency reads it before it accepts."),
    )

    def __init__(self, *args: Any, actor: Actor, view: CaseView, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "referral_%s")  # unique ids beside the consent form
        super().__init__(*args, **kwargs)
        to_agency = self.fields["to_agency"]
        service = self.fields["service_type"]
        consent = self.fields["consent"]
        assert isinstance(to_agency, forms.ModelChoiceField)  # noqa: S101
        assert isinstance(service, forms.ModelChoiceField)  # noqa: S101
        assert isinstance(consent, forms.ModelChoiceField)  # noqa: S101
        to_agency.queryset = referral_recipients(exclude_agency_id=actor.membership.agency_id)
        service.queryset = ServiceType.objects.filter(is_active=True)
        # Choosing the service proposes the providers that fit (referrals/_providers.html).
        service.widget.attrs |= {
            "hx-get": reverse("referrals:providers", args=[view.case.pk]),
            "hx-target": "#referral-providers",
            "hx-swap": "innerHTML",
            "hx-trigger": "change",
        }
        consent.queryset = consents_active_for_referral(view=view)
        self.has_consent = consent.queryset.exists()


class ReferralDeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you decline?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "required": True}),
        help_text=_("The sending agency sees this reason."),
    )


class ReferralWithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), required=False, max_length=1000)


class ReferralQuestionForm(forms.Form):
    question = forms.CharField(
        label=_("Your question to the sending agency"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Ask what your agency needs to know to accept or decline. The sending agency "
            "answers here."
        ),
    )


class ReferralAnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Your answer"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "The receiving agency reads it before it accepts: write only what the person's "
            "consent allows to share with it."
        ),
    )


class OutsideReferralForm(forms.Form):
    """A referral to a provider that does not use Tirek: a printed form, outcome by hand."""

    consent = ConsentChoiceField(
        label=_("Under the consent"),
        queryset=Consent.objects.none(),
        empty_label="—",
        help_text=_(
            "It must cover the provider and everything on the form; for an organisation that "
            "is not in the directory, a consent to any agency."
        ),
    )
    service_type = forms.ModelChoiceField(
        label=_("For the service"), queryset=ServiceType.objects.none(), empty_label="—"
    )
    step = forms.ChoiceField(
        label=_("Step of the mechanism it delivers"),
        required=False,
        help_text=_("The outcome you record later closes this step of the case's checklist."),
    )
    provider = forms.ModelChoiceField(
        label=_("Provider from the directory"),
        queryset=Agency.objects.none(),
        required=False,
        empty_label="—",
    )
    organisation = forms.CharField(
        label=_("Or another organisation"),
        required=False,
        max_length=200,
        help_text=_("Its name, if it is not in the directory."),
    )
    sections = forms.MultipleChoiceField(
        label=_("Print these parts of the case"),
        choices=Section.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    message = forms.CharField(
        label=_("What the person needs"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, actor: Actor, view: CaseView, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "outside_%s")
        super().__init__(*args, **kwargs)
        provider = self.fields["provider"]
        service = self.fields["service_type"]
        consent = self.fields["consent"]
        assert isinstance(provider, forms.ModelChoiceField)  # noqa: S101
        assert isinstance(service, forms.ModelChoiceField)  # noqa: S101
        assert isinstance(consent, forms.ModelChoiceField)  # noqa: S101
        provider.queryset = referral_recipients(exclude_agency_id=actor.membership.agency_id)
        service.queryset = ServiceType.objects.filter(is_active=True)
        consent.queryset = consents_active_for_referral(view=view)
        steps = outside_steps(view.case)
        step = self.fields["step"]
        assert isinstance(step, forms.ChoiceField)  # noqa: S101
        step.choices = [("", "—"), *((o.id, o.label) for o in steps)]
        self.offers_steps = bool(steps)


class TransferForm(forms.Form):
    """Propose that another agency own the case. Every field is optional here: the service
    checks them all together, so a refused proposal shows every problem at once."""

    to_agency = forms.ModelChoiceField(
        label=_("Agency that is to own the case"),
        queryset=Agency.objects.none(),
        empty_label="—",
        required=False,
    )
    consent = ConsentChoiceField(
        label=_("Under the consent"),
        queryset=Consent.objects.none(),
        empty_label="—",
        required=False,
        help_text=_(
            "The person's consent to share every part of the case with that agency: it will "
            "see the whole case and its history."
        ),
    )
    kept_sections = forms.MultipleChoiceField(
        label=_("What your agency keeps seeing afterwards"),
        choices=Section.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only what your agency still needs, e.g. the proceedings. Nothing: tick none."),
    )
    reason = forms.CharField(
        label=_("Why the case is handed on"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The receiving agency reads it before it accepts."),
    )

    def __init__(self, *args: Any, actor: Actor, view: CaseView, **kwargs: Any) -> None:
        from tirek.referrals.transfer_rules import kept_sections_suggested

        kwargs.setdefault("auto_id", "transfer_%s")  # unique ids beside the referral form
        kwargs.setdefault("initial", {"kept_sections": kept_sections_suggested(actor.agency.type)})
        super().__init__(*args, **kwargs)
        to_agency = self.fields["to_agency"]
        consent = self.fields["consent"]
        assert isinstance(to_agency, forms.ModelChoiceField)  # noqa: S101
        assert isinstance(consent, forms.ModelChoiceField)  # noqa: S101
        to_agency.queryset = referral_recipients(exclude_agency_id=actor.membership.agency_id)
        consent.queryset = consents_active_for_referral(view=view)
        self.has_consent = consent.queryset.exists()


class TransferDeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why your agency declines"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The proposing agency reads it; the case stays with it."),
        error_messages={"required": _("Say why the transfer is declined.")},
    )


class TransferKeptForm(forms.Form):
    """What the previous owner of an accepted transfer still keeps: only sections it keeps now
    are offered, all ticked; the owner unticks what it no longer needs."""

    kept_sections = forms.MultipleChoiceField(
        label=_("What the previous owner keeps seeing"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Untick what it no longer needs. It cannot be given more here."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, kept: list[str], prefix: str, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "%s")
        kwargs["prefix"] = prefix
        super().__init__(*args, **kwargs)
        labels = dict(Section.choices)
        field = self.fields["kept_sections"]
        assert isinstance(field, forms.MultipleChoiceField)  # noqa: S101
        field.choices = [(s, labels.get(s, s)) for s in kept]
