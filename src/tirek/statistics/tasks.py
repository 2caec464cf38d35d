"""The periodic refresh of the statistics facts (registered in ``apps.py``)."""

from __future__ import annotations

from tirek.core.tasks import background_task
from tirek.statistics.facts import facts_refresh
from tirek.statistics.step_facts import step_facts_refresh


@background_task(retries=3)
def statistics_refresh() -> dict[str, int]:
    """Count the cases changed since the last run again (idempotent: a rerun finds nothing)."""
    report = facts_refresh()
    steps = step_facts_refresh()
    return {"persons": report.persons, "facts": report.facts, "steps": steps.steps}
