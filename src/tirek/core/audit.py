"""Writing audit events for changes outside case data."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from tirek.core.models import AuditEvent


def audit_record(
    *,
    action: str,
    user_id: UUID | None,
    agency_id: UUID | None,
    object_type: str = "",
    object_id: object = "",
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit row; call it inside the service's transaction."""
    return AuditEvent.objects.create(
        action=action,
        actor_user_id=user_id,
        actor_agency_id=agency_id,
        object_type=object_type,
        object_id=str(object_id),
        data=data or {},
    )
