"""The shared kernel's base model."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import models

from tirek.core.chain import ChainedModel, ChainEpoch, ChainHead

__all__ = ["AuditEvent", "BaseModel", "ChainEpoch", "ChainHead"]


class BaseModel(models.Model):
    """UUID key (never an enumerable id in a URL), timestamps and a row version.

    ``version`` is raised by every service that changes the row; services compare it to the
    version the user saw, so that concurrent edits are refused instead of silently overwritten.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True


class AuditEvent(ChainedModel):
    """An append-only record of a change outside case data (accounts, tokens, configuration).

    Case data has its own timeline, ``cases.CaseEvent``. ``data`` never holds personal data.
    """

    CHAIN = "audit"

    id = models.BigAutoField(primary_key=True)
    seq = models.BigIntegerField(unique=True, editable=False)
    at = models.DateTimeField(db_index=True)
    actor_user_id = models.UUIDField(null=True, blank=True, db_index=True)
    actor_agency_id = models.UUIDField(null=True, blank=True)
    action = models.CharField(max_length=64)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.action} {self.at:%Y-%m-%d %H:%M}"

    def chain_content(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "epoch": self.epoch,
            "at": self.at,
            "user": str(self.actor_user_id or ""),
            "agency": str(self.actor_agency_id or ""),
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "data": self.data,
        }
