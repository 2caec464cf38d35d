"""A de-identified CTDC export asked for by one person: built in the background, kept a while."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tirek.reports.models import KeptFile


class CtdcExport(KeptFile):
    """One CTDC export in one format, for the person who asked; the file is deleted after the
    keeping time (``TIREK_REPORT_KEEP_HOURS``), the record of who asked stays."""

    format = models.CharField(_("format"), max_length=8)
    k = models.PositiveSmallIntegerField(default=0)
    l_div = models.PositiveSmallIntegerField(default=0)
    rows = models.PositiveIntegerField(default=0)  # people released
    suppressed = models.PositiveIntegerField(default=0)  # people left out
    merged = models.PositiveIntegerField(default=0)  # person records counted with another
    uncertain = models.PositiveIntegerField(default=0)  # possible duplicates left uncertain

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("CTDC export")
        verbose_name_plural = _("CTDC exports")
        indexes = [models.Index(fields=["requested_by", "-created_at"])]

    def __str__(self) -> str:
        return f"CTDC export {self.pk}"

    @property
    def filename(self) -> str:
        stamp = (self.finished_at or self.created_at).strftime("%Y%m%d-%H%M")
        return f"tirek-ctdc-{stamp}.{self.format}"
