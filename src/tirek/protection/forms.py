"""Forms of protection work: consent, reflection period, risk and safety, support plan, children,
perpetrators, return and proceedings. Each checks in ``clean()`` the rules of its service (the
same pure function), so a failed form shows every error at once."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Mapping
from typing import Any
from uuid import UUID

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tirek.accounts.actor import Actor
from tirek.accounts.models import Agency
from tirek.accounts.selectors import referral_recipients
from tirek.cases.choices import COUNTRY_CHOICES, RiskLevel, Section, Sex
from tirek.core.forms import DateInput, RulesForm
from tirek.directory.models import ServiceType
from tirek.protection.children import (
    best_interests_validate,
    child_consent_problems,
    guardian_validate,
)
from tirek.protection.choices import (
    BestInterestsDecision,
    GuardianRelation,
    PerpetratorRole,
    ProceedingKind,
    ProceedingRole,
    ReflectionOutcome,
    RelationshipToTrafficker,
    RiskFactor,
    SupportStatus,
    SupportType,
)
from tirek.protection.models import Consent
from tirek.protection.perpetrators import perpetrator_validate
from tirek.protection.reflection import (
    reflection_end_validate,
    reflection_extend_validate,
    reflection_start_validate,
)
from tirek.protection.return_proceedings import (
    ProceedingInput,
    ReturnInput,
    proceeding_validate,
    return_validate,
)
from tirek.protection.risk import risk_assessment_validate, safety_plan_validate
from tirek.protection.services import consent_validate
from tirek.protection.support import (
    SupportPlanInput,
    support_delivery_validate,
    support_plan_validate,
)


class PanelForm(RulesForm):
    """A form of a protection panel, drawn by ``protection/_form_panel.html``. ``rows``: the
    visible fields in order, a tuple being one row of short fields (dates, a pair of choices);
    empty: every visible field, one under the other."""

    rows: tuple[str | tuple[str, ...], ...] = ()

    def values(self, *names: str) -> dict[str, Any]:
        """The named fields' cleaned values, as keyword arguments of the service."""
        return {name: self.cleaned_data[name] for name in names}

    @property
    def version(self) -> int:
        """The version the worker read (0: a new record)."""
        return int(self.cleaned_data.get("expected_version") or 0)

    def layout(self) -> list[dict[str, Any]]:
        rows = self.rows or tuple(field.name for field in self.visible_fields())
        return [
            {
                "side_by_side": isinstance(row, tuple),
                "fields": [self[name] for name in (row if isinstance(row, tuple) else (row,))],
            }
            for row in rows
        ]


class ConsentForm(PanelForm):
    rows = ("purpose", ("recipient_agency", "service_type"), "sections", "method", ("given_on",))
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

    def __init__(self, *args: Any, actor: Actor, case: Any | None = None, **kwargs: Any) -> None:
        """``case``: the case consenting, for the rules of a child's consent."""
        kwargs.setdefault("initial", {"given_on": timezone.localdate()})
        kwargs.setdefault("auto_id", "consent_%s")  # unique ids beside the referral form
        super().__init__(*args, **kwargs)
        self.case = case
        agency = self.fields["recipient_agency"]
        service = self.fields["service_type"]
        assert isinstance(agency, forms.ModelChoiceField)  # noqa: S101
        assert isinstance(service, forms.ModelChoiceField)  # noqa: S101
        agency.queryset = referral_recipients(exclude_agency_id=actor.membership.agency_id)
        service.queryset = ServiceType.objects.filter(is_active=True)

    def rules(self, data: Mapping[str, Any]) -> dict[str, list[str]]:
        typed = self.typed(data, "purpose", "method", "sections", "given_on")
        errors = consent_validate(**typed, today=timezone.localdate())
        if self.case is not None and data.get("method"):
            errors |= child_consent_problems(self.case, method=data["method"])
        return errors


class ConsentWithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for withdrawal"),
        max_length=300,
        required=False,
        widget=forms.TextInput(),
    )


def _text(label: Any, *, required: bool = False, rows: int = 3, max_length: int = 4000) -> Any:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


