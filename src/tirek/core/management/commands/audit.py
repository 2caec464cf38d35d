"""``tirek audit verify``: recompute the hash chains of the event tables."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tirek.cases.models import CaseEvent
from tirek.core.chain import chain_verify
from tirek.core.models import AuditEvent


class Command(BaseCommand):
    help = "Verify that the audit and case-event chains have not been tampered with."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        failed = False
        for model in (AuditEvent, CaseEvent):
            rows = model.objects.order_by("seq").iterator(chunk_size=2000)
            report = chain_verify(model.CHAIN, rows)
            if report.ok:
                self.stdout.write(f"{report.chain}: {report.rows} rows, chain intact")
            else:
                failed = True
                self.stderr.write(f"{report.chain}: chain broken at seq {report.first_broken_seq}")
        if failed:
            raise CommandError("Audit chain verification failed.")
