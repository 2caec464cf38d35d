"""Two differentially private releases at once cannot both spend the last of the year's budget.

Real parallel transactions: one database connection per thread (``tirek.testing.parallel``).
Each release checks the ε spent so far and records its own in one transaction; the year's budget
row is locked (``SELECT ... FOR UPDATE``) from the check to the commit. The first release to pass
the check then waits for the other to pass it too (up to a few seconds): without the lock both
would pass and the year would end over budget; with it the second waits, then sees the first
one's ε and is refused.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tirek.core.models import AuditEvent
from tirek.statistics import services
from tirek.statistics.differential import DIFFERENTIAL, LAPLACE
from tirek.statistics.selectors import NATIONAL, Filters, Protection, dp_spent
from tirek.statistics.services import RELEASED, statistics_release
from tirek.statistics.tests.test_dashboard import small_k, world
from tirek.testing.parallel import RaceWindow, at_once, database_for_threads

__all__ = ["small_k", "world"]

pytestmark = pytest.mark.django_db(transaction=True)

WAIT = 3.0  # seconds the first release waits, inside its transaction, for the other to pass


@pytest.mark.postgresql  # SQLite has one writer at a time: its transactions never interleave
def test_two_releases_at_once_cannot_both_spend_the_last_of_the_budget(
    world, settings, monkeypatch
):
    settings.TIREK_DP_BUDGET = 1
    check_then_linger = RaceWindow(services.dp_budget_check, wait=WAIT)

    def release(epsilon: float = 0.5) -> Any:
        return statistics_release(
            actor=world["coordinator"],
            scope=NATIONAL,
            filters=Filters(),
            channel="api",
            protection=Protection(method=DIFFERENTIAL, epsilon=epsilon, mechanism=LAPLACE),
        )

    release(0.2)  # a release earlier this year: the year's budget row exists, 0.8 is left
    monkeypatch.setattr(services, "dp_budget_check", check_then_linger)

    with database_for_threads():
        results = at_once(release, release)
    refused = [r for r in results if isinstance(r, ValidationError)]
    released = [r for r in results if not isinstance(r, Exception)]
    assert len(released) == 1 and len(refused) == 1, results
    assert "epsilon" in refused[0].message_dict  # "only 0.3 of this year's budget is left"
    assert "0.3" in refused[0].message_dict["epsilon"][0]
    assert len(check_then_linger.passed) == 1  # the second release never got past the check
    assert dp_spent(timezone.localdate().year) == pytest.approx(0.7)
    assert AuditEvent.objects.filter(action=RELEASED).count() == 2
