"""Forms of the directory pages: the search, a service as its provider describes it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from tirek.accounts.models import Agency
from tirek.accounts.selectors import agencies_active
from tirek.directory.models import Place, Service, ServiceCapacity, ServiceType
from tirek.directory.services import (
    LANGUAGE_CODES,
    WEEKDAYS,
    LocationInput,
    ScheduleInput,
    ServiceInput,
)

WEEKDAY_LABELS = {
    "MO": _("Mon"),
    "TU": _("Tue"),
    "WE": _("Wed"),
    "TH": _("Thu"),
    "FR": _("Fri"),
    "SA": _("Sat"),
    "SU": _("Sun"),
}
SCHEDULE_SLOTS = 2


def language_name(code: str) -> str:
    """A language in its own name (``қазақ тілі`` is found by a Kazakh speaker on any page)."""
    try:
        return str(get_language_info(code)["name_local"])
    except KeyError:
        return code


def language_choices() -> list[tuple[str, str]]:
    return [(code, language_name(code)) for code in LANGUAGE_CODES]


class PlaceChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.label)


class PlaceMultipleChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.label)


class AgencyChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.label)


def _places() -> Any:
    return Place.objects.exclude(kind=Place.Kind.DISTRICT).order_by("kind", "name_en")


class DirectorySearchForm(forms.Form):
    """The directory's filters; all optional, read from the query string."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    service_type = forms.ModelChoiceField(
        label=_("Kind of service"),
        queryset=ServiceType.objects.filter(is_active=True),
        required=False,
        to_field_name="code",
        empty_label=_("Any"),
    )
    territory = PlaceChoiceField(
        label=_("Where"),
        queryset=_places(),
        required=False,
        to_field_name="code",
        empty_label=_("Anywhere"),
    )
    language = forms.ChoiceField(label=_("Language"), required=False)
    sex = forms.ChoiceField(
        label=_("For"),
        required=False,
        choices=[("", _("Anyone")), ("F", _("a woman or girl")), ("M", _("a man or boy"))],
    )
    age = forms.IntegerField(label=_("Age"), required=False, min_value=0, max_value=120)
    citizenship = forms.ChoiceField(
        label=_("Citizenship"),
        required=False,
        choices=[
            ("", _("Any citizenship")),
            (Service.Citizenship.CITIZENS, _("a citizen of Kazakhstan")),
            (Service.Citizenship.FOREIGNERS, _("a foreign national or stateless person")),
        ],
    )
    free_places = forms.BooleanField(label=_("Only with free places"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = self.fields["language"]
        assert isinstance(language, forms.ChoiceField)  # noqa: S101
        language.choices = [("", str(_("Any"))), *language_choices()]


def _weekday_choices() -> list[tuple[str, Any]]:
    return [(day, WEEKDAY_LABELS[day]) for day in WEEKDAYS]


class ServiceForm(forms.Form):
    """A service as its provider describes it; ``to_input`` gives the service's input."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    agency = AgencyChoiceField(label=_("Provider"), queryset=Agency.objects.none(), required=False)
    service_type = forms.ModelChoiceField(
        label=_("Kind of service"),
        queryset=ServiceType.objects.filter(is_active=True),
        empty_label="—",
    )
    name_kk = forms.CharField(label=_("Name in Kazakh"), required=False, max_length=200)
    name_ru = forms.CharField(label=_("Name in Russian"), required=False, max_length=200)
    name_en = forms.CharField(label=_("Name in English"), required=False, max_length=200)
    status = forms.ChoiceField(label=_("Status"), choices=Service.Status.choices)
    alert = forms.CharField(
        label=_("Notice"),
        required=False,
        max_length=300,
        help_text=_("Something referring workers must know now, e.g. closed for repairs."),
    )
    description = forms.CharField(
        label=_("What the service offers"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    sex = forms.ChoiceField(label=_("For"), choices=Service.Sex.choices)
    minimum_age = forms.IntegerField(label=_("From the age of"), required=False, min_value=0)
    maximum_age = forms.IntegerField(label=_("Up to the age of"), required=False, min_value=0)
    citizenship = forms.ChoiceField(label=_("Citizenship"), choices=Service.Citizenship.choices)
    eligibility_description = forms.CharField(
        label=_("Other conditions"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"), required=False, widget=forms.CheckboxSelectMultiple
    )
    interpretation_services = forms.CharField(
        label=_("Interpretation"), required=False, max_length=300
    )
    application_process = forms.CharField(
        label=_("How to refer"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    contact_name = forms.CharField(label=_("Contact person"), required=False, max_length=200)
    contact_title = forms.CharField(label=_("Position"), required=False, max_length=200)
    contact_phone = forms.CharField(
        label=_("Phone"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    contact_email = forms.EmailField(label=_("E-mail"), required=False)
    areas = PlaceMultipleChoiceField(
        label=_("Territory served"),
        queryset=_places(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty if the service serves its own city."),
    )
    address = forms.CharField(label=_("Address"), required=False, max_length=300)
    city = PlaceChoiceField(
        label=_("City"),
        queryset=Place.objects.filter(kind=Place.Kind.CITY).order_by("name_en"),
        required=False,
    )
    is_address_private = forms.BooleanField(
        label=_("Keep the address private (a shelter)"),
        required=False,
        help_text=_("Only the city is shown; a referring worker learns the address by phone."),
    )
    is_always_open = forms.BooleanField(label=_("Open around the clock"), required=False)
    capacity_unit = forms.ChoiceField(
        label=_("Counts free places in"),
        required=False,
        choices=[("", _("Does not count places"))] + list(ServiceCapacity.Unit.choices),
    )
    capacity_maximum = forms.IntegerField(
        label=_("Places in all"), required=False, min_value=0, max_value=100_000
    )
    capacity_available = forms.IntegerField(
        label=_("Free now"), required=False, min_value=0, max_value=100_000
    )

    def __init__(self, *args: Any, choose_agency: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        languages = self.fields["languages"]
        assert isinstance(languages, forms.MultipleChoiceField)  # noqa: S101
        languages.choices = language_choices()
        agency = self.fields["agency"]
        assert isinstance(agency, forms.ModelChoiceField)  # noqa: S101
        if choose_agency:
            agency.queryset = agencies_active()
            agency.required = True
        else:
            del self.fields["agency"]
        for slot in range(SCHEDULE_SLOTS):
            self.fields[f"days_{slot}"] = forms.MultipleChoiceField(
                label=_("Open on"),
                required=False,
                choices=_weekday_choices(),
                widget=forms.CheckboxSelectMultiple,
            )
            self.fields[f"opens_{slot}"] = forms.TimeField(
                label=_("Opens at"),
                required=False,
                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            )
            self.fields[f"closes_{slot}"] = forms.TimeField(
                label=_("Closes at"),
                required=False,
                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            )

    @property
    def schedule_slots(self) -> list[dict[str, Any]]:
        return [
            {
                "days": self[f"days_{slot}"],
                "opens": self[f"opens_{slot}"],
                "closes": self[f"closes_{slot}"],
            }
            for slot in range(SCHEDULE_SLOTS)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for slot in range(SCHEDULE_SLOTS):
            days, opens, closes = (
                data.get(f"days_{slot}"),
                data.get(f"opens_{slot}"),
                data.get(f"closes_{slot}"),
            )
            if (days or opens or closes) and not (days and opens and closes):
                self.add_error(
                    f"days_{slot}", _("Give the days and both times, or leave all three empty.")
                )
        return data

    def to_input(self) -> ServiceInput:
        data = self.cleaned_data
        schedules = tuple(
            ScheduleInput(
                byday=tuple(data[f"days_{slot}"]),
                opens_at=data[f"opens_{slot}"],
                closes_at=data[f"closes_{slot}"],
            )
            for slot in range(SCHEDULE_SLOTS)
            if data.get(f"days_{slot}") and data.get(f"opens_{slot}") and data.get(f"closes_{slot}")
        )
        city = data.get("city")
        return ServiceInput(
            service_type_id=data["service_type"].pk,
            name_en=data["name_en"],
            name_ru=data["name_ru"],
            name_kk=data["name_kk"],
            description=data["description"],
            status=data["status"],
            alert=data["alert"],
            eligibility_description=data["eligibility_description"],
            sex=data["sex"],
            minimum_age=data["minimum_age"],
            maximum_age=data["maximum_age"],
            citizenship=data["citizenship"],
            languages=tuple(data["languages"]),
            interpretation_services=data["interpretation_services"],
            application_process=data["application_process"],
            contact_name=data["contact_name"],
            contact_title=data["contact_title"],
            contact_phone=data["contact_phone"],
            contact_email=data["contact_email"],
            is_always_open=data["is_always_open"],
            area_ids=tuple(place.pk for place in data["areas"]),
            location=LocationInput(
                address=data["address"],
                city_id=city.pk if city else None,
                is_address_private=data["is_address_private"],
            ),
            schedules=schedules,
            capacity_unit=data["capacity_unit"],
            capacity_maximum=data["capacity_maximum"],
            capacity_available=data["capacity_available"],
        )


def service_initial(service: Service) -> dict[str, Any]:
    """The form's initial values from a stored service."""
    location = service.locations.order_by("created_at").first()
    capacity = service.capacities.first()
    initial: dict[str, Any] = {
        name: getattr(service, name)
        for name in (
            "version",
            "name_kk",
            "name_ru",
            "name_en",
            "status",
            "alert",
            "description",
            "sex",
            "minimum_age",
            "maximum_age",
            "citizenship",
            "eligibility_description",
            "interpretation_services",
            "application_process",
            "contact_name",
            "contact_title",
            "contact_phone",
            "contact_email",
            "is_always_open",
        )
    }
    initial |= {
        "service_type": service.service_type_id,
        "languages": list(service.languages or []),
        "areas": list(service.areas.all()),
        "address": location.address if location else "",
        "city": location.city_id if location else None,
        "is_address_private": location.is_address_private if location else False,
        "capacity_unit": capacity.unit if capacity else "",
        "capacity_maximum": capacity.maximum if capacity else None,
        "capacity_available": capacity.available if capacity else None,
    }
    for slot, schedule in enumerate(service.schedules.all()[:SCHEDULE_SLOTS]):
        initial[f"days_{slot}"] = schedule.byday.split(",")
        initial[f"opens_{slot}"] = schedule.opens_at
        initial[f"closes_{slot}"] = schedule.closes_at
    return initial


class CapacityForm(forms.Form):
    available = forms.IntegerField(label=_("Free now"), min_value=0, max_value=100_000)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class DirectoryImportForm(forms.Form):
    file = forms.FileField(
        label=_("HSDS datapackage (ZIP)"),
        help_text=_("datapackage.json and the CSV files, zipped; at most 5 MB."),
    )


class AgencyNamesForm(forms.Form):
    name_kk = forms.CharField(label=_("Name (Kazakh)"), max_length=200, required=False)
    name_ru = forms.CharField(label=_("Name (Russian)"), max_length=200, required=False)
    name = forms.CharField(
        label=_("Name (English)"),
        max_length=200,
        required=False,
        help_text=_("The official name; it identifies the agency in files and the API."),
    )
    short_name = forms.CharField(label=_("Short name"), max_length=60, required=False)
