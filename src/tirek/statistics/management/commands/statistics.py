"""``tirek statistics rebuild``: count every case again into the de-identified facts.
``tirek statistics refresh``: count the cases changed since the last refresh (as the task does)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tirek.statistics.facts import facts_rebuild, facts_refresh


class Command(BaseCommand):
    help = (
        "rebuild: forget the statistics facts and cells and count every case again; refresh: "
        "count the cases changed since the last refresh. Prints counts only."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["rebuild", "refresh"])

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        report = facts_rebuild() if options["action"] == "rebuild" else facts_refresh()
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"Person records counted: {report.persons}; facts written: {report.facts}; "
            f"{seconds:.1f} s."
        )
