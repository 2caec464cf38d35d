"""``tirek retention apply``: anonymise cases closed for longer than the retention period."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from tirek.retention.services import retention_apply


class Command(BaseCommand):
    help = (
        "Anonymise cases closed longer than TIREK_RETENTION_DAYS ago, keeping de-identified "
        "statistics. Prints counts only."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["apply"])
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be anonymised; change nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = bool(options["dry_run"])
        report = retention_apply(dry_run=dry_run)
        verb = "would be anonymised" if dry_run else "anonymised"
        self.stdout.write(
            f"Retention period: {settings.TIREK_RETENTION_DAYS} days; "
            f"cases closed on or before {report.cutoff.isoformat()} are due."
        )
        self.stdout.write(f"Cases {verb}: {report.cases_anonymised}")
        self.stdout.write(f"Persons {verb}: {report.persons_anonymised}")
        self.stdout.write(
            f"Cases kept because the person has another open case: "
            f"{report.cases_kept_for_open_cases}"
        )
