"""An official report asked for by one person: built in the background, kept for a while."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tirek.core.models import BaseModel


class FileStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Being prepared")
    DONE = "done", _("Ready to download")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Deleted after the keeping time")


class KeptFile(BaseModel):
    """A file one person asked for, built by the background worker and kept for a while: its
    progress, the file until it expires, and who asked (reports, the CTDC export)."""

    Status = FileStatus

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    membership = models.ForeignKey(
        "accounts.Membership", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=FileStatus.choices, default=FileStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)  # percent
    content = models.BinaryField(null=True, blank=True)  # the file, until it expires
    size = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def finished(self) -> bool:
        return self.status in {FileStatus.DONE, FileStatus.FAILED, FileStatus.EXPIRED}


class ReportRun(KeptFile):
    """One quarterly or annual report in one language and format, for the person who asked."""

    class Kind(models.TextChoices):
        QUARTERLY = "quarterly", _("Quarterly report")
        ANNUAL = "annual", _("Annual report")

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        XLSX = "xlsx", "XLSX (Excel)"

    class Privacy(models.TextChoices):
        """How the national figures are protected (the codes of ``statistics.differential``)."""

        K_ANONYMITY = "k_anonymity", _("k-anonymity (withheld small values, rounding)")
        DIFFERENTIAL = "differential", _("Differential privacy (noise with a stated ε)")

    class Mechanism(models.TextChoices):
        LAPLACE = "laplace", _("Discrete Laplace (pure ε)")
        GAUSSIAN = "gaussian", _("Discrete Gaussian (ε, δ)")

    kind = models.CharField(_("report"), max_length=12, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), null=True, blank=True)
    scope = models.CharField(_("whose work"), max_length=12)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    format = models.CharField(_("format"), max_length=8, choices=Format.choices)
    privacy = models.CharField(
        _("protection"), max_length=16, choices=Privacy.choices, default=Privacy.K_ANONYMITY
    )
    epsilon = models.FloatField(_("privacy loss ε"), null=True, blank=True)
    mechanism = models.CharField(_("noise"), max_length=12, choices=Mechanism.choices, blank=True)
    # A differentially private report's noisy tables, drawn (and their ε spent) when it was
    # asked for; the worker renders them and never draws again (``services.report_request``).
    noisy_release = models.JSONField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        indexes = [models.Index(fields=["requested_by", "-created_at"])]

    def __str__(self) -> str:
        return f"Report {self.pk}"

    @property
    def differential(self) -> bool:
        return self.privacy == self.Privacy.DIFFERENTIAL

    @property
    def epsilon_shown(self) -> str:
        """ε as the report states it: 1.5, 0.25, 2."""
        return f"{self.epsilon:g}" if self.epsilon is not None else ""

    @property
    def delta(self) -> float | None:
        """The δ a differentially private report states: 0 with Laplace noise."""
        from tirek.statistics.differential import DEFAULT_DELTA  # (loads OpenDP)

        if not self.differential:
            return None
        return DEFAULT_DELTA if self.mechanism == self.Mechanism.GAUSSIAN else 0.0

    @property
    def period_label(self) -> str:
        if self.kind == self.Kind.QUARTERLY and self.quarter:
            return f"{self.year}-Q{self.quarter}"
        return str(self.year)

    @property
    def period_name(self) -> str:
        """The period in the active language (Q3 2026, or the year)."""
        if self.kind == self.Kind.QUARTERLY and self.quarter:
            return gettext("Q%(quarter)s %(year)s") % {"quarter": self.quarter, "year": self.year}
        return str(self.year)

    @property
    def filename(self) -> str:
        return f"tirek-{self.kind}-report-{self.period_label}-{self.language}.{self.format}"
