"""Case notes and tasks: the work of each agency on a case.

A note or a task belongs to the agency that wrote it. A note marked private stays with that
agency even when the case is shared; a shared note is read by every agency that may open the
case. Tasks are each agency's own to-do list on the case (with a due date and an owner).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tirek.core.crypto import EncryptedBinaryField, EncryptedCharField, EncryptedTextField
from tirek.core.models import BaseModel


class CaseNote(BaseModel):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="notes")
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = EncryptedTextField(_("note"))
    private = models.BooleanField(_("only my agency"), default=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("case note")
        verbose_name_plural = _("case notes")

    def __str__(self) -> str:
        return f"Note {self.pk}"


class CaseTask(BaseModel):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="tasks")
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    title = EncryptedCharField(_("what to do"), max_length=300)
    due_on = models.DateField(_("due on"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("who does it"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    reminded_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "created_at"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        indexes = [models.Index(fields=["owner", "done_at", "due_on"])]

    def __str__(self) -> str:
        return f"Task {self.pk}"

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


class CaseAttachment(BaseModel):
    """A document of a case (e.g. a signed consent form): its content and name encrypted."""

    class Kind(models.TextChoices):
        CONSENT_FORM = "consent_form", _("Signed consent form")
        IDENTITY_DOCUMENT = "identity_document", _("Identity document")
        MEDICAL = "medical", _("Medical document")
        LEGAL = "legal", _("Legal document")
        OTHER = "other", _("Other document")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="attachments")
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    filename = EncryptedCharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(
        max_length=40,
        choices=[("application/pdf", "PDF"), ("image/jpeg", "JPEG"), ("image/png", "PNG")],
    )
    size = models.PositiveIntegerField(default=0)
    data = EncryptedBinaryField(default=b"")
    private = models.BooleanField(_("only my agency"), default=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return f"Attachment {self.pk}"
