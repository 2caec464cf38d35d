"""Forms of the case pages. They parse and display; the services decide what is valid."""

from __future__ import annotations

import dataclasses
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tirek.cases.choices import (
    COUNTRY_CHOICES,
    LANGUAGE_CHOICES,
    BirthDatePrecision,
    DecisionMakingOrg,
    Gender,
    HistoricEventType,
    MethodOfControl,
    NrmStage,
    Sex,
    TraffickingStatus,
    TypeOfExploitation,
)
from tirek.cases.corrections import PART_FIELDS, part_version
from tirek.cases.models import Case, Person
from tirek.cases.services import PersonInput, PlaceInput, VictimInput
from tirek.core.forms import DateInput
from tirek.directory.models import Place

_NONE: list[tuple[str, Any]] = [("", "—")]


def _known(data: dict[str, Any], input_class: type) -> dict[str, Any]:
    """The values of ``data`` that ``input_class`` (a service's input dataclass) takes; a field
    that did not parse is absent and keeps the dataclass default."""
    names = {f.name for f in dataclasses.fields(input_class)}
    return {name: value for name, value in data.items() if name in names}


class PersonSearchForm(forms.Form):
    """Search before create: a name and, if known, a birth date."""

    search_name = forms.CharField(
        label=_("Name"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        help_text=_("Family name, given name or both, in any order or alphabet."),
    )
    search_birth_date = forms.DateField(label=_("Birth date"), required=False, widget=DateInput())


class PersonForm(forms.Form):
    """HTCDS ``prs_`` fields of the person."""

    family_name = forms.CharField(label=_("Family name"), max_length=100, required=False)
    first_name = forms.CharField(label=_("Given name"), max_length=100, required=False)
    patronymic = forms.CharField(label=_("Patronymic"), max_length=100, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices, initial=Gender.UNKNOWN)
    birth_date = forms.DateField(label=_("Birth date"), required=False, widget=DateInput())
    birth_date_precision = forms.ChoiceField(
        label=_("How precise is the birth date?"),
        choices=BirthDatePrecision.choices,
        initial=BirthDatePrecision.DAY,
        help_text=_("If only the year is known, pick any day of that year and choose “Year only”."),
    )
    approximate_age = forms.IntegerField(
        label=_("Approximate age"),
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=_("Only if the birth date is not known."),
    )
    citizenship = forms.MultipleChoiceField(
        label=_("Citizenship"),
        choices=COUNTRY_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    primary_language = forms.ChoiceField(
        label=_("Primary language"), choices=_NONE + LANGUAGE_CHOICES, required=False
    )
    secondary_language = forms.ChoiceField(
        label=_("Secondary language"), choices=_NONE + LANGUAGE_CHOICES, required=False
    )
    mobile_phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        help_text=_("Without a country code, it is read as a number in Kazakhstan."),
    )
    # Checked by the service with the other fields, so that every error shows at once.
    email = forms.CharField(
        label=_("E-mail"), max_length=254, required=False, widget=forms.EmailInput()
    )
    contact_notes = forms.CharField(
        label=_("Safe way to contact"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("E.g. only by text message, never call after 18:00, ask for Aisha."),
    )

    def to_input(self) -> PersonInput:
        """The fields that could be read (all of them once the form is valid)."""
        data = dict(self.cleaned_data)
        if "citizenship" in data:
            data["citizenship"] = list(data["citizenship"])
        return PersonInput(**_known(data, PersonInput))


class PersonPartForm(PersonForm):
    """Correct one part of the person (identity or contact) against the version read."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, part: str, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{part}_%s")
        super().__init__(*args, **kwargs)
        self.part = part
        keep = set(PART_FIELDS[part]) | {"expected_version"}
        for name in [n for n in self.fields if n not in keep]:
            del self.fields[name]

    @staticmethod
    def initial_from(person: Person, part: str) -> dict[str, Any]:
        initial = {name: getattr(person, name) for name in PART_FIELDS[part]}
        return initial | {"expected_version": part_version(person, part)}


class VictimForm(forms.Form):
    """HTCDS ``vic_`` fields of the case."""

    trafficking_status = forms.ChoiceField(
        label=_("Trafficking status"),
        choices=TraffickingStatus.choices,
        initial=TraffickingStatus.POSSIBLE,
    )
    trafficking_status_decision_org = forms.ChoiceField(
        label=_("Status decided by"), choices=_NONE + DecisionMakingOrg.choices, required=False
    )
    types_of_exploitation = forms.MultipleChoiceField(
        label=_("Type of exploitation"),
        choices=TypeOfExploitation.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    methods_of_control = forms.MultipleChoiceField(
        label=_("Means of control"),
        choices=MethodOfControl.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    age_when_trafficked = forms.IntegerField(
        label=_("Age when trafficked"),
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    agreement_to_manage_personal_data = forms.BooleanField(
        label=_("The person agrees to the processing of their personal data"), required=False
    )

    @classmethod
    def initial_from(cls, case: Case) -> dict[str, Any]:
        return {
            "trafficking_status": case.trafficking_status,
            "trafficking_status_decision_org": case.trafficking_status_decision_org,
            "types_of_exploitation": list(case.types_of_exploitation),
            "methods_of_control": list(case.methods_of_control),
            "age_when_trafficked": case.age_when_trafficked,
            "agreement_to_manage_personal_data": case.agreement_to_manage_personal_data,
        }

    def to_input(self) -> VictimInput:
        """The fields that could be read (all of them once the form is valid)."""
        data = dict(self.cleaned_data)
        for name in ("types_of_exploitation", "methods_of_control"):
            if name in data:
                data[name] = list(data[name])
        return VictimInput(**_known(data, VictimInput))


class VictimUpdateForm(VictimForm):
    """The trafficking details, with the version the worker saw (edits never overwrite)."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "victim_%s")
        super().__init__(*args, **kwargs)


class PlaceChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.label)


class PlaceForm(forms.Form):
    """Where and when recruitment, transit or exploitation happened (HTCDS ``hte_``)."""

    place_type = forms.ChoiceField(
        label=_("What happened there"),
        choices=HistoricEventType.choices,
        initial=HistoricEventType.EXPLOITATION,
    )
    place_country = forms.ChoiceField(
        label=_("Country"), choices=_NONE + COUNTRY_CHOICES, required=False
    )
    place_id = PlaceChoiceField(
        label=_("City"),
        queryset=Place.objects.none(),
        required=False,
        empty_label="—",
    )
    place_city = forms.CharField(
        label=_("City, if not in the list"), max_length=100, required=False
    )
    place_date = forms.DateField(label=_("Date"), required=False, widget=DateInput())
    place_description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["place_id"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101
        field.queryset = Place.objects.filter(kind=Place.Kind.CITY).order_by("name_en")

    def to_input(self) -> PlaceInput:
        """The fields that could be read (all of them once the form is valid)."""
        data = {name.removeprefix("place_"): value for name, value in self.cleaned_data.items()}
        if "id" in data:
            place = data.pop("id")
            data["place_id"] = place.pk if place is not None else None
        return PlaceInput(**_known(data, PlaceInput))


class StageForm(forms.Form):
    """Move the case to another NRM stage; going back needs a reason."""

    stage = forms.ChoiceField(label=_("Move to the stage"), choices=NrmStage.choices)
    reason = forms.CharField(
        label=_("Why (needed when going back to an earlier stage)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    expected_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "stage_%s")
        super().__init__(*args, **kwargs)
