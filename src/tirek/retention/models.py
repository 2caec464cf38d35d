"""Requests by a person to erase their data, and their execution."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tirek.core.crypto import EncryptedTextField
from tirek.core.models import BaseModel


class ErasureRequest(BaseModel):
    """A person's request that their data be erased, recorded by a supervisor of the owner agency.

    Recorded first, executed after checking it; both steps are on the case timeline.
    """

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="erasure_requests"
    )
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    legal_basis = EncryptedTextField(_("legal basis and reason"))
    received_on = models.DateField(_("date received"), default=datetime.date.today)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    executed_at = models.DateTimeField(_("executed at"), null=True, blank=True)
    executed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-received_on", "-created_at"]
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")

    def __str__(self) -> str:
        return f"Erasure request {self.pk}"

    @property
    def is_executed(self) -> bool:
        return self.executed_at is not None
