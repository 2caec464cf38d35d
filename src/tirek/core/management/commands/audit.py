"""``tirek audit verify``: recompute the hash chains of the event tables."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tirek.cases.models import CaseEvent
from tirek.core.chain import ChainHead, table_verify
from tirek.core.models import AuditEvent


class Command(BaseCommand):
    help = "Verify that the audit and case-event chains have not been tampered with."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        failed = False
        heads = {head.name: head for head in ChainHead.objects.all()}
        for label, model in (("audit", AuditEvent), ("case_events", CaseEvent)):
            report = table_verify(model, heads=heads)
            if report.ok:
                self.stdout.write(
                    f"{label}: {report.rows} rows in {report.chains} chains, chain intact"
                )
            else:
                failed = True
                for chain, seq in report.broken:
                    self.stderr.write(f"{label}: chain {chain} broken at seq {seq}")
        for name, head in sorted(heads.items()):
            if head.seq:
                failed = True
                self.stderr.write(f"chain {name}: its {head.seq} rows are missing")
        if failed:
            raise CommandError("Audit chain verification failed.")
