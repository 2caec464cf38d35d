"""Optimistic locking: the one compare-and-swap on a row's ``version``."""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django.utils import timezone
from django.utils.functional import Promise

from tirek.core.errors import ConcurrentUpdate
from tirek.core.models import BaseModel


def versioned_update(
    row: BaseModel,
    *,
    fields: Mapping[str, object],
    expected_version: int,
    conflict_message: str | Promise,
    where: Mapping[str, object] | None = None,
    now: datetime.datetime | None = None,
) -> None:
    """Write ``fields`` only if the row still has ``expected_version`` (and matches ``where``),
    raising the version by one and stamping ``updated_at`` (``now``, to share a timestamp the
    change also writes elsewhere); otherwise ``ConcurrentUpdate`` with ``conflict_message``
    and nothing written. The row is reloaded after the write."""
    updated = (
        type(row)
        ._default_manager.filter(pk=row.pk, version=expected_version, **(where or {}))
        .update(**fields, version=expected_version + 1, updated_at=now or timezone.now())
    )
    if not updated:
        raise ConcurrentUpdate(conflict_message)
    row.refresh_from_db()
