"""Django admin for reference data: places and the services agencies offer."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tirek.directory.models import Place, ServiceType
from tirek.directory.reference_data import SUPPORT_PLAN_TYPES


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "name_en", "name_ru", "name_kk", "kind", "parent", "country_code")
    list_filter = ("kind", "country_code")
    search_fields = ("code", "name_en", "name_ru", "name_kk")
    autocomplete_fields = ("parent",)
    ordering = ("kind", "name_en")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Places are referred to by agencies and case events; rename rather than delete.
        return bool(request.user.is_superuser)


class ServiceTypeForm(forms.ModelForm):  # type: ignore[type-arg]
    htcds_support_plan_type = forms.ChoiceField(
        label=_("HTCDS support plan type"),
        choices=[("", _("None fits"))] + [(value, value) for value in SUPPORT_PLAN_TYPES],
        required=False,
    )

    class Meta:
        model = ServiceType
        fields = ("code", "name_en", "name_ru", "name_kk", "htcds_support_plan_type", "is_active")


@admin.register(ServiceType)
class ServiceTypeAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = ServiceTypeForm
    list_display = ("code", "name_en", "name_ru", "name_kk", "htcds_support_plan_type", "is_active")
    list_filter = ("is_active", "htcds_support_plan_type")
    search_fields = ("code", "name_en", "name_ru", "name_kk")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # The code is a stable key used by data loads and exports.
        return ("code",) if obj is not None else ()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Referrals name their service; retire a service by unticking "active".
        return bool(request.user.is_superuser)
