"""Writing audit events for changes outside case data."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from tirek.core.errors import NotFound
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


REFUSED = "read_refused"


def refusal_record(*, actor: Any, error: NotFound, via: str) -> None:
    """Record a refused attempt to open an object (``error`` names it): a 404 on a case id is what
    probing looks like. The row is the same whether the object exists or not, and holds the id
    asked for only when it is a well-formed id (free text typed into a URL is never stored).
    ``via`` is ``web`` or ``api``. Called by the error handlers, outside any service transaction,
    so the refusal is kept although the request failed."""
    if not error.object_type or actor is None:
        return
    try:
        object_id = str(UUID(str(error.object_id)))
    except ValueError:
        object_id = ""
    audit_record(
        action=REFUSED,
        user_id=actor.user.pk,
        agency_id=actor.membership.agency_id,
        object_type=error.object_type,
        object_id=object_id,
        data={"via": via} | ({} if object_id else {"malformed": True}),
    )
