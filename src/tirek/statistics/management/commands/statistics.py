"""``tirek statistics rebuild``: count every case again into the de-identified facts.
``tirek statistics refresh``: count the cases changed since the last refresh (as the task does).
Both also count the steps of the cases' checklists (mechanism performance)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tirek.statistics.facts import facts_rebuild, facts_refresh
from tirek.statistics.step_facts import step_facts_rebuild, step_facts_refresh


class Command(BaseCommand):
    help = (
        "rebuild: forget the statistics facts and cells and count every case again; refresh: "
        "count the cases changed since the last refresh. Prints counts only."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["rebuild", "refresh"])

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        rebuild = options["action"] == "rebuild"
        report = facts_rebuild() if rebuild else facts_refresh()
        steps = step_facts_rebuild() if rebuild else step_facts_refresh()
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"Person records counted: {report.persons}; facts written: {report.facts}; "
            f"checklist steps counted: {steps.steps}; {seconds:.1f} s."
        )