# The fields of the forms that read into a service's input dataclass.
SUPPORT_PLAN_FIELDS = (
    "type",
    "status",
    "objectives",
    "action_plan",
    "planned_start_date",
    "planned_end_date",
    "actual_start_date",
    "actual_end_date",
    "referral",
)
RETURN_FIELDS = (
    "destination_country",
    "destination_place",
    "embassy",
    "travel_documents",
    "return_risk",
    "return_risk_notes",
    "reintegration_plan",
    "planned_on",
    "returned_on",
    "follow_up_contacts",
)
PERPETRATOR_FIELDS = ("roles", "name", "sex", "citizenship", "role_details", "relationship")
PROCEEDING_FIELDS = tuple(field.name for field in dataclasses.fields(ProceedingInput))


class ReflectionStartForm(PanelForm):
    rows = (("starts_on", "days"),)
    starts_on = forms.DateField(label=_("Starts on"), required=False, widget=DateInput())
    days = forms.IntegerField(label=_("Days"))

    def __init__(self, *args: Any, default_days: int = 30, **kwargs: Any) -> None:
        """``default_days``: the mechanism's length of the period, also its minimum."""
        kwargs.setdefault("initial", {"starts_on": timezone.localdate(), "days": default_days})
        kwargs.setdefault("auto_id", "reflection_%s")
        super().__init__(*args, **kwargs)
        self.minimum_days = default_days

    def rules(self, data: Mapping[str, Any]) -> dict[str, list[str]]:
        return reflection_start_validate(
            **self.typed(data, "starts_on", "days"),
            minimum=self.minimum_days,
            today=timezone.localdate(),
        )


class ReflectionExtendForm(PanelForm):
    rows = (("days",), "reason")
    days = forms.IntegerField(label=_("Extend by (days)"))
    reason = _text(_("Reason for the extension"), required=True, rows=2, max_length=2000)
    expected_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "extend_%s")
        super().__init__(*args, **kwargs)

    def rules(self, data: Mapping[str, Any]) -> dict[str, list[str]]:
        return reflection_extend_validate(**self.typed(data, "days", "reason"))


class ReflectionEndForm(PanelForm):
    rows = ("outcome", ("ended_on",), "note")
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=ReflectionOutcome.choices, widget=forms.RadioSelect
    )
    ended_on = forms.DateField(label=_("Ended on"), required=False, widget=DateInput())
    note = _text(_("Note on the outcome"), rows=2, max_length=2000)
    expected_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, starts_on: datetime.date | None = None, **kwargs: Any) -> None:
        """``starts_on``: the start of the period ended, which the end cannot precede."""
        kwargs.setdefault("auto_id", "reflection_end_%s")
        super().__init__(*args, **kwargs)
        self.starts_on = starts_on

    def rules(self, data: Mapping[str, Any]) -> dict[str, list[str]]:
        return reflection_end_validate(
            **self.typed(data, "outcome", "ended_on", "note"),
            starts_on=self.starts_on,
            today=timezone.localdate(),
        )


class RiskAssessmentForm(PanelForm):
    rows = ("factors", "level", "notes", ("assessed_on",))
    factors = forms.MultipleChoiceField(
        label=_("Risk factors"),
        choices=RiskFactor.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    level = forms.ChoiceField(
        label=_("Level of risk"), choices=RiskLevel.choices, widget=forms.RadioSelect
    )
    notes = _text(_("Notes"))
    assessed_on = forms.DateField(label=_("Assessed on"), required=False, widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"assessed_on": timezone.localdate()})
        kwargs.setdefault("auto_id", "risk_%s")
        super().__init__(*args, **kwargs)

    def rules(self, data: Mapping[str, Any]) -> dict[str, list[str]]:
        typed = self.typed(data, "level", "factors", "notes", "assessed_on")
        return risk_assessment_validate(**typed, today=timezone.localdate())


class SafetyPlanForm(PanelForm):
    rows = ("measures", "emergency_contacts", "safe_place", ("review_on",))
    measures = _text(_("Safety measures"), required=True, rows=4)
    emergency_contacts = _text(_("Who to call in an emergency"), rows=2)
    safe_place = _text(_("Where to go if in danger"), rows=2)
    review_on = forms.DateField(label=_("Review on"), required=False, widget=DateInput())
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "safety_%s")
        super().__init__(*args, **kwargs)

    def rules(self, data: Mapping[str, Any]) -> dict[str, list[str]]:
        typed = self.typed(data, "measures", "emergency_contacts", "safe_place", "review_on")
        return safety_plan_validate(**typed, today=timezone.localdate())


