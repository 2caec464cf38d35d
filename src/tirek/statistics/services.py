"""Releasing statistics: every release (page, download, API answer) is an audit event."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tirek.accounts.actor import Actor
from tirek.core.audit import audit_record
from tirek.statistics.differential import DIFFERENTIAL
from tirek.statistics.models import PrivacyBudgetYear
from tirek.statistics.selectors import (
    Filters,
    Protection,
    Release,
    column_labels,
    dp_require,
    dp_spent,
    release_build,
    row_heading,
)

RELEASED = "statistics.released"


def dp_budget_lock(year: int) -> None:
    """Hold the year's budget row until the transaction ends: a second release checking the
    budget meanwhile waits here and then sees the first one's spending. PostgreSQL locks the row
    (``SELECT ... FOR UPDATE``); SQLite has no row locks, but every transaction there begins
    with the database's write lock (``transaction_mode`` IMMEDIATE), which serialises them."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("the budget is checked and spent inside one transaction")
    PrivacyBudgetYear.objects.select_for_update().get_or_create(year=year)


def dp_budget_check(epsilon: float) -> None:
    """Refuse a differentially private release that would take the year's spending past the
    national budget (``TIREK_DP_BUDGET``). Call inside the transaction that records the
    release's ε: the year's row stays locked until it ends."""
    budget = settings.TIREK_DP_BUDGET
    year = timezone.localdate().year
    dp_budget_lock(year)
    spent = dp_spent(year)
    if spent + epsilon > budget + 1e-9:
        left = max(0.0, budget - spent)
        raise ValidationError(
            {
                "epsilon": [
                    _(
                        "This release would spend ε = %(epsilon)s, but only %(left)s of this "
                        "year's privacy budget of %(budget)s is left."
                    )
                    % {"epsilon": f"{epsilon:g}", "left": f"{left:.3g}", "budget": f"{budget:g}"}
                ]
            }
        )


def statistics_release(
    *,
    actor: Actor,
    scope: str,
    filters: Filters,
    channel: str,
    table: str = "",
    protection: Protection | None = None,
    about: Mapping[str, Any] | None = None,
) -> Release:
    """The tables for the actor, recorded as one audit event (who, which scope, which filters;
    for a differentially private release also the mechanism and the ε it spent; ``about``
    adds codes saying what the release is for, e.g. the report it was drawn for)."""
    private = protection is not None and protection.differential
    if private:
        dp_require(actor)
    with transaction.atomic():
        if private:
            assert protection is not None  # noqa: S101
            dp_budget_check(protection.epsilon)
        release = release_build(actor=actor, scope=scope, filters=filters, protection=protection)
        data: dict[str, Any] = {
            "scope": release.scope,
            "channel": channel,
            "filters": filters.as_data(),
            "k": release.k,
            "rounding": release.rounding,
        }
        if release.budget is not None:
            data = {
                "scope": release.scope,
                "channel": channel,
                "filters": release.filters.as_data(),
                "privacy": DIFFERENTIAL,
                "mechanism": release.budget.mechanism,
                "epsilon": release.budget.epsilon,
                "delta": release.budget.delta,
                "epsilon_by_table": release.budget.per_table,
            }
        release_record(actor=actor, what=table or "all", data=data | dict(about or {}))
    return release


def release_record(*, actor: Actor, what: str, data: dict[str, Any]) -> None:
    """The audit event of one statistical release: who, which table(s), scope and filters."""
    with transaction.atomic():
        audit_record(
            action=RELEASED,
            user_id=actor.user.pk,
            agency_id=actor.membership.agency_id,
            object_type="statistics",
            object_id=what,
            data=data,
        )


def table_csv(release: Release, name: str) -> str:
    """One released table as CSV: a row per value, a column per status, totals last."""
    table = release.tables[name]
    columns = column_labels(name)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([row_heading(name), *(columns[c] for c in table.columns), _("Total")])

    def shown(value: int | None) -> str:
        return "" if value is None else str(value)

    for key, cells, total in zip(table.rows, table.cells, table.row_totals, strict=True):
        writer.writerow([release.labels[name][key], *map(shown, cells), shown(total)])
    writer.writerow([_("Total"), *map(shown, table.column_totals), shown(table.total)])
    return buffer.getvalue()


ASSISTANCE_TIME = "assistance_time"  # the name of the medians' CSV


def medians_csv(release: Release) -> str:
    """The median days to assistance as CSV: a row per group, empty where withheld."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_("Assistance"), _("People assisted"), _("Median days")])
    for row in release.medians:
        writer.writerow(
            [
                row.label,
                "" if row.people is None else row.people,
                "" if row.median is None else row.median,
            ]
        )
    return buffer.getvalue()
