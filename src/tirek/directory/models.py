"""Reference data (places, kinds of service) and the service directory: who offers what."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from tirek.core.models import BaseModel


class TrilingualLabel(models.Model):
    """Reference data labelled in Kazakh, Russian and English; ``label`` picks the active one."""

    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=200, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        language = (get_language() or "en")[:2]
        return str(getattr(self, f"name_{language}", "") or self.name_en)


class Place(TrilingualLabel):
    """A country, region or city; HTCDS keeps places as text, we keep them as shared data."""

    class Kind(models.TextChoices):
        COUNTRY = "country", _("Country")
        REGION = "region", _("Region")
        CITY = "city", _("City")
        DISTRICT = "district", _("District")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    country_code = models.CharField(_("country (ISO 3166 alpha-3)"), max_length=3, default="KAZ")
    code = models.SlugField(_("code"), max_length=64, unique=True)

    class Meta:
        ordering = ["kind", "name_en"]
        verbose_name = _("place")
        verbose_name_plural = _("places")


class ServiceType(TrilingualLabel):
    """A service a victim can be referred for (shelter, medical care, legal aid, ...)."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    htcds_support_plan_type = models.CharField(
        _("HTCDS support plan type"), max_length=64, blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("service type")
        verbose_name_plural = _("service types")


# --- The service directory, shaped after Open Referral HSDS 3.x ------------------------------
# organization = accounts.Agency; service, location, service_at_location (Service.locations),
# service_area (Service.areas), service_capacity and schedule below.


class Location(BaseModel):
    """Where an agency works (HSDS ``location``). A shelter keeps its street address private."""

    class Type(models.TextChoices):
        PHYSICAL = "physical", _("Physical")
        POSTAL = "postal", _("Postal")
        VIRTUAL = "virtual", _("Virtual")

    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="locations"
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    location_type = models.CharField(
        _("type"), max_length=16, choices=Type.choices, default=Type.PHYSICAL
    )
    address = models.CharField(_("address"), max_length=300, blank=True)  # address_1
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    city = models.ForeignKey(
        Place, verbose_name=_("city"), on_delete=models.PROTECT, null=True, blank=True
    )
    url = models.URLField(_("web address"), blank=True)
    is_address_private = models.BooleanField(
        _("keep the address private"),
        default=False,
        help_text=_("Shown only as the city; given to a referring worker by phone."),
    )

    class Meta:
        ordering = ["name", "address"]
        verbose_name = _("location")
        verbose_name_plural = _("locations")

    def __str__(self) -> str:
        return self.name or self.address or str(self.city or "")

    @property
    def public_address(self) -> str:
        return "" if self.is_address_private else self.address


class Service(BaseModel, TrilingualLabel):
    """A service an agency offers (HSDS ``service``), with who may use it and how to refer."""

    class Status(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("service status", "Active")
        TEMPORARILY_CLOSED = "temporarily closed", _("Temporarily closed")
        INACTIVE = "inactive", pgettext_lazy("service status", "Inactive")
        DEFUNCT = "defunct", _("No longer offered")

    class Sex(models.TextChoices):
        ANY = "any", _("Anyone")
        FEMALE = "F", _("Women and girls")
        MALE = "M", _("Men and boys")

    class Citizenship(models.TextChoices):
        ANY = "any", _("Any citizenship")
        CITIZENS = "citizens", _("Citizens of Kazakhstan")
        FOREIGNERS = "foreigners", _("Foreign nationals and stateless persons")

    agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("provider"),
        on_delete=models.PROTECT,
        related_name="offered_services",
    )
    service_type = models.ForeignKey(
        ServiceType, verbose_name=_("kind of service"), on_delete=models.PROTECT
    )
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    alert = models.CharField(_("notice"), max_length=300, blank=True)
    # Eligibility
    eligibility_description = models.TextField(_("who may use it"), blank=True)
    sex = models.CharField(_("for"), max_length=4, choices=Sex.choices, default=Sex.ANY)
    minimum_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    citizenship = models.CharField(
        _("citizenship"), max_length=12, choices=Citizenship.choices, default=Citizenship.ANY
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)  # ISO 639-1 codes
    interpretation_services = models.CharField(_("interpretation"), max_length=300, blank=True)
    application_process = models.TextField(_("how to refer"), blank=True)
    # The contact point for referrals (HSDS contact + phone)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_title = models.CharField(_("position"), max_length=200, blank=True)
    contact_phone = models.CharField(_("phone"), max_length=20, blank=True)
    contact_email = models.EmailField(_("e-mail"), blank=True)
    is_always_open = models.BooleanField(_("open around the clock"), default=False)
    areas = models.ManyToManyField(
        Place, verbose_name=_("territory served"), blank=True, related_name="+"
    )
    locations = models.ManyToManyField(
        Location, verbose_name=_("locations"), blank=True, related_name="services"
    )

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("service")
        verbose_name_plural = _("services")
        indexes = [models.Index(fields=["service_type", "status"])]


class Schedule(models.Model):
    """Opening hours of a service (HSDS ``schedule``: a weekly RFC 5545 rule)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="schedules")
    byday = models.CharField(_("days"), max_length=40)  # "MO,TU,WE,TH,FR"
    opens_at = models.TimeField(_("opens at"))
    closes_at = models.TimeField(_("closes at"))
    description = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["service", "pk"]
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")

    def __str__(self) -> str:
        return f"{self.byday} {self.opens_at:%H:%M}-{self.closes_at:%H:%M}"


class ServiceCapacity(BaseModel):
    """How many places a service has free now (HSDS ``service_capacity``), and since when."""

    class Unit(models.TextChoices):
        BED = "bed", _("Beds")
        PLACE = "place", _("Places")
        APPOINTMENT = "appointment", _("Appointments")

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="capacities")
    unit = models.CharField(_("unit"), max_length=16, choices=Unit.choices, default=Unit.BED)
    available = models.PositiveIntegerField(_("free"))
    maximum = models.PositiveIntegerField(_("in all"), null=True, blank=True)
    description = models.CharField(_("description"), max_length=200, blank=True)
    updated = models.DateTimeField(_("updated"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["unit"]
        verbose_name = _("capacity")
        verbose_name_plural = _("capacities")
        constraints = [
            models.UniqueConstraint(fields=["service", "unit"], name="one_capacity_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.available}/{self.maximum or '?'} {self.unit}"