class SupportPlanForm(PanelForm):
    rows = (
        ("type", "status"),
        "objectives",
        "action_plan",
        ("planned_start_date", "planned_end_date"),
        ("actual_start_date", "actual_end_date"),
        "referral",
    )
    type = forms.ChoiceField(label=_("Type of support"), choices=SupportType.choices)
    status = forms.ChoiceField(
        label=_("Status"), choices=SupportStatus.choices, initial=SupportStatus.NEEDED
    )
    objectives = _text(_("Objectives"), required=True, rows=2)
    action_plan = _text(_("Action plan"), rows=3)
    planned_start_date = forms.DateField(
        label=_("Planned start"), required=False, widget=DateInput()
    )
    planned_end_date = forms.DateField(label=_("Planned end"), required=False, widget=DateInput())
    actual_start_date = forms.DateField(label=_("Actual start"), required=False, widget=DateInput())
    actual_end_date = forms.DateField(label=_("Actual end"), required=False, widget=DateInput())
    referral = forms.ChoiceField(
        label=_("Delivered through the referral"), required=False, choices=[]
    )
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args: Any, referrals: list[tuple[str, str]] | None = None, **kwargs: Any
    ) -> None:
        kwargs.setdefault("auto_id", "support_%s")
        super().__init__(*args, **kwargs)
        referral = self.fields["referral"]
        assert isinstance(referral, forms.ChoiceField)  # noqa: S101
        referral.choices = [("", _("No referral yet"))] + list(referrals or [])

    def rules(self, data: Mapping[str, Any]) -> dict[str, list[str]]:
        return support_plan_validate(self.to_input(data), today=timezone.localdate())

    def to_input(self, data: Mapping[str, Any] | None = None) -> SupportPlanInput:
        """What was typed (``data``: what could be read so far, else all of it)."""
        typed = self.typed(self.cleaned_data if data is None else data, *SUPPORT_PLAN_FIELDS)
        referral = typed.pop("referral")
        return SupportPlanInput(**typed, referral_id=UUID(referral) if referral else None)


class SupportDeliveryForm(PanelForm):
    """What the agency providing a support records: how it goes."""

    rows = ("status", ("actual_start_date", "actual_end_date"), "notes")
    status = forms.ChoiceField(label=_("Status"), choices=SupportStatus.choices)
    actual_start_date = forms.DateField(label=_("Actual start"), required=False, widget=DateInput())
    actual_end_date = forms.DateField(label=_("Actual end"), required=False, widget=DateInput())
    notes = _text(_("Notes of the agency providing it"), rows=2)
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def rules(self, data: Mapping[str, Any]) -> dict[str, list[str]]:
        typed = self.typed(data, "status", "actual_start_date", "actual_end_date", "notes")
        return support_delivery_validate(**typed, today=timezone.localdate())


class ChildMarkForm(forms.Form):
    is_child = forms.BooleanField(label=_("This is a child's case"), required=False)


class GuardianForm(PanelForm):
    rows = ("name", "relation", "organisation", "contact", ("appointed_on",))
    name = forms.CharField(label=_("Name"), max_length=200)
    relation = forms.ChoiceField(label=_("Relation to the child"), choices=GuardianRelation.choices)
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    contact = forms.CharField(label=_("How to reach them"), max_length=300, required=False)
    appointed_on = forms.DateField(label=_("Appointed on"), required=False, widget=DateInput())
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "guardian_%s")
        super().__init__(*args, **kwargs)

    def rules(self, data: Mapping[str, Any]) -> dict[str, list[str]]:
        typed = self.typed(data, "name", "relation", "organisation", "contact", "appointed_on")
        return guardian_validate(**typed, today=timezone.localdate())


class BestInterestsForm(PanelForm):
    rows = (
        "assessment",
        "childs_views",
        "decision",
        "decision_note",
        ("assessed_on",),
    )
    assessment = _text(_("Assessment"), required=True, rows=4)
    childs_views = _text(_("The child's own views"), rows=2)
    decision = forms.ChoiceField(
        label=_("Decision"), choices=BestInterestsDecision.choices, widget=forms.RadioSelect
    )
    decision_note = _text(_("Reasons for the decision"), rows=2)
    assessed_on = forms.DateField(label=_("Assessed on"), required=False, widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"assessed_on": timezone.localdate()})
        kwargs.setdefault("auto_id", "best_%s")
        super().__init__(*args, **kwargs)

    def rules(self, data: Mapping[str, Any]) -> dict[str, list[str]]:
        names = ("assessment", "decision", "childs_views", "decision_note", "assessed_on")
        return best_interests_validate(**self.typed(data, *names), today=timezone.localdate())


