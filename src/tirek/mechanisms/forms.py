"""Web forms for mechanisms: a new draft, an imported file, a step, the draft's header."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tirek.accounts.models import Agency
from tirek.cases.choices import TypeOfExploitation
from tirek.core.forms import DateInput
from tirek.directory.models import Place, ServiceType
from tirek.mechanisms.models import WEEKDAYS, CalendarDay, Mechanism, MechanismStage, Step
from tirek.mechanisms.rules import StepInput

MAX_FILE_BYTES = 1_000_000


class _MechanismChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.territory.label} · v{obj.number} · {obj.get_status_display()} · {obj.title}"


class _PlaceChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.label)


def _mechanisms() -> Any:
    return Mechanism.objects.select_related("territory").order_by("territory__name_en", "-number")


class DraftForm(forms.Form):
    territory = _PlaceChoice(
        label=_("Territory"),
        queryset=Place.objects.filter(kind__in=["country", "region", "city"]),
        required=False,
    )
    based_on = _MechanismChoice(
        label=_("Start from"),
        queryset=_mechanisms(),
        required=False,
        empty_label=_("An empty mechanism"),
        help_text=_("A copy of any version, also of another city's mechanism."),
    )
    title = forms.CharField(label=_("Title"), max_length=200, required=False)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Mechanism file (JSON)"),
        help_text=_("A file exported from Tirek or written after docs/mechanisms.md."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("The file is too large (1 MB at most)."))
        try:
            return json.loads(upload.read().decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise forms.ValidationError(
                _("The file is not valid JSON. Export a mechanism to see the expected form.")
            ) from None


class HeaderForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label=_("Title"), max_length=200)
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    deadlines_illustrative = forms.BooleanField(
        label=_("The deadlines are illustrative"), required=False
    )
    reflection_days = forms.IntegerField(
        label=_("Reflection and recovery period (days)"),
        required=False,
        min_value=1,
        max_value=3650,
        help_text=_("Given to each case under this mechanism; 30 to 365 days, empty: 30."),
    )


class _AgencyChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class _ServiceChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.label)


class StepForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    stage = forms.ChoiceField(label=_("Stage"), choices=MechanismStage.choices)
    code = forms.CharField(
        label=_("Code"),
        max_length=64,
        help_text=_(
            "A short Latin name that stays the same across versions, e.g. shelter-placement."
        ),
    )
    name_kk = forms.CharField(label=_("Step (Kazakh)"), max_length=200, required=False)
    name_ru = forms.CharField(label=_("Step (Russian)"), max_length=200, required=False)
    name_en = forms.CharField(label=_("Step (English)"), max_length=200, required=False)
    action = forms.ChoiceField(label=_("The agency"), choices=Step.Action.choices)
    agency_type = forms.ChoiceField(
        label=_("Agency type"),
        choices=[("", _("— a named agency —"))] + list(Agency.Type.choices),
        required=False,
    )
    agency = _AgencyChoice(
        label=_("Named agency"),
        queryset=Agency.objects.filter(is_active=True).order_by("name"),
        required=False,
        help_text=_("Leave empty when any agency of the type may act."),
    )
    service_type = _ServiceChoice(
        label=_("Service"), queryset=ServiceType.objects.filter(is_active=True), required=False
    )
    deadline_value = forms.IntegerField(label=_("Deadline"), required=False, min_value=1)
    deadline_unit = forms.ChoiceField(label=_("Unit"), choices=Step.Unit.choices)
    counted_from = forms.ChoiceField(label=_("Counted from"), choices=Step.CountedFrom.choices)
    escalate_after = forms.IntegerField(
        label=_("Escalate to the coordinator after (same unit)"), required=False, min_value=1
    )
    age_group = forms.ChoiceField(label=_("Applies to"), choices=Step.AgeGroup.choices)
    citizenship = forms.ChoiceField(label=_("Citizenship"), choices=Step.Citizenship.choices)
    exploitation = forms.MultipleChoiceField(
        label=_("Only for these forms of exploitation"),
        choices=TypeOfExploitation.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every form."),
    )
    position = forms.IntegerField(label=_("Order"), required=False, min_value=0, max_value=32000)

    @staticmethod
    def initial_for(step: Step, version: int) -> dict[str, Any]:
        return {
            "version": version,
            "stage": step.stage,
            "code": step.code,
            "name_kk": step.name_kk,
            "name_ru": step.name_ru,
            "name_en": step.name_en,
            "action": step.action,
            "agency_type": step.agency_type,
            "agency": step.agency_id,
            "service_type": step.service_type_id,
            "deadline_value": step.deadline_value,
            "deadline_unit": step.deadline_unit,
            "counted_from": step.counted_from,
            "escalate_after": step.escalate_after,
            "age_group": step.age_group,
            "citizenship": step.citizenship,
            "exploitation": step.exploitation,
            "position": step.position,
        }

    def step_input(self) -> StepInput:
        data = self.cleaned_data
        return StepInput(
            code=data["code"].strip(),
            stage=data["stage"],
            name_en=data["name_en"],
            name_ru=data["name_ru"],
            name_kk=data["name_kk"],
            action=data["action"],
            agency_type=data["agency_type"],
            agency_id=data["agency"].pk if data["agency"] else None,
            service_type_id=data["service_type"].pk if data["service_type"] else None,
            deadline_value=data["deadline_value"],
            deadline_unit=data["deadline_unit"],
            counted_from=data["counted_from"],
            escalate_after=data["escalate_after"],
            age_group=data["age_group"],
            citizenship=data["citizenship"],
            exploitation=tuple(data["exploitation"]),
            position=data["position"] or 0,
        )


class CompareForm(forms.Form):
    left = _MechanismChoice(label=_("Left"), queryset=_mechanisms())
    right = _MechanismChoice(label=_("Right"), queryset=_mechanisms())


# --- working calendars -----------------------------------------------------------------------


class CalendarForm(forms.Form):
    territory = _PlaceChoice(
        label=_("Territory"),
        queryset=Place.objects.filter(kind__in=["country", "region", "city"]),
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    weekend_days = forms.TypedMultipleChoiceField(
        label=_("Weekend days"),
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E.g. the decree the days come from, and who checked them."),
    )


class CalendarDayForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=CalendarDay.Kind.choices,
        initial=CalendarDay.Kind.HOLIDAY,
        help_text=_("A working day is a weekend day worked instead of a day off (a transfer)."),
    )
    name_kk = forms.CharField(label=_("Name (Kazakh)"), max_length=200, required=False)
    name_ru = forms.CharField(label=_("Name (Russian)"), max_length=200, required=False)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)


class CalendarImportForm(forms.Form):
    file = forms.FileField(
        label=_("Calendar file (CSV or JSON)"),
        help_text=_(
            "CSV columns: date,kind,name_en,name_ru,name_kk; or a JSON file exported here."
        ),
    )
