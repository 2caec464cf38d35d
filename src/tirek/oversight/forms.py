"""Forms: break-glass, its review, and the audit log's filter."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tirek.accounts.actor import Actor
from tirek.accounts.models import Agency, User
from tirek.core.forms import DateInput
from tirek.oversight.selectors import (
    AuditFilter,
    audit_agencies,
    audit_kinds,
    audit_users,
)
from tirek.oversight.services import REASON_MAX, REASON_MIN


class BreakGlassForm(forms.Form):
    case_reference = forms.CharField(
        label=_("Case reference"),
        max_length=20,
        help_text=_("As the agency that owns the case told you, e.g. TK-ACDE3479."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    reason = forms.CharField(
        label=_("Why is this an emergency?"),
        min_length=REASON_MIN,
        max_length=REASON_MAX,
        help_text=_(
            "At least %(count)d characters. The agency that owns the case will read it and "
            "review your access."
        )
        % {"count": REASON_MIN},
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class BreakGlassReviewForm(forms.Form):
    justified = forms.TypedChoiceField(
        label=_("Was the access justified?"),
        choices=[("yes", _("Justified")), ("no", _("Not justified"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        help_text=_("Required when the access was not justified."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class UsernameChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """Staff users by their user name (what the audit log shows)."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.username)


class AuditFilterForm(forms.Form):
    """Filters by typed references (never by names), agency, user, kind and dates."""

    case_reference = forms.CharField(label=_("Case reference"), max_length=20, required=False)
    person_reference = forms.CharField(
        label=_("Person (any case reference of theirs)"),
        max_length=20,
        required=False,
        help_text=_("Shows the events of every case of the person behind this reference."),
    )
    agency = forms.ModelChoiceField(
        label=_("Agency"), queryset=Agency.objects.none(), required=False
    )
    user = UsernameChoiceField(label=_("User"), queryset=User.objects.none(), required=False)
    kind = forms.ChoiceField(label=_("What"), required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput)

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency_field = self.fields["agency"]
        user_field = self.fields["user"]
        assert isinstance(agency_field, forms.ModelChoiceField)  # noqa: S101
        assert isinstance(user_field, forms.ModelChoiceField)  # noqa: S101
        agency_field.queryset = audit_agencies(actor=actor)
        user_field.queryset = audit_users(actor=actor)
        kind_field = self.fields["kind"]
        assert isinstance(kind_field, forms.ChoiceField)  # noqa: S101
        kind_field.choices = [("", str(_("Everything"))), *audit_kinds()]

    def to_filter(self) -> AuditFilter:
        data = self.cleaned_data
        return AuditFilter(
            case_reference=data.get("case_reference") or "",
            person_reference=data.get("person_reference") or "",
            agency_id=data["agency"].pk if data.get("agency") else None,
            user_id=data["user"].pk if data.get("user") else None,
            kind=data.get("kind") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
