"""Reference data: places and the services agencies provide."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


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