class PerpetratorForm(PanelForm):
    rows = ("name", ("sex", "relationship"), "citizenship", "roles", "role_details")
    name = forms.CharField(label=_("Name or alias"), max_length=200, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    citizenship = forms.MultipleChoiceField(
        label=_("Nationality"), choices=COUNTRY_CHOICES, required=False
    )
    roles = forms.MultipleChoiceField(
        label=_("Role in the trafficking"),
        choices=PerpetratorRole.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    relationship = forms.ChoiceField(
        label=_("Relationship to the person"),
        choices=[("", "—"), *RelationshipToTrafficker.choices],
        required=False,
    )
    role_details = _text(_("Details of the role"), rows=3)
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "perpetrator_%s")
        super().__init__(*args, **kwargs)

    def rules(self, data: Mapping[str, Any]) -> dict[str, list[str]]:
        return perpetrator_validate(**self.typed(data, *PERPETRATOR_FIELDS))


class ReturnPlanForm(PanelForm):
    destination_country = forms.ChoiceField(label=_("Destination country"), choices=COUNTRY_CHOICES)
    destination_place = forms.CharField(
        label=_("Destination (town, address)"), max_length=300, required=False
    )
    embassy = forms.ModelChoiceField(
        label=_("Embassy or consulate involved"), queryset=Agency.objects.none(), required=False
    )
    travel_documents = _text(_("Travel documents"), rows=2)
    return_risk = forms.ChoiceField(
        label=_("Risk of return"), choices=[("", "—"), *RiskLevel.choices], required=False
    )
    return_risk_notes = _text(_("Risk assessment of the return"), rows=2)
    reintegration_plan = _text(_("Reintegration plan"), rows=3)
    planned_on = forms.DateField(label=_("Planned return date"), required=False, widget=DateInput())
    returned_on = forms.DateField(label=_("Returned on"), required=False, widget=DateInput())
    follow_up_contacts = _text(_("Follow-up contacts after return"), rows=2)
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "return_%s")
        super().__init__(*args, **kwargs)
        embassy = self.fields["embassy"]
        assert isinstance(embassy, forms.ModelChoiceField)  # noqa: S101
        embassy.queryset = Agency.objects.filter(type=Agency.Type.EMBASSY, is_active=True)

    def rules(self, data: Mapping[str, Any]) -> dict[str, list[str]]:
        return return_validate(self.to_input(data), today=timezone.localdate())

    def to_input(self, data: Mapping[str, Any] | None = None) -> ReturnInput:
        """What was typed (``data``: what could be read so far, else all of it)."""
        typed = self.typed(self.cleaned_data if data is None else data, *RETURN_FIELDS)
        embassy = typed.pop("embassy")
        return ReturnInput(**typed, embassy_id=embassy.pk if embassy else None)


class ProceedingForm(PanelForm):
    kind = forms.ChoiceField(
        label=_("Which proceedings"),
        choices=ProceedingKind.choices,
        initial=ProceedingKind.CRIMINAL,
    )
    role = forms.ChoiceField(label=_("The person's role"), choices=ProceedingRole.choices)
    police_reference = forms.CharField(
        label=_("Police case number"), max_length=100, required=False
    )
    court_reference = forms.CharField(label=_("Court case number"), max_length=100, required=False)
    protection_measures = _text(_("Protection measures"), rows=2)
    next_hearing_on = forms.DateField(label=_("Next hearing"), required=False, widget=DateInput())
    hearings = _text(_("Hearing dates and results"), rows=2)
    legal_aid = _text(_("Legal aid (lawyer, organisation)"), rows=2)
    compensation = _text(_("Compensation claims"), rows=2)
    non_punishment = _text(_("Non-punishment note"), rows=2)
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "proceeding_%s")
        super().__init__(*args, **kwargs)

    def rules(self, data: Mapping[str, Any]) -> dict[str, list[str]]:
        return proceeding_validate(self.to_input(data))

    def to_input(self, data: Mapping[str, Any] | None = None) -> ProceedingInput:
        """What was typed (``data``: what could be read so far, else all of it)."""
        typed = self.typed(self.cleaned_data if data is None else data, *PROCEEDING_FIELDS)
        return ProceedingInput(**typed)
