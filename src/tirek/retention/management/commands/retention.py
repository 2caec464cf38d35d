"""``tirek retention apply``: anonymise cases closed for longer than the retention period.
``tirek retention vacuum``: rewrite the personal-data tables so erased values leave the disk."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from tirek.retention.services import personal_data_vacuum, retention_apply


class Command(BaseCommand):
    help = (
        "Anonymise cases closed longer than TIREK_RETENTION_DAYS ago, keeping de-identified "
        "statistics. Prints counts only. 'vacuum' rewrites the tables holding personal data so "
        "that erased values do not linger in old row versions (run in a maintenance window)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["apply", "vacuum"])
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be anonymised; change nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "vacuum":
            tables = personal_data_vacuum()
            self.stdout.write(f"Rewritten: {len(tables)} tables holding personal data.")
            return
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
