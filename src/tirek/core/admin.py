"""Django admin for the audit log (read-only) and the admin site's titles.

The admin is for configuration staff. Case data (persons, cases, their events, consents,
referrals) is deliberately never registered: administrators configure, they do not read cases.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tirek.core.audit import audit_record
from tirek.core.models import AuditEvent

admin.site.site_header = _("Tirek configuration")
admin.site.site_title = _("Tirek configuration")
admin.site.index_title = _("Agencies, users and reference data")


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """The append-only audit log of changes outside case data; nobody may edit it."""

    list_display = ("at", "action", "object_type", "object_id", "actor_user_id", "actor_agency_id")
    list_filter = ("action", "object_type")
    search_fields = ("action", "object_id")
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _value(obj: models.Model, field: models.Field[Any, Any] | Any) -> Any:
    if field.many_to_many:
        if obj.pk is None:
            return []
        return sorted(str(pk) for pk in getattr(obj, field.name).values_list("pk", flat=True))
    value = getattr(obj, field.attname)
    return value if isinstance(value, bool | int | float | type(None)) else str(value)


class AuditedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Every change made through the admin lands in the hash-chained audit log, not only in
    Django's editable ``django_admin_log``: which fields changed, and before/after values of the
    fields named in ``audit_values`` (the rest, e.g. a staff member's name, as "changed" only)."""

    audit_object_type = ""
    audit_values: frozenset[str] = frozenset()
    audit_never: frozenset[str] = frozenset({"password"})

    def _snapshot(self, obj: models.Model) -> dict[str, Any]:
        fields = [*obj._meta.concrete_fields, *obj._meta.many_to_many]
        return {f.name: _value(obj, f) for f in fields if f.name in self.audit_values}

    def _object_type(self) -> str:
        return self.audit_object_type or self.model._meta.model_name or ""

    def save_model(
        self, request: HttpRequest, obj: Any, form: ModelForm[Any], change: bool
    ) -> None:
        previous = type(obj)._base_manager.filter(pk=obj.pk).first() if change else None
        request._audit_before = self._snapshot(previous) if previous else None  # type: ignore[attr-defined]
        super().save_model(request, obj, form, change)

    def save_related(
        self, request: HttpRequest, form: ModelForm[Any], formsets: Any, change: bool
    ) -> None:
        super().save_related(request, form, formsets, change)
        obj = form.instance
        changed = sorted(set(form.changed_data) - {"password1", "password2", "usable_password"})
        if change and not changed:
            return
        before = getattr(request, "_audit_before", None)
        after = self._snapshot(obj)
        audit_record(
            action=f"{self._object_type()}_{'changed' if change else 'created'}",
            user_id=getattr(request.user, "pk", None),
            agency_id=None,
            object_type=self._object_type(),
            object_id=obj.pk,
            data={
                "fields": [name for name in changed if name not in self.audit_never]
                + (["password"] if {"password", "password1"} & set(form.changed_data) else []),
                "before": {k: v for k, v in (before or {}).items() if k in changed},
                "after": {k: v for k, v in after.items() if k in changed or not change},
                "via": "admin",
            },
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        self._deletion_record(request, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            self._deletion_record(request, obj)
        super().delete_queryset(request, queryset)

    def _deletion_record(self, request: HttpRequest, obj: Any) -> None:
        audit_record(
            action=f"{self._object_type()}_deleted",
            user_id=getattr(request.user, "pk", None),
            agency_id=None,
            object_type=self._object_type(),
            object_id=obj.pk,
            data={"before": self._snapshot(obj), "via": "admin"},
        )
