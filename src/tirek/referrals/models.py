"""Referrals of a case from one agency to another for a service."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tirek.core.crypto import EncryptedTextField
from tirek.core.models import BaseModel


class Referral(BaseModel):
    """A request that another agency provide a service to the person (HTCDS outgoing referral)."""

    class Status(models.TextChoices):
        SENT = "sent", _("Sent, awaiting answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn by the sender")

    class Reason(models.TextChoices):  # cas_ReasonForOutgoingReferral
        ADDITIONAL_SERVICES = "AdditionalServicesRequired", _("Additional services required")
        MIGRATION = "MigrationOrChangeOfLocation", _("Migration or change of location")
        OTHER = "Other", _("Other")

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="referrals")
    from_agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("from"),
        on_delete=models.PROTECT,
        related_name="referrals_sent",
    )
    to_agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("to"),
        on_delete=models.PROTECT,
        related_name="referrals_received",
    )
    service_type = models.ForeignKey(
        "directory.ServiceType", verbose_name=_("service"), on_delete=models.PROTECT
    )
    reason = models.CharField(
        _("reason"), max_length=32, choices=Reason.choices, default=Reason.ADDITIONAL_SERVICES
    )
    message = EncryptedTextField(_("message"), blank=True)
    sections = models.JSONField(_("sections shared"), default=list)
    consent = models.ForeignKey(
        "protection.Consent", verbose_name=_("consent"), on_delete=models.PROTECT
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.SENT
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    decision_reason = EncryptedTextField(_("reason given"), blank=True)

    class Outcome(models.TextChoices):
        DELIVERED = "delivered", _("Service delivered")
        NOT_DELIVERED = "not_delivered", _("Service not delivered")

    outcome = models.CharField(
        _("outcome"), max_length=16, choices=Outcome.choices, blank=True, default=""
    )
    outcome_at = models.DateTimeField(_("outcome recorded at"), null=True, blank=True)
    due_at = models.DateTimeField(
        _("answer due"),
        null=True,
        blank=True,
        help_text=_("From the deadline of the mechanism's step this referral delivers."),
    )

    @property
    def is_overdue(self) -> bool:
        """Still waiting for an answer after the step's deadline."""
        from django.utils import timezone

        return (
            self.status == self.Status.SENT
            and self.due_at is not None
            and self.due_at < timezone.now()
        )

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [
            models.Index(fields=["to_agency", "status"]),
            models.Index(fields=["from_agency", "status"]),
        ]

    def __str__(self) -> str:
        return f"Referral {self.pk}"

    @property
    def information(self) -> str:
        """The state of the question thread: ``requested`` while the receiver's question waits
        for the sender's answer, ``answered`` once every question is answered, ``""`` if the
        receiver asked nothing. Read from the list's annotations where present (no query)."""
        open_questions = getattr(self, "open_questions", None)
        asked = getattr(self, "questions_asked", None)
        if open_questions is None or asked is None:
            asked = self.questions.count()
            open_questions = self.questions.filter(answered_at__isnull=True).count()
        if open_questions:
            return INFORMATION_REQUESTED
        return INFORMATION_ANSWERED if asked else ""

    def get_information_display(self) -> str:
        return str(INFORMATION_LABELS.get(self.information, ""))


INFORMATION_REQUESTED = "requested"
INFORMATION_ANSWERED = "answered"
INFORMATION_LABELS = {
    INFORMATION_REQUESTED: _("Information requested"),
    INFORMATION_ANSWERED: _("Information given"),
}


class ReferralQuestion(BaseModel):
    """The receiving agency's question about a referral it has not answered yet, and the
    sending agency's answer: the thread both agencies see on the referral."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="questions")
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    asked_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    question = EncryptedTextField(_("question"))
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answer = EncryptedTextField(_("answer"), blank=True)

    class Meta:
        ordering = ["asked_at", "created_at"]
        verbose_name = _("question about a referral")
        verbose_name_plural = _("questions about referrals")

    def __str__(self) -> str:
        return f"Question {self.pk}"


class OutsideReferral(BaseModel):
    """A referral to a provider that does not use Tirek: the owning agency prints a form (PDF)
    carrying only the consented parts of the case, hands or sends it on paper, and records the
    outcome by hand later. It grants nobody access to the case."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="outside_referrals"
    )
    from_agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("from"), on_delete=models.PROTECT, related_name="+"
    )
    provider = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("provider from the directory"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    organisation = models.CharField(
        _("organisation (not in the directory)"), max_length=200, blank=True
    )
    service_type = models.ForeignKey(
        "directory.ServiceType", verbose_name=_("service"), on_delete=models.PROTECT
    )
    sections = models.JSONField(_("sections shared"), default=list)
    consent = models.ForeignKey(
        "protection.Consent", verbose_name=_("consent"), on_delete=models.PROTECT
    )
    message = EncryptedTextField(_("message"), blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=Referral.Outcome.choices, blank=True, default=""
    )
    outcome_at = models.DateTimeField(_("outcome recorded at"), null=True, blank=True)
    outcome_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("referral outside Tirek")
        verbose_name_plural = _("referrals outside Tirek")

    def __str__(self) -> str:
        return f"Outside referral {self.pk}"

    @property
    def recipient(self) -> str:
        return self.provider.label if self.provider else self.organisation


class CaseTransfer(BaseModel):
    """A proposal that another agency become the case's owner (e.g. police to a crisis centre).

    The receiving agency accepts or declines; on acceptance it owns the case with its whole
    history, and the previous owner keeps only the sections named in ``kept_sections``.
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed, awaiting answer")
        ACCEPTED = "accepted", _("Accepted: ownership transferred")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn by the proposing agency")
        STOPPED = "stopped", _("Stopped: the person withdrew consent")

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="transfers")
    from_agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("from"),
        on_delete=models.PROTECT,
        related_name="transfers_proposed",
    )
    to_agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("to"),
        on_delete=models.PROTECT,
        related_name="transfers_received",
    )
    consent = models.ForeignKey(
        "protection.Consent", verbose_name=_("consent"), on_delete=models.PROTECT
    )
    kept_sections = models.JSONField(_("sections the previous owner keeps"), default=list)
    reason = EncryptedTextField(_("reason"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    decision_reason = EncryptedTextField(_("reason given"), blank=True)

    class Meta:
        ordering = ["-proposed_at"]
        verbose_name = _("transfer of a case")
        verbose_name_plural = _("transfers of cases")
        indexes = [
            models.Index(fields=["to_agency", "status"]),
            models.Index(fields=["from_agency", "status"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(status="proposed"),
                name="one_pending_transfer_per_case",
            )
        ]

    def __str__(self) -> str:
        return f"Transfer {self.pk}"
