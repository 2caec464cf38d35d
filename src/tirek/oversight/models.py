"""Break-glass: an emergency access by one supervisor to a case outside their circle."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tirek.core.crypto import EncryptedTextField
from tirek.core.models import BaseModel


class BreakGlassAccess(BaseModel):
    """One emergency access: who, for which agency, to which case, why, until when; its review.

    The access grants every section to this one person (not their agency) until ``expires_at``.
    The owning agency's supervisors review it afterwards; the review is recorded on the case.
    """

    class Review(models.TextChoices):
        WAITING = "waiting", _("Waiting for review")
        JUSTIFIED = "justified", _("Justified")
        NOT_JUSTIFIED = "not_justified", _("Not justified")

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="break_glass_accesses"
    )
    owner_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("owner")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="break_glass_accesses",
        verbose_name=_("opened by"),
    )
    agency = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        related_name="break_glass_accesses",
        verbose_name=_("for agency"),
    )
    reason = EncryptedTextField(_("reason"))
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)
    review = models.CharField(
        _("review"), max_length=16, choices=Review.choices, default=Review.WAITING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_comment = EncryptedTextField(_("review comment"), blank=True)

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("emergency access")
        verbose_name_plural = _("emergency accesses")
        indexes = [
            models.Index(fields=["user", "case", "expires_at"]),
            models.Index(fields=["owner_agency", "review"]),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.opened_at:%Y-%m-%d %H:%M}"

    @property
    def is_active(self) -> bool:
        return self.expires_at > timezone.now()
