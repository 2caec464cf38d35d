"""Django admin for the audit log (read-only) and the admin site's titles.

The admin is for configuration staff. Case data (persons, cases, their events, consents,
referrals) is deliberately never registered: administrators configure, they do not read cases.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

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
