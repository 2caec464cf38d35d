"""Informed consent (HTCDS ``con_``): what the person agreed to share, with whom, for what."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tirek.core.crypto import EncryptedCharField
from tirek.core.models import BaseModel


class Consent(BaseModel):
    """A person's informed consent, recorded by a worker; can be withdrawn, never edited."""

    class Purpose(models.TextChoices):
        REFERRAL = "referral", _("Referral to another agency for a service")
        DATA_PROCESSING = "data_processing", _("Processing of personal data")

    class Method(models.TextChoices):
        WRITTEN = "written", _("Written, signed")
        VERBAL = "verbal", _("Verbal, witnessed")
        GUARDIAN = "guardian", _("By the legal guardian (child)")

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    recipient_agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("shared with"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Leave empty if the person agreed to referral to any agency of the mechanism."),
    )
    service_type = models.ForeignKey(
        "directory.ServiceType",
        verbose_name=_("for the service"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    sections = models.JSONField(_("what may be shared"), default=list)
    method = models.CharField(_("how consent was given"), max_length=16, choices=Method.choices)
    given_on = models.DateField(_("date given"), default=datetime.date.today)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawal_reason = EncryptedCharField(_("reason for withdrawal"), max_length=300, blank=True)

    class Meta:
        ordering = ["-given_on", "-created_at"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"Consent {self.pk}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None

    def covers(self, *, agency_id: object, sections: set[str]) -> bool:
        """Whether this consent allows sharing ``sections`` with the agency for a referral."""
        return (
            self.is_active
            and self.purpose == self.Purpose.REFERRAL
            and (self.recipient_agency_id is None or self.recipient_agency_id == agency_id)
            and sections <= set(self.sections)
        )
